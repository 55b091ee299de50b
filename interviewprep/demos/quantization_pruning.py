"""Model compression on one linear layer: affine INT8 quantization and magnitude pruning.

Affine quantization maps a float range [min, max] onto integers [q_min, q_max] with
scale = (max − min)/(q_max − q_min) and zero-point z = round(q_min − min/scale):
q = clip(round(w/scale) + z), ŵ = (q − z)·scale, so every in-range weight is off by at most scale/2.
Per-channel quantization uses one scale per output row. Magnitude pruning zeroes the smallest |w|.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def quantize(w, bits, axis=None):
    """Affine (asymmetric) quantize/dequantize; axis=1 gives one scale per row. Returns ŵ, scale, zero-point."""
    qmin, qmax = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    lo = np.minimum(w.min(axis=axis, keepdims=axis is not None), 0.0)  # the range must contain 0
    hi = np.maximum(w.max(axis=axis, keepdims=axis is not None), 0.0)
    scale = (hi - lo) / (qmax - qmin)
    zero = np.clip(np.round(qmin - lo / scale), qmin, qmax)
    q = np.clip(np.round(w / scale) + zero, qmin, qmax)
    return (q - zero) * scale, scale, zero


def prune(w, sparsity, rng=None):
    """Zero a `sparsity` fraction of weights: the smallest in magnitude, or random ones if rng is given."""
    k = int(round(sparsity * w.size))
    flat = w.ravel().copy()
    drop = rng.permutation(w.size)[:k] if rng is not None else np.argsort(np.abs(flat))[:k]
    flat[drop] = 0.0
    return flat.reshape(w.shape)


def rel_err(y_hat, y):
    return float(np.linalg.norm(y_hat - y) / np.linalg.norm(y))


@demo(
    id="quantization-pruning",
    title={"zh": "模型压缩：INT8 量化与剪枝的误差", "en": "Model compression: INT8 quantization and pruning error"},
    tags=["quantization", "int8", "pruning", "sparsity", "compression", "deployment", "zero-point",
          "量化", "剪枝", "稀疏", "模型压缩", "部署", "零点"],
    params=[
        Param("bits", int, 8, 2, 16, help={"zh": "量化位数", "en": "quantization bit width"}),
        Param("sparsity", float, 0.9, 0.05, 0.99, help={"zh": "与 50% 对比的剪枝比例",
                                                        "en": "pruning sparsity compared with 50%"}),
        Param("fan_in", int, 256, 16, 1024, help={"zh": "线性层输入维度", "en": "linear layer input size"}),
    ],
)
def run(p, rng) -> Outcome:
    bits, fan_in = p["bits"], p["fan_in"]
    out = 64
    # rows with different scales (as in trained layers) make per-channel quantization matter
    row_scale = np.exp(rng.normal(scale=0.5, size=(out, 1)))
    w = rng.standard_normal((out, fan_in)) * row_scale / np.sqrt(fan_in)
    x = rng.standard_normal((128, fan_in))
    y = x @ w.T

    w_q, scale, zero = quantize(w, bits)
    w_qc, _, _ = quantize(w, bits, axis=1)
    max_err = float(np.max(np.abs(w_q - w)))
    rms_err = float(np.sqrt(np.mean((w_q - w) ** 2)))
    rms_theory = float(scale / np.sqrt(12))  # uniform rounding error
    err_tensor, err_channel = rel_err(x @ w_q.T, y), rel_err(x @ w_qc.T, y)

    sparsities = [0.5, p["sparsity"]]
    prune_rows = []
    for s in sparsities:
        mag = rel_err(x @ prune(w, s).T, y)
        rnd = rel_err(x @ prune(w, s, rng).T, y)
        prune_rows.append((s, mag, rnd))
    sweep = np.linspace(0.0, 0.95, 11)
    sweep_err = [rel_err(x @ prune(w, s).T, y) for s in sweep]

    metrics = {
        "scale": float(scale), "zero_point": int(zero),
        "max_abs_weight_error": max_err, "half_scale": float(scale) / 2,
        "rms_weight_error": rms_err, "rms_error_theory_scale_over_sqrt12": rms_theory,
        "output_rel_error_per_tensor": err_tensor, "output_rel_error_per_channel": err_channel,
        "output_rel_error_prune_50": prune_rows[0][1], "output_rel_error_random_50": prune_rows[0][2],
        "output_rel_error_prune_s": prune_rows[1][1], "output_rel_error_random_s": prune_rows[1][2],
        "compression_vs_fp32": 32 / bits,
    }
    checks = [
        check("every weight is within scale/2 of its quantized value", max_err <= scale / 2 * (1 + 1e-9),
              f"max |w − ŵ| = {max_err:.3e} ≤ scale/2 = {scale / 2:.3e}"),
        check("rounding error behaves like uniform noise: rms ≈ scale/√12 (±15%)", abs(rms_err / rms_theory - 1) < 0.15,
              f"rms {rms_err:.3e} vs {rms_theory:.3e}"),
        check("per-channel scales beat one per-tensor scale", err_channel < err_tensor,
              f"output error {err_channel:.2e} vs {err_tensor:.2e}"),
        check("magnitude pruning hurts less than random pruning at both sparsities",
              all(mag < rnd for _, mag, rnd in prune_rows),
              "; ".join(f"{s:.0%}: {mag:.3f} vs {rnd:.3f}" for s, mag, rnd in prune_rows)),
    ]
    table = {"columns": ["method", "weight bits / kept", "relative output error"],
             "rows": [[f"INT{bits} per-tensor", f"{bits} bit", err_tensor],
                      [f"INT{bits} per-channel", f"{bits} bit", err_channel],
                      *[[f"magnitude prune {s:.0%}", f"{1 - s:.0%} kept", mag] for s, mag, _ in prune_rows],
                      *[[f"random prune {s:.0%}", f"{1 - s:.0%} kept", rnd] for s, _, rnd in prune_rows]]}
    (s1, m1, r1), (s2, m2, r2) = prune_rows
    takeaway = {
        "zh": (f"INT{bits} 仿射量化（scale={scale:.2e}，零点 {int(zero)}）的最大权重误差为 {max_err:.2e}"
               f"（scale/2 = {scale / 2:.2e}），均方根误差 {rms_err:.2e}（scale/√12 = {rms_theory:.2e}），"
               f"线性层输出相对误差 {err_tensor:.2%}（逐通道 {err_channel:.2%}），存储缩小 {32 / bits:g} 倍。"
               f"按幅值剪掉 {s1:.0%} 权重输出误差 {m1:.1%}，剪掉 {s2:.0%} 为 {m2:.1%}；"
               f"随机剪同样多是 {r1:.1%} 和 {r2:.1%}。"),
        "en": (f"INT{bits} affine quantization (scale {scale:.2e}, zero-point {int(zero)}) moves a weight by at most "
               f"{max_err:.2e} (scale/2 = {scale / 2:.2e}), rms {rms_err:.2e} (scale/√12 = {rms_theory:.2e}); the "
               f"layer's output moves by {err_tensor:.2%} ({err_channel:.2%} per-channel) for {32 / bits:g}× less "
               f"memory. Magnitude pruning of {s1:.0%} / {s2:.0%} of weights costs {m1:.1%} / {m2:.1%} output error, "
               f"random pruning {r1:.1%} / {r2:.1%}."),
    }
    claim = {
        "zh": ("量化把每个权重的误差控制在 scale/2 以内，舍入误差就像均匀噪声；各行尺度不同时，逐通道 scale 比整张量"
               "一个 scale 更准；按幅值剪枝比随机剪枝伤害小，因为小权重本来贡献就小。剪枝后通常需要微调来恢复精度。"),
        "en": ("Quantization keeps every weight within scale/2 and its rounding error acts like uniform noise; with "
               "rows of different size, one scale per channel beats one per tensor; and magnitude pruning hurts less "
               "than random pruning, since small weights contribute least. Pruned nets are usually fine-tuned."),
    }
    series = {"magnitude-pruning output error vs sparsity": Series.of(sweep, sweep_err)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
