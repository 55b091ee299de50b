"""Progress figures beyond stats.compute: activity per day, due forecast, per-deck retention and
mastery, streak.

Why the day boundaries are computed in Python and the counting in SQL: a study day is a local day
starting at clock.day_start_hour(), and local days are not all 24 h long (DST), so a fixed UTC
offset in SQL would be wrong twice a year. Python computes the 30 exact boundaries; one indexed
GROUP BY query per chart counts the rows in each range, so the cost does not grow with the history.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from interviewprep.clock import day_start_hour, start_of_day
from interviewprep.models import Card
from interviewprep.srs.scheduler import recall_now
from interviewprep.store.db import Store

DAYS = 30
STREAK_LIMIT = 3650


def day_bounds(now: datetime, hour: int, first: int, count: int, tz=None) -> list[tuple[datetime, datetime]]:
    """[start, end) in UTC of `count` study days, from `first` days after today's (negative: before)."""
    today = start_of_day(now, hour, tz).astimezone(tz)
    bounds = []
    for offset in range(first, first + count + 1):
        local = today.replace(tzinfo=None) + timedelta(days=offset)
        bounds.append(start_of_day(_aware(local, tz), hour, tz))
    return list(zip(bounds[:-1], bounds[1:]))


def _aware(local_naive: datetime, tz) -> datetime:
    """A naive local wall time made aware (the local zone when tz is None, with its DST offset)."""
    return local_naive.replace(tzinfo=tz) if tz is not None else local_naive.astimezone()


def reviews_per_day(store: Store, now: datetime, hour: int, tz=None) -> list[dict]:
    """Reviews in each of the last 30 study days, today last."""
    ranges = day_bounds(now, hour, -(DAYS - 1), DAYS, tz)
    counts = store.reviews_in(ranges)
    return [{"date": f"{lo.astimezone(tz):%Y-%m-%d}", "reviews": n} for (lo, _), n in zip(ranges, counts)]


def due_forecast(store: Store, now: datetime, hour: int, tz=None) -> list[dict]:
    """Cards falling due on each of the next 30 study days; today includes everything overdue."""
    ranges = day_bounds(now, hour, 0, DAYS, tz)
    counts = store.due_in(ranges)
    return [{"date": f"{lo.astimezone(tz):%Y-%m-%d}", "due": n} for (lo, _), n in zip(ranges, counts)]


def streak(store: Store, now: datetime, hour: int, tz=None) -> int:
    """Study days in a row with at least one review, ending today (or yesterday, if today is still empty).

    One indexed probe per day, 64 days at a time in one statement.
    """
    days, first, chunk = 0, 0, 64
    while days < STREAK_LIMIT:
        bounds = day_bounds(now, hour, first - chunk + 1, chunk, tz)[::-1]  # newest first
        for i, hit in enumerate(store.reviewed_in(bounds)):
            if hit:
                days += 1
            elif first - i < 0:
                return days
        first -= chunk
    return days


def per_deck(cards: list[Card], store: Store, scheduler, now: datetime) -> list[dict]:
    """Per deck: cards, seen, reviews, true retention (share not Again) and mastery (mean retrievability now).

    Review counts come from the per-card totals the store keeps with triggers (one row per card, not
    one per review); unseen cards count as retrievability 0, so mastery is how much of the whole deck
    you would recall today.
    """
    totals = store.card_totals()
    recall = recall_now(scheduler, store, now)
    decks: dict[str, dict] = {}
    for card in cards:
        d = decks.setdefault(card.deck, {"deck": card.deck, "cards": 0, "seen": 0, "reviews": 0, "recalled": 0,
                                         "recall_sum": 0.0})
        d["cards"] += 1
        n, ok = totals.get(card.id, (0, 0))
        d["reviews"] += n
        d["recalled"] += ok
        r = recall.get(card.id)
        if r is not None:
            d["seen"] += 1
            d["recall_sum"] += r
    out = []
    for d in decks.values():
        out.append({"deck": d["deck"], "cards": d["cards"], "seen": d["seen"], "reviews": d["reviews"],
                    "retention": d["recalled"] / d["reviews"] if d["reviews"] else None,
                    "mastery": round(d["recall_sum"] / d["cards"], 4) if d["cards"] else 0.0})
    return out


def compute(cards: list[Card], store: Store, scheduler, now: datetime, hour: int | None = None, tz=None) -> dict:
    """The figures `prep stats` adds to stats.compute, as JSON-ready data."""
    hour = day_start_hour() if hour is None else hour
    return {
        "streak_days": streak(store, now, hour, tz),
        "reviews_per_day": reviews_per_day(store, now, hour, tz),
        "due_forecast": due_forecast(store, now, hour, tz),
        "decks": per_deck(cards, store, scheduler, now),
    }
