"""'Emergence' from the metric: a smooth per-token improvement looks like a sudden jump under exact match.

A toy family of models whose per-token loss falls as a power law in size N, ℓ(N) = ℓ₀·(N/N₀)^(−a), so the
chance of getting one answer token right, p = e^(−ℓ), rises smoothly with log N. A task is scored by exact
match on an L-token answer: with independent tokens EM = p^L, which stays near 0 over most scales and then
shoots up, while per-token accuracy and the answer's log-likelihood (−L·ℓ) change smoothly. This is the
argument of Schaeffer et al. (2023) that some reported emergent abilities (Wei et al., 2022) are produced by
discontinuous or nonlinear metrics; whether all of them are is debated. The constants are illustrative.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

LOG_N = np.linspace(7.0, 12.0, 26)  # model sizes 1e7 … 1e12 parameters
LOSS_SMALL, LOSS_LARGE = 1.2, 0.02  # per-token loss at 1e7 and 1e12 (illustrative)


def per_token_loss(log_n):
    a = np.log(LOSS_SMALL / LOSS_LARGE) / (LOG_N[-1] - LOG_N[0]) / np.log(10)
    return LOSS_SMALL * 10.0 ** (-a * (log_n - LOG_N[0]))


def exact_match(p, length):
    return p**length


def flat_decades(values, level=0.05):
    """Decades of model size, from the smallest, before a rising curve first reaches `level` of its final value."""
    frac = values / values[-1]
    if frac[0] >= level:
        return 0.0
    return float(np.interp(level, frac, LOG_N) - LOG_N[0])


def transition_width(values):
    """Decades of model size over which a rising curve goes from 10% to 90% of its total rise."""
    frac = (values - values[0]) / (values[-1] - values[0])
    return float(np.interp(0.9, frac, LOG_N) - np.interp(0.1, frac, LOG_N))


@demo(
    id="emergence-metric",
    title={"zh": "“涌现”与评价指标：逐词元的平滑进步在精确匹配下像突变",
           "en": "'Emergence' and the metric: smooth per-token gains look like a jump under exact match"},
    tags=["emergence", "emergent-abilities", "scaling", "exact-match", "metric", "in-context-learning", "benchmark",
          "涌现", "涌现能力", "精确匹配", "评价指标", "规模"],
    params=[
        Param("answer_len", int, 10, 1, 40, help={"zh": "答案的词元数 L（全部正确才算对）",
                                                 "en": "answer length L in tokens (all must be right)"}),
        Param("items", int, 500, 50, 5000, help={"zh": "每个规模的评测题数", "en": "test items per model size"}),
    ],
)
def run(p, rng) -> Outcome:
    length, items = p["answer_len"], p["items"]
    loss = per_token_loss(LOG_N)
    tok = np.exp(-loss)
    em_theory = exact_match(tok, length)
    # simulate a benchmark: each item is L tokens, each right with probability p; EM needs all of them
    right = rng.random((len(LOG_N), items, length)) < tok[:, None, None]
    em_measured = right.all(axis=2).mean(axis=1)
    sigma = np.sqrt(np.maximum(em_theory * (1 - em_theory), 1e-12) / items)
    z = np.abs(em_measured - em_theory) / sigma
    normal_ok = items * em_theory * (1 - em_theory) >= 5  # where the normal approximation to the binomial holds
    z_max = float(z[normal_ok].max()) if normal_ok.any() else 0.0
    z_sizes = int(normal_ok.sum())
    width_tok = transition_width(tok)
    width_em = transition_width(em_theory)
    width_ll = transition_width(-length * loss)
    flat_tok, flat_em = flat_decades(tok), flat_decades(em_theory)
    above = np.flatnonzero(em_theory >= 0.1)
    onset = float(LOG_N[above[0]]) if above.size else float("nan")
    mid = len(LOG_N) // 2
    metrics = {
        "token_accuracy_at_1e7": float(tok[0]),
        "token_accuracy_at_1e12": float(tok[-1]),
        "exact_match_at_1e7": float(em_theory[0]),
        "exact_match_at_1e9.5": float(em_theory[mid]),
        "exact_match_at_1e12": float(em_theory[-1]),
        "transition_decades_token_accuracy": width_tok,
        "transition_decades_exact_match": width_em,
        "transition_decades_log_likelihood": width_ll,
        "flat_decades_token_accuracy": flat_tok,
        "flat_decades_exact_match": flat_em,
        "log10_N_where_exact_match_reaches_10pct": onset,
        "max_z_simulated_vs_p_to_the_L": z_max,
    }
    sharper = flat_em >= flat_tok + 0.2  # flat for at least one grid step (0.2 decades) longer
    checks = [
        check("simulated exact match agrees with p^L (|z| < 4.5 wherever items·p^L·(1 − p^L) ≥ 5)", z_max < 4.5,
              f"largest |z| = {z_max:.2f} over {z_sizes} sizes with {items} items each"),
        check("exact match stays flat (< 5% of its final value) over more decades than per-token accuracy", sharper,
              f"flat for {flat_em:.2f} decades vs {flat_tok:.2f}; 10→90% of the rise takes {width_em:.2f} decades "
              f"(per-token accuracy {width_tok:.2f}, answer log-likelihood {width_ll:.2f})"),
    ]
    table = {"columns": ["log10 N", "per-token accuracy", "exact match (p^L)", "exact match measured"],
             "rows": [[round(float(n), 2), round(float(a), 4), round(float(b), 4), round(float(c), 4)]
                      for n, a, b, c in zip(LOG_N[::5], tok[::5], em_theory[::5], em_measured[::5])]}
    series = {"per-token accuracy vs log10 N": Series.of(LOG_N, tok),
              f"exact match on {length}-token answers vs log10 N": Series.of(LOG_N, em_measured)}
    onset_zh = f"直到 N ≈ 10^{onset:.1f} 才超过 10%" if above.size else "在所有规模上都低于 10%"
    onset_en = f"passes 10% only at N ≈ 10^{onset:.1f}" if above.size else "stays below 10% at every size"
    if sharper:
        verdict_zh = (f"精确匹配在最小的 {flat_em:.1f} 个数量级里几乎为零（低于最终值的 5%），"
                      f"逐词元准确率是 {flat_tok:.1f} 个；"
                      f"看起来像到某个规模才“涌现”，其实每个词元一直在平滑进步，换成逐词元准确率或对数似然就没有突变。")
        verdict_en = (f"Exact match is near zero (below 5% of its final value) over the first {flat_em:.1f} decades of "
                      f"size, per-token accuracy over {flat_tok:.1f}: it looks as if the skill appears at some size, "
                      f"yet every token improved smoothly, and per-token accuracy or log-likelihood show no jump.")
    else:
        verdict_zh = (f"L = {length} 时精确匹配并不比逐词元准确率平坦得更久"
                      f"（{flat_em:.1f} 对 {flat_tok:.1f} 个数量级）："
                      f"答案越短，这个指标造成的“突变”越弱。")
        verdict_en = (f"With L = {length} exact match is not flat for longer than per-token accuracy ({flat_em:.1f} vs "
                      f"{flat_tok:.1f} decades): the shorter the answer, the weaker this metric effect.")
    takeaway = {
        "zh": (f"逐词元准确率从 {tok[0]:.2f}（10^7 参数）平滑升到 {tok[-1]:.2f}（10^12）；"
               f"{length} 个词元全对的精确匹配 "
               f"p^L 从 {em_theory[0]:.1e} 升到 {em_theory[-1]:.2f}，{onset_zh}。{verdict_zh}"
               f"模拟 {items} 道题与 p^L 的最大偏差 |z| = {z_max:.1f}。"),
        "en": (f"Per-token accuracy rises smoothly from {tok[0]:.2f} (1e7 parameters) to {tok[-1]:.2f} (1e12); exact "
               f"match on {length} tokens, p^L, goes from {em_theory[0]:.1e} to {em_theory[-1]:.2f} and {onset_en}. "
               f"{verdict_en} Simulated with {items} items, the largest deviation from p^L is |z| = {z_max:.1f}."),
    }
    claim = {
        "zh": "这只说明指标能制造突变，真实模型的涌现是否都如此仍有争论。",
        "en": "This shows a metric can manufacture a jump; whether all reported emergence is of this kind is debated.",
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
