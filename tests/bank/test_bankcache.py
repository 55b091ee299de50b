"""The compiled bank cache: used when nothing changed, never stale, and a corrupt cache is rebuilt."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from interviewprep.bank import cache as bankcache
from interviewprep.bank.loader import bank_dirs
from interviewprep.cli.app import app
from tests.conftest import deck_yaml

runner = CliRunner()


def next_question(bank):
    out = runner.invoke(app, ["next", "--json", "--no-builtin", "--bank", str(bank)]).output
    return json.loads(out)["question"]["en"]


def test_cache_is_written_then_used(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    key = bankcache.cache_key(dirs)
    assert bankcache.get(key) is None
    first = bankcache.load_cached(dirs)
    cached = bankcache.get(key)
    assert cached is not None
    assert list(cached.cards) == list(first.cards)
    assert cached.cards["a-two"] == first.cards["a-two"]
    assert [d.id for d in cached.decks] == ["alpha", "beta"] and cached.seeds == first.seeds


def test_an_edit_is_seen_by_the_next_command(small_bank):
    assert next_question(small_bank) == "Question a-one?"
    path = small_bank / "alpha.yaml"
    text = path.read_text(encoding="utf-8").replace("en: Question a-one?", "en: Edited question?")
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # even within one mtime tick
    assert next_question(small_bank) == "Edited question?"


def test_a_new_file_changes_the_key(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    before = bankcache.cache_key(dirs)
    (small_bank / "gamma.yaml").write_text(deck_yaml("gamma", ["g-one"]), encoding="utf-8")
    assert bankcache.cache_key(dirs) != before


def test_a_corrupt_cache_is_ignored_and_rebuilt(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    bankcache.load_cached(dirs)
    files = sorted(bankcache.cache_dir().glob("*.json*"))
    assert [f.name.split("-")[0] for f in files] == ["bank", "index"]
    for damaged in files:
        damaged.write_text("{not json", encoding="utf-8")
        assert next_question(small_bank) == "Question a-one?"  # reads the index
        assert runner.invoke(app, ["list", "--json", "--no-builtin", "--bank", str(small_bank)]).exit_code == 0
        for f in files:  # both rewritten whole (the index's first line is its header)
            header = f.read_text(encoding="utf-8").splitlines()[0]
            assert json.loads(header)["key"] == bankcache.cache_key(dirs)


def test_an_invalid_bank_is_never_cached(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text(deck_yaml("x", ["a"]).replace("level: basic", "level: nope"), encoding="utf-8")
    result = runner.invoke(app, ["next", "--no-builtin", "--bank", str(bad)])
    assert result.exit_code == 1 and "level 'nope'" in result.output
    assert not list(bankcache.cache_dir().glob("bank-*.json"))


def test_the_index_matches_the_full_bank_and_is_cached(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    full = bankcache.load_cached(dirs)
    index = bankcache.load_index(dirs)
    assert list(index.cards) == list(full.cards)
    for card_id, entry in index.cards.items():
        card = full.cards[card_id]
        assert (entry.deck, entry.level, entry.tags, entry.question) == (card.deck, card.level, card.tags,
                                                                          card.question)
    assert [d.id for d in index.decks] == [d.id for d in full.decks]
    assert bankcache.get_index(bankcache.cache_key(dirs)) is not None
    assert [c.id for c in index.select(["beta"])] == ["b-one", "b-two"]
