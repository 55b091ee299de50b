"""What a demo declares about itself: id, titles, tags and typed, bounded parameters.

Nothing here imports numpy: `prep check` and `prep demo --list` read specs, and parameter parsing
(`--set name=value`) must give a clear usage error before any experiment runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from interviewprep.errors import UsageError


@dataclass(frozen=True)
class Param:
    """One tunable input of a demo: `kind` is float, int, bool or str (with `choices`)."""

    name: str
    kind: type
    default: object
    low: float | None = None
    high: float | None = None
    help: dict = field(default_factory=dict)
    choices: tuple = ()

    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        if self.kind is bool:
            return "true or false"
        kind = "an integer" if self.kind is int else "a number"
        if self.low is not None and self.high is not None:
            return f"{kind} in [{self.low}, {self.high}]"
        if self.low is not None:
            return f"{kind} ≥ {self.low}"
        return kind

    def parse(self, raw) -> object:
        """A value from text (`--set`) or YAML (card links); raises UsageError naming the range."""
        value = self._coerce(raw)
        if self.choices and value not in self.choices:
            raise self._error(raw)
        if self.kind in (int, float):
            if not math.isfinite(value):
                raise self._error(raw)
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                raise self._error(raw)
        return value

    def _coerce(self, raw):
        try:
            if self.kind is bool:
                if isinstance(raw, bool):
                    return raw
                text = str(raw).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    return True
                if text in ("0", "false", "no", "off"):
                    return False
                raise ValueError
            if self.kind is int:
                if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                    raise ValueError
                return int(str(raw).strip()) if not isinstance(raw, (int, float)) else int(raw)
            if self.kind is float:
                if isinstance(raw, bool):
                    raise ValueError
                return float(raw)
            return str(raw)
        except (TypeError, ValueError):
            raise self._error(raw) from None

    def _error(self, raw) -> UsageError:
        return UsageError(f"parameter '{self.name}' = {raw!r} is not allowed: expected {self.allowed()}")

    def to_dict(self) -> dict:
        out = {"name": self.name, "type": self.kind.__name__, "default": self.default, "help": dict(self.help)}
        if self.low is not None:
            out["min"] = self.low
        if self.high is not None:
            out["max"] = self.high
        if self.choices:
            out["choices"] = list(self.choices)
        return out


@dataclass(frozen=True)
class DemoSpec:
    id: str
    title: dict
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    run: Callable  # run(params: dict, rng: numpy.random.Generator) -> Outcome

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def resolve(self, values: dict) -> dict:
        """Defaults overridden by `values`, each validated; unknown names are usage errors."""
        out = self.defaults()
        for name, raw in values.items():
            param = self.param(name)
            if param is None:
                known = ", ".join(p.name for p in self.params) or "none"
                raise UsageError(f"demo '{self.id}' has no parameter '{name}' (parameters: {known})")
            out[name] = param.parse(raw)
        return out

    def to_dict(self) -> dict:
        return {"id": self.id, "title": dict(self.title), "tags": list(self.tags),
                "params": [p.to_dict() for p in self.params]}


def parse_sets(items: list[str]) -> dict:
    """`--set name=value` strings to {name: text}; the spec does the typing."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got '{item}'")
        out[name.strip()] = value.strip()
    return out
