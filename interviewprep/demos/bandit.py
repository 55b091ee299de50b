"""ε-greedy on the k-armed Gaussian testbed (Sutton & Barto, ch. 2): exploration vs exploitation.

Arm values q*(a) ~ N(0, 1), rewards ~ N(q*(a), 1), sample-average estimates starting at 0. Pure greedy
(ε = 0) locks onto the first arm that looks good; too much exploration (ε = 0.5) keeps paying for
random pulls: at best it picks the optimal arm 1 − ε + ε/k of the time.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def simulate(k, steps, runs, epsilons, rng):
    """All (ε, run) pairs at once; returns cumulative regret and optimal-action indicator per step."""
    eps = np.repeat(np.asarray(epsilons, dtype=float), runs)
    rows = eps.size
    q_true = np.tile(rng.standard_normal((runs, k)), (len(epsilons), 1))  # same bandits for every ε
    best = q_true.argmax(axis=1)
    q_max = q_true.max(axis=1)
    est = rng.random((rows, k)) * 1e-9  # zero estimates, with random tie-breaking among untried arms
    count = np.zeros((rows, k))
    idx = np.arange(rows)
    regret = np.zeros((rows, steps))
    optimal = np.zeros((rows, steps), dtype=bool)
    for t in range(steps):
        arm = np.where(rng.random(rows) < eps, rng.integers(k, size=rows), np.argmax(est, axis=1))
        reward = q_true[idx, arm] + rng.standard_normal(rows)
        count[idx, arm] += 1
        est[idx, arm] += (reward - est[idx, arm]) / count[idx, arm]
        regret[:, t] = q_max - q_true[idx, arm]
        optimal[:, t] = arm == best
    return regret.reshape(len(epsilons), runs, steps), optimal.reshape(len(epsilons), runs, steps)


@demo(
    id="bandit",
    title={"zh": "多臂老虎机：ε-贪心的探索与利用", "en": "Multi-armed bandit: ε-greedy exploration vs exploitation"},
    tags=["reinforcement-learning", "bandit", "epsilon-greedy", "exploration", "exploitation", "regret",
          "强化学习", "多臂老虎机", "探索", "利用", "遗憾"],
    params=[
        Param("epsilon", float, 0.1, 0.0, 1.0, help={"zh": "与 ε=0 和 ε=0.5 比较的探索率",
                                                     "en": "exploration rate compared with ε = 0 and ε = 0.5"}),
        Param("k", int, 10, 2, 50, help={"zh": "臂的个数 k", "en": "number of arms k"}),
        Param("steps", int, 1000, 100, 2000, help={"zh": "每次实验的步数", "en": "pulls per run"}),
        Param("runs", int, 200, 20, 400, help={"zh": "独立实验次数（取平均）", "en": "independent runs averaged"}),
    ],
)
def run(p, rng) -> Outcome:
    k, steps, runs = p["k"], p["steps"], p["runs"]
    epsilons = [0.0, p["epsilon"], 0.5]
    regret, optimal = simulate(k, steps, runs, epsilons, rng)
    total = regret.sum(axis=2).mean(axis=1)  # mean total regret per ε
    tail = slice(int(0.9 * steps), steps)
    share_end = optimal[:, :, tail].mean(axis=(1, 2))
    share_all = optimal.mean(axis=(1, 2))
    ceiling = [1 - e + e / k for e in epsilons]
    g, m, h = 0, 1, 2

    metrics = {}
    for e, tot, s_end, s_all in zip(("greedy", "eps", "eps_0.5"), total, share_end, share_all):
        metrics[f"total_regret_{e}"] = float(tot)
        metrics[f"optimal_share_last10pct_{e}"] = float(s_end)
        metrics[f"optimal_share_{e}"] = float(s_all)
    metrics["optimal_share_ceiling_eps_0.5"] = ceiling[h]
    eps = p["epsilon"]
    checks = [
        check(f"ε = {eps:g} has less total regret than ε = 0 and ε = 0.5",
              total[m] < total[g] and total[m] < total[h],
              f"regret: ε=0 {total[g]:.1f}, ε={eps:g} {total[m]:.1f}, ε=0.5 {total[h]:.1f}"),
        check(f"greedy gets stuck: picks the best arm less often than ε = {eps:g} at the end",
              share_end[g] < share_end[m],
              f"last 10% of steps: {share_end[g]:.1%} vs {share_end[m]:.1%}"),
        check("ε = 0.5 learns the best arm but is capped near 1 − ε + ε/k",
              ceiling[h] - 0.1 <= share_end[h]
              <= ceiling[h] + 4 * np.sqrt(ceiling[h] * (1 - ceiling[h]) / (runs * (steps - tail.start))),
              f"last 10%: {share_end[h]:.1%} vs ceiling {ceiling[h]:.1%}"),
    ]
    rows = [[f"{e:g}", float(tot), float(s_all), float(s_end), float(c)]
            for e, tot, s_all, s_end, c in zip(epsilons, total, share_all, share_end, ceiling)]
    table = {"columns": ["ε", "total regret", "optimal share", "optimal share (last 10%)", "ceiling 1−ε+ε/k"],
             "rows": rows}
    takeaway = {
        "zh": (f"{k} 臂老虎机、{steps} 步、{runs} 次平均：ε=0 的纯贪心累计遗憾 {total[g]:.0f}，"
               f"最后 10% 的步里有 {share_end[g]:.0%} 选对最优臂；"
               f"ε={eps:g} 遗憾 {total[m]:.0f}、选对 {share_end[m]:.0%}；"
               f"ε=0.5 遗憾 {total[h]:.0f}、选对 {share_end[h]:.0%}（上限 1−ε+ε/k = {ceiling[h]:.0%}）。"),
        "en": (f"{k}-armed bandit, {steps} steps, {runs} runs: greedy (ε=0) accumulates regret {total[g]:.0f} "
               f"and picks the best arm {share_end[g]:.0%} of the time at the end; ε={eps:g} has regret "
               f"{total[m]:.0f} and {share_end[m]:.0%}; ε=0.5 has regret {total[h]:.0f} and {share_end[h]:.0%} "
               f"(ceiling 1−ε+ε/k = {ceiling[h]:.0%})."),
    }
    claim = {
        "zh": ("纯贪心会早早锁定次优臂；ε=0.5 探索过度，选对率被限制在 1−ε+ε/k 附近；"
               f"ε={eps:g} 在探索与利用之间取得了更好的平衡。"),
        "en": ("Pure greedy locks onto a suboptimal arm; ε=0.5 over-explores and is capped near 1−ε+ε/k; "
               f"ε={eps:g} strikes a better balance between exploring and exploiting."),
    }
    every = max(1, steps // 100)
    x = np.arange(1, steps + 1)[::every]
    series = {}
    for e, opt_e in zip(epsilons, optimal):
        curve = opt_e.mean(axis=0)
        smooth = np.convolve(curve, np.ones(every) / every, mode="same")
        series[f"optimal share, ε={e:g}"] = Series.of(x, smooth[::every], panel="share of optimal picks vs step")
    for e, reg in zip(epsilons, regret):
        series[f"cumulative regret, ε={e:g}"] = Series.of(x, np.cumsum(reg.mean(axis=0))[::every],
                                                        panel="cumulative regret vs step")
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
