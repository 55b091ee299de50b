"""Bury, suspend and flag in the store (migration 6, card_marks): real SQLite files, old databases upgraded."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.store import backup as backups
from interviewprep.store import migrations, renames
from interviewprep.store.db import Marks, Store
from interviewprep.store.snapshot import backup, list_backups

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def state(card_id, phase=Phase.REVIEW, due=T0):
    return CardState(card_id, phase, due, stability=3.0, difficulty=5.0, last_review=T0, reps=1)


def test_marks_are_set_read_back_and_cleared(tmp_path):
    store = Store.open(tmp_path)
    store.mark(["a", "b"], "suspended_at", T0)
    store.mark(["b"], "flagged_at", T0)
    store.mark(["c"], "buried_until", T0 + timedelta(hours=5))
    store.close()
    store = Store.open(tmp_path)  # persisted, not kept in memory
    assert store.marks() == {"a": Marks(suspended_at=T0), "b": Marks(suspended_at=T0, flagged_at=T0),
                             "c": Marks(buried_until=T0 + timedelta(hours=5))}
    assert store.held(T0) == {"a", "b", "c"}
    store.mark(["a", "b"], "suspended_at", None)
    assert store.held(T0) == {"c"}
    # a card with nothing set loses its row; a flag alone holds nothing back
    assert set(store.marks()) == {"b", "c"}
    assert store.conn.execute("SELECT count(*) FROM card_marks").fetchone()[0] == 2


def test_a_burial_ends_at_its_time(tmp_path):
    store = Store.open(tmp_path)
    until = T0 + timedelta(hours=5)
    store.mark(["c"], "buried_until", until)
    assert store.held(until - timedelta(seconds=1)) == {"c"}
    assert store.held(until) == set()
    assert not store.marks()["c"].held(until) and store.marks()["c"].held(T0)


def test_an_existing_schema_5_database_is_upgraded_with_its_data_and_a_backup(tmp_path):
    conn = sqlite3.connect(tmp_path / "prep.sqlite3")
    for script in migrations.MIGRATIONS[:5]:
        for statement in migrations.statements(script):
            conn.execute(statement)
    conn.execute("INSERT INTO review_log (card_id, rating, reviewed_at) VALUES ('a', 3, '2026-01-01T00:00:00.000000Z')")
    conn.execute("INSERT INTO card_state (card_id, phase, due) VALUES ('a', 2, '2026-01-05T00:00:00.000000Z')")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    store = Store.open(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    assert store.state("a").phase == Phase.REVIEW and len(store.history("a")) == 1
    assert store.marks() == {}
    store.mark(["a"], "suspended_at", T0)
    assert store.held(T0) == {"a"}
    kept = list_backups(tmp_path)
    assert len(kept) == 1 and "before-schema-6" in kept[0].name


def test_marks_survive_backup_and_restore_and_follow_a_rename(tmp_path):
    home = tmp_path / "home"
    store = Store.open(home)
    store.record(Review("old-id", Rating.GOOD, T0), state("old-id"), None)
    store.mark(["old-id"], "flagged_at", T0)
    store.mark(["other"], "suspended_at", T0)
    saved = backup(store, tmp_path / "copy.sqlite3", T0)
    store.mark(["old-id", "other"], "flagged_at", None)
    store.mark(["other"], "suspended_at", None)
    store.close()
    backups.restore(home, saved, T0 + timedelta(minutes=1))
    store = Store.open(home)
    assert store.marks() == {"old-id": Marks(flagged_at=T0), "other": Marks(suspended_at=T0)}
    moved = renames.accept(store, renames.offers(store, {"old-id": "new-id"}, {"new-id": None}), T0)
    assert [r.new for r in moved] == ["new-id"]
    assert set(store.marks()) == {"new-id", "other"}


def test_a_bad_mark_row_is_refused_by_restore(tmp_path):
    home = tmp_path / "home"
    store = Store.open(home)
    store.mark(["good"], "suspended_at", T0)
    store.conn.execute("INSERT INTO card_marks (card_id, buried_until) VALUES ('bad', 'tomorrow')")
    saved = backup(store, tmp_path / "copy.sqlite3", T0)
    store.close()
    result = backups.restore(home, saved, T0)
    assert result.refused == 1
    assert set(Store.open(home).marks()) == {"good"}


def test_reviews_counted_for_the_daily_limit_are_review_cards_once_each(tmp_path):
    store = Store.open(tmp_path)
    day = T0 - timedelta(hours=2)
    store.record(Review("yesterday", Rating.GOOD, day - timedelta(hours=1)), state("yesterday"), state("yesterday"))
    store.record(Review("r1", Rating.AGAIN, T0), state("r1", Phase.RELEARNING), state("r1"))
    store.record(Review("r1", Rating.GOOD, T0), state("r1"), state("r1", Phase.RELEARNING))  # a relearning step
    store.record(Review("r2", Rating.GOOD, T0), state("r2"), state("r2"))
    store.record(Review("n1", Rating.GOOD, T0), state("n1", Phase.LEARNING), None)  # a new card
    store.record(Review("n1", Rating.GOOD, T0), state("n1"), state("n1", Phase.LEARNING))  # a learning step
    assert store.reviewed_since(day) == 2
