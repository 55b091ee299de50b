"""Why attention divides by √d_k: the variance of q·k grows like d_k, and softmax saturates without it.

With q and k of d_k independent N(0, 1) components, q·k = Σ qᵢkᵢ is a sum of d_k terms of variance 1,
so Var(q·k) = d_k and its spread is √d_k. Softmax over n such scores is softmax(β·s) with s of unit
variance and β = √d_k: the larger β, the closer the weights are to one-hot. Entropy of softmax(β·s)
falls monotonically in β (its derivative is −β·Var_p(s)), and so does the size of the softmax Jacobian
diag(p) − ppᵀ once p is near one-hot, which is the factor every gradient into the scores passes through.
Dividing by √d_k keeps Var = 1, so the weights and the gradient look the same at every d_k.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param

SWEEP = [2**i for i in range(11)]  # d_k = 1 … 1024
BUDGET = 600_000  # random numbers per d_k (at least MIN_ROWS rows): bounds time and memory at every d_k and n
TARGET_SCORES = 8000
MIN_ROWS = 16


def scores(q, k, scale: bool):
    """Attention logits: each query row against its own n keys; divided by √d_k when `scale`."""
    s = np.einsum("rd,rnd->rn", q, k)
    return s / math.sqrt(q.shape[-1]) if scale else s


def softmax(s):
    z = s - s.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def jacobian_norm(p):
    """Frobenius norm of diag(p) − ppᵀ per row: ‖J‖² = Σpᵢ² − 2Σpᵢ³ + (Σpᵢ²)²."""
    s2 = np.sum(p**2, axis=-1)
    s3 = np.sum(p**3, axis=-1)
    return np.sqrt(np.maximum(s2 - 2 * s3 + s2**2, 0.0))


def entropy(p):
    return -np.sum(p * np.log(np.maximum(p, 1e-300)), axis=-1)


def variance_with_error(s):
    """Variance of the scores (mean 0 by construction) and its standard error.

    Scores in one row share their query q, so they are not independent; rows are. The error is the
    spread of the per-row mean of s² over √rows.
    """
    per_row = np.mean(s**2, axis=1)
    return float(per_row.mean()), float(per_row.std(ddof=1) / math.sqrt(per_row.size))


def measure(rng, d_k: int, n: int) -> dict:
    rows = max(MIN_ROWS, min(TARGET_SCORES // n + 1, BUDGET // ((n + 1) * d_k)))
    q = rng.standard_normal((rows, d_k))
    k = rng.standard_normal((rows, n, d_k))
    out = {}
    for label, scale in (("raw", False), ("scaled", True)):
        s = scores(q, k, scale)
        p = softmax(s)
        var, se = variance_with_error(s)
        out[label] = {"var": var, "se": se, "entropy": float(np.mean(entropy(p))),
                      "max_weight": float(np.mean(p.max(axis=-1))), "jac": float(np.mean(jacobian_norm(p)))}
    return out


@demo(
    id="attention-scaling",
    title={"zh": "注意力为什么除以 √d_k：q·k 的方差随 d_k 增长，softmax 随之饱和",
           "en": "Why attention divides by √d_k: Var(q·k) grows like d_k and softmax saturates"},
    tags=["attention", "self-attention", "scaled-dot-product", "sqrt-dk", "softmax", "saturation", "transformer",
          "自注意力", "缩放点积", "注意力", "饱和"],
    params=[
        Param("d_k", int, 64, 1, 1024, help={"zh": "键/查询维度 d_k", "en": "key/query dimension d_k"}),
        Param("n_keys", int, 16, 2, 256, help={"zh": "每个查询看到的键数 n", "en": "keys per query n"}),
    ],
)
def run(p, rng) -> Outcome:
    d_k, n = p["d_k"], p["n_keys"]
    dims = sorted(set(SWEEP) | {d_k})
    sweep = {d: measure(rng, d, n) for d in dims}
    at = sweep[d_k]
    raw, sc = at["raw"], at["scaled"]
    h_max = math.log(n)

    logd = np.log(dims)
    var_raw = np.array([sweep[d]["raw"]["var"] for d in dims])
    var_sc = np.array([sweep[d]["scaled"]["var"] for d in dims])
    slope = float(np.polyfit(logd, np.log(var_raw), 1)[0])
    se_raw = np.array([sweep[d]["raw"]["se"] for d in dims])
    se_sc = np.array([sweep[d]["scaled"]["se"] for d in dims])
    z_raw = float(np.max(np.abs(var_raw - np.array(dims)) / se_raw))
    z_scaled = float(np.max(np.abs(var_sc - 1) / se_sc))
    h_sc = [sweep[d]["scaled"]["entropy"] for d in dims]
    h_raw = [sweep[d]["raw"]["entropy"] for d in dims]
    h_sc_spread = max(h_sc) - min(h_sc)
    jac_raw = [sweep[d]["raw"]["jac"] for d in dims]
    jac_sc = [sweep[d]["scaled"]["jac"] for d in dims]
    top = dims[-1]

    metrics = {
        "var_qk_raw": raw["var"], "var_qk_scaled": sc["var"], "std_qk_raw": math.sqrt(raw["var"]),
        "loglog_slope_var_vs_dk": slope,
        "entropy_raw": raw["entropy"], "entropy_scaled": sc["entropy"], "entropy_uniform": h_max,
        "max_weight_raw": raw["max_weight"], "max_weight_scaled": sc["max_weight"],
        "jacobian_norm_raw": raw["jac"], "jacobian_norm_scaled": sc["jac"],
        f"jacobian_norm_raw_dk{top}": jac_raw[-1], f"jacobian_norm_scaled_dk{top}": jac_sc[-1],
    }
    if d_k == 1:
        sharp_name = "at d_k = 1 scaling changes nothing (√1 = 1): same weights"
        sharp_ok = raw["entropy"] == sc["entropy"] and raw["max_weight"] == sc["max_weight"]
    else:
        sharp_name = f"without scaling softmax is sharper at d_k = {d_k}: lower entropy, larger top weight"
        sharp_ok = raw["entropy"] < sc["entropy"] and raw["max_weight"] > sc["max_weight"]
    checks = [
        check("Var(q·k) = d_k: log-log slope 1 (±0.05), every d_k within 5 standard errors",
              abs(slope - 1) < 0.05 and z_raw < 5,
              f"slope {slope:.3f}; worst |Var − d_k| = {z_raw:.1f} standard errors over d_k = 1…{top}; "
              f"at d_k = {d_k}: Var = {raw['var']:.2f} ± {raw['se']:.2f}"),
        check("dividing by √d_k gives Var(q·k/√d_k) = 1 at every d_k (within 5 standard errors)", z_scaled < 5,
              f"worst |Var − 1| = {z_scaled:.1f} standard errors; at d_k = {d_k}: {sc['var']:.3f} ± {sc['se']:.3f}"),
        check("with scaling the softmax entropy does not depend on d_k (spread < 10% of ln n)",
              h_sc_spread < 0.1 * h_max,
              f"scaled entropy {min(h_sc):.3f}…{max(h_sc):.3f} nats (ln n = {h_max:.3f}); unscaled "
              f"{h_raw[0]:.3f} → {h_raw[-1]:.3f}"),
        check(sharp_name, sharp_ok,
              f"entropy {raw['entropy']:.3f} vs {sc['entropy']:.3f} nats, top weight {raw['max_weight']:.3f} vs "
              f"{sc['max_weight']:.3f}"),
    ]
    jac_ratio = raw["jac"] / sc["jac"]
    grad_en = (f"{1 / jac_ratio:.1f}× smaller than" if jac_ratio < 1 else f"{jac_ratio:.2f}× as large as")
    grad_zh = (f"比缩放时 {sc['jac']:.3g} 小 {1 / jac_ratio:.1f} 倍" if jac_ratio < 1
               else f"是缩放时 {sc['jac']:.3g} 的 {jac_ratio:.2f} 倍")
    ok = all(c.passed for c in checks[:2])
    var_en = (f"Measured Var(q·k) = {raw['var']:.1f} at d_k = {d_k} (slope {slope:.2f} on log-log: it grows like "
              f"d_k), std {math.sqrt(raw['var']):.1f}; divided by √d_k it is {sc['var']:.2f}."
              if ok else f"Measured Var(q·k) = {raw['var']:.2f} at d_k = {d_k} (log-log slope {slope:.2f}) and "
              f"{sc['var']:.2f} after dividing by √d_k; the variance checks failed, see above.")
    var_zh = (f"实测 d_k = {d_k} 时 Var(q·k) = {raw['var']:.1f}（双对数斜率 {slope:.2f}，随 d_k 线性增长），"
              f"标准差 {math.sqrt(raw['var']):.1f}；除以 √d_k 后为 {sc['var']:.2f}。"
              if ok else f"实测 d_k = {d_k} 时 Var(q·k) = {raw['var']:.2f}（双对数斜率 {slope:.2f}），除以 √d_k "
              f"后 {sc['var']:.2f}；方差检查未通过，见上。")
    takeaway = {
        "zh": (f"{var_zh}\n{n} 个键的 softmax：不缩放时平均熵 {raw['entropy']:.3f} 奈特、最大权重 "
               f"{raw['max_weight']:.3f}；缩放后 {sc['entropy']:.3f} 奈特、{sc['max_weight']:.3f}（均匀分布为 "
               f"{h_max:.3f}）。softmax 雅可比 diag(p) − ppᵀ 的范数不缩放时为 {raw['jac']:.3g}，"
               f"{grad_zh}；d_k = {top} 时两者为 {jac_raw[-1]:.3g} 对 {jac_sc[-1]:.3g}。"),
        "en": (f"{var_en}\nSoftmax over {n} keys: unscaled mean entropy {raw['entropy']:.3f} nats, top weight "
               f"{raw['max_weight']:.3f}; scaled {sc['entropy']:.3f} nats, {sc['max_weight']:.3f} (uniform is "
               f"{h_max:.3f}). The softmax Jacobian diag(p) − ppᵀ, which every gradient into the scores passes "
               f"through, has norm {raw['jac']:.3g} unscaled, {grad_en} the scaled {sc['jac']:.3g}; at "
               f"d_k = {top} it is {jac_raw[-1]:.3g} vs {jac_sc[-1]:.3g}."),
    }
    claim = {
        "zh": ("q·k 的方差随 d_k 线性增长，不缩放时维度越高 softmax 越尖、越接近 one-hot；除以 √d_k 把方差拉回 1，"
               "softmax 的熵在各个 d_k 下基本不变，这就是注意力要除以 √d_k 的原因。"),
        "en": ("Var(q·k) grows like d_k, so without scaling a larger d_k makes the softmax sharper, closer to "
               "one-hot; dividing by √d_k brings the variance back to 1 and the softmax's entropy stays about the "
               "same at every d_k, which is why attention divides by √d_k."),
    }
    rows = [[d, sweep[d]["raw"]["var"], sweep[d]["scaled"]["var"], sweep[d]["raw"]["entropy"],
             sweep[d]["scaled"]["entropy"], sweep[d]["raw"]["max_weight"], sweep[d]["raw"]["jac"],
             sweep[d]["scaled"]["jac"]] for d in dims]
    table = {"columns": ["d_k", "Var raw", "Var scaled", "entropy raw", "entropy scaled", "top p raw",
                         "‖J‖ raw", "‖J‖ scaled"], "rows": rows}
    x = np.log2(dims)
    series = {"softmax entropy, unscaled (nats) vs log2 d_k": Series.of(x, h_raw),
              "softmax entropy, scaled by 1/√d_k (nats) vs log2 d_k": Series.of(x, h_sc)}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
