"""Every malformed bank in tests/bank/bad_banks/ gives its exact `path:line:col: message`, and nothing else.

expected.tsv lists, per file (or folder), the position and a fragment of the one problem it must
produce. Hostile inputs that are too big to commit (50 MB, 10,000 levels of nesting) are written
by the tests themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewprep.bank import loader as banks
from interviewprep.demos.registry import link_problems
from tests.conftest import deck_yaml, run_prep

HERE = Path(__file__).resolve().parent / "bad_banks"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")


def expectations():
    for row in (HERE / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            name, position, fragment = row.split("\t")
            yield pytest.param(name, position, fragment, id=name)


def problems_of(target: Path) -> list[str]:
    source = target.parent if target.parent != HERE else target
    _, problems = banks.read([(source, False)], demo_catalog=link_problems)
    return problems


def test_there_are_at_least_30_bad_banks():
    assert len(list(expectations())) >= 30


@pytest.mark.parametrize("name, position, fragment", list(expectations()))
def test_bad_bank_gives_exactly_its_error(name, position, fragment):
    problems = problems_of(HERE / name)
    assert len(problems) == 1, problems
    match = LINE.match(problems[0])
    assert match, problems[0]
    assert match["path"] == str(HERE / name)
    assert f"{match['line']}:{match['col']}" == position, problems[0]
    assert fragment in match["msg"], problems[0]


def test_a_bad_bank_through_the_cli_exits_1_without_traceback():
    result = run_prep("check", "--no-builtin", "--bank", str(HERE / "alias_bomb.yaml"))
    assert result.returncode == 1
    assert "alias_bomb.yaml:" in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_a_50_megabyte_file_is_refused_by_size(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("w") as out:
        out.write("deck: {id: big, title: {en: Big}}\ncards:\n")
        line = "  - {id: c, question: {en: q}, answer: {en: a}, key_points: {en: [p]}, level: basic}\n"
        out.write(line * (50 * 2**20 // len(line)))
    (problem,) = problems_of(big)
    assert problem.startswith(f"{big}:1:1: file is 5") and "limited to 5 MB" in problem


def test_nesting_10000_levels_deep(tmp_path):
    """PyYAML may stop before our own depth check does; either way it is one positioned line.

    We assert our prefix and position, never the parser's own sentence (which changed in PyYAML 6.0.4).
    """
    deep = tmp_path / "deep.yaml"
    deep.write_text("deck: " + "[" * 10_000 + "]" * 10_000 + "\ncards: []\n")
    (problem,) = problems_of(deep)
    assert LINE.match(problem) and problem.startswith(f"{deep}:1:"), problem
    assert "\n" not in problem


def test_nesting_just_past_our_limit_is_refused_in_our_words(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("deck: " + "[" * 70 + "]" * 70 + "\ncards: []\n")
    (problem,) = problems_of(deep)
    assert problem.startswith(f"{deep}:1:") and "nesting deeper than 64 levels" in problem


def test_a_deck_linked_to_dev_zero_is_refused_without_reading_it(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "deck.yaml").symlink_to("/dev/zero")
    result = run_prep("check", "--no-builtin", "--bank", str(bank), timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{bank / 'deck.yaml'}:1:1: a character device, not a regular file" in result.stderr


def test_a_fifo_named_like_a_deck_does_not_hang_check_or_quiz(tmp_path):
    import os

    bank = tmp_path / "bank"
    bank.mkdir()
    os.mkfifo(bank / "deck.yaml")
    for command in (["check"], ["quiz"]):
        result = run_prep(*command, "--no-builtin", "--bank", str(bank), input="q\n", timeout=30)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{bank / 'deck.yaml'}:1:1: a FIFO, not a regular file" in result.stderr


def test_a_symlink_to_a_real_deck_still_reads(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text(deck_yaml("linked", ["l-one"]), encoding="utf-8")
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "deck.yaml").symlink_to(real)
    assert run_prep("check", "--no-builtin", "--bank", str(bank)).returncode == 0


def test_prep_check_points_at_the_refused_demo_parameter_not_at_its_card():
    """Issue 22: the line and column of the parameter (line 16 of the file), in a real `prep check` run."""
    target = HERE / "demo_param_bad_value_block.yaml"
    result = run_prep("check", "--no-builtin", "--bank", str(target))
    assert result.returncode == 1
    assert f"{target}:16:9: card 'c': demo: parameter 'span' = 'many' is not allowed" in result.stderr
    assert f"{target}:5:1:" not in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_every_refused_demo_parameter_is_reported_at_its_own_line(tmp_path):
    bad = (HERE / "demo_param_bad_value_block.yaml").read_text(encoding="utf-8").replace("z: 4", "z: 1000")
    (tmp_path / "deck.yaml").write_text(bad, encoding="utf-8")
    problems = banks.read([(tmp_path, False)], demo_catalog=link_problems)[1]
    deck = tmp_path / "deck.yaml"
    assert [p.split(": card")[0] for p in problems] == [f"{deck}:15:9", f"{deck}:16:9"]
    assert "'z' = 1000" in problems[0] and "'span' = 'many'" in problems[1]
