"""`prep` builds only the command it runs (cli.app.keep_only) and prints exactly what the whole app prints.

typer turns every registered command into click parameters at each start-up; building one instead of 25 is
the largest single saving on every command's start-up. The root keeps every command wherever it answers
itself: `prep --help`, bare `prep`, an unknown command, shell completion.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from interviewprep.cli.app import invoked_name, keep_only
from tests.conftest import runner, user

PREP = Path(sys.executable).with_name("prep")  # the console script, which runs cli.app.main


@pytest.mark.parametrize(("argv", "name"), [
    (["show", "x"], "show"),
    (["--day-start", "5", "stats"], "stats"),
    (["--day-start=5", "list", "--json"], "list"),
    (["export", "json", "-o", "-"], "export"),
    ([], None),
    (["--help", "show"], None),
    (["-h"], None),
    (["--version"], None),
    (["--day-start"], None),
])
def test_the_invoked_name_is_the_first_word_after_the_root_options(argv, name):
    assert invoked_name(argv) == name


def _toy_app() -> typer.Typer:
    app = typer.Typer()
    app.command("show")(lambda: None)
    app.command("list")(lambda: None)
    export = typer.Typer()
    export.command("json")(lambda: None)
    app.add_typer(export, name="export")
    return app


def _registered(app: typer.Typer) -> tuple[list[str], list[str]]:
    return [c.name for c in app.registered_commands], [g.name for g in app.registered_groups]


@pytest.mark.parametrize(("name", "kept"), [
    ("show", (["show"], [])),
    ("export", ([], ["export"])),
    ("sho", (["show", "list"], ["export"])),  # an unknown name keeps all, so click can say what exists
    (None, (["show", "list"], ["export"])),
])
def test_keep_only_registers_just_the_invoked_command_or_group(name, kept, monkeypatch):
    monkeypatch.delenv("_PREP_COMPLETE", raising=False)
    app = _toy_app()
    keep_only(app, name)
    assert _registered(app) == kept


def test_shell_completion_keeps_every_command(monkeypatch):
    monkeypatch.setenv("_PREP_COMPLETE", "complete_bash")
    app = _toy_app()
    keep_only(app, "show")
    assert _registered(app) == (["show", "list"], ["export"])


CASES = [
    ["show", "a-one", *user("{bank}")],
    ["show", "--help"],
    ["list", "--json", *user("{bank}")],
    ["--day-start", "5", "stats", "--json", *user("{bank}")],
    ["export", "json", "-o", "-", *user("{bank}")],
    ["export", "--help"],
    ["sho", "a-one"],
    ["show", "no-such-card", *user("{bank}")],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a[:3]) for a in CASES])
def test_a_started_prep_prints_what_the_whole_app_prints(args, small_bank):
    argv = [a.replace("{bank}", str(small_bank)) for a in args]
    from interviewprep.cli.app import app

    whole = runner.invoke(app, argv, prog_name="prep", env={"COLUMNS": "80"}, catch_exceptions=False)  # all of them
    started = subprocess.run([str(PREP), *argv], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "COLUMNS": "80"})  # main(): only the invoked one
    assert started.returncode == whole.exit_code
    # the same words; click wraps help 2 columns narrower in a real process than under CliRunner
    assert (started.stdout + started.stderr).split() == whole.output.split()


def test_the_console_entry_point_builds_only_the_command_it_runs():
    from interviewprep.cli.app import app

    every = f"{len(app.registered_commands)} {len(app.registered_groups)}"
    script = ("import sys\nfrom interviewprep.cli import app as cli\nsys.argv = ['prep', *sys.argv[1:]]\n"
              "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
              "print(len(cli.app.registered_commands), len(cli.app.registered_groups), file=sys.stderr)")
    for args, counts in ((["show", "--help"], "1 0"), (["export", "--help"], "0 1"), (["--help"], every)):
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60)
        assert done.stderr.split()[-2:] == counts.split(), (args, done.stderr)
