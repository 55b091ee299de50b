"""Every check can fail: for each demo, a setting or a deliberately broken computation under which a check fails.

A check that passes whatever happens tells the reader nothing. Each row below names a demo, words from one
of its checks, and either parameters at which that claim is false (or its tolerance is not met) or a helper
of the demo's module to break: a name alone makes it return 5% too much (a wrong constant in a formula), a
(name, real -> broken) pair builds a specific bug. The row passes when that check then fails.
`test_every_registered_demo_has_a_row` makes a new demo bring its own rows, and
`test_every_check_at_the_defaults_has_a_row` makes every check it runs at its defaults have one.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from interviewprep.demos import registry
from tests.demos.can_fail_rows_part1 import ROWS_PART1
from tests.demos.can_fail_rows_part2 import ROWS_PART2
from tests.demos.helpers import assert_claim_rule

SPECS = registry.load_all()


def off_by_5_percent(real):
    """The helper with a wrong constant: floats ×1.05, integers +1 (the first item of a tuple or list)."""

    def bend(out):
        if isinstance(out, bool) or out is None:
            return out
        if isinstance(out, int):
            return out + 1
        if isinstance(out, float):
            return out * 1.05
        if isinstance(out, np.ndarray):
            return out * 1.05 if out.dtype.kind == "f" else out + 1
        if isinstance(out, (tuple, list)) and out:
            return type(out)([bend(out[0]), *out[1:]])
        return out

    return lambda *args, **kwargs: bend(real(*args, **kwargs))


def _first_argument_off(real):
    """The helper called with its first argument (a step size, a rate) 5% too large."""
    return lambda first, *args, **kwargs: real(first * 1.05, *args, **kwargs)


def _second_argument_off(real):
    """The helper called with its second argument 5% too large."""
    return lambda first, second, *args, **kwargs: real(first, second * 1.05, *args, **kwargs)


def _predictions_flipped(real):
    """A confusion matrix built from 1 − prediction: "always negative" becomes "always positive"."""
    return lambda y_true, y_pred: real(y_true, 1 - y_pred)


def _small_weights_zeroed(real):
    """A ridge solver that rounds weights below 0.05 to exactly 0 (as L1 would)."""

    def ridge(x, y, lam):
        w = real(x, y, lam)
        return w * (np.abs(w) > 0.05)

    return ridge


def _lr_times(real, factor):
    """Gradient descent that quietly uses factor × the step size it was given."""
    return lambda A, b, x0, x_star, lr, steps: real(A, b, x0, x_star, factor * lr, steps)


def _always_drop_last(real):
    """A loader that drops the last partial batch whatever drop_last says."""
    return lambda n, b, drop, rng: real(n, b, True, rng)


def _half_rate_gap(real):
    """A closed form with (1 − ηλ)^k where (1 − ηλ)^(2k) belongs."""
    return type("HalfRate", (real,), {"gap": lambda self, k: real.gap(self, np.asarray(k, dtype=float) / 2)})


def _no_pretraining(real):
    """Pretraining (the 150-step run on the source task) that takes no steps: its features are random."""
    return lambda rng, x, y, steps, *args, **kwargs: real(rng, x, y, 0 if steps == 150 else steps, *args, **kwargs)


def _padding_ignored(real):
    """A conv layer that drops its padding: the feature map shrinks by K − 1 on each side."""
    return lambda x, w, b=None, **kwargs: real(x, w, b)


def _pooled_over_wrong_axes(real):
    """A feature map laid out wrongly, (C·H/8, 8, W): 'channels' then grow with the input size."""

    def conv(*args, **kwargs):
        out = real(*args, **kwargs)
        return out.reshape(out.shape[0] * out.shape[1] // 8, 8, out.shape[2])

    return conv


def _attention_as_a_scan(real):
    """Attention whose output rows are produced one after another, each waiting for the previous row."""

    def attention(x, wq, wk, wv, counter):
        y, a, _ = real(x, wq, wk, wv, counter)
        rows = [counter.row(y, 0)]
        for t in range(1, len(y)):
            rows.append(counter.op(lambda row, prev: row, counter.row(y, t), rows[-1]))
        return np.array(rows), a, counter.depth(rows[-1])

    return attention


def _centre_tap(g, w):
    """A conv backward pass that only uses the kernel's centre weight."""
    return g * w[w.shape[0] // 2, w.shape[1] // 2]


# (demo id, words from the check's name, parameters, helper to break: None, a name ("F.name" for the
# numeric.functional module the demo imports as F), or (name, real -> broken))
CASES = [
    ('sigmoid-saturation', "σ'(0) = 0.25 is the maximum", {}, 'sigmoid_grad'),
    ('sigmoid-saturation', 'closed form matches finite differences', {}, 'sigmoid'),
    ('activation-zoo', 'tanh(x) = 2σ(2x) − 1', {}, 'F.sigmoid'),
    ('activation-zoo', 'every *_grad matches central finite differences', {}, 'F.leaky_relu'),
    ('dying-relu', 'Leaky ReLU passes slope 0.01 for z < 0, so the s', {}, 'F.leaky_relu_grad'),
    ('xor-mlp', 'the MLP classifies all four XOR points', {'epochs': 10}, None),
    ('xor-mlp', 'loss drops below 5% of its initial value', {'lr': 0.01}, None),
    ('xor-mlp', 'every prediction is confident: |p − y| < 0.1', {'lr': 0.01}, None),
    ('vanishing-depth', 'after 20 layers the sigmoid gradient is over 2^', {'width': 4}, None),
    ('vanishing-depth', 'the ReLU (He) gradient keeps its scale', {'width': 4}, None),
    ('exploding-depth', 'measured forward and backward norms follow gain^', {}, '_orthogonal'),
    ('exploding-depth', 'gain 1.1 explodes: the gradient grows more than', {'depth': 2}, None),
    ('exploding-depth', 'gain 0.9 vanishes: the gradient shrinks more tha', {'depth': 2}, None),
    ('exploding-depth', 'gain exactly 1 (orthogonal init) preserves the n', {}, '_orthogonal'),
    ('gradient-clipping', 'and brings the norm down to max_norm = 1', {}, '_flat'),
    ('weight-init', 'He keeps the activation std steady (per-layer fa',
     {'depth': 2, 'width': 16, 'small_std': 0.0001, 'constant': -2.0}, None),
    ('weight-init', 'Xavier loses ≈ 1/√2 per ReLU layer (within 10%)',
     {'depth': 2, 'width': 16, 'small_std': 0.0001, 'constant': -2.0}, None),
    ('weight-init', "N(0, 0.01²) collapses: final std < 1e-6 × He's", {'depth': 2}, None),
    ('gradient-check', 'backprop agrees with central differences at h=1e', {}, '_loss'),
    ('gradient-check', 'central differences beat one-sided ones', {}, '_backprop'),
    ('computational-graph', 'autodiff = central finite differences', {}, '_f'),
    ('residual-gradient', 'the identity path is worth many orders of magnit', {'depth': 2}, None),
    ('gd-learning-rate', 'η=0.2 reaches |x| ≤ 1e-3 sooner than η=0.05', {'steps': 5}, None),
    ('sgd-oscillation', "SGD's loss keeps fluctuating at the end, GD's do", {'iters': 50}, None),
    ('sgd-oscillation', 'SGD stays in a bounded noise ball above the mini', {'kappa': 400.0}, None),
    ('sgd-oscillation', 'a 4× larger batch (16) shrinks the noise ball at', {'lr_frac': 0.05}, None),
    ('sgd-oscillation', 'GD zig-zags along the steepest direction (η > 1/', {'lr_frac': 0.05}, None),
    ('minibatch-noise', 'every measured std is within 20% of √(tr Σ / B)', {'repeats': 50}, None),
    # the gradient noise drawn 5% too large: every variance 10% above ησ²/(2−η)
    ('sgd-noise-ball', 'stationary mean x² = ησ²/(2−η)', {}, ("_simulate", _second_argument_off)),
    # the step taken 5% too large: near η = 2 that moves V(η)/V(η/2) from 21 to about 400
    ('sgd-noise-ball', 'halving η shrinks the ball as theory says', {'lr': 1.9, 'sigma': 0.01},
     ("_simulate", _first_argument_off)),
    ('sgd-noise-ball', 'decaying the step shrinks the ball at least 5×', {'lr': 0.02}, None),
    ('momentum', 'GD contracts by (κ−1)/(κ+1) per step', {}, '_tail_rate'),
    ('momentum', 'heavy ball contracts by (√κ−1)/(√κ+1) per step', {}, '_tail_rate'),
    ('rmsprop', "RMSprop's steps are about equal across coordinat", {'scale': 1.0}, None),
    ('rmsprop', "scaling the gradient by 1000 leaves RMSprop's pa", {'steps': 2000}, None),
    ('rmsprop', 'RMSprop gets the flat coordinate closer to 0 tha', {'scale': 1.0}, None),
    ('adam-bias-correction', 'with bias correction every step has size lr', {'grad': 0.0001}, None),
    ('adam-bias-correction', 'without it the first step is (1−β₁)/√(1−β₂)·lr', {'grad': 0.0001}, None),
    ('adam-bias-correction', 'the uncorrected factor follows (1−β₁ᵗ)/√(1−β₂ᵗ)', {'grad': 0.0001}, None),
    # β₂ = 0.5 forgets v as fast as m: (1 − β₁ᵗ)/√(1 − β₂ᵗ) rises to 1 from below, never above lr
    ('adam-bias-correction', 'uncorrected early steps are too large (> lr) for', {'beta2': 0.5}, None),
    ('adamw-vs-l2', 'AdamW decays busy weights as (1 − lr·λ)ᵗ in expe', {}, '_busy'),
    ('optimizer-race', 'per-coordinate methods lose their edge when the', {'kappa': 4.0}, None),
    ('lr-schedules', 'decaying schedules end at least 3× lower loss th',
     {'base_lr': 0.01, 'total_steps': 100, 'warmup_frac': 0.01}, None),
    ('local-minima', 'GD stops at a stationary point (zero gradient),', {'lr': 0.001}, None),
    ('local-minima', 'SGD noise lets at least 10% of shallow-basin run', {'lr': 0.001}, None),
    ('local-minima', 'escaping the deep basin is much rarer (higher ba', {'lr': 0.001}, None),
    ('cross-entropy-vs-mse', 'CE gradient = ŷ − y (finite differences agree)', {}, 'ce_loss'),
    ('cross-entropy-vs-mse', "MSE gradient = (ŷ − y)·σ'(z) (finite differences", {'z': -27.05}, None),
    ('cross-entropy-vs-mse', "CE's gradient is over 100× MSE's at this saturat", {'z': -0.5}, None),
    ('cross-entropy-vs-mse', 'gradient descent on CE fixes the prediction in f', {'z': -0.5}, None),
    ('softmax-stability', 'max-subtracted softmax is finite, sums to 1 and', {}, 'F.softmax'),
    ('softmax-stability', 'initial loss with small random logits is within', {'init_scale': 2.0}, None),
    ('focal-loss', 'focal / BCE = (1 − p_t)^γ', {}, 'logit'),
    ('focal-loss', 'γ = 0 with alpha < 0 (no α weighting) is exactly', {}, 'F.binary_cross_entropy_with_logits'),
    ('focal-loss', 'focal loss moves the total loss away from the ea', {'gamma': 0.0}, None),
    ('hinge-vs-logistic', 'correctly classified points inside the margin (0', {}, 'hinge'),
    ('accuracy-paradox', 'a model that finds most positives has LOWER accu', {'separation': 6.0}, None),
    ('accuracy-paradox', 'raising the threshold trades recall for precisio', {'separation': 0.0}, None),
    ('roc-auc', 'P(s⁺ > s⁻) (ties ½) equals the trapezoid area un', {}, 'auc_pairs'),
    ('roc-auc', 'monotone transforms of the scores leave AUC unch', {}, 'auc_pairs'),
    ('class-imbalance', 'unweighted training misses most of the minority', {'separation': 5.0}, None),
    ('class-imbalance', 'class weights raises minority recall substantial', {'separation': 5.0}, None),
    ('class-imbalance', '…and balanced accuracy, while precision and plai', {'separation': 0.5}, None),
    ('bias-variance', 'bias² falls from degree 1 to the best degree', {'noise': 2.0}, None),
    ('bias-variance', 'variance grows from the best degree to the highe', {'noise': 0.0}, None),
    ('bias-variance', 'test error is U-shaped: its minimum is at an int', {'noise': 0.0}, None),
    ('early-stopping', 'validation loss bottoms out early, well before t', {'noise': 0.0}, None),
    ('early-stopping', 'afterwards validation loss rises and the train/v', {'noise': 0.0}, None),
    ('early-stopping', 'patience-100 early stopping halts long before th', {'noise': 0.0}, None),
    ('l1-vs-l2', 'L1 sets most irrelevant weights to exactly 0', {'lam': 0.001}, None),
    ('dropout-scaling', 'a fraction ≈ 1 − p of units survives, each scale', {}, 'F.dropout'),
    ('dropout-scaling', 'eval mode returns the input unchanged', {}, 'F.dropout'),
    ('dropout-scaling', 'the variance is NOT matched: per-unit Var/x² = p', {}, 'F.dropout'),
    ('dropout-vs-bagging', 'bagging cuts the variance of 1-NN predictions (a', {'n_bags': 2}, None),
    ('batchnorm', 'γ = √(σ²_B + ε), β = μ_B turns BN back into the', {}, 'F.batch_norm'),
    ('layernorm-vs-batchnorm', "BatchNorm's output for sample 0 depends on the o",
     {'batch_size': 2, 'features': 2, 'shift': 0.0}, None),
    ('layernorm-vs-batchnorm', 'LN standardizes each row (sample), BN each colum', {}, 'F.layer_norm'),
    ('layernorm-vs-batchnorm', 'one changed batch-mate matters less in bigger ba', {'shift': 90.0}, None),
    ('curse-of-dimensionality', 'relative contrast (max − min)/min of distances s', {'max_dim': 10}, None),
    ('padding-stride', 'measured output size equals ⌊(H+2P−D(K−1)−1)/S⌋+', {}, 'conv2d_output_shape'),
    ('padding-stride', 'the floor: (H+2P−K) mod S trailing rows are neve', {}, 'window_starts'),
    ('conv-params', 'parameters the output depends on', {}, 'conv2d_param_count'),
    ('conv-params', 'the same 4640 parameters run on 16×16 and 32×32', {}, 'conv2d_output_shape'),
    ('weight-sharing', 'conv ≪ locally connected ≪ fully connected in pa', {}, 'conv2d_param_count'),
    ('weight-sharing', 'conv: shifting the input shifts the output (equi', {}, '_shift'),
    ('pooling', 'dense ReLU maps: max pooling keeps more outputs', {'shift': 3}, None),
    ('pooling', 'max keeps a lone peak; average dilutes it by 1/K', {}, 'pool2d'),
    ('smoothing-sharpening', 'Sobel: edges respond far more than flat regions;', {'noise': 0.01}, None),
    ('fourier-convolution', 'zero-padded FFT convolution equals direct convol', {}, 'direct_convolution'),
    ('data-augmentation', 'augmentation lifts shifted-test accuracy', {'noise': 0.8}, None),
    ('rnn-vanishing', 'linear RNN: the gradient shrinks/grows by ρ per', {}, 'per_step_factor'),
    ('lstm-cell-path', 'cell path: ∂c_T/∂c_0 = ∏ f_t = f^T', {}, 'sigmoid'),
    ('lstm-cell-path', 'with the h → gate weights at 0, the full Jacobia', {}, 'sigmoid'),
    ('lstm-cell-path', 'forward-mode Jacobian matches finite differences', {}, 'sigmoid'),
    ('lstm-cell-path', "a vanilla tanh RNN's ∂h_T/∂h_0 is orders of magn", {'forget': 0.5}, None),
    ('attention-vs-rnn', 'path length from the first to the last position:', {}, 'path_length'),
    ('attention-vs-rnn', 'gradient from the last output to the first input', {'length': 16}, None),
    ('positional-encoding', 'PE(p)·PE(p+k) depends only on k (= Σ cos(ω_i k))', {}, 'sinusoidal'),
    ('positional-encoding', 'PE(p+5) = R_5·PE(p) at every p, R orthogonal (a', {}, 'rotation'),
    ('autoencoder-pca', 'span(decoder) = top-k PCA subspace (max principa', {'steps': 50}, None),
    ('autoencoder-pca', 'reconstruction error = sum of discarded eigenval', {'steps': 50}, None),
    ('gan-1d', 'V(D*, G) + log 4 = 2·JSD(p_d ‖ p_g)', {}, '_log_density'),
    ('gan-1d', 'D* beats 200 random discriminators', {}, 'optimal_value'),
    ('gan-1d', 'at p_g = p_d: D* ≡ 1/2 and V = −log 4', {}, '_log_density'),
    ('gan-1d', 'far apart, JSD saturates at log 2 and its slope', {}, '_log_density'),
    ('diffusion-forward', 'ᾱ_T < 1e-3: x_T is essentially pure noise', {'T': 10}, None),
    ('bandit', 'ε = 0.1 has less total regret than ε = 0 and ε =', {'k': 2}, None),
    ('bandit', 'ε = 0.5 learns the best arm but is capped near 1', {'steps': 100}, None),
    ('behavior-cloning', "behaviour cloning's cost grows ~T² (log-log slop", {'eps': 0.1}, None),
    ('next-token', 'T → ∞ is uniform: H(T=100) within 2% of log V', {}, 'entropy'),
    ('next-token', 'held-out perplexity: bigram < unigram < V', {'alpha': 10.0}, None),
    ('nearest-neighbour-lsh', 'LSH finds ≥ 80% of the true top-10 while scannin', {'bits': 2}, None),
    ('quantization-pruning', 'every weight is within scale/2 of its quantized', {}, 'quantize'),
    ('quantization-pruning', 'rounding error behaves like uniform noise: rms ≈', {'bits': 2}, None),
    ('data-generator', 'streaming peak memory is under a tenth of materi', {'n': 1000}, None),
    ('data-generator', 'streaming peak ≈ index permutation + a few batch', {'batch': 16}, None),
    ('not-converging', 'with everything right the same MLP converges (lo', {'lr': 0.5}, None),
    ('not-converging', 'each single bug leaves the loss ≥ 5× the baselin', {'lr': 0.5}, None),
    ('not-converging', 'learning rate 30× too large diverges', {'lr': 0.001}, None),
    ('mixed-precision', 'maxima decoded from every bit pattern equal (2 −', {}, 'decode_minifloat'),
    ('mixed-precision', 'relative rounding error is at most 2⁻⁸ for BF16', {}, 'to_bf16'),
    ('mixed-precision', 'share of gradients FP16 flushes to zero matches', {}, 'normal_cdf'),
    ('mixed-precision', 'loss scaling loses fewer gradients (zero + inf)', {'spread': 0.1}, None),
    ('parallel-matmul', 'column-parallel W₁ + row-parallel W₂ with one al', {}, 'tensor_parallel_mlp'),
    ('parallel-matmul', 'GPipe and 1F1B both take (m+p−1)(t_f+t_b), idle', {}, 'simulate'),
    ('lora-update', 'B = 0 at init: the adapted layer starts exactly', {}, 'adapter_forward'),
    ('lora-update', 'alternating least squares reaches the Eckart–You', {}, 'fit_a'),
    ('lora-update', "merged W + (α/r)·BA gives the adapter path's out", {}, 'merge'),
    ('ring-allreduce-zero', 'every device ends with the exact sum', {}, 'ring_all_reduce'),
    ('ring-allreduce-zero', 'rank-0 bytes of the partitioned arrays equal 16N', {}, 'shard'),
    ('activation-checkpointing', "checkpointed gradients equal plain backprop's", {}, 'backprop_plain'),
    ('activation-checkpointing', 'peak stored activations = ⌈L/k⌉ + min(k, L) − 1', {}, 'peak_formula'),
    ('bpe-tokenizer', 'encode → decode is lossless, also for text with', {}, 'train'),
    ('bpe-tokenizer', 'each merge shortens the corpus by exactly its pa', {}, 'count_occurrences'),
    ('bpe-tokenizer', 'the encoder applied to the raw corpus reproduces', {}, 'train'),
    ('compute-optimal', 'brute-force search along N·D = C/6 finds the clo', {}, 'optimum'),
    ('compute-optimal', 'a model s times smaller reaches the same loss wi', {}, 'loss'),
    ('moe-routing', 'dropped assignments Σ max(0, loadᵢ − capacity) e', {}, 'loads'),
    ('moe-routing', 'the analytic router gradient of E·Σ fᵢPᵢ matches', {}, 'softmax'),
    ('moe-routing', "training on the balancing loss lowers the load's", {'lr': 0.0}, None),
    ('infonce-temperature', 'loss equals log(1 + N·e^((b − s⁺)/τ)) when all n', {}, 'logsumexp'),
    ('infonce-temperature', 'the gradient on each negative is pᵢ/τ (finite di', {}, 'logsumexp'),
    ('infonce-temperature', 'at very high τ the loss tends to log(N + 1)', {}, 'logsumexp'),
    ('flow-matching-2d', 'one Euler step with the exact field sends every', {}, 'exact_velocity'),
    ('flow-matching-2d', 'the regressed field is close to the analytic E[x', {'train': 1000}, None),
    ('emergence-metric', 'exact match stays flat (< 5% of its final value)', {'answer_len': 1}, None),
    ('dpo-loss', 'at θ = θ_ref the loss is ln 2 and the gradient n', {}, 'sigmoid'),
    ('dpo-loss', 'the analytic gradient −β·σ(−u)·(φ_w − φ_l) match', {}, 'log_softmax'),
    ('dpo-loss', 'the margin follows u ← u + lr·β²·|φ_w − φ_l|²·σ(', {}, 'log_softmax'),
    ('dpo-loss', 'with shared features DPO lowered the chosen log-', {'eps': 2.0}, None),
    ('grpo-advantage', 'within every mixed group the advantages have mea', {}, 'group_advantage'),
    ('grpo-advantage', 'baseline-free REINFORCE update variance matches', {}, 'score_update'),
    ('grpo-advantage', 'GRPO training raised the probability of a correc', {'init_gap': 8.0}, None),
    ('reward-model-bt', 'over-optimisation: the true reward under proxy b', {'quad': 0.0}, None),
    ('best-of-n', 'best-of-N with a perfect verifier follows 1 − (1', {}, 'pass_at_n'),
    ('best-of-n', 'majority vote follows the exact multinomial sum', {}, 'majority_exact'),
    ('best-of-n', 'majority vote beats one sample when the correct', {'n_max': 2}, None),
    ('kl-regularised-rl', 'natural-gradient ascent on E_π(r) − β·KL converg', {}, 'ascend'),
    ('kl-regularised-rl', 'the optimal objective equals β·log Z = β·log E_r', {}, 'kl'),
    ('kl-regularised-rl', "the clipped surrogate's gradient drops samples o", {}, 'clipped_surrogate'),
    ('kv-cache', 'cached decoding equals full causal attention (an', {}, 'full_causal'),
    ('kv-cache', 'the toy cache holds 2·G·d_head·bytes per token p', {}, 'cache_bytes_per_token'),
    ('kv-cache', 'MLA: attention on the cached latent (W_UK, W_UV', {}, 'mla_explicit'),
    ('kv-cache', 'MHA/GQA cache ratio is H/G', {}, 'cache_bytes_per_token'),
    ('tiled-attention', 'tiled attention with online softmax equals naive', {}, 'naive_attention'),
    ('rope-relative', 'RoPE score at offset m − n is the same at every', {}, 'rotate'),
    ('rope-relative', 'position interpolation keeps every angle below L', {}, 'pi_scale'),
    ('rope-relative', 'NTK-aware base·s^(d/(d−2)) leaves θ₀ alone and d', {}, 'ntk_base'),
    ('sampling-knobs', 'draws (Gumbel-max over the kept tokens) follow t', {}, 'truncate'),
    ('sampling-knobs', 'entropy of softmax(z/T) rises with T, from near', {}, 'softmax_t'),
    ('sampling-knobs', 'truncation never raises entropy here', {}, 'softmax_t'),
    ('speculative-decoding', 'emitted tokens follow the target p exactly (χ² p', {}, 'accept_prob'),
    ('speculative-decoding', 'acceptance rate matches α = Σ min(p, q) = 1 − TV', {}, 'accept_prob'),
    ('speculative-decoding', 'tokens per target call match (1 − α^(γ+1))/(1 −', {}, 'accept_prob'),
    ('continuous-batching', 'static makespan equals Σ over groups of B of the', {}, 'static_makespan_closed_form'),
    ('continuous-batching', 'paged KV: block tables hold ⌈tokens/block⌉ disti', {}, 'blocks_needed'),
    ('decode-roofline', 'batch-1 step time equals max(2N/peak, (weights +', {}, 'step_time'),
    # rows with a specific bug rather than a wrong constant
    ('no-activation-collapse', 'no linear classifier gets XOR', {}, ("XOR_Y", lambda real: np.array([0, 0, 0, 1]))),
    ('no-activation-collapse', 'two ReLU units solve XOR', {}, ("F.relu", lambda real: lambda z: z)),
    ('hessian-conditioning', 'contracts by (κ−1)/(κ+1) per step', {}, ("_gd", lambda real: _lr_times(real, 0.8))),
    ('hessian-conditioning', 'GD with η above 2/λmax diverges', {}, ("_gd", lambda real: _lr_times(real, 0.8))),
    ('epoch-batch-iteration', 'iterations per epoch', {}, ("_epoch_batches", _always_drop_last)),
    ('epoch-batch-iteration', 'the last batch has the predicted size', {},
     ("_epoch_batches", _always_drop_last)),
    ('epoch-batch-iteration', 'every used example appears exactly once', {},
     ("_epoch_batches", lambda real: lambda n, b, drop, rng: (rng.integers(0, n, n), real(n, b, drop, rng)[1]))),
    ('input-normalization', 'the raw step count stays under', {}, ("Quadratic", _half_rate_gap)),
    ('input-normalization', 'the closed-form GD curve matches', {}, ("Quadratic", _half_rate_gap)),
    ('receptive-field', 'measured field grows by K−1 per layer', {}, ("_conv_same_backward", lambda real: _centre_tap)),
    ('receptive-field', 'use fewer weights than one', {}, ("_conv_same_backward", lambda real: _centre_tap)),
    ('receptive-field', 'the field is centre-weighted', {}, ("_conv_same_backward", lambda real: _centre_tap)),
    ('attention-logit-growth', 'with QK-norm', {}, ("rms_norm", lambda real: lambda v: v)),
    ('attention-logit-growth', 'scales every attention logit by c²', {},
     ("attention_logits", lambda real: lambda x, wq, wk, qk: np.tanh(real(x, wq, wk, qk)))),
    ('judge-bias', 'self-comparison measures b', {"true_win": 0.8, "position_bias": 0.6, "n": 5000},
     ("corrected_win_rate", lambda real: lambda avg, b_hat: avg)),
    ('transformer-flops', 'the weight matrices hold 12·L·d²', {"ffn": "swiglu"},
     ("swiglu_hidden", lambda real: lambda d: 4 * d)),
    ('transfer-learning', 'beat training from scratch', {}, ("train", _no_pretraining)),
    ('transfer-learning', 'the gain comes from what pretraining learned', {}, ("train", _no_pretraining)),
    ('transfer-learning', 'far from solved by chance', {}, ("train", _no_pretraining)),
    ('conv-params', 'a flatten→FC head grows ~4×', {}, ("conv2d_numpy", _padding_ignored)),
    ('conv-params', 'a global-average-pooling head does not grow', {}, ("conv2d_numpy", _pooled_over_wrong_axes)),
    ('attention-vs-rnn', 'dependent steps: constant for attention', {}, ("attention", _attention_as_a_scan)),
    ('sigmoid-saturation', "is far below σ'(0)", {"z": 1.0}, None),
    ('gd-learning-rate', 'each step multiplies |x| by |1 − 2η|', {}, ("_descend", _first_argument_off)),
    ('gd-learning-rate', 'diverges (theory: iff η > 2/L = 1)', {"lr_big": 0.9}, None),
    ('rmsprop', "the same scaling changes GD's path", {"grad_mult": 1.0}, None),
    ('adamw-vs-l2', 'AdamW shrinks a zero-gradient weight', {}, ("_quiet", _second_argument_off)),
    ('adamw-vs-l2', 'Adam+L2 barely decays busy weights', {"grad_noise": 0.1}, None),
    ('residual-gradient', 'plain: the gradient at the input is vanishingly small', {"depth": 2}, None),
    ('lr-schedules', 'cosine matches η₀(1 + cos(πt/T))/2', {}, ("cosine_annealing_lr", _second_argument_off)),
    ('lr-schedules', 'warm-up ramps linearly', {}, ("warmup_cosine_lr", _second_argument_off)),
    ('lr-schedules', 'step decay drops by', {}, ("step_lr", _second_argument_off)),
    ('next-token', 'entropy rises monotonically with temperature', {}, ("entropy", lambda real: lambda p: -real(p))),
    ('next-token', 'T → 0 is greedy', {}, ("bigram_model", lambda real: lambda s, v, a: real(s, v, 1000 * a))),
    ('accuracy-paradox', 'always predicting negative scores accuracy', {}, ("confusion", _predictions_flipped)),
    ('accuracy-paradox', 'its recall and F1 are 0', {}, ("confusion", _predictions_flipped)),
    ('l1-vs-l2', '1-D example: L1 gives 0', {}, ("soft_threshold", lambda real: lambda w, t: w / (1 + t))),
    ('l1-vs-l2', 'L2 sets none to exactly 0', {}, ("ridge", _small_weights_zeroed)),
    ('l1-vs-l2', 'L2 leaves no zeros at any λ', {}, ("ridge", _small_weights_zeroed)),
    ('hinge-vs-logistic', 'hinge loss and gradient are exactly 0',
     {}, ("hinge", lambda real: lambda m: real(m) + 1e-3)),
    ('hinge-vs-logistic', 'logistic loss is never exactly 0', {},
     ("logistic", lambda real: lambda m: np.maximum(real(m) - 0.01, 0.0))),
    ('smoothing-sharpening', 'Laplacian sharpening raises',
     {}, ("high_freq_share", lambda real: lambda x, cutoff=0.25: 0.0)),
    ('fourier-convolution', 'direct is cheaper for a 3-tap kernel',
     {}, ("fft_cost", lambda real: lambda n, k: real(n, k) / 1000)),
    ('fourier-convolution', "FFT's advantage grows", {}, ("fft_cost", lambda real: lambda n, k: real(n, k) * k / 3)),
    ('positional-encoding', 'without PE, self-attention is permutation-equivariant', {},
     ("self_attention", lambda real: lambda x, wq, wk, wv: real(x, wq, wk, wv) + np.arange(len(x))[:, None])),
    ('batchnorm', "leaves BN's output unchanged and divides the gradient by a", {"weight_scale": 0.01}, None),
    ('bandit', 'greedy gets stuck', {"epsilon": 0.0}, None),
]
CASES += ROWS_PART1  # part 1 of issue 23's rows, kept in their own module
CASES += ROWS_PART2  # more rows, each with its named bug, in their own module



# Demos whose own test file breaks each check (`assert not check_named(out, "words").passed` after a
# monkeypatched bug): the meta-tests read those assertions as this table's rows.
OWN_CAN_FAIL_TESTS = {
    "attention-scaling": "test_attention_scaling.py",
    "hessian-vector-product": "test_hessian_vector_product.py",
    "nesterov-lookahead": "test_nesterov_lookahead.py",
    "rbm-cd1": "test_rbm_cd1.py",
    "vae-elbo": "test_vae_elbo.py",
}


def own_failing_words(demo_id) -> list[str]:
    import re
    from pathlib import Path

    text = (Path(__file__).parent / OWN_CAN_FAIL_TESTS[demo_id]).read_text(encoding="utf-8")
    return sorted(set(re.findall(r'assert not check_named\(.+?, "([^"]+)"\)\.passed', text)))


def _run(demo_id, params, patch, monkeypatch):
    spec = SPECS[demo_id]
    if patch is not None:
        name, make = (patch, off_by_5_percent) if isinstance(patch, str) else patch
        owner = importlib.import_module(spec.run.__module__)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        monkeypatch.setattr(owner, attr, make(getattr(owner, attr)))
    return assert_claim_rule(registry.run(spec, params, seed=0).outcome, f"{demo_id} at {params}, patched {patch}")


def _named(checks, words):
    hits = [c for c in checks if words in c.name]
    assert len(hits) == 1, f"{words!r} names {len(hits)} checks: {[c.name for c in checks]}"
    return hits[0]


@pytest.mark.parametrize(("demo_id", "words", "params", "patch"), CASES,
                         ids=[f"{d}:{w[:40]}" for d, w, *_ in CASES])
def test_the_check_fails_when_its_claim_is_false(demo_id, words, params, patch, monkeypatch):
    out = _run(demo_id, params, patch, monkeypatch)
    assert not _named(out.checks, words).passed
    for lang in ("en", "zh"):
        flags = FAILURE_FLAGS[lang] + OWN_WORDS.get(demo_id, {}).get(lang, ())
        assert any(flag in out.takeaway[lang] for flag in flags), out.takeaway[lang]


# a failed check is reported in the takeaway with what was measured: result.with_failures, the engine's note
# for checks a demo did not report itself (result.report_failed_checks), or the demo's own wording
FAILURE_FLAGS = {"en": ("Check failed", "check failed", "Failed checks", "A check failed", "NOT c²",
                        "Not shown at these settings"),  # the engine's note (result.report_failed_checks)
                 "zh": ("检查未通过", "检查失败", "未通过的检查", "未通过", "不是 c²", "在这组参数下没有成立")}
OWN_WORDS = {"dpo-loss": {"en": ("did not fall",), "zh": ("没有下降",)}}  # states the measured outcome itself


_DEFAULT_CHECKS: dict[str, list[str]] = {}


def default_check_names(demo_id):
    if demo_id not in _DEFAULT_CHECKS:
        _DEFAULT_CHECKS[demo_id] = [c.name for c in registry.run(SPECS[demo_id], {}, seed=0).outcome.checks]
    return _DEFAULT_CHECKS[demo_id]


def test_every_registered_demo_has_a_row():
    covered = {demo_id for demo_id, *_ in CASES} | {d for d in OWN_CAN_FAIL_TESTS if own_failing_words(d)}
    assert sorted(set(SPECS) - covered) == []
    assert sorted(covered - set(SPECS)) == []


@pytest.mark.parametrize("demo_id", sorted(SPECS))
def test_every_check_at_the_defaults_has_a_row(demo_id):
    names = default_check_names(demo_id)
    rows = [words for d, words, *_ in CASES if d == demo_id]
    rows += own_failing_words(demo_id) if demo_id in OWN_CAN_FAIL_TESTS else []
    for words in rows:
        assert sum(words in name for name in names) == 1, f"{words!r} must name one check of {demo_id}: {names}"
    shown = [name for name in names if any(words in name for words in rows)]
    assert sorted(set(names) - set(shown)) == [], "checks no row shows failing"
