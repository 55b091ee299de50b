"""Backups of the review database, with SQLite's online backup API.

Why the backup API and not a file copy: it produces a consistent snapshot even while another
`prep` is writing (WAL mode), and restoring through it replaces the live database's content in one
step instead of swapping files under an open connection. Backups live in `<data dir>/backups/`,
named by UTC time so that name order is age order; the newest `KEEP` are kept.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from interviewprep.errors import StoreError
from interviewprep.store.db import DB_NAME, Store, damaged
from interviewprep.store.migrations import MIGRATIONS
from interviewprep.store.snapshot import KEEP, PREFIX, backup, backup_dir, list_backups, prune  # noqa: F401


def daily_backup(store: Store, now: datetime) -> Path | None:
    """Back up once per UTC day, on the first use that writes; returns the new file, if any."""
    existing = list_backups(store.path.parent)
    stamp = f"{PREFIX}{now:%Y%m%d}-"
    if existing and existing[-1].name.startswith(stamp):
        return None
    if store.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0:
        return None  # nothing worth keeping yet
    return backup(store, None, now, reason="daily")


def check_file(path: Path) -> None:
    """Refuse anything that is not an intact review database of a schema we know."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such backup file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable review database ({exc})") from None
    if result != "ok":
        raise StoreError(f"{path}: fails the integrity check ({result})")
    if not 1 <= version <= len(MIGRATIONS) or not {"card_state", "review_log"} <= tables:
        raise StoreError(f"{path}: not a prep review database (schema {version})")


def restore(home: Path, source: Path, now: datetime) -> Path | None:
    """Replace the live database's content with `source`, backing up the current one first.

    Returns the backup made of the current database (None when there was none or it was damaged:
    a damaged database is moved aside, never overwritten or deleted).
    """
    check_file(source)
    home = Path(home)
    live = home / DB_NAME
    saved = None
    if live.exists():
        try:
            store = Store.open(home)
        except StoreError:
            aside = live.with_name(f"{DB_NAME}.damaged-{now:%Y%m%d-%H%M%S}")
            live.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(str(live) + suffix).unlink(missing_ok=True)
            store = None
        if store is not None:
            saved = backup(store, None, now, reason="before-restore")
            store.close()
    home.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(live)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
    Store.open(home).close()  # migrate a restored older schema forward
    return saved


def integrity(store: Store) -> str:
    try:
        return store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(damaged(store.path, exc)) from None
