"""Find, parse and validate question banks.

A bank is a directory of YAML files, one deck each (format: questions/FORMAT.md). Validation
collects every problem in every file as one `path:line:col: message` line, so a person editing a
deck by hand fixes all of it in one pass; nothing here raises on the first error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interviewprep.errors import BankError
from interviewprep.models import Card, Deck

SEED_INDEX = "seed_index.yaml"


def builtin_dir() -> Path:
    """The bank that ships with the package (inside the wheel, or the repo's questions/)."""
    package = Path(__file__).resolve().parent.parent  # interviewprep/
    packaged = package / "questions"
    return packaged if packaged.is_dir() else package.parent / "questions"


def origin(card_path: str) -> str | None:
    """Which bank a card came from, as history records it: "builtin", or the folder of its deck file.

    The built-in bank is named, not located, so history keeps its origin when the package moves
    (a new venv, an upgrade); None when the card carries no path.
    """
    if not card_path:
        return None
    folder = Path(card_path).resolve().parent
    builtin = builtin_dir().resolve()
    return "builtin" if folder == builtin or builtin in folder.parents else str(folder)


def bank_dirs(extra: list[Path] | None = None, builtin: bool = True) -> list[tuple[Path, bool]]:
    """Where to load from, as (path, is_builtin): built-in, then `extra` (config.extra_bank_dirs names
    the user's: $PREP_BANK or the config file's bank_dirs, then --bank)."""
    dirs: list[tuple[Path, bool]] = [(builtin_dir(), True)] if builtin else []
    return dirs + [(Path(p), False) for p in extra or []]


@dataclass
class Bank:
    """Every loaded deck and card, in file order; `seeds` maps seed id -> title."""

    decks: list[Deck] = field(default_factory=list)
    cards: dict[str, Card] = field(default_factory=dict)
    seeds: dict[str, str] = field(default_factory=dict)

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def select(self, decks: list[str] | None = None, tags: list[str] | None = None,
               levels: list[str] | None = None) -> list[Card]:
        """Cards in bank order matching every given filter (any of its values)."""
        return [
            c for c in self.cards.values()
            if (not decks or c.deck in decks)
            and (not tags or set(tags) & set(c.tags))
            and (not levels or c.level in levels)
        ]


def load(dirs: list[tuple[Path, bool]], demo_catalog=None) -> Bank:
    """Load and validate; raise BankError listing every problem when there is any."""
    bank, problems = read(dirs, demo_catalog)
    if problems:
        raise BankError(problems)
    return bank


def read(dirs: list[tuple[Path, bool]], demo_catalog=None) -> tuple[Bank, list[str]]:
    """Load what can be loaded and return it together with every problem found.

    `demo_catalog`, when given, maps demo id -> {param name: validator(value) -> error or None}.
    """
    from interviewprep.bank.deckreader import read_deck  # the YAML machinery, only when parsing

    problems: list[str] = []
    bank = Bank(seeds=load_seed_index(builtin_dir() / SEED_INDEX))
    first_seen: dict[str, str] = {}
    marks: dict = {}
    for directory, builtin in dirs:
        for path in bank_files(directory, problems):
            deck = read_deck(path, builtin, bank.seeds, problems, marks)
            if deck is None:
                continue
            for card in deck.cards:
                where = f"{card.path}:{card.line}"
                if card.id in bank.cards:
                    first = first_seen[card.id]
                    problems.append(f"{where}:1: duplicate card id '{card.id}' (first defined at {first})")
                    continue
                first_seen[card.id] = where
                bank.cards[card.id] = card
            if bank.deck(deck.id):
                problems.append(f"{deck.path}:1:1: deck id '{deck.id}' is also used by {bank.deck(deck.id).path}")
                continue
            bank.decks.append(deck)
    problems += cross_check(bank, demo_catalog, marks)
    return bank, problems


def bank_files(directory: Path, problems: list[str]) -> list[Path]:
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        problems.append(f"{directory}:1:1: bank directory not found")
        return []
    files = [p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.name != SEED_INDEX]
    return sorted(files)


def load_seed_index(path: Path) -> dict[str, str]:
    """Seed id -> title from the shipped index; empty when the file is missing."""
    if not path.is_file():
        return {}
    import yaml

    from interviewprep.bank.yamlnodes import _Loader

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    return {str(item["id"]): str(item.get("title", "")) for item in data.get("items", [])}


def cross_check(bank: Bank, demo_catalog, marks: dict | None = None) -> list[str]:
    """Checks that need every file: see_also targets, replaces collisions, demo links.

    `marks` (from read_deck) says where each demo link was written; without it a demo problem
    points at its card.
    """
    problems = []
    for card in bank.cards.values():
        where = f"{card.path}:{card.line}:1"
        for target in card.see_also:
            if target not in bank.cards:
                problems.append(f"{where}: card '{card.id}': see_also names unknown card '{target}'")
        for old in card.replaces:
            if old in bank.cards:
                problems.append(f"{where}: card '{card.id}': replaces '{old}', which is still a live card id")
        if demo_catalog is not None and card.demo:
            problems += demo_problems(card, demo_catalog, (marks or {}).get((card.path, card.line)))
    return problems


def demo_problems(card: Card, demo_catalog, marks: dict | None) -> list[str]:
    """Why the card's demo link is refused, each at the position of what is wrong when `marks` says it:
    an unknown demo at its id, a refused parameter at that parameter (every one of them, not the first)."""
    from interviewprep.models import DemoLink

    def at(pos) -> str:
        line, col = pos or (card.line, 1)
        return f"{card.path}:{line}:{col}: card '{card.id}'"

    if marks is None:
        return [f"{at(None)}: {msg}" for msg in demo_catalog(card.demo)]
    found = [f"{at(marks['id'])}: {msg}" for msg in demo_catalog(DemoLink(card.demo.id, {}))]
    if found:
        return found
    for name, value in card.demo.params.items():
        alone = DemoLink(card.demo.id, {name: value})
        found += [f"{at(marks['param'].get(name))}: {msg}" for msg in demo_catalog(alone)]
    if not found:  # each parameter passes alone, so what the demo refuses is the combination
        found = [f"{at(marks['params'])}: {msg}" for msg in demo_catalog(card.demo)]
    return found
