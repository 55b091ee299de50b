"""The loader: valid banks load; every kind of bad file gives one `path:line:col: message` line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewprep.bank import loader as banks
from interviewprep.errors import BankError
from interviewprep.models import Card, KeyPoint
from tests.conftest import card_yaml, deck_yaml

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")


def problems_for(tmp_path: Path, text: str | bytes, name: str = "deck.yaml") -> list[str]:
    folder = tmp_path / "b"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    _, problems = banks.read([(folder, False)])
    return problems


def only(problems: list[str]) -> re.Match:
    assert len(problems) == 1, problems
    match = LINE.match(problems[0])
    assert match, problems[0]
    return match


def test_valid_bank_loads_in_file_order(small_bank):
    loaded = banks.load([(small_bank, False)])
    assert [d.id for d in loaded.decks] == ["alpha", "beta"]
    assert list(loaded.cards) == ["a-one", "a-two", "a-three", "b-one", "b-two"]
    card = loaded.cards["a-two"]
    assert card.question["en"] == "Question a-two?"
    assert card.point_texts("zh") == ["要点一", "要点二", "要点三"]
    assert card.sources == ("000#1",) and card.deck == "alpha"
    assert card.line == 13  # the line of `- id: a-two`


BASE = deck_yaml("d", ["c1"])  # line 6 is `  - id: c1`, 7 level, 8 sources, 9 tags, 10 question


@pytest.mark.parametrize(
    "text, line, message",
    [
        (BASE.replace("    level: basic", "    level: expert"), 7, "level 'expert' must be one of"),
        (BASE.replace("    level: basic", "    levle: basic"), 7,
         "unknown field 'levle' in card (did you mean 'level'?)"),
        (BASE.replace('["000#1"]', '["999#9"]'), 8, "unknown seed id '999#9'"),
        (BASE.replace("tags: [test]", "tags: test"), 9, "tags must be a list, got text"),
        (BASE.replace("tags: [test]", "tags: [1.5]"), 9, "an item of tags must be text, got a number"),
        (BASE.replace("    answer: {zh: 答案 c1, en: Answer c1.}\n", ""), 6, "missing required field `answer`"),
        (BASE.replace("question: {zh: 问题 c1, en: Question c1?}", "question: Question?"), 10,
         "question (a mapping of zh/en) must be a mapping, got text"),
        (BASE.replace("question: {zh: 问题 c1, en:", "question: {zh: 问题 c1, fr:"), 10, "unknown language 'fr'"),
        (BASE.replace("  - id: c1", "  - id: Bad_Id"), 6, "must be lowercase letters, digits and single hyphens"),
        (BASE.replace("cards:\n", "cards: nope\n").split("  - id")[0], 5, "cards must be a list, got text"),
        (BASE.replace("  id: d\n", ""), 1, "deck is missing required field `id`"),
        (BASE + "    see_also: [nowhere]\n", 6, "see_also names unknown card 'nowhere'"),
        (BASE + "    pitfall: {zh: 错, en: [wrong]}\n", 13, "pitfall.en must be text, got a list"),
        (BASE.replace("    tags: [test]", "    tags: !!python/object:os.system [test]"), 9, "unsupported YAML tag"),
        (BASE.replace("deck:\n", "deck: &a\n") + "    followups: *a\n", 1, "aliases"),
        (BASE.replace("    tags: [test]", "\ttags: [test]"), 9, "tabs"),
        (BASE.replace("question: {zh: 问题 c1,", "question: {zh: [问题 c1,"), 10, "YAML syntax error"),
        (BASE + card_yaml("c1"), 13, "duplicate card id 'c1'"),
        (BASE.replace("    level: basic\n", "    level: basic\n    level: basic\n"), 8, "duplicate key 'level'"),
        ("", 1, "empty file"),
        ("- just\n- a list\n", 1, "a bank file must be a mapping, got a list"),
    ],
)
def test_each_bad_file_gives_its_line(tmp_path, text, line, message):
    problems = problems_for(tmp_path, text)
    assert any(message in p for p in problems), problems
    hit = next(LINE.match(p) for p in problems if message in p)
    assert hit["path"].endswith("deck.yaml")
    assert int(hit["line"]) == line, problems


def test_the_builtin_bank_requires_both_languages(tmp_path):
    text = BASE.replace("question: {zh: 问题 c1, en: Question c1?}", "question: {en: Question c1?}")
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "d.yaml").write_text(text, encoding="utf-8")
    _, as_user = banks.read([(folder, False)])
    _, as_builtin = banks.read([(folder, True)])
    assert as_user == []
    assert len(as_builtin) == 1 and "question is missing language zh" in as_builtin[0]


def test_non_utf8_names_the_line_and_column(tmp_path):
    data = BASE.encode("utf-8").replace(b"Question c1?", b"Qu\xe9stion c1?")
    m = only(problems_for(tmp_path, data))
    assert (m["line"], m["col"]) == ("10", str(BASE.splitlines()[9].index("Question") + 3))  # characters, not bytes
    assert "not valid UTF-8" in m["msg"]


def test_utf16_and_bom(tmp_path):
    assert "UTF-16" in only(problems_for(tmp_path / "u16", BASE.encode("utf-16")))["msg"]
    assert problems_for(tmp_path / "bom", b"\xef\xbb\xbf" + BASE.encode("utf-8")) == []


def test_duplicate_ids_across_files_name_both(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "a.yaml").write_text(deck_yaml("a", ["same"]), encoding="utf-8")
    (folder / "b.yaml").write_text(deck_yaml("b", ["same"]), encoding="utf-8")
    _, problems = banks.read([(folder, False)])
    m = only(problems)
    assert m["path"].endswith("b.yaml") and m["line"] == "6"
    assert "a.yaml:6" in m["msg"]


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    text = BASE.replace("level: basic", "level: huge") + card_yaml("c2", sources='["000#0"]')
    problems = problems_for(tmp_path, text)
    assert len(problems) == 2, problems


def test_load_raises_bank_error_listing_all(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "x.yaml").write_text("deck: {id: x}\n", encoding="utf-8")
    with pytest.raises(BankError) as info:
        banks.load([(folder, False)])
    assert len(info.value.problems) == 2  # title missing, cards missing


yaml_scalars = st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["deck", "cards", "id", "title", "question", "answer", "key_points", "zh", "en", "level", "tags",
         "sources", "demo", "params", "followups", "see_also"]), inner, max_size=5)), max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=yaml_values)
def test_any_yaml_document_gives_a_bank_or_bank_errors(tmp_path, doc):
    import yaml

    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "f.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        banks.load([(folder, False)])
    except BankError as exc:
        assert all(LINE.match(p) for p in exc.problems), exc.problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
def test_any_bytes_give_a_bank_or_bank_errors(tmp_path, data):
    folder = tmp_path / "fuzzb"
    folder.mkdir(exist_ok=True)
    (folder / "f.yaml").write_bytes(data)
    try:
        banks.load([(folder, False)])
    except BankError as exc:
        assert exc.problems and all(LINE.match(p) for p in exc.problems), exc.problems


DECLARED = BASE.replace(
    "    key_points: {zh: [要点一, 要点二, 要点三], en: [one, two, three]}\n",
    "    key_points:\n"
    "      zh: [要点一, 要点二, {text: 梯度消失, match: [梯度消失|梯度变小, sigmoid]}]\n"
    "      en: [one, two, {text: Vanishing gradients,\n"
    "                      match: [vanishing gradient|gradients shrink, sigmoid], min: 2}]\n")


def test_key_points_may_declare_their_match_terms(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "d.yaml").write_text(DECLARED, encoding="utf-8")
    card = banks.load([(folder, False)]).cards["c1"]
    assert card.point_texts("en") == ["one", "two", "Vanishing gradients"]  # texts, for display and export
    declared = KeyPoint("Vanishing gradients", ("vanishing gradient|gradients shrink", "sigmoid"), 2)
    assert card.key_points["en"] == (KeyPoint("one"), KeyPoint("two"), declared)
    assert card.key_points["zh"][2] == KeyPoint("梯度消失", ("梯度消失|梯度变小", "sigmoid"), 1)
    data = json.loads(json.dumps(card.to_dict()))  # as the bank cache stores it and `prep list --json` prints it
    assert data["key_points"]["en"] == ["one", "two", "Vanishing gradients"]
    assert data["key_point_match"]["en"] == {"2": {"match": list(declared.terms), "min": 2}}
    assert Card.from_dict(data, path=card.path, line=card.line) == card


@pytest.mark.parametrize("point, at, message", [
    ("{text: X}", "{text: X}", "a key point mapping needs `text` and `match`"),
    ("{text: X, match: []}", "[]", "match is empty"),
    ("{text: X, match: [a], min: 2}", "2}", "min must be a whole number from 1 to the number of match terms"),
    ("{text: X, match: [a], mni: 1}", "mni", "unknown field 'mni' in key point (did you mean 'min'?)"),
    ("{text: X, match: a}", "a}", "match must be a list, got text"),
])
def test_bad_declared_key_points_name_their_position(tmp_path, point, at, message):
    text = BASE.replace("en: [one, two, three]}", f"en: [one, two, {point}]}}")
    (problem,) = problems_for(tmp_path, text)
    number, line = next((n, ln) for n, ln in enumerate(text.splitlines(), 1) if "key_points" in ln)
    assert f":{number}:{line.index(at) + 1}: " in problem and message in problem, problem


def test_key_points_decoded_from_card_data_are_the_frozen_dataclass_built_the_usual_way():
    """Card.from_dict builds plain points without the dataclass __init__ (the cache decodes thousands):
    they are equal to, hash like and are as frozen as KeyPoint(text)."""
    import dataclasses

    card = Card.from_dict({"id": "c", "deck": "d", "question": {"en": "q"}, "answer": {"en": "a"},
                           "key_points": {"en": ["one", "two"], "zh": ["一", "二"]},
                           "key_point_match": {"zh": {"1": {"match": ["二|两"], "min": 1}}}})
    assert card.key_points == {"en": (KeyPoint("one"), KeyPoint("two")),
                               "zh": (KeyPoint("一"), KeyPoint("二", ("二|两",)))}
    assert {hash(p) for p in card.key_points["en"]} == {hash(KeyPoint("one")), hash(KeyPoint("two"))}
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.key_points["en"][0].text = "changed"
    assert Card.from_dict(card.to_dict()) == card
