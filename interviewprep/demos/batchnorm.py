"""Batch normalization: a batch of one normalizes to x − μ = 0, training (batch statistics) and eval (running
statistics) give different outputs, the output does not care about the scale of the weights before it, and
γ, β can undo the normalization entirely.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def train_running_stats(rng, x_pool, batch: int, steps: int, momentum: float):
    """Run `steps` training-mode BN calls on random batches; return the running mean and variance."""
    c = x_pool.shape[1]
    rm, rv = np.zeros(c), np.ones(c)
    for _ in range(steps):
        F.batch_norm(x_pool[rng.integers(0, len(x_pool), batch)], rm, rv, training=True, momentum=momentum)
    return rm, rv


@demo(
    id="batchnorm",
    title={"zh": "BatchNorm：批大小为 1、训练与推理、尺度不变",
           "en": "BatchNorm: batch of one, train vs eval, scale invariance"},
    tags=["batchnorm", "batch-normalization", "normalization", "running-stats", "train-eval", "scale-invariance",
          "批归一化", "归一化", "训练与推理", "滑动平均"],
    params=[
        Param("batch_size", int, 8, 2, 256, help={"zh": "训练批大小", "en": "training batch size"}),
        Param("weight_scale", float, 10.0, 0.01, 1000.0,
              help={"zh": "把 BN 之前的权重乘上的倍数 a", "en": "factor a multiplying the weights before BN"}),
        Param("momentum", float, 0.1, 0.01, 1.0,
              help={"zh": "running 统计量的更新动量（PyTorch 语义）",
                    "en": "running-stats momentum (PyTorch semantics)"}),
    ],
)
def run(p, rng) -> Outcome:
    c, bsz, a = 4, p["batch_size"], p["weight_scale"]
    # pre-activations of a linear layer h = x·W + b with non-zero mean and scale per channel
    w = rng.standard_normal((6, c))
    x_pool = rng.standard_normal((5000, 6)) + 1.0
    h_pool = x_pool @ w + 3.0

    # 1) batch of one: x − μ_B is exactly 0, so the normalized output is 0 (then just β); F.batch_norm refuses.
    # What BN would make of it, measured on the same sample twice (the same batch statistics, and accepted):
    one = h_pool[:1]
    centred = F.batch_norm(np.repeat(one, 2, axis=0), None, None, training=True)[:1]
    raised = ""
    try:
        F.batch_norm(one, np.zeros(c), np.ones(c), training=True)
    except ValueError as exc:
        raised = str(exc)

    # 2) train vs eval: same batch, batch statistics vs running statistics
    rm, rv = train_running_stats(rng, h_pool, bsz, 200, p["momentum"])
    batch = h_pool[rng.integers(0, len(h_pool), bsz)]
    y_train = F.batch_norm(batch, rm.copy(), rv.copy(), training=True)
    y_eval = F.batch_norm(batch, rm, rv, training=False)
    train_eval_gap = float(np.mean(np.abs(y_train - y_eval)))
    true_mean, true_var = h_pool.mean(axis=0), h_pool.var(axis=0)
    running_err = float(np.max(np.abs(rm - true_mean) / np.sqrt(true_var)))
    sizes = np.array([2, 4, 8, 16, 32, 64, 128, 256])
    gaps = []
    for s in sizes:
        b_s = h_pool[rng.integers(0, len(h_pool), s)]
        gaps.append(float(np.mean(np.abs(F.batch_norm(b_s, None, None, training=True)
                                          - F.batch_norm(b_s, true_mean, true_var, training=False)))))

    # 3) scale invariance: BN(x·(aW)) = BN(x·W), and the gradient w.r.t. the weights shrinks by 1/a
    xb = x_pool[:32]                         # a fixed batch of 32, so the gradient is well measured
    r = rng.standard_normal((32, c))

    def loss(weights):
        return float(np.sum(F.batch_norm(xb @ weights, None, None, training=True) * r))

    out_w = F.batch_norm(xb @ w, None, None, training=True)
    out_aw = F.batch_norm(xb @ (a * w), None, None, training=True)
    scale_diff = float(np.max(np.abs(out_w - out_aw)))
    eps = 1e-6
    bump = np.zeros_like(w)
    bump[0, 0] = 1.0
    g_w = (loss(w + eps * bump) - loss(w - eps * bump)) / (2 * eps)
    g_aw = (loss(a * w + eps * a * bump) - loss(a * w - eps * a * bump)) / (2 * eps * a)
    grad_ratio = g_w / g_aw if g_aw != 0 else float("inf")

    # 4) γ and β can undo the normalization: γ = √(σ²_B + ε), β = μ_B gives back the input
    h_batch = xb @ w
    gamma, beta = np.sqrt(h_batch.var(axis=0) + 1e-5), h_batch.mean(axis=0)
    restored = F.batch_norm(h_batch, None, None, weight=gamma, bias=beta, training=True)
    identity_err = float(np.max(np.abs(restored - h_batch)))

    first_clause = raised.split(",")[0]
    metrics = {"batch_of_one_centred_max": float(np.max(np.abs(centred))), "batch_of_one_raises": int(bool(raised)),
               "train_eval_mean_abs_gap": train_eval_gap, "running_mean_error_in_std": running_err,
               "gap_batch_2": gaps[0], "gap_batch_256": gaps[-1], "scale_output_max_diff": scale_diff,
               "grad_w": g_w, "grad_aw": g_aw, "grad_ratio": grad_ratio,
               "gamma_beta_identity_max_err": identity_err}
    checks = [
        check("a batch of one: x − μ_B = 0 exactly, so there is nothing to normalize",
              np.all(centred == 0) and bool(raised),
              f"BN of the sample with its own statistics (fed as two copies): max |output| = "
              f"{np.max(np.abs(centred)):.1f}; F.batch_norm (like PyTorch) raises \"{first_clause}\""),
        check(f"train and eval mode disagree on the same batch of {bsz}, less so for bigger batches",
              train_eval_gap > 1e-3 and gaps[-1] < gaps[0] / 3,
              f"mean |y_train − y_eval| = {train_eval_gap:.3f} (running mean off by ≤ {running_err:.2f} std); "
              f"vs population stats: batch 2 {gaps[0]:.3f}, batch 256 {gaps[-1]:.3f}"),
        check(f"scaling the weights by a = {a:g} leaves BN's output unchanged and divides the gradient by a",
              scale_diff < 1e-3 and abs(grad_ratio / a - 1) < 1e-3,
              f"max output change {scale_diff:.1e}; ∂L/∂W / ∂L/∂(aW) = {grad_ratio:.4g} (a = {a:g})"),
        check("γ = √(σ²_B + ε), β = μ_B turns BN back into the identity (so γ, β keep expressiveness)",
              identity_err < 1e-9, f"max |BN_γ,β(h) − h| = {identity_err:.1e}"),
    ]
    one_max = float(np.max(np.abs(centred)))
    takeaway = {
        "zh": (f"批大小为 1 时归一化输出最大为 {one_max:.1f}，这里的 batch_norm"
               f"{'（和 PyTorch 一样）直接报错' if raised else ' 没有报错'}。同一批 {bsz} "
               "个样本，"
               f"训练模式（批统计量）与推理模式（running 统计量）输出平均相差 {train_eval_gap:.3f}；与总体统计量相比，"
               f"批 2 时相差 {gaps[0]:.3f}，批 256 时 {gaps[-1]:.3f}。权重放大 {a:g} 倍，输出变化 {scale_diff:.0e}，"
               f"梯度变为 1/{grad_ratio:.4g}。"
               f"取 γ=√(σ²+ε)、β=μ 时 BN 的输出与输入相差 {identity_err:.0e}。"),
        "en": (f"With a batch of one the normalized output is at most {one_max:.1f} and batch_norm here "
               f"{'raises, like PyTorch' if raised else 'does not raise'}. On "
               f"the same batch of {bsz}, training mode (batch stats) and eval mode (running stats) differ by "
               f"{train_eval_gap:.3f} on average; against population stats the gap is {gaps[0]:.3f} at batch 2 and "
               f"{gaps[-1]:.3f} at 256. Scaling the weights by {a:g} changes the output by {scale_diff:.0e} and "
               f"divides the gradient by {grad_ratio:.4g}. With γ=√(σ²+ε), β=μ, BN's output is within "
               f"{identity_err:.0e} of its input."),
    }
    claim = {
        "zh": ("批大小为 1 时 x−μ 恰为 0，归一化后只剩 β，没有什么可归一化的。训练与推理模式的输出不同，批越大越接近。"
               "BN 的输出与前面权重的尺度无关，梯度却按 1/a 缩小：BN 让大权重自动拿到小梯度。"
               "γ、β 能把 BN 还原成恒等映射，所以不损失表达能力。"),
        "en": ("With a batch of one, x−μ is exactly 0 and only β is left: there is nothing to normalize. Training "
               "and eval mode give different outputs, and bigger batches agree better. BN's output ignores the "
               "scale of the weights before it while the gradient shrinks by 1/a: BN gives large weights small "
               "gradients. γ and β can turn BN back into the identity, so they cost no expressiveness."),
    }
    series = {"mean |train − eval| vs batch size": Series.of(sizes, gaps, log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
