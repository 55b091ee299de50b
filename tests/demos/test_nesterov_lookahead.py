"""nesterov-lookahead: the torch form is the look-ahead form, the 2×2 matrices predict rates and stability,
and the tuned comparison explains optimizer-race; each check fails when its computation is broken."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import nesterov_lookahead as nag
from tests.demos.helpers import check_named, outcome


def test_spectral_radii_follow_the_hand_derived_roots():
    beta = 0.9
    # heavy ball with complex roots: |z| = √β whatever h
    assert nag.spectral_radius(0.5, beta, nesterov=False) == pytest.approx(math.sqrt(beta))
    # Nesterov at h = 1: z² = 0, the stiff direction is gone after two steps
    assert nag.spectral_radius(1.0, beta, nesterov=True) == pytest.approx(0.0, abs=1e-12)
    # Nesterov with complex roots: |z|² = β(1 − h)
    assert nag.spectral_radius(0.5, beta, nesterov=True) == pytest.approx(math.sqrt(beta * 0.5))
    # stability edge of Nesterov: h = 2(1+β)/(1+2β) puts a root on the unit circle
    edge = 2 * (1 + beta) / (1 + 2 * beta)
    assert nag.spectral_radius(edge, beta, nesterov=True) == pytest.approx(1.0, abs=1e-9)


def test_defaults_nesterov_wins_at_equal_settings_and_tuned_heavy_ball_wins():
    out = outcome("nesterov-lookahead")
    m = out.metrics
    assert all(c.passed for c in out.checks)
    assert m["steps_nesterov"] < m["steps_heavy_ball"]
    assert m["settle_stiff_nesterov"] <= 2 < m["settle_stiff_heavy_ball"]
    assert m["tuned_steps_heavy_ball"] < m["tuned_steps_nesterov"]
    assert m["tuned_rate_heavy_ball"] == pytest.approx(9 / 11, rel=1e-3)  # (√100 − 1)/(√100 + 1)
    assert m["tuned_rate_nesterov"] == pytest.approx(0.9, rel=1e-3)       # 1 − 1/√100
    assert f"heavy ball {m['steps_heavy_ball']} steps, Nesterov {m['steps_nesterov']} steps" in out.takeaway["en"]


def test_over_damped_flat_direction_lets_heavy_ball_win_at_small_beta():
    # β = 0.8, ηλ_min = 0.01: heavy ball's real roots (0.927) beat Nesterov's (0.934) in the slowest direction
    out = outcome("nesterov-lookahead", beta=0.8)
    m = out.metrics
    assert m["rho_flat_heavy_ball"] < m["rho_flat_nesterov"]
    assert m["steps_heavy_ball"] < m["steps_nesterov"]
    assert "faster: heavy ball" in out.takeaway["en"]


def test_past_its_limit_nesterov_diverges_and_the_takeaway_says_so():
    out = outcome("nesterov-lookahead", lr_L=1.9)
    assert out.metrics["steps_nesterov"] is None and out.metrics["steps_heavy_ball"] is not None
    assert check_named(out, "stability as the matrices predict").passed
    assert "Nesterov diverges" in out.takeaway["en"] and "1.357" in out.takeaway["en"]


def test_a_loose_target_lets_standard_nesterov_arrive_first_and_the_takeaway_explains():
    out = outcome("nesterov-lookahead", tol=1e-2, kappa=1000.0)
    m = out.metrics
    assert m["tuned_steps_nesterov"] <= m["tuned_steps_heavy_ball"]
    assert check_named(out, "textbook tuning").passed  # the rates still order as theory says
    assert "loose target" in out.takeaway["en"]


def test_gradient_at_the_current_point_fails_the_look_ahead_equivalence(monkeypatch):
    def heavy_ball_instead(theta, v, grad, lr, beta):
        v[:] = beta * v - lr * grad(theta)
        theta += v

    monkeypatch.setattr(nag, "lookahead_step", heavy_ball_instead)
    assert not check_named(outcome("nesterov-lookahead"), "look-ahead point").passed


def test_a_matrix_without_the_one_minus_h_factor_fails_the_trajectory_check(monkeypatch):
    real = nag.iteration_matrix
    monkeypatch.setattr(nag, "iteration_matrix", lambda h, beta, nesterov: real(h, beta, False))
    assert not check_named(outcome("nesterov-lookahead"), "2×2 iteration matrix").passed


def test_a_wrong_divergence_detector_fails_the_stability_check(monkeypatch):
    monkeypatch.setattr(nag, "BLOW_UP", 0.5)  # every run "diverges" on its first steps
    assert not check_named(outcome("nesterov-lookahead"), "stability").passed


def test_a_rate_estimate_ignoring_the_double_root_fails_the_tuned_check(monkeypatch):
    def raw_rate(errs):
        k = len(errs) - 1
        return float((errs[-1] / errs[k // 2]) ** (1.0 / (k - k // 2)))

    monkeypatch.setattr(nag, "tail_rate", raw_rate)
    out = outcome("nesterov-lookahead", kappa=4.0)
    assert not check_named(out, "textbook tuning").passed
    assert "do not show the predicted order" in out.takeaway["en"]


def test_torch_step_is_torch_sgd():
    from interviewprep.numeric.optim import SGD

    lam = np.geomspace(1, 10, 4)
    x, buf = np.ones(4), np.zeros(4)
    y = np.ones(4)
    opt = SGD([y], lr=0.05, momentum=0.9, nesterov=True)
    for _ in range(30):
        nag.torch_step(x, buf, lam * x, 0.05, 0.9, True)
        opt.step([lam * y])
    assert x == pytest.approx(y, rel=1e-12, abs=1e-15)
