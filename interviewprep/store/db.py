"""The review store: each card's scheduling state and the append-only review log, in SQLite.

Why SQLite: one file, transactional, safe to share between two terminals (WAL + busy timeout),
and every rating survives a SIGKILL the moment `record` returns, because each rating is its own
committed transaction. The schema is versioned with `PRAGMA user_version` and numbered migrations.
Times are stored as fixed-width UTC text (models.to_iso) so that text order is time order and the
indexes on `due` and `reviewed_at` serve range queries directly.
"""

from __future__ import annotations

import errno
import functools
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from interviewprep.clock import utc_now
from interviewprep.errors import StoreError
from interviewprep.models import CardState, Phase, Rating, Review, from_iso, to_iso
from interviewprep.store.migrations import MIGRATIONS, statements

DB_NAME = "prep.sqlite3"



def damaged(path: Path, exc: Exception) -> str:
    """The message for a database that cannot be used: what, where, and what to do.

    A read-only folder, a full disk or a locked file is said as that, with the path; only a file
    that SQLite finds corrupt or not a database at all gets the advice to restore a backup.
    """
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    folder = Path(path).parent
    err = getattr(exc, "errno", None)
    if code == SQLITE_READONLY or err in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{path}: cannot write there (the data folder {folder} or the file is read-only); "
                "make it writable or choose another folder with --home or $PREP_HOME")
    if code == SQLITE_FULL or err == errno.ENOSPC:
        return f"{path}: the disk is full; free some space on the disk that holds {folder}"
    if code == SQLITE_CANTOPEN:
        return f"{path}: cannot open the file (check that {folder} exists and is yours to write)"
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return f"{path}: another program holds the database locked; try again when it is done"
    return (f"{path}: not a usable review database ({exc}); it was left untouched. "
            f"Restore a backup with `prep restore FILE` (backups are kept in {folder / 'backups'}).")


# SQLite's primary result codes (https://sqlite.org/rescode.html), from exc.sqlite_errorcode
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN = 5, 6, 8, 13, 14


def guarded(method):
    """Turn SQLite failures inside a read into a StoreError that names the file and the fix."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise StoreError(damaged(self.path, exc)) from None

    return wrapper


@dataclass(frozen=True)
class Counts:
    """Figures for `prep stats`, all from indexed SQL."""

    cards_seen: int
    due_now: int
    reviews_total: int
    reviews_today: int
    recent_reviews: int
    recent_recalled: int
    next_due: datetime | None


@dataclass(frozen=True)
class Marks:
    """What the user set on one card (store table card_marks); None: not set."""

    buried_until: datetime | None = None  # hidden from every picker until then (the next study day)
    suspended_at: datetime | None = None  # hidden until unsuspended
    flagged_at: datetime | None = None  # a reminder only: flagged cards are still shown

    def held(self, now: datetime) -> bool:
        """Whether a command that picks cards must leave this card out at `now`."""
        return self.suspended_at is not None or (self.buried_until is not None and self.buried_until > now)


MARK_COLUMNS = ("buried_until", "suspended_at", "flagged_at")


class Store:
    """A connection to one review database; open with `Store.open(home)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, home: Path) -> Store:
        path = Path(home) / DB_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(damaged(path, exc)) from None
        store = cls(conn, path)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            store._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(damaged(path, exc)) from None
        return store

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path}: written by a newer prep (schema {version}); upgrade prep")
        if version == len(MIGRATIONS):
            return
        if version > 0:  # an existing database: keep a copy of it as it was before changing its schema

            from interviewprep.store.snapshot import backup

            backup(self, None, utc_now(), reason=f"before-schema-{version + 1}")
        with self.transaction():
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, len(MIGRATIONS)):
                for statement in statements(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT: take the write lock up front so writers queue, never deadlock."""
        return _Transaction(self)

    # -- writing -------------------------------------------------------------------------------

    def record(self, review: Review, new_state: CardState, state_before: CardState | None,
               origin: str | None = None) -> int:
        """Append the review and store the card's new state in one transaction; returns the review id.

        `origin` (bank.loader.origin) is kept from the card's first review: a rename may later carry
        this history only to a card of the same bank.
        """
        before = json.dumps(state_before.to_dict()) if state_before else None
        try:
            with self.transaction():
                cur = self.conn.execute(
                    "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (review.card_id, int(review.rating), to_iso(review.reviewed_at), review.duration_ms, before),
                )
                self._put_state(new_state)
                if origin:
                    self.conn.execute("INSERT OR IGNORE INTO card_origin (card_id, bank) VALUES (?, ?)",
                                      (review.card_id, origin))
                return cur.lastrowid
        except sqlite3.Error as exc:
            raise StoreError(f"the rating was NOT saved: {damaged(self.path, exc)}") from None

    def undo(self, review: Review) -> str:
        """Remove exactly this review (its id, card and time must all match) and put its card back
        in the state it had before; returns the card id.

        Matching all three means that a database restored or rewritten under a running quiz, where
        the same id may now be another card's review, is refused instead of losing that review.
        """
        try:
            with self.transaction():
                row = self.conn.execute(
                    "SELECT card_id, state_before, reviewed_at FROM review_log WHERE id = ?", (review.id,)
                ).fetchone()
                if row is None or row[0] != review.card_id or row[2] != to_iso(review.reviewed_at):
                    raise StoreError(f"{self.path}: the review to undo ({review.card_id}, "
                                     f"{to_iso(review.reviewed_at)}) is no longer in the log; nothing was removed")
                card_id, before, _ = row
                self.conn.execute("DELETE FROM review_log WHERE id = ?", (review.id,))
                if before:
                    self._put_state(CardState.from_dict(json.loads(before)))
                else:
                    self.conn.execute("DELETE FROM card_state WHERE card_id = ?", (card_id,))
                return card_id
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not undo: {exc}") from None

    def _put_state(self, s: CardState) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO card_state"
            " (card_id, phase, step, stability, difficulty, due, last_review, lapses, reps)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s.card_id, int(s.phase), s.step, s.stability, s.difficulty, to_iso(s.due),
             to_iso(s.last_review) if s.last_review else None, s.lapses, s.reps),
        )

    def mark(self, card_ids, column: str, value: datetime | None) -> None:
        """Set (a time) or clear (None) one of MARK_COLUMNS for `card_ids`, in one transaction.

        A card with nothing left set loses its row, so `marks()` lists only marked cards.
        """
        if column not in MARK_COLUMNS:
            raise ValueError(f"not a mark: {column}")
        stamp = to_iso(value) if value is not None else None
        try:
            with self.transaction():
                for card_id in card_ids:
                    self.conn.execute("INSERT OR IGNORE INTO card_marks (card_id) VALUES (?)", (card_id,))
                    self.conn.execute(f"UPDATE card_marks SET {column} = ? WHERE card_id = ?", (stamp, card_id))
                self.conn.execute("DELETE FROM card_marks WHERE buried_until IS NULL AND suspended_at IS NULL"
                                  " AND flagged_at IS NULL")
        except sqlite3.Error as exc:
            raise StoreError(f"the change was NOT saved: {damaged(self.path, exc)}") from None

    # -- reading -------------------------------------------------------------------------------

    @guarded
    def marks(self) -> dict[str, Marks]:
        """card id -> its marks, for every card that has one set (buried in the past included)."""
        rows = self.conn.execute(f"SELECT card_id, {', '.join(MARK_COLUMNS)} FROM card_marks")
        return {row[0]: Marks(*(from_iso(v) if v else None for v in row[1:])) for row in rows}

    @guarded
    def held(self, now: datetime) -> set[str]:
        """Ids no command may pick at `now`: suspended, or buried until later than `now`."""
        rows = self.conn.execute("SELECT card_id FROM card_marks WHERE suspended_at IS NOT NULL"
                                 " OR buried_until > ?", (to_iso(now),))
        return {row[0] for row in rows}

    @guarded
    def timed_ms_per_study_day(self, start: datetime, day_start_hour: int, cap_ms: int) -> dict[date, int]:
        """Study day -> milliseconds spent on the timed reviews since `start`, each capped at `cap_ms`: the pace.

        Summed by SQLite in one pass over an index that holds the durations (migration 7: 39,000 reviews
        in four weeks of a million-review log take 0.02 s, against 0.13 s looking each row up). Its
        'localtime' is the C library's local time, the one clock.study_day reads through
        datetime.astimezone(), so the days are the same.
        """
        rows = self.conn.execute(
            "SELECT date(reviewed_at, 'localtime', ?) AS day, sum(min(max(duration_ms, 0), ?)) FROM review_log"
            " WHERE reviewed_at >= ? AND duration_ms IS NOT NULL GROUP BY day",
            (f"-{int(day_start_hour)} hours", int(cap_ms), to_iso(start)),
        )
        return {date.fromisoformat(day): int(ms) for day, ms in rows}

    @guarded
    def reviewed_since(self, start: datetime) -> int:
        """Review cards (in the review phase when rated) answered at or after `start`: the daily review limit's count.

        Learning and relearning steps are not counted, as in Anki; a card counts once however often it was rated.
        """
        return self.conn.execute(
            "SELECT count(DISTINCT card_id) FROM review_log WHERE reviewed_at >= ?"
            " AND state_before IS NOT NULL AND json_extract(state_before, '$.phase') IN (2, 'review')",
            (to_iso(start),),
        ).fetchone()[0]

    @guarded
    def state(self, card_id: str) -> CardState | None:
        row = self.conn.execute(f"SELECT {_STATE_COLUMNS} FROM card_state WHERE card_id = ?", (card_id,)).fetchone()
        return _state(row) if row else None

    @guarded
    def states(self) -> dict[str, CardState]:
        rows = self.conn.execute(f"SELECT {_STATE_COLUMNS} FROM card_state")
        return {row[0]: _state(row) for row in rows}

    @guarded
    def due(self, now: datetime, card_ids: set[str] | None = None, limit: int | None = None) -> list[CardState]:
        """Cards due at `now`, most overdue first (index on due), optionally only those in `card_ids`."""
        rows = self.conn.execute(
            f"SELECT {_STATE_COLUMNS} FROM card_state WHERE due <= ? ORDER BY due", (to_iso(now),)
        )
        out = []
        for row in rows:
            if card_ids is None or row[0] in card_ids:
                out.append(_state(row))
                if limit is not None and len(out) >= limit:
                    break
        return out

    @guarded
    def next_due_after(self, now: datetime, card_ids: set[str] | None = None) -> datetime | None:
        rows = self.conn.execute("SELECT card_id, due FROM card_state WHERE due > ? ORDER BY due", (to_iso(now),))
        for card_id, due in rows:
            if card_ids is None or card_id in card_ids:
                return from_iso(due)
        return None

    @guarded
    def seen_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT card_id FROM card_state")}

    @guarded
    def introduced_since(self, start: datetime) -> int:
        """How many cards had their first review at or after `start` (for a daily new-card quota)."""
        # A card was first reviewed at or after `start` when all its reviews are: its reviews since then number
        # its total, which card_totals keeps (a small table). The time index finds the day's few reviews
        # (`+card_id` keeps SQLite from walking the whole card index to group them), so this costs what one
        # day holds, and no lookup lands in the million-row card index, whose pages are seldom in memory.
        return self.conn.execute(
            "SELECT count(*) FROM (SELECT +card_id AS card_id, count(*) AS n FROM review_log WHERE reviewed_at >= ?"
            " GROUP BY 1) AS t JOIN card_totals AS c ON c.card_id = t.card_id WHERE c.reviews = t.n",
            (to_iso(start),),
        ).fetchone()[0]

    @guarded
    def history(self, card_id: str) -> list[Review]:
        rows = self.conn.execute(
            "SELECT id, card_id, rating, reviewed_at, duration_ms FROM review_log"
            " WHERE card_id = ? ORDER BY reviewed_at, id",
            (card_id,),
        )
        return [Review(r[1], Rating(r[2]), from_iso(r[3]), r[4], id=r[0]) for r in rows]

    @guarded
    def counts(self, now: datetime, day_start: datetime, window_start: datetime) -> Counts:
        """Totals for stats; `day_start` begins "today", `window_start` the retention window."""
        q = self.conn.execute
        seen = q("SELECT count(*) FROM card_state").fetchone()[0]
        due_now = q(  # what a quiz would show: suspended cards and cards buried past `now` wait
            "SELECT count(*) FROM card_state AS s WHERE due <= ? AND NOT EXISTS (SELECT 1 FROM card_marks AS m"
            " WHERE m.card_id = s.card_id AND (m.suspended_at IS NOT NULL OR m.buried_until > ?))",
            (to_iso(now), to_iso(now))).fetchone()[0]
        total = q("SELECT value FROM totals WHERE name = 'reviews'").fetchone()[0]
        today = q("SELECT count(*) FROM review_log WHERE reviewed_at >= ?", (to_iso(day_start),)).fetchone()[0]
        recent, recalled = q(
            "SELECT count(*), coalesce(sum(rating > 1), 0) FROM review_log WHERE reviewed_at >= ?",
            (to_iso(window_start),),
        ).fetchone()
        nxt = q("SELECT min(due) FROM card_state WHERE due > ?", (to_iso(now),)).fetchone()[0]
        return Counts(seen, due_now, total, today, recent, recalled, from_iso(nxt) if nxt else None)

    @guarded
    def orphans(self, live_ids: set[str]) -> dict[str, int]:
        """Card ids with history but no card in the loaded banks -> their review count (kept, not shown)."""
        counts = {cid: n for cid, (n, _) in self.card_totals().items()}
        known = {cid for (cid,) in self.conn.execute("SELECT card_id FROM card_state")}
        return {cid: counts.get(cid, 0) for cid in sorted(known | set(counts)) if cid not in live_ids}

    @guarded
    def memory(self) -> dict[str, tuple[float | None, datetime | None]]:
        """card id -> (stability, last review): the inputs of predicted recall, without whole states."""
        rows = self.conn.execute("SELECT card_id, stability, last_review FROM card_state")
        return {cid: (s, from_iso(last) if last else None) for cid, s, last in rows}

    @guarded
    def lapses(self) -> dict[str, int]:
        """card id -> lapses, for every card seen (the interview's weights need no more of a state)."""
        return dict(self.conn.execute("SELECT card_id, lapses FROM card_state"))

    @guarded
    def card_totals(self) -> dict[str, tuple[int, int]]:
        """card id -> (reviews, reviews not rated Again), all time, from the trigger-kept table."""
        rows = self.conn.execute("SELECT card_id, reviews, recalled FROM card_totals WHERE reviews > 0")
        return {cid: (n, ok) for cid, n, ok in rows}

    @guarded
    def reviews_in(self, ranges: list[tuple[datetime, datetime]]) -> list[int]:
        """Reviews made in each [lo, hi) range, in one indexed GROUP BY query (stats' daily chart)."""
        return self._count_in_ranges("review_log", "reviewed_at", ranges, open_start=False)

    @guarded
    def due_in(self, ranges: list[tuple[datetime, datetime]]) -> list[int]:
        """Cards falling due in each range; the first range also holds everything already overdue."""
        return self._count_in_ranges("card_state", "due", ranges, open_start=True)

    def _count_in_ranges(self, table: str, column: str, ranges, open_start: bool) -> list[int]:
        values = ", ".join("(?, ?, ?)" for _ in ranges)
        params: list = []
        for i, (lo, hi) in enumerate(ranges):
            params += [i, "" if open_start and i == 0 else to_iso(lo), to_iso(hi)]
        sql = (f"WITH days(i, lo, hi) AS (VALUES {values}) "
               f"SELECT days.i, count(t.{column}) FROM days LEFT JOIN {table} t "
               f"ON t.{column} >= days.lo AND t.{column} < days.hi GROUP BY days.i ORDER BY days.i")
        return [n for _, n in self.conn.execute(sql, params)]

    @guarded
    def reviewed_in(self, ranges: list[tuple[datetime, datetime]]) -> list[bool]:
        """Whether any review falls in each [lo, hi) range: one indexed probe per range, all in one
        statement (stats' streak asks 64 days at a time; a query per day cost more than the probes)."""
        if not ranges:
            return []
        values = ", ".join("(?, ?, ?)" for _ in ranges)
        params: list = []
        for i, (lo, hi) in enumerate(ranges):
            params += [i, to_iso(lo), to_iso(hi)]
        sql = (f"WITH days(i, lo, hi) AS (VALUES {values}) SELECT EXISTS (SELECT 1 FROM review_log "
               "WHERE reviewed_at >= days.lo AND reviewed_at < days.hi) FROM days ORDER BY days.i")
        return [bool(hit) for hit, in self.conn.execute(sql, params)]

    @guarded
    def review_count(self) -> int:
        """Reviews in the log, all time, from the trigger-kept total (no count(*) over the log)."""
        return self.conn.execute("SELECT value FROM totals WHERE name = 'reviews'").fetchone()[0]

    @guarded
    def reviews_by_card(self) -> list[tuple[str, int, datetime]]:
        """Every review as (card id, rating, time), grouped by card, oldest first (what an optimizer reads)."""
        rows = self.conn.execute(
            "SELECT card_id, rating, reviewed_at FROM review_log ORDER BY card_id, reviewed_at, id").fetchall()
        return [(card_id, int(rating), from_iso(moment)) for card_id, rating, moment in rows]

    def replace_meta(self, key: str, value: str | None, previous_key: str) -> str | None:
        """Set (or, with None, delete) `key` in one transaction, keeping the value it had under `previous_key`.

        Returns the value replaced (None when there was none; then nothing is deleted or kept).
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is not None:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (previous_key, row[0]))
            if value is not None:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            elif row is not None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    @guarded
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def delete_meta(self, key: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))


_STATE_COLUMNS = "card_id, phase, step, stability, difficulty, due, last_review, lapses, reps"


_PHASES = {int(p): p for p in Phase}
_NEW = object.__new__


def _state(row) -> CardState:
    """A CardState from a card_state row, equal to CardState(...) (tests/store hold them equal).

    Built without the frozen dataclass's __init__ (one object.__setattr__ per field) and with the phase
    by lookup rather than Phase(n): `prep quiz` and `prep list` build one per reviewed card, 10,000 and more.
    """
    phase = _PHASES.get(row[1])
    state = _NEW(CardState)
    state.__dict__.update(card_id=row[0], phase=phase if phase is not None else Phase(row[1]), due=from_iso(row[5]),
                          step=row[2], stability=row[3], difficulty=row[4],
                          last_review=from_iso(row[6]) if row[6] else None, lapses=row[7], reps=row[8])
    return state


class _Transaction:
    def __init__(self, store: Store):
        self.conn = store.conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False
