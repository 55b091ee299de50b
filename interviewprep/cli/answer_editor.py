"""The answer editor: where a typed answer is written, in `prep quiz --type` and `prep interview`.

Why a library and not our own key handling: a terminal in cbreak mode hands over raw bytes, so the
arrow keys arrived as `^[[D` in the saved answer, Backspace erased one of a Chinese character's two
columns, a paste lost everything after its first newline, and a long answer scrolled out of sight.
prompt_toolkit does the terminal's part: cursor keys, Home/End, Ctrl-W/Ctrl-U, history, wide
characters measured as the terminal draws them, bracketed paste (a pasted text arrives as one event and
is kept whole), and a multi-line buffer that wraps. What is ours is small: which keys submit (Enter on
an empty line, Esc-Enter, or Enter on a line that is only a command such as `q`), that Ctrl-C and
Ctrl-D return what was typed instead of dropping it, and the countdown in the bottom toolbar.

prompt_toolkit is imported when the first answer is read, never by `prep --help` or `prep next`.
Input that is not a terminal never comes here: the quiz keeps its line protocol (cli/keys.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

SUBMIT = "submit"
TIMEOUT = "timeout"
INTERRUPT = "interrupt"  # Ctrl-C
EOF = "eof"  # Ctrl-D with nothing after the cursor

SUBMIT_HINT = "Enter on an empty line or Esc-Enter: submit"
KEYS_HINT = "Ctrl-W/U: delete · ↑: history"  # arrows and Home/End need no hint
COMMANDS = ("q", "s", "u")  # a buffer that is only one of these is that key, submitted by one Enter


@dataclass(frozen=True)
class Typed:
    """What the editor returns: the text as typed (trailing blank lines dropped) and how it ended."""

    text: str
    end: str = SUBMIT


class AnswerEditor:
    """One editor for a whole quiz or interview, so ↑ recalls the answers typed earlier.

    `input` and `output` are prompt_toolkit's (tests pass a pipe input and a DummyOutput); None means
    the terminal.
    """

    def __init__(self, input=None, output=None, commands: tuple[str, ...] = COMMANDS):
        self._input, self._output = input, output
        self.commands = commands
        self._session = None

    def read(self, deadline: datetime | None = None, clock: Callable[[], datetime] | None = None) -> Typed:
        """Read one answer. With a `deadline` (and the `clock` it is measured by) the toolbar counts
        down, and at the deadline the answer is taken as it stands (end TIMEOUT)."""
        session = self._session or self._make_session()
        self._session = session
        timed = deadline is not None and clock is not None

        def toolbar():
            if not timed:
                return f" {SUBMIT_HINT} · {KEYS_HINT}"
            from interviewprep.render.learn import clock_text

            return f" ⏱ {clock_text(deadline - clock())} left · {SUBMIT_HINT} · Ctrl-C: stop"

        def start_watch():
            if timed:
                app = session.app
                app.create_background_task(_watch(app, deadline, clock))

        result = session.prompt("› ", bottom_toolbar=toolbar, pre_run=start_watch,
                                refresh_interval=0.5 if timed else 0)
        return result if isinstance(result, Typed) else Typed(_clean(result or ""))

    def _make_session(self):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import InMemoryHistory

        return PromptSession(multiline=True, wrap_lines=True, history=InMemoryHistory(),
                             key_bindings=_bindings(self.commands), prompt_continuation="  ",
                             input=self._input, output=self._output, enable_history_search=False)


def _clean(text: str) -> str:
    """The answer without the blank lines the submitting Enter left at its end."""
    return text.rstrip()


def _finish(event, end: str) -> None:
    buffer = event.current_buffer
    text = _clean(buffer.text)
    if text and end == SUBMIT:
        buffer.append_to_history()
    event.app.exit(result=Typed(text, end))


def _bindings(commands: tuple[str, ...]):
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("enter")
    def _enter(event):
        buffer = event.current_buffer
        if buffer.text.strip().lower() in commands or not buffer.document.current_line.strip():
            _finish(event, SUBMIT)
        else:
            buffer.newline(copy_margin=False)

    @keys.add("escape", "enter")
    def _submit(event):
        _finish(event, SUBMIT)

    @keys.add("c-c")
    def _interrupt(event):
        _finish(event, INTERRUPT)

    @keys.add("c-d")
    def _eof(event):
        buffer = event.current_buffer
        if buffer.document.is_cursor_at_the_end:
            _finish(event, EOF)
        else:
            buffer.delete(1)

    return keys


async def _watch(app, deadline: datetime, clock: Callable[[], datetime]) -> None:
    """End the prompt at the deadline, keeping what was typed."""
    import asyncio

    while True:
        left = (deadline - clock()).total_seconds()
        if left <= 0:
            if not app.future.done():
                app.exit(result=Typed(_clean(app.current_buffer.text), TIMEOUT))
            return
        await asyncio.sleep(min(0.25, left))
