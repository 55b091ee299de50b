"""The one recorder of ratings (srs/recorder.py) against real SQLite files: commit, undo, preview, and
the interview's grades landing in the review log exactly as the quiz's ratings do."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from interviewprep.models import Phase, Rating
from interviewprep.srs.interview import Interview
from interviewprep.srs.recorder import Recorder
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.srs.session import Session
from interviewprep.store.db import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def log_rows(store: Store) -> list[tuple]:
    """Everything the store keeps about ratings, review ids left out (they differ between two files)."""
    reviews = store.conn.execute("SELECT card_id, rating, reviewed_at, duration_ms, state_before"
                                 " FROM review_log ORDER BY id").fetchall()
    states = store.conn.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
    origins = store.conn.execute("SELECT card_id, bank FROM card_origin ORDER BY card_id").fetchall()
    return [reviews, states, origins]


def test_a_rating_is_committed_with_its_state_and_what_it_was_before(cards, store):
    recorder = Recorder(store, FSRSScheduler(fuzz=False))
    first = recorder.rate(cards[0], Rating.GOOD, T0, 4200)
    assert first.before is None and first.review.id is not None
    assert store.state(cards[0].id) == first.after
    assert [(r.rating, r.duration_ms, r.reviewed_at) for r in store.history(cards[0].id)] == [(Rating.GOOD, 4200, T0)]
    later = T0 + timedelta(minutes=10)
    second = recorder.rate(cards[0], Rating.EASY, later)
    assert second.before == first.after  # read from the store when the caller does not say
    assert second.after.phase == Phase.REVIEW and second.after.due > later
    assert len(store.history(cards[0].id)) == 2


def test_undo_removes_exactly_that_rating_and_puts_the_state_back(cards, store):
    recorder = Recorder(store, FSRSScheduler(fuzz=False))
    first = recorder.rate(cards[0], Rating.AGAIN, T0)
    other = recorder.rate(cards[1], Rating.GOOD, T0)
    second = recorder.rate(cards[0], Rating.GOOD, T0 + timedelta(minutes=1))
    assert recorder.undo(second) == first.after == store.state(cards[0].id)
    assert [r.rating for r in store.history(cards[0].id)] == [Rating.AGAIN]
    assert recorder.undo(first) is None and store.state(cards[0].id) is None  # new again
    assert store.history(cards[0].id) == [] and store.state(cards[1].id) == other.after


def test_a_previewed_interval_is_the_one_the_rating_gives(cards, store):
    recorder = Recorder(store, FSRSScheduler(fuzz=True))
    recorder.rate(cards[0], Rating.GOOD, T0)
    recorder.rate(cards[0], Rating.GOOD, T0 + timedelta(minutes=10))  # graduated: fuzz applies from here
    now = T0 + timedelta(days=5)
    shown = recorder.preview(cards[0], now)
    done = recorder.rate(cards[0], Rating.HARD, now + timedelta(seconds=30))
    assert done.after.due - (now + timedelta(seconds=30)) == shown[Rating.HARD]


def test_the_interviews_grades_land_in_the_review_log_exactly_like_the_quizs(cards, tmp_path):
    """Same card, same moments, same grades: the quiz's file and the interview's file hold the same rows."""
    quiz_store, interview_store = Store.open(tmp_path / "quiz"), Store.open(tmp_path / "interview")
    card = cards[2]
    session = Session(cards, quiz_store, FSRSScheduler(fuzz=False), T0, new_limit=5)
    recorder = Recorder(interview_store, FSRSScheduler(fuzz=False))
    for asked, rating in ((T0, Rating.HARD), (T0 + timedelta(days=3), Rating.GOOD)):  # two interviews
        answered = asked + timedelta(seconds=95)
        session.rate(card, rating, answered, 95_000)
        interview = Interview(cards, recorder, asked, minutes=20, weights={card.id: 1e9})
        assert interview.next_question(asked) is card
        interview.answer("some answer", answered)
        assert interview.grade(rating, answered) == quiz_store.state(card.id)
    try:
        quiz_rows, interview_rows = log_rows(quiz_store), log_rows(interview_store)
        assert len(quiz_rows[0]) == 2 and quiz_rows[0][1][4] is not None  # the second row keeps its state before
        assert interview_rows == quiz_rows
    finally:
        quiz_store.close()
        interview_store.close()
