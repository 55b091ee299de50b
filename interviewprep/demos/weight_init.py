"""Weight initialization: constant init never breaks symmetry; the init scale decides if signals survive depth.

1. Symmetry: a 2-layer tanh net with every weight set to the same constant is trained with SGD. Every hidden
   unit computes the same thing and gets the same gradient, so the hidden units stay identical forever.
2. Scale: a 50-layer ReLU stack, width n. For z_{l+1} = W h_l with W ~ N(0, s²) and h_l = relu(z_l),
   Var(z_{l+1}) = n·s²·Var(z_l)/2, so the activation std changes by √(n s²/2) per layer:
   He s² = 2/n → ×1, Xavier s² = 1/n (fan_in = fan_out) → ×1/√2, N(0, 0.01²) → ×0.01·√(n/2).
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F
from interviewprep.numeric.optim import SGD

N_IN, HIDDEN, N, STEPS, BATCH = 5, 8, 64, 200, 32


def _train_two_layer(X, y, W1, w2):
    """Train a 5-8-1 tanh regressor in place with SGD; returns the final MSE."""
    b1, b2 = np.zeros(HIDDEN), np.zeros(1)
    opt = SGD([W1, b1, w2, b2], lr=0.1)
    for _ in range(STEPS):
        Z = X @ W1.T + b1
        H = F.tanh(Z)
        r = (H @ w2 + b2 - y) / len(X)
        dZ = np.outer(r, w2) * F.tanh_grad(Z)
        opt.step([dZ.T @ X, dZ.sum(axis=0), H.T @ r, r.sum(keepdims=True)])
    return float(F.mse_loss(F.tanh(X @ W1.T + b1) @ w2 + b2, y))


def _activation_stds(rng, x, depth, std):
    h, out = x, []
    for _ in range(depth):
        h = F.relu(h @ rng.normal(0.0, std, size=(x.shape[1], x.shape[1])))
        out.append(float(h.std()))
    return np.array(out)


@demo(
    id="weight-init",
    title={"zh": "权重初始化：对称性与尺度（He / Xavier / 小随机数）",
           "en": "Weight initialization: symmetry and scale (He / Xavier / tiny)"},
    tags=["initialization", "init", "he", "kaiming", "xavier", "glorot", "symmetry-breaking", "zero-init",
          "初始化", "权重初始化", "对称性", "零初始化"],
    params=[
        Param("depth", int, 50, 2, 100, help={"zh": "ReLU 层数", "en": "number of ReLU layers"}),
        Param("width", int, 64, 16, 256, help={"zh": "每层宽度 n", "en": "layer width n"}),
        Param("small_std", float, 0.01, 1e-4, 1.0,
              help={"zh": "'小随机数'初始化的标准差 s", "en": "std s of the 'small random numbers' init"}),
        Param("constant", float, 0.5, -2.0, 2.0, help={"zh": "常数初始化的取值", "en": "value of the constant init"}),
    ],
)
def run(p, rng) -> Outcome:
    depth, n, s = p["depth"], p["width"], p["small_std"]
    # 1. symmetry
    X = rng.normal(size=(N, N_IN))
    y = np.sin(X @ rng.normal(size=N_IN))
    W1c, w2c = np.full((HIDDEN, N_IN), p["constant"]), np.full(HIDDEN, p["constant"])
    loss_const = _train_two_layer(X, y, W1c, w2c)
    W1r, w2r = rng.normal(0.0, np.sqrt(1.0 / N_IN), size=(HIDDEN, N_IN)), rng.normal(0.0, np.sqrt(1.0 / HIDDEN), HIDDEN)
    loss_rand = _train_two_layer(X, y, W1r, w2r)
    spread_const = float(np.max(np.abs(W1c - W1c[0])))
    spread_rand = float(np.max(np.abs(W1r - W1r[0])))
    rank_const = int(np.linalg.matrix_rank(W1c))
    # 2. scale through depth
    x = rng.normal(size=(BATCH, n))
    stds = {name: _activation_stds(rng, x, depth, std)
            for name, std in (("He", np.sqrt(2.0 / n)), ("Xavier", np.sqrt(1.0 / n)), ("small", s))}
    factor = {k: float((v[-1] / v[0]) ** (1.0 / (depth - 1))) for k, v in stds.items()}
    predicted_small = s * np.sqrt(n / 2.0)
    he_range = float(stds["He"].max() / stds["He"].min())
    metrics = {
        "constant_init_unit_spread": spread_const,
        "random_init_unit_spread": spread_rand,
        "constant_init_rank_W1": rank_const,
        "constant_init_final_mse": loss_const,
        "random_init_final_mse": loss_rand,
        "he_final_std": float(stds["He"][-1]),
        "xavier_final_std": float(stds["Xavier"][-1]),
        "small_final_std": float(stds["small"][-1]),
        "he_per_layer_factor": factor["He"],
        "xavier_per_layer_factor": factor["Xavier"],
        "small_per_layer_factor": factor["small"],
        "small_predicted_factor": float(predicted_small),
    }
    checks = [
        check(f"constant init: after {STEPS} SGD steps all {HIDDEN} hidden units are still identical",
              spread_const == 0.0 and spread_rand > 0.1,
              f"max difference between hidden units' weights: constant {spread_const:g} (rank {rank_const}), "
              f"random {spread_rand:.3f}"),
        check("He keeps the activation std steady (per-layer factor within 10% of 1)", abs(factor["He"] - 1) < 0.1,
              f"He std from {stds['He'][0]:.3f} to {stds['He'][-1]:.3f}: ×{factor['He']:.4f} per layer; "
              f"max/min over the layers = {he_range:.2f}"),
        check("Xavier loses ≈ 1/√2 per ReLU layer (within 10%)", abs(factor["Xavier"] / np.sqrt(0.5) - 1) < 0.1,
              f"×{factor['Xavier']:.4f} per layer vs 1/√2 = {np.sqrt(0.5):.4f}"),
        check(f"N(0, {s:g}²) collapses: final std < 1e-6 × He's", stds["small"][-1] < 1e-6 * stds["He"][-1],
              f"{stds['small'][-1]:.2e} vs {stds['He'][-1]:.3f} (×{factor['small']:.3f} per layer, "
              f"theory √(n s²/2) = {predicted_small:.3f})"),
    ]
    if rank_const == 0:  # all zeros: tanh(0) = 0 and w2 = 0, so W1 never receives any gradient
        acts_zh = "，隐藏层完全没学到东西（全零权重连梯度都收不到）"
        acts_en = ", so the hidden layer learns nothing at all (zero weights get no gradient)"
    else:
        acts_zh, acts_en = "", ""
    takeaway = {
        "zh": (f"所有权重取常数 {p['constant']:g}：训练 {STEPS} 步后 {HIDDEN} 个隐藏单元的权重差仍是 "
               f"{spread_const:g}（W1 秩为 {rank_const}）"
               f"{acts_zh}，MSE {loss_const:.3f}；随机初始化 MSE {loss_rand:.3f}。\n"
               f"{depth} 层 ReLU：He 初始化末层 std {stds['He'][-1]:.3f}（每层 ×{factor['He']:.3f}），"
               f"Xavier 每层 ×{factor['Xavier']:.3f} 降到 {stds['Xavier'][-1]:.1e}，N(0,{s:g}²) 每层 "
               f"×{factor['small']:.3f} "
               f"降到 {stds['small'][-1]:.1e}。"),
        "en": (f"Every weight set to {p['constant']:g}: after {STEPS} steps the {HIDDEN} hidden units still differ by "
               f"{spread_const:g} (W1 has rank {rank_const}){acts_en}; MSE "
               f"{loss_const:.3f} vs {loss_rand:.3f} from a random init.\n"
               f"{depth} ReLU layers: He ends at std {stds['He'][-1]:.3f} (×{factor['He']:.3f} per layer), Xavier "
               f"shrinks ×{factor['Xavier']:.3f} per layer to {stds['Xavier'][-1]:.1e}, N(0, {s:g}²) "
               f"×{factor['small']:.3f} "
               f"per layer to {stds['small'][-1]:.1e}."),
    }
    claim = {
        "zh": ("常数初始化打破不了对称性：每个隐藏单元收到的梯度都一样，这一层等于只有一个单元。"
               "ReLU 砍掉一半方差，所以要用 2/n 的 He 初始化。"),
        "en": ("Constant init never breaks symmetry: every hidden unit gets the same gradient, so the layer acts like "
               "a single unit. ReLU halves the variance, hence He's 2/n."),
    }
    layers = np.arange(1, depth + 1)
    series = {f"activation std {k}": Series.of(layers, v, log_y=True) for k, v in stds.items()}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
