"""Foundation-models demos: numbers derived by hand in the test, checks that can fail (a parameter where the
claim is false, or a monkeypatched helper with a wrong formula), and every parameter at its extremes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import (
    bpe_tokenizer,
    compute_optimal,
    emergence_metric,
    flow_matching_2d,
    infonce_temperature,
    moe_routing,
    registry,
)
from tests.demos.helpers import SPECS, check_named, outcome

OURS = ["bpe-tokenizer", "compute-optimal", "moe-routing", "infonce-temperature", "flow-matching-2d",
        "emergence-metric"]


# bpe-tokenizer ---------------------------------------------------------------------------------

def test_bpe_without_merges_is_plain_utf8_bytes():
    m = outcome("bpe-tokenizer", merges=0).metrics
    assert m["corpus_tokens"] == len(bpe_tokenizer.CORPUS.encode("utf-8"))
    assert m["vocab_size"] == 256
    assert m["english_tokens_per_char"] == 1.0  # ASCII: one byte per character
    zh = bpe_tokenizer.CHINESE
    assert m["chinese_tokens_per_char"] == pytest.approx(len(zh.encode("utf-8")) / len(zh))
    assert len("中".encode()) == 3


def test_bpe_merges_are_non_overlapping_and_counts_fall():
    assert bpe_tokenizer.merge_word((97, 97, 97), (97, 97), 256) == (256, 97)
    assert bpe_tokenizer.count_occurrences((97, 97, 97, 97), (97, 97)) == 2
    merges, vocab, counts, occ = bpe_tokenizer.train("ab ab ab abc", 3)
    assert vocab[merges[0][1]] == b"ab"  # (a, b) occurs 4 times, more than any other pair
    assert counts[0] - counts[1] == 4 and occ[0] == 4
    m = outcome("bpe-tokenizer", merges=150).metrics
    assert m["vocab_size"] == 256 + 150 and m["merges_learned"] == 150
    assert m["corpus_tokens"] < m["corpus_bytes"]
    assert m["tokens_for_12345"] == 5  # digits are pre-split one by one


def test_bpe_round_trip_check_fails_when_decode_loses_bytes(monkeypatch):
    real = bpe_tokenizer.decode
    monkeypatch.setattr(bpe_tokenizer, "decode", lambda ids, vocab: real(ids[:-1], vocab))
    out = outcome("bpe-tokenizer")
    assert not check_named(out, "lossless").passed
    assert "NOT lossless" in out.takeaway["en"] and "有损" in out.takeaway["zh"]


def test_bpe_count_check_fails_when_merge_replaces_only_the_first_occurrence(monkeypatch):
    def first_only(word, pair, new):
        for i in range(len(word) - 1):
            if word[i] == pair[0] and word[i + 1] == pair[1]:
                return word[:i] + (new,) + word[i + 2:]
        return word

    monkeypatch.setattr(bpe_tokenizer, "merge_word", first_only)
    out = outcome("bpe-tokenizer")
    assert not check_named(out, "shortens the corpus").passed
    assert "differ from the plain count" in out.checks[1].detail
    assert "removed a different number" in out.takeaway["en"]


# compute-optimal -------------------------------------------------------------------------------

def test_compute_optimal_default_is_twenty_tokens_per_parameter_and_sqrt_c_over_120():
    m = outcome("compute-optimal").metrics
    assert m["chinchilla_compute_6ND"] == pytest.approx(6 * 70e9 * 1.4e12) == pytest.approx(5.88e23)
    assert m["tokens_per_param"] == pytest.approx(20.0, rel=1e-9)  # α = β and B set for 70B on 1.4T
    assert m["n_opt"] == pytest.approx(math.sqrt(1e24 / 120), rel=1e-9)  # C = 6·N·20N
    assert m["ratio_slope_per_decade"] == pytest.approx(0.0, abs=2e-3)


def test_compute_optimal_over_training_cost_matches_the_hand_formula():
    # α = β = a: at the optimum both loss terms equal X; the N/s model needs B/D_s^a = (2 − s^a)·X,
    # so D_s = D·(2 − s^a)^(−1/a) and the training compute ratio is D_s/(s·D).
    a, s = 0.34, 2.0
    m = outcome("compute-optimal", alpha=a, beta=a, shrink=s).metrics
    grow = (2 - s**a) ** (-1 / a)
    assert m["small_model_tokens"] == pytest.approx(m["d_opt"] * grow, rel=1e-9)
    assert m["small_model_tokens_per_param"] == pytest.approx(20 * s * grow, rel=1e-9)  # ≈ 99
    assert m["small_model_extra_training_compute"] == pytest.approx(grow / s - 1, rel=1e-9)  # ≈ 0.24
    saved = 2 * m["n_opt"] * (1 - 1 / s)
    assert m["breakeven_inference_tokens"] == pytest.approx((grow / s - 1) * 1e24 / saved, rel=1e-9)


def test_compute_optimal_ratio_drifts_when_exponents_differ():
    m = outcome("compute-optimal", alpha=0.5, beta=0.25).metrics
    assert m["ratio_slope_theory"] == pytest.approx(0.25 / 0.75)
    assert m["ratio_slope_per_decade"] == pytest.approx(1 / 3, abs=2e-3)


def test_compute_optimal_checks_fail_with_a_different_data_exponent_in_the_loss(monkeypatch):
    real = compute_optimal.loss
    monkeypatch.setattr(compute_optimal, "loss", lambda n, d, alpha, beta, b: real(n, d, alpha, beta + 0.1, b))
    out = outcome("compute-optimal", alpha=0.3, beta=0.3)
    assert not check_named(out, "brute-force").passed
    assert not check_named(out, "D/N changes").passed
    assert not check_named(out, "s times smaller").passed
    assert "grid search gives" in out.takeaway["en"]


# moe-routing -----------------------------------------------------------------------------------

def test_moe_capacity_parameter_counts_and_balance():
    m = outcome("moe-routing").metrics
    assert m["capacity_per_expert"] == math.floor(1.25 * 1024 * 2 / 8) == 320
    per_expert = 3 * 4096 * 14336
    assert m["expert_ffn_params_total_B"] == pytest.approx(32 * 8 * per_expert / 1e9)  # ≈ 45.1
    assert m["expert_ffn_params_active_B"] == pytest.approx(32 * 2 * per_expert / 1e9)  # ≈ 11.3
    assert m["aux_loss_after"] == pytest.approx(1.0, abs=0.01)  # E·Σ fᵢPᵢ = E·E·(1/E)² = 1 when uniform
    assert m["cv_after"] < m["cv_before"]
    assert m["dropped_share_before"] > 0.1 and m["dropped_after"] == 0


def test_moe_helpers_on_a_hand_example():
    load = np.array([5, 1, 0])
    assert moe_routing.dropped_closed_form(load, 2) == 3
    top = np.array([[0], [0], [0], [1]])
    assert moe_routing.dropped_by_dispatch(top, 3, 2) == 1
    e = 4
    probs = np.full((8, e), 1 / e)
    balanced = np.arange(8).reshape(8, 1) % e
    assert moe_routing.aux_loss(probs, balanced, e)[0] == pytest.approx(1.0)


def test_moe_balance_check_fails_without_training():
    out = outcome("moe-routing", steps=0)
    assert not check_named(out, "lowers").passed
    assert "did not lower" in out.takeaway["en"] and "没有降低" in out.takeaway["zh"]


def test_moe_gradient_and_drop_checks_fail_with_wrong_formulas(monkeypatch):
    real_grad = moe_routing.aux_grad
    monkeypatch.setattr(moe_routing, "aux_grad", lambda x, probs, f, e: tuple(2 * g for g in real_grad(x, probs, f, e)))
    monkeypatch.setattr(moe_routing, "dropped_closed_form", lambda load, cap: int((load - cap).sum() + cap))
    out = outcome("moe-routing", steps=5)
    assert not check_named(out, "finite differences").passed
    assert not check_named(out, "dispatch count").passed
    assert "formula is wrong" in out.takeaway["en"] and "not the formula's" in out.takeaway["en"]


# infonce-temperature ---------------------------------------------------------------------------

def test_infonce_matches_the_naive_formula_and_chance_level():
    sp, sn, tau = 0.5, np.array([0.1, 0.3, -0.2]), 0.2
    naive = -math.log(math.exp(sp / tau) / (math.exp(sp / tau) + sum(math.exp(v / tau) for v in sn)))
    assert infonce_temperature.infonce(sp, sn, tau) == pytest.approx(naive, rel=1e-12)
    m = outcome("infonce-temperature").metrics
    assert m["tiny_case_loss"] == pytest.approx(math.log1p(255 * math.exp((0.2 - 0.6) / 0.07)), rel=1e-12)
    assert m["loss_at_chance_log_N_plus_1"] == pytest.approx(math.log(256))
    assert m["uniform_share"] == pytest.approx(5 / 255)
    assert m["share_at_tau_0.01"] > 0.99  # the 5 hardest sit ≥ 0.1 above the rest: e^(0.1/0.01) dominates
    assert m["concentration_vs_uniform"] > 10


def test_infonce_weights_are_softmax_over_tau():
    sp, sn, tau = 0.5, np.array([0.1, 0.3]), 0.5
    z = np.exp(np.array([sp, *sn]) / tau)
    assert infonce_temperature.negative_weights(sp, sn, tau) == pytest.approx(z[1:] / z.sum() / tau)


def test_infonce_checks_fail_with_a_wrong_gradient_or_loss(monkeypatch):
    real_w = infonce_temperature.negative_weights
    monkeypatch.setattr(infonce_temperature, "negative_weights", lambda sp, sn, tau: real_w(sp, sn, tau) * tau)
    out = outcome("infonce-temperature", tau=0.1)
    assert not check_named(out, "finite differences").passed
    assert "differ from finite differences" in out.takeaway["en"]
    monkeypatch.undo()
    monkeypatch.setattr(infonce_temperature, "infonce",
                        lambda sp, sn, tau: infonce_temperature.logsumexp(np.asarray(sn) / tau) - sp / tau)
    out = outcome("infonce-temperature")
    assert not check_named(out, "log(1 + N").passed
    assert "the loss is wrong" in out.takeaway["en"]


def test_infonce_monotone_check_can_fail(monkeypatch):
    monkeypatch.setattr(infonce_temperature, "hard_share", lambda sp, sn, tau, hard: tau)
    out = outcome("infonce-temperature")
    assert not check_named(out, "falls as τ rises").passed
    assert "not monotone" in out.takeaway["en"]


# flow-matching-2d ------------------------------------------------------------------------------

def test_flow_exact_velocity_limits_and_a_monte_carlo_conditional_mean():
    mu, w = flow_matching_2d.modes(4.0)
    x = np.array([[0.3, -1.0], [2.0, 0.5]])
    assert flow_matching_2d.exact_velocity(x, 0.0, mu, w, 0.3) == pytest.approx(w @ mu - x)  # μ̄ − x
    assert flow_matching_2d.exact_velocity(x, 1.0, mu, w, 0.3) == pytest.approx(x)  # x − E[x₀] = x
    rng = np.random.default_rng(1)
    n, t, point = 400_000, 0.5, np.array([0.8, 0.2])
    x0 = rng.standard_normal((n, 2))
    x1 = flow_matching_2d.sample_target(n, mu, w, 0.3, rng)
    xt = (1 - t) * x0 + t * x1
    near = np.sum((xt - point) ** 2, axis=1) < 0.1**2
    assert near.sum() > 500
    brute = (x1 - x0)[near].mean(axis=0)
    exact = flow_matching_2d.exact_velocity(point[None, :], t, mu, w, 0.3)[0]
    assert brute == pytest.approx(exact, abs=0.1)


def test_flow_default_run_learns_the_field_and_more_steps_help():
    m = outcome("flow-matching-2d").metrics
    assert m["one_step_exact_max_dev_from_mean"] < 1e-12
    assert m["velocity_rel_error"] < 0.25
    assert m["mse_exact_field_on_conditional_target"] <= m["mse_learned_on_conditional_target"] * 1.001
    assert m["mmd2_learned_32_steps"] < m["mmd2_learned_1_step"] / 5
    assert 0.35 < m["share_right_mode"] < 0.65  # two equal modes


def test_flow_fit_check_fails_with_too_little_capacity():
    out = outcome("flow-matching-2d", separation=1.0, mode_std=1.0, features=50, train=1000)
    assert not check_named(out, "regressed field").passed
    assert "far from the analytic field" in out.takeaway["en"]


def test_flow_one_step_check_fails_with_a_wrong_exact_field(monkeypatch):
    real = flow_matching_2d.exact_velocity
    monkeypatch.setattr(flow_matching_2d, "exact_velocity", lambda x, t, mu, w, s: real(x, t, mu, w, s) + x)
    out = outcome("flow-matching-2d", features=50, train=1000)
    assert not check_named(out, "one Euler step").passed
    assert "contradicting" in out.takeaway["en"]


def test_mmd_is_near_zero_for_one_distribution_and_positive_for_a_shift():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((400, 2)), rng.standard_normal((400, 2))
    assert abs(flow_matching_2d.mmd2(a, b)) < 0.01
    assert flow_matching_2d.mmd2(a, b + 2.0) > 0.3


# emergence-metric ------------------------------------------------------------------------------

def test_emergence_numbers_follow_the_power_law_by_hand():
    m = outcome("emergence-metric").metrics
    assert m["token_accuracy_at_1e7"] == pytest.approx(math.exp(-1.2))
    assert m["token_accuracy_at_1e12"] == pytest.approx(math.exp(-0.02))
    assert m["exact_match_at_1e12"] == pytest.approx(math.exp(-0.2))  # p^10
    a = math.log10(1.2 / 0.02) / 5  # loss exponent per decade
    flat = math.log10(1.2 / (0.02 + math.log(20) / 10)) / a  # EM reaches 5% of its final value
    assert m["flat_decades_exact_match"] == pytest.approx(flat, abs=0.05)  # ≈ 1.62
    onset = 7 + math.log10(1.2 / (math.log(10) / 10)) / a  # EM = 0.1 ⇔ 10·ℓ = ln 10, ≈ 9.02
    assert onset <= m["log10_N_where_exact_match_reaches_10pct"] < onset + 0.2 + 1e-9  # first grid point past it
    assert m["flat_decades_token_accuracy"] == 0.0


def test_emergence_flat_check_fails_for_one_token_answers():
    out = outcome("emergence-metric", answer_len=1)
    assert not check_named(out, "flat").passed
    assert "not flat for longer" in out.takeaway["en"]


def test_emergence_simulation_check_fails_with_a_wrong_closed_form(monkeypatch):
    monkeypatch.setattr(emergence_metric, "exact_match", lambda p, length: p ** max(1, length // 2))
    out = outcome("emergence-metric", items=2000)
    assert not check_named(out, "simulated exact match").passed


# every parameter at its extremes ---------------------------------------------------------------

def _extremes(demo_id):
    spec = SPECS[demo_id]
    cases = [{}]
    for p in spec.params:
        if p.low is not None:
            cases += [{p.name: p.kind(p.low)}, {p.name: p.kind(p.high)}]
    cases.append({p.name: p.kind(p.low) for p in spec.params if p.low is not None})
    cases.append({p.name: p.kind(p.high) for p in spec.params if p.high is not None})
    return [(demo_id, c) for c in cases]


CASES = [case for d in OURS for case in _extremes(d)]


@pytest.mark.parametrize("demo_id, params", CASES, ids=[f"{d}{p}" for d, p in CASES])
def test_extreme_parameters_run_cleanly(demo_id, params):
    data = registry.run(SPECS[demo_id], params).to_dict()
    for value in data["metrics"].values():
        assert value is not None and math.isfinite(value), (demo_id, params)
    for lang in ("zh", "en"):
        text = data["takeaway"][lang]
        assert "{" not in text and "nan" not in text.lower().replace("nano", ""), text
    for series in data["series"].values():
        assert all(v is not None for v in series["y"])
