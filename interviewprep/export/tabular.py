"""`prep export csv` and `prep export json`: the bank as data for spreadsheets and scripts.

CSV, one row per card, columns `CSV_COLUMNS`. It is UTF-8 with a byte-order mark because Excel
and friends otherwise guess a legacy code page and mangle Chinese; quoting is the csv module's
(RFC 4180, CRLF rows), so answers with commas, quotes and newlines survive. List separators:
  tags, sources   joined with "; "
  key points      joined with a newline (one point per line inside the cell)
  followups       "Q: …" and "A: …" lines per follow-up (追问), a blank line between them
  demo            "<demo id> name=value ..." (the `--set` values of `prep demo`), empty when none
A cell that begins with "=", "+", "-", "@", a tab or a carriage return gets a leading "'" (OWASP's
advice against CSV formula injection): a spreadsheet then shows the text instead of running it as a
formula (`=HYPERLINK(...)`, `=cmd|...`). To read the cards back, drop that one "'" from such cells
(`unformula`); JSON is the exact export.

JSON is the full card records (`Card.to_dict`, which `Card.from_dict` reads back), the decks
they belong to and the titles of the seed documents they cite; with `--with-progress`, each card
also carries its review state and history from the review store.
"""

from __future__ import annotations

import csv
import io

from interviewprep.export import group_by_deck

CSV_COLUMNS = ["id", "deck", "level", "tags", "question_zh", "question_en", "answer_zh", "answer_en",
               "key_points_zh", "key_points_en", "followups_zh", "followups_en", "sources", "demo"]
LIST_SEPARATOR = "; "
POINT_SEPARATOR = "\n"
JSON_FORMAT = "interviewprep-export"
JSON_VERSION = 1


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Text as a spreadsheet will show it, never run it: a leading "'" where a formula could start."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unformula(text: str) -> str:
    """The cell's text as the bank has it (the inverse of `cell`)."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text


def csv_row(card) -> dict[str, str]:
    demo = ""
    if card.demo:
        demo = " ".join([card.demo.id, *card.demo.settings()])
    return {
        "id": card.id,
        "deck": card.deck,
        "level": card.level,
        "tags": LIST_SEPARATOR.join(card.tags),
        "question_zh": card.question.get("zh", ""),
        "question_en": card.question.get("en", ""),
        "answer_zh": card.answer.get("zh", ""),
        "answer_en": card.answer.get("en", ""),
        "key_points_zh": POINT_SEPARATOR.join(card.point_texts("zh")),
        "key_points_en": POINT_SEPARATOR.join(card.point_texts("en")),
        "followups_zh": _followups(card, "zh"),
        "followups_en": _followups(card, "en"),
        "sources": LIST_SEPARATOR.join(card.sources),
        "demo": demo,
    }


def _followups(card, lang: str) -> str:
    """The interviewer's follow-ups (追问) in one cell: "Q: … / A: …", a blank line between them."""
    return "\n\n".join(f"Q: {f.question.get(lang, '')}\nA: {f.answer.get(lang, '')}" for f in card.followups
                        if f.question.get(lang))


def csv_bytes(cards) -> bytes:
    """The CSV file's bytes: BOM, header, one row per card, in bank order."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for card in cards:
        writer.writerow({name: cell(value) for name, value in csv_row(card).items()})
    return buffer.getvalue().encode("utf-8-sig")


def json_data(bank, cards, store=None) -> dict:
    """The export as a JSON-ready dict; `store` given adds each card's `progress`."""
    states = store.states() if store is not None else {}
    records = []
    for card in cards:
        record = card.to_dict()
        if store is not None:
            state = states.get(card.id)
            record["progress"] = {
                "state": state.to_dict() if state else None,
                "history": [review.to_dict() for review in store.history(card.id)],
            }
        records.append(record)
    cited = sorted({s for card in cards for s in card.sources})
    decks = [{"id": deck.id, "title": dict(deck.title), "description": dict(deck.description),
              "cards": len(chosen)} for deck, chosen in group_by_deck(bank, cards)]
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "decks": decks,
        "seeds": {s: bank.seeds.get(s, "") for s in cited},
        "cards": records,
    }


def json_bytes(bank, cards, store=None) -> bytes:
    from interviewprep.jsontext import dumps_indented

    return (dumps_indented(json_data(bank, cards, store)) + "\n").encode("utf-8")

