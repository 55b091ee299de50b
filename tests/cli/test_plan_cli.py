"""`prep plan` through the real CLI, with the plan kept in the real store."""

from __future__ import annotations

import json
from datetime import date, timedelta

from typer.testing import CliRunner

from interviewprep.cli.app import app

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


def test_quiz_follows_the_plans_new_card_quota(small_bank):
    bank = ["--no-builtin", "--bank", str(small_bank)]
    prep("plan", "--date", in_days(9), "--deck", "beta", *bank)  # 2 cards, 2 learning days: 1 new per day
    first = runner.invoke(app, ["quiz", "--lang", "en", *bank], input=" \n4\n \n4\nq\n")
    assert "interview plan: 1 new cards left for today" in first.output
    assert "saved: Easy · b-one" in first.output
    assert "b-two" not in first.output and "a-one" not in first.output  # quota reached; alpha not planned
    again = runner.invoke(app, ["quiz", "--lang", "en", *bank], input="q\n")
    assert "Nothing to review now" in again.output  # today's quota is used up


def test_plan_brings_at_risk_cards_forward_in_the_last_week(isolated_home):
    from datetime import datetime, timezone

    from interviewprep.models import CardState, Phase
    from interviewprep.srs import plan as plans
    from interviewprep.srs import plan_today
    from interviewprep.srs.scheduler import FSRSScheduler
    from interviewprep.store.db import Store

    now = datetime.now(timezone.utc)
    store = Store.open(isolated_home)
    weak = CardState("weak", Phase.REVIEW, now + timedelta(days=20), stability=2.0, difficulty=7.0,
                     last_review=now - timedelta(days=1), reps=3)
    strong = CardState("strong", Phase.REVIEW, now + timedelta(days=400), stability=400.0, difficulty=3.0,
                       last_review=now - timedelta(days=1), reps=9)
    plan = plans.Plan(("weak", "strong"), (now + timedelta(days=3)).date(), 20, now, 0.9)
    today = plan_today.for_today(plan, {"weak": weak, "strong": strong}, FSRSScheduler(fuzz=False), now.date(), 0)
    assert today.bring_forward == ["weak"] and today.new_limit == 0
    store.close()


def test_an_explicit_deck_overrides_the_plan_for_that_session(small_bank):
    bank = ["--no-builtin", "--bank", str(small_bank)]
    prep("plan", "--date", in_days(9), "--deck", "beta", *bank)
    result = runner.invoke(app, ["quiz", "--deck", "alpha", "--lang", "en", *bank], input=" \n4\nq\n")
    assert "interview plan" not in result.output and "saved: Easy · a-one" in result.output


def test_while_a_plan_runs_the_quiz_schedules_with_the_plans_everyday_retention(small_bank, tmp_path):
    bank = ["--no-builtin", "--bank", str(small_bank)]
    due = {}
    for name, planned in (("plain", False), ("planned", True)):
        home = ["--home", str(tmp_path / name)]
        if planned:  # every card in the plan, so the quiz introduces the same first card
            assert prep("plan", "--date", in_days(40), "--retention", "0.8", *bank, *home).exit_code == 0
        out = runner.invoke(app, ["quiz", "--lang", "en", "--new", "1", *bank, *home], input=" \n4\nq\n").output
        assert "saved: Easy · a-one" in out
        due[name] = json.loads(prep("list", "--json", *bank, *home).output)[0]["state"]["due"]
    assert due["planned"] > due["plain"]  # retention 0.80 spaces the first review further out than 0.90
