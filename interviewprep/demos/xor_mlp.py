"""A tiny MLP learns XOR with hand-written backprop: 2 → hidden → 1, BCE loss on a sigmoid output.

Forward: Z1 = X W1ᵀ + b1, H = act(Z1), logit = H w2 + b2. Backward (mean BCE-with-logits):
dlogit = (σ(logit) − y)/N, dw2 = Hᵀ dlogit, dH = dlogit w2ᵀ, dZ1 = dH ⊙ act'(Z1), dW1 = dZ1ᵀ X.
Parameters are updated with SGD + momentum from interviewprep.numeric.optim.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F
from interviewprep.numeric.optim import SGD

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0.0, 1.0, 1.0, 0.0])
ACTS = {"tanh": (F.tanh, F.tanh_grad), "relu": (F.relu, F.relu_grad)}


@demo(
    id="xor-mlp",
    title={"zh": "用手写反向传播训练一个小 MLP 解 XOR", "en": "A tiny MLP learns XOR with hand-written backprop"},
    tags=["xor", "mlp", "backpropagation", "training", "hidden-layer", "perceptron",
          "异或", "多层感知机", "反向传播", "训练", "隐藏层"],
    params=[
        Param("hidden", int, 4, 2, 32, help={"zh": "隐藏单元个数", "en": "hidden units"}),
        Param("lr", float, 0.5, 0.01, 5.0, help={"zh": "学习率（SGD，动量 0.9）",
                                                 "en": "learning rate (SGD, momentum 0.9)"}),
        Param("epochs", int, 500, 10, 5000, help={"zh": "训练轮数（全批量）", "en": "training epochs (full batch)"}),
        Param("activation", str, "tanh", choices=("tanh", "relu"),
              help={"zh": "隐藏层激活函数", "en": "hidden-layer activation"}),
    ],
)
def run(p, rng) -> Outcome:
    hidden, epochs = p["hidden"], p["epochs"]
    act, dact = ACTS[p["activation"]]
    W1 = rng.normal(0.0, 1.0, size=(hidden, 2))
    b1 = np.zeros(hidden)
    w2 = rng.normal(0.0, 1.0 / math.sqrt(hidden), size=hidden)
    b2 = np.zeros(1)
    opt = SGD([W1, b1, w2, b2], lr=p["lr"], momentum=0.9)
    losses = []
    for _ in range(epochs):
        Z1 = X @ W1.T + b1
        H = act(Z1)
        logit = H @ w2 + b2
        losses.append(float(F.binary_cross_entropy_with_logits(logit, Y)))
        dlogit = (F.sigmoid(logit) - Y) / len(X)
        dw2, db2 = H.T @ dlogit, dlogit.sum(keepdims=True)
        dZ1 = np.outer(dlogit, w2) * dact(Z1)
        opt.step([dZ1.T @ X, dZ1.sum(axis=0), dw2, db2])
    prob = F.sigmoid(act(X @ W1.T + b1) @ w2 + b2)
    final = float(F.binary_cross_entropy_with_logits(act(X @ W1.T + b1) @ w2 + b2, Y))
    acc = float(np.mean((prob > 0.5) == (Y == 1)))
    worst = float(np.max(np.abs(prob - Y)))
    first_solved = next((i for i in range(epochs) if losses[i] < 0.1), -1)
    metrics = {
        "initial_loss": losses[0],
        "final_loss": final,
        "accuracy": acc,
        "worst_prob_error": worst,
        "epoch_loss_below_0.1": first_solved,
        "chance_loss_ln2": math.log(2),
    }
    checks = [
        check("the MLP classifies all four XOR points", acc == 1.0,
              f"probabilities {np.round(prob, 3).tolist()} for targets {Y.astype(int).tolist()}"),
        check("loss drops below 5% of its initial value", final < 0.05 * losses[0],
              f"BCE {losses[0]:.3f} → {final:.4f} (chance level ln 2 = {math.log(2):.3f})"),
        check("every prediction is confident: |p − y| < 0.1", worst < 0.1, f"max |p − y| = {worst:.3f}"),
    ]
    when = f"{first_solved}" if first_solved >= 0 else "—"
    fell = final < losses[0]
    moved_zh, moved_en = ("降到", "fell") if fell else ("反而升到", "rose")
    takeaway = {
        "zh": (f"{hidden} 个 {p['activation']} 隐藏单元、手写反向传播、{epochs} 轮 SGD：BCE 从 {losses[0]:.3f} "
               f"{moved_zh} {final:.4f}，"
               f"准确率 {acc:.2f}（第 {when} 轮损失低于 0.1）。"),
        "en": (f"{hidden} {p['activation']} hidden units, hand-written backprop, {epochs} SGD epochs: BCE {moved_en} "
               f"from {losses[0]:.3f} to {final:.4f}, accuracy {acc:.2f} (loss below 0.1 at epoch {when})."),
    }
    claim = {
        "zh": "隐藏层把四个点映射到一个线性可分的新空间，输出层只需在那里画一条直线——这是线性模型做不到的。",
        "en": ("The hidden layer maps the four points into a space where they are linearly separable, and the output "
               "layer draws a line there: something no linear model can do on the raw inputs."),
    }
    series = {"BCE loss": Series.of(np.arange(epochs), losses, log_y=True)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
