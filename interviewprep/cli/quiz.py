"""The interactive loops: the quiz (keys or typed answers) and the mock interview.

The session and the interview hold the logic; this module only reads input and calls render. Time is
read here, at the edge, once per action (`clock()`), and passed down. Ctrl-C anywhere ends the loop
with a summary; every rating already given was committed by `Session.rate`.

Typed answers are one line of text (on a terminal as well: the tty's own line editing handles CJK
input and backspace). A line holding only s, u or q is that key; an empty line skips typing.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console

from interviewprep.bank.keypoints import card_points, cover
from interviewprep.cli.keys import ENTER, INTERRUPT, QUIT, SPACE, KeyReader
from interviewprep.models import Rating
from interviewprep.render import cards as render
from interviewprep.render import learn as render_learn
from interviewprep.render.console import styled
from interviewprep.srs.session import Session, Summary

RATING_KEYS = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY}
MARK_KEYS = {"b": "bury", "@": "suspend", "f": "flag"}  # Anki's @ for suspend; b and f are free letters here


class _Quit(Exception):
    pass


def run_quiz(session: Session, console: Console, keys: KeyReader, clock: Callable, lang: str,
             run_demo: Callable | None = None, typed: bool = False) -> tuple[Summary, bool]:
    """Drive `session` until it is empty or the user quits; returns (summary, interrupted).

    `typed`: the user types an answer before the reveal, which shows the key points it hits.
    """
    interrupted = False
    try:
        while True:
            card = session.next_card(clock())
            if card is None:
                break
            state = session.states.get(card.id)
            if typed:
                render_learn.typed_question(console, card, lang, len(session.done), session.remaining(), state)
            else:
                render.question(console, card, lang, len(session.done), session.remaining(), state,
                                counts=session.counts(), flagged=session.flagged(card))
            shown = clock()
            text = _read_text(keys) if typed else ""
            action = _command(text) if typed else _ask_unless_flag(
                keys, console, session, card, clock, {SPACE, ENTER, "s", "u"}, "Space/Enter, s, u, b, @, f or q")
            if action == "s":
                session.skip(card)
                continue
            if action == "u":
                _undo(session, console)
                continue
            if action in MARK_KEYS:
                _set_aside(session, console, card, action, clock())
                continue
            has_demo = bool(card.demo and run_demo)
            if typed:
                render_learn.reveal(console, card, lang, text, cover(card_points(card, lang), text))
            else:
                render.answer(console, card, lang, keys=False)
            intervals = session.preview(card, clock())
            while True:  # the keys are shown again after a demo, so the prompt never scrolls away for good
                render.rating_prompt(console, intervals, has_demo)
                action = _ask_unless_flag(keys, console, session, card, clock, set(RATING_KEYS) | {"s", "u", "d"},
                                          "1-4, u, s, b, @, f, d or q", again=True)
                if action == "d" and has_demo:
                    run_demo(card)
                    continue
                if action is not None:
                    break
            if action == "s":
                session.skip(card)
            elif action == "u":
                _undo(session, console)
            elif action in MARK_KEYS:
                _set_aside(session, console, card, action, clock())
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


def _read_text(keys: KeyReader) -> str:
    """One typed line from the same stream the keys come from; end of input quits."""
    line = keys.stream.readline()
    if line == "":
        raise _Quit
    return line.rstrip("\r\n")


def _command(text: str) -> str | None:
    """A typed line that is only q, s or u is that key, not an answer."""
    word = text.strip().lower()
    if word == QUIT:
        raise _Quit
    return word if word in ("s", "u") else None


def _ask(keys: KeyReader, console: Console, allowed: set[str], hint: str) -> str:
    while True:
        key = keys.read()
        if key == QUIT:
            raise _Quit
        if key == INTERRUPT:
            raise KeyboardInterrupt
        if key in allowed:
            return key
        console.print(styled("[dim]press {hint}[/]", hint=hint))


def _ask_unless_flag(keys: KeyReader, console: Console, session: Session, card, clock: Callable, allowed: set[str],
                     hint: str, again: bool = False) -> str | None:
    """A key from `allowed` or b/@/f; f (flag) is done here and the same question asked again.

    `again`: return None after a flag instead, so the caller can show its prompt again first.
    """
    while True:
        key = _ask(keys, console, allowed | set(MARK_KEYS), hint)
        if key != "f":
            return key
        render.marked(console, card, "flagged" if session.toggle_flag(card, clock()) else "unflagged")
        if again:
            return None


def _set_aside(session: Session, console: Console, card, key: str, now) -> None:
    """b buries the card until the next study day, @ suspends it; either way it leaves this session."""
    if MARK_KEYS[key] == "bury":
        render.marked(console, card, "buried", session.bury(card, now))
    else:
        session.suspend(card, now)
        render.marked(console, card, "suspended")


def _undo(session: Session, console: Console) -> None:
    card = session.undo()
    if card is None:
        render.nothing_to_undo(console)
    else:
        render.undone(console, card)


def run_interview(interview, console: Console, keys: KeyReader, clock: Callable, lang: str) -> bool:
    """Ask, read, reveal, grade and follow up until time or cards run out; returns interrupted."""
    interrupted = False
    live = keys.is_terminal
    try:
        while True:
            now = clock()
            card = interview.next_question(now)
            if card is None:
                break
            render_learn.interview_question(console, card, lang, len(interview.turns),
                                            interview.question_left(now), interview.session_left(now), live)
            text = _timed_text(keys, console, interview.deadline(), clock) if live else _read_text(keys)
            if _command(text):
                text = ""
            coverage = interview.answer(text, clock())
            turn = interview.turns[-1]
            if interview.over_time(turn):
                render_learn.over_time(console, turn.answered_at - turn.asked_at - interview.question_time)
            render_learn.reveal(console, card, lang, text, coverage)
            render_learn.rating_hint(console, interview=True)
            key = _ask(keys, console, set(RATING_KEYS) | {"s"}, "1-4, s or q")
            if key in RATING_KEYS:
                now = clock()
                render.rated(console, card, RATING_KEYS[key], interview.grade(RATING_KEYS[key], now), now)
            followup = interview.followup()
            if followup is not None:
                render_learn.followup_question(console, followup, lang)
                answer = _read_text(keys)
                if _command(answer):
                    answer = ""
                interview.followup_answer(answer)
                render_learn.reveal(console, None, lang, answer, [], reference=followup.answer, title="Follow-up")
    except _Quit:
        interview.stop(clock())
    except KeyboardInterrupt:
        interview.stop(clock())
        interrupted = True
    return interrupted


def _timed_text(keys: KeyReader, console: Console, deadline, clock: Callable) -> str:  # pragma: no cover - tty
    """One line typed on a terminal under a live countdown; at the deadline, what was typed is taken."""
    import codecs
    import os
    import select
    import termios
    import tty

    from rich.cells import cell_len

    fd = keys.stream.fileno()
    old = termios.tcgetattr(fd)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    typed: list[str] = []
    out = console.file

    def draw(left) -> None:
        prefix = f"⏱ {render_learn.clock_text(left)} › "
        room = max(10, console.width - cell_len(prefix) - 1)
        shown = "".join(typed)
        while cell_len(shown) > room:
            shown = shown[1:]
        out.write(f"\r\x1b[K{prefix}{shown}")
        out.flush()

    try:
        tty.setcbreak(fd)
        while True:
            left = deadline - clock()
            draw(left)
            if left.total_seconds() <= 0:
                out.write("\n")
                console.print(styled("[yellow]⏱ time is up[/]"))
                return "".join(typed)
            ready, _, _ = select.select([fd], [], [], min(1.0, left.total_seconds()))
            if not ready:
                continue
            data = os.read(fd, 256)
            if not data:
                raise _Quit
            for ch in decoder.decode(data):
                if ch in "\r\n":
                    out.write("\n")
                    return "".join(typed)
                if ch == "\x04" and not typed:
                    raise _Quit
                if ch in "\x7f\b" and typed:
                    typed.pop()
                elif ch == "\x15":
                    typed.clear()
                elif ch.isprintable():
                    typed.append(ch)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
