"""Early stopping: an over-parameterized model trained by gradient descent fits the signal first and the
noise later, so validation loss bottoms out and rises while training loss keeps falling.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

N_FREQ = 30  # 1 + 2·30 = 61 Fourier features: far more parameters than training points


def target(x):
    return np.sin(np.pi * x) + 0.5 * np.cos(2 * np.pi * x)


def features(x):
    """Constant, cos(kπx)/k and sin(kπx)/k for k = 1..30 (the 1/k makes smooth fits come first)."""
    k = np.arange(1, N_FREQ + 1)
    arg = np.pi * np.outer(x, k)
    return np.c_[np.ones(len(x)), np.cos(arg) / k, np.sin(arg) / k]


def _step_size(gram):
    """0.3/L with L the largest eigenvalue of the Gram matrix: well below GD's stability limit 2/L."""
    return 0.3 / np.linalg.eigvalsh(gram).max()


@demo(
    id="early-stopping",
    title={"zh": "早停：验证损失的最低点", "en": "Early stopping: where validation loss bottoms out"},
    tags=["early-stopping", "overfitting", "regularization", "validation", "generalization", "learning-curve",
          "早停", "过拟合", "正则化", "验证集", "泛化", "学习曲线"],
    params=[
        Param("noise", float, 0.5, 0.0, 2.0, help={"zh": "训练标签噪声标准差", "en": "label noise std"}),
        Param("n_train", int, 20, 8, 60,
              help={"zh": "训练样本数（参数有 61 个）", "en": "training points (the model has 61 parameters)"}),
        Param("epochs", int, 1500, 200, 5000, help={"zh": "全批量梯度下降步数",
                                                    "en": "full-batch gradient-descent epochs"}),
        Param("patience", int, 100, 5, 1000,
              help={"zh": "早停耐心：验证损失多少轮不创新低就停",
                    "en": "stop after this many epochs without a new best"}),
    ],
)
def run(p, rng) -> Outcome:
    n, sigma, epochs = p["n_train"], p["noise"], p["epochs"]
    x = -1 + (np.arange(n) + rng.random(n)) * 2 / n          # jittered grid on [−1, 1]
    y = target(x) + sigma * rng.standard_normal(n)
    x_val = rng.uniform(-1, 1, 300)
    y_val = target(x_val) + sigma * rng.standard_normal(300)
    phi, phi_val = features(x), features(x_val)
    gram, xty = phi.T @ phi / n, phi.T @ y / n
    lr = _step_size(gram)
    w = np.zeros(phi.shape[1])
    history = np.empty((epochs, phi.shape[1]))  # weights after each epoch; losses computed in bulk below
    for e in range(epochs):
        w -= lr * (gram @ w - xty)               # full-batch gradient of the training MSE / 2
        history[e] = w

    def mse(h, a, b):  # mean((a·w − b)²) for every row w of h, as a quadratic form
        g, ab = a.T @ a / len(b), a.T @ b / len(b)
        return np.einsum("ij,jk,ik->i", h, g, h) - 2 * h @ ab + np.mean(b * b)

    train, val = mse(history, phi, y), mse(history, phi_val, y_val)
    best = int(np.argmin(val))
    # patience-based early stopping as a training loop would run it
    stop, best_seen, since = epochs - 1, np.inf, 0
    for e, v in enumerate(val):
        if v < best_seen:
            best_seen, since = v, 0
        else:
            since += 1
            if since >= p["patience"]:
                stop = e
                break
    restored = int(np.argmin(val[: stop + 1]))

    metrics = {"best_epoch": best + 1, "val_best": float(val[best]), "train_at_best": float(train[best]),
               "val_final": float(val[-1]), "train_final": float(train[-1]),
               "gap_at_best": float(val[best] - train[best]), "gap_final": float(val[-1] - train[-1]),
               "stopped_epoch": stop + 1, "restored_epoch": restored + 1, "restored_val": float(val[restored]),
               "parameters": phi.shape[1]}
    checks = [
        check("training loss never goes up (GD with lr < 2/L on a convex loss)", bool(np.all(np.diff(train) <= 1e-12)),
              f"train MSE {train[0]:.3f} → {train[-1]:.4f}"),
        check("validation loss bottoms out early, well before the end", best + 1 < epochs / 4,
              f"minimum at epoch {best + 1} of {epochs}: {val[best]:.3f}"),
        check("afterwards validation loss rises and the train/val gap widens",
              val[-1] > 1.1 * val[best] and val[-1] - train[-1] > val[best] - train[best],
              f"val {val[best]:.3f} → {val[-1]:.3f}; gap {val[best] - train[best]:.3f} → {val[-1] - train[-1]:.3f}"),
        check(f"patience-{p['patience']} early stopping halts long before the end and keeps a near-best model",
              stop + 1 < epochs and val[restored] <= val[best] * 1.02,
              f"stopped at epoch {stop + 1}, restored epoch {restored + 1} with val {val[restored]:.3f}"),
    ]
    halted = stop + 1 < epochs
    takeaway = {
        "zh": (f"{phi.shape[1]} 个参数拟合 {n} 个点（噪声 σ={sigma:g}）：训练损失从 {train[0]:.3f} 降到 "
               f"{train[-1]:.4f}，验证损失在第 {best + 1} 轮最低"
               f"（{val[best]:.3f}），最后为 {val[-1]:.3f}，差距从 {val[best] - train[best]:.3f} 变为 "
               f"{val[-1] - train[-1]:.3f}。耐心 {p['patience']} 的早停"
               f"{f'在第 {stop + 1} 轮停下' if halted else f'一直跑完 {epochs} 轮没有停'}，恢复第 {restored + 1} "
               "轮的权重。"),
        "en": (f"{phi.shape[1]} parameters fit {n} points (noise σ={sigma:g}): training loss goes from "
               f"{train[0]:.3f} to {train[-1]:.4f}, "
               f"validation loss is lowest at epoch {best + 1} ({val[best]:.3f}) and ends at {val[-1]:.3f}; the gap "
               f"goes from {val[best] - train[best]:.3f} to {val[-1] - train[-1]:.3f}. Early stopping with patience "
               f"{p['patience']} {f'halts at epoch {stop + 1}' if halted else f'never halts in {epochs} epochs'} "
               f"and restores epoch {restored + 1}."),
    }
    claim = {
        "zh": ("参数远多于数据时，梯度下降先拟合信号、后拟合噪声：训练损失一直下降，验证损失却先到最低再回升，"
               "所以早停能留下接近最好的模型。"),
        "en": ("With far more parameters than points, gradient descent fits the signal first and the noise later: "
               "training loss keeps falling while validation loss bottoms out and rises, so early stopping keeps a "
               "near-best model."),
    }
    ep = np.arange(1, epochs + 1)
    keep = np.unique(np.round(np.geomspace(1, epochs, 120)).astype(int)) - 1
    series = {"train MSE": Series.of(ep[keep], train[keep], log_y=True),
              "validation MSE": Series.of(ep[keep], val[keep], log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
