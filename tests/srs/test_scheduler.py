"""The FSRS wrapper: invariants over any history, and pinned sequences for fixed dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.models import Phase, Rating
from interviewprep.srs.scheduler import FSRSScheduler, describe_interval

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
NO_FUZZ = FSRSScheduler(fuzz=False)
FUZZ = FSRSScheduler(fuzz=True)

histories = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.floats(min_value=0, max_value=200 * 86400)),
    min_size=1, max_size=12,
)


def replay(scheduler, history):
    """Rate a new card through `history` ((rating, seconds after it was due) pairs)."""
    state, now = None, T0
    for rating, late in history:
        now = (state.due if state else now) + timedelta(seconds=late)
        state = scheduler.review(state, "c", rating, now)
    return state, now


@settings(max_examples=200, deadline=None)
@given(history=histories)
def test_due_is_never_before_the_review(history):
    for scheduler in (NO_FUZZ, FUZZ):
        state, now = replay(scheduler, history)
        assert state.due >= now
        assert state.reps == len(history)
        assert 0.0 <= scheduler.retrievability(state, now) <= 1.0


@settings(max_examples=200, deadline=None)
@given(history=histories, late=st.floats(min_value=0, max_value=60 * 86400))
def test_review_card_intervals_order_again_hard_good_easy(history, late):
    state, now = replay(NO_FUZZ, history + [(Rating.GOOD, 0.0)] * 3)
    if state.phase != Phase.REVIEW:
        return
    when = state.due + timedelta(seconds=late)
    gaps = {r: NO_FUZZ.review(state, "c", r, when).due - when for r in Rating}
    assert gaps[Rating.AGAIN] < gaps[Rating.HARD] <= gaps[Rating.GOOD] <= gaps[Rating.EASY]


def test_pinned_sequence_for_fixed_dates():
    """New card: Good, Good (graduates), then on-time Goods stretch the interval."""
    state = NO_FUZZ.review(None, "c", Rating.GOOD, T0)
    assert state.phase == Phase.LEARNING and state.due - T0 == timedelta(minutes=10)
    state = NO_FUZZ.review(state, "c", Rating.GOOD, state.due)
    assert state.phase == Phase.REVIEW
    intervals = []
    for _ in range(4):
        now = state.due
        state = NO_FUZZ.review(state, "c", Rating.GOOD, now)
        intervals.append((state.due - now).days)
    assert intervals == sorted(intervals) and intervals[0] < intervals[-1]
    again = NO_FUZZ.review(state, "c", Rating.AGAIN, state.due)
    assert again.phase == Phase.RELEARNING and again.lapses == 1
    assert again.due - state.due == timedelta(minutes=10)


def test_retention_changes_intervals():
    lax, strict = FSRSScheduler(0.8, fuzz=False), FSRSScheduler(0.95, fuzz=False)
    first_lax = lax.review(None, "c", Rating.EASY, T0)
    first_strict = strict.review(None, "c", Rating.EASY, T0)
    assert first_lax.due > first_strict.due


def test_describe_interval():
    assert describe_interval(timedelta(minutes=10)) == "10 min"
    assert describe_interval(timedelta(hours=5)) == "5 h"
    assert describe_interval(timedelta(days=4)) == "4 d"
    assert describe_interval(timedelta(days=90)) == "3.0 mo"


@settings(max_examples=100, deadline=None)
@given(history=histories, later=st.floats(min_value=0, max_value=400 * 86400))
def test_retrievability_equals_the_fsrs_package(history, later):
    import fsrs

    state, now = replay(NO_FUZZ, history)
    when = now + timedelta(seconds=later)
    card = fsrs.Card(card_id=0, state=fsrs.State(int(state.phase)), step=state.step, stability=state.stability,
                     difficulty=state.difficulty, due=state.due, last_review=state.last_review)
    expected = fsrs.Scheduler().get_card_retrievability(card, when)
    assert abs(NO_FUZZ.retrievability(state, when) - expected) < 1e-12


def test_default_decay_is_the_fsrs_packages():
    from fsrs.scheduler import DEFAULT_PARAMETERS

    from interviewprep.srs.scheduler import DEFAULT_DECAY

    assert DEFAULT_DECAY == DEFAULT_PARAMETERS[20]


def test_retrievability_with_fitted_parameters_equals_the_fsrs_package():
    import fsrs

    params = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    params[20] = 0.3
    mine = FSRSScheduler(parameters=params, fuzz=False)
    state = mine.review(None, "c", Rating.GOOD, T0)
    state = mine.review(state, "c", Rating.GOOD, state.due)
    when = state.due + timedelta(days=17)
    card = fsrs.Card(card_id=0, state=fsrs.State(int(state.phase)), step=state.step, stability=state.stability,
                     difficulty=state.difficulty, due=state.due, last_review=state.last_review)
    expected = fsrs.Scheduler(parameters=params).get_card_retrievability(card, when)
    assert abs(mine.retrievability(state, when) - expected) < 1e-12


def test_fsrs_interval_sequence_is_pinned_for_fixed_dates():
    """The exact schedule of one card reviewed on time, as py-fsrs pins its own: a change in the fsrs
    package's defaults or in how we call it shows here as a changed interval, not as a silent drift."""
    from datetime import datetime, timedelta, timezone

    from interviewprep.models import Phase, Rating
    from interviewprep.srs.scheduler import FSRSScheduler

    scheduler = FSRSScheduler(fuzz=False)
    now = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
    state, seen = None, []
    for rating in "GOOD GOOD GOOD GOOD AGAIN GOOD GOOD EASY HARD".split():
        state = scheduler.review(state, "c", Rating[rating], now)
        seen.append((state.phase, state.due - now))
        now = state.due
    minutes, days = timedelta(minutes=1), timedelta(days=1)
    assert seen == [(Phase.LEARNING, 10 * minutes), (Phase.REVIEW, 2 * days), (Phase.REVIEW, 11 * days),
                    (Phase.REVIEW, 46 * days), (Phase.RELEARNING, 10 * minutes), (Phase.REVIEW, 3 * days),
                    (Phase.REVIEW, 8 * days), (Phase.REVIEW, 28 * days), (Phase.REVIEW, 52 * days)]
