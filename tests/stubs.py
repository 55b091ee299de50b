"""Stand-ins for the pure listing and today-view functions, which read only a card's id, deck, level and question."""

from __future__ import annotations

from datetime import datetime, timedelta

from interviewprep.models import CardState, Phase


class StubCard:
    def __init__(self, card_id: str, deck: str, level: str = "basic", question: str = "Q?"):
        self.id, self.deck, self.level, self.question = card_id, deck, level, {"en": question, "zh": question}


def reviewed_state(card_id: str, phase: Phase, due: datetime) -> CardState:
    """A card reviewed once, a day before `due`'s reference time, in `phase`, falling due at `due`."""
    return CardState(card_id=card_id, phase=phase, due=due, stability=1.0, difficulty=5.0,
                     last_review=due - timedelta(days=1), reps=1, lapses=0)
