"""The real CLI, through typer's CliRunner and through a subprocess."""

from __future__ import annotations

import io
import json

import pytest

from interviewprep import __version__
from interviewprep.cli.app import app
from tests.conftest import prep, run_prep, user


def test_version():
    assert prep("--version").output.strip() == f"prep {__version__}"


def test_check_a_valid_bank(small_bank):
    result = prep("check", *user(small_bank))
    assert result.exit_code == 0, result.output
    assert "5 cards in 2 decks" in result.output


def test_check_json_reports_coverage(small_bank):
    data = json.loads(prep("check", "--json", *user(small_bank)).output)
    assert data["cards"] == 5 and data["problems"] == []
    assert data["seeds"]["covered"] == 1 and data["seeds"]["total"] > 100


def test_check_a_bad_bank_exits_1_with_positions_and_no_traceback(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("deck:\n  id: x\n  title: {en: X}\ncards:\n  - id: c\n    level: huge\n")
    result = run_prep("check", "--no-builtin", "--bank", str(bad))
    assert result.returncode == 1
    assert f"{bad / 'x.yaml'}:6:12: level 'huge' must be one of" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_usage_error_exits_2():
    assert prep("quiz", "--new", "-3").exit_code == 2
    assert prep("list", "--lang", "fr").exit_code == 2


def test_unknown_deck_suggests_the_closest(small_bank):
    result = prep("list", *user(small_bank, "--deck", "alpah"))
    assert result.exit_code == 2
    assert "did you mean alpha" in result.output


def test_next_json_new_then_nothing_due(small_bank):
    first = json.loads(prep("next", "--json", *user(small_bank)).output)
    assert first == {"id": "a-one", "deck": "alpha", "question": {"zh": "问题 a-one", "en": "Question a-one?"},
                     "due": None, "state": "new", "next_due": None}
    keys = " \n4\n" * 5 + "q\n"
    assert prep("quiz", *user(small_bank, "--new", "10"), input=keys).exit_code == 0
    after = json.loads(prep("next", "--json", *user(small_bank)).output)
    assert after["id"] is None and after["next_due"] is not None


def test_quiz_transcript_through_a_pipe(small_bank):
    result = run_prep("quiz", *user(small_bank, "--lang", "en"), input=" \n3\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Question a-one?" in out and "Answer a-one." in out
    assert "saved: Good · a-one · next in 10 min" in out
    assert "Session complete" in out and "reviewed" in out
    stats = json.loads(run_prep("stats", "--json", *user(small_bank)).stdout)
    assert stats["reviews_total"] == 1 and stats["reviews_today"] == 1 and stats["cards_seen"] == 1


def test_quiz_skip_undo_and_invalid_keys(small_bank):
    keys = "s\n \nx\n1\nu\n \n4\nq\n"
    result = prep("quiz", *user(small_bank, "--lang", "en"), input=keys)
    assert result.exit_code == 0
    assert "press 1-4" in result.output           # x is not a rating
    assert "undone: the last rating of a-two" in result.output
    assert "saved: Easy · a-two" in result.output
    history = json.loads(prep("list", "--json", *user(small_bank)).output)
    seen = {c["id"]: c["state"] for c in history if c["state"]}
    assert list(seen) == ["a-two"] and seen["a-two"]["reps"] == 1


def test_quiz_with_nothing_to_do(small_bank):
    result = prep("quiz", *user(small_bank, "--new", "0"))
    assert result.exit_code == 0 and "Nothing to review now" in result.output


def test_show_prints_history_and_sources(small_bank):
    prep("quiz", *user(small_bank), input=" \n2\nq\n")
    result = prep("show", "a-one", *user(small_bank, "--lang", "both"))
    assert result.exit_code == 0
    for text in ("问题 a-one", "Question a-one?", "000#1", "Review history", "Hard"):
        assert text in result.output
    missing = prep("show", "a-onr", *user(small_bank))
    assert missing.exit_code == 2 and "did you mean a-one" in missing.output


def test_stats_json_fields(small_bank):
    data = json.loads(prep("stats", "--json", *user(small_bank)).output)
    assert {"cards_total", "cards_seen", "due_now", "reviews_total", "reviews_today", "retention_30d"} <= set(data)
    assert data["cards_total"] == 5 and data["retention_30d"] is None


def test_bank_from_environment(small_bank, monkeypatch):
    monkeypatch.setenv("PREP_BANK", str(small_bank))
    assert "a-one" in prep("list", "--no-builtin", "--lang", "en").output


# the parts of the demo engine that name demos without running them (no numpy)
DEMO_ENGINE_LIGHT = {"interviewprep.demos.registry", "interviewprep.demos.spec", "interviewprep.demos.result"}


@pytest.mark.parametrize("args", [["--help"], ["next", "--json"], ["next", "--lang", "en"], [], ["decks"]])
def test_fast_paths_do_not_import_numpy(args, small_bank):
    if args and args[0] in ("next", "decks"):
        args = [*args, "--no-builtin", "--bank", str(small_bank)]
    result = run_prep(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "interviewprep.cli.app" in imported
    experiments = {m for m in imported if m.startswith("interviewprep.demos.")} - DEMO_ENGINE_LIGHT
    assert not experiments and not {m for m in imported if m.split(".")[0] == "numpy"}, experiments
    if not args or args[0] == "decks":  # bare `prep` is the today view: no scheduler library either
        assert not {m for m in imported if m.split(".")[0] == "fsrs"}
    assert not {m for m in imported if m.split(".")[0] == "prompt_toolkit"}  # the answer editor's library


def _leaf_commands(command, prefix=()):
    for name, sub in getattr(command, "commands", {}).items():
        if getattr(sub, "commands", None):
            yield from _leaf_commands(sub, (*prefix, name))
        else:
            yield (*prefix, name)


def test_every_command_has_help_with_an_example():
    import typer

    commands = list(_leaf_commands(typer.main.get_command(app)))
    assert len(commands) >= 20
    for command in commands:
        result = prep(*command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, command


def test_ctrl_c_ends_the_quiz_with_everything_saved(small_bank, isolated_home):
    from rich.console import Console

    from interviewprep.bank import loader as banks
    from interviewprep.cli.keys import KeyReader
    from interviewprep.cli.quiz import run_quiz
    from interviewprep.models import Rating
    from interviewprep.srs.scheduler import FSRSScheduler
    from interviewprep.srs.session import Session
    from interviewprep.store.db import Store

    class KeysThenCtrlC(KeyReader):
        def __init__(self, keys):
            super().__init__(stream=None)
            self.keys = list(keys)

        def read(self):
            if not self.keys:
                raise KeyboardInterrupt
            return self.keys.pop(0)

    from datetime import datetime, timezone

    store = Store.open(isolated_home)
    now = datetime(2026, 2, 1, tzinfo=timezone.utc)
    session = Session(banks.load([(small_bank, False)]).select(), store, FSRSScheduler(fuzz=False), now)
    summary, interrupted = run_quiz(session, Console(file=io.StringIO()), KeysThenCtrlC([" ", "4", " "]),
                                    lambda: now, "en")
    assert interrupted and summary.reviewed == 1
    assert [r.rating for r in store.history("a-one")] == [Rating.EASY] and store.history("a-two") == []


def test_show_reads_no_keys_so_it_offers_none(small_bank):
    result = prep("show", "a-one", *user(small_bank, "--lang", "en"))
    assert result.exit_code == 0 and "Answer a-one." in result.output
    assert "1 Again" not in result.output and "q: quit" not in result.output


def test_typed_quiz_shows_the_same_counter_as_the_key_quiz(small_bank):
    result = prep("quiz", "--type", *user(small_bank), "--lang", "en", input="one two\n3\nq\n")
    assert result.exit_code == 0, result.output
    assert "5 · 0 · 0  new · learning · review" in result.output
    assert "Type your answer, then Enter" in result.output


def test_a_card_whose_demo_link_check_refuses_does_not_end_the_quiz_on_d(tmp_path):
    from tests.conftest import card_yaml, deck_yaml

    bank = tmp_path / "bank"
    bank.mkdir()
    link = "{id: sigmoid-saturation, params: {z: 1000}}"
    deck = deck_yaml("d", []).rstrip("\n") + "\n" + card_yaml("bad-link", demo=link)
    (bank / "d.yaml").write_text(deck, encoding="utf-8")
    result = prep("quiz", *user(bank), "--lang", "en", input=" \nd\n3\nq\n")
    assert result.exit_code == 0, result.output
    assert "the demo cannot run: " in result.output and "saved: Good · bad-link" in result.output
