"""The GAN value function on two 1-D densities: optimal discriminator and Jensen–Shannon divergence.

V(D, G) = E_{p_d}[log D(x)] + E_{p_g}[log(1 − D(x))]. For a fixed generator the best discriminator is
D*(x) = p_d(x) / (p_d(x) + p_g(x)), and V(D*, G) = −log 4 + 2·JSD(p_d ‖ p_g) (Goodfellow et al., 2014).
Everything is computed on a fine grid (spacing 0.01), so the integrals are sums; no sampling noise.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def _log_density(grid, mu, sigma):
    """log-masses of N(mu, sigma²) discretized on the grid (finite everywhere, so nothing underflows)."""
    logw = -0.5 * ((grid - mu) / sigma) ** 2
    return logw - np.logaddexp.reduce(logw)


def _kl(logp, logq):
    return float(np.sum(np.exp(logp) * (logp - logq)))


def jsd(logp, logq):
    logm = np.logaddexp(logp, logq) - np.log(2.0)
    return 0.5 * _kl(logp, logm) + 0.5 * _kl(logq, logm)


def value(logp_data, logp_gen, log_d, log_1md):
    """V(D, G) = Σ p_d log D + Σ p_g log(1 − D) over the grid, given log D and log(1 − D)."""
    return float(np.sum(np.exp(logp_data) * log_d) + np.sum(np.exp(logp_gen) * log_1md))


def optimal_value(logp_data, logp_gen):
    """V(D*, G) and D* = p_d / (p_d + p_g), in log space."""
    log_sum = np.logaddexp(logp_data, logp_gen)
    log_d, log_1md = logp_data - log_sum, logp_gen - log_sum
    return value(logp_data, logp_gen, log_d, log_1md), np.exp(log_d)


@demo(
    id="gan-1d",
    title={"zh": "一维 GAN：最优判别器与 JS 散度", "en": "1-D GAN: the optimal discriminator and the JS divergence"},
    tags=["gan", "discriminator", "generator", "minimax", "jensen-shannon", "jsd", "mode-collapse",
          "生成对抗网络", "判别器", "生成器", "极小极大", "JS散度"],
    params=[
        Param("mu_g", float, 2.0, -8.0, 8.0, help={"zh": "生成分布的均值（数据分布为 N(0,1)）",
                                                  "en": "generator mean (the data is N(0, 1))"}),
        Param("sigma_g", float, 1.0, 0.2, 4.0, help={"zh": "生成分布的标准差", "en": "generator standard deviation"}),
    ],
)
def run(p, rng) -> Outcome:
    log4 = float(np.log(4.0))
    unit = max(1.0, p["sigma_g"])  # "near" and "far" below are in units of the wider density
    lo = min(-8.0, p["mu_g"] - 8 * p["sigma_g"])
    hi = max(8.0, p["mu_g"], 12 * unit) + 8 * p["sigma_g"]
    grid = np.arange(lo, hi, 0.01)
    p_data = _log_density(grid, 0.0, 1.0)
    p_gen = _log_density(grid, p["mu_g"], p["sigma_g"])
    v_star, d_star = optimal_value(p_data, p_gen)
    js = jsd(p_data, p_gen)
    identity_err = abs((v_star + log4) - 2 * js)

    # D* really is the best discriminator: random logistic discriminators D(x) = σ(a·x + b + c·x²) do worse
    coeffs = rng.normal(scale=[2.0, 2.0, 0.5], size=(200, 3))
    best_other = -np.inf
    for a, b, c in coeffs:
        z = a * grid + b + c * grid**2
        # log σ(z) = −log(1 + e^−z), log(1 − σ(z)) = −log(1 + e^z)
        best_other = max(best_other, value(p_data, p_gen, -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)))

    # at the equilibrium p_g = p_d
    v_eq, d_eq = optimal_value(p_data, p_data)
    d_eq_dev = float(np.max(np.abs(d_eq - 0.5)))

    # sweep the generator mean: JSD saturates at log 2 once the densities stop overlapping,
    # so its slope (the generator's learning signal) vanishes
    shifts = np.linspace(0.0, 12.0, 61) * unit
    js_curve = np.array([jsd(p_data, _log_density(grid, s, p["sigma_g"])) for s in shifts])
    slope = np.abs(np.gradient(js_curve, shifts))
    slope_near = float(slope[5])  # shift = 1 unit
    slope_far = float(slope[50])  # shift = 10 units
    js_far = float(js_curve[50])

    metrics = {
        "V_at_D_star": v_star,
        "minus_log_4": -log4,
        "jsd": js,
        "identity_error": identity_err,
        "best_random_discriminator_V": best_other,
        "V_at_equilibrium": v_eq,
        "max_abs_D_star_minus_half_at_equilibrium": d_eq_dev,
        "jsd_far": js_far,
        "jsd_slope_near": slope_near,
        "jsd_slope_far": slope_far,
    }
    checks = [
        check("V(D*, G) + log 4 = 2·JSD(p_d ‖ p_g)", identity_err < 1e-9,
              f"V* + log 4 = {v_star + log4:.6f}, 2·JSD = {2 * js:.6f}"),
        check("D* beats 200 random discriminators", v_star >= best_other,
              f"V(D*) = {v_star:.4f} ≥ best random {best_other:.4f}"),
        check("at p_g = p_d: D* ≡ 1/2 and V = −log 4", d_eq_dev < 1e-12 and abs(v_eq + log4) < 1e-12,
              f"max |D* − 1/2| = {d_eq_dev:.1e}, V = {v_eq:.6f} vs −log 4 = {-log4:.6f}"),
        check("far apart, JSD saturates at log 2 and its slope vanishes",
              abs(js_far - np.log(2)) < 1e-3 and slope_far < 0.01 * slope_near,
              f"JSD(shift {10 * unit:g}) = {js_far:.5f} vs log 2 = {np.log(2):.5f}; slope {slope_far:.2e} vs "
              f"{slope_near:.3f} "
              f"at shift {unit:g}"),
    ]
    takeaway = {
        "zh": (f"对 p_g = N({p['mu_g']:g}, {p['sigma_g']:g}²)，最优判别器 D* = p_d/(p_d+p_g) 给出 V = {v_star:.4f}，"
               f"比 −log 4 = {-log4:.4f} 高出 {v_star + log4:.4f}，2·JSD = {2 * js:.4f}；p_g = p_d 时 "
               f"max |D* − 1/2| = {d_eq_dev:.1e}、V = {v_eq:.4f}。生成器平移 {10 * unit:g} 时 JSD = {js_far:.5f}"
               f"（log 2 = {np.log(2):.5f}），斜率从 {slope_near:.3f} 降到 {slope_far:.1e}。"),
        "en": (f"For p_g = N({p['mu_g']:g}, {p['sigma_g']:g}²) the optimal D* = p_d/(p_d+p_g) gives V = {v_star:.4f}, "
               f"{v_star + log4:.4f} above −log 4 = {-log4:.4f}, with 2·JSD = {2 * js:.4f}; at p_g = p_d, "
               f"max |D* − 1/2| = {d_eq_dev:.1e} and V = {v_eq:.4f}. With the generator shifted by {10 * unit:g}, "
               f"JSD = {js_far:.5f} (log 2 = {np.log(2):.5f}) and its slope falls from {slope_near:.3f} to "
               f"{slope_far:.1e}."),
    }
    claim = {
        "zh": ("D* = p_d/(p_d+p_g) 就是最好的判别器，V(D*, G) 比 −log 4 高出的恰好是 2·JSD；"
               "p_g = p_d 时 D* ≡ 1/2、V = −log 4。两分布不重叠时 JSD 卡在 log 2，斜率几乎为零："
               "生成器几乎得不到梯度，这正是原始 GAN 难训练的根源之一。"),
        "en": ("D* = p_d/(p_d+p_g) is the best discriminator and V(D*, G) exceeds −log 4 by exactly 2·JSD; at "
               "p_g = p_d, D* ≡ 1/2 and V = −log 4. Once the densities stop overlapping JSD sticks at log 2 and its "
               "slope vanishes: the generator gets almost no gradient, one root of GAN instability."),
    }
    sel = (grid >= -6) & (grid <= 6) & (np.arange(grid.size) % 10 == 0)
    series = {
        "D*(x)": Series.of(grid[sel], d_star[sel], panel="optimal discriminator D*(x) vs x"),
        "JSD vs generator shift": Series.of(shifts, js_curve, panel="JSD(p_d ‖ p_g) vs generator shift"),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
