"""SM-2 (Anki's defaults): hand-worked sequences for fixed dates, and invariants over any history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.models import CardState, Phase, Rating
from interviewprep.srs.sm2 import MAX_INTERVAL_DAYS, MIN_EASE, SM2Scheduler

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
SM2 = SM2Scheduler()
DAY = timedelta(days=1)


def test_hand_worked_sequence_on_time_and_late():
    s = SM2.review(None, "c", Rating.GOOD, T0)  # step 0 -> step 1
    assert (s.phase, s.step, s.due - T0) == (Phase.LEARNING, 1, timedelta(minutes=10))
    s = SM2.review(s, "c", Rating.GOOD, s.due)  # last step -> graduating interval 1 d, ease 250%
    assert (s.phase, s.stability, s.difficulty) == (Phase.REVIEW, 1.0, 2.5)
    # (interval, rating) -> expected days; every review exactly on time (L = 0):
    #   I=1  Good: Hard=max(1.2->1, 1+1)=2, Good=max(1*2.5=2.5->3 (half up), 2+1)=3        -> 3
    #   I=3  Good: Hard=max(3.6->4, 4)=4,   Good=max(7.5->8, 5)=8                            -> 8
    #   I=8  Good: Hard=max(9.6->10, 9)=10, Good=20                                          -> 20
    #   I=20 Hard: Hard=max(24, 21)=24; ease 2.5-0.15=2.35                                   -> 24
    #   I=24 Easy (ease 2.35): Good=56.4->56, Easy=24*2.35*1.3=73.32->73; ease back to 2.50   -> 73
    for rating, days, ease in [(Rating.GOOD, 3, 2.5), (Rating.GOOD, 8, 2.5), (Rating.GOOD, 20, 2.5),
                               (Rating.HARD, 24, 2.35), (Rating.EASY, 73, 2.5)]:
        now = s.due
        s = SM2.review(s, "c", rating, now)
        assert s.due - now == days * DAY and s.stability == days
        assert abs(s.difficulty - ease) < 1e-9
    # Lapse: relearning 10 min, ease 2.5-0.2=2.3, new interval max(1 d, 73 * 0%) = 1 d
    now = s.due
    s = SM2.review(s, "c", Rating.AGAIN, now)
    assert (s.phase, s.due - now, s.stability, s.lapses) == (Phase.RELEARNING, timedelta(minutes=10), 1.0, 1)
    assert abs(s.difficulty - 2.3) < 1e-9
    s = SM2.review(s, "c", Rating.GOOD, s.due)
    assert (s.phase, s.stability) == (Phase.REVIEW, 1.0)
    # Five days late, I=1, E=2.3, L=5:
    #   Hard=max(1.2->1, 2)=2; Good=max((1+5/2)*2.3=8.05->8, 3)=8; Easy=max((1+5)*2.3*1.3=17.94->18, 9)=18
    late = s.due + 5 * DAY + timedelta(hours=3)
    gaps = {r: (SM2.review(s, "c", r, late).due - late) for r in (Rating.HARD, Rating.GOOD, Rating.EASY)}
    assert gaps == {Rating.HARD: 2 * DAY, Rating.GOOD: 8 * DAY, Rating.EASY: 18 * DAY}
    assert s.reps == 9


def test_learning_and_relearning_steps():
    assert SM2.review(None, "c", Rating.AGAIN, T0).due - T0 == timedelta(minutes=1)
    hard = SM2.review(None, "c", Rating.HARD, T0)  # mean of 1 and 10 min
    assert (hard.due - T0, hard.step) == (timedelta(minutes=5, seconds=30), 0)
    on_last = SM2.review(SM2.review(None, "c", Rating.GOOD, T0), "c", Rating.HARD, T0 + timedelta(minutes=10))
    assert on_last.due - (T0 + timedelta(minutes=10)) == timedelta(minutes=10)  # the last step repeats
    easy = SM2.review(None, "c", Rating.EASY, T0)
    assert (easy.phase, easy.due - T0, easy.difficulty) == (Phase.REVIEW, 4 * DAY, 2.5)
    lapsed = CardState("c", Phase.RELEARNING, T0, 0, 1.0, 2.3, T0 - timedelta(minutes=10), 1, 5)
    assert SM2.review(lapsed, "c", Rating.HARD, T0).due - T0 == timedelta(minutes=15)
    assert SM2.review(lapsed, "c", Rating.EASY, T0).due - T0 == 2 * DAY
    assert SM2.review(lapsed, "c", Rating.AGAIN, T0).lapses == 1  # a miss while relearning is no new lapse


def test_ease_floor():
    s = CardState("c", Phase.REVIEW, T0, None, 10.0, 1.4, T0 - 10 * DAY, 0, 3)
    assert SM2.review(s, "c", Rating.HARD, T0).difficulty == MIN_EASE
    assert SM2.review(s, "c", Rating.AGAIN, T0).difficulty == MIN_EASE


def test_retrievability_convention():
    s = SM2.review(SM2.review(None, "c", Rating.GOOD, T0), "c", Rating.GOOD, T0 + timedelta(minutes=10))
    assert SM2.retrievability(None, T0) == 0.0
    assert abs(SM2.retrievability(s, s.due) - 0.9) < 1e-9
    assert SM2.retrievability(s, s.due + DAY) < 0.9 < SM2.retrievability(s, s.last_review + DAY / 2)


histories = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.floats(min_value=-3 * 86400, max_value=200 * 86400)),
    min_size=1, max_size=15,
)


def replay(history):
    """Rate a new card through (rating, seconds after it was due; negative = early) pairs."""
    state, now = None, T0
    for rating, offset in history:
        now = max(now, (state.due if state else now) + timedelta(seconds=offset))
        state = SM2.review(state, "c", rating, now)
    return state, now


@settings(max_examples=300, deadline=None)
@given(history=histories)
def test_invariants_over_any_history(history):
    state, now = replay(history)
    assert state.due >= now
    assert state.reps == len(history)
    if state.difficulty is not None:
        assert state.difficulty >= MIN_EASE - 1e-9
    assert 0.0 <= SM2.retrievability(state, now) <= 1.0


@settings(max_examples=300, deadline=None)
@given(history=histories, late=st.floats(min_value=0, max_value=90 * 86400))
def test_review_card_intervals_order_again_hard_good_easy(history, late):
    state, _ = replay(history + [(Rating.EASY, 0.0)])
    assert state.phase == Phase.REVIEW
    when = state.due + timedelta(seconds=late)
    gaps = {r: SM2.review(state, "c", r, when).due - when for r in Rating}
    assert gaps[Rating.AGAIN] < gaps[Rating.HARD] <= gaps[Rating.GOOD] <= gaps[Rating.EASY]
    if gaps[Rating.EASY] < MAX_INTERVAL_DAYS * DAY:  # below the cap each is at least the previous + 1 d
        assert gaps[Rating.HARD] < gaps[Rating.GOOD] < gaps[Rating.EASY]
