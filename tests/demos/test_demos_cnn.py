"""Convolution and sequence demos: measured numbers against values derived by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewprep.demos import registry

SPECS = registry.load_all()


def metrics(demo_id: str, **params) -> dict:
    return registry.run(SPECS[demo_id], params, seed=0).to_dict()["metrics"]


def checks(demo_id: str, **params) -> dict:
    return {c["name"]: c["passed"] for c in registry.run(SPECS[demo_id], params, seed=0).to_dict()["checks"]}


# --- conv-params -------------------------------------------------------------------------------

def test_conv_params_counts():
    m = metrics("conv-params")  # 3×3, 16 → 32, H = 16 and 32, 'same' padding, 10 classes
    assert m["conv_params_counted"] == m["conv_params_formula"] == 3 * 3 * 16 * 32 + 32 == 4640
    assert m["fc_head_params_small"] == 32 * 16 * 16 * 10 + 10
    assert m["fc_head_params_large"] == 32 * 32 * 32 * 10 + 10
    assert m["fc_head_growth"] == pytest.approx(4.0, rel=1e-3)
    assert m["gap_head_params"] == 32 * 10 + 10


def test_conv_params_follow_kernel_and_channels():
    m = metrics("conv-params", kernel=5, c_in=3, c_out=64)
    assert m["conv_params_counted"] == 5 * 5 * 3 * 64 + 64


# --- receptive-field ---------------------------------------------------------------------------

def test_receptive_field_two_and_three_3x3():
    m = metrics("receptive-field")  # 3 layers of 3×3
    assert m["two_layer_receptive_field"] == 5
    assert m["receptive_field_side"] == 7
    assert (m["stacked_weights_per_c2"], m["single_kernel_weights_per_c2"]) == (27, 49)


def test_receptive_field_grows_by_k_minus_1_per_layer():
    m = metrics("receptive-field", layers=4, kernel=5)
    assert m["receptive_field_side"] == 4 * (5 - 1) + 1 == 17
    assert m["stacked_weights_per_c2"] == 4 * 25 and m["single_kernel_weights_per_c2"] == 17 * 17


# --- padding-stride ----------------------------------------------------------------------------

def test_padding_stride_output_sizes():
    m = metrics("padding-stride")  # H=14, K=3, S=2, P=0
    assert m["your_output_size"] == (14 - 3) // 2 + 1 == 6
    assert m["your_unread_rows"] == (14 - 3) % 2 == 1
    assert m["formula_mismatches"] == 0
    m = metrics("padding-stride", size=17, kernel=5, stride=3, padding=2)
    assert m["your_output_size"] == (17 + 4 - 5) // 3 + 1 == 6
    assert m["your_unread_rows"] == (17 + 4 - 5) % 3 == 1


def test_conv2d_numpy_matches_a_brute_force_loop():
    from interviewprep.demos.padding_stride import conv2d_numpy

    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((2, 7, 7)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    got = conv2d_numpy(x, w, b, stride=2, padding=1)
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    want = np.array([[[np.sum(xp[:, 2 * i:2 * i + 3, 2 * j:2 * j + 3] * w[o]) + b[o] for j in range(4)]
                      for i in range(4)] for o in range(3)])
    assert got.shape == (3, 4, 4)
    np.testing.assert_allclose(got, want, atol=1e-12)


# --- weight-sharing ----------------------------------------------------------------------------

def test_weight_sharing_parameter_counts():
    m = metrics("weight-sharing")  # 3×16×16 input, 3×3 kernel, 8 output channels → 8×14×14
    conv = 3 * 3 * 3 * 8 + 8
    assert m["conv_params"] == conv == 224
    assert m["locally_connected_params"] == 14 * 14 * conv
    assert m["fully_connected_params"] == (8 * 14 * 14) * (3 * 16 * 16) + 8 * 14 * 14
    assert m["conv_equivariance_error"] < 1e-12 < 0.1 < m["lc_equivariance_error"]


# --- pooling -----------------------------------------------------------------------------------

def test_pooling_average_dilutes_by_one_over_k_squared():
    m = metrics("pooling", window=3)
    assert m["peak_kept_max"] == 1.0
    assert m["peak_kept_avg"] == pytest.approx(1 / 9)


def test_pooling_isolated_feature_survives_k_minus_s_over_k():
    m = metrics("pooling", window=4, shift=1, maps=2000)
    assert m["isolated_expected"] == 0.75
    assert abs(m["isolated_feature_unchanged"] - 0.75) < 0.04
    farther = metrics("pooling", window=4, shift=3, maps=2000)
    assert farther["isolated_feature_unchanged"] < m["isolated_feature_unchanged"]
    assert abs(farther["isolated_feature_unchanged"] - 0.25) < 0.04


# --- smoothing-sharpening ----------------------------------------------------------------------

@pytest.mark.parametrize("box", [3, 5, 7])
def test_box_blur_divides_noise_variance_by_k_squared(box):
    m = metrics("smoothing-sharpening", box=box)
    assert m["box_variance_theory"] == pytest.approx(1 / box**2)
    assert m["box_variance_ratio"] == pytest.approx(1 / box**2, rel=0.2)


def test_sharpening_noise_gain_is_sum_of_squared_weights():
    # kernel δ − λ∇²: centre 1 + 4λ, four neighbours −λ → Σw² = (1 + 4λ)² + 4λ²
    for lam in (0.5, 1.0):
        m = metrics("smoothing-sharpening", amount=lam)
        assert m["sharpen_variance_theory"] == pytest.approx((1 + 4 * lam) ** 2 + 4 * lam**2)
        assert m["sharpen_variance_ratio"] == pytest.approx((1 + 4 * lam) ** 2 + 4 * lam**2, rel=0.1)
        assert m["high_freq_share_after"] > m["high_freq_share_before"]


# --- fourier-convolution -----------------------------------------------------------------------

def test_fourier_convolution_counts_and_accuracy():
    m = metrics("fourier-convolution")  # n = 2048, k = 255 → N = 4096
    assert m["direct_multiplies"] == 2048 * 255
    assert m["fft_length"] == 4096
    # three length-N FFTs of (N/2)·log2 N complex multiplies, N pointwise, 4 real multiplies each
    assert m["fft_multiplies"] == 4 * (3 * 2048 * 12 + 4096)
    assert m["max_abs_error"] < 1e-9


def test_counted_fft_matches_numpy():
    from interviewprep.demos.fourier_convolution import fft_counted

    x = np.random.default_rng(2).standard_normal(256)
    got, mults = fft_counted(x)
    np.testing.assert_allclose(got, np.fft.fft(x), atol=1e-10)
    assert mults == 128 * 8
    np.testing.assert_allclose(fft_counted(got, inverse=True)[0].real, x, atol=1e-12)


# --- data-augmentation -------------------------------------------------------------------------

def test_shift_helper_moves_pixels_and_fills_zeros():
    from interviewprep.demos.data_augmentation import shifted

    x = np.zeros((1, 5, 5))
    x[0, 2, 2] = 1.0
    y = shifted(x, 1, -2)
    assert y[0, 3, 0] == 1.0 and y.sum() == 1.0
    assert shifted(x, 0, 3)[0].sum() == 0.0  # pushed off the edge, nothing wraps around


def test_augmentation_helps_on_shifted_data():
    m = metrics("data-augmentation")
    assert m["chance"] == 0.25
    assert m["plain_shifted_accuracy"] < 0.5 < 0.9 < m["augmented_shifted_accuracy"]
    assert m["plain_centred_accuracy"] > 0.9


# --- transfer-learning -------------------------------------------------------------------------

def test_transfer_learning_labels_are_balanced_and_pretraining_helps():
    from interviewprep.demos.transfer_learning import PARTS, World

    rng = np.random.default_rng(3)
    world = World(rng)
    c = rng.standard_normal((PARTS, 1))
    _, y = world.sample(4000, c, world.thresholds(c))
    assert abs(y.mean() - 0.5) < 0.05  # median threshold → balanced, so chance is 50%
    m = metrics("transfer-learning")
    assert m["head_parameters"] == 32 + 1
    assert m["frozen_pretrained_accuracy"] > m["scratch_accuracy"]


# --- rnn-vanishing -----------------------------------------------------------------------------

def test_rnn_gradient_scales_like_rho_to_the_t():
    m = metrics("rnn-vanishing")
    assert m["rho_to_the_T"] == pytest.approx(0.9**60)
    assert m["linear_per_step_factor"] == pytest.approx(0.9, rel=0.02)
    assert m["tanh_per_step_factor"] < m["linear_per_step_factor"]


def test_rnn_gradient_explodes_when_rho_above_one():
    m = metrics("rnn-vanishing", rho=1.2)
    assert m["linear_per_step_factor"] == pytest.approx(1.2, rel=0.02)
    assert m["linear_gradient_gain"] > 1e3


# --- lstm-cell-path ----------------------------------------------------------------------------

def test_lstm_cell_path_is_f_to_the_t():
    m = metrics("lstm-cell-path")
    assert m["f_to_the_T"] == pytest.approx(0.99**100) == pytest.approx(0.36603, abs=1e-5)
    assert m["cell_path_product"] == pytest.approx(0.99**100, rel=1e-9)
    assert m["rnn_jacobian_norm"] < 1e-6


def test_lstm_without_recurrent_gate_weights_is_exactly_f_to_the_t():
    m = metrics("lstm-cell-path", forget=0.9, steps=50, recurrent=0.0)
    assert m["lstm_jacobian_norm"] == pytest.approx(0.9**50, rel=1e-9)
    assert m["other_paths_deviation"] < 1e-9


# --- attention-vs-rnn --------------------------------------------------------------------------

def test_attention_vs_rnn_counts():
    n, d = 32, 16
    m = metrics("attention-vs-rnn")
    assert (m["attention_path_length"], m["rnn_path_length"]) == (1, n - 1)
    assert m["attention_direct_pairs"] == n * n
    assert m["attention_mixing_flops"] == 2 * n * n * d
    assert m["rnn_mixing_flops"] == n * d * d
    assert m["attention_flops"] == 3 * n * d * d + 2 * n * n * d
    assert m["rnn_flops"] == 2 * n * d * d
    assert m["attention_grad_fd_error"] < 1e-6


def test_attention_cheaper_than_rnn_only_when_n_small_relative_to_d():
    short = metrics("attention-vs-rnn", length=16, dim=64)  # 2n²d = 32,768 < nd² = 65,536
    assert short["attention_mixing_flops"] < short["rnn_mixing_flops"]
    long = metrics("attention-vs-rnn", length=128, dim=16)
    assert long["attention_mixing_flops"] > long["rnn_mixing_flops"]


# --- positional-encoding -----------------------------------------------------------------------

def test_positional_encoding_dot_products():
    d, k = 64, 5
    m = metrics("positional-encoding")
    omega = 10000.0 ** (-np.arange(0, d, 2) / d)
    assert m["dot_at_offset_0"] == pytest.approx(d / 2)  # Σ (sin² + cos²) over d/2 pairs
    assert m["dot_at_offset"] == pytest.approx(sum(math.cos(w * k) for w in omega), abs=1e-9)
    assert m["dot_spread_across_positions"] < 1e-9
    assert m["no_pe_equivariance_error"] < 1e-12 < 1e-2 < m["with_pe_equivariance_error"]


def test_checks_can_fail():
    # claims are evaluated, not asserted: settings that break them must show it
    assert not all(checks("lstm-cell-path", forget=0.5).values())
    assert not all(checks("smoothing-sharpening", noise=0.01, amount=0.1).values())
