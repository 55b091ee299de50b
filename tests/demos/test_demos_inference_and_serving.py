"""Inference-and-serving demos: measured numbers against values derived by hand, each main check shown
able to fail (a parameter setting or a deliberately broken helper), and every parameter's extremes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import continuous_batching, decode_roofline, registry, sampling_knobs, speculative_decoding

SPECS = registry.load_all()
DEMOS = ["sampling-knobs", "speculative-decoding", "continuous-batching", "decode-roofline"]


def result(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed).to_dict()


def check_named(data, fragment):
    hits = [c for c in data["checks"] if fragment in c["name"]]
    assert len(hits) == 1, [c["name"] for c in data["checks"]]
    return hits[0]["passed"]


# sampling-knobs --------------------------------------------------------------------------------

def test_chi2_survival_function_against_closed_forms():
    for x in (0.1, 1.0, 3.0, 10.0, 40.0):
        assert sampling_knobs.chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-10)
        assert sampling_knobs.chi2_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-9)
        # df = 4: Q(2, x/2) = e^(−x/2)·(1 + x/2)
        assert sampling_knobs.chi2_sf(x, 4) == pytest.approx(math.exp(-x / 2) * (1 + x / 2), rel=1e-9)
    assert sampling_knobs.chi2_sf(18.307, 10) == pytest.approx(0.05, abs=2e-5)  # table value of χ²₁₀ at 5%


def test_sampling_knobs_supports_and_entropy_by_hand():
    m = result("sampling-knobs")["metrics"]  # V = 50, s = 1.1, T = 1, k = 20, top-p 0.9, min-p 0
    w = np.arange(1, 51, dtype=float) ** -1.1
    p = w / w.sum()
    assert m["entropy_temperature_only"] == pytest.approx(-(p * np.log(p)).sum(), rel=1e-12)
    cum = np.cumsum(p)  # p is already sorted descending
    n_nucleus = int(np.argmax(cum >= 0.9)) + 1
    assert m["support_top_p"] == n_nucleus
    assert m["nucleus_mass"] == pytest.approx(cum[n_nucleus - 1])
    assert m["support_top_k"] == 20 and m["support_min_p"] == 50
    keep = min(20, n_nucleus)
    q = p[:keep] / p[:keep].sum()
    assert m["support_final"] == keep
    assert m["entropy_after_truncation"] == pytest.approx(-(q * np.log(q)).sum(), rel=1e-12)
    assert m["removed_mass"] == pytest.approx(1 - p[:keep].sum())
    assert m["chi2_p_value"] > 0.001 and m["chi2_p_value_vs_untruncated"] < 1e-6


def test_sampling_knobs_top_k_1_is_greedy_and_min_p_threshold():
    m = result("sampling-knobs", top_k=1)["metrics"]
    assert m["support_final"] == 1 and m["entropy_after_truncation"] == 0.0 and m["top_token_prob_final"] == 1.0
    mp = result("sampling-knobs", min_p=0.1, top_k=200, top_p=1.0)["metrics"]
    # pᵢ/p₁ = i^(−1.1) ≥ 0.1  ⇔  i ≤ 10^(1/1.1)
    assert mp["support_min_p"] == mp["support_final"] == math.floor(10 ** (1 / 1.1))


def test_sampling_knobs_chi_square_fails_without_renormalising(monkeypatch):
    monkeypatch.setattr(sampling_knobs, "truncate", lambda p, keep: np.where(keep, p, 0.0))
    data = result("sampling-knobs")
    assert not check_named(data, "follow the truncated")
    assert "do NOT match" in data["takeaway"]["en"] and "不一致" in data["takeaway"]["zh"]


def test_sampling_knobs_set_check_catches_an_off_by_one_nucleus(monkeypatch):
    def nucleus_without_crossing_token(p, top_p):
        order = np.argsort(-p, kind="stable")
        keep = np.zeros(p.size, dtype=bool)
        keep[order[:max(1, int(np.searchsorted(np.cumsum(p[order]), top_p)))]] = True
        return keep

    monkeypatch.setattr(sampling_knobs, "top_p_mask", nucleus_without_crossing_token)
    data = result("sampling-knobs")
    assert not check_named(data, "naive loop")
    assert "filter is wrong" in data["takeaway"]["en"]


# speculative-decoding --------------------------------------------------------------------------

def _p_q(vocab=8, noise=0.6, seed=0):
    rng = np.random.default_rng(seed)  # the demo's first two draws build p and q
    zp = 1.5 * rng.standard_normal(vocab)
    zq = zp + noise * rng.standard_normal(vocab)
    p, q = np.exp(zp - zp.max()), np.exp(zq - zq.max())
    return p / p.sum(), q / q.sum()


def test_expected_tokens_formula_by_hand():
    assert speculative_decoding.expected_tokens(0.8, 4) == pytest.approx(1 + 0.8 + 0.64 + 0.512 + 0.4096)
    assert speculative_decoding.expected_tokens(0.8, 4) == pytest.approx(3.3616)
    assert speculative_decoding.expected_tokens(1.0, 4) == 5.0
    assert speculative_decoding.expected_tokens(0.0, 7) == 1.0


def test_speculative_decoding_alpha_and_tokens_per_call():
    data = result("speculative-decoding")
    m = data["metrics"]
    p, q = _p_q()
    alpha = float(np.minimum(p, q).sum())
    assert m["alpha_closed_form"] == pytest.approx(alpha, rel=1e-12)
    assert m["one_minus_tv"] == pytest.approx(1 - 0.5 * np.abs(p - q).sum(), rel=1e-12)
    assert m["tokens_per_call_closed_form"] == pytest.approx(sum(alpha**k for k in range(5)), rel=1e-12)
    assert m["alpha_measured"] == pytest.approx(alpha, abs=0.01)
    assert m["tokens_per_call_measured"] == pytest.approx(m["tokens_per_call_closed_form"], rel=0.02)
    assert all(c["passed"] for c in data["checks"])
    assert m["wrong_resample_chi2_p_value"] < 1e-6  # the buggy rule is visibly off at these parameters


def test_speculative_decoding_identical_draft_accepts_everything():
    m = result("speculative-decoding", draft_noise=0.0, gamma=3)["metrics"]
    assert m["alpha_measured"] == 1.0 and m["tokens_per_call_measured"] == 4.0
    assert m["speedup_cost_model"] == pytest.approx(4 / (3 * 0.05 + 1))


def test_speculative_decoding_distribution_check_fails_with_resampling_from_p(monkeypatch):
    monkeypatch.setattr(speculative_decoding, "residual", lambda p, q: p.copy())
    data = result("speculative-decoding")
    assert not check_named(data, "follow the target")
    assert "do NOT follow p" in data["takeaway"]["en"] and "不一致" in data["takeaway"]["zh"]


def test_speculative_decoding_acceptance_checks_fail_with_a_wrong_accept_rule(monkeypatch):
    monkeypatch.setattr(speculative_decoding, "accept_prob", lambda p, q, x: np.minimum(1.0, q[x] / p[x]))
    data = result("speculative-decoding", draft_noise=1.5)
    assert not check_named(data, "acceptance rate")
    assert not check_named(data, "follow the target")


# continuous-batching ---------------------------------------------------------------------------

def test_continuous_batching_equal_lengths_by_hand():
    m = result("continuous-batching", requests=20, slots=8, min_out=5, max_out=5, prompt=0, block=4)["metrics"]
    # three batches of 8, 8, 4 requests, 5 steps each
    assert m["static_makespan"] == m["continuous_makespan"] == 15
    assert m["total_tokens"] == 100 and m["throughput_gain"] == 1.0
    assert m["static_utilisation"] == pytest.approx(100 / (8 * 15))
    assert m["static_mean_latency"] == pytest.approx((8 * 5 + 8 * 10 + 4 * 15) / 20)
    assert m["static_mean_ttft"] == pytest.approx((8 * 1 + 8 * 6 + 4 * 11) / 20)
    assert m["kv_waste_paged"] == pytest.approx(1 - 5 / 8)  # 5 tokens in two blocks of 4
    assert m["kv_waste_reserved_max"] == pytest.approx(0.0)


def test_continuous_batching_default_against_hand_makespan():
    data = result("continuous-batching")
    m = data["metrics"]
    lengths = np.random.default_rng(0).integers(10, 301, size=200)
    groups = [lengths[i:i + 16].max() for i in range(0, 200, 16)]
    assert m["static_makespan"] == int(sum(groups))
    assert m["total_tokens"] == int(lengths.sum())
    assert m["makespan_lower_bound"] == max(math.ceil(lengths.sum() / 16), int(lengths.max()))
    assert m["makespan_lower_bound"] <= m["continuous_makespan"] < m["static_makespan"]
    assert m["throughput_gain"] > 1.3 and m["continuous_utilisation"] > m["static_utilisation"]
    assert m["kv_waste_paged"] < m["kv_waste_reserved_max"]
    assert all(c["passed"] for c in data["checks"])


def test_continuous_batching_block_audit_fails_with_floor_division(monkeypatch):
    monkeypatch.setattr(continuous_batching, "blocks_needed", lambda tokens, block: tokens // block)
    data = result("continuous-batching", block=16)
    assert not check_named(data, "block tables")
    assert "Check failed: paged KV" in data["takeaway"]["en"] and "检查未通过：paged KV" in data["takeaway"]["zh"]


def test_continuous_batching_accounting_fails_when_a_token_is_generated_twice(monkeypatch):
    real = continuous_batching.simulate

    def double_counting(*args, **kwargs):
        out = real(*args, **kwargs)
        out["generated"] = out["generated"].copy()
        out["generated"][0] += 1
        return out

    monkeypatch.setattr(continuous_batching, "simulate", double_counting)
    data = result("continuous-batching")
    assert not check_named(data, "token accounting")
    assert "Check failed: token accounting" in data["takeaway"]["en"]


def test_continuous_batching_with_arrivals_uses_the_bound_check():
    data = result("continuous-batching", arrival_gap=5.0)
    assert any("bound" in c["name"] for c in data["checks"])
    assert all(c["passed"] for c in data["checks"])


# decode-roofline -------------------------------------------------------------------------------

def test_decode_roofline_seven_b_fp16_by_hand():
    m = result("decode-roofline")["metrics"]
    assert m["weight_gb"] == pytest.approx(14.0)
    assert m["ms_per_token_batch1"] == pytest.approx(14e9 / 2e12 * 1e3)  # 7 ms
    assert m["tokens_per_s_batch1"] == pytest.approx(2e12 / 14e9)
    assert m["compute_ms_batch1"] == pytest.approx(2 * 7e9 / 300e12 * 1e3)
    assert m["ridge_flops_per_byte"] == pytest.approx(150.0)
    assert m["arithmetic_intensity_batch1"] == pytest.approx(1.0)
    assert m["crossover_batch_sweep"] == m["crossover_batch_closed_form"] == 150
    assert m["tokens_per_s_compute_ceiling"] == pytest.approx(300e12 / (2 * 7e9))


def test_decode_roofline_int4_70b_and_long_context():
    m = result("decode-roofline", params_b=70.0, weight_bits=4)["metrics"]
    assert m["weight_gb"] == pytest.approx(35.0) and m["ms_per_token_batch1"] == pytest.approx(17.5)
    assert m["crossover_batch_sweep"] == math.ceil(150 / 4) == 38
    long = result("decode-roofline", context=4096)
    assert long["metrics"]["kv_gb_per_sequence"] == pytest.approx(4096 * 0.5e6 / 1e9)
    assert long["metrics"]["crossover_batch_sweep"] is None and long["metrics"]["tokens_per_s_compute_ceiling"] is None
    assert "never becomes compute-bound" in long["takeaway"]["en"]


def test_decode_roofline_checks_fail_when_compute_and_memory_are_added(monkeypatch):
    def additive(batch, n, bpp, kv, peak, bw):
        tc, tm = 2.0 * n * batch / peak, (n * bpp + batch * kv) / bw
        return tc + tm, tc, tm

    monkeypatch.setattr(decode_roofline, "step_time", additive)
    data = result("decode-roofline")
    assert not check_named(data, "batch-1 step time")
    assert "Check failed: batch-1 step time" in data["takeaway"]["en"]


# every parameter at its extremes ---------------------------------------------------------------

EXTREMES = [(d, p.name, v) for d in DEMOS for p in SPECS[d].params for v in (p.low, p.high)]


@pytest.mark.parametrize(("demo_id", "name", "value"), EXTREMES, ids=[f"{d}-{n}={v}" for d, n, v in EXTREMES])
def test_parameter_extremes_run_cleanly(demo_id, name, value):
    data = result(demo_id, **{name: value})
    for key, v in data["metrics"].items():
        assert v is None or math.isfinite(v), key
    for lang in ("zh", "en"):
        assert "{" not in data["takeaway"][lang] and "nan" not in data["takeaway"][lang].lower()
    assert data["checks"]
