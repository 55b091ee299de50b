"""LayerNorm vs BatchNorm: change the OTHER samples in a batch and see whose output for sample 0 moves.
LayerNorm normalizes each sample over its own features; BatchNorm (training mode) over the batch.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def bn_train(x):
    return F.batch_norm(x, None, None, training=True)


@demo(
    id="layernorm-vs-batchnorm",
    title={"zh": "LayerNorm 与 BatchNorm：统计量沿哪个轴",
           "en": "LayerNorm vs BatchNorm: which axis the statistics use"},
    tags=["layernorm", "batchnorm", "layer-normalization", "batch-normalization", "normalization", "transformer",
          "层归一化", "批归一化", "归一化"],
    params=[
        Param("batch_size", int, 16, 2, 512, help={"zh": "批大小", "en": "batch size"}),
        Param("features", int, 8, 2, 512, help={"zh": "每个样本的特征数 d", "en": "features per sample d"}),
        Param("shift", float, 5.0, 0.0, 100.0,
              help={"zh": "给其他样本加的偏移（并放大 3 倍）",
                    "en": "offset added to the other samples (also scaled ×3)"}),
    ],
)
def run(p, rng) -> Outcome:
    n, d, shift = p["batch_size"], p["features"], p["shift"]
    x = rng.standard_normal((n, d)) * 2.0 + 1.0
    other = x.copy()
    other[1:] = 3.0 * other[1:] + shift          # sample 0 untouched, its batch-mates changed
    ln_a, ln_b = F.layer_norm(x, d), F.layer_norm(other, d)
    bn_a, bn_b = bn_train(x), bn_train(other)
    ln_change = float(np.max(np.abs(ln_a[0] - ln_b[0])))
    bn_change = float(np.max(np.abs(bn_a[0] - bn_b[0])))
    ln_row_mean = float(np.max(np.abs(ln_a.mean(axis=1))))
    ln_row_std = float(np.max(np.abs(ln_a.std(axis=1) - 1)))
    bn_col_mean = float(np.max(np.abs(bn_a.mean(axis=0))))
    ln_single = F.layer_norm(x[:1], d)
    ln_single_same = float(np.max(np.abs(ln_single[0] - ln_a[0])))

    # how much ONE changed batch-mate moves sample 0's BN output, by batch size
    sizes = np.array([2, 4, 8, 16, 32, 64, 128, 256])
    base = rng.standard_normal((256, d)) * 2.0 + 1.0
    influence = []
    for s in sizes:
        b = base[:s].copy()
        moved = b.copy()
        moved[1] = 3.0 * moved[1] + shift
        influence.append(float(np.max(np.abs(bn_train(b)[0] - bn_train(moved)[0]))))

    metrics = {"ln_change_sample0": ln_change, "bn_change_sample0": bn_change, "ln_row_mean_max": ln_row_mean,
               "ln_row_std_error_max": ln_row_std, "bn_column_mean_max": bn_col_mean,
               "ln_batch_of_one_vs_full_batch": ln_single_same, "bn_influence_batch_2": influence[0],
               "bn_influence_batch_256": influence[-1]}
    checks = [
        check("LayerNorm's output for sample 0 ignores the rest of the batch",
              ln_change < 1e-12 and ln_single_same < 1e-12,
              f"max change {ln_change:.1e} when batch-mates change; alone vs in the batch: {ln_single_same:.1e}"),
        check("BatchNorm's output for sample 0 depends on the other samples", bn_change > 0.1,
              f"max change {bn_change:.3f} when batch-mates are scaled ×3 and shifted by {shift:g}"),
        check("LN standardizes each row (sample), BN each column (feature)",
              ln_row_mean < 1e-9 and ln_row_std < 1e-3 and bn_col_mean < 1e-9,
              f"LN max |row mean| {ln_row_mean:.1e}, max |row std − 1| {ln_row_std:.1e}; "
              f"BN max |column mean| {bn_col_mean:.1e}"),
        check("one changed batch-mate matters less in bigger batches (BN)", influence[-1] < influence[1] / 4,
              f"change of sample 0 at batch 4: {influence[1]:.3f}, at 256: {influence[-1]:.4f}"),
    ]
    takeaway = {
        "zh": (f"把其余 {n - 1} 个样本放大 3 倍并平移 {shift:g}：样本 0 的 LayerNorm 输出变化 "
               f"{ln_change:.0e}（单独一个样本算出的结果与放在批里相差 {ln_single_same:.0e}），"
               f"BatchNorm 输出最多变化 {bn_change:.3f}。"
               f"只改一个同伴时，样本 0 的 BN 输出在批 4 时变化 {influence[1]:.3f}，批 256 时 {influence[-1]:.4f}。"),
        "en": (f"Scaling the other {n - 1} samples ×3 and shifting them by {shift:g} moves sample 0's LayerNorm "
               "output by "
               f"{ln_change:.0e} (alone vs in the batch: {ln_single_same:.0e}) and its BatchNorm output by up to "
               f"{bn_change:.3f}. Changing one batch-mate moves sample 0's BN output by {influence[1]:.3f} in a "
               f"batch of 4 and {influence[-1]:.4f} in a batch of 256."),
    }
    claim = {
        "zh": ("LayerNorm 的输出与批里其他样本无关，单独一个样本也能算；BatchNorm 的输出取决于同批的其他样本。"
               "LN 沿特征轴对每个样本归一化，BN 沿批轴对每个特征归一化；批越大单个同伴影响越小。"),
        "en": ("LayerNorm's output ignores the rest of the batch and works for a single sample too; BatchNorm's "
               "depends on the other samples. LN normalizes each sample across features, BN each feature across "
               "the batch; one batch-mate matters less in bigger batches."),
    }
    series = {"BN change of sample 0 from one batch-mate": Series.of(sizes, influence, log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
