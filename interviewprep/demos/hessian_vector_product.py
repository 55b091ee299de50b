"""A Hessian-vector product without the Hessian: Pearlmutter's R-operator on a small NumPy MLP.

Loss L(θ) = ½·mean((y − t)²) of a one-hidden-layer tanh network. Hv = d/dε ∇L(θ + εv) at ε = 0, so
pushing the directional derivative R{·} = d/dε(·) through the forward pass and then through backprop
gives Hv exactly, at the cost of about two more passes and O(n) memory, never forming the n×n matrix.
The check is against finite differences of the backprop gradient: central differences
(∇L(θ + εv) − ∇L(θ − εv))/2ε err by O(ε²) from truncation and O(u/ε) from rounding (u ≈ 1.1e-16),
so their error falls as ε² until ε ≈ u^(1/3) and then grows as 1/ε; forward differences err by O(ε)
and do best near √u. Stacking n HVPs with unit vectors assembles H, which must be symmetric, and power
iteration on HVPs alone finds its largest |eigenvalue|, the sharpness that bounds GD's step (η < 2/λ_max).
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param

EPSILONS = np.geomspace(1e-1, 1e-12, 23)
POWER_ITERS = 300


class Net:
    """Shapes and (un)flattening of θ = (W1, b1, W2, b2) for y = tanh(x·W1ᵀ + b1)·W2ᵀ + b2."""

    def __init__(self, d_in: int, hidden: int):
        self.shapes = [(hidden, d_in), (hidden,), (1, hidden), (1,)]
        self.sizes = [math.prod(s) for s in self.shapes]
        self.n = sum(self.sizes)

    def split(self, theta):
        out, start = [], 0
        for shape, size in zip(self.shapes, self.sizes):
            out.append(theta[start:start + size].reshape(shape))
            start += size
        return out


def gradient(net, theta, x, t):
    """Backprop: ∇L for L = ½·mean((y − t)²)."""
    w1, b1, w2, b2 = net.split(theta)
    h = np.tanh(x @ w1.T + b1)
    y = h @ w2.T + b2
    r = (y - t) / len(x)
    dh = r @ w2
    da = dh * (1 - h**2)
    return np.concatenate([(da.T @ x).ravel(), da.sum(0), (r.T @ h).ravel(), r.sum(0)])


def hvp(net, theta, v, x, t):
    """Pearlmutter's R-operator: R(·) = d/dε(·)|ε=0 at θ + εv, carried through forward pass and backprop.

    `v` may be one direction (n,) or a stack of them (m, n); H·v is linear in v, so a stack of unit
    vectors gives the columns of H in one batched pass.
    """
    many = np.ndim(v) == 2
    vs = np.atleast_2d(v)
    w1, b1, w2, b2 = net.split(theta)
    starts = np.cumsum([0, *net.sizes])
    v1, c1, v2, c2 = (vs[:, starts[i]:starts[i + 1]].reshape((len(vs), *net.shapes[i])) for i in range(4))
    h = np.tanh(x @ w1.T + b1)                                   # (s, hid)
    y = h @ w2.T + b2                                            # (s, 1)
    r = (y - t) / len(x)
    r_a = np.einsum("sd,mhd->msh", x, v1) + c1[:, None, :]       # (m, s, hid)
    r_h = (1 - h**2) * r_a
    r_y = r_h @ w2.T + np.einsum("sh,moh->mso", h, v2) + c2[:, None, :]
    r_r = r_y / len(x)
    dh = r @ w2
    r_dh = r_r @ w2 + np.einsum("so,moh->msh", r, v2)
    r_da = r_dh * (1 - h**2) + dh * (-2 * h * r_h)
    out = np.concatenate([np.einsum("msh,sd->mhd", r_da, x).reshape(len(vs), -1), r_da.sum(1),
                          (np.einsum("mso,sh->moh", r_r, h) + np.einsum("so,msh->moh", r, r_h)).reshape(len(vs), -1),
                          r_r.sum(1)], axis=1)
    return out if many else out[0]


def central_difference(net, theta, v, x, t, eps):
    return (gradient(net, theta + eps * v, x, t) - gradient(net, theta - eps * v, x, t)) / (2 * eps)


def forward_difference(net, theta, v, x, t, eps):
    return (gradient(net, theta + eps * v, x, t) - gradient(net, theta, x, t)) / eps


def power_iteration(net, theta, x, t, rng, iters):
    """Largest-|λ| eigenvalue of H using only HVPs (Rayleigh quotient of the last iterate)."""
    u = rng.standard_normal(net.n)
    u /= np.linalg.norm(u)
    for _ in range(iters):
        w = hvp(net, theta, u, x, t)
        u = w / np.linalg.norm(w)
    return float(u @ hvp(net, theta, u, x, t))


def _slope(xs, ys):
    return float(np.polyfit(np.log10(xs), np.log10(ys), 1)[0])


@demo(
    id="hessian-vector-product",
    title={"zh": "Hessian-向量积：R 算子对照有限差分，不构造 Hessian",
           "en": "Hessian-vector product: the R-operator against finite differences, no Hessian formed"},
    tags=["hessian", "hvp", "hessian-vector-product", "second-order", "pearlmutter", "r-operator",
          "double-backprop", "finite-difference", "curvature", "power-iteration",
          "海森矩阵", "二阶", "曲率", "有限差分", "幂迭代"],
    params=[
        Param("hidden", int, 8, 2, 16, help={"zh": "隐藏单元数", "en": "hidden units"}),
        Param("d_in", int, 4, 1, 4, help={"zh": "输入维度", "en": "input dimension"}),
        Param("samples", int, 32, 4, 128, help={"zh": "样本数", "en": "training samples"}),
    ],
)
def run(p, rng) -> Outcome:
    net = Net(p["d_in"], p["hidden"])
    x = rng.standard_normal((p["samples"], p["d_in"]))
    t = np.sin(x.sum(axis=1, keepdims=True))
    theta = rng.standard_normal(net.n) / math.sqrt(max(p["d_in"], 1))
    v = rng.standard_normal(net.n)
    v /= np.linalg.norm(v)

    exact = hvp(net, theta, v, x, t)
    size = float(np.linalg.norm(exact))

    def rel(approx):
        return max(float(np.linalg.norm(approx - exact)) / size, 1e-17)

    err_c = np.array([rel(central_difference(net, theta, v, x, t, e)) for e in EPSILONS])
    err_f = np.array([rel(forward_difference(net, theta, v, x, t, e)) for e in EPSILONS])
    best_c, best_f = int(np.argmin(err_c)), int(np.argmin(err_f))
    trunc = (EPSILONS >= 1e-4) & (EPSILONS <= 1e-2)
    round_side = EPSILONS <= 1e-9
    slope_trunc = _slope(EPSILONS[trunc], err_c[trunc])
    slope_round = _slope(EPSILONS[round_side], err_c[round_side])

    hessian = hvp(net, theta, np.eye(net.n), x, t).T  # column j = H·e_j
    asym = float(np.linalg.norm(hessian - hessian.T) / np.linalg.norm(hessian))
    eig = np.linalg.eigvalsh((hessian + hessian.T) / 2)
    top = float(eig[np.argmax(np.abs(eig))])
    power = power_iteration(net, theta, x, t, rng, POWER_ITERS)
    power_err = abs(power - top) / abs(top)
    hv_err = float(np.linalg.norm(hessian @ v - exact) / size)

    metrics = {
        "params_n": net.n, "hessian_entries": net.n**2,
        "central_best_rel_error": float(err_c[best_c]), "central_best_eps": float(EPSILONS[best_c]),
        "forward_best_rel_error": float(err_f[best_f]), "forward_best_eps": float(EPSILONS[best_f]),
        "central_slope_truncation_side": slope_trunc, "central_slope_rounding_side": slope_round,
        "hessian_asymmetry": asym, "assembled_H_times_v_rel_error": hv_err,
        "top_eigenvalue": top, "power_iteration_estimate": power, "power_iteration_rel_error": power_err,
        "negative_eigenvalues": int(np.sum(eig < -1e-12 * abs(top))),
    }
    checks = [
        check("the R-operator HVP matches central differences of the gradient (best relative error < 1e-7)",
              err_c[best_c] < 1e-7,
              f"best {err_c[best_c]:.1e} at ε = {EPSILONS[best_c]:.0e}; forward differences best "
              f"{err_f[best_f]:.1e} at ε = {EPSILONS[best_f]:.0e}"),
        check("central-difference error falls as ε² for large ε (slope 2 ± 0.3) and grows as 1/ε for tiny ε "
              "(slope −1 ± 0.5)", abs(slope_trunc - 2) < 0.3 and abs(slope_round + 1) < 0.5,
              f"slopes {slope_trunc:.2f} on ε ∈ [1e-4, 1e-2] and {slope_round:.2f} on ε ≤ 1e-9"),
        check("central differences beat forward differences at their best ε", err_c[best_c] < err_f[best_f],
              f"{err_c[best_c]:.1e} vs {err_f[best_f]:.1e}"),
        check(f"H assembled from {net.n} HVPs is symmetric (‖H − Hᵀ‖/‖H‖ < 1e-12)", asym < 1e-12,
              f"{asym:.1e}"),
        check(f"power iteration on HVPs alone ({POWER_ITERS} products) finds the largest |eigenvalue| (within 1%)",
              power_err < 0.01, f"{power:.5g} vs eigvalsh {top:.5g} (relative error {power_err:.1e})"),
    ]
    fd_en = (f"central differences agree to {err_c[best_c]:.1e} at ε = {EPSILONS[best_c]:.0e}, forward "
             f"differences {'only ' if checks[2].passed else ''}to {err_f[best_f]:.1e} at ε = {EPSILONS[best_f]:.0e}")
    fd_zh = (f"中心差分在 ε = {EPSILONS[best_c]:.0e} 时相对误差 {err_c[best_c]:.1e}，前向差分最好"
             f"{'只' if checks[2].passed else ''}到 {err_f[best_f]:.1e}（ε = {EPSILONS[best_f]:.0e}）")
    shape_en = (f"the central error falls with slope {slope_trunc:.2f} (truncation, ε²) and rises with slope "
                f"{slope_round:.2f} (rounding, 1/ε), so smaller ε is not better")
    shape_zh = (f"中心差分误差先按斜率 {slope_trunc:.2f} 下降（截断误差 ε²），再按斜率 {slope_round:.2f} 上升"
                f"（舍入误差 1/ε），ε 并非越小越好")
    if not checks[1].passed:
        shape_en = f"the central error's slopes were {slope_trunc:.2f} and {slope_round:.2f}, not the 2 and −1 expected"
        shape_zh = f"中心差分误差的斜率为 {slope_trunc:.2f} 与 {slope_round:.2f}，不是预期的 2 和 −1"
    power_en = (f"power iteration using only HVPs gives λ = {power:.4g}, matching the assembled H's {top:.4g}"
                if checks[4].passed else
                f"power iteration gives {power:.4g} but the assembled H's largest |eigenvalue| is {top:.4g}")
    power_zh = (f"只用 HVP 的幂迭代得到 λ = {power:.4g}，与构造出的 H 的 {top:.4g} 一致"
                if checks[4].passed else f"幂迭代得到 {power:.4g}，而构造出的 H 最大 |特征值| 为 {top:.4g}")
    neg = metrics["negative_eigenvalues"]
    curv_en = "a non-convex point" if neg else "no negative curvature here"
    curv_zh = "非凸点" if neg else "这里没有负曲率"
    takeaway = {
        "en": (f"A {p['d_in']}-{p['hidden']}-1 tanh MLP has n = {net.n} parameters, so H has {net.n**2} entries; "
               f"one HVP is one forward and one backward pass carrying the R-operator, with vectors of size n and no "
               f"n×n array. Against it, {fd_en}; {shape_en}.\nH built from {net.n} HVPs has asymmetry {asym:.1e} "
               f"and {neg} negative eigenvalues ({curv_en}); {power_en}."),
        "zh": (f"{p['d_in']}-{p['hidden']}-1 的 tanh MLP 有 n = {net.n} 个参数，H 有 {net.n**2} 个元素；"
               f"一次 HVP 只需一次携带 R 算子的前向和反向，只用长度 n 的向量，不需要 n×n 的数组。"
               f"与之对照，{fd_zh}；{shape_zh}。\n"
               f"用 {net.n} 次 HVP 拼出的 H "
               f"不对称度 {asym:.1e}，有 {neg} 个负特征值（{curv_zh}）；{power_zh}。"),
    }
    claim = {
        "en": ("So the R-operator gives Hv exactly at the cost of about two more passes and O(n) memory, never forming "
               "H, and HVPs alone are enough to assemble H or to find its sharpness λ_max, which bounds GD's step "
               "(η < 2/λ_max)."),
        "zh": ("所以 R 算子只需多做大约两遍计算、占 O(n) 内存，就能精确得到 Hv，全程不构造 H；单靠 HVP 就能拼出 H，"
               "或求出它的锐度 λ_max，而梯度下降的步长正受它限制（η < 2/λ_max）。"),
    }
    rows = [[f"{e:.0e}", float(c), float(f)] for e, c, f in zip(EPSILONS, err_c, err_f)]
    table = {"columns": ["ε", "central rel. error", "forward rel. error"], "rows": rows}
    lx = np.log10(EPSILONS)
    series = {"central difference relative error vs log10 ε": Series.of(lx, err_c, log_y=True),
              "forward difference relative error vs log10 ε": Series.of(lx, err_f, log_y=True)}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
