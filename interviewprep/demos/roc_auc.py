"""ROC AUC two ways: the probability that a random positive outscores a random negative (pairs, ties ½) and
the trapezoid area under the ROC curve — the same number, and unchanged by any monotone transform of the scores.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import sigmoid


def auc_pairs(pos, neg) -> float:
    """P(s⁺ > s⁻) + ½·P(s⁺ = s⁻) over every positive-negative pair."""
    pos, neg = np.asarray(pos, dtype=float)[:, None], np.asarray(neg, dtype=float)[None, :]
    return float(np.mean((pos > neg) + 0.5 * (pos == neg)))


def roc_curve(pos, neg):
    """(FPR, TPR) at every distinct threshold, from (0, 0) to (1, 1); tied scores move together."""
    scores = np.concatenate([pos, neg])
    labels = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    order = np.argsort(-scores, kind="stable")
    scores, labels = scores[order], labels[order]
    last_of_group = np.r_[scores[1:] != scores[:-1], True]  # thresholds between distinct scores only
    tp = np.cumsum(labels)[last_of_group]
    fp = np.cumsum(1 - labels)[last_of_group]
    return np.r_[0.0, fp / len(neg)], np.r_[0.0, tp / len(pos)]


def auc_trapezoid(pos, neg) -> float:
    fpr, tpr = roc_curve(np.asarray(pos, dtype=float), np.asarray(neg, dtype=float))
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def hanley_mcneil_se(a: float, n_pos: int, n_neg: int) -> float:
    """Standard error of an AUC estimate (Hanley & McNeil, 1982)."""
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    return math.sqrt((a * (1 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a)) / (n_pos * n_neg))


@demo(
    id="roc-auc",
    title={"zh": "ROC 曲线与 AUC 的含义", "en": "What ROC AUC means"},
    tags=["roc", "auc", "metrics", "ranking", "threshold", "tpr", "fpr", "评估指标", "排序", "阈值", "曲线下面积"],
    params=[
        Param("separation", float, 1.0, 0.0, 5.0,
              help={"zh": "正负类分数均值之差（标准差为 1）",
                    "en": "gap between positive and negative mean scores (unit std)"}),
        Param("n_pos", int, 200, 5, 2000, help={"zh": "正例数", "en": "number of positives"}),
        Param("n_neg", int, 800, 5, 2000, help={"zh": "负例数", "en": "number of negatives"}),
        Param("decimals", int, 1, 0, 6,
              help={"zh": "分数保留的小数位（越少平局越多）",
                    "en": "scores are rounded to this many decimals (fewer = more ties)"}),
    ],
)
def run(p, rng) -> Outcome:
    d = p["separation"]
    pos = np.round(rng.standard_normal(p["n_pos"]) + d, p["decimals"])
    neg = np.round(rng.standard_normal(p["n_neg"]), p["decimals"])
    a_pairs = auc_pairs(pos, neg)
    a_trap = auc_trapezoid(pos, neg)
    # strictly increasing transforms: a sigmoid-like squash and a cube
    a_sig = auc_trapezoid(sigmoid(3 * pos), sigmoid(3 * neg))
    a_cube = auc_pairs(pos ** 3, neg ** 3)
    # a NON-monotone transform (distance from d/2) scrambles the ranking
    a_abs = auc_pairs(np.abs(pos - d / 2), np.abs(neg - d / 2))
    theory = 0.5 * (1 + math.erf(d / 2))  # Φ(d/√2) for unit-variance Gaussians
    ties = float(np.mean(pos[:, None] == neg[None, :]))
    se = hanley_mcneil_se(theory, p["n_pos"], p["n_neg"]) + 1e-3

    metrics = {"auc_pairs": a_pairs, "auc_trapezoid": a_trap, "auc_after_sigmoid": a_sig, "auc_after_cube": a_cube,
               "auc_after_abs": a_abs, "auc_theory": theory, "tied_pair_fraction": ties}
    checks = [
        check("P(s⁺ > s⁻) (ties ½) equals the trapezoid area under the ROC curve", abs(a_pairs - a_trap) < 1e-12,
              f"pairs {a_pairs:.6f}, trapezoid {a_trap:.6f}, {ties:.1%} of pairs tied"),
        check("monotone transforms of the scores leave AUC unchanged", max(abs(a_sig - a_pairs), abs(a_cube - a_pairs))
              < 1e-12, f"sigmoid(3s): {a_sig:.6f}, s³: {a_cube:.6f}"),
        check("AUC matches Φ(d/√2) for two unit Gaussians d apart (within sampling error)",
              abs(a_pairs - theory) < 3.5 * se,
              f"{a_pairs:.4f}, theory {theory:.4f}, tolerance 3.5 × SE = {3.5 * se:.3f}"),
    ]
    fpr, tpr = roc_curve(pos, neg)
    takeaway = {
        "zh": (f"随机一个正例得分高于随机一个负例的概率（平局算 ½）为 {a_pairs:.4f}，ROC 曲线梯形面积为 {a_trap:.4f}；"
               f"两个相距 {d:g} 的单位高斯理论值 Φ(d/√2) = {theory:.4f}。对分数做 sigmoid 或 s³ 这类单调变换后 AUC 为 "
               f"{a_sig:.4f} 和 {a_cube:.4f}，非单调变换 |s−{d / 2:g}| 则为 {a_abs:.4f}。"),
        "en": (f"The chance a random positive outscores a random negative (ties ½) is {a_pairs:.4f}; the trapezoid "
               f"area under the ROC curve is {a_trap:.4f}; theory Φ(d/√2) for unit Gaussians {d:g} apart is "
               f"{theory:.4f}. After the monotone transforms sigmoid and s³ AUC is {a_sig:.4f} and {a_cube:.4f}; the "
               f"non-monotone |s−{d / 2:g}| gives {a_abs:.4f}."),
    }
    claim = {
        "zh": "配对概率和 ROC 曲线下面积是同一个数，对分数做单调变换也不改变它：AUC 只看排序，不看校准。",
        "en": "The pair probability and the area under the ROC curve are the same number, and monotone transforms "
              "of the scores leave it unchanged: AUC measures ranking, not calibration.",
    }
    series = {"ROC (TPR vs FPR)": Series.of(fpr, tpr), "chance": Series.of([0, 1], [0, 1])}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
