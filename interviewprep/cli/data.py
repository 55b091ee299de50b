"""Commands that look after the user's data: backup, restore, doctor, migrate. Registered by cli/app.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from interviewprep.cli.options import (
    BankOpt,
    HomeOpt,
    JsonOpt,
    NoBuiltinOpt,
    bank_dirs_for,
    console,
    echo,
    echo_json,
    load_bank,
    now,
    rename_offers,
)
from interviewprep.errors import ExitStatus


def backup_command(
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the backup to this file "
                                                   "(default: a new file in the data dir's backups/).",
                                                   show_default=False)] = None,
    home: HomeOpt = None,
):
    """Copy the review database to a backup file (consistent even while another prep is running).

    Example: prep backup -o ~/prep-before-upgrade.sqlite3
    """
    from interviewprep.config import home_dir
    from interviewprep.store.backup import backup
    from interviewprep.store.db import Store

    store = Store.open(home_dir(home))
    dest = backup(store, output, now())
    echo(f"backed up to {dest}")


def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup made by `prep backup` (or any prep database).")],
    home: HomeOpt = None,
):
    """Replace your review history with a backup; the current database is backed up first.

    Example: prep restore ~/prep-before-upgrade.sqlite3
    """
    from interviewprep.config import home_dir
    from interviewprep.store.backup import restore

    restored = restore(home_dir(home), file, now())
    echo(restored.describe(file))


def doctor_command(as_json: JsonOpt = False, bank: BankOpt = None, no_builtin: NoBuiltinOpt = False,
                   home: HomeOpt = None):
    """Check the database, the banks and the backups; show where data lives. Exit 1 when unhealthy.

    Example: prep doctor
    """
    from interviewprep.config import home_dir
    from interviewprep.render import cards as render
    from interviewprep.store.doctor import diagnose

    report = diagnose(home_dir(home), bank_dirs_for(bank, no_builtin), now())
    if as_json:
        echo_json(report.to_dict(), indent=2)
    else:
        console().print(render.doctor(report))
    raise typer.Exit(ExitStatus.OK if report.healthy else ExitStatus.PROBLEM)


def migrate_command(
    undo: Annotated[bool, typer.Option("--undo", help="Move the last accepted renames back.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Accept the renames your banks ask for (`replaces:`): move each old id's history to its new card.

    Other commands only announce a rename; this is the one that moves history, in one transaction,
    and `--undo` reverses the last one. Example: prep migrate --bank ./my-deck
    """
    from interviewprep.config import home_dir
    from interviewprep.store import renames
    from interviewprep.store.db import Store

    store = Store.open(home_dir(home))
    if undo:
        moved = renames.undo_last(store, now())
        for r in moved:
            echo(f"moved back: {r.new} -> {r.old}")
        if not moved:
            echo("no accepted rename to undo")
        return
    offered = rename_offers(store, load_bank(bank, no_builtin))
    for r in offered:
        if r.refused:
            echo(r.describe(), err=True)
    moved = renames.accept(store, offered, now())
    for r in moved:
        echo(f"moved: {r.old} -> {r.new} ({r.reviews} reviews); undo with `prep migrate --undo`")
    if not offered:
        echo("nothing to migrate: no card's history waits for a rename")
