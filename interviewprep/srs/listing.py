"""Which cards `prep list` shows and in what order: filters by learning state and due date, and sorts.

Pure functions over cards and their review states, so they are tested without the CLI; the marks
(buried, suspended, flagged) are filtered in cli/controls.py, which owns them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from interviewprep.clock import start_of_day
from interviewprep.errors import UsageError
from interviewprep.models import LEVELS, Card, CardState, Phase

PHASE_STATES = ("new", "learning", "review", "due")  # `due`: any card due at the moment of listing
SORTS = ("bank", "id", "deck", "level", "due")


def phase_label(state: CardState | None) -> str:
    """new, learning, review or relearning: what `prep list` prints in its state column."""
    return "new" if state is None else state.phase.label


def in_phase(state: CardState | None, wanted: str, now: datetime) -> bool:
    if wanted == "new":
        return state is None
    if wanted == "due":
        return state is not None and state.due <= now
    if wanted == "learning":
        return state is not None and state.phase in (Phase.LEARNING, Phase.RELEARNING)
    return state is not None and state.phase == Phase.REVIEW


def due_limit(text: str, now: datetime) -> datetime:
    """`--due`: now, today (before the next study day starts), or +Nd (within N days)."""
    word = text.strip().lower()
    if word == "now":
        return now
    if word == "today":
        return start_of_day(now) + timedelta(days=1)
    relative = re.fullmatch(r"\+(\d{1,4})d", word)
    if relative:
        return now + timedelta(days=int(relative.group(1)))
    raise UsageError(f"--due '{text}' is not one of now, today or +Nd (e.g. +7d)")


def choose(cards: list[Card], states: dict[str, CardState], now: datetime, state: str | None = None,
           due: str | None = None, sort: str = "bank") -> list[Card]:
    """The cards in `state` (one of PHASE_STATES), due by `due` (seen cards only), in `sort` order."""
    if state is not None and state not in PHASE_STATES:
        raise UsageError(f"--state '{state}' is not one of {', '.join(PHASE_STATES)}")
    if sort not in SORTS:
        raise UsageError(f"--sort '{sort}' is not one of {', '.join(SORTS)}")
    chosen = [c for c in cards if state is None or in_phase(states.get(c.id), state, now)]
    if due is not None:
        limit = due_limit(due, now)
        chosen = [c for c in chosen if c.id in states and states[c.id].due <= limit]
    if sort == "id":
        chosen.sort(key=lambda c: c.id)
    elif sort == "deck":
        chosen.sort(key=lambda c: c.deck)  # stable: bank order inside a deck
    elif sort == "level":
        chosen.sort(key=lambda c: LEVELS.index(c.level) if c.level in LEVELS else len(LEVELS))
    elif sort == "due":  # soonest first; never-seen cards last, in bank order
        far = datetime.max.replace(tzinfo=now.tzinfo)
        chosen.sort(key=lambda c: states[c.id].due if c.id in states else far)
    return chosen
