"""A mock interview as plain state: which question next, the clocks, what each turn produced.

No terminal here (the loop is `quiz.run_interview`), and no clock either: every method takes `now`,
so a test drives a whole interview with a fake clock and never sleeps. Questions are drawn with a
seeded `random.Random` (not numpy: nothing here should make the CLI slow to start), weighted toward
weak cards, so that an interview spends its minutes where recall is worst. Self-grades go through
`srs.recorder.Recorder`, the same one the quiz session rates with: the same scheduler, review log
and store transaction as `prep quiz`. The Markdown report is written by export/interview_report.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from interviewprep.models import Card, CardState, Followup, Rating
from interviewprep.srs.recorder import Recorder
from interviewprep.srs.scheduler import recall_now

if TYPE_CHECKING:  # the key-point matcher compiles its patterns on import: only an answer needs it
    from interviewprep.bank.keypoints import Coverage

QUESTION_TIME = timedelta(minutes=3)


def weight(lapses: int | None, retrievability: float) -> float:
    """How much a card deserves interview time: forgotten, often lapsed and never-seen (lapses None) cards first."""
    if lapses is None:
        return 4.0
    return 0.25 + 3.0 * (1.0 - retrievability) + min(lapses, 5) * 0.75


def draw_order(cards: list[Card], weights: dict[str, float], seed: int | None) -> list[Card]:
    """A weighted random order without replacement (Efraimidis-Spirakis keys u^(1/w)); seeded."""
    rng = random.Random(seed)
    keyed = [(rng.random() ** (1.0 / max(weights.get(c.id, 1.0), 1e-6)), i) for i, c in enumerate(cards)]
    return [cards[i] for _, i in sorted(keyed, reverse=True)]


@dataclass
class Turn:
    """One question of the interview and everything the report needs about it."""

    card: Card
    asked_at: datetime
    answered_at: datetime | None = None
    answer: str = ""
    coverage: list[Coverage] = field(default_factory=list)
    rating: Rating | None = None
    followup: Followup | None = None
    followup_answer: str = ""

    @property
    def seconds(self) -> float:
        return (self.answered_at - self.asked_at).total_seconds() if self.answered_at else 0.0

    @property
    def hits(self) -> int:
        return sum(1 for c in self.coverage if c.hit)


class Interview:
    """The plan (a weighted order of cards), the two clocks, and the turns so far."""

    def __init__(self, cards: list[Card], recorder: Recorder, now: datetime, minutes: float = 20,
                 question_time: timedelta = QUESTION_TIME, seed: int | None = None, lang: str = "en",
                 weights: dict[str, float] | None = None):
        self.recorder = recorder
        self.lang = lang
        self.started = now
        self.ends = now + timedelta(minutes=minutes)
        self.question_time = question_time
        self.seed = seed
        self.rng = random.Random(seed)
        self.queue = draw_order(cards, weights or {}, seed)
        self.turns: list[Turn] = []
        self.quit = False

    @classmethod
    def plan(cls, cards: list[Card], recorder: Recorder, now: datetime, **kw) -> Interview:
        """Weights from the store's states and the scheduler's retrievability at `now`.

        Buried and suspended cards (held at `now`) are not drawn, as a quiz leaves them out."""
        held = recorder.store.held(now)
        cards = [c for c in cards if c.id not in held]
        lapses = recorder.store.lapses()  # two columns, not every card's whole state
        recall = recall_now(recorder.scheduler, recorder.store, now)
        weights = {card.id: weight(lapses.get(card.id), recall.get(card.id, 0.0)) for card in cards}
        return cls(cards, recorder, now, weights=weights, **kw)

    # -- clocks --------------------------------------------------------------------------------

    def session_left(self, now: datetime) -> timedelta:
        return max(self.ends - now, timedelta(0))

    def question_left(self, now: datetime) -> timedelta:
        if not self.turns:
            return self.question_time
        return max(self.turns[-1].asked_at + self.question_time - now, timedelta(0))

    def deadline(self) -> datetime:
        """When the current question's countdown (or the session's, if sooner) runs out."""
        return min(self.turns[-1].asked_at + self.question_time, self.ends)

    # -- the flow ------------------------------------------------------------------------------

    def next_question(self, now: datetime) -> Card | None:
        """The next card, or None when the time is up, the cards ran out or the candidate quit."""
        if self.quit or now >= self.ends or not self.queue:
            return None
        card = self.queue.pop(0)
        self.turns.append(Turn(card, now))
        return card

    def answer(self, text: str, now: datetime) -> list[Coverage]:
        """Record the typed answer (empty: skipped) and check it against the key points."""
        from interviewprep.bank.keypoints import card_points, cover

        turn = self.turns[-1]
        turn.answer = text.strip()
        turn.answered_at = now
        turn.coverage = cover(card_points(turn.card, self.lang), turn.answer)
        return turn.coverage

    def grade(self, rating: Rating, now: datetime) -> CardState:
        """The self-grade, committed to the review log with the time spent on the question."""
        turn = self.turns[-1]
        turn.rating = rating
        duration = int(turn.seconds * 1000) if turn.answered_at else None
        return self.recorder.rate(turn.card, rating, now, duration).after

    def followup(self) -> Followup | None:
        """One of the card's follow-ups, as the interviewer's next question (None when it has none)."""
        turn = self.turns[-1]
        if not turn.card.followups:
            return None
        turn.followup = self.rng.choice(turn.card.followups)
        return turn.followup

    def followup_answer(self, text: str) -> None:
        turn = self.turns[-1]
        turn.followup_answer = text.strip()

    def stop(self, now: datetime) -> None:
        """End early; a question left unanswered is dropped from the record."""
        self.quit = True
        if self.turns and self.turns[-1].answered_at is None:
            self.turns.pop()

    def over_time(self, turn: Turn) -> bool:
        grace = timedelta(seconds=1)  # a countdown that ran out is on time, not over
        return turn.answered_at is not None and turn.answered_at - turn.asked_at > self.question_time + grace


def score(turn: Turn) -> float:
    """0-1: the self-grade (Again 0 ... Easy 1) averaged with key-point coverage; ungraded counts 0."""
    grade = (int(turn.rating) - 1) / 3 if turn.rating else 0.0
    coverage = turn.hits / len(turn.coverage) if turn.coverage else 0.0
    return (grade + coverage) / 2


def summarize(interview: Interview, now: datetime) -> dict:
    """Everything the end-of-interview report shows, as plain data (rendered by render_learn)."""
    turns = interview.turns
    points = sum(len(t.coverage) for t in turns)
    hits = sum(t.hits for t in turns)
    topics: dict[str, list[float]] = {}
    for turn in turns:
        for topic in turn.card.tags or (turn.card.deck,):
            topics.setdefault(topic, []).append(score(turn))
    weakest = sorted(((sum(v) / len(v), len(v), k) for k, v in topics.items()), key=lambda x: (x[0], -x[1], x[2]))
    return {
        "started": interview.started,
        "ended": now,
        "minutes_planned": (interview.ends - interview.started).total_seconds() / 60,
        "seed": interview.seed,
        "lang": interview.lang,
        "questions": [
            {
                "card": t.card.id, "deck": t.card.deck, "question": t.card.question,
                "seconds": round(t.seconds), "over_time": interview.over_time(t),
                "answered": bool(t.answer), "hits": t.hits, "points": len(t.coverage),
                "missed": [c.point.text for c in t.coverage if not c.hit],
                "rating": t.rating.label if t.rating else None,
                "followup": t.followup.question if t.followup else None,
                "followup_answered": bool(t.followup_answer),
                "answer": t.answer, "followup_answer": t.followup_answer,
            }
            for t in turns
        ],
        "coverage": {"hit": hits, "total": points, "share": hits / points if points else None},
        "grades": {r.label: sum(1 for t in turns if t.rating == r) for r in Rating},
        "weakest_topics": [{"topic": k, "score": round(s, 2), "questions": n} for s, n, k in weakest[:5]],
    }
