"""Commands that look after the user's data: backup, restore, doctor. Registered by cli/app.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from interviewprep.cli.options import (
    BankOpt,
    HomeOpt,
    JsonOpt,
    NoBuiltinOpt,
    console,
    echo,
    echo_json,
    now,
    user_errors,
)


def backup_command(
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the backup to this file "
                                                   "(default: a new file in the data dir's backups/).",
                                                   show_default=False)] = None,
    home: HomeOpt = None,
):
    """Copy the review database to a backup file (consistent even while another prep is running).

    Example: prep backup -o ~/prep-before-upgrade.sqlite3
    """
    from interviewprep.store.backup import backup
    from interviewprep.store.db import Store, resolve_home

    with user_errors():
        store = Store.open(resolve_home(home))
        dest = backup(store, output, now())
    echo(f"backed up to {dest}")


def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup made by `prep backup` (or any prep database).")],
    home: HomeOpt = None,
):
    """Replace your review history with a backup; the current database is backed up first.

    Example: prep restore ~/.local/share/interviewprep/backups/prep-20261120-093000-000000-daily.sqlite3
    """
    from interviewprep.store.backup import restore
    from interviewprep.store.db import resolve_home

    with user_errors():
        saved = restore(resolve_home(home), file, now())
    echo(f"restored from {file}" + (f"; the previous database was saved as {saved}" if saved else ""))


def doctor_command(as_json: JsonOpt = False, bank: BankOpt = None, no_builtin: NoBuiltinOpt = False,
                   home: HomeOpt = None):
    """Check the database, the banks and the backups; show where data lives. Exit 1 when unhealthy.

    Example: prep doctor
    """
    from interviewprep.bank import loader as banks
    from interviewprep.render import cards as render
    from interviewprep.store.db import resolve_home
    from interviewprep.store.doctor import diagnose

    with user_errors():
        report = diagnose(resolve_home(home), banks.bank_dirs(bank, builtin=not no_builtin), now())
    if as_json:
        echo_json(report.to_dict(), indent=2)
    else:
        render.doctor(console(), report)
    raise typer.Exit(0 if report.healthy else 1)
