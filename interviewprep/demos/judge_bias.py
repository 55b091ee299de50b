"""Pairwise win rates from a biased LLM judge: position bias, length bias, and the error bar of a win rate.

Model A truly beats model B with probability w. Position: with probability b the judge ignores content
and picks whichever response is shown first, otherwise it judges correctly, so A wins b + (1 − b)·w when
shown first and (1 − b)·w when shown second. Swapping and averaging gives 0.5 + (1 − b)·(w − 0.5): the
tilt is gone but the estimate is pulled toward 50%. Comparing a model with itself (identical responses)
reveals b: the first slot wins 0.5 + b/2, and w = 0.5 + (average − 0.5)/(1 − b) undoes the shrinkage.
Length: the judge adds λ·Δ to the log-odds, Δ = length difference; if A is longer on average, the raw win
rate E[σ(logit w + λΔ)] exceeds w, and a logistic regression of verdicts on Δ with an intercept recovers
σ(intercept) ≈ w (the idea behind length-controlled win rates). The standard error of a win rate from n
comparisons is √(w(1 − w)/n).
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

REPEATS = 2000


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def judge_first_slot_wins(rng, n, w_first, b):
    """Verdicts 'the response in the first slot wins' when it truly wins with probability w_first."""
    biased = rng.random(n) < b
    honest = rng.random(n) < w_first
    return np.where(biased, True, honest)


def length_differences(rng, gap: float, n: int) -> np.ndarray:
    """Δ = length(A) − length(B) per comparison, N(gap, 1): the distribution the quadrature integrates over."""
    return rng.normal(gap, 1.0, size=n)


def corrected_win_rate(avg: float, b_hat: float) -> float:
    """Undo the shrinkage of the swap-averaged win rate: 0.5 + (avg − 0.5)/(1 − b)."""
    return 0.5 + (avg - 0.5) / (1 - b_hat)


def fit_intercept_and_slope(delta, y, iters=50):
    """Logistic regression y ~ σ(a + c·Δ) by Newton's method; returns (a, c) and the covariance."""
    x = np.column_stack([np.ones_like(delta), delta])
    beta = np.zeros(2)
    for _ in range(iters):
        p = sigmoid(x @ beta)
        hess = (x * (p * (1 - p))[:, None]).T @ x
        step = np.linalg.solve(hess, x.T @ (y - p))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    p = sigmoid(x @ beta)
    cov = np.linalg.inv((x * (p * (1 - p))[:, None]).T @ x)
    return beta, cov


@demo(
    id="judge-bias",
    title={"zh": "LLM 评审的胜率：位置偏差、长度偏差与胜率的误差线",
           "en": "LLM-judge win rates: position bias, length bias and the error bar of a win rate"},
    tags=["llm judge", "llm-as-a-judge", "win rate", "position bias", "length bias", "evaluation",
          "length-controlled", "评审", "胜率", "位置偏差", "长度偏差", "评测"],
    params=[
        Param("true_win", float, 0.6, 0.2, 0.8,
              help={"zh": "A 真正胜过 B 的概率 w", "en": "true probability w that A beats B"}),
        Param("position_bias", float, 0.2, 0.0, 0.6,
              help={"zh": "评审不看内容、直接选第一个位置的概率 b",
                    "en": "probability b that the judge ignores content and picks the first slot"}),
        Param("length_bias", float, 0.5, 0.0, 2.0,
              help={"zh": "长度差每单位给评审对数几率加的 λ",
                    "en": "λ added to the judge's log-odds per unit of length difference"}),
        Param("length_gap", float, 1.0, 0.0, 2.0,
              help={"zh": "A 的回答平均比 B 长多少（单位标准差）",
                    "en": "how much longer A's answers are on average (in std units)"}),
        Param("n", int, 400, 100, 5000, help={"zh": "每种设置的比较次数", "en": "comparisons per setting"}),
    ],
)
def run(p, rng) -> Outcome:
    w, b, lam, gap, n = p["true_win"], p["position_bias"], p["length_bias"], p["length_gap"], p["n"]

    # 1. position bias, both orders, and self-comparison to measure b
    a_first = judge_first_slot_wins(rng, n, w, b).mean()
    a_second = 1 - judge_first_slot_wins(rng, n, 1 - w, b).mean()  # B is in the first slot
    self_first = judge_first_slot_wins(rng, n, 0.5, b).mean()
    th_first, th_second = b + (1 - b) * w, (1 - b) * w
    se_first = math.sqrt(th_first * (1 - th_first) / n)
    se_second = math.sqrt(max(th_second * (1 - th_second), 1e-12) / n)
    z_first, z_second = abs(a_first - th_first) / se_first, abs(a_second - th_second) / se_second
    avg = 0.5 * (a_first + a_second)
    avg_theory = 0.5 + (1 - b) * (w - 0.5)
    b_hat = float(min(max(2 * self_first - 1, 0.0), 0.95))
    w_hat = corrected_win_rate(avg, b_hat)
    var_avg = 0.25 * (se_first**2 + se_second**2)
    var_b = 4 * (0.5 + b / 2) * (0.5 - b / 2) / n
    se_w = math.sqrt(var_avg / (1 - b) ** 2 + ((avg_theory - 0.5) / (1 - b) ** 2) ** 2 * var_b)
    z_corr = abs(w_hat - w) / se_w

    # 2. length bias: raw win rate vs the length-controlled intercept
    delta = length_differences(rng, gap, n)
    verdict = (rng.random(n) < sigmoid(logit(w) + lam * delta)).astype(float)
    raw = float(verdict.mean())
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    raw_theory = float(weights @ sigmoid(logit(w) + lam * (gap + nodes)) / math.sqrt(2 * math.pi))
    z_raw = abs(raw - raw_theory) / math.sqrt(raw_theory * (1 - raw_theory) / n)
    coef, cov = fit_intercept_and_slope(delta, verdict)
    lc = float(sigmoid(coef[0]))
    z_lc = abs(coef[0] - logit(w)) / math.sqrt(cov[0, 0])

    # 3. the error bar of a win rate
    # the same unbiased judge run REPEATS times on n comparisons each: how much does its win rate move?
    repeats = judge_first_slot_wins(rng, n * REPEATS, w, 0.0).reshape(REPEATS, n).mean(axis=1)
    spread = float(repeats.std())
    se_theory = math.sqrt(w * (1 - w) / n)
    z_se = abs(spread - se_theory) / (se_theory / math.sqrt(2 * REPEATS))

    metrics = {
        "win_A_shown_first": float(a_first),
        "win_A_shown_first_theory": th_first,
        "win_A_shown_second": float(a_second),
        "win_A_shown_second_theory": th_second,
        "swap_average": float(avg),
        "swap_average_theory": avg_theory,
        "self_comparison_first_slot": float(self_first),
        "position_bias_estimate": b_hat,
        "corrected_win_rate": w_hat,
        "raw_win_rate_with_length_bias": raw,
        "raw_win_rate_theory": raw_theory,
        "length_controlled_win_rate": lc,
        "length_slope_estimate": float(coef[1]),
        "win_rate_se_measured": spread,
        "win_rate_se_theory": se_theory,
        "ci95_half_width": 1.96 * se_theory,
    }
    checks = [
        check("A wins b + (1 − b)·w when shown first and (1 − b)·w when shown second (within 4 SE)",
              z_first <= 4 and z_second <= 4,
              f"first {a_first:.3f} vs {th_first:.3f}, second {a_second:.3f} vs {th_second:.3f}"),
        check("self-comparison measures b and 0.5 + (avg − 0.5)/(1 − b) recovers w (within 4 SE)", z_corr <= 4,
              f"b̂ = {b_hat:.3f} (true {b:g}); corrected {w_hat:.3f} vs w = {w:g} (|z| = {z_corr:.2f})"),
        check("the raw win rate under length bias matches E(σ(logit w + λΔ)) (within 4 SE)", z_raw <= 4,
              f"raw {raw:.3f} vs {raw_theory:.3f} (quadrature), true w = {w:g}"),
        check("the length-controlled intercept recovers w (within 4 SE)", z_lc <= 4,
              f"σ(intercept) = {lc:.3f} vs w = {w:g} (|z| = {z_lc:.2f}); slope {coef[1]:.2f} vs λ = {lam:g}"),
        check("a win rate from n comparisons varies with SE √(w(1 − w)/n)", z_se <= 4,
              f"spread over {REPEATS} repeats {spread:.4f} vs {se_theory:.4f}"),
    ]
    if b > 0 and w != 0.5:
        pull_en, pull_zh = "is pulled toward 50% by the factor 1 − b", "被 1 − b 这个因子压向 50%"
    else:
        pull_en, pull_zh = "is unbiased here (b = 0 or w = 0.5)", "此时没有偏差（b = 0 或 w = 0.5）"
    takeaway = {
        "en": (f"True win rate w = {w:g}. With position bias b = {b:g}, A wins {a_first:.3f} when shown first and "
               f"{a_second:.3f} when shown second; the swap average {avg:.3f} {pull_en} (theory "
               f"{avg_theory:.3f}). Self-comparison gives b̂ = {b_hat:.3f} and the corrected win rate {w_hat:.3f}. "
               f"If A is {gap:g} std longer and the judge adds {lam:g} per unit, the raw win rate is {raw:.3f}; "
               f"regressing out length gives {lc:.3f}. With n = {n}, a win rate has SE {se_theory:.4f}, a 95% "
               f"interval of ±{1.96 * se_theory:.3f}."),
        "zh": (f"真实胜率 w = {w:g}。位置偏差 b = {b:g} 时，A 放在前面胜率 {a_first:.3f}，放在后面 {a_second:.3f}；"
               f"交换取平均得 {avg:.3f}，{pull_zh}（理论 {avg_theory:.3f}）。自比较测得 b̂ = {b_hat:.3f}，"
               f"校正后胜率 {w_hat:.3f}。若 A 平均长 {gap:g} 个标准差、评审每单位长度加 {lam:g}，原始胜率为 "
               f"{raw:.3f}；回归去掉长度后为 {lc:.3f}。n = {n} 时胜率的标准误为 {se_theory:.4f}，95% 区间约 "
               f"±{1.96 * se_theory:.3f}。"),
    }
    claim = {
        "en": ("Swapping the order and averaging removes the tilt of a position-biased judge but shrinks the win "
               "rate toward 50%; comparing a model with itself measures the bias and undoes the shrinkage. "
               "A logistic regression of the verdicts on the length difference recovers w in its intercept (the "
               "idea behind length-controlled win rates), and any win rate from n comparisons is only good to "
               "about ±2·√(w(1 − w)/n)."),
        "zh": ("交换顺序再取平均能消掉位置偏差带来的倾斜，但会把胜率压向 50%；让模型和自己比一次就能测出偏差，"
               "再把压缩还原回来。把评审结果对长度差做 logistic 回归，截距就还原出真实胜率 w"
               "（长度控制胜率正是这个思路）；而 n 次比较得到的胜率，精度大约只有 ±2·√(w(1 − w)/n)。"),
    }
    ns = np.array([50, 100, 200, 400, 800, 1600, 3200, 6400], dtype=float)
    series = {"95% half-width of a win rate vs log10 n": Series.of(np.log10(ns), 1.96 * np.sqrt(w * (1 - w) / ns))}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
