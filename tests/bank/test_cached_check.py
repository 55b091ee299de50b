"""`prep check` and `prep doctor` read unchanged files from the bank cache: same answers, never stale.

Each test runs real `prep` processes one after another, so the second one finds the cache the first wrote.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from interviewprep.bank import cache as bankcache
from interviewprep.bank import loader as banks
from interviewprep.bank.report import summarize
from interviewprep.demos.registry import link_problems
from tests.conftest import run_prep

BAD_DEMO = Path(__file__).resolve().parent / "bad_banks" / "demo_param_bad_value_block.yaml"


def check(*bank_args: str):
    return run_prep("check", "--json", *bank_args)


def test_check_says_the_same_with_a_cold_and_a_warm_cache(small_bank):
    args = ("--bank", str(small_bank))
    cold = check(*args)
    warm = check(*args)
    assert cold.returncode == warm.returncode == 0, cold.stderr
    assert cold.stdout == warm.stdout
    loaded, problems = banks.read(banks.bank_dirs([small_bank]), demo_catalog=link_problems)
    assert json.loads(warm.stdout) == {**summarize(loaded), "problems": problems} and not problems
    assert run_prep("check", *args).stdout == run_prep("check", *args).stdout  # the table, too


def test_the_library_read_equals_the_loader_read_on_a_warm_cache(small_bank):
    dirs = banks.bank_dirs([small_bank])
    bankcache.load_index(dirs)  # fills the cache
    cached, problems = bankcache.read(dirs, demo_catalog=link_problems)
    truth, truth_problems = banks.read(dirs, demo_catalog=link_problems)
    assert problems == truth_problems == []
    assert cached.cards == truth.cards
    assert [(d.id, d.cards) for d in cached.decks] == [(d.id, d.cards) for d in truth.decks]
    assert summarize(cached) == summarize(truth)


def test_a_refused_demo_parameter_in_a_cached_file_is_still_found_at_its_line(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    shutil.copy(BAD_DEMO, bank / "deck.yaml")
    assert run_prep("list", "--no-builtin", "--bank", str(bank)).returncode == 0  # loads, and caches the file
    result = run_prep("check", "--no-builtin", "--bank", str(bank))
    assert result.returncode == 1
    assert f"{bank / 'deck.yaml'}:16:9: card 'c': demo: parameter 'span' = 'many' is not allowed" in result.stderr


def test_an_edit_after_a_clean_check_is_checked(small_bank):
    args = ("--no-builtin", "--bank", str(small_bank))
    assert run_prep("check", *args).returncode == 0
    deck = small_bank / "beta.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("level: basic", "level: expert", 1), encoding="utf-8")
    result = run_prep("check", *args)
    assert result.returncode == 1
    assert f"{deck}:" in result.stderr and "level 'expert' must be one of" in result.stderr


def test_doctor_counts_the_bank_from_the_cache_as_from_the_files(small_bank):
    args = ("doctor", "--json", "--no-builtin", "--bank", str(small_bank))
    first, second = run_prep(*args), run_prep(*args)
    banks_row = [json.loads(r.stdout)["findings"][0] for r in (first, second)]
    assert banks_row[0] == banks_row[1] == {"name": "banks", "ok": True, "detail": "5 cards in 2 decks"}
    (small_bank / "alpha.yaml").write_text("deck: [", encoding="utf-8")
    broken = json.loads(run_prep(*args).stdout)["findings"][0]
    assert broken["ok"] is False and f"{small_bank / 'alpha.yaml'}:2:1: YAML syntax error" in broken["detail"]
