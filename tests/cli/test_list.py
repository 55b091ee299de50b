"""`prep list`: one line per card when piped or narrow, filters by state and due date, sort orders."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from interviewprep.errors import UsageError
from interviewprep.models import Phase
from interviewprep.render.cards import card_lines
from interviewprep.srs.listing import choose
from tests.conftest import prep, run_prep, user
from tests.stubs import StubCard, reviewed_state

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


CARDS = [StubCard("c-new", "b", "advanced"), StubCard("a-review", "a", "intermediate"), StubCard("b-learning", "b")]
STATES = {"a-review": reviewed_state("a-review", Phase.REVIEW, NOW + timedelta(days=3)),
          "b-learning": reviewed_state("b-learning", Phase.RELEARNING, NOW - timedelta(minutes=5))}


def ids(cards):
    return [c.id for c in cards]


def test_state_filters_and_due_limits():
    assert ids(choose(CARDS, STATES, NOW, state="new")) == ["c-new"]
    assert ids(choose(CARDS, STATES, NOW, state="learning")) == ["b-learning"]
    assert ids(choose(CARDS, STATES, NOW, state="review")) == ["a-review"]
    assert ids(choose(CARDS, STATES, NOW, state="due")) == ["b-learning"]
    assert ids(choose(CARDS, STATES, NOW, due="now")) == ["b-learning"]
    assert ids(choose(CARDS, STATES, NOW, due="+7d")) == ["a-review", "b-learning"]
    with pytest.raises(UsageError, match="--due 'soon'"):
        choose(CARDS, STATES, NOW, due="soon")


def test_sort_orders_are_stable_and_put_unseen_cards_last_by_due():
    assert ids(choose(CARDS, STATES, NOW)) == ["c-new", "a-review", "b-learning"]  # the banks' order
    assert ids(choose(CARDS, STATES, NOW, sort="id")) == ["a-review", "b-learning", "c-new"]
    assert ids(choose(CARDS, STATES, NOW, sort="deck")) == ["a-review", "c-new", "b-learning"]
    assert ids(choose(CARDS, STATES, NOW, sort="level")) == ["b-learning", "a-review", "c-new"]
    assert ids(choose(CARDS, STATES, NOW, sort="due")) == ["b-learning", "a-review", "c-new"]


def test_lines_keep_whole_ids_and_cut_only_the_question_to_the_width():
    long_question = "为什么需要激活函数？" * 8
    cards = [StubCard("a-very-long-card-identifier", "deck", question=long_question), StubCard("b", "deck")]
    lines = list(card_lines(cards, {}, "zh", NOW, width=60))
    assert all(line.startswith(("a-very-long-card-identifier  ", "b  ")) for line in lines)
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 60 and lines[0].endswith("…")
    assert list(card_lines(cards, {}, "zh", NOW, width=None))[0].endswith("为什么需要激活函数？")


def test_piped_list_of_the_built_in_bank_is_one_line_per_card_and_greppable():
    result = run_prep("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    from interviewprep.bank import loader

    listed = [line.split()[0] for line in lines]
    assert listed == list(loader.load(loader.bank_dirs(builtin=True)).cards)  # every card once, in bank order
    assert "activation-function-role" in listed


def test_list_options_through_the_cli(small_bank):
    bank = user(small_bank)
    quiz = prep("quiz", *bank, "--lang", "en", input=" \n1\nq\n")
    assert quiz.exit_code == 0, quiz.output
    learning = prep("list", *bank, "--state", "learning").output.splitlines()
    assert [line.split()[0] for line in learning] == ["a-one"] and " learning " in learning[0]
    new = prep("list", *bank, "--state", "new", "--sort", "id").output.split("\n")
    assert [line.split()[0] for line in new if line] == ["a-three", "a-two", "b-one", "b-two"]
    bad = prep("list", *bank, "--state", "bogus")
    assert bad.exit_code == 2 and "new, learning, review, due, buried, suspended, flagged" in bad.output
