"""House rules of the built-in bank: valid, complete, bilingual, sized for an interview, our own words."""

from __future__ import annotations

import html
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


def test_every_id_of_the_deck_plan_is_covered(builtin):
    plan = yaml.safe_load(shared("deck_plan.yaml").read_text(encoding="utf-8"))["decks"]
    covered = {s for c in builtin.cards.values() for s in c.sources}
    for deck, items in plan.items():
        missing = [i["id"] for i in items if i["id"] not in covered]
        assert not missing, f"{deck}: {missing}"
    assert sum(len(items) for items in plan.values()) == 162


def seen_length(markdown: str) -> int:
    """Characters a reader sees: the Markdown rendered to text, each run of white space one space.

    (Counting with all white space removed, as before, let answers of 736 visible characters pass.)
    """
    from markdown_it import MarkdownIt

    text = html.unescape(re.sub(r"<[^>]+>", " ", MarkdownIt("commonmark").render(markdown)))
    return len(re.sub(r"\s+", " ", text).strip())


def test_seen_length_counts_what_is_shown():
    assert seen_length("**粗体** 和 `code`\n\n- 一\n- 二") == len("粗体 和 code 一 二")


def test_every_card_meets_the_house_rules(builtin):
    problems = []
    for card in builtin.cards.values():
        zh = seen_length(card.answer["zh"])
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


def shared(name: str) -> Path:
    """A file or folder of ../shared, which CI lays beside the clone; its absence is a failure, not a skip."""
    path = SHARED / name
    assert path.exists(), f"{path} is missing: the seed documents and deck plan must lie in ../shared"
    return path


def copied_runs(cards: list[dict], seed_text: str) -> list[str]:
    """Every card whose prose shares a run of COPY_LIMIT characters with `seed_text`: 'id: run'."""
    windows = {seed_text[i:i + COPY_LIMIT] for i in range(len(seed_text) - COPY_LIMIT + 1)}
    copied = []
    for card in cards:
        for text in card_strings(card):
            hit = next((text[i:i + COPY_LIMIT] for i in range(len(text) - COPY_LIMIT + 1)
                        if text[i:i + COPY_LIMIT] in windows), None)
            if hit:
                copied.append(f"{card['id']}: {hit!r}")
    return copied


def seed_text() -> str:
    return "\x00".join(p.read_text(encoding="utf-8") for p in sorted(shared("seeds").glob("*.txt")))


def test_no_card_copies_25_characters_from_a_seed_document():
    cards = [card for path in sorted(banks.builtin_dir().glob("*.yaml")) if path.name != banks.SEED_INDEX
             for card in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]]
    copied = copied_runs(cards, seed_text())
    assert not copied, "\n".join(copied)


def card_strings(node):
    """Every prose string of a card (ids, sources, tags and demo links are not prose)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("id", "sources", "see_also", "tags", "level", "demo", "replaces", "references"):
                yield from card_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from card_strings(value)


def test_the_copy_check_catches_a_copied_sentence():
    """The real detector above, fed a card with a seed sentence pasted in: it must report that card."""
    text = seed_text()
    line = next(ln for ln in text.splitlines() if len(ln) > 40)
    pasted = {"id": "pasted", "answer": {"zh": "前言" + line[:30] + "后记"}}
    own = {"id": "own", "answer": {"zh": "这是一段完全由我们自己写成、不会出现在任何种子文档中的说明文字。" * 2}}
    assert [row.split(":")[0] for row in copied_runs([pasted, own], text)] == ["pasted"]


def test_each_cards_reference_answer_ticks_all_of_its_own_key_points(builtin):
    """Saying the reference answer in `prep quiz --type` or `prep interview` must score full marks."""
    from interviewprep.bank.keypoints import card_points, cover

    missed = [f"{card.id} ({lang}): {c.point.text}"
              for card in builtin.cards.values() for lang in ("zh", "en")
              for c in cover(card_points(card, lang), card.answer[lang]) if not c.hit]
    assert not missed, "\n".join(missed)
