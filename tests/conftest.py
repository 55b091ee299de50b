"""Shared fixtures: an isolated data dir per test, helpers to write real bank files, and the ways
tests run the real CLI: `prep` (in process, typer's CliRunner) and `run_prep` (a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own PREP_HOME; no test touches the real user data dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("PREP_HOME", str(home))
    monkeypatch.setenv("PREP_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("PREP_BANK", raising=False)
    monkeypatch.setenv("PREP_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("PREP_LANG", "PREP_NEW", "PREP_RETENTION", "PREP_DAY_START", "PREP_REVIEWS", "PREP_LEARN_AHEAD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


def card_yaml(card_id: str, **extra) -> str:
    """One valid card as YAML text (indented for a `cards:` list)."""
    fields = {
        "level": "basic",
        "sources": '["000#1"]',
        "tags": "[test]",
    }
    fields.update({k: v for k, v in extra.items()})
    lines = [f"  - id: {card_id}"]
    lines += [f"    {k}: {v}" for k, v in fields.items()]
    lines += [
        f"    question: {{zh: 问题 {card_id}, en: Question {card_id}?}}",
        f"    answer: {{zh: 答案 {card_id}, en: Answer {card_id}.}}",
        "    key_points: {zh: [要点一, 要点二, 要点三], en: [one, two, three]}",
    ]
    return "\n".join(lines) + "\n"


def deck_yaml(deck_id: str, card_ids: list[str]) -> str:
    head = textwrap.dedent(f"""\
        deck:
          id: {deck_id}
          title: {{zh: 测试 {deck_id}, en: Test {deck_id}}}
          description: {{zh: 测试用, en: for tests}}
        cards:
        """)
    return head + "".join(card_yaml(c) for c in card_ids)


@pytest.fixture
def small_bank(tmp_path) -> Path:
    """A user bank directory with two decks and five cards."""
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "alpha.yaml").write_text(deck_yaml("alpha", ["a-one", "a-two", "a-three"]), encoding="utf-8")
    (bank / "beta.yaml").write_text(deck_yaml("beta", ["b-one", "b-two"]), encoding="utf-8")
    return bank


def run_prep(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60):
    """The real `prep` in a subprocess (python -m interviewprep), with the test's environment."""
    return subprocess.run(
        [sys.executable, "-m", "interviewprep", *args],
        input=input, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, cwd=REPO,
    )


runner = CliRunner()


def prep(*args, input: str | None = None, env: dict | None = None):
    """The real `prep` app in process; arguments may be paths. An exception that is not a clean exit
    propagates, so a traceback fails the test instead of hiding in `result.exception`."""
    from interviewprep.cli.app import app

    return runner.invoke(app, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


def user(bank, *args) -> list[str]:
    """Options that read only the given bank (the built-in one left out), then `args`."""
    return ["--no-builtin", "--bank", str(bank), *args]
