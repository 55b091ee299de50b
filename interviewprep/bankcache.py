"""A compiled cache of validated banks, so commands opened dozens of times a day skip YAML parsing.

Keyed by every bank file's path, size and modification time, the seed index's, the bank
directories given, and the package version: any edit changes the key, so the cache is never
stale. Only banks that validated cleanly are cached (a bank with problems is re-read every time
so the problems are reported). The cache is JSON, written atomically; a corrupt or unreadable
cache is ignored and rebuilt. `$PREP_CACHE` overrides the location (tests use it).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from interviewprep import __version__
from interviewprep.bank import SEED_INDEX, Bank, bank_files, builtin_dir
from interviewprep.models import Card, Deck

FORMAT = 1


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
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


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


def put(key: str, bank: Bank) -> None:
    """Write the cache; failing to write (read-only cache dir, full disk) is not an error."""
    folder = cache_dir()
    data = {
        "key": key,
        "decks": [{"id": d.id, "title": d.title, "description": d.description, "path": d.path,
                   "cards": [c.id for c in d.cards]} for d in bank.decks],
        "cards": [{**c.to_dict(), "path": c.path, "line": c.line} for c in bank.cards.values()],
        "seeds": bank.seeds,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("bank-*.json"):
            old.unlink(missing_ok=True)
        tmp = folder / f".bank-{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / f"bank-{key}.json")
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
