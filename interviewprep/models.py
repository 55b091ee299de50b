"""Plain data: cards, decks, ratings, review records and scheduling state.

Small frozen dataclasses with explicit `to_dict`/`from_dict`, in the manner of py-fsrs, so that
every layer (loader, store, scheduler, exporters, JSON output) speaks the same vocabulary and
nothing depends on a third-party type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import IntEnum
from typing import Protocol

LANGS = ("zh", "en")
LANG_CHOICES = (*LANGS, "both")  # what --lang, $PREP_LANG and `prep config set lang` accept


RETENTION_RANGE = (0.70, 0.99)  # the desired retentions FSRS is offered: below, intervals explode; above, they crawl


def retention_problem(value: float) -> str | None:
    """Why `value` cannot be a desired retention ("must be between 0.70 and 0.99"), or None when it can."""
    low, high = RETENTION_RANGE
    return None if low <= value <= high else f"must be between {low:.2f} and {high:.2f}"


def lang_codes(lang: str) -> tuple[str, ...]:
    """`zh`, `en` or `both` as the languages to show, in the order to show them."""
    return LANGS if lang == "both" else (lang,)

LEVELS = ("basic", "intermediate", "advanced")

Text = dict  # {"zh": str, "en": str}; a user bank may give only one language


class Rating(IntEnum):
    """How well the answer was recalled; the numbers are the keys the user presses."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Phase(IntEnum):
    """Where a card is in its life; the values match fsrs.State (New has no stored state)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        return self.name.lower()


def pick(text: Text | None, lang: str) -> str:
    """The text in `lang`, falling back to the other language a user bank may have given."""
    if not text:
        return ""
    return text.get(lang) or next((v for v in text.values() if v), "")


@dataclass(frozen=True)
class Followup:
    question: Text
    answer: Text

    def to_dict(self) -> dict:
        return {"question": dict(self.question), "answer": dict(self.answer)}


@dataclass(frozen=True)
class Reference:
    """A paper or document a card relies on where no seed article covers it (the LLM-era decks).

    `arxiv` is an arXiv id such as 2205.14135; `url` is for what arXiv does not hold. At least one is set.
    """

    title: str
    authors: str  # "Dao, Fu, Ermon, Rudra, Ré" or an organisation ("Meta AI")
    year: int
    arxiv: str = ""
    url: str = ""

    @property
    def link(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else self.url

    def cite(self) -> str:
        """One line for a reader: authors (year). Title. link."""
        return f"{self.authors} ({self.year}). {self.title}. {self.link}"

    def to_dict(self) -> dict:
        out = {"title": self.title, "authors": self.authors, "year": self.year}
        if self.arxiv:
            out["arxiv"] = self.arxiv
        if self.url:
            out["url"] = self.url
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Reference:
        return cls(d["title"], d["authors"], int(d["year"]), d.get("arxiv", ""), d.get("url", ""))


@dataclass(frozen=True)
class DemoLink:
    id: str
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"id": self.id, "params": dict(self.params)}

    def settings(self) -> list[str]:
        """The card's parameters as `NAME=VALUE` words, each as `--set` takes it (shell-quoted)."""
        import shlex

        return [shlex.quote(f"{name}={param_text(value)}") for name, value in self.params.items()]

    def command(self) -> str:
        """The shell command that reruns this demo at the card's parameters: the one spelling every
        surface (prep show, Markdown, Anki, CSV) prints, so a user can paste it from any of them."""
        return " ".join(["prep demo", self.id, *(f"--set {word}" for word in self.settings())])


def param_text(value) -> str:
    """A parameter value as `--set` takes it (5.0 -> 5, True -> true)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class KeyPoint:
    """One key point of a card in one language, as the bank states it, from the loader to the matcher.

    `terms` are the match terms a bank may declare (`{text, match: [...], min: N}`; each entry may
    list alternatives separated by "|"), `minimum` how many of them a typed answer must contain;
    a point without declared terms is matched on its text's own words (bank/keypoints.py). One
    type for all of it, so no caller keeps the terms beside the texts and re-merges them.
    """

    text: str
    terms: tuple[str, ...] = ()
    minimum: int = 1

    @classmethod
    def from_data(cls, raw, declared: dict | None = None) -> KeyPoint:
        """A point from bank or JSON data: a plain string, or a {text, match, min} mapping; `declared`
        is the serialized form's separate {match, min} for a string (Card.to_dict writes that)."""
        if isinstance(raw, KeyPoint):
            return raw
        if isinstance(raw, dict):
            raw, declared = raw["text"], raw
        if declared and declared.get("match"):
            return cls(str(raw), tuple(str(m) for m in declared["match"]), int(declared.get("min", 1)))
        return _plain_point(str(raw))


_NEW = object.__new__


def _plain_point(text: str) -> KeyPoint:
    """KeyPoint(text), built without the frozen dataclass's __init__ (one object.__setattr__ per field):
    decoding a card from the bank cache builds one per key point, 80,000 for a 10,000-card bank."""
    point = _NEW(KeyPoint)
    fields = point.__dict__
    fields["text"], fields["terms"], fields["minimum"] = text, (), 1
    return point


@dataclass(frozen=True)
class Card:
    """One interview question with its answer; `id` is the key of all review history."""

    id: str
    deck: str
    question: Text
    answer: Text
    key_points: dict[str, tuple[KeyPoint, ...]]  # {"zh": (...), "en": (...)}: zh[i] and en[i] say the same
    level: str = "basic"
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    pitfall: Text | None = None
    demo: DemoLink | None = None
    see_also: tuple[str, ...] = ()
    followups: tuple[Followup, ...] = ()
    replaces: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    path: str = ""
    line: int = 0

    def point_texts(self, lang: str) -> list[str]:
        """The texts of the key points in `lang` ([] when the card has none in it), for display and export."""
        return [point.text for point in self.key_points.get(lang) or ()]

    def to_dict(self) -> dict:
        """The card as JSON data (`prep list --json`, the JSON export, the bank cache): key points as
        their texts, declared match terms beside them in `key_point_match` {lang: {index: {match, min}}}."""
        out = {
            "id": self.id,
            "deck": self.deck,
            "level": self.level,
            "tags": list(self.tags),
            "sources": list(self.sources),
            "question": dict(self.question),
            "answer": dict(self.answer),
            "key_points": {k: [p.text for p in v] for k, v in self.key_points.items()},
        }
        if self.pitfall:
            out["pitfall"] = dict(self.pitfall)
        if self.followups:
            out["followups"] = [f.to_dict() for f in self.followups]
        if self.see_also:
            out["see_also"] = list(self.see_also)
        if self.demo:
            out["demo"] = self.demo.to_dict()
        if self.replaces:
            out["replaces"] = list(self.replaces)
        if self.references:
            out["references"] = [r.to_dict() for r in self.references]
        declared = {lang: {str(i): {"match": list(p.terms), "min": p.minimum} for i, p in enumerate(points) if p.terms}
                    for lang, points in self.key_points.items()}
        if any(declared.values()):
            out["key_point_match"] = {lang: by_index for lang, by_index in declared.items() if by_index}
        return out

    @classmethod
    def from_dict(cls, d: dict, path: str = "", line: int = 0) -> Card:
        demo = d.get("demo")
        return cls(
            id=d["id"],
            deck=d["deck"],
            question=dict(d["question"]),
            answer=dict(d["answer"]),
            key_points=_key_points(d),
            level=d.get("level", "basic"),
            tags=tuple(d.get("tags", ())),
            sources=tuple(d.get("sources", ())),
            pitfall=dict(d["pitfall"]) if d.get("pitfall") else None,
            demo=DemoLink(demo["id"], dict(demo.get("params") or {})) if demo else None,
            see_also=tuple(d.get("see_also", ())),
            followups=tuple(Followup(dict(f["question"]), dict(f["answer"])) for f in d.get("followups", ())),
            replaces=tuple(d.get("replaces", ())),
            references=tuple(Reference.from_dict(r) for r in d.get("references", ())),
            path=path,
            line=line,
        )


def _key_points(d: dict) -> dict[str, tuple[KeyPoint, ...]]:
    """The key points of card data: strings, {text, match, min} mappings, or strings with their
    match terms in `key_point_match` (as `to_dict` writes them)."""
    declared = d.get("key_point_match") or {}
    out = {}
    for lang, points in d["key_points"].items():
        by_index = declared.get(lang)
        if by_index:
            out[lang] = tuple(KeyPoint.from_data(p, by_index.get(str(i))) for i, p in enumerate(points))
        else:  # the common case: no declared terms in this language
            out[lang] = tuple(_plain_point(p) if type(p) is str else KeyPoint.from_data(p) for p in points)
    return out


class CardView(Protocol):
    """What callers may read of a card: a `Card`, or the bank cache's `IndexCard` standing in for one
    (bank/cache.py), which answers the index fields at once and decodes the full card for the rest.

    Listed one by one (read-only) so that a name not here is an AttributeError on an IndexCard, not a
    silent decode; tests/bank/test_bankcache.py holds this list, Card's fields and IndexCard together.
    """

    @property
    def id(self) -> str: ...
    @property
    def deck(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def replaces(self) -> tuple[str, ...]: ...
    @property
    def see_also(self) -> tuple[str, ...]: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def question(self) -> Text: ...
    @property
    def answer(self) -> Text: ...
    @property
    def key_points(self) -> dict[str, tuple[KeyPoint, ...]]: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def pitfall(self) -> Text | None: ...
    @property
    def demo(self) -> DemoLink | None: ...
    @property
    def followups(self) -> tuple[Followup, ...]: ...
    @property
    def references(self) -> tuple[Reference, ...]: ...
    def point_texts(self, lang: str) -> list[str]: ...
    def to_dict(self) -> dict: ...


@dataclass(frozen=True)
class Deck:
    id: str
    title: Text
    description: Text
    path: str
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class CardState:
    """A card's scheduling memory after at least one rating (a new card has no state)."""

    card_id: str
    phase: Phase
    due: datetime
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    lapses: int = 0
    reps: int = 0

    def to_dict(self) -> dict:
        return {
            "card_id": self.card_id,
            "phase": self.phase.label,
            "due": to_iso(self.due),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": to_iso(self.last_review) if self.last_review else None,
            "lapses": self.lapses,
            "reps": self.reps,
        }

    @classmethod
    def from_dict(cls, d: dict) -> CardState:
        return cls(
            card_id=d["card_id"],
            phase=Phase[d["phase"].upper()],
            due=from_iso(d["due"]),
            step=d.get("step"),
            stability=d.get("stability"),
            difficulty=d.get("difficulty"),
            last_review=from_iso(d["last_review"]) if d.get("last_review") else None,
            lapses=d.get("lapses", 0),
            reps=d.get("reps", 0),
        )


@dataclass(frozen=True)
class Review:
    """One rating as it happened: the append-only review log is a list of these."""

    card_id: str
    rating: Rating
    reviewed_at: datetime
    duration_ms: int | None = None
    id: int | None = None

    def to_dict(self) -> dict:
        return {
            "card_id": self.card_id,
            "rating": int(self.rating),
            "reviewed_at": to_iso(self.reviewed_at),
            "duration_ms": self.duration_ms,
        }


ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_iso(moment: datetime) -> str:
    """UTC timestamp text of one fixed width, so that SQL string order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass times in UTC")
    moment = moment.astimezone(timezone.utc)
    if moment.year < 1000:  # strftime's %Y does not pad on every platform; isoformat always does
        return moment.strftime(ISO_FORMAT)
    # the same text as strftime(ISO_FORMAT) without parsing the format (prep list --json writes 20,000)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def from_iso(text: str) -> datetime:
    """Inverse of to_iso (fromisoformat is C-fast and reads the trailing Z as UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)
