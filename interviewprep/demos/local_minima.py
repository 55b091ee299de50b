"""Two basins: GD's destination is fixed by where it starts; SGD's noise lets runs escape the shallow one.

f(x) = x⁴ − 2x² + t·x (t > 0 tilts it) has a deep minimum on the left, a shallow one on the right,
and a local maximum between them. From a grid of starts, plain GD slides into the basin it starts
in. SGD with gradient noise σ (a constant step, then σ annealed to 0 over the last quarter so every
run settles) hops over the lower barrier of the shallow basin far more often than over the higher
barrier of the deep one.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD

STARTS = np.linspace(-2.0, 2.0, 41)
REPEATS = 30
CHUNK = 200


def _f(x, tilt):
    return x**4 - 2 * x**2 + tilt * x


def _grad(x, tilt):
    return x * (4 * x * x - 4) + tilt


def _descend(x, tilt, lr, steps, sigma, rng):
    opt = SGD([x], lr=lr)
    anneal = steps // 4
    for t in range(steps):
        if sigma > 0 and t % CHUNK == 0:  # draw the noise in blocks: fewer calls, bounded memory
            noise = sigma * rng.standard_normal((min(CHUNK, steps - t), x.size))
        g = _grad(x, tilt)
        if sigma > 0:
            g += noise[t % CHUNK] * (1.0 if t < steps - anneal else (steps - t) / anneal)
        opt.step([g])
    return x


@demo(
    id="local-minima",
    title={"zh": "局部极小值：GD 由起点决定，SGD 噪声能逃出浅坑",
           "en": "Local minima: GD goes where it starts, SGD noise escapes the shallow basin"},
    tags=["local-minima", "non-convex", "sgd", "gradient-noise", "loss-landscape", "initialization",
          "局部极小值", "非凸", "梯度噪声", "损失曲面", "初始化", "全局最优"],
    params=[
        Param("sigma", float, 4.0, 0.0, 10.0, help={"zh": "SGD 梯度噪声标准差 σ", "en": "SGD gradient-noise std σ"}),
        Param("lr", float, 0.02, 0.001, 0.04, help={"zh": "学习率", "en": "learning rate"}),
        Param("steps", int, 1600, 200, 10000, help={"zh": "步数（最后 1/4 噪声退火到 0）",
                                                    "en": "steps (noise annealed to 0 over the last quarter)"}),
        Param("tilt", float, 0.5, 0.1, 1.0, help={"zh": "倾斜 t：越大两个坑的深度差越大",
                                                  "en": "tilt t: larger makes the two basins more unequal"}),
    ],
)
def run(p, rng) -> Outcome:
    sigma, lr, steps, tilt = p["sigma"], p["lr"], p["steps"], p["tilt"]
    crit = np.sort(np.roots([4.0, 0.0, -4.0, tilt]).real)
    deep, peak, shallow = (float(c) for c in crit)
    barrier_shallow = _f(peak, tilt) - _f(shallow, tilt)
    barrier_deep = _f(peak, tilt) - _f(deep, tilt)

    gd = _descend(STARTS.copy(), tilt, lr, steps, 0.0, rng)
    start_deep = STARTS < peak
    gd_deep = gd < peak
    gd_same = float(np.mean(gd_deep == start_deep))
    gd_stationary = float(np.max(np.abs(_grad(gd, tilt))))

    starts = np.repeat(STARTS, REPEATS)
    sgd = _descend(starts.copy(), tilt, lr, steps, sigma, rng)
    sgd_deep = sgd < peak
    from_shallow = starts > peak
    escape = float(np.mean(sgd_deep[from_shallow]))
    reverse = float(np.mean(~sgd_deep[~from_shallow]))
    share_by_start = sgd_deep.reshape(len(STARTS), REPEATS).mean(axis=1)

    metrics = {
        "deep_min_x": deep, "local_max_x": peak, "shallow_min_x": shallow,
        "f_deep": float(_f(deep, tilt)), "f_shallow": float(_f(shallow, tilt)),
        "barrier_from_shallow": float(barrier_shallow), "barrier_from_deep": float(barrier_deep),
        "gd_share_ending_in_start_basin": gd_same, "gd_max_final_gradient": gd_stationary,
        "gd_share_of_starts_ending_shallow": float(np.mean(~gd_deep)),
        "sgd_escape_share_shallow_to_deep": escape, "sgd_share_deep_to_shallow": reverse,
    }
    table = {"columns": ["start basin", "runs", "GD ends deep", "SGD ends deep"],
             "rows": [["deep (x < local max)", int(np.sum(~from_shallow)), float(np.mean(gd_deep[start_deep])),
                       float(np.mean(sgd_deep[~from_shallow]))],
                      ["shallow (x > local max)", int(np.sum(from_shallow)), float(np.mean(gd_deep[~start_deep])),
                       escape]]}
    checks = [
        check("GD always ends in the basin it starts in", gd_same == 1.0,
              f"{gd_same:.0%} of {len(STARTS)} starts; local max at x = {peak:.3f}"),
        check("GD stops at a stationary point (zero gradient), not necessarily the global minimum",
              gd_stationary < 1e-6 and np.any(~gd_deep),
              f"largest |f'| at the end {gd_stationary:.1e}; {np.mean(~gd_deep):.0%} of starts end at the shallow "
              f"minimum f = {_f(shallow, tilt):.3f} instead of f = {_f(deep, tilt):.3f}"),
        check("SGD noise lets at least 10% of shallow-basin runs escape", escape >= 0.10,
              f"{escape:.1%} of {int(np.sum(from_shallow))} runs ended in the deep basin (σ = {sigma:g})"),
        check("escaping the deep basin is much rarer (higher barrier)", escape > 3 * reverse,
              f"shallow→deep {escape:.1%} vs deep→shallow {reverse:.1%}; barriers {barrier_shallow:.3f} vs "
              f"{barrier_deep:.3f}"),
    ]
    takeaway = {
        "zh": (f"f(x)=x⁴−2x²+{tilt:g}x：深坑在 x={deep:.2f}（f={_f(deep, tilt):.2f}），浅坑在 x={shallow:.2f}"
               f"（f={_f(shallow, tilt):.2f}）。GD 从 {len(STARTS)} 个起点出发，{gd_same:.0%} 停在起点所在的坑里，"
               f"{np.mean(~gd_deep):.0%} 停在浅坑。\n加梯度噪声 σ={sigma:g} 的 SGD："
               f"浅坑出发的 {escape:.0%} 越过势垒 {barrier_shallow:.2f} 到了深坑，"
               f"反方向（势垒 {barrier_deep:.2f}）为 {reverse:.0%}。"),
        "en": (f"f(x)=x⁴−2x²+{tilt:g}x: the deep minimum is at x={deep:.2f} (f={_f(deep, tilt):.2f}), the shallow one "
               f"at x={shallow:.2f} (f={_f(shallow, tilt):.2f}). From {len(STARTS)} starts GD ends in its starting "
               f"basin {gd_same:.0%} of the time, {np.mean(~gd_deep):.0%} in the shallow one.\nSGD with gradient "
               f"noise σ={sigma:g}: {escape:.0%} of shallow-basin runs cross the barrier of {barrier_shallow:.2f} into "
               f"the deep basin; the other way (barrier {barrier_deep:.2f}) {reverse:.0%}."),
    }
    claim = {
        "zh": ("梯度下降只保证到驻点，停在哪个坑由起点决定；梯度噪声让 SGD 越过浅坑较低的势垒，"
               "比越过深坑较高的势垒容易得多。"),
        "en": ("GD only promises a stationary point, and its starting basin decides which; gradient noise lets SGD "
               "hop over the shallow basin's lower barrier far more often than over the deep basin's higher one."),
    }
    series = {
        "GD ends deep (1) vs start x": Series.of(STARTS, gd_deep.astype(float)),
        "SGD share ending deep vs start x": Series.of(STARTS, share_by_start),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
