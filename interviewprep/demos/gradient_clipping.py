"""Gradient clipping: by global norm keeps the direction, by value (or per tensor) bends it.

A gradient for two parameter tensors (a weight matrix and a bias), with a few "exploding" coordinates
`spike` times larger than the rest. Three ways to tame it:
  clip_grad_norm_ (global): g ← g·min(1, max_norm/‖g‖) over all tensors at once (torch semantics);
  per-tensor norm clipping: each tensor rescaled on its own;
  value clipping: every coordinate clamped to [−clip_value, clip_value].
Only the first is a pure rescaling, so only it keeps cosine(clipped, original) = 1.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def _flat(gs):
    return np.concatenate([g.ravel() for g in gs])


def _cos(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@demo(
    id="gradient-clipping",
    title={"zh": "梯度裁剪：按范数保方向，按值改方向",
           "en": "Gradient clipping: norm keeps the direction, value bends it"},
    tags=["gradient-clipping", "clip_grad_norm", "exploding-gradient", "training-stability", "rnn",
          "梯度裁剪", "梯度爆炸", "训练稳定"],
    params=[
        Param("max_norm", float, 1.0, 0.01, 100.0, help={"zh": "全局范数上限",
                                                         "en": "max global norm (clip_grad_norm_)"}),
        Param("clip_value", float, 0.05, 0.001, 10.0,
              help={"zh": "按值裁剪的阈值 c（每个分量截到 [−c, c]）",
                    "en": "value-clipping threshold c: each entry into [−c, c]"}),
        Param("spike", float, 100.0, 1.0, 1e4,
              help={"zh": "少数爆炸分量比其他分量大多少倍", "en": "how much larger the few exploding entries are"}),
    ],
)
def run(p, rng) -> Outcome:
    max_norm, c, spike = p["max_norm"], p["clip_value"], p["spike"]
    gW = rng.normal(0.0, 0.1, size=(20, 10))
    gb = rng.normal(0.0, 0.1, size=10)
    idx = rng.choice(gW.size, size=3, replace=False)
    gW.flat[idx] *= spike  # a few exploding coordinates
    original = _flat([gW, gb])
    total = float(np.linalg.norm(original))

    by_norm = [gW.copy(), gb.copy()]
    reported = F.clip_grad_norm_(by_norm, max_norm)
    norm_flat = _flat(by_norm)
    per_tensor = [gW.copy(), gb.copy()]
    for g in per_tensor:
        F.clip_grad_norm_(g, max_norm)
    tensor_flat = _flat(per_tensor)
    value_flat = np.clip(original, -c, c)

    rows = []
    for name, v in (("none", original), ("global norm (clip_grad_norm_)", norm_flat),
                    ("per-tensor norm", tensor_flat), (f"value ±{c:g}", value_flat)):
        rows.append([name, float(np.linalg.norm(v)), _cos(v, original), float(np.max(np.abs(v)))])
    cos_norm, cos_tensor, cos_value = rows[1][2], rows[2][2], rows[3][2]
    norm_after = rows[1][1]
    clipped_share = float(np.mean(np.abs(original) > c))

    thresholds = np.geomspace(1e-3, float(np.max(np.abs(original))), 30)
    cos_curve = [_cos(np.clip(original, -t, t), original) for t in thresholds]

    metrics = {
        "norm_before": total,
        "clip_grad_norm_returned": reported,
        "norm_after_global_clip": norm_after,
        "cosine_global_norm": cos_norm,
        "cosine_per_tensor": cos_tensor,
        "cosine_value_clip": cos_value,
        "norm_after_value_clip": rows[3][1],
        "share_of_entries_value_clipped": clipped_share,
    }
    checks = [
        check("clip_grad_norm_ keeps the direction (cosine = 1)", cos_norm > 1 - 1e-12,
              f"cosine = {cos_norm:.15f}"),
        check(f"and brings the norm down to max_norm = {max_norm:g} (a norm already below it is left alone)",
              abs(norm_after - max_norm) <= 1e-5 * max_norm if total > max_norm else norm_after == total,
              f"‖g‖ {total:.4g} → {norm_after:.6g} (clip_grad_norm_ returned the pre-clip norm {reported:.4g})"),
        check(f"value clipping at ±{c:g} changes the direction (cosine < 0.99)", cos_value < 0.99,
              f"cosine = {cos_value:.4f}; {clipped_share:.1%} of the entries were clamped"),
    ]
    if total > max_norm:
        norm_zh = f"clip_grad_norm_ 把它整体缩到 {norm_after:.3g}（与原梯度的余弦 {cos_norm:.6f}）"
        norm_en = f"clip_grad_norm_ scales it to {norm_after:.3g} (cosine with the original {cos_norm:.6f})"
    else:
        norm_zh = f"它不超过 max_norm = {max_norm:g}，clip_grad_norm_ 原样保留（范数 {norm_after:.3g}）"
        norm_en = (f"that is within max_norm = {max_norm:g}, so clip_grad_norm_ leaves it as it is "
                   f"(norm {norm_after:.3g})")
    if cos_value < 0.99:
        value_zh = (f"按值裁剪到 ±{c:g} 截掉了 {clipped_share:.1%} 的分量，余弦只剩 {cos_value:.3f}，"
                    "爆炸分量被压平，更新方向被改写")
        value_en = (f"value clipping at ±{c:g} clamps {clipped_share:.1%} of the entries and leaves a cosine of "
                    f"{cos_value:.3f}: the update now points elsewhere")
    else:
        value_zh = (f"按值裁剪到 ±{c:g} 只截掉 {clipped_share:.1%} 的分量，余弦仍为 {cos_value:.3f}："
                    "阈值高于几乎所有分量，方向基本没变")
        value_en = (f"value clipping at ±{c:g} clamps only {clipped_share:.1%} of the entries and keeps a cosine of "
                    f"{cos_value:.3f}: the threshold is above nearly every entry, so the direction barely changes")
    if cos_tensor < 1 - 1e-9:
        tensor_zh = f"逐张量裁剪的余弦为 {cos_tensor:.3f}，各张量之间的比例也被改变"
        tensor_en = f"Per-tensor clipping (cosine {cos_tensor:.3f}) also changes the balance between tensors."
    else:
        tensor_zh = f"逐张量裁剪（余弦 {cos_tensor:.3f}）在这里也没有改变方向：每个张量都不超过上限"
        tensor_en = (f"Per-tensor clipping (cosine {cos_tensor:.3f}) changes nothing here either: no tensor is "
                     "over the limit.")
    spike_zh = f"有 3 个分量放大了 {spike:g} 倍" if spike > 1 else "没有放大任何分量"
    spike_en = f"3 entries {spike:g}× too large" if spike > 1 else "no entry scaled up"
    takeaway = {
        "zh": f"梯度范数 {total:.3g}（{spike_zh}）。{norm_zh}；{value_zh}；{tensor_zh}。",
        "en": f"Gradient norm {total:.3g} ({spike_en}): {norm_en}; {value_en}. {tensor_en}",
    }
    claim = {
        "zh": "按全局范数裁剪只是整体缩放，永远不改变更新方向；按值裁剪（或逐张量裁剪）则可能把方向扭偏。",
        "en": ("Clipping by global norm is a pure rescaling, so it never changes the update's direction; clipping by "
               "value (or per tensor) can bend it."),
    }
    series = {"cosine after value clipping vs log10 threshold": Series.of(np.log10(thresholds), cos_curve)}
    table = {"columns": ["clipping", "‖g‖ after", "cosine with original", "max |g_i|"], "rows": rows}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
