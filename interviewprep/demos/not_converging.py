"""Debugging a model that does not converge: the same small MLP fails for five different reasons.

One tanh MLP (2 → hidden → 1) fits y = sin(2·x₁) + 0.5·x₂ by full-batch SGD with momentum. Each
scenario breaks ONE thing, in the order of the usual debugging checklist (data/labels, input
normalization, learning rate, initialization, loss/output pairing); the baseline has all of them
right. The architecture is identical in every row: non-convergence says little about the model.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import mse_loss, relu, relu_grad, tanh, tanh_grad
from interviewprep.numeric.optim import SGD

SCENARIOS = [
    # (key, en, zh, checklist step)
    ("baseline", "everything right", "全部正确", "—"),
    ("labels", "labels shuffled against inputs", "标签与输入错位", "1-2 data & labels"),
    ("scale", "raw inputs (x₂ in units of 1000, offset 3000)", "输入未归一化（x₂ 量级 1000，偏移 3000）",
     "3 normalize"),
    ("lr", "learning rate 30× too large", "学习率大 30 倍", "4 learning rate"),
    ("init", "all-zero initialization", "全零初始化", "5 initialization"),
    ("output", "ReLU on the regression output", "回归输出接了 ReLU", "6 loss/output pairing"),
]


def train(x, y, hidden, lr, steps, rng, init="xavier", relu_out=False):
    """Full-batch SGD (momentum 0.9) on MSE; returns the loss history (stops early on overflow) and W1."""
    fan_in = x.shape[1]
    if init == "zeros":
        w1, w2 = np.zeros((fan_in, hidden)), np.zeros((hidden, 1))
    else:
        w1 = rng.normal(scale=np.sqrt(1.0 / fan_in), size=(fan_in, hidden))
        w2 = rng.normal(scale=np.sqrt(1.0 / hidden), size=(hidden, 1))
    b1, b2 = np.zeros(hidden), np.zeros(1)
    opt = SGD([w1, b1, w2, b2], lr=lr, momentum=0.9)
    history = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            pre1 = x @ w1 + b1
            h = tanh(pre1)
            pre2 = h @ w2 + b2
            out = relu(pre2) if relu_out else pre2
            loss = float(mse_loss(out, y))
            history.append(loss)
            if not np.isfinite(loss):
                break
            d_out = 2.0 * (out - y) / len(y)
            if relu_out:
                d_out = d_out * relu_grad(pre2)
            d_h = (d_out @ w2.T) * tanh_grad(pre1)
            opt.step([x.T @ d_h, d_h.sum(axis=0), h.T @ d_out, d_out.sum(axis=0)])
    return history, w1


@demo(
    id="not-converging",
    title={"zh": "模型不收敛的排查清单", "en": "Debugging a model that does not converge"},
    tags=["debugging", "not-converging", "convergence", "learning-rate", "normalization", "initialization",
          "checklist", "training", "不收敛", "调试", "排查", "学习率", "归一化", "初始化"],
    params=[
        Param("lr", float, 0.05, 0.001, 0.5, help={"zh": "基线学习率（“过大”场景用其 30 倍）",
                                                   "en": "baseline learning rate (the 'too large' row uses 30×)"}),
        Param("steps", int, 400, 50, 600, help={"zh": "训练步数", "en": "training steps"}),
        Param("hidden", int, 16, 2, 24, help={"zh": "隐藏单元数", "en": "hidden units"}),
    ],
)
def run(p, rng) -> Outcome:
    n, lr, steps, hidden = 200, p["lr"], p["steps"], p["hidden"]
    x = rng.standard_normal((n, 2))
    y = (np.sin(2 * x[:, 0]) + 0.5 * x[:, 1] + 0.05 * rng.standard_normal(n))[:, None]
    var_y = float(y.var())
    x_raw = np.column_stack([x[:, 0], 1000.0 * x[:, 1] + 3000.0])
    init_seed = int(rng.integers(2**31))

    def go(**kw):
        # every scenario starts from the same initial weights
        args = {"x": x, "y": y, "lr": lr, "init": "xavier", "relu_out": False} | kw
        return train(args["x"], args["y"], hidden, args["lr"], steps, np.random.default_rng(init_seed),
                     init=args["init"], relu_out=args["relu_out"])

    runs = {
        "baseline": go(),
        "labels": go(y=y[rng.permutation(n)]),
        "scale": go(x=x_raw),
        "lr": go(lr=30 * lr),
        "init": go(init="zeros"),
        "output": go(relu_out=True),
    }
    final = {k: h[-1] for k, (h, _) in runs.items()}
    base = final["baseline"]
    diverged = not np.isfinite(final["lr"]) or final["lr"] > runs["lr"][0][0]
    w1_zero = float(np.max(np.abs(runs["init"][1])))
    broken = {k: v for k, v in final.items() if k != "baseline"}
    worst_ratio = min((v / base if np.isfinite(v) else np.inf) for v in broken.values())

    def shown(v, fmt=".3f"):
        return format(v, fmt) if np.isfinite(v) else "overflow"  # inf: the run blew up

    lr_text = shown(final["lr"], ".3g")
    metrics = {"var_y": var_y,  # a loss that overflowed is null (None), not inf
               **{f"final_loss_{k}": (v if np.isfinite(v) else None) for k, v in final.items()},
               "lr_run_steps_before_overflow": len(runs["lr"][0]), "zero_init_max_abs_W1": w1_zero,
               "smallest_broken_over_baseline": worst_ratio}
    checks = [
        check("with everything right the same MLP converges (loss < 10% of Var(y))", base < 0.1 * var_y,
              f"final loss {shown(base, '.4f')} vs Var(y) = {var_y:.3f}"),
        check("each single bug leaves the loss ≥ 5× the baseline", worst_ratio >= 5,
              "; ".join(f"{k} {shown(v, '.3g')}" for k, v in broken.items())),
        check("learning rate 30× too large diverges", diverged,
              f"loss {runs['lr'][0][0]:.3g} → {lr_text} after {len(runs['lr'][0])} steps"),
        check("all-zero init: the first layer never moves (symmetric, zero gradient)", w1_zero == 0.0,
              f"max |W1| after training = {w1_zero:g}; the loss stalls at {shown(final['init'])} ≈ Var(y) {var_y:.3f}"),
    ]
    rows = []
    for key, en, _, step in SCENARIOS:
        hist = runs[key][0]
        cell = final[key] if np.isfinite(final[key]) else "overflow"
        rows.append([step, en, hist[0], cell, "diverged" if not np.isfinite(final[key]) or
                     final[key] > hist[0] else ("converged" if final[key] < 0.1 * var_y else "stuck")])
    table = {"columns": ["checklist step", "scenario", "initial loss", "final loss", "status"], "rows": rows}
    zh_names = {k: zh for k, _, zh, _ in SCENARIOS}
    if checks[0].passed and checks[1].passed:
        fails_zh, fails_en = "只犯一个错误就不收敛", "one bug each and it fails"
    else:  # the baseline itself did not converge (or a bug did not hurt): no contrast to claim
        fails_zh = "但在这组参数下没有形成对照（基线本身没收敛，或某个错误没造成损害），各情形的损失"
        fails_en = ("but at these settings there is no contrast (the baseline did not converge, or a bug did not "
                    "hurt); the losses with one bug each")
    takeaway = {
        "zh": (f"同一个 2→{hidden}→1 的 MLP：全部正确时 {steps} 步后损失 {shown(base, '.4f')}（Var(y) = {var_y:.3f}）；"
               f"{fails_zh}——{zh_names['labels']} {shown(final['labels'])}，{zh_names['scale']} "
               f"{shown(final['scale'])}，{zh_names['lr']} {lr_text}，{zh_names['init']} {shown(final['init'])}，"
               f"{zh_names['output']} {shown(final['output'])}。"),
        "en": (f"One 2→{hidden}→1 MLP: with everything right it reaches loss {shown(base, '.4f')} in "
               f"{steps} steps (Var(y) = {var_y:.3f}); {fails_en}: shuffled labels {shown(final['labels'])}, "
               f"raw inputs {shown(final['scale'])}, 30× lr {lr_text}, zero init {shown(final['init'])}, "
               f"ReLU output {shown(final['output'])}."),
    }
    claim = {
        "zh": "不收敛通常是数据、代码或超参数的问题，按清单逐项排查。",
        "en": "Non-convergence is usually data, code or hyperparameters: work the checklist.",
    }
    series = {}
    for key in ("baseline", "scale", "init", "output"):
        hist = np.array(runs[key][0])
        every = max(1, len(hist) // 100)
        series[f"loss, {key}"] = Series.of(np.arange(len(hist))[::every], hist[::every], log_y=True)
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
