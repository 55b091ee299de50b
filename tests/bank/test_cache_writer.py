"""Parsed files go into the cache as they are parsed, in one transaction that commits only when the whole
bank holds together (cache._Writer): a bank refused late, a failing insert, or another process writing the
cache at that moment never leaves partial rows, and never costs the user their bank."""

from __future__ import annotations

import sqlite3

import pytest

from interviewprep import config
from interviewprep.bank import cache as bankcache
from interviewprep.bank.loader import bank_dirs, load
from interviewprep.errors import BankError
from tests.bank.test_cache_helper import stored as rows
from tests.conftest import deck_yaml


def parse_nothing(monkeypatch):
    """From here on, reading a bank file is a test failure: the cache must answer."""
    def refuse(path, builtin, seeds):
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(bankcache, "_parse", refuse)


def test_a_bank_refused_after_its_files_were_added_leaves_the_cache_as_it_was(small_bank):
    dirs = bank_dirs([small_bank], builtin=False)
    bankcache.load_index(dirs)
    before = rows()
    assert len(before) == 5
    # both files change, and only the whole bank shows the problem: an id in both decks
    (small_bank / "alpha.yaml").write_text(deck_yaml("alpha", ["a-one", "b-one"]), encoding="utf-8")
    (small_bank / "beta.yaml").write_text(deck_yaml("beta", ["b-one", "b-two", "b-three"]), encoding="utf-8")
    with pytest.raises(BankError, match="b-one"):
        bankcache.load_index(dirs)
    assert rows() == before  # the new rows were rolled back, and the old ones were not deleted


def test_a_failing_insert_rolls_back_every_row_and_the_bank_still_loads(small_bank, monkeypatch):
    dirs = bank_dirs([small_bank], builtin=False)
    real = bankcache._insert_file
    calls = []

    def second_fails(*args):
        calls.append(args[1])
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return real(*args)

    monkeypatch.setattr(bankcache, "_insert_file", second_fails)
    bank = bankcache.load_index(dirs)
    assert len(calls) == 2 and sorted(bank.cards) == sorted(load(dirs).cards)
    assert rows() == []  # the first file's rows went with the transaction
    monkeypatch.setattr(bankcache, "_insert_file", real)
    bankcache.load_index(dirs)
    assert len(rows()) == 5
    parse_nothing(monkeypatch)
    assert sorted(bankcache.load_index(dirs).cards) == sorted(bank.cards)


def test_another_process_writing_the_cache_is_not_waited_for_to_parse_and_the_rows_still_land(small_bank,
                                                                                              monkeypatch):
    dirs = bank_dirs([small_bank], builtin=False)
    bankcache.load_index(bank_dirs([small_bank / "beta.yaml"], builtin=False))  # creates the database
    other = sqlite3.connect(config.cache_dir() / bankcache.DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another prep, in the middle of its write
    held_while_parsing = []
    real_parse = bankcache._parse

    def parse(*args):
        held_while_parsing.append(other.in_transaction)
        if other.in_transaction:
            other.execute("COMMIT")  # the other process finishes while this one parses
        return real_parse(*args)

    monkeypatch.setattr(bankcache, "_parse", parse)
    try:
        bank = bankcache.load_index(dirs)
    finally:
        other.close()
    assert held_while_parsing == [True]  # alpha.yaml was parsed while the cache was locked
    assert sorted(bank.cards) == sorted(load(dirs).cards)
    assert sorted({r[0].rsplit("/", 1)[-1] for r in rows()}) == ["alpha.yaml", "beta.yaml"]
    parse_nothing(monkeypatch)
    assert sorted(bankcache.load_index(dirs).cards) == sorted(bank.cards)
