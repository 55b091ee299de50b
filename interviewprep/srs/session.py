"""A quiz session as a state machine: which card next, rate it, undo, skip, summarize.

No terminal here: the quiz loop (cli/quiz.py) asks `next_card(now)`, shows it, and calls `rate`. Order:
learning cards whose step is due, then due reviews (most overdue first), then new cards (before the
due reviews with `new_first`: an interview plan whose budget covers its cards); when
nothing else is left, learning cards due within `learn_ahead` are shown early (as Anki does), so a
session ends with the day's cards graduated or moved to a later day; `learn_ahead=0` shows no card
before its step is due. Buried and suspended cards (srs/marks.py) are left out; `review_limit` caps
the review cards (what is left of the daily limit, `reviews_left_today`). Rating, previewing and
undoing go through `srs.recorder.Recorder` (as the interview's grades do), so every rating is
committed to the store before `rate` returns; the session only moves the card between its queues.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from interviewprep.clock import start_of_day
from interviewprep.models import Card, CardState, Phase, Rating
from interviewprep.srs import marks
from interviewprep.srs.recorder import Recorded, Recorder
from interviewprep.srs.scheduler import Scheduler
from interviewprep.store.db import Store

LEARN_AHEAD = timedelta(minutes=20)
LEARNING_PHASES = (Phase.LEARNING, Phase.RELEARNING)


def reviews_left_today(store: Store, per_day: int, now: datetime) -> int:
    """Review cards still allowed today: the daily limit minus review cards answered since the study day began."""
    return max(0, per_day - store.reviewed_since(start_of_day(now)))


@dataclass(frozen=True)
class Counts:
    """The quiz counter, as Anki shows it: cards of this session still to answer, by kind.

    Separate counts, so rating a new card Again moves one from `new` to `learning` instead of
    growing a single total.
    """

    new: int
    learning: int
    review: int


@dataclass
class Rated:
    """What the session remembers of one rating, so it can be undone."""

    recorded: Recorded  # the committed rating (the recorder undoes exactly it)
    was_learning: datetime | None  # the card's place in the learning queue before, if any

    @property
    def card(self) -> Card:
        return self.recorded.card

    @property
    def rating(self) -> Rating:
        return self.recorded.review.rating


@dataclass
class Summary:
    reviewed: int
    again: int
    retention: float | None  # share of ratings that were not Again
    next_due: datetime | None
    skipped: int
    ratings: dict = field(default_factory=dict)
    buried: int = 0
    suspended: int = 0
    learning_left: int = 0  # still in learning steps when the session ended (not due within learn-ahead)


class Session:
    def __init__(self, cards: list[Card], store: Store, scheduler: Scheduler, now: datetime,
                 new_limit: int = 10, limit: int | None = None, learn_ahead: timedelta = LEARN_AHEAD,
                 bring_forward: list[str] = (), new_from: set[str] | None = None,
                 review_limit: int | None = None, new_first: bool = False):
        """`bring_forward`: card ids to review after the due ones though not yet due (an interview
        plan's at-risk cards); `new_from`: only these ids may be introduced as new cards;
        `review_limit`: at most this many due review cards (learning cards are never held back);
        `new_first`: new cards before due reviews (an interview plan whose budget covers them)."""
        self.new_first = new_first
        self.store = store
        self.scheduler = scheduler
        self.recorder = Recorder(store, scheduler)
        self.learn_ahead = learn_ahead
        held = store.held(now)
        self.cards = {c.id: c for c in cards if c.id not in held}
        self.states: dict[str, CardState] = {}
        due = store.due(now, card_ids=set(self.cards))
        self.over_limit = 0  # due review cards the daily limit leaves for another day
        if review_limit is not None:
            capped = _cap_reviews(due, review_limit)
            self.over_limit, due = len(due) - len(capped), capped
        due_ids = {s.card_id for s in due}
        due += [s for s in (store.state(cid) for cid in bring_forward if cid in self.cards and cid not in due_ids) if s]
        seen = store.seen_ids()
        new = [c for c in self.cards.values() if c.id not in seen and (new_from is None or c.id in new_from)]
        new = new[: max(0, new_limit)]
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
        self.set_aside = {"buried": 0, "suspended": 0}

    # -- the queue -----------------------------------------------------------------------------

    def next_card(self, now: datetime) -> Card | None:
        if self.front:
            return self.front[0]
        ready = self._learning_due_by(now)
        if ready:
            return ready
        if self.new_first and self.new_queue:
            return self.new_queue[0]
        if self.due_queue:
            return self.due_queue[0]
        if self.new_queue:
            return self.new_queue[0]
        return self._learning_due_by(now + self.learn_ahead)

    def remaining(self) -> int:
        return len(self.front) + len(self.due_queue) + len(self.new_queue) + len(self.learning)

    def counts(self) -> Counts:
        """Cards still to answer this session (the one on screen included), as new / learning / review."""
        ids = {c.id for c in (*self.front, *self.due_queue, *self.new_queue)} | set(self.learning)
        kinds = [self._kind(cid) for cid in ids]
        return Counts(kinds.count("new"), kinds.count("learning"), kinds.count("review"))

    def _kind(self, card_id: str) -> str:
        state = self.states.get(card_id)
        if state is None:
            return "new"
        return "learning" if state.phase in LEARNING_PHASES else "review"

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

    def preview(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give `card` at `now`; `rate` then gives exactly the one chosen."""
        return self.recorder.preview(card, now, before=self._before(card))

    def _before(self, card: Card) -> CardState | None:
        return self.states.get(card.id) or self.store.state(card.id)

    def rate(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None) -> CardState:
        """Schedule and commit one rating; the card returns this session while it is learning."""
        done = self.recorder.rate(card, rating, now, duration_ms, before=self._before(card))
        was_learning = self._take(card)
        self.states[card.id] = done.after
        if done.after.phase in LEARNING_PHASES:
            self.learning[card.id] = done.after.due
        self.done.append(Rated(done, was_learning))
        return done.after

    def undo(self) -> Card | None:
        """Take back the last rating (in the store too); that card is shown next."""
        if not self.done:
            return None
        last = self.done.pop()
        restored = self.recorder.undo(last.recorded)
        self.learning.pop(last.card.id, None)
        if last.was_learning is not None:
            self.learning[last.card.id] = last.was_learning
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

    def bury(self, card: Card, now: datetime) -> datetime:
        """Hide `card` until the next study day (stored) and take it out of this session; returns until when."""
        until = marks.bury(self.store, [card.id], now)
        self._take(card)
        self.set_aside["buried"] += 1
        return until

    def suspend(self, card: Card, now: datetime) -> None:
        """Hide `card` until `prep unsuspend` (stored) and take it out of this session."""
        marks.suspend(self.store, [card.id], now)
        self._take(card)
        self.set_aside["suspended"] += 1

    def flagged(self, card: Card) -> bool:
        found = self.store.marks().get(card.id)
        return found is not None and found.flagged_at is not None

    def toggle_flag(self, card: Card, now: datetime) -> bool:
        """Flag `card`, or unflag it if it was flagged; returns whether it is flagged now. It stays in the session."""
        on = not self.flagged(card)
        marks.flag(self.store, [card.id], now, on=on)
        return on

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
            buried=self.set_aside["buried"],
            suspended=self.set_aside["suspended"],
            learning_left=len(self.learning),
        )


def _cap_reviews(due: list[CardState], limit: int) -> list[CardState]:
    """The due states with at most `limit` in the review phase (the most overdue); learning ones all kept."""
    out, reviews = [], 0
    for state in due:
        if state.phase in LEARNING_PHASES:
            out.append(state)
        elif reviews < limit:
            out.append(state)
            reviews += 1
    return out
