"""When a burial ends: the start of the next study day, also across a daylight-saving change."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from interviewprep.srs import marks
from interviewprep.store.db import Marks


@pytest.fixture
def los_angeles(monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield ZoneInfo("America/Los_Angeles")
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("local, expected", [
    (datetime(2026, 3, 7, 20, 0), datetime(2026, 3, 8, 4, 0)),  # the night clocks spring forward (23 h day)
    (datetime(2026, 3, 8, 2, 30), datetime(2026, 3, 8, 4, 0)),  # before 4 a.m.: still the day before
    (datetime(2026, 10, 31, 23, 0), datetime(2026, 11, 1, 4, 0)),  # the night clocks fall back (25 h day)
    (datetime(2026, 11, 1, 4, 0), datetime(2026, 11, 2, 4, 0)),  # at 4 a.m. sharp a new day has begun
])
def test_a_burial_ends_at_4_am_local_of_the_next_study_day(los_angeles, local, expected):
    now = local.replace(tzinfo=los_angeles).astimezone(timezone.utc)
    until = marks.next_day_start(now)
    assert until.astimezone(los_angeles).replace(tzinfo=None) == expected


def test_labels_say_what_holds_now():
    t = datetime(2026, 5, 1, tzinfo=timezone.utc)
    later = datetime(2026, 5, 2, tzinfo=timezone.utc)
    assert marks.labels(Marks(buried_until=later, flagged_at=t), t) == ("buried", "flagged")
    assert marks.labels(Marks(buried_until=later, suspended_at=t), later) == ("suspended",)
    assert marks.labels(None, t) == ()


def test_an_active_plan_neither_counts_nor_brings_forward_a_held_card(store):
    from datetime import timedelta

    from interviewprep.models import CardState, Phase, Rating, Review
    from interviewprep.srs import plan as plans
    from interviewprep.srs import plan_today
    from interviewprep.srs.scheduler import FSRSScheduler

    now = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    weak = CardState("weak", Phase.REVIEW, now + timedelta(days=20), stability=2.0, difficulty=7.0,
                     last_review=now - timedelta(days=1), reps=3)
    store.record(Review("weak", Rating.GOOD, now - timedelta(days=1)), weak, None)
    plan = plans.Plan(("new-1", "new-2", "new-3", "weak"), (now + timedelta(days=3)).date(), 20, now, 0.9)
    plan_today.save(store, plan)
    today = plan_today.today_for_quiz(store, FSRSScheduler(fuzz=False), now)
    assert today.new_limit == 3 and today.bring_forward == ["weak"]  # past the last learning day: all of them
    store.mark(["new-2", "weak"], "suspended_at", now)
    today = plan_today.today_for_quiz(store, FSRSScheduler(fuzz=False), now)
    assert today.new_limit == 2 and today.bring_forward == []
