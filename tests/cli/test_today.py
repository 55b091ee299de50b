"""Bare `prep`, `prep decks` and `prep tags`: per-deck new / learning / due, the daily allowance, what to run next."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from interviewprep.models import Phase
from interviewprep.srs.today import overview
from tests.conftest import prep, run_prep, user
from tests.stubs import StubCard, reviewed_state

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def test_overview_counts_new_learning_and_review_cards_due_now_per_deck():
    cards = [StubCard("a1", "a"), StubCard("a2", "a"), StubCard("a3", "a"), StubCard("b1", "b"), StubCard("b2", "b")]
    states = {
        "a1": reviewed_state("a1", Phase.REVIEW, NOW - timedelta(hours=1)),  # due
        "a2": reviewed_state("a2", Phase.REVIEW, NOW + timedelta(days=3)),  # not yet
        "b1": reviewed_state("b1", Phase.RELEARNING, NOW - timedelta(minutes=1)),  # learning, due
    }
    today = overview(cards, states, NOW, new_allowed=10)
    rows = {d.deck: (d.cards, d.new, d.learning, d.due) for d in today.decks}
    assert rows == {"a": (3, 1, 0, 1), "b": (2, 1, 1, 0)}
    states["b2"] = reviewed_state("b2", Phase.LEARNING, NOW + timedelta(minutes=10))  # a quiz shows it early
    assert overview(cards, states, NOW, 10).totals.learning == 1
    assert overview(cards, states, NOW, 10, learn_ahead=timedelta(minutes=20)).totals.learning == 2
    assert (today.totals.new, today.totals.learning, today.totals.due) == (2, 1, 1)
    assert today.next_command == "prep quiz"


def test_nothing_waiting_points_to_stats_and_new_cards_beyond_todays_limit_do_not_count():
    cards = [StubCard("a1", "a"), StubCard("a2", "a")]
    states = {"a1": reviewed_state("a1", Phase.REVIEW, NOW + timedelta(days=2))}
    assert overview(cards, states, NOW, new_allowed=0).next_command == "prep stats"
    assert overview(cards, states, NOW, new_allowed=1).next_command == "prep quiz"


def test_decks_after_a_quiz_shows_learning_cards_and_the_days_allowance(small_bank):
    prep("config", "set", "new_per_day", "3")
    quiz = prep("quiz", *user(small_bank), "--lang", "en", input=" \n1\nq\n")
    assert quiz.exit_code == 0, quiz.output
    data = json.loads(prep("decks", "--json", *user(small_bank)).output)
    assert data["totals"] == {"deck": "total", "cards": 5, "new": 4, "learning": 1, "due": 0}
    assert data["new_allowed_today"] == 2 and data["next_command"] == "prep quiz"
    text = prep("decks", *user(small_bank)).output
    assert "a quiz now: 0 due, 1 learning, 2 new (new cards left today: 2)" in text
    assert "next: prep quiz" in text


def test_bare_prep_shows_every_built_in_deck_and_exits_0():
    result = run_prep()
    assert result.returncode == 0, result.stderr
    assert "activations" in result.stdout and "transformers-at-scale" in result.stdout
    assert "next: prep quiz" in result.stdout and "Usage" not in result.stdout


def test_tags_are_counted_most_used_first(small_bank):
    rows = json.loads(prep("tags", "--json", *user(small_bank)).output)
    assert rows == [{"tag": "test", "cards": 5}]
    assert "test  5" in prep("tags", *user(small_bank)).output
