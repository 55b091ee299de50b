"""Focal loss: cross-entropy times (1 − p_t)^γ, so easy examples (p_t → 1) stop dominating the total loss."""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def logit(p):
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)


@demo(
    id="focal-loss",
    title={"zh": "Focal loss 如何压低易分样本", "en": "How focal loss down-weights easy examples"},
    tags=["focal-loss", "loss", "class-imbalance", "retinanet", "cross-entropy", "detection",
          "损失函数", "难例", "类别不平衡", "目标检测"],
    params=[
        Param("p_t", float, 0.9, 0.01, 0.999,
              help={"zh": "真实类别的预测概率 p_t（越大越“容易”）",
                    "en": "probability given to the true class, p_t (higher = easier example)"}),
        Param("gamma", float, 2.0, 0.0, 5.0, help={"zh": "聚焦参数 γ", "en": "focusing parameter γ"}),
        Param("n_easy", int, 10000, 10, 100000,
              help={"zh": "易分负样本数（每个 p_t=0.99），对比 10 个难例（p_t=0.1）",
                    "en": "number of easy negatives (p_t = 0.99 each) against 10 hard positives (p_t = 0.1)"}),
    ],
)
def run(p, rng) -> Outcome:
    pt, gamma = p["p_t"], p["gamma"]
    # a positive example (t = 1) whose predicted probability is p_t
    x = logit([pt])
    t = np.ones(1)
    bce = float(F.binary_cross_entropy_with_logits(x, t, reduction="sum"))
    focal = float(F.sigmoid_focal_loss(x, t, alpha=-1.0, gamma=gamma, reduction="sum"))
    factor = focal / bce
    closed = (1 - pt) ** gamma

    # γ = 0 and alpha < 0 (no alpha weighting): focal loss is plain BCE, on random logits and labels
    xs = 3.0 * rng.standard_normal(500)
    ts = (rng.random(500) < 0.3).astype(float)
    same = np.max(np.abs(F.sigmoid_focal_loss(xs, ts, alpha=-1.0, gamma=0.0)
                         - F.binary_cross_entropy_with_logits(xs, ts, reduction="none")))

    # many easy negatives vs a few hard positives: who owns the total loss?
    n_easy, n_hard = p["n_easy"], 10
    logits = np.concatenate([logit(np.full(n_easy, 0.01)), logit(np.full(n_hard, 0.1))])  # easy neg: p=0.01
    labels = np.concatenate([np.zeros(n_easy), np.ones(n_hard)])
    ce_all = F.binary_cross_entropy_with_logits(logits, labels, reduction="none")
    fl_all = F.sigmoid_focal_loss(logits, labels, alpha=-1.0, gamma=gamma)
    easy_share_ce = float(ce_all[:n_easy].sum() / ce_all.sum())
    easy_share_fl = float(fl_all[:n_easy].sum() / fl_all.sum())
    hard_factor = float(fl_all[-1] / ce_all[-1])

    metrics = {
        "bce": bce, "focal": focal, "modulating_factor": factor, "closed_form_factor": closed,
        "down_weighting": 1.0 / factor if factor > 0 else float("inf"),
        "gamma0_max_abs_diff_from_bce": float(same),
        "easy_share_ce": easy_share_ce, "easy_share_focal": easy_share_fl, "hard_factor": hard_factor,
    }
    checks = [
        check("focal / BCE = (1 − p_t)^γ", abs(factor - closed) <= 1e-9 * max(closed, 1e-300),
              f"{factor:.6g}, (1 − {pt:g})^{gamma:g} = {closed:.6g}"),
        check("γ = 0 with alpha < 0 (no α weighting) is exactly BCE", same < 1e-12,
              f"max |FL − BCE| over 500 random logits = {same:.1e}"),
        check("focal loss moves the total loss away from the easy examples", easy_share_fl < easy_share_ce,
              f"share of loss from {n_easy} easy negatives: CE {easy_share_ce:.1%}, focal {easy_share_fl:.1%}"),
        check("a hard example (p_t = 0.1) keeps most of its loss", hard_factor > 0.5,
              f"factor (0.9)^{gamma:g} = {hard_factor:.3f}"),
    ]
    takeaway = {
        "zh": (f"p_t={pt:g}、γ={gamma:g} 时调制因子 (1−p_t)^γ = {factor:.3g}，该样本的损失比交叉熵小 {1 / factor:.3g} "
               "倍；"
               f"难例 p_t=0.1 保留 {hard_factor:.2f}。{n_easy} 个易分负样本在交叉熵里占总损失的 {easy_share_ce:.0%}，"
               f"在 focal loss 里占 {easy_share_fl:.1%}。γ=0 且不加 α 时与 BCE 最多相差 {same:.0e}。"),
        "en": (f"At p_t={pt:g}, γ={gamma:g} the modulating factor (1−p_t)^γ is {factor:.3g}: this example's loss is "
               f"{1 / factor:.3g}× smaller than cross-entropy, while a hard one at p_t=0.1 keeps {hard_factor:.2f}. "
               f"{n_easy} easy negatives own {easy_share_ce:.0%} of the CE total and {easy_share_fl:.1%} of the "
               f"focal total. γ=0 without α differs from BCE by at most {same:.0e}."),
    }
    claim = {
        "zh": ("(1−p_t)^γ 压低易分样本远多于难例，所以大量易分负样本不再主导总损失，难例仍保留大部分损失；"
               "γ=0 且不加 α 时 focal loss 就是 BCE。"),
        "en": ("(1−p_t)^γ down-weights easy examples far more than hard ones, so the many easy negatives stop "
               "dominating the total loss while a hard example keeps most of its own; γ=0 without α is exactly BCE."),
    }
    grid = np.linspace(0.01, 0.99, 99)
    xg, tg = logit(grid), np.ones_like(grid)
    series = {"CE(p_t)": Series.of(grid, F.binary_cross_entropy_with_logits(xg, tg, reduction="none"))}
    for g in (0.5, 2.0, 5.0):
        series[f"FL γ={g:g}"] = Series.of(grid, F.sigmoid_focal_loss(xg, tg, alpha=-1.0, gamma=g))
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
