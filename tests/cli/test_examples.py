"""Every example that `--help` and the README show runs as written and exits as they say.

The examples run through typer's CliRunner as a shell would hand them over (`~` expanded, a
`printf … |` as standard input, a `> FILE` as captured output), in a scratch directory that holds
what they refer to: `./my-deck`, a backup at ~/prep-before-upgrade.sqlite3, and a review log long
enough for `prep optimize`. A README example whose output shows "(exit N)" must exit N; every other
one must exit 0.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from interviewprep.cli.app import app
from interviewprep.store.db import Store
from tests.conftest import REPO, deck_yaml, prep
from tests.srs.test_optimize import simulate

BIN = Path(sys.executable).parent
BACKUP = "prep-before-upgrade.sqlite3"  # what `prep backup -o` writes and `prep restore` reads in the examples


def _commands(command, path=()):
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def help_examples() -> list[str]:
    """The commands after "Example:"/"Examples:" in every command's help, split at " · "."""
    found = []
    for _, command in _commands(typer.main.get_command(app)):
        for paragraph in (command.help or "").split("\n\n"):
            text = " ".join(paragraph.split())
            match = re.search(r"Examples?: (.+)$", text)
            if match:
                found += [part.strip() for part in match.group(1).split(" · ")]
            for line in paragraph.splitlines():  # "Without a terminal, …: printf '…' | prep quiz"
                piped = re.search(r": (printf .+ \| prep .+)$", line.strip())
                if piped:
                    found.append(piped.group(1).replace("\\\\", "\\"))
    return found


def readme_examples() -> list[tuple[str, int]]:
    """`$ prep …` lines in the README's code blocks (with their continuation lines) and the exit they show."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i].startswith("$ "):
            command = lines[i][2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            command = re.sub(r"\s{2,}#.*$", "", command)
            output = []
            while i + 1 < len(lines) and not lines[i + 1].startswith(("$ ", "```")):
                i += 1
                output.append(lines[i])
            shown = re.search(r"\(exit (\d+)\)", "\n".join(output))
            found.append((command, int(shown.group(1)) if shown else 0))
        i += 1
    return found


EXAMPLES = [(command, 0) for command in help_examples()] + readme_examples()


def test_the_examples_were_found():
    commands = [command for command, _ in EXAMPLES]
    assert len(help_examples()) >= 25 and len(readme_examples()) >= 20
    assert "prep demo 动量" in commands and "prep stats --json" in commands
    assert ("prep config set retention 1.2", 2) in EXAMPLES


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A scratch directory, home and data dir holding what the examples name."""
    root = tmp_path_factory.mktemp("examples")
    env = {**os.environ, "HOME": str(root), "PREP_HOME": str(root / "data"), "PREP_CACHE": str(root / "cache"),
           "PREP_CONFIG_DIR": str(root / "config"), "NO_COLOR": "1", "COLUMNS": "100",
           "EDITOR": "true", "VISUAL": "",  # `prep edit`: an editor that saves nothing
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("PREP_BANK", "PREP_LANG", "PREP_NEW", "PREP_RETENTION", "PREP_DAY_START", "PREP_REVIEWS",
                 "PREP_LEARN_AHEAD"):
        env.pop(name, None)
    store = Store.open(root / "data")
    assert simulate(store) >= 500  # the history `prep optimize` needs
    store.close()
    (root / "my-deck").mkdir()
    (root / "my-deck" / "mine.yaml").write_text(deck_yaml("mine", ["my-one", "my-two"]), encoding="utf-8")
    for setup in ("printf ' \\n3\\n \\n2\\nq\\n' | prep quiz --deck activations",
                  "prep backup -o ~/prep-before-upgrade.sqlite3"):
        done = subprocess.run(["bash", "-c", setup], cwd=root, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    shutil.copy(root / BACKUP, root / "pristine.sqlite3")
    return root, env


def as_invocation(command: str, home: Path) -> tuple[list[str], str]:
    """A shell line's arguments to `prep` and its standard input: `printf FMT | prep …`, `prep … > FILE`."""
    stdin = ""
    if command.startswith("printf "):
        printed, command = (part.strip() for part in command.split(" | ", 1))
        stdin = shlex.split(printed)[1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    words = shlex.split(command)
    if ">" in words:
        words = words[:words.index(">")]
    assert words[0] == "prep", command
    return [str(home) + word[1:] if word.startswith("~/") else word for word in words[1:]], stdin


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example_runs_and_exits_as_shown(world, command, expected, monkeypatch):
    root, env = world
    for leftover in ("decks", "bank.csv", "prep.apkg", "backup.json"):  # exports refuse to overwrite
        target = root / leftover
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    (root / BACKUP).unlink(missing_ok=True)
    if "prep backup" not in command:
        shutil.copy(root / "pristine.sqlite3", root / BACKUP)
    args, stdin = as_invocation(command, root)
    monkeypatch.chdir(root)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if args[:2] in (["plan", "--show"], ["plan", "--clear"]):  # these read the active plan: make sure there is one
        assert prep("plan", "--date", "+30d").exit_code == 0
    done = prep(*args, input=stdin)
    assert done.exit_code == expected, f"{command}\n{done.output[-1200:]}"
    assert done.exception is None or isinstance(done.exception, SystemExit), repr(done.exception)
