"""`prep export csv` and `prep export json`: the bank as data for spreadsheets and scripts.

CSV, one row per card, columns `CSV_COLUMNS`. It is UTF-8 with a byte-order mark because Excel
and friends otherwise guess a legacy code page and mangle Chinese; quoting is the csv module's
(RFC 4180, CRLF rows), so answers with commas, quotes and newlines survive. List separators:
  tags, sources   joined with "; "
  key points      joined with a newline (one point per line inside the cell)
  demo            "<demo id> name=value ..." (the `--set` values of `prep demo`), empty when none
Cell text is written as is (no "'" prefix against formula injection), so the file re-reads to
the same cards; open it with the spreadsheet's import dialog if a cell starts with "=".

JSON is the full card records (`Card.to_dict`, which `Card.from_dict` reads back), the decks
they belong to and the titles of the seed documents they cite; with `--with-progress`, each card
also carries its review state and history from the review store.
"""

from __future__ import annotations

import csv
import io
import json

from interviewprep.export import group_by_deck

CSV_COLUMNS = ["id", "deck", "level", "tags", "question_zh", "question_en", "answer_zh", "answer_en",
               "key_points_zh", "key_points_en", "sources", "demo"]
LIST_SEPARATOR = "; "
POINT_SEPARATOR = "\n"
JSON_FORMAT = "interviewprep-export"
JSON_VERSION = 1


def csv_row(card) -> dict[str, str]:
    from interviewprep.export.demoembed import param_text

    demo = ""
    if card.demo:
        demo = " ".join([card.demo.id, *(f"{k}={param_text(v)}" for k, v in card.demo.params.items())])
    return {
        "id": card.id,
        "deck": card.deck,
        "level": card.level,
        "tags": LIST_SEPARATOR.join(card.tags),
        "question_zh": card.question.get("zh", ""),
        "question_en": card.question.get("en", ""),
        "answer_zh": card.answer.get("zh", ""),
        "answer_en": card.answer.get("en", ""),
        "key_points_zh": POINT_SEPARATOR.join(card.key_points.get("zh", [])),
        "key_points_en": POINT_SEPARATOR.join(card.key_points.get("en", [])),
        "sources": LIST_SEPARATOR.join(card.sources),
        "demo": demo,
    }


def csv_bytes(cards) -> bytes:
    """The CSV file's bytes: BOM, header, one row per card, in bank order."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for card in cards:
        writer.writerow(csv_row(card))
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
    return (json.dumps(json_data(bank, cards, store), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

