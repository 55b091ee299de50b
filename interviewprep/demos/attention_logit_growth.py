"""Why large-scale training adds QK-norm and z-loss: attention logits grow with the square of the weight scale.

Attention logits are q·k/√d with q = x·W_q and k = x·W_k, so multiplying both weight matrices by c
multiplies every logit by exactly c²; as the weights grow during training the softmax turns one-hot
(attention entropy collapses towards 0) and its gradients vanish or spike. QK-norm RMS-normalises q and
k per head (gain 1 here): each then has norm √d, so |logit| ≤ d/√d = √d whatever c is. For the output
softmax, cross-entropy ignores a common shift s of the logits (CE(z + s) = CE(z)) while log Z moves by s,
so nothing stops log Z from drifting; the z-loss λ·(log Z)² pins it, and gradient descent on the shift
lands at s* = −log Z.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def rms_norm(v):
    """v scaled so each row has root-mean-square 1 (norm √d), gain 1."""
    return v / np.sqrt(np.mean(v * v, axis=-1, keepdims=True))


def attention_logits(x, wq, wk, qk_norm: bool):
    q, k = x @ wq, x @ wk
    if qk_norm:
        q, k = rms_norm(q), rms_norm(k)
    return q @ k.T / math.sqrt(x.shape[1])


def mean_entropy(logits):
    p = F.softmax(logits, axis=-1)
    return float(np.mean(-np.sum(p * np.log(np.clip(p, 1e-300, None)), axis=-1)))


def logsumexp(z):
    m = np.max(z, axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[..., 0]


@demo(
    id="attention-logit-growth",
    title={"zh": "注意力 logit 随权重平方增长：QK-norm 与 z-loss",
           "en": "Attention logits grow with the weight scale squared: QK-norm and z-loss"},
    tags=["qk-norm", "z-loss", "training instability", "loss spike", "attention entropy", "logit growth",
          "训练不稳定", "损失尖峰", "注意力熵", "归一化"],
    params=[
        Param("weight_scale", float, 4.0, 1.0, 10.0,
              help={"zh": "W_q、W_k 放大的倍数 c", "en": "factor c applied to W_q and W_k"}),
        Param("d_head", int, 64, 8, 128, help={"zh": "每个头的维度 d", "en": "head dimension d"}),
        Param("seq", int, 64, 4, 256, help={"zh": "序列长度", "en": "sequence length"}),
        Param("z_loss", float, 1e-4, 1e-5, 1e-2, help={"zh": "z-loss 系数 λ", "en": "z-loss coefficient λ"}),
    ],
)
def run(p, rng) -> Outcome:
    c, d, n, lam = p["weight_scale"], p["d_head"], p["seq"], p["z_loss"]
    x = rng.standard_normal((n, d))
    wq = rng.standard_normal((d, d)) / math.sqrt(d)
    wk = rng.standard_normal((d, d)) / math.sqrt(d)
    base = attention_logits(x, wq, wk, False)
    grown = attention_logits(x, c * wq, c * wk, False)
    growth = float(np.max(np.abs(grown)) / np.max(np.abs(base)))
    c2_gap = float(np.max(np.abs(grown - c * c * base)) / np.max(np.abs(grown)))
    normed_1 = attention_logits(x, wq, wk, True)
    normed_c = attention_logits(x, c * wq, c * wk, True)
    normed_max = float(np.max(np.abs(normed_c)))
    normed_shift = float(np.max(np.abs(normed_c - normed_1)))
    h_base, h_grown, h_normed = mean_entropy(base), mean_entropy(grown), mean_entropy(normed_c)
    h_uniform = math.log(n)

    # output softmax: CE is blind to a common shift; z-loss gradient descent on the shift finds −log Z
    vocab = 50
    z = rng.standard_normal((32, vocab)) * 2 + 5.0
    target = rng.integers(0, vocab, 32)
    ce0 = float(F.cross_entropy(z, target))
    ce_shift = float(F.cross_entropy(z + 7.0, target))
    log_z = logsumexp(z)
    s = np.zeros(len(z))
    lr = 0.25 / lam  # the z-loss gradient in s is 2λ(log Z + s): this step halves the gap each iteration
    for _ in range(60):  # λ·(log Σ e^(z+s))² differentiated in s, its log Z re-measured on the shifted logits
        s = s - lr * 2 * lam * logsumexp(z + s[:, None])
    zl_gap = float(np.max(np.abs(s + log_z)))

    metrics = {
        "logit_growth_factor": growth, "c_squared": c * c, "c_squared_rel_gap": c2_gap,
        "max_logit_plain": float(np.max(np.abs(grown))), "max_logit_qk_norm": normed_max,
        "qk_norm_bound_sqrt_d": math.sqrt(d), "qk_norm_change_with_scale": normed_shift,
        "entropy_c1": h_base, "entropy_plain": h_grown, "entropy_qk_norm": h_normed, "entropy_uniform": h_uniform,
        "ce_shift_change": abs(ce_shift - ce0), "mean_log_Z": float(np.mean(log_z)),
        "z_loss_final_gap": zl_gap,
    }
    checks = [
        check("scaling W_q and W_k by c scales every attention logit by c²", c2_gap < 1e-9,
              f"max-logit ratio {growth:.6f} vs c² = {c * c:g}; max |z_c − c²·z_1| / max |z_c| = {c2_gap:.1e}"),
        check("with QK-norm |logit| ≤ √d and the logits do not depend on c",
              normed_max <= math.sqrt(d) + 1e-12 and normed_shift < 1e-9,
              f"max |logit| {normed_max:.3f} ≤ √{d} = {math.sqrt(d):.3f}; change vs c = 1: {normed_shift:.1e}"),
        check("cross-entropy ignores a common logit shift; z-loss descent drives the shift to −log Z",
              abs(ce_shift - ce0) < 1e-9 and zl_gap < 1e-9,
              f"CE change {abs(ce_shift - ce0):.1e} for shift 7; |s + log Z| = {zl_gap:.1e} after 60 steps"),
    ]
    collapse = h_grown < h_base
    trend_en = (f"attention entropy falls from {h_base:.2f} to {h_grown:.2f} nats (uniform {h_uniform:.2f})"
                if collapse else f"attention entropy is {h_grown:.2f} vs {h_base:.2f} nats at c = 1 (no collapse here)")
    trend_zh = (f"注意力熵从 {h_base:.2f} 降到 {h_grown:.2f} 奈特（均匀分布为 {h_uniform:.2f}）"
                if collapse else f"注意力熵为 {h_grown:.2f}，c = 1 时为 {h_base:.2f}（这里没有塌缩）")
    ok = checks[0].passed
    bound_ok = normed_max <= math.sqrt(d) + 1e-12
    bound_en = "within" if bound_ok else "above"
    bound_zh = "不超过" if bound_ok else "超过了"
    if zl_gap < 1e-9:
        zl_en = f"the z-loss (λ = {lam:g}) drives the shift to −log Z, leaving {zl_gap:.0e}"
        zl_zh = f"z-loss（λ = {lam:g}）把平移推到 −log Z，剩余 {zl_gap:.0e}"
    else:
        zl_en = f"after 60 z-loss steps (λ = {lam:g}) the shift is still {zl_gap:.2g} from −log Z"
        zl_zh = f"z-loss（λ = {lam:g}）走了 60 步，平移离 −log Z 仍差 {zl_gap:.2g}"
    takeaway = {
        "zh": (f"把 W_q、W_k 放大 {c:g} 倍，最大注意力 logit 放大 {growth:.2f} 倍"
               + (f"（= c² = {c * c:g}）" if ok else f"（不等于 c² = {c * c:g}）")
               + f"，{trend_zh}。加 QK-norm 后最大 |logit| 为 {normed_max:.2f}，{bound_zh} √d = {math.sqrt(d):.2f}，"
               f"熵保持 {h_normed:.2f}。输出层：logits 整体平移 7，交叉熵变化 {abs(ce_shift - ce0):.0e}，"
               f"而 log Z（平均 {np.mean(log_z):.2f}）随之漂移；{zl_zh}。"),
        "en": (f"Scaling W_q and W_k by {c:g} scales the largest attention logit by {growth:.2f}"
               + (f" (= c² = {c * c:g})" if ok else f" (NOT c² = {c * c:g})")
               + f", and {trend_en}. With QK-norm the largest |logit| is {normed_max:.2f}, {bound_en} √d = "
               f"{math.sqrt(d):.2f}, and entropy stays {h_normed:.2f}. Output layer: shifting all logits by 7 "
               f"changes cross-entropy by {abs(ce_shift - ce0):.0e} while log Z (mean {np.mean(log_z):.2f}) drifts "
               f"with it; {zl_en}."),
    }
    claim = {
        "zh": ("注意力 logit 随权重尺度的平方增长，所以训练中权重一变大，注意力就越来越尖；"
               "QK-norm 不管尺度多大都把它限制在 √d 以内。"
               "交叉熵看不见输出 logits 的整体平移，只有 z-loss 能把 log Z 钉住、不让它漂移。"),
        "en": ("Attention logits grow with the square of the weight scale, which is how growing weights sharpen "
               "attention during training; QK-norm bounds them by √d at any scale. Cross-entropy cannot see a common "
               "shift of the output logits, so only a z-loss keeps log Z from drifting."),
    }
    cs = np.linspace(1.0, 10.0, 10)
    series = {
        "attention entropy (nats) vs weight scale, plain": Series.of(
            cs, [mean_entropy(attention_logits(x, k * wq, k * wk, False)) for k in cs]),
        "attention entropy (nats) vs weight scale, QK-norm": Series.of(
            cs, [mean_entropy(attention_logits(x, k * wq, k * wk, True)) for k in cs]),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
