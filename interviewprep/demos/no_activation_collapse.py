"""Without activations, depth buys nothing: stacked linear layers are one affine map, and XOR stays unsolved.

1. A stack of `depth` affine layers equals the single map (W_L⋯W_1, folded bias) to rounding error.
2. XOR on the 4 corners of the unit square: random search over `trials` linear classifiers finds only 14 of
   the 16 possible labelings (never XOR or XNOR) and at best 3/4 accuracy.
3. Two ReLU units with hand-set weights, h1 = relu(x1 + x2), h2 = relu(x1 + x2 − 1), y = h1 − 2·h2, compute
   XOR exactly; the same weights with the ReLUs removed are a linear map again.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def _fold(ws, bs, width):
    """The single affine map (W, b) = (W_L⋯W_1, folded bias) that a stack of affine layers claims to equal."""
    w, b = np.eye(width), np.zeros(width)
    for wl, bl in zip(ws, bs):
        w, b = wl @ w, wl @ b + bl
    return w, b


@demo(
    id="no-activation-collapse",
    title={"zh": "没有激活函数：多层线性网络塌缩成一层，解不了 XOR",
           "en": "No activation: stacked linear layers collapse to one and cannot solve XOR"},
    tags=["activation", "non-linearity", "linear", "xor", "perceptron", "mlp", "expressiveness",
          "激活函数", "非线性", "线性", "异或", "感知机", "多层感知机"],
    params=[
        Param("depth", int, 6, 2, 50, help={"zh": "线性层层数", "en": "number of stacked linear layers"}),
        Param("width", int, 8, 2, 64, help={"zh": "每层宽度", "en": "width of each layer"}),
        Param("trials", int, 20000, 100, 200000,
              help={"zh": "随机尝试的线性分类器个数", "en": "random linear classifiers tried on XOR"}),
    ],
)
def run(p, rng) -> Outcome:
    depth, width, trials = p["depth"], p["width"], p["trials"]
    # 1. collapse: y = W_L(...(W_1 x + b_1)...) + b_L equals W x + b with W = W_L⋯W_1
    Ws = [rng.normal(0.0, 1.0 / np.sqrt(width), size=(width, width)) for _ in range(depth)]
    bs = [rng.normal(0.0, 0.1, size=width) for _ in range(depth)]
    x = rng.normal(size=(32, width))
    h = x
    for Wl, bl in zip(Ws, bs):
        h = h @ Wl.T + bl
    W, b = _fold(Ws, bs, width)
    collapse_err = float(np.max(np.abs(h - (x @ W.T + b))))
    scale = float(np.max(np.abs(h)))

    # 2. the best linear classifier on XOR: random (w, c), predict 1 when w·x + c > 0
    w = rng.normal(size=(trials, 2))
    c = rng.uniform(-2.0, 2.0, size=trials)
    pred = (w @ XOR_X.T + c[:, None] > 0).astype(int)  # trials × 4
    acc = (pred == XOR_Y).mean(axis=1)
    best_linear = float(acc.max())
    labelings = int(np.unique(pred @ np.array([8, 4, 2, 1])).size)  # distinct labelings of the 4 points
    running = np.maximum.accumulate(acc)
    marks = np.unique(np.geomspace(1, trials, 40).astype(int)) - 1

    # 3. two ReLU units, hand-set weights
    W1, b1 = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0])
    v = np.array([1.0, -2.0])
    y_relu = F.relu(XOR_X @ W1.T + b1) @ v
    y_lin = (XOR_X @ W1.T + b1) @ v  # same weights, activation removed: −x1 − x2 + 2
    relu_acc = float(np.mean((y_relu > 0.5).astype(int) == XOR_Y))
    lin_acc = float(np.mean((y_lin > 0.5).astype(int) == XOR_Y))

    metrics = {
        "collapse_max_abs_diff": collapse_err,
        "output_scale": scale,
        "best_linear_accuracy": best_linear,
        "linear_labelings_found": labelings,
        "relu_net_accuracy": relu_acc,
        "same_weights_no_relu_accuracy": lin_acc,
    }
    checks = [
        check(f"{depth} linear layers = one matrix (max |diff| < 1e-9 × output scale)",
              collapse_err < 1e-9 * max(scale, 1.0),
              f"max |stack(x) − (Wx + b)| = {collapse_err:.1e} with outputs up to {scale:.2f}"),
        check("no linear classifier gets XOR: best accuracy ≤ 0.75",
              best_linear <= 0.75 and labelings <= 14,
              f"best of {trials} random linear classifiers: {best_linear:.2f}; labelings reached: {labelings}/16"),
        check("two ReLU units solve XOR; without the ReLU the same weights do not",
              relu_acc == 1.0 and lin_acc <= 0.75,
              f"ReLU net outputs {y_relu.tolist()} → accuracy {relu_acc:.2f}; linear version {lin_acc:.2f}"),
    ]
    takeaway = {
        "zh": (f"{depth} 个线性层和它们乘起来的一个矩阵输出相差 {collapse_err:.0e}。\n"
               f"{trials} 个随机线性分类器只实现了 16 种标注中的 {labelings} 种，在 XOR 上最好只有 {best_linear:.2f}；"
               f"加上 ReLU 的两单元网络准确率 {relu_acc:.2f}，去掉 ReLU 的同一组权重又只剩 {lin_acc:.2f}。"),
        "en": (f"{depth} linear layers and their product matrix differ by {collapse_err:.0e}.\n"
               f"{trials} random linear classifiers realise only {labelings} of the 16 labelings of the XOR points and "
               f"reach at best {best_linear:.2f}; two ReLU units get {relu_acc:.2f}, and the same weights without "
               f"the ReLU drop back to {lin_acc:.2f}."),
    }
    claim = {
        "zh": "没有激活函数，多深都等价于一层，而一层线性模型解不了 XOR；要靠 ReLU 这样的非线性才行。",
        "en": "Without activations any depth is one layer, and one linear layer cannot solve XOR: it takes a "
              "non-linearity such as the ReLU.",
    }
    series = {"best linear XOR accuracy so far": Series.of(marks + 1, running[marks])}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
