"""Elementwise activations, their derivatives, and (log-)softmax.

Every ``f(x)`` takes an array-like ``x`` of any shape and returns an array of the same shape.
Every ``f_grad(x)`` is the elementwise derivative df/dx evaluated at the *input* ``x`` (not at the
output), so backprop through ``y = f(x)`` is ``dL/dx = dL/dy * f_grad(x)``. At kinks (ReLU at 0)
the value PyTorch's autograd uses is returned.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "swish",
    "swish_grad",
    "tanh",
    "tanh_grad",
]

_SQRT_2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
# math.erf is correctly rounded-ish (~1 ulp); vectorizing it keeps GELU "exact" without scipy.
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` as an ndarray; float dtypes are kept (float32 stays float32), anything else -> float64."""
    a = np.asarray(x)
    return a if np.issubdtype(a.dtype, np.floating) else a.astype(np.float64)


def sigmoid(x: ArrayLike) -> np.ndarray:
    """σ(x) = 1 / (1 + e^(−x)), computed without overflow for large |x|."""
    x = _as_float(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """σ'(x) = σ(x)·(1 − σ(x)); peaks at 0.25 for x = 0."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: ArrayLike) -> np.ndarray:
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) = 2σ(2x) − 1."""
    return np.tanh(_as_float(x))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """tanh'(x) = 1 − tanh²(x)."""
    t = tanh(x)
    return 1.0 - t * t


def relu(x: ArrayLike) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    return np.maximum(_as_float(x), 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    """ReLU'(x) = 1 if x > 0 else 0 (0 at x = 0, as autograd uses)."""
    x = _as_float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """LeakyReLU(x) = x if x > 0 else negative_slope·x."""
    x = _as_float(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """LeakyReLU'(x) = 1 if x > 0 else negative_slope (negative_slope at x = 0, as autograd uses)."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, negative_slope).astype(x.dtype)


def elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU(x) = x if x > 0 else α·(e^x − 1)."""
    x = _as_float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU'(x) = 1 if x > 0 else α·e^x (α at x = 0, as autograd uses)."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))).astype(x.dtype)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """Φ(x) = ½·(1 + erf(x/√2)), the standard normal CDF."""
    return (0.5 * (1.0 + _erf(x / _SQRT_2))).astype(x.dtype)


def gelu(x: ArrayLike) -> np.ndarray:
    """Exact GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)) (PyTorch's default, approximate='none')."""
    x = _as_float(x)
    return x * _normal_cdf(x)


def gelu_grad(x: ArrayLike) -> np.ndarray:
    """GELU'(x) = Φ(x) + x·φ(x), with φ(x) = e^(−x²/2)/√(2π) the standard normal density."""
    x = _as_float(x)
    return _normal_cdf(x) + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x)


def swish(x: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """Swish(x) = x·σ(βx); beta = 1 is SiLU (torch.nn.functional.silu)."""
    x = _as_float(x)
    return x * sigmoid(beta * x)


def swish_grad(x: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """Swish'(x) = σ(βx) + βx·σ(βx)·(1 − σ(βx))."""
    x = _as_float(x)
    s = sigmoid(beta * x)
    return s + beta * x * s * (1.0 - s)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """softmax(x)_i = e^(x_i − max x) / Σ_j e^(x_j − max x) along ``axis``.

    Subtracting the max changes nothing mathematically (softmax is shift-invariant) but keeps every
    exponent ≤ 0, so logits like 1000 do not overflow.
    """
    x = _as_float(x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """log softmax(x)_i = (x_i − m) − log Σ_j e^(x_j − m), with m = max x along ``axis``.

    Computed directly (log-sum-exp) rather than as log(softmax(x)), which would give −inf for
    probabilities that underflow to 0.
    """
    x = _as_float(x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
