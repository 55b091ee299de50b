"""More rows for test_checks_can_fail: checks shown failing under a setting or a named, deliberately broken helper.

Same tuple shape as CASES there: (demo id, words from the check's name, parameters, helper to break: None, a
name (that helper returns 5% too much), or (name, real -> broken)). Each bug below is one a reader could make.
"""

from __future__ import annotations

import numpy as np


def _always_zero_padded(real):
    """FFT convolution that pads to a length ≥ n + k − 1 whatever length it is asked for (so it never wraps)."""

    def conv(x, h, size):
        y, ops = real(x, h, 1 << (x.size + h.size - 2).bit_length())
        return y[:size], ops

    return conv


def _shift_ignored(real):
    """An image shift that returns the images where they were: 'shifted' test images are centred ones."""
    return lambda x, dy, dx: x.copy()


def _augment_without_shifts(real):
    """Augmentation that only flips: the random shifts are drawn from {0} (shift 0 passed on)."""
    return lambda rng, x, y, augment, shift: real(rng, x, y, augment, 0)


def _scaled_by_spectral_norm(real):
    """W scaled by its largest singular value instead of its largest |eigenvalue|: the radius ends below ρ."""
    return lambda w, rho: w * (rho / np.linalg.norm(w, 2))


def _tanh_grad_sign_slip(real):
    """tanh' written as 1 + tanh² instead of 1 − tanh²: a 'derivative' between 1 and 2."""
    return lambda z: 2 - real(z)


def _linear_attention(real):
    """Attention without softmax, computed as Q(KᵀV): its mixing cost is linear in n, not quadratic."""

    def attention(x, wq, wk, wv, counter):
        q, k, v = (counter.mm(x, m, "projection") for m in (wq, wk, wv))
        kv = counter.mm(k.T, v, "mixing")
        y = counter.mm(q, kv, "mixing")
        return y, q @ k.T, counter.depth(y)

    return attention


ROWS_PART2 = [
    ('fourier-convolution', 'without zero-padding the FFT gives circular', {},
     ("fft_convolution", _always_zero_padded)),
    ('data-augmentation', 'without augmentation, shifted test images are much harder', {},
     ("shifted", _shift_ignored)),
    ('data-augmentation', 'the augmented model is nearly shift-robust', {}, ("train_mlp", _augment_without_shifts)),
    ('rnn-vanishing', 'the gradient is ρ^T up to a constant', {}, ("scaled_to_radius", _scaled_by_spectral_norm)),
    ('rnn-vanishing', "tanh only shrinks it further", {}, ("tanh_grad", _tanh_grad_sign_slip)),
    ('attention-vs-rnn', 'doubling n: attention mixing FLOPs ×4', {}, ("attention", _linear_attention)),
]


def _position_never_advances(real):
    """Positional encodings all computed at position 0: every token gets the same vector."""

    def sinusoidal(positions, d):
        pe, omega = real(1, d)
        return np.repeat(pe, positions, axis=0), omega

    return sinusoidal


def _unbiased_covariance(real):
    """The covariance with 1/(n − 1) while the reconstruction error averages with 1/n: Σλ comes out too large."""
    return lambda x: real(x) * len(x) / (len(x) - 1)


ROWS_PART2 += [
    ('positional-encoding', 'with PE added, word order changes the result', {},
     ("sinusoidal", _position_never_advances)),
    ('autoencoder-pca', 'no linear code of size k does better', {}, ("covariance", _unbiased_covariance)),
]


def _noise_scale_not_rooted(real):
    """x_t = √ᾱ x₀ + (1−ᾱ) ε: the noise's variance (1−ᾱ) used as its standard deviation."""
    return lambda x0, alpha_bar, rng: np.sqrt(alpha_bar) * x0 + (1.0 - alpha_bar) * rng.standard_normal(len(x0))


def _signal_not_rooted(real):
    """x_s = (1−β) x_{s−1} + √β ε: the signal scaled by α_s where √α_s belongs."""
    return lambda x, beta, rng: (1.0 - beta) * x + np.sqrt(beta) * rng.standard_normal(len(x))


def _snr_upside_down(real):
    """(1−ᾱ)/ᾱ, the noise-to-signal ratio, reported as SNR."""
    return lambda alpha_bar: 1.0 / real(alpha_bar)


ROWS_PART2 += [
    ('diffusion-forward', 'has mean √ᾱ·E[x₀] and variance ᾱVar[x₀] + 1 − ᾱ', {}, ("one_shot", _noise_scale_not_rooted)),
    ('diffusion-forward', 'noising steps match the one-shot formula', {}, ("noising_step", _signal_not_rooted)),
    ('diffusion-forward', 'SNR falls monotonically', {}, ("signal_to_noise", _snr_upside_down)),
]


def _clone_recovers(real):
    """A 'cloned' policy simulated as if it had off-lane training data: it steers back like DAgger."""
    return lambda eps, horizon, n, recovers, rng: real(eps, horizon, n, True, rng)


ROWS_PART2 += [
    # few episodes and rare errors: the sampled costs are too noisy for the slope and the 10% match
    ('behavior-cloning', "the DAgger-style policy's cost grows ~T", {'eps': 0.0005, 'horizon': 20, 'n': 5000}, None),
    ('behavior-cloning', 'matches Σ_t 1 − (1 − ε)^t within 10%', {'eps': 0.0005, 'horizon': 20, 'n': 5000}, None),
    ('behavior-cloning', 'cloning costs several times more', {}, ("rollouts", _clone_recovers)),
]


def _uniform_hyperplanes(real):
    """Hyperplane normals from rng.random (all in the positive orthant) where rng.standard_normal belongs."""
    return lambda rng, shape: rng.random(shape)


def _one_table_repeated(real):
    """Every hash table uses the first table's hyperplanes (one seed reused): more tables add nothing."""
    return lambda x, planes: real(x, np.broadcast_to(planes[:1], planes.shape))


ROWS_PART2 += [
    ('nearest-neighbour-lsh', 'one-bit collision probability = 1 − θ/π', {},
     ("random_hyperplanes", _uniform_hyperplanes)),
    ('nearest-neighbour-lsh', 'more tables: higher recall, more candidates', {}, ("hash_codes", _one_table_repeated)),
]


def _channel_axis_ignored(real):
    """Per-channel quantization that drops its axis argument: one scale for the whole tensor after all."""
    return lambda w, bits, axis=None: real(w, bits)


def _prunes_largest(real):
    """Magnitude pruning with the sort the wrong way round (argsort of −|w|): it zeroes the largest weights."""

    def prune(w, sparsity, rng=None):
        if rng is not None:
            return real(w, sparsity, rng)
        flat = w.ravel().copy()
        flat[np.argsort(-np.abs(flat))[:int(round(sparsity * w.size))]] = 0.0
        return flat.reshape(w.shape)

    return prune


ROWS_PART2 += [
    ('quantization-pruning', 'per-channel scales beat one per-tensor scale', {}, ("quantize", _channel_axis_ignored)),
    ('quantization-pruning', 'magnitude pruning hurts less than random pruning', {}, ("prune", _prunes_largest)),
]


def _next_seed(real):
    """A streaming loader that seeds its shuffle with seed + 1 (an off-by-one epoch counter)."""
    return lambda n, batch, features, seed: real(n, batch, features, seed + 1)


def _partial_batch_lost(real):
    """A streaming loader that silently skips the last, partial batch."""
    return lambda n, batch, features, seed: (xb for xb in real(n, batch, features, seed) if len(xb) == batch)


ROWS_PART2 += [
    ('data-generator', 'same seed → the same batches', {}, ("stream_batches", _next_seed)),
    ('data-generator', 'one epoch = ⌈n/B⌉ batches covering every row once', {},
     ("stream_batches", _partial_batch_lost)),
]


def _activation_off_zero(real):
    """tanh + ½ as the hidden activation (same derivative, but f(0) = ½ like a sigmoid's): zero-init hidden units
    now output ½, so W2 gets a gradient and then W1 does (the claim rests on tanh(0) = 0)."""
    return lambda z: real(z) + 0.5


ROWS_PART2 += [
    ('not-converging', 'all-zero init: the first layer never moves', {}, ("tanh", _activation_off_zero)),
]
