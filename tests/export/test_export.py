"""`prep export`: Markdown, Anki, CSV and JSON through the real CLI, plus the safe-writing rules."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from interviewprep.bank import loader as banks
from interviewprep.errors import PrepError
from interviewprep.export import anki, files, markdown, mdtext, tabular
from interviewprep.models import Card, CardState, Deck, Phase, Rating, Review
from tests.conftest import REPO, card_yaml, deck_yaml, prep, user

BUILTIN = banks.load(banks.bank_dirs())
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def parse(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def outline(text: str):
    """(headings as (level, text, slug), link targets, code spans) of a Markdown document."""
    tokens = parse(text)
    slugger = mdtext.Slugger()
    headings, links, code = [], [], []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            plain = "".join(c.content for c in tokens[i + 1].children if c.type in ("text", "code_inline"))
            headings.append((int(token.tag[1]), plain, slugger.slug(plain)))
        for child in token.children or []:
            if child.type == "link_open":
                links.append(unquote(child.attrs["href"]))  # markdown-it percent-encodes
            if child.type == "code_inline":
                code.append(child.content)
    return headings, links, code


def demo_bank(tmp_path) -> Path:
    bank = tmp_path / "demo-bank"
    bank.mkdir()
    text = deck_yaml("demo-deck", []) + card_yaml("sat", demo="{id: sigmoid-saturation, params: {z: 5}}")
    (bank / "d.yaml").write_text(text, encoding="utf-8")
    return bank


# -- Markdown ------------------------------------------------------------------------------------


def test_markdown_stdout_round_trips_every_builtin_card_and_anchors_work():
    result = prep("export", "markdown", "--lang", "both")
    assert result.exit_code == 0, result.output
    headings, links, code = outline(result.output)
    slugs = {slug for _, _, slug in headings}
    assert len(slugs) == len(headings)
    toc = [link for link in links if link.startswith("#")]
    assert len(toc) == len(BUILTIN.cards)
    assert all(link[1:] in slugs for link in toc)
    texts = {text for _, text, _ in headings}
    for card in BUILTIN.cards.values():
        assert card.id in code
        assert f"{card.question['zh']} / {card.question['en']}" in texts
    assert [level for level, _, _ in headings].count(1) == len(BUILTIN.decks)


def test_markdown_dir_has_one_file_per_deck_an_index_and_is_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert prep("export", "markdown", "-o", first).exit_code == 0
    assert prep("export", "markdown", "-o", second).exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted([f"{d.id}.md" for d in BUILTIN.decks] + ["index.md"])
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
    _, links, _ = outline((first / "index.md").read_text(encoding="utf-8"))
    assert all((first / link).is_file() for link in links) and len(links) == len(BUILTIN.decks)
    deck = BUILTIN.decks[0]
    headings, links, code = outline((first / f"{deck.id}.md").read_text(encoding="utf-8"))
    assert headings[0][1] == deck.title["zh"]
    assert [h[1] for h in headings[2:]] == [c.question["zh"] for c in deck.cards]
    assert [link[1:] for link in links if link.startswith("#")] == [h[2] for h in headings[2:]]
    assert {c.id for c in deck.cards} <= set(code)


def test_github_slugs_for_cjk_punctuation_and_duplicates():
    assert mdtext.github_slug("什么是激活函数？神经网络为什么需要它？") == "什么是激活函数神经网络为什么需要它"
    assert mdtext.github_slug("What is Adam, and why? (β₁)") == "what-is-adam-and-why-β"
    assert mdtext.github_slug("A_prev · √d_k") == "a_prev--d_k"
    slugger = mdtext.Slugger()
    assert [slugger.slug(t) for t in ("Q", "Q", "q-1", "Q")] == ["q", "q-1", "q-1-1", "q-2"]


def test_duplicate_questions_and_markdown_in_questions_get_distinct_working_anchors(tmp_path):
    bank = tmp_path / "dups"
    bank.mkdir()
    same = "question: {zh: 同一个问题？, en: 'Same *question* with `code` and A_b?'}"
    cards = "".join(card_yaml(c) for c in ("d-one", "d-two")).replace(
        "question: {zh: 问题 d-one, en: Question d-one?}", same).replace(
        "question: {zh: 问题 d-two, en: Question d-two?}", same)
    cards = cards.replace("answer: {zh: 答案 d-one, en: Answer d-one.}",
                          "answer: {zh: \"# 标题\\n\\n```py\\nx = 1\", en: \"## Heading\"}")
    (bank / "x.yaml").write_text(deck_yaml("dups", []) + cards, encoding="utf-8")
    result = prep("export", "markdown", *user(bank, "--lang", "en"))
    assert result.exit_code == 0, result.output
    headings, links, _ = outline(result.output)
    question = "Same *question* with `code` and A_b?"
    assert [h[1] for h in headings] == ["Test dups", "Contents", question, question]
    assert [link[1:] for link in links] == [headings[2][2], headings[3][2]]
    assert headings[3][2] == headings[2][2] + "-1"
    zh, _, _ = outline(prep("export", "markdown", *user(bank, "--lang", "zh")).output)
    assert len(zh) == 4  # the answer's "# 标题" did not become a heading; its open fence was closed
    assert "问题 d-two" not in result.output and "Answer d-two." in result.output


def test_with_demos_embeds_table_takeaway_and_png_beside_the_file(tmp_path):
    bank = demo_bank(tmp_path)
    out = tmp_path / "out" / "deck.md"
    result = prep("export", "markdown", "--with-demos", "-o", out, *user(bank, "--lang", "en"))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "`prep demo sigmoid-saturation --set z=5`" in text
    from interviewprep.demos import registry

    run = registry.run(registry.get("sigmoid-saturation"), {"z": 5}, seed=0)
    assert mdtext.escape_inline(run.outcome.takeaway["en"]) in text  # measured at the card's z, not the default
    assert any(t.type == "table_open" for t in parse(text))
    png = out.parent / "deck-sat-sigmoid-saturation.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"]({png.name})" in text
    again = tmp_path / "again" / "deck.md"
    assert prep("export", "markdown", "--with-demos", "-o", again, *user(bank, "--lang", "en")).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    assert (again.parent / png.name).read_bytes() == png.read_bytes()


def test_with_demos_without_matplotlib_draws_a_text_plot(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    out = tmp_path / "deck.md"
    assert prep("export", "markdown", "--with-demos", "-o", out, *user(demo_bank(tmp_path))).exit_code == 0
    fences = [t for t in parse(out.read_text(encoding="utf-8")) if t.type == "fence"]
    assert len(fences) == 1 and fences[0].info == "text" and len(fences[0].content.splitlines()) > 5
    assert not list(tmp_path.glob("*.png"))


# -- Anki ----------------------------------------------------------------------------------------


def apkg_notes(path: Path, tmp_path: Path):
    with zipfile.ZipFile(path) as archive:
        assert "collection.anki2" in archive.namelist()
        db = tmp_path / f"{path.stem}.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute("SELECT guid, mid, tags, flds FROM notes").fetchall()
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        conn.close()
    return notes, decks


def test_anki_package_has_one_note_per_card_with_stable_guids(tmp_path):
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    assert prep("export", "anki", "-o", first, "--lang", "both").exit_code == 0
    assert prep("export", "anki", "-o", second, "--lang", "both").exit_code == 0
    notes, decks = apkg_notes(first, tmp_path)
    again, _ = apkg_notes(second, tmp_path)
    assert len(notes) == len(BUILTIN.cards)
    assert {n[0] for n in notes} == {anki.note_guid(c) for c in BUILTIN.cards} == {n[0] for n in again}
    assert {n[1] for n in notes} == {anki.MODEL_ID}
    assert all(len(n[3].split("\x1f")) == len(anki.FIELDS) for n in notes)
    names = {d["name"]: int(d["id"]) for d in decks.values()}
    for deck in BUILTIN.decks:
        assert names[f"prep::{deck.title['zh']} / {deck.title['en']}"] == anki.deck_id_for(deck.id)
    card = BUILTIN.decks[0].cards[0]
    note = next(n for n in notes if n[0] == anki.note_guid(card.id))
    assert set(note[2].split()) == {*card.tags, f"level::{card.level}"}


def test_anki_fields_render_markdown_answers_and_escape_everything_else():
    card = Card.from_dict({
        "id": "x", "deck": "d", "level": "basic", "sources": ["000#1"],
        "question": {"en": "Is <b>x</b> & y?"},
        "answer": {"en": "**bold** `code` <script>alert(1)</script>\n\n- a\n- b\n\n| h |\n|---|\n| 1 |"},
        "key_points": {"en": ["<i>raw</i>"]},
    })
    fields = anki.NoteBuilder({"000#1": "Doc"}, ("en",)).fields(card)
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y?" in fields[0]
    answer = fields[1]
    assert "<strong>bold</strong>" in answer and "<code>code</code>" in answer and "<li>a</li>" in answer
    assert "<table>" in answer and "<script>" not in answer and "&lt;script&gt;" in answer
    assert "&lt;i&gt;raw&lt;/i&gt;" in fields[2] and fields[4] == "000#1 Doc" and fields[5] == ""


def test_missing_genanki_tells_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)
    result = prep("export", "anki", "-o", tmp_path / "x.apkg")
    assert result.exit_code == 1
    assert "pip install 'interviewprep[anki]'" in result.output
    assert not (tmp_path / "x.apkg").exists()


def test_anki_needs_the_apkg_suffix(tmp_path):
    assert prep("export", "anki", "-o", tmp_path / "x.zip").exit_code == 2


# -- CSV and JSON --------------------------------------------------------------------------------


def test_csv_rereads_to_the_same_cards(tmp_path):
    out = tmp_path / "bank.csv"
    assert prep("export", "csv", "-o", out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == tabular.CSV_COLUMNS
    assert [r["id"] for r in rows] == list(BUILTIN.cards)
    for row in rows:
        card = BUILTIN.cards[row["id"]]
        assert (row["deck"], row["level"]) == (card.deck, card.level)
        assert row["tags"].split("; ") == list(card.tags)
        assert [s for s in row["sources"].split("; ") if s] == list(card.sources)  # cards citing papers have none
        assert (row["question_zh"], row["answer_en"]) == (card.question["zh"], card.answer["en"])
        assert row["key_points_en"].split("\n") == card.point_texts("en")


def test_csv_demo_column(tmp_path):
    result = prep("export", "csv", *user(demo_bank(tmp_path)))
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert rows[0]["demo"] == "sigmoid-saturation z=5"


def test_json_round_trips_cards():
    data = json.loads(prep("export", "json").stdout)
    assert data["format"] == tabular.JSON_FORMAT and len(data["decks"]) == len(BUILTIN.decks)
    assert [Card.from_dict(r).to_dict() for r in data["cards"]] == [c.to_dict() for c in BUILTIN.cards.values()]
    assert set(data["seeds"]) == {s for c in BUILTIN.cards.values() for s in c.sources}
    assert "progress" not in data["cards"][0]


def test_json_with_progress_has_state_and_history(small_bank, tmp_path):
    from interviewprep.store.db import Store

    home = tmp_path / "elsewhere"
    store = Store.open(home)
    state = CardState("a-two", Phase.REVIEW, T0 + timedelta(days=3), stability=3.0, difficulty=5.0,
                      last_review=T0, reps=1)
    store.record(Review("a-two", Rating.GOOD, T0, 1200), state, None)
    store.close()
    data = json.loads(prep("export", "json", "--with-progress", "--home", home, *user(small_bank)).stdout)
    by_id = {r["id"]: r["progress"] for r in data["cards"]}
    assert by_id["a-one"] == {"state": None, "history": []}
    assert by_id["a-two"]["state"] == state.to_dict()
    assert by_id["a-two"]["history"] == [Review("a-two", Rating.GOOD, T0, 1200).to_dict()]


# -- every format: overwriting, filters, bank options ------------------------------------------

FORMATS = [("markdown", "x.md"), ("anki", "x.apkg"), ("csv", "x.csv"), ("json", "x.json")]


@pytest.mark.parametrize("fmt,name", FORMATS)
def test_refuses_to_overwrite_without_force(fmt, name, small_bank, tmp_path):
    out = tmp_path / name
    out.write_bytes(b"precious")
    result = prep("export", fmt, "-o", out, *user(small_bank))
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_bytes() == b"precious"
    assert prep("export", fmt, "-o", out, "--force", *user(small_bank)).exit_code == 0
    assert out.read_bytes() != b"precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("fmt,name", FORMATS)
def test_filters_matching_nothing_exit_1_and_unknown_deck_exits_2(fmt, name, small_bank, tmp_path):
    out = tmp_path / name
    result = prep("export", fmt, "-o", out, *user(small_bank, "--tag", "no-such-tag"))
    assert result.exit_code == 1 and "no cards match" in result.output
    result = prep("export", fmt, "-o", out, *user(small_bank, "--deck", "alpah"))
    assert result.exit_code == 2 and "did you mean alpha" in result.output
    assert not out.exists()


def test_user_bank_and_deck_filter(small_bank):
    data = json.loads(prep("export", "json", *user(small_bank, "--deck", "beta")).stdout)
    assert [c["id"] for c in data["cards"]] == ["b-one", "b-two"]


def test_markdown_dir_refusal_writes_nothing(small_bank, tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    (out / "beta.md").write_text("mine")
    result = prep("export", "markdown", "-o", out, *user(small_bank))
    assert result.exit_code == 1 and "beta.md" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["beta.md"] and (out / "beta.md").read_text() == "mine"


def test_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with files.replacing(target, force=True) as tmp:
            tmp.write_text("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_file_names_are_sanitized_and_confined(tmp_path):
    assert files.safe_name("../../etc/passwd") == "etc-passwd"
    assert files.safe_name("Déck  ID!!") == "d-ck-id"
    assert files.safe_name("///") == "deck"
    assert files.unique_names(["index", "a", "a"], {"index"}) == ["index-1", "a", "a-1"]
    for bad in ("../x", "a/b", "..", ""):
        with pytest.raises(PrepError):
            files.child(tmp_path, bad)
    card = Card.from_dict({"id": "c", "deck": "../../evil", "level": "basic", "question": {"en": "Q?"},
                           "answer": {"en": "A."}, "key_points": {"en": ["k"]}})
    evil = banks.Bank(decks=[Deck("../../evil", {"en": "Evil"}, {}, "", (card,))], cards={"c": card})
    out = tmp_path / "out" / "inner"
    written = markdown.export(evil, [card], "en", out).written
    assert all(p.resolve().parent == out.resolve() for p in written)
    assert sorted(p.name for p in out.iterdir()) == ["evil.md", "index.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_importing_the_command_module_does_not_import_numpy_or_exporters():
    code = ("import sys, interviewprep.cli.export; "
            "assert not {'numpy', 'genanki', 'interviewprep.export'} & set(sys.modules), sys.modules.keys()")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
       | st.text(alphabet="ab _*`[]()<>&#|~!\\-=+.1:/;", max_size=30))
def test_escaped_text_renders_as_itself(text):
    rendered = MarkdownIt("commonmark").parseInline(mdtext.escape_inline(text))[0].children
    assert "".join(t.content for t in rendered if t.type in ("text", "code_inline")) == mdtext.one_line(text)
