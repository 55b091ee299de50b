"""Write a regular file all at once: a temporary file beside it, flushed to disk, renamed over it.

`os.replace` is atomic on one filesystem, so Ctrl-C, a crash or a full disk leaves either the old
file or the new one, never half of one, and never a stray temporary file. The config file and every
export go through here; what to do with targets that are not regular files (symlinks, devices) is
the caller's policy (export/files.py writes those in place).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without error, move it over `path`.

    Raises OSError as the filesystem does; the temporary file is removed whatever happens.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path: Path, text: str) -> None:
    """`Path.write_text` in UTF-8, atomically."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
