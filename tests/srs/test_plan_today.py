"""A quiz with an active plan reads every card state only in the last days before the interview, when
at-risk cards come forward; before that, which cards were seen is all the quota needs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.srs import plan as plans
from interviewprep.srs import plan_today
from interviewprep.srs.scheduler import FSRSScheduler

NOW = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)


def _seen(store, card_id: str, stability: float) -> CardState:
    state = CardState(card_id, Phase.REVIEW, NOW + timedelta(days=40), stability=stability, difficulty=7.0,
                      last_review=NOW - timedelta(days=1), reps=3)
    store.record(Review(card_id, Rating.GOOD, NOW - timedelta(days=1)), state, None)
    return state


def _counting_states(store, monkeypatch) -> list:
    calls = []
    real = store.states
    monkeypatch.setattr(store, "states", lambda: calls.append(1) or real())
    return calls


def test_stored_states_answer_membership_from_the_seen_ids_and_read_states_on_demand(store, monkeypatch):
    weak = _seen(store, "weak", 2.0)
    calls = _counting_states(store, monkeypatch)
    states = plan_today.StoredStates(store)
    assert "weak" in states and "new-1" not in states and calls == []
    assert states["weak"] == weak and dict(states) == {"weak": weak} and len(states) == 1
    assert calls == [1]  # read once, then kept


def test_weeks_before_the_interview_the_quota_reads_no_state(store, monkeypatch):
    _seen(store, "weak", 2.0)
    plan_today.save(store, plans.Plan(("new-1", "new-2", "weak"), (NOW + timedelta(days=30)).date(), 20, NOW, 0.9))
    calls = _counting_states(store, monkeypatch)
    today = plan_today.today_for_quiz(store, FSRSScheduler(fuzz=False), NOW)
    assert today.new_limit == 2 and today.bring_forward == [] and calls == []


def test_in_the_last_days_the_at_risk_card_still_comes_forward(store, monkeypatch):
    _seen(store, "weak", 2.0)
    _seen(store, "strong", 400.0)
    plan_today.save(store, plans.Plan(("weak", "strong"), (NOW + timedelta(days=3)).date(), 20, NOW, 0.9))
    calls = _counting_states(store, monkeypatch)
    today = plan_today.today_for_quiz(store, FSRSScheduler(fuzz=False), NOW)
    assert today.bring_forward == ["weak"] and calls == [1]
