"""InfoNCE and temperature: which negatives the gradient pays attention to.

For one anchor with positive similarity s⁺ and negative similarities sᵢ (cosines in [−1, 1]),
L = −log( e^(s⁺/τ) / (e^(s⁺/τ) + Σᵢ e^(sᵢ/τ)) ). Its gradient is ∂L/∂sᵢ = pᵢ/τ for a negative and
∂L/∂s⁺ = −(1 − p⁺)/τ, where p = softmax(s/τ) over the positive and all negatives. The negatives' share of
the gradient is pᵢ/(1 − p⁺) ∝ e^(sᵢ/τ): a low τ puts almost all of it on the few most similar (hardest)
negatives, a high τ spreads it evenly. At τ → ∞ the loss tends to log(N + 1), the chance level with N
negatives; in CLIP or SimCLR the negatives are the other items in the batch, so N grows with batch size.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

TAU_GRID = np.array([0.01, 0.02, 0.05, 0.07, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0])


def logsumexp(z):
    m = np.max(z)
    return float(m + np.log(np.sum(np.exp(z - m))))


def infonce(s_pos: float, s_neg, tau: float) -> float:
    z = np.concatenate([[s_pos], s_neg]) / tau
    return logsumexp(z) - s_pos / tau


def negative_weights(s_pos: float, s_neg, tau: float):
    """Analytic gradient ∂L/∂sᵢ = pᵢ/τ for each negative."""
    z = np.concatenate([[s_pos], s_neg]) / tau
    p = np.exp(z - z.max())
    p /= p.sum()
    return p[1:] / tau


def hard_share(s_pos, s_neg, tau, hard):
    w = negative_weights(s_pos, s_neg, tau)
    top = np.argsort(-s_neg)[:hard]
    return float(w[top].sum() / w.sum())


@demo(
    id="infonce-temperature",
    title={"zh": "InfoNCE 的温度：低温把梯度集中在最难的负样本上",
           "en": "InfoNCE temperature: a low τ focuses the gradient on the hardest negatives"},
    tags=["infonce", "contrastive", "clip", "simclr", "temperature", "hard-negatives", "batch-size",
          "对比学习", "温度", "难负样本", "负样本", "批大小"],
    params=[
        Param("tau", float, 0.07, 0.01, 5.0, help={"zh": "温度 τ", "en": "temperature τ"}),
        Param("negatives", int, 255, 8, 16383, help={"zh": "负样本数 N（批大小 − 1）",
                                                   "en": "number of negatives N (batch size − 1)"}),
        Param("hard", int, 5, 1, 50, help={"zh": "最难（最相似）的负样本个数",
                                          "en": "how many of the most similar negatives count as hard"}),
        Param("s_pos", float, 0.6, 0.0, 1.0, help={"zh": "正样本的余弦相似度 s⁺",
                                                    "en": "cosine similarity of the positive s⁺"}),
    ],
)
def run(p, rng) -> Outcome:
    tau, n, s_pos = p["tau"], p["negatives"], p["s_pos"]
    hard = min(p["hard"], n - 1)
    # negatives: most near 0 (unrelated items), a few placed just below the positive
    s_neg = np.clip(0.1 * rng.standard_normal(n), -1, 1)
    s_neg[:hard] = np.clip(s_pos - 0.1 - 0.2 * np.arange(hard) / hard, -1, 1)
    loss = infonce(s_pos, s_neg, tau)
    share = hard_share(s_pos, s_neg, tau, hard)
    uniform = hard / n
    # finite differences of the loss against the analytic weights
    w = negative_weights(s_pos, s_neg, tau)
    h, worst = 1e-6, 0.0
    for i in sorted({0, hard - 1, n - 1}):
        up, down = s_neg.copy(), s_neg.copy()
        up[i] += h
        down[i] -= h
        fd = (infonce(s_pos, up, tau) - infonce(s_pos, down, tau)) / (2 * h)
        worst = max(worst, abs(fd - w[i]) / w.max())  # relative to the largest weight: tiny ones underflow
    # tiny case with a closed form: all N negatives at similarity b → L = log(1 + N·e^((b − s⁺)/τ))
    b_sim = 0.2
    tiny = infonce(s_pos, np.full(n, b_sim), tau)
    tiny_closed = math.log1p(n * math.exp((b_sim - s_pos) / tau))
    shares = np.array([hard_share(s_pos, s_neg, t, hard) for t in TAU_GRID])
    losses = np.array([infonce(s_pos, s_neg, t) for t in TAU_GRID])
    chance = math.log(n + 1)
    hot = infonce(s_pos, s_neg, 1e4)
    monotone = bool(np.all(np.diff(shares) <= 1e-12))
    metrics = {
        "loss": loss,
        "hard_negative_gradient_share": share,
        "uniform_share": uniform,
        "concentration_vs_uniform": share / uniform,
        "loss_at_chance_log_N_plus_1": chance,
        "loss_at_tau_1e4": hot,
        "tiny_case_loss": tiny,
        "tiny_case_closed_form": tiny_closed,
        "grad_check_rel_error": worst,
        "share_at_tau_0.01": float(shares[0]),
        "share_at_tau_5": float(shares[-1]),
    }
    checks = [
        check("loss equals log(1 + N·e^((b − s⁺)/τ)) when all negatives sit at similarity b",
              abs(tiny - tiny_closed) <= 1e-9 * max(1.0, tiny_closed),
              f"N={n}, b={b_sim}, s⁺={s_pos:g}, τ={tau:g}: {tiny:.6g} vs closed form {tiny_closed:.6g}"),
        check("the gradient on each negative is pᵢ/τ (finite differences)", worst < 1e-4,
              f"largest difference {worst:.1e} of the largest weight, on negatives {sorted({0, hard - 1, n - 1})}"),
        check("the hard negatives' share of the gradient falls as τ rises", monotone,
              f"share of the {hard} hardest: {shares[0]:.3f} at τ=0.01 … {shares[-1]:.3f} at τ=5"),
        check("at very high τ the loss tends to log(N + 1)", abs(hot - chance) < 1e-3,
              f"τ=1e4: {hot:.5f} vs log({n + 1}) = {chance:.5f}"),
    ]
    table = {"columns": ["τ", "loss", f"gradient share of {hard} hardest negatives"],
             "rows": [[float(t), round(float(lo), 4), round(float(s), 4)]
                      for t, lo, s in zip(TAU_GRID, losses, shares)]}
    series = {f"gradient share of the {hard} hardest negatives vs log10 τ": Series.of(np.log10(TAU_GRID), shares)}
    mono_zh = "温度越低份额越大" if monotone else "但这次份额并非随温度单调变化"
    mono_en = "the lower τ, the larger that share" if monotone else "but here the share was not monotone in τ"
    warn_zh, warn_en = "", ""
    if abs(tiny - tiny_closed) > 1e-9 * max(1.0, tiny_closed):
        warn_zh += f"注意：全等负样本的小例子算出 {tiny:.4g}，闭式是 {tiny_closed:.4g}，损失实现有误。"
        warn_en += (f" Note: the all-equal tiny case gives {tiny:.4g} against the closed form {tiny_closed:.4g}; "
                    "the loss is wrong.")
    if worst >= 1e-4:
        warn_zh += f"注意：解析梯度权重与有限差分相差 {worst:.1e}（相对最大权重）。"
        warn_en += (f" Note: the analytic weights differ from finite differences by {worst:.1e} "
                    "of the largest weight.")
    takeaway = {
        "zh": (f"τ = {tau:g}、{n} 个负样本：损失 {loss:.3f}，"
               f"最相似（最难）的 {hard} 个负样本拿走 {share:.1%} 的负样本梯度，"
               f"是均匀分配（{uniform:.1%}）的 {share / uniform:.1f} 倍；"
               f"τ = 0.01 时 {shares[0]:.1%}，τ = 5 时 {shares[-1]:.1%}，{mono_zh}。"
               f"τ = 1e4 时损失为 {hot:.3f}，log(N+1) = {chance:.3f}。{warn_zh}"),
        "en": (f"τ = {tau:g}, {n} negatives: loss {loss:.3f}; the {hard} most similar (hardest) "
               f"negatives take {share:.1%} of the negatives' gradient, {share / uniform:.1f}× a uniform split "
               f"({uniform:.1%}). At τ = 0.01 the share is {shares[0]:.1%}, at τ = 5 it is {shares[-1]:.1%}: "
               f"{mono_en}. At τ = 1e4 the loss is {hot:.3f}, against log(N+1) = {chance:.3f}.{warn_en}"),
    }
    claim = {
        "zh": ("低温把负样本的梯度几乎全压在少数最相似（最难）的负样本上，高温则把它均匀摊开。"
               "温度很高时损失趋于 log(N+1)，即随机猜的水平；负样本越多（批越大）这个起点越高。"),
        "en": ("A low τ puts almost all of the negatives' gradient on the few most similar (hardest) negatives; a high "
               "τ spreads it evenly. At very high τ the loss tends to log(N+1), the chance level, which rises with the "
               "number of negatives (the batch size)."),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
