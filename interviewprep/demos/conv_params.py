"""Conv parameter count: K·K·C_in·C_out + C_out, whatever the image size; a flatten→FC head is not.

The same conv weights are run on two input sizes (they fit both), while a fully connected head
after flattening needs C_out·H_out·W_out inputs per class and so grows with H·W. A global-average-
pooling head does not.

Every count is measured, not restated: the conv's count is the number of weights and biases whose gradient
(of a random linear read-out of the output) is non-zero, for a forward pass checked against an independent
sliding-window sum; the heads' input sizes are the sizes of the flattened and the pooled feature maps.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.padding_stride import conv2d_numpy
from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import conv2d_output_shape, conv2d_param_count

CLASSES = 10


def used_parameters(x, weight, bias, pad, y, rng) -> tuple[int, float]:
    """How many of (weight, bias) the output y depends on, and max |y − independent forward|.

    y is linear in (W, b), so ∂⟨R, y⟩/∂W = Σ R·patch and ∂⟨R, y⟩/∂b = Σ R for a random R: an entry is used
    exactly when its gradient is non-zero (almost surely, for a random R and input).
    """
    k = weight.shape[-1]
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    patches = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(1, 2))  # (C_in, Ho, Wo, K, K)
    forward = np.einsum("chwij,ocij->ohw", patches, weight, optimize=True) + bias[:, None, None]
    r = rng.standard_normal(forward.shape)
    grad_w = np.einsum("ohw,chwij->ocij", r, patches, optimize=True)
    grad_b = r.sum(axis=(1, 2))
    mismatch = float(np.max(np.abs(forward - y))) if forward.shape == y.shape else float("inf")
    return int(np.count_nonzero(grad_w) + np.count_nonzero(grad_b)), mismatch


@demo(
    id="conv-params",
    title={"zh": "卷积层参数量与输入尺寸无关", "en": "Conv parameters do not depend on the input size"},
    tags=["cnn", "convolution", "parameters", "parameter-count", "fully-connected", "flatten", "global-average-pooling",
          "卷积", "参数量", "全连接", "输入尺寸", "全局平均池化"],
    params=[
        Param("kernel", int, 3, 1, 7, help={"zh": "卷积核大小 K", "en": "kernel size K"}),
        Param("c_in", int, 16, 1, 64, help={"zh": "输入通道数 C_in", "en": "input channels C_in"}),
        Param("c_out", int, 32, 1, 64, help={"zh": "输出通道数 C_out", "en": "output channels C_out"}),
        Param("size", int, 16, 8, 24,
            help={"zh": "较小的输入边长 H（另一个是 2H）", "en": "smaller input side H (the other is 2H)"}),
    ],
)
def run(p, rng) -> Outcome:
    k, c_in, c_out, h = p["kernel"], p["c_in"], p["c_out"], p["size"]
    pad = k // 2
    weight = rng.standard_normal((c_out, c_in, k, k)) / np.sqrt(c_in * k * k)
    bias = 0.1 * rng.standard_normal(c_out)
    formula = conv2d_param_count(c_in, c_out, k)
    rows, shape_ok, predicted, fc_params, gap_params, used, mismatch = [], True, [], [], [], [], 0.0
    for side in (h, 2 * h):
        x = rng.standard_normal((c_in, side, side))
        y = conv2d_numpy(x, weight, bias, padding=pad)  # the SAME weights on either size
        n_used, err = used_parameters(x, weight, bias, pad, y, rng)
        used.append(n_used)
        mismatch = max(mismatch, err)
        expected = conv2d_output_shape(side, side, k, padding=pad)
        shape_ok &= y.shape == (c_out, *expected)
        predicted.append("×".join(map(str, (c_out, *expected))))
        flat = y.size  # what a flatten layer hands to the FC head
        fc = flat * CLASSES + CLASSES
        gap = y.mean(axis=(1, 2)).size * CLASSES + CLASSES  # global average pooling → (C_out,) → FC
        fc_params.append(fc)
        gap_params.append(gap)
        rows.append([f"{side}×{side}", n_used, f"{y.shape[0]}×{y.shape[1]}×{y.shape[2]}", fc, gap])
    counted = used[0]
    growth = fc_params[1] / fc_params[0]
    sides = np.arange(8, 65, 4)
    fc_curve = [c_out * np.prod(conv2d_output_shape(s, s, k, padding=pad)) * CLASSES + CLASSES for s in sides]
    metrics = {
        "conv_params_counted": int(counted),
        "conv_forward_max_error": mismatch,
        "conv_params_formula": int(formula),
        "fc_head_params_small": int(fc_params[0]),
        "fc_head_params_large": int(fc_params[1]),
        "fc_head_growth": float(growth),
        "gap_head_params": int(gap_params[0]),
    }
    checks = [
        check("parameters the output depends on = K·K·C_in·C_out + C_out",
              counted == formula == k * k * c_in * c_out + c_out and mismatch < 1e-9,
              f"non-zero gradients {counted}; {c_out}×{c_in}×{k}×{k} + {c_out} = {k * k * c_in * c_out + c_out}; "
              f"conv2d_param_count = {formula}; forward vs sliding-window sum {mismatch:.0e}"),
        check(f"the same {counted} parameters run on {h}×{h} and {2 * h}×{2 * h}", shape_ok and used[0] == used[1],
              f"outputs {rows[0][2]} and {rows[1][2]}, conv2d_output_shape {predicted[0]} and {predicted[1]}; "
              f"parameters used {used[0]}, {used[1]}"),
        check("a flatten→FC head grows ~4× when H and W double", 3.5 < growth <= 4.0 + 1e-9,
              f"{fc_params[0]:,} → {fc_params[1]:,} parameters ({growth:.2f}×)"),
        check("a global-average-pooling head does not grow", gap_params[0] == gap_params[1],
              f"{gap_params[0]:,} parameters at both sizes"),
    ]
    by_formula = k * k * c_in * c_out + c_out
    takeaway = {
        "zh": (f"{k}×{k} 卷积、{c_in}→{c_out} 通道：输出依赖的参数在 {h}×{h} 上有 {used[0]:,} 个，"
               f"在 {2 * h}×{2 * h} 上有 {used[1]:,} 个（{k}·{k}·{c_in}·{c_out}+{c_out} = {by_formula:,}）。"
               f"展平后接 {CLASSES} 类全连接头的参数从 {fc_params[0]:,} 变为 "
               f"{fc_params[1]:,}（{growth:.2f} 倍）；"
               f"全局平均池化头分别是 {gap_params[0]:,} 和 {gap_params[1]:,} 个。"),
        "en": (f"A {k}×{k} conv, {c_in}→{c_out} channels: its output depends on {used[0]:,} parameters on {h}×{h} and "
               f"{used[1]:,} on {2 * h}×{2 * h} ({k}·{k}·{c_in}·{c_out}+{c_out} = {by_formula:,}). A flatten→FC head "
               f"for {CLASSES} classes goes from {fc_params[0]:,} to {fc_params[1]:,} parameters ({growth:.2f}×); a "
               f"global-average-pooling head has {gap_params[0]:,} and {gap_params[1]:,}."),
    }
    claim = {
        "zh": ("同一组卷积权重直接跑在两种尺寸上：卷积层的参数量是 K·K·C_in·C_out + C_out，与输入尺寸无关。"
               "展平后接的全连接头随 H·W 增长，全局平均池化头则不变。"),
        "en": ("The same conv weights run on both sizes: a conv layer has K·K·C_in·C_out + C_out parameters whatever "
               "the input size. A flatten→FC head grows with H·W; a global-average-pooling head does not."),
    }
    series = {
        "flatten→FC head params vs H": Series.of(sides, fc_curve, log_y=True),
        "conv params vs H": Series.of(sides, [counted] * len(sides), log_y=True),
    }
    table = {"columns": ["input", "conv params", "feature map", "flatten→FC params", "GAP→FC params"], "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
