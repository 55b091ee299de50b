"""Exports are safe in the programs that open them: spreadsheets run no formula, Markdown runs no HTML."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from interviewprep.export.tabular import FORMULA_STARTS, cell, unformula
from tests.conftest import prep, user

HOSTILE = textwrap.dedent("""\
    deck: {id: d, title: {en: D}}
    cards:
      - id: c1
        level: basic
        tags: ["=cmd|' /C calc'!A0"]
        question: {en: "=HYPERLINK(\\"http://evil\\", \\"click\\")"}
        answer: {en: "<script>alert(1)</script> text, then <pre> never closed\\n\\nthe rest of the file"}
        key_points: {en: ["+1 point", "-2 point", "@SUM(A1)"]}
      - id: c2
        level: basic
        question: {en: "second card after the unclosed pre"}
        answer: {en: "still here"}
        key_points: {en: ["'=quoted already", "plain", "three"]}
    """)


def bank(tmp_path):
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "d.yaml").write_text(HOSTILE, encoding="utf-8")
    return user(folder, "--lang", "en")


def test_csv_cells_that_could_start_a_formula_get_a_quote(tmp_path):
    result = prep("export", "csv", *bank(tmp_path)[:3])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(FORMULA_STARTS), (name, value)
    first = rows[0]
    assert first["question_en"] == "'=HYPERLINK(\"http://evil\", \"click\")"
    assert first["tags"].startswith("'=cmd")
    assert first["key_points_en"].startswith("'+1 point")  # the cell, not each line, is what a spreadsheet reads
    assert rows[1]["key_points_en"] == "''=quoted already\nplain\nthree"
    assert unformula(rows[1]["key_points_en"]) == "'=quoted already\nplain\nthree"


@given(st.text())
def test_cell_and_unformula_round_trip(text):
    assert unformula(cell(text)) == text
    assert not cell(text).startswith(FORMULA_STARTS)


def test_markdown_shows_raw_html_as_text_and_loses_no_card(tmp_path):
    out = tmp_path / "md"
    result = prep("export", "markdown", *bank(tmp_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))
    assert "<script>" not in text and "&lt;script>" in text and "&lt;pre>" in text
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    assert not [t for t in tokens if t.type == "html_block"]
    html = MarkdownIt("commonmark").render(text)
    assert "<script>" not in html and "<pre>" not in html.split("still here")[0].split("rest of the file")[0]
    assert "second card after the unclosed pre" in html and "still here" in html


def test_json_stays_exact(tmp_path):
    result = prep("export", "json", *bank(tmp_path)[:3])
    data = json.loads(result.stdout_bytes)
    cards = {c["id"]: c for c in data["cards"]}
    assert cards["c1"]["question"]["en"] == "=HYPERLINK(\"http://evil\", \"click\")"
    assert cards["c1"]["answer"]["en"].startswith("<script>alert(1)</script>")


def test_dash_means_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = bank(tmp_path)[:3]
    result = prep("export", "json", *own, "-o", "-")
    assert result.exit_code == 0 and json.loads(result.stdout_bytes)["cards"]
    assert not (tmp_path / "-").exists()
    assert prep("export", "anki", *own, "-o", "-").exit_code == 2


def test_a_symlink_target_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    own = bank(tmp_path)[:3]
    assert prep("export", "json", *own, "-o", str(link)).exit_code == 1
    assert prep("export", "json", *own, "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())["cards"]


def test_a_fifo_target_is_written_into_and_stays_a_fifo(tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = prep("export", "csv", *bank(tmp_path)[:3], "-o", str(fifo), "--force")
    reader.join(timeout=20)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and received and b"HYPERLINK" in received[0]


def test_csv_carries_the_follow_ups():
    from interviewprep.bank import loader as banks
    from interviewprep.export.tabular import csv_bytes

    builtin = banks.load(banks.bank_dirs(builtin=True))
    card = next(c for c in builtin.cards.values() if c.followups)
    rows = list(csv.DictReader(io.StringIO(csv_bytes([card]).decode("utf-8-sig"), newline="")))
    assert rows[0]["followups_en"].startswith(cell(f"Q: {card.followups[0].question['en']}"))
    assert f"A: {card.followups[0].answer['zh']}" in rows[0]["followups_zh"]
