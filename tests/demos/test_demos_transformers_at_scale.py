"""transformers-at-scale demos: key numbers derived by hand here, each main check shown to fail on a
broken variant of the computation, and every parameter's extremes run cleanly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import kv_cache, registry, rope_relative, tiled_attention, transformer_flops
from interviewprep.errors import UsageError

SPECS = registry.load_all()
OURS = ["kv-cache", "tiled-attention", "rope-relative", "transformer-flops"]


def outcome(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed).outcome


def failed(out):
    return [c.name for c in out.checks if not c.passed]


def check_named(out, words):
    return next(c for c in out.checks if words in c.name)


# kv-cache --------------------------------------------------------------------------------------

def test_kv_cache_numbers_by_hand():
    m = outcome("kv-cache").metrics
    # toy: width 128, H = 32 heads of 4, G = 8 KV heads: K/V projections 128·32 each
    P = 128 * 128 + 2 * 128 * 32 + 128 * 128  # q, k, v, o projections of one token
    assert P == 40_960
    assert m["macs_last_step_cached"] == P + 2 * 32 * 4 * 48
    assert m["macs_last_step_recompute"] == P * 48 + 2 * 32 * 4 * 48 * 48
    assert m["macs_total_cached"] == sum(P + 256 * t for t in range(1, 49))
    assert m["toy_cache_bytes"] == 2 * 8 * 4 * 8 * 48  # K and V, 8 heads of 4, float64, 48 tokens
    # the 7B-like configuration of the card: 32 layers, 32 heads of 128, FP16
    assert m["bytes_per_token_mha"] == 524_288 and m["mib_per_token_mha"] == 0.5
    assert m["gib_at_context_mha"] == 2.0  # 4096 · 0.5 MiB
    assert m["bytes_per_token_gqa"] == 524_288 // 4
    assert m["bytes_per_token_mqa"] == 16_384
    assert m["bytes_per_token_mla"] == (512 + 64) * 32 * 2
    assert m["max_abs_err_cached_vs_full"] < 1e-12
    assert m["toy_mla_max_abs_err_absorbed_vs_explicit"] < 1e-12


def test_kv_cache_mla_and_long_context_links():
    mla = outcome("kv-cache", heads=128, kv_heads=8, d_head=128, mla_latent=512, mla_rope=64).metrics
    assert mla["mha_over_mla"] == pytest.approx(2 * 128 * 128 / 576)  # ≈ 56.9
    assert mla["bytes_per_token_gqa"] / mla["bytes_per_token_mla"] == pytest.approx(2048 / 576)
    long = outcome("kv-cache", context=131072).metrics
    assert long["gib_at_context_mha"] == 64.0 and long["gib_at_context_gqa"] == 16.0


def test_kv_cache_rejects_kv_heads_that_do_not_divide_heads():
    with pytest.raises(UsageError):
        outcome("kv-cache", heads=8, kv_heads=16)


def test_kv_cache_checks_fail_on_broken_variants(monkeypatch):
    real_attend = kv_cache.attend
    # a cache that forgets its causal offset: step t then sees only the first cached key
    monkeypatch.setattr(kv_cache, "attend", lambda q, k, v, g, c, causal_offset=0: real_attend(q, k, v, g, c))
    out = outcome("kv-cache")
    assert not check_named(out, "cached decoding equals").passed
    assert "check failed" in out.takeaway["en"] and "检查失败" in out.takeaway["zh"]
    monkeypatch.undo()

    real_matmul = kv_cache.matmul

    def double_count(a, b, counter):
        before = counter.macs
        out = real_matmul(a, b, counter)
        counter.macs += counter.macs - before
        return out

    monkeypatch.setattr(kv_cache, "matmul", double_count)
    out = outcome("kv-cache")
    assert not check_named(out, "with a cache, step t").passed
    assert not check_named(out, "without a cache").passed
    assert "do not follow the formulas" in out.takeaway["en"]
    monkeypatch.undo()

    monkeypatch.setattr(kv_cache, "cache_bytes_per_token", lambda L, g, dh, b: L * g * dh * b)  # forgot K+V
    assert not check_named(outcome("kv-cache"), "toy cache holds").passed
    monkeypatch.undo()

    real_absorbed = kv_cache.mla_absorbed
    monkeypatch.setattr(kv_cache, "mla_absorbed", lambda x, c, W, h: real_absorbed(x, c, {**W, "uk": 2 * W["uk"]}, h))
    out = outcome("kv-cache")
    assert not check_named(out, "MLA").passed and "check failed" in out.takeaway["en"]


# tiled-attention -------------------------------------------------------------------------------

def test_tiled_attention_numbers_by_hand():
    m = outcome("tiled-attention").metrics
    assert m["largest_intermediate_tiled"] == 512 * 64
    assert m["largest_intermediate_naive"] == 512 * 512
    assert m["macs_tiled"] == m["macs_naive"] == 2 * 512 * 512 * 64
    assert m["key_blocks"] == 8
    assert m["causal_scores_full"] == 512 * 513 // 2
    assert m["causal_scores_window"] == 128 * 129 // 2 + (512 - 128) * 128  # ramp, then w per row
    assert m["max_abs_err_tiled_vs_naive"] < 1e-12
    assert m["max_abs_err_sliding_window_vs_full"] > 0.1


def test_tiled_attention_block_at_least_n_saves_nothing_and_says_so():
    out = outcome("tiled-attention", n=64, block=128)
    assert out.metrics["largest_intermediate_tiled"] == 64 * 64
    assert "no saving" in out.takeaway["en"] and "没有节省" in out.takeaway["zh"]
    full_window = outcome("tiled-attention", n=64, window=64)
    assert full_window.metrics["max_abs_err_sliding_window_vs_full"] < 1e-12
    assert "covers every key" in full_window.takeaway["en"]


def test_tiled_attention_checks_fail_on_broken_variants(monkeypatch):
    def no_rescale(m, ell, acc, s, v_block):  # forgets e^(m − m′) on the old partial sums
        m_new = np.maximum(m, s.max(axis=1))
        p = np.exp(s - m_new[:, None])
        return m_new, ell + p.sum(axis=1), acc + p @ v_block

    monkeypatch.setattr(tiled_attention, "online_update", no_rescale)
    out = outcome("tiled-attention", logit_scale=5.0)
    assert not check_named(out, "equals naive").passed
    assert "check failed" in out.takeaway["en"] and "检查失败" in out.takeaway["zh"]
    monkeypatch.undo()

    real_tiled = tiled_attention.tiled_attention
    monkeypatch.setattr(tiled_attention, "tiled_attention",
                        lambda q, k, v, b, trace=None: real_tiled(q, k, v, q.shape[0], trace))
    assert not check_named(outcome("tiled-attention"), "largest intermediate").passed
    monkeypatch.undo()

    def half_macs(q, k, v, b, trace=None):
        out, largest, macs = real_tiled(q, k, v, b, trace)
        return out, largest, macs // 2

    monkeypatch.setattr(tiled_attention, "tiled_attention", half_macs)
    out = outcome("tiled-attention")
    assert not check_named(out, "multiply-adds").passed and "check failed" in out.takeaway["en"]
    monkeypatch.undo()

    real_naive = tiled_attention.naive_attention
    monkeypatch.setattr(tiled_attention, "naive_attention", lambda q, k, v, window=None: real_naive(q, k, v))
    assert not check_named(outcome("tiled-attention"), "sliding-window").passed


# rope-relative ---------------------------------------------------------------------------------

def test_rope_numbers_by_hand():
    m = outcome("rope-relative").metrics
    theta = [10000 ** (-2 * i / 64) for i in range(32)]
    assert m["extension_factor"] == 4.0
    assert m["pairs_beyond_trained_extrapolation"] == 32
    assert m["pairs_beyond_trained_interpolation"] == 0
    assert m["pairs_without_full_turn_in_training"] == sum(2047 * t < 2 * math.pi for t in theta) == 11
    assert m["max_trained_angle_slowest_pair"] == pytest.approx(2047 * theta[-1])
    assert m["max_interpolated_angle_slowest_pair"] == pytest.approx(8191 / 4 * theta[-1])
    assert m["ntk_slowest_freq_ratio"] == pytest.approx(0.25)
    assert m["ntk_fastest_freq_ratio"] == pytest.approx(1.0)
    assert m["max_dev_across_positions"] < 1e-9


def test_rope_checks_fail_on_broken_variants(monkeypatch):
    real_rotate = rope_relative.rotate
    monkeypatch.setattr(rope_relative, "rotate", lambda x, pos, theta: (1 + 1e-3 * pos) * real_rotate(x, pos, theta))
    out = outcome("rope-relative")
    assert not check_named(out, "same at every absolute position").passed
    assert "check failed" in out.takeaway["en"] and "检查失败" in out.takeaway["zh"]
    monkeypatch.undo()

    monkeypatch.setattr(rope_relative, "pi_scale", lambda L, Lt: 1.0)  # "interpolation" that does nothing
    out = outcome("rope-relative")
    assert not check_named(out, "position interpolation").passed and "Check failed: position" in out.takeaway["en"]
    monkeypatch.undo()

    monkeypatch.setattr(rope_relative, "ntk_base", lambda base, s, d: base * s)  # wrong exponent
    assert not check_named(outcome("rope-relative"), "NTK").passed


def test_rope_without_extension_says_so():
    out = outcome("rope-relative", train_len=4096, target_len=4096)
    assert out.metrics["pairs_beyond_trained_extrapolation"] == 0
    assert "no extension" in out.takeaway["en"]


# transformer-flops -----------------------------------------------------------------------------

def test_transformer_flops_numbers_by_hand():
    m = outcome("transformer-flops").metrics  # d = 64, L = 2, 4 heads, n_ctx = 128, GELU 4d
    assert m["params_counted"] == 2 * (4 * 64**2 + 2 * 64 * 256 + 2 * 64) == 98_560
    assert m["twelve_L_d2"] == 12 * 2 * 64**2 == 98_304
    assert m["weight_flops_per_token"] == 2 * 98_304
    # causal: row t sees t + 1 keys; q·k and weights·V each cost 2·d per key, per layer
    assert m["attention_flops_per_token"] == sum(4 * 64 * (t + 1) for t in range(128)) * 2 / 128
    assert m["attention_flops_per_token"] == 2 * 2 * 64 * 129
    sw = outcome("transformer-flops", ffn="swiglu").metrics
    assert sw["ffn_hidden"] == 170  # ⌊8·64/3⌋
    assert sw["params_ffn"] == 2 * 3 * 64 * 170


def test_transformer_flops_checks_fail_on_broken_variants(monkeypatch):
    monkeypatch.setattr(transformer_flops, "swiglu_hidden", lambda d: 4 * d)  # SwiGLU kept at 4d: 12d² FFN
    out = outcome("transformer-flops", ffn="swiglu")
    assert not check_named(out, "12·L·d²").passed and "Check failed: the weight matrices" in out.takeaway["en"]
    monkeypatch.undo()

    def dense_count(q, k, v, flops):  # counts the masked half too
        out = np.zeros_like(q)
        flops.attention += 4 * q.shape[0] * q.shape[1] ** 2 * q.shape[2]
        return out

    monkeypatch.setattr(transformer_flops, "causal_attention", dense_count)
    assert not check_named(outcome("transformer-flops"), "causal attention adds").passed
    monkeypatch.undo()

    real_matmul = transformer_flops.matmul

    def one_flop_per_mac(a, b, flops, kind="weights"):
        before = getattr(flops, kind)
        out = real_matmul(a, b, flops, kind)
        setattr(flops, kind, before + (getattr(flops, kind) - before) // 2)
        return out

    monkeypatch.setattr(transformer_flops, "matmul", one_flop_per_mac)
    assert not check_named(outcome("transformer-flops"), "2 FLOPs per matrix parameter").passed
    monkeypatch.undo()

    real_layer = transformer_flops.make_layer
    monkeypatch.setattr(transformer_flops, "make_layer",
                        lambda d, ffn, rng: {**real_layer(d, ffn, rng), "bias": np.zeros(4 * d)})
    assert not check_named(outcome("transformer-flops"), "parameters counted").passed


def test_transformer_flops_rejects_width_not_divisible_by_heads():
    with pytest.raises(UsageError):
        outcome("transformer-flops", d_model=10, heads=4)


# every parameter at its extremes ---------------------------------------------------------------

def _extremes(spec):
    for p in spec.params:
        values = list(p.choices) if p.choices else [p.low, p.high]
        for v in (values[0], values[-1]):
            yield p.name, v


@pytest.mark.parametrize("demo_id, name, value",
                         [(d, n, v) for d in OURS for n, v in _extremes(SPECS[d])])
def test_parameter_extremes_run_cleanly(demo_id, name, value):
    params = {name: value}
    if demo_id == "kv-cache" and name == "heads":
        params["kv_heads"] = 1  # any H: G = 1 divides it
    if demo_id == "kv-cache" and name == "kv_heads":
        params["heads"] = 128  # any G: it divides H = 128
    if demo_id == "transformer-flops" and name == "d_model":
        params["heads"] = 1
    data = registry.run(SPECS[demo_id], params).to_dict()
    assert all(v is not None and math.isfinite(v) for v in data["metrics"].values()), data["metrics"]
    for lang in ("zh", "en"):
        assert "{" not in data["takeaway"][lang] and "nan" not in data["takeaway"][lang]
    for series in data["series"].values():
        assert all(v is not None for v in series["y"])
