"""Find cards by their question, answer and key points, in Chinese or English.

Matching is on normalized text (NFKC + case-fold, character by character so every match maps back
to a span of the original and can be highlighted). The whole query as one substring wins; failing
that, a card matches when every space-separated word of the query occurs in it, which serves both
"vanishing gradient" and "梯度 消失" without a word splitter. Results rank question hits above
key-point hits above answer hits, then keep bank order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from interviewprep.models import Card

FIELDS = ("question", "key_points", "answer")  # rank order
CONTEXT = 30


@dataclass(frozen=True)
class Hit:
    card: Card
    where: str  # "question (en)", "key point (zh)", ...
    snippet: str
    spans: tuple[tuple[int, int], ...]  # match positions inside the snippet
    rank: int


class _Folder(dict):
    """ord(char) -> NFKC + casefold of that char alone, computed once per character (a str.translate table)."""

    def __missing__(self, key):
        value = self[key] = unicodedata.normalize("NFKC", chr(key)).casefold()
        if len(value) != 1:
            _NOT_ONE_TO_ONE.add(chr(key))
        return value


_FOLD = _Folder()
_NOT_ONE_TO_ONE: set[str] = set()  # characters folding to more or fewer than one character


def fold_text(text: str) -> str:
    """fold(text)[0], without the index: what the search index stores and matches."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


def fold(text: str) -> tuple[str, list[int]]:
    """Normalized text and, for each of its characters, the index of the original character.

    Almost every character folds to exactly one character; then the index is the identity and the
    folding is one str.translate in C. Text holding a character such as "ﬁ", "ß" or "…" has the
    index built around those characters only (found by a regular expression), not character by character.
    """
    if text.isascii():
        return text.lower(), list(range(len(text)))
    folded = text.translate(_FOLD)
    special = _NOT_ONE_TO_ONE.intersection(text)
    if not special:
        return folded, list(range(len(text)))
    index: list[int] = []
    done = 0  # the original characters before this one are mapped
    for found in re.finditer("[" + "".join(re.escape(ch) for ch in sorted(special)) + "]", text):
        at = found.start()
        index.extend(range(done, at))
        index.extend([at] * len(_FOLD[ord(text[at])]))
        done = at + 1
    index.extend(range(done, len(text)))
    return folded, index


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Original-text spans of every occurrence of each needle, merged, in order."""
    plain = fold_text(text)
    if not any(needle in plain for needle in needles):
        return []  # most fields of a matching card: no index to build
    folded, index = fold(text)
    found = []
    for needle in needles:
        start = folded.find(needle)
        while start >= 0 and needle:
            end = start + len(needle)
            found.append((index[start], index[end - 1] + 1))
            start = folded.find(needle, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line window around the first match, with the spans that fall inside it."""
    first = spans[0][0]
    lo = max(0, first - CONTEXT)
    hi = min(len(text), spans[0][1] + CONTEXT * 2)
    inside = tuple((s - lo, e - lo) for s, e in spans if s >= lo and e <= hi)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    shift = len(prefix)
    return prefix + text[lo:hi] + suffix, tuple((s + shift, e + shift) for s, e in inside)


def _fields(card: Card, langs: tuple[str, ...]):
    """(field, language, text on one line) for every searchable text of the card, in rank order."""
    for name in FIELDS:
        value = getattr(card, name)
        for code in langs:
            item = value.get(code) if value else None
            if not item:
                continue
            if name == "key_points":
                for point in item:
                    yield name, code, " ".join(point.text.split())
            else:
                yield name, code, " ".join(str(item).split())


LABELS = {"question": "question", "key_points": "key point", "answer": "answer"}


def search(cards: list[Card], query: str, langs: tuple[str, ...] = ("zh", "en"), limit: int | None = None) -> list[Hit]:
    """Cards matching `query`, best first, each with the snippet of its best-ranked matching field."""
    phrase, _ = fold(" ".join(query.split()))
    words = [w for w in phrase.split(" ") if w]
    if not words:
        return []
    hits = []
    for order, card in enumerate(cards):
        fields = list(_fields(card, langs))
        whole = fold_text(" ".join(text for _, _, text in fields)) + " " + card.id
        exact = phrase in whole
        if not exact and not all(w in whole for w in words):
            continue
        needles = [phrase] if exact else words
        candidates = [(FIELDS.index(name), -len(spans), i, name, code, text, spans)
                      for i, (name, code, text) in enumerate(fields) if (spans := _spans(text, needles))]
        if candidates:
            *_, name, code, text, spans = min(candidates)
        else:  # only the id matched
            name, code, text, spans = "question", langs[0], fields[0][2] if fields else card.id, []
        snippet, inside = _snippet(text, spans) if spans else (text[: CONTEXT * 3], ())
        rank = FIELDS.index(name) * 2 + (0 if exact else 1)
        hits.append((rank, order, Hit(card, f"{LABELS[name]} ({code})", snippet, inside, rank)))
    hits.sort(key=lambda item: (item[0], item[1]))
    found = [h for _, _, h in hits]
    return found[:limit] if limit else found
