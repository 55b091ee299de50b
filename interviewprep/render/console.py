"""The one way text reaches the terminal: a rich Console that parses no markup and sends no control character.

Why one place: content comes from banks, caches, restored databases, typed answers and file names that
someone else may have written. Two things in it must never act on the terminal:
- rich markup: `[/]` in a key point crashed the quiz and `E[x]` vanished from the screen. This console
  has markup off, so every str is shown as written; our own styling goes through `styled`, whose
  template is ours and whose values are escaped.
- control characters (ESC, C1, bidi overrides): every segment of text is passed through
  `safetext.visible` as it is written out, whatever renderable produced it. Rich's own control
  segments (cursor moves of a live display) are left alone.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from interviewprep.safetext import visible


class SafeConsole(Console):
    """A Console with markup off whose output carries no control character from content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("markup", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        super().__init__(**kwargs)

    def _render_buffer(self, buffer):  # the last step before bytes are written, for every renderable
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style, segment.control)
            for segment in buffer
        )


def styled(template: str, **values) -> Text:
    """Our own markup template filled with content as plain text: styled("[bold]{deck}[/] · {id}", deck=..., id=...)."""
    from rich.markup import escape

    return Text.from_markup(template.format(**{name: escape(str(value)) for name, value in values.items()}))


class ForConsole:
    """A renderable drawn by `build(console)` when it is printed, for the parts of a picture that depend
    on the console that shows them (its width, whether it is a terminal, its colours).

    Why: renderers return what to show and never print (the CLI prints it with its one SafeConsole), yet
    a chart must fit the terminal it lands on and a search hit is marked differently in a pipe. Deferring
    just that part keeps the renderer free of any console and the output what it was when it printed.
    """

    def __init__(self, build):
        self.build = build

    def __rich_console__(self, console, options):
        yield self.build(console)
