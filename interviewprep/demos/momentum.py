"""Momentum on an ill-conditioned quadratic: (κ−1)/(κ+1) per step for GD, (√κ−1)/(√κ+1) for heavy ball.

f(x) = ½ Σ λᵢxᵢ² with eigenvalues from μ = 1 to L = κ. GD at its best fixed step 2/(L+μ) shrinks
the error by (κ−1)/(κ+1) per step. Heavy-ball momentum (torch.optim.SGD with momentum, whose
b ← βb + g, x ← x − ηb equals Polyak's x ← x − η∇f + β(x − x_prev)) with the optimal
η = 4/(√L+√μ)² and β = ((√κ−1)/(√κ+1))² shrinks it by (√κ−1)/(√κ+1): about √κ times fewer steps.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD

DIM = 8


RATE_TOL = 1e-12  # runs go this far so the measured per-step rate is asymptotic, whatever `tol` is


def _iterate(lam, lr, momentum, cap):
    x = np.ones(DIM)
    opt = SGD([x], lr=lr, momentum=momentum)
    start = float(np.linalg.norm(x))
    errs = [1.0]
    while errs[-1] > RATE_TOL and len(errs) <= cap:
        opt.step([lam * x])
        errs.append(float(np.linalg.norm(x)) / start)
    return np.array(errs)


def _tail_rate(errs, jordan=False):
    """Geometric-mean contraction per step over the second half of the run.

    At the optimal heavy-ball parameters the two roots of each mode coincide, so the error decays as
    (c₀ + c₁k)·rᵏ; `jordan` divides out that linear factor.
    """
    k = len(errs) - 1
    mid = k // 2
    ratio = errs[-1] / errs[mid]
    if jordan:
        ratio *= (mid + 1) / (k + 1)
    return ratio ** (1.0 / (k - mid))


def _first_below(errs, tol):
    hit = np.flatnonzero(errs <= tol)
    return int(hit[0]) if hit.size else None


@demo(
    id="momentum",
    title={"zh": "动量：病态二次函数上把迭代次数从 ~κ 降到 ~√κ",
           "en": "Momentum: from ~κ to ~√κ iterations on an ill-conditioned quadratic"},
    tags=["momentum", "heavy-ball", "sgd", "conditioning", "condition-number", "convergence-rate",
          "动量", "重球法", "条件数", "收敛速度", "病态"],
    params=[
        Param("kappa", float, 100.0, 2.0, 1000.0, help={"zh": "条件数 κ = L/μ", "en": "condition number κ = L/μ"}),
        Param("tol", float, 1e-6, 1e-10, 1e-2,
              help={"zh": "目标相对误差 ‖x‖/‖x₀‖", "en": "target relative error ‖x‖/‖x₀‖"}),
    ],
)
def run(p, rng) -> Outcome:
    kappa, tol = p["kappa"], p["tol"]
    mu, big_l = 1.0, kappa
    lam = np.geomspace(mu, big_l, DIM)
    r_gd = (kappa - 1) / (kappa + 1)
    sk = math.sqrt(kappa)
    r_hb = (sk - 1) / (sk + 1)
    lr_gd = 2.0 / (big_l + mu)
    lr_hb = 4.0 / (math.sqrt(big_l) + math.sqrt(mu)) ** 2
    beta = r_hb**2
    cap = int(3 * math.log(RATE_TOL) / math.log(r_gd)) + 200
    gd = _iterate(lam, lr_gd, 0.0, cap)
    hb = _iterate(lam, lr_hb, beta, cap)
    n_gd, n_hb = _first_below(gd, tol), _first_below(hb, tol)
    rate_gd, rate_hb = _tail_rate(gd), _tail_rate(hb, jordan=True)
    speedup = n_gd / n_hb
    predicted = math.log(r_hb) / math.log(r_gd)
    metrics = {
        "gd_iterations": n_gd, "momentum_iterations": n_hb, "speedup": speedup,
        "gd_rate_measured": rate_gd, "gd_rate_theory": r_gd,
        "momentum_rate_measured": rate_hb, "momentum_rate_theory": r_hb,
        "predicted_speedup": predicted, "sqrt_kappa": sk,
        "gd_lr": lr_gd, "momentum_lr": lr_hb, "momentum_beta": beta,
    }
    checks = [
        check("GD contracts by (κ−1)/(κ+1) per step", abs(rate_gd - r_gd) < 1e-3 * r_gd,
              f"{rate_gd:.5f}, theory {r_gd:.5f}"),
        check("heavy ball contracts by (√κ−1)/(√κ+1) per step", abs(rate_hb - r_hb) < 0.02 * r_hb,
              f"{rate_hb:.5f}, theory {r_hb:.5f} (after dividing out the k·rᵏ factor of the double root)"),
        check("momentum needs fewer iterations, a speedup of order √κ (at least √κ/3)",
              n_hb < n_gd and speedup >= sk / 3,
              f"GD {n_gd}, momentum {n_hb}: ×{speedup:.1f} (asymptotically ln r_HB / ln r_GD = {predicted:.1f}; "
              f"√κ = {sk:.1f})"),
    ]
    takeaway = {
        "zh": (f"κ={kappa:g}：最优步长的 GD 每步误差乘 {rate_gd:.4f}（理论 (κ−1)/(κ+1)={r_gd:.4f}），"
               f"到 {tol:g} 要 {n_gd} 步；重球动量（η={lr_hb:.4f}，β={beta:.3f}）每步乘 {rate_hb:.4f}"
               f"（理论 (√κ−1)/(√κ+1)={r_hb:.4f}），要 {n_hb} 步。\n"
               f"GD 的步数是动量的 {speedup:.1f} 倍（√κ={sk:.1f}）。"),
        "en": (f"κ={kappa:g}: GD at its best step multiplies the error by {rate_gd:.4f} per step (theory "
               f"(κ−1)/(κ+1) = {r_gd:.4f}) and needs {n_gd} steps to reach {tol:g}; heavy-ball momentum "
               f"(η={lr_hb:.4f}, β={beta:.3f}) multiplies it by {rate_hb:.4f} (theory (√κ−1)/(√κ+1) = {r_hb:.4f}) "
               f"and needs {n_hb}.\nGD needs {speedup:.1f}× the steps momentum needs (√κ = {sk:.1f})."),
    }
    claim = {
        "zh": "加速与 √κ 同一量级：动量把对条件数的依赖从 κ 降到 √κ。",
        "en": "A speedup of the order of √κ: momentum turns the dependence on conditioning from κ into √κ.",
    }
    series = {
        "GD ‖x‖/‖x₀‖": Series.of(np.arange(n_gd + 1), gd[: n_gd + 1], log_y=True),
        "momentum ‖x‖/‖x₀‖": Series.of(np.arange(n_hb + 1), hb[: n_hb + 1], log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
