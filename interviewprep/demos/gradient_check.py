"""Gradient checking: hand-written backprop vs central finite differences on a small MLP.

Net: 4 → hidden (tanh) → 3 logits, mean cross-entropy, float64. For every parameter θ_i,
    numeric_i = (L(θ + h e_i) − L(θ − h e_i)) / 2h            (error O(h²) + rounding O(ε/h))
and the check is the relative error ‖g_bp − g_num‖ / (‖g_bp‖ + ‖g_num‖). The same is done with the one-sided
difference (error O(h)) and against a deliberately buggy backprop that forgets tanh' (a typical bug).
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F

N_IN, N_OUT, N = 4, 3, 8


def _loss(params, X, y):
    W1, b1, W2, b2 = params
    return float(F.cross_entropy(F.tanh(X @ W1.T + b1) @ W2.T + b2, y))


def _backprop(params, X, y, buggy=False):
    W1, b1, W2, b2 = params
    Z1 = X @ W1.T + b1
    H = F.tanh(Z1)
    logits = H @ W2.T + b2
    onehot = np.eye(N_OUT)[y]
    dlogits = (F.softmax(logits) - onehot) / len(X)
    dH = dlogits @ W2
    dZ1 = dH if buggy else dH * F.tanh_grad(Z1)
    return [dZ1.T @ X, dZ1.sum(axis=0), dlogits.T @ H, dlogits.sum(axis=0)]


def _numeric(params, X, y, h, central=True):
    grads = []
    base = None if central else _loss(params, X, y)
    for p in params:
        g = np.zeros_like(p)
        for i in range(p.size):
            old = p.flat[i]
            p.flat[i] = old + h
            plus = _loss(params, X, y)
            if central:
                p.flat[i] = old - h
                minus = _loss(params, X, y)
                g.flat[i] = (plus - minus) / (2 * h)
            else:
                g.flat[i] = (plus - base) / h
            p.flat[i] = old
        grads.append(g)
    return grads


def _rel(a, b):
    a, b = np.concatenate([x.ravel() for x in a]), np.concatenate([x.ravel() for x in b])
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


@demo(
    id="gradient-check",
    title={"zh": "梯度检验：反向传播 vs 中心差分", "en": "Gradient checking: backprop vs central differences"},
    tags=["gradient-checking", "gradient-check", "finite-differences", "backpropagation", "debugging",
          "numerical-methods", "梯度检验", "数值梯度", "有限差分", "反向传播", "调试"],
    params=[
        Param("h", float, 1e-5, 1e-10, 0.1, help={"zh": "差分步长 h", "en": "finite-difference step h"}),
        Param("hidden", int, 5, 1, 20, help={"zh": "隐藏单元个数", "en": "hidden units"}),
    ],
)
def run(p, rng) -> Outcome:
    h, hidden = p["h"], p["hidden"]
    X = rng.normal(size=(N, N_IN))
    y = rng.integers(0, N_OUT, size=N)
    params = [rng.normal(0.0, 0.7, size=(hidden, N_IN)), rng.normal(0.0, 0.1, size=hidden),
              rng.normal(0.0, 0.7, size=(N_OUT, hidden)), rng.normal(0.0, 0.1, size=N_OUT)]
    n_params = sum(q.size for q in params)
    bp = _backprop(params, X, y)
    central = _rel(bp, _numeric(params, X, y, h))
    forward = _rel(bp, _numeric(params, X, y, h, central=False))
    buggy = _rel(_backprop(params, X, y, buggy=True), _numeric(params, X, y, h))
    hs = np.logspace(-10, -1, 10)
    sweep_c = [_rel(bp, _numeric(params, X, y, s)) for s in hs]
    sweep_f = [_rel(bp, _numeric(params, X, y, s, central=False)) for s in hs]
    best = int(np.argmin(sweep_c))
    metrics = {
        "relative_error_central": central,
        "relative_error_one_sided": forward,
        "relative_error_buggy_backprop": buggy,
        "parameters": n_params,
        "loss_evaluations_central": 2 * n_params,
        "best_h_central": float(hs[best]),
        "best_relative_error_central": float(sweep_c[best]),
    }
    checks = [
        check(f"backprop agrees with central differences at h={h:g} (relative error < 1e-6)", central < 1e-6,
              f"relative error {central:.2e} over {n_params} parameters"),
        check("central differences beat one-sided ones", central < forward,
              f"central {central:.2e} vs one-sided {forward:.2e}"),
        check("the check catches a backprop that forgets tanh' (error > 1e-2)", buggy > 1e-2,
              f"relative error {buggy:.2e}"),
    ]
    takeaway = {
        "zh": (f"{n_params} 个参数、h={h:g}：反向传播与中心差分的相对误差 {central:.1e}，单侧差分 {forward:.1e}；"
               f"漏乘 tanh' 的错误实现误差为 {buggy:.1e}。\n"
               f"中心差分每个参数要算 2 次损失（共 {2 * n_params} 次）；h 太大截断误差大，"
               f"太小舍入误差大，"
               f"这次最佳 h≈{hs[best]:.0e}（误差 {sweep_c[best]:.1e}）。"),
        "en": (f"{n_params} parameters, h={h:g}: backprop vs central differences has relative error {central:.1e}, "
               f"one-sided {forward:.1e}; a backprop that forgets tanh' is off by {buggy:.1e}.\n"
               f"Central differences cost 2 loss evaluations per parameter ({2 * n_params} here); too large an h gives "
               f"truncation error, too small gives rounding error (best here h≈{hs[best]:.0e}, error "
               f"{sweep_c[best]:.1e})."),
    }
    claim = {
        "zh": ("所以用中心差分做梯度检验，既能确认反向传播写对了，也能让漏乘 tanh' 这类常见错误一眼就看出来；"
               "只是代价太高，只适合调试小网络。"),
        "en": ("So a gradient check with central differences confirms a correct backprop and makes a typical bug such "
               "as a forgotten tanh' impossible to miss; its cost makes it fit for debugging small nets only."),
    }
    series = {"relative error, central (x = log10 h)": Series.of(np.log10(hs), sweep_c, log_y=True),
              "relative error, one-sided": Series.of(np.log10(hs), sweep_f, log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
