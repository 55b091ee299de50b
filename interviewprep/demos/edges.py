"""The settings a demo must tell the truth at: its limits, all limits together, other seeds, other choices.

Issue 23 asks that a demo's declared range be one where it runs in under a second, stays under 200 MB and
tells the truth. The sweep test (tests/demos/test_sweep.py) checks the truth at these settings and the
benchmark `benchmarks/bench_demo_edges.py` measures time and memory at the same ones, so both walk this
one grid.
"""

from __future__ import annotations

from collections.abc import Iterator

from interviewprep.demos.spec import DemoSpec


def limits(spec: DemoSpec, end: str) -> dict:
    """Every numeric parameter at its declared minimum (`end="min"`) or maximum."""
    return {p.name: p.kind(p.low if end == "min" else p.high) for p in spec.params
            if p.kind in (int, float) and p.low is not None and p.high is not None}


def edge_settings(spec: DemoSpec, full: bool = False) -> Iterator[tuple[str, dict, int]]:
    """(label, values, seed) for one demo: the representative part, or with `full` the whole grid."""
    yield "all-min", limits(spec, "min"), 0
    yield "all-max", limits(spec, "max"), 0
    for seed in (range(1, 10) if full else (1, 2)):
        yield f"seed {seed}", {}, seed
    for p in spec.params:  # the other value of a flag and every other choice (no limits to combine)
        if p.kind is bool:
            yield f"{p.name}={not p.default}", {p.name: not p.default}, 0
        for choice in p.choices:
            if choice != p.default:
                yield f"{p.name}={choice}", {p.name: choice}, 0
    if full:
        yield "defaults", {}, 0
        for p in spec.params:
            if p.kind in (int, float) and p.low is not None and p.high is not None:
                yield f"{p.name}=min", {p.name: p.kind(p.low)}, 0
                yield f"{p.name}=max", {p.name: p.kind(p.high)}, 0
