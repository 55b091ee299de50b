"""What a demo run produces: measured numbers, named checks, a takeaway built from them, curves.

A demo's `run` returns an `Outcome` (pure data, no printing); the engine stamps it with the demo's
id, title and the parameters used, giving a `DemoResult` whose `to_dict` is the `--json` contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Check:
    """A claim the demo makes, evaluated on its own measurements."""

    name: str
    passed: bool
    detail: str

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": bool(self.passed), "detail": self.detail}


def check(name: str, passed, detail: str) -> Check:
    return Check(name, bool(passed), detail)


def with_failures(takeaway: dict, checks: list) -> dict:
    """The takeaway, led by what was measured for every failed check, so a failed claim is not simply repeated.

    A demo whose claim fails at some setting says so first ("Check failed: <claim>: measured <detail>") and
    its summary sentences follow; with every check passed the takeaway is returned unchanged.
    """
    failed = [c for c in checks if not c.passed]
    if not failed:
        return dict(takeaway)
    en = " ".join(_led_with(c) for c in failed)
    zh = " ".join(f"检查未通过：{c.name}：实测 {c.detail}。" for c in failed)
    out = dict(takeaway)
    if "en" in out:
        out["en"] = f"{en}\n{out['en']}"
    if "zh" in out:
        out["zh"] = f"{zh}\n{out['zh']}"
    return out


def _led_with(check) -> str:
    return f"Check failed: {check.name}: measured {check.detail}."


@dataclass(frozen=True)
class Series:
    """One curve: y against x (plain floats, so the result is JSON-ready).

    `panel` names the plot the curve is drawn in: curves that share a panel share their axes, so a
    demo puts quantities with different units in different panels. `log_x` is for log-spaced x.
    """

    x: list
    y: list
    log_y: bool = False
    log_x: bool = False
    panel: str = ""

    @classmethod
    def of(cls, x, y, log_y: bool = False, log_x: bool = False, panel: str = "") -> Series:
        return cls([float(v) for v in x], [float(v) for v in y], log_y, log_x, panel)

    def to_dict(self) -> dict:
        out = {"x": [_json_number(v) for v in self.x], "y": [_json_number(v) for v in self.y]}
        if self.panel:
            out["panel"] = self.panel
        if self.log_x:
            out["log_x"] = True
        return out


def panels(series: dict) -> list[tuple[str, list[tuple[str, Series]]]]:
    """The curves grouped by panel, panels in order of first appearance: one plot per group."""
    groups: dict[str, list[tuple[str, Series]]] = {}
    for name, curve in series.items():
        groups.setdefault(curve.panel, []).append((name, curve))
    return list(groups.items())


@dataclass(frozen=True)
class Outcome:
    """What `run` returns. `table` is optional extra rows ({"columns": [...], "rows": [[...]]}).

    `takeaway` says what was measured (sentences built from this run's numbers, true at any setting);
    `claim` is the lesson those numbers support ("…which is how sigmoids cause vanishing gradients"), true
    only where the checks pass. The engine (`report_failed_checks`) shows the claim after the takeaway when
    every check passed and leaves it out when one failed, so a failed claim is never repeated.
    """

    metrics: dict
    checks: list
    takeaway: dict
    series: dict = field(default_factory=dict)
    table: dict | None = None
    claim: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DemoResult:
    id: str
    title: dict
    params: dict
    seed: int
    outcome: Outcome

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.outcome.checks)

    def to_dict(self) -> dict:
        o = self.outcome
        out = {
            "id": self.id,
            "title": dict(self.title),
            "params": dict(self.params),
            "seed": self.seed,
            "metrics": {k: _json_number(v) for k, v in o.metrics.items()},
            "checks": [c.to_dict() for c in o.checks],
            "takeaway": dict(o.takeaway),
            "series": {k: s.to_dict() for k, s in o.series.items()},
        }
        if o.table:
            out["table"] = {"columns": list(o.table["columns"]),
                            "rows": [[_json_number(v) for v in row] for row in o.table["rows"]]}
        return out


def _json_number(value):
    """Floats as JSON allows them (NaN/inf become null); numpy scalars become Python numbers."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu":
        return int(value)
    return number if math.isfinite(number) else None


def report_failed_checks(outcome: Outcome) -> Outcome:
    """The outcome with its takeaway settled: the claim added when every check passed; otherwise the claim
    left out and every failed check, with what it measured, appended.

    A takeaway is written for the settings its author had in mind; at another setting a check can fail.
    The reader then sees what was measured and the check it failed, never the claim stated anyway. The
    `claim` field is kept as data (the JSON has only the settled takeaway), so a test can tell it was left out.
    """
    failed = [c for c in outcome.checks if not c.passed]
    takeaway = dict(outcome.takeaway)
    if not failed:
        if not outcome.claim:
            return outcome
        for lang, joiner in (("en", " "), ("zh", "")):
            if outcome.claim.get(lang):
                takeaway[lang] = joiner.join(t for t in (takeaway.get(lang, ""), outcome.claim[lang]) if t)
        return replace(outcome, takeaway=takeaway)
    already = takeaway.get("en", "")  # what the demo's own with_failures led with is not said twice
    unled = [c for c in failed if _led_with(c) not in already]
    if not unled:
        return outcome
    en = "\n".join(f"✗ Not shown at these settings: {c.name} (measured: {c.detail})." for c in unled)
    zh = "\n".join(f"✗ 在这组参数下没有成立：{c.name}（实测：{c.detail}）。" for c in unled)
    takeaway["en"] = f"{takeaway.get('en', '')}\n{en}".strip()
    takeaway["zh"] = f"{takeaway.get('zh', '')}\n{zh}".strip()
    return replace(outcome, takeaway=takeaway)
