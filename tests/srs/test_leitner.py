"""Leitner boxes: a hand-worked walk through the boxes, and invariants over any history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.models import Phase, Rating
from interviewprep.srs.leitner import BOX_DAYS, LeitnerScheduler, box_of

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
L = LeitnerScheduler()
DAY = timedelta(days=1)


def test_hand_worked_walk_through_the_boxes():
    s = L.review(None, "c", Rating.GOOD, T0)  # box 0 -> 1
    assert (s.phase, box_of(s), s.due - T0) == (Phase.REVIEW, 1, DAY)
    # rating -> (box, days): Good 1->2 (2 d), Good 2->3 (4 d), Easy 3->5 (16 d), Easy 5->6 capped (32 d),
    # Good stays at 6 (32 d), Hard stays (32 d)
    for rating, box, days in [(Rating.GOOD, 2, 2), (Rating.GOOD, 3, 4), (Rating.EASY, 5, 16),
                              (Rating.EASY, 6, 32), (Rating.GOOD, 6, 32), (Rating.HARD, 6, 32)]:
        now = s.due + timedelta(days=3)  # lateness is ignored
        s = L.review(s, "c", rating, now)
        assert (box_of(s), s.due - now) == (box, days * DAY)
    now = s.due
    s = L.review(s, "c", Rating.AGAIN, now)  # back to the start, retried in 10 minutes
    assert (s.phase, box_of(s), s.due - now, s.lapses) == (Phase.RELEARNING, 0, timedelta(minutes=10), 1)
    s = L.review(s, "c", Rating.GOOD, s.due)
    assert (s.phase, box_of(s), s.lapses, s.reps) == (Phase.REVIEW, 1, 1, 9)


def test_new_cards():
    assert L.review(None, "c", Rating.EASY, T0).due - T0 == 2 * DAY
    assert L.review(None, "c", Rating.HARD, T0).due - T0 == DAY
    missed = L.review(None, "c", Rating.AGAIN, T0)
    assert (missed.phase, missed.lapses, missed.due - T0) == (Phase.LEARNING, 0, timedelta(minutes=10))


histories = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.floats(min_value=0, max_value=100 * 86400)),
    min_size=1, max_size=15,
)


@settings(max_examples=300, deadline=None)
@given(history=histories, late=st.floats(min_value=0, max_value=60 * 86400))
def test_invariants(history, late):
    state, now = None, T0
    for rating, offset in history:
        now = (state.due if state else now) + timedelta(seconds=offset)
        state = L.review(state, "c", rating, now)
        assert state.due >= now
        assert state.stability is None or state.stability in BOX_DAYS
    assert state.reps == len(history)
    state = L.review(state, "c", Rating.GOOD, state.due)
    when = state.due + timedelta(seconds=late)
    gaps = {r: L.review(state, "c", r, when).due - when for r in Rating}
    assert gaps[Rating.AGAIN] < gaps[Rating.HARD] <= gaps[Rating.GOOD] <= gaps[Rating.EASY]
