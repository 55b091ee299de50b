"""Alignment and post-training demos: measured numbers against values derived by hand (closed forms or
small independent computations), checks that can fail, and every parameter at its limits."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from interviewprep.demos import registry

SPECS = registry.load_all()
DECK_DEMOS = ["dpo-loss", "grpo-advantage", "reward-model-bt", "best-of-n", "kl-regularised-rl", "judge-bias"]


def run(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed)


def metrics(demo_id, seed=0, **params):
    return run(demo_id, seed, **params).to_dict()["metrics"]


def check_named(result, words):
    return next(c for c in result.outcome.checks if words in c.name)


# --- dpo-loss ------------------------------------------------------------------------------------

def test_dpo_loss_starts_at_ln2_with_gradient_beta_times_eps():
    m = metrics("dpo-loss", beta=0.5, eps=0.1)
    assert m["loss_at_reference"] == pytest.approx(math.log(2), abs=1e-12)
    # |∇L| = β·σ(0)·|φ_w − φ_l| = 0.5 · 0.5 · 0.2
    assert m["grad_norm_at_reference"] == pytest.approx(0.05, abs=1e-12)
    # reference logits (1, 1, 0, 0): π_ref(o) = 1/(2e + 2)
    assert m["p_unpaired_o_reference"] == pytest.approx(1 / (2 * math.e + 2), abs=1e-12)


def test_dpo_margin_matches_a_hand_written_recurrence():
    beta, eps, lr, steps = 0.5, 0.1, 1.0, 300
    u = 0.0
    for _ in range(steps):  # u ← u + lr·β²·(2ε)²·σ(−u)
        u += lr * beta**2 * (2 * eps) ** 2 / (1 + math.exp(u))
    m = metrics("dpo-loss", beta=beta, eps=eps, lr=lr, steps=steps)
    assert m["final_margin_u"] == pytest.approx(u, rel=1e-9)
    assert m["final_loss"] == pytest.approx(math.log1p(math.exp(-u)), rel=1e-9)


def test_dpo_chosen_falls_when_the_unpaired_response_has_more_style():
    # d log π(w)/ds at the reference is ε − π_ref(o)·1 = 0.1 − 0.1345 < 0: the chosen response loses mass
    m = metrics("dpo-loss", beta=0.5, eps=0.1)
    assert m["final_margin_u"] > 0 and m["chosen_logp_change"] < 0
    assert m["p_unpaired_o_final"] > m["p_unpaired_o_reference"]
    assert m["tabular_chosen_logp_change"] > 0
    # implicit rewards are β·Δlog π
    assert m["implicit_reward_chosen"] == pytest.approx(0.5 * m["chosen_logp_change"], rel=1e-12)


def test_dpo_chosen_does_not_fall_when_chosen_and_rejected_differ_a_lot():
    # ε = 2 > 1: the chosen response is the one furthest along φ_w − φ_l, so it gains mass
    result = run("dpo-loss", eps=2.0)
    assert result.outcome.metrics["chosen_logp_change"] > 0
    assert not check_named(result, "lowered the chosen").passed
    assert "did not fall" in result.outcome.takeaway["en"]


def test_dpo_a_wrong_gradient_fails_the_finite_difference_check(monkeypatch):
    from interviewprep.demos import dpo_loss

    real = dpo_loss.dpo_grad
    monkeypatch.setattr(dpo_loss, "dpo_grad", lambda theta, phi, beta: real(theta, phi, beta) / beta)  # drops β
    result = run("dpo-loss", beta=0.5)
    assert not check_named(result, "finite differences").passed
    assert "Check failed" in result.outcome.takeaway["en"]


# --- grpo-advantage ------------------------------------------------------------------------------

def _start_probability(k=8, n_correct=2, gap=1.5):
    return n_correct / (n_correct + (k - n_correct) * math.exp(gap))


def test_grpo_silent_groups_and_start_accuracy_match_the_closed_form():
    p0 = _start_probability()
    m = metrics("grpo-advantage")
    assert m["p_correct_start"] == pytest.approx(p0, rel=1e-12)
    assert m["silent_group_fraction_theory"] == pytest.approx(p0**8 + (1 - p0) ** 8, rel=1e-12)
    se = math.sqrt(m["silent_group_fraction_theory"] * (1 - m["silent_group_fraction_theory"]) / 4000)
    assert abs(m["silent_group_fraction_measured"] - m["silent_group_fraction_theory"]) < 4 * se
    assert m["mixed_group_max_mean_error"] < 1e-12 and m["mixed_group_max_std_error"] < 1e-6
    assert m["p_correct_grpo_final"] > 0.9


def test_grpo_reinforce_variance_closed_form_by_hand():
    # Var = (1/G)(Σ π_a (r_a + c)² ‖e_a − π‖² − ‖∇J‖²), written out independently of the demo
    k, g, c = 8, 8, 1.0
    logits = np.array([0.0, 0.0] + [1.5] * 6)
    pi = np.exp(logits) / np.exp(logits).sum()
    r = np.array([1.0, 1.0] + [0.0] * 6)
    grad = pi * (r - pi @ r)
    second = sum(pi[a] * (r[a] + c) ** 2 * np.sum((np.eye(k)[a] - pi) ** 2) for a in range(k))
    m = metrics("grpo-advantage", reward_shift=c)
    assert m["update_var_reinforce_theory"] == pytest.approx((second - grad @ grad) / g, rel=1e-12)
    assert m["update_var_reinforce_measured"] == pytest.approx(m["update_var_reinforce_theory"], rel=0.1)
    assert m["noise_to_signal_reinforce"] > m["noise_to_signal_mean_baseline"]


def test_grpo_without_any_correct_samples_learns_nothing():
    # gap 8: p0 ≈ 2/(2 + 6e⁸) ≈ 1.1e-4, so nearly every group is all wrong
    result = run("grpo-advantage", init_gap=8.0)
    assert not check_named(result, "raised the probability").passed
    assert "did NOT raise" in result.outcome.takeaway["en"]


def test_grpo_a_missing_std_normalisation_fails_the_unit_std_check(monkeypatch):
    from interviewprep.demos import grpo_advantage

    monkeypatch.setattr(grpo_advantage, "group_advantage",
                        lambda r: np.asarray(r, float) - np.asarray(r, float).mean(axis=-1, keepdims=True))
    result = run("grpo-advantage")
    assert not check_named(result, "mean 0 and std 1").passed
    assert "Check failed" in result.outcome.takeaway["en"]


# --- reward-model-bt -----------------------------------------------------------------------------

def test_reward_model_recovers_the_annotator_scale_and_bon_kl():
    m = metrics("reward-model-bt", pairs=20000, sharpness=2.0)
    assert m["scale_fitted_over_true"] == pytest.approx(2.0, rel=0.08)
    assert m["reward_correlation"] > 0.99
    assert m["shift_direction_fisher_eigenvalue"] == pytest.approx(0.0, abs=1e-9)
    assert m["kl_best_of_1024_theory"] == pytest.approx(math.log(1024) - 1023 / 1024, abs=1e-12)


def test_reward_model_over_optimisation_needs_a_blind_spot():
    with_blind_spot = run("reward-model-bt", quad=0.5)
    assert check_named(with_blind_spot, "over-optimisation").passed
    m = with_blind_spot.outcome.metrics
    assert m["proxy_true_reward_peak"] > m["proxy_true_reward_at_N1024"]
    assert m["oracle_true_reward_at_N1024"] > m["proxy_true_reward_peak"]
    linear_truth = run("reward-model-bt", quad=0.0)  # the proxy is well specified: no peak
    assert not check_named(linear_truth, "over-optimisation").passed
    assert "no over-optimisation" in linear_truth.outcome.takeaway["en"]


def test_reward_model_a_wrong_fit_fails_the_wald_check(monkeypatch):
    from interviewprep.demos import reward_model_bt

    real = reward_model_bt.fit_bt

    def doubled(diff, label, iters=50):
        w, fisher = real(diff, label, iters)
        return 2 * w, fisher

    monkeypatch.setattr(reward_model_bt, "fit_bt", doubled)
    result = run("reward-model-bt")
    assert not check_named(result, "Wald").passed
    assert "Check failed" in result.outcome.takeaway["en"]


# --- best-of-n -----------------------------------------------------------------------------------

def test_best_of_n_closed_forms():
    m = metrics("best-of-n", p=0.35, n_max=32)
    assert m["best_of_32_theory"] == pytest.approx(1 - 0.65**32, abs=1e-15)
    assert m["majority_2_theory"] == pytest.approx(0.35, abs=1e-12)  # p² + p(1 − p) = p


def test_majority_exact_matches_the_binomial_formula_and_brute_force():
    from interviewprep.demos.best_of_n import answer_probs, majority_exact

    p = 0.4
    for n in range(1, 16):  # one wrong answer: P(Bin(n, p) > n/2) + ½·P(= n/2)
        closed = sum(math.comb(n, c) * p**c * (1 - p) ** (n - c) for c in range(n + 1) if 2 * c > n)
        if n % 2 == 0:
            closed += 0.5 * math.comb(n, n // 2) * p ** (n // 2) * (1 - p) ** (n // 2)
        assert majority_exact(answer_probs(p, 1, 0.0), n) == pytest.approx(closed, abs=1e-12)
    probs = answer_probs(0.3, 3, 0.4)
    for n in (3, 4, 5):  # brute force over every sequence of answers
        total = 0.0
        for seq in itertools.product(range(4), repeat=n):
            counts = np.bincount(seq, minlength=4)
            top = counts.max()
            if counts[0] == top:
                total += np.prod(probs[list(seq)]) / np.sum(counts == top)
        assert majority_exact(probs, n) == pytest.approx(total, abs=1e-12)


def test_majority_vote_fails_when_a_wrong_answer_is_the_mode():
    m = metrics("best-of-n", p=0.3, skew=0.9, n_max=32)  # q₁ = 0.7·(0.9 + 0.1/3) = 0.653 > p
    assert m["majority_32_theory"] < 0.3
    early = run("best-of-n", n_max=2)  # two samples: majority equals p, no improvement yet
    assert not check_named(early, "beats one sample").passed
    assert "more samples are needed" in early.outcome.takeaway["en"]


def test_best_of_n_a_wrong_pass_at_n_fails(monkeypatch):
    from interviewprep.demos import best_of_n

    monkeypatch.setattr(best_of_n, "pass_at_n", lambda p, n: 1.0 - (1.0 - p) ** max(n - 1, 1))
    result = run("best-of-n")
    assert not check_named(result, "perfect verifier").passed
    assert "Check failed" in result.outcome.takeaway["en"]


# --- kl-regularised-rl ---------------------------------------------------------------------------

def test_kl_regularised_trade_off_is_monotone_in_beta():
    rows = run("kl-regularised-rl").outcome.table["rows"]
    rewards, kls = [r[1] for r in rows], [r[2] for r in rows]
    # dE[r]/d(1/β) = Var_π*(r) ≥ 0: more reward and more KL as β shrinks
    assert rewards == sorted(rewards, reverse=True) and kls == sorted(kls, reverse=True)
    m = metrics("kl-regularised-rl")
    assert m["objective_at_optimum"] == pytest.approx(m["beta_log_Z"], abs=1e-8)
    assert m["k3_min"] >= 0 and 0 < m["k1_negative_share"] < 1


def test_kl_estimates_vanish_when_the_policy_equals_the_reference():
    m = metrics("kl-regularised-rl", drift=0.0)
    assert m["sequence_kl_exact"] == pytest.approx(0.0, abs=1e-12)
    assert m["sequence_kl_k1_mean"] == pytest.approx(0.0, abs=1e-12)
    assert m["k1_std"] == pytest.approx(0.0, abs=1e-12)


def test_kl_a_broken_optimiser_or_ignored_clipping_fails(monkeypatch):
    from interviewprep.demos import kl_regularised_rl as mod

    monkeypatch.setattr(mod, "ascend", lambda r, log_ref, beta, steps=300: mod.softmax(log_ref))
    result = run("kl-regularised-rl")
    assert not check_named(result, "converges").passed
    assert "Check failed" in result.outcome.takeaway["en"]
    monkeypatch.undo()

    real = mod.clipped_grad

    def no_clip(theta, actions, adv, logp_old, eps):
        g, active = real(theta, actions, adv, logp_old, 1e9)  # every sample stays active
        return g, active

    monkeypatch.setattr(mod, "clipped_grad", no_clip)
    broken = run("kl-regularised-rl")
    assert not check_named(broken, "finite differences").passed


# --- judge-bias ----------------------------------------------------------------------------------

def test_judge_bias_closed_forms():
    m = metrics("judge-bias", true_win=0.6, position_bias=0.2, n=400)
    assert m["win_A_shown_first_theory"] == pytest.approx(0.2 + 0.8 * 0.6)  # 0.68
    assert m["win_A_shown_second_theory"] == pytest.approx(0.8 * 0.6)  # 0.48
    assert m["swap_average_theory"] == pytest.approx(0.58)
    assert m["win_rate_se_theory"] == pytest.approx(math.sqrt(0.24 / 400))
    assert m["ci95_half_width"] == pytest.approx(1.96 * math.sqrt(0.24 / 400))


def test_judge_length_bias_inflates_the_raw_rate_and_regression_removes_it():
    m = metrics("judge-bias", true_win=0.5, length_bias=2.0, length_gap=2.0, n=5000)
    assert m["raw_win_rate_with_length_bias"] > 0.8  # E σ(2Δ), Δ ~ N(2, 1), is about 0.95
    assert m["length_controlled_win_rate"] == pytest.approx(0.5, abs=0.05)
    assert m["length_slope_estimate"] == pytest.approx(2.0, rel=0.15)


def test_judge_without_the_correction_or_the_length_term_fails(monkeypatch):
    from interviewprep.demos import judge_bias

    monkeypatch.setattr(judge_bias, "corrected_win_rate", lambda avg, b_hat: avg)
    result = run("judge-bias", true_win=0.8, position_bias=0.6, n=5000)
    assert not check_named(result, "recovers w").passed
    monkeypatch.undo()

    def intercept_only(delta, y, iters=50):
        p = float(np.mean(y))
        return np.array([math.log(p / (1 - p)), 0.0]), np.eye(2) * p * (1 - p) / len(y)

    monkeypatch.setattr(judge_bias, "fit_intercept_and_slope", intercept_only)
    result = run("judge-bias", length_bias=2.0, length_gap=2.0, n=5000)
    assert not check_named(result, "length-controlled").passed
    assert "Check failed" in result.outcome.takeaway["en"]


# --- every parameter at its limits ---------------------------------------------------------------

LIMITS = [(d, p.name, v) for d in DECK_DEMOS for p in SPECS[d].params for v in (p.low, p.high)]


@pytest.mark.parametrize("demo_id, name, value", LIMITS, ids=[f"{d}-{n}={v}" for d, n, v in LIMITS])
def test_parameter_limits_run_cleanly(demo_id, name, value):
    spec = SPECS[demo_id]
    value = spec.param(name).kind(value)
    data = registry.run(spec, {name: value}).to_dict()
    assert all(v is not None for v in data["metrics"].values()), data["metrics"]
    for series in data["series"].values():
        assert all(math.isfinite(y) for y in series["y"] if y is not None) and None not in series["y"]
    for lang in ("zh", "en"):
        assert "{" not in data["takeaway"][lang] and "}" not in data["takeaway"][lang]


@pytest.mark.parametrize("demo_id", DECK_DEMOS)
def test_all_parameters_at_once_at_low_and_high(demo_id):
    spec = SPECS[demo_id]
    for bound in ("low", "high"):
        values = {p.name: p.kind(getattr(p, bound)) for p in spec.params}
        data = registry.run(spec, values).to_dict()
        assert all(v is not None for v in data["metrics"].values())
        assert "{" not in data["takeaway"]["en"]


# --- figures the cards quote from these demos ----------------------------------------------------

def test_figures_quoted_by_the_cards_come_from_the_linked_runs():
    dpo = metrics("dpo-loss", beta=0.5, eps=0.1, lr=1.0, steps=300)
    assert round(-dpo["chosen_logp_change"], 1) == 7.7  # dpo-derivation-and-variants: "drops by 7.7 nats"
    grpo = metrics("grpo-advantage")
    assert round(grpo["noise_to_signal_reinforce"]) == 46 and round(grpo["noise_to_signal_mean_baseline"], 1) == 3.3
    bt = metrics("reward-model-bt", quad=0.5, max_log2_n=10)
    assert bt["proxy_peak_N"] == 16  # reward cards: "peaks at N = 16"
    assert metrics("reward-model-bt", sharpness=0.5)["scale_fitted_over_true"] == pytest.approx(0.5, rel=0.1)
    bon = metrics("best-of-n", p=0.35, n_wrong=3, skew=0.2, n_max=32)
    assert round(bon["majority_32_theory"], 2) == 0.60
    # llm-judge-evaluation: √(0.55·0.45/400) = 0.0249, ±4.9 points
    assert round(1.96 * math.sqrt(0.55 * 0.45 / 400) * 100, 1) == 4.9
