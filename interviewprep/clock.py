"""One definition of "now" and of "today" for every part of prep.

A study day is a local calendar day that starts at `day_start_hour` (default 4 a.m.; `prep --day-start`,
`$PREP_DAY_START` or `prep config set day_start`, resolved by config.py),
as in Anki: a review at 1 a.m. belongs to the evening before. The interview plan's daily new-card
quota, `prep stats`' "today", the streak and the optimizer's day numbers all use these functions,
so none of them can start the day at UTC midnight (08:00 in Beijing) while another starts at 4 a.m.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def day_start_hour() -> int:
    """--day-start, else $PREP_DAY_START (0-23; any other value means the default), else the file, else 4."""
    from interviewprep.config import value

    return value("day_start")


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
