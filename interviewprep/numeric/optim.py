"""Optimizers with torch.optim's update rules, acting IN PLACE on lists of NumPy arrays.

    params = [W, b]                       # float ndarrays; these very objects get updated
    opt = Adam(params, lr=1e-3)
    opt.step([dW, db])                    # grads: same shapes, same order

Notation (as in the torch.optim docs): θ parameter, g gradient, γ lr, λ weight_decay,
μ momentum, τ dampening, t the step count (1 at the first step). Hyperparameters are plain
attributes (``opt.lr = ...``) so a schedule from ``lr_scheduler`` can drive them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]


class Optimizer:
    """Base class: holds ``params`` (the caller's arrays), per-parameter ``state`` and step count ``t``."""

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        self.params: list[np.ndarray] = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        for i, p in enumerate(self.params):
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise TypeError(f"params[{i}] must be a float numpy array (it is updated in place)")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        self.lr = lr
        self.t = 0
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """Apply one update to every parameter, given ``grads[i]`` = dLoss/d``params[i]``."""
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"got {len(grads)} grads for {len(self.params)} params")
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if np.shape(g) != p.shape:
                raise ValueError(f"grads[{i}] has shape {np.shape(g)}, params[{i}] has shape {p.shape}")
        self.t += 1
        for p, g, state in zip(self.params, grads, self.state):
            self._update(p, np.asarray(g, dtype=p.dtype), state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, as torch.optim.SGD.

    g ← g + λθ                           (if weight_decay λ ≠ 0; L2 folded into the gradient)
    b ← μb + (1 − τ)g,  b = g at t = 1    (if momentum μ ≠ 0)
    g ← g + μb (nesterov)  or  g ← b
    θ ← θ − γg
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        nesterov: bool = False,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params, lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.momentum, self.dampening, self.nesterov, self.weight_decay = momentum, dampening, nesterov, weight_decay

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = state["momentum_buffer"] = g.copy()
            else:
                buf = state["momentum_buffer"]
                buf *= self.momentum
                buf += (1 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        p -= self.lr * g


class RMSprop(Optimizer):
    """RMSprop, as torch.optim.RMSprop (ε added OUTSIDE the square root).

    g ← g + λθ                                 (if weight_decay λ ≠ 0)
    v ← αv + (1 − α)g²                         (v starts at 0)
    ṽ ← v;  if centered: ḡ ← αḡ + (1 − α)g,  ṽ ← v − ḡ²
    if μ > 0: b ← μb + g/(√ṽ + ε),  θ ← θ − γb (b starts at 0)
    else:     θ ← θ − γ·g/(√ṽ + ε)
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if eps < 0.0 or momentum < 0.0 or weight_decay < 0.0 or alpha < 0.0:
            raise ValueError("eps, momentum, weight_decay and alpha must be non-negative")
        self.alpha, self.eps, self.weight_decay = alpha, eps, weight_decay
        self.momentum, self.centered = momentum, centered

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        square_avg = state.setdefault("square_avg", np.zeros_like(p))
        square_avg *= self.alpha
        square_avg += (1 - self.alpha) * g * g
        if self.centered:
            grad_avg = state.setdefault("grad_avg", np.zeros_like(p))
            grad_avg *= self.alpha
            grad_avg += (1 - self.alpha) * g
            denom = np.sqrt(square_avg - grad_avg * grad_avg) + self.eps
        else:
            denom = np.sqrt(square_avg) + self.eps
        if self.momentum > 0:
            buf = state.setdefault("momentum_buffer", np.zeros_like(p))
            buf *= self.momentum
            buf += g / denom
            p -= self.lr * buf
        else:
            p -= self.lr * g / denom


class Adam(Optimizer):
    """Adam, as torch.optim.Adam (weight_decay here is L2 added to the gradient, NOT AdamW's decay).

      g ← g + λθ                               (if weight_decay λ ≠ 0)
      m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²      (m, v start at 0)
      m̂ = m / (1 − β1^t),      v̂ = v / (1 − β2^t)           (bias correction)
      θ ← θ − γ·m̂ / (√v̂ + ε)
    At t = 1, m̂ = g and √v̂ = |g|, so each coordinate moves by ≈ γ·sign(g) whatever |g| is.
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params, lr)
        beta1, beta2 = betas
        if not (0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0):
            raise ValueError(f"Invalid betas: {betas}")
        if eps < 0.0 or weight_decay < 0.0:
            raise ValueError("eps and weight_decay must be non-negative")
        self.betas, self.eps, self.weight_decay = (beta1, beta2), eps, weight_decay

    def _decay(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Adam: L2 regularization, i.e. λθ enters the gradient (and so the moment estimates)."""
        return g + self.weight_decay * p if self.weight_decay != 0 else g

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        g = self._decay(p, g)
        beta1, beta2 = self.betas
        m = state.setdefault("exp_avg", np.zeros_like(p))
        v = state.setdefault("exp_avg_sq", np.zeros_like(p))
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        m_hat = m / (1 - beta1**self.t)
        v_hat = v / (1 - beta2**self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter), as torch.optim.AdamW: decoupled weight decay.

      θ ← θ − γλθ        first, directly on the weights (a zero-gradient weight shrinks by (1 − γλ))
      then the Adam step with the raw gradient g (λθ never enters m or v).
    Note the default weight_decay=1e-2, unlike Adam's 0.
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    def _decay(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """AdamW: shrink θ in place by (1 − γλ); the gradient is left untouched."""
        p *= 1 - self.lr * self.weight_decay
        return g
