"""Snapshots of a store's database file, with SQLite's online backup API, and their pruning.

Apart from backup.py (daily backups, restore) so that the store can snapshot itself before a migration
without importing backup.py, which needs the store: the store and its backups import one way only.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from interviewprep.errors import StoreError

KEEP = 7
PREFIX = "prep-"


def backup_dir(home: Path) -> Path:
    return Path(home) / "backups"


def list_backups(home: Path) -> list[Path]:
    """Existing backups, oldest first."""
    folder = backup_dir(home)
    return sorted(folder.glob(f"{PREFIX}*.sqlite3")) if folder.is_dir() else []


def backup(store, dest: Path | None, now: datetime, reason: str = "manual") -> Path:
    """Snapshot `store` (anything with `.conn` and `.path`) into `dest` (default: a new file in
    backups/), then prune old automatic ones."""
    if dest is None:
        folder = backup_dir(store.path.parent)
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    dest = Path(dest)
    if dest.exists():
        raise StoreError(f"{dest}: already exists; choose another file name")
    tmp = dest.with_name(dest.name + ".partial")
    try:
        target = sqlite3.connect(tmp)
        with target:
            store.conn.backup(target)
        target.close()
        tmp.replace(dest)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{dest}: backup failed: {exc}") from None
    prune(store.path.parent)
    return dest


def prune(home: Path, keep: int = KEEP) -> None:
    for old in list_backups(home)[:-keep]:
        old.unlink(missing_ok=True)
