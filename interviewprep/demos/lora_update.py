"""LoRA on one linear layer: parameter count, fitting a low-rank target update, and the exact merge.

A frozen W (d_out×d_in) gets an adapter ΔW = (α/r)·B·A with B (d_out×r) = 0 and A (r×d_in) random at
the start, so the adapted layer first equals the base layer exactly. Alternating least squares on
‖(α/r)·BA − ΔW*‖² (solve for B with A fixed, then for A with B fixed, starting from B = 0) fits a
target update ΔW* of rank k whose singular values fall as 0.8ⁱ. By Eckart–Young the best rank-r fit leaves
√(σ²_{r+1} + … + σ²_k) of ΔW*'s singular values, which is 0 when r ≥ k. Merging W' = W + (α/r)·BA gives the
same outputs as the adapter path x·Wᵀ + (α/r)·(x·Aᵀ)·Bᵀ up to rounding. If the base is stored in 4 bits
(QLoRA-style, here plain per-row absmax INT4, not NF4), folding BA into it and re-quantizing is NOT exact.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def merge(w, a, b, alpha, r):
    """W' = W + (α/r)·B·A."""
    return w + (alpha / r) * (b @ a)


def adapter_forward(x, w, a, b, alpha, r):
    """Base path plus the low-rank path, never forming B·A."""
    return x @ w.T + (alpha / r) * ((x @ a.T) @ b.T)


def lora_params(d_in: int, d_out: int, r: int) -> int:
    """The adapter's size by formula, r·(d_in + d_out): what the takeaway quotes, checked against A and B."""
    return r * (d_in + d_out)


FIT_ROUNDS = 30


def fit_b(a, target, c):
    """argmin_B ‖c·B·A − T‖ (normal equations): c·B = T·Aᵀ·(A·Aᵀ)⁺."""
    return target @ a.T @ np.linalg.pinv(a @ a.T) / c


def fit_a(b, target, c):
    """argmin_A ‖c·B·A − T‖ (normal equations): c·A = (Bᵀ·B)⁺·Bᵀ·T."""
    return np.linalg.pinv(b.T @ b) @ b.T @ target / c


def quantize_int4(w):
    """Per-row absmax: 15 levels −7..7 times a per-row scale; returns the dequantized matrix."""
    s = np.max(np.abs(w), axis=1, keepdims=True) / 7
    s[s == 0] = 1.0
    return np.clip(np.round(w / s), -7, 7) * s


@demo(
    id="lora-update",
    title={"zh": "LoRA：参数量、低秩增量的拟合与精确合并",
           "en": "LoRA: parameter count, fitting a low-rank update, exact merge"},
    tags=["lora", "qlora", "peft", "low-rank", "fine-tuning", "adapter", "merge",
          "低秩适配", "参数高效微调", "微调", "低秩", "合并"],
    params=[
        Param("d_in", int, 64, 8, 256, help={"zh": "输入维度 d_in", "en": "input dimension d_in"}),
        Param("d_out", int, 48, 8, 256, help={"zh": "输出维度 d_out", "en": "output dimension d_out"}),
        Param("rank", int, 4, 1, 32, help={"zh": "LoRA 秩 r", "en": "LoRA rank r"}),
        Param("target_rank", int, 4, 1, 32, help={"zh": "目标增量 ΔW* 的秩 k", "en": "rank k of the target ΔW*"}),
        Param("alpha", float, 8.0, 0.5, 64.0, help={"zh": "缩放 α（增量乘 α/r）", "en": "scale α (update times α/r)"}),
    ],
)
def run(p, rng) -> Outcome:
    d_in, d_out, r, k, alpha = p["d_in"], p["d_out"], p["rank"], p["target_rank"], p["alpha"]
    k = min(k, d_in, d_out)
    w = rng.standard_normal((d_out, d_in)) / np.sqrt(d_in)
    # target update with singular values 0.8ⁱ: a constant gap, so the alternating fit converges fast
    u, _ = np.linalg.qr(rng.standard_normal((d_out, k)))
    v, _ = np.linalg.qr(rng.standard_normal((d_in, k)))
    sig = 0.8 ** np.arange(k)
    target = (u * sig) @ v.T
    best_residual = float(np.sqrt(np.sum(sig[r:] ** 2))) if r < k else 0.0

    a = rng.standard_normal((r, d_in)) / np.sqrt(d_in)
    b = np.zeros((d_out, r))
    x = rng.standard_normal((32, d_in))
    start_gap = float(np.max(np.abs(adapter_forward(x, w, a, b, alpha, r) - x @ w.T)))

    c = alpha / r
    losses = [float(np.linalg.norm(c * (b @ a) - target))]
    for _ in range(FIT_ROUNDS):
        b = fit_b(a, target, c)
        a = fit_a(b, target, c)
        losses.append(float(np.linalg.norm(c * (b @ a) - target)))
    residual = losses[-1]

    merged = merge(w, a, b, alpha, r)
    y_adapter = adapter_forward(x, w, a, b, alpha, r)
    y_merged = x @ merged.T
    ref = float(np.max(np.abs(y_adapter)))
    merge_err = float(np.max(np.abs(y_merged - y_adapter))) / ref
    wq = quantize_int4(w)
    y_q_adapter = adapter_forward(x, wq, a, b, alpha, r)
    y_q_merged = x @ quantize_int4(merge(wq, a, b, alpha, r)).T
    q_merge_err = float(np.max(np.abs(y_q_merged - y_q_adapter))) / ref

    n_lora = lora_params(d_in, d_out, r)
    n_full = d_in * d_out
    counted = a.size + b.size
    metrics = {
        "lora_params": n_lora, "full_params": n_full, "lora_share": n_lora / n_full,
        "counted_adapter_elements": counted,
        "output_change_at_init": start_gap,
        "fit_residual": residual, "eckart_young_residual": best_residual,
        "target_norm": float(np.linalg.norm(target)),
        "merge_rel_error": merge_err,
        "int4_requantized_merge_rel_error": q_merge_err,
        "lora_4096_r8": lora_params(4096, 4096, 8), "full_4096": 4096 * 4096,
    }
    fit_ok = abs(residual - best_residual) <= 0.01 * float(np.linalg.norm(target)) + 1e-6
    checks = [
        check("adapter arrays hold r·(d_in + d_out) numbers", counted == n_lora,  # the count the takeaway quotes
              f"{counted} counted in A and B vs lora_params {r}·({d_in}+{d_out}) = {n_lora}; full matrix {n_full}"),
        check("B = 0 at init: the adapted layer starts exactly at the base layer", start_gap == 0.0,
              f"max |change| at step 0 = {start_gap:g}"),
        check("alternating least squares reaches the Eckart–Young optimum √(Σ_{i>r} σᵢ²) (within 1% of ‖ΔW*‖)", fit_ok,
              f"residual {residual:.4f} vs best rank-{r} residual {best_residual:.4f} (target rank {k})"),
        check("merged W + (α/r)·BA gives the adapter path's outputs to rounding", merge_err < 1e-12,
              f"max relative difference {merge_err:.1e}"),
    ]
    fit_en = (f"fits it to residual {residual:.4f}, the best any rank-{r} matrix can do ({best_residual:.4f})"
              if fit_ok else f"stops at residual {residual:.4f}, above the rank-{r} optimum {best_residual:.4f}")
    fit_zh = (f"拟合残差 {residual:.4f}，等于秩 {r} 能达到的最优值 {best_residual:.4f}"
              if fit_ok else f"残差停在 {residual:.4f}，高于秩 {r} 的最优值 {best_residual:.4f}")
    merge_en = "identical up to rounding" if checks[3].passed else "NOT identical"
    merge_zh = "只差舍入误差" if checks[3].passed else "并不一致"
    takeaway = {
        "zh": (f"{d_out}×{d_in} 的层用秩 {r} 适配器：可训练参数 {n_lora}，是全量 {n_full} 的 {n_lora / n_full:.2%}"
               f"（4096×4096、r = 8 时为 {lora_params(4096, 4096, 8)}，"
               f"约 {lora_params(4096, 4096, 8) / 4096**2:.2%}）。"
               f"B = 0 初始化使起点输出变化为 "
               f"{start_gap:g}。对秩 {k} 的目标增量，{fit_zh}。合并 W + (α/r)·BA 后输出与适配器路径的相对差 "
               f"{merge_err:.1e}，{merge_zh}；但若底座是 4 位量化的，合并后再量化会带来 "
               f"{q_merge_err:.1e} 的相对误差。"),
        "en": (f"A rank-{r} adapter on a {d_out}×{d_in} layer trains {n_lora} numbers, {n_lora / n_full:.2%} of "
               f"{n_full} (for 4096×4096 with r = 8: {lora_params(4096, 4096, 8)}, about "
               f"{lora_params(4096, 4096, 8) / 4096**2:.2%}). With B = 0 the "
               f"output changes by {start_gap:g} at the start. Against a rank-{k} target update, the alternating fit "
               f"{fit_en}. Merging W + (α/r)·BA reproduces the adapter outputs to {merge_err:.1e} relative "
               f"({merge_en}); with a 4-bit base, merging and re-quantizing instead changes them by "
               f"{q_merge_err:.1e}."),
    }
    claim = {
        "zh": ("LoRA 只训练 r·(d_in + d_out) 个数而不是 d_in·d_out 个，r 远小于层的维度时这只是很小一部分；"
               "B = 0 让微调从底座模型原样出发；交替最小二乘能拟合到任何秩 r 矩阵的上限（Eckart–Young）；"
               "合并进 W 之后推理不再多花一点计算。"),
        "en": ("LoRA trains r·(d_in + d_out) numbers instead of d_in·d_out, a small share when r is much smaller than "
               "the layer; B = 0 makes fine-tuning start exactly at the base model; the fit is as good as any rank-r "
               "update can be (Eckart–Young); and once merged into W the adapter costs nothing extra at inference."),
    }
    rounds = np.arange(len(losses))
    series = {"‖(α/r)·BA − ΔW*‖ vs round": Series.of(rounds, losses),
              "Eckart–Young optimum": Series.of(rounds, np.full(len(rounds), best_residual))}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
