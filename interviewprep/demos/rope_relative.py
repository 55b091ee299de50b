"""RoPE: the score between a query at m and a key at n depends only on m − n; extending the context by
position interpolation keeps every rotation angle inside the trained range, plain extrapolation does not.

Pair i of a head (dims 2i, 2i+1) is rotated by angle pos·θᵢ with θᵢ = base^(−2i/d). The check for the
relative property is against the closed form qᵀ·R((n − m)·θ)·k, which rotates only the key, by the offset.
Position interpolation (Chen et al., 2023) uses pos·L_train/L_target; NTK-aware scaling instead raises
the base to base·s^(d/(d−2)), which leaves θ₀ alone and divides the slowest frequency by exactly s.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def frequencies(d, base):
    """θᵢ = base^(−2i/d), i = 0 … d/2 − 1."""
    return base ** (-np.arange(0, d, 2) / d)


def rotation_angles(positions, theta) -> np.ndarray:
    """pos·θᵢ for every position (rows) and pair (columns): the angles RoPE rotates by."""
    return np.multiply.outer(positions, theta)


def rotate(x, pos, theta):
    """RoPE: rotate each pair (x₂ᵢ, x₂ᵢ₊₁) of x by pos·θᵢ."""
    a = rotation_angles(pos, theta)
    c, s = np.cos(a), np.sin(a)
    x0, x1 = x[0::2], x[1::2]
    out = np.empty_like(x)
    out[0::2] = x0 * c - x1 * s
    out[1::2] = x0 * s + x1 * c
    return out


def pi_scale(train_len, target_len):
    """Position interpolation multiplies every position by L/L′."""
    return train_len / target_len


def ntk_base(base, s, d):
    """NTK-aware scaling: base·s^(d/(d−2))."""
    return base * s ** (d / (d - 2))


def rope_score(q, k, m, n, theta):
    return float(rotate(q, m, theta) @ rotate(k, n, theta))


@demo(
    id="rope-relative",
    title={"zh": "RoPE：分数只依赖相对位置；位置插值让角度留在训练范围内",
           "en": "RoPE: scores depend only on the offset; position interpolation keeps angles in range"},
    tags=["rope", "rotary", "positional-encoding", "position interpolation", "ntk", "yarn", "long context",
          "context extension", "旋转位置编码", "位置插值", "相对位置", "长上下文", "上下文扩展"],
    params=[
        Param("d_head", int, 64, choices=(8, 16, 32, 64, 128, 256), help={"zh": "头维度 d", "en": "head size d"}),
        Param("base", float, 10000.0, 100.0, 1e7, help={"zh": "RoPE 的底数 base", "en": "RoPE base"}),
        Param("train_len", int, 2048, 16, 131072, help={"zh": "训练长度 L", "en": "trained context L"}),
        Param("target_len", int, 8192, 16, 1048576, help={"zh": "目标长度 L′", "en": "target context L′"}),
        Param("offset", int, 7, 0, 4096, help={"zh": "考察的相对距离 m − n", "en": "offset m − n to examine"}),
    ],
)
def run(p, rng) -> Outcome:
    d, base, L, Lt, off = p["d_head"], p["base"], p["train_len"], p["target_len"], p["offset"]
    theta = frequencies(d, base)
    q, k = rng.standard_normal(d), rng.standard_normal(d)

    # 1. relative property: the same offset at many absolute positions
    starts = np.array([0, 1, 10, 100, 1000, 5000, 20000])
    scores = np.array([rope_score(q, k, s + off, s, theta) for s in starts])
    closed = float(q @ rotate(k, -off, theta))  # qᵀ·R((n − m)θ)·k with n − m = −offset
    rel_err = float(np.max(np.abs(scores - closed)))
    # contrast: an additive absolute code (sinusoid added to q and k) is not shift-invariant
    pe = lambda pos: np.concatenate([np.sin(pos * theta), np.cos(pos * theta)])  # noqa: E731
    additive = np.array([float((q + pe(s + off)) @ (k + pe(s))) for s in starts])
    additive_spread = float(additive.max() - additive.min())

    # 2. context extension: largest angle per pair over positions 0 … L′−1
    s_ext = Lt / L
    # the largest angle each pair is rotated by over positions 0 … L−1 (257 of them, both ends included);
    # rotate applies these same angles
    def largest_angle(length, squeeze=1.0):
        positions = np.unique(np.linspace(0, length - 1, 257).round().astype(int))
        return rotation_angles(positions * squeeze, theta).max(axis=0)

    trained = largest_angle(L)
    extrapolated = largest_angle(Lt)
    interpolated = largest_angle(Lt, pi_scale(L, Lt))  # PI: positions squeezed by L/L′
    beyond_extra = int(np.sum(extrapolated > trained * (1 + 1e-12)))
    beyond_pi = int(np.sum(interpolated > L * theta * (1 + 1e-12)))
    # pairs that never complete a turn in training: their extrapolated angles were truly never seen
    unseen_pairs = int(np.sum(trained < 2 * np.pi))
    ntk_theta = frequencies(d, ntk_base(base, s_ext, d))
    ntk_low_ratio = float(ntk_theta[-1] / theta[-1])
    ntk_high_ratio = float(ntk_theta[0] / theta[0])

    metrics = {
        "score_at_offset": closed,
        "max_dev_across_positions": rel_err,
        "additive_pe_score_spread": additive_spread,
        "extension_factor": s_ext,
        "max_trained_angle_slowest_pair": float(trained[-1]),
        "max_extrapolated_angle_slowest_pair": float(extrapolated[-1]),
        "max_interpolated_angle_slowest_pair": float(interpolated[-1]),
        "pairs_beyond_trained_extrapolation": beyond_extra,
        "pairs_beyond_trained_interpolation": beyond_pi,
        "pairs_without_full_turn_in_training": unseen_pairs,
        "ntk_slowest_freq_ratio": ntk_low_ratio,
        "ntk_fastest_freq_ratio": ntk_high_ratio,
        "pi_fastest_step_ratio": L / Lt,
    }
    ok_rel = rel_err < 1e-9 * (1 + abs(closed))
    extending = Lt > L
    ok_extra = beyond_extra == (d // 2 if extending else 0)
    ok_pi = beyond_pi == 0
    ok_ntk = abs(ntk_low_ratio - 1 / s_ext) < 1e-9 / s_ext and abs(ntk_high_ratio - 1) < 1e-12
    checks = [
        check("RoPE score at offset m − n is the same at every absolute position and equals qᵀR((n−m)θ)k", ok_rel,
              f"offset {off} at starts {starts.tolist()}: max deviation {rel_err:.1e} from {closed:.4f}"),
        check("plain extrapolation to L′ > L pushes every pair's largest angle past the trained one", ok_extra,
              f"L = {L}, L′ = {Lt}: {beyond_extra} of {d // 2} pairs beyond (L−1)·θᵢ"),
        check("position interpolation keeps every angle below L·θᵢ", ok_pi,
              f"{beyond_pi} of {d // 2} pairs beyond; slowest pair {interpolated[-1]:.4f} vs {L * theta[-1]:.4f}"),
        check("NTK-aware base·s^(d/(d−2)) leaves θ₀ alone and divides the slowest θ by s", ok_ntk,
              f"s = {s_ext:g}: θ₀ ×{ntk_high_ratio:.6f}, θ_last ×{ntk_low_ratio:.6g} vs 1/s = {1 / s_ext:.6g}"),
    ]
    rel_zh = (f"相对距离 {off} 在 7 个绝对位置上的 RoPE 分数最大差 {rel_err:.0e}，都等于 qᵀR((n−m)θ)k = {closed:.3f}"
              if ok_rel else f"相对距离 {off} 的分数随绝对位置变化 {rel_err:.1e}（检查失败）")
    rel_en = (f"At offset {off}, the RoPE score varies by {rel_err:.0e} across 7 absolute positions and equals "
              f"qᵀR((n−m)θ)k = {closed:.3f}" if ok_rel
              else f"At offset {off} the score changes by {rel_err:.1e} with absolute position (check failed)")
    if extending:
        ext_zh = (f"把 L={L} 扩到 L′={Lt}（s={s_ext:g}）：直接外推时 {beyond_extra}/{d // 2} 对维度的"
                  f"最大角度超出训练范围，"
                  f"其中 {unseen_pairs} 对在训练中连一圈都没转完，新角度从未见过；位置插值后超出的有 {beyond_pi} 对，"
                  f"代价是相邻位置的角度差缩小到 1/{s_ext:g}。NTK 式改底数后，最慢频率 ×{ntk_low_ratio:.3g}，"
                  f"最快频率 ×{ntk_high_ratio:.3g}。")
        ext_en = (f"Extending L={L} to L′={Lt} (s={s_ext:g}): plain extrapolation takes {beyond_extra}/{d // 2} "
                  f"pairs past "
                  f"their trained angle, and {unseen_pairs} pairs never completed a turn in training, so their new "
                  f"angles were never seen; with position interpolation {beyond_pi} pairs go beyond, at the price of "
                  f"neighbouring positions being 1/{s_ext:g} as far apart. NTK-aware base scaling multiplies the "
                  f"slowest frequency by {ntk_low_ratio:.3g} and the fastest by {ntk_high_ratio:.3g}.")
    else:
        ext_zh = f"L′={Lt} ≤ L={L}：没有扩展，外推和插值都不超出训练范围。"
        ext_en = f"L′={Lt} ≤ L={L}: no extension, so neither extrapolation nor interpolation leaves the trained range."
    takeaway = {"zh": f"{rel_zh}；加法式绝对编码的同一分数却相差 {additive_spread:.3g}。\n{ext_zh}",
                "en": (f"{rel_en}; with an added absolute code the same score spreads by {additive_spread:.3g}."
                       f"\n{ext_en}")}
    claim = {
        "zh": ("RoPE 的分数只取决于相对距离 m − n。扩展上下文时，直接外推会把每对维度的最大角度推出训练范围，"
               "位置插值则让所有角度留在范围之内；NTK 式改底数只压低频，最高频保持不变。"),
        "en": ("A RoPE score depends only on the offset m − n. When the context is extended, plain extrapolation "
               "pushes every pair past its largest trained angle while position interpolation keeps every angle in "
               "range, and NTK-aware base scaling squeezes only the low frequencies and keeps the fastest."),
    }
    pairs = np.arange(d // 2)
    series = {"log10 largest angle, extrapolated ÷ trained": Series.of(pairs, np.log10(extrapolated / trained)),
              "log10 largest angle, interpolated ÷ trained": Series.of(pairs, np.log10(interpolated / trained))}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
