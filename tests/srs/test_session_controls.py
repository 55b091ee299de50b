"""The quiz session's Anki controls against a real SQLite file: the three counts, the daily review
limit, learn-ahead 0, and buried / suspended cards left out of every picker."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from interviewprep.models import Phase, Rating
from interviewprep.srs import marks
from interviewprep.srs.interview import Interview
from interviewprep.srs.recorder import Recorder
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.srs.session import Counts, Session, reviews_left_today
from interviewprep.srs.stats import peek

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)  # noon UTC: mid study day in the test's time zone


@pytest.fixture(autouse=True)
def utc_day(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def session(cards, store, now=T0, **kw):
    return Session(cards, store, FSRSScheduler(fuzz=False), now, **kw)


def graduate(cards, store, ids, when):
    """Rate `ids` Easy at `when` so they are review cards, due some days later."""
    s = session(cards, store, when, new_limit=10)
    for card in cards:
        if card.id in ids:
            s.rate(card, Rating.EASY, when)


def test_counts_move_a_card_from_new_to_learning_instead_of_growing_a_total(cards, store):
    s = session(cards, store, new_limit=3)
    assert s.counts() == Counts(new=3, learning=0, review=0)
    s.rate(s.next_card(T0), Rating.AGAIN, T0)
    assert s.counts() == Counts(new=2, learning=1, review=0)
    s.rate(s.next_card(T0), Rating.EASY, T0)  # graduates: it leaves the session
    assert s.counts() == Counts(new=1, learning=1, review=0)
    s.undo()  # back on screen as new
    assert s.counts() == Counts(new=2, learning=1, review=0)


def test_counts_of_due_reviews_and_of_learning_cards_from_an_earlier_session(cards, store):
    graduate(cards, store, {"a-one", "a-two"}, T0 - timedelta(days=30))
    earlier = T0 - timedelta(minutes=30)
    first = session(cards, store, earlier, new_limit=0)
    lapsed = first.next_card(earlier)
    first.rate(lapsed, Rating.AGAIN, earlier)  # a review forgotten: relearning, its step due since
    s = session(cards, store, T0, new_limit=2)
    assert s.states[lapsed.id].phase == Phase.RELEARNING
    assert s.counts() == Counts(new=2, learning=1, review=1)


def test_the_daily_review_limit_counts_every_session_of_the_study_day(cards, store):
    graduate(cards, store, {"a-one", "a-two", "a-three"}, T0 - timedelta(days=30))
    left = reviews_left_today(store, 2, T0)
    assert left == 2
    morning = session(cards, store, T0, new_limit=0, review_limit=left)
    assert morning.counts() == Counts(new=0, learning=0, review=2) and morning.over_limit == 1
    morning.rate(morning.next_card(T0), Rating.AGAIN, T0)  # to relearning: a review answered, and a learning card
    assert morning.counts() == Counts(new=0, learning=1, review=1)
    later = T0 + timedelta(hours=3)
    left = reviews_left_today(store, 2, later)
    assert left == 1
    evening = session(cards, store, later, new_limit=0, review_limit=left)
    # the lapsed card's relearning step is not held back by the review limit; one review card is left
    assert evening.counts() == Counts(new=0, learning=1, review=1)
    next_day = T0 + timedelta(days=1)
    assert reviews_left_today(store, 2, next_day) == 2


def test_learn_ahead_zero_never_shows_a_step_before_it_is_due(cards, store):
    s = session(cards, store, new_limit=1, learn_ahead=timedelta(0))
    card = s.next_card(T0)
    s.rate(card, Rating.GOOD, T0)  # next step in 10 minutes
    assert s.next_card(T0 + timedelta(minutes=9, seconds=59)) is None
    assert s.next_card(T0 + timedelta(minutes=10)).id == card.id
    assert s.summary(T0).learning_left == 1


def test_buried_and_suspended_cards_are_left_out_of_quiz_next_and_interview(cards, store):
    graduate(cards, store, {"a-two"}, T0 - timedelta(days=30))
    marks.suspend(store, ["a-two"], T0)  # a due review
    marks.bury(store, ["a-one"], T0)  # a new card
    marks.flag(store, ["a-three"], T0)  # a flag holds nothing back
    s = session(cards, store, new_limit=10)
    assert "a-one" not in s.cards and "a-two" not in s.cards
    assert s.counts() == Counts(new=3, learning=0, review=0)
    assert peek(cards, store, T0)[0].id == "a-three"
    interview = Interview.plan(cards, Recorder(store, FSRSScheduler()), T0, seed=1)
    assert {c.id for c in interview.queue} == {"a-three", "b-one", "b-two"}
    # the burial ends when the next study day begins (4 a.m.), the suspension only when lifted
    tomorrow = datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)
    assert store.held(tomorrow - timedelta(seconds=1)) == {"a-one", "a-two"}
    assert store.held(tomorrow) == {"a-two"}
    marks.unsuspend(store, ["a-two"])
    assert session(cards, store, tomorrow, new_limit=10).counts() == Counts(new=4, learning=0, review=1)


def test_bury_suspend_and_flag_from_the_session(cards, store):
    s = session(cards, store, new_limit=3)
    first = s.next_card(T0)
    until = s.bury(first, T0)
    assert until == datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)
    second = s.next_card(T0)
    assert second.id != first.id
    assert s.toggle_flag(second, T0) and s.flagged(second)
    s.suspend(second, T0)
    assert s.counts() == Counts(new=1, learning=0, review=0)
    assert store.held(T0) == {first.id, second.id}
    assert not s.toggle_flag(second, T0) and not s.flagged(second)
    summary = s.summary(T0)
    assert (summary.buried, summary.suspended, summary.reviewed) == (1, 1, 0)
    assert store.seen_ids() == set()  # neither was rated


def test_a_learning_card_buried_leaves_the_learning_queue(cards, store):
    s = session(cards, store, new_limit=1)
    card = s.next_card(T0)
    s.rate(card, Rating.AGAIN, T0)
    assert s.states[card.id].phase == Phase.LEARNING
    s.bury(card, T0)
    assert s.learning == {} and s.next_card(T0 + timedelta(hours=1)) is None
