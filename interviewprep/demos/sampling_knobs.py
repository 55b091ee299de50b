"""Sampling knobs on one logit vector: temperature, top-k, top-p (nucleus) and min-p.

Logits follow a Zipf-like shape zᵢ = −s·ln i. Temperature rescales them (softmax(z/T)) and keeps every
token possible; top-k, top-p and min-p cut the support and renormalise what is left. Draws are made
independently of the filters' arithmetic: Gumbel-max on z/T over the kept tokens (no softmax, no
renormalising). If "truncate and renormalise" is right, the draws follow it: a chi-square test
(p-value from the regularised incomplete gamma function, written here in plain math) checks that.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def softmax_t(z, temperature):
    """softmax(z / T), max-shifted."""
    s = z / temperature
    e = np.exp(s - s.max())
    return e / e.sum()


def entropy(p) -> float:
    q = p[p > 0]
    return float(-(q * np.log(q)).sum())


def top_k_mask(p, k):
    """The k most probable tokens (ties broken by index)."""
    keep = np.zeros(p.size, dtype=bool)
    keep[np.argsort(-p, kind="stable")[:min(k, p.size)]] = True
    return keep


def top_p_mask(p, top_p):
    """Smallest set of most probable tokens whose mass reaches top_p (the token that crosses it is kept)."""
    order = np.argsort(-p, kind="stable")
    cum = np.cumsum(p[order])
    n = int(np.searchsorted(cum, top_p - 1e-12) + 1)
    keep = np.zeros(p.size, dtype=bool)
    keep[order[:min(n, p.size)]] = True
    return keep


def min_p_mask(p, min_p):
    """Tokens with probability at least min_p times the top token's."""
    return p >= min_p * p.max()


def truncate(p, keep):
    """Zero the tokens outside `keep` and renormalise."""
    q = np.where(keep, p, 0.0)
    return q / q.sum()


def chi2_sf(x: float, df: int) -> float:
    """P(χ²_df ≥ x) = Q(df/2, x/2), the regularised upper incomplete gamma (series / continued fraction)."""
    if x <= 0:
        return 1.0
    a, y = df / 2.0, x / 2.0
    log_front = -y + a * math.log(y) - math.lgamma(a)
    if y < a + 1:  # lower series P(a, y), then Q = 1 − P
        term = total = 1.0 / a
        n = a
        for _ in range(10000):
            n += 1
            term *= y / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300  # Lentz's continued fraction for Q(a, y)
    b = y + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, h * math.exp(log_front))


def chi_square(counts, expected_prob, n):
    """Pearson χ² of counts against n·expected, merging cells with expected count < 5 into one."""
    exp = n * expected_prob
    big = exp >= 5
    obs_cells = list(counts[big])
    exp_cells = list(exp[big])
    rest_obs, rest_exp = counts[~big].sum(), exp[~big].sum()
    if rest_exp > 0 or rest_obs > 0:
        obs_cells.append(rest_obs)
        exp_cells.append(rest_exp)
    obs_a, exp_a = np.array(obs_cells, float), np.array(exp_cells, float)
    if np.any(exp_a == 0) and np.any(obs_a[exp_a == 0] > 0):
        return math.inf, max(len(obs_cells) - 1, 1), 0.0
    nz = exp_a > 0
    stat = float(((obs_a[nz] - exp_a[nz]) ** 2 / exp_a[nz]).sum())
    df = max(int(nz.sum()) - 1, 1)
    return stat, df, chi2_sf(stat, df)


def sample_gumbel_max(z, temperature, keep, n, rng):
    """n draws by Gumbel-max over the kept tokens: argmax of z/T + Gumbel noise (no softmax, no division)."""
    idx = np.flatnonzero(keep)
    scaled = z[idx] / temperature
    rows = max(1, 2_000_000 // idx.size)
    out = []
    for start in range(0, n, rows):
        g = rng.gumbel(size=(min(rows, n - start), idx.size))
        out.append(idx[np.argmax(scaled + g, axis=1)])
    return np.concatenate(out)


@demo(
    id="sampling-knobs",
    title={"zh": "采样旋钮：温度、top-k、top-p、min-p 如何改变分布",
           "en": "Sampling knobs: temperature, top-k, top-p and min-p on one distribution"},
    tags=["sampling", "temperature", "top-k", "top-p", "nucleus", "min-p", "decoding", "greedy", "entropy",
          "llm", "采样", "温度", "核采样", "解码", "贪心", "熵", "截断"],
    params=[
        Param("vocab", int, 50, 5, 200, help={"zh": "词表大小 V", "en": "vocabulary size V"}),
        Param("zipf", float, 1.1, 0.2, 3.0, help={"zh": "logits 形状 zᵢ = −s·ln i 中的 s",
                                                  "en": "shape s of the logits zᵢ = −s·ln i"}),
        Param("temperature", float, 1.0, 0.05, 5.0, help={"zh": "温度 T", "en": "temperature T"}),
        Param("top_k", int, 20, 1, 200, help={"zh": "top-k 的 k", "en": "k of top-k"}),
        Param("top_p", float, 0.9, 0.05, 1.0, help={"zh": "top-p 的累计概率阈值", "en": "top-p mass threshold"}),
        Param("min_p", float, 0.0, 0.0, 0.9, help={"zh": "min-p：保留 p ≥ min_p·p_max 的词",
                                                   "en": "min-p: keep tokens with p ≥ min_p·p_max"}),
        Param("draws", int, 20000, 2000, 50000, help={"zh": "抽样次数", "en": "number of draws"}),
    ],
)
def run(p, rng) -> Outcome:
    v, s, t = p["vocab"], p["zipf"], p["temperature"]
    k, top_p, min_p, n = p["top_k"], p["top_p"], p["min_p"], p["draws"]
    z = -s * np.log(np.arange(1, v + 1, dtype=float))
    p_t = softmax_t(z, t)
    keep_k = top_k_mask(p_t, k)
    keep_p = top_p_mask(p_t, top_p)
    keep_m = min_p_mask(p_t, min_p)
    keep = keep_k & keep_p & keep_m  # all three filters read the same temperature-scaled distribution
    final = truncate(p_t, keep)

    # naive references for the kept sets
    order = sorted(range(v), key=lambda i: (-p_t[i], i))
    ref_k = set(order[:min(k, v)])
    mass, ref_p = 0.0, set()
    for i in order:
        ref_p.add(i)
        mass += p_t[i]
        if mass >= top_p - 1e-12:
            break
    ref_m = {i for i in range(v) if p_t[i] >= min_p * p_t.max()}
    sets_ok = (set(np.flatnonzero(keep_k)) == ref_k and set(np.flatnonzero(keep_p)) == ref_p
               and set(np.flatnonzero(keep_m)) == ref_m)
    nucleus_mass = float(p_t[keep_p].sum())
    smallest = min(p_t[keep_p])
    minimal = nucleus_mass >= top_p - 1e-12 and nucleus_mass - smallest < top_p - 1e-12

    draws = sample_gumbel_max(z, t, keep, n, rng)
    counts = np.bincount(draws, minlength=v).astype(float)
    stat, df, pval = chi_square(counts, final, n)
    stat_full, df_full, pval_full = chi_square(counts, p_t, n)
    tv = 0.5 * float(np.abs(counts / n - final).sum())

    h_t, h_final = entropy(p_t), entropy(final)
    temps = np.geomspace(0.05, 5.0, 25)
    h_curve = np.array([entropy(softmax_t(z, tt)) for tt in temps])
    h_curve_p = np.array([entropy(truncate(softmax_t(z, tt), top_p_mask(softmax_t(z, tt), top_p))) for tt in temps])
    h_curve_k = np.array([entropy(truncate(softmax_t(z, tt), top_k_mask(softmax_t(z, tt), k))) for tt in temps])
    support_p = np.array([int(top_p_mask(softmax_t(z, tt), top_p).sum()) for tt in temps])
    monotone = bool(np.all(np.diff(h_curve) > -1e-12))
    cold = softmax_t(z, 0.05)

    metrics = {
        "entropy_temperature_only": h_t,
        "entropy_after_truncation": h_final,
        "entropy_uniform_lnV": math.log(v),
        "support_temperature_only": int((p_t > 0).sum()),
        "support_top_k": int(keep_k.sum()),
        "support_top_p": int(keep_p.sum()),
        "support_min_p": int(keep_m.sum()),
        "support_final": int(keep.sum()),
        "nucleus_mass": nucleus_mass,
        "removed_mass": float(1 - p_t[keep].sum()),
        "top_token_prob_final": float(final.max()),
        "top_token_prob_T0.05": float(cold.max()),
        "chi2_vs_truncated": stat,
        "chi2_df": df,
        "chi2_p_value": pval,
        "chi2_p_value_vs_untruncated": pval_full,
        "tv_empirical_vs_truncated": tv,
    }
    checks = [
        check("top-k, top-p and min-p keep exactly the sets a naive loop picks; the nucleus is the smallest "
              "set with mass ≥ top_p", sets_ok and minimal,
              f"k → {int(keep_k.sum())} tokens, top-p {top_p:g} → {int(keep_p.sum())} tokens with mass "
              f"{nucleus_mass:.4f}, min-p {min_p:g} → {int(keep_m.sum())} tokens"),
        check("draws (Gumbel-max over the kept tokens) follow the truncated, renormalised distribution (χ² p > 0.001)",
              pval > 0.001, f"χ² = {stat:.1f} on {df} df, p = {pval:.3g} over {n} draws; "
              f"against the untruncated distribution p = {pval_full:.3g}"),
        check("entropy of softmax(z/T) rises with T, from near 0 towards ln V",
              monotone and h_curve[0] < h_curve[-1] <= math.log(v) + 1e-9,
              f"H(T=0.05) = {h_curve[0]:.3f}, H(T=5) = {h_curve[-1]:.3f}, ln V = {math.log(v):.3f}"),
        check("truncation never raises entropy here", h_final <= h_t + 1e-12
              and bool(np.all(h_curve_p <= h_curve + 1e-12)) and bool(np.all(h_curve_k <= h_curve + 1e-12)),
              f"H after truncation {h_final:.3f} vs temperature only {h_t:.3f} nats"),
    ]
    passed = [c.passed for c in checks]
    chi_en = (f"the {n} draws match it (χ² p = {pval:.3g})" if passed[1]
              else f"the {n} draws do NOT match it (χ² p = {pval:.3g})")
    chi_zh = (f"{n} 次抽样与它一致（χ² 的 p = {pval:.3g}）" if passed[1]
              else f"{n} 次抽样与它不一致（χ² 的 p = {pval:.3g}）")
    set_en = "" if passed[0] else " The kept sets differ from the naive reference: the filter is wrong."
    set_zh = "" if passed[0] else "保留集合与朴素参考实现不一致：过滤器有错。"
    if h_final < h_t - 1e-12:
        h_move_en, h_move_zh = "falls to", "降到"
    elif h_final > h_t + 1e-12:
        h_move_en, h_move_zh = "rises to", "升到"
    else:
        h_move_en, h_move_zh = "stays at", "保持在"
    takeaway = {
        "zh": (f"V = {v}，T = {t:g}：只用温度时 {int((p_t > 0).sum())}/{v} 个词的概率仍大于 0，"
               f"熵 {h_t:.2f} nats（ln V = {math.log(v):.2f}）；"
               f"top-k={k} 留 {int(keep_k.sum())} 个，top-p={top_p:g} 留 {int(keep_p.sum())} 个（质量 "
               f"{nucleus_mass:.3f}），min-p={min_p:g} 留 {int(keep_m.sum())} 个；三者合用留 {int(keep.sum())} 个，"
               f"去掉 {1 - p_t[keep].sum():.3f} 的概率质量，熵{h_move_zh} {h_final:.2f}。截断再归一化后的分布，"
               f"{chi_zh}。温度从 0.05 到 5 时 top-p 保留的词数从 {support_p[0]} 变到 {support_p[-1]}。{set_zh}"),
        "en": (f"V = {v}, T = {t:g}: with temperature alone {int((p_t > 0).sum())}/{v} tokens keep p > 0, "
               f"entropy {h_t:.2f} nats (ln V = {math.log(v):.2f}); top-k={k} keeps {int(keep_k.sum())}, "
               f"top-p={top_p:g} keeps {int(keep_p.sum())} (mass {nucleus_mass:.3f}), "
               f"min-p={min_p:g} keeps {int(keep_m.sum())}; together {int(keep.sum())} tokens remain, "
               f"{1 - p_t[keep].sum():.3f} of the mass is cut and entropy {h_move_en} "
               f"{h_final:.2f}. For the truncated, renormalised distribution, {chi_en}. From T = 0.05 to 5 the "
               f"top-p support goes from {support_p[0]} to {support_p[-1]} tokens.{set_en}"),
    }
    claim = {
        "zh": ("温度只改变分布的形状，每个词仍有可能被抽到，熵随 T 上升；top-k、top-p、min-p 砍掉一部分词再归一化，"
               "这里熵不会因此升高，而只在保留的词里抽样，得到的正是这个归一化后的分布。"
               "top-p 的支撑集随分布形状自适应，top-k 的固定。"),
        "en": ("Temperature reshapes the distribution but keeps every token possible, and its entropy rises with T; "
               "top-k, top-p and min-p cut the support and renormalise, which never raises the entropy here, and "
               "drawing among the kept tokens follows exactly that renormalised distribution. Top-p adapts its "
               "support to the shape, top-k does not."),
    }
    series = {
        "entropy vs T (temperature only)": Series.of(temps, h_curve),
        f"entropy vs T (top-p {top_p:g})": Series.of(temps, h_curve_p),
        f"entropy vs T (top-k {k})": Series.of(temps, h_curve_k),
    }
    rows = []
    for pp in (0.5, 0.8, 0.9, 0.95, 0.99, 1.0):
        mk = top_p_mask(p_t, pp)
        rows.append([f"top-p {pp:g}", int(mk.sum()), entropy(truncate(p_t, mk))])
    for kk in (1, 5, 20, 100):
        mk = top_k_mask(p_t, kk)
        rows.append([f"top-k {kk}", int(mk.sum()), entropy(truncate(p_t, mk))])
    for mm in (0.01, 0.05, 0.1, 0.3):
        mk = min_p_mask(p_t, mm)
        rows.append([f"min-p {mm:g}", int(mk.sum()), entropy(truncate(p_t, mk))])
    table = {"columns": [f"filter at T={t:g}", "support", "entropy (nats)"], "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
