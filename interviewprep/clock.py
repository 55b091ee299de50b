"""One definition of "now" and of "today" for every part of prep.

A study day is a local calendar day that starts at `day_start_hour` (default 4 a.m., `$PREP_DAY_START`),
as in Anki: a review at 1 a.m. belongs to the evening before. The interview plan's daily new-card
quota, `prep stats`' "today", the streak and the optimizer's day numbers all use these functions,
so none of them can start the day at UTC midnight (08:00 in Beijing) while another starts at 4 a.m.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone

DEFAULT_DAY_START_HOUR = 4


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def day_start_hour() -> int:
    """$PREP_DAY_START (0-23), else 4."""
    value = os.environ.get("PREP_DAY_START", "")
    if value.isdigit() and 0 <= int(value) <= 23:
        return int(value)
    return DEFAULT_DAY_START_HOUR


def start_of_day(now: datetime, hour: int | None = None, tz=None) -> datetime:
    """The UTC moment the study day containing `now` began, in time zone `tz` (default: local)."""
    hour = day_start_hour() if hour is None else hour
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), time(hour), tzinfo=local.tzinfo)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


def study_day(now: datetime, hour: int | None = None, tz=None) -> date:
    """The calendar date that names the study day containing `now` (1 a.m. on the 5th is the 4th)."""
    hour = day_start_hour() if hour is None else hour
    return (now.astimezone(tz) - timedelta(hours=hour)).date()
