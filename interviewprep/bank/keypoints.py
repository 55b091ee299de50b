"""Which key points a typed answer already covers, in Chinese or English.

Why not a word splitter: Chinese has no spaces, and a tokenizer that breaks on whitespace sees a
whole Chinese sentence as one "word". So each key point is turned into *match terms* that work as
plain substrings of the normalized answer:

- Latin runs (English, and the "ReLU"/"softmax" inside Chinese points): content words, lower-cased,
  stop words dropped, stemmed lightly (the same stemmer runs over the answer, so "saturates" and
  "saturation" meet at "saturat");
- CJK runs: overlapping character bigrams, after splitting the run at stop-characters (的, 是, 和 ...),
  so "非线性的函数" gives 非线, 线性, 函数 and never the cross-word pair 性函.

A point is hit when at least `HIT_RATIO` of its terms occur. A bank may declare the terms itself,
as `{text: ..., match: [...], min: N}` (the loader keeps them in Card.key_point_match); each `match`
entry may hold alternatives separated by "|" (synonyms), and the point is hit when `min` entries
(default 1) occur.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

HIT_RATIO = 0.5

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
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ion", ""), ("ed", ""), ("es", ""), ("ly", ""),
             ("s", ""), ("e", ""))


def normalize(text: str) -> str:
    """NFKC + case-fold, so full-width "ＲｅＬＵ" and "relu" compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def stem(word: str) -> str:
    """Strip up to two common English suffixes ("functions" -> "function" -> "funct"), keeping three
    letters; words with digits are left alone."""
    for _ in range(2):
        if any(ch.isdigit() for ch in word) or word.endswith("ss"):
            return word
        for suffix, repl in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 3:
                word = word[: len(word) - len(suffix)] + repl
                if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]  # "mapping" -> "map"
                break
        else:
            return word
    return word


def _latin_words(text: str) -> list[str]:
    return [m.group(0) for m in _RUNS.finditer(text) if not _CJK_RUN.fullmatch(m.group(0))]


def derive_terms(text: str) -> tuple[str, ...]:
    """Match terms of one key point: stemmed content words and CJK bigrams, in order, no duplicates."""
    norm = normalize(text)
    terms: list[str] = []
    for match in _RUNS.finditer(norm):
        run = match.group(0)
        if _CJK_RUN.fullmatch(run):
            for piece in re.split("[" + "".join(sorted(STOP_CHARS)) + "]+", run):
                if len(piece) == 1 and len(run) == 1:
                    terms.append(piece)
                terms += [piece[i:i + 2] for i in range(len(piece) - 1)]
        elif run not in STOP_WORDS and (len(run) > 1 or run.isdigit()):
            terms.append(" " + stem(run) + " ")
    if not terms and norm.strip():  # a point made only of stop words ("one"): the point itself is the term
        words = _latin_words(norm)
        terms.append(" " + " ".join(stem(w) for w in words) + " " if words else re.sub(r"\s+", "", norm))
    return tuple(dict.fromkeys(terms))


@dataclass(frozen=True)
class KeyPoint:
    """A key point's text and the terms that show an answer covers it."""

    text: str
    terms: tuple[tuple[str, ...], ...]  # each entry: alternatives; an entry counts when any alternative occurs
    need: int

    @classmethod
    def from_raw(cls, raw) -> KeyPoint:
        """A plain string (today's bank) or a mapping {text, match: [..], min: N} (a possible later syntax)."""
        if isinstance(raw, dict):
            text = str(raw.get("text", ""))
            declared = [str(m) for m in raw.get("match") or []]
            if declared:
                entries = tuple(tuple(_declared_term(alt) for alt in m.split("|") if alt.strip()) for m in declared)
                return cls(text, entries, max(1, min(int(raw.get("min", 1)), len(entries))))
            raw = text
        terms = tuple((t,) for t in derive_terms(str(raw)))
        return cls(str(raw), terms, max(1, math.ceil(HIT_RATIO * len(terms))) if terms else 0)


def _declared_term(alt: str) -> str:
    """A declared keyword is matched like derived ones: Latin words stemmed and space-padded."""
    norm = normalize(alt.strip())
    if _CJK_RUN.search(norm):
        return re.sub(r"\s+", "", norm)
    return " " + " ".join(stem(w) for w in _latin_words(norm)) + " "


@dataclass(frozen=True)
class Coverage:
    point: KeyPoint
    found: tuple[str, ...]  # the terms (first alternative that occurred) seen in the answer

    @property
    def hit(self) -> bool:
        return self.point.need > 0 and len(self.found) >= self.point.need

    @property
    def ratio(self) -> float:
        return len(self.found) / len(self.point.terms) if self.point.terms else 0.0


def answer_forms(answer: str) -> tuple[str, str]:
    """The answer as (CJK form without spaces, stemmed Latin words padded with spaces)."""
    norm = normalize(answer)
    cjk = re.sub(r"\s+", "", norm)
    latin = " " + " ".join(stem(w) for w in _latin_words(norm)) + " "
    return cjk, latin


def _occurs(term: str, forms: tuple[str, str]) -> bool:
    cjk, latin = forms
    return term in latin if term.startswith(" ") else term in cjk


def cover(points: list, answer: str) -> list[Coverage]:
    """Coverage of each key point (strings or {text, match} mappings) by the answer text."""
    forms = answer_forms(answer or "")
    out = []
    for raw in points:
        point = raw if isinstance(raw, KeyPoint) else KeyPoint.from_raw(raw)
        found = []
        for alternatives in point.terms:
            seen = next((alt for alt in alternatives if _occurs(alt, forms)), None)
            if seen is not None:
                found.append(seen.strip())
        out.append(Coverage(point, tuple(found)))
    return out


def card_points(card, lang: str) -> list:
    """The card's key points in the language(s) asked for (`both` gives zh then en)."""
    codes = ("zh", "en") if lang == "both" else (lang,)
    present = [c for c in codes if card.key_points.get(c)] or [c for c, v in card.key_points.items() if v][:1]
    declared = getattr(card, "key_point_match", {}) or {}
    points = []
    for code in present:  # a user bank may give one language only
        for i, text in enumerate(card.key_points[code]):
            match = declared.get(code, {}).get(i)
            points.append({"text": text, **match} if match else text)
    return points

