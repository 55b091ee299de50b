"""A Leitner-box scheduler, behind the same `Scheduler` protocol as FSRS and SM-2.

Why: the simplest spaced-repetition system there is (a card file with six boxes), kept as the floor
any cleverer algorithm has to beat.  Rules:

- Boxes 1-6 are reviewed every 1, 2, 4, 8, 16, 32 days.
- On a review card: Good moves the card up one box, Easy up two (both capped at box 6), Hard
  leaves it in its box (and waits that box's interval again), Again sends it back to box 1.
- Again shows the card once more 10 minutes later (phase RELEARNING, or LEARNING for a card never
  passed), as card-file apps do with a missed card, so a miss is repaired the same day and Again
  is always sooner than Hard.
- A new or missed card counts as being in "box 0": Hard or Good put it in box 1, Easy in box 2.
- Lateness is ignored: a card reviewed late moves exactly as one reviewed on time.

Mapping onto CardState: `stability` holds the interval of the card's box in days (the box is
derived from it), `step` is 0 while the card waits for its 10-minute retry; `difficulty` is unused.
`retrievability` is the same 90%-at-due convention as SM-2 (no memory model here).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from interviewprep.models import CardState, Phase, Rating
from interviewprep.srs.scheduler import _utc
from interviewprep.srs.sm2 import conventional_retrievability

BOX_DAYS = (1, 2, 4, 8, 16, 32)
RETRY = timedelta(minutes=10)
MOVE = {Rating.HARD: 0, Rating.GOOD: 1, Rating.EASY: 2}


def box_of(state: CardState | None) -> int:
    """1-6 for a card in review, 0 for a new card or one waiting for its retry after Again."""
    if state is None or state.phase != Phase.REVIEW or not state.stability:
        return 0
    days = round(state.stability)
    return BOX_DAYS.index(days) + 1 if days in BOX_DAYS else 1


class LeitnerScheduler:
    """Six boxes with doubling intervals; pure function of (state, rating, now)."""

    name = "leitner"

    def review(self, state: CardState | None, card_id: str, rating: Rating, now: datetime) -> CardState:
        now = _utc(now)
        rating = Rating(rating)
        reps = (state.reps if state else 0) + 1
        lapses = state.lapses if state else 0
        box = box_of(state)
        if rating == Rating.AGAIN:
            phase = Phase.RELEARNING if (box or (state is not None and state.phase == Phase.RELEARNING)) \
                else Phase.LEARNING
            return CardState(card_id, phase, now + RETRY, 0, None, None, now, lapses + (1 if box else 0), reps)
        box = min(len(BOX_DAYS), max(1, box + MOVE[rating]))
        days = BOX_DAYS[box - 1]
        return CardState(card_id, Phase.REVIEW, now + timedelta(days=days), None, float(days), None, now,
                         lapses, reps)

    def retrievability(self, state: CardState | None, now: datetime) -> float:
        return conventional_retrievability(state, now)
