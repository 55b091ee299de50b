"""Find which demo a user means and run it: by demo id, by card id, or by a word in a title or tag.

Library functions behind `prep demo`, used by the quiz's `d` key and the Markdown exporter too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interviewprep.demos import registry
from interviewprep.demos.result import DemoResult, panels
from interviewprep.demos.spec import DemoSpec
from interviewprep.errors import PrepError, UsageError


@dataclass
class Choice:
    """What a topic resolved to: one demo (with a card's parameters, if a card was named) or several."""

    spec: DemoSpec | None
    params: dict
    candidates: list
    others: list = field(default_factory=list)  # weaker matches beside the one chosen, for a hint


def resolve(topic: str, cards: dict | None = None) -> Choice:
    specs = registry.load_all()
    if topic in specs:
        return Choice(specs[topic], {}, [])
    if cards and topic in cards:
        card = cards[topic]
        if card.demo is None:
            raise UsageError(f"card '{topic}' has no demo linked")
        return Choice(registry.get(card.demo.id), dict(card.demo.params), [])
    hits = registry.search(topic)
    if not hits:
        raise UsageError(registry.unknown_message(topic, specs))
    if len(hits) == 1:
        return Choice(hits[0], {}, [])
    named = [spec for spec in hits if _names(spec, topic)]
    if len(named) == 1:
        return Choice(named[0], {}, [], others=[spec for spec in hits if spec is not named[0]])
    return Choice(None, {}, named + [spec for spec in hits if spec not in named])


def _names(spec: DemoSpec, topic: str) -> bool:
    """Whether a demo's title is about `topic` itself: the title's head (before its colon) is the topic.

    `prep demo 动量` then runs `momentum` (title 动量：…) rather than listing it beside `optimizer-race`,
    whose title only mentions momentum among five optimizers.
    """
    needle = topic.strip().casefold()
    return any(re.split(r"[：:]", title, maxsplit=1)[0].strip().casefold() == needle for title in spec.title.values())


def run_for_card(card) -> DemoResult:
    """The card's demo at the card's parameters (the quiz's `d` key)."""
    return registry.run(registry.get(card.demo.id), card.demo.params, seed=0)


def cards_by_demo(cards) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for card in cards:
        if card.demo:
            out.setdefault(card.demo.id, []).append(card.id)
    return out


def save_figure(result: DemoResult, path) -> None:
    """Write the demo's curves with matplotlib (optional extra `plot`)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PrepError("--save needs matplotlib: pip install 'interviewprep[plot]'") from None
    suffix = str(path).rsplit(".", 1)[-1].lower()
    if suffix not in ("png", "svg"):
        raise UsageError(f"--save writes .png or .svg files, not '.{suffix}'")
    if not result.outcome.series:
        raise PrepError(f"demo '{result.id}' has no curves to save")
    groups = panels(result.outcome.series)
    fig, axes = plt.subplots(len(groups), 1, figsize=(8, 4.5 * len(groups)), squeeze=False)
    for ax, (panel, curves) in zip(axes[:, 0], groups):
        draw_panel(ax, curves)
        ax.set_title(" · ".join(filter(None, [result.title.get("en", result.id), panel])))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def draw_panel(ax, curves) -> None:
    """One matplotlib axes: the panel's curves, log axes where the series ask for them."""
    for name, series in curves:
        ax.plot(series.x, series.y, label=name)
        if series.log_y:
            ax.set_yscale("log")
        if series.log_x:
            ax.set_xscale("log")
    ax.legend()
