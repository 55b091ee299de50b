"""Renderers return what to show and print nothing; the CLI prints it (issue 24).

Every public function of the render modules is wrapped while the real CLI runs a day of use on the
built-in bank (real SQLite, real YAML): each call must leave the terminal as it found it and return a
rich renderable, and the command then shows that renderable. A renderer no command reached is called
here directly, the same way. A new public function must be listed as a renderer or as a helper (which
returns plain data: str, dict, bool, lines), so nothing that prints slips in unlisted.
"""

from __future__ import annotations

import inspect
import io
import sys
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import ConsoleRenderable
from typer.testing import CliRunner

from interviewprep.cli import options
from interviewprep.cli.app import app
from interviewprep.render import cards, demo, learn, plan, today
from interviewprep.render.console import SafeConsole

MODULES = (cards, learn, plan, today, demo)
HELPERS = {  # public functions that return plain values, not a picture
    "text_in", "progress_bar", "when", "card_lines", "list_as_lines", "langs",  # cards
    "clock_text", "timer", "column_chart", "bar",  # learn
    "forecast_dict",  # plan
    "fmt", "plotext_text", "sparklines", "plot_panel",  # demo (plot_panel reads a console: checked below)
}
runner = CliRunner()


def public_functions():
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and (fn.__module__ == module.__name__ or name == "langs"):
                yield module, name, fn


def short(module, name: str) -> str:
    return f"{module.__name__.rsplit('.', 1)[1]}.{name}"


RENDERERS = {short(m, n): (m, n, f) for m, n, f in public_functions() if n not in HELPERS}  # before any wrapping


def written() -> tuple[int, int]:
    """How much the command has written so far to the runner's stdout and stderr."""
    sizes = []
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        sizes.append(stream.buffer.tell() if hasattr(stream, "buffer") else stream.tell())
    return tuple(sizes)


@pytest.fixture
def recorded(monkeypatch):
    """Wrap every renderer: record (name, output grew?, result) per call."""
    calls = []
    for label, (module, name, fn) in RENDERERS.items():
        def wrapper(*args, _fn=fn, _name=label, **kwargs):
            before = written()
            result = _fn(*args, **kwargs)
            calls.append((_name, written() != before, result))
            return result
        monkeypatch.setattr(module, name, wrapper)
    return calls


class Clock:
    """options.now stepping four minutes a call, so an interview answer runs over its time."""

    def __init__(self):
        self.moment = datetime.now(timezone.utc)

    def __call__(self):
        self.moment += timedelta(minutes=4)
        return self.moment


def test_every_renderer_returns_a_renderable_and_leaves_printing_to_the_cli(recorded, monkeypatch, tmp_path):
    en = ["--lang", "en"]
    commands = [
        (["quiz", *en, "--new", "3"], "u\n \n3\nu\n \n3\nf\n \n4\nb\n \n1\n@\nq\n"),
        (["quiz", "--type", *en, "--new", "1"], "relu is nonlinear\n3\nq\n"),
        (["show", "activation-function-role", *en], None),
        (["list"], None),
        (["stats"], None),
        (["check"], None),
        (["doctor"], None),
        (["demos"], None),
        (["demo", "momentum", "--seed", "1"], None),
        (["demo", "attention"], None),
        (["search", "gradient", *en], None),
        (["search", "zzzz-no-such-word", *en], None),
        (["config"], None),
        ([], None),
        (["tags"], None),
        (["plan", "--date", "+30d", "--minutes", "10"], None),
        (["plan", "--show"], None),
    ]
    for args, keys in commands:
        result = runner.invoke(app, args, input=keys)
        assert result.exit_code in (0, 1), (args, result.output)
    monkeypatch.setattr(options, "now", Clock())
    interview = runner.invoke(app, ["interview", *en, "--deck", "optimization", "--seed", "7",
                                    "--report", str(tmp_path / "r.md")], input="momentum\n3\n\n\n3\n\nq\n")
    assert interview.exit_code == 0, interview.output

    called = {name for name, _, _ in recorded}
    missing = sorted(set(RENDERERS) - called)
    assert set(missing) <= set(DIRECT), f"reach these from a command or call them below: {missing}"
    for name in missing:
        buffer = io.StringIO()
        console = SafeConsole(file=buffer, width=100)
        result = DIRECT[name]()
        assert buffer.getvalue() == "", name
        recorded.append((name, False, result))
        console.print(result)
        assert buffer.getvalue().strip(), f"{name} shows nothing"

    printed_by_renderer = sorted({name for name, grew, _ in recorded if grew})
    assert printed_by_renderer == []
    not_renderable = sorted({name for name, _, result in recorded if not isinstance(result, ConsoleRenderable)})
    assert not_renderable == []
    assert {name for name, _, _ in recorded} == set(RENDERERS)


def wide_list():
    """`prep list` on a terminal over 100 columns (the runner's output is a pipe): all built-in cards."""
    from interviewprep.bank import loader

    bank = loader.load(loader.bank_dirs(builtin=True))
    return cards.card_table(list(bank.cards.values()), {}, "en", datetime.now(timezone.utc))


DIRECT = {"cards.card_table": wide_list}  # renderers no command above reaches, with a call that builds their picture


def test_every_public_function_is_a_listed_renderer_or_helper():
    names = {n for _, n, _ in public_functions()}
    assert HELPERS - names == set(), "a listed helper is gone"
    assert set(RENDERERS) >= {"cards.question", "cards.answer", "cards.show", "cards.stats", "plan.summary",
                              "plan.forecast", "today.show", "demo.show", "learn.reveal", "learn.stats_extra"}


def test_a_plot_panel_reads_the_console_without_printing_to_it():
    from interviewprep.demos import registry

    result = registry.run(registry.get("momentum"), {}, seed=0)
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, width=90)
    panel = demo.plot_panel(result, console)
    assert buffer.getvalue() == "" and isinstance(panel, ConsoleRenderable)
    console.print(panel)
    assert "Curves" in buffer.getvalue()
