"""`prep stats` figures beyond the core: per-day activity, forecast, per-deck retention and mastery, streak."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from interviewprep.bank import loader as banks
from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.render.learn import column_chart
from interviewprep.srs import progress
from interviewprep.srs.scheduler import FSRSScheduler
from tests.conftest import prep, user

TZ = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=TZ)  # local noon; the study day began at 04:00 local


def review(store, card_id, rating, when, due):
    state = CardState(card_id, Phase.REVIEW, due, stability=5.0, difficulty=5.0, last_review=when, reps=1)
    store.record(Review(card_id, Rating(rating), when), state, None)


def test_day_bounds_follow_the_day_start_hour():
    (lo, hi), = progress.day_bounds(NOW, 4, 0, 1, TZ)
    assert lo == datetime(2026, 3, 10, 4, 0, tzinfo=TZ) and hi == datetime(2026, 3, 11, 4, 0, tzinfo=TZ)


def test_reviews_per_day_forecast_and_streak(store):
    local = lambda d, h: datetime(2026, 3, d, h, 0, tzinfo=TZ)  # noqa: E731
    review(store, "a-one", 3, local(10, 9), local(9, 0))        # today; overdue -> forecast today
    review(store, "a-two", 1, local(10, 2), local(12, 9))       # 02:00 belongs to yesterday (the 9th)
    review(store, "b-one", 4, local(8, 20), local(10, 23))      # the 8th; due later today
    review(store, "b-two", 2, local(1, 12), local(20, 12))      # outside the streak
    per_day = progress.reviews_per_day(store, NOW, 4, TZ)
    assert len(per_day) == 30 and per_day[-1] == {"date": "2026-03-10", "reviews": 1}
    assert per_day[-2]["reviews"] == 1 and per_day[-3]["reviews"] == 1 and per_day[-10]["reviews"] == 1
    forecast = progress.due_forecast(store, NOW, 4, TZ)
    assert forecast[0] == {"date": "2026-03-10", "due": 2} and forecast[2]["due"] == 1 and forecast[10]["due"] == 1
    assert progress.streak(store, NOW, 4, TZ) == 3


def test_streak_counts_from_yesterday_when_today_is_empty(store):
    review(store, "a-one", 3, datetime(2026, 3, 9, 10, tzinfo=TZ), NOW)
    assert progress.streak(store, NOW, 4, TZ) == 1
    assert progress.streak(store, NOW + timedelta(days=2), 4, TZ) == 0


def test_per_deck_retention_and_mastery(store, small_bank):
    cards = banks.load([(small_bank, False)]).select()
    scheduler = FSRSScheduler(fuzz=False)
    t = NOW.astimezone(timezone.utc)
    state = scheduler.review(None, "a-one", Rating.GOOD, t - timedelta(days=1))
    state = scheduler.review(state, "a-one", Rating.GOOD, t)
    store.record(Review("a-one", Rating.AGAIN, t - timedelta(days=1)), state, None)
    store.record(Review("a-one", Rating.GOOD, t), state, None)
    decks = {d["deck"]: d for d in progress.per_deck(cards, store, scheduler, t)}
    assert decks["alpha"]["retention"] == 0.5 and decks["alpha"]["reviews"] == 2 and decks["alpha"]["seen"] == 1
    assert 0.3 < decks["alpha"]["mastery"] <= 1 / 3 + 1e-9  # one of three cards, recalled now
    assert decks["beta"] == {"deck": "beta", "cards": 2, "seen": 0, "reviews": 0, "retention": None, "mastery": 0.0}


def test_range_counts_use_the_indexes(store):
    plan = " ".join(row[-1] for row in store.conn.execute(
        "EXPLAIN QUERY PLAN WITH days(i, lo, hi) AS (VALUES (0, 'a', 'b')) SELECT days.i, count(t.reviewed_at) "
        "FROM days LEFT JOIN review_log t ON t.reviewed_at >= days.lo AND t.reviewed_at < days.hi GROUP BY days.i"))
    assert "review_log_time" in plan


def test_column_chart_shape():
    chart = column_chart([0, 4, 8], ["2026-03-01", "2026-03-02", "2026-03-03"], height=2)
    lines = chart.splitlines()
    assert lines[0] == "8 │    ██" and lines[1] == "  │  ████"
    assert lines[-1].strip() == "03-01 03-03"


def test_stats_cli_keeps_old_keys_and_adds_new(small_bank):
    prep("quiz", *user(small_bank, "--lang", "en"), input=" \n3\n \n1\nq\n")
    data = json.loads(prep("stats", "--json", *user(small_bank)).output)
    assert {"cards_total", "cards_seen", "due_now", "reviews_total", "reviews_today", "retention_30d",
            "next_due", "day_starts_at"} <= set(data)
    assert data["streak_days"] == 1 and sum(d["reviews"] for d in data["reviews_per_day"]) == 2
    assert len(data["due_forecast"]) == 30 and sum(d["due"] for d in data["due_forecast"]) == 2
    assert {d["deck"] for d in data["decks"]} == {"alpha", "beta"}
    text = prep("stats", *user(small_bank)).output
    assert "Reviews per day, last 30 days" in text and "Due forecast" in text and "mastery" in text
    assert "streak: 1 day(s)" in text and "\x1b[" not in text


def test_a_streak_longer_than_one_chunk_of_days(store):
    for days_back in range(0, 70):
        review(store, "a-one", 3, NOW - timedelta(days=days_back), NOW)
    review(store, "a-one", 3, NOW - timedelta(days=75), NOW)  # after a gap: not part of the streak
    assert progress.streak(store, NOW, 4, TZ) == 70


def test_due_now_leaves_out_suspended_cards_and_cards_buried_past_now(store):
    t = NOW.astimezone(timezone.utc)
    for card_id in ("a-one", "a-two", "b-one"):
        review(store, card_id, 3, t - timedelta(days=3), t - timedelta(hours=1))  # all three overdue
    due = lambda at: store.counts(at, at - timedelta(hours=8), at - timedelta(days=30)).due_now  # noqa: E731
    assert due(t) == 3
    store.mark(["a-one"], "suspended_at", t)
    store.mark(["a-two"], "buried_until", t + timedelta(hours=6))
    store.mark(["b-one"], "flagged_at", t)  # a flag hides nothing
    assert due(t) == 1
    assert due(t + timedelta(hours=7)) == 2  # the bury is over; the suspension is not
    store.mark(["a-one"], "suspended_at", None)
    assert due(t + timedelta(hours=7)) == 3
