"""Epoch, batch, iteration: count them by actually shuffling and batching a dataset.

Each epoch shuffles N example indices and cuts them into batches of B. The number of iterations
(parameter updates) per epoch is ⌈N/B⌉ with a partial last batch of N − (⌈N/B⌉ − 1)·B examples,
or ⌊N/B⌋ with drop_last (the partial batch is discarded). Total iterations = epochs × per epoch.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def _epoch_batches(n: int, b: int, drop_last: bool, rng) -> tuple[np.ndarray, np.ndarray]:
    """One epoch: shuffled indices and the sizes of the consecutive batches cut from them."""
    order = rng.permutation(n)
    starts = np.arange(0, n, b)
    sizes = np.minimum(b, n - starts)
    if drop_last and sizes.size and sizes[-1] < b:
        sizes = sizes[:-1]
    return order, sizes


@demo(
    id="epoch-batch-iteration",
    title={"zh": "epoch、batch、iteration 的换算", "en": "Epochs, batches and iterations, counted"},
    tags=["epoch", "batch", "batch-size", "iteration", "step", "training-loop", "drop_last",
          "批大小", "迭代", "训练循环", "轮次"],
    params=[
        Param("n_samples", int, 10050, 1, 1_000_000, help={"zh": "训练集样本数 N", "en": "training examples N"}),
        Param("batch_size", int, 200, 1, 100_000, help={"zh": "批大小 B", "en": "batch size B"}),
        Param("epochs", int, 30, 1, 1000, help={"zh": "训练轮数", "en": "number of epochs"}),
        Param("drop_last", bool, False, help={"zh": "是否丢弃最后不满的批", "en": "drop the last partial batch"}),
    ],
)
def run(p, rng) -> Outcome:
    n, b, epochs, drop = p["n_samples"], p["batch_size"], p["epochs"], p["drop_last"]
    order, sizes = _epoch_batches(n, b, drop, rng)  # one epoch, really shuffled and cut
    per_epoch = len(sizes)
    seen = np.bincount(order[: int(sizes.sum())], minlength=n)
    formula = n // b if drop else math.ceil(n / b)
    last_formula = b if (drop or n % b == 0) else n - (math.ceil(n / b) - 1) * b
    total = per_epoch * epochs
    metrics = {
        "iterations_per_epoch": per_epoch,
        "ceil_N_over_B": math.ceil(n / b),
        "floor_N_over_B": n // b,
        "last_batch_size": int(sizes[-1]) if sizes.size else 0,
        "total_iterations": total,
        "examples_used_per_epoch": int(sizes.sum()),
        "examples_dropped_per_epoch": n - int(sizes.sum()),
    }
    rule = "⌊N/B⌋ (drop_last)" if drop else "⌈N/B⌉"
    checks = [
        check(f"iterations per epoch = {rule}", per_epoch == formula,
              f"counted {per_epoch} batches; N/B = {n}/{b} = {n / b:.3f}"),
        check("the last batch has the predicted size",
              sizes[-1] == last_formula if sizes.size else formula == 0,
              f"last batch {int(sizes[-1]) if sizes.size else 'none'}, "
              f"predicted {last_formula if formula else 'none'}"),
        check("every used example appears exactly once per epoch",
              int(seen.max(initial=0)) <= 1 and int(seen.sum()) == int(sizes.sum()),
              f"{int(seen.sum())} of {n} examples used, max count {int(seen.max(initial=0))}"),
    ]
    partial = bool(sizes.size) and sizes[-1] < b  # as counted, not as the flag says it should be
    dropped = n - int(sizes.sum())
    last_txt_en = (f"the last batch holds only {sizes[-1]} examples" if partial else
                   f"{dropped} examples are dropped each epoch" if dropped else "every batch is full")
    last_txt_zh = (f"最后一批只有 {sizes[-1]} 个样本" if partial else
                   f"每个 epoch 丢弃 {dropped} 个样本" if dropped else "每批都是满的")
    takeaway = {
        "zh": (f"N={n}、B={b}：打乱后切批，每个 epoch 有 {per_epoch} 个 iteration（{rule} = {formula}），"
               f"{last_txt_zh}；{epochs} 个 epoch 共 {total} 次参数更新。"),
        "en": (f"N={n}, B={b}: shuffling and batching gives {per_epoch} iterations per epoch ({rule} = {formula}) "
               f"and {last_txt_en}; {epochs} epochs make {total} parameter updates."),
    }
    claim = {
        "zh": (f"每个 epoch 的 iteration 数就是 {rule}，"
               + ("没被丢弃的样本各用一次；" if drop else "每个样本恰好用一次；")
               + "一个 iteration 是一次参数更新，不是「一个 epoch 的批数」。"),
        "en": (f"An epoch takes {rule} iterations and uses each "
               + ("example it keeps" if drop else "example")
               + " once; an iteration is one update, not \"the number of batches in an epoch\"."),
    }
    bs = np.unique(np.clip(np.geomspace(1, max(n, 1), 40).astype(int), 1, None))
    curve = n // bs if drop else -(-n // bs)
    series = {"iterations per epoch vs log10 B": Series.of(np.log10(bs), curve, log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
