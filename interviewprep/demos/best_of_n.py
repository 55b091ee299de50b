"""Test-time compute on one question: best-of-N with a perfect verifier vs majority vote (self-consistency).

Each sample is the correct answer with probability p, otherwise one of m wrong answers with probabilities
q₁ ≥ q₂ = … (a `skew` share of the wrong mass sits on wrong answer 1). With a perfect verifier, best-of-N
(pass@N) is 1 − (1 − p)ᴺ. Majority vote picks the most frequent answer (ties broken uniformly at random);
its exact accuracy is a multinomial sum, computed here by dynamic programming. It tends to 1 when the
correct answer is the single most likely answer (p > q₁) and to 0 when a wrong answer is more likely.
Both are checked against Monte Carlo simulation.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def answer_probs(p: float, n_wrong: int, skew: float) -> np.ndarray:
    """[p, q₁, …, q_m]: the wrong mass 1 − p split as skew + (1 − skew)/m on q₁ and (1 − skew)/m on the rest."""
    w = np.full(n_wrong, (1 - skew) / n_wrong)
    w[0] += skew
    return np.concatenate([[p], (1 - p) * w])


def pass_at_n(p: float, n: int) -> float:
    return 1.0 - (1.0 - p) ** n


def majority_exact(probs: np.ndarray, n: int) -> float:
    """P(majority vote is correct) for n samples: Σ_c P(c correct) · E[1/(1+T)·1{every wrong count ≤ c}],
    T = wrong answers tied with c; the multinomial weights q^k/k! are accumulated one wrong answer at a time."""
    p, q = float(probs[0]), probs[1:]
    total = 0.0
    for c in range(1, n + 1):
        rest = n - c
        # state[s][t]: Σ of Π q_j^k_j/k_j! over wrong answers so far using s samples with t of them tied at c
        state = np.zeros((rest + 1, len(q) + 1))
        state[0, 0] = 1.0
        for qj in q:
            new = np.zeros_like(state)
            for k in range(min(c, rest) + 1):
                wgt = qj**k / math.factorial(k)
                tie = 1 if k == c else 0
                new[k:, tie:] += wgt * state[: rest + 1 - k, : state.shape[1] - tie]
            state = new
        head = math.exp(math.lgamma(n + 1) - math.lgamma(c + 1)) * p**c
        total += head * float(np.sum(state[rest] / (1.0 + np.arange(len(q) + 1))))
    return total


def simulate(probs, n_max, trials, rng):
    """Monte Carlo accuracy of best-of-N (oracle verifier) and majority vote for N = 1..n_max."""
    draws = rng.choice(len(probs), size=(trials, n_max), p=probs)
    onehot = np.zeros((trials, n_max, len(probs)))
    onehot[np.arange(trials)[:, None], np.arange(n_max)[None, :], draws] = 1
    counts = np.cumsum(onehot, axis=1)  # counts after the first N samples
    best = counts[:, :, 0] > 0
    top = counts.max(axis=2, keepdims=True)
    tied = counts == top
    n_tied = tied.sum(axis=2)
    majority = tied[:, :, 0] / n_tied  # expected value of a uniform tie-break
    return best.mean(axis=0), majority.mean(axis=0)


@demo(
    id="best-of-n",
    title={"zh": "测试时计算：best-of-N 与多数投票（自洽性）的准确率",
           "en": "Test-time compute: best-of-N and majority-vote (self-consistency) accuracy"},
    tags=["best-of-n", "majority vote", "self-consistency", "test-time compute", "pass@k", "reasoning",
          "verifier", "测试时计算", "多数投票", "自洽性", "推理", "验证器"],
    params=[
        Param("p", float, 0.35, 0.02, 0.98,
              help={"zh": "单次采样答对的概率 p", "en": "probability p that one sample is correct"}),
        Param("n_wrong", int, 3, 1, 6, help={"zh": "不同错误答案的个数 m", "en": "number m of distinct wrong answers"}),
        Param("skew", float, 0.2, 0.0, 1.0,
              help={"zh": "错误概率集中在第一个错误答案上的份额（0 为均分）",
                    "en": "share of the wrong mass concentrated on wrong answer 1 (0 = spread evenly)"}),
        Param("n_max", int, 32, 2, 48, help={"zh": "最大采样数 N", "en": "largest number of samples N"}),
        Param("trials", int, 4000, 500, 8000, help={"zh": "蒙特卡洛重复次数", "en": "Monte Carlo repetitions"}),
    ],
)
def run(p, rng) -> Outcome:
    probs = answer_probs(p["p"], p["n_wrong"], p["skew"])
    pc, q1, n_max, trials = float(probs[0]), float(probs[1]), p["n_max"], p["trials"]
    ns = np.arange(1, n_max + 1)
    best_mc, maj_mc = simulate(probs, n_max, trials, rng)
    best_th = np.array([pass_at_n(pc, int(n)) for n in ns])
    maj_th = np.array([majority_exact(probs, int(n)) for n in ns])
    # standard errors from the theory: exact for the 0/1 best-of-N outcome, an upper bound for the
    # tie-averaged majority outcome (a variable in [0, 1] with mean μ has variance ≤ μ(1 − μ))
    se_b = np.sqrt(np.maximum(best_th * (1 - best_th), 1e-24) / trials)
    se_m = np.sqrt(np.maximum(maj_th * (1 - maj_th), 1e-24) / trials)
    # the worst of up to 48 nested N is taken, so 5 SE; near 0 or 1 the counts are Poisson-like,
    # so a slack of 3 counts is allowed on top
    slack = 3.0 / trials
    z_best = float(np.max(np.maximum(np.abs(best_mc - best_th) - slack, 0.0) / se_b))
    z_maj = float(np.max(np.maximum(np.abs(maj_mc - maj_th) - slack, 0.0) / se_m))
    mode_correct, tie = pc > q1 + 1e-12, abs(pc - q1) <= 1e-12
    maj_end = float(maj_th[-1])
    if tie:  # correct and top wrong answer equally likely: by symmetry voting neither helps nor hurts
        direction_ok = abs(maj_end - pc) < 1e-9 if p["n_wrong"] == 1 else maj_end > pc  # limit 1/2 > p
    else:
        direction_ok = (maj_end > pc) if mode_correct else (maj_end < pc)
    metrics = {
        "p_single": pc,
        "q1_top_wrong": q1,
        f"best_of_{n_max}_theory": float(best_th[-1]),
        f"best_of_{n_max}_measured": float(best_mc[-1]),
        f"majority_{n_max}_theory": maj_end,
        f"majority_{n_max}_measured": float(maj_mc[-1]),
        "majority_2_theory": float(maj_th[1]),
        "best_of_n_worst_z": z_best,
        "majority_worst_z": z_maj,
    }
    checks = [
        check("best-of-N with a perfect verifier follows 1 − (1 − p)ᴺ (every N within 5 SE + 3 counts)", z_best <= 5,
              f"worst |z| = {z_best:.2f}; N = {n_max}: {best_mc[-1]:.4f} vs {best_th[-1]:.4f}"),
        check("majority vote follows the exact multinomial sum (every N within 5 SE + 3 counts)", z_maj <= 5,
              f"worst |z| = {z_maj:.2f}; N = {n_max}: {maj_mc[-1]:.4f} vs {maj_th[-1]:.4f}"),
        check("majority vote beats one sample when the correct answer is the most likely one, loses when it is not",
              direction_ok,
              f"p = {pc:.3f} vs top wrong q₁ = {q1:.3f}; majority@{n_max} = {maj_end:.4f} vs single {pc:.3f}"),
    ]
    if mode_correct:
        mv_en = (f"the correct answer is the mode (p = {pc:.2f} > q₁ = {q1:.2f}), so majority vote climbs to "
                 f"{maj_end:.3f}")
        mv_zh = f"正确答案是众数（p = {pc:.2f} > q₁ = {q1:.2f}），多数投票升到 {maj_end:.3f}"
    elif tie:
        mv_en = (f"the correct answer only ties for the mode (p = q₁ = {pc:.2f}), so majority vote ends at "
                 f"{maj_end:.3f}")
        mv_zh = f"正确答案只是与错误答案并列众数（p = q₁ = {pc:.2f}），多数投票最终为 {maj_end:.3f}"
    else:
        mv_en = (f"a wrong answer is more likely (q₁ = {q1:.2f} > p = {pc:.2f}), so majority vote falls to "
                 f"{maj_end:.3f}, below a single sample")
        mv_zh = f"某个错误答案更常见（q₁ = {q1:.2f} > p = {pc:.2f}），多数投票反而降到 {maj_end:.3f}，不如单次采样"
    if not direction_ok:
        mv_en += f" (at N = {n_max} it has not yet moved past the single-sample {pc:.3f}; more samples are needed)"
        mv_zh += f"（N = {n_max} 时还没越过单次采样的 {pc:.3f}，需要更多样本）"
    takeaway = {
        "en": (f"One sample is right with p = {pc:.2f}. With a perfect verifier best-of-{n_max} reaches "
               f"{best_th[-1]:.3f} = 1 − (1 − p)^{n_max} (measured {best_mc[-1]:.3f}); without a verifier "
               f"{mv_en} (measured {maj_mc[-1]:.3f}). With two samples and random tie-breaks majority vote gives "
               f"exactly p ({maj_th[1]:.3f})."),
        "zh": (f"单次采样答对概率 p = {pc:.2f}。有完美验证器时 best-of-{n_max} 达到 {best_th[-1]:.3f} = "
               f"1 − (1 − p)^{n_max}（实测 {best_mc[-1]:.3f}）；没有验证器时，{mv_zh}（实测 {maj_mc[-1]:.3f}）。"
               f"两个样本、平局随机打破时多数投票正好等于 p（{maj_th[1]:.3f}）。"),
    }
    claim = {
        "en": "Best-of-N is only as good as its verifier; voting needs an answer that can be compared for equality.",
        "zh": "best-of-N 的上限取决于验证器；投票要求答案可以判等。",
    }
    series = {"best-of-N, perfect verifier": Series.of(ns, best_mc),
              "majority vote": Series.of(ns, maj_mc),
              "majority vote, exact": Series.of(ns, maj_th)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
