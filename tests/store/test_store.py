"""The store with real SQLite files and real processes: persistence, SIGKILL, concurrency, damage."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.errors import StoreError
from interviewprep.models import CardState, Phase, Rating, Review, to_iso
from interviewprep.store import renames
from interviewprep.store.db import DB_NAME, Store
from tests.conftest import REPO

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def state(card_id, due=T0, phase=Phase.REVIEW):
    return CardState(card_id, phase, due, stability=3.0, difficulty=5.0, last_review=T0, reps=1)


def test_migrations_set_the_schema_version(tmp_path):
    store = Store.open(tmp_path)
    from interviewprep.store.migrations import MIGRATIONS

    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    Store.open(tmp_path).close()  # re-opening an up-to-date store is a no-op


def test_record_and_read_back_across_processes(tmp_path):
    store = Store.open(tmp_path)
    store.record(Review("c1", Rating.GOOD, T0, 1500), state("c1", T0 + timedelta(days=3)), None)
    store.close()
    code = textwrap.dedent(f"""
        from pathlib import Path
        from interviewprep.store.db import Store
        s = Store.open(Path({str(tmp_path)!r}))
        h = s.history("c1")
        print(len(h), int(h[0].rating), h[0].duration_ms, s.state("c1").due.isoformat())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.split() == ["1", "3", "1500", (T0 + timedelta(days=3)).isoformat()]


def test_due_orders_most_overdue_first_and_filters(tmp_path):
    store = Store.open(tmp_path)
    for i, days in enumerate([3, 1, 2, -5]):
        store.record(Review(f"c{i}", Rating.GOOD, T0), state(f"c{i}", T0 - timedelta(days=days)), None)
    assert [s.card_id for s in store.due(T0)] == ["c0", "c2", "c1"]
    assert [s.card_id for s in store.due(T0, card_ids={"c1", "c3"})] == ["c1"]
    assert store.next_due_after(T0) == T0 + timedelta(days=5)


def test_not_a_database_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / DB_NAME
    path.write_bytes(b"this is not sqlite at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)
    assert str(path) in str(info.value) and "untouched" in str(info.value)
    assert path.read_bytes() == before


def test_failed_write_says_the_rating_was_not_saved(tmp_path):
    store = Store.open(tmp_path)
    store.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="NOT saved"):
        store.record(Review("c1", Rating.GOOD, T0), state("c1"), None)


RATER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from interviewprep.models import CardState, Phase, Rating, Review
    from interviewprep.store.db import Store
    home, prefix, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    s = Store.open(home)
    now = datetime(2026, 5, 1, tzinfo=timezone.utc)
    for i in range(n):
        cid = f"{prefix}{i}"
        s.record(Review(cid, Rating.GOOD, now), CardState(cid, Phase.REVIEW, now, stability=1.0,
                 difficulty=5.0, last_review=now), None)
    print("done")
""")


def test_two_processes_rating_at_once_lose_nothing(tmp_path):
    Store.open(tmp_path).close()
    procs = [subprocess.Popen([sys.executable, "-c", RATER, str(tmp_path), p, "150"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in ("a", "b")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    store = Store.open(tmp_path)
    assert store.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 300
    assert len(store.seen_ids()) == 300


def recorded(store, review):
    """Record `review` (with a fresh state) and return it with the id the store gave it."""
    return dataclasses.replace(review, id=store.record(review, state(review.card_id), None))


def test_undo_removes_exactly_its_review_and_refuses_a_stranger(tmp_path):
    store = Store.open(tmp_path)
    mine = recorded(store, Review("a", Rating.GOOD, T0))
    other = recorded(store, Review("b", Rating.GOOD, T0 + timedelta(minutes=1)))
    # a restore under a running quiz: review ids now belong to other cards' reviews
    impostor = dataclasses.replace(mine, id=other.id)
    with pytest.raises(StoreError, match="no longer in the log; nothing was removed"):
        store.undo(impostor)
    assert store.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 2
    assert store.undo(mine) == "a"
    assert [r[0] for r in store.conn.execute("SELECT card_id FROM review_log")] == ["b"]


def test_review_total_follows_inserts_and_undo(tmp_path):
    store = Store.open(tmp_path)
    reviews = [recorded(store, Review(f"c{i}", Rating.GOOD, T0)) for i in range(3)]
    store.undo(reviews[1])
    counts = store.counts(T0, T0, T0)
    assert counts.reviews_total == 2 == store.conn.execute("SELECT count(*) FROM review_log").fetchone()[0]


def test_next_and_stats_queries_never_scan_the_review_log(tmp_path):
    """EXPLAIN QUERY PLAN of every statement `next` and `stats` run: no full SCAN of review_log."""
    store = Store.open(tmp_path)
    statements = []
    store.conn.set_trace_callback(statements.append)
    store.due(T0, limit=1)
    store.next_due_after(T0)
    store.seen_ids()
    store.counts(T0, T0 - timedelta(hours=8), T0 - timedelta(days=30))
    store.conn.set_trace_callback(None)
    assert len(statements) >= 8
    for sql in statements:
        plan = " ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN review_log" not in plan, (sql, plan)
        if "review_log" in sql:
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (sql, plan)


def test_the_pace_is_read_from_an_index_alone(tmp_path):
    """`prep plan`'s measured minutes a day sum four weeks of durations: from the index, not a row lookup each."""
    store = Store.open(tmp_path)
    statements = []
    store.conn.set_trace_callback(statements.append)
    store.timed_ms_per_study_day(T0 - timedelta(days=28), 4, 60_000)
    store.conn.set_trace_callback(None)
    (sql,) = [s for s in statements if "review_log" in s]
    plan = " ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "USING COVERING INDEX" in plan, plan


def test_card_totals_follow_inserts_undo_and_renames(tmp_path):
    store = Store.open(tmp_path)
    first = recorded(store, Review("a", Rating.AGAIN, T0))
    store.record(Review("a", Rating.GOOD, T0 + timedelta(minutes=1)), state("a"), None)
    store.record(Review("b", Rating.EASY, T0), state("b"), None)
    assert store.card_totals() == {"a": (2, 1), "b": (1, 1)}
    store.undo(first)
    assert store.card_totals() == {"a": (1, 1), "b": (1, 1)}
    renames.accept(store, renames.offers(store, {"b": "c"}, {"c": None}), T0)
    assert store.card_totals() == {"a": (1, 1), "c": (1, 1)}
    recount = dict((cid, (n, ok)) for cid, n, ok in store.conn.execute(
        "SELECT card_id, count(*), sum(rating > 1) FROM review_log GROUP BY card_id"))
    assert store.card_totals() == recount


STEPS = st.lists(st.tuples(st.sampled_from(["record", "undo", "rename"]), st.sampled_from("abc"),
                           st.integers(-48, 48)), max_size=25)


@settings(max_examples=60, deadline=None)
@given(steps=STEPS)
def test_cards_introduced_since_a_time_are_those_whose_first_review_is_not_earlier(tmp_path_factory, steps):
    """introduced_since reads card_totals: after any inserts, undos and renames it counts what the log says."""
    store = Store.open(tmp_path_factory.mktemp("home"))
    done = []
    try:
        for action, card, hours in steps:
            if action == "record":
                done.append(recorded(store, Review(card, Rating.GOOD, T0 + timedelta(hours=hours))))
            elif action == "undo" and done:
                store.undo(done.pop())
            elif action == "rename" and card in store.seen_ids():
                to = card.upper()
                renames.accept(store, renames.offers(store, {card: to}, {to: None}), T0)
                done = [r for r in done if r.card_id != card]  # their ids now belong to the new card
        firsts = dict(store.conn.execute("SELECT card_id, min(reviewed_at) FROM review_log GROUP BY card_id"))
        for hours in (-49, -1, 0, 1, 49):
            start = T0 + timedelta(hours=hours)
            want = sum(1 for first in firsts.values() if first >= to_iso(start))
            assert store.introduced_since(start) == want
    finally:
        store.close()


def test_an_old_database_is_migrated_with_its_totals(tmp_path):
    """A schema-1 database with reviews gets correct totals from migrations 2 and 3."""
    import sqlite3

    from interviewprep.store import migrations

    conn = sqlite3.connect(tmp_path / "prep.sqlite3")
    conn.executescript(migrations.MIGRATIONS[0])
    conn.executemany("INSERT INTO review_log (card_id, rating, reviewed_at) VALUES (?, ?, ?)",
                     [("a", 1, "2026-01-01T00:00:00.000000Z"), ("a", 3, "2026-01-02T00:00:00.000000Z"),
                      ("b", 4, "2026-01-02T00:00:00.000000Z")])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store.open(tmp_path)
    assert store.counts(T0, T0, T0).reviews_total == 3
    assert store.card_totals() == {"a": (2, 1), "b": (1, 1)}


def test_states_read_back_equal_to_the_states_written(tmp_path):
    """Store reads states without CardState's __init__ (store/db._state): they must be equal, frozen and
    hash alike, with every phase and with and without optional fields."""
    now = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)
    store = Store.open(tmp_path)
    written = [CardState("a", Phase.LEARNING, now, step=0),
               CardState("b", Phase.REVIEW, now + timedelta(days=3), None, 4.5, 6.25, now, 1, 7),
               CardState("c", Phase.RELEARNING, now - timedelta(hours=1), 1, 0.5, 9.0, now - timedelta(days=2), 3, 9)]
    for state in written:
        with store.transaction():
            store._put_state(state)
    read = store.states()
    assert [read[s.card_id] for s in written] == written
    assert {hash(s) for s in read.values()} == {hash(s) for s in written}
    assert repr(read["b"]) == repr(written[1]) and read["b"].due.tzinfo is timezone.utc
    with pytest.raises(dataclasses.FrozenInstanceError):
        read["a"].reps = 5
    store.close()


def test_meta_is_set_read_and_deleted_and_a_second_process_sees_it(tmp_path):
    store = Store.open(tmp_path)
    store.set_meta("plan", "{}")
    store.set_meta("other", "kept")
    store.delete_meta("plan")
    store.delete_meta("never-set")  # nothing to delete is not an error
    again = Store.open(tmp_path)
    assert again.get_meta("plan") is None and again.get_meta("other") == "kept"
