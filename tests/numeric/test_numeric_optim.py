"""Behaviour of interviewprep.numeric.optim and lr_scheduler: steps worked by hand, in-place updates.

Hand-worked numbers were cross-checked once against torch.optim outside the repo (float64).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from interviewprep.numeric import SGD, Adam, AdamW, RMSprop, cosine_annealing_lr, linear_lr, step_lr, warmup_cosine_lr


def run(opt_cls, theta0, grads, **kwargs):
    """θ after applying each gradient in ``grads`` (scalars) to a one-element parameter."""
    theta = np.array([theta0])
    opt = opt_cls([theta], **kwargs)
    for g in grads:
        opt.step([np.array([g])])
    return float(theta[0])


# --- in-place contract -------------------------------------------------------------------------


@pytest.mark.parametrize("opt_cls", [SGD, RMSprop, Adam, AdamW])
def test_optimizers_update_the_given_arrays_in_place(opt_cls):
    w, b = np.ones((2, 3)), np.zeros(3)
    opt = opt_cls([w, b], lr=0.1)
    opt.step([np.ones((2, 3)), np.full(3, -1.0)])
    assert opt.params[0] is w and opt.params[1] is b
    assert np.all(w < 1.0) and np.all(b > 0.0)


@pytest.mark.parametrize("opt_cls", [SGD, RMSprop, Adam, AdamW])
def test_optimizers_validate_grads_and_params(opt_cls):
    opt = opt_cls([np.ones(3)], lr=0.1)
    with pytest.raises(ValueError):
        opt.step([np.ones(4)])
    with pytest.raises(ValueError):
        opt.step([np.ones(3), np.ones(3)])
    with pytest.raises(TypeError):
        opt_cls([np.ones(3, dtype=np.int64)], lr=0.1)


# --- SGD ---------------------------------------------------------------------------------------


def test_sgd_plain_and_weight_decay():
    assert run(SGD, 1.0, [0.5], lr=0.1) == pytest.approx(0.95)  # θ − γg
    assert run(SGD, 2.0, [0.0], lr=0.5, weight_decay=0.1) == pytest.approx(1.9)  # g = 0 + 0.1·2


def test_sgd_momentum_by_hand():
    # t=1: b = g = 1, θ = 1 − 0.1·1 = 0.9;  t=2: b = 0.9·1 + 1 = 1.9, θ = 0.9 − 0.19 = 0.71
    assert run(SGD, 1.0, [1.0], lr=0.1, momentum=0.9) == pytest.approx(0.9)
    assert run(SGD, 1.0, [1.0, 1.0], lr=0.1, momentum=0.9) == pytest.approx(0.71)
    # dampening is not applied at t=1 (b = g): t=2: b = 0.9·1 + 0.5·1 = 1.4, θ = 0.9 − 0.14
    assert run(SGD, 1.0, [1.0, 1.0], lr=0.1, momentum=0.9, dampening=0.5) == pytest.approx(0.76)


def test_sgd_nesterov_by_hand():
    # t=1: b = 1, g = 1 + 0.9·1 = 1.9, θ = 0.81;  t=2: b = 1.9, g = 1 + 0.9·1.9 = 2.71, θ = 0.539
    assert run(SGD, 1.0, [1.0, 1.0], lr=0.1, momentum=0.9, nesterov=True) == pytest.approx(0.539)
    with pytest.raises(ValueError):
        SGD([np.ones(1)], lr=0.1, nesterov=True)


# --- RMSprop -----------------------------------------------------------------------------------


def test_rmsprop_one_step_by_hand():
    # v = 0.01·1² = 0.01, θ = 1 − 0.01·1/(√0.01 + 1e-8)
    assert run(RMSprop, 1.0, [1.0], lr=0.01) == pytest.approx(1 - 0.01 / (0.1 + 1e-8), abs=1e-15)
    # centered: ḡ = 0.01, ṽ = 0.01 − 0.0001
    centered = run(RMSprop, 1.0, [1.0], lr=0.01, centered=True)
    assert centered == pytest.approx(1 - 0.01 / (math.sqrt(0.0099) + 1e-8), abs=1e-15)
    assert centered == pytest.approx(0.8994962285750879)


def test_rmsprop_momentum_accumulates_the_scaled_step():
    # step = g/(√v + ε); b1 = s1, b2 = 0.5·s1 + s2
    s1 = 1 / (math.sqrt(0.1) + 1e-8)
    s2 = 1 / (math.sqrt(0.9 * 0.1 + 0.1) + 1e-8)
    theta = run(RMSprop, 0.0, [1.0, 1.0], lr=0.1, alpha=0.9, momentum=0.5)
    assert theta == pytest.approx(-0.1 * s1 - 0.1 * (0.5 * s1 + s2))


# --- Adam / AdamW ------------------------------------------------------------------------------


def test_adam_first_step_moves_each_coordinate_by_lr_times_sign():
    theta = np.array([1.0, -1.0, 0.5, 2.0])
    g = np.array([1e-3, -50.0, 3.0, 0.0])
    Adam([theta], lr=0.01).step([g])
    # m̂ = g, √v̂ = |g|: Δ = −lr·g/(|g| + ε)
    np.testing.assert_allclose(theta, [1.0 - 0.01, -1.0 + 0.01, 0.5 - 0.01, 2.0], atol=1e-7)


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    # t=1, g=2: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4
    theta1 = 1.0 - lr * 2 / (2 + eps)
    # t=2, g=−1: m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996
    m_hat, v_hat = 0.08 / (1 - b1**2), 0.004996 / (1 - b2**2)
    theta2 = theta1 - lr * m_hat / (math.sqrt(v_hat) + eps)
    assert run(Adam, 1.0, [2.0], lr=lr) == pytest.approx(theta1, abs=1e-15)
    assert run(Adam, 1.0, [2.0, -1.0], lr=lr) == pytest.approx(theta2, abs=1e-12)
    assert theta2 == pytest.approx(0.8733662967024315)


@given(arrays(np.float64, 5, elements=st.floats(-1e6, 1e6).filter(lambda v: abs(v) > 1e-4)))
def test_adam_first_step_is_about_lr_whatever_the_gradient_scale(g):
    theta = np.zeros(5)
    Adam([theta], lr=0.003).step([g])
    np.testing.assert_allclose(theta, -0.003 * np.sign(g), rtol=1e-4)


def test_adamw_decays_a_zero_gradient_weight_geometrically():
    lr, wd = 0.01, 0.1
    theta = np.array([1.0, 1.0])
    opt = AdamW([theta], lr=lr, weight_decay=wd)
    for k in range(1, 6):
        opt.step([np.array([0.0, 0.0])])
        np.testing.assert_allclose(theta, (1 - lr * wd) ** k)


def test_adam_weight_decay_is_l2_in_the_gradient_not_decoupled_decay():
    lr, wd = 0.01, 0.01
    # Adam: g = 0 + λθ = 0.01 goes through the adaptive scaling, so θ moves by ≈ lr = 0.01
    adam = run(Adam, 1.0, [0.0], lr=lr, weight_decay=wd)
    # AdamW: θ ← θ(1 − lr·λ) = 0.9999 and the Adam step on g = 0 does nothing
    adamw = run(AdamW, 1.0, [0.0], lr=lr, weight_decay=wd)
    assert adam == pytest.approx(0.99, abs=1e-6)
    assert adamw == pytest.approx(1 - lr * wd)


def test_adamw_defaults_match_torch():
    opt = AdamW([np.zeros(1)])
    assert (opt.lr, opt.betas, opt.eps, opt.weight_decay) == (1e-3, (0.9, 0.999), 1e-8, 1e-2)
    assert Adam([np.zeros(1)]).weight_decay == 0
    rms = RMSprop([np.zeros(1)])
    assert (rms.lr, rms.alpha, rms.eps, rms.momentum, rms.centered) == (0.01, 0.99, 1e-8, 0, False)


def test_lr_can_be_changed_between_steps():
    theta = np.array([0.0])
    opt = SGD([theta], lr=1.0)
    opt.step([np.array([1.0])])
    opt.lr = 0.5
    opt.step([np.array([1.0])])
    assert theta[0] == pytest.approx(-1.5)


# --- learning-rate schedules -------------------------------------------------------------------


def test_step_lr():
    lr_at = step_lr(0.1, step_size=3, gamma=0.5)
    assert [lr_at(s) for s in range(7)] == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])


def test_cosine_annealing_lr():
    lr_at = cosine_annealing_lr(1.0, T_max=10, eta_min=0.1)
    assert lr_at(0) == pytest.approx(1.0)
    assert lr_at(5) == pytest.approx(0.55)  # halfway: mean of base and eta_min
    assert lr_at(10) == pytest.approx(0.1)
    assert all(lr_at(s) > lr_at(s + 1) for s in range(10))


def test_linear_lr_warm_up():
    lr_at = linear_lr(0.3, start_factor=0.1, end_factor=1.0, total_iters=3)
    assert [lr_at(s) for s in range(5)] == pytest.approx([0.03, 0.12, 0.21, 0.3, 0.3])


def test_warmup_cosine_lr():
    lr_at = warmup_cosine_lr(1.0, warmup_steps=4, total_steps=14, eta_min=0.0)
    assert [lr_at(s) for s in range(4)] == pytest.approx([0.0, 0.25, 0.5, 0.75])
    assert lr_at(4) == pytest.approx(1.0)
    assert lr_at(9) == pytest.approx(0.5)
    assert lr_at(14) == pytest.approx(0.0) and lr_at(100) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        warmup_cosine_lr(1.0, warmup_steps=5, total_steps=5)
