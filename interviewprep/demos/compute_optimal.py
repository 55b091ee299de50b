"""Compute-optimal allocation under a parametric scaling law, and the price of a smaller model.

The loss model is Chinchilla's functional form L(N, D) = E + A/N^α + B/D^β (Hoffmann et al., 2022), with
training compute C ≈ 6·N·D FLOPs. Minimising L on the line N·D = C/6 gives
N_opt = G·(C/6)^(β/(α+β)), D_opt = (C/6)/N_opt, G = (αA/(βB))^(1/(α+β)), so D/N stays constant only when
α = β. The constants here are illustrative, not the paper's fit: A = 400 and B is set so that the optimum
at Chinchilla's budget (70B parameters on 1.4T tokens, 5.88e23 FLOPs) is exactly that model.
Over-training: a model s times smaller can reach the same loss with more tokens; it costs extra training
compute but saves 2·N·(1 − 1/s) FLOPs per generated token at inference.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

E_LOSS, A_COEF = 1.7, 400.0
N_REF, D_REF = 70e9, 1.4e12  # Chinchilla: 70B parameters, 1.4T tokens


def b_coef(alpha: float, beta: float) -> float:
    """B so that (N_REF, D_REF) is optimal: at the optimum α·A/N^α = β·B/D^β."""
    return alpha * A_COEF * N_REF ** -alpha * D_REF ** beta / beta


def loss(n, d, alpha, beta, b):
    return E_LOSS + A_COEF / np.power(n, alpha) + b / np.power(d, beta)


def optimum(c: float, alpha: float, beta: float, b: float) -> tuple[float, float]:
    """Closed-form compute-optimal (N, D) for C = 6·N·D."""
    g = (alpha * A_COEF / (beta * b)) ** (1 / (alpha + beta))
    n = g * (c / 6) ** (beta / (alpha + beta))
    return n, c / 6 / n


def grid_optimum(c: float, alpha: float, beta: float, b: float):
    """Brute force: the best N on a fine log grid along N·D = C/6 (no calculus)."""
    log_n = np.linspace(math.log10(c) / 2 - 8, math.log10(c) / 2 + 8, 40001)
    n = 10.0 ** log_n
    values = loss(n, c / 6 / n, alpha, beta, b)
    i = int(np.argmin(values))
    return float(n[i]), log_n, values


@demo(
    id="compute-optimal",
    title={"zh": "算力最优分配：C ≈ 6ND、每参数多少 token、以及过度训练小模型的代价",
           "en": "Compute-optimal scaling: C ≈ 6ND, tokens per parameter, and the price of over-training"},
    tags=["scaling-laws", "chinchilla", "compute-optimal", "tokens-per-parameter", "flops", "inference-cost",
          "缩放定律", "规模定律", "算力最优", "训练算力", "推理成本"],
    params=[
        Param("log10_compute", float, 24.0, 20.0, 26.0, help={"zh": "训练算力 log10(C / FLOPs)",
                                                              "en": "training compute, log10(C / FLOPs)"}),
        Param("alpha", float, 0.34, 0.2, 0.5, help={"zh": "参数项指数 α", "en": "parameter exponent α"}),
        Param("beta", float, 0.34, 0.2, 0.5, help={"zh": "数据项指数 β", "en": "data exponent β"}),
        Param("shrink", float, 2.0, 1.1, 2.5, help={"zh": "小模型比最优模型小几倍 s",
                                                   "en": "how many times smaller the over-trained model is, s"}),
    ],
)
def run(p, rng) -> Outcome:
    alpha, beta, s = p["alpha"], p["beta"], p["shrink"]
    c = 10.0 ** p["log10_compute"]
    b = b_coef(alpha, beta)
    n_opt, d_opt = optimum(c, alpha, beta, b)
    n_grid, log_n, values = grid_optimum(c, alpha, beta, b)
    grid_err = abs(math.log10(n_grid / n_opt))
    # how D/N moves with compute: measured by brute force at C and 100·C
    n_hi = grid_optimum(100 * c, alpha, beta, b)[0]
    ratio_lo, ratio_hi = (c / 6 / n_grid) / n_grid, (100 * c / 6 / n_hi) / n_hi
    slope = math.log10(ratio_hi / ratio_lo) / 2
    slope_theory = (alpha - beta) / (alpha + beta)
    # over-training: a model s times smaller reaching the same loss
    target = float(loss(n_opt, d_opt, alpha, beta, b))
    n_small = n_opt / s
    room = target - E_LOSS - A_COEF / n_small**alpha
    if room > 0:
        d_small = (b / room) ** (1 / beta)
        c_small = 6 * n_small * d_small
        replay = float(loss(n_small, d_small, alpha, beta, b))
        extra = c_small / c - 1
        breakeven = (c_small - c) / (2 * n_opt * (1 - 1 / s))
    else:
        d_small = c_small = replay = extra = breakeven = math.nan
    chinchilla_c = 6 * N_REF * D_REF
    metrics = {
        "compute_flops": c,
        "n_opt": n_opt,
        "d_opt": d_opt,
        "tokens_per_param": d_opt / n_opt,
        "n_opt_grid_search": n_grid,
        "ratio_slope_per_decade": slope,
        "ratio_slope_theory": slope_theory,
        "chinchilla_compute_6ND": chinchilla_c,
        "small_model_params": n_small,
        "small_model_tokens": d_small,
        "small_model_tokens_per_param": d_small / n_small if room > 0 else math.nan,
        "small_model_extra_training_compute": extra,
        "breakeven_inference_tokens": breakeven,
    }
    checks = [
        check("brute-force search along N·D = C/6 finds the closed-form N_opt", grid_err < 1e-3,
              f"grid {n_grid:.4g} vs closed form {n_opt:.4g} parameters"),
        check("D/N changes with compute as C^((α−β)/(α+β))", abs(slope - slope_theory) < 2e-3,
              f"{slope:+.4f} per decade of compute, theory {slope_theory:+.4f}"),
        check("a model s times smaller reaches the same loss with more data and more compute",
              room > 0 and abs(replay - target) < 1e-9 and extra > 0,
              (f"N/{s:g} on {d_small:.3g} tokens: loss {replay:.6f} vs {target:.6f}, {extra:+.1%} training compute"
               if room > 0 else f"N/{s:g} cannot reach loss {target:.4f} at any data size")),
    ]
    budgets = [1e21, 1e22, 1e23, 1e24, 1e25]
    rows = []
    for cb in budgets:
        nb, db = optimum(cb, alpha, beta, b)
        rows.append([f"{cb:.0e}", f"{nb:.3g}", f"{db:.3g}", round(db / nb, 1)])
    table = {"columns": ["compute C (FLOPs)", "N_opt", "D_opt", "tokens per parameter"], "rows": rows}
    keep = np.abs(log_n - math.log10(n_opt)) <= 1.5
    series = {"loss along N·D = C/6 vs log10 N": Series.of(log_n[keep][::50], values[keep][::50])}
    if room > 0:
        small_zh = (f"小 {s:g} 倍的模型（{n_small:.3g} 参数）要 {d_small:.3g} 个 token"
                    f"（每参数 {d_small / n_small:.0f} 个）才能达到同样的损失，训练算力多 {extra:.0%}；"
                    f"推理每个 token 省 2·N·(1−1/s) 次浮点运算，"
                    f"生成约 {breakeven:.2g} 个 token 后就回本。")
        small_en = (f"A model {s:g}× smaller ({n_small:.3g} parameters) needs {d_small:.3g} tokens "
                    f"({d_small / n_small:.0f} per parameter) for the same loss, {extra:.0%} more training compute; "
                    f"it saves 2·N·(1−1/s) FLOPs per generated token and pays back after about {breakeven:.2g} tokens.")
    else:
        small_zh = f"小 {s:g} 倍的模型在这组常数下无论多少数据都达不到同样的损失。"
        small_en = f"A model {s:g}× smaller cannot reach the same loss at any data size with these constants."
    if abs(slope) < 2e-3:
        drift_zh = (f"每参数 token 数不随算力变化（实测每十倍算力变化 10^{slope:+.3f} 倍，"
                    f"理论 10^{slope_theory:+.3f}）")
        drift_en = (f"tokens per parameter stay constant across compute (measured 10^{slope:+.3f} per decade, "
                    f"theory 10^{slope_theory:+.3f})")
    else:
        drift_zh = f"每参数 token 数随算力每十倍变化 10^{slope:+.3f} 倍（理论 10^{slope_theory:+.3f}）"
        drift_en = (f"tokens per parameter change by 10^{slope:+.3f} per decade of compute (theory "
                    f"10^{slope_theory:+.3f})")
    takeaway = {
        "zh": (f"C = {c:.2g} FLOPs（按 Chinchilla 的函数形式取示意常数，B 取得让 70B 参数配 1.4T token 恰好最优）："
               f"最优是 {n_opt:.3g} 参数、{d_opt:.3g} 个 token，"
               f"每参数 {d_opt / n_opt:.1f} 个 token；网格搜索得到 {n_grid:.3g}。{drift_zh}。"
               f"核对：6 × 70e9 × 1.4e12 = {chinchilla_c:.3g} FLOPs。{small_zh}"),
        "en": (f"C = {c:.2g} FLOPs (illustrative constants in Chinchilla's functional form, B set so that 70B on "
               f"1.4T tokens is optimal): the optimum is "
               f"{n_opt:.3g} parameters on {d_opt:.3g} tokens, {d_opt / n_opt:.1f} tokens per parameter; grid search "
               f"gives {n_grid:.3g}. {drift_en}. Check: 6 × 70e9 × 1.4e12 = {chinchilla_c:.3g} FLOPs. {small_en}"),
    }
    claim = {
        "zh": ("在 C ≈ 6ND 的约束下，参数和数据怎么分由两个指数决定：只有 α = β 时每参数 token 数才不随算力变化。"
               "更小的模型多喂数据也能达到同样的损失，多付一次训练算力，换来之后生成的每个 token 都更便宜。"),
        "en": ("Under C ≈ 6ND the split between parameters and data is set by the exponents: tokens per parameter "
               "stay constant across compute only when α = β. A smaller model trained on more data reaches the same "
               "loss, paying extra training compute once to make every token it later generates cheaper."),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
