"""attention-scaling: Var(q·k) = d_k, scaling restores unit variance, softmax sharpens without it; and each
check fails when the computation it guards is broken."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import attention_scaling
from tests.demos.helpers import check_named, outcome


def test_variance_grows_like_d_k_and_scaling_brings_it_back_to_one():
    out = outcome("attention-scaling", d_k=64)
    m = out.metrics
    assert m["var_qk_raw"] == pytest.approx(64, rel=0.1)  # Σ of 64 products of independent N(0,1): variance 64
    assert m["std_qk_raw"] == pytest.approx(8, rel=0.05)  # the card's "standard deviation 8"
    assert m["var_qk_scaled"] == pytest.approx(1, rel=0.1)
    assert m["loglog_slope_var_vs_dk"] == pytest.approx(1, abs=0.05)
    assert all(c.passed for c in out.checks)


def test_unscaled_softmax_is_sharper_and_its_jacobian_shrinks_at_large_d_k():
    m = outcome("attention-scaling", d_k=1024, n_keys=16).metrics
    assert m["entropy_raw"] < 0.2 * m["entropy_scaled"]
    assert m["max_weight_raw"] > 0.9 > m["max_weight_scaled"]
    assert m["jacobian_norm_raw"] < 0.25 * m["jacobian_norm_scaled"]


def test_at_d_k_one_scaling_changes_nothing():
    out = outcome("attention-scaling", d_k=1)
    assert out.metrics["entropy_raw"] == out.metrics["entropy_scaled"]
    assert check_named(out, "scaling changes nothing").passed


def test_jacobian_norm_matches_the_explicit_matrix():
    p = attention_scaling.softmax(np.random.default_rng(1).standard_normal((3, 5)))
    explicit = [np.linalg.norm(np.diag(row) - np.outer(row, row)) for row in p]
    assert attention_scaling.jacobian_norm(p) == pytest.approx(explicit, rel=1e-12)


def test_entropy_matches_the_definition_and_falls_with_inverse_temperature():
    s = np.random.default_rng(2).standard_normal((1, 8))
    hs = [float(attention_scaling.entropy(attention_scaling.softmax(beta * s))[0]) for beta in (0.5, 1, 2, 4)]
    p = np.exp(s[0]) / np.exp(s[0]).sum()
    assert hs[1] == pytest.approx(-np.sum(p * np.log(p)), rel=1e-12)
    assert hs == sorted(hs, reverse=True)
    assert attention_scaling.entropy(attention_scaling.softmax(np.zeros((1, 8))))[0] == pytest.approx(math.log(8))


def test_dividing_by_d_k_instead_of_its_root_fails_the_unit_variance_check(monkeypatch):
    real = attention_scaling.scores
    monkeypatch.setattr(attention_scaling, "scores",
                        lambda q, k, scale: real(q, k, False) / (q.shape[-1] if scale else 1))
    out = outcome("attention-scaling")
    assert not check_named(out, "dividing by √d_k").passed
    assert "failed" in out.takeaway["en"]


def test_scores_with_the_wrong_variance_fail_the_growth_check(monkeypatch):
    real = attention_scaling.scores
    monkeypatch.setattr(attention_scaling, "scores", lambda q, k, scale: 2 * real(q, k, scale))  # Var = 4·d_k
    out = outcome("attention-scaling")
    assert not check_named(out, "Var(q·k) = d_k").passed


def test_no_scaling_at_all_fails_the_entropy_and_sharpness_checks(monkeypatch):
    real = attention_scaling.scores
    monkeypatch.setattr(attention_scaling, "scores", lambda q, k, scale: real(q, k, False))
    out = outcome("attention-scaling")
    assert not check_named(out, "entropy does not depend on d_k").passed
    assert not check_named(out, "sharper").passed
