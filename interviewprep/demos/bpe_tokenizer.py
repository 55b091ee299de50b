"""Byte-level BPE trained on a small built-in English + Chinese corpus.

Training starts from UTF-8 bytes (vocabulary 256), pre-splits the text into chunks (a word with its
leading space, one digit, a run of CJK characters, punctuation), and repeatedly merges the most
frequent adjacent pair inside chunks into a new token. Each merge shortens the corpus by exactly the
number of non-overlapping occurrences it replaces, so the token count can only fall. Decoding
concatenates the bytes of the tokens, so encode → decode is lossless for any text, even characters
never seen in training (they fall back to raw bytes). A Chinese character is 3 UTF-8 bytes, so it
starts at 3 tokens per character and needs many merges before it costs about one.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, Series, check, with_failures
from interviewprep.demos.spec import Param

ENGLISH = (
    "The model reads text as a sequence of tokens, not letters. A tokenizer splits the text into pieces "
    "that appear often in the training data, so common words become one token and rare words are broken "
    "into several pieces. The same word can be split in different ways when it starts a sentence or "
    "follows a space, and the model never sees the letters inside a token. This is why counting the "
    "letters in a word is hard for a language model, and why long numbers are split into chunks that do "
    "not line up with their digits. Training a tokenizer on more data in one language makes that language "
    "cheaper: each token covers more characters, the context window holds more text, and generation "
    "needs fewer steps. A tokenizer trained mostly on English text spends more tokens on other languages. "
)
CHINESE = (
    "模型读到的不是字母而是词元。分词器把文本切成训练数据里经常出现的片段，常见的词变成一个词元，"
    "少见的词被拆成几段。中文每个汉字在 UTF-8 编码里占三个字节，如果分词器主要用英文训练，"
    "一个汉字可能要用两三个词元来表示，同样长度的上下文窗口能装下的中文就更少，生成也需要更多步。"
    "训练数据里中文越多，常见的汉字和词语就越早被合并成一个词元，中文的成本就越低。"
    "模型看不到词元内部的字母，所以数一个词里有几个字母对它来说并不容易。"
)
CORPUS = ENGLISH + CHINESE
HELD_OUT = "Tokenizers 🙂 handle naïve café and 分词 12345 + 678 = 13023 without loss."
_CHUNK = re.compile(r" ?[A-Za-z]+| ?\d|[\u3400-\u9fff]+| ?[^\sA-Za-z\d\u3400-\u9fff]+|\s+")


def chunks(text: str) -> list[str]:
    """Pre-tokenization: merges never cross a chunk boundary."""
    return _CHUNK.findall(text)


def merge_word(word: tuple, pair: tuple, new: int) -> tuple:
    """Replace each non-overlapping occurrence of `pair` in `word`, left to right, by `new`."""
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == pair[0] and word[i + 1] == pair[1]:
            out.append(new)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def count_occurrences(word: tuple, pair: tuple) -> int:
    """Non-overlapping left-to-right occurrences of `pair`, by a plain scan (independent of merge_word)."""
    n, i = 0, 0
    while i + 1 < len(word):
        if word[i] == pair[0] and word[i + 1] == pair[1]:
            n += 1
            i += 2
        else:
            i += 1
    return n


def train(text: str, merges: int):
    """BPE training on chunk frequencies. Returns the merges (pair, new id, pair frequency), the vocabulary
    (id → bytes), the corpus token count before and after each merge, and for each merge the
    non-overlapping occurrences of its pair counted by a plain scan before merging."""
    words = Counter(tuple(c.encode("utf-8")) for c in chunks(text))
    vocab = {i: bytes([i]) for i in range(256)}
    merge_list, counts, occurrences = [], [sum(len(w) * f for w, f in words.items())], []
    for _ in range(merges):
        pairs = Counter()
        for w, f in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += f
        if not pairs:
            break
        pair, freq = max(pairs.items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))
        if freq < 2:
            break
        new = 256 + len(merge_list)
        vocab[new] = vocab[pair[0]] + vocab[pair[1]]
        occurrences.append(sum(count_occurrences(w, pair) * f for w, f in words.items()))
        merged = Counter()
        for w, f in words.items():
            merged[merge_word(w, pair, new)] += f
        words = merged
        merge_list.append((pair, new, freq))
        counts.append(sum(len(w) * f for w, f in words.items()))
    return merge_list, vocab, counts, occurrences


def encode(text: str, merge_list, limit: int | None = None) -> list[int]:
    """Encode new text with the first `limit` learned merges: inside each chunk, repeatedly merge the
    adjacent pair that was learned earliest (the usual BPE encoder, equivalent to replaying the merges)."""
    rank = {pair: (r, new) for r, (pair, new, _) in enumerate(merge_list[:limit])}
    cache, out = {}, []
    for c in chunks(text):
        if c not in cache:
            word = list(c.encode("utf-8"))
            while len(word) > 1:
                best = min(((rank[(a, b)][0], i) for i, (a, b) in enumerate(zip(word, word[1:]))
                            if (a, b) in rank), default=None)
                if best is None:
                    break
                pair = (word[best[1]], word[best[1] + 1])
                word = list(merge_word(tuple(word), pair, rank[pair][1]))
            cache[c] = word
        out.extend(cache[c])
    return out


def decode(ids, vocab) -> str:
    return b"".join(vocab[i] for i in ids).decode("utf-8")


def show(token: bytes) -> str:
    return token.decode("utf-8", errors="backslashreplace").replace(" ", "␣").replace("\n", "⏎")


@demo(
    id="bpe-tokenizer",
    title={"zh": "字节级 BPE 分词：合并、词表大小与每字符词元数",
           "en": "Byte-level BPE: merges, vocabulary size and tokens per character"},
    tags=["tokenizer", "tokenization", "bpe", "byte-level", "vocabulary", "subword", "chinese", "llm",
          "分词", "分词器", "词元", "词表", "字节", "中文"],
    params=[
        Param("merges", int, 150, 0, 400, help={"zh": "BPE 合并次数（词表 = 256 + 合并数）",
                                                 "en": "number of BPE merges (vocabulary = 256 + merges)"}),
    ],
)
def run(p, rng) -> Outcome:
    merge_list, vocab, counts, occ = train(CORPUS, p["merges"])
    learned = len(merge_list)
    size = 256 + learned
    corpus_ids = encode(CORPUS, merge_list)
    held_ids = encode(HELD_OUT, merge_list)
    lossless = decode(corpus_ids, vocab) == CORPUS and decode(held_ids, vocab) == HELD_OUT
    drops = np.diff(np.array(counts))
    exact = bool(np.array_equal(-drops, np.array(occ, dtype=int))) if learned else True
    falling = bool(np.all(drops < 0)) if learned else True
    en_tpc = len(encode(ENGLISH, merge_list)) / len(ENGLISH)
    zh_tpc = len(encode(CHINESE, merge_list)) / len(CHINESE)
    en_bytes = len(ENGLISH.encode("utf-8")) / len(ENGLISH)
    zh_bytes = len(CHINESE.encode("utf-8")) / len(CHINESE)
    number = "12345"
    number_tokens = len(encode(number, merge_list))
    metrics = {
        "merges_learned": learned,
        "vocab_size": size,
        "corpus_chars": len(CORPUS),
        "corpus_bytes": counts[0],
        "corpus_tokens": counts[-1],
        "english_tokens_per_char": en_tpc,
        "chinese_tokens_per_char": zh_tpc,
        "english_bytes_per_char": en_bytes,
        "chinese_bytes_per_char": zh_bytes,
        "held_out_tokens_per_char": len(held_ids) / len(HELD_OUT),
        "tokens_for_12345": number_tokens,
    }
    mismatch = int(np.sum(-drops != np.array(occ, dtype=int))) if learned else 0
    checks = [
        check("encode → decode is lossless, also for text with unseen characters", lossless,
              f"corpus ({len(CORPUS)} chars) and held-out {HELD_OUT[:24]!r}… round-trip "
              f"{'exactly' if lossless else 'with differences'}"),
        check("each merge shortens the corpus by exactly its pair's non-overlapping count, so the count falls",
              exact and falling,
              f"{learned} merges: {counts[0]} → {counts[-1]} tokens; {mismatch} merges differ from the plain count"),
        check("the encoder applied to the raw corpus reproduces the trainer's token count",
              len(corpus_ids) == counts[-1], f"encoder {len(corpus_ids)}, trainer {counts[-1]}"),
    ]
    head = merge_list[:8]
    table = {"columns": ["rank", "merged token", "pair count"],
             "rows": [[r + 1, show(vocab[new]), f] for r, (_, new, f) in enumerate(head)]}
    grid = sorted({0, *range(0, learned + 1, max(1, learned // 12)), learned})
    en_curve = [len(encode(ENGLISH, merge_list, k)) / len(ENGLISH) for k in grid]
    zh_curve = [len(encode(CHINESE, merge_list, k)) / len(CHINESE) for k in grid]
    sizes = [256 + k for k in grid]
    series = {"English tokens per character vs vocabulary size": Series.of(sizes, en_curve),
              "Chinese tokens per character vs vocabulary size": Series.of(sizes, zh_curve)}
    ok_zh = "无损" if lossless else "有损（出错了）"
    ok_en = "lossless" if lossless else "NOT lossless (a bug)"
    mono_zh = ("每次合并正好减少该词对的不重叠出现次数，词元数单调下降" if exact and falling
               else f"有 {mismatch} 次合并的减少量与直接计数不符")
    mono_en = ("each merge removes exactly its pair's non-overlapping occurrences, so the count only falls"
               if exact and falling else f"{mismatch} merges removed a different number than the plain count")
    if learned < p["merges"]:
        stop_zh = f"（要求 {p['merges']} 次，但之后没有出现两次以上的词对，训练提前停止）"
        stop_en = f" (of {p['merges']} asked: after that no pair occurs twice, so training stops)"
    else:
        stop_zh = stop_en = ""
    takeaway = {
        "zh": (f"学到 {learned} 次合并{stop_zh}（词表 {size}）：语料从 {counts[0]} 个字节降到 {counts[-1]} 个词元，"
               f"{mono_zh}。"
               f"英文每字符 {en_bytes:.2f} 字节 → {en_tpc:.2f} 个词元，中文每字符 {zh_bytes:.2f} 字节 → "
               f"{zh_tpc:.2f} 个词元。"
               f"“12345” 被预切分成单个数字，用 {number_tokens} 个词元。编码→解码{ok_zh}"
               f"（语料和一段含训练时没见过的表情、重音字母的留出文本都试过）。"),
        "en": (f"{learned} merges learned{stop_en} (vocabulary {size}): the corpus goes from {counts[0]} bytes to "
               f"{counts[-1]} tokens, and {mono_en}. English: {en_bytes:.2f} bytes → {en_tpc:.2f} tokens per "
               f"character; Chinese: {zh_bytes:.2f} bytes → {zh_tpc:.2f} tokens per character. '12345' is pre-split "
               f"into digits ({number_tokens} tokens). Encode → decode is {ok_en} on the corpus and on held-out "
               f"text with an emoji and accents never seen in training."),
    }
    claim = {
        "zh": ("汉字起点是 3 个字节，小语料里又少有重复，所以每个汉字花的词元比英文字母多；"
               "没见过的字符会退回字节表示，所以编码再解码不丢任何信息。"),
        "en": ("A Chinese character starts at 3 UTF-8 bytes and repeats less in a small corpus, so it costs more "
               "tokens than an English letter; and because unknown text falls back to bytes, encode → decode "
               "loses nothing."),
    }
    return Outcome(metrics, checks, with_failures(takeaway, checks), series, table, claim=claim)
