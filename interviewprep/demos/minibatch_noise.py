"""Mini-batch gradient noise: its standard deviation falls as 1/√B.

Per-example gradients gᵢ of a least-squares loss at a fixed w have mean ∇J and covariance Σ. A
mini-batch of B examples drawn independently (with replacement) averages B of them, so
E‖g_B − ∇J‖² = tr(Σ)/B exactly: the noise std is √(tr Σ / B), a slope of −1/2 on log-log axes.
(Drawing without replacement multiplies the variance by (N − B)/(N − 1), a small correction here.)
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

DIM = 5


def _batch_indices(rng, n, reps, b):
    """`reps` mini-batches of `b` row indices, each drawn independently and with replacement from n rows."""
    return rng.integers(n, size=(reps, b))


@demo(
    id="minibatch-noise",
    title={"zh": "小批量梯度噪声随批大小按 1/√B 减小", "en": "Mini-batch gradient noise shrinks as 1/√B"},
    tags=["batch-size", "mini-batch", "gradient-noise", "sgd", "variance",
          "批大小", "小批量", "梯度噪声", "方差", "随机梯度下降"],
    params=[
        Param("max_batch", int, 512, 16, 1024, help={"zh": "最大批大小（从 1 开始按 2 的幂增加）",
                                                     "en": "largest batch size (powers of 2 from 1)"}),
        Param("repeats", int, 500, 50, 2000,
              help={"zh": "每个批大小抽取的批次数", "en": "mini-batches drawn per batch size"}),
        Param("n_samples", int, 2000, 200, 20000, help={"zh": "训练集大小 N", "en": "training-set size N"}),
    ],
)
def run(p, rng) -> Outcome:
    n, reps = p["n_samples"], p["repeats"]
    X = rng.standard_normal((n, DIM))
    y = X @ rng.standard_normal(DIM) + 0.5 * rng.standard_normal(n)
    w = np.zeros(DIM)  # a point away from the optimum, as early in training
    per_example = (X @ w - y)[:, None] * X  # gradient of ½(xᵀw − y)² for each example
    full = per_example.mean(axis=0)
    trace_sigma = float(np.sum(per_example.var(axis=0)))  # population covariance trace

    sizes = 2 ** np.arange(int(np.log2(p["max_batch"])) + 1)
    measured, predicted = [], []
    for b in sizes:
        idx = _batch_indices(rng, n, reps, int(b))
        batch_grads = per_example[idx].mean(axis=1)
        measured.append(float(np.sqrt(np.mean(np.sum((batch_grads - full) ** 2, axis=1)))))
        predicted.append(float(np.sqrt(trace_sigma / b)))
    measured, predicted = np.array(measured), np.array(predicted)
    slope, _ = np.polyfit(np.log(sizes), np.log(measured), 1)
    rel_err = np.abs(measured / predicted - 1)
    halving = measured[:-2] / measured[2:]  # std(B) / std(4B), ideally 2
    metrics = {
        "loglog_slope": float(slope),
        "full_gradient_norm": float(np.linalg.norm(full)),
        "trace_sigma": trace_sigma,
        "std_B1": float(measured[0]),
        f"std_B{int(sizes[-1])}": float(measured[-1]),
        "max_rel_error_vs_sqrt_trace_over_B": float(rel_err.max()),
        "mean_std_ratio_B_over_4B": float(halving.mean()),
    }
    table = {"columns": ["batch B", "measured std", "√(tr Σ / B)", "ratio"],
             "rows": [[int(b), float(m), float(q), float(m / q)] for b, m, q in zip(sizes, measured, predicted)]}
    checks = [
        check("log-log slope of noise std vs B is −1/2", abs(slope + 0.5) < 0.05,
              f"fitted slope {slope:.3f} over B = 1…{int(sizes[-1])}"),
        check("every measured std is within 20% of √(tr Σ / B)", rel_err.max() < 0.2,
              f"largest relative deviation {rel_err.max():.1%} ({reps} batches per size)"),
        check("4× the batch halves the noise", abs(halving.mean() - 2) < 0.2,
              f"mean std(B)/std(4B) = {halving.mean():.3f}"),
    ]
    takeaway = {
        "zh": (f"每个批大小抽 {reps} 个批次测量梯度误差：B=1 时标准差 {measured[0]:.3f}，B={int(sizes[-1])} 时 "
               f"{measured[-1]:.4f}；对数坐标下斜率 {slope:.3f}。\n"
               f"批大小乘 4，噪声实测缩小到 1/{halving.mean():.2f}。"),
        "en": (f"Drawing {reps} batches per size: the gradient error has std {measured[0]:.3f} at B=1 and "
               f"{measured[-1]:.4f} at B={int(sizes[-1])}; the log-log slope is {slope:.3f}.\n"
               f"Four times the batch divides the noise by {halving.mean():.2f} (measured)."),
    }
    claim = {
        "zh": "斜率 −1/2 就是 1/√B：批大小乘 4，噪声只减半，而计算量乘 4，大批次的收益递减。",
        "en": ("A slope of −1/2 is 1/√B: four times the batch only halves the noise for four times the compute, the "
               "diminishing returns of large batches."),
    }
    series = {
        "measured std vs log2 B": Series.of(np.log2(sizes), measured, log_y=True),
        "√(tr Σ / B) vs log2 B": Series.of(np.log2(sizes), predicted, log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
