"""The minutes a day the review log says the user gives: what `prep plan` uses when --minutes is not given."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from interviewprep.clock import study_day
from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.srs import stats
from interviewprep.store.db import Store

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=timezone.utc)


def log(store: Store, days_ago: list[int], ms: int | None, card: str = "c1") -> None:
    for d in days_ago:
        when = NOW - timedelta(days=d)
        store.record(Review(card, Rating.GOOD, when, ms), CardState(card, Phase.REVIEW, when + timedelta(days=1)), None)


def test_too_few_study_days_give_no_measurement(tmp_path):
    store = Store.open(tmp_path)
    log(store, [0, 1, 2, 3, 4, 5], 60_000)
    assert stats.measured_minutes_per_day(store, NOW, hour=4) is None
    store.close()


def test_minutes_are_per_calendar_day_since_the_first_study_day_in_the_window(tmp_path):
    store = Store.open(tmp_path)
    log(store, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18], 120_000)  # 10 study days of 2 min over 19 calendar days
    log(store, [40], 600_000)  # outside the 4-week window: not counted
    minutes, days = stats.measured_minutes_per_day(store, NOW, hour=4)
    assert days == 10 and abs(minutes - 20 / 19) < 1e-9
    store.close()


def test_a_review_left_open_counts_as_five_minutes_and_untimed_ones_not_at_all(tmp_path):
    store = Store.open(tmp_path)
    log(store, list(range(7)), 3_600_000)  # an hour each: walked away
    log(store, list(range(7)), None, card="c2")
    minutes, days = stats.measured_minutes_per_day(store, NOW, hour=4)
    assert days == 7 and abs(minutes - 5.0) < 1e-9
    store.close()


def test_miss_rate_is_the_share_of_recent_reviews_rated_again(tmp_path):
    store = Store.open(tmp_path)
    assert stats.miss_rate(store, NOW) is None
    log(store, [1, 2, 3], 1000)
    when = NOW - timedelta(days=1)
    store.record(Review("c3", Rating.AGAIN, when), CardState("c3", Phase.RELEARNING, when), None)
    assert stats.miss_rate(store, NOW) == 0.25
    store.close()


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/Los_Angeles"])
def test_the_store_sums_each_review_into_the_study_day_clock_gives_it(tmp_path, monkeypatch, zone):
    """SQLite's 'localtime' and clock.study_day agree: around local midnight and 4 a.m., and across a DST change."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        store = Store.open(tmp_path)
        local = ZoneInfo(zone)
        moments = [datetime(2026, 3, day, h, m, tzinfo=local).astimezone(timezone.utc)
                   for day in (7, 8, 9) for h, m in ((0, 0), (3, 59), (4, 0), (23, 59))]
        expected: dict = {}
        for i, when in enumerate(moments):
            store.record(Review("c1", Rating.GOOD, when, 1000 + i), CardState("c1", Phase.REVIEW, when), None)
            expected[study_day(when, 4)] = expected.get(study_day(when, 4), 0) + 1000 + i
        assert store.timed_ms_per_study_day(moments[0] - timedelta(days=1), 4, 300_000) == expected
        assert len(expected) == 4  # 6-9 March: a review before 4 a.m. belongs to the day before
        store.close()
    finally:
        monkeypatch.undo()
        time.tzset()
