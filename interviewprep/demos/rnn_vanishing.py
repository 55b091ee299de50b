"""Vanishing and exploding gradients in an RNN: backprop through T steps multiplies T Jacobians.

For h_t = W h_{t−1} (+ input) the gradient reaching h_{T−t} is (Wᵀ)^t g, whose norm behaves like ρ^t
with ρ the spectral radius of W. A tanh RNN multiplies in diag(tanh') ≤ 1 at every step as well,
so its per-step factor is smaller still. We backpropagate for real and fit the per-step factor.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import tanh, tanh_grad


def per_step_factor(norms) -> float:
    """exp(slope) of log‖g‖ against steps, fitted over the second half (past the transient)."""
    norms = np.asarray(norms)
    start = len(norms) // 2
    slope = np.polyfit(np.arange(start, len(norms)), np.log(norms[start:]), 1)[0]
    return float(np.exp(slope))


def scaled_to_radius(w, rho: float) -> np.ndarray:
    """W rescaled so its spectral radius (largest |eigenvalue|, not the largest singular value) is ρ."""
    return w * (rho / np.abs(np.linalg.eigvals(w)).max())


@demo(
    id="rnn-vanishing",
    title={"zh": "RNN 的梯度消失与爆炸", "en": "Vanishing and exploding gradients in RNNs"},
    tags=["rnn", "vanishing-gradient", "exploding-gradient", "bptt", "spectral-radius", "sequence",
          "循环神经网络", "梯度消失", "梯度爆炸", "谱半径", "时间反向传播"],
    params=[
        Param("rho", float, 0.9, 0.5, 1.5,
            help={"zh": "循环权重 W 的谱半径 ρ", "en": "spectral radius ρ of the recurrent W"}),
        Param("steps", int, 60, 30, 200, help={"zh": "反向传播的时间步数 T", "en": "time steps T to backpropagate"}),
        Param("hidden", int, 16, 4, 64, help={"zh": "隐藏状态维度", "en": "hidden state size"}),
    ],
)
def run(p, rng) -> Outcome:
    rho, steps, n = p["rho"], p["steps"], p["hidden"]
    w = scaled_to_radius(rng.standard_normal((n, n)), rho)
    u = rng.standard_normal((n, n)) / np.sqrt(n)
    xs = rng.standard_normal((steps, n))

    # tanh RNN forward: h_t = tanh(W h_{t−1} + U x_t), keeping pre-activations for backprop
    h, pre = np.zeros(n), []
    for t in range(steps):
        z = w @ h + u @ xs[t]
        pre.append(z)
        h = tanh(z)

    g0 = rng.standard_normal(n)
    g0 /= np.linalg.norm(g0)  # dL/dh_T for some loss on the last state
    g_lin, g_tanh = g0.copy(), g0.copy()
    lin_norms, tanh_norms, derivs = [1.0], [1.0], []
    for t in reversed(range(steps)):
        g_lin = w.T @ g_lin  # linear RNN: ∂h_t/∂h_{t−1} = W
        d = tanh_grad(pre[t])  # tanh RNN: ∂h_t/∂h_{t−1} = diag(tanh'(z_t)) W
        derivs.append(d.mean())
        g_tanh = w.T @ (d * g_tanh)
        lin_norms.append(float(np.linalg.norm(g_lin)))
        tanh_norms.append(float(np.linalg.norm(g_tanh)))
    f_lin, f_tanh = per_step_factor(lin_norms), per_step_factor(tanh_norms)
    gain_lin, gain_tanh, theory = lin_norms[-1], tanh_norms[-1], rho**steps
    mean_deriv = float(np.mean(derivs))
    decades_off = abs(np.log10(gain_lin) - np.log10(theory))
    metrics = {
        "linear_per_step_factor": f_lin,
        "tanh_per_step_factor": f_tanh,
        "linear_gradient_gain": gain_lin,
        "tanh_gradient_gain": gain_tanh,
        "rho_to_the_T": theory,
        "mean_tanh_derivative": mean_deriv,
        "rho_times_mean_derivative": rho * mean_deriv,
    }
    checks = [
        check("linear RNN: the gradient shrinks/grows by ρ per step", abs(f_lin - rho) < 0.05 * rho,
              f"fitted factor {f_lin:.4f} vs ρ = {rho:g}"),
        check(f"after T = {steps} steps the gradient is ρ^T up to a constant (within 2 decades)", decades_off < 2,
              f"‖∂L/∂h_0‖ = {gain_lin:.2e}, ρ^T = {theory:.2e}"),
        check("tanh only shrinks it further (tanh' ≤ 1)", f_tanh <= f_lin + 1e-9,
              f"tanh factor {f_tanh:.4f} ≤ linear {f_lin:.4f}; mean tanh' = {mean_deriv:.2f}"),
    ]
    if abs(f_lin - 1) < 0.02:
        trend = {"zh": "既不消失也不爆炸（ρ≈1 是临界点）", "en": "neither vanishes nor explodes (ρ ≈ 1 is the edge)"}
    elif f_lin < 1:
        trend = {"zh": "消失，远处的时间步几乎得不到学习信号",
                 "en": "vanishes, so distant steps get almost no learning signal"}
    else:
        trend = {"zh": "爆炸，需要梯度裁剪", "en": "explodes, which is why RNNs need gradient clipping"}
    takeaway = {
        "zh": (f"谱半径 ρ={rho:g} 时，线性 RNN 的梯度每步乘以 {f_lin:.3f}，{steps} 步后变成 {gain_lin:.1e}"
               f"（ρ^T = {theory:.1e}），梯度{trend['zh']}。tanh RNN 每步还要乘 tanh'（平均 {mean_deriv:.2f}，"
               f"ρ·tanh' ≈ {rho * mean_deriv:.2f}），实测每步 {f_tanh:.3f}，{steps} 步后 {gain_tanh:.1e}。"),
        "en": (f"With spectral radius ρ={rho:g}, a linear RNN's gradient is multiplied by {f_lin:.3f} per step and is "
               f"{gain_lin:.1e} after {steps} steps (ρ^T = {theory:.1e}): it {trend['en']}. A tanh RNN also multiplies "
               f"by tanh' (mean {mean_deriv:.2f}, ρ·tanh' ≈ {rho * mean_deriv:.2f}): {f_tanh:.3f} per step, "
               f"{gain_tanh:.1e} after {steps} steps."),
    }
    claim = {
        "zh": ("时间反向传播要连乘 T 个雅可比矩阵，梯度大致按 ρ^T 变化：ρ < 1 时消失，ρ > 1 时爆炸；"
               "tanh' ≤ 1 只会让它缩得更快。"),
        "en": ("Backpropagating through T steps multiplies T Jacobians, so the gradient scales like ρ^T: it vanishes "
               "for ρ < 1 and explodes for ρ > 1, and tanh' ≤ 1 only shrinks it further."),
    }
    back = np.arange(steps + 1)
    series = {
        "‖gradient‖ linear RNN": Series.of(back, lin_norms, log_y=True),
        "‖gradient‖ tanh RNN": Series.of(back, tanh_norms, log_y=True),
        "ρ^t": Series.of(back, rho**back, log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
