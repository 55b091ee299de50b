"""The review database's schema, as numbered migrations (PRAGMA user_version counts those applied).

Append only: a migration, once released, never changes, because databases in the wild have run it.
Each one runs in the transaction that also bumps user_version, after a backup of the old file.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS = [
    # 1: card state, review log, key-value meta
    """
    CREATE TABLE card_state (
        card_id     TEXT PRIMARY KEY,
        phase       INTEGER NOT NULL,
        step        INTEGER,
        stability   REAL,
        difficulty  REAL,
        due         TEXT NOT NULL,
        last_review TEXT,
        lapses      INTEGER NOT NULL DEFAULT 0,
        reps        INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX card_state_due ON card_state(due);
    CREATE TABLE review_log (
        id           INTEGER PRIMARY KEY,
        card_id      TEXT NOT NULL,
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at  TEXT NOT NULL,
        duration_ms  INTEGER,
        state_before TEXT
    );
    CREATE INDEX review_log_card ON review_log(card_id, reviewed_at);
    CREATE INDEX review_log_time ON review_log(reviewed_at);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: a running count of the review log, so totals never scan a million rows
    """
    CREATE TABLE totals (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO totals (name, value) SELECT 'reviews', count(*) FROM review_log;
    CREATE TRIGGER review_log_counted AFTER INSERT ON review_log
        BEGIN UPDATE totals SET value = value + 1 WHERE name = 'reviews'; END;
    CREATE TRIGGER review_log_uncounted AFTER DELETE ON review_log
        BEGIN UPDATE totals SET value = value - 1 WHERE name = 'reviews'; END;
    """,
    # 3: per-card review and recall counts, kept by triggers, so per-deck retention reads 10k rows, not 1M
    """
    CREATE TABLE card_totals (
        card_id  TEXT PRIMARY KEY,
        reviews  INTEGER NOT NULL,
        recalled INTEGER NOT NULL
    );
    INSERT INTO card_totals (card_id, reviews, recalled)
        SELECT card_id, count(*), sum(rating > 1) FROM review_log GROUP BY card_id;
    CREATE TRIGGER card_totals_added AFTER INSERT ON review_log
        BEGIN
            INSERT OR IGNORE INTO card_totals (card_id, reviews, recalled) VALUES (NEW.card_id, 0, 0);
            UPDATE card_totals SET reviews = reviews + 1, recalled = recalled + (NEW.rating > 1)
                WHERE card_id = NEW.card_id;
        END;
    CREATE TRIGGER card_totals_removed AFTER DELETE ON review_log
        BEGIN
            UPDATE card_totals SET reviews = reviews - 1, recalled = recalled - (OLD.rating > 1)
                WHERE card_id = OLD.card_id;
        END;
    CREATE TRIGGER card_totals_renamed AFTER UPDATE OF card_id ON review_log
        BEGIN
            UPDATE card_totals SET reviews = reviews - 1, recalled = recalled - (OLD.rating > 1)
                WHERE card_id = OLD.card_id;
            INSERT OR IGNORE INTO card_totals (card_id, reviews, recalled) VALUES (NEW.card_id, 0, 0);
            UPDATE card_totals SET reviews = reviews + 1, recalled = recalled + (NEW.rating > 1)
                WHERE card_id = NEW.card_id;
        END;
    """,
    # 4: time-range reads (stats' 30-day retention, reviews per day) answered from the index alone
    """
    CREATE INDEX review_log_time_rating ON review_log(reviewed_at, rating);
    DROP INDEX review_log_time;
    """,
    # 5: where each card's history came from, and the renames the user accepted (so they can be undone)
    """
    CREATE TABLE card_origin (card_id TEXT PRIMARY KEY, bank TEXT NOT NULL);
    CREATE TABLE renames (
        id        INTEGER PRIMARY KEY,
        batch     INTEGER NOT NULL,
        old_id    TEXT NOT NULL,
        new_id    TEXT NOT NULL,
        reviews   INTEGER NOT NULL,
        done_at   TEXT NOT NULL,
        undone_at TEXT
    );
    """,
    # 6: cards the user set aside or marked: buried until a time (the next study day), suspended
    # until unsuspended, flagged; a row exists only while one of the three is set
    """
    CREATE TABLE card_marks (
        card_id      TEXT PRIMARY KEY,
        buried_until TEXT,
        suspended_at TEXT,
        flagged_at   TEXT
    );
    """,
    # 7: the pace (`prep plan`'s measured minutes a day) read from the index alone as well: without the
    # durations in it, four weeks of a million-review log cost 0.13 s of row lookups; with them 0.02 s
    """
    CREATE INDEX review_log_time_rating_duration ON review_log(reviewed_at, rating, duration_ms);
    DROP INDEX review_log_time_rating;
    """,
]


def statements(script: str) -> list[str]:
    """Split a migration into statements (trigger bodies contain `;`, so ask SQLite where each ends)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
