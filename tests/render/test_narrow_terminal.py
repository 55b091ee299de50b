"""At 60 columns the stats charts and tables stay whole: no line wider than the terminal, no id cut."""

from __future__ import annotations

from tests.conftest import run_prep


def _review_three_cards() -> None:
    result = run_prep("quiz", "--deck", "activations", input=" \n3\n \n1\n \n4\nq\n", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr


def test_stats_fits_60_columns_with_whole_bars_and_deck_ids():
    _review_three_cards()
    result = run_prep("stats", env={"COLUMNS": "60"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60, max(lines, key=len)
    chart = lines[lines.index(next(x for x in lines if x.startswith("Reviews per day"))) + 1]
    assert chart.startswith("3 │") and chart.endswith("█")  # today's column on the chart's first row, not wrapped
    assert any(line.startswith("alignment-and-post-training ") for line in lines)


def test_stats_keeps_two_cells_per_day_and_bars_where_there_is_room():
    _review_three_cards()
    wide = run_prep("stats", env={"COLUMNS": "120"}).stdout
    assert "██░░░░░░░░░░" in wide  # the mastery bar
    assert "│ activations " in wide
    assert any(line.endswith("██") and "│" in line for line in wide.splitlines())
