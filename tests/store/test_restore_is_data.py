"""A restored file is data, not code: only valid rows of our tables reach the live database."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timezone

from interviewprep.models import CardState, Phase, Rating, Review, to_iso
from interviewprep.store import migrations
from interviewprep.store.db import DB_NAME, Store
from tests.conftest import prep, run_prep, user

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def backup_with(tmp_path, name: str, rows: int = 2) -> tuple:
    """A real prep database with `rows` reviews, written by our store, then copied to `name`."""
    home = tmp_path / f"maker-{name.replace('/', '_').replace('#', '_')}"
    store = Store.open(home)
    for i in range(rows):
        state = CardState(f"c{i}", Phase.REVIEW, T0)
        store.record(Review(f"c{i}", Rating.GOOD, T0), state, None)
    store.close()
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(home / DB_NAME, target)
    return target, sqlite3.connect(target)


def live(home) -> sqlite3.Connection:
    return sqlite3.connect(home / DB_NAME)


def test_a_planted_trigger_does_not_come_along(isolated_home, tmp_path):
    source, conn = backup_with(tmp_path, "evil.sqlite3")
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON review_log BEGIN DELETE FROM review_log; END")
    conn.execute("CREATE VIEW spy AS SELECT * FROM review_log")
    conn.commit()
    conn.close()
    assert prep("restore", source).exit_code == 0
    names = {r[0] for r in live(isolated_home).execute("SELECT name FROM sqlite_master")}
    assert "wipe" not in names and "spy" not in names
    store = Store.open(isolated_home)
    store.record(Review("new", Rating.GOOD, T0), CardState("new", Phase.REVIEW, T0), None)
    store.close()
    assert live(isolated_home).execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    assert prep("doctor", "--no-builtin").exit_code in (0, 1)


def hostile_backup(tmp_path) -> str:
    """Tables shaped like ours but without our constraints, holding values no command can read."""
    path = tmp_path / "bad.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE card_state (card_id TEXT, phase INTEGER, step INTEGER, stability REAL, difficulty REAL,
                                 due TEXT, last_review TEXT, lapses INTEGER, reps INTEGER);
        CREATE TABLE review_log (id INTEGER PRIMARY KEY, card_id TEXT, rating INTEGER, reviewed_at TEXT,
                                 duration_ms INTEGER, state_before TEXT);
        CREATE TABLE meta (key TEXT, value TEXT);
        PRAGMA user_version = 4;
    """)
    good = to_iso(T0)
    conn.executemany("INSERT INTO card_state VALUES (?, ?, NULL, 2.0, 5.0, ?, NULL, 0, 1)",
                     [("ok", 2, good), ("nine", 9, good), ("when", 2, "yesterday"), ("Bad Id", 2, good)])
    conn.executemany("INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before)"
                     " VALUES (?, ?, ?, ?, ?)",
                     [("ok", 3, good, 1000, None), ("ok", 7, good, 1000, None), ("ok", 3, "later", None, None),
                      ("ok", 2, good, None, json.dumps({"card_id": "ok", "phase": 9, "due": good}))])
    conn.execute("INSERT INTO meta VALUES ('plan', '[[[[')")
    conn.commit()
    conn.close()
    return str(path)


def test_bad_values_are_left_out_and_counted_and_nothing_crashes(isolated_home, tmp_path, small_bank):
    result = run_prep("restore", hostile_backup(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 card states, 1 reviews; 7 row(s) with bad values were left out" in result.stdout
    assert "card_state row 2: phase = 9" in result.stdout
    own = user(small_bank)
    for command in (["stats"], ["list"], ["next"], ["doctor"], ["plan", "--show"], ["show", "a-one"]):
        after = run_prep(*command, *own)
        assert "Traceback" not in after.stdout + after.stderr, (command, after.stderr)
    doctor = json.loads(run_prep("doctor", "--json", *own).stdout)
    assert {f["name"]: f["ok"] for f in doctor["findings"]}["values"] is True


def test_doctor_counts_bad_values_in_the_live_database(isolated_home, small_bank):
    store = Store.open(isolated_home)
    store.conn.execute("INSERT INTO card_state (card_id, phase, due) VALUES ('x', 9, 'yesterday')")
    store.conn.commit()
    store.close()
    result = run_prep("doctor", "--json", "--no-builtin", "--bank", str(small_bank))
    found = {f["name"]: f for f in json.loads(result.stdout)["findings"]}
    assert found["values"]["ok"] is False and "card_state row" in found["values"]["detail"]
    assert result.returncode == 1


def test_a_hash_in_the_name_restores_that_file_not_its_sibling(isolated_home, tmp_path):
    wanted, conn = backup_with(tmp_path, "bk/week#2.sqlite3", rows=3)
    conn.close()
    decoy, conn = backup_with(tmp_path, "bk/week", rows=1)
    conn.close()
    assert prep("restore", wanted).exit_code == 0
    assert live(isolated_home).execute("SELECT count(*) FROM review_log").fetchone()[0] == 3


def test_restore_leaves_nothing_beside_the_source_and_does_not_touch_it(isolated_home, tmp_path):
    source, conn = backup_with(tmp_path, "ro/snap.sqlite3")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    before = sorted(p.name for p in source.parent.iterdir())
    stamp = source.stat().st_mtime_ns
    source.parent.chmod(0o555)
    try:
        assert prep("restore", source).exit_code == 0
    finally:
        source.parent.chmod(0o755)
    assert sorted(p.name for p in source.parent.iterdir()) == before
    assert source.stat().st_mtime_ns == stamp
    assert not list(isolated_home.glob(".restore-*"))


def test_a_file_of_unknown_schema_is_refused_and_the_live_database_kept(isolated_home, tmp_path):
    store = Store.open(isolated_home)
    store.record(Review("kept", Rating.GOOD, T0), CardState("kept", Phase.REVIEW, T0), None)
    store.close()
    future = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(future)
    conn.executescript(f"CREATE TABLE card_state (x); CREATE TABLE review_log (y); "
                       f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 7};")
    conn.close()
    result = run_prep("restore", str(future))
    assert result.returncode == 1 and "not a prep review database (schema" in result.stderr
    assert "Traceback" not in result.stderr
    assert live(isolated_home).execute("SELECT card_id FROM review_log").fetchall() == [("kept",)]
