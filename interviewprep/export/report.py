"""Where an interview report goes: never over an existing file without `--force`, never through a symlink.

The default name carries the second the interview ended and, if that name is taken (two interviews
in one second, or a file someone put there), `-1`, `-2`, ...; so a report never replaces another.
Writing goes through `files.write_bytes` (a temporary file moved into place), which replaces a
symlink itself rather than writing to whatever it points at.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from interviewprep.errors import UsageError
from interviewprep.export import files


def check_target(path: Path | None, force: bool) -> None:
    """Refuse a `--report` target before the interview starts, so no answers are typed in vain."""
    if path is None:
        return
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give --report a file name")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(f"{path} already exists; use --force to replace it")


def default_path(home: Path, end: datetime) -> Path:
    folder = Path(home) / "reports"
    stem = f"interview-{end.astimezone():%Y%m%d-%H%M%S}"
    candidate, n = folder / f"{stem}.md", 0
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{stem}-{n}.md"
    return candidate


def save(text: str, home: Path, end: datetime, path: Path | None = None, force: bool = False) -> Path:
    """Write the report to `path` (checked as `check_target` does), else to a fresh default name."""
    if path is None:
        return files.write_bytes(default_path(home, end), text.encode("utf-8"), force=False)
    check_target(path, force)
    path = Path(path)
    if path.is_symlink():  # --force given: the link itself is replaced, what it points at is left alone
        path.unlink()
    return files.write_bytes(path, text.encode("utf-8"), force=True)
