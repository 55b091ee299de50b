"""`prep export ...`: Markdown, Anki, CSV and JSON exports of the question bank.

Mounted by cli/app.py with `app.add_typer(export_app, name="export")`. Like cli/app.py, each command only
parses options, calls one library function and reports; only typer and interviewprep.cli.options are
imported at module level so that `prep --help` stays fast (the exporters, numpy for demos and
genanki are imported inside the commands).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from interviewprep.cli.options import (
    BankOpt,
    DeckOpt,
    HomeOpt,
    LangOpt,
    NoBuiltinOpt,
    PrepGroup,
    TagOpt,
    echo,
    load_bank,
    open_store,
    resolve_lang,
    select,
)
from interviewprep.errors import UsageError

export_app = typer.Typer(
    cls=PrepGroup,  # the same error boundary as the root app, so the group stands alone too
    help="Export decks as Markdown, an Anki package, CSV or JSON.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite existing files.")]
FileOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to this file (default, or `-`: stdout).", show_default=False)]


def _file_or_stdout(output: Path | None) -> Path | None:
    """`-o -` means stdout, as it does for most command-line tools."""
    return None if output is not None and str(output) == "-" else output


def _report(paths: list[Path]) -> None:
    for path in paths:
        echo(f"wrote {path}")


@export_app.command()
def markdown(
    deck: DeckOpt = None,
    tag: TagOpt = None,
    lang: LangOpt = None,
    with_demos: Annotated[bool, typer.Option("--with-demos", help="Run each linked demo and embed its results "
                                             "(PNG plots need the `plot` extra).")] = False,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="FILE.md for one file, or a DIR for one file per deck plus index.md "
        "(default: stdout).", show_default=False)] = None,
    force: ForceOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
):
    """Export decks as CommonMark with a table of contents; deterministic, so decks diff well in git.

    Examples: prep export markdown --deck activations --lang both -o decks/ · prep export markdown > bank.md
    """
    from interviewprep.export import markdown as md

    language = resolve_lang(lang)
    loaded = load_bank(bank, no_builtin, full=True)
    outcome = md.export(loaded, select(loaded, deck, tag), language, _file_or_stdout(output), force=force,
                        with_demos=with_demos)
    if outcome.text is not None:
        echo(outcome.text, nl=False)
    _report(outcome.written)


@export_app.command()
def anki(
    output: Annotated[Path, typer.Option("--output", "-o", help="The FILE.apkg to write.", show_default=False)],
    deck: DeckOpt = None,
    tag: TagOpt = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
):
    """Export an Anki package: one deck per bank deck under "prep"; re-importing updates notes.

    Needs the `anki` extra: pip install 'interviewprep[anki]'. Example: prep export anki -o prep.apkg --lang both
    """
    from interviewprep.export import anki as anki_export

    anki_export.require_genanki()
    language = resolve_lang(lang)
    loaded = load_bank(bank, no_builtin, full=True)
    cards = select(loaded, deck, tag)
    if str(output) == "-":
        raise UsageError("an Anki package is a file: give -o a name ending in .apkg")
    path = anki_export.export(loaded, cards, language, output, force=force)
    echo(f"wrote {path} ({len(cards)} notes)")


@export_app.command("csv")
def csv_command(
    output: FileOpt = None,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    force: ForceOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
):
    """Export one row per card as UTF-8 CSV (with BOM) for spreadsheets; both languages in columns.

    Tags and sources are joined with "; ", key points with newlines. Example: prep export csv -o bank.csv
    """
    from interviewprep.export import files, tabular

    data = tabular.csv_bytes(select(load_bank(bank, no_builtin, full=True), deck, tag))
    output = _file_or_stdout(output)
    if output is not None:
        _report([files.write_bytes(output, data, force)])
        return
    _to_stdout(data)


@export_app.command("json")
def json_command(
    output: FileOpt = None,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    with_progress: Annotated[bool, typer.Option("--with-progress",
                                                help="Add each card's review state and history.")] = False,
    force: ForceOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Export the full card records as JSON, optionally with review progress.

    Example: prep export json --with-progress -o backup.json
    """
    from interviewprep.export import files, tabular

    loaded = load_bank(bank, no_builtin, full=True)
    cards = select(loaded, deck, tag)
    store = open_store(home) if with_progress else None
    try:
        data = tabular.json_bytes(loaded, cards, store)
    finally:
        if store is not None:
            store.close()
    output = _file_or_stdout(output)
    if output is not None:
        _report([files.write_bytes(output, data, force)])
        return
    _to_stdout(data, is_json=True)


def _to_stdout(data: bytes, is_json: bool = False) -> None:
    """An export written to stdout: the file's bytes, except that no control character reaches a terminal.

    The bank loader refuses them, so this changes nothing for a valid bank; JSON keeps its values exact
    (\\u escapes), and a CSV keeps its leading BOM (U+FEFF, which spreadsheets want) and CRLF line ends.
    """
    import sys

    from interviewprep.safetext import json_safe, visible

    text = data.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    safe = json_safe(body) if is_json else "\r\n".join(visible(part) for part in body.split("\r\n"))
    sys.stdout.buffer.write((bom + safe).encode("utf-8"))
    sys.stdout.flush()
