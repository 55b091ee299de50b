"""Dying ReLU: one over-large SGD step pushes many units negative on every input; they then get zero gradient.

A ReLU layer h = relu(W x + b) (He init, inputs ≥ 0 as after a previous ReLU) feeds a linear readout and is
trained with MSE on targets far above the initial predictions. One SGD step with a large learning rate
overshoots: for units whose readout weight has the "wrong" sign, W and b move so far down that W x + b < 0
for the whole batch. Such a unit outputs 0 and gets exactly 0 gradient, so its own weights are never updated again.
Leaky ReLU, at the very same weights, still passes negative_slope · upstream on the negative side.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F

N_IN, BATCH = 10, 256


def _grads(X, t, W, b, a, act, dact):
    """MSE loss ½·mean((a·act(WX + b) − t)²) and its gradients by hand."""
    Z = X @ W.T + b
    r = (act(Z) @ a - t) / len(X)
    dZ = np.outer(r, a) * dact(Z)
    return dZ.T @ X, dZ.sum(axis=0), act(Z).T @ r


def _dead(X, W, b):
    return np.all(X @ W.T + b <= 0, axis=0)  # negative (or zero) on every example of the batch


@demo(
    id="dying-relu",
    title={"zh": "死亡 ReLU：一步过大的更新让神经元失活",
           "en": "Dying ReLU: one oversized step silences units"},
    tags=["relu", "dying-relu", "dead-neurons", "leaky-relu", "learning-rate", "activation",
          "死亡ReLU", "神经元死亡", "学习率", "激活函数"],
    params=[
        Param("lr", float, 3.0, 1e-3, 100.0,
              help={"zh": "那一步（过大的）SGD 更新的学习率", "en": "learning rate of the one (oversized) SGD step"}),
        Param("negative_slope", float, 0.01, 0.001, 0.5,
              help={"zh": "Leaky ReLU 负半轴斜率", "en": "Leaky ReLU slope for z < 0"}),
        Param("units", int, 64, 8, 256, help={"zh": "隐藏单元个数", "en": "number of hidden units"}),
    ],
)
def run(p, rng) -> Outcome:
    lr, slope, units = p["lr"], p["negative_slope"], p["units"]
    X = np.abs(rng.normal(size=(BATCH, N_IN)))  # non-negative inputs, like the output of a previous ReLU
    t = 3.0 * X @ rng.normal(size=N_IN) + 10.0  # targets far above the initial predictions (≈ 0)
    W0 = rng.normal(0.0, np.sqrt(2.0 / N_IN), size=(units, N_IN))  # He init
    b0 = np.zeros(units)
    a0 = rng.normal(0.0, 1.0 / np.sqrt(units), size=units)

    def leaky(z):
        return F.leaky_relu(z, slope)

    def leaky_grad(z):
        return F.leaky_relu_grad(z, slope)

    gW, gb, _ = _grads(X, t, W0, b0, a0, F.relu, F.relu_grad)
    dead_before = float(_dead(X, W0, b0).mean())

    def after(step):
        return W0 - step * gW, b0 - step * gb

    W1, b1 = after(lr)
    dead = _dead(X, W1, b1)
    dead_after = float(dead.mean())
    n_dead = int(dead.sum())
    # gradients at the post-step weights: ReLU vs Leaky ReLU at exactly the same W, b, a
    rW, rb, _ = _grads(X, t, W1, b1, a0, F.relu, F.relu_grad)
    lW, lb, _ = _grads(X, t, W1, b1, a0, leaky, leaky_grad)
    relu_dead_grad = float(np.sqrt(np.sum(rW[dead] ** 2) + np.sum(rb[dead] ** 2)))
    leaky_dead_grad = float(np.sqrt(np.sum(lW[dead] ** 2) + np.sum(lb[dead] ** 2)))
    Z1 = X @ W1.T + b1
    neg = Z1 < 0
    leaky_slopes = leaky_grad(Z1[neg])
    relu_slopes = F.relu_grad(Z1[neg])
    slope_min, slope_max = (float(leaky_slopes.min()), float(leaky_slopes.max())) if neg.any() else (np.nan, np.nan)
    relu_slope_max = float(relu_slopes.max()) if neg.any() else np.nan

    lrs = np.logspace(-3, 2, 26)
    share = [float(_dead(X, *after(s)).mean()) for s in lrs]

    metrics = {
        "dead_share_before": dead_before,
        "dead_share_after": dead_after,
        "dead_units_after": n_dead,
        "relu_grad_norm_dead_units": relu_dead_grad,
        "leaky_grad_norm_dead_units": leaky_dead_grad,
        "leaky_slope_negative_side": slope_max,
        "relu_slope_negative_side": relu_slope_max,
    }
    checks = [
        check(f"one step with lr={lr:g} kills ≥ 25% of the units (and at least doubles the dead share)",
              dead_after >= 0.25 and dead_after >= 2 * dead_before,
              f"dead share {dead_before:.1%} before → {dead_after:.1%} after ({n_dead}/{units} units)"),
        check("dead ReLU units receive exactly zero gradient", n_dead > 0 and relu_dead_grad == 0.0,
              f"‖∂L/∂(W, b)‖ over the {n_dead} dead units = {relu_dead_grad:g}"),
        check(f"Leaky ReLU passes slope {slope:g} for z < 0, so the same units still get a gradient",
              neg.any() and slope_min == slope_max == slope and leaky_dead_grad > 0,
              f"Leaky' on the negative side ∈ [{slope_min:g}, {slope_max:g}]; ‖gradient‖ of the same units = "
              f"{leaky_dead_grad:.3g}"),
    ]
    claim = {
        "zh": ("所以死亡单元自己的权重从此不再被更新（只有上游输入变化才可能让它们复活），"
               "而 Leaky ReLU 让它们还能继续学习。"
               "缓解办法：更小的学习率/学习率预热、He 初始化、Leaky ReLU/ELU/GELU、BatchNorm。"),
        "en": ("So gradient descent never updates the dead units' weights again (only a change in their inputs could "
               "revive them), while Leaky ReLU keeps them learning. Remedies: smaller lr / warm-up, He init, "
               "Leaky ReLU/ELU/GELU, BatchNorm."),
    }
    if not checks[0].passed:  # too small a step (or a lucky draw): say what happened instead
        takeaway = {
            "zh": (f"学习率 {lr:g} 的这一步只让 {units} 个单元中的 {n_dead} 个（{dead_after:.0%}，更新前 "
                   f"{dead_before:.0%}）对整批输入都 z<0，不到四分之一：在这组随机数下步子不够大，"
                   "没有造成大批神经元死亡。"
                   f"曲线给出死亡比例随学习率的变化（lr = {lrs[-1]:g} 时 {share[-1]:.0%}）。"
                   f"已经死亡的单元回传的梯度是 {relu_dead_grad:g}；Leaky ReLU 在同样权重下给它们 "
                   f"{leaky_dead_grad:.3g}。"),
            "en": (f"A step with lr={lr:g} left only {n_dead} of {units} units ({dead_after:.0%}, "
                   f"before {dead_before:.0%}) at z < 0 on the whole batch, under a quarter: in this draw "
                   "the step is not large enough to kill many units. The curve shows the dead share "
                   f"against lr ({share[-1]:.0%} at lr = {lrs[-1]:g}). The units that are dead pass back "
                   f"a gradient of {relu_dead_grad:g}; Leaky ReLU at the same weights gives them "
                   f"{leaky_dead_grad:.3g}."),
        }
        series = {"dead share vs lr of the step (log10 lr)": Series.of(np.log10(lrs), share)}
        return Outcome(metrics, checks, takeaway, series, claim=claim)
    takeaway = {
        "zh": (f"一次学习率 {lr:g} 的过大更新把 {units} 个单元中的 {n_dead} 个（{dead_after:.0%}，更新前 "
               f"{dead_before:.0%}）"
               f"推到对整批输入都 z<0 的区域：它们输出恒为 0，回传的梯度恰好是 {relu_dead_grad:g}。\n"
               f"同样的权重换成 Leaky ReLU，负半轴导数是 {slope_max:g}，这些单元仍收到大小 {leaky_dead_grad:.3g} "
               f"的梯度。"),
        "en": (f"One oversized step (lr={lr:g}) pushed {n_dead} of {units} units ({dead_after:.0%}, up from "
               f"{dead_before:.0%}) to z < 0 on the whole batch: they output 0 and pass back a gradient of exactly "
               f"{relu_dead_grad:g}.\n"
               f"At the same weights Leaky ReLU's slope on the negative side is {slope_max:g}, and those units still "
               f"receive a gradient of norm {leaky_dead_grad:.3g}."),
    }
    series = {"dead share vs lr of the step (log10 lr)": Series.of(np.log10(lrs), share)}
    return Outcome(metrics, checks, takeaway, series, claim=claim)
