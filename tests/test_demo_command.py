"""One spelling of a card's demo command, on every surface, that reruns the demo at the card's parameters."""

from __future__ import annotations

import shlex

import pytest

from interviewprep.bank import loader
from interviewprep.demos import registry
from interviewprep.demos.spec import parse_sets
from interviewprep.export.tabular import csv_row
from interviewprep.models import DemoLink
from tests.conftest import prep

BUILTIN = loader.load(loader.bank_dirs(builtin=True))
LINKED = [c for c in BUILTIN.cards.values() if c.demo and c.demo.params]


def test_whole_floats_and_booleans_are_spelled_as_set_takes_them_and_strings_are_quoted():
    link = DemoLink("gan-1d", {"mu_g": 6.0, "plot": True, "note": "a b; rm -rf ~"})
    assert link.command() == "prep demo gan-1d --set mu_g=6 --set plot=true --set 'note=a b; rm -rf ~'"
    assert shlex.split(link.command())[-1] == "note=a b; rm -rf ~"


@pytest.mark.parametrize("card", LINKED, ids=[c.id for c in LINKED])
def test_the_command_reruns_the_demo_at_the_cards_parameters(card):
    words = shlex.split(card.demo.command())
    assert words[:3] == ["prep", "demo", card.demo.id]
    sets = [w for flag, w in zip(words[3::2], words[4::2]) if flag == "--set"]
    spec = registry.get(card.demo.id)
    assert spec.resolve(parse_sets(sets)) == spec.resolve(card.demo.params)


def test_show_and_csv_print_the_same_spelling():
    card = next(c for c in LINKED if any(isinstance(v, float) and v.is_integer() for v in c.demo.params.values()))
    shown = prep("show", card.id, "--lang", "en", env={"COLUMNS": "200"}).output
    assert card.demo.command() in shown
    assert csv_row(card)["demo"] == " ".join([card.demo.id, *card.demo.settings()])
