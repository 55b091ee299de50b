"""RMSprop's per-coordinate scaling on a badly scaled quadratic, and its invariance to gradient scale.

f(x) = ½(s·x₁² + x₂²): the gradient along x₁ is s times steeper. GD's step is η·g, so the two
coordinates move at very different speeds and η must stay below 2/s. RMSprop divides each gradient
coordinate by the root of its own running mean square, v ← αv + (1−α)g², step η·g/(√v + ε), so the
steps are about the same size in both coordinates and multiplying the gradient (or the loss) by a
constant c changes nothing except through ε.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD, RMSprop

WINDOW = 20  # steps over which step sizes are compared


def _path(opt_cls, curv, mult, steps, **kw):
    x = np.ones(2)
    opt = opt_cls([x], **kw)
    path = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            opt.step([mult * curv * x])
            path.append(x.copy())
    return np.array(path)


def _step_ratio(path):
    d = np.abs(np.diff(path[: WINDOW + 1], axis=0)).mean(axis=0)
    return float(d[0] / d[1])


@demo(
    id="rmsprop",
    title={"zh": "RMSprop：逐坐标缩放步长，不怕梯度尺度",
           "en": "RMSprop: per-coordinate step scaling, blind to gradient scale"},
    tags=["rmsprop", "adaptive-learning-rate", "adagrad", "optimizer", "preconditioning", "scaling",
          "自适应学习率", "优化器", "预条件", "梯度尺度"],
    params=[
        Param("scale", float, 100.0, 1.0, 10000.0,
              help={"zh": "两个坐标的曲率之比 s", "en": "curvature ratio s between the two coordinates"}),
        Param("grad_mult", float, 1000.0, 0.01, 10000.0,
              help={"zh": "把梯度整体乘上的常数 c", "en": "constant c multiplying the whole gradient"}),
        Param("lr", float, 0.01, 0.0001, 0.1, help={"zh": "RMSprop 学习率", "en": "RMSprop learning rate"}),
        Param("steps", int, 200, 30, 2000, help={"zh": "迭代步数", "en": "number of steps"}),
    ],
)
def run(p, rng) -> Outcome:
    s, c, lr, steps = p["scale"], p["grad_mult"], p["lr"], p["steps"]
    curv = np.array([s, 1.0])
    gd_lr = 0.95 * 2.0 / s  # close to GD's stability limit 2/λmax
    rms = _path(RMSprop, curv, 1.0, steps, lr=lr)
    rms_c = _path(RMSprop, curv, c, steps, lr=lr)
    gd = _path(SGD, curv, 1.0, steps, lr=gd_lr)
    gd_c = _path(SGD, curv, c, steps, lr=gd_lr)
    rms_ratio, gd_ratio = _step_ratio(rms), _step_ratio(gd)
    rms_shift = float(np.max(np.abs(rms_c - rms)))
    gd_shift = float(np.nanmax(np.abs(gd_c - gd))) if np.all(np.isfinite(gd_c)) else float("inf")

    def loss(x):
        return float(0.5 * np.sum(curv * x * x))

    metrics = {
        "rmsprop_step_ratio_x1_over_x2": rms_ratio, "gd_step_ratio_x1_over_x2": gd_ratio,
        "rmsprop_final_loss": loss(rms[-1]), "gd_final_loss": loss(gd[-1]),
        "rmsprop_final_abs_x2": float(abs(rms[-1, 1])), "gd_final_abs_x2": float(abs(gd[-1, 1])),
        "rmsprop_max_shift_when_grad_scaled": rms_shift,
        "gd_max_shift_when_grad_scaled": gd_shift if np.isfinite(gd_shift) else None,  # None: GD diverged
        "gd_lr": gd_lr,
    }
    checks = [
        check("RMSprop's steps are about equal across coordinates (GD's are not)",
              0.5 < rms_ratio < 2 and gd_ratio > 5,
              f"mean |Δx₁|/|Δx₂| over the first {WINDOW} steps: RMSprop {rms_ratio:.3f}, GD {gd_ratio:.1f}"),
        check(f"scaling the gradient by {c:g} leaves RMSprop's path unchanged (< 1% of lr)", rms_shift < 0.01 * lr,
              f"largest coordinate change {rms_shift:.2e} (lr = {lr:g})"),
        check("the same scaling changes GD's path", gd_shift > 100 * max(rms_shift, 1e-12),
              f"largest coordinate change {gd_shift:.3g}" if np.isfinite(gd_shift) else "GD's scaled run diverged"),
        check("RMSprop gets the flat coordinate closer to 0 than GD", abs(rms[-1, 1]) < abs(gd[-1, 1]),
              f"|x₂| after {steps} steps: RMSprop {abs(rms[-1, 1]):.2e}, GD {abs(gd[-1, 1]):.2e}"),
    ]
    shift_gd = "发散" if not np.isfinite(gd_shift) else f"{gd_shift:.3g}"
    shift_gd_en = "it diverges" if not np.isfinite(gd_shift) else f"it moves by up to {gd_shift:.3g}"
    takeaway = {
        "zh": (f"曲率相差 {s:g} 倍时，GD 两个坐标的步长相差 {gd_ratio:.1f} 倍，学习率又被陡的方向限制在 "
               f"{gd_lr:.2g}，平缓方向 {steps} 步后还剩 {abs(gd[-1, 1]):.2e}；RMSprop 两个坐标的步长比为 "
               f"{rms_ratio:.3f}，平缓方向降到 {abs(rms[-1, 1]):.2e}。\n把梯度乘以 {c:g}：RMSprop 的轨迹最多只变 "
               f"{rms_shift:.1e}（来自 ε），GD 的轨迹则 {shift_gd}。"),
        "en": (f"With curvatures {s:g}× apart, GD's steps differ by {gd_ratio:.1f}× between coordinates and its rate "
               f"is capped at {gd_lr:.2g} by the steep one, leaving the flat coordinate at {abs(gd[-1, 1]):.2e} after "
               f"{steps} steps; RMSprop's step ratio is {rms_ratio:.3f} and the flat coordinate reaches "
               f"{abs(rms[-1, 1]):.2e}.\nMultiplying the gradient by {c:g} moves RMSprop's path by at most "
               f"{rms_shift:.1e} (through ε); for GD {shift_gd_en}."),
    }
    claim = {
        "zh": ("RMSprop 用每个坐标自己的梯度均方根去除梯度，各方向的步长差不多大，也不受梯度整体尺度的影响，"
               "平缓方向不再被陡峭方向拖住。"),
        "en": ("Dividing each coordinate by the root of its own mean square makes RMSprop's steps about equal in every "
               "direction and blind to the gradient's scale, so the flat direction is no longer held back by the "
               "steep one."),
    }
    k = np.arange(steps + 1)
    series = {
        "GD |x₂|": Series.of(k, np.abs(gd[:, 1]), log_y=True),
        "RMSprop |x₂|": Series.of(k, np.abs(rms[:, 1]), log_y=True),
        "RMSprop |x₁|": Series.of(k, np.abs(rms[:, 0]), log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
