"""Training-at-scale demos: numbers derived by hand here, checks shown able to fail (a parameter where the
claim is false, or a helper monkeypatched to a wrong formula), and every parameter's extremes run cleanly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import activation_checkpointing as ac
from interviewprep.demos import attention_logit_growth as alg
from interviewprep.demos import lora_update as lu
from interviewprep.demos import mixed_precision as mp
from interviewprep.demos import parallel_matmul as pm
from interviewprep.demos import registry
from interviewprep.demos import ring_allreduce_zero as rz
from tests.demos.helpers import SPECS, check_named, outcome

OURS = ["mixed-precision", "parallel-matmul", "lora-update", "ring-allreduce-zero", "activation-checkpointing",
        "attention-logit-growth"]


# mixed-precision -------------------------------------------------------------------------------

def test_mixed_precision_maxima_from_the_bit_layouts():
    m = outcome("mixed-precision").metrics
    assert m["fp16_max_decoded"] == 65504.0 == (1 + 1023 / 1024) * 2.0**15
    assert m["bf16_max_decoded"] == pytest.approx(3.3895313892515355e38, rel=1e-15)
    assert m["bf16_max_decoded"] == (1 + 127 / 128) * 2.0**127
    assert m["e4m3_max_decoded"] == 448.0 == 1.75 * 2**8       # exponent 1111 usable, mantissa 111 is NaN
    assert m["e5m2_max_decoded"] == 57344.0 == 1.75 * 2**15    # exponent 11111 is inf/NaN
    assert m["fp16_of_65519"] == 65504.0 and m["fp16_of_65520_is_inf"] == 1
    assert 2**-9 < m["bf16_max_rel_error"] <= 2**-8
    assert 2**-12 < m["fp16_max_rel_error"] <= 2**-11


def test_mixed_precision_underflow_share_follows_the_normal_cdf():
    # log10|g| ~ N(−7, 1); FP16 flushes |g| < 2⁻²⁵ to zero: P = Φ((−25·log10 2 + 7)/1) ≈ 0.2995
    expected = 0.5 * (1 + math.erf((-25 * math.log10(2) + 7) / math.sqrt(2)))
    assert expected == pytest.approx(0.2995, abs=1e-3)
    m = outcome("mixed-precision").metrics
    assert m["share_zero_fp16"] == pytest.approx(expected, abs=0.01)
    assert m["share_zero_scaled"] == 0.0 and m["share_inf_scaled"] == 0.0
    assert m["share_zero_bf16"] == 0.0
    assert m["loss_scale"] == 2.0**16


def test_mixed_precision_scale_of_one_rescues_nothing_and_the_takeaway_says_so():
    out = outcome("mixed-precision", scale_log2=0)
    assert not check_named(out, "loses fewer").passed
    assert "does not help" in out.takeaway["en"] and "没有帮助" in out.takeaway["zh"]


def test_mixed_precision_a_huge_scale_overflows():
    out = outcome("mixed-precision", grad_log10=-3.0, spread=2.0, scale_log2=30)
    assert out.metrics["share_inf_scaled"] > 0.5
    assert not check_named(out, "loses fewer").passed


def test_mixed_precision_truncating_bf16_breaks_the_rounding_check(monkeypatch):
    def truncate(x):
        bits = np.asarray(x, dtype=np.float32).view(np.uint32)
        return (bits & np.uint32(0xFFFF0000)).view(np.float32)

    monkeypatch.setattr(mp, "to_bf16", truncate)
    out = outcome("mixed-precision")
    assert not check_named(out, "relative rounding error").passed  # truncation errs up to 2⁻⁷


def test_mixed_precision_wrong_max_formula_is_caught(monkeypatch):
    def no_reserved_exponent(e, m, ieee):  # forgets that IEEE formats keep the top exponent for inf/NaN
        return (2 - 2.0**-m) * 2.0 ** (2**e - 1 - (2 ** (e - 1) - 1))

    monkeypatch.setattr(mp, "max_from_layout", no_reserved_exponent)
    out = outcome("mixed-precision")
    assert not check_named(out, "maxima decoded").passed
    assert "NOT what the bit-layout formula says" in out.takeaway["en"]


# parallel-matmul -------------------------------------------------------------------------------

def test_parallel_matmul_bubble_and_makespan_by_hand():
    m = outcome("parallel-matmul", devices=4, microbatches=8, backward_ratio=2.0).metrics
    assert m["gpipe_makespan"] == (8 + 4 - 1) * (1 + 2) == 33
    assert m["onef1b_makespan"] == 33
    assert m["gpipe_bubble"] == pytest.approx(3 / 11) and m["onef1b_bubble"] == pytest.approx(3 / 11)
    assert m["gpipe_peak_activations"] == 8 and m["onef1b_peak_activations"] == 4
    assert m["tp_max_rel_error"] < 1e-12 and m["row_first_gelu_rel_error"] > 1e-2
    assert m["weight_elements_per_device"] == 2 * 32 * 128 // 4


def test_parallel_matmul_more_microbatches_shrink_the_bubble():
    m = outcome("parallel-matmul", devices=4, microbatches=32).metrics
    assert m["onef1b_bubble"] == pytest.approx(3 / 35)


def test_parallel_matmul_dropping_a_shard_from_the_all_reduce_is_caught(monkeypatch):
    monkeypatch.setattr(pm, "all_reduce", lambda parts: parts[0] + 0 * sum(parts[1:], np.zeros_like(parts[0])))
    out = outcome("parallel-matmul", devices=4)
    assert not check_named(out, "equals the full MLP").passed
    assert "NOT equal" in out.takeaway["en"]


def test_parallel_matmul_wrong_bubble_formula_is_caught(monkeypatch):
    monkeypatch.setattr(pm, "bubble_formula", lambda p, m: (p - 1) / m)  # bubble/ideal, not bubble/total
    out = outcome("parallel-matmul", devices=4, microbatches=8)
    assert not check_named(out, "idle share").passed
    assert "mismatch" in out.takeaway["en"]


def test_parallel_matmul_one_device_has_no_split_error():
    m = outcome("parallel-matmul", devices=1).metrics
    assert m["row_first_gelu_rel_error"] < 1e-12 and m["gpipe_bubble"] == 0.0


def test_parallel_matmul_gpipe_order_for_1f1b_breaks_the_memory_check(monkeypatch):
    real = pm.schedule
    monkeypatch.setattr(pm, "schedule", lambda kind, p, m: real("gpipe", p, m))
    out = outcome("parallel-matmul", devices=4, microbatches=8)
    assert not check_named(out, "peak stored").passed


# lora-update -----------------------------------------------------------------------------------

def test_lora_counts_and_eckart_young_by_hand():
    m = outcome("lora-update", d_in=64, d_out=48, rank=4, target_rank=8).metrics
    assert m["lora_params"] == 4 * (64 + 48) == 448 and m["full_params"] == 3072
    assert m["lora_4096_r8"] == 65536 and m["lora_4096_r8"] / m["full_4096"] == pytest.approx(0.0039, abs=1e-4)
    best = math.sqrt(sum(0.8 ** (2 * i) for i in range(4, 8)))  # σᵢ = 0.8ⁱ, i = 0..7, keep the top 4
    assert m["eckart_young_residual"] == pytest.approx(best, rel=1e-12)
    assert m["fit_residual"] == pytest.approx(best, rel=1e-3)
    assert m["output_change_at_init"] == 0.0 and m["merge_rel_error"] < 1e-12
    assert m["int4_requantized_merge_rel_error"] > 1e-3


def test_lora_rank_at_least_target_fits_exactly():
    m = outcome("lora-update", rank=8, target_rank=4).metrics
    assert m["eckart_young_residual"] == 0.0 and m["fit_residual"] < 1e-6


def test_lora_merge_without_alpha_over_r_is_caught(monkeypatch):
    monkeypatch.setattr(lu, "merge", lambda w, a, b, alpha, r: w + b @ a)
    out = outcome("lora-update", alpha=8.0, rank=4)
    assert not check_named(out, "merged").passed
    assert "NOT identical" in out.takeaway["en"]


def test_lora_no_fitting_is_caught(monkeypatch):
    monkeypatch.setattr(lu, "FIT_ROUNDS", 0)
    out = outcome("lora-update")
    assert not check_named(out, "Eckart").passed
    assert "above the rank" in out.takeaway["en"]


# ring-allreduce-zero ---------------------------------------------------------------------------

def test_ring_and_zero_numbers_by_hand():
    m = outcome("ring-allreduce-zero", gpus=8, n_params=100000, model_billion=7.0).metrics
    assert m["sent_per_device_over_N"] == pytest.approx(2 * 7 / 8)
    assert m["zero3_traffic_over_N"] == pytest.approx(3 * 7 / 8)
    assert m["bytes_per_param_DDP"] == 16
    assert m["bytes_per_param_ZeRO-1"] == pytest.approx(4 + 12 / 8)
    assert m["bytes_per_param_ZeRO-2"] == pytest.approx(2 + 14 / 8)
    assert m["bytes_per_param_ZeRO-3"] == pytest.approx(16 / 8)
    assert (m["GB_DDP_7B"], m["GB_ZeRO-1_7B"], m["GB_ZeRO-2_7B"], m["GB_ZeRO-3_7B"]) == pytest.approx(
        (112.0, 38.5, 26.25, 14.0))


def test_zero_paper_example_7_5b_on_64_gpus():
    m = outcome("ring-allreduce-zero", gpus=64, model_billion=7.5).metrics
    assert m["GB_DDP_7.5B"] == pytest.approx(120.0)
    assert round(m["GB_ZeRO-1_7.5B"], 1) == 31.4 and round(m["GB_ZeRO-2_7.5B"], 1) == 16.6
    assert round(m["GB_ZeRO-3_7.5B"], 1) == 1.9


def test_a_floor_shard_formula_is_caught(monkeypatch):
    monkeypatch.setattr(rz, "shard", lambda n, p: n // p)  # array_split gives rank 0 the ceiling
    out = outcome("ring-allreduce-zero", gpus=8, n_params=1001)
    assert not check_named(out, "rank-0 bytes").passed
    assert "NOT the formulas" in out.takeaway["en"]


def test_a_naive_all_to_all_exchange_is_caught(monkeypatch):
    def naive(vectors):  # every device sends its whole vector to every other one
        total = np.sum(vectors, axis=0)
        return [total.copy() for _ in vectors], [(len(vectors) - 1) * v.size for v in vectors]

    monkeypatch.setattr(rz, "ring_all_reduce", naive)
    out = outcome("ring-allreduce-zero", gpus=8)
    assert not check_named(out, "2·(p−1)/p").passed
    assert "NOT 2(p−1)/p" in out.takeaway["en"]


# activation-checkpointing ----------------------------------------------------------------------

def test_checkpointing_counts_by_hand():
    m = outcome("activation-checkpointing", layers=64, segment=8).metrics
    assert m["forwards_plain"] == 64 and m["forwards_checkpointed"] == 128
    assert m["compute_ratio"] == pytest.approx((1 + 2 + 1) / (1 + 2))
    assert m["stored_plain"] == 64 and m["stored_checkpointed"] == 8 + 7
    assert m["best_segment"] == 8 and m["grad_max_abs_diff"] < 1e-12


def test_checkpointing_uneven_segments():
    m = outcome("activation-checkpointing", layers=10, segment=3).metrics  # segments 3,3,3,1: 4 checkpoints
    assert m["stored_checkpointed"] == 4 + 2


def test_a_wrong_recompute_is_caught(monkeypatch):
    real = ac.recompute_segment
    monkeypatch.setattr(ac, "recompute_segment", lambda ws, a, b, x, forward: real(ws, a, b, x * 1.01, forward))
    out = outcome("activation-checkpointing")
    assert not check_named(out, "gradients equal").passed
    assert "differ" in out.takeaway["en"]


def test_a_wrong_peak_formula_is_caught(monkeypatch):
    monkeypatch.setattr(ac, "peak_formula", lambda n, k: math.ceil(n / k) + min(k, n))
    assert not check_named(outcome("activation-checkpointing"), "peak stored").passed


# attention-logit-growth ------------------------------------------------------------------------

def test_attention_logits_scale_with_c_squared_and_qk_norm_bounds_them():
    m = outcome("attention-logit-growth", weight_scale=4.0, d_head=64).metrics
    assert m["logit_growth_factor"] == pytest.approx(16.0, rel=1e-9)
    assert m["max_logit_qk_norm"] <= 8.0  # √64
    assert m["qk_norm_change_with_scale"] < 1e-9
    assert m["entropy_plain"] < m["entropy_c1"] < m["entropy_uniform"] == pytest.approx(math.log(64))
    assert m["entropy_qk_norm"] == pytest.approx(m["entropy_c1"], abs=0.1)
    assert m["ce_shift_change"] < 1e-9 and m["z_loss_final_gap"] < 1e-9


def test_no_scaling_means_no_collapse_and_the_takeaway_says_so():
    out = outcome("attention-logit-growth", weight_scale=1.0)
    assert out.metrics["entropy_plain"] == pytest.approx(out.metrics["entropy_c1"])
    assert "no collapse here" in out.takeaway["en"]


def test_a_broken_qk_norm_is_caught(monkeypatch):
    monkeypatch.setattr(alg, "rms_norm", lambda v: v)  # no normalisation at all
    out = outcome("attention-logit-growth", weight_scale=4.0)
    assert not check_named(out, "QK-norm").passed


def test_a_nonlinear_logit_is_caught(monkeypatch):
    real = alg.attention_logits
    monkeypatch.setattr(alg, "attention_logits", lambda x, wq, wk, qk: np.tanh(real(x, wq, wk, qk)))
    out = outcome("attention-logit-growth", weight_scale=4.0)
    assert not check_named(out, "c²").passed
    assert "NOT c²" in out.takeaway["en"]


# every parameter at its extremes -------------------------------------------------------------

def _extremes(demo_id):
    spec = SPECS[demo_id]
    sets = [{}]
    for p in spec.params:
        if p.low is not None:
            sets += [{p.name: p.low}, {p.name: p.high}]
    sets.append({p.name: p.low for p in spec.params if p.low is not None})
    sets.append({p.name: p.high for p in spec.params if p.high is not None})
    return [(demo_id, s) for s in sets]


@pytest.mark.parametrize("demo_id, params", [x for d in OURS for x in _extremes(d)],
                         ids=lambda v: str(v))
def test_extremes_run_cleanly(demo_id, params):
    data = registry.run(SPECS[demo_id], params).to_dict()  # run time is measured in benchmarks, not asserted here
    for key, value in data["metrics"].items():
        assert value is not None and math.isfinite(value), (key, value)
    for lang in ("zh", "en"):
        text = data["takeaway"][lang]
        assert "{" not in text and "}" not in text and "nan" not in text.lower().replace("nano", "")
