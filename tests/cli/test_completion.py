"""Tab completion of card ids, deck ids, tags and demo ids, through the shell's own protocol (bash)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from interviewprep.cli.options import complete_demo_ids
from interviewprep.demos import registry

PREP = Path(sys.executable).parent / "prep"  # the installed console script: completion keys on its name


def complete(words: str) -> list[str]:
    """What bash would offer after `words` (the last word is the one being completed)."""
    parts = words.split(" ")
    env = {**os.environ, "_PREP_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = subprocess.run([str(PREP)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout.split()


def test_card_ids_complete_after_show_and_edit():
    assert complete("prep show sigmoid-f") == ["sigmoid-function"]
    assert "activation-function-role" in complete("prep edit activation-f")


def test_deck_ids_and_tags_complete_after_their_options():
    assert complete("prep quiz --deck opt") == ["optimization"]
    assert "activation" in complete("prep list --tag act")


def test_a_user_bank_on_the_line_is_what_completes(small_bank):
    assert complete(f"prep show --no-builtin --bank {small_bank} a-t") == ["a-three", "a-two"]


def test_demo_topics_are_demo_ids_and_card_ids():
    assert complete("prep demo mom") == ["momentum", "momentum-sgd"]  # a demo and a card


def test_demo_ids_without_importing_demos_match_the_registry():
    assert sorted(complete_demo_ids()) == sorted(registry.load_all())


def test_an_unreadable_bank_completes_to_nothing_quietly(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: [unclosed\n", encoding="utf-8")
    assert complete(f"prep show --bank {bad} sig") == []
