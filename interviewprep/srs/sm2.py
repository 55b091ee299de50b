"""SM-2 as Anki applied it before FSRS, behind the same `Scheduler` protocol as FSRS.

Why: to compare FSRS with what most flash-card users ran for fifteen years, on the same reviews.
The rules follow Anki's v2/v3 scheduler with default deck options (no fuzz, no "interval modifier"):

Learning (a new card; steps 1 min, 10 min)
    Again -> step 0 (1 min).  Hard -> stay on the step; on the first step wait the mean of the first
    two steps (5.5 min), on the last step repeat it (10 min).  Good -> next step, or after the last
    step graduate with the graduating interval (1 d).  Easy -> graduate at once with the easy
    interval (4 d).  The ease is set to 250% at graduation; learning ratings do not change it.

Review (interval I days, ease E, L = whole days late, 0 when on time or early)
    Hard = max(I * 1.2,               I + 1)
    Good = max((I + L/2) * E,          Hard + 1)
    Easy = max((I + L) * E * 1.3,      Good + 1)      (1.3 is Anki's "easy bonus")
    each rounded to whole days (half up, as Anki's v3 scheduler rounds) and capped at Anki's maximum
    interval of 36500 d (where all three meet); the interval uses the ease
    *before* this rating, then the ease moves: Hard -0.15, Easy +0.15, Good unchanged.
    Again -> lapse: ease -0.20, lapses + 1, relearning step 10 min, and the interval the card will
    return with is max(1 d, I * 0%) = 1 d ("new interval" 0%, "minimum interval" 1 d).
    The ease never goes below 1.30.  A review before the due date counts as on time (L = 0), as
    Anki v2 did outside filtered decks.

Relearning (one step, 10 min)
    Again -> 10 min again.  Hard -> 15 min (1.5 x the only step).  Good -> back to review with
    the post-lapse interval.  Easy -> back to review with the post-lapse interval + 1 d.

Mapping onto CardState (frozen, shared with FSRS): `difficulty` holds the ease as a factor (2.5),
`stability` the current interval in days (for a relearning card, the interval it will return
with; None while a new card is learning), `step` the learning-step index.  Stability is not an
FSRS stability here: states are per algorithm, and switching algorithms needs a fresh store.

SM-2 has no memory model, so `retrievability` is a convention, not a prediction: an exponential
curve that is 90% when the card is due, R = 0.9 ** (elapsed / scheduled interval) -- what SM-2's
intervals aim for.  Use FSRS for real predictions.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from interviewprep.models import CardState, Phase, Rating
from interviewprep.srs.scheduler import _utc

LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
GRADUATING_DAYS = 1
EASY_DAYS = 4
START_EASE = 2.5
MIN_EASE = 1.3
HARD_FACTOR = 1.2
EASY_BONUS = 1.3
LAPSE_NEW_INTERVAL = 0.0  # Anki's "new interval" after a lapse, as a share of the old interval
MIN_INTERVAL_DAYS = 1
MAX_INTERVAL_DAYS = 36500
EASE_DELTA = {Rating.AGAIN: -0.20, Rating.HARD: -0.15, Rating.GOOD: 0.0, Rating.EASY: 0.15}
DAY = timedelta(days=1)


def _round_days(days: float) -> int:
    """Half up, like Rust's f32::round in Anki's v3 scheduler (Python's round() is half-even)."""
    return int(math.floor(days + 0.5))


def _hard_step_delay(steps: tuple[timedelta, ...], step: int) -> timedelta:
    """Hard in (re)learning: mean of this step and the next, or 1.5 x a lone step, else repeat."""
    if len(steps) == 1:
        return steps[0] * 1.5
    if step + 1 < len(steps):
        return (steps[step] + steps[step + 1]) / 2
    return steps[step]


class SM2Scheduler:
    """Anki's SM-2 with default options; pure: the same (state, rating, now) gives the same result."""

    name = "sm2"

    def review(self, state: CardState | None, card_id: str, rating: Rating, now: datetime) -> CardState:
        now = _utc(now)
        rating = Rating(rating)
        reps = (state.reps if state else 0) + 1
        lapses = state.lapses if state else 0
        if state is None or state.phase == Phase.LEARNING:
            step = (state.step or 0) if state else 0
            ease = state.difficulty if state and state.difficulty else START_EASE
            return self._learning(card_id, Phase.LEARNING, LEARNING_STEPS, step, ease, None,
                                  rating, now, lapses, reps)
        if state.phase == Phase.RELEARNING:
            return self._learning(card_id, Phase.RELEARNING, RELEARNING_STEPS, state.step or 0, state.difficulty,
                                  state.stability, rating, now, lapses, reps)
        return self._review(state, card_id, rating, now, reps)

    def _learning(self, card_id, phase, steps, step, ease, lapse_ivl, rating, now, lapses, reps) -> CardState:
        """New (LEARNING) and lapsed (RELEARNING) cards walk their steps; graduating ends in review."""
        step = min(step, len(steps) - 1)
        if rating == Rating.AGAIN:
            return CardState(card_id, phase, now + steps[0], 0, lapse_ivl, ease, now, lapses, reps)
        if rating == Rating.HARD:
            return CardState(card_id, phase, now + _hard_step_delay(steps, step), step, lapse_ivl, ease, now,
                             lapses, reps)
        if rating == Rating.GOOD and step + 1 < len(steps):
            return CardState(card_id, phase, now + steps[step + 1], step + 1, lapse_ivl, ease, now, lapses, reps)
        if phase == Phase.LEARNING:
            days = GRADUATING_DAYS if rating == Rating.GOOD else EASY_DAYS
        else:
            days = int(lapse_ivl or MIN_INTERVAL_DAYS) + (1 if rating == Rating.EASY else 0)
        return CardState(card_id, Phase.REVIEW, now + days * DAY, None, float(days), ease, now, lapses, reps)

    def _review(self, state: CardState, card_id: str, rating: Rating, now: datetime, reps: int) -> CardState:
        ivl = float(state.stability or GRADUATING_DAYS)
        ease = float(state.difficulty or START_EASE)
        new_ease = max(MIN_EASE, ease + EASE_DELTA[rating])
        if rating == Rating.AGAIN:
            lapse_ivl = float(max(MIN_INTERVAL_DAYS, int(ivl * LAPSE_NEW_INTERVAL)))
            return CardState(card_id, Phase.RELEARNING, now + RELEARNING_STEPS[0], 0, lapse_ivl, new_ease, now,
                             state.lapses + 1, reps)
        days = self.review_intervals(ivl, ease, days_late(state, now))[rating]
        return CardState(card_id, Phase.REVIEW, now + days * DAY, None, float(days), new_ease, now,
                         state.lapses, reps)

    @staticmethod
    def review_intervals(ivl: float, ease: float, late: int) -> dict[Rating, int]:
        """Whole-day intervals for Hard, Good and Easy on a review card (formulas in the module doc)."""
        hard = max(_round_days(ivl * HARD_FACTOR), _round_days(ivl) + 1)
        good = max(_round_days((ivl + late / 2) * ease), hard + 1)
        easy = max(_round_days((ivl + late) * ease * EASY_BONUS), good + 1)
        return {r: min(days, MAX_INTERVAL_DAYS) for r, days in ((Rating.HARD, hard), (Rating.GOOD, good),
                                                                (Rating.EASY, easy))}

    def retrievability(self, state: CardState | None, now: datetime) -> float:
        return conventional_retrievability(state, now)


def days_late(state: CardState, now: datetime) -> int:
    """Whole days past the due date (0 when on time or early)."""
    return max(0, (_utc(now) - state.due) // DAY)


def conventional_retrievability(state: CardState | None, now: datetime) -> float:
    """0.9 ** (elapsed / scheduled): 90% at the due date; for algorithms without a memory model."""
    if state is None or state.last_review is None:
        return 0.0
    scheduled = (state.due - state.last_review).total_seconds()
    elapsed = max(0.0, (_utc(now) - state.last_review).total_seconds())
    if scheduled <= 0:
        return 0.9
    return float(0.9 ** (elapsed / scheduled))
