"""The SGD noise ball: with a constant step, SGD never settles; it jitters with variance ησ²/(2 − η).

Setup: f(x) = x²/2 (minimum at 0), and each step sees the gradient x + σξ with ξ ~ N(0, 1). The
update x ← x − η(x + σξ) = (1 − η)x − ησξ has a stationary variance V with
V = (1 − η)²V + η²σ², i.e. V = η²σ² / (1 − (1 − η)²) = ησ² / (2 − η): proportional to η for
small η. Decaying the step, η_t = η·t₀/(t₀ + t) (Σηₜ = ∞, Σηₜ² < ∞), keeps shrinking it instead.
Many independent chains run at once; the variance is pooled over chains and the last steps.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD

X0 = 2.0
WINDOW = 300
DECAY_T0 = 10


def _theory(lr: float, sigma: float) -> float:
    return lr * sigma**2 / (2 - lr)


def _simulate(lr, sigma, chains, steps, rng, decay_from=None):
    """Mean of x² over the chains after every step; with `decay_from`, η_t = η·t₀/(t₀ + t − decay_from) after it."""
    x = np.full(chains, X0)
    opt = SGD([x], lr=lr)
    curve = [X0**2]
    for t in range(steps):
        if decay_from is not None and t >= decay_from:
            opt.lr = lr * DECAY_T0 / (DECAY_T0 + t - decay_from)
        opt.step([x + sigma * rng.standard_normal(chains)])
        curve.append(float(np.mean(x * x)))
    return np.array(curve)


@demo(
    id="sgd-noise-ball",
    title={"zh": "SGD 的噪声区：固定步长下的稳态方差 ησ²/(2−η)",
           "en": "SGD's noise ball: stationary variance ησ²/(2−η) at a constant step"},
    tags=["sgd", "gradient-noise", "learning-rate", "noise-ball", "convergence", "learning-rate-decay",
          "随机梯度下降", "梯度噪声", "学习率", "噪声区", "收敛", "学习率衰减"],
    params=[
        Param("lr", float, 0.1, 0.02, 1.9, help={"zh": "固定学习率 η（需 < 2）", "en": "constant step η (below 2)"}),
        Param("sigma", float, 1.0, 0.01, 10.0, help={"zh": "梯度噪声标准差 σ", "en": "gradient-noise std σ"}),
        Param("chains", int, 2000, 200, 20000,
              help={"zh": "并行独立运行的 SGD 链数", "en": "independent SGD chains run in parallel"}),
    ],
)
def run(p, rng) -> Outcome:
    lr, sigma, chains = p["lr"], p["sigma"], p["chains"]
    half = lr / 2
    # burn-in: the start's contribution X0²(1 − η)^(2k) must fall far below the stationary variance, for
    # the slower-contracting of the two rates (|1 − η| exceeds |1 − η/2| once η > 4/3)
    slowest = max(abs(1 - lr), abs(1 - half))
    burn = math.ceil(math.log(1e-4 * min(_theory(lr, sigma), _theory(half, sigma)) / X0**2) / (2 * math.log(slowest)))
    steps = max(burn, 1) + WINDOW
    full = _simulate(lr, sigma, chains, steps, rng)
    halved = _simulate(half, sigma, chains, steps, rng)
    decayed = _simulate(lr, sigma, chains, steps, rng, decay_from=steps - WINDOW)
    v_full, v_half = float(np.mean(full[-WINDOW:])), float(np.mean(halved[-WINDOW:]))
    t_full, t_half = _theory(lr, sigma), _theory(half, sigma)
    v_decay_end = float(decayed[-1])
    ratio, ratio_th = v_full / v_half, t_full / t_half
    metrics = {
        "stationary_var_measured": v_full, "stationary_var_theory": t_full,
        "half_lr_var_measured": v_half, "half_lr_var_theory": t_half,
        "var_ratio_measured": ratio, "var_ratio_theory": ratio_th,
        "decayed_lr_final_var": v_decay_end, "steps": steps,
    }
    rel = abs(v_full / t_full - 1)
    # sampling error of a window mean: x² has variance 2V² per chain and step, and x² is correlated
    # over steps with ρ = (1 − η)², so the window holds WINDOW·(1 − ρ)/(1 + ρ) independent steps
    def rel_se(eta):
        rho = (1 - eta) ** 2
        return math.sqrt(2 / (chains * WINDOW * (1 - rho) / (1 + rho)))

    tol = max(0.05, 4 * rel_se(lr))
    ratio_tol = max(0.07, 4 * math.hypot(rel_se(lr), rel_se(half)))
    shrink = v_full / v_decay_end
    checks = [
        check(f"stationary mean x² = ησ²/(2−η) (within {tol:.0%}, the larger of 5% and 4 standard errors)", rel < tol,
              f"{v_full:.4e}, theory {t_full:.4e} ({rel:.1%} off; {chains} chains × {WINDOW} steps)"),
        check(f"halving η shrinks the ball as theory says (within {ratio_tol:.0%})",
              abs(ratio / ratio_th - 1) < ratio_tol,
              f"V(η)/V(η/2): measured {ratio:.3f}, theory {ratio_th:.3f}"),
        check("decaying the step shrinks the ball at least 5×", shrink > 5,
              f"η_t = η·{DECAY_T0}/({DECAY_T0}+s) over the last {WINDOW} steps: final mean x² {v_decay_end:.3e} "
              f"vs {v_full:.3e} at constant η"),
    ]
    # theory ησ²/(2−η): halving η gives 2(2−η/2)/(2−η), 2 for small η but 21 at η = 1.9
    times_en = f"{ratio:.2f}× smaller (theory {ratio_th:.2f}×" + (", about half" if ratio_th < 2.2 else "") + ")"
    times_zh = f"缩小到 1/{ratio:.2f}（理论 1/{ratio_th:.2f}" + ("，约减半" if ratio_th < 2.2 else "") + "）"
    if checks[2].passed:
        decay_zh, decay_en = f"，比固定 η 时小 {shrink:.1f} 倍", f", {shrink:.1f}× lower than at constant η"
    else:
        decay_zh = (f"，只小了 {shrink:.1f} 倍（不到 5 倍）：η 这么小时 x 每步只移动一点，"
                    f"{WINDOW} 步的衰减还来不及把噪声区压下去")
        decay_en = (f", only {shrink:.1f}× lower (not 5×): with η this small x moves little per step, and "
                    f"{WINDOW} decaying steps are too few to squeeze the ball")
    takeaway = {
        "zh": (f"f(x)=x²/2、梯度噪声 σ={sigma:g}：固定 η={lr:g} 时，最后 {WINDOW} 步的 x² 均值为 "
               f"{v_full:.3e}（「噪声区」理论 ησ²/(2−η) = {t_full:.3e}）。\n"
               f"η 减半，方差变为 {v_half:.3e}，{times_zh}；最后 {WINDOW} 步让 ηₜ ∝ 1/t 衰减，"
               f"方差降到 {v_decay_end:.2e}{decay_zh}。"),
        "en": (f"f(x)=x²/2 with gradient noise σ={sigma:g}: at a constant η={lr:g} the mean x² over the last "
               f"{WINDOW} steps is {v_full:.3e} (noise-ball theory ησ²/(2−η) = {t_full:.3e}).\n"
               f"Halving η gives {v_half:.3e}, {times_en}; decaying ηₜ ∝ 1/t over the last {WINDOW} steps leaves "
               f"{v_decay_end:.2e}{decay_en}."),
    }
    claim = {
        "zh": "固定步长下 SGD 不会停在 0，而是在「噪声区」里抖动，噪声区的大小由 η 决定：要收敛到一点就得降学习率。",
        "en": ("At a constant step SGD does not stop at 0 but jitters in a noise ball whose size the step sets: to "
               "converge to a point, lower the learning rate."),
    }
    k = np.arange(steps + 1)
    series = {
        f"mean x² η={lr:g}": Series.of(k, full, log_y=True),
        f"mean x² η={half:g}": Series.of(k, halved, log_y=True),
        "mean x², decay at end": Series.of(k, decayed, log_y=True),
    }
    return Outcome(metrics, checks, takeaway, series, claim=claim)
