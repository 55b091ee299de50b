"""A linear autoencoder trained by gradient descent learns the PCA subspace (Baldi & Hornik, 1989).

Encoder z = E x (k×d), decoder x̂ = D z (d×k), loss = mean ||x − x̂||². At the optimum the span of
the decoder's columns is the span of the top-k eigenvectors of the covariance, and the error equals
the sum of the discarded eigenvalues (Eckart–Young). The basis itself is arbitrary: only the
subspace is determined, so the columns need not be the eigenvectors.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.optim import SGD


def _orthonormal(a):
    q, _ = np.linalg.qr(a)
    return q


def covariance(x):
    """C = XᵀX/n for centred X: the same 1/n as the mean reconstruction error it is compared with."""
    return x.T @ x / len(x)


@demo(
    id="autoencoder-pca",
    title={"zh": "线性自编码器学到的就是 PCA 子空间", "en": "A linear autoencoder learns the PCA subspace"},
    tags=["autoencoder", "pca", "principal-component", "unsupervised", "dimensionality-reduction",
          "自编码器", "主成分分析", "降维", "无监督"],
    params=[
        Param("k", int, 3, 1, 15, help={"zh": "隐层（编码）维度 k（需小于 d）",
                                        "en": "code (bottleneck) size k (must be below d)"}),
        Param("d", int, 10, 2, 16, help={"zh": "输入维度 d", "en": "input dimension d"}),
        Param("steps", int, 3000, 50, 20000, help={"zh": "梯度下降步数", "en": "gradient-descent steps"}),
        Param("n", int, 500, 50, 5000, help={"zh": "样本数", "en": "number of samples"}),
    ],
)
def run(p, rng) -> Outcome:
    d = p["d"]
    k = min(p["k"], d - 1)
    n, steps = p["n"], p["steps"]
    # data with a decaying spectrum in a random rotated basis
    spectrum = 4.0 * 0.6 ** np.arange(d)
    basis = _orthonormal(rng.normal(size=(d, d)))
    x = rng.normal(size=(n, d)) * np.sqrt(spectrum) @ basis.T
    x -= x.mean(axis=0)
    cov = covariance(x)
    evals, evecs = np.linalg.eigh(cov)
    order = np.argsort(evals)[::-1]
    evals, evecs = evals[order], evecs[:, order]
    discarded = float(evals[k:].sum())

    # full-batch gradient descent on L = tr((I − DE) C (I − DE)ᵀ) = mean ||x − DEx||²
    enc = rng.normal(scale=0.1, size=(k, d))
    dec = rng.normal(scale=0.1, size=(d, k))
    lr = 0.2 / evals[0]
    opt = SGD([enc, dec], lr=lr, momentum=0.9)
    eye = np.eye(d)
    every = max(1, steps // 100)
    hist_t, hist_l = [], []
    for t in range(steps + 1):
        resid = (dec @ enc - eye) @ cov  # (M − I) C
        if t % every == 0 or t == steps:
            loss = float(np.trace((eye - dec @ enc) @ cov @ (eye - dec @ enc).T))
            hist_t.append(t)
            hist_l.append(max(loss - discarded, 1e-16))
        if t == steps:
            break
        opt.step([2 * dec.T @ resid, 2 * resid @ enc.T])

    recon = float(np.mean(np.sum((x - x @ enc.T @ dec.T) ** 2, axis=1)))
    # principal angles between span(D) and the top-k eigenvectors
    cosines = np.linalg.svd(_orthonormal(dec).T @ evecs[:, :k], compute_uv=False)
    angles = np.degrees(np.arccos(np.clip(cosines, -1.0, 1.0)))
    max_angle = float(angles.max())
    # how well each decoder column matches a single eigenvector (1 = it IS an eigenvector)
    cols = dec / np.linalg.norm(dec, axis=0)
    col_match = float(np.mean(np.abs(cols.T @ evecs[:, :k]).max(axis=1)))
    rel_gap = (recon - discarded) / discarded

    metrics = {
        "k": k,
        "max_principal_angle_deg": max_angle,
        "reconstruction_error": recon,
        "sum_discarded_eigenvalues": discarded,
        "relative_gap": rel_gap,
        "total_variance": float(evals.sum()),
        "mean_column_eigenvector_cosine": col_match,
    }
    checks = [
        check("span(decoder) = top-k PCA subspace (max principal angle < 1°)", max_angle < 1.0,
              f"principal angles {', '.join(f'{a:.3g}°' for a in angles)}"),
        check("reconstruction error = sum of discarded eigenvalues (within 1%)", -1e-9 <= rel_gap < 0.01,
              f"AE error {recon:.6f} vs Σλ_{{i>{k}}} = {discarded:.6f} (relative gap {rel_gap:.2e})"),
        check("no linear code of size k does better (Eckart–Young bound holds)", recon >= discarded * (1 - 1e-9),
              f"{recon:.6f} ≥ {discarded:.6f}"),
    ]
    kept = 1 - discarded / float(evals.sum())
    takeaway = {
        "zh": (f"线性自编码器（k={k}）经 {steps} 步梯度下降后，解码器张成的子空间与前 {k} 个主成分的最大夹角为 "
               f"{max_angle:.2g}°，重构误差 {recon:.4f}，被丢弃特征值之和 {discarded:.4f}（保留 {kept:.1%} 方差）。"
               f"各列与单个特征向量的平均 |cos| 为 {col_match:.2f}。"),
        "en": (f"After {steps} GD steps the linear autoencoder (k={k}) is at max principal angle {max_angle:.2g}° from "
               f"the top-{k} PCA subspace, with reconstruction error {recon:.4f} against a sum of discarded "
               f"eigenvalues of {discarded:.4f} ({kept:.1%} of variance kept). Its columns match single eigenvectors "
               f"at mean |cos| {col_match:.2f}."),
    }
    claim = {
        "zh": ("线性自编码器学到的正是 PCA 子空间，重构误差等于被丢弃的特征值之和；"
               "但它学到的只是子空间，不一定是主成分方向本身；要超越 PCA 必须加非线性。"),
        "en": ("A linear autoencoder learns the PCA subspace, with error equal to the sum of the discarded "
               "eigenvalues, but not necessarily the axes themselves; beating PCA needs nonlinearity."),
    }
    series = {
        "excess loss over Σ discarded λ": Series.of(hist_t, hist_l, log_y=True, panel="excess loss vs GD step"),
        "eigenvalue spectrum": Series.of(np.arange(1, d + 1), evals, log_y=True, panel="eigenvalue λ_i vs index i"),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
