"""Vanishing gradients with depth: backprop through a deep sigmoid net vs a deep ReLU net.

Layers h_{l+1} = act(W_l h_l), width n, Xavier init N(0, 1/n) for sigmoid, He init N(0, 2/n) for ReLU.
A random unit-norm gradient is fed in at the top and backpropagated: g_l = W_lᵀ (act'(z_l) ⊙ g_{l+1}).
Because σ' ≤ 1/4, each sigmoid layer shrinks the gradient by at least a factor 0.25·‖W_l‖₂ (spectral norm),
so ‖g_0‖ ≤ ∏ 0.25·‖W_l‖₂ (for a scalar chain with unit weights that is the familiar 0.25^L).
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F

BATCH = 16


def _grad_norms(rng, depth, width, act, dact, std):
    """Per-layer gradient norms (index 0 = input, index depth = top) and the spectral norms used."""
    Ws = [rng.normal(0.0, std, size=(width, width)) for _ in range(depth)]
    h = rng.normal(size=(BATCH, width))
    zs = []
    for W in Ws:
        z = h @ W.T
        zs.append(z)
        h = act(z)
    g = rng.normal(size=h.shape)
    g /= np.linalg.norm(g)
    norms = [1.0]
    for W, z in zip(reversed(Ws), reversed(zs)):
        g = (g * dact(z)) @ W
        norms.append(float(np.linalg.norm(g)))
    spectral = [float(np.linalg.norm(W, 2)) for W in Ws]
    return norms[::-1], spectral


@demo(
    id="vanishing-depth",
    title={"zh": "梯度随深度消失：sigmoid 深网 vs ReLU 深网",
           "en": "Gradients vanish with depth: deep sigmoid vs deep ReLU"},
    tags=["vanishing-gradient", "sigmoid", "relu", "depth", "backpropagation", "initialization",
          "梯度消失", "深度", "反向传播", "激活函数"],
    params=[
        Param("depth", int, 20, 2, 100, help={"zh": "层数", "en": "number of layers"}),
        Param("width", int, 64, 4, 128, help={"zh": "每层宽度", "en": "width of each layer"}),
    ],
)
def run(p, rng) -> Outcome:
    depth, width = p["depth"], p["width"]
    sig, spectral = _grad_norms(rng, depth, width, F.sigmoid, F.sigmoid_grad, np.sqrt(1.0 / width))
    rel, _ = _grad_norms(rng, depth, width, F.relu, F.relu_grad, np.sqrt(2.0 / width))
    bound = float(np.prod([0.25 * s for s in spectral]))
    sig_in, relu_in = sig[0], rel[0]
    per_layer = sig_in ** (1.0 / depth)
    metrics = {
        "sigmoid_grad_norm_at_input": sig_in,
        "relu_grad_norm_at_input": relu_in,
        "sigmoid_per_layer_factor": per_layer,
        "sigmoid_bound_prod_0.25_spectral": bound,
        "quarter_to_the_depth": 0.25 ** depth,
        "mean_spectral_norm": float(np.mean(spectral)),
    }
    checks = [
        check("sigmoid gradient obeys ‖g_0‖ ≤ ∏ 0.25·‖W_l‖₂", sig_in <= bound,
              f"{sig_in:.2e} {'≤' if sig_in <= bound else '>'} bound {bound:.2e}"),
        check("each sigmoid layer shrinks the gradient by at least 2× on average", per_layer < 0.5,
              f"geometric-mean factor per layer {per_layer:.3f} over {depth} layers"),
        check(f"after {depth} layers the sigmoid gradient is over 2^{depth} = {2.0 ** depth:.3g}× below the ReLU "
              "(He) gradient", sig_in * 2.0**depth < relu_in, f"sigmoid {sig_in:.2e} vs ReLU {relu_in:.3g}"),
        check("the ReLU (He) gradient keeps its scale (within 10× of the unit norm fed in)", 0.1 <= relu_in <= 10,
              f"‖g_0‖ = {relu_in:.3g} after {depth} layers of width {width}"),
    ]
    if checks[-1].passed:
        relu_zh, relu_en = "ReLU 正区间导数为 1，配合 He 初始化梯度量级保持不变。", (
            "ReLU's slope is 1 where active, and He init keeps the scale.")
    else:
        relu_zh = (f"但这里 ReLU 网络的梯度也变成了 {relu_in:.2g}：He 初始化只保持 E‖g‖² 不变，"
                   f"而 log‖g‖ 的离散度随 深度/宽度（{depth}/{width}）增长，窄或很深的 ReLU 网络常常远离 1"
                   "（对整批都不激活的单元还会切断通路）。")
        relu_en = (f"Here, though, the ReLU net's gradient ended at {relu_in:.2g}: He init keeps only E‖g‖² fixed, "
                   f"while the spread of log‖g‖ grows with depth/width ({depth}/{width}), so narrow or very deep "
                   "ReLU nets often end far from 1 (and units off for the whole batch cut the path).")
    under = "≤" if sig_in <= bound else ">"  # the measured gradient against the product, whichever side it is on
    takeaway = {
        "zh": (f"{depth} 层、宽 {width}：从顶部传入范数 1 的梯度，sigmoid 网络到输入只剩 {sig_in:.1e}（每层约 "
               f"×{per_layer:.2f}），"
               f"ReLU+He 初始化网络则是 {relu_in:.2f}。\n"
               f"sigmoid 网络的梯度 {sig_in:.1e} {under} ∏0.25‖W‖₂ = {bound:.1e}（单位权重的标量链就是 0.25^{depth} = "
               f"{0.25 ** depth:.1e}）；{relu_zh}"),
        "en": (f"{depth} layers of width {width}: a unit-norm gradient fed in at the top reaches the input at "
               f"{sig_in:.1e} "
               f"through sigmoids (×{per_layer:.2f} per layer) but at {relu_in:.2f} through ReLUs with He init.\n"
               f"The sigmoid gradient {sig_in:.1e} {under} ∏0.25‖W‖₂ = {bound:.1e} (for a unit-weight scalar chain "
               f"0.25^{depth} = {0.25 ** depth:.1e}); {relu_en}"),
    }
    claim = {
        "zh": "原因是 σ' ≤ 0.25：sigmoid 网络的梯度受 ∏0.25‖W‖₂ 约束，随深度按指数消失。",
        "en": "Because σ' ≤ 0.25 the sigmoid gradient is capped by ∏0.25‖W‖₂, so it vanishes exponentially with depth.",
    }
    layers = np.arange(depth + 1)
    series = {"‖grad‖ sigmoid": Series.of(layers, sig, log_y=True), "‖grad‖ ReLU": Series.of(layers, rel, log_y=True)}
    return Outcome(metrics, checks, takeaway, series, claim=claim)
