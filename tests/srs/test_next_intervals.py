"""The interval each rating key shows: computed by the scheduler, and the one the rating then gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewprep.models import Phase, Rating
from interviewprep.srs.leitner import LeitnerScheduler
from interviewprep.srs.scheduler import FSRSScheduler, next_intervals, short_interval
from interviewprep.srs.session import Session
from interviewprep.srs.sm2 import SM2Scheduler
from interviewprep.store.db import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def test_a_new_card_under_fsrs_shows_the_learning_steps_and_a_day_scale_easy():
    shown = next_intervals(FSRSScheduler(fuzz=False), None, "c", T0)
    assert shown[Rating.AGAIN] == M and shown[Rating.GOOD] == 10 * M
    assert M < shown[Rating.HARD] < 10 * M  # FSRS's hard on step 0: between the first two steps
    assert shown[Rating.EASY] >= D
    assert [short_interval(shown[r]) for r in Rating][:3] == ["1m", "6m", "10m"]


@pytest.mark.parametrize("scheduler", [FSRSScheduler(fuzz=False), SM2Scheduler(), LeitnerScheduler()],
                         ids=lambda s: s.name)
def test_every_scheduler_previews_what_its_review_gives_and_easier_is_never_sooner(scheduler):
    state = None
    now = T0
    for rating in (Rating.GOOD, Rating.GOOD, Rating.GOOD):
        state = scheduler.review(state, "c", rating, now)
        now = state.due
    shown = next_intervals(scheduler, state, "c", now)
    for rating in Rating:
        assert shown[rating] == scheduler.review(state, "c", rating, now).due - now
    ordered = [shown[r] for r in Rating]
    assert ordered == sorted(ordered) and ordered[0] < ordered[-1]


@pytest.mark.parametrize("delta, text", [
    (timedelta(0), "1m"), (20 * timedelta(seconds=1), "1m"), (M, "1m"), (10 * M, "10m"), (59 * M, "59m"),
    (H, "1h"), (5 * H, "5h"), (23 * H, "23h"), (D, "1d"), (4 * D, "4d"), (30 * D, "30d"), (45 * D, "1.5mo"),
    (61 * D, "2mo"), (320 * D, "11mo"), (365 * D, "1y"), (800 * D, "2.2y"), (5000 * D, "14y"),
])
def test_short_interval(delta, text):
    assert short_interval(delta) == text


ratings = st.sampled_from(list(Rating))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(st.tuples(ratings, st.integers(0, 40 * 24 * 60)), min_size=0, max_size=6),
       rating=ratings, think=st.integers(0, 300))
def test_the_interval_shown_is_the_interval_applied_with_fuzz_on(cards, tmp_path_factory, history, rating, think):
    """Fuzz draws a random spread on every call: the session must apply the state it previewed."""
    store = Store.open(tmp_path_factory.mktemp("db"))
    try:
        session = Session(cards, store, FSRSScheduler(fuzz=True), T0, new_limit=1)
        card = session.next_card(T0)
        now = T0
        for past, minutes in history:
            session.rate(card, past, now)
            now += timedelta(minutes=minutes)
        shown = session.preview(card, now)
        rated_at = now + timedelta(seconds=think)  # the time spent reading the keys moves the due date along
        state = session.rate(card, rating, rated_at)
        assert state.due - rated_at == shown[rating]
        assert store.state(card.id) == state and state.last_review == rated_at
    finally:
        store.close()


def test_a_stale_preview_is_not_applied(cards, tmp_path):
    store = Store.open(tmp_path)
    session = Session(cards, store, FSRSScheduler(fuzz=False), T0, new_limit=1)
    card = session.next_card(T0)
    session.preview(card, T0)
    later = T0 + 2 * H  # the quiz was left open: the rating is scheduled afresh at its own time
    state = session.rate(card, Rating.GOOD, later)
    assert state.phase == Phase.LEARNING and state.due == later + 10 * M
