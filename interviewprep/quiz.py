"""The interactive quiz loop: show a card, read keys, rate, repeat; the session does the logic.

Time is read here, at the edge, once per action (`clock()`), and passed down. Ctrl-C anywhere ends
the loop with a summary; every rating already given was committed by `Session.rate`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console

from interviewprep import render
from interviewprep.keys import ENTER, INTERRUPT, QUIT, SPACE, KeyReader
from interviewprep.models import Rating
from interviewprep.session import Session, Summary

RATING_KEYS = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY}


class _Quit(Exception):
    pass


def run_quiz(session: Session, console: Console, keys: KeyReader, clock: Callable, lang: str,
             run_demo: Callable | None = None) -> tuple[Summary, bool]:
    """Drive `session` until it is empty or the user quits; returns (summary, interrupted)."""
    interrupted = False
    try:
        while True:
            card = session.next_card(clock())
            if card is None:
                break
            render.question(console, card, lang, len(session.done), session.remaining(),
                            session.states.get(card.id))
            shown = clock()
            action = _ask(keys, console, {SPACE, ENTER, "s", "u"}, "Space/Enter, s, u or q")
            if action == "s":
                session.skip(card)
                continue
            if action == "u":
                _undo(session, console)
                continue
            render.answer(console, card, lang, has_demo=bool(card.demo and run_demo))
            while True:
                action = _ask(keys, console, set(RATING_KEYS) | {"s", "u", "d"}, "1-4, u, s, d or q")
                if action == "d" and card.demo and run_demo:
                    run_demo(card)
                    continue
                break
            if action == "s":
                session.skip(card)
            elif action == "u":
                _undo(session, console)
            elif action in RATING_KEYS:
                now = clock()
                duration = int((now - shown).total_seconds() * 1000)
                state = session.rate(card, RATING_KEYS[action], now, duration)
                render.rated(console, card, RATING_KEYS[action], state, now)
    except _Quit:
        pass
    except KeyboardInterrupt:
        interrupted = True
    return session.summary(clock()), interrupted


def _ask(keys: KeyReader, console: Console, allowed: set[str], hint: str) -> str:
    while True:
        key = keys.read()
        if key == QUIT:
            raise _Quit
        if key == INTERRUPT:
            raise KeyboardInterrupt
        if key in allowed:
            return key
        console.print(f"[dim]press {hint}[/]")


def _undo(session: Session, console: Console) -> None:
    card = session.undo()
    if card is None:
        render.nothing_to_undo(console)
    else:
        render.undone(console, card)
