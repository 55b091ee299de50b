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


def _saturating_cast(real):
    """An FP16 cast that clips to ±65504 first (as saturating FP8 conversions do): nothing becomes inf."""
    return lambda g: real(np.clip(np.asarray(g, dtype=np.float64), -65504.0, 65504.0))


def _scaler_never_backs_off(real):
    """A dynamic scaler that skips an overflowing step but keeps its scale (only the clean count resets)."""
    return lambda scale, clean, overflowed: (scale, 0) if overflowed else real(scale, clean, False)


ROWS_PART2 += [
    ('mixed-precision', 'FP16 rounds 65519 down to 65504 and 65520 up to inf', {}, ("cast_fp16", _saturating_cast)),
    # large gradients: the scaler must back off from 2^24 to about 2^12
    ('mixed-precision', 'the dynamic scaler ends within 8×', {'grad_log10': -3.0},
     ("scaler_update", _scaler_never_backs_off)),
]


def _linear_activation(real):
    """GeLU replaced by the identity: the claim that row-splitting breaks the MLP rests on the non-linearity."""
    return lambda x: x


def _warmup_one_too_many(real):
    """1F1B whose warm-up runs p − s forwards (not p − s − 1) before its first backward."""

    def schedule(kind, p, m):
        if kind == "gpipe":
            return real(kind, p, m)
        out = []
        for s in range(p):
            w = min(p - s, m)
            ops = [("F", j) for j in range(w)]
            for i in range(m - w):
                ops += [("F", w + i), ("B", i)]
            out.append(ops + [("B", j) for j in range(m - w, m)])
        return out

    return schedule


ROWS_PART2 += [
    ('parallel-matmul', 'GeLU of row-split partial sums differs', {}, ("gelu", _linear_activation)),
    ('parallel-matmul', 'peak stored micro-batches: GPipe m, 1F1B min(p, m)', {}, ("schedule", _warmup_one_too_many)),
]

ROWS_PART2 += [
    ('lora-update', 'adapter arrays hold r·(d_in + d_out) numbers', {}, 'lora_params'),
]


def _everyone_sends_everything(real):
    """A naive all-reduce: each device sends its whole gradient to every other one (right sum, (p − 1)·N sent)."""

    def all_reduce(vectors):
        total = np.sum([v.astype(np.float64) for v in vectors], axis=0)
        return [total.copy() for _ in vectors], [(len(vectors) - 1) * v.size for v in vectors]

    return all_reduce


ROWS_PART2 += [
    ('ring-allreduce-zero', 'each device sends 2·(p−1)/p of the gradient', {},
     ("ring_all_reduce", _everyone_sends_everything)),
]


def _recompute_runs_one_past(real):
    """A recompute loop with an off-by-one bound: it also re-runs the first layer of the next segment."""
    return lambda ws, start, stop, x, forward: real(ws, start, min(stop + 1, len(ws)), x, forward)[:stop - start]


ROWS_PART2 += [
    ('activation-checkpointing', 'exactly one extra forward per layer', {},
     ("recompute_segment", _recompute_runs_one_past)),
]


def _max_not_added_back(real):
    """logsumexp that subtracts the row max for stability and forgets to add it back."""
    return lambda z: real(z) - np.max(z, axis=-1)


ROWS_PART2 += [
    ('attention-logit-growth', 'z-loss descent drives the shift to −log Z', {}, ("logsumexp", _max_not_added_back)),
]


def _data_exponent_is_alpha(real):
    """A loss L(N, D) = E + A/N^α + B/D^α: the data term written with the parameter exponent."""
    return lambda n, d, alpha, beta, b: real(n, d, alpha, alpha, b)


ROWS_PART2 += [
    ('compute-optimal', 'D/N changes with compute as C^((α−β)/(α+β))', {'alpha': 0.25, 'beta': 0.45},
     ("loss", _data_exponent_is_alpha)),
]


def _easiest_counted_as_hardest(real):
    """hard_share with the sort the wrong way round (argsort(s) for argsort(−s)): it sums the k easiest negatives."""

    def share(s_pos, s_neg, tau, hard):
        z = np.concatenate([[s_pos], s_neg]) / tau
        w = np.exp(z - z.max())[1:]
        return float(w[np.argsort(s_neg)[:hard]].sum() / w.sum())

    return share


ROWS_PART2 += [
    ('infonce-temperature', "the hard negatives' share of the gradient falls as τ rises", {},
     ("hard_share", _easiest_counted_as_hardest)),
]


def _over_regularised(real):
    """The velocity model fitted with ridge 10 per sample, not 1e-3: its field is shrunk towards 0."""
    return type("OverRegularised", (real,), {"fit": lambda self, x, t, target, ridge=1e-3:
                                             real.fit(self, x, t, target, ridge=10.0)})


def _time_frozen(real):
    """An Euler sampler that passes t = 0 to the field at every step (the step index never reaches it)."""

    def euler(field, x0, steps):
        x = x0.copy()
        for _ in range(steps):
            x = x + field(x, 0.0) / steps
        return x

    return euler


ROWS_PART2 += [
    ('flow-matching-2d', 'its MSE on the noisy target x₁ − x₀ is near the floor', {},
     ("RandomFeatures", _over_regularised)),
    ('flow-matching-2d', '32 Euler steps bring samples at least 5× closer', {}, ("euler", _time_frozen)),
]


def _one_token_short(real):
    """Exact match computed as p^(L − 1): the answer's length counted one short."""
    return lambda p, length: real(p, length - 1)


ROWS_PART2 += [
    ('emergence-metric', 'simulated exact match agrees with p^L', {'items': 5000}, ("exact_match", _one_token_short)),
]


def _baseline_over_the_batch(real):
    """Advantages r − (mean over the whole batch): one baseline for every group instead of one per group."""
    return lambda r: np.asarray(r, dtype=float) - np.mean(r)


def _scaled_by_the_largest_reward(real):
    """Group advantages divided by the largest |reward| in the group instead of the std: adding c rescales them."""

    def advantage(r):
        r = np.asarray(r, dtype=float)
        return (r - r.mean(axis=-1, keepdims=True)) / (np.abs(r).max(axis=-1, keepdims=True) + 1e-8)

    return advantage


ROWS_PART2 += [
    ('grpo-advantage', 'groups whose rewards are all equal get advantage exactly 0', {},
     ("group_advantage", _baseline_over_the_batch)),
    ('grpo-advantage', 'the GRPO update is unchanged by adding c to every reward', {},
     ("group_advantage", _scaled_by_the_largest_reward)),
]


def _one_newton_step(real):
    """The Bradley–Terry fit stopped after one Newton step from 0 (iters=1): not yet the maximum likelihood."""
    return lambda diff, label, iters=50: real(diff, label, 1)


def _over_confident_fit(real):
    """A reward model 1.5× too confident (as if trained at the wrong temperature): ŵ scaled by 1.5."""

    def fit(diff, label, iters=50):
        w, fisher = real(diff, label, iters)
        return 1.5 * w, fisher

    return fit


def _first_shown_bonus(real):
    """A bias column of 1 for the first-shown response and 0 for the other (a position effect): not a common
    shift, so the data do identify it."""
    return lambda xa, xb: real(xa, xb) + np.hstack([np.zeros_like(xa), np.ones((len(xa), 1))])


def _upper_tail(real):
    """log Φ(−z) where log Φ(z) belongs (erfc's sign slipped): the upper tail instead of the lower."""
    return lambda z: real(-np.asarray(z))


ROWS_PART2 += [
    ('reward-model-bt', 'the fitted reward recovers s·w*', {}, ("fit_bt", _one_newton_step)),
    ('reward-model-bt', 'a constant shift of the reward is unidentifiable', {}, ("pair_features", _first_shown_bonus)),
    ('reward-model-bt', 'held-out win rates match σ(r̂a − r̂b)', {}, ("fit_bt", _over_confident_fit)),
    ('reward-model-bt', 'Monte Carlo KL of best-of-N matches', {}, ("log_norm_cdf", _upper_tail)),
]


def _transposed_transitions(real):
    """Sequence log-probability that reads the transition table as trans[next, previous] (indices swapped)."""
    return lambda seq, first, trans: real(seq, first, np.asarray(trans).T)


def _first_token_left_out(real):
    """Sequence log-probability with the first token's term dropped (log π(s₁) taken as 0 for every start)."""
    return lambda seq, first, trans: real(seq, 0 * np.asarray(first), trans)


ROWS_PART2 += [
    ('kl-regularised-rl', 'the summed per-token log-ratio estimates the sequence KL', {},
     ("sequence_logp", _first_token_left_out)),
    ('kl-regularised-rl', 'the per-token k3 sum Σ(ρ − 1 − log ρ) is unbiased', {},
     ("sequence_logp", _transposed_transitions)),
]


def _coin_flip_when_biased(real):
    """A judge that, when it ignores the content, tosses a coin instead of picking the first slot."""

    def judge(rng, n, w_first, b):
        biased = rng.random(n) < b
        honest = rng.random(n) < w_first
        return np.where(biased, rng.random(n) < 0.5, honest)

    return judge


def _wider_length_gaps(real):
    """Length differences drawn with std 2 while the quadrature assumes std 1."""
    return lambda rng, gap, n: rng.normal(gap, 2.0, size=n)


def _intercept_only(real):
    """The 'length-controlled' fit without its length term: logit of the raw win rate, slope 0."""

    def fit(delta, y, iters=50):
        p = float(np.mean(y))
        return np.array([np.log(p / (1 - p)), 0.0]), np.eye(2) * p * (1 - p) / len(y)

    return fit


def _verdicts_duplicated(real):
    """Every comparison counted twice (each verdict repeated): n verdicts carry only n/2 comparisons' information."""
    return lambda rng, n, w_first, b: np.repeat(real(rng, (n + 1) // 2, w_first, b), 2)[:n]


ROWS_PART2 += [
    ('judge-bias', 'A wins b + (1 − b)·w when shown first', {'n': 5000},
     ("judge_first_slot_wins", _coin_flip_when_biased)),
    ('judge-bias', 'the raw win rate under length bias matches', {'length_bias': 2.0, 'n': 5000},
     ("length_differences", _wider_length_gaps)),
    ('judge-bias', 'the length-controlled intercept recovers w', {'length_bias': 2.0, 'length_gap': 2.0, 'n': 5000},
     ("fit_intercept_and_slope", _intercept_only)),
    ('judge-bias', 'a win rate from n comparisons varies with SE', {}, ("judge_first_slot_wins", _verdicts_duplicated)),
]


def _beta_squared(real):
    """The DPO gradient with β applied twice (once in u, once more outside): it grows as β²."""
    return lambda theta, phi, beta: beta * real(theta, phi, beta)


def _tabular_step_reversed(real):
    """The tabular policy's update with its sign flipped (descent on the margin instead of ascent)."""
    return lambda logp_ref, beta, lr, steps: real(logp_ref, beta, -lr, steps)


ROWS_PART2 += [
    ('dpo-loss', 'the initial gradient scales linearly with β', {}, ("dpo_grad", _beta_squared)),
    ('dpo-loss', 'a tabular policy (one logit per response) always raises', {},
     ("tabular_chosen_change", _tabular_step_reversed)),
]


def _heads_not_counted(real):
    """A multiply-add counter that ignores the batch (head) axes: a per-head matmul counted once, not H times."""

    def matmul(a, b, counter):
        out = real(a, b, type("Scratch", (), {"macs": 0})())
        counter.macs += a.shape[-2] * a.shape[-1] * b.shape[-1]
        return out

    return matmul


ROWS_PART2 += [
    ('kv-cache', 'with a cache, step t costs P + 2·H·d_head·t', {}, ("matmul", _heads_not_counted)),
    ('kv-cache', 'without a cache, step t costs P·t + 2·H·d_head·t²', {}, ("matmul", _heads_not_counted)),
]


def _block_size_ignored(real):
    """Tiled attention that processes all n keys as one block whatever block size it is given."""
    return lambda q, k, v, block, trace=None: real(q, k, v, len(k), trace)


def _last_block_dropped(real):
    """A tiling loop whose bound is range(0, n − block, block): the last key block is never visited."""
    from interviewprep.demos.tiled_attention import online_update

    def tiled(q, k, v, block, trace=None):
        n, d = q.shape
        m, ell, acc = np.full(n, -np.inf), np.zeros(n), np.zeros((n, d))
        largest, macs = 0, 0
        for start in range(0, max(n - block, 1), block):
            stop = min(start + block, n)
            s = q @ k[start:stop].T / np.sqrt(d)
            s = np.where(np.arange(start, stop)[None, :] > np.arange(n)[:, None], -np.inf, s)
            largest, macs = max(largest, s.size), macs + n * d * (stop - start) + n * (stop - start) * v.shape[1]
            m, ell, acc = online_update(m, ell, acc, s, v[start:stop])
        return acc / ell[:, None], largest, macs

    return tiled


ROWS_PART2 += [
    ('tiled-attention', 'its largest intermediate is n·min(block, n)', {}, ("tiled_attention", _block_size_ignored)),
    ('tiled-attention', 'tiling does not reduce the multiply-adds', {}, ("tiled_attention", _last_block_dropped)),
    # one key outside the window, but with logits this large its weight underflows: no difference at all
    ('tiled-attention', 'sliding-window attention equals full attention only when',
     {'n': 768, 'window': 767, 'logit_scale': 30.0}, None),
]


def _positions_wrapped(real):
    """RoPE angles from a rotation table built for the 2048 trained positions and indexed modulo 2048."""
    return lambda positions, theta: real(np.mod(positions, 2048), theta)


ROWS_PART2 += [
    ('rope-relative', "plain extrapolation to L′ > L pushes every pair's largest angle", {},
     ("rotation_angles", _positions_wrapped)),
]


def _ffn_bias_added(real):
    """Layers with an FFN bias b₁ (h numbers) that the parameter formula does not include."""

    def make_layer(d, ffn, rng):
        layer = real(d, ffn, rng)
        layer["b1"] = np.zeros(layer["w1"].shape[1])
        return layer

    return make_layer


def _macs_not_flops(real):
    """A counter that adds one per multiply-add instead of two FLOPs (a multiply and an add)."""

    def matmul(a, b, flops, kind="weights"):
        before = getattr(flops, kind)
        out = real(a, b, flops, kind)
        setattr(flops, kind, before + (getattr(flops, kind) - before) // 2)
        return out

    return matmul


def _masked_half_counted(real):
    """Attention FLOPs counted for the dense n×n scores, the masked (future) half included."""

    def attention(q, k, v, flops):
        out = real(q, k, v, flops)
        heads, n, dh = q.shape
        flops.attention += 2 * (2 * dh * heads * (n * (n - 1) // 2))
        return out

    return attention


ROWS_PART2 += [
    ('transformer-flops', 'parameters counted from the arrays equal L·(4d² + FFN + 2d)', {},
     ("make_layer", _ffn_bias_added)),
    ('transformer-flops', 'weight matmuls cost 2 FLOPs per matrix parameter per token', {},
     ("matmul", _macs_not_flops)),
    ('transformer-flops', 'causal attention adds 2·L·d·(n_ctx + 1) FLOPs per token', {},
     ("causal_attention", _masked_half_counted)),
]


def _nucleus_one_short(real):
    """top-p without the '+ 1': the token whose mass crosses top_p is left out, so the set falls short of it."""

    def top_p(p, top_p):
        keep = real(p, top_p).copy()
        if keep.sum() > 1:
            kept = np.flatnonzero(keep)
            keep[kept[np.argmin(p[kept])]] = False
        return keep

    return top_p


ROWS_PART2 += [
    ('sampling-knobs', 'top-k, top-p and min-p keep exactly the sets a naive loop picks', {},
     ("top_p_mask", _nucleus_one_short)),
]


def _runs_until_the_arrival(real):
    """An event step that waits for the next arrival without stopping when an active request finishes first:
    requests overshoot their length."""
    return lambda left, until_arrival=None: real(left) if until_arrival is None else max(1, until_arrival)


ROWS_PART2 += [
    ('continuous-batching', 'token accounting: every requested token is generated exactly once', {'arrival_gap': 5.0},
     ("steps_to_next_event", _runs_until_the_arrival)),
    ('continuous-batching', 'utilisation from the step timeline equals Σ len / (B · makespan)', {'arrival_gap': 5.0},
     ("steps_to_next_event", _runs_until_the_arrival)),
]


def _kv_read_once_per_batch(real):
    """A roofline that reads the KV cache once per step for the whole batch instead of once per sequence."""
    return lambda batch, n, bpp, kv, peak, bw: real(batch, n, bpp, kv / batch, peak, bw)


def _one_flop_per_parameter(real):
    """A roofline counting N FLOPs per token (one per parameter) instead of 2N (a multiply and an add)."""

    def step_time(batch, n, bpp, kv, peak, bw):
        _, t_compute, t_memory = real(batch, n, bpp, kv, peak, bw)
        return max(t_compute / 2, t_memory), t_compute / 2, t_memory

    return step_time


ROWS_PART2 += [
    # a short cache (4096 tokens × 1 kB): decode still turns compute-bound, at a batch the KV reads move
    ('decode-roofline', 'the batch where decode turns compute-bound matches',
     {'context': 4096, 'kv_mb_per_token': 0.001},
     ("step_time", _kv_read_once_per_batch)),
    ('decode-roofline', 'throughput never exceeds the compute ceiling', {}, ("step_time", _one_flop_per_parameter)),
]


def _one_slot_held_back(real):
    """Continuous batching run with B − 1 slots (one held back, say for prefill) against static's B."""

    def simulate(arrivals, lengths, slots, policy, *args, **kwargs):
        return real(arrivals, lengths, max(slots - 1, 1) if policy == "continuous" else slots, policy, *args, **kwargs)

    return simulate


ROWS_PART2 += [
    ('continuous-batching', 'continuous batching finishes every request no later than static', {},
     ("simulate", _one_slot_held_back)),
]
