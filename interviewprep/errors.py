"""The project's own error types.

Every error a user can cause (a bad bank file, a damaged database, a bad demo parameter) is a
`PrepError` carrying a message the user can act on. The CLI catches `PrepError` once, prints the
message and exits with `exit_code`; anything else is a bug and is allowed to propagate.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Every exit status `prep` uses, and what each means to a script."""

    OK = 0
    PROBLEM = 1  # the command ran and found (or hit) a problem: bank errors, failed demo check, bad data
    USAGE = 2  # the command line asks for something impossible
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT (128 + 2)


class PrepError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""

    exit_code = ExitStatus.PROBLEM

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(PrepError):
    """The command line asks for something impossible (unknown deck, bad option value)."""

    exit_code = ExitStatus.USAGE


class BankError(PrepError):
    """One or more problems in question bank files, each `path:line:col: message`."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class StoreError(PrepError):
    """The review database cannot be opened, read or written."""


def did_you_mean(name: str, known, n: int = 3) -> str:
    """"; did you mean a, b?" for the known names closest to a mistyped one, or "" when none is close.

    The one place that phrases the suggestion, so every "unknown …" message reads the same.
    """
    import difflib

    close = difflib.get_close_matches(name, list(known), n=n)
    return f"; did you mean {', '.join(close)}?" if close else ""


def unknown_card(card_id: str, known) -> UsageError:
    """The error for a card id no loaded bank defines, with the closest ids."""
    return UsageError(f"no card '{card_id}'{did_you_mean(card_id, known)}")
