"""Snapshots of a store's database file, with SQLite's online backup API, and their pruning.

Apart from backup.py (daily backups, restore) so that the store can snapshot itself before a migration
without importing backup.py, which needs the store: the store and its backups import one way only.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
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
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot make the backups folder: {exc.strerror or exc}") from None
        dest = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    dest = Path(dest)
    if dest.exists() or dest.is_symlink():
        raise StoreError(f"{dest}: already exists; choose another file name")
    clear_stale_partials(backup_dir(store.path.parent), now)
    tmp = None
    try:
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX)
        os.close(fd)
        tmp = Path(name)  # a name of our own: never an existing file of the user's
        target = sqlite3.connect(tmp)
        with target:
            store.conn.backup(target)
        target.close()
        tmp.replace(dest)
    except (OSError, sqlite3.Error) as exc:
        if tmp is not None:
            _remove_partial(tmp)
        raise StoreError(f"{dest}: backup failed: {exc}") from None
    prune(store.path.parent)
    return dest


PARTIAL_PREFIX, PARTIAL_SUFFIX = ".prep-backup-", ".partial"
AUTOMATIC = re.compile(rf"^{PREFIX}\d{{8}}-\d{{6}}-\d{{6}}-(daily|before-restore|before-schema-\d+)\.sqlite3$")


def _remove_partial(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def clear_stale_partials(folder: Path, now: datetime, age_seconds: float = 3600) -> None:
    """Remove what a backup killed mid-copy left in our backups folder (our own names only, an hour old)."""
    if not folder.is_dir():
        return
    for path in folder.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        try:
            if now.timestamp() - path.stat().st_mtime > age_seconds:
                _remove_partial(path)
        except OSError:
            pass


def prune(home: Path, keep: int = KEEP) -> None:
    """Keep the newest `keep` automatic backups; a manual one, or any file not named by us, is never removed."""
    automatic = [p for p in list_backups(home) if AUTOMATIC.match(p.name)]
    for old in automatic[:-keep]:
        old.unlink(missing_ok=True)
