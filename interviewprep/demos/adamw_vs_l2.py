"""AdamW's decoupled weight decay vs Adam with L2 (torch's Adam(weight_decay=λ)), measured.

A "quiet" weight gets no data gradient. AdamW shrinks it by exactly (1 − lr·λ) per step. Adam with
L2 feeds λw into the gradient and then normalizes by √v̂, so the step is ≈ lr·sign(w) whatever λ
is: a 1000× larger λ gives the same step. "Busy" weights get a noisy data gradient of scale s:
AdamW still shrinks them by (1 − lr·λ) per step in expectation, but under L2 the decay term is
divided by √v̂ ≈ s, so they are barely decayed. Decay strength then depends on gradient history.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import Adam, AdamW

QUIET_STEPS = 10
BUSY = 2000
GRID = (0.01, 0.1, 1.0, 10.0)  # multiples of λ for the quiet-weight table
MAIN = GRID.index(1.0)


def _quiet(cls, lr, lam):
    w = np.ones(1)
    opt = cls([w], lr=lr, weight_decay=lam)
    path = [1.0]
    for _ in range(QUIET_STEPS):
        opt.step([np.zeros(1)])
        path.append(float(w[0]))
    return np.array(path)


def _busy(cls, lr, lam, noise):
    w = np.ones(BUSY)
    opt = cls([w], lr=lr, weight_decay=lam)
    means = [1.0]
    for g in noise:
        opt.step([g])
        means.append(float(w.mean()))
    return np.array(means), w


@demo(
    id="adamw-vs-l2",
    title={"zh": "AdamW 解耦权重衰减 vs Adam + L2", "en": "AdamW's decoupled weight decay vs Adam + L2"},
    tags=["adamw", "adam", "weight-decay", "l2", "regularization", "optimizer",
          "权重衰减", "正则化", "解耦", "优化器"],
    params=[
        Param("lr", float, 0.01, 1e-4, 0.05, help={"zh": "学习率", "en": "learning rate"}),
        Param("weight_decay", float, 0.1, 1e-3, 1.0, help={"zh": "权重衰减系数 λ", "en": "weight decay λ"}),
        Param("grad_noise", float, 10.0, 0.1, 100.0,
              help={"zh": "「忙碌」权重的数据梯度噪声大小 s",
                    "en": "scale s of the busy weights' data-gradient noise"}),
        Param("steps", int, 200, 10, 2000, help={"zh": "忙碌权重的训练步数", "en": "steps for the busy weights"}),
    ],
)
def run(p, rng) -> Outcome:
    lr, lam, s, steps = p["lr"], p["weight_decay"], p["grad_noise"], p["steps"]
    rows, adamw_exact, l2_steps = [], [], []
    for mult in GRID:
        lam_i = lam * mult
        w_decoupled = _quiet(AdamW, lr, lam_i)
        w_l2 = _quiet(Adam, lr, lam_i)
        factors = w_decoupled[1:] / w_decoupled[:-1]
        adamw_exact.append(float(np.max(np.abs(factors - (1 - lr * lam_i)))))
        step_l2 = float(np.mean(-np.diff(w_l2)) / lr)
        l2_steps.append(step_l2)
        rows.append([lam_i, float(factors.mean()), 1 - lr * lam_i, float(w_decoupled[-1]), float(w_l2[-1]), step_l2])

    noise = s * rng.standard_normal((steps, BUSY))
    mean_w, w_w = _busy(AdamW, lr, lam, noise)
    mean_l2, _ = _busy(Adam, lr, lam, noise)
    theory_w = (1 - lr * lam) ** steps
    se = float(w_w.std() / np.sqrt(BUSY))
    decay_w, decay_l2 = 1 - mean_w[-1], 1 - mean_l2[-1]
    metrics = {
        "adamw_quiet_factor_per_step": rows[MAIN][1], "one_minus_lr_lambda": 1 - lr * lam,
        "adam_l2_quiet_step_over_lr_min": min(l2_steps), "adam_l2_quiet_step_over_lr_max": max(l2_steps),
        "busy_mean_adamw": float(mean_w[-1]), "busy_mean_adamw_theory": theory_w,
        "busy_mean_adam_l2": float(mean_l2[-1]), "busy_mean_standard_error": se,
    }
    table = {"columns": ["λ", "AdamW factor/step", "1 − lr·λ", f"AdamW w after {QUIET_STEPS}",
                         f"Adam+L2 w after {QUIET_STEPS}", "Adam+L2 step / lr"], "rows": rows}
    spread = max(l2_steps) / min(l2_steps)
    checks = [
        check("AdamW shrinks a zero-gradient weight by exactly (1 − lr·λ) per step", max(adamw_exact) < 1e-12,
              f"λ = {lam * GRID[0]:g}…{lam * GRID[-1]:g}: largest deviation {max(adamw_exact):.1e}"),
        check(f"Adam+L2 moves it by ≈ lr per step whatever λ is ({GRID[-1] / GRID[0]:g}× range)",
              all(0.9 < x < 1.1 for x in l2_steps) and spread < 1.05,
              f"mean step/lr over {QUIET_STEPS} steps: {min(l2_steps):.4f}…{max(l2_steps):.4f}"),
        check("AdamW decays busy weights as (1 − lr·λ)ᵗ in expectation", abs(mean_w[-1] - theory_w) < 4 * se + 1e-12,
              f"mean after {steps} steps {mean_w[-1]:.4f}, theory {theory_w:.4f} (±{se:.4f} s.e.)"),
        check(f"Adam+L2 barely decays busy weights (gradient noise s={s:g})", decay_l2 < 0.5 * decay_w,
              f"drop of the mean weight: Adam+L2 {decay_l2:.4f}, AdamW {decay_w:.4f}"),
    ]
    takeaway = {
        "zh": (f"没有数据梯度的权重：AdamW 每步乘 {rows[MAIN][1]:.4f}（1−lr·λ = {1 - lr * lam:.4f}）；"
               f"Adam+L2 在 λ = {lam * GRID[0]:g}…{lam * GRID[-1]:g} 时每步移动约 "
               f"{min(l2_steps):.3f}–{max(l2_steps):.3f}·lr。\n"
               f"梯度噪声 s={s:g} 的权重：{steps} 步后 AdamW 的均值 {mean_w[-1]:.3f}（理论 {theory_w:.3f}），"
               f"Adam+L2 为 {mean_l2[-1]:.3f}。"),
        "en": (f"A weight with no data gradient: AdamW multiplies it by {rows[MAIN][1]:.4f} per step (1−lr·λ = "
               f"{1 - lr * lam:.4f}); Adam+L2 moves it by about {min(l2_steps):.3f}–{max(l2_steps):.3f}·lr per step "
               f"for λ from {lam * GRID[0]:g} to {lam * GRID[-1]:g}.\nWeights with gradient noise s={s:g}: after "
               f"{steps} steps AdamW's mean is {mean_w[-1]:.3f} (theory {theory_w:.3f}), Adam+L2's {mean_l2[-1]:.3f}."),
    }
    claim = {
        "zh": ("AdamW 的解耦衰减每步正好乘 1−lr·λ；Adam+L2 的 L2 项被 √v̂ 归一化掉了，λ 大小几乎没区别，"
               "梯度历史越大，L2 衰减越弱。"),
        "en": ("AdamW's decoupled decay multiplies a weight by exactly 1−lr·λ per step; under Adam+L2, √v̂ normalizes "
               "the L2 term away, so λ barely matters, and the larger the gradient history, the weaker the L2 decay."),
    }
    k = np.arange(steps + 1)
    series = {
        "busy mean w, AdamW": Series.of(k, mean_w),
        "busy mean w, Adam+L2": Series.of(k, mean_l2),
        "theory (1 − lr·λ)ᵗ": Series.of(k, (1 - lr * lam) ** k),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
