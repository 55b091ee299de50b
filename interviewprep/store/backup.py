"""Backups of the review database, with SQLite's online backup API.

Why the backup API and not a file copy: it produces a consistent snapshot even while another
`prep` is writing (WAL mode), and restoring through it replaces the live database's content in one
step instead of swapping files under an open connection. Backups live in `<data dir>/backups/`,
named by UTC time so that name order is age order; the newest `KEEP` are kept.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from interviewprep.errors import StoreError
from interviewprep.store import validate
from interviewprep.store.db import DB_NAME, Store, damaged
from interviewprep.store.migrations import MIGRATIONS
from interviewprep.store.snapshot import KEEP, PREFIX, backup, backup_dir, list_backups, prune  # noqa: F401


def daily_backup(store: Store, now: datetime) -> Path | None:
    """Back up once per UTC day, on the first use that writes; returns the new file, if any."""
    existing = list_backups(store.path.parent)
    stamp = f"{PREFIX}{now:%Y%m%d}-"
    if existing and existing[-1].name.startswith(stamp):
        return None
    if store.review_count() == 0:
        return None  # nothing worth keeping yet
    return backup(store, None, now, reason="daily")


@dataclass(frozen=True)
class Restored:
    """What `restore` did: the backup of the database it replaced, rows copied and rows refused."""

    saved: Path | None
    copied: dict  # table -> rows
    refused: int
    first_refused: str | None

    def describe(self, source) -> str:
        states, reviews = self.copied.get("card_state", 0), self.copied.get("review_log", 0)
        text = f"restored from {source}: {states} card states, {reviews} reviews"
        if self.refused:
            text += f"; {self.refused} row(s) with bad values were left out (first: {self.first_refused})"
        if self.saved:
            text += f"; the previous database was saved as {self.saved}"
        return text


def restore(home: Path, source: Path, now: datetime) -> Restored:
    """Replace the live database's content with the *rows* of `source`, backing up the current one first.

    The source is data, not code: its file is copied aside (so a read-only place, or a name with `#`
    or `?`, is read as it is, and nothing is left beside it), and only the rows of our tables that
    pass `validate.row_problem` are copied into a fresh database built by our own migrations. Its
    triggers, views and any other schema never reach the live database. A damaged live database
    is moved aside, never overwritten or deleted.
    """
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"{source}: no such backup file")
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=home) as folder:
        work = Path(folder)
        src = _open_copy(source, work)
        try:
            fresh = Store.open(work / "fresh")
            try:
                copied, refused, first = _copy_rows(src, fresh.conn)
            finally:
                fresh.close()
        finally:
            src.close()
        saved = _set_aside_live(home, now)
        built = sqlite3.connect(work / "fresh" / DB_NAME)
        live = sqlite3.connect(home / DB_NAME)
        try:
            with live:
                built.backup(live)
        except sqlite3.Error as exc:
            raise StoreError(f"{home / DB_NAME}: restore failed, the database is as it was: {exc}") from None
        finally:
            built.close()
            live.close()
    return Restored(saved, copied, refused, first)


def _open_copy(source: Path, folder: Path) -> sqlite3.Connection:
    """A connection to a private copy of `source` (and its -wal), after checking it is a prep database."""
    copy = folder / "source.sqlite3"
    try:
        shutil.copyfile(source, copy)
        wal = Path(str(source) + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
    except OSError as exc:
        raise StoreError(f"{source}: cannot read: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(copy)
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        raise StoreError(f"{source}: not a prep review database (not an SQLite file, or damaged)") from None
    if result != "ok":
        conn.close()
        raise StoreError(f"{source}: fails the integrity check ({result})")
    if not 1 <= version <= len(MIGRATIONS) or not {"card_state", "review_log"} <= tables:
        conn.close()
        raise StoreError(f"{source}: not a prep review database (schema {version})")
    return conn


def _copy_rows(src: sqlite3.Connection, dst: sqlite3.Connection) -> tuple[dict, int, str | None]:
    """Copy every valid row of our tables from `src` into `dst` (fresh, with our triggers) in one transaction."""
    copied, refused, first = {}, 0, None
    with dst:
        for table, columns in validate.COLUMNS.items():
            good = []
            for rowid, row in validate.rows(src, table):
                problem = validate.row_problem(table, row)
                if problem:
                    refused += 1
                    first = first or f"{table} row {rowid}: {problem}"
                else:
                    good.append(tuple(row[c] for c in columns))
            marks = ", ".join("?" for _ in columns)
            dst.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})", good)
            copied[table] = dst.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return copied, refused, first


def _set_aside_live(home: Path, now: datetime) -> Path | None:
    """Back up the live database before it is replaced; a damaged one is moved aside instead."""
    live = home / DB_NAME
    if not live.exists():
        return None
    try:
        store = Store.open(home)
    except StoreError:
        aside = live.with_name(f"{DB_NAME}.damaged-{now:%Y%m%d-%H%M%S}")
        live.replace(aside)
        for suffix in ("-wal", "-shm"):
            Path(str(live) + suffix).unlink(missing_ok=True)
        return None
    try:
        return backup(store, None, now, reason="before-restore")
    finally:
        store.close()


def integrity(store: Store) -> str:
    try:
        return store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(damaged(store.path, exc)) from None
