"""Normalization, dropout, gradient clipping and conv-shape arithmetic (PyTorch semantics)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import _as_float

__all__ = [
    "batch_norm",
    "clip_grad_norm_",
    "conv2d_output_shape",
    "conv2d_param_count",
    "dropout",
    "layer_norm",
]


def batch_norm(
    x: ArrayLike,
    running_mean: np.ndarray | None,
    running_var: np.ndarray | None,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> np.ndarray:
    """Batch normalization over every axis except the channel axis 1, like F.batch_norm.

    x: (N, C) or (N, C, *) e.g. (N, C, H, W). running_mean, running_var, weight (γ), bias (β): (C,).
      y = γ · (x − μ) / √(σ² + eps) + β
    training=True: μ, σ² are the batch mean and *biased* variance per channel (n = x.size / C values),
      and the running stats are updated IN PLACE (if given) with the *unbiased* variance:
        running_mean ← (1 − momentum)·running_mean + momentum·μ
        running_var  ← (1 − momentum)·running_var  + momentum·σ²·n/(n − 1)
    training=False: μ, σ² are running_mean, running_var; nothing is updated.
    """
    x = _as_float(x)
    if x.ndim < 2:
        raise ValueError(f"batch_norm expects x of shape (N, C) or (N, C, *), got {x.shape}")
    axes = (0, *range(2, x.ndim))
    bshape = (1, x.shape[1]) + (1,) * (x.ndim - 2)  # broadcast a (C,) vector against x
    if training:
        n = x.size // x.shape[1]
        if n <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {x.shape}")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased: divides by n
        if running_mean is not None:
            running_mean *= 1.0 - momentum
            running_mean += momentum * mean
        if running_var is not None:
            running_var *= 1.0 - momentum
            running_var += momentum * var * (n / (n - 1))
    else:
        if running_mean is None or running_var is None:
            raise ValueError("running_mean and running_var must be given when training=False")
        mean, var = np.asarray(running_mean), np.asarray(running_var)
    y = (x - mean.reshape(bshape)) / np.sqrt(var.reshape(bshape) + eps)
    if weight is not None:
        y = y * np.asarray(weight).reshape(bshape)
    if bias is not None:
        y = y + np.asarray(bias).reshape(bshape)
    return y


def layer_norm(
    x: ArrayLike,
    normalized_shape: int | Sequence[int],
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    eps: float = 1e-5,
) -> np.ndarray:
    """Layer normalization over the trailing ``normalized_shape`` axes, like F.layer_norm.

    x: (*, *normalized_shape), e.g. (N, T, D) with normalized_shape=D. weight, bias: normalized_shape.
      y = γ · (x − μ) / √(σ² + eps) + β, with μ, σ² (biased) per sample over the trailing axes.
    Unlike batch_norm there are no running stats: training and eval behave the same.
    """
    x = _as_float(x)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) == 0 or x.shape[x.ndim - len(shape) :] != shape:
        raise ValueError(f"normalized_shape {shape} does not match the trailing dims of x {x.shape}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        y = y * np.asarray(weight)
    if bias is not None:
        y = y + np.asarray(bias)
    return y


def dropout(x: ArrayLike, p: float = 0.5, training: bool = True, rng: np.random.Generator | None = None) -> np.ndarray:
    """Inverted dropout: zero each element with probability ``p`` (the DROP probability).

    Kept elements are scaled by 1/(1 − p) so E[output] = x and no rescaling is needed at test time;
    with training=False (or p = 0) x is returned unchanged. p = 1 gives all zeros.
    rng: a numpy Generator for reproducible masks (default: a fresh np.random.default_rng()).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = _as_float(x)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return np.zeros_like(x)
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.random(x.shape) >= p  # True with probability 1 − p
    return np.where(keep, x / (1.0 - p), 0.0).astype(x.dtype)


def clip_grad_norm_(grads: np.ndarray | Sequence[np.ndarray], max_norm: float, norm_type: float = 2.0) -> float:
    """Rescale gradients IN PLACE so their global norm is at most ``max_norm``; torch.nn.utils semantics.

    grads: one array or a list of arrays (any shapes), treated as one long vector g.
      total = ‖g‖_p over all elements (p = norm_type, default 2; math.inf for the max-abs norm)
      coef  = min(1, max_norm / (total + 1e-6));  every g ← coef·g
    so the direction is kept and only the length shrinks. Returns ``total``, the norm BEFORE clipping
    (handy for logging gradient explosions).
    """
    arrays = [grads] if isinstance(grads, np.ndarray) else list(grads)
    if not arrays:
        return 0.0
    if norm_type == math.inf:
        total = max(float(np.max(np.abs(g))) if g.size else 0.0 for g in arrays)
    else:
        total = float(sum(np.sum(np.abs(g) ** norm_type) for g in arrays) ** (1.0 / norm_type))
    coef = min(1.0, max_norm / (total + 1e-6))
    if coef < 1.0:
        for g in arrays:
            g *= coef
    return total


def _pair(v: int | Sequence[int], name: str) -> tuple[int, int]:
    if isinstance(v, int):
        return v, v
    pair = tuple(v)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {v!r}")
    return int(pair[0]), int(pair[1])


def conv2d_output_shape(
    h: int,
    w: int,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] = 1,
    padding: int | str | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
) -> tuple[int, int]:
    """Spatial output size (H_out, W_out) of nn.Conv2d (also MaxPool2d with ceil_mode=False).

    Per axis: out = ⌊(in + 2·P − D·(K − 1) − 1) / S⌋ + 1. Each of kernel_size, stride, padding,
    dilation is an int (both axes) or an (h, w) pair; padding may also be "valid" (0) or "same"
    (output = input, stride 1 only). Example: 224, k=7, s=2, p=3 -> 112 (ResNet stem).
    """
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(stride, "stride")
    dh, dw = _pair(dilation, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            padding = 0
        elif padding == "same":
            if (sh, sw) != (1, 1):
                raise ValueError("padding='same' is not supported for strided convolutions")
            return h, w
        else:
            raise ValueError(f"padding string must be 'valid' or 'same', got {padding!r}")
    ph, pw = _pair(padding, "padding")
    out = tuple(
        (size + 2 * p - d * (k - 1) - 1) // s + 1 for size, k, s, p, d in ((h, kh, sh, ph, dh), (w, kw, sw, pw, dw))
    )
    if min(out) < 1:
        raise ValueError(f"output size is too small: {out} for input ({h}, {w})")
    return out[0], out[1]


def conv2d_param_count(
    c_in: int, c_out: int, kernel_size: int | Sequence[int], bias: bool = True, groups: int = 1
) -> int:
    """Learnable parameters of nn.Conv2d(c_in, c_out, kernel_size, bias=bias, groups=groups).

    weight: (c_out, c_in/groups, kh, kw) -> c_out·(c_in/groups)·kh·kw, plus c_out if bias.
    Example: 3x3, 64 -> 128 with bias: 3·3·64·128 + 128 = 73,856. groups = c_in is depthwise.
    """
    if c_in % groups or c_out % groups:
        raise ValueError(f"c_in ({c_in}) and c_out ({c_out}) must both be divisible by groups ({groups})")
    kh, kw = _pair(kernel_size, "kernel_size")
    return c_out * (c_in // groups) * kh * kw + (c_out if bias else 0)
