"""Progress figures for `prep stats` and the card `prep next` would show, from indexed SQL.

"Today" follows the local time zone and starts at `day_start_hour` (default 4 a.m.), so a review
at 1 a.m. counts for the evening it belongs to.
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta, timezone

from interviewprep.models import Card, CardState, to_iso
from interviewprep.store.db import Store

DEFAULT_DAY_START_HOUR = 4
RETENTION_WINDOW = timedelta(days=30)


def day_start_hour() -> int:
    """$PREP_DAY_START (0-23), else 4."""
    value = os.environ.get("PREP_DAY_START", "")
    if value.isdigit() and 0 <= int(value) <= 23:
        return int(value)
    return DEFAULT_DAY_START_HOUR


def start_of_day(now: datetime, hour: int, tz=None) -> datetime:
    """The UTC moment the current study day began, in time zone `tz` (default: local)."""
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), time(hour), tzinfo=local.tzinfo)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


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
    by_id = {c.id: c for c in cards}
    due = store.due(now, card_ids=set(by_id), limit=1)
    if due:
        return by_id[due[0].card_id], due[0], None
    seen = store.seen_ids()
    fresh = next((c for c in cards if c.id not in seen), None)
    if fresh is not None:
        return fresh, None, None
    return None, None, store.next_due_after(now, set(by_id))
