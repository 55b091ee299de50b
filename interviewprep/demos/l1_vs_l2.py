"""L1 vs L2 regularization on a sparse linear regression: the L1 proximal step (soft-thresholding) sets
weights to exactly 0; L2 shrinks every weight but leaves none at 0, however strong it is.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def soft_threshold(w, t):
    """prox of t·‖w‖₁: sign(w)·max(|w| − t, 0)."""
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def lasso_ista(x, y, lam: float, steps: int = 300, w0=None):
    """Proximal gradient (ISTA) on (1/2n)‖xw − y‖² + λ‖w‖₁: a gradient step, then soft-thresholding."""
    n = len(y)
    gram, xty = x.T @ x / n, x.T @ y / n
    lr = 1.0 / np.linalg.eigvalsh(gram).max()
    w = np.zeros(x.shape[1]) if w0 is None else w0.copy()
    for _ in range(steps):
        w = soft_threshold(w - lr * (gram @ w - xty), lr * lam)
    return w


def ridge(x, y, lam: float):
    """Exact minimizer of (1/2n)‖xw − y‖² + (λ/2)‖w‖²."""
    n, d = x.shape
    return np.linalg.solve(x.T @ x / n + lam * np.eye(d), x.T @ y / n)


@demo(
    id="l1-vs-l2",
    title={"zh": "L1 与 L2 正则：稀疏还是收缩", "en": "L1 vs L2 regularization: sparsity vs shrinkage"},
    tags=["l1", "l2", "lasso", "ridge", "regularization", "sparsity", "weight-decay", "soft-threshold",
          "正则化", "稀疏", "权重衰减", "特征选择"],
    params=[
        Param("lam", float, 0.1, 0.001, 10.0, help={"zh": "正则强度 λ", "en": "regularization strength λ"}),
        Param("n_features", int, 50, 5, 200, help={"zh": "特征数", "en": "number of features"}),
        Param("n_informative", int, 5, 1, 50,
              help={"zh": "真正有用（非零）的特征数", "en": "features with a non-zero true weight"}),
    ],
)
def run(p, rng) -> Outcome:
    d, k, lam = p["n_features"], min(p["n_informative"], p["n_features"]), p["lam"]
    n = 100
    x = rng.standard_normal((n, d))
    w_true = np.zeros(d)
    w_true[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 2.0, k)
    y = x @ w_true + 0.5 * rng.standard_normal(n)

    w1, w2 = lasso_ista(x, y, lam), ridge(x, y, lam)
    w_ls = ridge(x, y, 1e-8)  # (nearly) unregularized least squares
    zeros_l1, zeros_l2 = int(np.sum(w1 == 0.0)), int(np.sum(w2 == 0.0))
    kept_true = int(np.sum(w1[:k] != 0.0))
    zeros_irrelevant = int(np.sum(w1[k:] == 0.0))
    shrink_l2 = float(np.linalg.norm(w2) / np.linalg.norm(w_ls))

    lams = np.geomspace(1e-3, 10.0, 13)
    path_l1, w_path = [], np.zeros(d)
    for lv in lams[::-1]:  # strong to weak, each warm-started from the previous solution
        w_path = lasso_ista(x, y, lv, 100, w_path)
        path_l1.insert(0, int(np.sum(w_path == 0.0)))
    path_l2 = [int(np.sum(ridge(x, y, lv) == 0.0)) for lv in lams]
    smallest_l2_strong = float(np.min(np.abs(ridge(x, y, 10.0))))

    # the 1-D example: minimize ½(w − a)² + penalty, with a = 0.3, λ = 0.5
    one_d_l1 = float(soft_threshold(np.array(0.3), 0.5))
    one_d_l2 = 0.3 / (1 + 0.5)

    metrics = {"zeros_l1": zeros_l1, "zeros_l2": zeros_l2, "true_nonzero": k, "true_kept_by_l1": kept_true,
               "irrelevant_zeroed_by_l1": zeros_irrelevant,
               "l2_norm_ratio_vs_least_squares": shrink_l2, "smallest_abs_l2_weight_lam10": smallest_l2_strong,
               "one_d_l1": one_d_l1, "one_d_l2": one_d_l2}
    checks = [
        check("L1 sets most irrelevant weights to exactly 0", zeros_irrelevant >= (d - k) / 2,
              f"{zeros_irrelevant} of {d - k} irrelevant weights are exactly 0; {kept_true} of {k} true features kept"),
        check("L2 sets none to exactly 0, yet shrinks the weight vector", zeros_l2 == 0 and shrink_l2 < 1,
              f"{zeros_l2} exact zeros; ‖w_L2‖ / ‖w_least-squares‖ = {shrink_l2:.3f}"),
        check("L2 leaves no zeros at any λ on the path, up to λ = 10", max(path_l2) == 0,
              f"zeros along the path: L1 {path_l1}, L2 {path_l2}; smallest |w| at λ=10: {smallest_l2_strong:.2e}"),
        check("1-D example: L1 gives 0, L2 gives a/(1 + λ)", one_d_l1 == 0.0 and abs(one_d_l2 - 0.2) < 1e-12,
              f"a = 0.3, λ = 0.5: L1 → {one_d_l1:g}, L2 → {one_d_l2:.3f}"),
    ]
    takeaway = {
        "zh": (f"λ={lam:g}、{d} 个特征（{k} 个有用）：L1（软阈值近端梯度）有 {zeros_l1} 个权重恰好为 0，保留了 "
               f"{kept_true}/{k} "
               f"个真特征；L2 有 {zeros_l2} 个权重恰好为 0，权重范数是最小二乘的 {shrink_l2:.2f} 倍，λ=10 时最小的 |w| "
               f"为 {smallest_l2_strong:.1e}。"),
        "en": (f"λ={lam:g}, {d} features ({k} useful): L1 (soft-threshold proximal steps) has {zeros_l1} weights at "
               f"exactly 0 and keeps {kept_true}/{k} true features; L2 has {zeros_l2}, with a norm "
               f"{shrink_l2:.2f}× that of least squares, and at λ=10 its smallest |w| is {smallest_l2_strong:.1e}."),
    }
    claim = {
        "zh": ("L1 的拉力恒为 λ，能把小权重推到 0；L2 的拉力 λw 随权重变小而消失，"
               "所以它只收缩权重，不会让任何一个恰好为 0。"),
        "en": "L1 pulls with constant force λ and pushes small weights to exactly 0; L2's pull λw fades as the weight "
              "shrinks, so it shrinks every weight and zeroes none.",
    }
    series = {"exact zeros vs λ, L1": Series.of(lams, path_l1, log_x=True),
              "exact zeros vs λ, L2": Series.of(lams, path_l2, log_x=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
