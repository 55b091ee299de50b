"""Learning-rate schedules as pure functions ``lr_at(step) -> float``.

Each factory returns a function of the step (or epoch) count, starting at 0, using the closed
forms of the matching torch.optim.lr_scheduler class. Drive an optimizer with
``opt.lr = lr_at(step)`` before each ``opt.step(grads)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["cosine_annealing_lr", "linear_lr", "step_lr", "warmup_cosine_lr"]

LRSchedule = Callable[[int], float]


def step_lr(base_lr: float, step_size: int, gamma: float = 0.1) -> LRSchedule:
    """StepLR: lr = base_lr · gamma^⌊step / step_size⌋ (decay by ``gamma`` every ``step_size`` steps)."""
    if step_size <= 0:
        raise ValueError("step_size must be positive")

    def lr_at(step: int) -> float:
        return base_lr * gamma ** (step // step_size)

    return lr_at


def cosine_annealing_lr(base_lr: float, T_max: int, eta_min: float = 0.0) -> LRSchedule:  # noqa: N803 (torch's name)
    """CosineAnnealingLR: lr = η_min + (base_lr − η_min)·(1 + cos(π·step / T_max)) / 2.

    Goes from base_lr at step 0 to eta_min at step T_max. Like torch's closed form it is periodic
    past T_max (it rises again); use warmup_cosine_lr for a schedule that stays at eta_min.
    """
    if T_max <= 0:
        raise ValueError("T_max must be positive")

    def lr_at(step: int) -> float:
        return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * step / T_max)) / 2

    return lr_at


def linear_lr(
    base_lr: float, start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5
) -> LRSchedule:
    """LinearLR (linear warm-up): the factor goes linearly from start_factor to end_factor over total_iters.

    lr = base_lr · (start_factor + (end_factor − start_factor) · min(step, total_iters) / total_iters)
    """
    if total_iters <= 0:
        raise ValueError("total_iters must be positive")

    def lr_at(step: int) -> float:
        frac = min(step, total_iters) / total_iters
        return base_lr * (start_factor + (end_factor - start_factor) * frac)

    return lr_at


def warmup_cosine_lr(base_lr: float, warmup_steps: int, total_steps: int, eta_min: float = 0.0) -> LRSchedule:
    """Linear warm-up from 0 to base_lr, then cosine decay to eta_min at ``total_steps`` (held after).

    step < warmup_steps: lr = base_lr · step / warmup_steps        (0 at step 0)
    afterwards:          cosine from base_lr to eta_min over the remaining total_steps − warmup_steps.
    The usual transformer recipe; with eta_min = 0 it equals Hugging Face's
    get_cosine_schedule_with_warmup (torch itself needs SequentialLR of LinearLR + CosineAnnealingLR).
    """
    if not 0 <= warmup_steps < total_steps:
        raise ValueError("need 0 <= warmup_steps < total_steps")
    cosine = cosine_annealing_lr(base_lr, total_steps - warmup_steps, eta_min)

    def lr_at(step: int) -> float:
        if step < warmup_steps:
            return base_lr * step / warmup_steps
        return cosine(min(step, total_steps) - warmup_steps)

    return lr_at
