"""Sinusoidal positional encoding, and why self-attention needs one at all.

PE(pos, 2i) = sin(pos·ω_i), PE(pos, 2i+1) = cos(pos·ω_i), ω_i = 10000^(−2i/d). Measured here:
PE(p)·PE(p+k) = Σ_i cos(ω_i k) depends only on the offset k; PE(p+k) = R_k·PE(p) with R_k a fixed
block-diagonal rotation (the idea RoPE builds on); and without any positional signal self-attention
is permutation-equivariant — shuffle the tokens and the outputs are shuffled the same way.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import softmax


def sinusoidal(positions: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(PE of shape (positions, d), frequencies ω of shape (d/2,)), as in "Attention Is All You Need"."""
    omega = 10000.0 ** (-np.arange(0, d, 2) / d)
    angles = np.arange(positions)[:, None] * omega[None, :]
    pe = np.empty((positions, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe, omega


def rotation(omega, k: int) -> np.ndarray:
    """Block-diagonal R_k with 2×2 blocks [[cos, sin], [−sin, cos]](ω_i k): PE(p+k) = R_k PE(p)."""
    d = 2 * omega.size
    r = np.zeros((d, d))
    c, s = np.cos(omega * k), np.sin(omega * k)
    r[0::2, 0::2] = np.diag(c)
    r[0::2, 1::2] = np.diag(s)
    r[1::2, 0::2] = np.diag(-s)
    r[1::2, 1::2] = np.diag(c)
    return r


def self_attention(x, wq, wk, wv):
    d = x.shape[1]
    return softmax((x @ wq) @ (x @ wk).T / np.sqrt(d), axis=-1) @ (x @ wv)


@demo(
    id="positional-encoding",
    title={"zh": "正弦位置编码与置换等变", "en": "Sinusoidal positional encoding and permutation equivariance"},
    tags=["transformer", "positional-encoding", "sinusoidal", "rope", "attention", "permutation", "equivariance",
          "位置编码", "正弦", "旋转位置编码", "注意力", "置换等变"],
    params=[
        Param("dim", int, 64, choices=(8, 16, 32, 64, 128, 256),
            help={"zh": "编码维度 d", "en": "encoding dimension d"}),
        Param("positions", int, 128, 16, 512, help={"zh": "位置个数", "en": "number of positions"}),
        Param("offset", int, 5, 1, 15, help={"zh": "考察的位置偏移 k", "en": "offset k to examine"}),
    ],
)
def run(p, rng) -> Outcome:
    d, n, k0 = p["dim"], p["positions"], p["offset"]
    pe, omega = sinusoidal(n, d)

    # 1) dot products depend only on the offset: the Gram matrix is constant along each diagonal
    gram = pe @ pe.T
    offsets = np.arange(0, max(n // 2, k0 + 1))
    spread = max(float(np.ptp(np.diagonal(gram, k))) for k in offsets)
    by_offset = np.array([np.diagonal(gram, k).mean() for k in offsets])
    closed = np.array([np.cos(omega * k).sum() for k in offsets])
    closed_err = float(np.abs(by_offset - closed).max())

    # 2) shifting by k is one fixed rotation, the same at every position
    r = rotation(omega, k0)
    shift_err = float(np.abs(pe[k0:] - pe[:-k0] @ r.T).max())
    orth_err = float(np.abs(r @ r.T - np.eye(d)).max())

    # 3) self-attention with and without positions under a random permutation of the tokens
    tokens = 8
    x = rng.standard_normal((tokens, d))
    wq, wk, wv = (rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(3))
    perm = rng.permutation(tokens)
    while np.all(perm == np.arange(tokens)):
        perm = rng.permutation(tokens)
    plain = self_attention(x, wq, wk, wv)
    equiv_err = float(np.abs(self_attention(x[perm], wq, wk, wv) - plain[perm]).max())
    with_pe = self_attention(x + pe[:tokens], wq, wk, wv)
    pe_err = float(np.abs(self_attention(x[perm] + pe[:tokens], wq, wk, wv) - with_pe[perm]).max())
    pooled_err = float(np.abs(self_attention(x[perm], wq, wk, wv).mean(0) - plain.mean(0)).max())

    metrics = {
        "dot_spread_across_positions": spread,
        "dot_vs_sum_cos_error": closed_err,
        "dot_at_offset_0": float(by_offset[0]),
        "dot_at_offset": float(by_offset[k0]),
        "rotation_error": shift_err,
        "rotation_orthogonality_error": orth_err,
        "no_pe_equivariance_error": equiv_err,
        "no_pe_pooled_difference": pooled_err,
        "with_pe_equivariance_error": pe_err,
    }
    checks = [
        check("PE(p)·PE(p+k) depends only on k (= Σ cos(ω_i k))", spread < 1e-9 * d and closed_err < 1e-9 * d,
              f"largest spread over p for a fixed k: {spread:.1e}; vs Σcos(ω_i k): {closed_err:.1e}"),
        check(f"PE(p+{k0}) = R_{k0}·PE(p) at every p, R orthogonal (a rotation)", shift_err < 1e-9 and orth_err < 1e-12,
              f"max error {shift_err:.1e} over {n - k0} positions; ‖RRᵀ − I‖ = {orth_err:.0e}"),
        check("without PE, self-attention is permutation-equivariant", equiv_err < 1e-12 and pooled_err < 1e-12,
              f"‖Attn(PX) − P·Attn(X)‖ = {equiv_err:.0e}; mean-pooled outputs differ by {pooled_err:.0e}"),
        check("with PE added, word order changes the result", pe_err > 1e-2,
              f"‖Attn(PX + PE) − P·Attn(X + PE)‖ = {pe_err:.2f}"),
    ]
    takeaway = {
        "zh": (f"d={d}：对每个偏移 k，PE(p)·PE(p+k) 在不同 p 之间最大差 {spread:.0e}；k=0 时为 {by_offset[0]:.0f}，"
               f"k={k0} 时为 {by_offset[k0]:.2f}。PE(p+{k0}) 与固定旋转矩阵乘 PE(p) 的最大误差为 {shift_err:.0e}。"
               f"不加位置编码时打乱词序，自注意力输出与按同样顺序打乱的原输出相差 {equiv_err:.0e}，"
               f"池化后相差 {pooled_err:.0e}；加上 PE 后差异为 {pe_err:.2f}。"),
        "en": (f"d={d}: for each offset k, PE(p)·PE(p+k) varies over p by at most {spread:.0e}; it is "
               f"{by_offset[0]:.0f} at k=0, {by_offset[k0]:.2f} at k={k0}. PE(p+{k0}) is off from a fixed rotation of "
               f"PE(p) by at most {shift_err:.0e}. Without PE, the attention outputs of the shuffled tokens are off "
               f"from the shuffled outputs by {equiv_err:.0e}, and the pooled outputs differ by {pooled_err:.0e}. "
               f"With PE the difference is {pe_err:.2f}."),
    }
    claim = {
        "zh": ("PE(p)·PE(p+k) 只取决于偏移 k，PE(p+k) 是 PE(p) 的固定旋转，所以相对位置是线性可读的，"
               "RoPE 正是利用这一点。不加位置编码时，打乱词序只会让自注意力输出跟着打乱，池化后完全相同"
               "——模型分不清词序；加上 PE 才分得清。"),
        "en": ("PE(p)·PE(p+k) depends only on the offset k, and PE(p+k) is a fixed rotation of PE(p), so relative "
               "position is linearly readable — the idea behind RoPE. Without PE, shuffling the tokens just shuffles "
               "the attention outputs and pooled outputs are identical: word order is invisible until PE is added."),
    }
    series = {"PE(p)·PE(p+k) vs offset k": Series.of(offsets, by_offset)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
