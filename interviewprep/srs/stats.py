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
