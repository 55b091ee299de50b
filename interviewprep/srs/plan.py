"""Interview-date planning: what to learn when, whether it fits the daily budget, what is at risk.

The design, decided by benchmarks/simulate.py: only recall on one day counts, so while a plan
runs FSRS schedules with a *lower* everyday retention (PLAN_RETENTION, 0.80: longer intervals,
fewer reviews, spacing that builds stability), and in the last BRING_FORWARD_DAYS days the cards
whose predicted recall on the day would fall below PLAN_TARGET (0.95) are brought forward.  With
the target equal to FSRS's own retention (0.9), bringing forward does nothing: every card not due
before the interview is predicted at or above 0.9 by construction.

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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from interviewprep.models import CardState, Phase, Rating, from_iso, to_iso
from interviewprep.srs.scheduler import DEFAULT_RETENTION, Scheduler

PLAN_TARGET = 0.95  # recall to reach on the interview day
PLAN_RETENTION = 0.80  # FSRS desired retention for everyday scheduling while a plan runs
LEARN_LEAD_DAYS = 7  # every selected card is learned at least this many days before the interview
BRING_FORWARD_DAYS = 7  # at-risk cards are brought forward in this many days before the interview
SECONDS_PER_REVIEW = 20.0
SECONDS_PER_NEW = 60.0
MAX_REVIEWS_PER_CARD = 200  # guard against a scheduler that never moves a card past the date


@dataclass(frozen=True)
class Plan:
    """The user's commitment: these cards, ready by this date, in this many minutes a day."""

    card_ids: tuple[str, ...]
    interview: date
    minutes_per_day: float
    created: datetime
    target: float = PLAN_TARGET
    retention: float = PLAN_RETENTION

    def __post_init__(self):
        if not 0.0 < self.target < 1.0:
            raise ValueError(f"target recall {self.target} must be between 0 and 1")
        if not 0.7 <= self.retention <= 0.99:
            raise ValueError(f"everyday retention {self.retention} must be between 0.70 and 0.99")
        if self.minutes_per_day <= 0:
            raise ValueError("minutes per day must be positive")
        if isinstance(self.interview, datetime):  # a datetime is a date too; keep only the day
            object.__setattr__(self, "interview", self.interview.date())
        object.__setattr__(self, "card_ids", tuple(self.card_ids))

    def to_dict(self) -> dict:
        return {
            "card_ids": list(self.card_ids),
            "interview": self.interview.isoformat(),
            "minutes_per_day": self.minutes_per_day,
            "target": self.target,
            "retention": self.retention,
            "created": to_iso(self.created),
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
        )


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


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def _moment(day: date | datetime) -> datetime:
    return day.astimezone(timezone.utc) if isinstance(day, datetime) else day_start(day)


def new_card_quota(plan: Plan, n_new_left: int, today: date) -> int:
    """New cards to learn today so the rest are all learned LEARN_LEAD_DAYS before the interview.

    An even spread over the days left (today and the last learning day included), rounded up; past
    that last day every remaining card is due today -- late is better than never.
    """
    if n_new_left <= 0:
        return 0
    last = plan.interview - timedelta(days=LEARN_LEAD_DAYS)
    days_left = (last - today).days + 1
    return n_new_left if days_left <= 0 else math.ceil(n_new_left / days_left)


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


def largest_fitting_selection(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler,
                              today: date) -> tuple[str, ...]:
    """The longest prefix of the plan's cards (its order is the priority) whose forecast fits.

    Binary search over the prefix length: more cards almost never make a day lighter (they add
    reviews; they can only shift when earlier new cards enter), and the prefix returned is always
    one that was checked to fit, so the answer is safe even where it is not the very longest.
    """
    ids = plan.card_ids
    lo, hi = 0, len(ids)  # the prefix of length lo always fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits_budget(plan, expected_daily_load(plan, states, scheduler, today, ids[:mid])):
            lo = mid
        else:
            hi = mid - 1
    return ids[:lo]


def at_risk(states: Iterable[CardState] | Mapping[str, CardState], scheduler: Scheduler,
            interview_day: date | datetime, target: float = DEFAULT_RETENTION) -> list[tuple[str, float]]:
    """(card id, predicted recall) for seen cards that would be below `target` on the interview day
    if not reviewed again, lowest recall first -- the cards to bring forward in the last days."""
    values = states.values() if isinstance(states, Mapping) else states
    moment = _moment(interview_day)
    risky = [(s.card_id, float(scheduler.retrievability(s, moment))) for s in values]
    return sorted(((c, r) for c, r in risky if r < target), key=lambda item: (item[1], item[0]))


def bring_forward(states: Mapping[str, CardState], scheduler: Scheduler, interview_day: date, today: date,
                  target: float = DEFAULT_RETENTION) -> list[tuple[str, float]]:
    """Today's share of the at-risk cards to review ahead of schedule, most at risk first.

    Only in the last BRING_FORWARD_DAYS days, and only cards not due again before the interview:
    a card due before it will be reviewed anyway, and reviewing it earlier than its due date only
    shortens the spacing.  The rest are spread evenly over the days left (rounded up), so a missed
    day does not pile up on the eve, and cards reviewed today drop out of tomorrow's list.
    """
    days_left = (interview_day - today).days
    if not 0 < days_left <= BRING_FORWARD_DAYS:
        return []
    end = day_start(interview_day)
    waiting = [s for s in states.values() if s.phase == Phase.REVIEW and s.due >= end]
    risky = at_risk(waiting, scheduler, end, target)
    return risky[: math.ceil(len(risky) / days_left)]


def recall_forecast(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler, today: date) -> Forecast:
    """Predicted recall of the plan's cards, day by day if idle, and on the interview day if kept up."""
    seen = {c: states[c] for c in plan.card_ids if c in states}
    n = len(plan.card_ids) or 1

    def mean_recall(cards: Mapping[str, CardState], moment: datetime) -> float:
        return sum(scheduler.retrievability(s, moment) for s in cards.values()) / n

    span = max(0, (plan.interview - today).days)
    idle = [(d, mean_recall(seen, day_start(d))) for d in (today + timedelta(days=i) for i in range(span + 1))]
    _, final = _follow(plan, seen, scheduler, today)
    end = day_start(plan.interview)
    return Forecast(
        idle=idle,
        interview_idle=mean_recall(seen, end),
        interview_kept_up=mean_recall(final, end),
        at_risk=at_risk(seen, scheduler, plan.interview, plan.target),
        unseen=len(plan.card_ids) - len(seen),
    )
