"""Rows for test_checks_can_fail.CASES (part 1): each names a check and a setting or a bug under which it fails.

Same tuple shape as CASES: (demo id, words from the check's name, parameters, helper to break). A helper
given as (name, real -> broken) builds the specific bug named by one of the functions below.
"""

from __future__ import annotations

import numpy as np


def _sigmoid_grad_without_one_minus(real):
    """σ' written as σ(z), the (1 − σ) factor forgotten: the slope reaches 1 instead of 0.25."""
    from interviewprep.numeric import functional as F

    return lambda z: F.sigmoid(z)


def _relu_grad_shifted(real):
    """A ReLU derivative with the wrong threshold: 1 for z > −0.5 instead of z > 0."""
    return lambda z: real(np.asarray(z) + 0.5)


def _first_tensor_clipped_only(real):
    """clip_grad_norm_ that, given a list of tensors, rescales only the first one: the direction changes."""
    return lambda grads, max_norm: real(grads[0] if isinstance(grads, list) else grads, max_norm)


def _constant_init_jittered(real):
    """A "constant" init that is not exactly constant: W1 gets noise of std 1e-3 before training."""

    def train(x, y, w1, w2):
        w1 += 1e-3 * np.random.default_rng(1).standard_normal(w1.shape)
        return real(x, y, w1, w2)

    return train


def _tanh_as_identity(real):
    """A hidden layer whose tanh is the identity: the net is linear, so "forgetting tanh'" is then no bug at all."""
    return lambda z: z


def _mul_assigns_grad(real):
    """Value.__mul__ whose backward assigns (=) the gradient instead of accumulating (+=) it."""

    def mul(self, other):
        out = real(self, other)

        def backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = backward
        return out

    return mul


def _sigmoid_node_without_one_minus(real):
    """Value.sigmoid whose backward multiplies by s instead of s·(1 − s)."""

    def sigmoid(self):
        out = real(self)
        s = out.data

        def backward():
            self.grad += s * out.grad

        out._backward = backward
        return out

    return sigmoid


def _batches_from_eight_rows(real):
    """A loader that fills every batch from at most 8 distinct rows, repeating them (a too-small shuffle buffer)."""

    def draw(rng, n, reps, b):
        few = real(rng, n, reps, min(b, 8))
        return np.tile(few, (1, -(-b // few.shape[1])))[:, :b]

    return draw


def _newton_with_diagonal_hessian(real):
    """A "Newton" step that inverts only the Hessian's diagonal: exact only when the Hessian is diagonal."""
    return lambda A, b, x: x - (A @ x - b) / np.diag(A)


def _l2_decoupled(real):
    """Adam+L2 runs secretly as AdamW: λw applied after the normalization instead of fed into the gradient."""
    from interviewprep.numeric.optim import Adam, AdamW

    return lambda cls, lr, lam: real(AdamW if cls is Adam else cls, lr, lam)


def _momentum_ignored(real):
    """SGD that ignores its momentum argument: heavy ball and Nesterov become plain GD at their smaller steps."""
    return lambda params, lr, momentum=0.0, nesterov=False, **kwargs: real(params, lr=lr, **kwargs)


def _gradient_coordinates_clamped(real):
    """SGD that clamps every gradient coordinate to ±1 first: a per-coordinate operation, so rotation matters."""

    class Clamped:
        def __init__(self, params, **kwargs):
            self.inner = real(params, **kwargs)

        def step(self, grads):
            self.inner.step([np.clip(g, -1.0, 1.0) for g in grads])

    return Clamped


def _gd_at_five_times_the_step(real):
    """Plain GD (σ = 0) run at 5× the step it was given: from the far walls one step jumps over the peak."""
    return lambda x, tilt, lr, steps, sigma, rng: real(x, tilt, 5 * lr if sigma == 0 else lr, steps, sigma, rng)


def _log_softmax_as_log_of_softmax(real):
    """log_softmax computed as log(softmax(x)): −inf wherever a probability underflows to 0."""
    from interviewprep.numeric import functional as F

    def log_softmax(x, axis=-1):
        with np.errstate(divide="ignore"):
            return np.log(F.softmax(x, axis=axis))

    return log_softmax


def _focusing_inverted(real):
    """Focal loss with p_t^γ where (1 − p_t)^γ belongs: it down-weights the hard examples instead of the easy."""
    from interviewprep.numeric import functional as F

    def focal(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
        x, t = np.asarray(inputs, dtype=float), np.asarray(targets, dtype=float)
        p = F.sigmoid(x)
        p_t = p * t + (1 - p) * (1 - t)
        loss = F.binary_cross_entropy_with_logits(x, t, reduction="none") * p_t ** gamma
        return {"sum": loss.sum(), "mean": loss.mean()}.get(reduction, loss)

    return focal


def _no_training_steps(real):
    """A trainer whose loop never runs: it returns its starting point w = 0, b = 0."""
    return lambda x, y, loss, lam, lr, steps: real(x, y, loss, lam, lr, 0)


def _variance_about_the_truth(real):
    """Variance measured about the truth instead of the mean prediction: the bias is counted twice."""
    return lambda pred, f_test: (real(pred, f_test)[0], float(np.mean((pred - f_test[:, None]) ** 2)))


def _step_seven_times_too_large(real):
    """A step size 7× too large, 2.1/L: past GD's stability limit 2/L."""
    return lambda gram: 7 * real(gram)


def _dropout_without_rescale(real):
    """Dropout that zeroes units but forgets the 1/(1 − p) rescale of the kept ones (the original convention)."""

    def dropout(x, p=0.5, training=True, rng=None):
        out = real(x, p=p, training=training, rng=rng)
        return out * (1 - p) if training else out

    return dropout


def _one_bootstrap_for_every_bag(real):
    """Bagging that draws one bootstrap sample and reuses it for every bag: the members are identical."""
    return lambda rng, x, y, x_test, n_bags: np.repeat(real(rng, x, y, x_test, 1), n_bags, axis=0)


def _masks_in_pairs(real):
    """Dropout that draws one mask per pair of consecutive rows: sub-networks come in identical pairs."""

    def dropout(x, p=0.5, training=True, rng=None):
        if not training or np.ndim(x) < 3:
            return real(x, p=p, training=training, rng=rng)
        return np.repeat(real(np.asarray(x)[::2], p=p, training=training, rng=rng), 2, axis=0)[: len(x)]

    return dropout


def _eval_rescaled_again(real):
    """Inverted dropout whose eval mode also divides by (1 − p), as if every unit had been kept: rescaled twice."""

    def dropout(x, p=0.5, training=True, rng=None):
        out = real(x, p=p, training=training, rng=rng)
        return out if training else out / (1 - p)

    return dropout


def _batch_norm_of_one_allowed(real):
    """A batch_norm that normalizes a batch of one instead of refusing it (its output is silently β)."""

    def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, **kwargs):
        if training and len(x) == 1:
            return np.zeros_like(np.asarray(x, dtype=float)) + (0.0 if bias is None else bias)
        return real(x, running_mean, running_var, weight=weight, bias=bias, training=training, **kwargs)

    return batch_norm


def _eval_uses_batch_statistics(real):
    """A batch_norm whose eval mode also uses the batch's statistics: running stats are ignored."""

    def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, **kwargs):
        return real(x, None, None, weight=weight, bias=bias, training=True, **kwargs)

    return batch_norm


def _layer_norm_over_the_batch(real):
    """A LayerNorm given the whole batch as its normalized shape: statistics over every sample at once."""
    return lambda x, normalized_shape, *args, **kwargs: real(np.asarray(x).reshape(1, -1), np.size(x)).reshape(
        np.shape(x))


def _scaled_not_centred(real):
    """Standardization that divides by the std but forgets to subtract the mean."""
    return lambda feats: feats / feats.std(axis=0)


def _centred_not_scaled(real):
    """Standardization that subtracts the mean but forgets to divide by the std."""
    return lambda feats: feats - feats.mean(axis=0)


def _one_face_only(real):
    """A shell test that checks only the faces at 0, forgetting the faces at 1."""
    return lambda pts, eps: np.any(pts < eps, axis=1)


def _squared_distances(real):
    """Distances with the square root forgotten: they grow like d/6, not √(d/6)."""
    return lambda pts, query: real(pts, query) ** 2


def _padding_dropped(real):
    """A conv layer that ignores its padding argument (stride and dilation still honoured)."""
    return lambda x, w, b=None, stride=1, padding=0, dilation=1: real(x, w, b, stride=stride, dilation=dilation)


def _stride_dropped(real):
    """A conv layer that ignores its stride argument (padding and dilation still honoured)."""
    return lambda x, w, b=None, stride=1, padding=0, dilation=1: real(x, w, b, padding=padding, dilation=dilation)


def _kernel_of_position_zero_everywhere(real):
    """A locally connected layer that uses the kernel and bias stored for position (0, 0) everywhere: a conv."""
    return lambda x, w, b: real(x, np.broadcast_to(w[:1, :1], w.shape), np.broadcast_to(b[:1, :1], b.shape))


def _pooled_with_strided_windows(real):
    """Pooling with the reshape's axes swapped: each 'window' gathers pixels n/K apart, not K adjacent ones."""

    def pool(x, k, mode):
        n0, n1 = x.shape[-2:]
        blocks = x.reshape(*x.shape[:-2], k, n0 // k, k, n1 // k)
        return blocks.max(axis=(-4, -2)) if mode == "max" else blocks.mean(axis=(-4, -2))

    return pool


def _no_pooling(real):
    """Pooling with 1×1 windows: it returns the map unchanged."""
    return lambda x, k, mode: real(x, 1, mode)


def _filtered_twice(real):
    """A filter applied twice: the effective kernel is w * w, so the noise falls by Σ(w * w)² instead of Σw²."""
    return lambda x, w: real(real(x, w), w)


ROWS_PART1 = [
    ('activation-zoo', "max tanh' is 4× max σ'", {}, 'F.sigmoid_grad'),
    ('activation-zoo', 'sigmoid and tanh saturate at', {'span': 1.0}, None),
    ('dying-relu', 'kills ≥ 25% of the units', {'lr': 0.001}, None),
    ('dying-relu', 'dead ReLU units receive exactly zero gradient', {}, ('F.relu_grad', _relu_grad_shifted)),
    ('vanishing-depth', 'sigmoid gradient obeys', {}, ('F.sigmoid_grad', _sigmoid_grad_without_one_minus)),
    ('vanishing-depth', 'each sigmoid layer shrinks', {}, ('F.sigmoid_grad', _sigmoid_grad_without_one_minus)),
    ('no-activation-collapse', 'linear layers = one matrix', {}, '_fold'),
    ('gradient-clipping', 'clip_grad_norm_ keeps the direction', {}, ('F.clip_grad_norm_', _first_tensor_clipped_only)),
    ('gradient-clipping', 'changes the direction (cosine < 0.99)', {'spike': 1.0, 'clip_value': 10.0}, None),
    ('weight-init', 'constant init: after', {}, ('_train_two_layer', _constant_init_jittered)),
    ('gradient-check', 'the check catches a backprop that forgets', {}, ('F.tanh', _tanh_as_identity)),
    ('computational-graph', 'autodiff = closed-form chain rule', {},
     ('Value.sigmoid', _sigmoid_node_without_one_minus)),
    ('computational-graph', 'a node used twice accumulates', {}, ('Value.__mul__', _mul_assigns_grad)),
    ('residual-gradient', 'residual: it stays O(1)', {}, ('F.sigmoid_grad', _sigmoid_grad_without_one_minus)),
    ('minibatch-noise', 'log-log slope of noise std', {}, ('_batch_indices', _batches_from_eight_rows)),
    ('minibatch-noise', '4× the batch halves the noise', {}, ('_batch_indices', _batches_from_eight_rows)),
    ('momentum', 'momentum needs fewer iterations', {'kappa': 2.0, 'tol': 0.01}, None),
    ('hessian-conditioning', 'one Newton step reaches the minimum', {},
     ('_newton_step', _newton_with_diagonal_hessian)),
    ('adamw-vs-l2', 'Adam+L2 moves it by ≈ lr per step', {}, ('_quiet', _l2_decoupled)),
    ('optimizer-race', 'momentum and Nesterov need fewer steps', {}, ('SGD', _momentum_ignored)),
    ('optimizer-race', 'the SGD family does not notice', {}, ('SGD', _gradient_coordinates_clamped)),
    ('local-minima', 'GD always ends in the basin', {}, ('_descend', _gd_at_five_times_the_step)),
    ('softmax-stability', 'naive softmax is right exactly when', {'offset': 720.0}, 'overflow_threshold'),
    ('softmax-stability', 'log_softmax stays finite', {}, ('F.log_softmax', _log_softmax_as_log_of_softmax)),
    ('focal-loss', 'a hard example (p_t = 0.1) keeps most', {}, ('F.sigmoid_focal_loss', _focusing_inverted)),
    ('hinge-vs-logistic', 'after training, only some points', {}, ('fit_linear', _no_training_steps)),
    ('roc-auc', 'AUC matches Φ(d/√2)', {'decimals': 0, 'n_pos': 2000, 'n_neg': 2000, 'separation': 2.0}, None),
    ('bias-variance', 'bias² + variance + σ² reproduces', {}, ('_bias_variance', _variance_about_the_truth)),
    ('early-stopping', 'training loss never goes up', {}, ('_step_size', _step_seven_times_too_large)),
    ('dropout-scaling', 'averaged over masks, the training output', {}, ('F.dropout', _dropout_without_rescale)),
    ('dropout-vs-bagging', 'the bagged variance matches', {}, ('bagged_1nn', _one_bootstrap_for_every_bag)),
    ('dropout-vs-bagging', 'averaging K independent dropout', {}, ('F.dropout', _masks_in_pairs)),
    ('dropout-vs-bagging', 'the one weight-scaled eval pass', {'p': 0.9}, ('F.dropout', _eval_rescaled_again)),
    ('batchnorm', 'a batch of one', {}, ('F.batch_norm', _batch_norm_of_one_allowed)),
    ('batchnorm', 'train and eval mode disagree', {}, ('F.batch_norm', _eval_uses_batch_statistics)),
    ('layernorm-vs-batchnorm', "LayerNorm's output for sample 0 ignores", {},
     ('F.layer_norm', _layer_norm_over_the_batch)),
    ('input-normalization', 'shrinks the condition number', {}, ('standardize', _scaled_not_centred)),
    ('input-normalization', 'needs far fewer steps', {}, ('standardize', _centred_not_scaled)),
    ('curse-of-dimensionality', 'mean distance grows like', {}, ('distances', _squared_distances)),
    ('curse-of-dimensionality', 'the share of volume within', {}, ('in_shell', _one_face_only)),
    ('padding-stride', "'same' padding P = D(K−1)/2", {}, ('conv2d_numpy', _padding_dropped)),
    ('padding-stride', 'stride 2 with', {}, ('conv2d_numpy', _stride_dropped)),
    ('weight-sharing', 'locally connected = conv × number', {},
     ('_locally_connected', _kernel_of_position_zero_everywhere)),
    ('weight-sharing', 'no sharing, no equivariance', {}, ('_locally_connected', _kernel_of_position_zero_everywhere)),
    ('pooling', 'an isolated feature survives', {}, ('pool2d', _pooled_with_strided_windows)),
    ('pooling', 'pooled maps move less than the raw map', {}, ('pool2d', _no_pooling)),
    ('smoothing-sharpening', 'box blur divides noise variance', {}, ('filt', _filtered_twice)),
    ('smoothing-sharpening', 'a Gaussian blur scales noise variance', {}, ('filt', _filtered_twice)),
]
