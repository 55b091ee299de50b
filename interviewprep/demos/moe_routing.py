"""Mixture-of-experts routing: top-k gating, expert load, capacity drops, and the Switch balancing loss.

A router maps each token x to logits z = x·W + b over E experts; the token goes to its k highest-scoring
experts. With a skewed router a few experts get most tokens. Each expert can take
capacity = ⌊capacity_factor · T·k / E⌋ token slots; assignments beyond it are dropped (the token skips that
expert, keeping only the residual path). The auxiliary loss of the Switch Transformer (Fedus et al., 2021),
L_aux = E · Σᵢ fᵢ·Pᵢ with fᵢ the fraction of assignments routed to expert i and Pᵢ the mean router
probability of i, equals 1 under perfectly uniform routing; its gradient flows through Pᵢ only (fᵢ comes
from an argmax) and pushes probability away from overloaded experts. Here the router is trained on that loss
alone, by plain gradient descent with NumPy gradients, starting from a deliberately skewed router.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

DIM = 16
# A Mixtral-like layer for the parameter count (SwiGLU experts: 3 matrices of d_model × d_ff)
D_MODEL, D_FF, LAYERS = 4096, 14336, 32


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def route(x, w, b, k):
    """Top-k expert indices per token and the router probabilities."""
    probs = softmax(x @ w + b)
    top = np.argpartition(-probs, k - 1, axis=1)[:, :k] if k < probs.shape[1] else np.tile(
        np.arange(probs.shape[1]), (len(probs), 1))
    return top, probs


def loads(top, experts):
    return np.bincount(top.ravel(), minlength=experts)


def aux_loss(probs, top, experts):
    f = loads(top, experts) / top.size
    return experts * float(f @ probs.mean(axis=0)), f


def aux_grad(x, probs, f, experts):
    """Gradient of E·Σ fᵢ·Pᵢ with f held fixed: dL/dz_t = (1/T)·p_t ⊙ (c − p_t·c), c = E·f."""
    c = experts * f
    g = probs * (c[None, :] - (probs @ c)[:, None]) / len(x)
    return np.einsum("ti,te->ie", x, g), g.sum(axis=0)  # einsum: x.T @ g without a slow BLAS call


def dropped_closed_form(load, capacity):
    return int(np.maximum(load - capacity, 0).sum())


def dropped_by_dispatch(top, experts, capacity):
    """Direct count: walk through tokens in order, give each chosen expert a slot while it has one."""
    slots = np.zeros(experts, dtype=int)
    dropped = 0
    for row in top:
        for e in row:
            if slots[e] < capacity:
                slots[e] += 1
            else:
                dropped += 1
    return dropped


def cv(load):
    return float(load.std() / load.mean())


@demo(
    id="moe-routing",
    title={"zh": "混合专家（MoE）路由：top-k、负载均衡损失与容量丢弃",
           "en": "Mixture-of-experts routing: top-k, load-balancing loss and capacity drops"},
    tags=["moe", "mixture-of-experts", "router", "top-k", "load-balancing", "capacity-factor", "switch-transformer",
          "混合专家", "路由", "负载均衡", "容量因子", "专家并行"],
    params=[
        Param("experts", int, 8, 8, 32, help={"zh": "专家数 E", "en": "number of experts E"}),
        Param("k", int, 2, 1, 4, help={"zh": "每个 token 选几个专家（top-k）", "en": "experts per token (top-k)"}),
        Param("tokens", int, 1024, 256, 1024, help={"zh": "一批的 token 数 T", "en": "tokens in the batch T"}),
        Param("capacity_factor", float, 1.25, 0.5, 4.0, help={"zh": "容量因子", "en": "capacity factor"}),
        Param("steps", int, 100, 0, 200, help={"zh": "只用均衡损失训练路由器的步数",
                                               "en": "router training steps on the balancing loss alone"}),
        Param("lr", float, 2.0, 0.0, 10.0, help={"zh": "路由器的学习率", "en": "router learning rate"}),
    ],
)
def run(p, rng) -> Outcome:
    e, k, t, cf = p["experts"], min(p["k"], p["experts"]), p["tokens"], p["capacity_factor"]
    x = rng.standard_normal((t, DIM)) + 0.5
    w = 0.5 * rng.standard_normal((DIM, e))
    b = 1.5 * rng.standard_normal(e)
    capacity = int(np.floor(cf * t * k / e))

    top0, probs0 = route(x, w, b, k)
    load0 = loads(top0, e)
    aux0, f0 = aux_loss(probs0, top0, e)

    # finite-difference check of the analytic gradient (f held fixed, as in the Switch loss)
    gw, gb = aux_grad(x, probs0, f0, e)
    h, worst = 1e-6, 0.0
    for i, j in [(0, 0), (DIM - 1, e - 1), (3, e // 2)]:
        wp, wm = w.copy(), w.copy()
        wp[i, j] += h
        wm[i, j] -= h
        fd = e * (f0 @ (softmax(x @ wp + b).mean(0) - softmax(x @ wm + b).mean(0))) / (2 * h)
        worst = max(worst, abs(fd - gw[i, j]) / max(abs(fd), 1e-12))

    cvs = []
    top1, probs1 = top0, probs0
    for _ in range(p["steps"]):
        _, f = aux_loss(probs1, top1, e)
        cvs.append(cv(loads(top1, e)))
        gw, gb = aux_grad(x, probs1, f, e)
        w -= p["lr"] * gw
        b -= p["lr"] * gb
        top1, probs1 = route(x, w, b, k)
    cvs.append(cv(loads(top1, e)))
    load1 = loads(top1, e)
    aux1, _ = aux_loss(probs1, top1, e)

    drop0, drop1 = dropped_closed_form(load0, capacity), dropped_closed_form(load1, capacity)
    direct0, direct1 = dropped_by_dispatch(top0, e, capacity), dropped_by_dispatch(top1, e, capacity)
    n_assign = t * k
    per_expert = 3 * D_MODEL * D_FF
    total_b, active_b = LAYERS * e * per_expert / 1e9, LAYERS * k * per_expert / 1e9
    metrics = {
        "capacity_per_expert": capacity,
        "cv_before": cvs[0],
        "cv_after": cvs[-1],
        "aux_loss_before": aux0,
        "aux_loss_after": aux1,
        "max_load_share_before": float(load0.max() / n_assign),
        "max_load_share_after": float(load1.max() / n_assign),
        "dropped_before": drop0,
        "dropped_after": drop1,
        "dropped_share_before": drop0 / n_assign,
        "dropped_share_after": drop1 / n_assign,
        "grad_check_rel_error": worst,
        "expert_ffn_params_total_B": total_b,
        "expert_ffn_params_active_B": active_b,
    }
    improved = cvs[-1] < cvs[0]
    checks = [
        check("dropped assignments Σ max(0, loadᵢ − capacity) equal a slot-by-slot dispatch count",
              drop0 == direct0 and drop1 == direct1,
              f"capacity {capacity}: before {drop0} vs {direct0} counted, after {drop1} vs {direct1}"),
        check("the analytic router gradient of E·Σ fᵢPᵢ matches finite differences", worst < 1e-4,
              f"largest relative difference {worst:.1e} on three weights"),
        check("training on the balancing loss lowers the load's coefficient of variation", improved,
              f"CV {cvs[0]:.3f} → {cvs[-1]:.3f} after {p['steps']} steps, L_aux {aux0:.3f} → {aux1:.3f} "
              f"(1 means uniform)"),
    ]
    table = {"columns": ["expert", "load before", "load after", "capacity"],
             "rows": [[i, int(load0[i]), int(load1[i]), capacity] for i in range(e)]}
    series = {"coefficient of variation of expert load vs step": Series.of(np.arange(len(cvs)), cvs)}
    if improved:
        bal_zh = f"只用均衡损失训练 {p['steps']} 步后，负载变异系数从 {cvs[0]:.2f} 降到 {cvs[-1]:.2f}"
        bal_en = f"training the router on the balancing loss alone for {p['steps']} steps moves CV from " \
                 f"{cvs[0]:.2f} to {cvs[-1]:.2f}"
    else:
        bal_zh = f"这次 {p['steps']} 步训练没有降低负载变异系数（{cvs[0]:.2f} → {cvs[-1]:.2f}）"
        bal_en = f"these {p['steps']} training steps did not lower the CV ({cvs[0]:.2f} → {cvs[-1]:.2f})"
    warn_zh, warn_en = "", ""
    if not (drop0 == direct0 and drop1 == direct1):
        warn_zh += f"注意：逐槽位分发实际丢弃 {direct0}/{direct1} 个，与公式 {drop0}/{drop1} 不符。"
        warn_en += f" Note: a slot-by-slot dispatch drops {direct0}/{direct1}, not the formula's {drop0}/{drop1}."
    if worst >= 1e-4:
        warn_zh += f"注意：解析梯度与有限差分相差 {worst:.1e}，梯度公式有误。"
        warn_en += f" Note: the analytic gradient differs from finite differences by {worst:.1e}; the formula is wrong."
    takeaway = {
        "zh": (f"{t} 个 token、{e} 个专家、top-{k}，容量因子 {cf:g} → 每个专家 {capacity} 个槽位。"
               f"偏斜的路由器把 {load0.max() / n_assign:.0%} 的分配给了最忙的专家，丢弃 {drop0 / n_assign:.1%}；"
               f"{bal_zh}，最忙专家占 {load1.max() / n_assign:.0%}，丢弃 {drop1 / n_assign:.1%}"
               f"（L_aux {aux0:.2f} → {aux1:.2f}，完全均匀时为 1）。"
               f"按 Mixtral 式的层（d=4096、d_ff=14336、32 层、SwiGLU）算，专家 FFN 共 {total_b:.1f}B 参数，"
               f"每个 token 只用 {active_b:.1f}B。{warn_zh}"),
        "en": (f"{t} tokens, {e} experts, top-{k}, capacity factor {cf:g} → {capacity} slots per expert. "
               f"The skewed router sends {load0.max() / n_assign:.0%} of assignments to the busiest expert and drops "
               f"{drop0 / n_assign:.1%}; {bal_en}, the busiest expert gets {load1.max() / n_assign:.0%} and "
               f"{drop1 / n_assign:.1%} are dropped (L_aux {aux0:.2f} → {aux1:.2f}; 1 means uniform). "
               f"For a Mixtral-like layer (d=4096, d_ff=14336, 32 layers, SwiGLU) the expert FFNs hold "
               f"{total_b:.1f}B parameters, of which a token uses {active_b:.1f}B.{warn_en}"),
    }
    claim = {
        "zh": ("每个专家的容量是固定的，负载超过容量的部分会被丢掉，所以路由一偏，token 就丢在最忙的专家那里；"
               "Switch 的均衡损失 E·Σ fᵢPᵢ（完全均匀时为 1）只通过 Pᵢ 传梯度，把概率从过载的专家推开，"
               "让负载趋向均匀。稀疏 MoE 存下的专家参数是每个 token 实际用到的 E/k 倍。"),
        "en": ("Each expert has a fixed capacity and load beyond it is dropped, so a skewed router loses tokens at its "
               "busiest experts; the Switch balancing loss E·Σ fᵢPᵢ (1 when uniform) sends its gradient through Pᵢ "
               "only, pushing probability away from overloaded experts and the load towards uniform. A sparse MoE "
               "stores E/k times the expert parameters each token uses."),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
