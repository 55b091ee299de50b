"""`prep plan` through the real CLI, with the plan kept in the real store."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.conftest import prep, user


def words(text: str) -> str:
    """The output with the console's line wrapping undone."""
    return " ".join(text.split())


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_plan_is_saved_shown_and_cleared(small_bank):
    bank = user(small_bank)
    made = prep("plan", "--date", in_days(30), "--minutes-per-day", "20", "--json", *bank)
    assert made.exit_code == 0, made.output
    data = json.loads(made.output)
    assert data["plan"]["card_ids"] == ["a-one", "a-two", "a-three", "b-one", "b-two"]
    assert data["fits"] is True and data["new_per_day"] == 5  # half of 20 min buys 6 first showings: all 5
    assert data["minutes_source"] == "given" and data["deferred"] == 0
    assert len(data["load"]) >= 29
    shown = json.loads(prep("plan", "--show", "--json", *bank).output)
    assert shown["unseen"] == 5 and shown["recall_on_the_day_if_idle"] == 0.0
    assert shown["on_track"] is True and shown["recent_minutes_per_day"] is None
    assert 0 < shown["needed_minutes_per_day"] <= 20 and shown["weakest_decks"]
    assert 0.9 <= shown["recall_on_the_day_if_kept_up"] <= 1.0
    assert "plan cleared" in prep("plan", "--clear", *bank).output
    assert prep("plan", "--show", *bank).exit_code == 2


def test_a_budget_too_small_says_so_and_learns_the_focus_deck_first(small_bank):
    bank = user(small_bank)
    result = prep("plan", "--date", in_days(3), "--minutes", "1", "--focus", "beta", *bank)
    assert result.exit_code == 0, result.output
    assert "not enough time" in result.output and "--focus (beta)" in words(result.output)
    data = json.loads(prep("plan", "--date", in_days(3), "--minutes", "1", "--focus", "beta", "--json", *bank).output)
    assert data["fits"] is False and 0 < data["deferred"] < 5  # 3 minutes buy 1 or 2 cards, learned well
    assert data["plan"]["card_ids"][0] == "b-one" and data["plan"]["focus"] == ["beta"]
    assert data["plan"]["retention"] == 0.8
    assert "unknown deck" in prep("plan", "--date", in_days(8), "--focus", "gamma", *bank).output


def test_without_minutes_the_plan_uses_the_review_log_or_says_it_used_the_default(small_bank, isolated_home):
    from datetime import datetime, timezone

    from interviewprep.models import Rating, Review
    from interviewprep.srs.scheduler import FSRSScheduler
    from interviewprep.store.db import Store

    bank = user(small_bank)
    fresh = prep("plan", "--date", in_days(30), *bank)
    assert "20 min/day (the default: your review log does not yet have 7 study days" in words(fresh.output)
    store, fsrs = Store.open(isolated_home), FSRSScheduler(fuzz=False)
    start = datetime.now(timezone.utc) - timedelta(days=9)
    state = None
    for day in range(10):  # ten study days, 6 minutes each (two reviews of 3 minutes)
        for k in range(2):
            when = start + timedelta(days=day, minutes=k)
            new = fsrs.review(state, "a-one", Rating.GOOD, when)
            store.record(Review("a-one", Rating.GOOD, when, 180_000), new, state)
            state = new
    store.close()
    data = json.loads(prep("plan", "--date", in_days(30), "--json", *bank).output)
    assert data["minutes_source"] == "measured"
    assert 5.0 <= data["plan"]["minutes_per_day"] <= 6.0  # 60 min over the 10 or 11 calendar days since the first
    shown = prep("plan", "--show", *bank)
    assert "on track" in shown.output and "expected recall on the day" in words(shown.output)
    assert "min/day lately" in words(shown.output)


def test_bad_dates_are_usage_errors(small_bank):
    bank = user(small_bank)
    assert prep("plan", "--date", "2020-01-01", *bank).exit_code == 2
    assert "YYYY-MM-DD" in prep("plan", "--date", "next friday", *bank).output
    assert prep("plan", *bank).exit_code == 2


def test_a_date_can_be_given_as_days_or_weeks_from_today(small_bank):
    from interviewprep.clock import study_day, utc_now

    bank = user(small_bank)
    for given, days in (("+3w", 21), ("+10d", 10)):
        made = json.loads(prep("plan", "--date", given, "--minutes", "20", "--json", *bank).output)
        assert made["plan"]["interview"] == (study_day(utc_now()) + timedelta(days=days)).isoformat()
    assert prep("plan", "--date", "+0d", *bank).exit_code == 2  # today is not in the future
    assert "+Nd / +Nw" in prep("plan", "--date", "+3m", *bank).output


def test_days_from_today_count_from_the_study_day_before_4_am(small_bank, monkeypatch):
    """At 01:30 local time the study day is still yesterday's (clock.study_day), for the plan as for the quiz."""
    from datetime import datetime

    import interviewprep.cli.plan as plan_command

    monkeypatch.setattr(plan_command, "now", lambda: datetime(2026, 12, 4, 1, 30).astimezone())
    made = json.loads(prep("plan", "--date", "+1d", "--minutes", "20", "--json", *user(small_bank)).output)
    assert made["plan"]["interview"] == "2026-12-04"


def test_quiz_follows_the_plans_new_card_quota(small_bank):
    bank = user(small_bank)
    prep("plan", "--date", in_days(9), "--deck", "beta", "--minutes", "2", *bank)  # 2 learning days: 1 new a day
    first = prep("quiz", "--lang", "en", *bank, input=" \n4\n \n4\nq\n")
    assert "interview plan: 1 new cards left for today" in first.output
    assert "saved: Easy · b-one" in first.output
    assert "b-two" not in first.output and "a-one" not in first.output  # quota reached; alpha not planned
    again = prep("quiz", "--lang", "en", *bank, input="q\n")
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
    bank = user(small_bank)
    prep("plan", "--date", in_days(9), "--deck", "beta", *bank)
    result = prep("quiz", "--deck", "alpha", "--lang", "en", *bank, input=" \n4\nq\n")
    assert "interview plan" not in result.output and "saved: Easy · a-one" in result.output


def test_while_a_plan_runs_the_quiz_schedules_with_the_plans_everyday_retention(small_bank, tmp_path):
    bank = user(small_bank)
    due = {}
    for name, planned in (("plain", False), ("planned", True)):
        home = ["--home", str(tmp_path / name)]
        if planned:  # every card in the plan, so the quiz introduces the same first card
            assert prep("plan", "--date", in_days(40), "--retention", "0.8", *bank, *home).exit_code == 0
        out = prep("quiz", "--lang", "en", "--new", "1", *bank, *home, input=" \n4\nq\n").output
        assert "saved: Easy · a-one" in out
        due[name] = json.loads(prep("list", "--json", *bank, *home).output)[0]["state"]["due"]
    assert due["planned"] > due["plain"]  # retention 0.80 spaces the first review further out than 0.90


def _a_due_card(home, card_id: str) -> None:
    from datetime import datetime, timezone

    from interviewprep.models import CardState, Phase, Rating, Review
    from interviewprep.store.db import Store

    store = Store.open(home)
    past = datetime.now(timezone.utc) - timedelta(days=3)
    state = CardState(card_id, Phase.REVIEW, past + timedelta(days=1), stability=1.0, difficulty=5.0,
                      last_review=past, reps=2)
    store.record(Review(card_id, Rating.GOOD, past), state, None)
    store.close()


def test_a_plan_the_budget_covers_shows_its_new_cards_before_due_reviews(small_bank, isolated_home):
    bank = user(small_bank)
    _a_due_card(isolated_home, "a-one")
    assert json.loads(prep("plan", "--date", in_days(30), "--minutes", "30", "--json", *bank).output)["fits"]
    out = prep("quiz", "--lang", "en", *bank, input=" \n4\nq\n").output
    assert "saved: Easy · a-two" in out and "a-one" not in out  # a new card first, the due one waits


def test_a_plan_the_budget_cannot_cover_reviews_what_is_learned_first(small_bank, isolated_home):
    bank = user(small_bank)
    _a_due_card(isolated_home, "a-one")
    data = json.loads(prep("plan", "--date", in_days(3), "--minutes", "1", "--json", *bank).output)
    assert data["fits"] is False and data["plan"]["new_first"] is False
    out = prep("quiz", "--lang", "en", *bank, input=" \n4\nq\n").output
    assert "saved: Easy · a-one" in out  # the due review before any new card
