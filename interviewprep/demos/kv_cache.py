"""KV cache: incremental decoding equals recomputing causal attention, costs O(t) instead of O(t²) per token,
and stores 2·L·n_kv·d_head·bytes per token (MHA, GQA, MQA, and MLA's latent for comparison); a toy MLA
layer shows that attention on the cached latent, with the up-projections absorbed, equals rebuilding K and V.

A toy one-layer causal attention (width 128, H query heads, G key/value heads) decodes n tokens twice:
- with a cache: token t projects only itself and attends over the t cached keys/values;
- without: token t reruns the whole prefix (every position's projections and attention rows), which is
  what a multi-layer model must do, since layer l+1 needs layer l's outputs at every earlier position.
Multiply-adds are counted inside `matmul`, from the shapes actually multiplied. The bytes table uses
the configuration parameters (L, H, G, d_head, bytes per element, context).
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.errors import UsageError

TOY_D = 128  # width of the toy model that actually decodes; its head size is TOY_D // H
HEADS = (1, 2, 4, 8, 16, 32, 64, 128)


class Counter:
    def __init__(self):
        self.macs = 0


def matmul(a, b, counter):
    """a @ b, adding its multiply-adds (rows·inner·cols, batched over leading axes) to the counter."""
    out = a @ b
    lead = int(np.prod(out.shape[:-2])) if out.ndim > 2 else 1
    counter.macs += lead * a.shape[-2] * a.shape[-1] * b.shape[-1]
    return out


def softmax_rows(s):
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def heads_of(x, n_heads, dh):
    """(t, n_heads·dh) -> (n_heads, t, dh)."""
    return x.reshape(x.shape[0], n_heads, dh).transpose(1, 0, 2)


def attend(q, k, v, group, counter, causal_offset=0):
    """Causal attention per head: q (H, tq, dh), k/v (G, tk, dh); query i sees keys j ≤ i + causal_offset."""
    k = np.repeat(k, group, axis=0)  # each KV head serves `group` query heads (GQA/MQA)
    v = np.repeat(v, group, axis=0)
    s = matmul(q, k.transpose(0, 2, 1), counter) / np.sqrt(q.shape[-1])
    tq, tk = s.shape[1], s.shape[2]
    mask = np.arange(tk)[None, :] > (np.arange(tq)[:, None] + causal_offset)
    s = np.where(mask[None], -np.inf, s)
    return matmul(softmax_rows(s), v, counter)


def full_causal(x, W, n_heads, n_kv):
    """Reference: one causal attention pass over the whole sequence (what training computes)."""
    c = Counter()
    dh = TOY_D // n_heads
    q, k, v = (heads_of(matmul(x, W[name], c), h, dh) for name, h in (("q", n_heads), ("k", n_kv), ("v", n_kv)))
    o = attend(q, k, v, n_heads // n_kv, c)
    return matmul(o.transpose(1, 0, 2).reshape(x.shape[0], -1), W["o"], c)


def decode_cached(x, W, n_heads, n_kv):
    """Token by token with a KV cache; returns outputs, multiply-adds per step and the cache arrays."""
    dh = TOY_D // n_heads
    k_cache = np.zeros((n_kv, 0, dh))
    v_cache = np.zeros((n_kv, 0, dh))
    outs, costs = [], []
    for t in range(x.shape[0]):
        c = Counter()
        xt = x[t:t + 1]
        q = heads_of(matmul(xt, W["q"], c), n_heads, dh)
        k_cache = np.concatenate([k_cache, heads_of(matmul(xt, W["k"], c), n_kv, dh)], axis=1)
        v_cache = np.concatenate([v_cache, heads_of(matmul(xt, W["v"], c), n_kv, dh)], axis=1)
        o = attend(q, k_cache, v_cache, n_heads // n_kv, c, causal_offset=t)
        outs.append(matmul(o.transpose(1, 0, 2).reshape(1, -1), W["o"], c)[0])
        costs.append(c.macs)
    return np.array(outs), np.array(costs), (k_cache, v_cache)


def decode_recompute(x, W, n_heads, n_kv):
    """Token by token without a cache: rerun the whole prefix each step, keep the last row."""
    outs, costs = [], []
    for t in range(x.shape[0]):
        c = Counter()
        prefix = x[:t + 1]
        dh = TOY_D // n_heads
        q, k, v = (heads_of(matmul(prefix, W[name], c), h, dh)
                   for name, h in (("q", n_heads), ("k", n_kv), ("v", n_kv)))
        o = attend(q, k, v, n_heads // n_kv, c)
        outs.append(matmul(o.transpose(1, 0, 2).reshape(t + 1, -1), W["o"], c)[-1])
        costs.append(c.macs)
    return np.array(outs), np.array(costs)


TOY_LATENT = 32  # d_c of the toy MLA layer


def mla_explicit(x, W, n_heads):
    """MLA without absorption: cache the latent c = x·W_DKV, rebuild every head's K and V from it."""
    n, dh = x.shape[0], TOY_D // n_heads
    c = x @ W["dkv"]                                       # (n, d_c): this is all that is cached
    q = heads_of(x @ W["q"], n_heads, dh)
    k = np.einsum("nc,hcd->hnd", c, W["uk"])
    v = np.einsum("nc,hcd->hnd", c, W["uv"])
    s = q @ k.transpose(0, 2, 1) / np.sqrt(dh)
    s = np.where(np.arange(n)[None, :] > np.arange(n)[:, None], -np.inf, s)
    return softmax_rows(s) @ v, c


def mla_absorbed(x, c, W, n_heads):
    """The same attention on the cached latent directly: q·(c·W_UK)ᵀ = (q·W_UKᵀ)·cᵀ and P·(c·W_UV) = (P·c)·W_UV."""
    n, dh = x.shape[0], TOY_D // n_heads
    q = heads_of(x @ W["q"], n_heads, dh)
    q_lat = np.einsum("hnd,hcd->hnc", q, W["uk"])         # W_UK folded into the query side
    s = q_lat @ c.T / np.sqrt(dh)
    s = np.where(np.arange(n)[None, :] > np.arange(n)[:, None], -np.inf, s)
    return np.einsum("hnc,hcd->hnd", softmax_rows(s) @ c, W["uv"])  # W_UV applied after (foldable into W_O)


def cache_bytes_per_token(layers, kv_heads, d_head, bytes_per_elem):
    """K and V, per layer, per KV head: 2·L·G·d_head·bytes."""
    return 2 * layers * kv_heads * d_head * bytes_per_elem


def mla_bytes_per_token(layers, latent, rope_dim, bytes_per_elem):
    """MLA caches one latent c (d_c) plus one shared RoPE key (d_R) per layer: (d_c + d_R)·L·bytes."""
    return (latent + rope_dim) * layers * bytes_per_elem


def _mib(b):
    return b / 2**20


@demo(
    id="kv-cache",
    title={"zh": "KV 缓存：逐 token 解码与重算一致，每步 O(t)，显存按 2·L·G·d_head·字节",
           "en": "KV cache: same outputs as recomputing, O(t) per token, 2·L·G·d_head·bytes of memory"},
    tags=["kv cache", "kv-cache", "inference", "decoding", "gqa", "mqa", "mla", "long context", "causal mask",
          "KV 缓存", "推理", "解码", "分组查询注意力", "多查询注意力", "长上下文", "显存", "因果掩码"],
    params=[
        Param("tokens", int, 48, 2, 48,
              help={"zh": "玩具模型解码的 token 数 n", "en": "tokens n the toy model decodes"}),
        Param("layers", int, 32, 1, 128, help={"zh": "显存表用的层数 L", "en": "layers L for the memory table"}),
        Param("heads", int, 32, choices=HEADS, help={"zh": "查询头数 H", "en": "query heads H"}),
        Param("kv_heads", int, 8, choices=HEADS,
              help={"zh": "KV 头数 G（须整除 H；G = H 为 MHA，1 为 MQA）",
                    "en": "key/value heads G (must divide H; G = H is MHA, 1 is MQA)"}),
        Param("d_head", int, 128, choices=(32, 64, 96, 128, 192, 256), help={"zh": "每头维度", "en": "head size"}),
        Param("bytes_per_elem", int, 2, choices=(1, 2, 4),
              help={"zh": "每个数的字节数（FP16/BF16 为 2）", "en": "bytes per number (2 for FP16/BF16)"}),
        Param("context", int, 4096, 1, 1048576,
              help={"zh": "上下文长度（算总显存）", "en": "context length (for totals)"}),
        Param("mla_latent", int, 512, 16, 4096, help={"zh": "MLA 潜向量维度 d_c", "en": "MLA latent size d_c"}),
        Param("mla_rope", int, 64, 0, 512,
              help={"zh": "MLA 解耦 RoPE 键维度 d_R", "en": "MLA decoupled RoPE key size d_R"}),
    ],
)
def run(p, rng) -> Outcome:
    n, H, G = p["tokens"], p["heads"], p["kv_heads"]
    if G > H or H % G:
        raise UsageError(f"kv_heads = {G} must divide heads = {H}")
    L, dh, b, ctx = p["layers"], p["d_head"], p["bytes_per_elem"], p["context"]

    # -- the toy model really decodes --
    tdh = TOY_D // H
    D, Dkv = TOY_D, G * tdh
    W = {"q": rng.standard_normal((D, D)) / np.sqrt(D), "k": rng.standard_normal((D, Dkv)) / np.sqrt(D),
         "v": rng.standard_normal((D, Dkv)) / np.sqrt(D), "o": rng.standard_normal((D, D)) / np.sqrt(D)}
    x = rng.standard_normal((n, D))
    reference = full_causal(x, W, H, G)
    cached, cost_cached, (kc, vc) = decode_cached(x, W, H, G)
    recomputed, cost_recompute = decode_recompute(x, W, H, G)
    err_cached = float(np.max(np.abs(cached - reference)))
    err_recompute = float(np.max(np.abs(recomputed - reference)))

    # closed forms for step t (1-based): projections P = D·(D + 2·Dkv) + D·D per token
    P = D * (D + 2 * Dkv) + D * D
    t = np.arange(1, n + 1)
    cached_theory = P + 2 * H * tdh * t              # q·K over t keys and weights·V, per head
    recompute_theory = P * t + 2 * H * tdh * t * t   # whole prefix: t tokens, t×t scores per head
    cache_nbytes = kc.nbytes + vc.nbytes
    cache_theory = cache_bytes_per_token(1, G, tdh, kc.itemsize) * n

    # -- toy MLA: cached latent, explicit vs absorbed attention --
    Wm = {"dkv": rng.standard_normal((D, TOY_LATENT)) / np.sqrt(D), "q": W["q"],
          "uk": rng.standard_normal((H, TOY_LATENT, tdh)) / np.sqrt(TOY_LATENT),
          "uv": rng.standard_normal((H, TOY_LATENT, tdh)) / np.sqrt(TOY_LATENT)}
    explicit, latent = mla_explicit(x, Wm, H)
    absorbed = mla_absorbed(x, latent, Wm, H)
    err_mla = float(np.max(np.abs(explicit - absorbed)))

    # -- memory table for the configuration --
    rows, per_token = [], {}
    for name, g in (("MHA", H), (f"GQA (G={G})", G), ("MQA", 1)):
        per_token[name] = cache_bytes_per_token(L, g, dh, b)
    per_token["MLA"] = mla_bytes_per_token(L, p["mla_latent"], p["mla_rope"], b)
    for name, bt in per_token.items():
        rows.append([name, bt, round(_mib(bt), 4), round(bt * ctx / 2**30, 4), round(per_token["MHA"] / bt, 3)])
    mha, gqa, mqa, mla = (per_token[k] for k in ("MHA", f"GQA (G={G})", "MQA", "MLA"))

    metrics = {
        "max_abs_err_cached_vs_full": err_cached,
        "max_abs_err_recompute_vs_full": err_recompute,
        "macs_last_step_cached": int(cost_cached[-1]),
        "macs_last_step_recompute": int(cost_recompute[-1]),
        "macs_total_cached": int(cost_cached.sum()),
        "macs_total_recompute": int(cost_recompute.sum()),
        "recompute_over_cached_last_step": float(cost_recompute[-1] / cost_cached[-1]),
        "toy_cache_bytes": int(cache_nbytes),
        "toy_mla_max_abs_err_absorbed_vs_explicit": err_mla,
        "toy_mla_latent_bytes": int(latent.nbytes),
        "toy_mha_kv_bytes_same_tokens": int(2 * n * TOY_D * latent.itemsize),
        "bytes_per_token_mha": mha,
        "bytes_per_token_gqa": gqa,
        "bytes_per_token_mqa": mqa,
        "bytes_per_token_mla": mla,
        "mib_per_token_mha": _mib(mha),
        "gib_at_context_mha": mha * ctx / 2**30,
        "gib_at_context_gqa": gqa * ctx / 2**30,
        "mha_over_gqa": mha / gqa,
        "mha_over_mla": mha / mla,
    }
    ok_same = err_cached < 1e-9 and err_recompute < 1e-9
    ok_cached = bool(np.array_equal(cost_cached, cached_theory))
    ok_recompute = bool(np.array_equal(cost_recompute, recompute_theory))
    ok_bytes = cache_nbytes == cache_theory
    ok_ratio = abs(mha / gqa - H / G) < 1e-12
    checks = [
        check("cached decoding equals full causal attention (and so does recomputing), to rounding", ok_same,
              f"max |cached − full| = {err_cached:.1e}, max |recompute − full| = {err_recompute:.1e}"),
        check("with a cache, step t costs P + 2·H·d_head·t multiply-adds (linear in t)", ok_cached,
              f"counted {cost_cached[-1]:,} at t = {n}, formula {cached_theory[-1]:,} (P = {P:,})"),
        check("without a cache, step t costs P·t + 2·H·d_head·t² (quadratic in t)", ok_recompute,
              f"counted {cost_recompute[-1]:,} at t = {n}, formula {recompute_theory[-1]:,}"),
        check("the toy cache holds 2·G·d_head·bytes per token per layer", ok_bytes,
              f"{cache_nbytes:,} bytes after {n} tokens vs 2·{G}·{tdh}·{kc.itemsize}·{n} = {cache_theory:,}"),
        check("MLA: attention on the cached latent (W_UK, W_UV absorbed) equals rebuilding K and V", err_mla < 1e-9,
              f"toy, d_c = {TOY_LATENT}, no RoPE: max |absorbed − explicit| = {err_mla:.1e}; latent {latent.nbytes:,} "
              f"bytes vs {2 * n * TOY_D * latent.itemsize:,} for full K and V"),
        check("MHA/GQA cache ratio is H/G", ok_ratio, f"{mha:,} / {gqa:,} = {mha / gqa:g}, H/G = {H / G:g}"),
    ]
    same_zh = (f"逐 token 用缓存解码与一次算完的因果注意力最大差 {err_cached:.1e}（舍入误差）"
               if ok_same else f"缓存解码与完整注意力最大差 {err_cached:.1e}，不一致（检查失败）")
    same_en = (f"Decoding with the cache matches one full causal pass to {err_cached:.1e} (rounding)"
               if ok_same else f"Cached decoding differs from full attention by {err_cached:.1e}: check failed")
    cost_zh = (f"第 {n} 步用缓存 {cost_cached[-1]:,} 次乘加、重算 {cost_recompute[-1]:,} 次"
               f"（{cost_recompute[-1] / cost_cached[-1]:.1f} 倍）；n 步合计 {cost_cached.sum():,} 对 "
               f"{cost_recompute.sum():,}")
    cost_en = (f"step {n} costs {cost_cached[-1]:,} multiply-adds with the cache and {cost_recompute[-1]:,} "
               f"recomputing ({cost_recompute[-1] / cost_cached[-1]:.1f}×); over {n} steps {cost_cached.sum():,} vs "
               f"{cost_recompute.sum():,}")
    if err_mla < 1e-9:
        mla_zh = f"玩具 MLA 只缓存 d_c={TOY_LATENT} 的潜向量，吸收 W_UK/W_UV 后与显式还原 K、V 最大差 {err_mla:.0e}"
        mla_en = (f"a toy MLA layer caching only a d_c={TOY_LATENT} latent gives the same attention with W_UK/W_UV "
                  f"absorbed as with K and V rebuilt (max difference {err_mla:.0e})")
    else:
        mla_zh = f"玩具 MLA 吸收后与显式计算相差 {err_mla:.1e}，不一致（检查失败）"
        mla_en = f"the toy MLA absorbed form differs from the explicit one by {err_mla:.1e} (check failed)"
    if not (ok_cached and ok_recompute):
        cost_zh += "，但计数与公式不符（检查失败）"
        cost_en += ", but the counts do not follow the formulas (check failed)"
    takeaway = {
        "zh": (f"{same_zh}；{cost_zh}；{mla_zh}。\n"
               f"L={L}、H={H}、d_head={dh}、{b} 字节/数：MHA 每 token 2·{L}·{H}·{dh}·{b} = {mha:,} 字节"
               f"（{_mib(mha):.3g} MiB），{ctx} 个 token 共 {mha * ctx / 2**30:.3g} GiB；GQA（G={G}）为 {gqa:,} 字节"
               f"（省 {mha / gqa:g} 倍），MQA 为 {mqa:,}，MLA（d_c={p['mla_latent']}、d_R={p['mla_rope']}）为 {mla:,}"
               f"（MHA 的 1/{mha / mla:.3g}）。以上均为单条序列，batch 要再乘。"),
        "en": (f"{same_en}; {cost_en}; {mla_en}.\n"
               f"L={L}, H={H}, d_head={dh}, {b} bytes per number: MHA stores 2·{L}·{H}·{dh}·{b} = {mha:,} bytes per "
               f"token ({_mib(mha):.3g} MiB), {mha * ctx / 2**30:.3g} GiB for {ctx} tokens; GQA (G={G}) {gqa:,} bytes "
               f"({mha / gqa:g}× less), MQA {mqa:,}, MLA (d_c={p['mla_latent']}, d_R={p['mla_rope']}) {mla:,} "
               f"(1/{mha / mla:.3g} of MHA). All per sequence: multiply by the batch."),
    }
    claim = {
        "zh": ("KV 缓存不改变输出，却把每步解码的计算量从随前缀长度平方增长变成线性增长；"
               "缓存的显存与 KV 头数成正比，GQA、MQA 省的正是这一项；"
               "MLA 则每个 token 只缓存一个潜向量，把上投影吸收进去后，注意力直接在潜向量上算。"),
        "en": ("A KV cache leaves the outputs unchanged and turns each decoding step from quadratic into linear work "
               "in the prefix; its memory is proportional to the number of key/value heads, which is what GQA and MQA "
               "cut, while MLA caches one latent per token and, with the up-projections absorbed, attends on it "
               "directly."),
    }
    series = {"multiply-adds per step, cached": Series.of(t, cost_cached),
              "multiply-adds per step, recompute": Series.of(t, cost_recompute)}
    table = {"columns": ["attention", "bytes/token", "MiB/token", f"GiB at {ctx} tokens", "MHA ÷ this"],
             "rows": rows}
    # the sentences above report the attention and cost checks; the two byte-count checks are reported here
    return Outcome(metrics, checks, with_failures(takeaway, [checks[3], checks[5]]), series, table,
                   claim=claim)
