"""Numbers measured by the losses / metrics / regularization / normalization demos, against values worked out
by hand (closed forms or small independent computations), plus parameter changes that move results as theory says."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import registry

SPECS = registry.load_all()


def run(demo_id: str, seed: int = 0, **params) -> dict:
    return registry.run(SPECS[demo_id], params, seed=seed).to_dict()


def metrics(demo_id: str, seed: int = 0, **params) -> dict:
    return run(demo_id, seed, **params)["metrics"]


def checks(demo_id: str, seed: int = 0, **params) -> dict:
    return {c["name"]: c["passed"] for c in run(demo_id, seed, **params)["checks"]}


def sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


# --- cross-entropy-vs-mse ---------------------------------------------------------------------------------------

def test_ce_vs_mse_ratio_is_one_over_sigma_prime():
    m = metrics("cross-entropy-vs-mse")
    # at z = −10: σ'(z) = e^−10 / (1 + e^−10)², so CE/MSE = (1 + e^−10)² / e^−10 ≈ 22028.5
    assert math.isclose(m["ratio_ce_over_mse"], (1 + math.exp(-10)) ** 2 / math.exp(-10), rel_tol=1e-9)
    assert math.isclose(m["ratio_ce_over_mse"], 22028.47, rel_tol=1e-6)
    assert math.isclose(m["grad_ce"], sigma(-10) - 1, rel_tol=1e-12)
    assert m["steps_ce"] > 0 and m["steps_mse"] is None  # MSE does not recover within the step budget


def test_ce_vs_mse_ratio_is_about_150_at_minus_5_and_grows_with_saturation():
    at5 = metrics("cross-entropy-vs-mse", z=-5.0)["ratio_ce_over_mse"]
    assert math.isclose(at5, 1 / (sigma(-5) * (1 - sigma(-5))), rel_tol=1e-9)
    assert 145 < at5 < 155  # the card's "about 150 times smaller"
    assert metrics("cross-entropy-vs-mse", z=-20.0)["ratio_ce_over_mse"] > 1e8


# --- softmax-stability --------------------------------------------------------------------------------------------

def test_softmax_stability_values():
    m = metrics("softmax-stability")
    denom = 1 + math.e + math.e ** 2
    assert math.isclose(m["stable_p0"], 1 / denom, rel_tol=1e-12)        # 0.090
    assert math.isclose(m["stable_p2"], math.e ** 2 / denom, rel_tol=1e-12)  # 0.665
    assert m["naive_finite"] == 0
    assert math.isclose(m["overflow_threshold_float64"], math.log(1.7976931348623157e308), rel_tol=1e-12)
    assert 88.7 < m["overflow_threshold_float32"] < 88.73
    assert math.isclose(m["ln_C"], math.log(10)) and abs(m["initial_loss"] - math.log(10)) < 0.01


def test_softmax_large_init_moves_loss_above_ln_c_and_small_offsets_do_not_overflow():
    big = run("softmax-stability", init_scale=5.0)
    assert big["metrics"]["initial_loss"] > 2 * math.log(10)
    passed = {c["name"]: c["passed"] for c in big["checks"]}
    assert not passed["initial loss with small random logits is within 5% of ln C"]
    assert metrics("softmax-stability", offset=10.0)["naive_finite"] == 1
    assert metrics("softmax-stability", classes=1000)["ln_C"] == pytest.approx(6.9078, abs=1e-4)


# --- focal-loss ---------------------------------------------------------------------------------------------------

def test_focal_factor_and_shares():
    m = metrics("focal-loss")
    assert m["modulating_factor"] == pytest.approx(0.01, rel=1e-9)       # (1 − 0.9)² = 0.01
    assert m["down_weighting"] == pytest.approx(100, rel=1e-9)
    assert m["hard_factor"] == pytest.approx(0.81, rel=1e-9)              # (1 − 0.1)² = 0.81
    assert m["bce"] == pytest.approx(-math.log(0.9), rel=1e-9)
    easy, hard = 10000 * -math.log(0.99), 10 * -math.log(0.1)
    assert m["easy_share_ce"] == pytest.approx(easy / (easy + hard), rel=1e-9)
    easy_fl, hard_fl = easy * 0.01 ** 2, hard * 0.9 ** 2
    assert m["easy_share_focal"] == pytest.approx(easy_fl / (easy_fl + hard_fl), rel=1e-9)


def test_focal_gamma_zero_is_bce_and_p968_is_about_1000x():
    zero = metrics("focal-loss", gamma=0.0)
    assert zero["modulating_factor"] == pytest.approx(1.0) and zero["easy_share_focal"] == zero["easy_share_ce"]
    assert metrics("focal-loss", p_t=0.968)["down_weighting"] == pytest.approx(1 / 0.032 ** 2, rel=1e-6)  # ≈ 977


# --- hinge-vs-logistic --------------------------------------------------------------------------------------------

def test_hinge_and_logistic_values():
    m = metrics("hinge-vs-logistic")
    assert m["hinge_at_margin"] == 0.5
    assert m["logistic_at_margin"] == pytest.approx(math.log1p(math.exp(-0.5)), rel=1e-12)
    assert m["logistic_at_5"] == pytest.approx(math.log1p(math.exp(-5)), rel=1e-12)
    assert m["logistic_points_with_gradient"] == 200 and m["hinge_points_with_gradient"] < 200


def test_hinge_beyond_margin_and_misclassified():
    assert metrics("hinge-vs-logistic", margin=2.0)["hinge_at_margin"] == 0.0
    assert metrics("hinge-vs-logistic", margin=-1.0)["hinge_at_margin"] == 2.0  # the card's "2 at y·f = −1"


# --- accuracy-paradox ---------------------------------------------------------------------------------------------

def test_accuracy_paradox_numbers():
    m = metrics("accuracy-paradox")
    assert m["positives"] == 200 and m["accuracy_always_negative"] == pytest.approx(0.99)
    assert m["recall_always_negative"] == 0 and m["f1_always_negative"] == 0
    assert m["balanced_accuracy_always_negative"] == 0.5
    # threshold halfway (1.25) between N(0,1) and N(2.5,1): recall ≈ Φ(1.25) ≈ 0.894 (binomial sd ≈ 0.022)
    assert abs(m["midpoint_threshold_recall"] - phi(1.25)) < 0.07
    # false-positive rate ≈ 1 − Φ(1.25), so accuracy ≈ 1 − 0.99·(1 − Φ(1.25)) − 0.01·(1 − Φ(1.25))
    assert abs(m["midpoint_threshold_accuracy"] - phi(1.25)) < 0.01


def test_accuracy_paradox_rate_sets_trivial_accuracy():
    assert metrics("accuracy-paradox", positive_rate=0.05)["accuracy_always_negative"] == pytest.approx(0.95)
    rare = metrics("accuracy-paradox", positive_rate=0.001, n=100000)
    assert rare["positives"] == 100 and rare["accuracy_always_negative"] == pytest.approx(0.999)


# --- roc-auc ------------------------------------------------------------------------------------------------------

def test_auc_helpers_on_the_card_example():
    from interviewprep.demos.roc_auc import auc_pairs, auc_trapezoid

    pos, neg = [0.9, 0.8, 0.4], [0.7, 0.3, 0.2, 0.1]
    assert auc_pairs(pos, neg) == pytest.approx(11 / 12)
    assert auc_trapezoid(pos, neg) == pytest.approx(11 / 12)
    assert auc_pairs([1.0, 0.5], [0.5, 0.0]) == pytest.approx((1 + 1 + 0.5 + 1) / 4)  # one tie counts ½
    assert auc_trapezoid([1.0, 0.5], [0.5, 0.0]) == pytest.approx(0.875)


def test_roc_auc_matches_gaussian_theory_and_grows_with_separation():
    m = metrics("roc-auc", separation=2.0, n_pos=2000, n_neg=2000, decimals=6)
    assert m["auc_pairs"] == pytest.approx(phi(2 / math.sqrt(2)), abs=0.02)  # Φ(√2) ≈ 0.921
    assert m["auc_pairs"] == m["auc_trapezoid"] == m["auc_after_cube"]
    assert metrics("roc-auc", separation=0.0, n_pos=2000, n_neg=2000)["auc_pairs"] == pytest.approx(0.5, abs=0.03)


# --- class-imbalance ----------------------------------------------------------------------------------------------

def test_class_weights_follow_n_over_c_nc():
    m = metrics("class-imbalance")
    n, n_pos = 3000, m["train_positives"]
    assert m["weight_positive"] == pytest.approx(n / (2 * n_pos))
    assert m["weight_negative"] == pytest.approx(n / (2 * (n - n_pos)))
    assert m["log_weight_ratio"] == pytest.approx(math.log((n - n_pos) / n_pos))
    assert m["fixed_recall"] > m["plain_recall"] + 0.3
    # a correctly specified logistic model: weighting shifts the intercept by about ln(w₊/w₋)
    assert m["bias_shift"] == pytest.approx(m["log_weight_ratio"], rel=0.3)


def test_oversampling_also_helps_and_balanced_data_needs_nothing():
    over = metrics("class-imbalance", method="oversample")
    assert over["fixed_recall"] > over["plain_recall"] + 0.3
    balanced = metrics("class-imbalance", minority_rate=0.5)
    assert abs(balanced["fixed_recall"] - balanced["plain_recall"]) < 0.02


# --- bias-variance ------------------------------------------------------------------------------------------------

def test_bias_variance_matches_fixed_design_closed_form():
    from interviewprep.demos.bias_variance import features, truth

    n, sigma_, r = 20, 0.3, 2000
    m = metrics("bias-variance", n_sets=r)
    x = (np.arange(n) + 0.5) / n
    xt = np.linspace(0, 1, 101)
    for d, key in ((1, "degree_1"), (12, "max_degree")):
        p_train, p_test = features(x, d), features(xt, d)
        hat = p_test @ np.linalg.pinv(p_train)                 # test predictions = hat @ y
        variance = sigma_ ** 2 * np.mean(np.sum(hat ** 2, axis=1))
        bias2 = np.mean((hat @ truth(x) - truth(xt)) ** 2)
        assert m[f"variance_{key}"] == pytest.approx(variance, rel=0.1)
        assert m[f"bias2_{key}"] == pytest.approx(bias2, rel=0.1, abs=3 * variance / r ** 0.5)


def test_without_noise_there_is_no_variance_and_no_u_curve():
    m = metrics("bias-variance", noise=0.0)
    assert m["variance_max_degree"] < 1e-20
    # no U: the most flexible model is as good as the best, to rounding (odd/even degrees tie on this target,
    # and which of a tied pair wins depends on the BLAS build, so compare errors, not the argmin)
    assert m["max_degree"] == 12 and m["best_degree"] >= 11
    assert m["test_error_max_degree"] == pytest.approx(m["test_error_best"], rel=1e-6)


# --- early-stopping -----------------------------------------------------------------------------------------------

def test_early_stopping_bookkeeping():
    m = metrics("early-stopping")
    assert m["parameters"] == 1 + 2 * 30
    assert m["stopped_epoch"] == m["restored_epoch"] + 100  # patience 100 after the last best
    assert m["restored_epoch"] == m["best_epoch"] and m["val_final"] > m["val_best"]


def test_noise_free_target_in_the_model_class_never_overfits():
    # sin(πx) + ½cos(2πx) is exactly representable by the features, so without noise there is nothing to overfit
    m = metrics("early-stopping", noise=0.0)
    assert m["best_epoch"] == 1500 and m["val_final"] < 1e-2


# --- l1-vs-l2 -----------------------------------------------------------------------------------------------------

def test_l1_l2_one_d_example_and_soft_threshold():
    from interviewprep.demos.l1_vs_l2 import soft_threshold

    m = metrics("l1-vs-l2")
    assert m["one_d_l1"] == 0.0 and m["one_d_l2"] == pytest.approx(0.3 / 1.5)
    assert list(soft_threshold(np.array([-2.0, -0.5, 0.2, 1.5]), 0.5)) == [-1.5, 0.0, 0.0, 1.0]
    assert m["zeros_l2"] == 0 and m["zeros_l1"] >= 20


def test_lasso_solution_satisfies_kkt():
    from interviewprep.demos.l1_vs_l2 import lasso_ista

    rng = np.random.default_rng(3)
    x = rng.standard_normal((100, 20))
    y = x[:, :3] @ np.array([2.0, -1.5, 1.0]) + 0.3 * rng.standard_normal(100)
    lam = 0.2
    w = lasso_ista(x, y, lam, steps=3000)
    grad = x.T @ (x @ w - y) / 100
    zero = w == 0
    assert np.all(np.abs(grad[zero]) <= lam + 1e-6)                          # |∇ⱼ| ≤ λ where wⱼ = 0
    assert np.allclose(grad[~zero], -lam * np.sign(w[~zero]), atol=1e-6)    # ∇ⱼ = −λ·sign(wⱼ) elsewhere


def test_more_l1_strength_more_zeros():
    assert metrics("l1-vs-l2", lam=1.0)["zeros_l1"] > metrics("l1-vs-l2", lam=0.01)["zeros_l1"]


# --- dropout-scaling ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p, scale", [(0.5, 2.0), (0.2, 1.25), (0.9, 10.0)])
def test_dropout_scale_is_one_over_keep(p, scale):
    m = metrics("dropout-scaling", p=p)
    assert m["scale_factor"] == pytest.approx(scale) and m["max_scale_error"] < 1e-12
    assert m["kept_fraction"] == pytest.approx(1 - p, abs=4 * math.sqrt(p * (1 - p) / (2000 * 200)))
    assert m["relative_variance_train"] == pytest.approx(p / (1 - p), rel=0.1)
    assert m["eval_is_identity"] == 1


# --- dropout-vs-bagging -------------------------------------------------------------------------------------------

def test_bagging_formula_and_subnet_averaging():
    m = metrics("dropout-vs-bagging")
    s2, rho, b = m["var_bag_member"], m["rho_members"], 25
    assert m["var_bagged_predicted"] == pytest.approx(rho * s2 + (1 - rho) * s2 / b)
    assert m["var_bagged"] == pytest.approx(m["var_bagged_predicted"], rel=0.15)
    assert m["subnet_variance_ratio"] == pytest.approx(25, rel=0.25)


def test_more_subnetworks_divide_variance_further():
    assert metrics("dropout-vs-bagging", n_masks=80)["subnet_variance_ratio"] == pytest.approx(80, rel=0.25)
    two = metrics("dropout-vs-bagging", n_bags=2)
    assert two["var_bagged"] > metrics("dropout-vs-bagging", n_bags=50)["var_bagged"]


# --- batchnorm ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a", [10.0, 100.0])
def test_batchnorm_gradient_shrinks_by_the_weight_scale(a):
    m = metrics("batchnorm", weight_scale=a)
    assert m["grad_ratio"] == pytest.approx(a, rel=1e-3)
    assert m["scale_output_max_diff"] < 1e-4
    assert m["batch_of_one_centred_max"] == 0.0 and m["batch_of_one_raises"] == 1
    assert m["gamma_beta_identity_max_err"] < 1e-12  # γ = √(σ² + ε), β = μ undoes the normalization


def test_batchnorm_train_eval_gap_shrinks_with_batch_size():
    m = metrics("batchnorm")
    assert m["gap_batch_256"] < m["gap_batch_2"] / 3
    assert metrics("batchnorm", batch_size=128)["train_eval_mean_abs_gap"] < m["train_eval_mean_abs_gap"]


# --- layernorm-vs-batchnorm ---------------------------------------------------------------------------------------

def test_layernorm_ignores_batch_and_batch_of_two_bn_is_plus_minus_one():
    m = metrics("layernorm-vs-batchnorm")
    assert m["ln_change_sample0"] == 0.0 and m["ln_batch_of_one_vs_full_batch"] == 0.0
    assert m["bn_change_sample0"] > 0.1
    # with two samples BN maps each channel to ±(x₀ − x₁)/|x₀ − x₁| ≈ ±1, so sample 0 moves by ≈ 0 or ≈ 2
    v = m["bn_influence_batch_2"]
    assert v < 1e-3 or abs(v - 2) < 1e-3


# --- input-normalization ------------------------------------------------------------------------------------------

def test_input_normalization_closed_forms():
    m = metrics("input-normalization")
    k = m["kappa_standardized"]
    # standardized + intercept: eigenvalues 1 and 1 ± r, so κ = (1 + r)/(1 − r) and 1/L = (κ + 1)/(2κ)
    assert m["lr_standardized"] == pytest.approx((k + 1) / (2 * k), rel=1e-9)
    assert m["steps_raw"] <= math.ceil(m["kappa_raw"] * math.log(1e6) / 2)
    assert m["steps_standardized"] < 10 and m["steps_raw"] > 1e4


def test_condition_number_grows_with_the_square_of_the_scale():
    k100 = metrics("input-normalization", scale=100.0)["kappa_raw"]
    k1000 = metrics("input-normalization", scale=1000.0)["kappa_raw"]
    assert k1000 / k100 == pytest.approx(100, rel=0.05)
    assert metrics("input-normalization", scale=1000.0)["kappa_standardized"] == pytest.approx(
        metrics("input-normalization", scale=100.0)["kappa_standardized"])


# --- curse-of-dimensionality --------------------------------------------------------------------------------------

def test_curse_closed_forms():
    m = metrics("curse-of-dimensionality")
    assert m["shell_fraction_dim_100"] == pytest.approx(1 - 0.98 ** 100)      # ≈ 0.867
    assert m["shell_fraction_exact_max_dim"] == pytest.approx(1 - 0.98 ** 1000)
    assert m["edge_for_10pct_volume"] == pytest.approx(0.1 ** (1 / 1000))
    assert m["mean_distance_max_dim"] == pytest.approx(math.sqrt(1000 / 6), rel=0.03)
    assert m["contrast_max_dim"] < 0.2


def test_contrast_shrinks_as_dimension_grows():
    assert metrics("curse-of-dimensionality", max_dim=2000)["contrast_max_dim"] < \
        metrics("curse-of-dimensionality", max_dim=50)["contrast_max_dim"]
