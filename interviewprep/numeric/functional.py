"""The functional API, in the spirit of ``torch.nn.functional``: one import for demos.

    from interviewprep.numeric import functional as F
    F.softmax(logits), F.cross_entropy(logits, target), F.batch_norm(x, rm, rv, training=True)

The code lives in three small modules, grouped by topic:
``activations`` (sigmoid ... swish, their ``*_grad`` derivatives, softmax, log_softmax),
``losses`` (cross_entropy, BCE-with-logits, MSE, hinge, sigmoid focal loss) and
``layers`` (batch_norm, layer_norm, dropout, clip_grad_norm_, conv2d shape / parameter counts).
"""

from __future__ import annotations

from .activations import (
    elu,
    elu_grad,
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    log_softmax,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    swish,
    swish_grad,
    tanh,
    tanh_grad,
)
from .layers import batch_norm, clip_grad_norm_, conv2d_output_shape, conv2d_param_count, dropout, layer_norm
from .losses import binary_cross_entropy_with_logits, cross_entropy, hinge_loss, mse_loss, sigmoid_focal_loss

__all__ = [
    "batch_norm",
    "binary_cross_entropy_with_logits",
    "clip_grad_norm_",
    "conv2d_output_shape",
    "conv2d_param_count",
    "cross_entropy",
    "dropout",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "hinge_loss",
    "layer_norm",
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "mse_loss",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_focal_loss",
    "sigmoid_grad",
    "softmax",
    "swish",
    "swish_grad",
    "tanh",
    "tanh_grad",
]
