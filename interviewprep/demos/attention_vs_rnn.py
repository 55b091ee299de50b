"""Self-attention vs an RNN: path length, sequential steps, FLOPs, and gradient across distance.

Both are implemented in NumPy on the same sequence, with every matmul counted. Self-attention lets
every position interact with every other in one step (all n² attention weights are non-zero, path
length 1), needs a constant number of dependent operations whatever n is, and spends 2n²d FLOPs on
mixing. An RNN passes information through n−1 recurrent steps that must run in order, spends nd²
per layer on its recurrence, and its gradient from the last output to the first input decays.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import softmax, tanh


class Counter:
    """Multiply-adds of every matmul, split into projections and the part that mixes positions, and the
    dependent-op depth of every value: 1 + the deepest of its inputs (inputs and weights have depth 0).

    The sequential depth reported for a layer is the depth of its output, measured along the real data flow,
    not a number written next to the code.
    """

    def __init__(self):
        self.flops = {"projection": 0, "mixing": 0}
        self._depth: dict[int, tuple[np.ndarray, int]] = {}  # id -> (the array, kept alive; its depth)

    def depth(self, a) -> int:
        entry = self._depth.get(id(a))
        return entry[1] if entry is not None and entry[0] is a else 0

    def _mark(self, out, depth: int):
        self._depth[id(out)] = (out, depth)
        return out

    def mm(self, a, b, kind: str, transpose_b: bool = False):
        a, b = np.asarray(a), np.asarray(b)
        depth = 1 + max(self.depth(a), self.depth(b))
        b = b.T if transpose_b else b
        self.flops[kind] += a.size * (b.shape[-1] if b.ndim > 1 else 1)
        return self._mark(a @ b, depth)

    def op(self, fn, *arrays):
        """An element-wise or row-wise step (softmax, tanh): one more dependent op."""
        return self._mark(fn(*arrays), 1 + max(self.depth(a) for a in arrays))

    def row(self, a, t):
        """Row t of a computed array: indexing is no op, the row keeps the array's depth."""
        return self._mark(a[t], self.depth(a))

    @property
    def total(self) -> int:
        return sum(self.flops.values())


def attention(x, wq, wk, wv, counter):
    """Single-head scaled dot-product self-attention; returns (Y, A, depth of the dependent-op chain)."""
    d = x.shape[1]
    q, k, v = (counter.mm(x, m, "projection") for m in (wq, wk, wv))  # independent of each other
    scores = counter.mm(q, k, "mixing", transpose_b=True)
    a = counter.op(lambda s: softmax(s / np.sqrt(d), axis=-1), scores)
    y = counter.mm(a, v, "mixing")
    return y, a, counter.depth(y)


def rnn(x, w, u, counter):
    """h_t = tanh(W h_{t−1} + U x_t); returns (H, depth of the dependent-op chain)."""
    n, d = x.shape
    inp = counter.mm(x, u.T, "projection")  # all U x_t at once
    h, hs = np.zeros(d), []
    for t in range(n):  # each step needs the previous one: matmul, then tanh of the sum
        h = counter.op(lambda z, i: tanh(z + i), counter.mm(w, h, "mixing"), counter.row(inp, t))
        hs.append(h)
    return np.array(hs), counter.depth(h)


def _mixing_flops(n, d, rng):
    """Measured mixing FLOPs of both layers on a random length-n sequence."""
    ca, cr = Counter(), Counter()
    x = rng.standard_normal((n, d))
    m = np.eye(d)
    attention(x, m, m, m, ca)
    rnn(x, m, m, cr)
    return ca.flops["mixing"], cr.flops["mixing"]


def path_length(adj, source: int, target: int) -> int:
    """Fewest edges from `source` to `target` (BFS) on a directed 0/1 adjacency matrix; −1 if unreachable."""
    seen = np.zeros(adj.shape[0], bool)
    frontier = seen.copy()
    seen[source] = frontier[source] = True
    steps = 0
    while not seen[target] and frontier.any():
        frontier = adj[frontier].any(axis=0) & ~seen
        seen |= frontier
        steps += 1
    return steps if seen[target] else -1


@demo(
    id="attention-vs-rnn",
    title={"zh": "自注意力 vs RNN：路径长度、并行与计算量",
           "en": "Self-attention vs RNN: path length, parallelism, FLOPs"},
    tags=["attention", "self-attention", "transformer", "rnn", "complexity", "path-length", "parallelism",
          "long-range", "注意力", "自注意力", "循环神经网络", "复杂度", "并行", "长程依赖"],
    params=[
        Param("length", int, 32, 16, 128, help={"zh": "序列长度 n", "en": "sequence length n"}),
        Param("dim", int, 16, 4, 64, help={"zh": "模型维度 d", "en": "model dimension d"}),
    ],
)
def run(p, rng) -> Outcome:
    n, d = p["length"], p["dim"]
    x = rng.standard_normal((n, d))
    wq, wk, wv = (rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(3))
    w, u = rng.standard_normal((d, d)) / np.sqrt(d), rng.standard_normal((d, d)) / np.sqrt(d)

    ca, cr = Counter(), Counter()
    _, a, depth_att = attention(x, wq, wk, wv, ca)
    hs, depth_rnn = rnn(x, w, u, cr)
    # the same layers on a sequence twice as long: how do depth and mixing FLOPs scale?
    x2 = rng.standard_normal((2 * n, d))
    ca2, cr2 = Counter(), Counter()
    depth_att2 = attention(x2, wq, wk, wv, ca2)[2]
    depth_rnn2 = rnn(x2, w, u, cr2)[1]
    mix_att, mix_rnn = ca.flops["mixing"], cr.flops["mixing"]
    mix_att2, mix_rnn2 = ca2.flops["mixing"], cr2.flops["mixing"]

    # direct interactions: attention output j reads input i iff A[j, i] ≠ 0; RNN: h_t reads h_{t−1} and x_t
    att_pairs = int(np.count_nonzero(a))
    adj_att = a.T != 0  # edge i → j
    adj_rnn = np.eye(n, k=1, dtype=bool)
    path_att, path_rnn = path_length(adj_att, 0, n - 1), path_length(adj_rnn, 0, n - 1)

    # gradient of a loss on the LAST output with respect to every input x_i
    g_out = rng.standard_normal(d)

    def last_loss(xx):
        q = xx[-1] @ wq
        return softmax((xx @ wk) @ q / np.sqrt(d)) @ (xx @ wv) @ g_out

    # attention: backprop by hand through y_{n−1} = softmax(q Kᵀ/√d) V, q = x_{n−1}Wq, K = XWk, V = XWv
    q, k, v = x[-1] @ wq, x @ wk, x @ wv
    att = softmax(k @ q / np.sqrt(d))
    d_att = v @ g_out
    d_s = att * (d_att - att @ d_att)
    grad_att = np.outer(att, g_out) @ wv.T + np.outer(d_s, q) @ wk.T / np.sqrt(d)
    grad_att[-1] += (d_s @ k) @ wq.T / np.sqrt(d)
    eps, fd_err = 1e-6, 0.0  # spot-check a few entries against central differences
    for i, j in zip(rng.integers(0, n, 4), rng.integers(0, d, 4)):
        e = np.zeros_like(x)
        e[i, j] = eps
        fd = (last_loss(x + e) - last_loss(x - e)) / (2 * eps)
        fd_err = max(fd_err, abs(fd - grad_att[i, j]))
    g, grad_rnn = g_out.copy(), np.zeros((n, d))  # RNN: backprop through time
    for t in reversed(range(n)):
        gz = g * (1 - hs[t] ** 2)
        grad_rnn[t] = u.T @ gz
        g = w.T @ gz
    att_norms = np.linalg.norm(grad_att, axis=1)
    rnn_norms = np.linalg.norm(grad_rnn, axis=1)
    first_ratio = float(att_norms[0] / max(rnn_norms[0], 1e-300))

    metrics = {
        "attention_path_length": path_att,
        "rnn_path_length": path_rnn,
        "attention_direct_pairs": att_pairs,
        "rnn_direct_pairs": int(adj_rnn.sum()),
        "attention_sequential_depth": depth_att,
        "rnn_sequential_depth": depth_rnn,
        "attention_flops": ca.total,
        "rnn_flops": cr.total,
        "attention_mixing_flops": mix_att,
        "rnn_mixing_flops": mix_rnn,
        "grad_first_input_attention": float(att_norms[0]),
        "grad_first_input_rnn": float(rnn_norms[0]),
        "attention_grad_fd_error": float(fd_err),
    }
    checks = [
        check("path length from the first to the last "
              "position: 1 for self-attention, n−1 for the RNN", path_att == 1 and path_rnn == n - 1,
              f"attention {path_att} (all {att_pairs} = n² weights non-zero), RNN {path_rnn}"),
        check("dependent steps: constant for attention, grow with n for the RNN",
              depth_att2 == depth_att and depth_rnn2 - depth_rnn == 2 * n,
              f"attention {depth_att} → {depth_att2}, RNN {depth_rnn} → {depth_rnn2} when n doubles"),
        check("doubling n: attention mixing FLOPs ×4 (2n²d), RNN ×2 (nd²)",
              mix_att2 == 4 * mix_att and mix_rnn2 == 2 * mix_rnn,
              f"attention {mix_att:,} → {mix_att2:,}, RNN {mix_rnn:,} → {mix_rnn2:,}"),
        check("gradient from the last output to the first input: attention ≫ RNN", first_ratio > 100 and fd_err < 1e-6,
              f"‖∂L/∂x_0‖: attention {att_norms[0]:.2e}, RNN {rnn_norms[0]:.2e} ({first_ratio:.1e}×); "
              f"attention backprop vs finite differences {fd_err:.0e}"),
    ]
    cheaper = {"zh": "注意力更省" if mix_att < mix_rnn else "RNN 更省",
               "en": "attention is cheaper" if mix_att < mix_rnn else "the RNN is cheaper"}
    takeaway = {
        "zh": (f"n={n}, d={d}：自注意力的 {n * n} 个权重中有 {att_pairs} 个非零，第一个位置到最后一个位置的路径长 "
               f"{path_att}，RNN 为 {path_rnn}；依赖链长度注意力为 {depth_att}（n 翻倍时 {depth_att2}），"
               f"RNN 为 {depth_rnn}（n 翻倍时 {depth_rnn2}）。"
               f"混合位置的计算量：注意力 {mix_att:,}（2n²d = {2 * n * n * d:,}），RNN {mix_rnn:,}"
               f"（nd² = {n * d * d:,}），此时{cheaper['zh']}；n 翻倍时分别为 {mix_att2:,} 和 {mix_rnn2:,}。"
               f"从最后输出到第一个输入的梯度：注意力 {att_norms[0]:.1e}，RNN {rnn_norms[0]:.1e}。"),
        "en": (f"n={n}, d={d}: {att_pairs} of the {n * n} attention weights are non-zero and the first position "
               f"reaches the last in {path_att} step(s); the RNN needs {path_rnn}. The dependent-op chain is "
               f"{depth_att} for attention ({depth_att2} at 2n), {depth_rnn} for the RNN ({depth_rnn2} at 2n). Mixing "
               f"cost: attention {mix_att:,} (2n²d = {2 * n * n * d:,}), RNN {mix_rnn:,} (nd² = {n * d * d:,}), so "
               f"here {cheaper['en']}; at 2n they are {mix_att2:,} and {mix_rnn2:,}. Gradient from the last "
               f"output to the first input: attention {att_norms[0]:.1e}, RNN {rnn_norms[0]:.1e}."),
    }
    claim = {
        "zh": ("自注意力让任意两个位置一步可达，依赖链长度与 n 无关，可以并行；RNN 要按顺序走 n−1 步，无法并行，"
               "从最后输出传回第一个输入的梯度也弱得多。代价是注意力混合位置的计算量按 n² 增长（n 翻倍时 ×4），"
               "RNN 只按 n 增长。"),
        "en": ("Self-attention connects any two positions in one step with a dependent-op chain that does not grow "
               "with n, so it parallelizes; the RNN needs n−1 steps in order, cannot be parallelized, and its "
               "gradient from the last output back to the first input is far weaker. The price: attention's mixing "
               "cost grows like n² (doubling n quadruples it), the RNN's only like n."),
    }
    dist = np.arange(n)  # distance from the last position: input n−1−dist
    lengths = [8, 16, 32, 64, 128, 256]
    curve = [_mixing_flops(m, d, rng) for m in lengths]
    series = {
        "‖∂L/∂x_i‖ attention vs distance": Series.of(dist, att_norms[::-1], log_y=True),
        "‖∂L/∂x_i‖ RNN vs distance": Series.of(dist, np.maximum(rnn_norms[::-1], 1e-300), log_y=True),
    }
    table = {"columns": ["n", f"attention mixing FLOPs (d={d})", "RNN mixing FLOPs", "attention / RNN"],
             "rows": [[m, a, r, round(a / r, 2)] for m, (a, r) in zip(lengths, curve)]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
