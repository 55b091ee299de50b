"""Key-point matching on Chinese and English answers, derived and declared terms."""

from __future__ import annotations

import pytest

from interviewprep.bank.keypoints import CompiledPoint, cover, derive_terms, normalize, stem
from interviewprep.models import KeyPoint

ZH = ["没有激活函数，多层线性层塌缩成一个线性变换", "非线性让网络可逼近复杂函数",
      "f′(z) 出现在反向传播中，决定梯度流动"]
EN = ["Without it, stacked linear layers collapse into one linear map",
      "Non-linearity lets the network approximate complex functions",
      "f′(z) enters backprop and controls gradient flow"]


def test_chinese_answer_hits_the_points_it_covers():
    answer = "如果没有激活函数，多层线性层叠加起来还是塌缩成一个线性变换，网络就没法逼近复杂的函数。"
    hits = [c.hit for c in cover(ZH, answer)]
    assert hits == [True, True, False]


def test_english_answer_matches_across_word_forms():
    answer = "Without an activation, the stacked linear layers collapse to a single linear mapping, so the " \
             "network cannot approximate complex functions."
    coverage = cover(EN, answer)
    assert [c.hit for c in coverage] == [True, True, False]
    assert "map" in coverage[0].found  # "mapping" and "map" meet at the stem


def test_chinese_terms_are_bigrams_split_at_stop_characters():
    assert derive_terms("非线性的函数") == ("非线", "线性", "函数")
    assert "性函" not in derive_terms("非线性的函数")


def test_latin_inside_chinese_and_full_width_text():
    assert " relu " in derive_terms("ReLU 是隐藏层默认")
    assert cover(["ReLU 是隐藏层默认"], "现在隐藏层默认用 ＲｅＬＵ")[0].hit
    assert normalize("ＲｅＬＵ") == "relu"


def test_empty_and_unrelated_answers_hit_nothing():
    assert not any(c.hit for c in cover(ZH + EN, ""))
    assert not any(c.hit for c in cover(EN, "Dropout randomly zeroes activations during training."))


def test_light_stemmer_is_consistent():
    assert stem("saturates") == stem("saturation") == stem("saturating") == stem("saturated")
    assert stem("functions") == stem("function")
    assert stem("loss") == "loss" and stem("l2") == "l2"


def test_declared_match_terms_with_synonyms():
    point = KeyPoint("Vanishing gradients", ("vanishing gradient|梯度消失", "sigmoid|tanh"), 2)
    assert cover([point], "sigmoid 会导致梯度消失")[0].hit
    assert not cover([point], "梯度消失很常见")[0].hit  # only one of the two entries
    one = CompiledPoint.of(KeyPoint("Xavier init", ("glorot", "xavier")))
    assert one.need == 1 and cover([one], "Glorot initialization")[0].hit


def test_stop_word_only_point_still_matches_itself():
    assert cover(["one"], "Answer one.")[0].hit
    assert not cover(["one"], "someone")[0].hit


def test_match_terms_declared_in_the_bank_drive_the_highlighting(tmp_path):
    from interviewprep.bank import loader as banks
    from interviewprep.bank.keypoints import card_points, cover
    from tests.bank.test_bank import DECLARED

    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "d.yaml").write_text(DECLARED, encoding="utf-8")
    card = banks.load([(folder, False)]).cards["c1"]
    en = {c.point.text: c.hit for c in cover(card_points(card, "en"), "The gradients shrink through each sigmoid.")}
    assert en["Vanishing gradients"] is True  # a synonym plus "sigmoid": min 2 reached
    only_one = cover(card_points(card, "en"), "the gradients shrink")
    assert [c.hit for c in only_one if c.point.text == "Vanishing gradients"] == [False]  # 1 of min 2
    zh = {c.point.text: c.hit for c in cover(card_points(card, "zh"), "层数一多梯度变小")}
    assert zh["梯度消失"] is True  # the declared synonym 梯度变小, though the text says 梯度消失


def test_snowball_stems_meet_across_inflections_and_derivations():
    assert stem("dies") == stem("died") == stem("dying")
    assert cover(["Input normalization"], "you should normalize it first")[0].hit
    assert cover(["Gradients explode"], "exploding gradient")[0].hit


def test_common_synonyms_count():
    assert cover(["Each kernel is shared across positions"], "the same filter is shared at every location")[0].hit
    assert cover(["权值共享"], "权重共享")[0].hit
    assert cover(["Skip connections ease optimisation"], "the shortcut eases the optimisation")[0].hit


@pytest.fixture(scope="module")
def builtin():
    from interviewprep.bank import loader as banks

    return banks.load(banks.bank_dirs(builtin=True))


def test_issue_repro_local_connectivity_and_weight_sharing(builtin):
    """`prep quiz --type --deck cnn --lang en`: this answer scored 0/5 before."""
    from interviewprep.bank.keypoints import card_points

    card = builtin.cards["cnn-core-ideas"]
    hits = [c.hit for c in cover(card_points(card, "en"), "CNNs use local connectivity and weight sharing.")]
    assert hits[:2] == [True, True] and sum(hits) == 2


def test_an_answer_in_either_language_is_graded_on_the_points_of_both(builtin):
    from interviewprep.bank.keypoints import card_points

    card = builtin.cards["dying-relu"]
    answer = "The unit outputs zero for every input, its gradient is exactly zero so it can never recover."
    for lang in ("zh", "en", "both"):
        points = card_points(card, lang)
        assert [c.hit for c in cover(points, answer)][:2] == [True, True], lang
    assert card_points(card, "zh")[0].text == card.point_texts("zh")[0]  # shown in the card's language
    assert card_points(card, "both")[0].text == f"{card.point_texts('zh')[0]} / {card.point_texts('en')[0]}"


def test_repeating_the_question_ticks_nothing(builtin):
    from interviewprep.bank.keypoints import card_points

    for card_id in ("cnn-weight-sharing", "overfitting-underfitting", "dropout"):
        card = builtin.cards[card_id]
        for lang in ("zh", "en"):
            assert not any(c.hit for c in cover(card_points(card, lang), card.question[lang])), (card_id, lang)


def test_formulas_match_whatever_the_variables_are_called():
    from interviewprep.bank.keypoints import formulas

    assert formulas("f(z) = max(0, z)")[-1] == formulas("ReLU is max(0, x)")[0] == "max(0,x)"
    assert cover(["y = F(x) + x; the block learns"], "the output is F(h) + h")[0].hit
