"""Averaging randomized models cuts variance: bagged 1-nearest-neighbour regressors follow the ensemble formula
ρσ² + (1 − ρ)σ²/B, and averaging dropout sub-networks shrinks their spread and approaches the one-pass eval output.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


def truth(x):
    return np.sin(2 * np.pi * x)


def bagged_1nn(rng, x, y, x_test, n_bags: int):
    """Predictions (n_bags, n_test) of 1-NN regressors, each fit on a bootstrap sample of (x, y)."""
    n = len(x)
    dist = np.abs(x_test[:, None] - x[None, :])                       # (n_test, n)
    picks = rng.integers(0, n, size=(n_bags, n))
    in_bag = np.zeros((n_bags, n), dtype=bool)
    np.put_along_axis(in_bag, picks, True, axis=1)
    masked = np.where(in_bag[:, None, :], dist[None, :, :], np.inf)  # (B, n_test, n)
    return y[np.argmin(masked, axis=2)]


@demo(
    id="dropout-vs-bagging",
    title={"zh": "dropout 与 bagging：平均降低方差", "en": "Dropout and bagging: averaging cuts variance"},
    tags=["dropout", "bagging", "ensemble", "variance", "random-forest", "bootstrap", "mc-dropout",
          "集成", "方差", "随机森林", "自助采样", "装袋"],
    params=[
        Param("n_bags", int, 25, 2, 200, help={"zh": "bagging 的模型个数 B", "en": "number of bagged models B"}),
        Param("n_masks", int, 25, 2, 100,
              help={"zh": "平均的 dropout 子网络个数 K", "en": "number of dropout sub-networks K averaged"}),
        Param("p", float, 0.5, 0.05, 0.9, help={"zh": "dropout 丢弃概率", "en": "dropout drop probability"}),
    ],
)
def run(p, rng) -> Outcome:
    # --- bagging: 1-NN regression, retrained on many independent training sets -------------------------------
    n, sigma, sets, b = 30, 0.5, 100, p["n_bags"]
    x_test = np.linspace(0.05, 0.95, 30)
    single, bagged, member_a, member_b = [], [], [], []
    for _ in range(sets):
        x = rng.random(n)
        y = truth(x) + sigma * rng.standard_normal(n)
        preds = bagged_1nn(rng, x, y, x_test, b)
        single.append(y[np.argmin(np.abs(x_test[:, None] - x[None, :]), axis=1)])  # 1-NN on all the data
        bagged.append(preds.mean(axis=0))
        member_a.append(preds[0])
        member_b.append(bagged_1nn(rng, x, y, x_test, 1)[0])  # an independent second member, for ρ
    single, bagged, member_a, member_b = map(np.array, (single, bagged, member_a, member_b))  # (sets, n_test)
    var_full = float(np.mean(single.var(axis=0)))
    var_member = float(np.mean(member_a.var(axis=0)))
    var_bagged = float(np.mean(bagged.var(axis=0)))
    cov = np.mean((member_a - member_a.mean(0)) * (member_b - member_b.mean(0)), axis=0)
    rho = float(np.mean(cov) / var_member)
    predicted = rho * var_member + (1 - rho) * var_member / b
    mse_full = float(np.mean((single - truth(x_test)) ** 2))
    mse_bagged = float(np.mean((bagged - truth(x_test)) ** 2))

    # --- dropout: sub-networks of one fixed 1-24-24-1 ReLU network (dropout on the first hidden layer) ------
    k, drop = p["n_masks"], p["p"]
    width = 24
    w1, b1 = 3 * rng.standard_normal((1, width)), rng.standard_normal(width)
    w2, w3 = rng.standard_normal((width, width)) / np.sqrt(width), rng.standard_normal((width, 1)) / np.sqrt(width)
    xs = np.linspace(-1, 1, 6)[:, None]
    h1 = F.relu(xs @ w1 + b1)

    def net(masked_h1):
        return (F.relu(masked_h1 @ w2) @ w3)[..., 0]

    reps = 300
    subnets = net(F.dropout(np.broadcast_to(h1, (reps * k, *h1.shape)), p=drop, training=True, rng=rng))
    subnets = subnets.reshape(reps, k, -1)                              # (reps, K, inputs)
    var_one = float(np.mean(subnets[:, 0, :].var(axis=0)))
    var_avg = float(np.mean(subnets.mean(axis=1).var(axis=0)))
    eval_out = net(F.dropout(h1, p=drop, training=False))
    mc_mean = subnets.reshape(-1, xs.shape[0]).mean(axis=0)
    gap = float(np.sqrt(np.mean((mc_mean - eval_out) ** 2)))
    worth = var_one / max(gap ** 2, 1e-300)  # the eval pass is as close to the average as ~this many sub-networks

    metrics = {"var_1nn_full_data": var_full, "var_bag_member": var_member, "var_bagged": var_bagged,
               "rho_members": rho, "var_bagged_predicted": predicted, "mse_1nn": mse_full, "mse_bagged": mse_bagged,
               "var_one_subnet": var_one, "var_avg_subnets": var_avg, "subnet_variance_ratio": var_one / var_avg,
               "rms_mc_average_minus_eval": gap, "std_one_subnet": float(np.sqrt(var_one)),
               "eval_pass_worth_subnets": worth}
    checks = [
        check("bagging cuts the variance of 1-NN predictions (and the test error)",
              var_bagged < 0.7 * var_full and mse_bagged < mse_full,
              f"variance {var_full:.3f} → {var_bagged:.3f}, MSE vs truth {mse_full:.3f} → {mse_bagged:.3f} with B = "
              f"{b}"),
        check("the bagged variance matches ρσ² + (1 − ρ)σ²/B (within 15%)",
              abs(var_bagged - predicted) < 0.15 * predicted,
              f"σ² = {var_member:.3f}, ρ = {rho:.2f}: formula {predicted:.3f}, measured {var_bagged:.3f}"),
        check("averaging K independent dropout sub-networks divides their variance by ≈ K (within 25%)",
              abs(var_one / var_avg / k - 1) < 0.25,
              f"one sub-network {var_one:.4f}, average of {k}: {var_avg:.5f}, ratio {var_one / var_avg:.1f}"),
        check("the one weight-scaled eval pass is nearer the sub-network average than a single sub-network",
              gap < np.sqrt(var_one),
              f"RMS(eval − MC average) = {gap:.4f} vs one sub-network's spread {np.sqrt(var_one):.4f}: "
              f"as good as averaging ≈ {worth:.0f} sub-networks, not exact (ReLU after the dropout)"),
    ]
    takeaway = {
        "zh": (f"bagging：1-NN 回归的预测方差 {var_full:.3f}，{b} 个自助采样模型平均后为 {var_bagged:.3f}（测试 MSE "
               f"{mse_full:.3f}→"
               f"{mse_bagged:.3f}）；成员相关系数 ρ={rho:.2f}，公式 ρσ²+(1−ρ)σ²/B 预测 "
               f"{predicted:.3f}。"
               f"dropout：单个子网络的方差 {var_one:.4f}，{k} 个平均后 {var_avg:.5f}；"
               f"推理时一次权重缩放的前向与子网络平均相差 {gap:.4f}，约相当于平均 {worth:.0f} "
               "个子网络。"),
        "en": (f"Bagging: 1-NN regression has prediction variance {var_full:.3f}; averaging {b} bootstrap models gives "
               f"{var_bagged:.3f} (test MSE {mse_full:.3f}→{mse_bagged:.3f}). Members correlate at ρ={rho:.2f} and "
               f"ρσ²+(1−ρ)σ²/B predicts {predicted:.3f}. Dropout: one sub-network's "
               f"variance is {var_one:.4f}, the average of {k} is {var_avg:.5f}; the single eval pass is {gap:.4f} "
               f"from the average, about as good as averaging {worth:.0f} sub-networks."),
    }
    claim = {
        "zh": ("平均多个随机化的模型能降低方差，而成员之间的相关性决定了下限；推理时一次权重缩放的前向接近 dropout "
               "子网络的平均，但那是近似而非精确。"),
        "en": ("Averaging randomized models cuts variance, and the correlation between members sets the floor; the "
               "single weight-scaled eval pass approaches the average of the dropout sub-networks, but as an "
               "approximation, not exactly."),
    }
    bs = np.array([1, 2, 5, 10, 25, 50, 100, 200])
    curve = rho * var_member + (1 - rho) * var_member / bs
    series = {"bagged variance predicted by ρσ²+(1−ρ)σ²/B": Series.of(bs, curve)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
