"""Read one key: a single keypress on a terminal, one line per key anywhere else.

The line protocol makes the quiz scriptable: `printf ' \\n3\\nq\\n' | prep quiz` reveals, rates
Good and quits. A blank line is Enter; a line holding spaces is Space; end of input is `q`.
"""

from __future__ import annotations

import sys

ENTER = "enter"
SPACE = " "
QUIT = "q"
INTERRUPT = "ctrl-c"


class KeyReader:
    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stdin
        self.is_terminal = _isatty(self.stream)

    def read(self) -> str:
        return self._read_raw() if self.is_terminal else self._read_line()

    def _read_line(self) -> str:
        line = self.stream.readline()
        if line == "":
            return QUIT
        stripped = line.rstrip("\r\n")
        if stripped == "":
            return ENTER
        if stripped.strip() == "":
            return SPACE
        return stripped.strip().lower()

    def _read_raw(self) -> str:  # pragma: no cover - needs a real terminal (tested through a pty)
        import termios
        import tty

        fd = self.stream.fileno()
        old = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            ch = self.stream.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
        if ch in ("\r", "\n"):
            return ENTER
        if ch == "\x03":
            return INTERRUPT
        if ch in ("", "\x04"):
            return QUIT
        return ch.lower()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
