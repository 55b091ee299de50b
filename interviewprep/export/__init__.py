"""Exporters behind `prep export`: Markdown, Anki (.apkg), CSV and JSON.

Each format is a library module that takes a loaded Bank and the selected cards and either returns
text (for stdout) or writes files through `export.files` (no clobbering without --force, atomic
replace, names confined to the output directory). Nothing here imports numpy or genanki at module
level: the demo engine and the Anki writer are imported only by the formats that use them.
"""

from __future__ import annotations

from interviewprep.models import lang_codes  # noqa: F401  (the exporters import it from here)


def group_by_deck(bank, cards) -> list[tuple]:
    """[(deck, [cards of it])] in bank order, leaving out decks with no selected card."""
    wanted = {card.id for card in cards}
    groups = []
    for deck in bank.decks:
        chosen = [card for card in deck.cards if card.id in wanted]
        if chosen:
            groups.append((deck, chosen))
    return groups
