"""A tiny restricted Boltzmann machine trained with CD-1, small enough to compute everything exactly.

E(v, h) = −aᵀv − bᵀh − vᵀWh over binary v (n_v units) and h (n_h units); p(v, h) = e^(−E)/Z. With no links
inside a layer, p(h_j = 1 | v) = σ(b_j + vᵀW_j) and p(v_i = 1 | h) = σ(a_i + W_i·h), so whole layers are
sampled at once (block Gibbs). Summing h out gives the free energy F(v) = −aᵀv − Σ_j log(1 + e^(b_j + vᵀW_j)),
p(v) = e^(−F(v))/Z, and with 2^n_v visible states Z is an exact sum here. So the demo can measure what
is intractable at scale: the exact log-likelihood CD-1 is meant to raise, and the exact gradient
⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model that CD-1 replaces by ⟨v hᵀ⟩_data − ⟨v′ h′ᵀ⟩ after one Gibbs step v → h → v′.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param

N_VISIBLE = 8
STEPS = 500
LR = 0.2
INIT = 0.01  # initial weight scale (Hinton's practical guide)
CHAINS = 4000
GIBBS_STEPS = 20
ALL_V = np.array(list(itertools.product([0.0, 1.0], repeat=N_VISIBLE)))


def distinct_patterns(rng, k, min_distance=3):
    """k random 8-bit patterns, pairwise at least `min_distance` bits apart.

    At distance 3 a pattern with one bit flipped is still nearest its own pattern.
    """
    while True:
        codes = rng.choice(len(ALL_V), size=k, replace=False)
        v = ALL_V[codes]
        dist = np.abs(v[:, None] - v[None]).sum(-1)
        if k == 1 or dist[np.triu_indices(k, 1)].min() >= min_distance:
            return codes


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def free_energy(v, a, b, w):
    return -(v @ a) - np.sum(np.logaddexp(0.0, v @ w + b), axis=-1)


def exact_log_lik(data, a, b, w):
    """Mean log p(v) over the data, with log Z = logsumexp(−F) over all 2^n_v visible states."""
    f_all = -free_energy(ALL_V, a, b, w)
    log_z = float(np.max(f_all) + np.log(np.sum(np.exp(f_all - np.max(f_all)))))
    return float(np.mean(-free_energy(data, a, b, w))) - log_z


def model_distribution(a, b, w):
    f_all = -free_energy(ALL_V, a, b, w)
    p = np.exp(f_all - f_all.max())
    return p / p.sum()


def exact_gradient(data, a, b, w):
    """∂ mean log p(v)/∂W = ⟨v·p(h|v)ᵀ⟩_data − ⟨v·p(h|v)ᵀ⟩_model (the model term summed over all v)."""
    ph_data = sigmoid(data @ w + b)
    p_model = model_distribution(a, b, w)
    ph_all = sigmoid(ALL_V @ w + b)
    return data.T @ ph_data / len(data) - (ALL_V * p_model[:, None]).T @ ph_all


def cd1_expected(data, a, b, w):
    """The CD-1 update for W averaged exactly over its sampling v₀ → h₀ ~ p(h|v₀) → v₁ ~ p(v|h₀).

    h₀ and v₁ are enumerated (2^n_h and 2^n_v states), so there is no sampling noise.
    """
    n_h = len(b)
    all_h = np.array(list(itertools.product([0.0, 1.0], repeat=n_h)))
    ph0 = sigmoid(data @ w + b)                                                 # (d, n_h)
    p_h0 = np.prod(np.where(all_h[None], ph0[:, None], 1 - ph0[:, None]), axis=2)  # (d, 2^n_h)
    pv1 = sigmoid(all_h @ w.T + a)                                              # E[v₁ | h₀], (2^n_h, n_v)
    # E[v₁ p(h|v₁)ᵀ | h₀] needs the distribution of v₁, which factorises: enumerate it too
    p_v1 = np.prod(np.where(ALL_V[None], pv1[:, None], 1 - pv1[:, None]), axis=2)  # (2^n_h, 2^n_v)
    ph_all = sigmoid(ALL_V @ w + b)
    neg_given_h0 = np.einsum("hv,vi,vj->hij", p_v1, ALL_V, ph_all)
    neg = np.einsum("dh,hij->ij", p_h0, neg_given_h0) / len(data)
    return data.T @ ph0 / len(data) - neg


def cd1_step(data, a, b, w, rng):
    """One sampled CD-1 update (Hinton's recipe: sample h₀ and v₁, use probabilities for h₁)."""
    ph0 = sigmoid(data @ w + b)
    h0 = (rng.random(ph0.shape) < ph0).astype(float)
    pv1 = sigmoid(h0 @ w.T + a)
    v1 = (rng.random(pv1.shape) < pv1).astype(float)
    ph1 = sigmoid(v1 @ w + b)
    n = len(data)
    return ((data.T @ ph0 - v1.T @ ph1) / n, (data - v1).mean(0), (ph0 - ph1).mean(0))


def gibbs(v, a, b, w, rng, steps):
    for _ in range(steps):
        h = (rng.random((len(v), len(b))) < sigmoid(v @ w + b)).astype(float)
        v = (rng.random(v.shape) < sigmoid(h @ w.T + a)).astype(float)
    return v


def independent_bits_log_lik(data):
    """The best a model without hidden units (W = 0) can do: each bit on its own, at its data frequency."""
    q = data.mean(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_bit = np.where((q == 0) | (q == 1), 0.0, q * np.log(q) + (1 - q) * np.log(1 - q))
    return float(per_bit.sum())


def reconstruct(v, a, b, w):
    """Mean-field v → p(h|v) → p(v|h)."""
    return sigmoid(sigmoid(v @ w + b) @ w.T + a)


def _cos(x, y):
    return float(np.sum(x * y) / (np.linalg.norm(x) * np.linalg.norm(y)))


@demo(
    id="rbm-cd1",
    title={"zh": "受限玻尔兹曼机：CD-1 训练、精确似然、能量与 Gibbs 采样",
           "en": "A restricted Boltzmann machine: CD-1 training, exact likelihood, energy and Gibbs sampling"},
    tags=["rbm", "restricted-boltzmann-machine", "boltzmann-machine", "contrastive-divergence", "cd-1",
          "energy-based-model", "gibbs-sampling", "free-energy", "受限玻尔兹曼机", "玻尔兹曼机", "对比散度",
          "能量模型", "吉布斯采样"],
    params=[
        Param("hidden", int, 4, 2, 8, help={"zh": "隐单元数 n_h", "en": "hidden units n_h"}),
        Param("patterns", int, 3, 2, 6,
              help={"zh": "训练用的二值模式个数（8 位）", "en": "binary training patterns (8 bits)"}),
    ],
)
def run(p, rng) -> Outcome:
    n_h, k = p["hidden"], p["patterns"]
    codes = distinct_patterns(rng, k)
    data = ALL_V[codes]
    a, b = np.zeros(N_VISIBLE), np.zeros(n_h)
    w = INIT * rng.standard_normal((N_VISIBLE, n_h))

    def snapshot(step):
        f_all = free_energy(ALL_V, a, b, w)
        return {"step": step, "loglik": exact_log_lik(data, a, b, w),
                "f_gap": float(np.mean(free_energy(data, a, b, w)) - np.mean(f_all)),
                "recon_err": float(np.mean(np.abs(data - reconstruct(data, a, b, w))))}

    cos0 = _cos(cd1_expected(data, a, b, w), exact_gradient(data, a, b, w))
    history = [snapshot(0)]
    for step in range(1, STEPS + 1):
        dw, da, db = cd1_step(data, a, b, w, rng)
        w += LR * dw
        a += LR * da
        b += LR * db
        if step % 10 == 0:
            history.append(snapshot(step))
    cd_end, ex_end = cd1_expected(data, a, b, w), exact_gradient(data, a, b, w)
    cos_end = _cos(cd_end, ex_end)
    norm_cd_end, norm_ex_end = float(np.linalg.norm(cd_end)), float(np.linalg.norm(ex_end))
    first, last = history[0], history[-1]
    uniform_ll = -N_VISIBLE * math.log(2)
    ind_ll = independent_bits_log_lik(data)
    best_ll = -math.log(k)  # the most any model can give k distinct patterns, each 1/k

    p_model = model_distribution(a, b, w)
    mass_on_data = float(p_model[codes].sum())
    # block Gibbs keeps the exact distribution: start chains at exact samples, run, compare
    start = ALL_V[rng.choice(len(ALL_V), size=CHAINS, p=p_model)]
    end = gibbs(start, a, b, w, rng, GIBBS_STEPS)
    idx = end @ (2 ** np.arange(N_VISIBLE - 1, -1, -1))
    freq = np.bincount(idx.astype(int), minlength=len(ALL_V)) / CHAINS
    tv = 0.5 * float(np.abs(freq - p_model).sum())
    tv_noise = 0.5 * float(np.sum(np.sqrt(2 * p_model * (1 - p_model) / (math.pi * CHAINS))))  # E[TV] if exact

    # one flipped bit per pattern, cleaned by one mean-field pass
    flips = rng.integers(0, N_VISIBLE, size=k)
    noisy = data.copy()
    noisy[np.arange(k), flips] = 1 - noisy[np.arange(k), flips]
    cleaned = (reconstruct(noisy, a, b, w) > 0.5).astype(float)
    restored = int(np.sum(np.all(cleaned == data, axis=1)))

    metrics = {
        "loglik_initial": first["loglik"], "loglik_final": last["loglik"], "loglik_uniform": uniform_ll,
        "loglik_best_possible": best_ll, "loglik_independent_bits": ind_ll, "model_mass_on_patterns": mass_on_data,
        "free_energy_gap_initial": first["f_gap"], "free_energy_gap_final": last["f_gap"],
        "reconstruction_error_initial": first["recon_err"], "reconstruction_error_final": last["recon_err"],
        "cd1_vs_exact_gradient_cosine_initial": cos0, "cd1_vs_exact_gradient_cosine_final": cos_end,
        "cd1_expected_update_norm_final": norm_cd_end, "exact_gradient_norm_final": norm_ex_end,
        "gibbs_total_variation": tv, "gibbs_tv_sampling_noise": tv_noise,
        "patterns_restored_from_one_flipped_bit": restored,
    }
    checks = [
        check("CD-1 raises the exact log-likelihood of the training patterns", last["loglik"] > first["loglik"],
              f"{first['loglik']:.3f} → {last['loglik']:.3f} nats per pattern; independent bits {ind_ll:.3f}, "
              f"uniform {uniform_ll:.3f}, best possible {best_ll:.3f}; {mass_on_data:.1%} of p(v) on the {k} patterns"),
        check("the training patterns' free energy falls below the average state's", last["f_gap"] < first["f_gap"]
              and last["f_gap"] < 0, f"F(data) − mean F(all states): {first['f_gap']:.3f} → {last['f_gap']:.3f}"),
        check("at the start the expected CD-1 update points along the exact gradient (cosine > 0.9)", cos0 > 0.9,
              f"cosine {cos0:.3f} at the start, {cos_end:.3f} after training"),
        check(f"block Gibbs sampling keeps the exact p(v) ({CHAINS} chains from exact samples, {GIBBS_STEPS} sweeps)",
              tv < 3 * tv_noise + 0.01,
              f"total variation {tv:.3f}; sampling noise alone gives about {tv_noise:.3f}"),
    ]
    if last["loglik"] > ind_ll:
        ll_en = (f"CD-1 raised the exact log-likelihood from {first['loglik']:.3f} to {last['loglik']:.3f} nats per "
                 f"pattern, above the {ind_ll:.3f} of independent bits, so the hidden units carry the patterns' "
                 f"correlations")
        ll_zh = (f"CD-1 把精确对数似然从每个模式 {first['loglik']:.3f} 提高到 {last['loglik']:.3f} 奈特，"
                 f"高于独立比特模型的 {ind_ll:.3f}，说明隐单元学到了位之间的相关性")
    else:
        ll_en = (f"CD-1 moved the exact log-likelihood from {first['loglik']:.3f} to {last['loglik']:.3f} nats per "
                 f"pattern, still below the {ind_ll:.3f} of the best model with no hidden units at all (independent "
                 f"bits): in {STEPS} steps from this start CD-1 did not find a use for the hidden units")
        ll_zh = (f"CD-1 让精确对数似然从每个模式 {first['loglik']:.3f} 变为 {last['loglik']:.3f} 奈特，"
                 f"仍低于完全不用隐单元的最佳模型（独立比特）的 {ind_ll:.3f}："
                 f"从这个起点训练 {STEPS} 步，CD-1 没有把隐单元用起来")
    if norm_cd_end < 0.25 * norm_ex_end:
        bias_en = ("CD-1 has nearly stopped while the likelihood gradient has not: it settles where its own biased "
                   "estimate is zero, not at the maximum-likelihood point")
        bias_zh = "CD-1 几乎停了，而似然梯度并不为零：它停在自己那个有偏估计为零的地方，而不是最大似然点"
    elif cos_end > 0.9:
        bias_en = "CD-1 still points along the likelihood gradient and is still moving: training has not converged"
        bias_zh = "CD-1 仍沿似然梯度方向且还在移动：训练尚未收敛"
    else:
        bias_en = "the two now point in clearly different directions, which is CD-1's bias"
        bias_zh = "两者方向已明显不同，这就是 CD-1 的偏差"
    if checks[3].passed:
        gibbs_en = (f"Gibbs chains started at exact samples stayed at p(v) (total variation {tv:.3f}, noise level "
                    f"{tv_noise:.3f}).")
        gibbs_zh = f"从精确样本出发的 Gibbs 链保持在 p(v)（总变差 {tv:.3f}，噪声水平 {tv_noise:.3f}）。"
    else:
        gibbs_en = (f"Gibbs chains started at exact samples drifted away from p(v) (total variation {tv:.3f}, "
                    f"noise alone {tv_noise:.3f}): the sampler's conditionals are wrong.")
        gibbs_zh = (f"从精确样本出发的 Gibbs 链偏离了 p(v)（总变差 {tv:.3f}，纯噪声约 {tv_noise:.3f}）："
                    f"采样的条件分布有误。")
    takeaway = {
        "en": (f"{N_VISIBLE} visible and {n_h} hidden units, {k} patterns, {STEPS} CD-1 steps. {ll_en} (the most "
               f"possible is {best_ll:.3f}), putting {mass_on_data:.1%} of p(v) on the patterns; their free energy "
               f"minus the average state's went from {first['f_gap']:+.3f} to {last['f_gap']:+.2f}. "
               f"One mean-field pass restores {restored} of {k} "
               f"patterns with one bit flipped; reconstruction error {first['recon_err']:.3f} → "
               f"{last['recon_err']:.3f}.\nThe expected CD-1 update had cosine {cos0:.3f} with the exact gradient "
               f"at the start and {cos_end:.3f} at the end, where its size is {norm_cd_end:.3g} against the exact "
               f"gradient's {norm_ex_end:.3g}: {bias_en}. {gibbs_en}"),
        "zh": (f"{N_VISIBLE} 个可见单元、{n_h} 个隐单元、{k} 个模式，CD-1 训练 {STEPS} 步。"
               f"{ll_zh}（上限 {best_ll:.3f}），"
               f"p(v) 有 {mass_on_data:.1%} 落在这些模式上；它们的自由能减去平均状态的自由能，"
               f"从 {first['f_gap']:+.3f} 变为 {last['f_gap']:+.2f}。"
               f"每个模式翻转一位后，一次平均场重建恢复了 {k} 个中的 {restored} 个；重建误差 "
               f"{first['recon_err']:.3f} → {last['recon_err']:.3f}。\nCD-1 的期望更新与精确梯度的余弦：开始时 "
               f"{cos0:.3f}，训练结束时 {cos_end:.3f}，此时其大小为 {norm_cd_end:.3g}，精确梯度为 {norm_ex_end:.3g}："
               f"{bias_zh}。"
               f"{gibbs_zh}"),
    }
    claim = {
        "en": ("CD-1 replaces the intractable model term of the likelihood gradient by one block-Gibbs step from the "
               "data; from a small random start that estimate points along the exact gradient, and following it "
               "raises the likelihood by pushing the training patterns' free energy down. Block Gibbs sampling "
               "leaves p(v) unchanged, since with no links inside a layer each layer's conditional is exact."),
        "zh": ("CD-1 用从数据出发的一步块 Gibbs 采样，代替似然梯度里算不出来的模型期望项；从很小的随机初值出发，"
               "这个估计与精确梯度方向一致，沿它训练会压低训练模式的自由能、提高似然。层内没有连接，"
               "每层的条件分布都是精确的，所以块 Gibbs 采样不会改变 p(v)。"),
    }
    steps = [h["step"] for h in history]
    series = {"exact log-likelihood per pattern (nats) vs step": Series.of(steps, [h["loglik"] for h in history]),
              "best possible (−ln k)": Series.of(steps, [best_ll] * len(steps))}
    every = max(1, len(history) // 8)
    rows = [[h["step"], h["loglik"], h["f_gap"], h["recon_err"]] for h in history[::every]] + (
        [[last["step"], last["loglik"], last["f_gap"], last["recon_err"]]] if (len(history) - 1) % every else [])
    table = {"columns": ["step", "exact log-lik", "F(data) − mean F", "reconstruction error"], "rows": rows}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
