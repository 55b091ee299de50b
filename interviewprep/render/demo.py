"""Show a DemoResult: parameters, what was measured, a curve, the checks, the takeaway.

Computation never happens here, nor printing: show and listing return renderables for the CLI to print,
the plot drawn to fit the console that prints it. Plots use plotext 6.x (its figure/signal API) rendered to text and
wrapped with `rich.text.Text.from_ansi` inside a panel; without plotext, or if it fails, curves
fall back to ▁-█ sparklines. Colour follows the Console (none when piped or with NO_COLOR).
"""

from __future__ import annotations

import math

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from interviewprep.demos.result import DemoResult, panels
from interviewprep.render.console import ForConsole, styled

SPARKS = "▁▂▃▄▅▆▇█"
MARKERS = ("•", "+", "x", "o", "*", "~", "#", "=")


def show(result: DemoResult, lang: str = "en", plot: bool = True) -> Group:
    """Parameters, the measured table, the curves, the checks and the takeaway."""
    title = result.title.get(lang) or result.title.get("en") or result.id
    params = ", ".join(f"{k}={v}" for k, v in result.params.items()) or "none"
    parts = [Panel(Text(f"parameters: {params} · seed {result.seed}"),
                   title=styled("[bold]{title}[/] · prep demo {id}", title=title, id=result.id),
                   title_align="left"),
             measured_table(result)]
    if plot and result.outcome.series:
        parts.append(ForConsole(lambda console: plot_panel(result, console)))
    for c in result.outcome.checks:
        mark = ("✓", "green") if c.passed else ("✗", "red")
        parts.append(Text.assemble(mark, f" {c.name} ", (f"({c.detail})", "dim")))
    langs = ("zh", "en") if lang == "both" else (lang,)
    takeaway = "\n".join(result.outcome.takeaway.get(code, "") for code in langs).strip()
    parts.append(Panel(Text(takeaway), title=Text("Takeaway / 结论"), title_align="left", border_style="cyan"))
    return Group(*parts)


def fmt(value) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == 0 or math.isnan(value) or math.isinf(value):
            return str(value)
        if abs(value) >= 1e5 or abs(value) < 1e-3:
            return f"{value:.3e}"
        return f"{value:.4g}"
    return str(value)


def measured_table(result: DemoResult) -> Table:
    outcome = result.outcome
    if outcome.table:
        table = Table(title="Measured")
        for column in outcome.table["columns"]:
            table.add_column(str(column))
        for row in outcome.table["rows"]:
            table.add_row(*(fmt(v) for v in row))
        return table
    table = Table(title="Measured", show_header=True)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in outcome.metrics.items():
        table.add_row(name, fmt(value))
    return table


def plot_panel(result: DemoResult, console: Console, width: int | None = None, height: int = 14) -> Panel:
    """The curves at the console's width and in its colours (it reads the console, it does not print)."""
    width = width or max(40, min(100, console.width - 4))
    try:
        body = Text.from_ansi(plotext_text(result, width, height, colour=console.color_system is not None))
    except Exception:  # noqa: BLE001 - a broken plotting library must not hide the numbers
        body = sparklines(result, width)
    return Panel(body, title="Curves", title_align="left")


def plotext_text(result: DemoResult, width: int, height: int, colour: bool) -> str:
    """One plotext figure per panel (curves in a panel share axes), each with a caption line."""
    groups = panels(result.outcome.series)
    blocks = []
    for panel, curves in groups:
        text = _plotext_panel(curves, width, height, colour)
        if text:
            blocks.append((f"{panel}\n" if panel and len(groups) > 1 else "") + text)
    return "\n\n".join(blocks)


def _plotext_panel(curves: list, width: int, height: int, colour: bool) -> str:
    import plotext as plt

    figure = plt.figure
    figure.clear.all()
    figure.plot_size(width, height)
    figure.theme("dark" if colour else "colorless")
    caption = []
    log_x = False
    for index, (name, series) in enumerate(curves):
        points = [(x, y) for x, y in zip(series.x, series.y)
                  if _finite(y) and (not series.log_y or y > 0) and (not series.log_x or x > 0)]
        if not points:
            continue
        xs, ys = zip(*points)
        if series.log_y:  # plot log10 on a linear axis: plotext's log ticks print 25-digit decimals
            ys, name = [math.log10(y) for y in ys], f"log10 {name}"
        if series.log_x:  # the same for log-spaced x
            xs, log_x = [math.log10(x) for x in xs], True
        marker = MARKERS[index % len(MARKERS)]
        figure.draw(figure.signal(list(xs), list(ys), marker=marker).lines())
        caption.append(f"{marker} {name}")
    if not caption:
        return ""
    figure.legend(False)  # a legend box inside the canvas hides the curves; a caption line instead
    if log_x:
        caption.append("(x axis: log10 x)")
    return figure.build().string(colorless=not colour) + "\n" + _wrap("   ".join(caption), width)


def _wrap(text: str, width: int) -> str:
    """The caption broken at its separators so it fits the plot's width."""
    lines, line = [], ""
    for part in text.split("   "):
        candidate = f"{line}   {part}" if line else part
        if line and len(candidate) > width:
            lines.append(line)
            candidate = part
        line = candidate
    return "\n".join([*lines, line])


def sparklines(result: DemoResult, width: int) -> Text:
    lines = []
    for name, series in result.outcome.series.items():
        ys = [y for y in series.y if _finite(y)]
        if series.log_y:
            ys = [math.log10(y) for y in ys if y > 0]
        if not ys:
            continue
        step = max(1, math.ceil(len(ys) / max(10, width - 30)))
        ys = ys[::step]
        low, high = min(ys), max(ys)
        span = (high - low) or 1.0
        spark = "".join(SPARKS[min(7, int((y - low) / span * 7.999))] for y in ys)
        lines.append(f"{name[:20]:<20} {spark}")
    return Text("\n".join(lines))


def _finite(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def listing(specs: list, cards_by_demo: dict, lang: str) -> Table:
    table = Table(title=f"{len(specs)} demos")
    for column in ("id", "title", "parameters", "cards"):
        table.add_column(column, overflow="fold")
    for spec in specs:
        params = ", ".join(f"{p.name}={p.default} ({p.allowed()})" for p in spec.params)
        title = spec.title.get(lang) or spec.title.get("en", "")
        table.add_row(spec.id, title, params, ", ".join(cards_by_demo.get(spec.id, [])))
    return table
