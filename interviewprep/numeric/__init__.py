"""NumPy math core shared by the demos: activations, losses, normalization, optimizers.

Why this exists: the demos should build intuition that carries straight over to real training
code, so every function here follows PyTorch's documented semantics and argument names
(``F.cross_entropy(logits, target)``, ``batch_norm(..., training, momentum, eps)``,
``SGD(params, lr, momentum, dampening, nesterov, weight_decay)``, ``clip_grad_norm_`` ...) —
including the fiddly parts people get asked about, such as the unbiased running variance in batch
norm, decoupled weight decay in AdamW and the 1e-6 in gradient clipping. It depends only on NumPy:
no torch, no scipy, so ``prep`` stays a light install.

Layout: ``functional`` (re-exporting ``activations``, ``losses``, ``layers``) mirrors
torch.nn.functional; ``optim`` mirrors torch.optim (optimizers update NumPy arrays in place);
``lr_scheduler`` gives learning-rate schedules as pure functions ``lr_at(step)``.
"""

from __future__ import annotations

from .functional import *  # noqa: F403
from .functional import __all__ as _functional_all
from .lr_scheduler import *  # noqa: F403
from .lr_scheduler import __all__ as _lr_scheduler_all
from .optim import *  # noqa: F403
from .optim import __all__ as _optim_all

__all__ = [*_functional_all, *_optim_all, *_lr_scheduler_all]
