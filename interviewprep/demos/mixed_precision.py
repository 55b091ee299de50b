"""Mixed precision in NumPy: FP16 overflow and gradient underflow, loss scaling, and BF16/FP8 emulated.

FP16 (1 sign, 5 exponent, 10 mantissa bits, bias 15) tops out at (2 − 2⁻¹⁰)·2¹⁵ = 65504; its smallest
subnormal is 2⁻²⁴ ≈ 6e-8, so any |g| < 2⁻²⁵ rounds to 0. Gradients are drawn log-normally around
10^grad_log10; the share flushed to zero is compared with the normal CDF of log10 thresholds. A static
loss scale S multiplies the loss (and so every gradient) by S before the cast and divides afterwards in
FP32. A dynamic scaler starts high, halves S and skips the step whenever a gradient is inf, and doubles
S after `growth_interval` clean steps. BF16 (1/8/7) is emulated by rounding float32 to 7 mantissa bits
(round to nearest, ties to even); FP8 E4M3 and E5M2 maxima come from decoding every bit pattern.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

FP16_MAX = 65504.0
FP16_TINY_SUB = 2.0**-24
GROWTH_INTERVAL = 20
DYN_STEPS = 200


def to_bf16(x):
    """float32 → nearest bfloat16 (kept as float32): keep the top 16 bits, round to nearest even."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounding = 0x7FFF + ((bits >> 16) & 1)
    out = ((bits + rounding) >> 16) << 16
    return out.astype(np.uint32).view(np.float32)


def decode_minifloat(exp_bits: int, man_bits: int, ieee_special: bool) -> np.ndarray:
    """Every finite value of a sign/exponent/mantissa format, decoded bit pattern by bit pattern.

    ieee_special: the all-ones exponent means inf/NaN (FP16, BF16, E5M2). Otherwise (OCP E4M3)
    only the all-ones exponent with all-ones mantissa is NaN and the rest are ordinary numbers."""
    bias = 2 ** (exp_bits - 1) - 1
    top = 2**exp_bits - 1
    values = []
    for e in range(2**exp_bits):
        for m in range(2**man_bits):
            if e == top and (ieee_special or m == 2**man_bits - 1):
                continue
            if e == 0:
                values.append(m / 2**man_bits * 2.0 ** (1 - bias))
            else:
                values.append((1 + m / 2**man_bits) * 2.0 ** (e - bias))
    return np.array(values)


def max_from_layout(exp_bits: int, man_bits: int, ieee_special: bool) -> float:
    """Closed form: (2 − 2^−m)·2^(e_max − bias), e_max = 2^e − 2 for IEEE-style, 2^e − 1 for E4M3
    (whose top mantissa pattern is NaN, so the mantissa tops out one step lower: 2 − 2·2^−m)."""
    bias = 2 ** (exp_bits - 1) - 1
    if ieee_special:
        return (2 - 2.0**-man_bits) * 2.0 ** (2**exp_bits - 2 - bias)
    return (2 - 2 * 2.0**-man_bits) * 2.0 ** (2**exp_bits - 1 - bias)


def cast_fp16(g):
    with np.errstate(over="ignore"):
        return np.asarray(g, dtype=np.float64).astype(np.float16)


def scaler_update(scale: float, clean: int, overflowed: bool) -> tuple[float, int]:
    """One step of dynamic loss scaling: (new scale, clean steps in a row). Halve at once on an overflow;
    double after GROWTH_INTERVAL clean steps in a row."""
    if overflowed:
        return scale / 2, 0
    clean += 1
    return (scale * 2, 0) if clean == GROWTH_INTERVAL else (scale, clean)


def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@demo(
    id="mixed-precision",
    title={"zh": "混合精度：FP16 溢出与梯度下溢、损失缩放、BF16 与 FP8",
           "en": "Mixed precision: FP16 overflow and underflow, loss scaling, BF16 and FP8"},
    tags=["mixed precision", "fp16", "bf16", "fp8", "loss scaling", "underflow", "overflow",
          "混合精度", "半精度", "损失缩放", "下溢", "溢出", "浮点格式"],
    params=[
        Param("grad_log10", float, -7.0, -9.0, -3.0,
              help={"zh": "梯度大小的中心 log10|g|", "en": "centre of the gradients' log10|g|"}),
        Param("spread", float, 1.0, 0.1, 2.0,
              help={"zh": "log10|g| 的标准差", "en": "standard deviation of log10|g|"}),
        Param("scale_log2", int, 16, 0, 30,
              help={"zh": "静态损失缩放 S = 2^k 的 k", "en": "static loss scale S = 2^k"}),
        Param("n", int, 100000, 1000, 300000,
              help={"zh": "梯度个数", "en": "number of gradients"}),
    ],
)
def run(p, rng) -> Outcome:
    mu, sd, k, n = p["grad_log10"], p["spread"], p["scale_log2"], p["n"]
    s = 2.0**k
    g = 10.0 ** rng.normal(mu, sd, n) * rng.choice([-1.0, 1.0], n)

    plain = cast_fp16(g)
    lost_plain = float(np.mean(plain == 0))
    sub_plain = float(np.mean((plain != 0) & (np.abs(plain) < 2.0**-14)))
    scaled = cast_fp16(g * s)
    lost_scaled = float(np.mean(scaled == 0))
    inf_scaled = float(np.mean(np.isinf(scaled)))
    ok = np.isfinite(scaled) & (scaled != 0)
    back = scaled[ok].astype(np.float64) / s
    # relative error of the gradients that survive the round trip (1.0, i.e. all lost, if none survive)
    rel_scaled = float(np.median(np.abs(back - g[ok]) / np.abs(g[ok]))) if ok.any() else 1.0

    # independent prediction: |g| < 2⁻²⁵ rounds to 0, |g·S| ≥ 65520 rounds to inf
    zero_at = math.log10(2.0**-25)
    pred_lost_plain = normal_cdf((zero_at - mu) / sd)
    pred_lost_scaled = normal_cdf((zero_at - k * math.log10(2) - mu) / sd)
    pred_inf_scaled = 1 - normal_cdf((math.log10(65520.0) - k * math.log10(2) - mu) / sd)
    tol = lambda q: 4 * math.sqrt(max(q * (1 - q), 1.0 / n) / n) + 1e-3  # noqa: E731

    # the format table: maxima from decoding all patterns vs the closed form, plus FP16/BF16 rounding
    formats = {"FP16": (5, 10, True), "BF16": (8, 7, True), "FP8 E4M3": (4, 3, False), "FP8 E5M2": (5, 2, True)}
    decoded = {name: float(decode_minifloat(*f).max()) for name, f in formats.items() if name != "BF16"}
    bf16_all = np.arange(0, 2**16, dtype=np.uint32) << 16
    bf16_vals = bf16_all.view(np.float32)
    decoded["BF16"] = float(np.max(bf16_vals[np.isfinite(bf16_vals)]))
    formula = {name: max_from_layout(*f) for name, f in formats.items()}
    max_ok = all(decoded[n_] == formula[n_] for n_ in formats)
    fp16_numpy = float(np.finfo(np.float16).max)
    overflow_pair = tuple(float(v) for v in cast_fp16([65519.0, 65520.0]))  # the cast every count here uses
    bf16_big = float(to_bf16(np.float32(1e38)))

    x = (rng.uniform(1.0, 2.0, 20000) * 2.0 ** rng.integers(-10, 10, 20000)).astype(np.float32)
    x64 = x.astype(np.float64)
    err_bf16 = float(np.max(np.abs(to_bf16(x).astype(np.float64) - x64) / x64))
    err_fp16 = float(np.max(np.abs(x.astype(np.float16).astype(np.float64) - x64) / x64))
    lost_bf16 = float(np.mean(to_bf16(g.astype(np.float32)) == 0))

    # dynamic loss scaling: start at 2^24, halve and skip on inf, double after GROWTH_INTERVAL clean steps
    scale, clean, skipped, history = 2.0**24, 0, 0, []
    step_max = []
    for _ in range(DYN_STEPS):
        gs = 10.0 ** rng.normal(mu, sd, 2000)
        step_max.append(float(gs.max()))
        overflowed = bool(np.isinf(cast_fp16(gs * scale)).any())
        scale, clean = scaler_update(scale, clean, overflowed)
        skipped += overflowed
        history.append(scale)
    # it overflows on a step when S·max|g| ≥ 65520 and grows after GROWTH_INTERVAL clean steps, so it
    # hovers where about one step in GROWTH_INTERVAL overflows: S ≈ 65520 / that quantile of max|g|
    q_max = float(np.quantile(step_max, 1 - 1 / GROWTH_INTERVAL))
    safe = 2.0 ** math.floor(math.log2(65520.0 / q_max))
    reachable = 2.0 ** (24 + DYN_STEPS // GROWTH_INTERVAL)  # growth alone cannot go past this
    target = min(safe, reachable)
    final = history[-1]

    metrics = {
        "fp16_max_decoded": decoded["FP16"], "fp16_max_formula": formula["FP16"], "fp16_max_numpy": fp16_numpy,
        "bf16_max_decoded": decoded["BF16"], "bf16_max_formula": formula["BF16"],
        "e4m3_max_decoded": decoded["FP8 E4M3"], "e5m2_max_decoded": decoded["FP8 E5M2"],
        "fp16_of_65519": overflow_pair[0], "fp16_of_65520_is_inf": int(math.isinf(overflow_pair[1])),
        "bf16_of_1e38": bf16_big,
        "bf16_max_rel_error": err_bf16, "fp16_max_rel_error": err_fp16,
        "share_zero_fp16": lost_plain, "share_subnormal_fp16": sub_plain,
        "share_zero_fp16_predicted": pred_lost_plain,
        "loss_scale": s,
        "share_zero_scaled": lost_scaled, "share_inf_scaled": inf_scaled,
        "share_inf_scaled_predicted": pred_inf_scaled,
        "median_rel_error_scaled": rel_scaled,
        "share_zero_bf16": lost_bf16,
        "dynamic_final_scale": final, "dynamic_safe_power_of_two": safe,
        "dynamic_reachable_scale": reachable,
        "dynamic_skipped_steps": skipped,
    }
    rescued = lost_scaled + inf_scaled < lost_plain
    checks = [
        check("maxima decoded from every bit pattern equal (2 − 2⁻ᵐ)·2^(emax−bias) (E4M3: 1.75·2⁸ = 448)",
              max_ok and fp16_numpy == formula["FP16"],
              ", ".join(f"{n_} {decoded[n_]:.6g} vs {formula[n_]:.6g}" for n_ in formats)),
        check("FP16 rounds 65519 down to 65504 and 65520 up to inf", overflow_pair == (65504.0, math.inf),
              f"float16(65519) = {overflow_pair[0]:g}, float16(65520) = {overflow_pair[1]:g}"),
        check("relative rounding error is at most 2⁻⁸ for BF16 and 2⁻¹¹ for FP16 (and near those bounds)",
              2.0**-9 < err_bf16 <= 2.0**-8 and 2.0**-12 < err_fp16 <= 2.0**-11,
              f"BF16 {err_bf16:.3e} (2⁻⁸ = {2**-8:.3e}), FP16 {err_fp16:.3e} (2⁻¹¹ = {2**-11:.3e})"),
        check("share of gradients FP16 flushes to zero matches Φ((log10 2⁻²⁵ − μ)/σ)",
              abs(lost_plain - pred_lost_plain) < tol(pred_lost_plain)
              and abs(lost_scaled - pred_lost_scaled) < tol(pred_lost_scaled)
              and abs(inf_scaled - pred_inf_scaled) < tol(pred_inf_scaled),
              f"unscaled {lost_plain:.2%} vs {pred_lost_plain:.2%}; with S = 2^{k}: zero {lost_scaled:.2%} vs "
              f"{pred_lost_scaled:.2%}, inf {inf_scaled:.2%} vs {pred_inf_scaled:.2%}"),
        check("loss scaling loses fewer gradients (zero + inf) than no scaling", rescued,
              f"{lost_plain:.2%} lost unscaled vs {lost_scaled + inf_scaled:.2%} with S = 2^{k}"),
        check("the dynamic scaler ends within 8× of min(65520 / 95th-percentile step max, what growth can reach)",
              target / 8 <= final <= target * 8,
              f"final 2^{math.log2(final):.0f} vs safe 2^{math.log2(safe):.0f}, reachable "
              f"2^{math.log2(reachable):.0f} in {DYN_STEPS} steps; {skipped} steps skipped"),
    ]
    if lost_plain == 0 and not rescued:
        verdict_en = (f"nothing to rescue: FP16 keeps every gradient here, and S = 2^{k} leaves "
                      f"{lost_scaled:.2%} zeros + {inf_scaled:.2%} infs")
        verdict_zh = f"这里无需挽救：FP16 本就保住了全部梯度，S = 2^{k} 下为零 {lost_scaled:.2%}、inf {inf_scaled:.2%}"
    elif rescued:
        verdict_en = (f"scaling by S = 2^{k} cuts the loss to {lost_scaled:.2%} zeros + {inf_scaled:.2%} infs, "
                      f"and the survivors come back with median relative error {rel_scaled:.1e}")
        verdict_zh = (f"乘以 S = 2^{k} 后只剩 {lost_scaled:.2%} 为零、{inf_scaled:.2%} 溢出为 inf，"
                      f"还原后中位相对误差 {rel_scaled:.1e}")
    else:
        verdict_en = (f"S = 2^{k} does not help here: {lost_scaled:.2%} zeros + {inf_scaled:.2%} infs "
                      f"(a scale this size pushes large gradients past 65504, or is too small to lift the tiny ones)")
        verdict_zh = (f"S = 2^{k} 在这里没有帮助：{lost_scaled:.2%} 为零、{inf_scaled:.2%} 为 inf"
                      f"（缩放过大会把大梯度推过 65504，过小则抬不起小梯度）")
    takeaway = {
        "zh": (f"梯度中心 10^{mu:g}、log10 标准差 {sd:g}：直接转 FP16 有 {lost_plain:.2%} 变成 0"
               f"（预测 {pred_lost_plain:.2%}），另有 {sub_plain:.2%} 落入精度更低的次正规数；{verdict_zh}。"
               f"动态缩放器从 2^24 出发，{DYN_STEPS} 步后停在 2^{math.log2(final):.0f}，"
               f"预测的平衡点约 2^{math.log2(safe):.0f}，途中跳过 {skipped} 步。"
               f"BF16 下为零的比例 {lost_bf16:.2%}，但相对舍入误差最大 {err_bf16:.2e}，"
               f"FP16 为 {err_fp16:.2e}。最大值：FP16 {decoded['FP16']:g}、BF16 {decoded['BF16']:.4g}、"
               f"E4M3 {decoded['FP8 E4M3']:g}、E5M2 {decoded['FP8 E5M2']:g}"
               + ("，都与位布局公式一致。" if max_ok else "，与位布局公式不一致。")),
        "en": (f"Gradients around 10^{mu:g} with log10 spread {sd:g}: a plain FP16 cast flushes {lost_plain:.2%} "
               f"to zero (predicted {pred_lost_plain:.2%}) and leaves {sub_plain:.2%} as low-precision subnormals; "
               f"{verdict_en}. A dynamic scaler starting at 2^24 ends at 2^{math.log2(final):.0f} after {DYN_STEPS} "
               f"steps (predicted balance point about 2^{math.log2(safe):.0f}), skipping {skipped} steps. "
               f"In BF16 {lost_bf16:.2%} become zero, but the worst relative rounding error is {err_bf16:.2e} "
               f"vs {err_fp16:.2e} in FP16. "
               f"Maxima: FP16 {decoded['FP16']:g}, BF16 {decoded['BF16']:.4g}, E4M3 {decoded['FP8 E4M3']:g}, "
               f"E5M2 {decoded['FP8 E5M2']:g}"
               + (", all as the bit-layout formula says." if max_ok else ", NOT what the bit-layout formula says.")),
    }
    claim = {
        "zh": ("FP16 的指数范围窄：太小的梯度被冲成 0，太大的变成 inf。损失缩放把梯度整体平移进可表示的范围，"
               "动态缩放器能自己找到合适的 S；BF16 保留了 FP32 的指数范围，代价是精度更低。"),
        "en": ("FP16's narrow exponent range flushes tiny gradients to zero and turns large ones into inf. A loss "
               "scale shifts the gradients into range, and a dynamic scaler finds that scale by itself; BF16 keeps "
               "FP32's range at the cost of precision."),
    }
    ks = np.arange(0, 31, 2)
    lost_curve = []
    for kk in ks:
        c = cast_fp16(g * 2.0**kk)
        lost_curve.append(float(np.mean((c == 0) | np.isinf(c))))
    series = {"share of gradients lost (0 or inf) vs log2 loss scale": Series.of(ks, lost_curve)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
