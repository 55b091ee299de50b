"""What the per-deck demo tests share: run a demo by id at some parameters, find one of its checks."""

from __future__ import annotations

from interviewprep.demos import registry

SPECS = registry.load_all()


def outcome(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed).outcome


def check_named(out, words):
    return next(c for c in out.checks if words in c.name)
