"""Weight sharing: a conv layer vs a locally connected layer vs a fully connected layer.

All three map the same C_in×H×W input to the same C_out×H_out×W_out output. The locally connected
layer keeps the conv's small windows but gives every position its own kernel; the fully connected
layer connects every input to every output. Sharing one kernel over positions is what makes the
conv tiny AND translation equivariant: shift the input and the output shifts with it.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.padding_stride import conv2d_numpy
from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import conv2d_param_count


def _locally_connected(x, w, b):
    """x (C_in, H, W), w (Ho, Wo, C_out, C_in, K, K), b (Ho, Wo, C_out): one kernel per position."""
    ho, wo, _, _, k, _ = w.shape
    patches = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))[:, :ho, :wo]  # (C_in, Ho, Wo, K, K)
    return np.einsum("chwij,hwocij->ohw", patches, w) + b.transpose(2, 0, 1)


def _moved_by_one_kernel(x, w, b, y) -> list[int]:
    """Output positions that move when the kernel stored for one position is bumped, probed at the four corners
    and the centre. With a kernel of its own per position each bump moves exactly one output position (its own);
    a kernel shared over positions moves every position (or none)."""
    ho, wo = w.shape[:2]
    moved = []
    for i, j in sorted({(0, 0), (0, wo - 1), (ho - 1, 0), (ho - 1, wo - 1), (ho // 2, wo // 2)}):
        bumped = w.copy()
        bumped[i, j] += 1.0
        moved.append(int(np.any(_locally_connected(x, bumped, b) != y, axis=0).sum()))
    return moved


def _shift(a, dy, dx):
    return np.roll(a, (dy, dx), axis=(-2, -1))


@demo(
    id="weight-sharing",
    title={"zh": "权值共享：卷积 vs 局部连接 vs 全连接",
           "en": "Weight sharing: conv vs locally connected vs fully connected"},
    tags=["cnn", "weight-sharing", "locally-connected", "fully-connected", "parameters", "equivariance",
          "translation", "权值共享", "局部连接", "全连接", "参数量", "平移等变"],
    params=[
        Param("size", int, 16, 8, 32, help={"zh": "输入边长 H = W", "en": "input side H = W"}),
        Param("kernel", int, 3, 1, 7, help={"zh": "卷积核大小 K", "en": "kernel size K"}),
        Param("channels", int, 8, 1, 16,
            help={"zh": "输出通道数 C_out（输入为 3 通道）", "en": "output channels C_out (input has 3)"}),
        Param("shift", int, 2, 1, 4, help={"zh": "输入平移的像素数", "en": "pixels to shift the input by"}),
    ],
)
def run(p, rng) -> Outcome:
    h, k, c_out = p["size"], p["kernel"], p["channels"]
    c_in = 3
    ho = h - k + 1
    s = min(p["shift"], ho - 1)  # keep output positions that are defined before and after the shift
    conv_w, conv_b = rng.standard_normal((c_out, c_in, k, k)), rng.standard_normal(c_out)
    lc_w, lc_b = rng.standard_normal((ho, ho, c_out, c_in, k, k)), rng.standard_normal((ho, ho, c_out))
    x = rng.standard_normal((c_in, h, h))
    xs = _shift(x, s, s)
    y_conv, y_conv_s = conv2d_numpy(x, conv_w, conv_b), conv2d_numpy(xs, conv_w, conv_b)
    y_lc, y_lc_s = _locally_connected(x, lc_w, lc_b), _locally_connected(xs, lc_w, lc_b)
    shapes_equal = y_conv.shape == y_lc.shape
    # fully connected: every output unit has a weight to every input unit, plus a bias (too big to build)
    counts = {"conv": conv_w.size + conv_b.size, "locally connected": lc_w.size + lc_b.size,
              "fully connected": y_conv.size * x.size + y_conv.size}
    # compare where the shifted output is defined on both sides: rows/cols ≥ s (np.roll wraps the rest)
    inner = (slice(None), slice(s, None), slice(s, None))

    def rel_err(a_s, a):
        shifted = _shift(a, s, s)
        return float(np.abs(a_s[inner] - shifted[inner]).max() / np.abs(a[inner]).max())

    conv_err, lc_err = rel_err(y_conv_s, y_conv), rel_err(y_lc_s, y_lc)
    moved = _moved_by_one_kernel(x, lc_w, lc_b, y_lc)
    formula = conv2d_param_count(c_in, c_out, k)
    metrics = {
        "conv_params": counts["conv"],
        "locally_connected_params": counts["locally connected"],
        "fully_connected_params": counts["fully connected"],
        "lc_over_conv": counts["locally connected"] / counts["conv"],
        "fc_over_conv": counts["fully connected"] / counts["conv"],
        "conv_equivariance_error": conv_err,
        "lc_equivariance_error": lc_err,
        "lc_outputs_moved_by_one_kernel_max": max(moved),
    }
    checks = [
        check("conv ≪ locally connected ≪ fully connected in parameters",
              counts["conv"] == formula and counts["conv"] < counts["locally connected"] < counts["fully connected"]
              and shapes_equal,
              f"{counts['conv']:,} < {counts['locally connected']:,} < {counts['fully connected']:,}, "
              f"all giving {c_out}×{ho}×{ho}"),
        check("locally connected = conv × number of output positions",
              counts["locally connected"] == ho * ho * counts["conv"] and all(m == 1 for m in moved),
              f"{counts['locally connected']:,} = {ho}·{ho}·{counts['conv']:,}; bumping one position's kernel "
              f"moves {moved} output positions (probed at the corners and the centre; 1 = its own only)"),
        check("conv: shifting the input shifts the output (equivariant)", conv_err < 1e-12,
              f"max relative error {conv_err:.1e} for a ({s}, {s}) shift"),
        check("no sharing, no equivariance: the locally connected output changes", lc_err > 0.1,
              f"max relative error {lc_err:.2f}"),
    ]
    takeaway = {
        "zh": (f"同样把 {c_in}×{h}×{h} 映射到 {c_out}×{ho}×{ho}：卷积 {counts['conv']:,} 个参数，"
               f"局部连接（每个位置自己一套核）{counts['locally connected']:,} 个（{metrics['lc_over_conv']:.0f} 倍），"
               f"全连接 {counts['fully connected']:,} 个（{metrics['fc_over_conv']:.0f} 倍）。"
               f"输入平移 {s} 像素后，卷积输出与平移后的原输出相对误差 {conv_err:.0e}，"
               f"局部连接层的误差是 {lc_err:.2f}。"),
        "en": (f"Mapping {c_in}×{h}×{h} to {c_out}×{ho}×{ho}: conv {counts['conv']:,} parameters, locally "
               f"connected (own kernel per position) {counts['locally connected']:,} ({metrics['lc_over_conv']:.0f}×), "
               f"fully connected {counts['fully connected']:,} "
               f"({metrics['fc_over_conv']:.0f}×). Shift the input by {s} "
               f"px: the conv output is off from its shifted original by {conv_err:.0e}; the locally connected one "
               f"by {lc_err:.2f}."),
    }
    claim = {
        "zh": ("所有位置共享同一套核，让卷积层的参数远少于局部连接和全连接，并且平移等变："
               "输入平移，输出严格跟着平移；每个位置各用一套核的局部连接层做不到。"),
        "en": ("Sharing one kernel over all positions makes the conv far smaller than the locally and fully connected "
               "layers, and translation equivariant: shift the input and its output shifts exactly with it, which the "
               "locally connected layer, with a kernel per position, does not do."),
    }
    table = {"columns": ["layer", "parameters", "× conv"],
             "rows": [[name, n, round(n / counts["conv"], 1)] for name, n in counts.items()]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), {}, table, claim=claim)
