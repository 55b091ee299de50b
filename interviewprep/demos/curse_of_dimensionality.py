"""The curse of dimensionality: distances from a query to random points concentrate — (max − min)/min shrinks
with the dimension — and almost all of a hypercube's volume lies in a thin shell near its boundary.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

DIMS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def distances(pts, query):
    """Euclidean distance from the query to every point."""
    return np.sqrt(np.sum((pts - query) ** 2, axis=1))


def in_shell(pts, eps):
    """Which points of the unit cube lie within eps of one of its 2d faces (at 0 or at 1 in some coordinate)."""
    return np.any((pts < eps) | (pts > 1 - eps), axis=1)


@demo(
    id="curse-of-dimensionality",
    title={"zh": "维度灾难：距离集中与体积集中在边界",
           "en": "Curse of dimensionality: distance concentration and the shell"},
    tags=["curse-of-dimensionality", "high-dimensional", "distance", "nearest-neighbour", "knn", "volume",
          "维度灾难", "高维", "距离", "最近邻"],
    params=[
        Param("n_points", int, 500, 20, 5000, help={"zh": "随机点的个数", "en": "number of random points"}),
        Param("max_dim", int, 1000, 10, 2000, help={"zh": "最高维度", "en": "highest dimension"}),
        Param("shell", float, 0.01, 0.001, 0.2,
              help={"zh": "边界壳层厚度 ε（单位立方体每个面向内 ε）",
                    "en": "shell thickness ε (within ε of any face of the unit cube)"}),
    ],
)
def run(p, rng) -> Outcome:
    dims = [d for d in DIMS if d < p["max_dim"]] + [p["max_dim"]]
    n, eps = p["n_points"], p["shell"]
    contrast, mean_dist, std_dist, shell_mc, mean_given_q = [], [], [], [], []
    for d in dims:
        pts = rng.random((n, d))
        query = rng.random(d)
        dist = distances(pts, query)
        contrast.append(float((dist.max() - dist.min()) / dist.min()))
        mean_dist.append(float(dist.mean()))
        mean_given_q.append(float(np.sqrt(np.sum(query ** 2 - query + 1 / 3))))  # √E‖u − q‖² for this query
        std_dist.append(float(dist.std()))
        near_face = in_shell(pts, eps)
        shell_mc.append(float(near_face.mean()))
    contrast, mean_dist, std_dist, shell_mc, mean_given_q = map(
        np.array, (contrast, mean_dist, std_dist, shell_mc, mean_given_q))
    dims_a = np.array(dims, dtype=float)
    shell_exact = 1 - (1 - 2 * eps) ** dims_a                         # 1 − volume of the inner cube
    mean_theory = np.sqrt(dims_a / 6)                                   # E‖u − v‖² = d/6 averaged over queries
    dmax = dims[-1]
    edge_10pct = 0.1 ** (1 / dmax)
    big = dims_a >= 10
    rel_err_mean = float(np.max(np.abs(mean_dist[big] - mean_given_q[big]) / mean_given_q[big]))
    d100 = dims.index(100) if 100 in dims else len(dims) - 1
    mc_tol = 4 * np.sqrt(shell_exact * (1 - shell_exact) / n) + 1e-9

    metrics = {"contrast_dim_1": float(contrast[0]), "contrast_dim_2": float(contrast[1]),
               "contrast_max_dim": float(contrast[-1]), "mean_distance_max_dim": float(mean_dist[-1]),
               "sqrt_d_over_6_max_dim": float(mean_theory[-1]), "std_distance_max_dim": float(std_dist[-1]),
               "shell_fraction_max_dim": float(shell_mc[-1]), "shell_fraction_exact_max_dim": float(shell_exact[-1]),
               "inner_cube_fraction_max_dim": float(1 - shell_exact[-1]), "edge_for_10pct_volume": edge_10pct,
               "mean_distance_max_rel_err": rel_err_mean, "shell_fraction_dim_100": float(shell_exact[d100])}
    checks = [
        check("relative contrast (max − min)/min of distances shrinks with the dimension",
              contrast[-1] < contrast[0] / 10 and contrast[-1] < 0.5,
              f"d = {dims[0]}: {contrast[0]:.3g}, d = {dmax}: {contrast[-1]:.3f}"),
        check("mean distance grows like √d (√E‖u − q‖² within 5%) while its spread stays flat",
              rel_err_mean < 0.05 and std_dist[-1] < 2 * std_dist[dims.index(10)],
              f"d = {dmax}: mean {mean_dist[-1]:.2f} (√(d/6) = {mean_theory[-1]:.2f}), std {std_dist[-1]:.3f} "
              f"vs {std_dist[dims.index(10)]:.3f} at d = 10; worst relative error for d ≥ 10: {rel_err_mean:.1%}"),
        check(f"the share of volume within {eps:g} of the boundary matches 1 − (1 − 2ε)^d",
              bool(np.all(np.abs(shell_mc - shell_exact) <= mc_tol)),
              f"d = {dmax}: sampled {shell_mc[-1]:.3f}, exact {shell_exact[-1]:.3f}"),
    ]
    takeaway = {
        "zh": (f"{n} 个均匀随机点：d={dims[0]} 时最远/最近距离之差是最近距离的 {contrast[0]:.3g} 倍，d={dmax} 时是 "
               f"{contrast[-1]:.1%}。平均距离 {mean_dist[-1]:.2f}（√(d/6) = {mean_theory[-1]:.2f}），标准差 "
               f"{std_dist[-1]:.2f}。距边界 {eps:g} 以内的壳层在 d={dims[d100]} 时占体积 {shell_exact[d100]:.1%}，"
               f"d={dmax} 时占 {shell_exact[-1]:.1%}，"
               f"要框住 10% 体积的小立方体边长需 {edge_10pct:.3f}。"),
        "en": (f"{n} uniform random points: at d={dims[0]} the farthest-minus-nearest distance is {contrast[0]:.3g}× "
               f"the nearest; at d={dmax} it is {contrast[-1]:.1%}. Mean distance {mean_dist[-1]:.2f} "
               f"(√(d/6) = {mean_theory[-1]:.2f}) with std {std_dist[-1]:.2f}. The shell "
               "within "
               f"{eps:g} of the boundary holds {shell_exact[d100]:.1%} of the volume at d={dims[d100]} and "
               f"{shell_exact[-1]:.1%} at d={dmax}; a sub-cube holding 10% of it needs edge {edge_10pct:.3f}."),
    }
    claim = {
        "zh": "高维空间里“最近邻”几乎和“最远邻”一样远：平均距离按 √(d/6) 增长，标准差却基本不变。",
        "en": ("In high dimensions the nearest neighbour is barely nearer than the farthest: the mean distance grows "
               "like √(d/6) while its spread stays flat."),
    }
    series = {"(max − min)/min distance": Series.of(dims_a, contrast, log_y=True),
              "boundary-shell volume share": Series.of(dims_a, shell_exact)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
