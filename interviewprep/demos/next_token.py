"""Next-token prediction with a bigram model: the distribution, sampling temperature, and perplexity.

A language model outputs p(next token | context); here the context is one word and the probabilities
are add-α smoothed bigram counts from a tiny built-in corpus. Sampling at temperature T uses
softmax(log p / T): T → 0 is greedy argmax (entropy → 0), T → ∞ is uniform (entropy → log V).
Perplexity = exp(mean negative log-likelihood per token): the "effective number of choices".
"""

from __future__ import annotations

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric.functional import log_softmax, softmax

CORPUS = """
the model predicts the next token .
the model learns from data .
the network learns the weights from data .
a language model predicts the next word .
the next word depends on the context .
the model reads the context and predicts a token .
we train the network on a large corpus .
the corpus contains text from the web .
the loss measures how well the model predicts the data .
a small model learns a small corpus quickly .
the attention layer reads the whole context .
we sample the next token from the model .
the temperature controls how random the sample is .
a low temperature makes the model greedy .
a high temperature makes the sample random .
"""

HELD_OUT = """
the network predicts the next word .
a large model reads the text .
we train a small network on the data .
the sample depends on the temperature .
"""

CONTEXTS = ("the", "model", "a", "next", "we")


def tokenize(text):
    return [["<s>", *line.split()] for line in text.strip().splitlines()]


def bigram_model(sentences, vocab, alpha):
    """Add-α smoothed P[prev, next] over `vocab`; row i is p(· | vocab[i])."""
    index = {w: i for i, w in enumerate(vocab)}
    counts = np.zeros((len(vocab), len(vocab)))
    for sent in sentences:
        for a, b in zip(sent, sent[1:]):
            counts[index[a], index[b]] += 1
    probs = (counts + alpha) / (counts + alpha).sum(axis=1, keepdims=True)
    return counts, probs, index


def entropy(prob):
    prob = prob[prob > 0]
    return float(-(prob * np.log(prob)).sum())


@demo(
    id="next-token",
    title={"zh": "下一个词预测：分布、温度与困惑度",
           "en": "Next-token prediction: distribution, temperature, perplexity"},
    tags=["language-model", "llm", "next-token", "bigram", "temperature", "softmax", "perplexity", "sampling",
          "语言模型", "大语言模型", "温度", "困惑度", "采样"],
    params=[
        Param("temperature", float, 0.7, 0.01, 100.0, help={"zh": "采样温度 T", "en": "sampling temperature T"}),
        Param("context", str, "the", choices=CONTEXTS,
              help={"zh": "前一个词（上下文）", "en": "previous word (context)"}),
        Param("alpha", float, 0.1, 0.001, 10.0, help={"zh": "加 α 平滑系数", "en": "add-α smoothing constant"}),
    ],
)
def run(p, rng) -> Outcome:
    train, held = tokenize(CORPUS), tokenize(HELD_OUT)
    vocab = sorted({w for s in train for w in s})
    v = len(vocab)
    counts, probs, index = bigram_model(train, vocab, p["alpha"])
    row = index[p["context"]]
    logits = np.log(probs[row])  # log-probabilities as logits: softmax(logits / 1) = probs

    temps = np.geomspace(0.01, 100.0, 41)
    ent_curve = np.array([entropy(softmax(logits / t)) for t in temps])
    p_t = softmax(logits / p["temperature"])
    top = counts[row].max()
    top_words = [vocab[i] for i in np.flatnonzero(counts[row] == top)]
    top_mask = counts[row] == top
    cold = softmax(logits / 0.01)
    cold_mass = float(cold[top_mask].sum())
    hot_entropy = float(entropy(softmax(logits / 100.0)))
    # the sampling the model would do at this temperature
    draws = rng.choice(v, size=2000, p=p_t)
    sample_entropy = entropy(np.bincount(draws, minlength=v) / draws.size)

    # perplexity on held-out sentences (every held-out word is in the vocabulary)
    pairs = [(index[a], index[b]) for s in held for a, b in zip(s, s[1:])]
    nll_bigram = -np.mean([np.log(probs[a, b]) for a, b in pairs])
    unigram = np.array([sum(s.count(w) for s in train) for w in vocab], dtype=float) + p["alpha"]
    log_uni = log_softmax(np.log(unigram))
    nll_unigram = -np.mean([log_uni[b] for _, b in pairs])
    ppl_bigram, ppl_unigram = float(np.exp(nll_bigram)), float(np.exp(nll_unigram))

    order = np.argsort(p_t)[::-1][:5]
    metrics = {
        "vocab_size": v,
        "entropy_at_T": entropy(p_t),
        "entropy_at_T1": entropy(probs[row]),
        "entropy_uniform_logV": float(np.log(v)),
        "entropy_T_0.01": float(ent_curve[0]),
        "entropy_T_100": hot_entropy,
        "mass_on_most_frequent_at_T_0.01": cold_mass,
        "top_prob_at_T": float(p_t[order[0]]),
        "sampled_entropy_at_T": sample_entropy,
        "perplexity_bigram": ppl_bigram,
        "perplexity_unigram": ppl_unigram,
        "perplexity_uniform": float(v),
    }
    ctx, temp = p["context"], p["temperature"]
    checks = [
        check("entropy rises monotonically with temperature", bool(np.all(np.diff(ent_curve) > -1e-12)),
              f"H(T=0.01) = {ent_curve[0]:.3f} … H(T=1) = {entropy(probs[row]):.3f} … H(T=100) = {hot_entropy:.3f}"),
        check("T → 0 is greedy: T = 0.01 puts > 99% on the most frequent next word(s)", cold_mass > 0.99,
              f"{cold_mass:.4f} on {', '.join(top_words)}"),
        check("T → ∞ is uniform: H(T=100) within 2% of log V", abs(hot_entropy - np.log(v)) < 0.02 * np.log(v),
              f"{hot_entropy:.3f} vs log {v} = {np.log(v):.3f}"),
        check("held-out perplexity: bigram < unigram < V", ppl_bigram < ppl_unigram < v,
              f"{ppl_bigram:.1f} < {ppl_unigram:.1f} < {v}"),
    ]
    table = {"columns": ["next word", "p (T=1)", f"p (T={temp:g})", "count"],
             "rows": [[vocab[i], float(probs[row, i]), float(p_t[i]), int(counts[row, i])] for i in order]}
    takeaway = {
        "zh": (f"在“{ctx}”之后，二元模型 T=1 时的分布熵为 {entropy(probs[row]):.2f} nats；T={temp:g} 时为 "
               f"{entropy(p_t):.2f}，最可能的词是“{vocab[order[0]]}”（{p_t[order[0]]:.0%}）。T=0.01 时熵为 "
               f"{ent_curve[0]:.3f}，{cold_mass:.1%} 的概率落在最常见的下一个词上；T=100 时熵为 {hot_entropy:.2f}"
               f"（log {v} = {np.log(v):.2f}）。"
               f"留出集困惑度：二元 {ppl_bigram:.1f}，一元 {ppl_unigram:.1f}，均匀猜测 {v}。"),
        "en": (f"After '{ctx}', the bigram model's next-word entropy is {entropy(probs[row]):.2f} nats at T=1 and "
               f"{entropy(p_t):.2f} at T={temp:g}, where the top word is '{vocab[order[0]]}' ({p_t[order[0]]:.0%}). "
               f"At T=0.01 the entropy is {ent_curve[0]:.3f} with {cold_mass:.1%} on the most frequent next word(s); "
               f"at T=100 it is {hot_entropy:.2f} (log {v} = {np.log(v):.2f}). "
               f"Held-out perplexity: bigram {ppl_bigram:.1f}, unigram {ppl_unigram:.1f}, uniform guessing {v}."),
    }
    claim = {
        "zh": ("T→0 退化为取 argmax，T→∞ 趋于均匀，熵随温度单调上升；"
               "留出集上二元模型的困惑度低于一元模型，一元又低于均匀猜测：哪怕只看前一个词，选择也少了很多。"),
        "en": ("T→0 becomes argmax and T→∞ becomes uniform, with entropy rising in between; on held-out text the "
               "bigram's perplexity is below the unigram's, which is below uniform guessing: even one word of "
               "context narrows the choices."),
    }
    series = {"entropy vs temperature (log x)": Series.of(np.log10(temps), ent_curve)}
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
