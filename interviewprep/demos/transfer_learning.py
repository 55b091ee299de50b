"""Transfer learning: features pretrained on a related task + a new linear head beat training from scratch.

A synthetic world: inputs x = A z + noise (40-d) come from a 4-d latent z, and every label in it is
a threshold on a combination of the same hidden "part detectors" |w_j·z|. Source task: 12 such
labels with plenty of data. Target task: a NEW combination, with only a handful of labels. We
compare (1) the source network's hidden layer, frozen, + a new logistic head; (2) the same network
fine-tuned end to end; (3) an MLP trained from scratch on the target data; (4) frozen RANDOM features
+ head. Accuracy is averaged over several draws of the small target set.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import binary_cross_entropy_with_logits, relu, sigmoid
from interviewprep.numeric.optim import Adam

D, K, PARTS, HIDDEN, SOURCE_LABELS = 40, 4, 6, 32, 12


class World:
    """The shared generative structure: x = A z + noise, labels threshold (|z W|) C at the median."""

    def __init__(self, rng):
        self.a = rng.standard_normal((D, K))
        self.w = rng.standard_normal((K, PARTS))
        self.rng = rng

    def sample(self, n, c, thr):
        z = self.rng.standard_normal((n, K))
        x = z @ self.a.T + 0.3 * self.rng.standard_normal((n, D))
        return x, (np.abs(z @ self.w) @ c > thr).astype(float)

    def thresholds(self, c):
        z = self.rng.standard_normal((4000, K))
        return np.median(np.abs(z @ self.w) @ c, axis=0)


def train(rng, x, y, steps, w1=None, b1=None, train_body=True, weight_decay=0.0, lr=0.01):
    """One-hidden-layer ReLU net with sigmoid outputs, trained with Adam on BCE; returns its parameters."""
    n = x.shape[0]
    if w1 is None:
        w1, b1 = rng.standard_normal((D, HIDDEN)) * np.sqrt(2 / D), np.zeros(HIDDEN)
    w1, b1 = w1.copy(), b1.copy()
    w2, b2 = rng.standard_normal((HIDDEN, y.shape[1])) * 0.01, np.zeros(y.shape[1])
    opt = Adam([w1, b1, w2, b2] if train_body else [w2, b2], lr=lr, weight_decay=weight_decay)
    for _ in range(steps):
        z = x @ w1 + b1
        h = relu(z)
        g = (sigmoid(h @ w2 + b2) - y) / n  # d BCE / d logits (mean over samples)
        grads = [h.T @ g, g.sum(0)]
        if train_body:
            gh = (g @ w2.T) * (z > 0)
            grads = [x.T @ gh, gh.sum(0), *grads]
        opt.step(grads)
    return w1, b1, w2, b2


def logits(params, x):
    w1, b1, w2, b2 = params
    return relu(x @ w1 + b1) @ w2 + b2


@demo(
    id="transfer-learning",
    title={"zh": "迁移学习：预训练特征 + 新分类头", "en": "Transfer learning: pretrained features + a new head"},
    tags=["transfer-learning", "fine-tuning", "pretrained", "pretraining", "feature-extraction", "few-shot",
          "迁移学习", "微调", "预训练", "特征提取", "小样本"],
    params=[
        Param("target_size", int, 20, 8, 100,
            help={"zh": "目标任务的标注样本数", "en": "labelled examples for the target task"}),
        Param("source_size", int, 600, 100, 1000,
            help={"zh": "源任务（预训练）的样本数", "en": "examples for the source (pretraining) task"}),
        Param("repeats", int, 4, 1, 6,
            help={"zh": "抽取目标训练集的次数（取平均）", "en": "draws of the target training set to average over"}),
    ],
)
def run(p, rng) -> Outcome:
    world = World(rng)
    c_src, c_tgt = rng.standard_normal((PARTS, SOURCE_LABELS)), rng.standard_normal((PARTS, 1))
    thr_src, thr_tgt = world.thresholds(c_src), world.thresholds(c_tgt)
    x_src, y_src = world.sample(p["source_size"], c_src, thr_src)
    pre = train(rng, x_src, y_src, 150)
    src_loss = float(binary_cross_entropy_with_logits(logits(pre, x_src), y_src))
    x_test, y_test = world.sample(1000, c_tgt, thr_tgt)

    names = ["frozen pretrained + new head", "fine-tune all layers", "from scratch", "frozen random + new head"]
    scores = {name: [] for name in names}
    for _ in range(p["repeats"]):
        x_t, y_t = world.sample(p["target_size"], c_tgt, thr_tgt)
        rand_w1 = rng.standard_normal((D, HIDDEN)) * np.sqrt(2 / D)
        models = {
            names[0]: train(rng, x_t, y_t, 120, pre[0], pre[1], train_body=False, weight_decay=1e-3),
            names[1]: train(rng, x_t, y_t, 120, pre[0], pre[1], train_body=True, weight_decay=1e-3, lr=0.003),
            names[2]: train(rng, x_t, y_t, 120),
            names[3]: train(rng, x_t, y_t, 120, rand_w1, np.zeros(HIDDEN), train_body=False, weight_decay=1e-3),
        }
        for name, params in models.items():
            scores[name].append(float(np.mean((logits(params, x_test) > 0) == y_test)))
    acc = {name: float(np.mean(v)) for name, v in scores.items()}
    frozen, tuned, scratch, rand = (acc[n] for n in names)
    n_trainable = {names[0]: HIDDEN + 1, names[1]: D * HIDDEN + 2 * HIDDEN + 1,
                   names[2]: D * HIDDEN + 2 * HIDDEN + 1, names[3]: HIDDEN + 1}
    metrics = {
        "frozen_pretrained_accuracy": frozen,
        "finetune_all_accuracy": tuned,
        "scratch_accuracy": scratch,
        "random_features_accuracy": rand,
        "transfer_gain": frozen - scratch,
        "source_train_loss": src_loss,
        "head_parameters": HIDDEN + 1,
    }
    checks = [
        check("pretrained features + new head beat training from scratch", frozen > scratch + 0.03,
              f"{frozen:.1%} vs {scratch:.1%} with {p['target_size']} target labels"),
        check("the gain comes from what pretraining learned, not from freezing", frozen > rand + 0.03,
              f"frozen pretrained {frozen:.1%} vs frozen random {rand:.1%}"),
        check("the target task is far from solved by chance", frozen > 0.65,
              f"test accuracy {frozen:.1%} (chance 50%)"),
    ]
    takeaway = {
        "zh": (f"目标任务只有 {p['target_size']} "
        f"个标注：冻结在相关源任务上预训练的隐藏层、只训练 {HIDDEN + 1} 个参数的新分类头，"
               f"准确率 {frozen:.0%}；从头训练整个网络 {scratch:.0%}；冻结随机特征 {rand:.0%}；整体微调 {tuned:.0%}。"),
        "en": (f"With {p['target_size']} target labels: freezing "
        "the hidden layer pretrained on a related source task and "
               f"training only a new {HIDDEN + 1}-parameter head gives "
               f"{frozen:.0%}; training the whole net from scratch "
               f"{scratch:.0%}; frozen random features {rand:.0%}; fine-tuning everything {tuned:.0%}."),
    }
    claim = {
        "zh": "预训练学到的“部件检测器”可以直接复用，目标任务的标注很少时也能用上。",
        "en": "The pretrained 'part detectors' carry over, so a target task with few labels can still use them.",
    }
    series = {f"accuracy per draw: {n}": Series.of(range(1, p["repeats"] + 1), scores[n]) for n in names[:3]}
    table = {"columns": ["method", "test accuracy", "trainable parameters"],
             "rows": [[n, round(acc[n], 3), n_trainable[n]] for n in names]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
