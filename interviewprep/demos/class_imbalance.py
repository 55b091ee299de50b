"""Class imbalance: plain logistic regression on rare positives mostly predicts the majority class; weighting
the minority's errors (w_c = N / (C·n_c)) or oversampling it buys recall, paid for in precision.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def make_data(rng, n: int, rate: float, sep: float):
    y = (rng.random(n) < rate).astype(float)
    x = rng.standard_normal((n, 2))
    x[:, 0] += sep * y
    x[:, 1] += 0.5 * sep * y
    return x, y


def fit_logistic(x, y, sample_weight, steps: int = 30):
    """Weighted logistic regression (minimizing Σ wᵢ·BCEᵢ / Σ wᵢ) by Newton's method, run to convergence."""
    xb = np.c_[x, np.ones(len(x))]
    w = np.zeros(xb.shape[1])
    sw = sample_weight / sample_weight.sum()
    for _ in range(steps):
        prob = F.sigmoid(xb @ w)
        grad = xb.T @ (sw * (prob - y))
        hess = (xb * (sw * prob * (1 - prob))[:, None]).T @ xb + 1e-9 * np.eye(xb.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def scores(x, y, w) -> dict:
    pred = F.sigmoid(np.c_[x, np.ones(len(x))] @ w) > 0.5
    truth = y > 0.5
    tp = np.sum(pred & truth)
    recall = tp / max(truth.sum(), 1)
    precision = tp / max(pred.sum(), 1)
    spec = np.sum(~pred & ~truth) / max((~truth).sum(), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall": float(recall), "precision": float(precision), "f1": float(f1),
            "accuracy": float(np.mean(pred == truth)), "balanced_accuracy": float((recall + spec) / 2)}


@demo(
    id="class-imbalance",
    title={"zh": "类别不平衡：加权与过采样", "en": "Class imbalance: reweighting and oversampling"},
    tags=["class-imbalance", "imbalanced", "class-weight", "oversampling", "resampling", "recall",
          "logistic-regression",
          "类别不平衡", "样本不均衡", "加权", "过采样", "重采样", "召回率"],
    params=[
        Param("minority_rate", float, 0.03, 0.005, 0.5,
              help={"zh": "少数类（正类）比例", "en": "fraction of minority (positive) examples"}),
        Param("separation", float, 2.0, 0.5, 5.0,
              help={"zh": "两类中心的距离", "en": "distance between the class centres"}),
        Param("method", str, "weight", choices=("weight", "oversample"),
              help={"zh": "weight: 按 N/(C·n_c) 加权；oversample: 有放回复制少数类到平衡",
                    "en": "weight: class weights N/(C·n_c); oversample: duplicate minority rows until balanced"}),
    ],
)
def run(p, rng) -> Outcome:
    x, y = make_data(rng, 3000, p["minority_rate"], p["separation"])
    x_test, y_test = make_data(rng, 20000, p["minority_rate"], p["separation"])
    n, n_pos = len(y), int(y.sum())
    n_pos = max(n_pos, 1)
    plain = fit_logistic(x, y, np.ones(n))
    w_pos, w_neg = n / (2 * n_pos), n / (2 * (n - n_pos))
    if p["method"] == "weight":
        fixed = fit_logistic(x, y, np.where(y > 0.5, w_pos, w_neg))
    else:
        pos_idx, neg_idx = np.flatnonzero(y > 0.5), np.flatnonzero(y < 0.5)
        extra = rng.choice(pos_idx, size=len(neg_idx) - len(pos_idx), replace=True)
        idx = np.concatenate([neg_idx, pos_idx, extra])
        fixed = fit_logistic(x[idx], y[idx], np.ones(len(idx)))
    a, b = scores(x_test, y_test, plain), scores(x_test, y_test, fixed)
    # weighting by w₊/w₋ shifts the optimum's bias by about ln(w₊/w₋) (the prior correction)
    bias_shift = float(fixed[-1] - plain[-1])
    expected_shift = float(np.log(w_pos / w_neg))

    label = "class weights" if p["method"] == "weight" else "oversampling"
    metrics = {"train_positives": n_pos, "weight_positive": w_pos, "weight_negative": w_neg,
               **{f"plain_{k}": v for k, v in a.items()}, **{f"fixed_{k}": v for k, v in b.items()},
               "bias_shift": bias_shift, "log_weight_ratio": expected_shift}
    checks = [
        check("unweighted training misses most of the minority class", a["recall"] < 0.5,
              f"minority recall {a['recall']:.2f} at accuracy {a['accuracy']:.3f}"),
        check(f"{label} raises minority recall substantially", b["recall"] > a["recall"] + 0.3,
              f"recall {a['recall']:.2f} → {b['recall']:.2f}"),
        check("…and balanced accuracy, while precision and plain accuracy drop (the trade-off)",
              b["balanced_accuracy"] > a["balanced_accuracy"] and b["precision"] < a["precision"]
              and b["accuracy"] < a["accuracy"],
              f"balanced accuracy {a['balanced_accuracy']:.2f} → {b['balanced_accuracy']:.2f}, precision "
              f"{a['precision']:.2f} → {b['precision']:.2f}, accuracy {a['accuracy']:.3f} → {b['accuracy']:.3f}"),
    ]
    table = {"columns": ["training", "recall", "precision", "F1", "accuracy", "balanced acc"],
             "rows": [["plain", a["recall"], a["precision"], a["f1"], a["accuracy"], a["balanced_accuracy"]],
                      [label, b["recall"], b["precision"], b["f1"], b["accuracy"], b["balanced_accuracy"]]]}
    takeaway = {
        "zh": (f"训练集 {n} 个样本中有 {n_pos} 个正例。普通逻辑回归的少数类召回率为 {a['recall']:.2f}（准确率 "
               f"{a['accuracy']:.3f}）；"
               f"用{'类别权重 ' + f'{w_pos:.2f}/{w_neg:.2f}' if p['method'] == 'weight' else '过采样'}后召回率为 "
               f"{b['recall']:.2f}，平衡准确率 {a['balanced_accuracy']:.2f}→{b['balanced_accuracy']:.2f}，"
               f"精确率 {a['precision']:.2f}→{b['precision']:.2f}，准确率 {a['accuracy']:.3f}→{b['accuracy']:.3f}。"
               f"偏置平移了 {bias_shift:.2f}（ln(w₊/w₋) = {expected_shift:.2f}）。"),
        "en": (f"{n_pos} of {n} training examples are positive. Plain logistic regression recalls "
               f"{a['recall']:.2f} "
               f"of the minority (accuracy {a['accuracy']:.3f}); with {label}"
               f"{f' ({w_pos:.2f} vs {w_neg:.2f})' if p['method'] == 'weight' else ''} recall is "
               f"{b['recall']:.2f}, "
               f"balanced accuracy {a['balanced_accuracy']:.2f}→{b['balanced_accuracy']:.2f}, "
               f"precision {a['precision']:.2f}→{b['precision']:.2f} and accuracy {a['accuracy']:.3f}→"
               f"{b['accuracy']:.3f}. The bias moved by {bias_shift:.2f} (ln(w₊/w₋) = {expected_shift:.2f})."),
    }
    claim = {
        "zh": ("在稀少的正例上直接训练，模型几乎总是预测多数类；给少数类的错误加权或过采样能换回召回率和平衡准确率，"
               "代价是精确率和普通准确率。加权基本等价于移动决策阈值。"),
        "en": ("Trained plainly on rare positives, a model mostly predicts the majority class; weighting the "
               "minority's errors or oversampling it buys recall and balanced accuracy, paid for in precision and "
               "plain accuracy. Reweighting mostly shifts the decision threshold."),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), {}, table, claim=claim)
