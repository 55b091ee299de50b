"""FlashAttention's core idea in NumPy: stream key/value blocks with an online softmax. The result is
exact (equal to naive attention to rounding) and the largest intermediate is n·block instead of n×n,
while the multiply-adds stay 2·n²·d. Sliding-window attention, by contrast, changes the answer.

Causal attention, Q, K, V ~ N(0, 1) of shape (n, d). The online softmax keeps, per query row, a running
max m, a running denominator ℓ and an unnormalised output; a new block with row max m' rescales the old
ones by e^(m − max(m, m')). This NumPy version keeps all n queries at once and tiles only keys; the GPU
kernel also tiles queries so that each block fits in on-chip SRAM.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param


def naive_attention(q, k, v, window=None):
    """softmax(QKᵀ/√d + causal mask)·V with the full n×n matrix; `window` keeps only the last w keys."""
    n = q.shape[0]
    s = q @ k.T / np.sqrt(q.shape[1])
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    masked = j > i
    if window is not None:
        masked |= j <= i - window
    s = np.where(masked, -np.inf, s)
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    out = (p / p.sum(axis=1, keepdims=True)) @ v
    macs = n * q.shape[1] * k.shape[0] + p.shape[0] * p.shape[1] * v.shape[1]  # QKᵀ and P·V, from the operands
    return out, s.size, macs


def online_update(m, ell, acc, s, v_block):
    """One online-softmax step: fold a block of scores s (rows × block) and its values into (m, ℓ, acc)."""
    m_new = np.maximum(m, s.max(axis=1))
    scale = np.exp(m - m_new)              # e^(−inf) = 0 on the first block
    p = np.exp(s - m_new[:, None])
    return m_new, ell * scale + p.sum(axis=1), acc * scale[:, None] + p @ v_block


def tiled_attention(q, k, v, block, trace=None):
    """Causal attention over key blocks of size `block`; returns output, largest intermediate, multiply-adds.

    Key 0 is visible to every query, so after the first block every running max is finite; later blocks
    that lie wholly in a row's future give it e^(−inf) = 0 and leave it unchanged.
    """
    n, d = q.shape
    m = np.full(n, -np.inf)
    ell = np.zeros(n)
    acc = np.zeros((n, d))
    largest, macs = 0, 0
    rows = np.arange(n)[:, None]
    for start in range(0, n, block):
        stop = min(start + block, n)
        s = q @ k[start:stop].T / np.sqrt(d)
        s = np.where(np.arange(start, stop)[None, :] > rows, -np.inf, s)
        largest = max(largest, s.size)
        macs += n * d * (stop - start) + n * (stop - start) * v.shape[1]  # this block's QKᵀ and P·V
        m, ell, acc = online_update(m, ell, acc, s, v[start:stop])
        if trace is not None:
            trace.append((m[-1], ell[-1]))  # the last query row, which sees every key
    return acc / ell[:, None], largest, macs


@demo(
    id="tiled-attention",
    title={"zh": "分块注意力 + 在线 softmax：结果精确，中间量从 n² 降到 n·block",
           "en": "Tiled attention with online softmax: exact, n·block intermediate instead of n²"},
    tags=["flashattention", "flash attention", "online softmax", "tiling", "attention", "memory",
          "sliding window", "long context",
          "分块", "在线 softmax", "注意力", "显存", "滑动窗口", "长上下文"],
    params=[
        Param("n", int, 512, 4, 768, help={"zh": "序列长度 n", "en": "sequence length n"}),
        Param("d", int, 64, 2, 128, help={"zh": "头维度 d", "en": "head size d"}),
        Param("block", int, 64, 16, 1024, help={"zh": "键/值块大小", "en": "key/value block size"}),
        Param("window", int, 128, 1, 768,
              help={"zh": "对照用滑动窗口宽度 w（每个查询看最近 w 个键）",
                    "en": "sliding window w for the contrast (each query sees its last w keys)"}),
        Param("logit_scale", float, 1.0, 0.1, 30.0,
              help={"zh": "把 Q 放大这么多倍（logits 更大）", "en": "multiply Q by this (larger logits)"}),
    ],
)
def run(p, rng) -> Outcome:
    n, d, block, w = p["n"], p["d"], p["block"], p["window"]
    q = p["logit_scale"] * rng.standard_normal((n, d))
    k, v = rng.standard_normal((n, d)), rng.standard_normal((n, d))
    ref, naive_size, naive_macs = naive_attention(q, k, v)
    trace = []
    out, largest, tiled_macs = tiled_attention(q, k, v, block, trace)
    err = float(np.max(np.abs(out - ref)))
    sw, _, _ = naive_attention(q, k, v, window=w)
    sw_err = float(np.max(np.abs(sw - ref)))
    b_eff = min(block, n)
    # causal: query i sees min(i + 1, w) keys; a banded kernel would do 2·d multiply-adds per kept score
    kept_full = n * (n + 1) // 2
    kept_window = int(np.minimum(np.arange(1, n + 1), w).sum())

    metrics = {
        "max_abs_err_tiled_vs_naive": err,
        "largest_intermediate_tiled": largest,
        "largest_intermediate_naive": naive_size,
        "intermediate_ratio_naive_over_tiled": naive_size / largest,
        "macs_tiled": tiled_macs,
        "macs_naive": naive_macs,
        "key_blocks": -(-n // b_eff),
        "max_abs_err_sliding_window_vs_full": sw_err,
        "causal_scores_full": kept_full,
        "causal_scores_window": kept_window,
    }
    exact = err < 1e-9
    window_covers = w >= n
    sw_exact = sw_err < 1e-9
    checks = [
        check("tiled attention with online softmax equals naive attention (max error < 1e-9)", exact,
              f"max |tiled − naive| = {err:.1e} over {n}×{d} outputs, {metrics['key_blocks']} key blocks"),
        check("its largest intermediate is n·min(block, n), the naive one n²",
              largest == n * b_eff and naive_size == n * n,
              f"tiled {largest:,} = {n}·{b_eff}; naive {naive_size:,} = {n}²"),
        check("tiling does not reduce the multiply-adds: both do 2·n²·d", tiled_macs == naive_macs == 2 * n * n * d,
              f"tiled {tiled_macs:,}, naive {naive_macs:,}, 2·{n}²·{d} = {2 * n * n * d:,}"),
        check("sliding-window attention equals full attention only when the window covers every key (w ≥ n)",
              sw_exact == window_covers,
              f"w = {w}, n = {n}: max |window − full| = {sw_err:.2e}"),
    ]
    if exact:
        exact_zh = f"分块 + 在线 softmax 与朴素注意力最大差 {err:.1e}，即精确（只差舍入）"
        exact_en = f"tiled attention with online softmax matches naive attention to {err:.1e}, i.e. exactly (rounding)"
    else:
        exact_zh = f"分块结果与朴素注意力最大差 {err:.1e}，不相等（检查失败）"
        exact_en = f"the tiled result differs from naive attention by {err:.1e}: not equal (check failed)"
    if window_covers:
        sw_zh = f"窗口 w={w} ≥ n，覆盖了全部键，所以与完整注意力相同（差 {sw_err:.1e}）"
        sw_en = f"The window w={w} ≥ n covers every key, so it equals full attention (difference {sw_err:.1e})"
    else:
        sw_zh = (f"滑动窗口 w={w} 只保留 {kept_window:,}/{kept_full:,} 个因果分数（带状内核只需算这些），"
                 f"输出最大偏差 {sw_err:.2f}")
        sw_en = (f"A sliding window w={w} keeps {kept_window:,} of {kept_full:,} causal scores (all a banded kernel "
                 f"computes) and moves the output "
                 f"by up to {sw_err:.2f}")
    if b_eff < n:
        mem_zh = f"最大中间矩阵从 {naive_size:,}（n²）降到 {largest:,}（n·{b_eff}，小 {naive_size / largest:.3g} 倍）"
        mem_en = (f"The largest intermediate shrinks from {naive_size:,} (n²) to {largest:,} (n·{b_eff}, "
                  f"{naive_size / largest:.3g}× smaller)")
    else:
        mem_zh = f"块大小 ≥ n 时只有一个块，中间矩阵仍是 {largest:,}（n²），没有节省"
        mem_en = f"With block ≥ n there is a single block and the intermediate is still {largest:,} (n²): no saving"
    same_macs = tiled_macs == naive_macs
    macs_zh = (f"乘加次数两者都是 {tiled_macs:,}：省的是显存和读写，不是计算量" if same_macs
               else f"乘加次数分块 {tiled_macs:,}、朴素 {naive_macs:,}，不相等（检查失败）")
    macs_en = (f"both do {tiled_macs:,} multiply-adds: tiling saves memory and traffic, not arithmetic" if same_macs
               else f"multiply-adds differ, tiled {tiled_macs:,} vs naive {naive_macs:,} (check failed)")
    takeaway = {
        "zh": f"n={n}、d={d}、块大小 {block}：{exact_zh}。{mem_zh}；{macs_zh}。\n{sw_zh}。",
        "en": f"n={n}, d={d}, block {block}: {exact_en}. {mem_en}; {macs_en}.\n{sw_en}.",
    }
    claim = {
        "zh": ("用在线 softmax 逐块处理键是精确的，最大中间矩阵只有 n·min(block, n)；"
               "滑动窗口一旦丢掉键，省了计算，也改变了结果。"),
        "en": ("Streaming key blocks through an online softmax is exact and keeps the largest intermediate at "
               "n·min(block, n); a sliding window that leaves keys out saves compute but changes the answer."),
    }
    # share of the last row's softmax denominator seen after each key block, in the final max's units
    m_end, ell_end = trace[-1] if trace else (0.0, 1.0)
    seen = [ell_j * np.exp(m_j - m_end) / ell_end for m_j, ell_j in trace]
    series = {"last row: share of softmax mass seen vs key block": Series.of(np.arange(1, len(seen) + 1), seen)}
    return Outcome(metrics, checks, takeaway, series, claim=claim)
