"""The Hessian sets GD's speed limit; Newton's method uses it to finish a quadratic in one step.

f(x) = ½xᵀAx − bᵀx with A = QΛQᵀ, a random rotation Q and eigenvalues from λmin = 1 to λmax = κ.
GD is stable only for η < 2/λmax; at the best fixed step η = 2/(λmax + λmin) the error along the
two extreme eigenvectors shrinks by exactly (κ−1)/(κ+1) per step, so that is the measured rate.
The Newton step Δ = −A⁻¹∇f lands on x* = A⁻¹b at once, whatever κ and the rotation.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD


def _gd(A, b, x0, x_star, lr, steps):
    x = x0.copy()
    opt = SGD([x], lr=lr)
    errs = [float(np.linalg.norm(x - x_star))]
    for _ in range(steps):
        opt.step([A @ x - b])
        errs.append(float(np.linalg.norm(x - x_star)))
    return np.array(errs)


def _newton_step(A, b, x):
    """One Newton step x − H⁻¹∇f for f = ½xᵀAx − bᵀx (H = A, ∇f = Ax − b)."""
    return x - np.linalg.solve(A, A @ x - b)


@demo(
    id="hessian-conditioning",
    title={"zh": "Hessian 与条件数：GD 的速度上限与牛顿法一步到位",
           "en": "Hessian and conditioning: GD's speed limit vs one Newton step"},
    tags=["hessian", "conditioning", "condition-number", "newton-method", "second-order", "curvature",
          "gradient-descent", "海森矩阵", "条件数", "牛顿法", "二阶", "曲率", "梯度下降"],
    params=[
        Param("kappa", float, 50.0, 1.5, 2000.0, help={"zh": "Hessian 条件数 κ = λmax/λmin",
                                                        "en": "Hessian condition number κ = λmax/λmin"}),
        Param("dim", int, 10, 2, 100, help={"zh": "维度", "en": "dimension"}),
        Param("steps", int, 400, 100, 3000, help={"zh": "GD 迭代步数", "en": "GD steps"}),
    ],
)
def run(p, rng) -> Outcome:
    kappa, dim, steps = p["kappa"], p["dim"], p["steps"]
    q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    eig = np.geomspace(1.0, kappa, dim)
    A = (q * eig) @ q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(dim)
    x0 = rng.standard_normal(dim)
    x_star = np.linalg.solve(A, b)
    lam = np.linalg.eigvalsh(A)
    lmin, lmax = float(lam[0]), float(lam[-1])
    k_meas = lmax / lmin
    r_theory = (k_meas - 1) / (k_meas + 1)

    best = _gd(A, b, x0, x_star, 2.0 / (lmax + lmin), steps)
    # per-step rate over the second half of the run, stopping before round-off (~1e-13) takes over
    end = int(np.flatnonzero(best > 1e-12 * best[0])[-1])
    half = end // 2
    rate = (best[end] / best[half]) ** (1.0 / (end - half)) if end - half >= 1 else 0.0
    over = _gd(A, b, x0, x_star, 2.2 / lmax, 100)  # past the stability limit

    x_newton = _newton_step(A, b, x0)
    newton_err = float(np.linalg.norm(x_newton - x_star) / np.linalg.norm(x0 - x_star))
    gd_to_tol = np.flatnonzero(best <= 1e-6 * best[0])
    gd_iters = int(gd_to_tol[0]) if gd_to_tol.size else None
    predicted_iters = math.ceil(math.log(1e-6) / math.log(r_theory))
    metrics = {
        "lambda_min": lmin, "lambda_max": lmax, "kappa": k_meas,
        "gd_rate_measured": rate, "gd_rate_theory": r_theory,
        "gd_steps_to_1e-6": gd_iters, "predicted_steps_to_1e-6": predicted_iters,
        "newton_rel_error_after_1_step": newton_err,
        "growth_at_2.2_over_lmax": float(over[-1] / over[0]),
    }
    gd_txt = f"{gd_iters}" if gd_iters is not None else f"> {steps}"
    checks = [
        check("GD at η = 2/(λmax+λmin) contracts by (κ−1)/(κ+1) per step", abs(rate - r_theory) < 2e-3,
              f"{rate:.5f}, theory {r_theory:.5f} (κ = {k_meas:.1f})"),
        check("one Newton step reaches the minimum", newton_err < 1e-8,
              f"relative error after 1 step: {newton_err:.1e}; GD needs {gd_txt} steps for 1e-6"),
        check("GD with η above 2/λmax diverges", over[-1] > over[0],
              f"η = 2.2/λmax: error ×{over[-1] / over[0]:.3g} after {len(over) - 1} steps"),
    ]
    growth = over[-1] / over[0]
    takeaway = {
        "zh": (f"Hessian 特征值在 {lmin:.2f} 到 {lmax:.1f} 之间，κ={k_meas:.1f}。最优固定步长的 GD 每步误差只乘 "
               f"{rate:.4f}（理论 (κ−1)/(κ+1)={r_theory:.4f}），降到 1e-6 需 {gd_txt} 步；步长取 2.2/λmax 时，"
               f"{len(over) - 1} 步后误差变为原来的 {growth:.3g} 倍。\n"
               f"牛顿法 Δ=−H⁻¹g 一步后相对误差 {newton_err:.1e}。"),
        "en": (f"The Hessian's eigenvalues run from {lmin:.2f} to {lmax:.1f}, κ = {k_meas:.1f}. GD at the best fixed "
               f"step shrinks the error by only {rate:.4f} per step (theory (κ−1)/(κ+1) = {r_theory:.4f}) and needs "
               f"{gd_txt} steps for 1e-6; at η = 2.2/λmax the error is ×{growth:.3g} after {len(over) - 1} steps.\n"
               f"One Newton step Δ = −H⁻¹g leaves a relative error of {newton_err:.1e}."),
    }
    claim = {
        "zh": ("步长超过 2/λmax 就发散，所以 GD 的速度受条件数限制；牛顿法按曲率把每个方向缩放好，"
               "一步就到二次函数的最小值，但要存储并求解 n×n 的 H。"),
        "en": ("A step above 2/λmax diverges, so conditioning caps GD's speed; Newton's method rescales every "
               "direction by its curvature and lands on a quadratic's minimum at once, at the price of storing and "
               "solving with the n×n H."),
    }
    series = {
        "GD ‖x − x*‖": Series.of(np.arange(steps + 1), best, log_y=True),
        "theory ((κ−1)/(κ+1))ᵏ": Series.of(np.arange(steps + 1), best[0] * r_theory ** np.arange(steps + 1),
                                          log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
