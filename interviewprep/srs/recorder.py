"""Rating a card, once for every caller: schedule it, log the review, store the new state, undo it.

The quiz (srs/session.py) and the mock interview (srs/interview.py) both rate cards; before this
module the interview built a whole quiz `Session` with empty queues just to reach `Session.rate`.
Now both go through `Recorder`, so a grade typed in an interview lands in the review log exactly as
one given in a quiz: the same scheduler, the same `Store.record` transaction (review row, new state
and the card's bank origin together), the same undo. Queues, counts and burying stay in the session.

A preview (`preview`) keeps the states behind the intervals it showed: `rate` applies the one for the
chosen rating, so the interval a key showed is the interval it gives, fuzz included.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from interviewprep.bank.loader import origin
from interviewprep.models import Card, CardState, Rating, Review
from interviewprep.srs.scheduler import Scheduler, next_states
from interviewprep.store.db import Store

PREVIEW_KEPT = timedelta(hours=1)  # a preview older than this is recomputed at the rating
STORED = object()  # `rate(before=STORED)`: read the card's state from the store


@dataclass(frozen=True)
class Recorded:
    """One committed rating: what `undo` needs to remove exactly it, and what the caller shows."""

    card: Card
    review: Review  # as recorded, with its id: undo removes exactly this row
    before: CardState | None  # None: the card was new
    after: CardState


class Recorder:
    """Rates cards of one store with one scheduler; every rating is committed before `rate` returns."""

    def __init__(self, store: Store, scheduler: Scheduler):
        self.store = store
        self.scheduler = scheduler
        self._preview: tuple[str, datetime, dict[Rating, CardState]] | None = None

    def preview(self, card: Card, now: datetime, before: CardState | None | object = STORED) -> dict[Rating, timedelta]:
        """The interval each rating would give `card` at `now`; kept for the `rate` that follows."""
        before = self.store.state(card.id) if before is STORED else before
        states = next_states(self.scheduler, before, card.id, now)
        self._preview = (card.id, now, states)
        return {rating: state.due - now for rating, state in states.items()}

    def _previewed(self, card: Card, rating: Rating, now: datetime) -> CardState | None:
        """The previewed state for `rating`, moved from the preview's moment to `now` (None: no fresh preview)."""
        if self._preview is None or self._preview[0] != card.id:
            return None
        _, then, states = self._preview
        if not timedelta(0) <= now - then <= PREVIEW_KEPT:
            return None
        state, shift = states[rating], now - then
        return replace(state, due=state.due + shift, last_review=now if state.last_review else None)

    def rate(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None,
             before: CardState | None | object = STORED) -> Recorded:
        """Schedule `rating` and commit the review and the new state in one store transaction.

        `before`: the card's state as the caller knows it (None: new); by default read from the store.
        """
        before = self.store.state(card.id) if before is STORED else before
        after = self._previewed(card, rating, now) or self.scheduler.review(before, card.id, rating, now)
        self._preview = None
        review = Review(card.id, rating, now, duration_ms)
        review_id = self.store.record(review, after, before, origin=origin(card.path))
        return Recorded(card, replace(review, id=review_id), before, after)

    def undo(self, done: Recorded) -> CardState | None:
        """Remove exactly this rating from the log and put the card back as it was; returns that state."""
        self.store.undo(done.review)
        return self.store.state(done.card.id)
