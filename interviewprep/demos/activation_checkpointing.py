"""Activation (gradient) checkpointing on a chain of L tanh layers, counted op by op.

Plain backprop keeps every layer's input (L activations) and runs L layer-forwards. Checkpointing keeps
only the input of every k-th layer; in the backward pass it re-runs each segment's forward from its
checkpoint, then backpropagates through it. Gradients are identical (the same operations are repeated),
the extra cost is one more forward of every layer — with backward ≈ 2 forwards that is (1+2+1)/(1+2) = 4/3,
about 33% more compute — and the peak number of stored activations drops from L to ⌈L/k⌉ + min(k, L) − 1
(checkpoints kept to the end, plus one segment re-materialized at a time), smallest near k = √L.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

FORWARD, BACKWARD = 1.0, 2.0  # cost units per layer


def layer(w, x):
    return np.tanh(w @ x)


def layer_backward(w, x, grad_out):
    """Gradients of tanh(W·x) w.r.t. x and W, recomputing tanh from the stored input x."""
    y = np.tanh(w @ x)
    g = grad_out * (1 - y * y)
    return w.T @ g, np.outer(g, x)


def backprop_plain(ws, x0):
    acts, x = [], x0
    for w in ws:
        acts.append(x)
        x = layer(w, x)
    grad = np.ones_like(x)
    grads = [None] * len(ws)
    for i in reversed(range(len(ws))):
        grad, grads[i] = layer_backward(ws[i], acts[i], grad)
    return grads, len(ws), len(acts)


def recompute_segment(ws, start, stop, x, forward=layer):
    """Re-run layers start..stop−1 from the checkpoint x; returns each layer's input."""
    inputs = []
    for i in range(start, stop):
        inputs.append(x)
        x = forward(ws[i], x)
    return inputs


def backprop_checkpointed(ws, x0, k):
    """Gradients with a checkpoint every k layers; returns (grads, layer-forwards actually run, peak stored)."""
    n = len(ws)
    forwards = 0

    def forward(w, x):  # every layer-forward, first pass and recompute alike, is counted as it runs
        nonlocal forwards
        forwards += 1
        return layer(w, x)

    ckpts, x = {}, x0
    for i, w in enumerate(ws):
        if i % k == 0:
            ckpts[i] = x
        x = forward(w, x)
    grad = np.ones_like(x)
    grads = [None] * n
    peak = 0
    for start in reversed(range(0, n, k)):
        stop = min(start + k, n)
        inputs = recompute_segment(ws, start, stop, ckpts[start], forward)
        peak = max(peak, len(ckpts) + len(inputs) - 1)  # inputs[0] is the checkpoint itself
        for j in reversed(range(start, stop)):
            grad, grads[j] = layer_backward(ws[j], inputs[j - start], grad)
    return grads, forwards, peak


def peak_formula(n: int, k: int) -> int:
    return math.ceil(n / k) + min(k, n) - 1


@demo(
    id="activation-checkpointing",
    title={"zh": "激活检查点：用约 33% 的重算换显存", "en": "Activation checkpointing: ~33% recompute for memory"},
    tags=["activation checkpointing", "gradient checkpointing", "recomputation", "memory",
          "激活检查点", "梯度检查点", "重计算", "显存"],
    params=[
        Param("layers", int, 64, 2, 256, help={"zh": "层数 L", "en": "number of layers L"}),
        Param("segment", int, 8, 1, 256, help={"zh": "每隔 k 层存一个检查点", "en": "checkpoint every k layers"}),
        Param("width", int, 16, 2, 64, help={"zh": "每层宽度", "en": "layer width"}),
    ],
)
def run(p, rng) -> Outcome:
    n, k, d = p["layers"], p["segment"], p["width"]
    ws = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(n)]
    x0 = rng.standard_normal(d)
    g_plain, f_plain, peak_plain = backprop_plain(ws, x0)
    g_ckpt, f_ckpt, peak_ckpt = backprop_checkpointed(ws, x0, k)
    diff = max(float(np.max(np.abs(a - b))) for a, b in zip(g_plain, g_ckpt))
    cost_plain = f_plain * FORWARD + n * BACKWARD
    cost_ckpt = f_ckpt * FORWARD + n * BACKWARD
    ratio = cost_ckpt / cost_plain
    best_k = min(range(1, n + 1), key=lambda kk: (peak_formula(n, kk), kk))
    metrics = {
        "grad_max_abs_diff": diff,
        "forwards_plain": f_plain, "forwards_checkpointed": f_ckpt,
        "compute_ratio": ratio, "compute_ratio_formula": (2 * FORWARD + BACKWARD) / (FORWARD + BACKWARD),
        "stored_plain": peak_plain, "stored_checkpointed": peak_ckpt,
        "stored_formula": peak_formula(n, k),
        "best_segment": best_k, "sqrt_layers": math.sqrt(n),
        "stored_at_best_segment": peak_formula(n, best_k),
    }
    checks = [
        check("checkpointed gradients equal plain backprop's", diff < 1e-12, f"max |difference| {diff:.1e}"),
        check("exactly one extra forward per layer: cost (1+2+1)/(1+2) = 4/3", f_ckpt == 2 * n
              and abs(ratio - 4 / 3) < 1e-12, f"{f_ckpt} layer-forwards for {n} layers, cost ratio {ratio:.4f}"),
        check("peak stored activations = ⌈L/k⌉ + min(k, L) − 1 (plain: L)",
              peak_ckpt == peak_formula(n, k) and peak_plain == n,
              f"{peak_ckpt} vs {peak_formula(n, k)}; plain {peak_plain}"),
    ]
    ok = checks[0].passed and checks[1].passed
    takeaway = {
        "zh": (f"{n} 层、每 {k} 层一个检查点：存储的激活从 {peak_plain} 个降到 {peak_ckpt} 个，"
               f"前向从 {f_plain} 次变为 {f_ckpt} 次，总计算量（反向按 2 倍前向计）变为 {ratio:.3f} 倍；"
               + ("梯度与普通反向传播完全一致。" if ok else f"但梯度差 {diff:.1e}，并不一致。")
               + f"k = {best_k} 时存储最少（{peak_formula(n, best_k)} 个），接近 √L = {math.sqrt(n):.1f}。"),
        "en": (f"{n} layers, a checkpoint every {k}: stored activations fall from {peak_plain} to {peak_ckpt}, "
               f"layer-forwards rise from {f_plain} to {f_ckpt}, total compute (backward = 2 forwards) "
               f"×{ratio:.3f}; " + ("gradients are identical to plain backprop. " if ok else
                                    f"but the gradients differ by {diff:.1e}. ")
               + f"Storage is lowest at k = {best_k} ({peak_formula(n, best_k)}), near √L = {math.sqrt(n):.1f}."),
    }
    claim = {
        "zh": ("激活检查点是用计算换显存：每层多做一次前向（反向按 2 倍前向计，总计算量是原来的 4/3），"
               "换来只需存约 ⌈L/k⌉ + k 个激活而不是 L 个，k 取 √L 附近时最省，而梯度分毫不差。"),
        "en": ("Checkpointing trades compute for memory: one extra forward per layer (4/3 of the compute when a "
               "backward costs two forwards) buys storing about ⌈L/k⌉ + k activations instead of L, fewest near "
               "k = √L, with exactly the same gradients."),
    }
    ks = np.arange(1, n + 1)
    series = {"peak stored activations vs segment k": Series.of(ks, [peak_formula(n, int(kk)) for kk in ks])}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
