"""Residual connections keep the gradient alive: 50 sigmoid layers, plain vs x + f(x).

Plain:    h_{l+1} = σ(W_l h_l + b_l)          ∂h_{l+1}/∂h_l = diag(σ'(z_l)) W_l       (σ' ≤ 1/4)
Residual: h_{l+1} = h_l + σ(W_l h_l + b_l)    ∂h_{l+1}/∂h_l = I + diag(σ'(z_l)) W_l
The product of plain Jacobians shrinks geometrically; with the identity term the gradient always has a
direct path back to the input, so its norm stays O(1). Same weights W_l, b_l (Xavier) in both nets.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F

BATCH = 16


def _input_grad_norms(Ws, bs, x, g_top, residual):
    h, zs = x, []
    for W, b in zip(Ws, bs):
        z = h @ W.T + b
        zs.append(z)
        h = h + F.sigmoid(z) if residual else F.sigmoid(z)
    g, norms = g_top, [float(np.linalg.norm(g_top))]
    for W, z in zip(reversed(Ws), reversed(zs)):
        branch = (g * F.sigmoid_grad(z)) @ W
        g = g + branch if residual else branch
        norms.append(float(np.linalg.norm(g)))
    return norms[::-1]


@demo(
    id="residual-gradient",
    title={"zh": "残差连接让梯度穿过很深的 sigmoid 网络",
           "en": "Residual connections carry the gradient through a deep sigmoid stack"},
    tags=["residual-connection", "resnet", "skip-connection", "vanishing-gradient", "sigmoid", "depth",
          "残差连接", "跳跃连接", "梯度消失", "深度"],
    params=[
        Param("depth", int, 50, 2, 200, help={"zh": "层数", "en": "number of layers"}),
        Param("width", int, 32, 4, 128, help={"zh": "每层宽度", "en": "width of each layer"}),
    ],
)
def run(p, rng) -> Outcome:
    depth, width = p["depth"], p["width"]
    Ws = [rng.normal(0.0, np.sqrt(1.0 / width), size=(width, width)) for _ in range(depth)]
    bs = [rng.normal(0.0, 0.1, size=width) for _ in range(depth)]
    x = rng.normal(size=(BATCH, width))
    g_top = rng.normal(size=(BATCH, width))
    g_top /= np.linalg.norm(g_top)
    plain = _input_grad_norms(Ws, bs, x, g_top, residual=False)
    resid = _input_grad_norms(Ws, bs, x, g_top, residual=True)
    plain_in, resid_in = plain[0], resid[0]
    per_layer = plain_in ** (1.0 / depth)
    metrics = {
        "plain_input_grad_norm": plain_in,
        "residual_input_grad_norm": resid_in,
        "plain_per_layer_factor": per_layer,
        "residual_min_over_layers": float(min(resid)),
        "residual_max_over_layers": float(max(resid)),
        "quarter_to_the_depth": 0.25 ** depth,
    }
    checks = [
        check(f"plain: the gradient at the input is vanishingly small (< 1e-10) after {depth} layers",
              plain_in < 1e-10, f"‖∂L/∂x‖ = {plain_in:.2e} (×{per_layer:.3f} per layer)"),
        check("residual: it stays O(1) at every layer (between 0.1 and 10)",
              0.1 <= min(resid) and max(resid) <= 10,
              f"‖∂L/∂h_l‖ ranges over [{min(resid):.3f}, {max(resid):.3f}]; at the input {resid_in:.3f}"),
        check("the identity path is worth many orders of magnitude (ratio > 1e6)",
              resid_in > 1e6 * max(plain_in, 1e-300), f"{resid_in:.3g} / {plain_in:.2e}"),
    ]
    takeaway = {
        "zh": (f"同样的 {depth} 层 sigmoid 权重：普通堆叠时，范数 1 的梯度到输入只剩 {plain_in:.1e}（每层 "
               f"×{per_layer:.2f}）；"
               f"加上残差 x+f(x) 后输入处梯度为 {resid_in:.2f}，各层都在 [{min(resid):.2f}, "
               f"{max(resid):.2f}]。"),
        "en": (f"The same {depth} sigmoid layers: stacked plainly, a unit gradient reaches the input at {plain_in:.1e} "
               f"(×{per_layer:.2f} per layer); with residual connections x + f(x) it arrives at "
               f"{resid_in:.2f}, and every layer sees between {min(resid):.2f} and {max(resid):.2f}."),
    }
    claim = {
        "zh": ("普通堆叠的梯度会消失，是因为每层都要乘上 σ'·W，而 σ'≤0.25；残差块的雅可比是 I + ∂f/∂x，"
               "恒等项给梯度一条不经过任何 σ' 的直达路径，这就是 ResNet/Transformer 能堆很深的原因。"),
        "en": ("The plain stack loses the gradient because every layer multiplies it by σ'·W with σ' ≤ 0.25. A "
               "residual block's Jacobian is I + ∂f/∂x: the identity gives the gradient a path that never multiplies "
               "by σ', which is why ResNets and Transformers can be so deep."),
    }
    layers = np.arange(depth + 1)
    series = {"‖grad‖ plain": Series.of(layers, plain, log_y=True),
              "‖grad‖ residual": Series.of(layers, resid, log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
