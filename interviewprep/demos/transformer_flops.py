"""Parameters and FLOPs of a decoder stack, counted from the arrays and the matmuls a forward pass really does.

Each layer is a pre-norm block: x += Attn(RMSNorm(x)); x += FFN(RMSNorm(x)), with causal multi-head
attention and either a 4d GELU FFN (two matrices) or a SwiGLU FFN (three matrices, hidden ⌊8d/3⌋) that
keeps about the same 8d² parameters. No biases, no embeddings (N is the non-embedding count).
FLOPs are 2 per multiply-add and are added up inside `matmul` from the shapes multiplied; for causal
attention only the visible (query, key) pairs of the mask are counted, as a causal kernel skips the rest.
Norms, softmax and activations are O(n·d) and are left out of the count, as in the usual 2N rule.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.errors import UsageError


class Flops:
    def __init__(self):
        self.weights = 0
        self.attention = 0


def matmul(a, b, flops, kind="weights"):
    """a @ b, adding 2·rows·inner·cols FLOPs to the `kind` counter."""
    out = a @ b
    lead = int(np.prod(out.shape[:-2])) if out.ndim > 2 else 1
    setattr(flops, kind, getattr(flops, kind) + 2 * lead * a.shape[-2] * a.shape[-1] * b.shape[-1])
    return out


def rmsnorm(x, g):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6) * g


def swiglu_hidden(d):
    return (8 * d) // 3


def make_layer(d, ffn, rng):
    s = 1 / np.sqrt(d)
    layer = {name: rng.standard_normal((d, d)) * s for name in ("wq", "wk", "wv", "wo")}
    layer["norm1"], layer["norm2"] = np.ones(d), np.ones(d)
    h = 4 * d if ffn == "gelu" else swiglu_hidden(d)
    layer["w1"] = rng.standard_normal((d, h)) * s
    layer["w2"] = rng.standard_normal((h, d)) / np.sqrt(h)
    if ffn == "swiglu":
        layer["w3"] = rng.standard_normal((d, h)) * s
    return layer


def causal_attention(q, k, v, flops):
    """q, k, v: (heads, n, dh). Dense scores with a causal mask; FLOPs are counted for the visible
    (query, key) pairs only, i.e. what a causal kernel that skips the masked half does: 2·dh per pair
    for q·k and 2·dh per pair for the weighted sum of values, in every head."""
    heads, n, dh = q.shape
    visible = np.arange(n)[None, :] <= np.arange(n)[:, None]
    s = np.where(visible, q @ k.transpose(0, 2, 1) / np.sqrt(dh), -np.inf)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    flops.attention += 2 * (2 * dh * heads * int(visible.sum()))
    return (e / e.sum(axis=-1, keepdims=True)) @ v


def forward(x, layers, heads, ffn, flops):
    n, d = x.shape
    split = lambda a: a.reshape(n, heads, d // heads).transpose(1, 0, 2)  # noqa: E731
    for L in layers:
        h = rmsnorm(x, L["norm1"])
        q, k, v = (split(matmul(h, L[w], flops)) for w in ("wq", "wk", "wv"))
        a = causal_attention(q, k, v, flops).transpose(1, 0, 2).reshape(n, d)
        x = x + matmul(a, L["wo"], flops)
        h = rmsnorm(x, L["norm2"])
        if ffn == "gelu":
            u = matmul(h, L["w1"], flops)
            u = 0.5 * u * (1 + np.tanh(0.7978845608 * (u + 0.044715 * u**3)))
        else:
            gate = matmul(h, L["w1"], flops)
            u = gate / (1 + np.exp(-gate)) * matmul(h, L["w3"], flops)  # SiLU(xW₁) ⊙ xW₃
        x = x + matmul(u, L["w2"], flops)
    return x


@demo(
    id="transformer-flops",
    title={"zh": "数一数 Transformer 的参数和 FLOPs：12·L·d²、每 token 2N、注意力项",
           "en": "Counting a Transformer's parameters and FLOPs: 12·L·d², 2N per token, the attention term"},
    tags=["flops", "parameters", "parameter count", "transformer", "swiglu", "rmsnorm", "pre-norm", "scaling",
          "compute", "参数量", "计算量", "浮点运算", "前馈网络", "预归一化"],
    params=[
        Param("d_model", int, 64, 8, 128,
              help={"zh": "模型宽度 d（须被头数整除）", "en": "model width d (divisible by heads)"}),
        Param("heads", int, 4, choices=(1, 2, 4, 8), help={"zh": "注意力头数", "en": "attention heads"}),
        Param("layers", int, 2, 1, 4, help={"zh": "层数 L", "en": "layers L"}),
        Param("n_ctx", int, 128, 1, 256, help={"zh": "上下文长度 n_ctx", "en": "context length n_ctx"}),
        Param("ffn", str, "gelu", choices=("gelu", "swiglu"),
              help={"zh": "前馈网络：4d GELU 或 SwiGLU（⌊8d/3⌋）", "en": "FFN: 4d GELU or SwiGLU (⌊8d/3⌋)"}),
    ],
)
def run(p, rng) -> Outcome:
    d, H, nl, n, ffn = p["d_model"], p["heads"], p["layers"], p["n_ctx"], p["ffn"]
    if d % H:
        raise UsageError(f"d_model = {d} must be divisible by heads = {H}")
    layers = [make_layer(d, ffn, rng) for _ in range(nl)]
    counted = {name: int(sum(L[name].size for L in layers)) for name in layers[0]}
    N = sum(counted.values())
    attn_params = sum(counted[w] for w in ("wq", "wk", "wv", "wo"))
    ffn_params = sum(v for k, v in counted.items() if k.startswith("w") and k not in ("wq", "wk", "wv", "wo"))
    norm_params = counted["norm1"] + counted["norm2"]
    flops = Flops()
    forward(rng.standard_normal((n, d)), layers, H, ffn, flops)

    h = 4 * d if ffn == "gelu" else swiglu_hidden(d)
    ffn_theory = 2 * d * h if ffn == "gelu" else 3 * d * h
    N_theory = nl * (4 * d * d + ffn_theory + 2 * d)
    twelve = 12 * nl * d * d
    matrix_params = attn_params + ffn_params
    weight_per_token = flops.weights / n
    attn_per_token = flops.attention / n
    attn_theory = 2 * nl * d * (n + 1)  # Σ_t 4·d·(t+1) over t < n, divided by n
    total_per_token = weight_per_token + attn_per_token
    metrics = {
        "params_counted": N,
        "params_attention": attn_params,
        "params_ffn": ffn_params,
        "params_norms": norm_params,
        "twelve_L_d2": twelve,
        "matrix_params_over_12Ld2": matrix_params / twelve,
        "ffn_hidden": h,
        "weight_flops_per_token": weight_per_token,
        "two_N": 2 * N,
        "weight_flops_over_2N": weight_per_token / (2 * N),
        "attention_flops_per_token": attn_per_token,
        "attention_term_2_L_nctx_d": 2 * nl * n * d,
        "attention_share_of_forward": attn_per_token / total_per_token,
        "training_flops_per_token_6N_rule": 6 * N,
    }
    ok_params = N == N_theory
    ok_12 = (matrix_params == twelve) if ffn == "gelu" else abs(matrix_params - twelve) <= 3 * d * nl
    ok_2n = flops.weights == 2 * matrix_params * n
    ok_attn = flops.attention == attn_theory * n
    checks = [
        check("parameters counted from the arrays equal L·(4d² + FFN + 2d)", ok_params,
              f"counted {N:,}, formula {N_theory:,} (attention {attn_params:,}, FFN {ffn_params:,}, "
              f"norms {norm_params:,})"),
        check("the weight matrices hold 12·L·d² (exactly with a 4d GELU FFN, within 3·d·L with SwiGLU ⌊8d/3⌋)", ok_12,
              f"{matrix_params:,} vs 12·{nl}·{d}² = {twelve:,}"),
        check("weight matmuls cost 2 FLOPs per matrix parameter per token (2N, norms aside)", ok_2n,
              f"{weight_per_token:,.0f} FLOPs/token vs 2·{matrix_params:,} = {2 * matrix_params:,}"),
        check("causal attention adds 2·L·d·(n_ctx + 1) FLOPs per token on average (≈ 2·L·n_ctx·d)", ok_attn,
              f"{attn_per_token:,.1f} vs 2·{nl}·{d}·{n + 1} = {attn_theory:,}"),
    ]
    share = attn_per_token / total_per_token
    takeaway = {
        "zh": (f"d={d}、L={nl}、{ffn} FFN（隐藏 {h}）：数组里共有 {N:,} 个参数，其中矩阵 {matrix_params:,}"
               f"（= 12·L·d² 的 {matrix_params / twelve:.4f} 倍），归一化增益只有 {norm_params:,}。"
               f"一次 {n} 个 token 的前向里，权重矩阵乘每 token {weight_per_token:,.0f} FLOPs"
               f"（2N 的 {weight_per_token / (2 * N):.4f} 倍），注意力每 token 再加 {attn_per_token:,.0f}"
               f"（占前向的 {share:.1%}）。训练按 6N 估算为每 token "
               f"{6 * N:,}。"),
        "en": (f"d={d}, L={nl}, {ffn} FFN (hidden {h}): the arrays hold {N:,} parameters, {matrix_params:,} of them in "
               f"matrices ({matrix_params / twelve:.4f}× 12·L·d²) and only {norm_params:,} in norm gains. "
               f"A forward pass "
               f"over {n} tokens spends {weight_per_token:,.0f} FLOPs per token in weight matmuls "
               f"({weight_per_token / (2 * N):.4f}× 2N) plus {attn_per_token:,.0f} in attention ({share:.1%} of the "
               f"forward). Training at 6N is about {6 * N:,} per token."),
    }
    claim = {
        "zh": ("权重矩阵约有 12·L·d² 个参数，每个参数每 token 花 2 FLOPs，这就是 2N 规则；"
               "因果注意力每 token 再加约 2·L·n_ctx·d，n_ctx 越长占比越大。"),
        "en": ("The weight matrices hold about 12·L·d² parameters and each costs 2 FLOPs per token, hence the 2N "
               "rule; causal attention adds about 2·L·n_ctx·d per token on top, a share that grows with n_ctx."),
    }
    ctxs = np.array([c for c in (1, 8, 32, 128, 512, 2048, 8192, 32768) if c <= max(n, 8192)])
    share_curve = 2 * nl * d * (ctxs + 1) / (2 * matrix_params + 2 * nl * d * (ctxs + 1))
    series = {"attention share of forward FLOPs vs n_ctx (formula)": Series.of(ctxs, share_curve)}
    table = {"columns": ["part", "parameters", "formula", "FLOPs per token"],
             "rows": [["attention Wq, Wk, Wv, Wo", attn_params, f"4·L·d² = {4 * nl * d * d:,}", 2 * attn_params],
                      [f"FFN ({ffn})", ffn_params, f"{'2' if ffn == 'gelu' else '3'}·L·d·{h} = {nl * ffn_theory:,}",
                       2 * ffn_params],
                      ["RMSNorm gains", norm_params, f"2·L·d = {2 * nl * d:,}", 0],
                      ["attention scores + weighted sum", 0, f"2·L·d·(n+1) = {attn_theory:,}", attn_per_token]]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
