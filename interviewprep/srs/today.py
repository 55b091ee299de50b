"""What is waiting today, per deck: the figures of Anki's deck list, for bare `prep` and `prep decks`.

Per deck: cards never seen; cards in (re)learning due within the quiz's learn-ahead window (a quiz
shows those early, so they wait now); review cards due at `now`. New cards a quiz would show today
are capped by the daily new-card limit over every session of the study day (clock.py's boundary),
exactly as the quiz caps them. No numpy, no fsrs: bare `prep` stays on the fast path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from interviewprep.models import Card, CardState, Phase


@dataclass
class DeckToday:
    """One deck's counts now."""

    deck: str
    cards: int = 0
    new: int = 0
    learning: int = 0
    due: int = 0

    def to_dict(self) -> dict:
        return {"deck": self.deck, "cards": self.cards, "new": self.new, "learning": self.learning,
                "due": self.due}


@dataclass
class Today:
    """Every deck's counts, the new cards still allowed today, and the command to run next."""

    decks: list[DeckToday]
    new_allowed: int  # new cards a quiz may still introduce today (the daily limit minus today's)
    next_command: str

    @property
    def totals(self) -> DeckToday:
        total = DeckToday("total")
        for d in self.decks:
            total.cards += d.cards
            total.new += d.new
            total.learning += d.learning
            total.due += d.due
        return total

    def to_dict(self) -> dict:
        return {"decks": [d.to_dict() for d in self.decks], "totals": self.totals.to_dict(),
                "new_allowed_today": self.new_allowed, "next_command": self.next_command}


def overview(cards: Iterable[Card], states: Mapping[str, CardState], now: datetime, new_allowed: int,
             learn_ahead: timedelta = timedelta(0)) -> Today:
    """Count each deck's new, learning-due and review-due cards at `now`, in the order decks first appear."""
    decks: dict[str, DeckToday] = {}
    for card in cards:
        row = decks.setdefault(card.deck, DeckToday(card.deck))
        row.cards += 1
        state = states.get(card.id)
        if state is None:
            row.new += 1
        elif state.phase == Phase.REVIEW:
            row.due += state.due <= now
        elif state.due <= now + learn_ahead:
            row.learning += 1
    today = Today(list(decks.values()), new_allowed, "")
    today.next_command = next_command(today)
    return today


def next_command(today: Today) -> str:
    """The one command worth running now: a quiz when anything waits, else a look at what comes later."""
    totals = today.totals
    return "prep quiz" if totals.due + totals.learning + min(totals.new, today.new_allowed) else "prep stats"
