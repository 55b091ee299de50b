"""A Bradley–Terry reward model fitted to simulated pairwise preferences, and best-of-N over-optimisation.

Part A (well specified): responses have features x ~ N(0, I_d) and a true reward r*(x) = w*·x. An
annotator prefers a over b with probability σ(s·(r*(a) − r*(b))); s is how consistent the annotator is.
A linear reward model r̂(x) = ŵ·x is fitted by maximum likelihood on the loss −log σ(r̂(a) − r̂(b)).
Only differences enter, so a constant shift of r̂ is invisible (the Fisher information has a zero
eigenvalue along a constant feature); the scale is pinned by the label noise, so ŵ estimates s·w*.
Part B (misspecified): the true reward also penalises the first feature, r*(x) = w*·x − q·x₁², which a
linear proxy cannot represent. Best-of-N under the proxy then raises the proxy score without end while
the true reward of the selected response can peak and fall (Goodhart; the shape Gao et al. 2022 report).
The KL of best-of-N from the base distribution is log N − (N − 1)/N, checked by Monte Carlo.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

TRIALS = 400


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_bt(diff: np.ndarray, label: np.ndarray, iters: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood ŵ for P(a ≻ b) = σ(ŵ·(x_a − x_b)) by Newton's method; returns (ŵ, Fisher info)."""
    w = np.zeros(diff.shape[1])
    ridge = 1e-8 * np.eye(diff.shape[1])
    for _ in range(iters):
        p = sigmoid(diff @ w)
        grad = diff.T @ (label - p)
        hess = (diff * (p * (1 - p))[:, None]).T @ diff + ridge
        step = np.linalg.solve(hess, grad)
        w = w + step
        if np.max(np.abs(step)) < 1e-12:
            break
    p = sigmoid(diff @ w)
    return w, (diff * (p * (1 - p))[:, None]).T @ diff


def chi2_upper(dof: int, z: float = 3.719) -> float:
    """Wilson–Hilferty approximation of the χ² quantile at standard-normal z (3.719 ≈ the 1e-4 tail)."""
    a = 2.0 / (9.0 * dof)
    return dof * (1 - a + z * math.sqrt(a)) ** 3


def log_norm_cdf(z: np.ndarray) -> np.ndarray:
    return np.log(0.5 * np.array([math.erfc(-v / math.sqrt(2)) for v in np.ravel(z)]))


def simulate_pairs(rng, n, d, true_reward, sharp):
    """(x_a − x_b, labels, P(a ≻ b), (x_a, x_b)) for n random pairs labelled by a BT annotator of sharpness s."""
    xa, xb = rng.standard_normal((n, d)), rng.standard_normal((n, d))
    prob = sigmoid(sharp * (true_reward(xa) - true_reward(xb)))
    return xa - xb, (rng.random(n) < prob).astype(float), prob, (xa, xb)


def pair_features(xa, xb):
    """What a reward model with a bias term compares: [x_a, 1] − [x_b, 1] (the bias column comes out 0)."""
    ones = np.ones((len(xa), 1))
    return np.hstack([xa, ones]) - np.hstack([xb, ones])


@demo(
    id="reward-model-bt",
    title={"zh": "Bradley–Terry 奖励模型：拟合偏好、平移不可辨识、best-of-N 过度优化",
           "en": "Bradley–Terry reward model: fitting preferences, the invisible shift, best-of-N over-optimisation"},
    tags=["reward model", "bradley-terry", "rlhf", "preference", "over-optimisation", "goodhart", "best-of-n",
          "reward hacking", "奖励模型", "偏好", "过度优化", "奖励欺骗", "古德哈特"],
    params=[
        Param("d", int, 4, 2, 10, help={"zh": "特征维数", "en": "number of features"}),
        Param("pairs", int, 3000, 300, 20000, help={"zh": "训练偏好对数", "en": "training preference pairs"}),
        Param("sharpness", float, 1.0, 0.3, 3.0,
              help={"zh": "标注者一致性 s：P(a≻b) = σ(s·(r*a − r*b))",
                    "en": "annotator consistency s: P(a≻b) = σ(s·(r*a − r*b))"}),
        Param("quad", float, 0.5, 0.0, 2.0,
              help={"zh": "第二部分真实奖励里的 −q·x₁² 惩罚（代理模型看不到）",
                    "en": "part B: the −q·x₁² penalty in the true reward (invisible to the linear proxy)"}),
        Param("max_log2_n", int, 10, 3, 10, help={"zh": "best-of-N 的最大 N = 2^这个值",
                                                  "en": "largest best-of-N is N = 2^this"}),
    ],
)
def run(p, rng) -> Outcome:
    d, n, s, q, kmax = p["d"], p["pairs"], p["sharpness"], p["quad"], p["max_log2_n"]
    w_true = np.full(d, 0.3)
    w_true[0] = 1.0

    # Part A: well-specified fit
    def linear(x):
        return x @ w_true

    diff, label, _, (xa, xb) = simulate_pairs(rng, n, d, linear, s)
    w_hat, fisher = fit_bt(diff, label)
    err = w_hat - s * w_true
    wald = float(err @ fisher @ err)
    wald_limit = chi2_upper(d)
    items = rng.standard_normal((2000, d))
    corr = float(np.corrcoef(items @ w_hat, items @ w_true)[0, 1])
    scale = float(np.linalg.norm(w_hat) / np.linalg.norm(w_true))

    # shift: a constant feature is identical for both responses, so its column of x_a − x_b is zero
    diff_c = pair_features(xa, xb)
    pc = sigmoid(diff @ w_hat)
    fisher_c = (diff_c * (pc * (1 - pc))[:, None]).T @ diff_c
    eigval, eigvec = np.linalg.eigh(fisher_c)
    shift_eig = float(eigval[0])
    shift_vec = float(abs(eigvec[-1, 0]))

    # calibration on held-out pairs: predicted σ(r̂a − r̂b) vs empirical win rate in 10 bins
    diff_t, label_t, *_ = simulate_pairs(rng, n, d, linear, s)
    pred = sigmoid(diff_t @ w_hat)
    order = np.argsort(pred)
    worst_z, cal_rows = 0.0, []
    fisher_inv = np.linalg.inv(fisher)
    for idx in np.array_split(order, 10):
        pm, em = float(pred[idx].mean()), float(label_t[idx].mean())
        # label noise in the bin plus the uncertainty of ŵ itself (delta method through I⁻¹)
        g = np.mean((pred[idx] * (1 - pred[idx]))[:, None] * diff_t[idx], axis=0)
        se = math.sqrt(max(float(np.mean(pred[idx] * (1 - pred[idx]))), 1e-12) / len(idx) + float(g @ fisher_inv @ g))
        worst_z = max(worst_z, abs(em - pm) / se)
        cal_rows.append([pm, em, len(idx)])

    # Part B: misspecified truth, linear proxy, best-of-N
    def curved(x):
        return x @ w_true - q * x[:, 0] ** 2

    diff_b, label_b, *_ = simulate_pairs(rng, n, d, curved, s)
    w_proxy, _ = fit_bt(diff_b, label_b)
    n_max = 2**kmax
    pool = rng.standard_normal((TRIALS, n_max, d))
    proxy_all = pool @ w_proxy
    true_all = pool @ w_true - q * pool[..., 0] ** 2
    ns = [2**k for k in range(kmax + 1)]
    rows, true_sel, true_oracle, proxy_sel, kl_theory, kl_err = [], [], [], [], [], 0.0
    sd_proxy = float(np.linalg.norm(w_proxy))
    for m in ns:
        pick = np.argmax(proxy_all[:, :m], axis=1)
        best_proxy = proxy_all[np.arange(TRIALS), pick]
        t_sel = float(true_all[np.arange(TRIALS), pick].mean())
        t_orc = float(true_all[:, :m].max(axis=1).mean())
        kl = math.log(m) - (m - 1) / m
        # log density ratio of the best-of-m sample: log m + (m − 1)·log Φ(score/sd)
        ratio = math.log(m) + (m - 1) * log_norm_cdf(best_proxy / sd_proxy)
        kl_mc, kl_se = float(ratio.mean()), float(ratio.std() / math.sqrt(TRIALS))
        kl_err = max(kl_err, abs(kl_mc - kl) / max(kl_se, 1e-12) if m > 1 else abs(kl_mc - kl) * 1e12)
        true_sel.append(t_sel)
        true_oracle.append(t_orc)
        proxy_sel.append(float(best_proxy.mean()))
        kl_theory.append(kl)
        rows.append([m, kl, kl_mc, float(best_proxy.mean()), t_sel, t_orc])
    peak = int(np.argmax(true_sel))
    overopt = 0 < peak < len(ns) - 1 and true_sel[-1] < true_sel[peak] and proxy_sel[-1] > proxy_sel[peak]

    metrics = {
        "scale_fitted_over_true": scale,
        "annotator_sharpness": s,
        "wald_statistic": wald,
        "wald_limit_chi2": wald_limit,
        "reward_correlation": corr,
        "shift_direction_fisher_eigenvalue": shift_eig,
        "calibration_worst_z": worst_z,
        "proxy_true_reward_at_N1": true_sel[0],
        "proxy_true_reward_peak": true_sel[peak],
        "proxy_peak_N": ns[peak],
        f"proxy_true_reward_at_N{n_max}": true_sel[-1],
        f"oracle_true_reward_at_N{n_max}": true_oracle[-1],
        f"kl_best_of_{n_max}_theory": kl_theory[-1],
    }
    checks = [
        check("the fitted reward recovers s·w* (Wald statistic below the χ²_d 1e-4 quantile)", wald < wald_limit,
              f"(ŵ − s·w*)ᵀ I (ŵ − s·w*) = {wald:.2f} vs {wald_limit:.2f}; scale ‖ŵ‖/‖w*‖ = {scale:.3f}, s = {s:g}"),
        check("a constant shift of the reward is unidentifiable: zero Fisher information along it",
              shift_eig < 1e-9 and shift_vec > 1 - 1e-9,
              f"smallest eigenvalue {shift_eig:.1e}, its weight on the constant feature {shift_vec:.6f}"),
        check("held-out win rates match σ(r̂a − r̂b) in every decile (|z| ≤ 4, SE incl. the fit's own error)",
              worst_z <= 4,
              f"worst bin |z| = {worst_z:.2f}"),
        check("Monte Carlo KL of best-of-N matches log N − (N − 1)/N (worst N within 5 SE)", kl_err <= 5,
              f"worst |z| = {kl_err:.2f} over N = 1…{n_max}"),
        check("over-optimisation: the true reward under proxy best-of-N peaks, then falls as the proxy rises",
              overopt,
              f"true reward {true_sel[0]:.3f} (N=1) → peak {true_sel[peak]:.3f} (N={ns[peak]}) → "
              f"{true_sel[-1]:.3f} (N={n_max}); proxy {proxy_sel[0]:.2f} → {proxy_sel[-1]:.2f}"),
    ]
    if overopt:
        oo_en = (f"best-of-N under the linear proxy raised the true reward from {true_sel[0]:.3f} to "
                 f"{true_sel[peak]:.3f} at N = {ns[peak]} (KL {kl_theory[peak]:.2f} nats), then it fell to "
                 f"{true_sel[-1]:.3f} at N = {n_max} while the proxy score kept rising; choosing by the true reward "
                 f"reaches {true_oracle[-1]:.3f}")
        oo_zh = (f"按线性代理做 best-of-N，真实奖励从 {true_sel[0]:.3f} 升到 N = {ns[peak]} 时的 {true_sel[peak]:.3f}"
                 f"（KL {kl_theory[peak]:.2f} nat），随后降到 N = {n_max} 时的 {true_sel[-1]:.3f}，而代理分数一直上升；"
                 f"按真实奖励挑选可达 {true_oracle[-1]:.3f}")
    else:
        oo_en = (f"with q = {q:g} no over-optimisation showed up to N = {n_max}: the true reward under the proxy "
                 f"went {true_sel[0]:.3f} → {true_sel[-1]:.3f} (best {true_sel[peak]:.3f} at N = {ns[peak]}), "
                 f"oracle {true_oracle[-1]:.3f}")
        oo_zh = (f"q = {q:g} 时直到 N = {n_max} 都没有出现过度优化：按代理挑选的真实奖励 {true_sel[0]:.3f} → "
                 f"{true_sel[-1]:.3f}（最好 {true_sel[peak]:.3f}，N = {ns[peak]}），"
                 f"按真实奖励挑选为 {true_oracle[-1]:.3f}")
    if checks[0].passed:
        scale_en, scale_zh = f"≈ s = {s:g}: the label noise sets the scale", f"≈ s = {s:g}，尺度由标注噪声决定"
    else:
        scale_en = f"NOT consistent with s·w* for s = {s:g}: too few pairs for {d} features"
        scale_zh = f"与 s·w*（s = {s:g}）不一致：{d} 个特征配这么少的偏好对不够"
    if checks[2].passed:
        cal_en = f"Held-out win rates match σ(r̂a − r̂b) (worst decile |z| = {worst_z:.1f})."
        cal_zh = f"留出集上的胜率与 σ(r̂a − r̂b) 一致（最差分位 |z| = {worst_z:.1f}）。"
    else:
        cal_en = (f"Held-out win rates deviate from σ(r̂a − r̂b) (worst decile |z| = {worst_z:.1f}): the fit is "
                  "miscalibrated, e.g. over-fitted with few pairs.")
        cal_zh = f"留出集胜率偏离 σ(r̂a − r̂b)（最差分位 |z| = {worst_z:.1f}）：拟合未校准，例如偏好对太少而过拟合。"
    takeaway = {
        "en": (f"From {n} pairs with annotator consistency s = {s:g}, the Bradley–Terry fit has correlation "
               f"{corr:.3f} with the true reward and scale ‖ŵ‖/‖w*‖ = {scale:.3f} ({scale_en}); the Fisher "
               f"information along a constant shift is {shift_eig:.1g}. {cal_en} With the −{q:g}·x₁² term the proxy "
               f"cannot see, {oo_en}."),
        "zh": (f"用 {n} 个偏好对、标注一致性 s = {s:g} 拟合 Bradley–Terry 模型：与真实奖励的相关系数 {corr:.3f}，"
               f"尺度 ‖ŵ‖/‖w*‖ = {scale:.3f}（{scale_zh}）；常数平移方向的 Fisher 信息为 {shift_eig:.1g}。"
               f"{cal_zh}"
               f"真实奖励含代理看不到的 −{q:g}·x₁² 时，{oo_zh}。"),
    }
    claim = {
        "en": ("A constant shift has zero Fisher information, so it is never learned: Bradley–Terry sees only reward "
               "differences, and the label noise sets their scale. A proxy that cannot represent part of the true "
               "reward gets over-optimised: under best-of-N the proxy score keeps rising while the true reward "
               "peaks and falls (Goodhart)."),
        "zh": ("常数平移方向的 Fisher 信息为 0，永远学不到：Bradley–Terry 只看奖励之差，差值的尺度由标注噪声决定。"
               "代理模型表示不了真实奖励的一部分时就会被过度优化：做 best-of-N 时代理分数一路上升，"
               "真实奖励却先升后降（古德哈特定律）。"),
    }
    x = np.array(ns, dtype=float)
    series = {"true reward, best-of-N by proxy (x = log2 N)": Series.of(np.log2(x), true_sel),
              "true reward, best-of-N by true reward (x = log2 N)": Series.of(np.log2(x), true_oracle)}
    table = {"columns": ["N", "KL_theory", "KL_monte_carlo", "proxy_score", "true_by_proxy", "true_by_oracle"],
             "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
