"""Decode on a roofline: why one-token-at-a-time generation is limited by memory bandwidth.

A decode step for a batch of B sequences multiplies every weight once per sequence: 2·N·B FLOPs
(N parameters, matmuls only; attention FLOPs are left out), while the weights cross the memory bus
once (N·bits/8 bytes) plus each sequence's KV cache (context · KV bytes per token). On an idealised
roofline a step takes max(FLOPs / peak, bytes / bandwidth). The hardware numbers are parameters,
i.e. assumptions, not a claim about any product.
"""

from __future__ import annotations

import math

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param


def step_time(batch, n_params, bytes_per_param, kv_bytes_per_seq, peak_flops, bandwidth):
    """Roofline time of one decode step: (time, compute time, memory time)."""
    flops = 2.0 * n_params * batch
    moved = n_params * bytes_per_param + batch * kv_bytes_per_seq
    t_compute, t_memory = flops / peak_flops, moved / bandwidth
    return max(t_compute, t_memory), t_compute, t_memory


@demo(
    id="decode-roofline",
    title={"zh": "解码的屋顶线模型：为什么逐词生成受显存带宽限制",
           "en": "Decode on a roofline: why token-by-token generation is bandwidth-bound"},
    tags=["roofline", "decode", "prefill", "memory-bound", "compute-bound", "arithmetic-intensity", "bandwidth",
          "batch size", "tpot", "throughput", "kv cache", "llm", "inference",
          "屋顶线", "解码", "访存瓶颈", "算术强度", "带宽", "吞吐", "批大小"],
    params=[
        Param("params_b", float, 7.0, 0.1, 1000.0, help={"zh": "参数量（十亿）", "en": "parameters in billions"}),
        Param("weight_bits", int, 16, 2, 32, help={"zh": "每个权重的位数", "en": "bits per weight"}),
        Param("bandwidth_tbs", float, 2.0, 0.05, 20.0,
              help={"zh": "假设的显存带宽（TB/s）", "en": "assumed memory bandwidth (TB/s)"}),
        Param("peak_tflops", float, 300.0, 1.0, 10000.0,
              help={"zh": "假设的峰值算力（TFLOP/s）", "en": "assumed peak compute (TFLOP/s)"}),
        Param("context", int, 0, 0, 200000, help={"zh": "每个序列已缓存的词元数",
                                                  "en": "tokens already in each sequence's KV cache"}),
        Param("kv_mb_per_token", float, 0.5, 0.0, 10.0,
              help={"zh": "每个词元的 KV 缓存（MB），如 2 × 32 层 × 4096 × 2 字节 ≈ 0.52 MB",
                    "en": "KV cache per token in MB, e.g. 2 × 32 layers × 4096 × 2 bytes ≈ 0.52 MB"}),
        Param("max_batch", int, 512, 1, 4096, help={"zh": "批大小扫描上限", "en": "largest batch in the sweep"}),
    ],
)
def run(p, rng) -> Outcome:
    n = p["params_b"] * 1e9
    bpp = p["weight_bits"] / 8
    bw, peak = p["bandwidth_tbs"] * 1e12, p["peak_tflops"] * 1e12
    kv_seq = p["context"] * p["kv_mb_per_token"] * 1e6
    weight_bytes = n * bpp
    batches = np.unique(np.concatenate([2 ** np.arange(0, int(math.log2(p["max_batch"])) + 1), [p["max_batch"]]]))
    all_b = np.arange(1, p["max_batch"] + 1)
    parts = [step_time(b, n, bpp, kv_seq, peak, bw) for b in all_b]
    times = np.array([t for t, _, _ in parts])
    compute_bound = np.array([tc >= tm * (1 - 1e-12) for _, tc, tm in parts])

    # hand formulas
    t1_hand = max(2 * n / peak, (weight_bytes + kv_seq) / bw)
    ridge = peak / bw  # FLOPs per byte where the roofline bends
    intensity_1 = 2 * n / (weight_bytes + kv_seq)
    denom = 2 * n / peak - kv_seq / bw  # compute grows faster than memory with B only if this is > 0
    crossover_hand = math.ceil(weight_bytes / bw / denom - 1e-9) if denom > 0 else None
    crossover_hand = max(crossover_hand, 1) if crossover_hand is not None else None
    found = np.flatnonzero(compute_bound)
    crossover_sweep = int(all_b[found[0]]) if found.size else None
    in_range = crossover_hand is not None and crossover_hand <= p["max_batch"]
    tok_ceiling = peak / (2 * n) if denom > 0 else None
    tput = all_b / times

    metrics = {
        "weight_gb": weight_bytes / 1e9,
        "kv_gb_per_sequence": kv_seq / 1e9,
        "ms_per_token_batch1": times[0] * 1e3,
        "ms_per_token_batch1_hand": t1_hand * 1e3,
        "tokens_per_s_batch1": 1 / times[0],
        "compute_ms_batch1": 2 * n / peak * 1e3,
        "arithmetic_intensity_batch1": intensity_1,
        "ridge_flops_per_byte": ridge,
        "crossover_batch_sweep": crossover_sweep,
        "crossover_batch_closed_form": crossover_hand,
        f"ms_per_step_batch{p['max_batch']}": times[-1] * 1e3,
        f"tokens_per_s_batch{p['max_batch']}": float(tput[-1]),
        "tokens_per_s_compute_ceiling": tok_ceiling,
    }
    memory_bound_1 = not compute_bound[0]
    checks = [
        check("batch-1 step time equals max(2N/peak, (weights + KV bytes)/bandwidth) worked by hand",
              abs(times[0] - t1_hand) <= 1e-12 * t1_hand,
              f"{times[0] * 1e3:.3f} ms vs {t1_hand * 1e3:.3f} ms; memory-bound at batch 1: {memory_bound_1}"),
        check("the batch where decode turns compute-bound matches ⌈(W/BW)/(2N/peak − KV/BW)⌉",
              (crossover_sweep == crossover_hand) if in_range else crossover_sweep is None,
              f"sweep: {crossover_sweep}, closed form: {crossover_hand} (sweep up to {p['max_batch']})"),
        check("throughput never exceeds the compute ceiling peak/(2N) and grows with batch",
              bool(np.all(np.diff(tput) >= -1e-9 * tput[:-1])) and (tok_ceiling is None
                                                                    or tput.max() <= tok_ceiling * (1 + 1e-12)),
              f"{tput[0]:.1f} → {tput[-1]:.1f} tokens/s, ceiling "
              f"{'none (KV traffic keeps it memory-bound)' if tok_ceiling is None else f'{tok_ceiling:.0f}'}"),
    ]
    if crossover_hand is None:
        cross_en = "it never becomes compute-bound: each sequence's KV reads grow as fast as its FLOPs"
        cross_zh = "永远不会变成算力瓶颈：每个序列的 KV 读取与它的计算量同步增长"
    else:
        cross_en = f"it turns compute-bound from batch {crossover_hand}"
        cross_zh = f"批大小到 {crossover_hand} 才转为算力瓶颈"
    only_en, only_zh = ("only ", "只需") if memory_bound_1 else ("", "需要（已受算力限制）")
    takeaway = {
        "zh": (f"{p['params_b']:g}B 参数、{p['weight_bits']} 位权重 = {weight_bytes / 1e9:.1f} GB；假设带宽 "
               f"{p['bandwidth_tbs']:g} TB/s、算力 {p['peak_tflops']:g} TFLOP/s（屋顶线拐点 {ridge:.3g} FLOP/字节）。"
               f"批大小 1 时每步 {times[0] * 1e3:.2f} ms（约 {1 / times[0]:.0f} 词元/秒），其中计算{only_zh} "
               f"{2 * n / peak * 1e3:.3f} ms，算术强度 {intensity_1:.2f} FLOP/字节；{cross_zh}。批大小 "
               f"{p['max_batch']} 时每步 {times[-1] * 1e3:.2f} ms、吞吐 {tput[-1]:.0f} 词元/秒：批大小放大 "
               f"{p['max_batch']} 倍，每步时间变为 {times[-1] / times[0]:.2f} 倍，"
               f"吞吐变为 {tput[-1] / tput[0]:.1f} 倍。"),
        "en": (f"{p['params_b']:g}B parameters at {p['weight_bits']} bits = {weight_bytes / 1e9:.1f} GB; assumed "
               f"{p['bandwidth_tbs']:g} TB/s and {p['peak_tflops']:g} TFLOP/s (ridge {ridge:.3g} FLOPs/byte). "
               f"At batch 1 a step takes {times[0] * 1e3:.2f} ms (about {1 / times[0]:.0f} tokens/s) of which "
               f"compute needs {only_en}{2 * n / peak * 1e3:.3f} ms: intensity {intensity_1:.2f} FLOPs/byte; "
               f"{cross_en}. At batch {p['max_batch']} a step takes {times[-1] * 1e3:.2f} ms for "
               f"{tput[-1]:.0f} tokens/s: a "
               f"{p['max_batch']}× larger batch makes the step {times[-1] / times[0]:.2f}× longer and throughput "
               f"{tput[-1] / tput[0]:.1f}× higher."),
    }
    claim = {
        "zh": ("一步解码的耗时取计算时间与访存时间中较长的那个。权重每步只读一次，与批大小无关，"
               "所以加大批能把吞吐一路推到算力上限 peak/(2N)；但每个序列自己的 KV 读取也随批大小增长，"
               "缓存足够长时，解码在任何批大小下都受带宽限制。"),
        "en": ("A decode step takes the longer of its compute time and its memory time. The weights are read once per "
               "step whatever the batch, so batching raises throughput up to the compute ceiling peak/(2N); each "
               "sequence's own KV reads grow with the batch too, and a long enough cache keeps decode memory-bound "
               "at every batch."),
    }
    series = {"ms per decode step vs batch": Series.of(all_b, times * 1e3)}
    rows = []
    for b in batches:
        t, tc, tm = step_time(int(b), n, bpp, kv_seq, peak, bw)
        bound = "compute" if tc >= tm * (1 - 1e-12) else "memory"
        rows.append([int(b), t * 1e3, tc * 1e3, tm * 1e3, float(b / t), bound])
    table = {"columns": ["batch", "ms/step", "compute ms", "memory ms", "tokens/s", "bound"], "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
