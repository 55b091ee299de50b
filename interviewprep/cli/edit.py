"""`prep edit ID`: open the card's file in $VISUAL/$EDITOR at its line, then check the file again.

The edit itself is the user's editor's job; ours is to start it at the right place and, once it
exits, to re-read the banks and show what is wrong in that file with positions (path:line:col), so
a typo is caught at once rather than at the next quiz.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import typer

from interviewprep.cli.options import (
    BankOpt,
    CardIdArg,
    NoBuiltinOpt,
    bank_dirs_for,
    console,
    load_bank,
)
from interviewprep.errors import ExitStatus, PrepError, UsageError, unknown_card

# editors that take the file and line as one FILE:LINE argument after a flag, rather than +LINE FILE
_GOTO_FLAG = {"code": "--goto", "code-insiders": "--goto", "codium": "--goto", "subl": None, "zed": None}


def editor_argv(editor: str, path: Path, line: int) -> list[str]:
    """The command line that opens `path` at `line` in `editor` (a command with arguments, as $EDITOR is).

    vi, vim, nvim, nano, emacs, micro, kak and most others take `+LINE FILE`; VS Code takes
    `--goto FILE:LINE`; Sublime Text and Zed take `FILE:LINE`.
    """
    words = shlex.split(editor)
    if not words:
        raise UsageError("$EDITOR is empty; set it, e.g. export EDITOR=nano")
    name = Path(words[0]).name
    if name in _GOTO_FLAG:
        flag = _GOTO_FLAG[name]
        return [*words, *([flag] if flag else []), f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]


def problems_in(path: Path, problems: list[str]) -> list[str]:
    """The bank problems that point into `path` (each is `path:line:col: message`)."""
    prefix = f"{path}:"
    return [p for p in problems if p.startswith(prefix)]


@dataclass
class Edited:
    """What a file says after the user's editor exits: its problems, and the card as it now reads."""

    path: Path
    problems: list[str]
    card: object | None  # None: the id is gone from the banks (renamed or removed)
    cards_in_file: int


def edit_card(card, dirs) -> Edited:
    """Run $VISUAL/$EDITOR on `card`'s file at its line, then re-read the banks in `dirs` (full check)."""
    from interviewprep.bank import loader as banks
    from interviewprep.demos.registry import link_problems

    path = Path(card.path)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    argv = editor_argv(editor, path, card.line)
    try:
        finished = subprocess.run(argv)
    except OSError as exc:
        raise PrepError(f"cannot start the editor '{argv[0]}': {exc.strerror}; set $EDITOR") from None
    if finished.returncode != 0:
        raise PrepError(f"the editor exited with status {finished.returncode}; {path} was not checked")
    reread, problems = banks.read(dirs, demo_catalog=link_problems)
    in_file = sum(1 for c in reread.cards.values() if Path(c.path) == path)
    return Edited(path, problems_in(path, problems), reread.cards.get(card.id), in_file)


def report(out, card_id: str, edited: Edited) -> None:
    """The problems with their positions, a note when the card is gone, else that the file is fine."""
    for line in edited.problems:
        out.print(line, highlight=False, soft_wrap=True)
    if edited.card is None and not edited.problems:
        out.print(f"card '{card_id}' is no longer in the banks (renamed or removed?)", highlight=False,
                  soft_wrap=True)
    if edited.problems:
        out.print(f"{len(edited.problems)} problem(s) in {edited.path}", highlight=False, soft_wrap=True)
    else:
        out.print(f"{edited.path}: ok, {edited.cards_in_file} card(s)", highlight=False, soft_wrap=True)


def edit_command(
    card_id: CardIdArg,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
):
    """Open a card's file in $VISUAL or $EDITOR at the card's line, then re-check the file; exit 1 on problems.

    Example: prep edit sigmoid-function
    """
    loaded = load_bank(bank, no_builtin)
    card = loaded.cards.get(card_id)
    if card is None:
        raise unknown_card(card_id, loaded.cards)
    edited = edit_card(card, bank_dirs_for(bank, no_builtin))
    report(console(), card_id, edited)
    if edited.problems:
        raise typer.Exit(ExitStatus.PROBLEM)
