"""Activation zoo: ranges and derivatives of sigmoid, tanh, ReLU, Leaky ReLU, ELU, GELU and Swish.

Measures the identity tanh(x) = 2σ(2x) − 1, each function's output range and largest derivative on
[−span, span], and the derivative far out on each side (which ones saturate, which keep a gradient).
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def _zoo(slope: float):
    return [
        ("sigmoid", F.sigmoid, F.sigmoid_grad),
        ("tanh", F.tanh, F.tanh_grad),
        ("relu", F.relu, F.relu_grad),
        ("leaky_relu", lambda x: F.leaky_relu(x, slope), lambda x: F.leaky_relu_grad(x, slope)),
        ("elu", F.elu, F.elu_grad),
        ("gelu", F.gelu, F.gelu_grad),
        ("swish", F.swish, F.swish_grad),
    ]


@demo(
    id="activation-zoo",
    title={"zh": "激活函数一览：取值范围与导数", "en": "Activation zoo: output ranges and derivatives"},
    tags=["activation", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "swish", "silu", "derivative",
          "saturation", "激活函数", "导数", "饱和", "取值范围"],
    params=[
        Param("span", float, 8.0, 1.0, 30.0,
              help={"zh": "考察区间 [−span, span]，也是测'远端导数'的位置",
                    "en": "functions are measured on [−span, span]; "
                    "the far-side derivatives are taken at ±span"}),
        Param("negative_slope", float, 0.01, 0.0, 0.5,
              help={"zh": "Leaky ReLU 负半轴斜率", "en": "Leaky ReLU slope for x < 0"}),
    ],
)
def run(p, rng) -> Outcome:
    span, slope = p["span"], p["negative_slope"]
    x = np.linspace(-span, span, 1601)
    # tanh(x) = 2σ(2x) − 1
    identity_err = float(np.max(np.abs(F.tanh(x) - (2 * F.sigmoid(2 * x) - 1))))
    # analytic derivatives against central differences, away from the kink at 0
    h = 1e-6
    smooth = np.abs(x) > 1e-3
    rows, metrics, fd_err = [], {"tanh_identity_max_abs_diff": identity_err}, 0.0
    series = {}
    for name, f, df in _zoo(slope):
        y, g = f(x), df(x)
        fd = (f(x[smooth] + h) - f(x[smooth] - h)) / (2 * h)
        fd_err = max(fd_err, float(np.max(np.abs(fd - g[smooth]))))
        lo, hi, gmax = float(y.min()), float(y.max()), float(g.max())
        g_neg, g_pos = float(df(-span)), float(df(span))
        rows.append([name, lo, hi, gmax, g_neg, g_pos])
        metrics.update({f"{name}_min": lo, f"{name}_max": hi, f"{name}_max_grad": gmax,
                        f"{name}_grad_at_minus_span": g_neg, f"{name}_grad_at_plus_span": g_pos})
        if name in ("sigmoid", "tanh", "relu", "gelu", "swish"):
            series[f"{name}'"] = Series.of(x, g)
    metrics["max_fd_error"] = fd_err
    by = {r[0]: r for r in rows}
    sig_g, tanh_g = by["sigmoid"][3], by["tanh"][3]
    saturating = max(abs(by[n][k]) for n in ("sigmoid", "tanh") for k in (4, 5))
    relu_family_pos = min(by[n][5] for n in ("relu", "leaky_relu", "elu"))
    checks = [
        check("tanh(x) = 2σ(2x) − 1", identity_err < 1e-12, f"max |difference| on the grid = {identity_err:.1e}"),
        check("max tanh' is 4× max σ' (1 vs 0.25)", abs(sig_g - 0.25) < 1e-9 and abs(tanh_g - 1.0) < 1e-9,
              f"max σ' = {sig_g:.6f}, max tanh' = {tanh_g:.6f}"),
        check(f"sigmoid and tanh saturate at ±{span:g} (|f'| < 1e-3) while ReLU/Leaky/ELU keep f' = 1 for x > 0",
              saturating < 1e-3 and relu_family_pos == 1.0,
              f"largest sigmoid/tanh |f'| at ±{span:g}: {saturating:.2e}; ReLU-family f'({span:g}) = "
              f"{relu_family_pos:g}"),
        check("every *_grad matches central finite differences", fd_err < 1e-6,
              f"max |analytic − numeric| = {fd_err:.1e}"),
    ]
    lk, el, ge, sw = by["leaky_relu"], by["elu"], by["gelu"], by["swish"]
    # σ'(x) = σ(1 − σ) drops below 1e-3 at |x| = ln((1 − q)/q), q = (1 − √(1 − 4e-3))/2: about 6.9
    q = (1 - math.sqrt(1 - 4e-3)) / 2
    sat_at = math.log((1 - q) / q)
    if saturating < 1e-3:
        sat_zh, sat_en = "，都会饱和", ": they saturate"
    else:
        sat_zh = f"，还没有饱和（σ' 要到 |x| > {sat_at:.1f} 才小于 1e-3）"
        sat_en = f", not yet saturated (σ' falls below 1e-3 only beyond |x| = {sat_at:.1f})"
    over_one = ge[3] > 1 and sw[3] > 1
    bend_en = ("are smooth, non-monotonic ReLUs whose slope briefly exceeds 1" if over_one else
               f"are smooth ReLUs; their slope exceeds 1 only further out than ±{span:g}")
    bend_zh = ("是平滑、非单调的 ReLU，斜率会略超过 1" if over_one else
               f"是平滑的 ReLU；斜率超过 1 的地方在 ±{span:g} 之外")
    takeaway = {
        "zh": (f"tanh 与 2σ(2x) − 1 在 [−{span:g}, {span:g}] 上最多相差 {identity_err:.0e}；tanh 值域 (−1,1) 且零均值，"
               f"最大导数 {tanh_g:.2f}，"
               f"是 sigmoid 的 {tanh_g / sig_g:.0f} 倍；两者在 ±{span:g} 处导数只剩 {saturating:.1e}{sat_zh}。\n"
               f"ReLU 正半轴导数恒为 1，负半轴为 0；Leaky ReLU 负半轴保留 {lk[4]:g}；"
               f"ELU 在 −{span:g} 处为 {el[1]:.3f}（下界 −1）；"
               f"GELU（最小值 {ge[1]:.3f}，最大斜率 {ge[3]:.2f}）和 Swish（最小值 {sw[1]:.3f}，最大斜率 {sw[3]:.2f}）"
               f"{bend_zh}。"),
        "en": (f"tanh and 2σ(2x) − 1 differ by at most {identity_err:.0e} on [−{span:g}, {span:g}]; tanh has range "
               f"(−1, 1), is zero-centred and has peak derivative {tanh_g:.2f}, {tanh_g / sig_g:.0f}× the sigmoid's; "
               f"at ±{span:g} both derivatives are "
               f"down to {saturating:.1e}{sat_en}.\n"
               f"ReLU has slope 1 for x > 0 and 0 below; Leaky ReLU keeps {lk[4]:g} there; ELU reaches "
               f"{el[1]:.3f} at −{span:g} (its floor is −1); GELU (min {ge[1]:.3f}, peak slope {ge[3]:.2f}) "
               f"and Swish (min {sw[1]:.3f}, peak slope {sw[3]:.2f}) {bend_en}."),
    }
    claim = {
        "zh": "所以 tanh 就是放大平移后的 sigmoid，峰值斜率是它的 4 倍；两者远离 0 时都会饱和，几乎不再回传梯度，"
              "而 ReLU 一族在正半轴的斜率始终是 1。",
        "en": "So tanh is a rescaled, shifted sigmoid with a 4× steeper peak; both saturate far from 0 and pass almost "
              "no gradient there, while the ReLU family keeps slope 1 for x > 0.",
    }
    table = {"columns": ["activation", "min f", "max f", "max f'", f"f'(−{span:g})", f"f'(+{span:g})"], "rows": rows}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
