"""Compounding error in behaviour cloning: O(εT²) for a cloned policy vs O(εT) with DAgger-style data.

A lane-keeping toy (Ross & Bagnell, 2010; Ross et al., 2011): the expert always stays on the lane,
so the demonstrations contain only on-lane states. The learned policy copies the expert but slips
off with probability ε per step. The behaviour-cloned policy never saw an off-lane state, so once
off it does not know how to come back and pays cost 1 on every remaining step. A DAgger policy was
also trained on the states it visits itself, labelled by the expert, so it steers back on the next
step (again with error ε). Expected costs: BC Σ_t [1 − (1 − ε)^t] ≈ εT²/2, DAgger ≈ εT.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def rollouts(eps, horizon, n, recovers, rng):
    """Mean per-step cost (fraction of n episodes off the lane at step t) for t = 1..horizon.

    Drawn from the exact distributions rather than step by step (n × T coin flips took over a second at
    the largest settings): a policy that recovers is off at step t iff it errs at t (w.p. ε), so the count
    off is Binomial(n, ε) at every step; one that never recovers is off from its first error on, and the
    first error's step is Geometric(ε).
    """
    if recovers:
        # off-lane states are in its training data: an off-lane policy steers back unless it errs
        # (w.p. ε), an on-lane one slips off w.p. ε, so either way it is off next step iff it errs
        return rng.binomial(n, eps, size=horizon) / n
    # off-lane states were never demonstrated: once off, it stays off
    first_error = np.minimum(rng.geometric(eps, size=n), horizon + 1)  # horizon + 1: no error within T
    return np.cumsum(np.bincount(first_error, minlength=horizon + 2)[1:horizon + 1]) / n


def loglog_slope(x, y):
    """Slope of log y against log x; nan when some y is 0 (no error happened yet: too few samples)."""
    if np.any(y <= 0):
        return float("nan")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


@demo(
    id="behavior-cloning",
    title={"zh": "行为克隆的误差累积：εT² 对比 DAgger 的 εT",
           "en": "Behaviour cloning's compounding error: εT² vs DAgger's εT"},
    tags=["imitation-learning", "behavior-cloning", "behaviour-cloning", "dagger", "distribution-shift",
          "compounding-error", "模仿学习", "行为克隆", "分布偏移", "误差累积"],
    params=[
        Param("eps", float, 0.002, 0.0005, 0.1, help={"zh": "每步犯错概率 ε", "en": "per-step error probability ε"}),
        Param("horizon", int, 200, 20, 1000, help={"zh": "最长回合长度 T", "en": "longest episode length T"}),
        Param("n", int, 20000, 5000, 100000,
              help={"zh": "每个策略的模拟回合数", "en": "simulated episodes per policy"}),
    ],
)
def run(p, rng) -> Outcome:
    eps, horizon, n = p["eps"], p["horizon"], p["n"]
    bc = rollouts(eps, horizon, n, recovers=False, rng=rng)
    dagger = rollouts(eps, horizon, n, recovers=True, rng=rng)
    # cost of an episode of length T is the prefix sum up to T (the process is causal)
    horizons = np.unique(np.geomspace(10, horizon, 12).astype(int))
    bc_cost = np.cumsum(bc)[horizons - 1]
    dg_cost = np.cumsum(dagger)[horizons - 1]
    bc_theory = np.array([T - (1 - eps) * (1 - (1 - eps) ** T) / eps for T in horizons])  # Σ_{t=1}^T 1 − (1−ε)^t
    dg_theory = eps * horizons
    slope_bc = loglog_slope(horizons, bc_cost)
    slope_dg = loglog_slope(horizons, dg_cost)
    bc_txt = f"{slope_bc:.2f}" if np.isfinite(slope_bc) else "unmeasurable (a cost of 0: too few errors)"
    dg_txt = f"{slope_dg:.2f}" if np.isfinite(slope_dg) else "unmeasurable (a cost of 0: too few errors)"
    ratio = float(bc_cost[-1] / dg_cost[-1])
    ratio_theory = float(bc_theory[-1] / dg_theory[-1])
    big_t = int(horizons[-1])
    rel_err = float(abs(bc_cost[-1] - bc_theory[-1]) / bc_theory[-1])

    metrics = {
        "cost_bc_T": float(bc_cost[-1]),
        "cost_bc_T_theory": float(bc_theory[-1]),
        "cost_dagger_T": float(dg_cost[-1]),
        "cost_dagger_T_theory": float(dg_theory[-1]),
        "loglog_slope_bc": slope_bc if np.isfinite(slope_bc) else None,  # None: a cost of 0, no slope
        "loglog_slope_dagger": slope_dg if np.isfinite(slope_dg) else None,
        "bc_over_dagger_at_T": ratio,
        "bc_over_dagger_theory": ratio_theory,
        "eps_T": eps * big_t,
    }
    checks = [
        check("behaviour cloning's cost grows ~T² (log-log slope ≥ 1.6)", slope_bc >= 1.6,
              f"slope {bc_txt} (εT = {eps * big_t:.2g}; the slope → 2 as εT → 0, and drops once "
              f"most episodes have gone off the lane)"),
        check("the DAgger-style policy's cost grows ~T (slope within 1 ± 0.15)", abs(slope_dg - 1) <= 0.15,
              f"slope {dg_txt}"),
        check(f"at T = {big_t} cloning costs several times more (≥ 3×)", ratio >= 3,
              f"{bc_cost[-1]:.2f} vs {dg_cost[-1]:.3f}: {ratio:.1f}× (theory {ratio_theory:.1f}×)"),
        check(f"BC cost at T = {big_t} matches Σ_t 1 − (1 − ε)^t within 10%", rel_err < 0.10,
              f"{bc_cost[-1]:.3f} vs {bc_theory[-1]:.3f} ({rel_err:.1%} off)"),
    ]
    takeaway = {
        "zh": (f"每步只有 ε={eps:g} 的犯错概率，但行为克隆一旦偏离专家轨迹就回不来：T={big_t} 时累计代价 "
               f"{bc_cost[-1]:.2f}，对数斜率 {bc_txt}；用 DAgger 式数据（在自己访问到的状态上请专家标注）"
               f"的策略代价 {dg_cost[-1]:.3f}，斜率 {dg_txt}，相差 {ratio:.1f} 倍。"),
        "en": (f"With only ε={eps:g} error per step, a cloned policy that leaves the expert's states never comes back: "
               f"at T={big_t} its cost is {bc_cost[-1]:.2f}, log-log slope {bc_txt}. A DAgger-style policy "
               f"(trained on its own states, labelled by the expert) costs {dg_cost[-1]:.3f}, slope {dg_txt}: "
               f"{ratio:.1f}× less."),
    }
    claim = {
        "zh": ("行为克隆的误差会累积，代价随 T² 增长；"
               "在策略自己访问到的状态上请专家标注（DAgger），代价就只随 T 线性增长。"),
        "en": ("Behaviour cloning's errors compound, so its cost grows like T²; labelling the states the policy "
               "itself visits (DAgger) makes it grow only like T."),
    }
    series = {
        "BC cost vs T": Series.of(horizons, bc_cost, log_y=True),
        "DAgger cost vs T": Series.of(horizons, dg_cost, log_y=True),
        "BC theory Σ 1−(1−ε)^t": Series.of(horizons, bc_theory, log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
