"""Scheduling: (card state, rating, now) -> new card state.

Our own small interface in front of the `fsrs` package, so the rest of the program never touches
fsrs types and another algorithm (SM-2, Leitner) can be plugged in and compared. Time is always an
argument (aware UTC datetimes); nothing here reads the clock, so schedules are reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Protocol

from interviewprep.models import CardState, Phase, Rating

DEFAULT_RETENTION = 0.9
DEFAULT_DECAY = 0.1542  # py-fsrs's default parameters[20]; tests/test_scheduler.py holds them equal


class Scheduler(Protocol):
    """What the session needs from any scheduling algorithm."""

    name: str

    def review(self, state: CardState | None, card_id: str, rating: Rating, now: datetime) -> CardState:
        """The card's state after being rated at `now`; `state` is None for a new card."""

    def retrievability(self, state: CardState | None, now: datetime) -> float:
        """Predicted probability of recall at `now` (0 for a card never reviewed)."""


class FSRSScheduler:
    """FSRS through the maintained `fsrs` package (py-fsrs)."""

    name = "fsrs"

    def __init__(self, desired_retention: float = DEFAULT_RETENTION, parameters=None, fuzz: bool = True):
        from interviewprep.models import retention_problem

        problem = retention_problem(desired_retention)
        if problem:
            from interviewprep.errors import UsageError

            raise UsageError(f"desired retention {desired_retention} {problem}")
        self.desired_retention = desired_retention
        self.parameters = tuple(parameters) if parameters is not None else None
        self.fuzz = fuzz
        # The forgetting curve's shape needs only the last parameter (the decay); predicting recall
        # (`prep stats`) therefore never imports fsrs, only rating a card does.
        self._decay = -(self.parameters[20] if self.parameters else DEFAULT_DECAY)
        self._factor = 0.9 ** (1 / self._decay) - 1
        self._scheduler = None

    @property
    def _fsrs(self):
        import fsrs  # imported here: commands that only read (next, list, stats, --help) never pay for it

        return fsrs

    def _engine(self):
        if self._scheduler is None:
            kwargs = {"desired_retention": self.desired_retention, "enable_fuzzing": self.fuzz}
            if self.parameters is not None:
                kwargs["parameters"] = self.parameters
            self._scheduler = self._fsrs.Scheduler(**kwargs)
        return self._scheduler

    def review(self, state: CardState | None, card_id: str, rating: Rating, now: datetime) -> CardState:
        now = _utc(now)
        card = self._to_fsrs(state, now)
        new, _ = self._engine().review_card(card, self._fsrs.Rating(int(rating)), review_datetime=now)
        lapses = (state.lapses if state else 0) + (
            1 if state is not None and state.phase == Phase.REVIEW and rating == Rating.AGAIN else 0
        )
        return CardState(
            card_id=card_id,
            phase=Phase(int(new.state)),
            due=new.due,
            step=new.step,
            stability=new.stability,
            difficulty=new.difficulty,
            last_review=new.last_review,
            lapses=lapses,
            reps=(state.reps if state else 0) + 1,
        )

    def retrievability(self, state: CardState | None, now: datetime) -> float:
        """FSRS's forgetting curve R = (1 + F·t/S)^(−decay), t in whole days since the last review.

        The same formula and constants as fsrs.Scheduler.get_card_retrievability (tests hold them
        equal), computed directly: `prep stats` evaluates it for every card, and building an
        fsrs.Card for each costs more than the arithmetic.
        """
        if state is None:
            return 0.0
        return self.recall(state.stability, state.last_review, now)

    def recall(self, stability: float | None, last_review: datetime | None, now: datetime) -> float:
        """The forgetting curve from its two inputs, for callers that never build a CardState."""
        if last_review is None or not stability:
            return 0.0
        elapsed = max(0, (_utc(now) - last_review).days)
        return (1 + self._factor * elapsed / stability) ** self._decay

    def recall_rows(self, states: Sequence[CardState | None], moments: Sequence[datetime]) -> list[list[float]]:
        """retrievability(state, moment) for every state at every moment, one row per moment.

        The same numbers as calling retrievability in a double loop, bit for bit (tests compare
        them), at a fraction of the cost: `prep plan --show` needs every card on every day until
        the interview (10,000 cards x 30 days), and per call the datetime arithmetic, not the
        curve, is what costs.  Whole days since the last review, `(now - last).days`, is
        floor((now - last) / day) on exact microseconds; with now = nd days + nr and last = ld
        days + lr (0 <= nr, lr < one day) that is nd - ld - (1 if nr < lr else 0), so each card
        needs one int subtraction per moment once `ld + (nr < lr)` is known for that time of day.
        """
        return self.recall_many([None if s is None else (s.stability, s.last_review) for s in states], moments)

    def recall_many(self, inputs: Sequence[tuple[float | None, datetime | None] | None],
                    moments: Sequence[datetime]) -> list[list[float]]:
        """recall(stability, last_review, moment) for every (stability, last_review) pair (or None:
        never reviewed, 0) at every moment, one row per moment; the method recall_rows describes."""
        inputs = [divmod(_micros(x[1]), _DAY_US) + (x[0],) if x is not None and x[1] is not None and x[0] else None
                  for x in inputs]
        factor, decay = self._factor, self._decay
        bases: dict[int, list] = {}  # time of day of the moment -> (ld + (nr < lr), stability) per card
        rows = []
        for moment in moments:
            nd, nr = divmod(_micros(_utc(moment)), _DAY_US)
            base = bases.get(nr)
            if base is None:
                base = bases[nr] = [None if x is None else (x[0] + (nr < x[1]), x[2]) for x in inputs]
            rows.append([0.0 if x is None else (1 + factor * (e if (e := nd - x[0]) > 0 else 0) / x[1]) ** decay
                         for x in base])
        return rows

    def _to_fsrs(self, state: CardState | None, now: datetime):
        if state is None:
            return self._fsrs.Card(card_id=0, due=now)
        return self._fsrs.Card(
            card_id=0,
            state=self._fsrs.State(int(state.phase)),
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due,
            last_review=state.last_review,
        )


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DAY_US = 86_400_000_000


def _micros(moment: datetime) -> int:
    """An aware instant as whole microseconds since the epoch (exact: timedelta is integer microseconds)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass times in UTC")
    return moment.astimezone(timezone.utc)


def describe_interval(delta: timedelta) -> str:
    """'10 min', '3 h', '4 d', '2.5 mo': how far away a due date is, for people."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 31:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30.44:.1f} mo"
    return f"{days / 365.25:.1f} y"


def next_states(scheduler: Scheduler, state: CardState | None, card_id: str, now: datetime) -> dict[Rating, CardState]:
    """What each rating at `now` would make of the card: the scheduler's own answer, once per rating.

    Any Scheduler works (FSRS, SM-2, Leitner). With fuzz on, FSRS draws a random spread each time it
    is asked, so a caller that shows these and then applies one must apply the state it showed
    (Session.preview / Session.rate do), not ask again.
    """
    return {rating: scheduler.review(state, card_id, rating, now) for rating in Rating}


def next_intervals(scheduler: Scheduler, state: CardState | None, card_id: str,
                   now: datetime) -> dict[Rating, timedelta]:
    """How long until the card is due again after each rating at `now` (the rating keys' labels)."""
    return {rating: new.due - now for rating, new in next_states(scheduler, state, card_id, now).items()}


def short_interval(delta: timedelta) -> str:
    """'1m', '10m', '3h', '4d', '2.5mo', '1.2y': an interval in the few columns a rating key has.

    Minutes below an hour, hours below a day, days below a month, months below a year; rounded,
    and never below 1m, so a step that is due 'now' still reads as a wait.
    """
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600 - 30:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400 - 1800:
        return f"{max(1, round(seconds / 3600))}h"
    days = seconds / 86400
    if days < 30.5:
        return f"{max(1, round(days))}d"
    if days < 350:  # from 11.5 months on, '1y' reads better than '12mo'
        months = days / 30.44
        return f"{months:.0f}mo" if months >= 10 else f"{months:.1f}mo".replace(".0mo", "mo")
    years = days / 365.25
    return f"{years:.0f}y" if years >= 10 else f"{years:.1f}y".replace(".0y", "y")


def recall_now(scheduler, store, now: datetime) -> dict[str, float]:
    """card id -> predicted recall at `now` for every card the store has seen.

    FSRS needs only each card's (stability, last review) (Store.memory, two columns) and computes every
    card in one pass (recall_many, the same numbers); any other scheduler is asked state by state.
    """
    many = getattr(scheduler, "recall_many", None)
    if many is None:
        return {cid: scheduler.retrievability(state, now) for cid, state in store.states().items()}
    memory = store.memory()
    return dict(zip(memory, many(list(memory.values()), [now])[0]))
