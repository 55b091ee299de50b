"""Per-demo numbers for the generative / modern-topics / practice demos, each checked against a value
derived by hand (closed form or a small independent computation), plus parameter effects."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import registry

SPECS = registry.load_all()


def run(demo_id, seed=0, **params):
    return registry.run(SPECS[demo_id], params, seed=seed).to_dict()


# --- autoencoder-pca ---------------------------------------------------------------------------

def test_autoencoder_error_is_the_discarded_part_of_the_planted_spectrum():
    # the data has population eigenvalues 4·0.6^i; with many samples the discarded sum is close to
    # Σ_{i≥k} 4·0.6^i = 4·0.6^k (1 − 0.6^(d−k)) / 0.4
    d, k = 10, 3
    m = run("autoencoder-pca", n=5000, d=d, k=k)["metrics"]
    planted = 4 * 0.6**k * (1 - 0.6 ** (d - k)) / 0.4
    assert m["reconstruction_error"] == pytest.approx(planted, rel=0.06)
    assert m["reconstruction_error"] == pytest.approx(m["sum_discarded_eigenvalues"], rel=1e-6)
    assert m["max_principal_angle_deg"] < 1e-3


def test_autoencoder_one_more_code_unit_divides_the_error_by_about_0_6():
    e3 = run("autoencoder-pca", n=5000, k=3)["metrics"]["reconstruction_error"]
    e4 = run("autoencoder-pca", n=5000, k=4)["metrics"]["reconstruction_error"]
    # Σ_{i≥4} / Σ_{i≥3} = 0.6 (1 − 0.6^6)/(1 − 0.6^7) for the planted spectrum
    assert e4 / e3 == pytest.approx(0.6 * (1 - 0.6**6) / (1 - 0.6**7), rel=0.08)


def test_autoencoder_too_few_steps_fails_its_own_checks():
    out = run("autoencoder-pca", steps=50)
    assert not all(c["passed"] for c in out["checks"])


# --- gan-1d ------------------------------------------------------------------------------------

def _jsd_by_quadrature(mu, sigma):
    x = np.linspace(-30, 30, 600001)
    pd = np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    pg = np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    m = 0.5 * (pd + pg)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = 0.5 * np.where(pd > 0, pd * np.log(pd / m), 0) + 0.5 * np.where(pg > 0, pg * np.log(pg / m), 0)
    return float(np.sum(f) * (x[1] - x[0]))


@pytest.mark.parametrize("mu, sigma", [(2.0, 1.0), (1.0, 2.0)])
def test_gan_value_at_optimal_discriminator_is_minus_log4_plus_2_jsd(mu, sigma):
    m = run("gan-1d", mu_g=mu, sigma_g=sigma)["metrics"]
    js = _jsd_by_quadrature(mu, sigma)
    assert m["jsd"] == pytest.approx(js, abs=1e-4)
    assert m["V_at_D_star"] == pytest.approx(-math.log(4) + 2 * js, abs=2e-4)


def test_gan_equal_densities_give_minus_log4_and_far_ones_give_zero():
    same = run("gan-1d", mu_g=0.0, sigma_g=1.0)["metrics"]
    assert same["V_at_D_star"] == pytest.approx(-math.log(4), abs=1e-12)
    assert same["jsd"] == pytest.approx(0.0, abs=1e-12)
    far = run("gan-1d", mu_g=8.0, sigma_g=0.2)["metrics"]
    assert far["jsd"] == pytest.approx(math.log(2), abs=1e-6)
    assert far["V_at_D_star"] == pytest.approx(0.0, abs=1e-5)  # −log 4 + 2 log 2


# --- diffusion-forward -------------------------------------------------------------------------

def test_diffusion_alpha_bar_matches_the_product_of_one_minus_beta():
    m = run("diffusion-forward")["metrics"]
    betas = [1e-4 + (0.02 - 1e-4) * i / 999 for i in range(1000)]
    prod = 1.0
    for b in betas:
        prod *= 1 - b
    assert m["alpha_bar_T"] == pytest.approx(prod, rel=1e-9)
    assert 3.9e-5 < m["alpha_bar_T"] < 4.2e-5  # the "≈ 4e-5" people quote
    ab_250 = math.prod(1 - b for b in betas[:250])
    assert m["alpha_bar_t"] == pytest.approx(ab_250, rel=1e-9)
    # x0 is ±2 with P(+2) = 0.625: mean 0.5, variance 3.75
    assert m["var_theory"] == pytest.approx(ab_250 * 3.75 + 1 - ab_250, rel=0.01)  # demo uses the sample Var[x₀]
    assert m["mean_theory"] == pytest.approx(math.sqrt(ab_250) * 0.5, abs=0.02)
    first_below = next(t for t in range(1, 1001) if math.prod(1 - b for b in betas[:t]) < 0.5)
    assert m["first_step_snr_below_1"] == first_below  # SNR < 1 ⇔ ᾱ < 1/2


def test_diffusion_larger_beta_end_destroys_signal_faster():
    slow = run("diffusion-forward", beta_end=0.01)["metrics"]
    fast = run("diffusion-forward", beta_end=0.04)["metrics"]
    assert fast["alpha_bar_T"] < slow["alpha_bar_T"]
    assert fast["first_step_snr_below_1"] < slow["first_step_snr_below_1"]


# --- bandit ------------------------------------------------------------------------------------

def test_bandit_pure_exploration_regret_is_expected_max_of_k_normals():
    # ε = 1 pulls uniformly: per-step regret E[max_a q*(a) − mean_a q*(a)] = E[max of 10 N(0,1)] ≈ 1.5388
    m = run("bandit", epsilon=1.0, steps=500)["metrics"]
    assert m["total_regret_eps"] / 500 == pytest.approx(1.5388, rel=0.06)
    assert m["optimal_share_eps"] == pytest.approx(1 / 10, abs=0.02)
    assert m["optimal_share_ceiling_eps_0.5"] == pytest.approx(1 - 0.5 + 0.5 / 10)


def test_bandit_epsilon_half_stays_under_its_ceiling():
    m = run("bandit")["metrics"]
    assert m["optimal_share_last10pct_eps_0.5"] <= 0.55 + 0.02
    assert m["total_regret_eps"] < m["total_regret_greedy"] < m["total_regret_eps_0.5"]


# --- behavior-cloning --------------------------------------------------------------------------

def test_behavior_cloning_costs_match_closed_forms():
    eps, horizon = 0.002, 200
    m = run("behavior-cloning")["metrics"]
    bc = sum(1 - (1 - eps) ** t for t in range(1, horizon + 1))
    assert m["cost_bc_T"] == pytest.approx(bc, rel=0.05)
    assert m["cost_dagger_T"] == pytest.approx(eps * horizon, rel=0.05)
    assert m["loglog_slope_bc"] == pytest.approx(2, abs=0.15)
    assert m["loglog_slope_dagger"] == pytest.approx(1, abs=0.1)


def test_behavior_cloning_large_eps_saturates_and_the_slope_falls():
    # once εT ≫ 1 nearly every BC episode is off the lane and cost ≈ T: the T² regime ends
    m = run("behavior-cloning", eps=0.05)["metrics"]
    assert m["loglog_slope_bc"] < 1.6
    assert not run("behavior-cloning", eps=0.05)["checks"][0]["passed"]


# --- next-token --------------------------------------------------------------------------------

def test_next_token_entropy_at_t1_matches_counts_from_the_corpus():
    from interviewprep.demos.next_token import CORPUS

    alpha = 0.1
    words = [w for line in CORPUS.strip().splitlines() for w in ["<s>", *line.split()]]
    vocab = sorted(set(words))
    followers = [b for line in CORPUS.strip().splitlines()
                 for a, b in zip(["<s>", *line.split()], line.split()) if a == "the"]
    counts = np.array([followers.count(w) for w in vocab], dtype=float)
    prob = (counts + alpha) / (counts + alpha).sum()
    m = run("next-token", alpha=alpha)["metrics"]
    assert m["vocab_size"] == len(vocab)
    assert m["perplexity_uniform"] == len(vocab)
    assert m["entropy_at_T1"] == pytest.approx(float(-(prob * np.log(prob)).sum()), rel=1e-12)
    assert m["entropy_T_100"] == pytest.approx(math.log(len(vocab)), rel=0.01)


def test_next_token_temperature_raises_entropy():
    cold = run("next-token", temperature=0.3)["metrics"]["entropy_at_T"]
    warm = run("next-token", temperature=1.0)["metrics"]["entropy_at_T"]
    hot = run("next-token", temperature=5.0)["metrics"]["entropy_at_T"]
    assert cold < warm < hot


# --- nearest-neighbour-lsh ---------------------------------------------------------------------

def test_lsh_one_bit_collision_probability_is_one_minus_theta_over_pi():
    out = run("nearest-neighbour-lsh")
    curve = out["series"]["collision prob. measured vs θ"]
    for theta, measured in zip(curve["x"], curve["y"]):
        assert measured == pytest.approx(1 - theta / math.pi, abs=0.035)


def test_lsh_more_bits_scan_fewer_candidates_and_recall_less():
    few = run("nearest-neighbour-lsh", bits=6)["metrics"]
    many = run("nearest-neighbour-lsh", bits=14)["metrics"]
    assert many["fraction_scanned"] < few["fraction_scanned"]
    assert many["recall_at_k"] < few["recall_at_k"]


# --- quantization-pruning ----------------------------------------------------------------------

def test_quantize_by_hand_scale_and_zero_point():
    from interviewprep.demos.quantization_pruning import quantize

    w = np.array([[-1.0, -0.2, 0.0, 0.3, 0.5]])
    w_hat, scale, zero = quantize(w, 8)
    assert float(scale) == pytest.approx(1.5 / 255)
    assert int(zero) == round(-128 + 1.0 / (1.5 / 255))  # z = round(q_min − min/scale) = −43
    assert np.max(np.abs(w_hat - w)) <= float(scale) / 2 + 1e-15
    assert w_hat[0, 2] == 0.0  # zero is exactly representable


def test_quantization_error_scales_with_bit_width_and_random_pruning_removes_sqrt_s():
    m8 = run("quantization-pruning", bits=8)["metrics"]
    m4 = run("quantization-pruning", bits=4)["metrics"]
    # same range, 255 vs 15 steps: the scale (and the rounding error) grows by 255/15 = 17
    assert m4["scale"] / m8["scale"] == pytest.approx(17, rel=1e-9)
    assert m4["output_rel_error_per_tensor"] / m8["output_rel_error_per_tensor"] == pytest.approx(17, rel=0.2)
    assert m8["rms_weight_error"] == pytest.approx(m8["scale"] / math.sqrt(12), rel=0.05)
    assert m8["compression_vs_fp32"] == 4
    # random pruning removes a fraction s of the weight energy: relative output error ≈ √s
    assert m8["output_rel_error_random_50"] == pytest.approx(math.sqrt(0.5), rel=0.05)
    assert m8["output_rel_error_random_s"] == pytest.approx(math.sqrt(0.9), rel=0.05)


# --- data-generator ----------------------------------------------------------------------------

@pytest.mark.parametrize("n, batch", [(50000, 256), (10000, 1000), (7001, 500)])
def test_data_generator_batch_count_and_sizes(n, batch):
    out = run("data-generator", n=n, batch=batch)
    m = out["metrics"]
    assert m["batches"] == math.ceil(n / batch) == m["identical_batches"]
    assert m["last_batch_size"] == n - (math.ceil(n / batch) - 1) * batch
    assert m["dataset_bytes"] == n * 64 * 8
    assert m["peak_bytes_in_memory"] >= 0.99 * m["dataset_bytes"]
    # with batches as big as a tenth of the data, streaming no longer saves a factor of 10
    assert out["checks"][0]["passed"] == (batch / n < 0.05)


def test_data_generator_streaming_peak_does_not_grow_with_the_data_beyond_the_indices():
    small = run("data-generator", n=20000)["metrics"]
    big = run("data-generator", n=80000)["metrics"]
    assert big["peak_bytes_in_memory"] == pytest.approx(4 * small["peak_bytes_in_memory"], rel=0.05)
    # streaming grows only by the index permutation (8 bytes per extra row, a few times over at most)
    assert big["peak_bytes_streaming"] - small["peak_bytes_streaming"] < 3 * 8 * 60000 + 20000


# --- not-converging ----------------------------------------------------------------------------

def test_not_converging_zero_init_and_saturated_inputs_stall_at_the_variance():
    m = run("not-converging")["metrics"]
    # nothing but the output bias can learn, so the best it can do is predict mean(y): loss = Var(y)
    assert m["final_loss_init"] == pytest.approx(m["var_y"], rel=1e-3)
    assert m["final_loss_scale"] == pytest.approx(m["var_y"], rel=2e-2)
    assert m["zero_init_max_abs_W1"] == 0.0
    assert m["final_loss_lr"] is None  # overflowed to inf → null in JSON
    assert m["final_loss_baseline"] < 0.1 * m["var_y"]


def test_not_converging_a_smaller_base_lr_makes_30x_stable():
    out = run("not-converging", lr=0.01)
    assert out["metrics"]["final_loss_lr"] is not None
    assert not next(c for c in out["checks"] if "diverges" in c["name"])["passed"]
