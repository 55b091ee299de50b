"""The accuracy paradox: with rare positives, "always negative" has high accuracy and zero recall, while a
useful classifier can have lower accuracy. Precision/recall/F1 and balanced accuracy tell them apart.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def confusion(y_true, y_pred) -> dict:
    """Counts and metrics of a binary prediction; undefined ratios (0/0) are reported as 0."""
    tp = int(np.sum(y_pred & y_true))
    fp = int(np.sum(y_pred & ~y_true))
    fn = int(np.sum(~y_pred & y_true))
    tn = int(np.sum(~y_pred & ~y_true))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "accuracy": (tp + tn) / len(y_true),
            "precision": precision, "recall": recall, "f1": f1, "balanced_accuracy": (recall + specificity) / 2}


@demo(
    id="accuracy-paradox",
    title={"zh": "准确率悖论与精确率/召回率/F1", "en": "The accuracy paradox, precision, recall and F1"},
    tags=["accuracy", "precision", "recall", "f1", "metrics", "class-imbalance", "confusion-matrix", "threshold",
          "准确率", "精确率", "召回率", "评估指标", "类别不平衡", "混淆矩阵"],
    params=[
        Param("positive_rate", float, 0.01, 0.001, 0.5,
              help={"zh": "正类比例", "en": "fraction of positive examples"}),
        Param("separation", float, 2.5, 0.0, 6.0,
              help={"zh": "打分模型中正负类分数均值之差（标准差为 1）",
                    "en": "gap between the mean scores of positives and negatives (unit std) for the real model"}),
        Param("n", int, 20000, 1000, 200000, help={"zh": "样本数", "en": "number of examples"}),
    ],
)
def run(p, rng) -> Outcome:
    n = p["n"]
    n_pos = max(1, round(p["positive_rate"] * n))
    y = np.zeros(n, dtype=bool)
    y[:n_pos] = True
    scores = rng.standard_normal(n) + p["separation"] * y

    trivial = confusion(y, np.zeros(n, dtype=bool))
    thresholds = np.linspace(-1.0, 5.0, 61)
    rows = [confusion(y, scores > t) for t in thresholds]
    f1s = np.array([r["f1"] for r in rows])
    best = int(np.argmax(f1s))
    model = rows[best]
    t_best = float(thresholds[best])
    mid = confusion(y, scores > p["separation"] / 2)  # the "natural" threshold halfway between the class means
    lo, hi = confusion(y, scores > t_best - 1.0), confusion(y, scores > t_best + 1.0)

    metrics = {
        "positives": n_pos, "accuracy_always_negative": trivial["accuracy"],
        "recall_always_negative": trivial["recall"],
        "f1_always_negative": trivial["f1"], "balanced_accuracy_always_negative": trivial["balanced_accuracy"],
        "midpoint_threshold_accuracy": mid["accuracy"], "midpoint_threshold_recall": mid["recall"],
        "midpoint_threshold_precision": mid["precision"], "midpoint_threshold_f1": mid["f1"],
        "best_f1_threshold": t_best, "best_f1": model["f1"], "best_f1_precision": model["precision"],
        "best_f1_recall": model["recall"], "best_f1_accuracy": model["accuracy"],
    }
    checks = [
        check("always predicting negative scores accuracy = 1 − positive rate",
              abs(trivial["accuracy"] - (1 - n_pos / n)) < 1e-12,
              f"accuracy {trivial['accuracy']:.4f} with {n_pos}/{n} positives"),
        check("…yet its recall and F1 are 0 and balanced accuracy is 0.5",
              trivial["recall"] == 0 and trivial["f1"] == 0 and trivial["balanced_accuracy"] == 0.5,
              f"recall {trivial['recall']:.2f}, F1 {trivial['f1']:.2f}, "
              f"balanced accuracy {trivial['balanced_accuracy']:.2f}"),
        check("a model that finds most positives has LOWER accuracy than the trivial one",
              mid["recall"] > 0.5 and mid["accuracy"] < trivial["accuracy"],
              f"threshold {p['separation'] / 2:g}: recall {mid['recall']:.2f}, accuracy {mid['accuracy']:.4f} "
              f"< {trivial['accuracy']:.4f}"),
        check("raising the threshold trades recall for precision",
              hi["precision"] > lo["precision"] and hi["recall"] < lo["recall"],
              f"threshold {t_best - 1:g} → {t_best + 1:g}: precision {lo['precision']:.2f} → {hi['precision']:.2f}, "
              f"recall {lo['recall']:.2f} → {hi['recall']:.2f}"),
    ]
    table = {"columns": ["classifier", "accuracy", "precision", "recall", "F1", "balanced acc"],
             "rows": [[name, r["accuracy"], r["precision"], r["recall"], r["f1"], r["balanced_accuracy"]]
                      for name, r in (("always negative", trivial), (f"score > {p['separation'] / 2:g}", mid),
                                      (f"score > {t_best:g} (best F1)", model))]}
    lower = mid["accuracy"] < trivial["accuracy"]
    takeaway = {
        "zh": (f"{n} 个样本里有 {n_pos} 个正例：全判负的“模型”准确率 {trivial['accuracy']:.2%}，召回率 "
               f"{trivial['recall']:.2f}、F1 {trivial['f1']:.2f}，平衡准确率 {trivial['balanced_accuracy']:.2f}。"
               f"阈值 {p['separation'] / 2:g} 的打分模型找回 {mid['recall']:.1%} 的正例，准确率"
               f"{'反而只有' if lower else '为'} {mid['accuracy']:.2%}"
               f"{'' if lower else '，不低于全判负'}。按 F1 选阈值 {t_best:g}："
               f"精确率 {model['precision']:.2f}、召回率 {model['recall']:.2f}、F1 {model['f1']:.2f}。"),
        "en": (f"{n_pos} of {n} examples are positive: the always-negative 'model' scores "
               f"{trivial['accuracy']:.2%} accuracy with recall {trivial['recall']:.2f}, F1 {trivial['f1']:.2f} and "
               f"balanced accuracy {trivial['balanced_accuracy']:.2f}. The scoring model at threshold "
               f"{p['separation'] / 2:g} finds {mid['recall']:.1%} of positives "
               f"{'yet has only' if lower else 'and has'} {mid['accuracy']:.2%} accuracy"
               f"{'' if lower else ', no lower than always-negative'}. Choosing the threshold by F1 ({t_best:g}) "
               f"gives precision {model['precision']:.2f}, recall {model['recall']:.2f}, F1 {model['f1']:.2f}."),
    }
    claim = {
        "zh": ("正例稀少时，准确率会奖励什么都不做的全判负，却惩罚真正找出正例的模型；精确率、召回率、F1 "
               "和平衡准确率才能把两者区分开，而提高阈值是用召回率换精确率。"),
        "en": ("With rare positives, accuracy rewards the useless always-negative answer and penalizes a model that "
               "finds the positives; precision, recall, F1 and balanced accuracy tell them apart, and raising the "
               "threshold trades recall for precision."),
    }
    series = {"precision vs threshold": Series.of(thresholds, [r["precision"] for r in rows]),
              "recall vs threshold": Series.of(thresholds, [r["recall"] for r in rows]),
              "F1 vs threshold": Series.of(thresholds, f1s)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
