"""rbm-cd1: free energy, exact likelihood gradient and expected CD-1 update against brute-force sums, and each
check failing when the computation it guards is broken."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from interviewprep.demos import rbm_cd1 as rbm
from tests.demos.helpers import check_named, outcome


def _small(seed=0, n_h=3):
    rng = np.random.default_rng(seed)
    a, b = 0.5 * rng.standard_normal(rbm.N_VISIBLE), 0.5 * rng.standard_normal(n_h)
    w = 0.7 * rng.standard_normal((rbm.N_VISIBLE, n_h))
    data = rbm.ALL_V[rbm.distinct_patterns(rng, 3)]
    return a, b, w, data, rng


def test_free_energy_is_minus_log_of_the_sum_over_hidden_states():
    a, b, w, data, _ = _small()
    all_h = np.array(list(itertools.product([0.0, 1.0], repeat=len(b))))
    energy = -(data @ a)[:, None] - (all_h @ b)[None] - data @ w @ all_h.T   # E(v, h) for every h
    assert rbm.free_energy(data, a, b, w) == pytest.approx(-np.log(np.exp(-energy).sum(1)), rel=1e-12)


def test_exact_gradient_matches_finite_differences_of_the_exact_log_likelihood():
    a, b, w, data, _ = _small()
    grad = rbm.exact_gradient(data, a, b, w)
    fd = np.zeros_like(w)
    for i, j in itertools.product(range(w.shape[0]), range(w.shape[1])):
        e = np.zeros_like(w)
        e[i, j] = 1e-6
        fd[i, j] = (rbm.exact_log_lik(data, a, b, w + e) - rbm.exact_log_lik(data, a, b, w - e)) / 2e-6
    assert grad == pytest.approx(fd, abs=1e-7)


def test_expected_cd1_update_is_the_mean_of_sampled_updates():
    a, b, w, data, rng = _small(n_h=2)
    many = np.repeat(data, 20000, axis=0)
    sampled = rbm.cd1_step(many, a, b, w, rng)[0]
    assert rbm.cd1_expected(data, a, b, w) == pytest.approx(sampled, abs=0.01)


def test_independent_bits_is_the_best_rbm_without_weights():
    _, _, _, data, _ = _small()
    q = data.mean(0)
    a = np.log(np.clip(q, 1e-300, None)) - np.log(np.clip(1 - q, 1e-300, None))
    assert rbm.exact_log_lik(data, np.clip(a, -30, 30), np.zeros(1), np.zeros((rbm.N_VISIBLE, 1))) == pytest.approx(
        rbm.independent_bits_log_lik(data), abs=1e-6)


def test_defaults_cd1_learns_the_patterns():
    out = outcome("rbm-cd1")
    m = out.metrics
    assert all(c.passed for c in out.checks)
    assert m["loglik_initial"] == pytest.approx(-rbm.N_VISIBLE * np.log(2), abs=0.05)  # W ≈ 0: near uniform
    assert m["loglik_final"] > m["loglik_independent_bits"]
    assert m["loglik_final"] <= m["loglik_best_possible"]
    assert m["reconstruction_error_final"] < 0.5 * m["reconstruction_error_initial"]


def test_a_run_below_independent_bits_says_so():
    out = outcome("rbm-cd1", seed=5, patterns=2)
    assert out.metrics["loglik_final"] < out.metrics["loglik_independent_bits"]
    assert "did not find a use for the hidden units" in out.takeaway["en"]


def test_a_wrong_sign_cd1_update_fails_the_likelihood_and_energy_checks(monkeypatch):
    real = rbm.cd1_step
    monkeypatch.setattr(rbm, "cd1_step", lambda *args: tuple(-g for g in real(*args)))
    out = outcome("rbm-cd1")
    assert not check_named(out, "raises the exact log-likelihood").passed
    assert not check_named(out, "free energy falls").passed


def test_a_wrong_negative_phase_fails_the_gradient_direction_check(monkeypatch):
    monkeypatch.setattr(rbm, "cd1_expected", lambda data, a, b, w: -rbm.exact_gradient(data, a, b, w))
    assert not check_named(outcome("rbm-cd1"), "points along the exact gradient").passed


def test_a_wrong_visible_conditional_fails_the_gibbs_check(monkeypatch):
    def wrong_gibbs(v, a, b, w, rng, steps):
        for _ in range(steps):
            h = (rng.random((len(v), len(b))) < rbm.sigmoid(v @ w + b)).astype(float)
            v = (rng.random(v.shape) < rbm.sigmoid(h @ w.T - a)).astype(float)  # bias sign flipped
        return v

    monkeypatch.setattr(rbm, "gibbs", wrong_gibbs)
    assert not check_named(outcome("rbm-cd1"), "block Gibbs sampling").passed


def test_the_takeaway_reports_a_broken_sampler_instead_of_claiming_stationarity(monkeypatch):
    monkeypatch.setattr(rbm, "gibbs", lambda v, a, b, w, rng, steps: np.zeros_like(v))  # every chain jumps to 0…0
    out = outcome("rbm-cd1")
    assert "drifted away from p(v)" in out.takeaway["en"] and "stayed at p(v)" not in out.takeaway["en"]
