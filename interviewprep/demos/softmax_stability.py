"""Numerically stable softmax: e^z overflows for large logits, subtracting the max is exact, and an
untrained classifier with near-uniform logits starts at cross-entropy ln C.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def naive_softmax(z):
    """softmax without the max shift: e^z / Σ e^z (overflows for large z)."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum()


def overflow_threshold(dtype) -> float:
    """Largest z with finite e^z in this float type: ln(max float)."""
    return float(np.log(np.finfo(dtype).max))


@demo(
    id="softmax-stability",
    title={"zh": "softmax 的数值稳定性与初始损失 ln C", "en": "Stable softmax and the initial loss ln C"},
    tags=["softmax", "cross-entropy", "numerical-stability", "overflow", "log-sum-exp", "initial-loss",
          "数值稳定", "溢出", "交叉熵", "初始损失"],
    params=[
        Param("offset", float, 1000.0, 0.0, 1e5,
              help={"zh": "logits 取 [offset, offset+1, offset+2]", "en": "logits are [offset, offset+1, offset+2]"}),
        Param("classes", int, 10, 2, 1000,
              help={"zh": "初始损失实验的类别数 C", "en": "number of classes C for the initial-loss experiment"}),
        Param("init_scale", float, 0.01, 0.0, 20.0,
              help={"zh": "初始 logits 的标准差（越大越偏离 ln C）",
                    "en": "std of the freshly initialized logits (larger moves the loss away from ln C)"}),
    ],
)
def run(p, rng) -> Outcome:
    z = p["offset"] + np.arange(3.0)
    naive = naive_softmax(z)
    stable = F.softmax(z)
    reference = F.softmax(np.arange(3.0))  # the same logits shifted by −offset: softmax is shift-invariant
    naive_finite = bool(np.all(np.isfinite(naive)))
    # right means equal to the shift-invariant reference, not merely finite: e^z can stay finite while
    # Σ e^z overflows, and then e^z / inf = [0, 0, 0]
    naive_right = naive_finite and bool(np.allclose(naive, reference, rtol=1e-9, atol=0))
    thr64 = overflow_threshold(np.float64)
    thr32 = overflow_threshold(np.float32)
    shift_error = float(np.max(np.abs(stable - reference)))
    lse = float(z.max() + np.log(np.sum(np.exp(z - z.max()))))  # ln Σ e^z: the naive sum overflows above thr64

    # log(softmax) vs log_softmax when one probability underflows to 0
    wide = np.array([0.0, -800.0])
    with np.errstate(divide="ignore"):
        log_of_softmax = np.log(F.softmax(wide))
    log_sm = F.log_softmax(wide)

    # initial loss of a C-class classifier with small random logits
    c = p["classes"]
    logits = p["init_scale"] * rng.standard_normal((256, c))
    target = rng.integers(0, c, size=256)
    init_loss = float(F.cross_entropy(logits, target))
    ln_c = math.log(c)
    rel_gap = (init_loss - ln_c) / ln_c

    metrics = {
        "max_logit": float(z.max()),
        "overflow_threshold_float64": thr64,
        "overflow_threshold_float32": thr32,
        "naive_finite": int(naive_finite),
        "naive_correct": int(naive_right),
        "log_sum_exp": lse,
        "stable_p0": float(stable[0]),
        "stable_p1": float(stable[1]),
        "stable_p2": float(stable[2]),
        "shift_invariance_error": shift_error,
        "log_softmax_min": float(log_sm.min()),
        "log_of_softmax_finite": int(np.isfinite(log_of_softmax).all()),
        "initial_loss": init_loss,
        "ln_C": ln_c,
        "initial_loss_relative_gap": rel_gap,
    }
    stable_text = ", ".join(f"{v:.3f}" for v in stable)
    naive_text = ", ".join(f"{v:.3g}" for v in naive)
    checks = [
        check("naive softmax is right exactly when ln Σ e^z is below ln(max float64)",
              naive_right == (lse < thr64),
              f"max logit {z.max():g}, ln Σ e^z = {lse:.2f}, ln(max float64) = {thr64:.2f}, naive gives "
              f"[{naive_text}] vs [{', '.join(f'{v:.3g}' for v in reference)}]"),
        check("max-subtracted softmax is finite, sums to 1 and equals softmax of the shifted logits",
              bool(np.all(np.isfinite(stable))) and abs(stable.sum() - 1) < 1e-12 and shift_error < 1e-9,
              f"[{stable_text}], max |difference| from softmax([0, 1, 2]) = {shift_error:.1e}"),
        check("log_softmax stays finite where log(softmax) gives −inf",
              bool(np.isfinite(log_sm).all()) and not bool(np.isfinite(log_of_softmax).all()),
              f"logits [0, −800]: log_softmax → {log_sm[1]:.1f}, log(softmax) → {log_of_softmax[1]}"),
        check("initial loss with small random logits is within 5% of ln C", abs(rel_gap) < 0.05,
              f"C = {c}: loss {init_loss:.4f} vs ln C = {ln_c:.4f} ({rel_gap:+.1%}), logit std {p['init_scale']:g}"),
    ]
    if naive_right:
        overflow_en, overflow_zh = "the right values", "正确的值"
    elif naive_finite:
        overflow_en = f"[{naive_text}], finite but wrong (Σ e^z overflowed to inf, e^z itself did not)"
        overflow_zh = f"[{naive_text}]：有限但错误（Σ e^z 溢出为 inf，e^z 本身没有）"
    else:
        overflow_en = overflow_zh = f"[{naive_text}]"
    takeaway = {
        "zh": (f"logits [{z[0]:g}, {z[1]:g}, {z[2]:g}]：直接 e^z 得到 {overflow_zh}（float64 的 e^z 在 "
               f"z>{thr64:.1f} 溢出，float32 在 z>{thr32:.1f}）；先减去最大值得到 [{stable_text}]，"
               f"与平移后的结果误差 {shift_error:.0e}。"
               f"初始 logits 标准差为 {p['init_scale']:g} 时，{c} 类的初始交叉熵为 {init_loss:.3f}，"
               f"而 ln C = {ln_c:.3f}。"),
        "en": (f"Logits [{z[0]:g}, {z[1]:g}, {z[2]:g}]: plain e^z gives {overflow_en} (float64's e^z overflows "
               f"above z={thr64:.1f}, float32 above {thr32:.1f}); subtracting the max gives [{stable_text}], off from "
               f"the shifted result by {shift_error:.0e}. With initial logit std {p['init_scale']:g} a {c}-class "
               f"model starts at loss {init_loss:.3f} vs ln C = {ln_c:.3f}."),
    }
    claim = {
        "zh": ("先减去最大值再取指数不会溢出，而且结果完全不变（softmax 对平移不变）。logits 很小时未训练的分类器"
               "从 ln C 起步；初始损失偏离它说明初始化或损失有问题。"),
        "en": ("Subtracting the max before exponentiating cannot overflow and changes nothing (softmax is "
               "shift-invariant). With small logits an untrained classifier starts at ln C; a first loss far from "
               "that means a bug or a too-large init."),
    }
    scales = np.array([0.0, 0.01, 0.1, 0.3, 1.0, 2.0, 3.0, 5.0, 10.0])
    base = rng.standard_normal((256, c))
    curve = [float(F.cross_entropy(s * base, target)) for s in scales]
    series = {"initial loss vs init logit std": Series.of(scales, curve),
              "ln C": Series.of(scales, np.full(len(scales), ln_c))}
    return Outcome(metrics, checks, takeaway, series, claim=claim)
