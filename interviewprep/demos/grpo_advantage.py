"""GRPO's group-normalised advantage on a one-prompt "bandit": K candidate answers, some correct (reward 1,
a verifiable reward), a softmax policy with one logit per answer, G samples per step.

Aᵢ = (rᵢ − mean(r)) / (std(r) + δ) within the group: zero mean and unit (population) std whenever the
group has mixed rewards, and exactly zero when all G rewards are equal, which happens with probability
pᴳ + (1 − p)ᴳ for a correct-rate p. There is no critic: the group mean is the baseline. The policy
update is (1/G)·Σ Aᵢ·∇log π(aᵢ) − β_KL·∇KL(π ‖ π_ref). For comparison, REINFORCE without a baseline
uses rᵢ + c instead of Aᵢ; its update variance has the closed form (1/G)·(Σₐ πₐ(rₐ+c)²‖eₐ − π‖² − ‖∇J‖²)
and grows with the shift c, which GRPO's advantage ignores.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

DELTA = 1e-8
VAR_GROUPS = 4000


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def group_advantage(r: np.ndarray) -> np.ndarray:
    """(r − mean)/(std + δ) along the last axis (population std), the GRPO advantage."""
    r = np.asarray(r, dtype=float)
    mean = r.mean(axis=-1, keepdims=True)
    std = r.std(axis=-1, keepdims=True)
    return (r - mean) / (std + DELTA)


def score_update(pi: np.ndarray, answers: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(1/G)·Σᵢ wᵢ·(e_{aᵢ} − π) for groups: answers, weights (n, G) → (n, K)."""
    n, g = answers.shape
    k = pi.size
    out = np.zeros((n, k))
    np.add.at(out, (np.repeat(np.arange(n), g), answers.ravel()), weights.ravel())
    return out / g - weights.mean(axis=1, keepdims=True) * pi


def kl_grad(pi, pi_ref):
    """∇_logits KL(π ‖ π_ref) = π ⊙ (log π/π_ref − KL)."""
    log_ratio = np.log(pi) - np.log(pi_ref)
    return pi * (log_ratio - float(pi @ log_ratio))


def train(logits0, reward, group, steps, lr, kl_coef, rng, method, shift=0.0):
    """P(correct) after each step; `method` is "grpo" or "reinforce" (raw reward + shift, no baseline)."""
    theta = logits0.copy()
    pi_ref = softmax(logits0)
    acc, silent = [float(softmax(theta) @ reward)], 0
    for _ in range(steps):
        pi = softmax(theta)
        a = rng.choice(pi.size, size=(1, group), p=pi)
        r = reward[a]
        if method == "grpo":
            w = group_advantage(r)
            silent += int(np.all(r == r[0, 0]))
        else:
            w = r + shift
        theta = theta + lr * (score_update(pi, a, w)[0] - kl_coef * kl_grad(pi, pi_ref))
        acc.append(float(softmax(theta) @ reward))
    return np.array(acc), silent


@demo(
    id="grpo-advantage",
    title={"zh": "GRPO 的组内归一化优势：无 critic、全对全错没有信号",
           "en": "GRPO's group-normalised advantage: no critic, and no signal when a group agrees"},
    tags=["grpo", "rlvr", "verifiable reward", "advantage", "policy gradient", "reinforce", "baseline",
          "deepseek", "reasoning", "组相对策略优化", "可验证奖励", "优势函数", "策略梯度", "基线", "推理"],
    params=[
        Param("k", int, 8, 3, 32, help={"zh": "候选答案个数 K", "en": "number of candidate answers K"}),
        Param("n_correct", int, 2, 1, 8, help={"zh": "其中正确答案个数（须小于 K）",
                                               "en": "how many of them are correct (must be below K)"}),
        Param("init_gap", float, 1.5, 0.0, 8.0,
              help={"zh": "初始时错误答案比正确答案高出的 logit（越大初始正确率越低）",
                    "en": "initial logit lead of wrong answers over correct ones (larger = lower start accuracy)"}),
        Param("group", int, 8, 2, 64, help={"zh": "每个提示采样的回答数 G", "en": "samples per prompt G"}),
        Param("steps", int, 200, 10, 500, help={"zh": "训练步数", "en": "training steps"}),
        Param("lr", float, 0.5, 0.01, 2.0, help={"zh": "学习率", "en": "learning rate"}),
        Param("kl_coef", float, 0.02, 0.0, 1.0, help={"zh": "对参考策略的 KL 系数",
                                                      "en": "KL coefficient toward the reference policy"}),
        Param("reward_shift", float, 1.0, 0.0, 10.0,
              help={"zh": "给所有奖励加的常数 c（GRPO 不受影响，无基线 REINFORCE 受影响）",
                    "en": "constant c added to every reward (GRPO ignores it, baseline-free REINFORCE does not)"}),
    ],
)
def run(p, rng) -> Outcome:
    k, g, steps, lr, kl_coef, shift = p["k"], p["group"], p["steps"], p["lr"], p["kl_coef"], p["reward_shift"]
    n_c = min(p["n_correct"], k - 1)
    reward = np.zeros(k)
    reward[:n_c] = 1.0
    logits0 = np.where(reward > 0, 0.0, p["init_gap"])
    pi0 = softmax(logits0)
    p0 = float(pi0 @ reward)

    # groups sampled at the starting policy: advantage statistics and update variance
    answers = rng.choice(k, size=(VAR_GROUPS, g), p=pi0)
    r = reward[answers]
    adv = group_advantage(r)
    mixed = ~np.all(r == r[:, :1], axis=1)
    n_mixed = int(mixed.sum())
    mean_err = float(np.max(np.abs(adv[mixed].mean(axis=1)))) if n_mixed else float("nan")
    std_err = float(np.max(np.abs(adv[mixed].std(axis=1) - 1))) if n_mixed else float("nan")
    silent_adv = float(np.max(np.abs(adv[~mixed]))) if n_mixed < VAR_GROUPS else 0.0
    silent_frac = 1 - n_mixed / VAR_GROUPS
    silent_theory = p0**g + (1 - p0) ** g
    silent_se = np.sqrt(silent_theory * (1 - silent_theory) / VAR_GROUPS)

    true_grad = pi0 * (reward - p0)  # ∇ of J = Σ πₐ rₐ with respect to the logits
    shifted = reward + shift
    eye = np.eye(k)
    per_answer = np.sum((eye - pi0) ** 2, axis=1)  # ‖eₐ − π‖²
    var_theory = float((pi0 @ (shifted**2 * per_answer) - true_grad @ true_grad) / g)

    def spread(updates):
        mean = updates.mean(axis=0)
        dev = np.sum((updates - mean) ** 2, axis=1)
        return float(dev.mean()), float(dev.std() / np.sqrt(len(dev))), mean

    var_rf, var_rf_se, mean_rf = spread(score_update(pi0, answers, r + shift))
    var_mb, _, mean_mb = spread(score_update(pi0, answers, r - r.mean(axis=1, keepdims=True)))
    var_gr, _, mean_gr = spread(score_update(pi0, answers, adv))
    var_gr_shift, _, _ = spread(score_update(pi0, answers, group_advantage(r + shift)))

    def cosine(v):
        n = np.linalg.norm(v) * np.linalg.norm(true_grad)
        return float(v @ true_grad / n) if n > 0 else 0.0

    def nsr(var, mean):
        s = float(mean @ mean)
        return var / s if s > 0 else float("inf")

    # training
    acc_gr, silent_steps = train(logits0, reward, g, steps, lr, kl_coef, rng, "grpo")
    acc_rf, _ = train(logits0, reward, g, steps, lr, kl_coef, rng, "reinforce", shift)
    improved = acc_gr[-1] > acc_gr[0]

    metrics = {
        "p_correct_start": p0,
        "p_correct_grpo_final": float(acc_gr[-1]),
        "p_correct_reinforce_final": float(acc_rf[-1]),
        "grpo_silent_step_fraction": silent_steps / steps,
        "silent_group_fraction_measured": silent_frac,
        "silent_group_fraction_theory": float(silent_theory),
        "mixed_group_max_mean_error": mean_err,
        "mixed_group_max_std_error": std_err,
        "update_var_reinforce_measured": var_rf,
        "update_var_reinforce_theory": var_theory,
        "update_var_mean_baseline": var_mb,
        "update_var_grpo": var_gr,
        "noise_to_signal_reinforce": nsr(var_rf, mean_rf),
        "noise_to_signal_mean_baseline": nsr(var_mb, mean_mb),
        "noise_to_signal_grpo": nsr(var_gr, mean_gr),
        "cosine_true_grad_grpo_mean": cosine(mean_gr),
    }
    checks = [
        check("within every mixed group the advantages have mean 0 and std 1",
              n_mixed > 0 and mean_err < 1e-9 and std_err < 1e-6,
              f"{n_mixed}/{VAR_GROUPS} groups mixed; max |mean| {mean_err:.1e}, max |std − 1| {std_err:.1e}"),
        check("groups whose rewards are all equal get advantage exactly 0, with frequency pᴳ + (1 − p)ᴳ",
              silent_adv == 0.0 and abs(silent_frac - silent_theory) <= 4 * silent_se + 1e-12,
              f"{silent_frac:.4f} vs {silent_theory:.4f} (p = {p0:.4f}, G = {g}, 4·SE = {4 * silent_se:.4f})"),
        check("baseline-free REINFORCE update variance matches (1/G)·(Σ π(r+c)²‖e−π‖² − ‖∇J‖²)",
              abs(var_rf - var_theory) <= 4 * var_rf_se + 1e-12,
              f"{var_rf:.5f} vs {var_theory:.5f} (4·SE = {4 * var_rf_se:.5f}), c = {shift:g}"),
        check("the GRPO update is unchanged by adding c to every reward", abs(var_gr_shift - var_gr) < 1e-9,
              f"update variance {var_gr:.5f} without and {var_gr_shift:.5f} with c = {shift:g}"),
        check("GRPO training raised the probability of a correct answer", improved,
              f"P(correct) {acc_gr[0]:.4f} → {acc_gr[-1]:.4f}; {silent_steps}/{steps} steps had no signal"),
    ]
    if improved:
        train_en = f"GRPO raised P(correct) from {p0:.3f} to {acc_gr[-1]:.3f} in {steps} steps"
        train_zh = f"GRPO 在 {steps} 步内把正确率从 {p0:.3f} 提到 {acc_gr[-1]:.3f}"
    else:
        train_en = (f"GRPO did NOT raise P(correct) ({p0:.4f} → {acc_gr[-1]:.4f}): {silent_steps} of {steps} "
                    "groups were all wrong or all right, so there was almost no signal")
        train_zh = (f"GRPO 没有提高正确率（{p0:.4f} → {acc_gr[-1]:.4f}）：{steps} 步中 {silent_steps} 组全错或全对，"
                    "几乎没有学习信号")
    takeaway = {
        "en": (f"K = {k} answers, {n_c} correct, start P(correct) = {p0:.3f}, G = {g}: {silent_frac:.1%} of groups "
               f"had equal rewards and zero advantage (theory pᴳ + (1−p)ᴳ = {silent_theory:.1%}). {train_en}; "
               f"baseline-free REINFORCE with c = {shift:g} reached {acc_rf[-1]:.3f}. Update variance at the start: "
               f"no baseline {var_rf:.4f} (closed form {var_theory:.4f}), group-mean baseline {var_mb:.4f}, "
               f"GRPO {var_gr:.4f}; noise-to-signal ratios {metrics['noise_to_signal_reinforce']:.2f}, "
               f"{metrics['noise_to_signal_mean_baseline']:.2f}, {metrics['noise_to_signal_grpo']:.2f}."),
        "zh": (f"K = {k} 个答案、{n_c} 个正确，初始正确率 {p0:.3f}，G = {g}：{silent_frac:.1%} 的组奖励全相同、"
               f"优势为 0（理论 pᴳ + (1−p)ᴳ = {silent_theory:.1%}）。{train_zh}；奖励加 c = {shift:g} 的无基线 "
               f"REINFORCE 达到 {acc_rf[-1]:.3f}。初始更新的方差：无基线 {var_rf:.4f}（闭式 {var_theory:.4f}）、"
               f"组均值基线 {var_mb:.4f}、GRPO {var_gr:.4f}；噪声/信号比依次为 "
               f"{metrics['noise_to_signal_reinforce']:.2f}、{metrics['noise_to_signal_mean_baseline']:.2f}、"
               f"{metrics['noise_to_signal_grpo']:.2f}。"),
    }
    claim = {
        "en": ("GRPO needs no critic: the group mean is the baseline, so every mixed group's advantages have mean 0 "
               "and std 1, a group whose answers are all right or all wrong teaches nothing, and a constant added to "
               "the rewards changes nothing, while the variance of baseline-free REINFORCE grows with it."),
        "zh": ("GRPO 不需要价值网络：组内均值就是基线，所以奖励有对有错的组，优势均值为 0、标准差为 1；"
               "全对或全错的组学不到任何东西；奖励整体加一个常数也毫无影响，而无基线 REINFORCE "
               "的方差会随这个常数变大。"),
    }
    x = np.arange(steps + 1)
    series = {"GRPO P(correct)": Series.of(x, acc_gr),
              f"REINFORCE (r + {shift:g}, no baseline) P(correct)": Series.of(x, acc_rf)}
    table = {"columns": ["estimator", "update_variance", "noise_to_signal", "cosine_with_true_gradient"],
             "rows": [["reinforce r+c", var_rf, nsr(var_rf, mean_rf), cosine(mean_rf)],
                      ["group-mean baseline", var_mb, nsr(var_mb, mean_mb), cosine(mean_mb)],
                      ["grpo (mean/std)", var_gr, nsr(var_gr, mean_gr), cosine(mean_gr)]]}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
