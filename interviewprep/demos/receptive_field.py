"""Receptive field of stacked convolutions, measured by backpropagation rather than by formula.

A one-hot gradient at the centre output of a stack of K×K convolutions (tanh between them) is
backpropagated to the input; the pixels that receive a non-zero gradient ARE the receptive field.
Two 3×3 layers see 5×5 with 2·9·C² weights instead of 25·C²; three see 7×7 with 27·C² vs 49·C².
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def _conv_same(x, w):
    """'same' cross-correlation of a single-channel map x with a K×K kernel (K odd)."""
    k = w.shape[0]
    r = k // 2
    xp = np.pad(x, r)
    out = np.zeros_like(x)
    n0, n1 = x.shape
    for a in range(k):
        for b in range(k):
            out += w[a, b] * xp[a:a + n0, b:b + n1]
    return out


def _conv_same_backward(g, w):
    """Gradient w.r.t. the input of _conv_same, given the gradient g w.r.t. its output."""
    k = w.shape[0]
    r = k // 2
    n0, n1 = g.shape
    gp = np.zeros((n0 + 2 * r, n1 + 2 * r))
    for a in range(k):
        for b in range(k):
            gp[a:a + n0, b:b + n1] += w[a, b] * g
    return gp[r:r + n0, r:r + n1]


def measured_receptive_field(layers: int, kernel: int, size: int, rng) -> tuple[int, np.ndarray]:
    """Side of the input region that influences the centre output, and the input-gradient map."""
    kernels = [rng.uniform(0.5, 1.5, (kernel, kernel)) / kernel**2 for _ in range(layers)]
    x = rng.standard_normal((size, size)) * 0.3
    pre = []  # forward: conv → tanh, keeping pre-activations for the backward pass
    for w in kernels:
        z = _conv_same(x, w)
        pre.append(z)
        x = np.tanh(z)
    g = np.zeros((size, size))
    g[size // 2, size // 2] = 1.0  # d(centre output)/d(output)
    for w, z in zip(reversed(kernels), reversed(pre)):
        g = g * (1.0 - np.tanh(z) ** 2)
        g = _conv_same_backward(g, w)
    rows, cols = np.nonzero(np.abs(g) > 0)
    side = int(max(rows.max() - rows.min(), cols.max() - cols.min()) + 1)
    return side, g


@demo(
    id="receptive-field",
    title={"zh": "感受野：堆叠小卷积核", "en": "Receptive field of stacked small kernels"},
    tags=["cnn", "receptive-field", "vgg", "3x3", "stacked-convolution", "parameters",
          "感受野", "卷积", "小卷积核", "参数量"],
    params=[
        Param("layers", int, 3, 2, 6, help={"zh": "堆叠的卷积层数", "en": "number of stacked conv layers"}),
        Param("kernel", int, 3, choices=(3, 5, 7),
              help={"zh": "每层的卷积核大小（奇数）", "en": "kernel size per layer (odd)"}),
    ],
)
def run(p, rng) -> Outcome:
    k = p["kernel"]
    depth = p["layers"]
    size = 2 * depth * (k // 2) + 9  # large enough that the field never touches the border
    rows, measured, gmap = [], [], None
    for n in range(1, depth + 1):
        side, g = measured_receptive_field(n, k, size, rng)
        measured.append(side)
        stacked, single = n * k * k, side * side  # weights per C_in·C_out = C²
        rows.append([n, f"{side}×{side}", f"{stacked}C²", f"{single}C²", round(stacked / single, 3)])
        if n == depth:
            gmap = g
    expected = [n * (k - 1) + 1 for n in range(1, depth + 1)]
    rf = measured[-1]
    stacked_w, single_w = depth * k * k, rf * rf
    centre = np.abs(gmap[size // 2, size // 2 - rf // 2: size // 2 + rf // 2 + 1])
    metrics = {
        "receptive_field_side": rf,
        "stacked_weights_per_c2": stacked_w,
        "single_kernel_weights_per_c2": single_w,
        "weight_ratio": stacked_w / single_w,
        "centre_to_edge_gradient": float(centre.max() / centre[0]),
    }
    metrics["two_layer_receptive_field"] = measured[1]
    checks = [
        check("measured field grows by K−1 per layer: L(K−1)+1", measured == expected,
              f"{measured}, L(K−1)+1 = {expected}"),
        check(f"{depth} stacked {k}×{k} use fewer weights than one {rf}×{rf}",
              stacked_w < single_w,
              f"{depth}·{k}² = {stacked_w}C² vs {rf}² = {single_w}C²"),
        check("the field is centre-weighted (effective receptive field)", centre.max() > 1.5 * centre[0],
              f"|gradient| at centre / at edge of the field = {centre.max() / centre[0]:.2f}"),
    ]
    extra = depth - 1
    per_layer = "、".join(f"{m}×{m}" for m in measured)
    takeaway = {
        "zh": (f"把单位梯度从中心输出反传回输入：{depth} 层 {k}×{k} 卷积的感受野实测 {rf}×{rf}"
               f"（逐层为 {per_layer}；L(K−1)+1 = {expected[-1]}）。"
               f"权重 {stacked_w}C²，而单个 {rf}×{rf} 卷积要 {single_w}C²（{stacked_w / single_w:.2f} 倍），"
               f"还多了 {extra} 个非线性。梯度在感受野中心与边缘之比为 {centre.max() / centre[0]:.1f}。"),
        "en": (f"Backpropagating a one-hot gradient from the centre output: {depth} stacked {k}×{k} convs see "
               f"{rf}×{rf} (layer by layer {', '.join(str(m) for m in measured)}; L(K−1)+1 = {expected[-1]}), "
               f"using {stacked_w}C² weights where one {rf}×{rf} conv needs "
               f"{single_w}C² ({stacked_w / single_w:.2f}×), plus {extra} extra nonlinearities. The gradient at the "
               f"centre of the field is {centre.max() / centre[0]:.1f}× the one at its edge."),
    }
    claim = {
        "zh": ("每多一层，感受野扩大 K−1：堆叠小卷积核用更少的权重看到同样大的范围，还多了非线性。"
               "梯度集中在中心，有效感受野比理论的小。"),
        "en": ("Each layer widens the field by K−1, so stacked small kernels see as far as one big kernel with fewer "
               "weights and more nonlinearities. The gradient is centre-heavy: the effective field is smaller."),
    }
    offsets = np.arange(-(rf // 2), rf // 2 + 1)
    series = {
        "|input gradient| across the centre row": Series.of(offsets, centre),
    }
    table = {"columns": ["layers", "receptive field", "stacked weights", "one big kernel", "ratio"], "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
