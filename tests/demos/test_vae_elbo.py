"""vae-elbo: the ELBO stays below an exactly known log p(x), its gap is the KL to the exact posterior, training
closes it at β = 1 and not at β ≠ 1; each check fails when its computation is broken."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import vae_elbo
from tests.demos.helpers import check_named, outcome


def test_ppca_fit_reproduces_the_sample_covariance_so_log_p_has_a_closed_form():
    x = np.random.default_rng(5).standard_normal((400, 2)) @ np.array([[1.5, 0.3], [0.0, 0.4]])
    w, b, sigma2 = vae_elbo.ppca_fit(x)
    cov = np.cov(x.T, bias=True)
    assert np.outer(w, w) + sigma2 * np.eye(2) == pytest.approx(cov, abs=1e-12)  # one latent fits 2-D exactly
    # at the ML covariance the mean Mahalanobis term is exactly D = 2: log p = −½(2·log 2π + log det S + 2)
    expected = -0.5 * (2 * math.log(2 * math.pi) + math.log(np.linalg.det(cov)) + 2)
    assert vae_elbo.exact_log_lik(x, w, b, sigma2) == pytest.approx(expected, abs=1e-12)


def test_exact_posterior_encoder_makes_the_elbo_equal_log_p():
    x = np.random.default_rng(6).standard_normal((50, 2)) * [2.0, 0.3]
    w, b, sigma2 = vae_elbo.ppca_fit(x)
    a, c, log_s = vae_elbo.beta_optimum(x, w, b, sigma2, 1.0)
    recon, kl = vae_elbo.elbo_terms(x, w, b, sigma2, a, c, log_s)
    assert recon - kl == pytest.approx(vae_elbo.exact_log_lik(x, w, b, sigma2), abs=1e-10)
    assert vae_elbo.posterior_kl(x, w, b, sigma2, a, c, log_s) == pytest.approx(0.0, abs=1e-12)


def test_training_at_beta_one_closes_the_gap_and_splits_the_elbo_into_its_terms():
    out = outcome("vae-elbo")
    m = out.metrics
    assert all(c.passed for c in out.checks)
    assert m["gap_initial"] > 1 and m["gap_final"] < 1e-3 * m["gap_initial"]
    assert m["elbo_final"] == pytest.approx(m["reconstruction_final"] - m["kl_final"], abs=1e-12)
    assert m["kl_initial"] == pytest.approx(0.0, abs=1e-15)  # q = prior at the start
    assert m["encoder_s_final"] == pytest.approx(m["posterior_s_exact"], rel=0.02)
    assert "closes the gap" in out.takeaway["en"]


def test_beta_four_keeps_the_gap_theory_predicts():
    out = outcome("vae-elbo", beta=4.0)
    m = out.metrics
    assert m["gap_at_beta_optimum"] > 0.05
    assert m["gap_final"] == pytest.approx(m["gap_at_beta_optimum"], rel=0.05)
    assert m["encoder_s_final"] > m["posterior_s_exact"]  # s² = β/(β + ‖W‖²/σ²) grows with β
    assert "keeps a gap" in out.takeaway["en"]


def test_a_wrong_kl_sign_breaks_the_bound(monkeypatch):
    real = vae_elbo.elbo_terms
    monkeypatch.setattr(vae_elbo, "elbo_terms", lambda *args: (real(*args)[0], -real(*args)[1]))
    assert not check_named(outcome("vae-elbo"), "ELBO ≤ log p(x)").passed


def test_a_wrong_posterior_fails_the_gap_identity(monkeypatch):
    real = vae_elbo.posterior_kl
    monkeypatch.setattr(vae_elbo, "posterior_kl", lambda *args: 0.9 * real(*args))
    assert not check_named(outcome("vae-elbo"), "KL(q(z|x) ‖ p(z|x))").passed


def test_a_closed_form_missing_the_encoder_variance_fails_the_monte_carlo_check(monkeypatch):
    def no_variance_term(x, w, b, sigma2, a, c, log_s):
        mu = x @ a + c
        resid = x - np.outer(mu, w) - b
        recon = -vae_elbo.LOG2PI - math.log(sigma2) - np.sum(resid**2, axis=1) / (2 * sigma2)  # drops s²‖W‖²
        s2 = math.exp(2 * log_s)
        return float(recon.mean()), float(np.mean(0.5 * (mu**2 + s2 - 2 * log_s - 1)))

    monkeypatch.setattr(vae_elbo, "elbo_terms", no_variance_term)
    assert not check_named(outcome("vae-elbo", minor_var=1.0), "Monte Carlo").passed


def test_a_wrong_sign_in_the_variance_gradient_stops_training_short(monkeypatch):
    real = vae_elbo.reparam_grads

    def flipped(*args):
        ga, gc, gs = real(*args)
        return ga, gc, -gs

    monkeypatch.setattr(vae_elbo, "reparam_grads", flipped)
    out = outcome("vae-elbo")
    assert not check_named(out, "closed-form optimum").passed
    assert "stopped short" in out.takeaway["en"]


def test_swapped_estimators_fail_the_variance_check(monkeypatch):
    real = vae_elbo.grad_c_estimates
    monkeypatch.setattr(vae_elbo, "grad_c_estimates", lambda *args: real(*args)[::-1])
    assert not check_named(outcome("vae-elbo"), "lower variance").passed


def test_both_gradient_estimators_are_unbiased():
    x = np.random.default_rng(7).standard_normal((40, 2)) * [2.0, 0.5]
    w, b, sigma2 = vae_elbo.ppca_fit(x)
    g_rep, g_sf = vae_elbo.grad_c_estimates(x, w, b, sigma2, np.random.default_rng(8).standard_normal((40, 20000)))
    exact = float(np.mean((x - b) @ w) / sigma2)
    assert g_rep.mean() == pytest.approx(exact, abs=4 * g_rep.std() / math.sqrt(g_rep.size))
    assert g_sf.mean() == pytest.approx(exact, abs=4 * g_sf.std() / math.sqrt(g_sf.size))


def test_the_takeaway_reports_a_broken_bound_and_a_worse_estimator(monkeypatch):
    real_terms, real_grads = vae_elbo.elbo_terms, vae_elbo.grad_c_estimates
    monkeypatch.setattr(vae_elbo, "elbo_terms", lambda *args: (real_terms(*args)[0], -real_terms(*args)[1]))
    monkeypatch.setattr(vae_elbo, "grad_c_estimates", lambda *args: real_grads(*args)[::-1])
    text = outcome("vae-elbo").takeaway["en"]
    assert "EXCEEDED log p" in text and "never exceeded" not in text
    assert "MORE variance" in text
