"""Numbers from the activation / gradient / initialization demos, checked against values derived by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import registry

SPECS = registry.load_all()


def metrics(demo_id, seed=0, **params):
    result = registry.run(SPECS[demo_id], params, seed=seed)
    assert result.passed or params, [c.to_dict() for c in result.outcome.checks if not c.passed]
    return result.to_dict()["metrics"]


def sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_sigmoid_saturation_matches_closed_form():
    m = metrics("sigmoid-saturation", z=10.0)
    assert m["sigma_prime_z"] == pytest.approx(math.exp(-10) / (1 + math.exp(-10)) ** 2, rel=1e-12)
    assert m["sigma_prime_0"] == 0.25


def test_activation_zoo_peaks_minima_and_far_slopes():
    m = metrics("activation-zoo")
    assert m["tanh_identity_max_abs_diff"] < 1e-12
    assert m["sigmoid_max_grad"] == pytest.approx(0.25, abs=1e-12)
    assert m["tanh_max_grad"] == pytest.approx(1.0, abs=1e-12)
    assert m["sigmoid_grad_at_plus_span"] == pytest.approx(math.exp(-8) / (1 + math.exp(-8)) ** 2, rel=1e-9)
    assert m["tanh_grad_at_plus_span"] == pytest.approx(1 - math.tanh(8) ** 2, rel=1e-9)
    assert m["elu_grad_at_minus_span"] == pytest.approx(math.exp(-8), rel=1e-9)
    # Swish minimum: x* = −(1 + W(1/e)) with W the Lambert function, W(1/e) ≈ 0.278464542761074
    w = 0.278464542761074
    x_star = -(1 + w)
    assert m["swish_min"] == pytest.approx(x_star * sigma(x_star), abs=1e-4)
    # GELU minimum by a fine independent search on x·Φ(x)
    xs = np.linspace(-1.5, 0.0, 30001)
    gelu_min = min(x * 0.5 * (1 + math.erf(x / math.sqrt(2))) for x in xs)
    assert m["gelu_min"] == pytest.approx(gelu_min, abs=1e-4)


def test_activation_zoo_leaky_slope_follows_the_parameter():
    m = metrics("activation-zoo", negative_slope=0.2, span=5.0)
    assert m["leaky_relu_grad_at_minus_span"] == 0.2
    assert m["leaky_relu_min"] == pytest.approx(-0.2 * 5.0)


def test_dying_relu_dead_share_before_is_reproduced_and_grows_with_lr():
    m = metrics("dying-relu")
    rng = np.random.default_rng(0)  # same draws, same order as the demo
    X = np.abs(rng.normal(size=(256, 10)))
    rng.normal(size=10)
    W0 = rng.normal(0.0, math.sqrt(2 / 10), size=(64, 10))
    assert m["dead_share_before"] == pytest.approx(np.mean(np.all(X @ W0.T <= 0, axis=0)))
    assert m["relu_grad_norm_dead_units"] == 0.0
    assert m["leaky_slope_negative_side"] == 0.01
    tiny = metrics("dying-relu", lr=1e-3)
    big = metrics("dying-relu", lr=30.0)
    assert tiny["dead_share_after"] == tiny["dead_share_before"]
    assert big["dead_share_after"] > m["dead_share_after"] > tiny["dead_share_after"]


def test_no_activation_collapse_counts_cover_dichotomies():
    m = metrics("no-activation-collapse")
    # Cover: N points in general position in d dims have 2·Σ_{k<d+1} C(N−1, k) linear dichotomies; N=4, d=2 → 14
    assert m["linear_labelings_found"] == 2 * sum(math.comb(3, k) for k in range(3)) == 14
    assert m["best_linear_accuracy"] == 0.75
    assert m["relu_net_accuracy"] == 1.0
    assert m["collapse_max_abs_diff"] < 1e-12


def test_xor_mlp_initial_loss_from_an_independent_forward_pass():
    m = metrics("xor-mlp")
    rng = np.random.default_rng(0)
    W1 = rng.normal(0.0, 1.0, size=(4, 2))
    w2 = rng.normal(0.0, 0.5, size=4)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0], dtype=float)
    z = np.tanh(X @ W1.T) @ w2
    bce = np.mean(np.log1p(np.exp(z)) - y * z)
    assert m["initial_loss"] == pytest.approx(bce, rel=1e-12)
    assert m["chance_loss_ln2"] == pytest.approx(math.log(2))
    assert m["accuracy"] == 1.0 and m["final_loss"] < 0.01


def test_xor_mlp_wider_hidden_layer_fails_less_often():
    spec = SPECS["xor-mlp"]

    def solved(hidden):
        return sum(registry.run(spec, {"hidden": hidden}, seed=s).outcome.metrics["accuracy"] == 1.0
                   for s in range(12))

    assert solved(8) > solved(2)


def test_vanishing_depth_sigmoid_bound_and_depth_effect():
    m = metrics("vanishing-depth")
    assert m["quarter_to_the_depth"] == 0.25 ** 20
    assert m["sigmoid_grad_norm_at_input"] <= m["sigmoid_bound_prod_0.25_spectral"]
    assert m["sigmoid_per_layer_factor"] <= 0.25 * m["mean_spectral_norm"] * 1.5
    shallow = metrics("vanishing-depth", depth=10)
    deep = metrics("vanishing-depth", depth=30)
    assert deep["sigmoid_grad_norm_at_input"] < 1e-8 * shallow["sigmoid_grad_norm_at_input"]
    assert 0.1 < deep["relu_grad_norm_at_input"] < 10


def test_exploding_depth_matches_powers():
    m = metrics("exploding-depth")
    assert m["backward_ratio_gain_up"] == pytest.approx(13780.61233982238, rel=1e-9)
    assert m["forward_ratio_gain_down"] == pytest.approx(2.656139888758754e-05, rel=1e-9)
    m = metrics("exploding-depth", gain_up=1.05, depth=50)
    assert m["forward_ratio_gain_up"] == pytest.approx(1.05 ** 50, rel=1e-9)


def test_gradient_clipping_uses_torch_formula_and_value_clip_can_be_harmless():
    m = metrics("gradient-clipping", max_norm=2.0)
    total = m["norm_before"]
    assert m["clip_grad_norm_returned"] == pytest.approx(total)
    assert m["norm_after_global_clip"] == pytest.approx(2.0 * total / (total + 1e-6), rel=1e-12)
    assert m["cosine_global_norm"] == pytest.approx(1.0, abs=1e-12)
    loose = metrics("gradient-clipping", clip_value=10.0, spike=10.0)  # every entry already inside ±10
    assert loose["share_of_entries_value_clipped"] == 0.0
    assert loose["cosine_value_clip"] == pytest.approx(1.0, abs=1e-12)


def test_weight_init_per_layer_factors_follow_variance_formula():
    m = metrics("weight-init")
    assert m["constant_init_unit_spread"] == 0.0 and m["constant_init_rank_W1"] == 1
    assert m["xavier_per_layer_factor"] == pytest.approx(math.sqrt(0.5), rel=0.1)
    assert m["small_predicted_factor"] == pytest.approx(0.01 * math.sqrt(64 / 2))
    assert m["small_per_layer_factor"] == pytest.approx(0.01 * math.sqrt(64 / 2), rel=0.1)
    he_like = metrics("weight-init", small_std=math.sqrt(2 / 64))  # "small" = He: no collapse
    assert he_like["small_per_layer_factor"] == pytest.approx(1.0, rel=0.1)


def test_gradient_check_counts_and_truncation_order():
    m = metrics("gradient-check")
    n = 4 * 5 + 5 + 3 * 5 + 3
    assert m["parameters"] == n and m["loss_evaluations_central"] == 2 * n
    assert m["relative_error_central"] < 1e-6 < m["relative_error_buggy_backprop"]
    # truncation error of the central difference is O(h²): 10× larger h → ≈100× larger error
    e2 = metrics("gradient-check", h=1e-2)["relative_error_central"]
    e3 = metrics("gradient-check", h=1e-3)["relative_error_central"]
    assert 50 < e2 / e3 < 200


def test_computational_graph_gradients_by_hand():
    m = metrics("computational-graph", a=2.0, b=-3.0, c=10.0, d=0.5)
    s = sigma(0.5)
    assert m["f"] == pytest.approx((2 * -3 + 10) * s)
    assert m["df_da"] == pytest.approx(-3 * s)
    assert m["df_db"] == pytest.approx(2 * s)
    assert m["df_dc"] == pytest.approx(s)
    assert m["df_dd"] == pytest.approx(4 * s * (1 - s))
    assert m["finite_difference_evaluations"] == 8
    saturated = metrics("computational-graph", d=10.0)
    assert abs(saturated["df_dd"]) < 1e-3 * abs(m["df_dd"])


def test_residual_gradient_plain_is_below_the_sigmoid_bound():
    m = metrics("residual-gradient")
    rng = np.random.default_rng(0)  # the demo draws its 50 weight matrices first
    Ws = [rng.normal(0.0, math.sqrt(1 / 32), size=(32, 32)) for _ in range(50)]
    bound = math.prod(0.25 * np.linalg.norm(W, 2) for W in Ws)
    assert m["plain_input_grad_norm"] <= bound
    assert m["plain_input_grad_norm"] < 1e-20
    assert 0.5 < m["residual_input_grad_norm"] < 5
