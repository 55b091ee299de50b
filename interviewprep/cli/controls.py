"""Anki's controls outside the quiz: `prep bury/unbury/suspend/unsuspend/flag`; a quiz's daily limits.

Registered by cli/app.py. The work is in srs/marks.py (stored marks) and srs/session.py (limits);
this module parses ids, refuses unknown ones with a suggestion, and says what it did.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Annotated

import typer

from interviewprep.cli.options import BankOpt, HomeOpt, NoBuiltinOpt, echo, load_bank, now, open_store
from interviewprep.errors import UsageError

IdsArg = Annotated[list[str], typer.Argument(help="Card ids, as `prep list` shows them.", show_default=False)]


def daily_limits(store) -> dict:
    """Session keywords from the config: what is left of today's review limit, and learn-ahead."""
    from interviewprep.cli.options import resolve_setting
    from interviewprep.srs.session import reviews_left_today

    return {"review_limit": reviews_left_today(store, resolve_setting(None, "reviews_per_day"), now()),
            "learn_ahead": timedelta(minutes=resolve_setting(None, "learn_ahead"))}


def known_cards(loaded, card_ids: list[str]) -> list[str]:
    """`card_ids` without repeats, or a usage error naming the first unknown id and the closest known ones."""
    from interviewprep.errors import unknown_card

    for card_id in card_ids:
        if card_id not in loaded.cards:
            raise unknown_card(card_id, loaded.cards)
    return list(dict.fromkeys(card_ids))


def _apply(card_ids, bank, no_builtin, home, action) -> None:
    loaded = load_bank(bank, no_builtin)
    ids = known_cards(loaded, card_ids)
    store = open_store(home, loaded)
    for line in action(store, ids):
        echo(line)


def _was(store, ids, state: str, done: str) -> list[str]:
    """What clearing `state` does to each card: `done ID`, or that it was not `state` (nothing to clear)."""
    from interviewprep.srs.marks import labels

    found = store.marks()
    return [f"{done} {cid}" if state in labels(found.get(cid), now()) else f"{cid} was not {state}" for cid in ids]


def _bury(store, ids) -> list[str]:
    from interviewprep.srs import marks

    until = marks.bury(store, ids, now())
    return [f"buried {cid} until {until.astimezone():%Y-%m-%d %H:%M}" for cid in ids]


def _unbury(store, ids) -> list[str]:
    from interviewprep.srs import marks

    said = _was(store, ids, "buried", "unburied")
    marks.unbury(store, ids)
    return said


def _suspend(store, ids) -> list[str]:
    from interviewprep.srs import marks

    marks.suspend(store, ids, now())
    return [f"suspended {cid} (prep unsuspend {cid} brings it back)" for cid in ids]


def _unsuspend(store, ids) -> list[str]:
    from interviewprep.srs import marks

    said = _was(store, ids, "suspended", "unsuspended")
    marks.unsuspend(store, ids)
    return said


def _flag(store, ids, clear: bool) -> list[str]:
    from interviewprep.srs import marks

    said = _was(store, ids, "flagged", "unflagged") if clear else [f"flagged {cid}" for cid in ids]
    marks.flag(store, ids, now(), on=not clear)
    return said


# name, what it does to the cards (store, ids[, clear]) -> the lines it says, whether it takes --clear, help
COMMANDS = (
    ("bury", _bury, False,
     """Hide cards until the next study day begins (4 a.m.): quiz, next, interview and plan leave them out.

    In the quiz, b does the same for the card on screen.

    Example: prep bury activation-function-role
    """),
    ("unbury", _unbury, False,
     """Bring buried cards back today.

    Example: prep unbury activation-function-role
    """),
    ("suspend", _suspend, False,
     """Hide cards until `prep unsuspend`; their review history and schedule are kept.

    In the quiz, @ does the same for the card on screen.

    Example: prep suspend activation-function-role
    """),
    ("unsuspend", _unsuspend, False,
     """Bring suspended cards back, with the schedule they had.

    Example: prep unsuspend activation-function-role
    """),
    ("flag", _flag, True,
     """Flag cards to come back to (a mark only: flagged cards are still scheduled); list them with
    `prep list --state flagged`.

    In the quiz, f flags the card on screen (or removes its flag).

    Example: prep flag activation-function-role · prep flag activation-function-role --clear
    """),
)

ClearOpt = Annotated[bool, typer.Option("--clear", help="Remove the flag instead.")]


def _command(action, takes_clear: bool, doc: str):
    """The typer command for one row of COMMANDS: load the bank, check the ids, hand them to `action`."""
    if takes_clear:
        def command(card_ids: IdsArg, clear: ClearOpt = False, bank: BankOpt = None,
                    no_builtin: NoBuiltinOpt = False, home: HomeOpt = None):
            _apply(card_ids, bank, no_builtin, home, functools.partial(action, clear=clear))
    else:
        def command(card_ids: IdsArg, bank: BankOpt = None, no_builtin: NoBuiltinOpt = False, home: HomeOpt = None):
            _apply(card_ids, bank, no_builtin, home, action)
    command.__doc__ = doc
    return command


def register(app: typer.Typer) -> None:
    """Add the commands to `prep` (one call in cli/app.py)."""
    for name, action, takes_clear, doc in COMMANDS:
        app.command(name)(_command(action, takes_clear, doc))


def only_marked(cards, store, state: str | None) -> list:
    """`prep list --state buried|suspended|flagged`: the cards in that state now (all cards for None)."""
    if state is None:
        return cards
    from interviewprep.srs.marks import STATES, in_state

    if state not in STATES:
        raise UsageError(f"--state '{state}' is not one of {', '.join(STATES)}")
    ids = in_state(store, state, now())
    return [c for c in cards if c.id in ids]
