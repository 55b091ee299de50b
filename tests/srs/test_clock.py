"""One study day for everything: the plan's new-card quota and `prep stats` start "today" at the same moment."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from interviewprep import clock
from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.srs import plan_today, stats
from interviewprep.srs.plan import Plan
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.store.db import Store


@pytest.fixture(params=["Asia/Shanghai", "America/Los_Angeles"])
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield ZoneInfo(request.param)
    monkeypatch.undo()
    time.tzset()


def at(zone, *fields) -> datetime:
    return datetime(*fields, tzinfo=zone).astimezone(timezone.utc)


@pytest.mark.parametrize("review_at, now, same_day", [
    ((2026, 5, 4, 23, 30), (2026, 5, 5, 0, 30), True),    # across local midnight: still the 4th's study day
    ((2026, 5, 5, 3, 30), (2026, 5, 5, 4, 30), False),    # across 4 a.m.: a new study day
    ((2026, 5, 5, 4, 30), (2026, 5, 5, 23, 59), True),
])
def test_plan_quota_and_stats_share_the_day_boundary(zone, tmp_path, review_at, now, same_day):
    store = Store.open(tmp_path)
    reviewed, now = at(zone, *review_at), at(zone, *now)
    store.record(Review("c1", Rating.GOOD, reviewed), CardState("c1", Phase.LEARNING, reviewed, step=0), None)
    plan_today.save(store, Plan(("c1", "c2", "c3"), date(2026, 6, 1), 1.0, reviewed))  # 1 min: the bare spread
    today = plan_today.today_for_quiz(store, FSRSScheduler(), now)
    quota_counted = today.new_limit < plan_today.for_today(
        plan_today.load_active(store), {}, FSRSScheduler(), clock.study_day(now), 0).new_limit
    stats_counted = stats.compute([], store, now)["reviews_today"] == 1
    assert quota_counted == stats_counted == same_day
    assert clock.study_day(now) == (now.astimezone(zone).date() if now.astimezone(zone).hour >= 4
                                    else date.fromordinal(now.astimezone(zone).date().toordinal() - 1))
