"""A tiny VAE whose log-likelihood is known exactly: the ELBO, its two terms, its gap, the reparameterisation.

Data: 2-D points from an elongated Gaussian. Decoder: z ~ N(0, 1), x | z ~ N(W·z + b, σ²I), a linear-Gaussian
VAE (probabilistic PCA) set to its maximum-likelihood fit, so log p(x) = log N(x; b, WWᵀ + σ²I) is exact.
Encoder: q(z|x) = N(A·x + c, s²). For any encoder
    ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, 1)) = log p(x) − KL(q(z|x) ‖ p(z|x)) ≤ log p(x),
with the exact posterior p(z|x) = N(Wᵀ(x − b)/(σ²M), 1/M), M = 1 + ‖W‖²/σ². The encoder is trained with
Adam on minibatches of reparameterised samples z = μ + s·ε, maximising reconstruction − β·KL; at β = 1 its optimum is
the exact posterior and the gap closes, at β ≠ 1 the optimum (s² = β/(β + ‖W‖²/σ²)) keeps a gap.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check
from interviewprep.demos.spec import Param
from interviewprep.numeric.lr_scheduler import cosine_annealing_lr
from interviewprep.numeric.optim import Adam

MAJOR_VAR = 2.0
STEPS = 300
DRAWS = 4  # reparameterised samples per point per step
BATCH = 128  # points per training step (minibatches, as a VAE is trained)
LR = 0.05
MC_CHECK_DRAWS = 200
LOG2PI = math.log(2 * math.pi)


def ppca_fit(x):
    """Maximum-likelihood linear-Gaussian decoder with one latent: W = u₁·√(λ₁ − λ₂), σ² = λ₂, b = mean."""
    b = x.mean(axis=0)
    cov = np.cov(x.T, bias=True)
    lam, u = np.linalg.eigh(cov)
    sigma2 = float(lam[0])
    w = u[:, 1] * math.sqrt(max(lam[1] - lam[0], 0.0))
    return w, b, sigma2


def exact_log_lik(x, w, b, sigma2):
    """Mean log N(x; b, WWᵀ + σ²I) over the data."""
    cov = np.outer(w, w) + sigma2 * np.eye(2)
    d = x - b
    sol = np.linalg.solve(cov, d.T).T
    return float(np.mean(-0.5 * (2 * LOG2PI + math.log(np.linalg.det(cov)) + np.sum(d * sol, axis=1))))


def elbo_terms(x, w, b, sigma2, a, c, log_s):
    """Closed-form mean reconstruction E_q[log p(x|z)] and mean KL(q ‖ N(0, 1)); ELBO = recon − KL."""
    mu = x @ a + c
    s2 = math.exp(2 * log_s)
    resid = x - np.outer(mu, w) - b
    recon = -LOG2PI - math.log(sigma2) - (np.sum(resid**2, axis=1) + s2 * (w @ w)) / (2 * sigma2)
    kl = 0.5 * (mu**2 + s2 - 2 * log_s - 1)
    return float(recon.mean()), float(kl.mean())


def posterior_kl(x, w, b, sigma2, a, c, log_s):
    """Mean KL(q(z|x) ‖ p(z|x)) against the exact posterior N(Wᵀ(x − b)/(σ²M), 1/M)."""
    m_prec = 1 + (w @ w) / sigma2
    post_mean = (x - b) @ w / (sigma2 * m_prec)
    mu = x @ a + c
    s2 = math.exp(2 * log_s)
    return float(np.mean(0.5 * (s2 * m_prec + m_prec * (mu - post_mean) ** 2 - 1 - math.log(s2 * m_prec))))


def beta_optimum(x, w, b, sigma2, beta):
    """The encoder maximising reconstruction − β·KL: μ = Wᵀ(x − b)/(‖W‖² + βσ²), s² = β/(β + ‖W‖²/σ²)."""
    ww = w @ w
    a = w / (ww + beta * sigma2)
    c = -float(b @ a)
    return a, c, 0.5 * math.log(beta / (beta + ww / sigma2))


def reparam_grads(x, w, b, sigma2, a, c, log_s, beta, eps):
    """∂(recon − β·KL)/∂(A, c, log s) from z = μ + s·ε (eps has shape (points, draws))."""
    mu = x @ a + c
    s = math.exp(log_s)
    z = mu[:, None] + s * eps
    resid = (x - b)[:, None, :] - z[:, :, None] * w
    dz = resid @ w / sigma2                                   # ∂ log p(x|z)/∂z per draw
    d_mu = dz.mean(axis=1) - beta * mu
    d_log_s = float(np.mean(dz * eps * s) - beta * (s * s - 1))
    return x.T @ d_mu / len(x), float(d_mu.mean()), d_log_s


def grad_c_estimates(x, w, b, sigma2, eps):
    """Per-draw estimates of ∂E_q[log p(x|z)]/∂c at q = N(0, 1) (μ = 0, s = 1), averaged over the data.

    Reparameterised: ∂ log p(x|z)/∂z at z = ε. Score function (REINFORCE): log p(x|z)·∂ log q(z)/∂μ = log p(x|z)·ε.
    """
    resid = (x - b)[:, None, :] - eps[:, :, None] * w
    dz = resid @ w / sigma2
    log_px_z = -LOG2PI - math.log(sigma2) - np.sum(resid**2, axis=2) / (2 * sigma2)
    return dz.mean(axis=0), (log_px_z * eps).mean(axis=0)


@demo(
    id="vae-elbo",
    title={"zh": "小型 VAE：ELBO ≤ log p(x)、重建项与 KL 项、重参数化",
           "en": "A tiny VAE: ELBO ≤ log p(x), reconstruction vs KL, the reparameterisation trick"},
    tags=["vae", "variational-autoencoder", "elbo", "kl", "reparameterization", "reparameterisation",
          "generative-model", "latent", "beta-vae", "变分自编码器", "证据下界", "重参数化", "隐变量"],
    params=[
        Param("samples", int, 200, 16, 1000, help={"zh": "数据点数", "en": "data points"}),
        Param("minor_var", float, 0.1, 0.01, 1.0,
              help={"zh": "数据短轴方差（长轴为 2）", "en": "variance of the data's minor axis (major axis: 2)"}),
        Param("beta", float, 1.0, 0.25, 4.0, help={"zh": "KL 权重 β（β-VAE）", "en": "KL weight β (β-VAE)"}),
    ],
)
def run(p, rng) -> Outcome:
    n, beta = p["samples"], p["beta"]
    angle = rng.uniform(0, math.pi)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    x = (rng.standard_normal((n, 2)) * np.sqrt([MAJOR_VAR, p["minor_var"]])) @ rot.T + rng.uniform(-2, 2, 2)
    w, b, sigma2 = ppca_fit(x)
    log_p = exact_log_lik(x, w, b, sigma2)

    a, c, log_s = np.zeros(2), np.zeros(1), np.zeros(1)   # q = N(0, 1): the prior, ignoring x
    opt = Adam([a, c, log_s], lr=LR)
    lr_at = cosine_annealing_lr(LR, STEPS)
    history, worst_bound, worst_identity = [], -math.inf, 0.0
    for step in range(STEPS + 1):
        recon, kl = elbo_terms(x, w, b, sigma2, a, float(c[0]), float(log_s[0]))
        elbo = recon - kl
        gap_kl = posterior_kl(x, w, b, sigma2, a, float(c[0]), float(log_s[0]))
        worst_bound = max(worst_bound, elbo - log_p)
        worst_identity = max(worst_identity, abs((log_p - elbo) - gap_kl))
        history.append((step, recon, kl, elbo))
        if step == STEPS:
            break
        batch = x[rng.choice(n, BATCH, replace=False)] if n > BATCH else x
        eps = rng.standard_normal((len(batch), DRAWS))
        ga, gc, gs = reparam_grads(batch, w, b, sigma2, a, float(c[0]), float(log_s[0]), beta, eps)
        opt.lr = lr_at(step)
        opt.step([-ga, -np.array([gc]), -np.array([gs])])   # Adam minimises; we maximise

    recon0, kl0, elbo0 = history[0][1:]
    recon, kl, elbo = history[-1][1:]
    gap0, gap = log_p - elbo0, log_p - elbo
    objective = recon - beta * kl
    a_opt, c_opt, ls_opt = beta_optimum(x, w, b, sigma2, beta)
    r_opt, k_opt = elbo_terms(x, w, b, sigma2, a_opt, c_opt, ls_opt)
    obj_opt, gap_opt = r_opt - beta * k_opt, log_p - (r_opt - k_opt)
    obj0 = recon0 - beta * kl0
    shortfall = (obj_opt - objective) / (obj_opt - obj0)
    s_final, s_exact = math.exp(float(log_s[0])), 1 / math.sqrt(1 + (w @ w) / sigma2)

    # Monte Carlo ELBO with reparameterised samples against the closed form, at the trained encoder
    mu = x @ a + float(c[0])
    z = mu[:, None] + s_final * rng.standard_normal((n, MC_CHECK_DRAWS))
    resid = (x - b)[:, None, :] - z[:, :, None] * w
    log_px_z = -LOG2PI - math.log(sigma2) - np.sum(resid**2, axis=2) / (2 * sigma2)
    recon_mc = float(log_px_z.mean())
    # draws are independent given x: the error of the mean is √(mean over points of Var_z[log p(x|z)] / (n·draws))
    recon_se = float(math.sqrt(np.mean(log_px_z.var(axis=1, ddof=1)) / log_px_z.size))
    mc_z = abs(recon_mc - recon) / recon_se

    # gradient of reconstruction w.r.t. c at the prior encoder: reparameterised vs score-function estimates
    g_rep, g_sf = grad_c_estimates(x, w, b, sigma2, rng.standard_normal((n, MC_CHECK_DRAWS)))
    exact_grad = float(np.mean((x - b) @ w) / sigma2)   # ∂ recon/∂c at μ = 0: Wᵀ(x − b)/σ², averaged
    exact_grad = exact_grad if abs(exact_grad) > 1e-12 else 0.0   # b is the data mean, so this is 0 up to rounding
    var_rep, var_sf = float(g_rep.var()), float(g_sf.var())

    metrics = {
        "log_p_exact": log_p, "elbo_initial": elbo0, "elbo_final": elbo,
        "reconstruction_final": recon, "kl_final": kl, "reconstruction_initial": recon0, "kl_initial": kl0,
        "gap_initial": gap0, "gap_final": gap, "gap_at_beta_optimum": gap_opt,
        "objective_shortfall_share": shortfall, "worst_elbo_minus_log_p": worst_bound,
        "worst_gap_vs_posterior_kl": worst_identity,
        "encoder_s_final": s_final, "posterior_s_exact": s_exact,
        "reconstruction_monte_carlo": recon_mc, "monte_carlo_z": mc_z,
        "grad_c_exact": exact_grad, "grad_c_reparam_mean": float(g_rep.mean()),
        "grad_variance_reparam": var_rep, "grad_variance_score_function": var_sf,
        "decoder_sigma2": sigma2,
    }
    checks = [
        check("ELBO ≤ log p(x) for every encoder met in training", worst_bound <= 1e-9,
              f"largest ELBO − log p = {worst_bound:.2e} nats over {STEPS + 1} encoders; log p = {log_p:.4f}"),
        check("log p(x) − ELBO = KL(q(z|x) ‖ p(z|x)) (the exact posterior), at every step", worst_identity < 1e-9,
              f"largest mismatch {worst_identity:.1e} nats"),
        check("the reparameterised Monte Carlo reconstruction term matches the closed form (within 4 SE)",
              mc_z < 4,
              f"{recon_mc:.4f} vs {recon:.4f}: {mc_z:.1f} standard errors ({MC_CHECK_DRAWS} draws per point)"),
        check(f"training reaches the closed-form optimum of reconstruction − {beta:g}·KL (99% of the way)",
              shortfall < 0.01, f"objective {objective:.4f} vs optimum {obj_opt:.4f} (start {obj0:.4f}); "
              f"encoder s = {s_final:.4f}, optimum {math.exp(ls_opt):.4f}"),
        check("the reparameterised gradient has lower variance than the score-function one (same draws)",
              var_rep < var_sf, f"∂recon/∂c: variance {var_rep:.3g} vs {var_sf:.3g} per draw; exact {exact_grad:.4f}, "
              f"reparameterised mean {g_rep.mean():.4f}"),
    ]
    if checks[3].passed and abs(beta - 1) < 1e-12:
        train_en = (f"Training the encoder on reparameterised samples closes the gap from {gap0:.3f} to {gap:.2e} "
                    f"nats, which is now q's KL from the exact posterior (s = {s_final:.4f} vs 1/√M = {s_exact:.4f}).")
        train_zh = (f"用重参数化样本训练编码器，差距从 {gap0:.3f} 缩到 {gap:.2e} 奈特，这也就是 q 与精确后验的 KL"
                    f"（s = {s_final:.4f}，1/√M = {s_exact:.4f}）。")
    elif checks[3].passed:
        train_en = (f"With β = {beta:g} training reaches the optimum of reconstruction − β·KL, which is not the "
                    f"posterior: s = {s_final:.4f} vs the posterior's {s_exact:.4f}, and the true ELBO keeps a gap of "
                    f"{gap:.4f} nats (theory {gap_opt:.4f}; it started at {gap0:.3f}).")
        train_zh = (f"β = {beta:g} 时训练到达 重建 − β·KL 的最优点，但它不是后验：s = {s_final:.4f}，后验为 "
                    f"{s_exact:.4f}；真正的 ELBO 仍差 {gap:.4f} 奈特（理论 {gap_opt:.4f}，起点 {gap0:.3f}）。")
    else:
        train_en = (f"Training stopped short of the optimum ({shortfall:.1%} of the way left); the gap is {gap:.4f} "
                    f"nats (from {gap0:.3f}).")
        train_zh = f"训练没有到达最优点（还差 {shortfall:.1%}）；差距为 {gap:.4f} 奈特（起点 {gap0:.3f}）。"
    ratio = var_sf / var_rep
    bound_en = (f"It never exceeded log p (largest ELBO − log p {worst_bound:.1e})" if checks[0].passed
                else f"It EXCEEDED log p by up to {worst_bound:.1e}, so the computation is wrong")
    bound_zh = (f"ELBO 从未超过 log p（最大 ELBO − log p 为 {worst_bound:.1e}）" if checks[0].passed
                else f"ELBO 超过了 log p（最多 {worst_bound:.1e}），计算有误")
    ident_en = ("the gap always equalled KL(q ‖ posterior)" if checks[1].passed
                else f"the gap differed from KL(q ‖ posterior) by up to {worst_identity:.1e}")
    ident_zh = ("差距始终等于 KL(q ‖ 后验)" if checks[1].passed
                else f"差距与 KL(q ‖ 后验) 最多相差 {worst_identity:.1e}")
    var_en = (f"{ratio:.3g}× less variance than" if ratio > 1 else f"{1 / ratio:.3g}× MORE variance than")
    var_zh = (f"比同一批样本的得分函数估计小 {ratio:.3g} 倍" if ratio > 1
              else f"反而是同一批样本的得分函数估计的 {1 / ratio:.3g} 倍")
    takeaway = {
        "en": (f"Exact log p(x) = {log_p:.4f} nats per point. With q = the prior the ELBO is {elbo0:.4f} "
               f"(reconstruction {recon0:.4f}, KL {kl0:.4f}); after training {elbo:.4f} = reconstruction {recon:.4f} "
               f"− KL {kl:.4f}. {bound_en}, and {ident_en}.\n{train_en}\nThe reparameterised gradient of the "
               f"reconstruction term had {var_en} the score-function estimate from the same draws."),
        "zh": (f"精确 log p(x) = 每点 {log_p:.4f} 奈特。"
               f"q 取先验时 ELBO = {elbo0:.4f}（重建 {recon0:.4f}，KL {kl0:.4f}）；"
               f"训练后 {elbo:.4f} = 重建 {recon:.4f} − KL {kl:.4f}。{bound_zh}，{ident_zh}。\n{train_zh}\n"
               f"重建项的重参数化梯度方差{var_zh}。"),
    }
    claim = {
        "en": ("The ELBO is a lower bound on log p(x) whose gap is exactly the encoder's KL from the true posterior, "
               "so maximising reconstruction − β·KL by gradient ascent reaches its optimum, which at β = 1 is the "
               "posterior itself. Sampling z = μ + s·ε makes that gradient a plain derivative through the sample, "
               "with lower variance than the score-function estimator: that is the reparameterisation trick."),
        "zh": ("ELBO 是 log p(x) 的下界，差距恰好是编码器与真实后验之间的 KL；梯度上升能把“重建 − β·KL”推到最优点，"
               "β = 1 时这个最优点就是后验本身。用 z = μ + s·ε 采样，梯度可以直接穿过样本求导，方差比得分函数估计小，"
               "这就是重参数化技巧。"),
    }
    steps = [h[0] for h in history]
    series = {"ELBO (nats) vs step": Series.of(steps, [h[3] for h in history]),
              "exact log p(x) (nats)": Series.of(steps, [log_p] * len(steps))}
    every = max(1, STEPS // 8)
    rows = [[s, r, k, e, log_p - e] for s, r, k, e in history[::every]]
    if history[-1][0] != rows[-1][0]:
        rows.append([history[-1][0], recon, kl, elbo, gap])
    table = {"columns": ["step", "reconstruction", "KL", "ELBO", "log p − ELBO"], "rows": rows}
    return Outcome(metrics, checks, takeaway, series, table, claim=claim)
