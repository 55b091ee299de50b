"""The DDPM forward (noising) process: ᾱ_t, the one-shot formula for x_t, and the signal-to-noise ratio.

With β_t linear from β_1 to β_T, α_t = 1 − β_t and ᾱ_t = Π_{s≤t} α_s, the chain
x_t = √α_t x_{t−1} + √β_t ε has the closed form x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Ho et al., 2020), so
E[x_t] = √ᾱ_t E[x_0], Var[x_t] = ᾱ_t Var[x_0] + 1 − ᾱ_t and SNR(t) = ᾱ_t / (1 − ᾱ_t).
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def signal_to_noise(alpha_bar) -> np.ndarray:
    """SNR(t) = ᾱ_t/(1−ᾱ_t): signal variance over noise variance in x_t (falls as ᾱ_t does)."""
    return alpha_bar / (1.0 - alpha_bar)


def one_shot(x0, alpha_bar: float, rng) -> np.ndarray:
    """x_t = √ᾱ_t x₀ + √(1−ᾱ_t) ε in one draw (the closed form that lets training jump to any t)."""
    return np.sqrt(alpha_bar) * x0 + np.sqrt(1.0 - alpha_bar) * rng.standard_normal(len(x0))


def noising_step(x, beta: float, rng) -> np.ndarray:
    """One forward step x_s = √(1−β_s) x_{s−1} + √β_s ε_s."""
    return np.sqrt(1.0 - beta) * x + np.sqrt(beta) * rng.standard_normal(len(x))


@demo(
    id="diffusion-forward",
    title={"zh": "扩散模型的前向加噪过程（DDPM）", "en": "The diffusion (DDPM) forward noising process"},
    tags=["diffusion", "ddpm", "noise-schedule", "forward-process", "snr", "generative-model",
          "扩散模型", "加噪", "噪声调度", "信噪比", "生成模型"],
    params=[
        Param("T", int, 1000, 10, 2000, help={"zh": "扩散步数 T", "en": "number of diffusion steps T"}),
        Param("beta_end", float, 0.02, 0.001, 0.2, help={"zh": "线性调度的终点 β_T（起点 1e-4）",
                                                        "en": "last β of the linear schedule (it starts at 1e-4)"}),
        Param("t", int, 250, 1, 2000, help={"zh": "检查 x_t 统计量的时间步（不超过 T）",
                                            "en": "timestep at which x_t's statistics are measured (≤ T)"}),
        Param("n", int, 20000, 1000, 25000, help={"zh": "样本数", "en": "number of samples"}),
    ],
)
def run(p, rng) -> Outcome:
    big_t, n = p["T"], p["n"]
    t = min(p["t"], big_t)
    betas = np.linspace(1e-4, p["beta_end"], big_t)
    alpha_bar = np.cumprod(1.0 - betas)
    ab_t, ab_final = float(alpha_bar[t - 1]), float(alpha_bar[-1])
    snr = signal_to_noise(alpha_bar)
    steps = np.arange(1, big_t + 1)

    # data: +2 with probability 0.625, −2 otherwise (mean 0.5, variance 3.75; far from Gaussian)
    x0 = np.where(rng.random(n) < 0.625, 2.0, -2.0)
    mean0, var0 = float(x0.mean()), float(x0.var())
    # one shot: x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε
    xt = one_shot(x0, ab_t, rng)
    mean_theory = np.sqrt(ab_t) * mean0
    var_theory = ab_t * var0 + 1.0 - ab_t
    # step by step, t times: x_s = √α_s x_{s−1} + √β_s ε_s
    chain = x0.copy()
    for beta in betas[:t]:
        chain = noising_step(chain, beta, rng)
    # the end of the chain is (almost) pure N(0, 1) noise
    xT = one_shot(x0, ab_final, rng)
    corr_T = float(np.corrcoef(x0, xT)[0, 1])
    corr_theory = float(np.sqrt(ab_final * var0 / (ab_final * var0 + 1.0 - ab_final)))
    half = int(np.argmax(snr < 1.0)) + 1 if np.any(snr < 1.0) else big_t

    tol_mean = 4 * np.sqrt(var_theory / n)
    tol_var = 4 * var_theory * np.sqrt(2.0 / n)
    metrics = {
        "alpha_bar_T": ab_final,
        "alpha_bar_t": ab_t,
        "mean_xt": float(xt.mean()), "mean_theory": float(mean_theory),
        "var_xt": float(xt.var()), "var_theory": float(var_theory),
        "mean_chain": float(chain.mean()), "var_chain": float(chain.var()),
        "snr_t": float(snr[t - 1]), "snr_T": float(snr[-1]),
        "first_step_snr_below_1": half,
        "corr_x0_xT": corr_T,
        "corr_x0_xT_theory": corr_theory,
    }
    checks = [
        check(f"closed-form x_{t} has mean √ᾱ·E[x₀] and variance ᾱVar[x₀] + 1 − ᾱ (within 4 s.e.)",
              abs(xt.mean() - mean_theory) < tol_mean and abs(xt.var() - var_theory) < tol_var,
              f"mean {xt.mean():.4f} vs {mean_theory:.4f}, variance {xt.var():.4f} vs {var_theory:.4f}"),
        check(f"{t} noising steps match the one-shot formula (within 4 s.e.)",
              abs(chain.mean() - mean_theory) < tol_mean and abs(chain.var() - var_theory) < tol_var,
              f"chain mean {chain.mean():.4f}, variance {chain.var():.4f}"),
        check("ᾱ_T < 1e-3: x_T is essentially pure noise",
              ab_final < 1e-3 and abs(corr_T - corr_theory) < 4 / np.sqrt(n),
              f"ᾱ_T = {ab_final:.2e}, corr(x₀, x_T) = {corr_T:.4f} (theory {corr_theory:.4f})"),
        check("SNR falls monotonically", bool(np.all(np.diff(snr) < 0)),
              f"SNR(1) = {snr[0]:.3g} … SNR(T) = {snr[-1]:.2e}; below 1 from t = {half}"),
    ]
    crossed = bool(np.any(snr < 1.0))
    snr_zh = (f"信噪比从 t={half} 起低于 1。" if crossed
              else f"信噪比直到 t={big_t} 都没有低于 1（SNR(T) = {snr[-1]:.3g}）。")
    snr_en = (f"SNR drops below 1 at t={half}." if crossed
              else f"SNR stays above 1 up to t={big_t} (SNR(T) = {snr[-1]:.3g}).")
    takeaway = {
        "zh": (f"线性 β 调度（1e-4 → {p['beta_end']:g}，T={big_t}）下 ᾱ_T = {ab_final:.2e}，x_T 与 x₀ 的相关系数为 "
               f"{corr_T:.3f}。一步公式 x_t = √ᾱ_t x₀ + √(1−ᾱ_t) ε 在 t={t} 给出方差 {xt.var():.3f}"
               f"（理论 {var_theory:.3f}），逐步加噪 {t} 次为 {chain.var():.3f}。{snr_zh}"),
        "en": (f"With the linear β schedule (1e-4 → {p['beta_end']:g}, T={big_t}), ᾱ_T = {ab_final:.2e} and "
               f"corr(x₀, x_T) = {corr_T:.3f}. The one-shot x_t = √ᾱ_t x₀ + √(1−ᾱ_t) ε at t={t} has variance "
               f"{xt.var():.3f} (theory {var_theory:.3f}); {t} explicit noising steps give {chain.var():.3f}. "
               f"{snr_en}"),
    }
    claim = {
        "zh": "x_T 几乎是纯噪声；一步公式与逐步加噪结果一致，所以训练时可以直接跳到任意 t。",
        "en": ("x_T is almost pure noise, and the one-shot formula matches step-by-step noising, which is why training "
               "can jump straight to any t."),
    }
    every = max(1, big_t // 200)
    series = {
        "ᾱ_t": Series.of(steps[::every], alpha_bar[::every]),
        "SNR(t) = ᾱ/(1−ᾱ)": Series.of(steps[::every], snr[::every], log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
