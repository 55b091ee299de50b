"""Renamed cards: history moves from an old id to the card that `replaces:` it, only when the user accepts.

Why not automatically: a bank the user merely lists (a friend's deck) could otherwise claim a
built-in card's id in `replaces:` and take its reviews for good. So a move is only *offered* when
- no loaded bank still defines the old id (the loader already refuses a live id in `replaces:`),
- the new card has no history of its own, and
- the old history came from the same bank as the new card (`card_origin`, recorded at the first
  review; history older than that record has no origin and may move to any bank, with consent);
and it happens only in `prep migrate`: one transaction, written to the `renames` table, reversible
with `prep migrate --undo`. Every other command only reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from interviewprep.errors import StoreError
from interviewprep.models import to_iso


@dataclass(frozen=True)
class Rename:
    """An offer to move `old`'s history (`reviews` of them) to `new`; `refused` says why not, if so."""

    old: str
    new: str
    reviews: int
    refused: str = ""

    def describe(self) -> str:
        if self.refused:
            return f"card {self.new} cannot take over the history of {self.old}: {self.refused}"
        return (f"card {self.new} takes over the history of {self.old} ({self.reviews} reviews); "
                "run `prep migrate` to accept")


def offers(store, renames: dict[str, str], origins: dict[str, str | None]) -> list[Rename]:
    """What `prep migrate` would do for {old id: new id}; `origins` gives each new card's bank."""
    out = []
    q = store.conn.execute
    for old, new in sorted(renames.items()):
        if not q("SELECT 1 FROM card_state WHERE card_id = ?", (old,)).fetchone():
            continue  # nothing to carry
        if q("SELECT 1 FROM card_state WHERE card_id = ?", (new,)).fetchone():
            continue  # the new card has its own history: moved before, or studied under its new id
        reviews = q("SELECT count(*) FROM review_log WHERE card_id = ?", (old,)).fetchone()[0]
        row = q("SELECT bank FROM card_origin WHERE card_id = ?", (old,)).fetchone()
        refused = ""
        if row is not None and row[0] != origins.get(new):
            refused = f"its history came from {row[0]}, and {new} is in {origins.get(new) or 'an unknown bank'}"
        out.append(Rename(old, new, reviews, refused))
    return out


def accept(store, offered: list[Rename], now: datetime) -> list[Rename]:
    """Carry out the offers that are not refused, in one transaction; returns what moved."""
    moving = [r for r in offered if not r.refused]
    if not moving:
        return []
    try:
        with store.transaction():
            batch = store.conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM renames").fetchone()[0]
            for r in moving:
                _move(store.conn, r.old, r.new)
                store.conn.execute("INSERT INTO renames (batch, old_id, new_id, reviews, done_at)"
                                   " VALUES (?, ?, ?, ?, ?)", (batch, r.old, r.new, r.reviews, to_iso(now)))
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: the renames were NOT carried out: {exc}") from None
    return moving


def undo_last(store, now: datetime) -> list[Rename]:
    """Move the last accepted batch back to the old ids (with any reviews made since); returns it."""
    try:
        with store.transaction():
            row = store.conn.execute("SELECT max(batch) FROM renames WHERE undone_at IS NULL").fetchone()
            if row[0] is None:
                return []
            rows = store.conn.execute("SELECT id, old_id, new_id, reviews FROM renames WHERE batch = ?"
                                      " ORDER BY id DESC", (row[0],)).fetchall()
            for rid, old, new, _ in rows:
                if store.conn.execute("SELECT 1 FROM card_state WHERE card_id = ?", (old,)).fetchone():
                    raise StoreError(f"{store.path}: {old} has history again; the rename to {new} cannot be undone")
                _move(store.conn, new, old)
                store.conn.execute("UPDATE renames SET undone_at = ? WHERE id = ?", (to_iso(now), rid))
            return [Rename(old, new, n) for _, old, new, n in rows]
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: the undo was NOT carried out: {exc}") from None


def _move(conn, src: str, dst: str) -> None:
    conn.execute("UPDATE card_state SET card_id = ? WHERE card_id = ?", (dst, src))
    conn.execute("UPDATE review_log SET card_id = ? WHERE card_id = ?", (dst, src))
    conn.execute("UPDATE OR REPLACE card_origin SET card_id = ? WHERE card_id = ?", (dst, src))
    conn.execute("UPDATE OR REPLACE card_marks SET card_id = ? WHERE card_id = ?", (dst, src))
