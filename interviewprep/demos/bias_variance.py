"""Bias-variance decomposition for polynomial regression: refit on many noisy training sets and measure,
per degree, bias² (average fit vs truth), variance (spread across refits) and the test error U-curve.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def truth(x):
    return np.sin(2 * np.pi * x)


def features(x, degree: int):
    """Legendre polynomials P_0..P_degree of 2x − 1 (well conditioned on [0, 1])."""
    return np.polynomial.legendre.legvander(2 * np.asarray(x) - 1, degree)


def _bias_variance(pred, f_test):
    """bias² of the mean prediction and the variance of the predictions across refits, averaged over test points.

    pred: (test points, refits). The variance is about the mean prediction, not the truth: measured about the
    truth it would count the bias twice.
    """
    mean_pred = pred.mean(axis=1)
    return float(np.mean((mean_pred - f_test) ** 2)), float(np.mean(pred.var(axis=1)))


@demo(
    id="bias-variance",
    title={"zh": "偏差-方差分解：多项式回归", "en": "Bias-variance decomposition with polynomial regression"},
    tags=["bias-variance", "bias", "variance", "overfitting", "underfitting", "model-complexity", "polynomial",
          "偏差", "方差", "过拟合", "欠拟合", "模型复杂度"],
    params=[
        Param("n_train", int, 20, 8, 200, help={"zh": "每个训练集的样本数", "en": "points per training set"}),
        Param("noise", float, 0.3, 0.0, 2.0, help={"zh": "标签噪声标准差 σ", "en": "label noise std σ"}),
        Param("max_degree", int, 12, 3, 15, help={"zh": "最高多项式次数", "en": "highest polynomial degree"}),
        Param("n_sets", int, 300, 20, 2000,
              help={"zh": "重采样的训练集个数", "en": "number of resampled training sets"}),
    ],
)
def run(p, rng) -> Outcome:
    n, sigma, max_deg, r = p["n_train"], p["noise"], min(p["max_degree"], p["n_train"] - 1), p["n_sets"]
    x_train = (np.arange(n) + 0.5) / n                      # fixed design; the noise is resampled
    x_test = np.linspace(0.0, 1.0, 101)
    f_train, f_test = truth(x_train), truth(x_test)
    y_sets = f_train[:, None] + sigma * rng.standard_normal((n, r))     # (n, r): r training sets at once
    y_new = f_test[:, None] + sigma * rng.standard_normal((len(x_test), r))  # fresh test labels per set

    degrees = np.arange(max_deg + 1)
    bias2, var, test_err, train_err = [], [], [], []
    for d in degrees:
        phi, phi_test = features(x_train, d), features(x_test, d)
        coef = np.linalg.lstsq(phi, y_sets, rcond=None)[0]        # all r fits in one solve
        pred = phi_test @ coef                                    # (101, r)
        b2, v = _bias_variance(pred, f_test)
        bias2.append(b2)
        var.append(v)
        test_err.append(float(np.mean((pred - y_new) ** 2)))
        train_err.append(float(np.mean((phi @ coef - y_sets) ** 2)))
    bias2, var, test_err, train_err = map(np.array, (bias2, var, test_err, train_err))
    best = int(np.argmin(test_err))
    decomposed = bias2 + var + sigma ** 2

    metrics = {"best_degree": best, "test_error_best": float(test_err[best]),
               "bias2_best": float(bias2[best]), "variance_best": float(var[best]),
               "test_error_degree_1": float(test_err[1]), "bias2_degree_1": float(bias2[1]),
               "variance_degree_1": float(var[1]), "test_error_max_degree": float(test_err[-1]),
               "bias2_max_degree": float(bias2[-1]), "variance_max_degree": float(var[-1]),
               "max_degree": int(max_deg),
               "max_decomposition_gap": float(np.max(np.abs(decomposed - test_err) / np.maximum(test_err, 1e-12)))}
    checks = [
        check("bias² falls from degree 1 to the best degree", bias2[best] < bias2[1],
              f"bias²: degree 1 {bias2[1]:.4f}, degree {best} {bias2[best]:.4f}"),
        check("variance grows from the best degree to the highest", var[-1] > var[best],
              f"variance: degree {best} {var[best]:.4f}, degree {max_deg} {var[-1]:.4f}"),
        check("test error is U-shaped: its minimum is at an interior degree", 0 < best < max_deg,
              f"test error: degree 0 {test_err[0]:.3f}, degree {best} {test_err[best]:.3f}, "
              f"degree {max_deg} {test_err[-1]:.3f}"),
        check("bias² + variance + σ² reproduces the measured test error (within 10%)",
              metrics["max_decomposition_gap"] < 0.1,
              f"largest relative gap over degrees {metrics['max_decomposition_gap']:.1%}"),
    ]
    table = {"columns": ["degree", "bias²", "variance", "bias²+var+σ²", "test MSE", "train MSE"],
             "rows": [[int(d), float(bias2[d]), float(var[d]), float(decomposed[d]), float(test_err[d]),
                       float(train_err[d])] for d in degrees]}
    takeaway = {
        "zh": (f"{r} 个训练集（每个 {n} 点，σ={sigma:g}）拟合 sin(2πx)：1 次多项式偏差² {bias2[1]:.3f}、方差 "
               f"{var[1]:.3f}；"
               f"{max_deg} 次偏差² {bias2[-1]:.4f}、方差 {var[-1]:.3f}。测试误差在 {best} "
               f"次最低（{test_err[best]:.3f}）；噪声 σ²={sigma ** 2:.3f}。"),
        "en": (f"Fitting sin(2πx) on {r} training sets ({n} points, σ={sigma:g}): degree 1 has bias² {bias2[1]:.3f} "
               "and "
               f"variance {var[1]:.3f}; degree {max_deg} has bias² {bias2[-1]:.4f} and variance {var[-1]:.3f}. Test "
               f"error bottoms out at degree {best} ({test_err[best]:.3f}); the noise σ² is {sigma ** 2:.3f}."),
    }
    claim = {
        "zh": "测试误差在最低点两侧都更高：先是偏差主导，后是方差主导；噪声 σ² 是谁都去不掉的底。",
        "en": "Test error rises on both sides of its minimum — bias dominates first, variance later — and the "
              "noise σ² is a floor no model removes.",
    }
    series = {"bias²": Series.of(degrees, bias2, log_y=True), "variance": Series.of(degrees, var, log_y=True),
              "test MSE": Series.of(degrees, test_err, log_y=True), "train MSE": Series.of(degrees, train_err,
                                                                                        log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
