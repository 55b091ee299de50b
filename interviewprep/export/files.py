"""Safe writing for every exporter: no clobbering, no half-written files, nothing outside `-o`.

Why each rule:
- an export is often aimed at a file someone edited or imported; overwriting it needs `--force`;
- every file is written to a temporary file in the *same* directory and moved into place with
  `os.replace`, which is atomic on one filesystem, so Ctrl-C or a full disk leaves either the old
  file or the new one, never a truncated mix;
- file names derived from bank content (deck ids, card ids) are reduced to `[a-z0-9-]` and
  checked to resolve inside the output directory, so no bank can make an export write elsewhere.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from interviewprep import atomic
from interviewprep.errors import PrepError

_UNSAFE = re.compile(r"[^a-z0-9]+")


def safe_name(text: str, fallback: str = "deck") -> str:
    """`text` as a file-name stem of lowercase letters, digits and single hyphens."""
    stem = _UNSAFE.sub("-", str(text).lower()).strip("-")[:80].strip("-")
    return stem or fallback


def unique_names(stems: list[str], taken: set[str] | None = None) -> list[str]:
    """Make stems distinct (and distinct from `taken`) by appending -1, -2, ... in order."""
    seen = set(taken or ())
    out = []
    for stem in stems:
        name, n = stem, 0
        while name in seen:
            n += 1
            name = f"{stem}-{n}"
        seen.add(name)
        out.append(name)
    return out


def child(root: Path, name: str) -> Path:
    """`root/name` for a sanitized name; refuses anything that would resolve outside `root`."""
    if name != Path(name).name or name in ("", ".", ".."):
        raise PrepError(f"refusing to write '{name}': not a plain file name")
    path = Path(root) / name
    if path.resolve().parent != Path(root).resolve():
        raise PrepError(f"refusing to write '{path}': outside {root}")
    return path


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Fail before writing anything when a target exists and `--force` was not given."""
    for path in paths:
        if path.is_dir():
            raise PrepError(f"{path} is a directory; give a file name with -o")
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        listed = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
        raise PrepError(f"{listed} already exist{'s' if len(existing) == 1 else ''}; use --force to overwrite")


@contextmanager
def replacing(path: Path, force: bool):
    """Yield a temporary path beside `path`; on success move it over `path`, else delete it.

    For writers that insist on a file name of their own (genanki); everything else uses
    `write_bytes`.
    """
    path = Path(path)
    refuse_existing([path], force)
    if in_place(path):
        yield from _writing_in_place(path)
        return
    try:
        with atomic.replacing(path) as tmp:
            yield tmp
    except OSError as exc:
        raise PrepError(f"cannot write {path}: {exc.strerror or exc}") from None


def in_place(path: Path) -> bool:
    """Whether `path` must be written into rather than replaced: a symlink, a device, a FIFO.

    Replacing is only for regular files: renaming over /dev/stdout or /dev/full (as root) would put
    a regular file where the device was, and renaming over a symlink would cut the link.
    """
    if path.is_symlink():
        return True
    try:
        return path.exists() and not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _writing_in_place(path: Path):
    """`replacing` for a target that is not a regular file: write a temporary file, then copy it in."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".prep-export-", suffix=".tmp")
    except OSError as exc:
        raise PrepError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as source, open(path, "wb") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)
    except OSError as exc:
        raise PrepError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        os.unlink(tmp)


def write_bytes(path: Path, data: bytes, force: bool) -> Path:
    with replacing(path, force) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_all(files: dict[Path, bytes], force: bool) -> list[Path]:
    """Write several files, checking every target first so a refusal writes none of them."""
    refuse_existing(list(files), force)
    return [write_bytes(path, data, force=True) for path, data in files.items()]


