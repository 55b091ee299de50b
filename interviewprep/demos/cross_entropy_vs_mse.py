"""Cross-entropy vs MSE on a sigmoid output: at a saturated, wrong prediction CE's gradient stays ≈ ŷ − y,
while MSE's is multiplied by σ'(z) ≈ 0 — the model learns slowest exactly when it is most wrong.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def ce_loss(z):
    """Binary cross-entropy of logit z against label y = 1."""
    return float(F.binary_cross_entropy_with_logits(np.array([z]), np.array([1.0])))


def mse_half(z):
    """½(σ(z) − 1)², the MSE with the ½ that makes its gradient (ŷ − y)·σ'(z)."""
    return 0.5 * float(F.mse_loss(F.sigmoid(np.array([z])), np.array([1.0])))


def steps_to_correct(grad_fn, z0: float, lr: float, max_steps: int) -> int | None:
    """Gradient-descent steps on the logit until σ(z) > 0.5 (None if not within max_steps)."""
    z = z0
    for step in range(1, max_steps + 1):
        z -= lr * grad_fn(z)
        if z > 0:
            return step
    return None


@demo(
    id="cross-entropy-vs-mse",
    title={"zh": "分类为什么用交叉熵而不是 MSE", "en": "Why cross-entropy beats MSE for classification"},
    tags=["loss", "cross-entropy", "mse", "sigmoid", "saturation", "gradient", "classification",
          "损失函数", "交叉熵", "均方误差", "梯度", "分类"],
    params=[
        Param("z", float, -10.0, -30.0, -0.5,
              help={"zh": "错误且饱和的 logit（标签 y=1，z 越负越自信地错）",
                    "en": "logit of a confidently wrong prediction (label y = 1; more negative = more wrong)"}),
        Param("lr", float, 1.0, 0.01, 10.0,
              help={"zh": "在 logit 上做梯度下降的学习率", "en": "learning rate of gradient descent on the logit"}),
        Param("max_steps", int, 2000, 10, 5000,
              help={"zh": "梯度下降的最大步数", "en": "step budget for the gradient-descent race"}),
    ],
)
def run(p, rng) -> Outcome:
    z0, lr = p["z"], p["lr"]
    y_hat = float(F.sigmoid(z0))
    s_prime = float(F.sigmoid_grad(z0))
    grad_ce = y_hat - 1.0                  # ∂CE/∂z = ŷ − y
    grad_mse = (y_hat - 1.0) * s_prime     # ∂(½(ŷ − y)²)/∂z = (ŷ − y)·σ'(z)
    h = 1e-5
    fd_ce = (ce_loss(z0 + h) - ce_loss(z0 - h)) / (2 * h)
    fd_mse = (mse_half(z0 + h) - mse_half(z0 - h)) / (2 * h)
    ratio = grad_ce / grad_mse

    def g_ce(z):
        return float(F.sigmoid(z)) - 1.0

    def g_mse(z):
        s = float(F.sigmoid(z))
        return (s - 1.0) * s * (1.0 - s)  # (ŷ − y)·σ'(z), one sigmoid call per step

    steps_ce = steps_to_correct(g_ce, z0, lr, p["max_steps"])
    steps_mse = steps_to_correct(g_mse, z0, lr, p["max_steps"])
    mse_text = f"{steps_mse}" if steps_mse is not None else f"> {p['max_steps']}"
    ce_text = f"{steps_ce}" if steps_ce is not None else f"> {p['max_steps']}"

    grid = np.linspace(-12.0, 12.0, 241)
    yg = F.sigmoid(grid)
    ce_curve = np.abs(yg - 1.0)
    mse_curve = np.abs((yg - 1.0) * F.sigmoid_grad(grid))

    metrics = {
        "y_hat": y_hat,
        "sigma_prime_z": s_prime,
        "grad_ce": grad_ce,
        "grad_mse": grad_mse,
        "finite_difference_ce": fd_ce,
        "finite_difference_mse": fd_mse,
        "ratio_ce_over_mse": ratio,
        "steps_ce": steps_ce,  # None (JSON null): not fixed within max_steps
        "steps_mse": steps_mse,
    }
    checks = [
        check("CE gradient = ŷ − y (finite differences agree)", abs(fd_ce - grad_ce) < 1e-6,
              f"ŷ − y = {grad_ce:.6f}, finite difference = {fd_ce:.6f}"),
        check("MSE gradient = (ŷ − y)·σ'(z) (finite differences agree)",
              abs(fd_mse - grad_mse) <= 1e-5 * abs(grad_mse) + 1e-12,
              f"(ŷ − y)·σ'(z) = {grad_mse:.4e}, finite difference = {fd_mse:.4e}"),
        check("CE's gradient is over 100× MSE's at this saturated wrong output", ratio > 100,
              f"|{grad_ce:.4f}| / |{grad_mse:.3e}| = {ratio:.4g} = 1/σ'(z)"),
        check("gradient descent on CE fixes the prediction in far fewer steps than on MSE",
              steps_ce is not None and (steps_mse is None or steps_mse > 5 * steps_ce),
              f"steps until ŷ > 0.5 with lr = {lr:g}: CE {ce_text}, MSE {mse_text}"),
    ]
    if ratio > 100:
        gap_zh, gap_en = "", ""
    else:
        gap_zh = f"这里输出还不算饱和（σ'(z)={s_prime:.3f}），所以差距不大。"
        gap_en = f" Here the output is hardly saturated (σ'(z) = {s_prime:.3f}), so the gap is small."
    if steps_ce is None:
        race_zh = (f"学习率 {lr:g} 的梯度下降在 {p['max_steps']} 步内用交叉熵也没能纠正（MSE {mse_text} 步）："
                   "步数预算太少或学习率太小，看不出谁更快。")
        race_en = (f"Gradient descent with lr {lr:g} did not fix the prediction within {p['max_steps']} steps even "
                   f"with CE (MSE: {mse_text}): the budget is too short or the step too small to race them.")
    elif checks[3].passed:
        race_zh = f"学习率 {lr:g} 的梯度下降：交叉熵 {ce_text} 步纠正，MSE {mse_text} 步。"
        race_en = (f"Gradient descent with lr {lr:g} fixes the prediction in {ce_text} steps with CE and {mse_text} "
                   "with MSE.")
    else:
        race_zh = (f"学习率 {lr:g} 的梯度下降：交叉熵 {ce_text} 步纠正，MSE {mse_text} 步，不到 5 倍：在这个设置下 "
                   "MSE 并没有慢很多。")
        race_en = (f"Gradient descent with lr {lr:g} fixes the prediction in {ce_text} "
                   f"step{'s' if steps_ce > 1 else ''} with CE and {mse_text} with MSE, less than 5× apart: at "
                   "this setting MSE is not much slower.")
    takeaway = {
        "zh": (f"y=1 而 z={z0:g}（ŷ={y_hat:.2e}）时，交叉熵对 logit 的梯度是 ŷ−y={grad_ce:.4f}，"
               f"MSE 的梯度多乘了 σ'(z)={s_prime:.2e}，只有 {grad_mse:.2e}，小了 {ratio:.4g} 倍（正好是 1/σ'(z)）。"
               f"{gap_zh}{race_zh}"),
        "en": (f"With y=1 and z={z0:g} (ŷ={y_hat:.2e}) cross-entropy's gradient w.r.t. the logit is ŷ−y={grad_ce:.4f}; "
               f"MSE multiplies it by σ'(z)={s_prime:.2e}, giving {grad_mse:.2e}, {ratio:.4g}× smaller (exactly "
               f"1/σ'(z)).{gap_en} {race_en}"),
    }
    claim = {
        "zh": ("输出饱和且错误时，MSE 的梯度被 σ'(z)≈0 压没了，交叉熵的梯度仍是 ŷ−y：错得越离谱，MSE 学得越慢，"
               "所以分类用交叉熵。"),
        "en": ("At a saturated, wrong output MSE's gradient is crushed by σ'(z) ≈ 0 while cross-entropy's stays ŷ − y: "
               "the more wrong the output, the slower MSE learns, which is why classification uses cross-entropy."),
    }
    series = {"|∂CE/∂z| (y=1)": Series.of(grid, ce_curve, log_y=True),
              "|∂MSE/∂z| (y=1)": Series.of(grid, mse_curve, log_y=True)}
    return Outcome(metrics, checks, takeaway, series, claim=claim)
