"""`prep export markdown --with-demos`: run each linked demo once and embed what it measured.

Why a separate module: it is the only part of the Markdown export that needs numpy (the demos)
and, optionally, matplotlib. Each demo runs with seed 0 at its card's parameters, exactly as the
quiz's `d` key does, so the numbers in an exported deck are the ones a learner sees in the
terminal and are identical on every export. PNGs are drawn on a bare `Figure` (no pyplot, no
global backend switch) and saved without the "Software" stamp, so they are byte-stable too.
"""

from __future__ import annotations

import io

from interviewprep.errors import PrepError
from interviewprep.export import mdtext
from interviewprep.models import pick

PLOT_WIDTH = 72
PLOT_HEIGHT = 14


def matplotlib_available() -> bool:
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        return False
    return True


class DemoEmbedder:
    """Runs demos (cached per demo and parameters) and renders them as Markdown plus image files."""

    def __init__(self, langs: tuple[str, ...], images: bool):
        self.langs = langs
        self.images = images and matplotlib_available()
        self._cache: dict[tuple, object] = {}

    def run(self, card):
        from interviewprep.demos.runner import run_for_card

        key = (card.demo.id, tuple(sorted((k, repr(v)) for k, v in card.demo.params.items())))
        if key not in self._cache:
            try:
                self._cache[key] = run_for_card(card)
            except PrepError as exc:
                raise PrepError(f"card '{card.id}': its demo cannot run: {exc}") from None
        return self._cache[key]

    def section(self, card, image_name: str) -> tuple[list[str], dict[str, bytes]]:
        """Markdown blocks for the card's demo result, and {file name: PNG bytes} to write beside it."""
        from interviewprep.render.demo import fmt

        result = self.run(card)
        outcome = result.outcome
        if outcome.table:
            columns, rows = outcome.table["columns"], outcome.table["rows"]
        else:
            columns, rows = ["metric", "value"], [[name, value] for name, value in outcome.metrics.items()]
        blocks = [mdtext.table(columns, [[fmt(v) for v in row] for row in rows])]
        blocks += [mdtext.escape_inline(pick(outcome.takeaway, lang)) for lang in self.langs
                   if pick(outcome.takeaway, lang)]
        images: dict[str, bytes] = {}
        if outcome.series:
            title = pick(result.title, "en") or result.id
            if self.images:
                images[image_name] = png(result)
                blocks.append(f"![{mdtext.escape_inline(title)}]({image_name})")
            else:
                blocks.append(mdtext.code_block(text_plot(result)))
        return blocks, images


def png(result) -> bytes:
    """The demo's curves as PNG bytes (matplotlib's object API, no pyplot state)."""
    from matplotlib.figure import Figure

    from interviewprep.demos.result import panels
    from interviewprep.demos.runner import draw_panel

    groups = panels(result.outcome.series)
    fig = Figure(figsize=(8, 4.5 * len(groups)), dpi=100)
    for ax, (panel, curves) in zip(fig.subplots(len(groups), 1, squeeze=False)[:, 0], groups):
        draw_panel(ax, curves)
        title = pick(result.title, "en") or result.id  # default fonts lack CJK glyphs
        ax.set_title(f"{title} · {panel}" if panel else title)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def text_plot(result) -> str:
    """A colourless text plot (plotext), or sparklines if plotext fails; trailing spaces trimmed."""
    from interviewprep.render import demo as render

    try:
        text = render.plotext_text(result, PLOT_WIDTH, PLOT_HEIGHT, colour=False)
    except Exception:  # noqa: BLE001 - a broken plotting library must not stop the export
        text = render.sparklines(result, PLOT_WIDTH).plain
    return "\n".join(line.rstrip() for line in text.splitlines())


