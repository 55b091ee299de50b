"""Progress figures for `prep stats` and the card `prep next` would show, from indexed SQL.

"Today" is clock.py's study day: local, starting at 4 a.m. by default, so a review at 1 a.m. counts
for the evening it belongs to.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from interviewprep.clock import day_start_hour, start_of_day  # noqa: F401  (stats' callers use them)
from interviewprep.models import Card, CardState, to_iso
from interviewprep.store.db import Store

RETENTION_WINDOW = timedelta(days=30)


def compute(cards: list[Card], store: Store, now: datetime, hour: int | None = None) -> dict:
    """Counts over the whole store (history of cards no longer in the bank included)."""
    hour = day_start_hour() if hour is None else hour
    counts = store.counts(now, start_of_day(now, hour), now - RETENTION_WINDOW)
    seen = store.seen_ids()
    return {
        "cards_total": len(cards),
        "cards_seen": counts.cards_seen,
        "cards_new": sum(1 for c in cards if c.id not in seen),
        "due_now": counts.due_now,
        "reviews_total": counts.reviews_total,
        "reviews_today": counts.reviews_today,
        "reviews_30d": counts.recent_reviews,
        "retention_30d": counts.recent_recalled / counts.recent_reviews if counts.recent_reviews else None,
        "next_due": to_iso(counts.next_due) if counts.next_due else None,
        "day_starts_at": f"{hour:02d}:00",
    }


def peek(cards: list[Card], store: Store, now: datetime) -> tuple[Card | None, CardState | None, datetime | None]:
    """The card a quiz would show first: the most overdue due card, else the first new card.

    Returns (card, state, next_due): next_due is when the next card falls due when none is shown.
    """
    held = store.held(now)  # buried and suspended cards (srs/marks.py) are not picked
    by_id = {c.id: c for c in cards if c.id not in held}
    due = store.due(now, card_ids=set(by_id), limit=1)
    if due:
        return by_id[due[0].card_id], due[0], None
    seen = store.seen_ids()
    fresh = next((c for c in by_id.values() if c.id not in seen), None)
    if fresh is not None:
        return fresh, None, None
    return None, None, store.next_due_after(now, set(by_id))


PACE_WINDOW_DAYS = 28  # the review log's last four weeks tell how much time the user really has
PACE_MIN_DAYS = 7  # study days with timed reviews in that window before the measurement is trusted
PACE_CAP_MS = 300_000  # a review timed over 5 minutes is counted as 5: the user walked away


def measured_minutes_per_day(store: Store, now: datetime, hour: int | None = None) -> tuple[float, int] | None:
    """(minutes a calendar day, study days) from the review log's last PACE_WINDOW_DAYS, or None.

    Minutes a calendar day, not per session: the timed reviews' total over the days from the first
    study day in the window to today, so days skipped count as zero -- a plan made from it asks
    for what the user actually gave.  None while fewer than PACE_MIN_DAYS study days have timed
    reviews: too little to trust, and the caller says it used its default.
    """
    from interviewprep.clock import study_day

    hour = day_start_hour() if hour is None else hour
    start = start_of_day(now, hour) - timedelta(days=PACE_WINDOW_DAYS - 1)
    per_day = store.timed_ms_per_study_day(start, hour, PACE_CAP_MS)
    if len(per_day) < PACE_MIN_DAYS:
        return None
    span = (study_day(now, hour) - min(per_day)).days + 1
    return sum(per_day.values()) / 60_000 / span, len(per_day)


def miss_rate(store: Store, now: datetime) -> float | None:
    """Share of the last RETENTION_WINDOW's reviews rated Again, or None without any."""
    counts = store.counts(now, now, now - RETENTION_WINDOW)
    return 1 - counts.recent_recalled / counts.recent_reviews if counts.recent_reviews else None
