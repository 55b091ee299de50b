"""Session order, learning steps, learn-ahead, undo and skip, against a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from interviewprep.models import Phase, Rating
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.srs.session import Session

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def new_session(cards, store, now=T0, **kw):
    return Session(cards, store, FSRSScheduler(fuzz=False), now, **kw)


def test_new_cards_in_bank_order_up_to_the_limit(cards, store):
    s = new_session(cards, store, new_limit=2)
    first = s.next_card(T0)
    assert first.id == "a-one"
    s.rate(first, Rating.EASY, T0)
    assert s.next_card(T0).id == "a-two"
    s.rate(s.next_card(T0), Rating.EASY, T0)
    assert s.next_card(T0) is None


def test_again_card_comes_back_when_its_step_is_due_and_learn_ahead_closes_the_session(cards, store):
    s = new_session(cards, store, new_limit=2)
    s.rate(s.next_card(T0), Rating.AGAIN, T0)  # a-one: 1 minute step
    assert s.next_card(T0).id == "a-two"        # not yet due: other cards first
    s.rate(s.next_card(T0), Rating.EASY, T0)
    # nothing else left: the learning card is shown early (within 20 minutes)
    assert s.next_card(T0).id == "a-one"
    t = T0 + timedelta(minutes=1)
    s.rate(s.next_card(t), Rating.GOOD, t)     # to the 10-minute step, still learning
    assert s.states["a-one"].phase == Phase.LEARNING
    t2 = t + timedelta(minutes=10)
    s.rate(s.next_card(t2), Rating.GOOD, t2)   # graduates to days
    assert s.states["a-one"].phase == Phase.REVIEW
    assert s.next_card(t2) is None


def test_learning_card_beyond_learn_ahead_waits(cards, store):
    s = new_session(cards, store, new_limit=1, learn_ahead=timedelta(minutes=5))
    s.rate(s.next_card(T0), Rating.GOOD, T0)   # next step in 10 minutes > 5
    assert s.next_card(T0) is None
    assert s.next_card(T0 + timedelta(minutes=6)).id == "a-one"


def test_due_cards_come_first_most_overdue_first(cards, store):
    s = new_session(cards, store, new_limit=5)
    for card in cards:
        s.rate(card, Rating.EASY, T0)
    later = max(st.due for st in s.states.values()) + timedelta(days=1)
    store_due = [st.card_id for st in store.due(later)]
    s2 = new_session(cards, store, now=later, new_limit=5)
    assert s2.next_card(later).id == store_due[0]
    assert len(s2.due_queue) == 5 and not s2.new_queue


def test_undo_restores_store_and_queue(cards, store):
    s = new_session(cards, store, new_limit=2)
    card = s.next_card(T0)
    s.rate(card, Rating.EASY, T0)
    assert store.state(card.id) is not None and len(store.history(card.id)) == 1
    assert s.undo().id == card.id
    assert store.state(card.id) is None and store.history(card.id) == []
    assert s.next_card(T0).id == card.id
    s.rate(card, Rating.HARD, T0)
    assert [r.rating for r in store.history(card.id)] == [Rating.HARD]
    assert s.undo() is not None and s.undo() is None


def test_undo_of_a_second_rating_restores_the_previous_state(cards, store):
    s = new_session(cards, store, new_limit=1)
    card = s.next_card(T0)
    first = s.rate(card, Rating.AGAIN, T0)
    t = T0 + timedelta(minutes=1)
    s.rate(s.next_card(t), Rating.EASY, t)
    s.undo()
    assert store.state(card.id) == first
    assert s.learning == {card.id: first.due}


def test_skip_leaves_the_card_out_unrated(cards, store):
    s = new_session(cards, store, new_limit=2)
    s.skip(s.next_card(T0))
    assert s.next_card(T0).id == "a-two"
    assert store.seen_ids() == set()
    assert s.summary(T0).skipped == 1


def test_limit_caps_the_session(cards, store):
    s = new_session(cards, store, new_limit=10, limit=3)
    assert s.remaining() == 3


def test_summary_counts(cards, store):
    s = new_session(cards, store, new_limit=3)
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        s.rate(s.next_card(T0), rating, T0)
    summary = s.summary(T0)
    assert (summary.reviewed, summary.again) == (3, 1)
    assert summary.retention == pytest.approx(2 / 3)
    assert summary.next_due == min(st.due for st in s.states.values())
