"""Data augmentation: training on randomly shifted/flipped copies makes a model robust to shifts.

Tiny 10×10 images of four shapes (horizontal bar, vertical bar, X, hollow square) plus noise. The
training set has every shape centred. A small MLP (no convolution, so no built-in equivariance) is
trained twice with Adam: on the images as they are, and on randomly shifted (±s px) and flipped
copies of the same images. Both are tested on centred and on shifted images.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import cross_entropy, relu, softmax
from interviewprep.numeric.optim import Adam

SIDE, CLASSES, HIDDEN, STEPS = 10, 4, 32, 150
NAMES = ["horizontal bar", "vertical bar", "X", "hollow square"]


def templates() -> np.ndarray:
    t = np.zeros((CLASSES, SIDE, SIDE))
    c = SIDE // 2
    t[0, c, c - 2:c + 3] = 1
    t[1, c - 2:c + 3, c] = 1
    for i in range(-2, 3):
        t[2, c + i, c + i] = t[2, c + i, c - i] = 1
    t[3, c - 2:c + 3, [c - 2, c + 2]] = 1
    t[3, [c - 2, c + 2], c - 2:c + 3] = 1
    return t


def shifted(x, dy, dx):
    """Shift images (N, H, W) by (dy, dx) pixels, filling with zeros."""
    out = np.zeros_like(x)
    h, w = x.shape[-2:]
    out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = x[:, max(-dy, 0):h + min(-dy, 0),
                                                                      max(-dx, 0):w + min(-dx, 0)]
    return out


def make_set(rng, n, offsets, noise):
    """n noisy images, each shape placed at an offset drawn from `offsets`."""
    t = templates()
    y = rng.integers(0, CLASSES, n)
    pick = rng.integers(0, len(offsets), n)
    x = np.empty((n, SIDE, SIDE))
    for j, (dy, dx) in enumerate(offsets):
        idx = np.nonzero(pick == j)[0]
        x[idx] = shifted(t[y[idx]], dy, dx)
    return x + noise * rng.standard_normal(x.shape), y


def train_mlp(rng, x, y, augment: bool, shift: int):
    n, d = len(y), SIDE * SIDE
    w1, b1 = rng.standard_normal((d, HIDDEN)) * np.sqrt(2 / d), np.zeros(HIDDEN)
    w2, b2 = rng.standard_normal((HIDDEN, CLASSES)) / np.sqrt(HIDDEN), np.zeros(CLASSES)
    opt = Adam([w1, b1, w2, b2], lr=0.02)
    offsets = [(a, b) for a in range(-shift, shift + 1) for b in range(-shift, shift + 1)]
    copies = np.stack([shifted(x, a, b) for a, b in offsets], axis=1) if augment else None
    losses = []
    for _ in range(STEPS):
        if augment:  # a fresh random shift and a coin-flip horizontal flip for every image, every step
            xb = copies[np.arange(n), rng.integers(0, len(offsets), n)]
            flip = rng.random(n) < 0.5
            xb[flip] = xb[flip, :, ::-1]
        else:
            xb = x
        xf = xb.reshape(n, d)
        z = xf @ w1 + b1
        h = relu(z)
        logits = h @ w2 + b2
        losses.append(float(cross_entropy(logits, y)))
        g = softmax(logits)
        g[np.arange(n), y] -= 1
        g /= n
        gh = (g @ w2.T) * (z > 0)
        opt.step([xf.T @ gh, gh.sum(0), h.T @ g, g.sum(0)])
    return (lambda xx: (relu(xx.reshape(len(xx), d) @ w1 + b1) @ w2 + b2).argmax(1)), losses


@demo(
    id="data-augmentation",
    title={"zh": "数据增强：平移与翻转", "en": "Data augmentation with shifts and flips"},
    tags=["data-augmentation", "augmentation", "regularization", "invariance", "translation", "generalization",
          "数据增强", "平移", "翻转", "正则化", "泛化"],
    params=[
        Param("shift", int, 2, 1, 3,
            help={"zh": "最大平移像素 s（增强与测试）", "en": "max shift s in pixels (augmentation and test)"}),
        Param("train_size", int, 120, 40, 400, help={"zh": "训练图像数量", "en": "number of training images"}),
        Param("noise", float, 0.3, 0.0, 0.8, help={"zh": "像素噪声标准差", "en": "pixel noise standard deviation"}),
    ],
)
def run(p, rng) -> Outcome:
    s, noise = p["shift"], p["noise"]
    x_tr, y_tr = make_set(rng, p["train_size"], [(0, 0)], noise)
    all_offsets = [(a, b) for a in range(-s, s + 1) for b in range(-s, s + 1)]
    x_c, y_c = make_set(rng, 400, [(0, 0)], noise)
    x_s, y_s = make_set(rng, 400, [o for o in all_offsets if o != (0, 0)], noise)
    plain, loss_plain = train_mlp(rng, x_tr, y_tr, False, s)
    aug, loss_aug = train_mlp(rng, x_tr, y_tr, True, s)
    acc = {
        ("plain", "centred"): float(np.mean(plain(x_c) == y_c)),
        ("plain", "shifted"): float(np.mean(plain(x_s) == y_s)),
        ("aug", "centred"): float(np.mean(aug(x_c) == y_c)),
        ("aug", "shifted"): float(np.mean(aug(x_s) == y_s)),
    }
    by_r = []  # accuracy against the exact shift size r = max(|dy|, |dx|)
    for r in range(0, s + 1):
        ring = [o for o in all_offsets if max(abs(o[0]), abs(o[1])) == r]
        xr, yr = make_set(rng, 200, ring, noise)
        by_r.append((float(np.mean(plain(xr) == yr)), float(np.mean(aug(xr) == yr))))
    drop = acc[("plain", "centred")] - acc[("plain", "shifted")]
    gain = acc[("aug", "shifted")] - acc[("plain", "shifted")]
    gap_aug = acc[("aug", "centred")] - acc[("aug", "shifted")]
    metrics = {
        "plain_centred_accuracy": acc[("plain", "centred")],
        "plain_shifted_accuracy": acc[("plain", "shifted")],
        "augmented_centred_accuracy": acc[("aug", "centred")],
        "augmented_shifted_accuracy": acc[("aug", "shifted")],
        "augmentation_gain": gain,
        "chance": 1 / CLASSES,
        "plain_final_train_loss": loss_plain[-1],
        "augmented_final_train_loss": loss_aug[-1],
    }
    checks = [
        check("without augmentation, shifted test images are much harder", drop > 0.3,
              f"accuracy centred {acc[('plain', 'centred')]:.1%} → shifted {acc[('plain', 'shifted')]:.1%} "
              f"(chance {1 / CLASSES:.0%})"),
        check("augmentation lifts shifted-test accuracy", gain > 0.3,
              f"shifted: {acc[('plain', 'shifted')]:.1%} → {acc[('aug', 'shifted')]:.1%} (+{gain:.1%})"),
        check("the augmented model is nearly shift-robust", gap_aug < 0.1,
              f"centred {acc[('aug', 'centred')]:.1%} vs shifted {acc[('aug', 'shifted')]:.1%}"),
    ]
    higher = loss_aug[-1] > loss_plain[-1]
    takeaway = {
        "zh": (f"{p['train_size']} 张居中的训练图、同一个 MLP：不增强时居中测试准确率 {acc[('plain', 'centred')]:.0%}，"
               f"平移 ≤{s} 像素后为 {acc[('plain', 'shifted')]:.0%}（随机猜 "
               f"{1 / CLASSES:.0%}）；训练时对同一批图随机平移和翻转，"
               f"平移测试准确率为 {acc[('aug', 'shifted')]:.0%}。增强后的训练损失"
               f"{'更高' if higher else '并不更高'}（增强 {loss_aug[-1]:.2g}，不增强 {loss_plain[-1]:.2g}）。"),
        "en": (f"{p['train_size']} centred training images, the same MLP: without augmentation it scores "
               f"{acc[('plain', 'centred')]:.0%} on centred test images and {acc[('plain', 'shifted')]:.0%} on images "
               f"shifted by ≤{s} px (chance {1 / CLASSES:.0%}); trained "
               "on randomly shifted and flipped copies of the same "
               f"images it scores {acc[('aug', 'shifted')]:.0%} on "
               f"shifted ones, with a {'higher' if higher else 'no higher'} training loss ({loss_aug[-1]:.2g} vs "
               f"{loss_plain[-1]:.2g})."),
    }
    claim = {
        "zh": "增强把“平移不改变类别”这一先验写进了数据，本身不具备平移等变性的 MLP 也因此不怕平移——它是一种正则化。",
        "en": ("Augmentation writes 'shifts do not change the class' into the data, so even an MLP with no built-in "
               "equivariance becomes robust to shifts: it is a regularizer."),
    }
    rs = list(range(0, s + 1))
    series = {
        "accuracy vs test shift, no augmentation": Series.of(rs, [a for a, _ in by_r]),
        "accuracy vs test shift, augmented": Series.of(rs, [b for _, b in by_r]),
    }
    table = {"columns": ["model", "centred test", "shifted test"],
             "rows": [["no augmentation", round(acc[("plain", "centred")], 3), round(acc[("plain", "shifted")], 3)],
                      ["shift + flip augmentation", round(acc[("aug", "centred")], 3),
                       round(acc[("aug", "shifted")], 3)]]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
