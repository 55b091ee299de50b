"""A quiz session as a state machine: which card next, rate it, undo, skip, summarize.

No terminal here: the quiz loop (cli/quiz.py) asks `next_card(now)`, shows it, and calls `rate`. Order:
learning cards whose step is due, then due reviews (most overdue first), then new cards; when
nothing else is left, learning cards due within `learn_ahead` are shown early (as Anki does), so a
session ends with the day's cards graduated or moved to a later day. Every rating is committed to
the store before `rate` returns.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from interviewprep.bank.loader import origin
from interviewprep.models import Card, CardState, Phase, Rating, Review
from interviewprep.srs.scheduler import Scheduler
from interviewprep.store.db import Store

LEARN_AHEAD = timedelta(minutes=20)


@dataclass
class Rated:
    """What the session remembers of one rating, so it can be undone."""

    card: Card
    review: Review  # as recorded, with its id: undo removes exactly this row
    rating: Rating
    new_state: CardState
    was_learning: datetime | None  # the card's place in the learning queue before, if any


@dataclass
class Summary:
    reviewed: int
    again: int
    retention: float | None  # share of ratings that were not Again
    next_due: datetime | None
    skipped: int
    ratings: dict = field(default_factory=dict)


class Session:
    def __init__(self, cards: list[Card], store: Store, scheduler: Scheduler, now: datetime,
                 new_limit: int = 10, limit: int | None = None, learn_ahead: timedelta = LEARN_AHEAD,
                 bring_forward: list[str] = (), new_from: set[str] | None = None):
        """`bring_forward`: card ids to review after the due ones though not yet due (an interview
        plan's at-risk cards); `new_from`: only these ids may be introduced as new cards."""
        self.store = store
        self.scheduler = scheduler
        self.learn_ahead = learn_ahead
        self.cards = {c.id: c for c in cards}
        self.states: dict[str, CardState] = {}
        due = store.due(now, card_ids=set(self.cards))
        due_ids = {s.card_id for s in due}
        due += [s for s in (store.state(cid) for cid in bring_forward if cid in self.cards and cid not in due_ids) if s]
        seen = store.seen_ids()
        new = [c for c in cards if c.id not in seen and (new_from is None or c.id in new_from)][: max(0, new_limit)]
        if limit is not None:
            due = due[:limit]
            new = new[: max(0, limit - len(due))]
        for s in due:
            self.states[s.card_id] = s
        self.due_queue = deque(self.cards[s.card_id] for s in due)
        self.new_queue = deque(new)
        self.learning: dict[str, datetime] = {}
        self.front: deque[Card] = deque()  # cards put back by undo
        self.done: list[Rated] = []
        self.skipped = 0

    # -- the queue -----------------------------------------------------------------------------

    def next_card(self, now: datetime) -> Card | None:
        if self.front:
            return self.front[0]
        ready = self._learning_due_by(now)
        if ready:
            return ready
        if self.due_queue:
            return self.due_queue[0]
        if self.new_queue:
            return self.new_queue[0]
        return self._learning_due_by(now + self.learn_ahead)

    def remaining(self) -> int:
        return len(self.front) + len(self.due_queue) + len(self.new_queue) + len(self.learning)

    def _learning_due_by(self, moment: datetime) -> Card | None:
        if not self.learning:
            return None
        card_id, due = min(self.learning.items(), key=lambda item: item[1])
        return self.cards[card_id] if due <= moment else None

    def _take(self, card: Card) -> datetime | None:
        """Remove `card` from whichever queue holds it; returns its learning due time if it had one."""
        if self.front and self.front[0].id == card.id:
            self.front.popleft()
        elif self.due_queue and self.due_queue[0].id == card.id:
            self.due_queue.popleft()
        elif self.new_queue and self.new_queue[0].id == card.id:
            self.new_queue.popleft()
        return self.learning.pop(card.id, None)

    # -- actions -------------------------------------------------------------------------------

    def rate(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None) -> CardState:
        """Schedule and commit one rating; the card returns this session while it is learning."""
        before = self.states.get(card.id) or self.store.state(card.id)
        new_state = self.scheduler.review(before, card.id, rating, now)
        review = Review(card.id, rating, now, duration_ms)
        review_id = self.store.record(review, new_state, before, origin=origin(card.path))
        was_learning = self._take(card)
        self.states[card.id] = new_state
        if new_state.phase in (Phase.LEARNING, Phase.RELEARNING):
            self.learning[card.id] = new_state.due
        self.done.append(Rated(card, replace(review, id=review_id), rating, new_state, was_learning))
        return new_state

    def undo(self) -> Card | None:
        """Take back the last rating (in the store too); that card is shown next."""
        if not self.done:
            return None
        last = self.done.pop()
        self.store.undo(last.review)
        self.learning.pop(last.card.id, None)
        if last.was_learning is not None:
            self.learning[last.card.id] = last.was_learning
        restored = self.store.state(last.card.id)
        if restored is None:
            self.states.pop(last.card.id, None)
        else:
            self.states[last.card.id] = restored
        self.front.appendleft(last.card)
        return last.card

    def skip(self, card: Card) -> None:
        """Leave `card` out of the rest of this session, unrated."""
        self._take(card)
        self.skipped += 1

    def summary(self, now: datetime) -> Summary:
        ratings = {r: sum(1 for d in self.done if d.rating == r) for r in Rating}
        reviewed = len(self.done)
        again = ratings[Rating.AGAIN]
        return Summary(
            reviewed=reviewed,
            again=again,
            retention=(reviewed - again) / reviewed if reviewed else None,
            next_due=self.store.next_due_after(now, set(self.cards)),
            skipped=self.skipped,
            ratings=ratings,
        )
