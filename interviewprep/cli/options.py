"""What every command shares: option types, error handling, and the few helpers that load things.

Split from cli/app.py so that command groups in other modules (exports, plans) use the same options
and the same error handling without importing cli/app.py itself. Only typer is imported at module
level; everything heavier is imported inside the helpers.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from interviewprep.clock import utc_now
from interviewprep.errors import PrepError, StoreError, UsageError

# Shell completion (`prep --install-completion`). Each function takes typer's context, so `--bank` and
# `--no-builtin` typed earlier on the line count, and the word being completed. Completion runs on every
# Tab: it reads the bank cache's index and never imports a demo module (a demo's id is its module's
# name with hyphens; tests/cli/test_completion.py holds the registry to that). A bank that cannot be
# read completes to nothing rather than printing an error into the shell.

def _completion_bank(ctx: typer.Context):
    params = ctx.params if ctx is not None else {}
    try:
        return load_bank(params.get("bank"), bool(params.get("no_builtin")))
    except (PrepError, OSError):
        return None


def _matching(names, incomplete: str) -> list[str]:
    return sorted({name for name in names if name.startswith(incomplete)})


def complete_card_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    bank = _completion_bank(ctx)
    return _matching(bank.cards, incomplete) if bank else []


def complete_deck_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    bank = _completion_bank(ctx)
    return _matching((d.id for d in bank.decks), incomplete) if bank else []


def complete_tags(ctx: typer.Context, incomplete: str) -> list[str]:
    bank = _completion_bank(ctx)
    return _matching((t for c in bank.cards.values() for t in c.tags), incomplete) if bank else []


def complete_demo_ids() -> list[str]:
    """Every demo's id, from the registry's module list (no demo module is imported)."""
    from interviewprep.demos.registry import MODULES

    return [name.replace("_", "-") for name in MODULES]


def complete_demo_topics(ctx: typer.Context, incomplete: str) -> list[str]:
    """What `prep demo TOPIC` takes: a demo id or a card id."""
    bank = _completion_bank(ctx)
    return _matching([*complete_demo_ids(), *(bank.cards if bank else [])], incomplete)


BankOpt = Annotated[Optional[list[Path]], typer.Option(
    "--bank", help="Extra bank directory or file (repeatable), after $PREP_BANK or `prep config` bank_dirs.",
    show_default=False)]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin", help="Leave the built-in bank out.")]
HomeOpt = Annotated[Optional[Path], typer.Option(
    "--home", help="Data directory holding the review database (default: $PREP_HOME, else `prep config` home, "
    "else the user data dir).",
    show_default=False)]
LangOpt = Annotated[Optional[str], typer.Option(
    "--lang", help="zh, en or both (default: $PREP_LANG, else `prep config` lang, else zh).", show_default=False)]
DeckOpt = Annotated[Optional[list[str]], typer.Option("--deck", help="Only this deck (repeatable).",
                                                      show_default=False, autocompletion=complete_deck_ids)]
TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", help="Only cards with this tag (repeatable).",
                                                     show_default=False, autocompletion=complete_tags)]
CardIdArg = Annotated[str, typer.Argument(help="A card id, as `prep list` shows it.",
                                          autocompletion=complete_card_ids)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def now() -> datetime:
    """The commands' clock: clock.utc_now, behind one name a test can replace."""
    return utc_now()


def console(stderr: bool = False):
    """Every command's console: markup off, control characters shown as stand-ins (render/console.py)."""
    from interviewprep.render.console import SafeConsole

    return SafeConsole(stderr=stderr, soft_wrap=False)


def echo(text: str = "", nl: bool = True, err: bool = False) -> None:
    """Plain output, as `typer.echo`, with every control character shown as a stand-in (safetext.visible)."""
    from interviewprep.safetext import visible

    typer.echo(visible(text), nl=nl, err=err)


def echo_json(data, **dumps) -> None:
    """JSON for scripts: exact values, with C1 and bidi characters written as \\u escapes, never raw."""
    from interviewprep.safetext import json_safe

    if dumps == {"indent": 2}:
        from interviewprep.jsontext import dumps_indented

        typer.echo(json_safe(dumps_indented(data)))
        return
    import json

    typer.echo(json_safe(json.dumps(data, ensure_ascii=False, **dumps)))


def echo_json_texts(texts, states) -> None:
    """`prep list --json`: byte for byte `echo_json(rows, indent=2)` for the rows {**card.to_dict(),
    "state": ..., "due": ...}, written row by row and built from each card's stored JSON text.

    `texts` yields (card, text or None); the text (bank.cache) is the card's to_dict() as indented,
    json_safe'd JSON, so a 10,000-card listing is string joins rather than 10,000 decodes and encodes.
    A card without a stored text is encoded from its to_dict().
    """
    import json
    import sys

    from interviewprep.jsontext import dumps_indented
    from interviewprep.safetext import json_safe

    # A state is a flat dict of scalars, so its indent=2 text (nested two more spaces, as a row's
    # "state") is the one-line text with ",\n    " between items: the C encoder writes that, while
    # json's indenting encoder is pure Python and several times slower.
    flat = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": ")).encode
    out = sys.stdout
    first = True
    for card, text in texts:
        state = states.get(card.id)
        if text is None or not text.endswith("\n}"):
            text = json_safe(dumps_indented(card.to_dict()))
        if state:
            fields = state.to_dict()
            tail = (json_safe("{\n    " + flat(fields)[1:-1] + "\n  }"), json.dumps(fields["due"]))
        else:
            tail = ("null", "null")
        row = f'{text[:-2]},\n  "state": {tail[0]},\n  "due": {tail[1]}\n}}'
        out.write(("[\n  " if first else ",\n  ") + row.replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")
    out.flush()


def report(exc: PrepError) -> typer.Exit:
    """Print a PrepError as red lines on stderr; return the Exit carrying its status."""
    from interviewprep.render.console import styled

    err = console(stderr=True)
    for line in str(exc).splitlines() or ["error"]:
        err.print(styled("[red]{line}[/]", line=line), soft_wrap=True)
    return typer.Exit(int(exc.exit_code))


class PrepGroup(typer.core.TyperGroup):
    """The one error boundary: any PrepError a command lets out becomes its message and exit status.

    Library code raises PrepError subclasses (errors.py) and never exits; commands need not catch them.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PrepError as exc:
            raise report(exc) from None


def resolve_lang(lang: str | None) -> str:
    """--lang, else $PREP_LANG, else the config file, else zh (config.lang)."""
    from interviewprep.config import lang as configured_lang

    return configured_lang(lang)


def resolve_setting(option, key: str):
    """Option, else $PREP_*, else the config file, else the built-in default (config.value)."""
    from interviewprep.config import value

    return value(key, option)


def load_bank(bank: list[Path] | None, no_builtin: bool, full: bool = False):
    """Built-in bank, then $PREP_BANK (or, when unset, the config file's bank_dirs), then --bank.

    Cards are bank.cache.IndexCards: ids, decks, tags and levels come from the cache's compact
    index, and a card's text is decoded from the cache the first time a command touches it.
    `full=True` decodes every card up front (exports, demo listings).
    """
    from interviewprep.bank.cache import load_cached, load_index

    return (load_cached if full else load_index)(bank_dirs_for(bank, no_builtin))


def bank_dirs_for(bank: list[Path] | None, no_builtin: bool) -> list[tuple[Path, bool]]:
    """The bank directories a command reads: built-in, $PREP_BANK or the config's bank_dirs, then --bank."""
    from interviewprep.bank.loader import bank_dirs
    from interviewprep.config import extra_bank_dirs

    return bank_dirs(extra_bank_dirs(bank), builtin=not no_builtin)


def select(bank_obj, decks: list[str] | None, tags: list[str] | None, levels: list[str] | None = None):
    """Filter cards, refusing unknown deck ids with a suggestion."""
    from interviewprep.errors import did_you_mean

    known = [d.id for d in bank_obj.decks]
    for deck in decks or []:
        if deck not in known:
            hint = did_you_mean(deck, known) or f"; decks: {', '.join(known)}"
            raise UsageError(f"unknown deck '{deck}'{hint}")
    cards = bank_obj.select(decks, tags, levels)
    if not cards:
        raise PrepError("no cards match the given --deck/--tag filters")
    return cards


def rename_offers(store, bank) -> list:
    """History moves the bank's `replaces:` fields ask for (store/renames.py); nothing is moved here."""
    from interviewprep.bank.loader import origin
    from interviewprep.store import renames

    wanted = {old: card.id for card in bank.cards.values() for old in card.replaces}
    if not wanted:
        return []
    decks = {deck.id: deck.path for deck in bank.decks}
    origins = {card.id: origin(decks.get(card.deck, "")) for card in bank.cards.values() if card.replaces}
    return renames.offers(store, wanted, origins)


def announce_renames(store, bank) -> None:
    """One line on stderr per rename waiting for `prep migrate` (or refused), so no move is silent."""
    offered = rename_offers(store, bank)
    if offered:
        err = console(stderr=True)
        for offer in offered:
            err.print(offer.describe(), style="yellow", soft_wrap=True)


def open_store(home: Path | None, bank=None, daily_backup: bool = False):
    """Open the review store (announcing renames that wait for `prep migrate`); back up daily if asked."""
    from interviewprep.config import home_dir
    from interviewprep.store.db import Store

    store = Store.open(home_dir(home))
    if bank is not None:
        announce_renames(store, bank)
    if daily_backup:
        from interviewprep.store.backup import daily_backup as backup_today

        try:
            backup_today(store, now())
        except StoreError as exc:  # a missed daily backup must not cost a day's study (full disk, say)
            console(stderr=True).print(f"daily backup skipped: {exc}", style="yellow", soft_wrap=True)
    return store


def user_scheduler(store, retention: float | None = None, fuzz: bool = True):
    """FSRS with the user's desired retention (option, $PREP_RETENTION, config) and, when
    `prep optimize` has fitted them, the user's own parameters."""
    from interviewprep.srs.optimize import stored_parameters
    from interviewprep.srs.scheduler import FSRSScheduler

    return FSRSScheduler(resolve_setting(retention, "retention"), parameters=stored_parameters(store), fuzz=fuzz)
