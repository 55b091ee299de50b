"""Loss functions with PyTorch's semantics (torch.nn.functional / torchvision.ops names).

``reduction`` is ``"mean"`` (average over every element / sample), ``"sum"`` or ``"none"``
(per-element losses, same shape as the input), as in PyTorch.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .activations import _as_float, log_softmax, sigmoid

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "mse_loss",
    "sigmoid_focal_loss",
]


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "mean":
        return np.mean(loss)
    if reduction == "sum":
        return np.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'none', 'mean' or 'sum', got {reduction!r}")


def cross_entropy(logits: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Softmax cross-entropy with integer class targets.

    logits: (N, C) unnormalized scores (or (C,) for one sample, or (N, C, d1, ...) with the class
        axis at 1, as in PyTorch).
    target: (N,) integer class indices in [0, C) (or () / (N, d1, ...) to match).

    loss_n = −log softmax(logits_n)[target_n] = logsumexp(logits_n) − logits_n[target_n],
    averaged over the batch for reduction="mean". Uniform logits give ln C.
    """
    logits = _as_float(logits)
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    if logits.ndim == 1:  # a single unbatched sample
        logits, target = logits[None, :], target.reshape(1)
    num_classes = logits.shape[1]
    if target.shape != (logits.shape[0], *logits.shape[2:]):
        raise ValueError(f"target shape {target.shape} does not match logits shape {logits.shape}")
    if target.size and (target.min() < 0 or target.max() >= num_classes):
        raise IndexError(f"target values must be in [0, {num_classes})")
    log_probs = log_softmax(logits, axis=1)
    picked = np.take_along_axis(log_probs, np.expand_dims(target, 1), axis=1)
    return _reduce(-np.squeeze(picked, axis=1), reduction)


def binary_cross_entropy_with_logits(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """BCE on raw logits x with targets t in [0, 1], any (matching) shape.

    loss = −[t·log σ(x) + (1 − t)·log(1 − σ(x))] = max(x, 0) − x·t + log(1 + e^(−|x|)),
    the right-hand form never overflows and never takes log(0).
    """
    x, t = _as_float(input), _as_float(target)
    loss = np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))
    return _reduce(loss, reduction)


def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Mean squared error: mean((input − target)²) over every element."""
    diff = _as_float(input) - _as_float(target)
    return _reduce(diff * diff, reduction)


def hinge_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Binary hinge (SVM) loss: mean(max(0, 1 − y·f)).

    input: scores f of any shape; target: labels y in {−1, +1}, same shape. Zero loss once the
    margin y·f reaches 1. (Not a torch.nn.functional function; torch's HingeEmbeddingLoss differs.)
    """
    f, y = _as_float(input), _as_float(target)
    return _reduce(np.maximum(0.0, 1.0 - y * f), reduction)


def sigmoid_focal_loss(
    inputs: ArrayLike,
    targets: ArrayLike,
    alpha: float = 0.25,
    gamma: float = 2.0,
    reduction: str = "none",
) -> np.ndarray:
    """Focal loss (Lin et al., 2017) exactly as torchvision.ops.sigmoid_focal_loss defines it.

    inputs: logits x of any shape; targets: binary labels t in {0, 1} (floats), same shape.
      p   = σ(x)
      p_t = p·t + (1 − p)·(1 − t)                 probability given to the true label
      FL  = BCE(x, t) · (1 − p_t)^γ               down-weights easy examples (p_t → 1)
      if alpha ≥ 0: FL ·= α·t + (1 − α)·(1 − t)   class balancing; alpha < 0 disables it
    With gamma = 0 and alpha < 0 this is plain binary_cross_entropy_with_logits.
    Note torchvision's default reduction is "none".
    """
    x, t = _as_float(inputs), _as_float(targets)
    p = sigmoid(x)
    ce = binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1.0 - p) * (1.0 - t)
    loss = ce * (1.0 - p_t) ** gamma
    if alpha >= 0:
        alpha_t = alpha * t + (1.0 - alpha) * (1.0 - t)
        loss = alpha_t * loss
    return _reduce(loss, reduction)
