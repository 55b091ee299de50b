"""A compiled cache of validated banks, so commands opened dozens of times a day skip YAML parsing.

Keyed by every bank file's path, size and modification time, the seed index's, the bank
directories given, and the package version: any edit changes the key, so the cache is never
stale. Only banks that validated cleanly are cached (a bank with problems is re-read every time
so the problems are reported). The cache is JSON, written atomically; a corrupt or unreadable
cache is ignored and rebuilt. `$PREP_CACHE` overrides the location (tests use it).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

from interviewprep import __version__
from interviewprep.bank.loader import SEED_INDEX, Bank, bank_files, builtin_dir
from interviewprep.models import Card, Deck

FORMAT = 4


class IndexCard:
    """What `prep next` and `prep stats` need of a card; duck-types Card for filtering and display.

    The question is fetched on first use from the index file's per-card lines, so a 10,000-card
    index loads without decoding 10,000 questions when `prep next` shows one.
    """

    __slots__ = ("id", "deck", "level", "tags", "replaces", "_row", "_questions")

    def __init__(self, id, deck, level, tags, replaces, row, questions):
        self.id, self.deck, self.level, self.tags, self.replaces = id, deck, level, tags, replaces
        self._row, self._questions = row, questions

    @property
    def question(self) -> dict:
        return self._questions(self._row)


class _QuestionLines:
    """Row -> question, decoding one JSON line of the index file when asked."""

    def __init__(self, blob: bytes):
        self.blob = blob
        self.lines: list[bytes] | None = None

    def __call__(self, row: int) -> dict:
        if self.lines is None:
            self.lines = self.blob.split(b"\n")
        return json.loads(self.lines[row])


def cache_dir() -> Path:
    if os.environ.get("PREP_CACHE"):
        return Path(os.environ["PREP_CACHE"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("interviewprep"))


def cache_key(dirs: list[tuple[Path, bool]]) -> str | None:
    """A digest of everything the loaded bank depends on; None when a directory cannot be listed."""
    parts = [f"v{__version__}", f"f{FORMAT}"]
    problems: list[str] = []
    for directory, builtin in [*dirs, (builtin_dir() / SEED_INDEX, True)]:
        parts.append(f"{Path(directory).resolve()}|{builtin}")
        files = bank_files(Path(directory), problems) if Path(directory).name != SEED_INDEX else [Path(directory)]
        for path in files:
            try:
                st = path.stat()
            except OSError:
                return None
            parts.append(f"{path}|{st.st_size}|{st.st_mtime_ns}")
    if problems:
        return None
    text = "\n".join(parts).encode("utf-8")
    # two 32-bit checksums: enough to tell edits apart, and zlib loads in a fraction of hashlib's time
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def get(key: str) -> Bank | None:
    path = cache_dir() / f"bank-{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        cards = {c["id"]: Card.from_dict(c, path=c["path"], line=c["line"]) for c in data["cards"]}
        decks = [Deck(d["id"], d["title"], d["description"], d["path"],
                      tuple(cards[cid] for cid in d["cards"])) for d in data["decks"]]
        return Bank(decks=decks, cards=cards, seeds=data["seeds"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def index_of(bank: Bank) -> Bank:
    """The same bank with IndexCards: ids, decks, tags, levels and questions only."""
    decks = [Deck(d.id, d.title, d.description, d.path, ()) for d in bank.decks]
    questions = [c.question for c in bank.cards.values()]
    cards = {c.id: IndexCard(c.id, c.deck, c.level, tuple(c.tags), tuple(c.replaces), row, questions.__getitem__)
             for row, c in enumerate(bank.cards.values())}
    return Bank(decks=decks, cards=cards, seeds=bank.seeds)


def get_index(key: str) -> Bank | None:
    """The index file: a JSON header line (decks, one row per card), then one question per line."""
    try:
        blob = (cache_dir() / f"index-{key}.jsonl").read_bytes()
        head, _, rest = blob.partition(b"\n")
        data = json.loads(head)
        if data.get("key") != key:
            return None
        decks = [Deck(d["id"], d["title"], d["description"], d["path"], ()) for d in data["decks"]]
        lines = _QuestionLines(rest)
        cards = {r[0]: IndexCard(r[0], r[1], r[2], tuple(r[3]), tuple(r[4]), row, lines)
                 for row, r in enumerate(data["cards"])}
        return Bank(decks=decks, cards=cards, seeds={})
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def load_index(dirs: list[tuple[Path, bool]]) -> Bank:
    """A validated bank's index: what the hot commands need, read from a small cache file."""
    key = cache_key(dirs)
    if key is not None:
        cached = get_index(key)
        if cached is not None:
            return cached
    full = load_cached(dirs)
    if key is not None:
        put(key, full)  # the index was missing or damaged: write it again beside the full cache
    return index_of(full)


def put(key: str, bank: Bank) -> None:
    """Write the cache and its index; failing to write (read-only dir, full disk) is not an error."""
    folder = cache_dir()
    header = {
        "key": key,
        "decks": [{"id": d.id, "title": d.title, "description": d.description, "path": d.path} for d in bank.decks],
        "cards": [[c.id, c.deck, c.level, list(c.tags), list(c.replaces)] for c in bank.cards.values()],
    }
    index = "\n".join([json.dumps(header, ensure_ascii=False),
                       *(json.dumps(c.question, ensure_ascii=False) for c in bank.cards.values())])
    data = {
        "key": key,
        "decks": [{"id": d.id, "title": d.title, "description": d.description, "path": d.path,
                   "cards": [c.id for c in d.cards]} for d in bank.decks],
        "cards": [{**c.to_dict(), "path": c.path, "line": c.line} for c in bank.cards.values()],
        "seeds": bank.seeds,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in [*folder.glob("bank-*.json"), *folder.glob("index-*.json*")]:
            old.unlink(missing_ok=True)
        for name, text in ((f"bank-{key}.json", json.dumps(data, ensure_ascii=False)), (f"index-{key}.jsonl", index)):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(folder / name)
    except OSError:
        pass


def load_cached(dirs: list[tuple[Path, bool]]) -> Bank:
    """bank.load with the cache in front of it."""
    from interviewprep.bank import loader as banks

    key = cache_key(dirs)
    if key is not None:
        cached = get(key)
        if cached is not None:
            return cached
    loaded = banks.load(dirs)
    if key is not None:
        put(key, loaded)
    return loaded
