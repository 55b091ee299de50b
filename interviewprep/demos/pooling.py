"""Pooling: max pooling gives a little (not full) invariance to small shifts; max vs average.

Feature maps are shifted by a pixel or two and pooled with K×K windows (stride K). We count how
many pooled outputs are exactly unchanged: an isolated feature survives the shift whenever it stays
inside its window, which happens for (K − s)/K of positions; on dense ReLU maps max pooling keeps
far more outputs unchanged than average pooling or the raw map. Average pooling, on the other hand,
dilutes a lone strong response by 1/K².
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def pool2d(x, k: int, mode: str):
    """Non-overlapping K×K pooling (stride K) over the last two axes; sides must be multiples of K."""
    n0, n1 = x.shape[-2:]
    blocks = x.reshape(*x.shape[:-2], n0 // k, k, n1 // k, k)
    return blocks.max(axis=(-3, -1)) if mode == "max" else blocks.mean(axis=(-3, -1))


def _unchanged(a, b) -> float:
    return float(np.mean(np.isclose(a, b, rtol=1e-12, atol=1e-15)))


def _rel_change(a, b) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))


@demo(
    id="pooling",
    title={"zh": "池化：局部平移不变性，max 与 average", "en": "Pooling: local shift invariance, max vs average"},
    tags=["cnn", "pooling", "max-pooling", "average-pooling", "invariance", "translation", "downsampling",
          "池化", "最大池化", "平均池化", "平移不变", "下采样"],
    params=[
        Param("window", int, 2, 2, 4, help={"zh": "池化窗口 K（步长也为 K）", "en": "pooling window K (stride K)"}),
        Param("shift", int, 1, 1, 3, help={"zh": "输入水平平移的像素数 s", "en": "horizontal input shift s in pixels"}),
        Param("maps", int, 400, 50, 2000, help={"zh": "随机特征图的数量", "en": "number of random feature maps"}),
    ],
)
def run(p, rng) -> Outcome:
    k, s, n = p["window"], p["shift"], p["maps"]
    side = 6 * k

    # 1) one isolated feature at a random position, shifted by s: does the max-pooled map change?
    peaks = np.zeros((n, side, side))
    pos_r, pos_c = rng.integers(0, side, n), rng.integers(0, side, n)
    peaks[np.arange(n), pos_r, pos_c] = rng.uniform(1.0, 2.0, n)
    moved = np.roll(peaks, s, axis=-1)
    pm, pm_s = pool2d(peaks, k, "max"), pool2d(moved, k, "max")
    same_map = np.all(np.isclose(pm, pm_s), axis=(-2, -1))
    isolated_share = float(same_map.mean())
    expected = max(k - s, 0) / k

    # 2) dense ReLU feature maps
    dense = np.maximum(rng.standard_normal((n, side, side)), 0.0)
    dense_s = np.roll(dense, s, axis=-1)
    mx, mx_s = pool2d(dense, k, "max"), pool2d(dense_s, k, "max")
    av, av_s = pool2d(dense, k, "avg"), pool2d(dense_s, k, "avg")
    share = {"max": _unchanged(mx, mx_s), "avg": _unchanged(av, av_s), "raw": _unchanged(dense, dense_s)}
    rel = {"max": _rel_change(mx, mx_s), "avg": _rel_change(av, av_s), "raw": _rel_change(dense, dense_s)}

    # 3) max vs average on a lone strong response: what survives pooling
    peak_height = pm.max(axis=(-2, -1))
    kept_max = float(np.mean(peak_height / peaks.max(axis=(-2, -1))))
    kept_avg = float(np.mean(pool2d(peaks, k, "avg").max(axis=(-2, -1)) / peaks.max(axis=(-2, -1))))

    shifts = list(range(0, k + 1))
    curve = []
    for t in shifts:
        same = np.all(np.isclose(pm, pool2d(np.roll(peaks, t, axis=-1), k, "max")), axis=(-2, -1))
        curve.append(float(np.mean(same)))
    tolerance = 3 * np.sqrt(expected * (1 - expected) / n) + 0.01
    metrics = {
        "isolated_feature_unchanged": isolated_share,
        "isolated_expected": expected,
        "dense_max_unchanged": share["max"],
        "dense_avg_unchanged": share["avg"],
        "dense_raw_unchanged": share["raw"],
        "dense_max_rel_change": rel["max"],
        "dense_raw_rel_change": rel["raw"],
        "peak_kept_max": kept_max,
        "peak_kept_avg": kept_avg,
    }
    checks = [
        check(f"an isolated feature survives a {s}-px shift in ≈ (K−s)/K of positions",
              abs(isolated_share - expected) <= tolerance,
              f"{isolated_share:.3f}, (K−s)/K = {expected:.3f} ± {tolerance:.3f} (3σ over {n} maps)"),
        check("dense ReLU maps: max pooling keeps more outputs exactly unchanged than average pooling",
              share["max"] > 2 * share["avg"],
              f"unchanged: max {share['max']:.2f}, avg {share['avg']:.2f}"),
        check("pooled maps move less than the raw map", rel["max"] < rel["raw"] and rel["avg"] < rel["raw"],
              f"relative change: max {rel['max']:.2f}, avg {rel['avg']:.2f}, raw {rel['raw']:.2f}"),
        check("max keeps a lone peak; average dilutes it by 1/K²",
              abs(kept_max - 1) < 1e-12 and abs(kept_avg - 1 / k**2) < 1e-12,
              f"kept: max {kept_max:.3f}, avg {kept_avg:.4f} (1/K² = {1 / k**2:.4f})"),
    ]
    takeaway = {
        "zh": (f"{k}×{k} 最大池化：孤立特征平移 {s} 像素后，{isolated_share:.0%} 的情况下池化结果完全不变"
               f"（理论 (K−s)/K = {expected:.0%}）。"
               f"稠密 ReLU 特征图上 max 池化有 {share['max']:.0%} 的输出不变，平均池化为 {share['avg']:.0%}。"
               f"单个强响应经最大池化保留 {kept_max:.0%}，经平均池化剩 {kept_avg:.3f}（1/K² = {1 / k**2:.3f}）。"),
        "en": (f"{k}×{k} max pooling: after a {s}-px shift an isolated feature leaves the pooled map unchanged in "
               f"{isolated_share:.0%} of cases ((K−s)/K = {expected:.0%}). "
               f"On dense ReLU maps {share['max']:.0%} of max-pooled outputs are "
               f"unchanged vs {share['avg']:.0%} for average pooling. "
               f"A lone peak keeps {kept_max:.0%} of its height under max pooling and {kept_avg:.3f} under average "
               f"pooling (1/K² = {1 / k**2:.3f})."),
    }
    claim = {
        "zh": ("特征跨出池化窗口结果就会变——只是局部的平移不变。稠密特征图上最大池化保持不变的输出比平均池化多得多；"
               "平均池化把单个强响应稀释成 1/K²，最大池化完整保留。"),
        "en": ("Once a feature crosses a window edge the pooled map changes, so the invariance is only local. On dense "
               "maps max pooling keeps far more outputs unchanged than average pooling; average pooling dilutes a lone "
               "peak to 1/K², max keeps it whole."),
    }
    series = {"share of pooled maps unchanged vs shift (isolated feature)": Series.of(shifts, curve)}
    table = {"columns": ["map", "unchanged outputs", "relative change"],
             "rows": [["max-pooled", round(share["max"], 3), round(rel["max"], 3)],
                      ["avg-pooled", round(share["avg"], 3), round(rel["avg"], 3)],
                      ["raw (zeros stay zeros)", round(share["raw"], 3), round(rel["raw"], 3)]]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
