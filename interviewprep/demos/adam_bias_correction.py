"""Adam's bias correction with a constant gradient: every step is exactly lr with it, ≈3.16·lr without.

m and v start at 0, so after t steps of a constant gradient g, m = (1−β₁ᵗ)g and v = (1−β₂ᵗ)g².
Corrected, m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr. Uncorrected, the step is
lr·(1−β₁ᵗ)/√(1−β₂ᵗ): (1−β₁)/√(1−β₂) ≈ 3.16 at t = 1 with the defaults, rising to ≈ 6.6 near
t ≈ 12 and only returning to ≈ 1 after a few thousand steps, because v's bias fades more slowly.
The uncorrected step is read from the very m and v that torch-style Adam keeps in its state.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import Adam

LR = 1e-3


@demo(
    id="adam-bias-correction",
    title={"zh": "Adam 的偏差修正：不修正时前期步长偏大",
           "en": "Adam's bias correction: without it early steps are too large"},
    tags=["adam", "bias-correction", "optimizer", "moment-estimate", "warmup",
          "偏差修正", "优化器", "一阶矩", "二阶矩", "预热"],
    params=[
        Param("beta1", float, 0.9, 0.0, 0.999, help={"zh": "一阶矩衰减率 β₁", "en": "first-moment decay β₁"}),
        Param("beta2", float, 0.999, 0.5, 0.99999, help={"zh": "二阶矩衰减率 β₂", "en": "second-moment decay β₂"}),
        Param("grad", float, 1.0, 1e-4, 1e4, help={"zh": "恒定梯度的大小 g", "en": "size g of the constant gradient"}),
        Param("steps", int, 3000, 50, 20000, help={"zh": "步数", "en": "number of steps"}),
    ],
)
def run(p, rng) -> Outcome:
    b1, b2, g, steps = p["beta1"], p["beta2"], p["grad"], p["steps"]
    theta = np.zeros(1)
    opt = Adam([theta], lr=LR, betas=(b1, b2))
    grad = np.array([g])
    corrected, uncorrected = [], []
    for _ in range(steps):
        before = float(theta[0])
        opt.step([grad])
        corrected.append(abs(float(theta[0]) - before) / LR)
        m, v = opt.state[0]["exp_avg"][0], opt.state[0]["exp_avg_sq"][0]
        uncorrected.append(float(abs(m) / (np.sqrt(v) + opt.eps)))
    corrected, uncorrected = np.array(corrected), np.array(uncorrected)
    t = np.arange(1, steps + 1)
    closed = (1 - b1**t) / np.sqrt(1 - b2**t)
    first_theory = (1 - b1) / np.sqrt(1 - b2)
    peak_at = int(np.argmax(uncorrected)) + 1
    after_peak = np.flatnonzero(uncorrected[peak_at - 1:] <= 1.1)
    settle = int(after_peak[0]) + peak_at if after_peak.size else None
    above = np.flatnonzero(uncorrected <= 1.0)
    too_large_for = int(above[0]) if above.size else steps
    metrics = {
        "corrected_first_step_over_lr": float(corrected[0]),
        "corrected_max_deviation_from_lr": float(np.max(np.abs(corrected - 1))),
        "uncorrected_first_step_over_lr": float(uncorrected[0]),
        "uncorrected_first_theory": float(first_theory),
        "uncorrected_peak_over_lr": float(uncorrected.max()),
        "uncorrected_peak_step": peak_at,
        "uncorrected_within_10pct_from_step": settle,
        "steps_with_uncorrected_above_lr": too_large_for,
        f"uncorrected_at_step_{steps}": float(uncorrected[-1]),
    }
    rel = float(np.max(np.abs(uncorrected / closed - 1)))
    settle_txt = (f"within 1.1·lr only from step {settle}" if settle is not None
                  else f"not back within 1.1·lr in {steps} steps")
    settle_zh = f"第 {settle} 步才回到 1.1·lr 以内" if settle is not None else f"{steps} 步内都没有回到 1.1·lr 以内"
    checks = [
        check("with bias correction every step has size lr", np.max(np.abs(corrected - 1)) < 1e-5,
              f"step/lr = {corrected[0]:.6f} at t=1, largest deviation {np.max(np.abs(corrected - 1)):.1e}"),
        check("without it the first step is (1−β₁)/√(1−β₂)·lr", abs(uncorrected[0] / first_theory - 1) < 1e-5,
              f"{uncorrected[0]:.4f}·lr, theory {first_theory:.4f}·lr"),
        check("the uncorrected factor follows (1−β₁ᵗ)/√(1−β₂ᵗ) at every step", rel < 1e-5,
              f"largest relative deviation {rel:.1e} over {steps} steps"),
        check("uncorrected early steps are too large (> lr) for many steps (≥ 100, or all of a shorter run)",
              too_large_for >= min(100, steps),
              f"above lr for the first {too_large_for} steps; peak {uncorrected.max():.2f}·lr at step {peak_at}"),
    ]
    dev = float(np.max(np.abs(corrected - 1)))
    peak_en = f", rising to {uncorrected.max():.2f}·lr at step {peak_at}," if peak_at > 1 else " (the largest)"
    peak_zh = f"，第 {peak_at} 步升到 {uncorrected.max():.2f}·lr" if peak_at > 1 else "（最大）"
    takeaway = {
        "zh": (f"梯度恒为 {g:g}，β₁={b1:g}、β₂={b2:g}：有偏差修正时每一步与 lr 之差不超过 {dev:.1e}·lr"
               f"（第 1 步 {corrected[0]:.4f}·lr）；"
               f"不修正时第 1 步是 {uncorrected[0]:.2f}·lr{peak_zh}，{settle_zh}。"),
        "en": (f"Constant gradient {g:g}, β₁={b1:g}, β₂={b2:g}: with bias correction every step is within "
               f"{dev:.1e}·lr of lr ({corrected[0]:.4f}·lr at t=1); without it the first step is "
               f"{uncorrected[0]:.2f}·lr{peak_en} and {settle_txt}."),
    }
    claim = {
        "zh": ("偏差修正让每一步都正好是 lr，不修正时前期步长偏大。原因：m 偏小（×(1−β₁ᵗ)）让步子变小，"
               "v 偏小（×(1−β₂ᵗ)）开根号后让步子变大，而 β₂ 更接近 1，v 的偏差消失得更慢。"),
        "en": ("Bias correction makes every step exactly lr; without it the early steps are too large. Why: the low m "
               "(×(1−β₁ᵗ)) shrinks the step, the low v (×(1−β₂ᵗ), under a square root) inflates it, and v's bias "
               "fades more slowly because β₂ is closer to 1."),
    }
    log_t = np.log10(t)
    series = {
        "uncorrected step/lr vs log10 t": Series.of(log_t, uncorrected),
        "corrected step/lr vs log10 t": Series.of(log_t, corrected),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
