"""A read-only folder or a full disk is said as that, with the path; backups never cost a study session
and never touch a file that is not theirs."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime, timezone

from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.store import snapshot
from interviewprep.store.db import DB_NAME, Store, damaged
from tests.conftest import prep

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def real_error(tmp_path, setup: str, statement: str, uri: str = "") -> sqlite3.Error:
    path = tmp_path / "x.sqlite3"
    sqlite3.connect(path).executescript(setup).close()
    conn = sqlite3.connect(f"file:{path}{uri}", uri=True)
    try:
        conn.executescript(statement)
    except sqlite3.Error as exc:
        return exc
    raise AssertionError("the statement should have failed")


def test_read_only_and_full_are_not_called_damaged(tmp_path):
    readonly = real_error(tmp_path, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)", "?mode=ro")
    message = damaged(tmp_path / DB_NAME, readonly)
    assert "read-only" in message and str(tmp_path) in message and "prep restore" not in message
    full = real_error(tmp_path / "..", "PRAGMA page_size = 512; CREATE TABLE t (x); PRAGMA max_page_count = 3",
                      "PRAGMA max_page_count = 3; INSERT INTO t VALUES (zeroblob(100000))")
    message = damaged(tmp_path / DB_NAME, full)
    assert "the disk is full" in message and "prep restore" not in message
    corrupt = sqlite3.DatabaseError("file is not a database")
    assert "prep restore" in damaged(tmp_path / DB_NAME, corrupt)


def test_a_failed_daily_backup_does_not_stop_the_quiz(isolated_home, small_bank):
    store = Store.open(isolated_home)
    store.record(Review("elsewhere", Rating.GOOD, T0), CardState("elsewhere", Phase.REVIEW, T0), None)
    store.close()
    (isolated_home / "backups").write_text("not a folder")  # as good as a full disk for the backup
    result = prep("quiz", "--no-builtin", "--bank", str(small_bank), "--lang", "en",
                           input=" \n3\nq\n")
    assert result.exit_code == 0, result.output
    assert "daily backup skipped" in result.output and "saved: Good" in result.output


def test_pruning_keeps_manual_backups_and_files_that_are_not_ours(isolated_home):
    store = Store.open(isolated_home)
    store.record(Review("a", Rating.GOOD, T0), CardState("a", Phase.REVIEW, T0), None)
    folder = isolated_home / "backups"
    folder.mkdir()
    mine = folder / "prep-my-notes.sqlite3"
    mine.write_text("the user's own file")
    manual = snapshot.backup(store, None, T0, reason="manual")
    for day in range(1, 12):
        snapshot.backup(store, None, T0.replace(day=day + 1), reason="daily")
    left = sorted(p.name for p in folder.iterdir())
    assert mine.read_text() == "the user's own file" and manual.exists()
    assert sum("-daily" in name for name in left) == snapshot.KEEP
    store.close()


def test_a_backup_killed_mid_copy_leaves_nothing_behind_next_time(isolated_home):
    store = Store.open(isolated_home)
    folder = isolated_home / "backups"
    folder.mkdir()
    stale = folder / f"{snapshot.PARTIAL_PREFIX}abc{snapshot.PARTIAL_SUFFIX}"
    stale.write_bytes(b"half a database")
    (folder / (stale.name + "-journal")).write_bytes(b"x")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    snapshot.backup(store, None, datetime.now(timezone.utc), reason="manual")
    assert not [p for p in folder.iterdir() if p.name.startswith(snapshot.PARTIAL_PREFIX)]
    store.close()


def test_a_backup_to_a_name_beside_a_users_partial_file_leaves_it_alone(isolated_home, tmp_path):
    store = Store.open(isolated_home)
    theirs = tmp_path / "snap.sqlite3.partial"
    theirs.write_text("someone's file")
    snapshot.backup(store, tmp_path / "snap.sqlite3", T0)
    assert theirs.read_text() == "someone's file" and (tmp_path / "snap.sqlite3").is_file()
    store.close()
