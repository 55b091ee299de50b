"""Learning rate on f(x) = x²: each GD step multiplies x by (1 − 2η), so η sets slow, fast or divergent.

The gradient is 2x and the curvature L = 2, so x ← x − η·2x = (1 − 2η)x. The iterates shrink when
|1 − 2η| < 1, i.e. 0 < η < 2/L = 1, fastest at η = 1/L = 0.5, and grow geometrically for η > 1.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD

CURVATURE = 2.0  # f(x) = x² has f'' = 2, so the stability limit is η < 2 / 2 = 1
TOL = 1e-3


def _descend(lr: float, x0: float, steps: int) -> np.ndarray:
    """|x_k| for k = 0..steps under plain GD (torch-style SGD without momentum) on f(x) = x²."""
    x = np.array([x0])
    opt = SGD([x], lr=lr)
    path = [abs(x0)]
    for _ in range(steps):
        opt.step([CURVATURE * x])
        path.append(abs(float(x[0])))
    return np.array(path)


def _steps_to(path: np.ndarray, x0: float):
    hit = np.flatnonzero(path <= TOL * abs(x0))
    return int(hit[0]) if hit.size else None


@demo(
    id="gd-learning-rate",
    title={"zh": "学习率太小、合适、太大：f(x)=x² 上的梯度下降",
           "en": "Learning rate too small, right, too large: GD on f(x)=x²"},
    tags=["learning-rate", "gradient-descent", "divergence", "convergence", "step-size",
          "学习率", "梯度下降", "发散", "收敛", "步长"],
    params=[
        Param("lr_slow", float, 0.05, 0.001, 0.99, help={"zh": "偏小的学习率", "en": "a small learning rate"}),
        Param("lr_fast", float, 0.2, 0.001, 0.99,
              help={"zh": "较大但稳定的学习率", "en": "a larger, still stable rate"}),
        Param("lr_big", float, 1.1, 0.001, 1.5,
              help={"zh": "过大的学习率（>1 时发散）", "en": "a too-large rate (diverges above 1)"}),
        Param("steps", int, 100, 5, 500, help={"zh": "迭代步数", "en": "number of GD steps"}),
    ],
)
def run(p, rng) -> Outcome:
    x0, steps = 1.0, p["steps"]
    names = ("slow", "fast", "big")
    lrs = {n: p[f"lr_{n}"] for n in names}
    paths = {n: _descend(lrs[n], x0, steps) for n in names}
    factor = {n: paths[n][1] / paths[n][0] for n in names}  # measured |x1 / x0|
    theory = {n: abs(1 - CURVATURE * lrs[n]) for n in names}
    reach = {n: _steps_to(paths[n], x0) for n in names}
    metrics = {}
    for n in names:
        metrics[f"factor_{n}"] = float(factor[n])
        metrics[f"final_abs_x_{n}"] = float(paths[n][-1])
        metrics[f"steps_to_1e-3_{n}"] = reach[n]
    metrics["stability_limit_lr"] = 2.0 / CURVATURE

    worst = max(abs(factor[n] - theory[n]) for n in names)
    slow_n, fast_n = reach["slow"], reach["fast"]
    slow_txt = f"more than {steps} steps" if slow_n is None else f"{slow_n} steps"
    fast_txt = f"more than {steps} steps" if fast_n is None else f"{fast_n} steps"
    slow_zh = f"超过 {steps} 步" if slow_n is None else f"{slow_n} 步"
    fast_zh = f"超过 {steps} 步" if fast_n is None else f"{fast_n} 步"
    checks = [
        check("each step multiplies |x| by |1 − 2η|", worst < 1e-12,
              ", ".join(f"η={lrs[n]:g}: {factor[n]:.4f} vs {theory[n]:.4f}" for n in names)),
        check(f"η={lrs['fast']:g} reaches |x| ≤ 1e-3 sooner than η={lrs['slow']:g}",
              fast_n is not None and (slow_n is None or fast_n < slow_n),
              f"fast: {fast_txt}, slow: {slow_txt}"),
        check(f"η={lrs['big']:g} diverges (theory: iff η > 2/L = 1): |x| grows every step",
              bool(np.all(np.diff(paths["big"]) > 0)),
              f"|x| after {steps} steps = {paths['big'][-1]:.3e} (from {x0:g})"),
    ]
    big_end = paths["big"][-1]
    takeaway = {
        "zh": (f"在 f(x)=x² 上实测每步的因子 |x₁/x₀|：η={lrs['slow']:g} 时 {factor['slow']:.2f}，"
               f"降到 1e-3 需要 {slow_zh}；η={lrs['fast']:g} 时 {factor['fast']:.2f}，需要 {fast_zh}。"
               + (f"\nη={lrs['big']:g} 超过 2/L=1，|1−2η|={factor['big']:.2f}>1，"
                  f"{steps} 步后 |x| 变成 {big_end:.2e}：发散。"
                  if factor["big"] > 1 else
                  f"\nη={lrs['big']:g} 没有超过 2/L=1（|1−2η|={factor['big']:.2f}），所以不发散；超过 1 才会发散。")),
        "en": (f"On f(x)=x² the measured per-step factor |x₁/x₀| is {factor['slow']:.2f} at η={lrs['slow']:g}, "
               f"which reaches 1e-3 in {slow_txt}, and {factor['fast']:.2f} at η={lrs['fast']:g}, which needs "
               f"{fast_txt}."
               + (f"\nη={lrs['big']:g} is above 2/L = 1: |1−2η| = {factor['big']:.2f} > 1, and after {steps} steps "
                  f"|x| = {big_end:.2e}: divergence." if factor["big"] > 1 else
                  f"\nη={lrs['big']:g} is not above 2/L = 1 (|1−2η| = {factor['big']:.2f}), so it does not diverge; "
                  f"anything above 1 would.")),
    }
    claim = {
        "zh": "每一步都把 x 乘以 1−2η，所以学习率决定了收敛得慢、快还是发散：|1−2η| < 1（即 η < 2/L = 1）才会收敛。",
        "en": ("Every step multiplies x by 1−2η, so the learning rate alone decides slow, fast or divergent: GD "
               "converges only while |1−2η| < 1, i.e. η < 2/L = 1."),
    }
    k = np.arange(steps + 1)
    series = {f"|x| η={lrs[n]:g}": Series.of(k, np.maximum(paths[n], 1e-300), log_y=True) for n in names}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
