"""The interactive loops: the quiz (keys or typed answers) and the mock interview.

The session and the interview hold the logic; this module only reads input and calls render. Time is
read here, at the edge, once per action (`clock()`), and passed down. Ctrl-C anywhere ends the loop
with a summary; every rating already given was committed by `Session.rate`.

Typed answers: on a terminal they are written in the answer editor (cli/answer_editor.py: cursor
keys, history, paste, multi-line; Enter on an empty line submits); anywhere else they are one line of
the input. Either way a text that is only s, u or q is that key, and an empty one skips typing.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console

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
             run_demo: Callable | None = None, typed: bool = False, editor=None,
             edit: Callable | None = None) -> tuple[Summary, bool]:
    """Drive `session` until it is empty or the user quits; returns (summary, interrupted).

    `typed`: the user types an answer before the reveal, which shows the key points it hits.
    `editor`: the answer editor to type in (default: one on a terminal, the line protocol elsewhere).
    `edit(card)`: the `e` key after the reveal: edit the card's file, return the card as it now reads (or None).
    """
    interrupted = False
    editor = _editor_for(keys, editor) if typed else None
    try:
        while True:
            card = session.next_card(clock())
            if card is None:
                break
            state = session.states.get(card.id)
            if typed:
                console.print(render_learn.typed_question(card, lang, len(session.done), session.remaining(), state,
                                                          counts=session.counts(), editor=editor is not None))
            else:
                console.print(render.question(card, lang, len(session.done), session.remaining(), state,
                                              counts=session.counts(), flagged=session.flagged(card)))
            shown = clock()
            text = _quiz_answer(keys, editor) if typed else ""
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
                # grading is imported when first needed: its word lists and patterns cost a plain quiz's start-up
                from interviewprep.bank.keypoints import card_points, cover

                console.print(render_learn.reveal(card, lang, text, cover(card_points(card, lang), text)))
            else:
                console.print(render.answer(card, lang, keys=False))
            intervals = session.preview(card, clock())
            while True:  # the keys are shown again after a demo or an edit, so the prompt never scrolls away
                console.print(render.rating_prompt(intervals, has_demo, has_edit=edit is not None))
                action = _ask_unless_flag(keys, console, session, card, clock,
                                          set(RATING_KEYS) | {"s", "u", "d"} | ({"e"} if edit else set()),
                                          "1-4, u, s, b, @, f, d, e or q", again=True)
                if action == "d" and has_demo:
                    run_demo(card)
                    continue
                if action == "e" and edit is not None:
                    edited = edit(card)
                    if edited is not None:  # shown as it now reads; the rating still goes to this card's id
                        console.print(render.answer(edited, lang, keys=False))
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
                console.print(render.rated(card, RATING_KEYS[action], state, now))
    except _Quit:
        pass
    except KeyboardInterrupt:
        interrupted = True
    return session.summary(clock()), interrupted


def _editor_for(keys: KeyReader, editor):
    """The answer editor on a terminal (or the one a caller passes); None: the line protocol."""
    if editor is None and keys.is_terminal:
        from interviewprep.cli.answer_editor import AnswerEditor

        editor = AnswerEditor()
    return editor


def _quiz_answer(keys: KeyReader, editor) -> str:
    """A typed answer in the quiz: Ctrl-C ends the quiz as anywhere else, Ctrl-D quits."""
    if editor is None:
        return _read_text(keys)
    typed = editor.read()
    if typed.end == "interrupt":
        raise KeyboardInterrupt
    if typed.end == "eof":
        raise _Quit
    return typed.text


def _interview_answer(keys: KeyReader, editor, console: Console, record: Callable[[str], None],
                      deadline=None, clock: Callable | None = None) -> str:
    """A typed answer in the interview. Ctrl-C and Ctrl-D keep what was typed: `record` saves it as
    the answer before the interview ends, so the report has it."""
    if editor is None:
        return _read_text(keys)
    typed = editor.read(deadline, clock)
    if typed.end in ("interrupt", "eof"):
        if typed.text:
            record(typed.text)
        raise KeyboardInterrupt if typed.end == "interrupt" else _Quit
    if typed.end == "timeout":
        console.print(styled("[yellow]⏱ time is up[/]"))
    return typed.text


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
        console.print(render.marked(card, "flagged" if session.toggle_flag(card, clock()) else "unflagged"))
        if again:
            return None


def _set_aside(session: Session, console: Console, card, key: str, now) -> None:
    """b buries the card until the next study day, @ suspends it; either way it leaves this session."""
    if MARK_KEYS[key] == "bury":
        console.print(render.marked(card, "buried", session.bury(card, now)))
    else:
        session.suspend(card, now)
        console.print(render.marked(card, "suspended"))


def _undo(session: Session, console: Console) -> None:
    card = session.undo()
    if card is None:
        console.print(render.nothing_to_undo())
    else:
        console.print(render.undone(card))


def run_interview(interview, console: Console, keys: KeyReader, clock: Callable, lang: str, editor=None) -> bool:
    """Ask, read, reveal, grade and follow up until time or cards run out; returns interrupted.

    `editor`: as in `run_quiz`; on a terminal the countdown runs in its bottom toolbar.
    """
    interrupted = False
    editor = _editor_for(keys, editor)
    live = editor is not None
    try:
        while True:
            now = clock()
            card = interview.next_question(now)
            if card is None:
                break
            console.print(render_learn.interview_question(card, lang, len(interview.turns),
                                                          interview.question_left(now), interview.session_left(now),
                                                          live))
            text = _interview_answer(keys, editor, console, lambda t: interview.answer(t, clock()),
                                     interview.deadline(), clock)
            if _command(text):
                text = ""
            coverage = interview.answer(text, clock())
            turn = interview.turns[-1]
            if interview.over_time(turn):
                console.print(render_learn.over_time(turn.answered_at - turn.asked_at - interview.question_time))
            console.print(render_learn.reveal(card, lang, text, coverage))
            console.print(render_learn.rating_hint(interview=True))
            key = _ask(keys, console, set(RATING_KEYS) | {"s"}, "1-4, s or q")
            if key in RATING_KEYS:
                now = clock()
                console.print(render.rated(card, RATING_KEYS[key], interview.grade(RATING_KEYS[key], now), now))
            followup = interview.followup()
            if followup is not None:
                console.print(render_learn.followup_question(followup, lang))
                answer = _interview_answer(keys, editor, console, interview.followup_answer)
                if _command(answer):
                    answer = ""
                interview.followup_answer(answer)
                console.print(render_learn.reveal(None, lang, answer, [], reference=followup.answer, title="Follow-up"))
    except _Quit:
        interview.stop(clock())
    except KeyboardInterrupt:
        interview.stop(clock())
        interrupted = True
    return interrupted
