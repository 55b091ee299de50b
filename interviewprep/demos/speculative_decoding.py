"""Speculative sampling (Leviathan et al. 2023; Chen et al. 2023) on a small vocabulary.

A draft q proposes γ tokens; the target p checks them in one call. Token x is kept with probability
min(1, p(x)/q(x)); at the first rejection a replacement is drawn from the residual max(0, p − q)
(normalised) and the call ends; if all γ survive, one bonus token is drawn from p. Then every emitted
token is distributed exactly as p, the acceptance rate is α = Σ min(p, q) = 1 − TV(p, q), and with
i.i.d. acceptance a call emits (1 − α^(γ+1))/(1 − α) tokens on average. Here p and q do not depend on
the context (a toy), so the target's output is i.i.d. p and a chi-square test applies to all tokens.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.sampling_knobs import chi_square
from interviewprep.demos.spec import Param


def accept_prob(p, q, x):
    """Probability of keeping drafted token x: min(1, p(x)/q(x))."""
    return np.minimum(1.0, p[x] / q[x])


def residual(p, q):
    """Distribution to resample from after a rejection: max(0, p − q), normalised."""
    r = np.maximum(p - q, 0.0)
    total = r.sum()
    return r / total if total > 0 else p.copy()


def expected_tokens(alpha, gamma):
    """Mean tokens per target call with i.i.d. acceptance α: 1 + α + … + α^γ."""
    return gamma + 1.0 if alpha >= 1.0 - 1e-12 else (1 - alpha ** (gamma + 1)) / (1 - alpha)


def draw(prob, u):
    """Inverse-CDF draws from `prob` for uniforms u (any shape)."""
    cdf = np.cumsum(prob)
    return np.minimum(np.searchsorted(cdf, u * cdf[-1], side="right"), prob.size - 1)


def speculative_calls(p, q, gamma, calls, rng, resample=None):
    """Run `calls` independent target calls; returns (emitted tokens, tokens per call, accepted, evaluated)."""
    resample = resample or residual  # looked up at call time, so a test can swap the helper
    drafts = draw(q, rng.random((calls, gamma)))
    keep = rng.random((calls, gamma)) < accept_prob(p, q, drafts)
    first_reject = np.where(keep.all(axis=1), gamma, np.argmin(keep, axis=1))
    fix = np.where(first_reject < gamma, draw(resample(p, q), rng.random(calls)), draw(p, rng.random(calls)))
    pos = np.arange(gamma)[None, :]
    emitted = np.concatenate([drafts[pos < first_reject[:, None]], fix])
    evaluated = int(np.minimum(first_reject + 1, gamma).sum())
    return emitted, first_reject + 1, int(first_reject.sum()), evaluated


@demo(
    id="speculative-decoding",
    title={"zh": "投机解码：草稿模型提议、目标模型验证，输出分布不变",
           "en": "Speculative decoding: draft proposes, target verifies, output distribution unchanged"},
    tags=["speculative-decoding", "speculative-sampling", "draft-model", "acceptance-rate", "llm", "inference",
          "decoding", "投机解码", "推测解码", "草稿模型", "接受率", "推理加速"],
    params=[
        Param("vocab", int, 8, 2, 50, help={"zh": "词表大小", "en": "vocabulary size"}),
        Param("gamma", int, 4, 1, 10, help={"zh": "每次草稿的词元数 γ", "en": "tokens drafted per call γ"}),
        Param("draft_noise", float, 0.6, 0.0, 4.0,
              help={"zh": "草稿 logits 相对目标的扰动（0 表示草稿 = 目标）",
                    "en": "perturbation of the draft's logits (0: draft = target)"}),
        Param("calls", int, 20000, 2000, 50000, help={"zh": "目标模型调用次数", "en": "number of target calls"}),
        Param("draft_cost", float, 0.05, 0.0, 1.0,
              help={"zh": "草稿一步的耗时 / 目标一次调用的耗时 c（成本模型）",
                    "en": "time of one draft step / one target call, c (cost model)"}),
    ],
)
def run(prm, rng) -> Outcome:
    v, gamma, noise, calls, c = prm["vocab"], prm["gamma"], prm["draft_noise"], prm["calls"], prm["draft_cost"]
    zp = 1.5 * rng.standard_normal(v)
    zq = zp + noise * rng.standard_normal(v)
    p = np.exp(zp - zp.max())
    p /= p.sum()
    q = np.exp(zq - zq.max())
    q /= q.sum()
    alpha = float(np.minimum(p, q).sum())
    tv = 0.5 * float(np.abs(p - q).sum())

    emitted, per_call, accepted, evaluated = speculative_calls(p, q, gamma, calls, rng)
    counts = np.bincount(emitted, minlength=v).astype(float)
    stat, df, pval = chi_square(counts, p, emitted.size)
    alpha_meas = accepted / evaluated
    alpha_se = math.sqrt(max(alpha * (1 - alpha), 1e-12) / evaluated)
    mean_tokens = float(per_call.mean())
    tokens_se = float(per_call.std(ddof=1) / math.sqrt(calls)) if per_call.std() > 0 else 1e-12
    closed = expected_tokens(alpha, gamma)

    # the classic bug: on rejection resample from p instead of the residual
    bad, _, _, _ = speculative_calls(p, q, gamma, calls, rng, resample=lambda p_, q_: p_)
    bad_counts = np.bincount(bad, minlength=v).astype(float)
    _, _, bad_pval = chi_square(bad_counts, p, bad.size)
    bad_tv = 0.5 * float(np.abs(bad_counts / bad.size - p).sum())

    gammas = np.arange(1, 11)
    measured_curve = []
    for g in gammas:
        _, pc, _, _ = speculative_calls(p, q, int(g), 2000, rng)
        measured_curve.append(float(pc.mean()))
    closed_curve = np.array([expected_tokens(alpha, int(g)) for g in gammas])
    speedup = closed / (gamma * c + 1)
    speedups = closed_curve / (gammas * c + 1)
    best_gamma = int(gammas[int(np.argmax(speedups))])

    metrics = {
        "alpha_closed_form": alpha,
        "one_minus_tv": 1 - tv,
        "alpha_measured": alpha_meas,
        "tokens_per_call_measured": mean_tokens,
        "tokens_per_call_closed_form": closed,
        "chi2_vs_target": stat,
        "chi2_df": df,
        "chi2_p_value": pval,
        "emitted_tokens": int(emitted.size),
        "wrong_resample_chi2_p_value": bad_pval,
        "wrong_resample_tv_from_target": bad_tv,
        "speedup_cost_model": speedup,
        "best_gamma_cost_model": best_gamma,
    }
    checks = [
        check("emitted tokens follow the target p exactly (χ² p > 0.001)", pval > 0.001,
              f"χ² = {stat:.1f} on {df} df, p = {pval:.3g} over {emitted.size} tokens"),
        check("acceptance rate matches α = Σ min(p, q) = 1 − TV(p, q) (within 4 s.e.)",
              abs(alpha_meas - alpha) <= 4 * alpha_se + 1e-12 and abs(alpha - (1 - tv)) < 1e-12,
              f"{alpha_meas:.4f} over {evaluated} checks, closed form {alpha:.4f}, 1 − TV = {1 - tv:.4f}"),
        check("tokens per target call match (1 − α^(γ+1))/(1 − α) (within 4 s.e.)",
              abs(mean_tokens - closed) <= 4 * tokens_se + 1e-9,
              f"{mean_tokens:.3f} ± {tokens_se:.3f}, closed form {closed:.3f} for α = {alpha:.3f}, "
              f"γ = {gamma}"),
    ]
    ok = [ch.passed for ch in checks]
    dist_en = (f"follow p exactly (χ² p = {pval:.3g})" if ok[0]
               else f"do NOT follow p (χ² p = {pval:.3g}): the accept/resample rule is broken")
    dist_zh = (f"与目标分布 p 一致（χ² 的 p = {pval:.3g}）" if ok[0]
               else f"与 p 不一致（χ² 的 p = {pval:.3g}）：接受/重采样规则有错")
    tok_en = "as" if ok[2] else "NOT as"
    tok_zh = "一致" if ok[2] else "不一致"
    takeaway = {
        "zh": (f"{v} 个词，草稿扰动 {noise:g}：α = Σ min(p, q) = {alpha:.3f}（实测 {alpha_meas:.3f}），"
               f"γ = {gamma} 时每次目标调用平均产出 {mean_tokens:.2f} 个词元，与公式 "
               f"(1 − α^(γ+1))/(1 − α) = {closed:.2f} {tok_zh}。{emitted.size} 个输出词元{dist_zh}。"
               f"若拒绝后直接从 p 重采样而不是从残差 max(0, p − q) 重采样，输出与 p 的 TV 距离为 {bad_tv:.3f}"
               f"（χ² 的 p = {bad_pval:.3g}）。按成本模型（草稿一步 = {c:g} 次目标调用），加速比约 "
               f"{speedup:.2f}×，γ 取 1..10 中的 {best_gamma} 最好。"),
        "en": (f"{v} tokens, draft noise {noise:g}: α = Σ min(p, q) = {alpha:.3f} (measured {alpha_meas:.3f}); with "
               f"γ = {gamma} a target call emits {mean_tokens:.2f} tokens on average, {tok_en} predicted by "
               f"(1 − α^(γ+1))/(1 − α) = {closed:.2f}. The {emitted.size} emitted tokens {dist_en}. Resampling "
               f"from p instead of the residual max(0, p − q) after a rejection leaves the output at TV "
               f"{bad_tv:.3f} from p (χ² p = {bad_pval:.3g}). Under the cost model (a draft step costs {c:g} target "
               f"calls) the speed-up is about {speedup:.2f}×, and γ = {best_gamma} is best among 1..10."),
    }
    claim = {
        "zh": ("不管草稿模型好坏，投机采样的输出都严格服从目标分布 p，草稿只决定速度：草稿词元被接受的概率是 "
               "α = Σ min(p, q) = 1 − TV(p, q)，每次目标调用平均产出 (1 − α^(γ+1))/(1 − α) 个词元。"
               "拒绝后从残差 max(0, p − q) 重采样，正是输出保持精确的关键。"),
        "en": ("Whatever the draft, speculative sampling emits tokens distributed exactly as the target p; the draft "
               "only sets the speed: a drafted token survives with probability α = Σ min(p, q) = 1 − TV(p, q), and "
               "a target call emits (1 − α^(γ+1))/(1 − α) tokens on average. Resampling from the residual "
               "max(0, p − q) after a rejection is what keeps the output exact."),
    }
    series = {
        "tokens per target call vs γ (simulated)": Series.of(gammas, measured_curve),
        "tokens per target call vs γ (closed form)": Series.of(gammas, closed_curve),
    }
    table = {"columns": ["token", "p (target)", "q (draft)", "min(p, q)", "output frequency"],
             "rows": [[i, float(p[i]), float(q[i]), float(min(p[i], q[i])), float(counts[i] / emitted.size)]
                      for i in range(min(v, 12))]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
