"""The bank cache (one SQLite database): used when nothing changed, incremental per file, never stale,
untrusted (damaged, foreign or planted rows are ignored and the files re-read), safe under concurrent writers.

Most tests change a bank or the cache between two real `prep` processes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from interviewprep import config
from interviewprep.bank import cache as bankcache
from interviewprep.bank.loader import bank_dirs, load
from interviewprep.models import KeyPoint
from tests.conftest import REPO, deck_yaml, run_prep


def db():
    return config.cache_dir() / bankcache.DB_NAME


def next_question(bank) -> str:
    result = run_prep("next", "--json", "--no-builtin", "--bank", str(bank))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["question"]["en"]


def show(bank, card_id) -> str:
    result = run_prep("show", card_id, "--lang", "en", "--no-builtin", "--bank", str(bank))
    assert result.returncode == 0, result.stderr
    return result.stdout


def parsed_files() -> list[str]:
    conn = sqlite3.connect(db())
    try:
        return sorted(os.path.basename(r[0]) for r in conn.execute("SELECT path FROM file"))
    finally:
        conn.close()


def test_the_cache_gives_the_same_bank_as_the_loader(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    first = bankcache.load_cached(dirs)  # parses and writes
    again = bankcache.load_cached(dirs)  # reads
    truth = load(dirs)
    assert list(again.cards) == list(truth.cards) == list(first.cards)
    assert all(again.cards[c] == truth.cards[c] for c in truth.cards)
    assert [(d.id, d.title, [c.id for c in d.cards]) for d in again.decks] == \
        [(d.id, d.title, [c.id for c in d.cards]) for d in truth.decks]
    assert again.seeds == truth.seeds
    index = bankcache.load_index(dirs)
    for card_id, entry in index.cards.items():
        card = truth.cards[card_id]
        assert (entry.deck, entry.level, entry.tags, entry.question, entry.to_dict()) == \
            (card.deck, card.level, card.tags, card.question, card.to_dict())
    assert [c.id for c in index.select(["beta"])] == ["b-one", "b-two"]


def test_an_edit_is_seen_by_the_next_command(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    path = small_bank / "alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("en: Question a-one?", "en: Edited question?"),
                    encoding="utf-8")
    assert next_question(small_bank) == "Edited question?"


def test_an_edit_keeping_size_and_mtime_is_seen(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    path = small_bank / "alpha.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8").replace("en: Question a-one?", "en: Question x-one?")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only ctime moves
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert next_question(small_bank) == "Question x-one?"


def test_only_the_edited_file_is_read_again(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    bankcache.load_index(dirs)
    conn = sqlite3.connect(db())
    before = dict(conn.execute("SELECT path, id FROM file"))
    path = small_bank / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Question b-two?", "Question b-2?"), encoding="utf-8")
    bank = bankcache.load_index(dirs)
    after = dict(conn.execute("SELECT path, id FROM file"))
    alpha, beta = str(small_bank / "alpha.yaml"), str(path)
    assert after[alpha] == before[alpha] and after[beta] != before[beta]
    assert bank.cards["b-two"].question["en"] == "Question b-2?"


def test_added_and_removed_files_are_seen(small_bank):
    assert "g-one" not in run_prep("list", "--json", "--no-builtin", "--bank", str(small_bank)).stdout
    (small_bank / "gamma.yaml").write_text(deck_yaml("gamma", ["g-one"]), encoding="utf-8")
    assert "g-one" in run_prep("list", "--json", "--no-builtin", "--bank", str(small_bank)).stdout
    (small_bank / "alpha.yaml").unlink()
    ids = [r["id"] for r in json.loads(run_prep("list", "--json", "--no-builtin", "--bank", str(small_bank)).stdout)]
    assert ids == ["b-one", "b-two", "g-one"]


def test_several_configurations_are_kept(small_bank, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "o.yaml").write_text(deck_yaml("other", ["o-one"]), encoding="utf-8")
    bankcache.load_index(bank_dirs([small_bank], builtin=False))
    bankcache.load_index(bank_dirs([other], builtin=False))
    assert parsed_files() == ["alpha.yaml", "beta.yaml", "o.yaml"]  # switching back re-reads nothing
    for i in range(bankcache.KEEP + 1):  # more configurations than the cache keeps: the oldest go
        extra = tmp_path / f"extra{i}"
        extra.mkdir()
        (extra / f"e{i}.yaml").write_text(deck_yaml(f"e{i}", [f"e{i}-one"]), encoding="utf-8")
        bankcache.load_index(bank_dirs([extra], builtin=False))
    assert "alpha.yaml" not in parsed_files() and f"e{bankcache.KEEP}.yaml" in parsed_files()


def test_an_invalid_bank_is_never_cached_and_reports_every_problem(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text(deck_yaml("x", ["a"]).replace("level: basic", "level: nope"), encoding="utf-8")
    (bad / "y.yaml").write_text(deck_yaml("y", ["a"]), encoding="utf-8")  # a duplicate id across files
    result = run_prep("next", "--no-builtin", "--bank", str(bad))
    assert result.returncode == 1 and "level 'nope'" in result.stderr
    (bad / "x.yaml").write_text(deck_yaml("x", ["a"]), encoding="utf-8")
    result = run_prep("next", "--no-builtin", "--bank", str(bad))
    assert result.returncode == 1 and "duplicate card id 'a'" in result.stderr and "y.yaml" in result.stderr
    assert run_prep("next", "--no-builtin", "--bank", str(bad / "x.yaml")).returncode == 0


def test_a_broken_see_also_in_an_unchanged_file_is_caught_when_its_target_goes(small_bank):
    path = small_bank / "alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [test]", "tags: [test]\n    see_also: [b-one]", 1),
                    encoding="utf-8")
    assert next_question(small_bank) == "Question a-one?"
    beta = small_bank / "beta.yaml"
    beta.write_text(deck_yaml("beta", ["b-two"]), encoding="utf-8")
    result = run_prep("next", "--no-builtin", "--bank", str(small_bank))
    assert result.returncode == 1 and "unknown card 'b-one'" in result.stderr


def test_a_corrupt_database_is_rebuilt(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    for damage in (b"not a database at all" * 100, b"SQLite format 3\x00" + os.urandom(8192)):
        for name in ("cache.sqlite3-wal", "cache.sqlite3-shm"):
            (db().parent / name).unlink(missing_ok=True)
        db().write_bytes(damage)
        assert next_question(small_bank) == "Question a-one?"
        assert "a-two" in show(small_bank, "a-two")
    assert parsed_files() == ["alpha.yaml", "beta.yaml"]


def tamper(sql: str, *args) -> None:
    conn = sqlite3.connect(db())
    with conn:
        conn.execute(sql, args)
    conn.close()


def test_damaged_rows_are_ignored_never_shown(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    assert "Question a-two?" in show(small_bank, "a-two")
    # a card's text edited by hand: its checksum no longer matches, the file is read again
    tamper("UPDATE card SET data = replace(data, 'Question a-two?', 'PLANTED') WHERE data LIKE '%a-two%'")
    assert "PLANTED" not in show(small_bank, "a-two") and "Question a-two?" in show(small_bank, "a-two")
    # a damaged index line, deeply nested JSON, a row from another stamp
    tamper("UPDATE file SET idx = '[[\"a-one\", ' WHERE path LIKE '%alpha.yaml'")
    assert next_question(small_bank) == "Question a-one?"
    tamper("UPDATE file SET idx = ? WHERE path LIKE '%alpha.yaml'", "[" * 200_000 + "]" * 200_000)
    assert next_question(small_bank) == "Question a-one?"
    tamper("UPDATE file SET stamp = '1:2:3:4:5'")
    assert next_question(small_bank) == "Question a-one?"
    tamper("UPDATE meta SET v = ? WHERE k = 'seeds'", "[" * 200_000)
    assert next_question(small_bank) == "Question a-one?"


def test_a_planted_row_claiming_a_file_is_ignored(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    conn = sqlite3.connect(db())
    path, stamp, deck, idx = conn.execute("SELECT path, stamp, deck, idx FROM file WHERE path LIKE '%alpha.yaml'"
                                          ).fetchone()
    with conn:  # another row for the same file, same stamp, other cards, a made-up checksum
        conn.execute("DELETE FROM file WHERE path = ?", (path,))
        conn.execute("INSERT INTO file (path, builtin, stamp, deck, idx, sum) VALUES (?, 0, ?, ?, ?, ?)",
                     (path, stamp, deck, idx.replace("a-one", "evil"), "feedfacefeedface"))
    conn.close()
    assert next_question(small_bank) == "Question a-one?"


def test_another_version_s_cache_is_dropped(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    tamper("UPDATE meta SET v = '0.0.1/1' WHERE k = 'format'")
    tamper("UPDATE card SET data = replace(data, 'Question a-one?', 'OLD VERSION')")
    assert next_question(small_bank) == "Question a-one?"


def test_a_changed_seed_index_invalidates_every_file(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    bankcache.load_index(dirs)
    conn = sqlite3.connect(db())
    before = {r[0] for r in conn.execute("SELECT id FROM file")}
    seed_stamp, _ = bankcache._seeds(None)
    tamper("UPDATE file SET stamp = replace(stamp, ?, 'older')", seed_stamp)
    bankcache.load_index(dirs)
    assert not before & {r[0] for r in conn.execute("SELECT id FROM file")}


def test_an_unwritable_cache_is_not_an_error(small_bank, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = run_prep("search", "a-two", "--no-builtin", "--bank", str(small_bank),
                      env={"PREP_CACHE": str(blocker / "cache")})
    assert result.returncode == 0 and "a-two" in result.stdout


WRITER = """
import sys

import pytest
from pathlib import Path
from interviewprep.bank import cache
bank = cache.load_cached([(Path(sys.argv[1]), False)])
print(len(bank.cards))
"""


def test_concurrent_writers_never_tear_the_cache(tmp_path):
    bank = tmp_path / "big"
    bank.mkdir()
    for d in range(6):
        (bank / f"d{d}.yaml").write_text(deck_yaml(f"d{d}", [f"c{d}-{i}" for i in range(60)]), encoding="utf-8")
    env = {**os.environ}
    for round_ in range(3):
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(bank)], cwd=REPO, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [o[0].strip() for o in outs] == ["360"] * 4, [o[1] for o in outs]
        path = bank / f"d{round_}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Question", "Changed"), encoding="utf-8")
    conn = sqlite3.connect(db())
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM card").fetchone()[0] == 360
    # every card is in the search index; the old entries of d0 and d1, re-read by the writers (d2 is changed
    # after the last round), stay behind, counted as dead (more, if two writers both re-read a file)
    assert conn.execute("SELECT count(*) FROM card WHERE n IN (SELECT rowid FROM fts)").fetchone()[0] == 360
    dead = int(conn.execute("SELECT v FROM meta WHERE k = 'dead'").fetchone()[0])
    assert dead == conn.execute("SELECT count(*) FROM fts").fetchone()[0] - 360 >= 120
    result = run_prep("search", "changed", "--json", "--no-builtin", "--bank", str(bank))
    assert len(json.loads(result.stdout)) == 180  # d0, d1 and d2 were changed and re-read


def test_list_json_from_stored_texts_is_what_encoding_the_cards_prints(small_bank):
    """The first run parses the files (cards encoded from to_dict), the second joins the cache's stored
    texts: both print the same bytes, which are json.dumps of the loader's cards and their states."""
    alpha = small_bank / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "en: Answer a-two.}", 'en: "Answer a-two: 动量 🙂, \\"quoted\\" and \\\\ back"}'), encoding="utf-8")
    args = ("list", "--json", "--no-builtin", "--bank", str(small_bank))
    assert run_prep("quiz", "--no-builtin", "--bank", str(small_bank), input=" \n3\nq\n").returncode == 0
    shutil.rmtree(config.cache_dir())
    cold, warm = run_prep(*args), run_prep(*args)
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr + warm.stderr
    assert warm.stdout == cold.stdout
    rows = json.loads(warm.stdout)
    cards = load(bank_dirs([small_bank], builtin=False)).cards
    assert [{k: v for k, v in r.items() if k not in ("state", "due")} for r in rows] == [
        json.loads(json.dumps(c.to_dict())) for c in cards.values()]
    assert rows[0]["state"]["card_id"] == "a-one" and rows[0]["due"] == rows[0]["state"]["due"]
    assert all(r["state"] is None and r["due"] is None for r in rows[1:])
    assert '动量 🙂, \\"quoted\\" and \\\\ back' in warm.stdout


def test_list_json_sees_an_edit_between_two_commands(small_bank):
    args = ("list", "--json", "--no-builtin", "--bank", str(small_bank))
    assert "Question b-two?" in run_prep(*args).stdout
    beta = small_bank / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Question b-two?", "Question b-2?"), encoding="utf-8")
    out = run_prep(*args).stdout
    assert "Question b-2?" in out and "Question b-two?" not in out


def test_declared_key_points_come_through_the_cache_as_the_loader_gives_them(tmp_path):
    """A {text, match, min} point is one KeyPoint from the deck file, through the cache's rows, to the matcher."""
    from interviewprep.bank.keypoints import card_points, cover

    folder = tmp_path / "declared"
    folder.mkdir()
    (folder / "d.yaml").write_text(
        "deck: {id: d, title: {en: D}}\ncards:\n  - id: c1\n    level: basic\n"
        "    question: {en: Why do deep sigmoid nets train slowly?}\n    answer: {en: A.}\n"
        "    key_points:\n      en: [one point,\n"
        "           {text: Vanishing gradients, match: [vanishing|shrink, sigmoid], min: 2}]\n",
        encoding="utf-8")
    dirs = bank_dirs([folder], builtin=False)
    truth = load(dirs).cards["c1"]
    bankcache.load_cached(dirs)  # parses and writes
    for cached in (bankcache.load_cached(dirs).cards["c1"], bankcache.load_index(dirs).cards["c1"]):
        assert isinstance(cached.key_points["en"][1], KeyPoint)
        assert cached.key_points == truth.key_points
        assert cached.key_points["en"][1] == KeyPoint("Vanishing gradients", ("vanishing|shrink", "sigmoid"), 2)
        answer = "the gradients shrink through every sigmoid"
        assert [c.hit for c in cover(card_points(cached, "en"), answer)] == [False, True]
        assert [c.hit for c in cover(card_points(cached, "en"), "the gradients shrink")] == [False, False]


def test_an_index_card_answers_exactly_what_the_card_view_lists(small_bank):
    """IndexCard has no catch-all: every name of models.CardView (which covers every Card field) is
    declared on it and gives what the full card gives; any other name is an AttributeError."""
    import dataclasses

    from interviewprep.models import Card, CardView

    listed = {name for name in vars(CardView) if not name.startswith("_")}
    assert {f.name for f in dataclasses.fields(Card)} | {"point_texts", "to_dict"} == listed
    assert "__getattr__" not in vars(bankcache.IndexCard)
    dirs = bank_dirs([small_bank], builtin=False)
    truth = load(dirs)
    bankcache.load_cached(dirs)
    index = bankcache.load_index(dirs)
    for card_id, entry in index.cards.items():
        assert isinstance(entry, bankcache.IndexCard)
        card = truth.cards[card_id]
        for name in sorted(listed - {"point_texts", "to_dict"}):
            assert getattr(entry, name) == getattr(card, name), (card_id, name)
        assert entry.to_dict() == card.to_dict() and entry.point_texts("en") == card.point_texts("en")
    entry = next(iter(index.cards.values()))
    with pytest.raises(AttributeError):
        entry.from_dict  # noqa: B018  (a Card classmethod, not part of the view)


def test_dead_search_entries_are_counted_and_a_cache_full_of_them_starts_afresh(small_bank, monkeypatch):
    """A contentless index cannot delete: a re-read file's old entries stay behind, under card numbers no card
    gets again, until they outnumber the live cards; then the cache is rebuilt, and search never sees them."""
    monkeypatch.setattr(bankcache, "DEAD_MIN", 0)
    dirs = bank_dirs([small_bank], builtin=False)
    path = small_bank / "alpha.yaml"

    def meta(conn):
        """The dead count and the highest card number given out."""
        return {"dead": int(conn.execute("SELECT v FROM meta WHERE k = 'dead'").fetchone()[0]),
                "last_n": conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'card'").fetchone()[0]}

    bankcache.load_index(dirs)
    conn = sqlite3.connect(db())
    assert meta(conn) == {"dead": 0, "last_n": 5}
    path.write_text(path.read_text(encoding="utf-8").replace("Answer a-one", "Answer moved"), encoding="utf-8")
    bankcache.load_index(dirs)  # alpha re-read: its 3 old entries are dead, its cards get 6, 7 and 8
    bank = bankcache.load_index(dirs)  # every card from the cache (cards parsed in a process are all candidates)
    assert meta(conn) == {"dead": 3, "last_n": 8}
    assert sorted(n for (n,) in conn.execute("SELECT n FROM card")) == [4, 5, 6, 7, 8]
    assert "a-one" in bankcache.candidates(bank, "a-one")
    assert bankcache.candidates(bank, "moved") == {"a-one"}
    path.write_text(path.read_text(encoding="utf-8").replace("moved", "again"), encoding="utf-8")
    bankcache.load_index(dirs)  # 6 dead entries, 5 cards
    assert meta(conn)["dead"] == 6
    bankcache.load_index(dirs)  # the next connection starts afresh
    assert meta(conn) == {"dead": 0, "last_n": 5}
    bank = bankcache.load_index(dirs)
    assert conn.execute("SELECT count(*) FROM fts").fetchone()[0] == 5
    assert bankcache.candidates(bank, "again") == {"a-one"} and bankcache.candidates(bank, "moved") == set()
