"""Turn one deck file into a Deck, recording every problem with its line and column.

The walker behind `bank.read`: it reads position-carrying YAML nodes (yamlnodes.py), checks each
field's type and value, and keeps going after a problem so that one pass reports everything.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from interviewprep.bank.files import NotReadable, read_regular
from interviewprep.bank.yamlnodes import (
    FLOAT,
    INT,
    MAX_FILE_BYTES,
    Problems,
    check_plain,
    compose,
    decode,
    mapping_items,
    sequence,
    string,
)
from interviewprep.models import LANGS, LEVELS, Card, Deck, DemoLink, KeyPoint

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_FIELDS = {"deck", "cards"}
DECK_FIELDS = {"id", "title", "description"}
CARD_FIELDS = {
    "id", "question", "answer", "key_points", "level", "tags", "sources",
    "pitfall", "demo", "see_also", "followups", "replaces", "references",
}
REFERENCE_FIELDS = {"title", "authors", "year", "arxiv", "url"}
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
YEARS = (1900, 2100)
REQUIRED_CARD_FIELDS = ("id", "question", "answer", "key_points", "level")
MAX_CARDS_PER_FILE = 5000
MAX_TEXT_CHARS = 20000


def read_deck(path: Path, builtin: bool, seeds: dict[str, str], out: list[str],
              marks: dict | None = None) -> Deck | None:
    """One deck file to a Deck, appending its problems to `out`; None when unusable.

    `marks`, when given, receives where each card's demo link was written, keyed by (path, card line):
    {"id": (line, col), "params": (line, col), "param": {name: (line, col)}}, so that a problem found
    later (a demo parameter the demo refuses) can point at the parameter rather than at the card.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()  # a file is ~50,000 short-lived acyclic objects: the cycle collector's passes over them
    try:          # were ~45% of a cold load; refcounting frees them, and the collector runs again after
        return _read_deck(path, builtin, seeds, out, marks)
    finally:
        if enabled:
            gc.enable()


def _read_deck(path: Path, builtin: bool, seeds: dict[str, str], out: list[str], marks: dict | None) -> Deck | None:
    problems = Problems(str(path), out)
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except NotReadable as exc:
        problems.at(1, 1, str(exc))
        return None
    text = decode(data, problems)
    if text is None:
        return None
    before = len(out)
    root = compose(text, problems)
    if root is None:
        if len(out) == before:
            problems.at(1, 1, "empty file: a deck needs `deck:` and `cards:`")
        return None
    if not check_plain(root, problems):
        return None
    return DeckReader(problems, builtin, seeds, marks).deck(root, path)


def _at(node) -> tuple[int, int]:
    """A node's 1-based (line, column)."""
    return node.start_mark.line + 1, node.start_mark.column + 1


class DeckReader:
    """Walks one file's node tree, turning it into a Deck and recording problems as it goes."""

    def __init__(self, problems: Problems, builtin: bool, seeds: dict[str, str], marks: dict | None = None):
        self.p = problems
        self.builtin = builtin
        self.seeds = seeds
        self.marks = marks
        self._demo_marks: dict | None = None

    def deck(self, root, path: Path) -> Deck | None:
        top = mapping_items(root, self.p, "a bank file")
        if top is None:
            return None
        self.unknown(top, TOP_FIELDS, "top level")
        if "deck" not in top:
            self.p.add(root, "missing `deck:` (id, title, description)")
            return None
        meta = mapping_items(top["deck"][1], self.p, "deck")
        if meta is None:
            return None
        self.unknown(meta, DECK_FIELDS, "deck")
        deck_id = self.slug(meta, "id", top["deck"][0], "deck.id")
        if "title" not in meta:
            self.p.add(top["deck"][1], "deck is missing required field `title`")
        title = self.text(meta, "title", top["deck"][0], "deck.title", required=True)
        description = self.text(meta, "description", top["deck"][0], "deck.description", required=False)
        if "cards" not in top:
            self.p.add(root, "missing `cards:` (a list of cards)")
            return None
        nodes = sequence(top["cards"][1], self.p, "cards") or []
        if len(nodes) > MAX_CARDS_PER_FILE:
            self.p.add(top["cards"][1], f"{len(nodes)} cards; a file is limited to {MAX_CARDS_PER_FILE}")
            return None
        if deck_id is None:
            return None
        cards = tuple(c for c in (self.card(n, deck_id, path) for n in nodes) if c is not None)
        return Deck(deck_id, title or {}, description or {}, str(path), cards)

    def card(self, node, deck_id: str, path: Path) -> Card | None:
        fields = mapping_items(node, self.p, "a card")
        if fields is None:
            return None
        self.unknown(fields, CARD_FIELDS, "card")
        for name in REQUIRED_CARD_FIELDS:
            if name not in fields:
                self.p.add(node, f"card is missing required field `{name}`")
        card_id = self.slug(fields, "id", node, "card id")
        question = self.text(fields, "question", node, "question")
        answer = self.text(fields, "answer", node, "answer")
        key_points = self.key_points(fields.get("key_points"))
        level = self.choice(fields.get("level"), LEVELS, "level")
        tags = self.strings(fields.get("tags"), "tags")
        sources = self.sources(fields.get("sources"))
        pitfall = self.text(fields, "pitfall", node, "pitfall", required=False)
        self._demo_marks = None
        demo = self.demo(fields.get("demo"))
        see_also = self.strings(fields.get("see_also"), "see_also")
        followups = self.followups(fields.get("followups"))
        replaces = self.strings(fields.get("replaces"), "replaces")
        references = self.references(fields.get("references"))
        if any(v is None for v in (card_id, question, answer, key_points, level, tags, sources, pitfall,
                                    see_also, followups, replaces, references)):
            return None
        data = {
            "id": card_id, "deck": deck_id, "question": question, "answer": answer,
            "key_points": key_points, "level": level, "tags": tags, "sources": sources,
            "pitfall": pitfall, "see_also": see_also, "followups": followups, "replaces": replaces,
            "references": references, "demo": demo.to_dict() if demo else None,
        }
        line = node.start_mark.line + 1
        if demo and self.marks is not None and self._demo_marks is not None:
            self.marks[(str(path), line)] = self._demo_marks
        return Card.from_dict(data, path=str(path), line=line)

    # -- field readers: each returns the value or None, recording problems --------------------

    def unknown(self, fields: dict, allowed: set[str], where: str) -> None:
        for name, (key, _) in fields.items():
            if name not in allowed:
                hint = _closest(name, allowed)
                self.p.add(key, f"unknown field '{name}' in {where}" + (f" (did you mean '{hint}'?)" if hint else ""))

    def slug(self, fields: dict, name: str, parent, what: str) -> str | None:
        if name not in fields:
            if what == "deck.id":
                self.p.add(parent, "deck is missing required field `id`")
            return None
        value = string(fields[name][1], self.p, what)
        if value is not None and not SLUG.match(value):
            self.p.add(fields[name][1], f"{what} '{value}' must be lowercase letters, digits and single hyphens")
            return None
        return value

    def text(self, fields: dict, name: str, parent, what: str, required: bool = True) -> dict | None:
        if name not in fields:
            return None if required else {}
        return self.lang_text(fields[name][1], what)

    def lang_text(self, node, what: str) -> dict | None:
        items = mapping_items(node, self.p, f"{what} (a mapping of zh/en)")
        if items is None:
            return None
        out = {}
        for lang, (key, value) in items.items():
            if lang not in LANGS:
                self.p.add(key, f"{what}: unknown language '{lang}' (use zh or en)")
                continue
            text = string(value, self.p, f"{what}.{lang}")
            if text is not None and not text.strip():
                self.p.add(value, f"{what}.{lang} is empty")
            elif text is not None and len(text) > MAX_TEXT_CHARS:
                self.p.add(value, f"{what}.{lang} has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
            elif text is not None:
                out[lang] = text.strip()
        if len(out) != len(items):
            return None
        missing = [lang for lang in LANGS if lang not in out]
        if not out or (self.builtin and missing):
            self.p.add(node, f"{what} is missing language {', '.join(missing)}")
            return None
        return out

    def key_points(self, entry) -> dict | None:
        if entry is None:
            return None
        items = mapping_items(entry[1], self.p, "key_points (a mapping of zh/en lists)")
        if items is None:
            return None
        out = {}
        for lang, (key, value) in items.items():
            if lang not in LANGS:
                self.p.add(key, f"key_points: unknown language '{lang}' (use zh or en)")
                return None
            points = self.points(value, f"key_points.{lang}")
            if points is None:
                return None
            if not points:
                self.p.add(value, f"key_points.{lang} is empty")
                return None
            out[lang] = points
        missing = [lang for lang in LANGS if lang not in out]
        if not out or (self.builtin and missing):
            self.p.add(entry[1], f"key_points is missing language {', '.join(missing)}")
            return None
        return out

    def points(self, node, what: str) -> list[KeyPoint] | None:
        """Key points: each a string, or {text, match: [terms], min: N} declaring what a typed answer
        must contain (a term may list synonyms separated by "|"); see keypoints.py."""
        nodes = sequence(node, self.p, what)
        if nodes is None:
            return None
        out = []
        for item in nodes:
            if not isinstance(item, yaml.MappingNode):
                text = string(item, self.p, f"an item of {what}")
                if text is None:
                    return None
                out.append(KeyPoint(text.strip()))
                continue
            fields = mapping_items(item, self.p, f"a key point of {what}")
            if fields is None:
                return None
            self.unknown(fields, {"text", "match", "min"}, "key point")
            if "text" not in fields or "match" not in fields:
                self.p.add(item, "a key point mapping needs `text` and `match`")
                return None
            text = string(fields["text"][1], self.p, f"{what}.text")
            terms = self.strings(fields["match"], f"{what}.match")
            need = 1
            if "min" in fields:
                raw = fields["min"][1]
                need = _scalar(raw) if isinstance(raw, yaml.ScalarNode) and raw.tag == INT else None
                if need is None or not 1 <= need <= len(terms or []):
                    self.p.add(raw, f"{what}.min must be a whole number from 1 to the number of match terms")
                    return None
            if text is None or terms is None:
                return None
            if not terms:
                self.p.add(fields["match"][1], f"{what}.match is empty")
                return None
            out.append(KeyPoint(text.strip(), tuple(terms), need))
        return out

    def choice(self, entry, allowed: tuple[str, ...], what: str) -> str | None:
        if entry is None:
            return None
        value = string(entry[1], self.p, what)
        if value is not None and value not in allowed:
            self.p.add(entry[1], f"{what} '{value}' must be one of {', '.join(allowed)}")
            return None
        return value

    def strings(self, entry, what: str) -> list[str] | None:
        if entry is None:
            return []
        nodes = sequence(entry[1], self.p, what)
        if nodes is None:
            return None
        values = [string(n, self.p, f"an item of {what}") for n in nodes]
        return None if None in values else [v.strip() for v in values]

    def sources(self, entry) -> list[str] | None:
        ids = self.strings(entry, "sources")
        if ids and self.seeds:
            for node, seed_id in zip(entry[1].value, ids):
                if seed_id not in self.seeds:
                    self.p.add(node, f"unknown seed id '{seed_id}' (see questions/seed_index.yaml)")
        return ids

    def demo(self, entry) -> DemoLink | None:
        if entry is None:
            return None
        items = mapping_items(entry[1], self.p, "demo")
        if items is None:
            return None
        self.unknown(items, {"id", "params"}, "demo")
        demo_id = self.slug(items, "id", entry[1], "demo.id")
        if "id" not in items:
            self.p.add(entry[1], "demo is missing `id`")
        params = {}
        marks = {"id": _at(items["id"][1] if "id" in items else entry[1]), "params": _at(entry[1]), "param": {}}
        if "params" in items:
            marks["params"] = _at(items["params"][1])
            pairs = mapping_items(items["params"][1], self.p, "demo.params")
            for name, (key, value) in (pairs or {}).items():
                params[name] = _scalar(value)
                marks["param"][name] = _at(key)
        if demo_id is None:
            return None
        self._demo_marks = marks
        return DemoLink(demo_id, params)

    def followups(self, entry) -> list[dict] | None:
        nodes = [] if entry is None else sequence(entry[1], self.p, "followups")
        if nodes is None:
            return None
        out = []
        for node in nodes:
            items = mapping_items(node, self.p, "a followup")
            if items is None:
                return None
            self.unknown(items, {"question", "answer"}, "followup")
            q = self.text(items, "question", node, "followup.question")
            a = self.text(items, "answer", node, "followup.answer")
            if q is None or a is None:
                if "question" not in items or "answer" not in items:
                    self.p.add(node, "a followup needs both `question` and `answer`")
                return None
            out.append({"question": q, "answer": a})
        return out


    def references(self, entry) -> list[dict] | None:
        """Papers a card cites: each {title, authors, year, arxiv and/or url}, checked with positions."""
        nodes = [] if entry is None else sequence(entry[1], self.p, "references")
        if nodes is None:
            return None
        out, ok = [], True
        for node in nodes:
            ref = self.reference(node)
            ok = ok and ref is not None
            out.append(ref)
        return out if ok else None

    def reference(self, node) -> dict | None:
        items = mapping_items(node, self.p, "a reference")
        if items is None:
            return None
        self.unknown(items, REFERENCE_FIELDS, "reference")
        ref, ok = {}, True
        for name in ("title", "authors"):
            if name not in items:
                self.p.add(node, f"a reference needs `{name}`")
                ok = False
                continue
            value = string(items[name][1], self.p, f"reference.{name}")
            if value is None or not value.strip():
                if value is not None:
                    self.p.add(items[name][1], f"reference.{name} is empty")
                ok = False
            else:
                ref[name] = value.strip()
        if "year" not in items:
            self.p.add(node, "a reference needs `year`")
            ok = False
        else:
            year_node = items["year"][1]
            if not isinstance(year_node, yaml.ScalarNode) or year_node.tag != INT:
                self.p.add(year_node, "reference.year must be a whole number such as 2022")
                ok = False
            elif not YEARS[0] <= int(year_node.value) <= YEARS[1]:
                self.p.add(year_node, f"reference.year {year_node.value} is outside {YEARS[0]}-{YEARS[1]}")
                ok = False
            else:
                ref["year"] = int(year_node.value)
        for name, pattern, example in (("arxiv", ARXIV_ID, "an arXiv id such as 2205.14135"),
                                       ("url", URL, "an http(s) address")):
            if name in items:
                value_node = items[name][1]
                if name == "arxiv" and isinstance(value_node, yaml.ScalarNode) and value_node.tag == FLOAT:
                    value = value_node.value  # 2205.14135 unquoted: YAML reads a number, we keep its text
                else:
                    value = string(value_node, self.p, f"reference.{name}")
                if value is None:
                    ok = False
                elif not pattern.match(value.strip()):
                    self.p.add(items[name][1], f"reference.{name} '{value}' is not {example}")
                    ok = False
                else:
                    ref[name] = value.strip()
        if "arxiv" not in items and "url" not in items:
            self.p.add(node, "a reference needs `arxiv` or `url`")
            ok = False
        return ref if ok else None


def _scalar(node):
    """A demo parameter value as YAML means it (number, boolean, text); None for a collection."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return None
    return yaml.constructor.SafeConstructor().construct_object(node)


def _closest(name: str, allowed: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return match[0] if match else None
