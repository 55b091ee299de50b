"""Backups, restore, doctor, renamed cards and damaged databases, with real files and the real CLI."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone

from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.store import backup as backups
from interviewprep.store.db import DB_NAME, Store
from tests.conftest import deck_yaml, prep, user

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)


def rate(store, card_id, when=T0):
    store.record(Review(card_id, Rating.GOOD, when), CardState(card_id, Phase.REVIEW, when + timedelta(days=2),
                                                               stability=2.0, difficulty=5.0, last_review=when), None)


def reviews(home) -> int:
    conn = sqlite3.connect(home / DB_NAME)
    try:
        return conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        conn.close()


def test_backup_and_restore_round_trip(isolated_home, tmp_path):
    store = Store.open(isolated_home)
    rate(store, "a")
    store.close()
    out = tmp_path / "snap.sqlite3"
    assert prep("backup", "-o", str(out)).exit_code == 0
    store = Store.open(isolated_home)
    rate(store, "b")
    store.close()
    assert reviews(isolated_home) == 2
    result = prep("restore", str(out))
    assert result.exit_code == 0, result.output
    assert reviews(isolated_home) == 1
    saved = [p for p in backups.list_backups(isolated_home) if "before-restore" in p.name]
    assert len(saved) == 1  # the two-review database was kept before being replaced
    assert sqlite3.connect(saved[0]).execute("SELECT count(*) FROM review_log").fetchone()[0] == 2


def test_backup_refuses_to_overwrite(isolated_home, tmp_path):
    Store.open(isolated_home).close()
    out = tmp_path / "snap.sqlite3"
    out.write_text("precious")
    result = prep("backup", "-o", str(out))
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_text() == "precious"


def test_restore_refuses_a_file_that_is_not_a_prep_database(isolated_home, tmp_path):
    store = Store.open(isolated_home)
    rate(store, "a")
    store.close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 50)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    for bad in (junk, other, tmp_path / "missing.sqlite3"):
        result = prep("restore", str(bad))
        assert result.exit_code == 1 and str(bad) in result.output
    assert reviews(isolated_home) == 1


def test_daily_backup_once_a_day_and_only_seven_kept(isolated_home):
    store = Store.open(isolated_home)
    assert backups.daily_backup(store, T0) is None  # nothing to keep yet
    rate(store, "a")
    assert backups.daily_backup(store, T0) is not None
    assert backups.daily_backup(store, T0 + timedelta(hours=3)) is None
    for day in range(1, 10):
        assert backups.daily_backup(store, T0 + timedelta(days=day)) is not None
    kept = backups.list_backups(isolated_home)
    assert len(kept) == 7 and kept[-1].name.startswith("prep-20260610")


def test_a_damaged_database_is_reported_with_the_restore_command_and_left_alone(isolated_home, small_bank):
    store = Store.open(isolated_home)
    for i in range(200):
        rate(store, f"c{i}")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db = isolated_home / DB_NAME
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # truncated
    before = db.read_bytes()
    for args in (["stats", "--no-builtin", "--bank", str(small_bank)], ["doctor", "--no-builtin"]):
        result = prep(*args)
        assert result.exit_code == 1, result.output
        assert "prep restore" in result.output or "integrity" in result.output
        assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_doctor_reports_orphans_and_paths(isolated_home, small_bank):
    store = Store.open(isolated_home)
    rate(store, "gone-card")
    store.close()
    prep("backup")
    result = prep("doctor", "--json", "--no-builtin", "--bank", str(small_bank))
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["healthy"]
    assert data["orphans"] == {"gone-card": 1}
    assert data["paths"]["database"] == str(isolated_home / DB_NAME)
    assert data["paths"]["config"].startswith(os.environ["PREP_CONFIG_DIR"])
    assert data["paths"]["cache"] == os.environ["PREP_CACHE"]


def test_renamed_card_takes_over_history_only_after_prep_migrate(isolated_home, tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    own = user(bank)
    (bank / "d.yaml").write_text(deck_yaml("d", ["old-name", "other"]), encoding="utf-8")
    prep("quiz", *own, "--new", "1", input=" \n4\nq\n")
    renamed = deck_yaml("d", ["new-name", "other"]).replace("  - id: new-name\n",
                                                             "  - id: new-name\n    replaces: [old-name]\n")
    (bank / "d.yaml").write_text(renamed, encoding="utf-8")
    offer = "card new-name takes over the history of old-name (1 reviews); run `prep migrate` to accept"
    for command in (["show", "new-name", "--lang", "en"], ["stats", "--json"], ["check"]):
        result = prep(*command, *own)
        assert offer in result.output, (command, result.output)
    assert "Review history" not in prep("show", "new-name", *own, "--lang", "en").output  # nothing moved yet
    migrated = prep("migrate", *own)
    assert migrated.exit_code == 0 and "moved: old-name -> new-name (1 reviews)" in migrated.output
    shown = prep("show", "new-name", *own, "--lang", "en")
    assert "Review history" in shown.output and "Easy" in shown.output and offer not in shown.output
    stats = json.loads(prep("stats", "--json", *own).stdout)
    assert stats["cards_seen"] == 1 and stats["cards_new"] == 1
    undone = prep("migrate", "--undo", *own)
    assert undone.exit_code == 0 and "moved back: new-name -> old-name" in undone.output
    assert offer in prep("show", "new-name", *own, "--lang", "en").output


def test_a_listed_friends_deck_cannot_take_a_builtin_cards_history(isolated_home, tmp_path):
    """The attack: a shared deck says `replaces: [activation-function-role]` and is merely listed."""
    prep("quiz", "--deck", "activations", "--new", "1", "--lang", "en", input=" \n3\nq\n")
    studied = json.loads(prep("list", "--json").stdout)
    (seen,) = [c["id"] for c in studied if c["state"]]
    friend = tmp_path / "friend"
    friend.mkdir()
    (friend / "f.yaml").write_text(deck_yaml("f", ["thief"]).replace(
        "  - id: thief\n", f"  - id: thief\n    replaces: [{seen}]\n"), encoding="utf-8")
    listed = prep("list", "--no-builtin", "--bank", str(friend))
    assert f"card thief cannot take over the history of {seen}: its history came from builtin" in listed.output
    migrated = prep("migrate", "--no-builtin", "--bank", str(friend))
    assert "moved:" not in migrated.output
    again = json.loads(prep("list", "--json").stdout)
    assert [c["id"] for c in again if c["state"]] == [seen]  # still the built-in card's, untouched


def test_replaces_colliding_with_a_live_id_fails_check(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    text = deck_yaml("d", ["a", "b"]).replace("  - id: b\n", "  - id: b\n    replaces: [a]\n")
    (bank / "d.yaml").write_text(text, encoding="utf-8")
    result = prep("check", "--no-builtin", "--bank", str(bank))
    assert result.exit_code == 1 and "replaces 'a', which is still a live card id" in result.output


def test_a_schema_migration_backs_up_the_old_database_first(isolated_home, monkeypatch):
    from interviewprep.store import db as store_module

    store = Store.open(isolated_home)
    rate(store, "a")
    store.close()
    current = len(store_module.MIGRATIONS)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, "CREATE TABLE extra (x INTEGER)"])
    upgraded = Store.open(isolated_home)
    assert upgraded.conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
    kept = backups.list_backups(isolated_home)
    assert len(kept) == 1 and f"before-schema-{current + 1}" in kept[0].name
    old = sqlite3.connect(kept[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == current
    assert old.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1


def test_a_rating_the_disk_refuses_is_not_reported_as_saved(small_bank, monkeypatch):
    """SQLite refusing the write (as on a full disk or read-only data dir): clear message, exit 1."""
    real_open = Store.open.__func__

    def open_read_only(cls, home):
        store = real_open(cls, home)
        store.conn.execute("PRAGMA query_only = ON")
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_read_only))
    result = prep("quiz", "--no-builtin", "--bank", str(small_bank), "--lang", "en",
                           input=" \n3\nq\n")
    assert result.exit_code == 1
    assert "the rating was NOT saved" in result.output
    assert "saved: Good" not in result.output
