"""Reading a bank file: only a regular file, with its size checked before a byte is read.

Why: a bank can be a folder someone shared. A `deck.yaml` that is a symlink to /dev/zero would be
read until memory runs out, and a FIFO named `deck.yaml` would block `prep check` and the quiz
forever. So the file is opened without blocking, `fstat` of the open descriptor (not of the name,
which could be swapped in between) must say "regular file", and at most the limit plus one byte is
read, so a file that grows while it is read is still refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


class NotReadable(Exception):
    """The file cannot be read as a bank; the message says why, without the path."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; NotReadable otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise NotReadable(f"cannot read file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise NotReadable(f"{kind}, not a regular file: bank files must be plain files")
        if info.st_size > limit:
            raise NotReadable(too_big(info.st_size, limit))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise NotReadable(too_big(total, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise NotReadable(f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(fd)


def too_big(size: int, limit: int) -> str:
    return f"file is {size / 1e6:.1f} MB; bank files are limited to {limit // 2**20} MB"
