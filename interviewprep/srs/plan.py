"""Interview-date planning: what to learn when, whether it fits the daily budget, what is at risk.

The design, decided by benchmarks/simulate.py on its seed A (two memory models, 5-40 min/day): only
recall on one day counts, and the learner's minutes are the limit.  `decide` takes the bank, the
review log, the date and the budget and chooses:
- which cards: all of them when the budget covers them (with FIT_MARGIN: the Good-path forecast
  below is a lower bound); otherwise only as many unseen cards as the minutes can learn, in
  priority order (focus decks, then basic before advanced), the rest left out and named -- a card
  seen once and forgotten costs minutes and is as lost on the day as one never seen;
- the everyday retention: PLAN_RETENTION (0.90) when the budget covers every card, TIGHT_RETENTION
  (0.80: longer intervals, fewer reviews) when it does not;
- the new-card quota: the chosen cards spread over the days before the lead week, but at least
  what NEW_SHARE of a day's minutes buys, so a roomy budget learns cards early and reviews them more;
- the order of a day: when the budget covers every card, the quota's new cards come before the
  due reviews (the quota is a promise, and it takes at most about NEW_SHARE of the day); when it
  does not, the reviews of cards already learned come first and new cards get what is left --
  fewer cards learned well rather than many half-learned (in the simulation, new-first on a short
  budget reached every card and recalled fewer on the day);
- what to bring forward: in the last BRING_FORWARD_DAYS days, leftover minutes go to the cards
  whose predicted recall on the day is below PLAN_TARGET (0.95), weakest first.

A pure library for `prep plan`: no clock reads, no I/O; `today` and states are passed in, so the
numbers are reproducible and testable.  Days are calendar dates in UTC; an instant on a day is that
day's start (00:00 UTC), so "recall on the interview day" means recall when that day begins.

Forecasts follow the plan on a *Good path*: new cards enter at the quota, every review is done on
its due day and rated Good.  That is what a scheduler can forecast without knowing future answers;
it is optimistic, so the load adds the expected cost of misses: each review of a card in review
has a (1 - target) chance of a miss, which costs one more review (the relearning step).  The
shorter intervals after a miss are not followed, so treat the load as a lower bound: for the
benchmark's simulated learners (benchmarks/simulate.py), who often fail a new card's first showing
and miss more than the target allows, real ratings were about twice the forecast.  Minutes use
assumed costs per rating (SECONDS_PER_NEW for a card's first showing, SECONDS_PER_REVIEW for every
other rating) -- the medians the simulated learners use, round numbers rather than measurements.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from interviewprep.models import CardState, Phase, Rating, from_iso, retention_problem, to_iso
from interviewprep.srs.scheduler import DEFAULT_RETENTION, Scheduler

PLAN_TARGET = 0.95  # recall to reach on the interview day
PLAN_RETENTION = 0.90  # FSRS desired retention for everyday scheduling while a plan runs
LEARN_LEAD_DAYS = 7  # every selected card is learned at least this many days before the interview
BRING_FORWARD_DAYS = 7  # at-risk cards are brought forward in this many days before the interview
SECONDS_PER_REVIEW = 20.0
SECONDS_PER_NEW = 60.0
MAX_REVIEWS_PER_CARD = 200  # guard against a scheduler that never moves a card past the date
DEFAULT_MINUTES = 20.0  # minutes a day when neither the user nor the review log says
TIGHT_RETENTION = 0.80  # everyday retention when the budget cannot cover every card
NEW_SHARE = 0.5  # share of a day's minutes new cards may take when the spread asks for fewer
FIT_MARGIN = 0.6  # the Good-path need is a lower bound: the budget "covers" it only with this margin
REVIEW_SHARE_OF_SEEN = 0.5  # a seen card's remaining reviews, as a share of a new card's (it is part-way in)
LEVEL_ORDER = {"basic": 0, "intermediate": 1, "advanced": 2}  # unknown levels sort with intermediate


@dataclass(frozen=True)
class Plan:
    """The user's commitment: these cards, ready by this date, in this many minutes a day."""

    card_ids: tuple[str, ...]
    interview: date
    minutes_per_day: float
    created: datetime
    target: float = PLAN_TARGET
    retention: float = PLAN_RETENTION
    deferred: tuple[str, ...] = ()  # cards the budget could not cover when the plan was made
    focus: tuple[str, ...] = ()  # decks the user marked as must-know (--focus)
    minutes_source: str = "given"  # "given", "measured" (from the review log) or "default"
    new_first: bool = False  # the day's new cards before its due reviews (when the budget covers every card)

    def __post_init__(self):
        if not 0.0 < self.target < 1.0:
            raise ValueError(f"target recall {self.target} must be between 0 and 1")
        problem = retention_problem(self.retention)
        if problem:
            raise ValueError(f"everyday retention {self.retention} {problem}")
        if self.minutes_per_day <= 0:
            raise ValueError("minutes per day must be positive")
        if isinstance(self.interview, datetime):  # a datetime is a date too; keep only the day
            object.__setattr__(self, "interview", self.interview.date())
        object.__setattr__(self, "card_ids", tuple(self.card_ids))
        object.__setattr__(self, "deferred", tuple(self.deferred))
        object.__setattr__(self, "focus", tuple(self.focus))

    def to_dict(self) -> dict:
        return {
            "card_ids": list(self.card_ids),
            "interview": self.interview.isoformat(),
            "minutes_per_day": self.minutes_per_day,
            "target": self.target,
            "retention": self.retention,
            "created": to_iso(self.created),
            "deferred": list(self.deferred),
            "focus": list(self.focus),
            "minutes_source": self.minutes_source,
            "new_first": self.new_first,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Plan:
        return cls(
            card_ids=tuple(d["card_ids"]),
            interview=date.fromisoformat(d["interview"]),
            minutes_per_day=float(d["minutes_per_day"]),
            created=from_iso(d["created"]),
            target=float(d.get("target", PLAN_TARGET)),
            retention=float(d.get("retention", PLAN_RETENTION)),
            deferred=_names(d.get("deferred")),
            focus=_names(d.get("focus")),
            minutes_source=str(d.get("minutes_source", "given")),
            new_first=d.get("new_first") is True,
        )


def _names(value) -> tuple[str, ...]:
    """A stored list of ids or deck names; anything else (a damaged or older plan) reads as none."""
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


@dataclass(frozen=True)
class DayLoad:
    day: date
    reviews: float  # every rating expected that day, first showings of new cards included
    new: int
    minutes: float


@dataclass(frozen=True)
class Forecast:
    """For `prep plan --show`: predicted recall of the plan's cards, unseen cards counting as 0."""

    idle: list[tuple[date, float]]  # mean recall at each day's start if no more reviews are done
    interview_idle: float
    interview_kept_up: float  # mean recall on the day if the plan is followed and every review passes
    at_risk: list[tuple[str, float]]  # seen cards below target on the day if no more reviews are done
    unseen: int
    # each plan card's recall on the day if kept up, in plan order: outlook's per-deck means read it
    kept_up_by_card: tuple[float, ...] = field(repr=False, compare=False)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def _moment(day: date | datetime) -> datetime:
    return day.astimezone(timezone.utc) if isinstance(day, datetime) else day_start(day)


def new_card_quota(plan: Plan, n_new_left: int, today: date) -> int:
    """New cards to learn today: enough that the rest are all learned LEARN_LEAD_DAYS before the
    interview (an even spread, rounded up), and at least what NEW_SHARE of the day's minutes buys.

    Why the floor: a card learned early gets more spaced reviews before the day than one learned
    late, so a budget with room for it introduces cards sooner than the bare spread.  It grows with
    the minutes, so more minutes never mean fewer new cards.  Past the last learning day every
    remaining card is due today -- late is better than never.  Never more than the cards left.
    """
    if n_new_left <= 0:
        return 0
    last = plan.interview - timedelta(days=LEARN_LEAD_DAYS)
    days_left = (last - today).days + 1
    if days_left <= 0:
        return n_new_left
    floor = math.floor(plan.minutes_per_day * NEW_SHARE * 60.0 / (SECONDS_PER_NEW + 2 * SECONDS_PER_REVIEW))
    return min(n_new_left, max(math.ceil(n_new_left / days_left), floor))


def _follow(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler, today: date,
            card_ids: Iterable[str] | None = None) -> tuple[list[DayLoad], dict[str, CardState]]:
    """The Good path (module doc) from `today` to the interview: daily loads and final states."""
    ids = list(plan.card_ids if card_ids is None else card_ids)
    end = day_start(plan.interview)
    days = [today + timedelta(days=i) for i in range((plan.interview - today).days)]
    reviews = {d: 0.0 for d in days}
    new = {d: 0 for d in days}
    final: dict[str, CardState] = {}
    unseen = [c for c in ids if c not in states]
    starts: list[tuple[str, CardState | None, datetime]] = [(c, states[c], states[c].due) for c in ids if c in states]
    taken = 0
    for d in days:
        quota = min(new_card_quota(plan, len(unseen) - taken, d), len(unseen) - taken)
        starts += [(card_id, None, day_start(d)) for card_id in unseen[taken:taken + quota]]
        new[d] += quota
        taken += quota
    for card_id, state, when in starts:
        for _ in range(MAX_REVIEWS_PER_CARD):
            when = max(when, day_start(today))
            if when >= end:
                break
            day = when.date()
            reviews[day] += 1.0 + ((1.0 - plan.target) if state is not None and state.phase == Phase.REVIEW else 0.0)
            state = scheduler.review(state, card_id, Rating.GOOD, when)
            when = state.due
        if state is not None:
            final[card_id] = state
    loads = [DayLoad(d, reviews[d], new[d], (new[d] * SECONDS_PER_NEW + (reviews[d] - new[d]) * SECONDS_PER_REVIEW)
                     / 60.0) for d in days]
    return loads, final


def expected_daily_load(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler, today: date,
                        card_ids: Iterable[str] | None = None) -> list[DayLoad]:
    """Forecast ratings and minutes for each day from `today` to the day before the interview.

    `states` maps card id -> state for cards already seen; `card_ids` (default: the plan's) limits
    the forecast to some of the plan's cards.  Approximate: see the module docstring.
    """
    return _follow(plan, states, scheduler, today, card_ids)[0]


def fits_budget(plan: Plan, load: Iterable[DayLoad]) -> bool:
    """True when no day's forecast needs more than the plan's minutes per day."""
    return all(day.minutes <= plan.minutes_per_day + 1e-9 for day in load)


def recalls(scheduler: Scheduler, states: Iterable[CardState | None],
            moments: Iterable[datetime]) -> list[list[float]]:
    """scheduler.retrievability of every state at every moment, one row per moment.

    FSRS computes the whole table at once (FSRSScheduler.recall_rows, the same numbers); any
    other scheduler is asked card by card.
    """
    states, moments = list(states), list(moments)
    table = getattr(scheduler, "recall_rows", None)
    if table is not None:
        return table(states, moments)
    return [[scheduler.retrievability(s, m) for s in states] for m in moments]


def at_risk(states: Iterable[CardState] | Mapping[str, CardState], scheduler: Scheduler,
            interview_day: date | datetime, target: float = DEFAULT_RETENTION) -> list[tuple[str, float]]:
    """(card id, predicted recall) for seen cards that would be below `target` on the interview day
    if not reviewed again, lowest recall first -- the cards to bring forward in the last days."""
    values = list(states.values() if isinstance(states, Mapping) else states)
    row = recalls(scheduler, values, [_moment(interview_day)])[0]
    return _below(values, row, target)


def _below(states: Iterable[CardState], recall: Iterable[float], target: float) -> list[tuple[str, float]]:
    """(card id, recall) of the states whose recall is below `target`, lowest first (ties by id)."""
    risky = [(s.card_id, float(r)) for s, r in zip(states, recall)]
    return sorted(((c, r) for c, r in risky if r < target), key=lambda item: (item[1], item[0]))


def bringing_forward(interview_day: date, today: date) -> bool:
    """Whether `today` is one of the last BRING_FORWARD_DAYS days before the interview: at-risk cards come forward."""
    return 0 < (interview_day - today).days <= BRING_FORWARD_DAYS


def bring_forward(states: Mapping[str, CardState], scheduler: Scheduler, interview_day: date, today: date,
                  target: float = DEFAULT_RETENTION) -> list[tuple[str, float]]:
    """Today's share of the at-risk cards to review ahead of schedule, most at risk first.

    Only in the last BRING_FORWARD_DAYS days, and only cards not due again before the interview:
    a card due before it will be reviewed anyway, and reviewing it earlier than its due date only
    shortens the spacing.  The rest are spread evenly over the days left (rounded up), so a missed
    day does not pile up on the eve, and cards reviewed today drop out of tomorrow's list.
    """
    if not bringing_forward(interview_day, today):
        return []
    days_left = (interview_day - today).days
    end = day_start(interview_day)
    waiting = [s for s in states.values() if s.phase == Phase.REVIEW and s.due >= end]
    risky = at_risk(waiting, scheduler, end, target)
    return risky[: math.ceil(len(risky) / days_left)]


def good_path(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler,
              today: date) -> tuple[list[DayLoad], dict[str, CardState]]:
    """The Good path of the plan's seen cards and its new ones from `today`: (daily loads, final states).

    recall_forecast and outlook both need it; computing it once and passing it to both halves
    `prep plan --show` (each card is rated by the scheduler on every due day until the interview).
    """
    return _follow(plan, {c: states[c] for c in plan.card_ids if c in states}, scheduler, today)


def recall_forecast(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler, today: date,
                    path: tuple[list[DayLoad], dict[str, CardState]] | None = None) -> Forecast:
    """Predicted recall of the plan's cards, day by day if idle, and on the interview day if kept up.

    `path` is good_path's result when the caller already has it.
    """
    seen = {c: states[c] for c in plan.card_ids if c in states}
    n = len(plan.card_ids) or 1
    span = max(0, (plan.interview - today).days)
    days = [today + timedelta(days=i) for i in range(span + 1)]
    end = day_start(plan.interview)
    # one table for every day and the interview day itself; sums in card order, as before
    rows = recalls(scheduler, seen.values(), [day_start(d) for d in days] + [end])
    _, final = path if path is not None else _follow(plan, seen, scheduler, today)
    kept_up = recalls(scheduler, (final.get(cid) for cid in plan.card_ids), [end])[0]
    return Forecast(
        idle=[(d, sum(row) / n) for d, row in zip(days, rows)],
        interview_idle=sum(rows[-1]) / n,
        interview_kept_up=sum(kept_up) / n,
        at_risk=_below(seen.values(), rows[-1], plan.target),
        unseen=len(plan.card_ids) - len(seen),
        kept_up_by_card=tuple(kept_up),
    )


@dataclass(frozen=True)
class Decision:
    """What `prep plan` decided from the bank, the review log, the date and the budget, and why."""

    plan: Plan
    learn: tuple[str, ...]  # the cards the plan introduces, in priority order
    deferred: tuple[str, ...]  # cards the budget cannot cover: left out, said so
    needed_minutes: float  # minutes a day that learning every card needs (Good path at PLAN_RETENTION)
    fits: bool  # True when the budget covers every card


def prioritise(card_ids, levels, decks, focus=()) -> list[str]:
    """Cards in the order the plan spends time on them: focus decks, then basic before advanced.

    Why this order: what an interviewer asks first are the must-know decks and the basics; a basic
    card is also cheaper to learn, so a short budget buys more recall with it.  Ties keep bank order.
    """
    focus = list(focus)
    rank = {d: i for i, d in enumerate(focus)}
    keyed = sorted(range(len(card_ids)), key=lambda i: (rank.get(decks[i], len(focus)),
                                                         LEVEL_ORDER.get(levels[i], 1), i))
    return [card_ids[i] for i in keyed]


def minutes_to_learn(scheduler: Scheduler, days: int, miss_rate: float) -> float:
    """Minutes one new card costs from its first showing until `days` later, on the Good path.

    Each rating after the first misses with probability `miss_rate` and then costs one more
    rating (the relearning step), as in the load forecast.
    """
    start = day_start(date(2000, 1, 3)) + timedelta(hours=9)
    end = start + timedelta(days=days)
    state, when, ratings = None, start, 0
    for _ in range(MAX_REVIEWS_PER_CARD):
        if when >= end:
            break
        state = scheduler.review(state, "x", Rating.GOOD, when)
        ratings += 1
        when = max(state.due, when)
    later = max(0, ratings - 1) * (1.0 + miss_rate)
    return (SECONDS_PER_NEW + later * SECONDS_PER_REVIEW) / 60.0


def affordable_cards(minutes_per_day: float, days: int, per_card: float, committed: float = 0.0) -> int:
    """How many new cards `days` days at `minutes_per_day` can learn after `committed` minutes of other work."""
    if per_card <= 0 or days <= 0:
        return 0
    return max(0, math.floor((minutes_per_day * days - committed) / per_card + 1e-9))


def choose_retention(fits: bool) -> float:
    """Everyday retention for the plan: PLAN_RETENTION when the budget covers every card, otherwise
    TIGHT_RETENTION -- fewer reviews per card, so the short budget learns more cards."""
    return PLAN_RETENTION if fits else TIGHT_RETENTION


def decide(card_ids, levels, decks, states: Mapping[str, CardState], today: date, interview: date,
           minutes_per_day: float, focus=(), miss_rate: float | None = None, scheduler_factory=None,
           created: datetime | None = None, target: float = PLAN_TARGET, retention: float | None = None,
           minutes_source: str = "given") -> Decision:
    """The plan's decisions from the bank (ids, levels, decks), the review log (`states`), the date and the budget.

    - Which cards: all of them in priority order (`prioritise`) when the budget covers them;
      otherwise only as many of the unseen ones as the minutes left after the seen cards' reviews
      can learn (`affordable_cards`), the rest deferred -- a card seen once and then forgotten costs
      the same minutes as one learned, and is as lost on the day.
    - How many new a day: the chosen cards spread over the days before the lead week, at least
      what NEW_SHARE of the minutes buys (new_card_quota, from the plan each day).
    - Everyday retention: `choose_retention`, from whether the budget covers every card.
    - Order of a day: new cards first only when the budget covers every card (module docstring).
    `miss_rate` is the share of reviews the user misses (from the log; default 1 - target);
    `retention` (the user's --retention) overrides the chosen one.
    """
    from interviewprep.srs.scheduler import FSRSScheduler

    make = scheduler_factory or (lambda r: FSRSScheduler(r, fuzz=False))
    miss = (1.0 - target) if miss_rate is None else min(0.9, max(0.0, miss_rate))
    ordered = prioritise(list(card_ids), list(levels), list(decks), focus)
    days = max(1, (interview - today).days)
    learn_days = max(1, days - LEARN_LEAD_DAYS)
    unseen = [c for c in ordered if c not in states]
    seen = [c for c in ordered if c in states]
    # a new card enters on average half-way through the learning days and is kept up until the day
    horizon = max(1, days - learn_days // 2)
    per_card = minutes_to_learn(make(PLAN_RETENTION), horizon, miss)
    committed = len(seen) * minutes_to_learn(make(PLAN_RETENTION), days, miss) * REVIEW_SHARE_OF_SEEN
    needed = (committed + len(unseen) * per_card) / days
    fits = needed <= FIT_MARGIN * minutes_per_day + 1e-9
    if retention is None:
        retention = choose_retention(fits)
    if fits:
        learn, deferred = tuple(seen + unseen), ()
    else:
        per_card = minutes_to_learn(make(retention), horizon, miss)
        n = affordable_cards(minutes_per_day, days, per_card, committed)
        learn, deferred = tuple(seen + unseen[:n]), tuple(unseen[n:])
    plan = Plan(learn, interview, minutes_per_day, created or day_start(today), target, retention,
                deferred, tuple(focus), minutes_source, new_first=fits)
    return Decision(plan, learn, deferred, needed, fits)


@dataclass(frozen=True)
class Outlook:
    """What `prep plan --show` tells: where the plan stands and whether today's pace reaches it."""

    mean_recall: float  # predicted mean recall on the day if the plan is kept up (unseen count as 0)
    weakest_decks: list[tuple[str, float]]  # (deck, predicted mean recall on the day), weakest first
    unseen: int  # the plan's cards never seen yet
    deferred: int  # cards the budget could not cover
    at_risk: int  # seen cards predicted below target on the day if no more reviews are done
    needed_minutes: float  # mean minutes a day from today that following the plan needs
    peak_minutes: float
    pace: float | None  # minutes a day the user gave lately (review log), None if too little data
    on_track: bool


def outlook(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler, today: date,
            decks: Mapping[str, str], pace: float | None, n_decks: int = 3,
            path: tuple[list[DayLoad], dict[str, CardState]] | None = None,
            forecast: Forecast | None = None) -> Outlook:
    """The forecast a person needs, from the plan, the review log's states and their recent pace.

    On track means both: following the plan from today needs no more than the plan's minutes a
    day on average, and the recent pace (when the log can tell) is at least that need.  `path`
    and `forecast` are good_path's and recall_forecast's results for the same arguments when the
    caller has them: `prep plan --show` then predicts each card's recall on the day once, not twice.
    """
    seen = {c: states[c] for c in plan.card_ids if c in states}
    loads, final = path if path is not None else _follow(plan, seen, scheduler, today)
    by_deck: dict[str, list[float]] = {}
    if forecast is None:
        forecast = recall_forecast(plan, states, scheduler, today, (loads, final))
    for cid, r in zip(plan.card_ids, forecast.kept_up_by_card):
        by_deck.setdefault(decks.get(cid, "?"), []).append(r)
    deck_means = sorted(((d, sum(v) / len(v)) for d, v in by_deck.items()), key=lambda x: (x[1], x[0]))
    n = len(plan.card_ids) or 1
    mean = sum(sum(v) for v in by_deck.values()) / n
    needed = sum(d.minutes for d in loads) / len(loads) if loads else 0.0
    peak = max((d.minutes for d in loads), default=0.0)
    on_track = needed <= plan.minutes_per_day + 1e-9 and (pace is None or pace + 1e-9 >= needed)
    return Outlook(mean, deck_means[:n_decks], len(plan.card_ids) - len(seen), len(plan.deferred),
                   len(forecast.at_risk), needed, peak, pace, on_track)
