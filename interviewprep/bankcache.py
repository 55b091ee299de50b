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
from collections import namedtuple
from pathlib import Path

from interviewprep import __version__
from interviewprep.bank import SEED_INDEX, Bank, bank_files, builtin_dir
from interviewprep.models import Card, Deck

FORMAT = 2

IndexCard = namedtuple("IndexCard", "id deck level tags question replaces")
IndexCard.__doc__ = """What `prep next` and `prep stats` need of a card; duck-types Card for filtering and display."""


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
    cards = {c.id: IndexCard(c.id, c.deck, c.level, tuple(c.tags), c.question, tuple(c.replaces))
             for c in bank.cards.values()}
    return Bank(decks=decks, cards=cards, seeds=bank.seeds)


def get_index(key: str) -> Bank | None:
    try:
        data = json.loads((cache_dir() / f"index-{key}.json").read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        decks = [Deck(d["id"], d["title"], d["description"], d["path"], ()) for d in data["decks"]]
        cards = {row[0]: IndexCard(row[0], row[1], row[2], tuple(row[3]), row[4], tuple(row[5]))
                 for row in data["cards"]}
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
    index = {
        "key": key,
        "decks": [{"id": d.id, "title": d.title, "description": d.description, "path": d.path} for d in bank.decks],
        "cards": [[c.id, c.deck, c.level, list(c.tags), c.question, list(c.replaces)] for c in bank.cards.values()],
    }
    data = {
        "key": key,
        "decks": [{"id": d.id, "title": d.title, "description": d.description, "path": d.path,
                   "cards": [c.id for c in d.cards]} for d in bank.decks],
        "cards": [{**c.to_dict(), "path": c.path, "line": c.line} for c in bank.cards.values()],
        "seeds": bank.seeds,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in [*folder.glob("bank-*.json"), *folder.glob("index-*.json")]:
            old.unlink(missing_ok=True)
        for name, content in ((f"bank-{key}.json", data), (f"index-{key}.json", index)):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
            tmp.replace(folder / name)
    except OSError:
        pass


def load_cached(dirs: list[tuple[Path, bool]]) -> Bank:
    """bank.load with the cache in front of it."""
    from interviewprep import bank as banks

    key = cache_key(dirs)
    if key is not None:
        cached = get(key)
        if cached is not None:
            return cached
    loaded = banks.load(dirs)
    if key is not None:
        put(key, loaded)
    return loaded
