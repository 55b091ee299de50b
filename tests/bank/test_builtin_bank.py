"""House rules of the built-in bank: valid, complete, bilingual, sized for an interview, our own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from interviewprep.bank import loader as banks

SHARED = Path(__file__).resolve().parents[3] / "shared"
COPY_LIMIT = 25


@pytest.fixture(scope="module")
def builtin():
    return banks.load(banks.bank_dirs(builtin=True))


def test_builtin_bank_is_valid_and_covers_every_seed_id(builtin):
    covered = {s for c in builtin.cards.values() for s in c.sources}
    assert len(builtin.seeds) == 162
    assert set(builtin.seeds) <= covered, sorted(set(builtin.seeds) - covered)


@pytest.mark.skipif(not (SHARED / "deck_plan.yaml").is_file(), reason="shared/deck_plan.yaml not present")
def test_every_id_of_the_deck_plan_is_covered(builtin):
    plan = yaml.safe_load((SHARED / "deck_plan.yaml").read_text(encoding="utf-8"))["decks"]
    covered = {s for c in builtin.cards.values() for s in c.sources}
    for deck, items in plan.items():
        missing = [i["id"] for i in items if i["id"] not in covered]
        assert not missing, f"{deck}: {missing}"
    assert sum(len(items) for items in plan.values()) == 162


def test_every_card_meets_the_house_rules(builtin):
    problems = []
    for card in builtin.cards.values():
        zh = len(re.sub(r"\s", "", card.answer["zh"]))
        en = len(card.answer["en"].split())
        if not 120 <= zh <= 700:
            problems.append(f"{card.id}: answer.zh has {zh} characters")
        if not 60 <= en <= 400:
            problems.append(f"{card.id}: answer.en has {en} words")
        counts = {lang: len(card.key_points[lang]) for lang in ("zh", "en")}
        if counts["zh"] != counts["en"] or not 3 <= counts["en"] <= 6:
            problems.append(f"{card.id}: key points {counts}")
        if card.level != "basic" and not card.followups:
            problems.append(f"{card.id}: {card.level} card without a follow-up")
        if not card.sources and not card.references:
            problems.append(f"{card.id}: neither sources nor references")
    assert not problems, "\n".join(problems)


def test_every_deck_has_titles_and_descriptions_in_both_languages(builtin):
    for deck in builtin.decks:
        assert set(deck.title) == {"zh", "en"} and set(deck.description) == {"zh", "en"}, deck.id


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared/seeds not present")
def test_no_card_copies_25_characters_from_a_seed_document():
    seeds = "\x00".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt")))
    windows = {seeds[i:i + COPY_LIMIT] for i in range(len(seeds) - COPY_LIMIT + 1)}
    copied = []
    for path in sorted(banks.builtin_dir().glob("*.yaml")):
        if path.name == banks.SEED_INDEX:
            continue
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]:
            for text in card_strings(card):
                hit = next((text[i:i + COPY_LIMIT] for i in range(len(text) - COPY_LIMIT + 1)
                            if text[i:i + COPY_LIMIT] in windows), None)
                if hit:
                    copied.append(f"{path.name}: {card['id']}: {hit!r}")
    assert not copied, "\n".join(copied)


def card_strings(node):
    """Every prose string of a card (ids, sources, tags and demo links are not prose)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("id", "sources", "see_also", "tags", "level", "demo", "replaces"):
                yield from card_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from card_strings(value)


def test_the_copy_check_catches_a_copied_sentence(tmp_path):
    """The detector itself: a seed sentence pasted into a card is found."""
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip("shared/seeds not present")
    line = next(ln for ln in seeds[0].read_text(encoding="utf-8").splitlines() if len(ln) > 40)
    windows = {line[i:i + COPY_LIMIT] for i in range(len(line) - COPY_LIMIT + 1)}
    card = {"id": "x", "answer": {"zh": "前言" + line[:30] + "后记"}}
    assert any(t[i:i + COPY_LIMIT] in windows for t in card_strings(card) for i in range(len(t)))


def test_each_cards_reference_answer_ticks_all_of_its_own_key_points(builtin):
    """Saying the reference answer in `prep quiz --type` or `prep interview` must score full marks."""
    from interviewprep.bank.keypoints import card_points, cover

    missed = [f"{card.id} ({lang}): {c.point.text}"
              for card in builtin.cards.values() for lang in ("zh", "en")
              for c in cover(card_points(card, lang), card.answer[lang]) if not c.hit]
    assert not missed, "\n".join(missed)
