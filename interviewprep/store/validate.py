"""What a valid row of the review database holds, checked value by value.

Why: a database can come from elsewhere (`prep restore` of a file someone sent, a file edited by
hand). SQLite's types are suggestions, so `phase = 9`, `due = 'yesterday'` or `rating = 7` can sit in
a table and crash whatever reads them later. Restore copies only rows that pass these checks, and
`prep doctor` counts the rows that do not.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

from interviewprep.safetext import FORBIDDEN

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")  # models.to_iso: fixed width, so text order is time order
CARD_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
META_KEYS = {"plan", "fsrs_parameters", "fsrs_parameters_previous"}

# table -> the columns restore copies, in order
COLUMNS = {
    "card_state": ("card_id", "phase", "step", "stability", "difficulty", "due", "last_review", "lapses", "reps"),
    "review_log": ("id", "card_id", "rating", "reviewed_at", "duration_ms", "state_before"),
    "card_origin": ("card_id", "bank"),
    "renames": ("id", "batch", "old_id", "new_id", "reviews", "done_at", "undone_at"),
    "meta": ("key", "value"),
    "card_marks": ("card_id", "buried_until", "suspended_at", "flagged_at"),
}


def _time(value) -> bool:
    if not isinstance(value, str) or not ISO.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _count(value, low: int = 0, high: int | None = None) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low and (high is None or value <= high)


def _real(value, positive: bool = False) -> bool:
    if value is None:
        return True
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return False
    return value > 0 if positive else True


def _card(value) -> bool:
    return isinstance(value, str) and len(value) <= 200 and bool(CARD_ID.match(value))


def state_problem(row: dict) -> str | None:
    """The first bad value of a card state (a card_state row, or a review's `state_before`)."""
    checks = [
        ("card_id", _card(row.get("card_id"))),
        ("phase", row.get("phase") in (1, 2, 3) or row.get("phase") in ("learning", "review", "relearning")),
        ("step", row.get("step") is None or _count(row.get("step"), 0, 100)),
        ("stability", _real(row.get("stability"), positive=True)),
        ("difficulty", _real(row.get("difficulty"))),
        ("due", _time(row.get("due"))),
        ("last_review", row.get("last_review") is None or _time(row.get("last_review"))),
        ("lapses", _count(row.get("lapses", 0))),
        ("reps", _count(row.get("reps", 0))),
    ]
    return next((f"{name} = {row.get(name)!r}" for name, ok in checks if not ok), None)


def _state_before(value) -> bool:
    if value is None:
        return True
    try:
        data = json.loads(value) if isinstance(value, str) and len(value) < 10_000 else None
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and state_problem(data) is None


def row_problem(table: str, row: dict) -> str | None:
    """The first bad value of `row` (a dict of COLUMNS[table]), or None when it is fit to keep."""
    if table == "card_state":
        return state_problem(row)
    if table == "review_log":
        checks = [("id", _count(row["id"], 1)), ("card_id", _card(row["card_id"])),
                  ("rating", _count(row["rating"], 1, 4)), ("reviewed_at", _time(row["reviewed_at"])),
                  ("duration_ms", row["duration_ms"] is None or _count(row["duration_ms"])),
                  ("state_before", _state_before(row["state_before"]))]
    elif table == "card_origin":
        checks = [("card_id", _card(row["card_id"])),
                  ("bank", isinstance(row["bank"], str) and 0 < len(row["bank"]) < 4096
                   and not FORBIDDEN.search(row["bank"]))]
    elif table == "renames":
        checks = [("id", _count(row["id"], 1)), ("batch", _count(row["batch"], 1)),
                  ("old_id", _card(row["old_id"])), ("new_id", _card(row["new_id"])),
                  ("reviews", _count(row["reviews"])), ("done_at", _time(row["done_at"])),
                  ("undone_at", row["undone_at"] is None or _time(row["undone_at"]))]
    elif table == "card_marks":
        checks = [("card_id", _card(row["card_id"]))] + [
            (name, row[name] is None or _time(row[name])) for name in ("buried_until", "suspended_at", "flagged_at")]
    elif table == "meta":
        checks = [("key", row["key"] in META_KEYS), ("value", _json_object(row["value"]))]
    else:
        return f"unknown table {table}"
    return next((f"{name} = {row[name]!r}" for name, ok in checks if not ok), None)


def _json_object(value) -> bool:
    try:
        return isinstance(value, str) and len(value) < 1_000_000 and isinstance(json.loads(value), dict)
    except (ValueError, RecursionError):
        return False


def rows(conn, table: str):
    """(rowid, row dict) of `table`'s COLUMNS, or nothing when the table (or a column) is absent."""
    columns = COLUMNS[table]
    present = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if not set(columns) <= present:
        return
    for values in conn.execute(f"SELECT rowid, {', '.join(columns)} FROM {table}"):
        yield values[0], dict(zip(columns, values[1:]))


def bad_rows(conn) -> tuple[int, str | None]:
    """How many rows of the known tables hold a bad value, and the first of them described."""
    count, first = 0, None
    for table in COLUMNS:
        for rowid, row in rows(conn, table):
            problem = row_problem(table, row)
            if problem:
                count += 1
                first = first or f"{table} row {rowid}: {problem}"
    return count, first
