"""The convolution theorem: conv(x, h) = IFFT(FFT(x)·FFT(h)), exact up to rounding, when zero-padded.

A radix-2 FFT written out here counts its own multiplications, so the cost comparison is measured:
direct convolution needs n·k multiplies, FFT convolution about 3·(N/2)·log₂N complex multiplies plus
N for the pointwise product (N ≥ n + k − 1, a power of two). Direct wins for small kernels (the
3×3 case in CNNs), FFT for large ones. Without zero-padding the FFT gives circular convolution.
The counts are for a plain complex FFT; real-input FFTs and Winograd change the constants, not the trend.
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

REAL_PER_COMPLEX = 4  # one complex multiply = 4 real multiplies (schoolbook)


def fft_counted(x, inverse: bool = False) -> tuple[np.ndarray, int]:
    """Iterative radix-2 Cooley–Tukey FFT; returns (X, complex multiplications performed)."""
    x = np.asarray(x, dtype=complex)
    n = x.size
    if n & (n - 1):
        raise ValueError("length must be a power of two")
    bits = n.bit_length() - 1
    idx = np.arange(n)
    rev = np.zeros(n, dtype=int)
    for b in range(bits):
        rev |= ((idx >> b) & 1) << (bits - 1 - b)
    x = x[rev]
    sign = 1.0 if inverse else -1.0
    mults, m = 0, 2
    while m <= n:
        half = m // 2
        w = np.exp(sign * 2j * np.pi * np.arange(half) / m)
        blocks = x.reshape(n // m, m)
        even, odd = blocks[:, :half], blocks[:, half:] * w
        mults += odd.size
        x = np.concatenate([even + odd, even - odd], axis=1).reshape(n)
        m *= 2
    return (x / n if inverse else x), mults


def direct_convolution(x, h) -> tuple[np.ndarray, int]:
    """Full linear convolution by shifting and adding; returns (y, real multiplications)."""
    y = np.zeros(x.size + h.size - 1)
    for j, hj in enumerate(h):
        y[j:j + x.size] += hj * x
    return y, x.size * h.size


def fft_convolution(x, h, size: int) -> tuple[np.ndarray, int]:
    """Convolution via the convolution theorem at FFT length `size`; returns (y, real multiplications)."""
    fx, m1 = fft_counted(np.pad(x, (0, size - x.size)))
    fh, m2 = fft_counted(np.pad(h, (0, size - h.size)))
    y, m3 = fft_counted(fx * fh, inverse=True)
    return y.real, REAL_PER_COMPLEX * (m1 + m2 + m3 + size)


def fft_cost(n: int, k: int) -> int:
    size = 1 << (n + k - 2).bit_length()
    return REAL_PER_COMPLEX * (3 * (size // 2) * (size.bit_length() - 1) + size)


@demo(
    id="fourier-convolution",
    title={"zh": "卷积定理：FFT 卷积", "en": "The convolution theorem: FFT convolution"},
    tags=["fft", "fourier", "convolution-theorem", "convolution", "complexity", "signal-processing",
          "傅里叶", "快速傅里叶变换", "卷积定理", "卷积", "复杂度"],
    params=[
        Param("length", int, 2048, 64, 8192, help={"zh": "信号长度 n", "en": "signal length n"}),
        Param("kernel", int, 255, 3, 2048, help={"zh": "卷积核长度 k", "en": "kernel length k"}),
    ],
)
def run(p, rng) -> Outcome:
    n, k = p["length"], min(p["kernel"], p["length"])
    x, h = rng.standard_normal(n), rng.standard_normal(k)
    y_direct, ops_direct = direct_convolution(x, h)
    size = 1 << (n + k - 2).bit_length()  # smallest power of two ≥ n + k − 1
    y_fft, ops_fft = fft_convolution(x, h, size)
    err = float(np.abs(y_fft[: n + k - 1] - y_direct).max())
    fft_err = float(np.abs(fft_counted(x[: 1 << (n.bit_length() - 1)])[0]
                           - np.fft.fft(x[: 1 << (n.bit_length() - 1)])).max())
    # no zero-padding: length-N circular convolution, the tail wraps onto the start
    circ_n = 1 << (n.bit_length() - 1)
    y_circ, _ = fft_convolution(x[:circ_n], h[: min(k, circ_n)], circ_n)
    y_lin, _ = direct_convolution(x[:circ_n], h[: min(k, circ_n)])
    wrap_err = float(np.abs(y_circ - y_lin[:circ_n]).max())
    scale = float(np.abs(y_direct).max())

    kernels = [int(v) for v in np.unique(np.geomspace(3, n, 24).astype(int))]
    direct_curve = [n * kk for kk in kernels]
    fft_curve = [fft_cost(n, kk) for kk in kernels]
    cross = next((int(kk) for kk, d, f in zip(kernels, direct_curve, fft_curve) if f < d), None)
    small_direct, small_fft = n * 3, fft_cost(n, 3)
    big_direct, big_fft = n * n, fft_cost(n, n)
    gain_growth = (big_direct / big_fft) / (small_direct / small_fft)
    metrics = {
        "max_abs_error": err,
        "relative_error": err / scale,
        "fft_vs_numpy_error": fft_err,
        "circular_wraparound_error": wrap_err,
        "direct_multiplies": ops_direct,
        "fft_multiplies": ops_fft,
        "fft_length": size,
        "speedup_in_multiplies": ops_direct / ops_fft,
        "crossover_kernel_length": cross,  # None (null): FFT never won at these lengths
    }
    checks = [
        check("zero-padded FFT convolution equals direct convolution", err < 1e-9 * max(scale, 1.0),
              f"max |difference| = {err:.1e} (outputs up to {scale:.1f})"),
        check("without zero-padding the FFT gives circular convolution (wrap-around)", wrap_err > 1e-3 * scale,
              f"max |circular − linear| = {wrap_err:.2f} at N = {circ_n}"),
        check("direct is cheaper for a 3-tap kernel", small_direct < small_fft,
              f"k=3: direct {small_direct:,} vs FFT {small_fft:,} real multiplies"),
        check("direct cost grows with k, FFT cost barely: FFT's advantage grows ≥ 5× from k=3 to k=n",
              gain_growth >= 5,
              f"direct/FFT = {small_direct / small_fft:.3f} at k=3, {big_direct / big_fft:.3f} at k={n} "
              f"({gain_growth:.0f}×)"),
    ]
    cross_txt = {"zh": f"约 k ≥ {cross} 时 FFT 更省", "en": f"FFT wins from about k = {cross}"} if cross else \
        {"zh": "这一长度下 FFT 始终不省", "en": "FFT never wins at this length"}
    takeaway = {
        "zh": (f"n={n}、k={k}：补零到 N={size} 后 FFT "
        f"卷积与直接卷积的最大误差 {err:.1e}；不补零时与线性卷积相差 "
               f"{wrap_err:.1f}。乘法次数：直接 {ops_direct:,}，FFT {ops_fft:,}（{ops_direct / ops_fft:.2g} 倍）；"
               f"k=3 时直接要 {small_direct:,}，FFT 要 {small_fft:,}；"
               f"{cross_txt['zh']}。"),
        "en": (f"n={n}, k={k}: zero-padded to N={size}, FFT "
        f"convolution differs from direct convolution by at most {err:.1e}; "
               f"without padding it is off from the linear convolution by {wrap_err:.1f}. Multiplies: direct "
               f"{ops_direct:,}, FFT "
               f"{ops_fft:,} ({ops_direct / ops_fft:.2g}×); at k=3 direct needs {small_direct:,} vs {small_fft:,}; "
               f"{cross_txt['en']}."),
    }
    claim = {
        "zh": ("补零后 FFT 卷积与直接卷积只差舍入误差，不补零就成了循环卷积。小卷积核直接算更省，"
               "核越长 FFT 的优势越大——所以 CNN 的小卷积核一般直接算。"),
        "en": ("Zero-padded, FFT convolution equals direct convolution up to rounding; without padding it is "
               "circular. Direct convolution is cheaper for a small kernel and FFT's advantage grows with the kernel "
               "length. That is why CNNs compute small kernels directly."),
    }
    series = {
        "direct multiplies vs k": Series.of(kernels, direct_curve, log_y=True),
        "FFT multiplies vs k": Series.of(kernels, fft_curve, log_y=True),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, claim=claim)
