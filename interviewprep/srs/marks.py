"""Bury, suspend and flag: setting a card aside for a day or for good, or marking it to look at later.

As in Anki: a buried card comes back at the start of the next study day (clock.start_of_day, 4 a.m.
by default); a suspended card only when unsuspended; a flag changes nothing about scheduling. The
store keeps the marks (table card_marks); every command that picks cards asks `store.held(now)` and
leaves those out. The quiz (Session) and `prep bury/suspend/flag` both come through here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from interviewprep.clock import start_of_day
from interviewprep.store.db import Marks, Store

STATES = ("buried", "suspended", "flagged")


def next_day_start(now: datetime) -> datetime:
    """When the study day after the one containing `now` begins (23 or 25 hours on a DST change)."""
    return start_of_day(start_of_day(now) + timedelta(hours=25))


def bury(store: Store, card_ids, now: datetime) -> datetime:
    """Hide `card_ids` until the next study day begins; returns that moment."""
    until = next_day_start(now)
    store.mark(card_ids, "buried_until", until)
    return until


def unbury(store: Store, card_ids) -> None:
    store.mark(card_ids, "buried_until", None)


def suspend(store: Store, card_ids, now: datetime) -> None:
    """Hide `card_ids` until `unsuspend`; their schedule is kept as it was."""
    store.mark(card_ids, "suspended_at", now)


def unsuspend(store: Store, card_ids) -> None:
    store.mark(card_ids, "suspended_at", None)


def flag(store: Store, card_ids, now: datetime, on: bool = True) -> None:
    store.mark(card_ids, "flagged_at", now if on else None)


def labels(marks: Marks | None, now: datetime) -> tuple[str, ...]:
    """Which of STATES hold for a card at `now` (a burial that has ended is not one)."""
    if marks is None:
        return ()
    out = []
    if marks.buried_until is not None and marks.buried_until > now:
        out.append("buried")
    if marks.suspended_at is not None:
        out.append("suspended")
    if marks.flagged_at is not None:
        out.append("flagged")
    return tuple(out)


def in_state(store: Store, state: str, now: datetime) -> set[str]:
    """Ids of the cards that are `state` (one of STATES) at `now`, for `prep list --state`."""
    return {cid for cid, m in store.marks().items() if state in labels(m, now)}
