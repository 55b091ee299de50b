"""The summary `prep check` prints: decks, cards, languages, seed coverage, demo links."""

from __future__ import annotations

from interviewprep.bank.loader import Bank
from interviewprep.models import LANGS


def summarize(bank: Bank) -> dict:
    decks = []
    for deck in bank.decks:
        languages = [lang for lang in LANGS if all(lang in c.question and lang in c.answer for c in deck.cards)]
        decks.append({
            "id": deck.id,
            "title": deck.title.get("en") or deck.title.get("zh", ""),
            "cards": len(deck.cards),
            "languages": languages,
            "with_demo": sum(1 for c in deck.cards if c.demo),
            "path": deck.path,
        })
    covered = {s for c in bank.cards.values() for s in c.sources}
    missing = [s for s in bank.seeds if s not in covered]
    return {
        "decks": decks,
        "cards": len(bank.cards),
        "with_demo": sum(1 for c in bank.cards.values() if c.demo),
        "seeds": {"total": len(bank.seeds), "covered": len(bank.seeds) - len(missing), "missing": missing},
    }
