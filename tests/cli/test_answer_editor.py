"""The answer editor driven by real keystrokes: prompt_toolkit's pipe input carries the bytes a
terminal would send (arrow keys, Backspace, a bracketed paste, Ctrl-C), and the editor's own
Application reads them. The quiz and the interview are then run with the editor, as on a terminal.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console

from interviewprep.cli.answer_editor import EOF, INTERRUPT, SUBMIT, SUBMIT_HINT, TIMEOUT, AnswerEditor, Typed

LEFT, RIGHT, HOME, END = "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F"
UP, BACKSPACE, ENTER, ESC_ENTER = "\x1b[A", "\x7f", "\r", "\x1b\r"
CTRL_C, CTRL_D, CTRL_U, CTRL_W = "\x03", "\x04", "\x15", "\x17"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z~]|[\x08\r]")


class Terminal(Vt100_Output):
    """A terminal of 10 rows writing to a buffer, that answers where its cursor is (as a real one
    answers the cursor-position request): prompt_toolkit draws the bottom toolbar only then."""

    def __init__(self, columns: int = 120):
        self.screen = io.StringIO()
        super().__init__(self.screen, lambda: Size(rows=10, columns=columns), term="xterm")

    def get_rows_below_cursor_position(self) -> int:
        return 10

    def shown(self) -> str:
        return CSI.sub("", self.screen.getvalue())


@pytest.fixture
def pipe():
    with create_pipe_input() as keys:
        yield keys


def typed(pipe, *keystrokes: str, editor: AnswerEditor | None = None, **read) -> Typed:
    editor = editor or AnswerEditor(input=pipe, output=DummyOutput())
    pipe.send_text("".join(keystrokes))
    return editor.read(**read)


def test_cursor_keys_home_and_end_move_instead_of_typing_codes(pipe):
    result = typed(pipe, "abc", LEFT, LEFT, "X", RIGHT, RIGHT, "Y", HOME, "Z", END, ESC_ENTER)
    assert result == Typed("ZaXbcY", SUBMIT)
    assert "[" not in result.text and "\x1b" not in result.text


def test_home_and_end_as_other_terminals_send_them(pipe):
    assert typed(pipe, "abc", "\x1b[1~", "<", "\x1b[4~", ">", ESC_ENTER).text == "<abc>"


def test_ctrl_w_deletes_a_word_and_ctrl_u_the_line(pipe):
    assert typed(pipe, "one two three", CTRL_W, ESC_ENTER).text == "one two"
    assert typed(pipe, "all of this", CTRL_U, "fresh", ESC_ENTER).text == "fresh"


def test_backspace_over_a_chinese_character_removes_all_of_it_on_screen_and_in_the_answer(pipe):
    terminal = Terminal(columns=40)
    result = typed(pipe, "饱和分", BACKSPACE, "X", ESC_ENTER, editor=AnswerEditor(input=pipe, output=terminal))
    assert result.text == "饱和X"
    last_frame = terminal.shown().rstrip().splitlines()[-1]
    assert last_frame.endswith("› 饱和X")  # what the terminal was last told to show is what is saved


def test_a_pasted_text_of_two_lines_is_kept_whole(pipe):
    result = typed(pipe, PASTE_START, "first line\nsecond line", PASTE_END, ESC_ENTER)
    assert result == Typed("first line\nsecond line", SUBMIT)


def test_enter_adds_a_line_and_enter_on_an_empty_line_submits(pipe):
    assert typed(pipe, "line one", ENTER, "line two", ENTER, ENTER) == Typed("line one\nline two", SUBMIT)


def test_enter_on_a_command_or_on_nothing_submits_at_once(pipe):
    editor = AnswerEditor(input=pipe, output=DummyOutput())
    assert typed(pipe, "q", ENTER, editor=editor) == Typed("q", SUBMIT)
    assert typed(pipe, ENTER, editor=editor) == Typed("", SUBMIT)  # empty: skip typing


def test_up_recalls_an_earlier_answer(pipe):
    editor = AnswerEditor(input=pipe, output=DummyOutput())
    assert typed(pipe, "ReLU is max(0, x)", ESC_ENTER, editor=editor).text == "ReLU is max(0, x)"
    assert typed(pipe, UP, " and cheap", ESC_ENTER, editor=editor).text == "ReLU is max(0, x) and cheap"


def test_ctrl_c_and_ctrl_d_return_what_was_typed(pipe):
    editor = AnswerEditor(input=pipe, output=DummyOutput())
    assert typed(pipe, "half an answer", CTRL_C, editor=editor) == Typed("half an answer", INTERRUPT)
    assert typed(pipe, "ab", CTRL_D, editor=editor) == Typed("ab", EOF)
    assert typed(pipe, "ab", LEFT, CTRL_D, ESC_ENTER, editor=editor) == Typed("a", SUBMIT)  # deletes forward


def test_the_toolbar_says_how_to_submit_and_counts_down_to_the_deadline(pipe):
    """Nothing is submitted: the editor waits, its toolbar showing the countdown, until the deadline
    takes the answer as it stands."""
    terminal = Terminal()
    start = datetime.now(timezone.utc)
    result = typed(pipe, "what I had", editor=AnswerEditor(input=pipe, output=terminal),
                   deadline=start + timedelta(seconds=3), clock=lambda: datetime.now(timezone.utc))
    assert result == Typed("what I had", TIMEOUT)
    shown = terminal.shown()
    assert re.search(r"⏱ 0:0[0-3] left", shown) and SUBMIT_HINT in shown and "what I had" in shown


def test_without_a_deadline_the_toolbar_names_the_keys(pipe):
    terminal = Terminal()
    typed(pipe, "x", ESC_ENTER, editor=AnswerEditor(input=pipe, output=terminal))
    shown = terminal.shown()
    assert SUBMIT_HINT in shown and "Ctrl-W/U" in shown and "⏱" not in shown


# -- the quiz and the interview, with the editor -----------------------------------------------

def _session(bank, home, now, **limits):
    from interviewprep.bank import loader as banks
    from interviewprep.srs.scheduler import FSRSScheduler
    from interviewprep.srs.session import Session
    from interviewprep.store.db import Store

    store = Store.open(home)
    cards = banks.load([(bank, False)]).select()
    return cards, store, Session(cards, store, FSRSScheduler(fuzz=False), now, **limits)


def test_quiz_type_reads_the_answer_in_the_editor(pipe, small_bank, isolated_home):
    from interviewprep.cli.keys import KeyReader
    from interviewprep.cli.quiz import run_quiz
    from interviewprep.models import Rating

    now = datetime(2026, 2, 1, tzinfo=timezone.utc)
    _, store, session = _session(small_bank, isolated_home, now)
    out = io.StringIO()
    pipe.send_text("the first\nand second point" + ESC_ENTER + "q" + ENTER)  # the second card: q
    summary, interrupted = run_quiz(session, Console(file=out, width=100), KeyReader(io.StringIO("3\nq\n")),
                                    lambda: now, "en", typed=True,
                                    editor=AnswerEditor(input=pipe, output=DummyOutput()))
    assert not interrupted and summary.reviewed == 1
    assert "the first" in out.getvalue() and "and second point" in out.getvalue()  # both lines revealed
    assert [r.rating for r in store.history("a-one")] == [Rating.GOOD]


def test_ctrl_c_in_the_interview_keeps_the_answer_for_the_report(pipe, small_bank, isolated_home):
    from interviewprep.cli.keys import KeyReader
    from interviewprep.cli.quiz import run_interview
    from interviewprep.export.interview_report import to_markdown
    from interviewprep.srs.interview import Interview, summarize
    from interviewprep.srs.recorder import Recorder
    from interviewprep.srs.scheduler import FSRSScheduler

    now = datetime(2026, 2, 1, tzinfo=timezone.utc)
    cards, store, _ = _session(small_bank, isolated_home, now, new_limit=0, limit=0)
    interview = Interview(cards, Recorder(store, FSRSScheduler(fuzz=False)), now, minutes=10, seed=1, lang="en")
    pipe.send_text("an answer I was\nstill writing" + CTRL_C)
    interrupted = run_interview(interview, Console(file=io.StringIO()), KeyReader(io.StringIO("")), lambda: now,
                                "en", editor=AnswerEditor(input=pipe, output=DummyOutput()))
    assert interrupted
    assert [t.answer for t in interview.turns] == ["an answer I was\nstill writing"]
    report = to_markdown(summarize(interview, now), "en")
    assert "1 question(s)" in report and "> an answer I was\n> still writing" in report
