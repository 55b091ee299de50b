"""A tiny run of benchmarks/simulate.py (the full grid is `make simulate`, minutes, not a unit test)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[2] / "benchmarks" / "simulate.py"


@pytest.fixture(scope="module")
def sim():
    spec = importlib.util.spec_from_file_location("simulate", SIM)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_actr_model_follows_its_paper_and_the_docstring_numbers(sim):
    memory = sim.ActRMemory([0.5])
    memory.present(0, 0.0, 0.0, ok=False, first=True)
    assert memory.traces[0] == [(0.0, sim.ACTR_A)]  # the first trace decays at the intercept a
    minute, day = memory.p(0, 0, 60.0), memory.p(0, 1, sim.ACTR_H * 86400)
    assert round(minute, 2) == 0.87 and round(day, 2) == 0.35
    m = memory.activation(0, 60.0)
    memory.present(0, 0.0, 60.0, ok=True, first=False)  # studied while strong: its trace decays faster
    assert memory.traces[0][1][1] == pytest.approx(sim.ACTR_C * math.exp(m) + sim.ACTR_A)
    assert memory.traces[0][1][1] > sim.ACTR_A


def test_a_tiny_grid_reports_every_policy_and_the_verdict(sim, tmp_path):
    out = tmp_path / "sim.md"
    text = sim.main(["--learners", "2", "--days", "10", "--minutes", "5", "--seeds", "1", "--workers", "1",
                     "--out", str(out)])
    assert out.read_text(encoding="utf-8") == text
    for policy in sim.POLICIES:
        assert text.count(f"| {policy} |") == 2  # once per memory model
    assert "## power, seed 1" in text and "## act-r, seed 1" in text
    assert "Run time" in text and "Where FSRS + plan is below the best baseline" in text
