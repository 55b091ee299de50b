"""Exploding and vanishing through depth: a per-layer gain g becomes g^L after L layers.

A deep linear net h_{l+1} = W_l h_l with W_l = g·Q_l (Q_l a random orthogonal matrix, so every direction
is scaled by exactly g). Forward activations and backpropagated gradients both scale by g per layer:
1.1 over 100 layers gives 1.1^100 ≈ 1.4e4, 0.9 gives 0.9^100 ≈ 2.7e-5. With W = N(0, g²/n) entries
the norm follows g^L only in mean square (E‖Wh‖² = g²‖h‖²), with layer-to-layer noise on top.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

WIDTH = 16


def _orthogonal(rng, n):
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))  # sign fix: Haar-distributed


def _through(Ws, x, g_top):
    """Activation norm after each layer (forward) and gradient norm at each layer's input (backward)."""
    fwd, h = [float(np.linalg.norm(x))], x
    for W in Ws:
        h = W @ h
        fwd.append(float(np.linalg.norm(h)))
    bwd, g = [float(np.linalg.norm(g_top))], g_top
    for W in reversed(Ws):
        g = W.T @ g
        bwd.append(float(np.linalg.norm(g)))
    return np.array(fwd), np.array(bwd[::-1])


@demo(
    id="exploding-depth",
    title={"zh": "梯度爆炸与消失：每层增益的 L 次方", "en": "Exploding and vanishing: per-layer gain to the power L"},
    tags=["exploding-gradient", "vanishing-gradient", "depth", "initialization", "orthogonal", "gain",
          "梯度爆炸", "梯度消失", "深度", "初始化", "正交初始化"],
    params=[
        Param("depth", int, 100, 2, 300, help={"zh": "层数", "en": "number of layers"}),
        Param("gain_up", float, 1.1, 1.0, 2.0, help={"zh": "大于 1 的每层增益", "en": "per-layer gain above 1"}),
        Param("gain_down", float, 0.9, 0.1, 1.0, help={"zh": "小于 1 的每层增益", "en": "per-layer gain below 1"}),
    ],
)
def run(p, rng) -> Outcome:
    depth, up, down = p["depth"], p["gain_up"], p["gain_down"]
    Qs = [_orthogonal(rng, WIDTH) for _ in range(depth)]
    x = rng.normal(size=WIDTH)
    x /= np.linalg.norm(x)
    g_top = rng.normal(size=WIDTH)
    g_top /= np.linalg.norm(g_top)
    curves, rel_err = {}, 0.0
    for gain in (up, 1.0, down):
        fwd, bwd = _through([gain * Q for Q in Qs], x, g_top)
        curves[gain] = (fwd, bwd)
        expect_f = gain ** np.arange(depth + 1)
        expect_b = gain ** np.arange(depth, -1, -1)
        rel_err = max(rel_err, float(np.max(np.abs(fwd / expect_f - 1))), float(np.max(np.abs(bwd / expect_b - 1))))
    gauss = [rng.normal(0.0, up / np.sqrt(WIDTH), size=(WIDTH, WIDTH)) for _ in range(depth)]
    gauss_fwd, _ = _through(gauss, x, g_top)
    up_f, up_b = curves[up][0][-1], curves[up][1][0]
    dn_f, dn_b = curves[down][0][-1], curves[down][1][0]
    one_f = curves[1.0][0][-1]
    metrics = {
        "forward_ratio_gain_up": up_f,
        "backward_ratio_gain_up": up_b,
        "closed_form_gain_up": up ** depth,
        "forward_ratio_gain_down": dn_f,
        "backward_ratio_gain_down": dn_b,
        "closed_form_gain_down": down ** depth,
        "forward_ratio_gain_1": one_f,
        "max_relative_error_vs_closed_form": rel_err,
        "gaussian_init_forward_ratio": float(gauss_fwd[-1]),
    }
    checks = [
        check("measured forward and backward norms follow gain^L exactly (orthogonal weights)", rel_err < 1e-9,
              f"{up:g}^{depth} = {up ** depth:.4g}, measured {up_f:.4g} / {up_b:.4g}; "
              f"{down:g}^{depth} = {down ** depth:.4g}, measured {dn_f:.4g} / {dn_b:.4g}"),
        check(f"gain {up:g} explodes: the gradient grows more than 1000×", up_b > 1e3, f"×{up_b:.4g}"),
        check(f"gain {down:g} vanishes: the gradient shrinks more than 1000×", dn_b < 1e-3, f"×{dn_b:.4g}"),
        check("gain exactly 1 (orthogonal init) preserves the norm", abs(one_f - 1) < 1e-9, f"×{one_f:.12f}"),
    ]
    takeaway = {
        "zh": (f"每层差 {up - 1:+.0%}，{depth} 层后就是 {up:g}^{depth} = {up ** depth:.3g} 倍（实测前向 {up_f:.3g}、"
               f"反向 {up_b:.3g}）；"
               f"每层 {down - 1:+.0%} 则是 {down:g}^{depth} = {down ** depth:.3g}。\n"
               f"增益恰为 1 的正交权重把范数保持在 {one_f:.6f}；高斯初始化 N(0,{up:g}²/n) 只在均方意义上按 {up:g}^L "
               f"变化，"
               f"但带随机波动（这次 {gauss_fwd[-1]:.3g}）。"),
        "en": (f"A per-layer gain off by {up - 1:+.0%} compounds to {up:g}^{depth} = {up ** depth:.3g} over "
               f"{depth} layers "
               f"(measured forward {up_f:.3g}, backward {up_b:.3g}); {down - 1:+.0%} per layer gives {down:g}^{depth} "
               f"= {down ** depth:.3g}.\n"
               f"Orthogonal weights with gain exactly 1 keep the norm at {one_f:.6f}; Gaussian N(0, {up:g}²/n) weights "
               f"follow {up:g}^L only in mean square, with noise (this run {gauss_fwd[-1]:.3g})."),
    }
    claim = {
        "zh": "所以深网需要让每层增益≈1：合适的初始化、归一化、残差连接、梯度裁剪。",
        "en": ("Deep nets need per-layer gain ≈ 1: careful init, normalization, residual connections, and gradient "
               "clipping as a safety net."),
    }
    layers = np.arange(depth + 1)
    series = {
        f"‖h‖ gain {up:g}": Series.of(layers, curves[up][0], log_y=True),
        "‖h‖ gain 1": Series.of(layers, curves[1.0][0], log_y=True),
        f"‖h‖ gain {down:g}": Series.of(layers, curves[down][0], log_y=True),
        f"‖h‖ Gaussian std {up:g}/√n": Series.of(layers, gauss_fwd, log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
