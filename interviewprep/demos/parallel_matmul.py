"""Model parallelism on simulated devices: a Megatron-style tensor-parallel MLP and pipeline schedules.

Tensor parallel: Y = GeLU(X·W₁)·W₂. W₁ is split by columns (each device owns h/p hidden units, so it can
apply GeLU locally), W₂ by rows (the matching h/p inputs); each device produces a partial Y and one
all-reduce (a sum) gives the full output. Splitting W₁ by rows instead gives partial pre-activations
that must be summed BEFORE the GeLU: GeLU of the parts is not GeLU of the sum.

Pipeline parallel: p stages, m micro-batches, forward time t_f and backward t_b per stage and micro-batch.
An event simulation runs each stage's ops in schedule order, each op starting when its stage is free and
its inputs are ready. GPipe does all forwards then all backwards; 1F1B warms up with p−s−1 forwards and
then alternates. Both take (m+p−1)(t_f+t_b), so the idle share is (p−1)/(m+p−1); 1F1B only lowers how many
micro-batches' activations a stage holds at once (p instead of m).
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def tensor_parallel_mlp(x, w1, w2, p):
    """Column-parallel W₁, row-parallel W₂: per-device partial outputs, then one all-reduce (sum)."""
    cols = np.array_split(np.arange(w1.shape[1]), p)
    partials = [gelu(x @ w1[:, c]) @ w2[c, :] for c in cols]
    return all_reduce(partials), partials


def all_reduce(parts):
    out = np.zeros_like(parts[0])
    for part in parts:
        out = out + part
    return out


def row_first_mlp(x, w1, w2, p):
    """The wrong split: W₁ by rows, GeLU applied to each device's partial pre-activation."""
    rows = np.array_split(np.arange(w1.shape[0]), p)
    return all_reduce([gelu(x[:, r] @ w1[r, :]) for r in rows]) @ w2


def schedule(kind: str, p: int, m: int) -> list[list[tuple[str, int]]]:
    """Per-stage op order: ('F', j) / ('B', j) for micro-batch j."""
    out = []
    for s in range(p):
        if kind == "gpipe":
            out.append([("F", j) for j in range(m)] + [("B", j) for j in range(m)])
            continue
        w = min(p - s - 1, m)
        ops = [("F", j) for j in range(w)]
        for i in range(m - w):
            ops += [("F", w + i), ("B", i)]
        ops += [("B", j) for j in range(m - w, m)]
        out.append(ops)
    return out


def simulate(order, p: int, m: int, tf: float, tb: float):
    """Run the schedule; returns (makespan, busy time per stage, peak stored activations per stage)."""
    done = {}
    free = [0.0] * p
    nxt = [0] * p
    live = [0] * p
    peak = [0] * p
    remaining = sum(len(o) for o in order)
    while remaining:
        progressed = False
        for s in range(p):
            if nxt[s] == len(order[s]):
                continue
            kind, j = order[s][nxt[s]]
            if kind == "F":
                deps = [("F", s - 1, j)] if s > 0 else []
            else:
                deps = [("F", s, j)] + ([("B", s + 1, j)] if s < p - 1 else [])
            if any(d not in done for d in deps):
                continue
            start = max([free[s]] + [done[d] for d in deps])
            end = start + (tf if kind == "F" else tb)
            done[(kind, s, j)] = end
            free[s] = end
            live[s] += 1 if kind == "F" else -1
            peak[s] = max(peak[s], live[s])
            nxt[s] += 1
            remaining -= 1
            progressed = True
        if not progressed:
            raise RuntimeError("pipeline schedule deadlocked")
    return max(free), m * (tf + tb), peak


def bubble_formula(p: int, m: int) -> float:
    return (p - 1) / (m + p - 1)


@demo(
    id="parallel-matmul",
    title={"zh": "张量并行的 MLP 切分与流水线并行的气泡",
           "en": "Tensor-parallel MLP split and the pipeline bubble"},
    tags=["tensor parallel", "pipeline parallel", "megatron", "gpipe", "1f1b", "bubble", "all-reduce",
          "张量并行", "流水线并行", "模型并行", "气泡", "微批次"],
    params=[
        Param("devices", int, 4, 1, 16, help={"zh": "设备数 / 流水线级数 p", "en": "devices / pipeline stages p"}),
        Param("microbatches", int, 8, 1, 64, help={"zh": "微批次数 m", "en": "micro-batches m"}),
        Param("backward_ratio", float, 2.0, 0.5, 4.0,
              help={"zh": "反向耗时 / 前向耗时", "en": "backward time / forward time"}),
        Param("d_model", int, 32, 4, 128, help={"zh": "隐藏维度 d（MLP 中间层 4d）",
                                                "en": "model width d (MLP hidden 4d)"}),
    ],
)
def run(p, rng) -> Outcome:
    dev, m, ratio, d = p["devices"], p["microbatches"], p["backward_ratio"], p["d_model"]
    h = 4 * d
    x = rng.standard_normal((16, d))
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    w2 = rng.standard_normal((h, d)) / np.sqrt(h)
    full = gelu(x @ w1) @ w2
    tp, partials = tensor_parallel_mlp(x, w1, w2, dev)
    scale = float(np.max(np.abs(full)))
    tp_err = float(np.max(np.abs(tp - full))) / scale
    wrong_err = float(np.max(np.abs(row_first_mlp(x, w1, w2, dev) - full))) / scale
    shard_elems = max(len(c) for c in np.array_split(np.arange(h), dev)) * d * 2

    tf, tb = 1.0, ratio
    res = {}
    for kind in ("gpipe", "1f1b"):
        makespan, busy, peak = simulate(schedule(kind, dev, m), dev, m, tf, tb)
        res[kind] = (makespan, 1 - busy / makespan, max(peak))
    ideal_t = (m + dev - 1) * (tf + tb)
    formula = bubble_formula(dev, m)

    metrics = {
        "tp_max_rel_error": tp_err,
        "row_first_gelu_rel_error": wrong_err,
        "all_reduces_per_mlp_forward": 1,
        "weight_elements_per_device": shard_elems,
        "weight_elements_full": 2 * d * h,
        "gpipe_makespan": res["gpipe"][0], "gpipe_bubble": res["gpipe"][1],
        "onef1b_makespan": res["1f1b"][0], "onef1b_bubble": res["1f1b"][1],
        "bubble_formula": formula, "makespan_formula": ideal_t,
        "gpipe_peak_activations": res["gpipe"][2], "onef1b_peak_activations": res["1f1b"][2],
    }
    wrong_ok = wrong_err > 1e-3 if dev > 1 else wrong_err < 1e-12
    checks = [
        check("column-parallel W₁ + row-parallel W₂ with one all-reduce equals the full MLP",
              tp_err < 1e-12, f"max relative difference {tp_err:.1e} on {dev} devices"),
        check("GeLU of row-split partial sums differs from GeLU of the sum when p > 1",
              wrong_ok, f"relative error {wrong_err:.2e} with p = {dev}"),
        check("GPipe and 1F1B both take (m+p−1)(t_f+t_b), idle share (p−1)/(m+p−1)",
              all(abs(res[k][0] - ideal_t) < 1e-9 and abs(res[k][1] - formula) < 1e-12 for k in res),
              f"GPipe {res['gpipe'][0]:g}, 1F1B {res['1f1b'][0]:g} vs {ideal_t:g}; bubble "
              f"{res['gpipe'][1]:.4f} / {res['1f1b'][1]:.4f} vs {formula:.4f}"),
        check("peak stored micro-batches: GPipe m, 1F1B min(p, m)",
              res["gpipe"][2] == m and res["1f1b"][2] == min(dev, m),
              f"GPipe {res['gpipe'][2]} (m = {m}), 1F1B {res['1f1b'][2]} (min(p, m) = {min(dev, m)})"),
    ]
    tp_ok = checks[0].passed
    sched_ok = checks[2].passed
    takeaway = {
        "zh": (f"{dev} 个设备上按列切 W₁、按行切 W₂，每个设备只存 {shard_elems} 个权重（全量 {2 * d * h}），"
               f"一次 all-reduce 求和后与完整 MLP 的相对差 {tp_err:.1e}"
               + ("（一致）" if tp_ok else "（不一致！）")
               + f"；若先按行切 W₁ 再各自做 GeLU，误差为 {wrong_err:.1e}。"
               f"流水线 p = {dev}、m = {m}、t_b/t_f = {ratio:g}：GPipe 用时 {res['gpipe'][0]:g}、"
               f"1F1B 用时 {res['1f1b'][0]:g}，空闲比例 {res['gpipe'][1]:.3f} / {res['1f1b'][1]:.3f}，"
               f"公式 (p−1)/(m+p−1) = {formula:.3f}" + ("，吻合" if sched_ok else "，不吻合") +
               f"；每级最多同时保存的微批次激活：GPipe {res['gpipe'][2]}，1F1B {res['1f1b'][2]}。"),
        "en": (f"On {dev} devices, W₁ split by columns and W₂ by rows leaves {shard_elems} weights per device "
               f"(of {2 * d * h}); one all-reduce (sum) gives the full MLP to {tp_err:.1e} relative"
               + (" (equal)" if tp_ok else " (NOT equal)")
               + f", while splitting W₁ by rows and applying GeLU to the parts is off by {wrong_err:.1e}. "
               f"Pipeline with p = {dev}, m = {m}, t_b/t_f = {ratio:g}: GPipe takes {res['gpipe'][0]:g} and "
               f"1F1B {res['1f1b'][0]:g}, idle share {res['gpipe'][1]:.3f} / {res['1f1b'][1]:.3f} vs "
               f"(p−1)/(m+p−1) = {formula:.3f}" + (" (match)" if sched_ok else " (mismatch)") +
               f"; most micro-batches whose activations one stage holds at once: GPipe {res['gpipe'][2]}, "
               f"1F1B {res['1f1b'][2]}."),
    }
    claim = {
        "zh": ("按列切 W₁ 时每个设备拿到的是完整的隐藏单元，GeLU 可以在本地做，所以每个 MLP 只需一次 all-reduce；"
               "按行切就得先把部分和加起来再做 GeLU。两种流水线调度的空闲比例都是 (p−1)/(m+p−1)，"
               "只有增加微批次才能把它压低；1F1B 省的是激活显存，不是时间。"),
        "en": ("Splitting W₁ by columns gives each device whole hidden units, so it applies GeLU locally and one "
               "all-reduce per MLP suffices; a row split would have to sum the parts before the GeLU. Both pipeline "
               "schedules leave (p−1)/(m+p−1) of the time idle, which only more micro-batches shrink; 1F1B saves "
               "activation memory, not time."),
    }
    ms = np.array([1, 2, 4, 8, 16, 32, 64])
    measured = [1 - simulate(schedule("1f1b", dev, int(k)), dev, int(k), tf, tb)[1]
                / simulate(schedule("1f1b", dev, int(k)), dev, int(k), tf, tb)[0] for k in ms]
    series = {"1F1B idle share (simulated) vs m": Series.of(ms, measured),
              "(p−1)/(m+p−1) vs m": Series.of(ms, [bubble_formula(dev, int(k)) for k in ms])}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
