"""Behaviour of interviewprep.numeric.functional: hand-worked values, identities, finite differences.

Reference numbers were worked by hand (the formula is next to each) and cross-checked once against
PyTorch outside the repo; these tests never import torch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from interviewprep.numeric import functional as F

finite = st.floats(-20, 20, allow_nan=False, allow_infinity=False)
away_from_zero = finite.filter(lambda v: abs(v) > 1e-3)  # keep finite differences off the kinks
vectors = arrays(np.float64, st.integers(1, 8), elements=st.floats(-50, 50))


def central_difference(f, x: float, h: float = 1e-5) -> float:
    return float((f(x + h) - f(x - h)) / (2 * h))


# --- activations -------------------------------------------------------------------------------


def test_sigmoid_grad_hand_values():
    assert F.sigmoid_grad(0.0) == pytest.approx(0.25)
    # σ'(10) = e^-10 / (1 + e^-10)^2
    assert F.sigmoid_grad(10.0) == pytest.approx(4.5396e-5, rel=1e-4)
    assert F.sigmoid_grad(10.0) == pytest.approx(math.exp(-10) / (1 + math.exp(-10)) ** 2, rel=1e-12)


def test_sigmoid_saturates_without_overflow_warnings():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = F.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0])


@given(finite)
def test_tanh_is_a_rescaled_sigmoid(x):
    assert F.tanh(x) == pytest.approx(2 * F.sigmoid(2 * x) - 1, abs=1e-12)


def test_relu_family_hand_values():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(F.relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(F.leaky_relu(x), [-0.02, 0.0, 3.0])
    np.testing.assert_allclose(F.leaky_relu(x, negative_slope=0.2), [-0.4, 0.0, 3.0])
    np.testing.assert_allclose(F.elu(x, alpha=2.0), [2.0 * (math.exp(-2) - 1), 0.0, 3.0])


def test_derivatives_at_the_kink_follow_autograd():
    assert F.relu_grad(0.0) == 0.0
    assert F.leaky_relu_grad(0.0, negative_slope=0.1) == pytest.approx(0.1)
    assert F.elu_grad(0.0, alpha=2.0) == pytest.approx(2.0)
    np.testing.assert_array_equal(F.relu_grad(np.array([-1.0, 2.0])), [0.0, 1.0])


def test_gelu_hand_values():
    # GELU(x) = x·Φ(x); Φ(1) = 0.8413447460685429
    assert F.gelu(1.0) == pytest.approx(0.8413447460685429, abs=1e-12)
    assert F.gelu(-1.0) == pytest.approx(-0.15865525393145707, abs=1e-12)
    assert F.gelu(0.0) == 0.0
    assert F.gelu_grad(0.0) == pytest.approx(0.5)


def test_swish_hand_values_and_silu():
    assert F.swish(1.0) == pytest.approx(1 / (1 + math.exp(-1)))
    assert F.swish(-2.0, beta=1.0) == pytest.approx(-2 / (1 + math.exp(2)))
    assert F.swish(2.0, beta=0.0) == pytest.approx(1.0)  # β = 0: x/2
    assert F.swish_grad(0.0) == pytest.approx(0.5)


def test_activations_keep_shape_and_float32():
    x = np.zeros((2, 3, 4), dtype=np.float32)
    for f in (F.sigmoid, F.tanh, F.relu, F.leaky_relu, F.elu, F.gelu, F.swish, F.gelu_grad, F.elu_grad):
        out = f(x)
        assert out.shape == x.shape and out.dtype == np.float32, f.__name__
    assert F.relu([1, -1]).dtype == np.float64  # integer input is promoted


ACTIVATIONS = [
    (F.sigmoid, F.sigmoid_grad, finite, {}),
    (F.tanh, F.tanh_grad, finite, {}),
    (F.relu, F.relu_grad, away_from_zero, {}),
    (F.leaky_relu, F.leaky_relu_grad, away_from_zero, {"negative_slope": 0.07}),
    (F.elu, F.elu_grad, away_from_zero, {"alpha": 1.3}),
    (F.gelu, F.gelu_grad, finite, {}),
    (F.swish, F.swish_grad, finite, {}),
    (F.swish, F.swish_grad, finite, {"beta": 2.5}),
]


@pytest.mark.parametrize(("f", "f_grad", "xs", "kwargs"), ACTIVATIONS, ids=lambda v: getattr(v, "__name__", None))
def test_derivative_matches_central_difference(f, f_grad, xs, kwargs):
    @settings(max_examples=60, deadline=None)
    @given(xs)
    def check(x):
        numeric = central_difference(lambda v: f(v, **kwargs), x)
        assert float(f_grad(x, **kwargs)) == pytest.approx(numeric, rel=1e-6, abs=1e-8)

    check()


# --- softmax -----------------------------------------------------------------------------------


@given(vectors, st.floats(-1e3, 1e3))
def test_softmax_is_a_distribution_invariant_to_shifts(x, c):
    p = F.softmax(x)
    assert p.sum() == pytest.approx(1.0)
    assert np.all(p >= 0)
    np.testing.assert_allclose(F.softmax(x + c), p, atol=1e-12)


def test_softmax_and_log_softmax_do_not_overflow():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        np.testing.assert_allclose(F.softmax(np.array([1000.0, 1000.0, 1000.0])), [1 / 3] * 3)
        np.testing.assert_allclose(F.softmax(np.array([1000.0, 0.0])), [1.0, 0.0])
        np.testing.assert_allclose(F.log_softmax(np.array([1000.0, 0.0])), [0.0, -1000.0])


def test_softmax_axis_argument():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_allclose(F.softmax(x, axis=0).sum(axis=0), [1.0, 1.0])
    np.testing.assert_allclose(F.softmax(x, axis=0)[:, 0], F.softmax(x[:, 0]))


@given(vectors)
def test_log_softmax_is_log_of_softmax(x):
    np.testing.assert_allclose(np.exp(F.log_softmax(x)), F.softmax(x), atol=1e-12)


# --- losses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("num_classes", [2, 10, 1000])
def test_cross_entropy_of_uniform_logits_is_log_c(num_classes):
    logits = np.full((4, num_classes), 3.7)
    target = np.array([0, 1, 1, num_classes - 1])
    assert F.cross_entropy(logits, target) == pytest.approx(math.log(num_classes))


def test_cross_entropy_hand_value_and_reductions():
    # −log softmax([2, 0])[0] = log(1 + e^−2)
    logits = np.array([[2.0, 0.0], [2.0, 0.0]])
    target = np.array([0, 1])
    per_sample = [math.log1p(math.exp(-2)), 2 + math.log1p(math.exp(-2))]
    np.testing.assert_allclose(F.cross_entropy(logits, target, reduction="none"), per_sample)
    assert F.cross_entropy(logits, target) == pytest.approx(np.mean(per_sample))
    assert F.cross_entropy(logits, target, reduction="sum") == pytest.approx(np.sum(per_sample))
    assert F.cross_entropy(np.array([2.0, 0.0]), np.int64(0)) == pytest.approx(per_sample[0])  # unbatched


def test_cross_entropy_rejects_bad_targets():
    with pytest.raises(TypeError):
        F.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(IndexError):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, 1]), reduction="avg")


def test_bce_with_logits_hand_values_and_stability():
    assert F.binary_cross_entropy_with_logits(np.array([0.0]), np.array([1.0])) == pytest.approx(math.log(2))
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        losses = F.binary_cross_entropy_with_logits(
            np.array([1000.0, -1000.0, 1000.0]), np.array([0.0, 1.0, 1.0]), reduction="none"
        )
    np.testing.assert_allclose(losses, [1000.0, 1000.0, 0.0])


@given(arrays(np.float64, 5, elements=st.floats(-15, 15)), arrays(np.float64, 5, elements=st.floats(0, 1)))
def test_bce_with_logits_matches_the_textbook_formula(x, t):
    p = 1 / (1 + np.exp(-x))
    textbook = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert F.binary_cross_entropy_with_logits(x, t) == pytest.approx(textbook, rel=1e-6, abs=1e-9)


def test_mse_and_hinge_hand_values():
    assert F.mse_loss(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 6.0])) == pytest.approx((0 + 4 + 9) / 3)
    # max(0, 1 − y·f) for f = [2, 0.5, −1, 0.3] and y = [1, 1, 1, −1] -> [0, 0.5, 2, 1.3]
    f, y = np.array([2.0, 0.5, -1.0, 0.3]), np.array([1.0, 1.0, 1.0, -1.0])
    assert F.hinge_loss(f, y) == pytest.approx((0 + 0.5 + 2 + 1.3) / 4)


@given(arrays(np.float64, 6, elements=st.floats(-30, 30)), arrays(np.float64, 6, elements=st.sampled_from([0.0, 1.0])))
def test_focal_loss_with_gamma_0_and_no_alpha_is_bce(x, t):
    focal = F.sigmoid_focal_loss(x, t, alpha=-1, gamma=0.0)
    np.testing.assert_allclose(focal, F.binary_cross_entropy_with_logits(x, t, reduction="none"), atol=1e-12)


def test_focal_loss_hand_value_and_reductions():
    # x = 0, t = 1: p_t = 0.5, CE = ln 2, FL = α·(1 − p_t)^γ·CE = 0.25·0.25·ln 2
    x, t = np.array([0.0, 0.0]), np.array([1.0, 0.0])
    out = F.sigmoid_focal_loss(x, t)
    assert out.shape == (2,)  # torchvision's default reduction is "none"
    np.testing.assert_allclose(out, [0.25 * 0.25 * math.log(2), 0.75 * 0.25 * math.log(2)])
    assert F.sigmoid_focal_loss(x, t, reduction="mean") == pytest.approx(out.mean())
    assert F.sigmoid_focal_loss(x, t, reduction="sum") == pytest.approx(out.sum())


def test_focal_loss_down_weights_easy_examples():
    easy, hard = np.array([4.0]), np.array([-4.0])
    t = np.array([1.0])
    ratio_focal = F.sigmoid_focal_loss(easy, t, alpha=-1) / F.sigmoid_focal_loss(hard, t, alpha=-1)
    ratio_bce = F.binary_cross_entropy_with_logits(easy, t) / F.binary_cross_entropy_with_logits(hard, t)
    assert ratio_focal[0] < ratio_bce / 1000


# --- normalization -----------------------------------------------------------------------------


def test_batch_norm_training_step_by_hand():
    # one channel, batch [1, 2, 3, 6]: μ = 3, biased σ² = (4 + 1 + 0 + 9)/4 = 3.5, unbiased = 14/3
    x = np.array([[1.0], [2.0], [3.0], [6.0]])
    running_mean, running_var = np.zeros(1), np.ones(1)
    rm_id, rv_id = id(running_mean), id(running_var)
    y = F.batch_norm(x, running_mean, running_var, None, None, True, momentum=0.1, eps=1e-5)
    np.testing.assert_allclose(y.ravel(), (np.array([1, 2, 3, 6]) - 3) / np.sqrt(3.5 + 1e-5))
    np.testing.assert_allclose(running_mean, [0.9 * 0 + 0.1 * 3])  # 0.3
    np.testing.assert_allclose(running_var, [0.9 * 1 + 0.1 * 14 / 3])  # 1.3666...
    assert id(running_mean) == rm_id and id(running_var) == rv_id  # updated in place


def test_batch_norm_eval_uses_running_stats_and_does_not_update_them():
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    rm, rv = np.array([1.0, 20.0]), np.array([4.0, 100.0])
    y = F.batch_norm(x, rm, rv, weight=np.array([2.0, 1.0]), bias=np.array([0.5, 0.0]), training=False, eps=0.0)
    np.testing.assert_allclose(y, [[0.5, -1.0], [2.5, 1.0]])
    np.testing.assert_array_equal(rm, [1.0, 20.0])
    np.testing.assert_array_equal(rv, [4.0, 100.0])


def test_batch_norm_4d_normalizes_each_channel_over_n_h_w():
    rng = np.random.default_rng(0)
    x = rng.normal(5.0, 3.0, size=(8, 3, 4, 4)) * np.array([1.0, 2.0, 10.0])[None, :, None, None]
    rm, rv = np.zeros(3), np.ones(3)
    y = F.batch_norm(x, rm, rv, np.full(3, 2.0), np.full(3, -1.0), training=True, eps=0.0)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), [-1.0] * 3, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=(0, 2, 3)), [2.0] * 3)
    n = 8 * 4 * 4
    np.testing.assert_allclose(rv, 0.9 + 0.1 * x.var(axis=(0, 2, 3)) * n / (n - 1))


def test_batch_norm_errors():
    with pytest.raises(ValueError, match="more than 1 value"):
        F.batch_norm(np.ones((1, 3)), np.zeros(3), np.ones(3), training=True)
    with pytest.raises(ValueError):
        F.batch_norm(np.ones((2, 3)), None, None, training=False)


def test_layer_norm_hand_value_and_affine():
    # [1, 2, 3]: μ = 2, σ² = 2/3 -> ±1/√(2/3) = ±1.2247...
    y = F.layer_norm(np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]]), 3)
    np.testing.assert_allclose(y[0], np.array([-1.0, 0.0, 1.0]) / np.sqrt(2 / 3 + 1e-5))
    np.testing.assert_allclose(y.mean(axis=-1), [0.0, 0.0], atol=1e-12)
    z = F.layer_norm(np.ones((2, 2, 3)) * np.arange(3), (2, 3), weight=np.full((2, 3), 3.0), bias=np.ones((2, 3)))
    np.testing.assert_allclose(z.mean(axis=(1, 2)), [1.0, 1.0])
    with pytest.raises(ValueError):
        F.layer_norm(np.ones((2, 3)), 4)


# --- dropout -----------------------------------------------------------------------------------


def test_dropout_is_identity_when_not_training_or_p_zero():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(F.dropout(x, 0.5, False, np.random.default_rng(0)), x)
    np.testing.assert_array_equal(F.dropout(x, 0.0, True, np.random.default_rng(0)), x)
    np.testing.assert_array_equal(F.dropout(x, 1.0, True, np.random.default_rng(0)), np.zeros_like(x))


def test_dropout_drops_with_probability_p_and_rescales_kept_units():
    x = np.full(100_000, 2.0)
    y = F.dropout(x, 0.3, True, np.random.default_rng(1))
    kept = y != 0
    np.testing.assert_allclose(y[kept], 2.0 / 0.7)
    assert 1 - kept.mean() == pytest.approx(0.3, abs=0.01)  # p is the DROP probability
    assert y.mean() == pytest.approx(2.0, rel=0.02)  # inverted dropout keeps the expectation


def test_dropout_is_reproducible_with_a_seeded_rng_and_validates_p():
    x = np.ones((4, 5))
    a = F.dropout(x, 0.5, True, np.random.default_rng(7))
    b = F.dropout(x, 0.5, True, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        F.dropout(x, 1.5, True, np.random.default_rng(0))


# --- gradient clipping -------------------------------------------------------------------------


def test_clip_grad_norm_returns_pre_clip_norm_and_preserves_direction():
    g1, g2 = np.array([3.0, 0.0]), np.array([[0.0], [4.0]])  # total L2 norm 5
    total = F.clip_grad_norm_([g1, g2], max_norm=1.0)
    assert total == pytest.approx(5.0)
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(g1, [3.0 * coef, 0.0])  # modified in place
    np.testing.assert_allclose(g2, [[0.0], [4.0 * coef]])
    assert math.hypot(g1[0], g2[1, 0]) == pytest.approx(1.0, abs=1e-6)


def test_clip_grad_norm_leaves_small_gradients_alone():
    g = np.array([0.3, 0.4])
    assert F.clip_grad_norm_([g], max_norm=1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(g, [0.3, 0.4])
    assert F.clip_grad_norm_(np.array([1.0, -2.0]), 10.0, norm_type=math.inf) == 2.0  # single array, max-norm


@given(
    st.lists(arrays(np.float64, st.integers(1, 5), elements=st.floats(-100, 100)), min_size=1, max_size=4),
    st.floats(0.01, 50),
)
def test_clip_grad_norm_bounds_the_norm(grads, max_norm):
    before = [g.copy() for g in grads]
    total = F.clip_grad_norm_(grads, max_norm)
    assert total == pytest.approx(math.sqrt(sum(float(np.sum(g * g)) for g in before)))
    after = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    assert after <= max_norm + 1e-9
    scale = min(1.0, max_norm / (total + 1e-6))
    for b, a in zip(before, grads):
        np.testing.assert_allclose(a, b * scale)


# --- convolution arithmetic --------------------------------------------------------------------


def test_conv2d_output_shape_hand_values():
    assert F.conv2d_output_shape(224, 224, kernel_size=7, stride=2, padding=3) == (112, 112)  # ResNet stem
    assert F.conv2d_output_shape(112, 112, 3, stride=2, padding=1) == (56, 56)
    assert F.conv2d_output_shape(56, 56, 3, stride=1, padding=1) == (56, 56)  # "same" 3x3
    assert F.conv2d_output_shape(32, 32, 3, dilation=2) == (28, 28)  # effective kernel 5
    assert F.conv2d_output_shape(32, 17, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(2, 1)) == (15, 17)
    assert F.conv2d_output_shape(10, 11, 3, padding="same", dilation=2) == (10, 11)
    assert F.conv2d_output_shape(10, 11, 3, padding="valid") == (8, 9)


def test_conv2d_output_shape_rejects_impossible_configs():
    with pytest.raises(ValueError):
        F.conv2d_output_shape(2, 2, 5)
    with pytest.raises(ValueError):
        F.conv2d_output_shape(8, 8, 3, stride=2, padding="same")


def test_conv2d_param_count():
    assert F.conv2d_param_count(64, 128, 3) == 3 * 3 * 64 * 128 + 128 == 73_856
    assert F.conv2d_param_count(64, 128, 3, bias=False) == 73_728
    assert F.conv2d_param_count(64, 64, 3, groups=64) == 64 * 9 + 64  # depthwise
    assert F.conv2d_param_count(3, 8, (1, 5)) == 8 * 3 * 5 + 8
    with pytest.raises(ValueError):
        F.conv2d_param_count(6, 8, 3, groups=4)
