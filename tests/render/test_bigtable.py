"""render.bigtable.PlainTable prints byte for byte what rich's Table prints for the same rows.

The fast path only writes rows that fit on one line; everything else is rich's. These tests build
tables past the size where the fast path starts, with rows of every kind (wide CJK, rows that wrap,
the last row wrapping, text rich must clean, empty cells) and compare at several widths, in colour too.
"""

from __future__ import annotations

import io
import random

import pytest

from interviewprep.render.bigtable import SMALL, PlainTable
from interviewprep.render.console import SafeConsole

COLUMNS = ["id", "deck", "level", "question", "due"]
WORDS = ["动量", "梯度下降", "what", "is", "the", "learning-rate", "批归一化", "attention", "Adam", "ε", "x²"]


def rows(n: int, seed: int, odd: bool = True) -> list[tuple[str, ...]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        if odd and i % 37 == 5:
            question = " ".join(rng.choice(WORDS) for _ in range(25))  # wraps
        if odd and i % 97 == 11:
            question = rng.choice(["  leading space", "tab\there", "two  spaces", "", "line\nbreak",
                                   "bidi \u202e text", "zero\u200bwidth", "ＦＵＬＬ"])
        out.append((f"card-{i}", f"deck-{i % 7}", rng.choice(["basic", "intermediate", "advanced"]), question,
                    rng.choice(["new", "in 3 days", "overdue 2 days"])))
    return out


def printed(table, width: int, colour: bool, fast: bool) -> str:
    out = io.StringIO()
    kwargs = {"force_terminal": True, "color_system": "truecolor"} if colour else {"color_system": None}
    console = SafeConsole(file=out, width=width, soft_wrap=False, **kwargs)
    if fast:
        console.print(table, crop=False)
    else:
        console.print(table.table(table.rows))
    return out.getvalue()


@pytest.mark.parametrize("width", [30, 60, 80, 133, 250])
@pytest.mark.parametrize("colour", [False, True])
def test_the_same_text_as_rich_at_every_width(width, colour):
    table = PlainTable("1000 cards", COLUMNS, rows(1000, width))
    assert printed(table, width, colour, fast=True) == printed(table, width, colour, fast=False)


def test_a_last_row_that_wraps_and_a_small_table():
    many = rows(SMALL + 50, 1)
    many[-1] = (*many[-1][:3], " ".join(WORDS * 3), "new")
    for data in (many, rows(SMALL, 2), rows(SMALL + 1, 3, odd=False), rows(1, 4)):
        table = PlainTable(f"{len(data)} cards", COLUMNS, data)
        assert printed(table, 80, False, fast=True) == printed(table, 80, False, fast=False)


def test_most_rows_of_a_big_table_do_not_go_through_rich(monkeypatch):
    """The point of the module: count the rows rich is asked to lay out."""
    data = rows(5000, 5, odd=False)  # every row fits on one line at 120 columns
    calls = []
    original = PlainTable.table

    def counting(self, some_rows, *args, **kwargs):
        calls.append(len(some_rows))
        return original(self, some_rows, *args, **kwargs)

    monkeypatch.setattr(PlainTable, "table", counting)
    table = PlainTable("5000 cards", COLUMNS, data)
    assert printed(table, 120, False, fast=True).count("\n") == 5000 + 5
    assert sum(calls) <= 2 * len(COLUMNS) + 4  # the rows that set the widths, and two probes of two rows


def test_rows_that_wrap_are_folded_here_too_and_still_match_rich(monkeypatch):
    data = [(f"card-{i}", "deck", "basic", " ".join(WORDS[: 3 + i % 8]) + f" {i}", "in 3 days") for i in range(600)]
    table = PlainTable("600 cards", COLUMNS, data)
    expected = printed(table, 60, False, fast=False)
    calls = []
    original = PlainTable.table
    monkeypatch.setattr(PlainTable, "table", lambda self, some, *a, **k: calls.append(len(some)) or original(
        self, some, *a, **k))
    assert printed(table, 60, False, fast=True) == expected
    assert expected.count("\n") > 600 + 10  # many rows take two lines or more
    assert sum(calls) <= 2 * len(COLUMNS) + 4
