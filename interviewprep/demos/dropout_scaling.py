"""Inverted dropout: with drop probability p, kept units are scaled by 1/(1 − p) so the training-time
expectation equals the input and eval mode is the identity; the variance, however, still differs.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


@demo(
    id="dropout-scaling",
    title={"zh": "Inverted dropout 的缩放：训练与推理", "en": "Inverted dropout scaling: training vs inference"},
    tags=["dropout", "inverted-dropout", "regularization", "train-eval", "scaling", "keep-probability",
          "正则化", "训练与推理", "缩放", "丢弃"],
    params=[
        Param("p", float, 0.5, 0.0, 0.95, help={"zh": "丢弃概率 p（PyTorch 语义）",
                                                "en": "DROP probability p (PyTorch semantics)"}),
        Param("units", int, 200, 10, 1000, help={"zh": "每层单元数", "en": "units in the layer"}),
        Param("masks", int, 2000, 100, 5000,
              help={"zh": "抽取的随机掩码次数", "en": "number of random dropout masks sampled"}),
    ],
)
def run(p, rng) -> Outcome:
    drop, units, t = p["p"], p["units"], p["masks"]
    keep = 1.0 - drop
    h = np.abs(rng.standard_normal(units)) + 0.5             # positive activations (e.g. after a ReLU)
    out = F.dropout(np.broadcast_to(h, (t, units)), p=drop, training=True, rng=rng)
    kept = out != 0
    kept_fraction = float(kept.mean())
    ratios = out[kept] / np.broadcast_to(h, out.shape)[kept]          # what each surviving unit was multiplied by
    scale_seen = float(np.max(np.abs(ratios - 1 / keep))) if kept.any() else 0.0
    mean_out = out.mean(axis=0)
    mean_rel_err = float(np.mean(np.abs(mean_out - h) / h))
    expected_rel_err = float(np.sqrt(drop / keep / t) * np.sqrt(2 / np.pi))  # E|mean − h|/h for t masks
    without_scaling = float(np.mean(kept * h) / np.mean(h))                 # original dropout, no 1/(1−p)
    eval_out = F.dropout(h, p=drop, training=False)
    eval_identical = bool(np.array_equal(eval_out, h))
    var_measured = float(np.mean(out.var(axis=0) / h ** 2))
    var_theory = drop / keep
    # a linear read-out after dropout: same mean, larger spread in training than at eval
    w = rng.standard_normal(units) / np.sqrt(units)
    z_train, z_eval = out @ w, float(h @ w)

    metrics = {"keep_probability": keep, "kept_fraction": kept_fraction, "scale_factor": 1 / keep,
               "max_scale_error": scale_seen, "mean_relative_error": mean_rel_err,
               "expected_mean_relative_error": expected_rel_err, "mean_ratio_without_scaling": without_scaling,
               "eval_is_identity": int(eval_identical), "relative_variance_train": var_measured,
               "relative_variance_theory": var_theory, "readout_train_mean": float(z_train.mean()),
               "readout_eval": z_eval, "readout_train_std": float(z_train.std())}
    tol = 4 * np.sqrt(drop * keep / (t * units)) + 1e-12
    checks = [
        check("a fraction ≈ 1 − p of units survives, each scaled by exactly 1/(1 − p)",
              abs(kept_fraction - keep) < tol and scale_seen < 1e-12,
              f"kept {kept_fraction:.4f} (1 − p = {keep:.4f}), scale 1/(1 − p) = {1 / keep:.4f}, "
              f"max deviation {scale_seen:.1e}"),
        check("averaged over masks, the training output equals the input (E[output] = x)",
              mean_rel_err < 3 * expected_rel_err + 1e-12,
              f"mean |avg − x|/x over {t} masks = {mean_rel_err:.4f}, sampling noise predicts {expected_rel_err:.4f}; "
              f"without the 1/(1 − p) the mean would be {without_scaling:.3f}× x"),
        check("eval mode returns the input unchanged", eval_identical, f"training=False → identical: {eval_identical}"),
        check("the variance is NOT matched: per-unit Var/x² = p/(1 − p) in training, 0 at eval",
              var_theory > 0 and abs(var_measured - var_theory) <= 0.1 * var_theory + 1e-12,  # p = 0: no mismatch
              f"{var_measured:.4f}, p/(1 − p) = {var_theory:.4f}; read-out mean {z_train.mean():.3f} "
              f"vs eval {z_eval:.3f}, train std {z_train.std():.3f}"),
    ]
    takeaway = {
        "zh": (f"p={drop:g} 是丢弃概率：约 {kept_fraction:.1%} 的单元保留，并乘以 1/(1−p) = {1 / keep:.3g}"
               f"（实际倍数最多偏离 {scale_seen:.0e}），{t} 个掩码的平均"
               f"与输入的相对误差为 {mean_rel_err:.3f}（不缩放则均值只剩 {without_scaling:.2f} 倍）。推理时 dropout "
               f"的输出{'与输入完全相同' if eval_identical else '与输入不同'}。"
               f"训练时每个单元 Var/x² = {var_measured:.3f}，p/(1−p) = {var_theory:.3f}。"),
        "en": (f"p={drop:g} is the DROP probability: about {kept_fraction:.1%} of units survive, scaled by 1/(1−p) = "
               f"{1 / keep:.3g} (largest deviation of the actual factor {scale_seen:.0e}); the average over {t} masks "
               f"is within {mean_rel_err:.3f} (relative) of the input; "
               f"without the scaling it would be {without_scaling:.2f}× the input. At eval the output "
               f"{'is the input, unchanged' if eval_identical else 'differs from the input'}. "
               f"In training Var/x² = {var_measured:.3f}, against p/(1−p) = {var_theory:.3f}."),
    }
    claim = {
        "zh": ("乘以 1/(1−p) 让训练时的期望等于输入，所以推理时 dropout 是恒等映射、不需要再缩放。"
               "但方差对不上：训练时每个单元带着 p/(1−p) 的相对方差，推理时没有。"),
        "en": ("Scaling by 1/(1−p) makes the training-time expectation equal the input, so at eval dropout is the "
               "identity and needs no rescaling. The variance is not matched: training adds a relative variance "
               "p/(1−p) per unit that eval does not have."),
    }
    counts = np.arange(1, t + 1)
    running = np.cumsum(out[:, 0]) / counts
    pick = np.unique(np.round(np.geomspace(1, t, 80)).astype(int)) - 1
    series = {"running mean of unit 0 / x₀": Series.of(counts[pick], running[pick] / h[0])}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
