"""Conv parameter count: K·K·C_in·C_out + C_out, whatever the image size; a flatten→FC head is not.

The same conv weights are run on two input sizes (they fit both), while a fully connected head
after flattening needs C_out·H_out·W_out inputs per class and so grows with H·W. A global-average-
pooling head does not.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.padding_stride import conv2d_numpy
from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import conv2d_output_shape, conv2d_param_count

CLASSES = 10


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
    bias = np.zeros(c_out)
    counted = weight.size + bias.size  # what the layer actually stores
    formula = conv2d_param_count(c_in, c_out, k)
    rows, shape_ok, fc_params, gap_params = [], True, [], []
    for side in (h, 2 * h):
        x = rng.standard_normal((c_in, side, side))
        y = conv2d_numpy(x, weight, bias, padding=pad)  # the SAME weights on either size
        expected = conv2d_output_shape(side, side, k, padding=pad)
        shape_ok &= y.shape == (c_out, *expected)
        flat = y.size  # what a flatten layer hands to the FC head
        fc = flat * CLASSES + CLASSES
        gap = c_out * CLASSES + CLASSES  # global average pooling → (C_out,) → FC
        fc_params.append(fc)
        gap_params.append(gap)
        rows.append([f"{side}×{side}", counted, f"{y.shape[0]}×{y.shape[1]}×{y.shape[2]}", fc, gap])
    growth = fc_params[1] / fc_params[0]
    sides = np.arange(8, 65, 4)
    fc_curve = [c_out * np.prod(conv2d_output_shape(s, s, k, padding=pad)) * CLASSES + CLASSES for s in sides]
    metrics = {
        "conv_params_counted": int(counted),
        "conv_params_formula": int(formula),
        "fc_head_params_small": int(fc_params[0]),
        "fc_head_params_large": int(fc_params[1]),
        "fc_head_growth": float(growth),
        "gap_head_params": int(gap_params[0]),
    }
    checks = [
        check("stored weights + biases = K·K·C_in·C_out + C_out", counted == formula == k * k * c_in * c_out + c_out,
              f"{c_out}×{c_in}×{k}×{k} + {c_out} = {counted}; conv2d_param_count = {formula}"),
        check(f"the same {counted} parameters run on {h}×{h} and {2 * h}×{2 * h}", shape_ok,
              f"outputs {rows[0][2]} and {rows[1][2]} match conv2d_output_shape"),
        check("a flatten→FC head grows ~4× when H and W double", 3.5 < growth <= 4.0 + 1e-9,
              f"{fc_params[0]:,} → {fc_params[1]:,} parameters ({growth:.2f}×)"),
        check("a global-average-pooling head does not grow", gap_params[0] == gap_params[1],
              f"{gap_params[0]:,} parameters at both sizes"),
    ]
    takeaway = {
        "zh": (f"{k}×{k} 卷积、{c_in}→{c_out} 通道：参数 {k}·{k}·{c_in}·{c_out}+{c_out} = {counted:,}，"
               f"同一组权重直接跑在 {h}×{h} 和 {2 * h}×{2 * h} 上。"
               f"但展平后接 {CLASSES} 类全连接头的参数从 {fc_params[0]:,} 涨到 "
               f"{fc_params[1]:,}（{growth:.2f} 倍，随 H·W 增长）；"
               f"全局平均池化头始终只有 {gap_params[0]:,} 个。"),
        "en": (f"A {k}×{k} conv, {c_in}→{c_out} channels, has {k}·{k}·{c_in}·{c_out}+{c_out} = {counted:,} parameters, "
               f"and the same weights run on {h}×{h} and {2 * h}×{2 * h}. A flatten→FC head for {CLASSES} classes "
               f"grows from {fc_params[0]:,} to {fc_params[1]:,} ({growth:.2f}×, with H·W); a global-average-pooling "
               f"head stays at {gap_params[0]:,}."),
    }
    series = {
        "flatten→FC head params vs H": Series.of(sides, fc_curve, log_y=True),
        "conv params vs H": Series.of(sides, [counted] * len(sides), log_y=True),
    }
    table = {"columns": ["input", "conv params", "feature map", "flatten→FC params", "GAP→FC params"], "rows": rows}
    return Outcome(metrics, checks, takeaway, series, table)
