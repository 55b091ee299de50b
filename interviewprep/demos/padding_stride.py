"""Padding, stride, dilation: a conv layer's output size is ⌊(H + 2P − D(K − 1) − 1)/S⌋ + 1.

Measured, not assumed: a plain NumPy convolution slides its window to every position that fits and
we read the size of what it produced, then compare with `conv2d_output_shape`. The helper
`conv2d_numpy` here is also used by the other convolution demos.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import conv2d_output_shape


def window_starts(size: int, k: int, stride: int, dilation: int) -> list[int]:
    """Every start index at which a dilated k-tap window still fits inside `size` samples."""
    starts, i = [], 0
    while i + dilation * (k - 1) <= size - 1:
        starts.append(i)
        i += stride
    return starts


def conv2d_numpy(x, w, b=None, stride: int = 1, padding: int = 0, dilation: int = 1):
    """Cross-correlation as in nn.Conv2d: x (C_in, H, W), w (C_out, C_in, K, K) -> (C_out, H_out, W_out).

    No output-size formula inside: the window is slid to every position where it fits.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 2:
        x = x[None]
    w = np.asarray(w, dtype=float)
    if w.ndim == 2:
        w = w[None, None]
    k = w.shape[-1]
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    rows = np.array(window_starts(xp.shape[1], k, stride, dilation))
    cols = np.array(window_starts(xp.shape[2], k, stride, dilation))
    taps = dilation * np.arange(k)
    r = rows[:, None, None, None] + taps[None, None, :, None]  # (Ho, 1, K, 1)
    c = cols[None, :, None, None] + taps[None, None, None, :]  # (1, Wo, 1, K)
    patches = xp[:, r, c]  # (C_in, Ho, Wo, K, K)
    out = np.einsum("chwij,ocij->ohw", patches, w, optimize=True)  # BLAS, not a 5-deep loop
    if b is not None:
        out = out + np.asarray(b)[:, None, None]
    return out


SETTINGS = [  # (K, S, P, D): a spread of the cases interviews ask about
    (3, 1, 0, 1),
    (3, 1, 1, 1),
    (5, 1, 2, 1),
    (3, 2, 1, 1),
    (7, 2, 3, 1),
    (3, 2, 0, 1),
    (5, 3, 1, 1),
    (3, 1, 2, 2),
    (2, 2, 0, 1),
]


@demo(
    id="padding-stride",
    title={"zh": "padding、步长与输出尺寸", "en": "Padding, stride and the conv output size"},
    tags=["cnn", "convolution", "padding", "stride", "dilation", "output-size", "same", "valid",
          "卷积", "填充", "步长", "空洞卷积", "输出尺寸"],
    params=[
        Param("size", int, 14, 5, 64, help={"zh": "输入的高和宽 H = W", "en": "input height = width H"}),
        Param("kernel", int, 3, 1, 7, help={"zh": "你的设置：卷积核大小 K", "en": "your setting: kernel size K"}),
        Param("stride", int, 2, 1, 4, help={"zh": "你的设置：步长 S", "en": "your setting: stride S"}),
        Param("padding", int, 0, 0, 4, help={"zh": "你的设置：每边填充 P", "en": "your setting: padding P per side"}),
    ],
)
def run(p, rng) -> Outcome:
    h = p["size"]
    x = rng.standard_normal((1, h, h))
    settings = list(SETTINGS)
    mine = (p["kernel"], p["stride"], p["padding"], 1)
    if mine not in settings:
        settings.insert(0, mine)
    entries = []  # (setting, measured, formula, unread)
    for k, s, pad, d in settings:
        if h + 2 * pad < d * (k - 1) + 1:
            continue  # the window does not fit even once
        w = rng.standard_normal((1, 1, k, k))
        measured = conv2d_numpy(x, w, stride=s, padding=pad, dilation=d).shape[1]
        formula = conv2d_output_shape(h, h, k, stride=s, padding=pad, dilation=d)[0]
        # input rows (padding included) that some window reads; the floor leaves the rest unread
        read = set()
        for start in window_starts(h + 2 * pad, k, s, d):
            read.update((start + d * np.arange(k)).tolist())
        entries.append(((k, s, pad, d), measured, formula, h + 2 * pad - len(read)))
    rows = [[f"K={k} S={s} P={pad} D={d}", m, f, u] for (k, s, pad, d), m, f, u in entries]
    mismatches = sum(m != f for _, m, f, _ in entries)
    same = [m for (k, s, pad, d), m, _, _ in entries if s == 1 and 2 * pad == d * (k - 1)]
    halving = [m for (k, s, pad, d), m, _, _ in entries if s == 2 and 2 * pad == d * (k - 1) and k % 2]
    same_ok = bool(same) and all(m == h for m in same)
    halving_ok = bool(halving) and all(m == (h + 1) // 2 for m in halving)
    floor_cases = [(u, (h + 2 * pad - k) % s) for (k, s, pad, d), _, _, u in entries if d == 1 and k >= s]
    floor_ok = all(u == r for u, r in floor_cases)
    measured_mine = next(((m, f, u) for st, m, f, u in entries if st == mine), (0, 0, 0))
    sizes = list(range(max(5, p["kernel"]), 65))
    curve_measured = [conv2d_numpy(np.zeros((1, n, n)), np.zeros((1, 1, p["kernel"], p["kernel"])),
                                   stride=p["stride"], padding=p["padding"]).shape[1] for n in sizes]
    metrics = {
        "settings_tried": len(rows),
        "formula_mismatches": int(mismatches),
        "your_output_size": int(measured_mine[0]),  # 0: the window does not fit
        "your_formula_size": int(measured_mine[1]),
        "your_unread_rows": int(measured_mine[2]),
        "same_padding_settings": len(same),
    }
    checks = [
        check("measured output size equals ⌊(H+2P−D(K−1)−1)/S⌋+1 in every setting", mismatches == 0 and entries,
              f"{len(rows) - mismatches}/{len(rows)} settings agree at H={h}"),
        check("'same' padding P = D(K−1)/2 with stride 1 keeps H", same_ok,
              f"{len(same)} such settings, outputs {same} for H={h}"),
        check("stride 2 with 'same'-style padding gives ⌈H/2⌉", halving_ok,
              f"H={h}: outputs {halving}, ⌈H/2⌉={(h + 1) // 2}"),
        check("the floor: (H+2P−K) mod S trailing rows are never read (D=1)", floor_ok and floor_cases,
              f"unread rows {[u for u, _ in floor_cases]} vs (H+2P−K) mod S {[r for _, r in floor_cases]}"),
    ]
    k, s, pad = p["kernel"], p["stride"], p["padding"]
    fits = any(st == mine for st, _, _, _ in entries)
    if fits:
        mine_zh = (f"你的设置 K={k}, S={s}, P={pad} 输出 {measured_mine[0]}×{measured_mine[0]}，"
                   f"向下取整使最后 {measured_mine[2]} 行（含填充）从未被读到。")
        mine_en = (f"Your K={k}, S={s}, P={pad} gives {measured_mine[0]}×{measured_mine[0]}; the floor leaves the "
                   f"last {measured_mine[2]} row(s) (padding included) never read.")
    else:
        need = -(-(k - h) // 2)  # the smallest P with H + 2P ≥ K
        mine_zh = (f"你的设置 K={k}, S={s}, P={pad} 放不下：H+2P = {h + 2 * pad} < K = {k}，一个窗口都没有，"
                   f"没有输出（至少要 P={need}，或用更小的卷积核）。")
        mine_en = (f"Your K={k}, S={s}, P={pad} does not fit: H+2P = {h + 2 * pad} < K = {k}, so not one window "
                   f"and no output (it needs P ≥ {need} or a smaller kernel).")
    if mismatches == 0:
        agree_zh, agree_en = "全部吻合", "every measured output size matches"
    else:
        agree_zh, agree_en = f"有 {mismatches} 个不吻合", f"{mismatches} measured output sizes do NOT match"
    takeaway = {
        "zh": (f"在 H={h} 上实际跑了 {len(rows)} 种卷积设置，输出尺寸与公式 ⌊(H+2P−D(K−1)−1)/S⌋+1 {agree_zh}"
               f"（不一致 {mismatches} 个）。{mine_zh}"),
        "en": (f"Ran {len(rows)} convolution settings on H={h}: {agree_en} "
               f"⌊(H+2P−D(K−1)−1)/S⌋+1 ({mismatches} mismatches). {mine_en}"),
    }
    claim = {
        "zh": "stride=1 且 P=(K−1)/2 时尺寸不变（same）。",
        "en": "Stride 1 with P=(K−1)/2 keeps the size ('same').",
    }
    series = {f"output size vs H (K={k}, S={s}, P={pad})": Series.of(sizes, curve_measured)}
    table = {"columns": ["setting", "measured H_out", "formula H_out", "unread rows"], "rows": rows}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
