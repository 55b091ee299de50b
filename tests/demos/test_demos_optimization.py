"""Optimization demos: measured numbers against values derived by hand (closed forms or small
independent computations), and parameters moving results the way theory says."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from interviewprep.demos import registry
from tests.conftest import prep

SPECS = registry.load_all()


def metrics(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed).to_dict()["metrics"]


def outcome(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed).outcome


# gd-learning-rate ------------------------------------------------------------------------------

def test_gd_learning_rate_factors_and_steps_follow_one_minus_two_eta():
    m = metrics("gd-learning-rate")
    assert m["factor_slow"] == pytest.approx(0.9, abs=1e-12)
    assert m["factor_fast"] == pytest.approx(0.6, abs=1e-12)
    assert m["factor_big"] == pytest.approx(1.2, abs=1e-12)
    # |x_k| = 0.9^k ≤ 1e-3  ⇔  k ≥ ln(1e-3)/ln(0.9)
    assert m["steps_to_1e-3_slow"] == math.ceil(math.log(1e-3) / math.log(0.9)) == 66
    assert m["steps_to_1e-3_fast"] == math.ceil(math.log(1e-3) / math.log(0.6)) == 14
    assert m["steps_to_1e-3_big"] is None
    assert m["final_abs_x_big"] == pytest.approx(1.2**100, rel=1e-9)


def test_gd_learning_rate_below_the_limit_does_not_diverge():
    out = outcome("gd-learning-rate", lr_big=0.9)  # |1 − 1.8| = 0.8 < 1
    diverge = next(c for c in out.checks if "diverges" in c.name)
    assert not diverge.passed
    assert out.metrics["factor_big"] == pytest.approx(0.8, abs=1e-12)


# sgd-oscillation -------------------------------------------------------------------------------

def test_sgd_oscillation_step_is_the_requested_fraction_of_the_limit():
    m = metrics("sgd-oscillation")
    assert m["lr"] * m["lambda_max"] == pytest.approx(2 * 0.6)
    assert m["gd_steep_sign_flip_share"] == 1.0  # 1 − ηλmax = −0.2 < 0: a sign flip every step
    assert m["sgd_tail_excess_mean"] > 1e3 * max(m["gd_final_excess"], 1e-16)


def test_sgd_oscillation_no_zigzag_below_one_over_lambda_max():
    m = metrics("sgd-oscillation", lr_frac=0.4)  # 1 − ηλmax = 0.2 > 0
    assert m["gd_steep_sign_flip_share"] == 0.0


# minibatch-noise -------------------------------------------------------------------------------

def test_minibatch_noise_follows_sqrt_trace_over_b():
    m = metrics("minibatch-noise")
    assert m["loglog_slope"] == pytest.approx(-0.5, abs=0.03)
    root = math.sqrt(m["trace_sigma"])
    assert m["std_B1"] == pytest.approx(root, rel=0.1)
    assert m["std_B512"] == pytest.approx(root / math.sqrt(512), rel=0.1)


# sgd-noise-ball --------------------------------------------------------------------------------

def test_sgd_noise_ball_matches_eta_sigma2_over_2_minus_eta():
    m = metrics("sgd-noise-ball")
    assert m["stationary_var_theory"] == pytest.approx(0.1 / 1.9)
    assert m["stationary_var_measured"] == pytest.approx(0.1 / 1.9, rel=0.05)
    assert m["half_lr_var_measured"] == pytest.approx(0.05 / 1.95, rel=0.05)


def test_sgd_noise_ball_scales_with_sigma_squared():
    small, big = metrics("sgd-noise-ball"), metrics("sgd-noise-ball", sigma=2.0)
    assert big["stationary_var_measured"] / small["stationary_var_measured"] == pytest.approx(4.0, rel=0.1)


# momentum --------------------------------------------------------------------------------------

def test_momentum_rates_are_the_textbook_ones():
    m = metrics("momentum")
    assert m["gd_rate_measured"] == pytest.approx(99 / 101, rel=1e-3)
    assert m["momentum_rate_measured"] == pytest.approx(9 / 11, rel=0.02)
    # every eigen-component shrinks at least by 99/101 per step, so GD needs at most this many steps
    assert m["gd_iterations"] <= math.ceil(math.log(1e-6) / math.log(99 / 101))
    assert m["momentum_iterations"] * 5 < m["gd_iterations"]


def test_momentum_speedup_grows_with_kappa():
    assert metrics("momentum", kappa=400.0)["speedup"] > metrics("momentum", kappa=100.0)["speedup"] * 1.5


# hessian-conditioning --------------------------------------------------------------------------

def test_hessian_conditioning_rate_and_newton():
    m = metrics("hessian-conditioning")
    assert m["kappa"] == pytest.approx(50.0, rel=1e-9)
    assert m["gd_rate_measured"] == pytest.approx(49 / 51, rel=1e-3)
    assert m["gd_steps_to_1e-6"] <= math.ceil(math.log(1e-6) / math.log(49 / 51))
    assert m["newton_rel_error_after_1_step"] < 1e-10


# rmsprop ---------------------------------------------------------------------------------------

def test_rmsprop_equalizes_steps_and_gd_ratio_matches_hand_computation():
    m = metrics("rmsprop")
    assert m["rmsprop_step_ratio_x1_over_x2"] == pytest.approx(1.0, abs=1e-3)
    # GD with η = 0.95·2/100 from x = (1, 1): |Δx₁| = 1.9·0.9ᵏ, |Δx₂| = 0.019·0.981ᵏ, k = 0..19
    k = np.arange(20)
    expected = np.mean(1.9 * 0.9**k) / np.mean(0.019 * (1 - 0.019) ** k)
    assert m["gd_step_ratio_x1_over_x2"] == pytest.approx(expected, rel=1e-9)
    assert m["rmsprop_max_shift_when_grad_scaled"] < 1e-6
    assert m["gd_max_shift_when_grad_scaled"] is None  # GD diverged to inf: JSON null


# adam-bias-correction --------------------------------------------------------------------------

def test_adam_bias_correction_factors():
    m = metrics("adam-bias-correction")
    t = np.arange(1, 3001)
    closed = (1 - 0.9**t) / np.sqrt(1 - 0.999**t)
    assert m["uncorrected_first_step_over_lr"] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)
    assert m["corrected_first_step_over_lr"] == pytest.approx(1.0, abs=1e-6)
    assert m["uncorrected_peak_step"] == int(np.argmax(closed)) + 1 == 12
    assert m["uncorrected_peak_over_lr"] == pytest.approx(closed.max(), rel=1e-6)
    peak = int(np.argmax(closed))
    assert m["uncorrected_within_10pct_from_step"] == int(np.flatnonzero(closed[peak:] <= 1.1)[0]) + peak + 1


# adamw-vs-l2 -----------------------------------------------------------------------------------

def test_adamw_decays_by_one_minus_lr_lambda_and_adam_l2_steps_by_lr():
    m = metrics("adamw-vs-l2")
    assert m["adamw_quiet_factor_per_step"] == pytest.approx(1 - 0.01 * 0.1, abs=1e-12)
    assert m["busy_mean_adamw_theory"] == pytest.approx(0.999**200)
    assert abs(m["busy_mean_adamw"] - 0.999**200) < 4 * m["busy_mean_standard_error"]
    assert 0.98 < m["adam_l2_quiet_step_over_lr_min"] <= m["adam_l2_quiet_step_over_lr_max"] < 1.0


def test_adamw_vs_l2_raising_lambda_speeds_adamw_only():
    a, b = metrics("adamw-vs-l2"), metrics("adamw-vs-l2", weight_decay=0.5)
    assert b["adamw_quiet_factor_per_step"] == pytest.approx(1 - 0.01 * 0.5, abs=1e-12)
    assert b["adam_l2_quiet_step_over_lr_min"] == pytest.approx(a["adam_l2_quiet_step_over_lr_min"], rel=1e-3)


# optimizer-race --------------------------------------------------------------------------------

def test_optimizer_race_sgd_within_contraction_bound_and_rotation_invariant():
    m = metrics("optimizer-race")
    bound = math.ceil(math.log(1e-6) / math.log(99 / 101))
    assert m["steps_SGD_axis_aligned"] <= bound
    for name in ("SGD", "SGD_momentum", "Nesterov"):
        assert m[f"steps_{name}_axis_aligned"] == m[f"steps_{name}_rotated"]
    assert m["steps_SGD_momentum_rotated"] < m["steps_SGD_rotated"]


# lr-schedules ----------------------------------------------------------------------------------

def test_lr_schedules_key_values():
    m = metrics("lr-schedules")
    assert m["cosine_at_T/2"] == pytest.approx(0.05, abs=1e-15)
    assert m["cosine_at_T/4"] == pytest.approx(0.1 * (1 + math.cos(math.pi / 4)) / 2)
    assert m["cosine_at_3T/4"] == pytest.approx(0.1 * (1 - math.cos(math.pi / 4)) / 2)
    assert m["cosine_at_T"] == pytest.approx(0.0, abs=1e-15)
    assert m["warmup_steps"] == 50 and m["warmup_peak_step"] == 50
    assert m["step_lr_drops"] == 3
    assert m["final_loss_cosine"] * 3 < m["final_loss_constant"]


# epoch-batch-iteration -------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "b", "drop", "per_epoch", "last"), [
    (10050, 200, False, 51, 50), (10000, 200, False, 50, 200), (10050, 200, True, 50, 200), (7, 3, False, 3, 1),
])
def test_epoch_batch_iteration_counts(n, b, drop, per_epoch, last):
    m = metrics("epoch-batch-iteration", n_samples=n, batch_size=b, drop_last=drop)
    assert m["iterations_per_epoch"] == per_epoch == (n // b if drop else math.ceil(n / b))
    assert m["last_batch_size"] == last
    assert m["total_iterations"] == 30 * per_epoch


# local-minima ----------------------------------------------------------------------------------

def test_local_minima_critical_points_and_gd_basins():
    m = metrics("local-minima")
    for x in (m["deep_min_x"], m["local_max_x"], m["shallow_min_x"]):
        assert 4 * x**3 - 4 * x + 0.5 == pytest.approx(0.0, abs=1e-9)
    assert m["deep_min_x"] < m["local_max_x"] < m["shallow_min_x"]
    starts = np.linspace(-2, 2, 41)
    assert m["gd_share_of_starts_ending_shallow"] == pytest.approx(np.mean(starts > m["local_max_x"]))
    assert m["sgd_escape_share_shallow_to_deep"] > 3 * m["sgd_share_deep_to_shallow"]


def test_local_minima_without_noise_nothing_escapes():
    assert metrics("local-minima", sigma=0.0)["sgd_escape_share_shallow_to_deep"] == 0.0


# CLI -------------------------------------------------------------------------------------------

def test_cli_json_for_an_optimization_demo():
    result = prep("demo", "epoch-batch-iteration", "--json", "--no-builtin",
                                      "--set", "n_samples=10050", "--set", "batch_size=200")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["metrics"]["iterations_per_epoch"] == 51
    assert all(c["passed"] for c in data["checks"])
