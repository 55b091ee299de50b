"""DPO on a toy policy: the loss, its gradient, β, the implicit reward, and a chosen response that loses
likelihood while the preference margin grows.

Policy: a softmax over four responses with logits ℓ = Φ·θ (two features per response: style, content).
Chosen w = (ε, 1) and rejected l = (−ε, 1) share their content and differ by ±ε in style; a third response
o = (1, 0) has more of the preferred style but is in no preference pair; q = (0, 0). The reference is
θ_ref = (0, 1). DPO loss for the pair: L = −log σ(u), u = β·((log π(w) − log π_ref(w)) − (log π(l) − log π_ref(l))).
The log-normaliser is the same for w and l and cancels, so ∂L/∂θ = −β·σ(−u)·(φ_w − φ_l): the update only
moves θ along φ_w − φ_l = (2ε, 0), and whichever response scores highest along that direction gains the
mass. With ε small that is o, not w, so log π(w) can fall while u rises. A tabular policy (one logit per
response) cannot do this: its chosen log-probability always rises.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

W, L, OTHER = 0, 1, 2  # chosen, rejected, the unpaired response o (index 3 is q)
THETA_REF = np.array([0.0, 1.0])


def features(eps: float) -> np.ndarray:
    return np.array([[eps, 1.0], [-eps, 1.0], [1.0, 0.0], [0.0, 0.0]])


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max()
    return z - math.log(float(np.exp(z).sum()))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def dpo_loss(logp: np.ndarray, logp_ref: np.ndarray, beta: float) -> float:
    """−log σ(β·(log-ratio of w − log-ratio of l)), computed stably as softplus(−u)."""
    u = beta * ((logp[W] - logp_ref[W]) - (logp[L] - logp_ref[L]))
    return float(np.logaddexp(0.0, -u))


def dpo_grad(theta: np.ndarray, phi: np.ndarray, beta: float) -> np.ndarray:
    """Analytic ∂L/∂θ = −β·σ(−u)·(φ_w − φ_l) for logits Φθ (the softmax normaliser cancels)."""
    logp = log_softmax(phi @ theta)
    logp_ref = log_softmax(phi @ THETA_REF)
    u = beta * ((logp[W] - logp_ref[W]) - (logp[L] - logp_ref[L]))
    return -beta * sigmoid(-u) * (phi[W] - phi[L])


def loss_at(theta, phi, beta) -> float:
    return dpo_loss(log_softmax(phi @ theta), log_softmax(phi @ THETA_REF), beta)


def train(phi, beta, lr, steps):
    """Plain gradient descent from θ_ref; per step: log π of every response and the margin u."""
    theta = THETA_REF.copy()
    logp_ref = log_softmax(phi @ THETA_REF)
    logps, margins = [log_softmax(phi @ theta)], [0.0]
    for _ in range(steps):
        theta = theta - lr * dpo_grad(theta, phi, beta)
        lp = log_softmax(phi @ theta)
        logps.append(lp)
        margins.append(beta * ((lp[W] - logp_ref[W]) - (lp[L] - logp_ref[L])))
    return theta, np.array(logps), np.array(margins)


def margin_recurrence(beta, lr, steps, d2) -> np.ndarray:
    """The margin on its own: u ← u + lr·β²·|φ_w − φ_l|²·σ(−u), from u = 0 (derived, not simulated in θ)."""
    u = [0.0]
    for _ in range(steps):
        u.append(u[-1] + lr * beta**2 * d2 * sigmoid(-u[-1]))
    return np.array(u)


def tabular_chosen_change(logp_ref, beta, lr, steps) -> float:
    """Same pair, same β and lr, but one free logit per response: change of log π(w) after training."""
    eye = np.eye(len(logp_ref))
    theta = logp_ref.copy()
    for _ in range(steps):
        lp = log_softmax(theta)
        u = beta * ((lp[W] - logp_ref[W]) - (lp[L] - logp_ref[L]))
        theta = theta + lr * beta * sigmoid(-u) * (eye[W] - eye[L])
    return float(log_softmax(theta)[W] - logp_ref[W])


@demo(
    id="dpo-loss",
    title={"zh": "DPO 损失：梯度、β、隐式奖励，以及被选回答的似然为何会下降",
           "en": "DPO loss: gradient, β, implicit reward, and why the chosen response can lose likelihood"},
    tags=["dpo", "direct preference optimization", "preference", "alignment", "implicit reward", "beta",
          "likelihood displacement", "直接偏好优化", "偏好对齐", "隐式奖励", "对齐", "似然下降"],
    params=[
        Param("beta", float, 0.5, 0.05, 2.0,
              help={"zh": "DPO 的 β（隐式 KL 强度）", "en": "DPO's β (implicit KL strength)"}),
        Param("eps", float, 0.1, 0.05, 2.0,
              help={"zh": "被选与被拒回答在“风格”特征上的差 ±ε（越小越相似）",
                    "en": "style gap ±ε between chosen and rejected (smaller = more similar)"}),
        Param("lr", float, 1.0, 0.1, 5.0, help={"zh": "梯度下降学习率", "en": "gradient-descent learning rate"}),
        Param("steps", int, 300, 10, 2000, help={"zh": "训练步数", "en": "training steps"}),
    ],
)
def run(p, rng) -> Outcome:
    beta, eps, lr, steps = p["beta"], p["eps"], p["lr"], p["steps"]
    phi = features(eps)
    d = phi[W] - phi[L]
    d2 = float(d @ d)
    logp_ref = log_softmax(phi @ THETA_REF)

    # 1. the loss and gradient at the reference: ln 2 and β·σ(0)·|φ_w − φ_l|
    loss0 = loss_at(THETA_REF, phi, beta)
    g0 = float(np.linalg.norm(dpo_grad(THETA_REF, phi, beta)))
    g0_theory = beta * 0.5 * math.sqrt(d2)

    # 2. analytic gradient against central finite differences at a random point
    theta_r = THETA_REF + rng.normal(0.0, 1.0, size=2)
    h = 1e-6
    fd = np.array([(loss_at(theta_r + h * e, phi, beta) - loss_at(theta_r - h * e, phi, beta)) / (2 * h)
                   for e in np.eye(2)])
    an = dpo_grad(theta_r, phi, beta)
    fd_err = float(np.max(np.abs(fd - an)) / max(float(np.max(np.abs(fd))), 1e-12))

    # 3. training: the margin follows the 1-D recurrence; the chosen log-probability is measured
    theta, logps, margins = train(phi, beta, lr, steps)
    u_theory = margin_recurrence(beta, lr, steps, d2)
    recurrence_err = float(np.max(np.abs(margins - u_theory)))
    chosen = logps[:, W] - logp_ref[W]
    rejected = logps[:, L] - logp_ref[L]
    chosen_change, rejected_change = float(chosen[-1]), float(rejected[-1])
    margin_final = float(margins[-1])
    p_o_ref, p_o = float(math.exp(logp_ref[OTHER])), float(math.exp(logps[-1, OTHER]))
    implicit = beta * (logps[-1] - logp_ref)  # β·log π/π_ref for every response
    chosen_fell = chosen_change < 0 and margin_final > 0
    tab_change = tabular_chosen_change(logp_ref, beta, lr, steps)

    # 4. β: gradient at the reference ∝ β; the raw log-ratio margin reached shrinks as β grows
    rows, ratio_err = [], 0.0
    for k in (0.25, 0.5, 1.0, 2.0, 4.0):
        b = beta * k
        gk = float(np.linalg.norm(dpo_grad(THETA_REF, phi, b)))
        ratio_err = max(ratio_err, abs(gk / g0 - k))
        _, lp_k, u_k = train(phi, b, lr, steps)
        pk = np.exp(lp_k[-1])
        kl = float(np.sum(pk * (lp_k[-1] - logp_ref)))
        rows.append([b, gk, float(u_k[-1] / b), float(u_k[-1]), kl])

    metrics = {
        "loss_at_reference": loss0,
        "ln2": math.log(2),
        "grad_norm_at_reference": g0,
        "grad_norm_theory": g0_theory,
        "finite_difference_rel_error": fd_err,
        "margin_recurrence_max_error": recurrence_err,
        "final_margin_u": margin_final,
        "final_log_ratio_margin": margin_final / beta,
        "final_loss": float(np.logaddexp(0.0, -margin_final)),
        "chosen_logp_change": chosen_change,
        "rejected_logp_change": rejected_change,
        "p_unpaired_o_reference": p_o_ref,
        "p_unpaired_o_final": p_o,
        "implicit_reward_chosen": float(implicit[W]),
        "implicit_reward_rejected": float(implicit[L]),
        "implicit_reward_unpaired_o": float(implicit[OTHER]),
        "tabular_chosen_logp_change": tab_change,
    }
    checks = [
        check("at θ = θ_ref the loss is ln 2 and the gradient norm is β·σ(0)·|φ_w − φ_l|",
              abs(loss0 - math.log(2)) < 1e-12 and abs(g0 - g0_theory) < 1e-12 * max(1.0, g0_theory),
              f"loss {loss0:.6f} vs ln 2 = {math.log(2):.6f}; |∇L| {g0:.6f} vs β/2·|d| = {g0_theory:.6f}"),
        check("the analytic gradient −β·σ(−u)·(φ_w − φ_l) matches central finite differences", fd_err < 1e-6,
              f"relative error {fd_err:.1e} at a random θ"),
        check("the margin follows u ← u + lr·β²·|φ_w − φ_l|²·σ(−u) (the softmax normaliser cancels)",
              recurrence_err < 1e-9, f"largest deviation {recurrence_err:.1e} over {steps} steps"),
        check("the initial gradient scales linearly with β", ratio_err < 1e-9,
              f"|∇L(kβ)|/|∇L(β)| − k at most {ratio_err:.1e} for k = 0.25…4"),
        check("a tabular policy (one logit per response) always raises the chosen log-probability", tab_change > 0,
              f"tabular Δlog π(w) = {tab_change:+.4f}"),
        check("with shared features DPO lowered the chosen log-likelihood while the margin rose", chosen_fell,
              f"margin u {margin_final:+.3f}, Δlog π(w) {chosen_change:+.4f}, Δlog π(l) {rejected_change:+.4f}, "
              f"π(o) {p_o_ref:.3f} → {p_o:.3f}"),
    ]
    if chosen_fell:
        fate_en = (f"yet the chosen response's log-probability FELL by {-chosen_change:.3f} nats (rejected "
                   f"{rejected_change:+.3f}): the mass went to the unpaired response o, π(o) {p_o_ref:.3f} → {p_o:.3f}")
        fate_zh = (f"但被选回答的对数概率反而下降了 {-chosen_change:.3f} nat（被拒回答 {rejected_change:+.3f}）："
                   f"概率质量流向了不在任何偏好对里的回答 o，π(o) 从 {p_o_ref:.3f} 变为 {p_o:.3f}")
    else:
        fate_en = (f"and here the chosen log-probability did not fall (Δ = {chosen_change:+.4f}; rejected "
                   f"{rejected_change:+.3f}; π(o) {p_o_ref:.3f} → {p_o:.3f}): with ε = {eps:g} chosen and rejected "
                   "differ enough, or training was too short, for the displacement to show")
        fate_zh = (f"这一次被选回答的对数概率没有下降（Δ = {chosen_change:+.4f}；被拒回答 {rejected_change:+.3f}；"
                   f"π(o) 从 {p_o_ref:.3f} 到 {p_o:.3f}）：ε = {eps:g} 时两者差别够大，"
                   "或训练不够长，看不到这种挤出效应")
    start_en = (f"the loss starts at ln 2 = {loss0:.4f}" if abs(loss0 - math.log(2)) < 1e-12
                else f"the loss starts at {loss0:.4f}, not ln 2 = {math.log(2):.4f},")
    start_zh = (f"初始损失为 ln 2 = {loss0:.4f}" if abs(loss0 - math.log(2)) < 1e-12
                else f"初始损失为 {loss0:.4f}，不是 ln 2 = {math.log(2):.4f}")
    fd_en, fd_zh = ("matches", "一致") if checks[1].passed else ("does NOT match", "不一致")
    margins_k = [row[2] for row in rows]
    kls_k = [row[4] for row in rows]
    beta_en = (f"Over β = {rows[0][0]:g}…{rows[-1][0]:g} with the same {steps} steps, the log-ratio margin reached "
               f"runs {' → '.join(f'{v:.2f}' for v in margins_k)} and the KL to π_ref "
               f"{' → '.join(f'{v:.2f}' for v in kls_k)} (table).")
    beta_zh = (f"β 从 {rows[0][0]:g} 到 {rows[-1][0]:g}、同样训练 {steps} 步时，达到的对数比间隔依次为 "
               f"{' → '.join(f'{v:.2f}' for v in margins_k)}，对 π_ref 的 KL 依次为 "
               f"{' → '.join(f'{v:.2f}' for v in kls_k)}（见表）。")
    takeaway = {
        "en": (f"β = {beta:g}, ε = {eps:g}: {start_en} and the gradient "
               f"−β·σ(−u)·(φ_w − φ_l) {fd_en} finite differences (error {fd_err:.0e}). After {steps} steps the margin "
               f"u = {margin_final:.3f} (loss {metrics['final_loss']:.3f}), {fate_en}. The same pair on a tabular "
               f"policy changes log π(w) by {tab_change:+.3f}. Implicit rewards β·log π/π_ref: chosen "
               f"{implicit[W]:+.3f}, rejected {implicit[L]:+.3f}, unpaired o {implicit[OTHER]:+.3f}. {beta_en}"),
        "zh": (f"β = {beta:g}、ε = {eps:g}：{start_zh}，解析梯度 −β·σ(−u)·(φ_w − φ_l) 与有限差分"
               f"{fd_zh}（误差 {fd_err:.0e}）。训练 {steps} 步后间隔 u = {margin_final:.3f}（损失 "
               f"{metrics['final_loss']:.3f}），{fate_zh}。同一偏好对换成表格式策略时 log π(w) 变化 {tab_change:+.3f}。"
               f"隐式奖励 β·log π/π_ref：被选 {implicit[W]:+.3f}、被拒 {implicit[L]:+.3f}、未配对的 o "
               f"{implicit[OTHER]:+.3f}。{beta_zh}"),
    }
    claim = {
        "en": ("The softmax normaliser cancels, so DPO only moves θ along φ_w − φ_l and the mass goes to whichever "
               "response scores highest along it: with similar chosen and rejected responses that can be a third "
               "one, so the chosen likelihood falls while the margin grows, which a tabular policy never does. "
               "The initial gradient is proportional to β, and a larger β reaches a given loss with a smaller "
               "log-ratio margin, i.e. a smaller move away from π_ref."),
        "zh": ("softmax 的归一化项相互抵消，DPO 只沿 φ_w − φ_l 移动 θ，概率质量流向沿这个方向得分最高的回答："
               "被选与被拒回答很像时，那可能是第三个回答，于是间隔在涨、被选回答的似然却在降，表格式策略则从不会这样。"
               "初始梯度与 β 成正比；β 越大，达到同样损失所需的对数比间隔越小，即离 π_ref 越近。"),
    }
    x = np.arange(steps + 1)
    series = {
        "chosen log π(w) − log π_ref(w)": Series.of(x, chosen),
        "rejected log π(l) − log π_ref(l)": Series.of(x, rejected),
        "log-ratio margin u/β": Series.of(x, margins / beta),
    }
    table = {"columns": ["beta", "grad_norm_at_ref", "final_log_ratio_margin", "final_u", "final_KL_to_ref"],
             "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
