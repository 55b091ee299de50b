"""Scheduling: (card state, rating, now) -> new card state.

Our own small interface in front of the `fsrs` package, so the rest of the program never touches
fsrs types and another algorithm (SM-2, Leitner) can be plugged in and compared. Time is always an
argument (aware UTC datetimes); nothing here reads the clock, so schedules are reproducible.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol

from interviewprep.models import CardState, Phase, Rating

DEFAULT_RETENTION = 0.9


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
        if not 0.7 <= desired_retention <= 0.99:
            from interviewprep.errors import UsageError

            raise UsageError(f"desired retention {desired_retention} is outside 0.70-0.99")
        import fsrs  # imported here: commands that only read (next, list, --help) never pay for it

        self._fsrs = fsrs
        kwargs = {"desired_retention": desired_retention, "enable_fuzzing": fuzz}
        if parameters is not None:
            kwargs["parameters"] = tuple(parameters)
        self._scheduler = fsrs.Scheduler(**kwargs)

    def review(self, state: CardState | None, card_id: str, rating: Rating, now: datetime) -> CardState:
        now = _utc(now)
        card = self._to_fsrs(state, now)
        new, _ = self._scheduler.review_card(card, self._fsrs.Rating(int(rating)), review_datetime=now)
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
        if state is None or state.last_review is None:
            return 0.0
        return float(self._scheduler.get_card_retrievability(self._to_fsrs(state, now), _utc(now)))

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
