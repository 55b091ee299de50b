"""How well the key-point matcher grades typed answers, measured on answers graded by hand.

tests/data/graded_answers.yaml holds typed answers to built-in cards (Chinese and English; good,
partial and wrong) with the key points a human grader ticks. Each answer is matched against the card's
points in both languages, as `prep quiz --type` and `prep interview` do; every (answer, point) pair is
a true or false positive or negative, and precision and recall are counted over all pairs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interviewprep.bank import loader as banks
from interviewprep.bank.keypoints import card_points, cover

GRADED = Path(__file__).resolve().parents[1] / "data" / "graded_answers.yaml"
FLOOR = 0.85


@pytest.fixture(scope="module")
def builtin():
    return banks.load(banks.bank_dirs(builtin=True))


def graded() -> list[dict]:
    return yaml.safe_load(GRADED.read_text(encoding="utf-8"))["answers"]


def ticks(card, answer: str, lang: str) -> set[int]:
    return {i for i, c in enumerate(cover(card_points(card, lang), answer)) if c.hit}


def test_the_graded_set_is_large_mixed_and_names_real_points(builtin):
    answers = graded()
    zh = [a for a in answers if any("\u4e00" <= ch <= "\u9fff" for ch in a["answer"])]
    assert len(answers) >= 60 and len(zh) >= 20 and len(answers) - len(zh) >= 20
    assert sum(1 for a in answers if not a["hits"]) >= 10  # wrong answers, which must tick nothing
    for a in answers:
        card = builtin.cards[a["card"]]
        assert all(0 <= i < len(card.key_points["en"]) for i in a["hits"]), a
        assert a["answer"].strip() not in {*card.point_texts("en"), *card.point_texts("zh")}, a  # not a copy


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_precision_and_recall_over_hand_graded_answers(builtin, lang):
    """Whatever language the card is shown in, the same answer gets the same ticks (both languages are
    matched), so precision and recall hold for either."""
    tp = fp = fn = 0
    wrong = []
    for a in graded():
        got, want = ticks(builtin.cards[a["card"]], a["answer"], lang), set(a["hits"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if got != want:
            wrong.append(f"{a['card']}: want {sorted(want)} got {sorted(got)}: {a['answer'][:60]}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    message = (f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn}); "
               f"{len(wrong)} answers differ:\n" + "\n".join(wrong))
    assert precision >= FLOOR and recall >= FLOOR, message
