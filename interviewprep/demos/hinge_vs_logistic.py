"""Hinge vs logistic loss as functions of the margin m = y·f(x): hinge is exactly zero once m ≥ 1 (those
points stop mattering), logistic never is; correct points inside the margin still pay hinge loss.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def logistic(m):
    """Logistic loss ln(1 + e^(−m)) = BCE-with-logits of logit m against label 1."""
    m = np.asarray(m, dtype=float)
    return F.binary_cross_entropy_with_logits(m, np.ones_like(m), reduction="none")


def hinge(m):
    m = np.asarray(m, dtype=float)
    return F.hinge_loss(m, np.ones_like(m), reduction="none")


def fit_linear(x, y, loss: str, lam: float, lr: float, steps: int):
    """Full-batch (sub)gradient descent on mean loss + (λ/2)‖w‖² for f = x·w + b, labels y ∈ {−1, +1}."""
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        m = y * (x @ w + b)
        if loss == "hinge":
            dm = -(m < 1).astype(float)          # subgradient of max(0, 1 − m)
        else:
            dm = -F.sigmoid(-m)                   # derivative of ln(1 + e^(−m))
        coef = dm * y / len(y)
        w -= lr * (x.T @ coef + lam * w)
        b -= lr * coef.sum()
    return w, b


@demo(
    id="hinge-vs-logistic",
    title={"zh": "合页损失与逻辑损失：间隔的作用", "en": "Hinge vs logistic loss: what the margin does"},
    tags=["hinge", "svm", "logistic", "cross-entropy", "margin", "support-vector", "loss",
          "合页损失", "支持向量机", "间隔", "逻辑回归", "损失函数"],
    params=[
        Param("margin", float, 0.5, -3.0, 5.0,
              help={"zh": "考察的间隔 m = y·f(x)", "en": "margin m = y·f(x) to inspect"}),
        Param("n", int, 200, 20, 1000, help={"zh": "线性模型训练样本数",
                                             "en": "training points for the linear models"}),
        Param("separation", float, 3.0, 0.5, 6.0,
              help={"zh": "两类中心的距离", "en": "distance between the two class centres"}),
    ],
)
def run(p, rng) -> Outcome:
    m0 = p["margin"]
    grid = np.linspace(-3.0, 5.0, 161)
    h, lg = hinge(grid), logistic(grid)
    h_grad = np.where(grid < 1, -1.0, 0.0)
    lg_grad = -F.sigmoid(-grid)
    beyond = grid >= 1
    inside = (grid > 0) & (grid < 1)
    hinge_zero_beyond = bool(np.all(h[beyond] == 0.0) and np.all(h_grad[beyond] == 0.0))
    logistic_min = float(lg.min())
    hinge_at, logistic_at = float(hinge([m0])[0]), float(logistic([m0])[0])

    # a linear classifier trained with each loss: how many training points still push on the weights?
    n = p["n"]
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    x = rng.standard_normal((n, 2)) + (p["separation"] / 2) * y[:, None] * np.array([1.0, 0.0])
    w_h, b_h = fit_linear(x, y, "hinge", 1e-2, 0.1, 400)
    w_l, b_l = fit_linear(x, y, "logistic", 1e-2, 0.5, 400)
    m_h = y * (x @ w_h + b_h)
    m_l = y * (x @ w_l + b_l)
    active_hinge = int(np.sum(m_h < 1))
    active_logistic = int(np.sum(F.sigmoid(-m_l) > 0))
    in_margin = int(np.sum((m_h > 0) & (m_h < 1)))
    acc_h, acc_l = float(np.mean(m_h > 0)), float(np.mean(m_l > 0))

    metrics = {
        "hinge_at_margin": hinge_at, "logistic_at_margin": logistic_at,
        "logistic_min_on_grid": logistic_min, "logistic_at_5": float(logistic([5.0])[0]),
        "hinge_points_with_gradient": active_hinge, "logistic_points_with_gradient": active_logistic,
        "hinge_correct_inside_margin": in_margin, "accuracy_hinge": acc_h, "accuracy_logistic": acc_l,
    }
    checks = [
        check("hinge loss and gradient are exactly 0 for every margin ≥ 1", hinge_zero_beyond,
              f"{int(beyond.sum())} grid points with m ≥ 1, max hinge there {h[beyond].max():.1f}"),
        check("logistic loss is never exactly 0", logistic_min > 0,
              f"smallest logistic loss on m ∈ [−3, 5]: {logistic_min:.4e} (at m = 5)"),
        check("correctly classified points inside the margin (0 < m < 1) still pay hinge loss 1 − m",
              bool(np.all(h[inside] > 0)) and bool(np.allclose(h[inside], 1 - grid[inside])),
              f"min hinge on 0 < m < 1: {h[inside].min():.3f}; at m = {m0:g}: hinge {hinge_at:.4f}, "
              f"logistic {logistic_at:.4f}"),
        check("after training, only some points still contribute hinge gradient; all contribute logistic",
              active_hinge < n and active_logistic == n,
              f"hinge: {active_hinge}/{n} points with m < 1 ({in_margin} of them correct but inside the margin); "
              f"logistic: {active_logistic}/{n}"),
    ]
    takeaway = {
        "zh": (f"间隔 m={m0:g} 时合页损失 {hinge_at:.3f}、逻辑损失 {logistic_at:.3f}。在 m≥1 的网格点上合页损失最大为 "
               f"{h[beyond].max():.1f}，而在 m∈[−3, 5] 上逻辑损失最小也有 {logistic_min:.1e}。训练后有 "
               f"{active_hinge}/{n} 个点（m<1 的支持向量，其中 {in_margin} 个分类正确但落在间隔内）还在推动合页模型，"
               f"逻辑回归则是 {active_logistic}/{n} 个点。"),
        "en": (f"At margin m={m0:g} hinge loss is {hinge_at:.3f} and logistic {logistic_at:.3f}. On the grid points "
               f"with m≥1 hinge loss is at most {h[beyond].max():.1f}, while on m ∈ [−3, 5] logistic is at least "
               f"{logistic_min:.1e}. After training {active_hinge}/{n} points (support vectors, m < 1; {in_margin} "
               f"correct but inside the margin) still push the hinge model, against {active_logistic}/{n} for "
               "logistic regression."),
    }
    claim = {
        "zh": ("m≥1 后合页损失和梯度都恰好为 0，逻辑损失则永远不为 0：只有支持向量（包括分类正确但落在间隔内的点）"
               "还在推动合页模型，而逻辑回归的每个点都在推。"),
        "en": ("For m≥1 hinge loss and gradient are exactly 0, while logistic loss is never 0: only the support "
               "vectors, correct points inside the margin among them, push a hinge model, while every point pushes "
               "a logistic one."),
    }
    series = {"hinge": Series.of(grid, h), "logistic": Series.of(grid, lg),
              "hinge gradient": Series.of(grid, h_grad), "logistic gradient": Series.of(grid, lg_grad)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
