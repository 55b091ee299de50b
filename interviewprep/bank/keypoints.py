"""Which key points a typed answer already covers, in Chinese or English (or a mix of both).

Why not a word splitter: Chinese has no spaces, and a tokenizer that breaks on whitespace sees a
whole Chinese sentence as one "word". So each key point is turned into *match terms* that work as
plain substrings of the normalized answer:

- Latin runs (English, and the "ReLU"/"softmax" inside Chinese points): content words, lower-cased,
  stop words dropped, stemmed with the Snowball English stemmer (the same stemmer runs over the
  answer, so "dies", "died" and "dying" meet at "die", "normalization" and "normalize" at "normal");
- CJK runs: overlapping character bigrams, after splitting the run at stop-characters (的, 是, 和 ...),
  so "非线性的函数" gives 非线, 线性, 函数 and never the cross-word pair 性函.

Common synonyms are folded to one word on both sides before the terms are made (`SYNONYMS_EN`,
`SYNONYMS_ZH`: "filter" and "kernel", 权值 and 权重, "skip connection" and "shortcut"), so an answer
that says it in other common words still counts.

Scoring (`CompiledPoint`, `need_for`): a point's terms are weighed, an English word 1 and a CJK character
0.5; the words of the card's question weigh less (every answer repeats the topic), and so do the
words the whole field uses ("gradient", 训练) and numbers. A point is hit when the answer covers
`need_for(mass)` of it, with at least one word beyond the question's; or when its head (the concept it
names before a colon, "Weight sharing: ...") occurs whole. A formula the answer writes counts extra.
A bank may declare the terms itself, as `{text: ..., match: [...], min: N}`: the loader keeps them on
the point, models.KeyPoint(text, terms, minimum), the one type from the bank file to here, and
`CompiledPoint.of` turns it into what is looked for. Each `match` entry may hold alternatives
separated by "|" (synonyms), and the point is hit when `min` entries (default 1) occur, or through
its own words as above.

The constants were set by measuring precision and recall on tests/data/graded_answers.yaml (typed
answers graded by hand, written before this matcher), see tests/bank/test_grading_quality.py.

Fair grading: a card's key points come in two parallel lists (zh[i] and en[i] say the same thing), and
an answer is matched against both (`card_points`), so an English answer to a card shown in Chinese is
graded on what it says, not on the language it is written in.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from interviewprep.models import KeyPoint

HIT_RATIO = 0.45  # the share of a short point's mass an answer must cover
LONG_POINT = 3  # mass (words) up to which HIT_RATIO applies
LONG_RATIO = 0.12  # the share of each further unit of mass a long point needs
TOPIC_WEIGHT = 0.25  # a word of the question: every answer repeats it, so it shows little
WEAK_WEIGHT = 0.5  # a word of the whole field (GENERIC), a bare 0 or 1, or a number
LONE_CHAR_CREDIT = 0.3  # a character the answer has, but not in a bigram of the point: part credit
STRONG_MIN = 1.0  # mass beyond the question's words that must occur (a word, or two CJK characters)
HEAD_MIN_TERMS = 2  # a head names a concept only with two words or more ("Backward:" is a label)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+(?:[.'][^\W_{_CJK}]+)*")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
STOP_CHARS = set("的地得了着是在和与或及也都就而被把对将其之等这那个一些会能可用为它他们我你吗呢吧啊")
STOP_WORDS = set("""
a an the and or of to in on at by for from with without into onto as is are was were be been being it its
this that these those there their they them than then so such not no nor but if when while which who whom
what how why can could may might must should would will shall do does did done has have had having also
very more most much many some any each every all both either neither one only just like mainly used use
uses using via per e.g i.e etc vs about over under between after before because thus hence whose
""".split())

# Words an answer may use for the same thing. The first word of a group is the one kept; matching runs
# on stems, so one form of each word is enough ("filters" finds "filter"). Multi-word phrases are
# folded first, on the normalized text.
SYNONYMS_EN = [
    "kernel filter", "neuron unit node", "weight parameter param", "large big huge", "small tiny",
    "gradient derivative slope grad", "position location place", "learnable learn trainable",
    "fast quick", "image picture", "example sample", "die dead", "shortcut skip", "same identical equal",
    "downsample subsample", "network net", "convolution conv convolutional", "reduce lower decrease cut",
    "increase raise grow", "stop halt", "zero 0", "noise noisy", "explode explosion exploding",
    "vanish vanishing", "init initialization initialize initialise initialisation", "typical usual common often",
    "early first shallow", "barely hardly", "accelerate speed", "cap limit clip bound", "size magnitude",
    "q query queries", "k key keys", "v value values", "average mean", "monitor watch track",
]
# Words that a third of the built-in cards or more use in their key points ("gradient", 训练): an
# answer says them whatever it knows, so they weigh WEAK_WEIGHT
GENERIC = """zero 1 gradient weight layer train data output input model network function loss step learn
梯度 训练 学习 模型 参数 数据 输出 权重 输入 网络 函数 样本 计算 通常""".split()
# single letters are no match terms ("x", "z" in formulas), except these, which name things
LETTERS = set("qkv")
PHRASES_EN = {
    r"fully[- ]connected|dense layer": "fc", r"learning[- ]rates?": "lr", r"batch[- ]?norm(?:alization)?": "bn",
    r"skip[- ]connections?|residual connections?|identity connections?": "shortcut",
    r"mini[- ]?batch(es)?": "batch", r"back[- ]?propagation|backprop|backward pass": "backprop",
}
SYNONYMS_ZH = [
    "权重 权值", "卷积核 滤波器", "单元 神经元", "下采样 降采样", "振荡 震荡", "死亡 死掉", "大小 尺寸",
    "无关 没关系 没有关系 不相关", "捷径 跳跃连接 跳连 残差连接", "置零 置为零 置0 置为0",
    "梯度 导数", "减少 降低 减小", "通常 一般 常用 常见", "限制 约束",
]
# Formulas ("y = F(x) + x") are matched whole, spaces dropped and each lone letter read as "x", so
# "max(0, x)" says what "max(0, z)" says. A formula the answer writes counts as FORMULA_WEIGHT words;
# one it does not write costs nothing (it may say the same in words).
_OPERATOR = re.compile(r"[=+*/^·]|[^\W\d_]′?\(")
_FORMULA_SPACES = re.compile(r"\s*([=+*/·^<>≤≥≈-])\s*")
_FORMULA_TOKEN = re.compile(rf"[^\s{_CJK}，；：。、（）]+")
_NUMBER = re.compile(r"[\d.,]+")
_LONE_LETTER = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,2}(?![^\W\d_])")  # "x", "σ", "xi": names of variables
FORMULA_WEIGHT = 1.5


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer  # pure Python, but only the matcher needs it

    return snowballstemmer.stemmer("english")


def _groups(groups: list[str]) -> dict[str, str]:
    return {word: group.split()[0] for group in groups for word in group.split()}


@lru_cache(maxsize=1)
def _folds() -> tuple[dict[str, str], list[tuple[re.Pattern, str]], re.Pattern, dict[str, str]]:
    en = {_stemmer().stemWord(w): _stemmer().stemWord(c) for w, c in _groups(SYNONYMS_EN).items()}
    phrases = [(re.compile(rf"(?<![^\W_]){p}(?![^\W_])"), r) for p, r in PHRASES_EN.items()]
    zh = {w: c for w, c in _groups(SYNONYMS_ZH).items() if w != c}
    zh_re = re.compile("|".join(re.escape(w) for w in sorted(zh, key=len, reverse=True)))
    return en, phrases, zh_re, zh


def normalize(text: str) -> str:
    """NFKC + case-fold, so full-width "ＲｅＬＵ" and "relu" compare equal; "×" is "x" ("3×3" and
    "3x3") and the minus sign is "-"."""
    return unicodedata.normalize("NFKC", text).casefold().replace("×", "x").replace("−", "-")


def _folded(text: str) -> str:
    """Normalized text with multi-word English phrases and Chinese synonyms replaced by one form."""
    _, phrases, zh_re, zh = _folds()
    norm = normalize(text)
    for pattern, repl in phrases:
        norm = pattern.sub(repl, norm)
    return zh_re.sub(lambda m: zh[m.group(0)], norm)


def stem(word: str) -> str:
    """The Snowball English stem ("functions" -> "function", "dying" -> "die"); words with digits are
    left alone ("l2", "3x3")."""
    if any(ch.isdigit() for ch in word):
        return word
    return _stemmer().stemWord(word)


def _term(word: str) -> str:
    """A word's stem with its synonym group folded in."""
    stemmed = stem(word)
    return _folds()[0].get(stemmed, stemmed)


def _latin_words(text: str) -> list[str]:
    return [m.group(0) for m in _RUNS.finditer(text) if not _CJK_RUN.fullmatch(m.group(0))]


def _split_cjk(run: str) -> list[str]:
    return re.split("[" + "".join(sorted(STOP_CHARS)) + "]+", run)


def derive_terms(text: str) -> tuple[str, ...]:
    """Match terms of one key point: stemmed content words and CJK bigrams, in order, no duplicates."""
    norm = _folded(text)
    terms: list[str] = []
    for match in _RUNS.finditer(norm):
        run = match.group(0)
        if _CJK_RUN.fullmatch(run):
            for piece in _split_cjk(run):
                if len(piece) == 1 and len(run) == 1:
                    terms.append(piece)
                terms += [piece[i:i + 2] for i in range(len(piece) - 1)]
        elif run not in STOP_WORDS and (len(run) > 1 or run.isdigit() or run in LETTERS):
            terms.append(" " + _term(run) + " ")
    if not terms and norm.strip():  # a point made only of stop words ("one"): the point itself is the term
        words = _latin_words(norm)
        terms.append(" " + " ".join(_term(w) for w in words) + " " if words else re.sub(r"\s+", "", norm))
    return tuple(dict.fromkeys(terms))


def formulas(text: str) -> tuple[str, ...]:
    """The formulas in a text ("y = F(x) + x" -> "x=x(x)+x"): tokens with an operator or a call, spaces
    around operators dropped, each name of one or two letters read as "x" (names of variables vary
    between answers: z or x, x or xᵢ)."""
    compact = _FORMULA_SPACES.sub(r"\1", normalize(text.replace("×", "*")).replace("**", " ").replace("·", ""))
    tokens: list[str] = []
    for token in _FORMULA_TOKEN.findall(compact):
        if tokens and tokens[-1].count("(") > tokens[-1].count(")"):
            tokens[-1] += token  # "max(0," and "z)" are one call
        else:
            tokens.append(token)
    out = []
    for token in tokens:
        token = _LONE_LETTER.sub("x", token.strip(".,;:"))
        token = re.sub(r"x(?:_x)+(?![^\W_])", "x", token)  # "K_h" is a name too
        bare = token.replace("(x)", "")  # "p_data(x)" and "p_data" name the same thing
        sides = token.split("=") + bare.split("=")
        for part in [token, bare] + (sides if len(sides) > 2 else []):
            if len(part) >= 5 and _OPERATOR.search(part):
                out.append(part)
    return tuple(dict.fromkeys(out))


def _head(text: str) -> tuple[str, ...]:
    """The terms of the concept a point names before its colon ("Local connectivity: ..."), if it names one."""
    parts = re.split("[:：]", text, maxsplit=1)
    if len(parts) < 2:
        return ()
    terms = derive_terms(parts[0])
    cjk = [t for t in terms if not t.startswith(" ")]
    latin = [t for t in terms if t.startswith(" ")]
    # CJK heads need three bigrams (four characters): "局部连接" names a concept, "反向" is a label
    return terms if len(latin) >= HEAD_MIN_TERMS or len(cjk) >= HEAD_MIN_TERMS + 1 else ()


def need_for(mass: float) -> float:
    """How much of a point's mass an answer must cover: all of a point of two words or fewer (but see
    `_enough`), nearly half of a short one, and little of each further unit of a long one (a point that packs a fact, an
    example and a caveat is covered by an answer that says the fact)."""
    if mass <= 2:
        return mass
    if mass <= LONG_POINT:
        return HIT_RATIO * mass
    return HIT_RATIO * LONG_POINT + LONG_RATIO * (mass - LONG_POINT)


@dataclass(frozen=True)
class CompiledPoint:
    """A key point's text and the terms that show an answer covers it.

    Derived points are scored by *mass*: each Latin word counts 1 and each CJK character 0.5 (so a
    two-character word weighs what an English word does), and a CJK character counts as covered when
    a bigram holding it occurs in the answer. Declared points count their `match` entries against
    `need`; their text's own words, scored as a derived point's, are a second way in (`derived`).
    `also` holds the same point in the card's other language: the point is hit when any form is.
    """

    text: str
    terms: tuple[tuple[str, ...], ...]  # each entry: alternatives; an entry counts when any alternative occurs
    need: int
    head: tuple[str, ...] = ()  # terms of the named concept before a colon; all present also hits
    also: tuple[CompiledPoint, ...] = ()
    pieces: tuple[str, ...] = ()  # CJK runs of a derived point, split at stop characters
    derived: CompiledPoint | None = None  # for a declared point: the same text as a derived point
    formulas: tuple[str, ...] = ()  # its formulas, matched whole (`formulas`); a bonus, not a need
    topic: frozenset[str] = frozenset()  # terms of the card's question (`card_points`)

    @classmethod
    def of(cls, point: KeyPoint | str) -> CompiledPoint:
        """A card's key point (or a bare text) as the terms to look for: its declared ones, if any,
        with its text's own words as a second way in; else its text's words alone."""
        if isinstance(point, CompiledPoint):
            return point
        if not isinstance(point, KeyPoint):
            point = KeyPoint(str(point))
        text = point.text
        if point.terms:
            entries = tuple(tuple(_declared_term(alt) for alt in m.split("|") if alt.strip()) for m in point.terms)
            return cls(text, entries, max(1, min(point.minimum, len(entries))), derived=cls.of(text))
        terms = tuple((t,) for t in derive_terms(text))
        return cls(text, terms, max(1, math.ceil(HIT_RATIO * len(terms))) if terms else 0, _head(text),
                   pieces=_pieces(text), formulas=formulas(text))

    def forms(self) -> tuple[CompiledPoint, ...]:
        return (self, *self.also)


def _pieces(text: str) -> tuple[str, ...]:
    runs = _CJK_RUN.findall(_folded(text))
    return tuple(p for run in runs for p in (_split_cjk(run) if len(run) > 1 else [run]) if len(p) > 1 or len(run) == 1)


def _declared_term(alt: str) -> str:
    """A declared keyword is matched like derived ones: Latin words stemmed and space-padded. A
    declared word that is itself a prefix ("normaliz") also matches the words it begins (a "*" marks
    that internally)."""
    norm = _folded(alt.strip())
    if _CJK_RUN.search(norm):
        return re.sub(r"\s+", "", norm)
    words = _latin_words(norm)
    return " " + " ".join(_term(w) for w in words) + " " + ("*" + " ".join(words) if words else "")


@dataclass(frozen=True)
class Coverage:
    point: CompiledPoint
    found: tuple[str, ...]  # the terms (first alternative that occurred) seen in the answer, best form
    hit: bool = False

    @property
    def ratio(self) -> float:
        return len(self.found) / len(self.point.terms) if self.point.terms else 0.0


@dataclass(frozen=True)
class AnswerForms:
    cjk: str  # folded text without spaces, for CJK terms
    bare: str  # the same without stop characters ("完整的网络" says "完整网络")
    latin: str  # folded, stemmed Latin words padded with spaces
    raw: str  # folded Latin words unstemmed, padded with spaces (for declared prefixes)
    formulas: str  # the answer's formulas, space-separated


def answer_forms(answer: str) -> AnswerForms:
    """The answer as the strings match terms are looked up in."""
    norm = _folded(answer)
    words = _latin_words(norm)
    cjk = re.sub(r"\s+", "", norm)
    return AnswerForms(cjk, "".join(ch for ch in cjk if ch not in STOP_CHARS),
                       " " + " ".join(_term(w) for w in words) + " ", " " + " ".join(words) + " ",
                       " ".join(formulas(answer)))


def _occurs(term: str, forms: AnswerForms) -> bool:
    if not term.startswith(" "):
        return term in forms.cjk or term in forms.bare
    stemmed, star, prefix = term.partition("*")
    return stemmed in forms.latin or bool(star and prefix and " " + prefix in forms.raw)


def _weight(term: str, topic: frozenset[str]) -> float:
    """A term the question already says (its topic) shows little, and so do the words every answer
    in the field uses (`GENERIC`), a bare 0 or 1, and numbers: they weigh less."""
    if term in topic:
        return TOPIC_WEIGHT
    word = term.strip()
    if word in _generic() or _NUMBER.fullmatch(word):
        return WEAK_WEIGHT
    return 1.0


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(t.strip() for word in GENERIC for t in derive_terms(word))


class Score(NamedTuple):
    """What an answer covers of one form of a point, in mass (see CompiledPoint)."""

    found: tuple[str, ...]
    covered: float
    total: float
    strong: float  # covered mass beyond the question's words
    strong_total: float
    missing_full: float  # mass of full-weight words (not question, field or number words) not covered
    formula: bool  # the answer writes one of the point's formulas

    def enough(self) -> bool:
        """Covered enough of the point, and not only through the question's words (when the point has
        others). A point of two words or fewer needs each of its full-weight words ("Input
        normalization" is said by "normalize it")."""
        if self.total <= 0:
            return False
        if self.total <= 2:
            return (self.missing_full < 1e-9 or self.formula) and self.covered > 0
        return (self.covered >= need_for(self.total) - 1e-9
                and self.strong >= min(STRONG_MIN, self.strong_total / 2) - 1e-9)


def _mass(point: CompiledPoint, forms: AnswerForms) -> Score:
    """How much of a derived point the answer covers."""
    found: list[str] = []
    covered = total = strong = strong_total = missing_full = 0.0

    def count(weight: float, seen: bool, topic: float, full: float, credit: float = 0.0) -> None:
        nonlocal covered, total, strong, strong_total, missing_full
        total += weight
        strong_total += weight if weight > topic else 0.0
        if seen:
            covered += weight
            strong += weight if weight > topic else 0.0
        else:
            covered += credit * weight
            missing_full += weight if weight >= full else 0.0

    for alts in point.terms:
        term = alts[0]
        if term.startswith(" "):
            seen = _occurs(term, forms)
            count(_weight(term, point.topic), seen, TOPIC_WEIGHT, 1.0)
            if seen:
                found.append(term.strip())
    if point.formulas:  # a formula and its sides are one thing said: the best of them counts
        seen = [f for f in point.formulas if f in forms.formulas]
        if seen:  # writing the formula is strong evidence; not writing it (words instead) costs nothing
            covered += FORMULA_WEIGHT
            strong += FORMULA_WEIGHT
            found.append(seen[0])
        if not point.terms and not point.pieces:
            total += FORMULA_WEIGHT
            strong_total += FORMULA_WEIGHT
            missing_full += 0.0 if seen else FORMULA_WEIGHT
    for piece in point.pieces:
        if len(piece) == 1:
            count(0.5, piece in forms.cjk, 0.5 * TOPIC_WEIGHT, 0.5)
            continue
        bigrams = [piece[i:i + 2] for i in range(len(piece) - 1)]
        weights = [0.5] * len(piece)  # a character of the question's words weighs as a topic term does
        for i, bigram in enumerate(bigrams):
            weight = _weight(bigram, point.topic)
            if weight < 1:
                weights[i], weights[i + 1] = min(weights[i], 0.5 * weight), min(weights[i + 1], 0.5 * weight)
        seen = [False] * len(piece)
        for i, bigram in enumerate(bigrams):
            if _occurs(bigram, forms):
                seen[i] = seen[i + 1] = True
                found.append(bigram)
        for weight, whole, ch in zip(weights, seen, piece):
            count(weight, whole, 0.5 * TOPIC_WEIGHT, 0.5, LONE_CHAR_CREDIT if ch in forms.cjk else 0.0)
    return Score(tuple(dict.fromkeys(found)), covered, total, strong, strong_total, missing_full,
                 any(f in forms.formulas for f in point.formulas))


def _found(point: CompiledPoint, forms: AnswerForms) -> tuple[tuple[str, ...], bool]:
    """The terms of one form of a point that occur in the answer, and whether they make it a hit."""
    if point.derived is None:
        score = _mass(point, forms)
        found, hit = score.found, score.enough()
    else:
        found = tuple(seen.partition("*")[0].strip() for alternatives in point.terms
                      for seen in [next((alt for alt in alternatives if _occurs(alt, forms)), None)] if seen)
        hit = point.need > 0 and len(found) >= point.need
        if not hit:
            own = _mass(point.derived, forms)
            hit = own.enough()
            found = found if len(found) or not hit else own.found
    if not hit and point.head:
        hit = all(_occurs(t, forms) for t in point.head)
    return tuple(found), hit


def cover(points: list, answer: str) -> list[Coverage]:
    """Coverage of each key point (`card_points`' CompiledPoints, KeyPoints or bare texts) by the answer text."""
    forms = answer_forms(answer or "")
    out = []
    for raw in points:
        point = CompiledPoint.of(raw)
        results = [_found(form, forms) for form in point.forms()]
        hit = any(h for _, h in results)
        best = max(range(len(results)), key=lambda i: (results[i][1], len(results[i][0]) / max(1, len(
            point.forms()[i].terms))))
        out.append(Coverage(point, results[best][0], hit))
    return out


def _with_topic(point: CompiledPoint, topic: frozenset[str]) -> CompiledPoint:
    derived = _with_topic(point.derived, topic) if point.derived else None
    return dataclasses.replace(point, topic=topic, derived=derived)


def card_points(card, lang: str) -> list[CompiledPoint]:
    """The card's key points, shown in `lang` (`both`: "zh / en"), each matched in both languages.

    A user bank may give one language only, or lists of different lengths: a point then has the forms
    that exist at its index.
    """
    codes = [c for c in ("zh", "en") if card.key_points.get(c)] or [c for c, v in card.key_points.items() if v][:1]
    if not codes:
        return []
    shown = lang if lang in codes else codes[0]
    question = card.question if isinstance(card.question, dict) else {"en": str(card.question)}
    topic = frozenset(t for text in question.values() for t in derive_terms(str(text)))
    points = []
    for i in range(len(card.key_points[shown])):
        forms = [_with_topic(CompiledPoint.of(card.key_points[shown][i]), topic)]
        forms += [_with_topic(CompiledPoint.of(card.key_points[c][i]), topic) for c in codes
                  if c != shown and i < len(card.key_points[c])]
        text = forms[0].text
        if lang == "both" and len(forms) > 1:
            text = " / ".join(f.text for f in forms)
        points.append(dataclasses.replace(forms[0], text=text, also=tuple(forms[1:])))
    return points
