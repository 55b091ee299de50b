"""The pieces of PPO-style RLHF on toy policies: the KL-regularised optimum, per-token KL estimates, clipping.

1. Optimum: for a tabular policy over K responses with rewards r, natural-gradient ascent on
   J(π) = E_π[r] − β·KL(π ‖ π_ref) converges to π* = π_ref·exp(r/β)/Z, and J(π*) = β·log Z.
2. Per-token KL: for a tiny autoregressive policy (a Markov chain over V tokens, T steps), the sum of
   per-token log-ratios log π/π_ref of a sampled sequence is an unbiased estimate of the sequence KL
   (checked against exact enumeration of all Vᵀ sequences); so is the per-token "k3" sum
   Σ (ρ − 1 − log ρ), ρ = π_ref/π, which is never negative (GRPO's estimator).
3. Clipping: several epochs of gradient ascent on one batch with the surrogate ρ·A, with and without
   PPO's clip(ρ, 1 − ε, 1 + ε); the clipped surrogate's gradient is zero for samples whose ratio has left
   the interval in the direction of their advantage (checked by finite differences).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

MC_SEQUENCES = 4000
BATCH = 32
CLIP_LR = 1.0


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def kl(p, q) -> float:
    return float(np.sum(p * (np.log(p) - np.log(q))))


def ascend(r, log_ref, beta, steps=300):
    """Natural-gradient ascent on J: the Fisher-preconditioned step for softmax logits is
    Δθ = η·(g − π·g) with g = r − β·log(π/π_ref) (the NPG/TRPO direction); η = 0.5/β.
    It uses only the local gradient information, not the closed-form optimum."""
    theta = log_ref.copy()
    eta = 0.5 / beta
    for _ in range(steps):
        pi = softmax(theta)
        g = r - beta * (np.log(pi) - log_ref)
        theta = theta + eta * (g - float(pi @ g))
    return softmax(theta)


def sequence_logp(seq, first, trans):
    """log-probability of a token sequence under a Markov policy (first-token and transition log-probs)."""
    lp = first[seq[0]]
    for a, b in zip(seq[:-1], seq[1:]):
        lp = lp + trans[a, b]
    return lp


def clipped_surrogate(theta, actions, adv, logp_old, eps):
    """Mean of min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A) over the batch, ρ = π_θ(a)/π_old(a)."""
    logp = np.log(softmax(theta))[actions]
    ratio = np.exp(logp - logp_old)
    return float(np.mean(np.minimum(ratio * adv, np.clip(ratio, 1 - eps, 1 + eps) * adv)))


def clipped_grad(theta, actions, adv, logp_old, eps):
    """Analytic gradient: samples with ρ outside the interval in the direction of A contribute nothing."""
    pi = softmax(theta)
    ratio = np.exp(np.log(pi)[actions] - logp_old)
    active = ~(((adv > 0) & (ratio > 1 + eps)) | ((adv < 0) & (ratio < 1 - eps)))
    k = pi.size
    score = np.eye(k)[actions] - pi  # ∇ log π(a)
    return ((active * ratio * adv)[:, None] * score).mean(axis=0), active


def plain_grad(theta, actions, adv, logp_old):
    pi = softmax(theta)
    ratio = np.exp(np.log(pi)[actions] - logp_old)
    score = np.eye(pi.size)[actions] - pi
    return ((ratio * adv)[:, None] * score).mean(axis=0)


@demo(
    id="kl-regularised-rl",
    title={"zh": "KL 正则的 RL：最优解 π_ref·exp(r/β)、逐词元 KL 估计与 PPO 裁剪",
           "en": "KL-regularised RL: the optimum π_ref·exp(r/β), per-token KL estimates and PPO clipping"},
    tags=["ppo", "rlhf", "kl penalty", "kl divergence", "clipping", "reference model", "k3 estimator",
          "近端策略优化", "KL 惩罚", "参考模型", "裁剪", "强化学习"],
    params=[
        Param("beta", float, 0.5, 0.1, 5.0, help={"zh": "KL 系数 β", "en": "KL coefficient β"}),
        Param("k", int, 6, 3, 20,
              help={"zh": "表格式策略的回答个数 K", "en": "number K of responses (tabular policy)"}),
        Param("vocab", int, 3, 2, 4, help={"zh": "序列实验的词表大小 V", "en": "vocabulary size V (sequence part)"}),
        Param("tokens", int, 4, 2, 5, help={"zh": "序列长度 T", "en": "sequence length T"}),
        Param("drift", float, 0.5, 0.0, 1.5,
              help={"zh": "序列策略相对参考的 logit 扰动大小",
                    "en": "size of the policy's logit perturbation from the reference"}),
        Param("clip_eps", float, 0.2, 0.05, 0.5, help={"zh": "PPO 裁剪 ε", "en": "PPO clip ε"}),
        Param("epochs", int, 10, 2, 50, help={"zh": "同一批样本上的更新轮数", "en": "update epochs on one batch"}),
    ],
)
def run(p, rng) -> Outcome:
    beta, k, v, t_len, drift = p["beta"], p["k"], p["vocab"], p["tokens"], p["drift"]
    eps, epochs = p["clip_eps"], p["epochs"]

    # 1. the KL-regularised optimum
    r = rng.standard_normal(k)
    log_ref = np.log(softmax(rng.standard_normal(k)))
    pi_ga = ascend(r, log_ref, beta)
    pi_star = softmax(log_ref + r / beta)
    opt_err = float(np.max(np.abs(pi_ga - pi_star)))
    j_ga = float(pi_ga @ r) - beta * kl(pi_ga, np.exp(log_ref))
    j_theory = beta * math.log(float(np.exp(log_ref) @ np.exp(r / beta)))
    rows = []
    for b in (beta / 4, beta / 2, beta, 2 * beta, 4 * beta):
        ps = softmax(log_ref + r / b)
        rows.append([b, float(ps @ r), kl(ps, np.exp(log_ref))])

    # 2. per-token KL estimates against exact enumeration
    ref_first = np.log(softmax(rng.standard_normal(v)))
    ref_trans = np.log(softmax(rng.standard_normal((v, v)), axis=1))
    pol_first = np.log(softmax(ref_first + drift * rng.standard_normal(v)))
    pol_trans = np.log(softmax(ref_trans + drift * rng.standard_normal((v, v)), axis=1))
    exact = 0.0
    for seq in itertools.product(range(v), repeat=t_len):
        lp, lq = sequence_logp(seq, pol_first, pol_trans), sequence_logp(seq, ref_first, ref_trans)
        exact += math.exp(lp) * (lp - lq)
    seqs = np.zeros((MC_SEQUENCES, t_len), dtype=int)
    seqs[:, 0] = rng.choice(v, size=MC_SEQUENCES, p=np.exp(pol_first))
    cum = np.cumsum(np.exp(pol_trans), axis=1)
    for t in range(1, t_len):
        u = rng.random(MC_SEQUENCES)
        seqs[:, t] = np.minimum((u[:, None] > cum[seqs[:, t - 1]]).sum(axis=1), v - 1)
    tok_p = np.concatenate([pol_first[seqs[:, :1]], pol_trans[seqs[:, :-1], seqs[:, 1:]]], axis=1)
    tok_q = np.concatenate([ref_first[seqs[:, :1]], ref_trans[seqs[:, :-1], seqs[:, 1:]]], axis=1)
    log_ratio = tok_p - tok_q
    k1 = log_ratio.sum(axis=1)
    rho = np.exp(-log_ratio)
    k3 = (rho - 1 - np.log(rho)).sum(axis=1)
    se1, se3 = float(k1.std() / math.sqrt(MC_SEQUENCES)), float(k3.std() / math.sqrt(MC_SEQUENCES))
    z1 = abs(float(k1.mean()) - exact) / max(se1, 1e-15)
    z3 = abs(float(k3.mean()) - exact) / max(se3, 1e-15)
    k1_negative = float(np.mean(k1 < 0))

    # 3. clipping: several epochs on one batch
    pi_old = softmax(rng.standard_normal(k))
    actions = rng.choice(k, size=BATCH, p=pi_old)
    rew = rng.standard_normal(k)[actions]
    adv = rew - rew.mean()
    logp_old = np.log(pi_old)[actions]
    theta_c = np.log(pi_old).copy()
    theta_u = theta_c.copy()
    kl_c, kl_u = [0.0], [0.0]
    for _ in range(epochs):
        g, _ = clipped_grad(theta_c, actions, adv, logp_old, eps)
        theta_c = theta_c + CLIP_LR * g
        theta_u = theta_u + CLIP_LR * plain_grad(theta_u, actions, adv, logp_old)
        kl_c.append(kl(softmax(theta_c), pi_old))
        kl_u.append(kl(softmax(theta_u), pi_old))
    ratio_c = np.exp(np.log(softmax(theta_c))[actions] - logp_old)
    ratio_u = np.exp(np.log(softmax(theta_u))[actions] - logp_old)
    g_an, active = clipped_grad(theta_c, actions, adv, logp_old, eps)
    h = 1e-6
    g_fd = np.array([(clipped_surrogate(theta_c + h * e, actions, adv, logp_old, eps)
                      - clipped_surrogate(theta_c - h * e, actions, adv, logp_old, eps)) / (2 * h) for e in np.eye(k)])
    fd_err = float(np.max(np.abs(g_fd - g_an)))
    n_inactive = int((~active).sum())

    metrics = {
        "optimum_max_abs_error": opt_err,
        "objective_at_optimum": j_ga,
        "beta_log_Z": j_theory,
        "sequence_kl_exact": exact,
        "sequence_kl_k1_mean": float(k1.mean()),
        "sequence_kl_k3_mean": float(k3.mean()),
        "k1_std": float(k1.std()),
        "k3_std": float(k3.std()),
        "k1_negative_share": k1_negative,
        "k3_min": float(k3.min()),
        "kl_to_old_clipped": kl_c[-1],
        "kl_to_old_unclipped": kl_u[-1],
        "max_abs_ratio_minus_1_clipped": float(np.max(np.abs(ratio_c - 1))),
        "max_abs_ratio_minus_1_unclipped": float(np.max(np.abs(ratio_u - 1))),
        "clipped_samples_after_training": n_inactive,
        "clip_grad_fd_error": fd_err,
    }
    checks = [
        check("natural-gradient ascent on E_π(r) − β·KL converges to π_ref·exp(r/β)/Z", opt_err < 1e-6,
              f"max |π − π*| = {opt_err:.1e} with β = {beta:g}, K = {k}"),
        check("the optimal objective equals β·log Z = β·log E_ref(exp(r/β))", abs(j_ga - j_theory) < 1e-8,
              f"{j_ga:.6f} vs {j_theory:.6f}"),
        check("the summed per-token log-ratio estimates the sequence KL without bias (within 5 SE)", z1 <= 5,
              f"mean {k1.mean():.4f} vs exact {exact:.4f} over {v}^{t_len} sequences (|z| = {z1:.2f})"),
        check("the per-token k3 sum Σ(ρ − 1 − log ρ) is unbiased (within 5 SE) and never negative",
              z3 <= 5 and float(k3.min()) >= 0,
              f"mean {k3.mean():.4f} (|z| = {z3:.2f}), min {k3.min():.2e}; k1 was negative in {k1_negative:.0%}"),
        check("the clipped surrogate's gradient drops samples outside the interval (finite differences)",
              fd_err < 1e-6, f"max |analytic − numeric| = {fd_err:.1e}; {n_inactive}/{BATCH} samples clipped"),
    ]
    closer = kl_c[-1] < kl_u[-1]
    clip_en = (f"after {epochs} epochs on one batch the clipped policy is at KL {kl_c[-1]:.4f} from π_old vs "
               f"{kl_u[-1]:.4f} unclipped ({'closer' if closer else 'not closer'}), max |ρ − 1| "
               f"{metrics['max_abs_ratio_minus_1_clipped']:.3f} vs {metrics['max_abs_ratio_minus_1_unclipped']:.3f}")
    clip_zh = (f"在同一批样本上训练 {epochs} 轮后，裁剪版离 π_old 的 KL 为 {kl_c[-1]:.4f}，不裁剪为 {kl_u[-1]:.4f}"
               f"（{'更近' if closer else '并没有更近'}），max |ρ − 1| 分别为 "
               f"{metrics['max_abs_ratio_minus_1_clipped']:.3f} 和 {metrics['max_abs_ratio_minus_1_unclipped']:.3f}")
    if k3.min() >= 0:
        k3_sign_en, k3_sign_zh = "never negative", "从不为负"
    else:
        k3_sign_en, k3_sign_zh = f"min {k3.min():.1e}", f"最小值 {k3.min():.1e}"
    takeaway = {
        "en": (f"β = {beta:g}: natural-gradient ascent on E[r] − β·KL ends {opt_err:.0e} from π_ref·exp(r/β)/Z "
               f"(max |π − π*|) with objective {j_ga:.4f}, against β·log Z = {j_theory:.4f}. Sequence KL "
               f"{exact:.4f} (exact over {v ** t_len} sequences): the summed per-token log-ratio gives {k1.mean():.4f} "
               f"(std {k1.std():.3f}, negative in {k1_negative:.0%} of samples), the k3 sum {k3.mean():.4f} "
               f"(std {k3.std():.3f}, {k3_sign_en}). Clipping: {clip_en}."),
        "zh": (f"β = {beta:g}：对 E[r] − β·KL 做自然梯度上升，终点与 π_ref·exp(r/β)/Z 最大相差 {opt_err:.0e}，"
               f"目标值 {j_ga:.4f}，β·log Z = {j_theory:.4f}。序列 KL 精确值 {exact:.4f}（枚举 "
               f"{v ** t_len} 个序列）：逐词元对数比之和给出 {k1.mean():.4f}（标准差 {k1.std():.3f}，"
               f"{k1_negative:.0%} 的样本为负），k3 之和给出 {k3.mean():.4f}（标准差 {k3.std():.3f}，{k3_sign_zh}）。"
               f"裁剪：{clip_zh}。"),
    }
    claim = {
        "en": ("Natural-gradient ascent on E[r] − β·KL lands on π_ref·exp(r/β)/Z with objective β·log Z; a smaller β "
               "buys more reward with more KL (table). Both per-token sums estimate the sequence KL without bias, "
               "but only k3 is never negative; the clipped surrogate gives no gradient to a sample whose ratio has "
               "left [1 − ε, 1 + ε] in the direction of its advantage."),
        "zh": ("对 E[r] − β·KL 做自然梯度上升会收敛到 π_ref·exp(r/β)/Z，目标值为 β·log Z；β 越小，奖励越高、KL 越大"
               "（见表）。两种逐词元求和都是序列 KL 的无偏估计，但只有 k3 从不为负；比率朝优势方向越出 "
               "[1 − ε, 1 + ε] 的样本，在裁剪后的目标里不再贡献梯度。"),
    }
    x = np.arange(epochs + 1)
    series = {"KL(π ‖ π_old), clipped": Series.of(x, kl_c), "KL(π ‖ π_old), unclipped": Series.of(x, kl_u)}
    table = {"columns": ["beta", "expected_reward_at_optimum", "KL_to_reference"], "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
