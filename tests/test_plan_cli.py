"""`prep plan` through the real CLI, with the plan kept in the real store."""

from __future__ import annotations

import json
from datetime import date, timedelta

from typer.testing import CliRunner

from interviewprep.cli import app

runner = CliRunner()


def prep(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_plan_is_saved_shown_and_cleared(small_bank):
    bank = ["--no-builtin", "--bank", str(small_bank)]
    made = prep("plan", "--date", in_days(30), "--minutes-per-day", "20", "--json", *bank)
    assert made.exit_code == 0, made.output
    data = json.loads(made.output)
    assert data["plan"]["card_ids"] == ["a-one", "a-two", "a-three", "b-one", "b-two"]
    assert data["fits"] is True and data["new_per_day"] == 1  # 5 cards over the 23 days before the lead week
    assert len(data["load"]) >= 29
    shown = json.loads(prep("plan", "--show", "--json", *bank).output)
    assert shown["unseen"] == 5 and shown["recall_on_the_day_if_idle"] == 0.0
    assert 0.9 <= shown["recall_on_the_day_if_kept_up"] <= 1.0
    assert "plan cleared" in prep("plan", "--clear", *bank).output
    assert prep("plan", "--show", *bank).exit_code == 2


def test_a_budget_too_small_warns_with_the_largest_selection(small_bank):
    result = prep("plan", "--date", in_days(8), "--minutes-per-day", "1", "--no-builtin", "--bank", str(small_bank))
    assert result.exit_code == 0
    assert "cannot cover these cards" in result.output and "the first" in result.output


def test_bad_dates_are_usage_errors(small_bank):
    bank = ["--no-builtin", "--bank", str(small_bank)]
    assert prep("plan", "--date", "2020-01-01", *bank).exit_code == 2
    assert "YYYY-MM-DD" in prep("plan", "--date", "next friday", *bank).output
    assert prep("plan", *bank).exit_code == 2
