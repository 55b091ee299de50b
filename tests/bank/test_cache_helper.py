"""A cold load forks one helper that parses the tail of the missing files (bank.helper): whatever the helper
does, the bank and the cache rows are exactly what parsing every file in this process gives, and a bank with a
problem is refused with the loader's own message."""

from __future__ import annotations

import os
import sqlite3

import pytest

from interviewprep import config
from interviewprep.bank import cache as bankcache
from interviewprep.bank import helper
from interviewprep.bank.loader import bank_dirs, load
from interviewprep.errors import BankError
from tests.conftest import deck_yaml

pytestmark = pytest.mark.skipif(not helper.can_fork(), reason="no fork or a single core here")


@pytest.fixture
def six_decks(tmp_path):
    bank = tmp_path / "six"
    bank.mkdir()
    for d in range(6):
        (bank / f"d{d}.yaml").write_text(deck_yaml(f"d{d}", [f"c{d}-{i}" for i in range(8)]), encoding="utf-8")
    return bank


def stored() -> list[tuple]:
    """Every card row by file path and position (ids differ between builds), with the trigrams the search index
    holds for it."""
    conn = sqlite3.connect(config.cache_dir() / bankcache.DB_NAME)
    try:
        rows = conn.execute("SELECT c.n, f.path, c.pos, c.data FROM card c JOIN file f ON f.id = c.file").fetchall()
        conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, fts, row)")
        held: dict[int, list[str]] = {}
        for (term,) in conn.execute("SELECT term FROM temp.terms").fetchall():
            for (n,) in conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (bankcache._quote(term),)):
                held.setdefault(n, []).append(term)
        return sorted((path, pos, data, tuple(sorted(held.get(n, ())))) for n, path, pos, data in rows)
    finally:
        conn.close()


def build(dirs, monkeypatch, min_bytes: int) -> tuple[dict, list[tuple]]:
    monkeypatch.setattr(bankcache, "HELPER_MIN_BYTES", min_bytes)
    bankcache._remove(config.cache_dir() / bankcache.DB_NAME)
    bank = bankcache.load_cached(dirs)
    return {cid: card.to_dict() for cid, card in bank.cards.items()}, stored()


def test_the_helper_gives_what_one_process_gives(six_decks, monkeypatch):
    dirs = bank_dirs([six_decks], builtin=False)
    started = []
    real = helper.Helper.__init__
    monkeypatch.setattr(helper.Helper, "__init__", lambda self, job, items: started.append(len(items)) or
                        real(self, job, items))
    alone = build(dirs, monkeypatch, 1 << 40)
    assert started == []
    helped = build(dirs, monkeypatch, 0)
    assert started and 0 < started[0] < 6  # the helper parsed some files, this process the others
    assert helped == alone
    assert list(helped[0]) == list(load(dirs).cards)
    assert len(alone[1]) == 48


def test_a_helper_that_fails_leaves_the_work_to_this_process(six_decks, monkeypatch):
    dirs = bank_dirs([six_decks], builtin=False)
    alone = build(dirs, monkeypatch, 1 << 40)

    real = bankcache._prepared

    def broken(entry, seeds):
        if entry[0].endswith("d5.yaml"):
            os._exit(9)  # as if killed
        return real(entry, seeds)

    monkeypatch.setattr(bankcache, "_prepared", broken)
    assert build(dirs, monkeypatch, 0) == alone


def test_texts_that_do_not_read_back_are_computed_again(six_decks, monkeypatch):
    dirs = bank_dirs([six_decks], builtin=False)
    alone = build(dirs, monkeypatch, 1 << 40)
    monkeypatch.setattr(helper.Helper, "next_second", lambda self: None)
    assert build(dirs, monkeypatch, 0) == alone


def test_a_problem_in_the_helper_s_share_is_reported_as_the_loader_reports_it(six_decks, monkeypatch):
    (six_decks / "d5.yaml").write_text(deck_yaml("d5", ["x"]).replace("level: basic", "level: nope"),
                                       encoding="utf-8")
    monkeypatch.setattr(bankcache, "HELPER_MIN_BYTES", 0)
    with pytest.raises(BankError, match="level 'nope'") as caught:
        bankcache.load_index(bank_dirs([six_decks], builtin=False))
    assert "d5.yaml" in str(caught.value)
    assert stored() == []  # nothing of a bank with a problem is cached


def test_the_helper_returns_results_in_order_or_none():
    done = helper.Helper(lambda n: (n * n, str(n)), list(range(5)))
    try:
        assert done.firsts() == [0, 1, 4, 9, 16]
        assert [done.next_second() for _ in range(5)] == ["0", "1", "2", "3", "4"]
    finally:
        done.close()
    failed = helper.Helper(lambda n: (1 // (n - 2), None), list(range(5)))
    try:
        assert failed.firsts() is None
    finally:
        failed.close()
    abandoned = helper.Helper(lambda n: (n, n), list(range(3)))
    abandoned.close()  # never asked: stopped, no child left behind
    with pytest.raises(ChildProcessError):
        os.waitpid(abandoned._pid, os.WNOHANG)
