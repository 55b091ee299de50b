"""Sigmoid saturation: σ'(z) = σ(z)(1 − σ(z)) peaks at 0.25 and all but vanishes for large |z|.

The template for every demo: declare parameters, compute with numpy from the generator given,
return measured numbers, checks computed from them, a takeaway built from those numbers, and apart
from it the claim (the lesson), which the engine shows only when every check passed.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import sigmoid, sigmoid_grad


@demo(
    id="sigmoid-saturation",
    title={"zh": "sigmoid 的饱和与梯度", "en": "Sigmoid saturation and its gradient"},
    tags=["activation", "sigmoid", "saturation", "vanishing-gradient", "激活函数", "饱和", "梯度消失"],
    params=[
        Param("z", float, 10.0, 0.5, 40.0, help={"zh": "考察的输入值", "en": "input at which to measure σ'"}),
        Param("span", float, 12.0, 2.0, 40.0,
              help={"zh": "曲线横轴范围 ±span", "en": "curves are drawn on [−span, span]"}),
    ],
)
def run(p, rng) -> Outcome:
    z = np.linspace(-p["span"], p["span"], 241)
    s = sigmoid(z)
    grad = sigmoid_grad(z)
    at_zero = float(sigmoid_grad(0.0))
    # σ(z)·σ(−z) is σ(z)(1−σ(z)) without the rounding of 1−σ(z) to 0 for large z (σ(37) rounds to 1)
    at_z = float(sigmoid(p["z"]) * sigmoid(-p["z"]))
    peak_at = float(z[np.argmax(grad)])
    # finite-difference check that the closed form is the derivative, taken at −z (σ' is even), where
    # σ is tiny and precise, so the difference does not cancel to 0 as it would next to σ ≈ 1
    h = 1e-5 * max(1.0, abs(p["z"]))
    fd = float((sigmoid(-p["z"] + h) - sigmoid(-p["z"] - h)) / (2 * h))
    ratio = at_zero / at_z
    metrics = {
        "sigma_prime_0": at_zero,
        "sigma_prime_z": at_z,
        "finite_difference_z": fd,
        "argmax_sigma_prime": peak_at,
        "shrink_factor": ratio,
        "sigma_z": float(sigmoid(p["z"])),
    }
    checks = [
        check("σ'(0) = 0.25 is the maximum", abs(at_zero - 0.25) < 1e-12 and grad.max() <= 0.25 + 1e-12,
              f"σ'(0) = {at_zero:.6f}, max on grid {grad.max():.6f} at z = {peak_at:.2f}"),
        check("closed form matches finite differences", abs(fd - at_z) <= 1e-4 * at_z,
              f"σ(1−σ) = {at_z:.6e}, finite difference = {fd:.6e}"),
        check(f"σ'({p['z']:g}) is far below σ'(0) (at least 5× smaller)", ratio >= 5,
              f"{at_zero:.3f} / {at_z:.3e} = {ratio:.3g}×"),
    ]
    takeaway = {
        "zh": (f"sigmoid 的导数最大只有 {at_zero:.2f}（在 z=0）；到 z={p['z']:g} 时降到 {at_z:.2e}，"
               f"缩小了约 {ratio:.3g} 倍。"),
        "en": (f"σ' peaks at only {at_zero:.2f} (at z=0); at z={p['z']:g} it is {at_z:.2e}, "
               f"{ratio:.3g}× smaller."),
    }
    claim = {
        "zh": "输入落入饱和区时几乎没有梯度回传，这就是 sigmoid 造成梯度消失的原因。",
        "en": "A saturated unit passes almost no gradient back, which is how sigmoids cause vanishing gradients.",
    }
    series = {"σ(z)": Series.of(z, s), "σ'(z)": Series.of(z, grad)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
