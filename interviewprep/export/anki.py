"""`prep export anki`: an .apkg that Anki imports as one deck per bank deck under "prep".

Why the identities are fixed: Anki recognises a note by its GUID and a note type by its model id.
The GUID is `genanki.guid_for` of the card id and the model and deck ids are constants (deck ids
hashed from the bank's deck id), so importing a newer export updates the notes already in a
collection, keeping their review history, instead of adding duplicates.

Why the HTML is built like this: answers (and follow-up answers) are Markdown, rendered by
markdown-it-py with raw HTML disabled, so a bank cannot inject markup or scripts into a card;
every other field is plain text and is HTML-escaped. genanki is an optional extra (`anki`).
"""

from __future__ import annotations

import functools
import hashlib
import html
from pathlib import Path

from interviewprep.errors import PrepError, UsageError
from interviewprep.export import files, group_by_deck, lang_codes
from interviewprep.models import pick

MODEL_ID = 1_607_392_319  # never change: Anki keys the note type on it
GUID_NAMESPACE = "interviewprep"
PARENT = "prep"
FIELDS = ["Question", "Answer", "KeyPoints", "Pitfall", "Source", "Demo"]
INSTALL_HINT = "`prep export anki` needs genanki: pip install 'interviewprep[anki]'"

FRONT = '<div class="question">{{Question}}</div>'
BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
{{#KeyPoints}}<div class="keypoints">{{KeyPoints}}</div>{{/KeyPoints}}
{{#Pitfall}}<div class="pitfall"><b>Pitfall · 易错点</b><br>{{Pitfall}}</div>{{/Pitfall}}
{{#Demo}}<div class="demo"><code>{{Demo}}</code></div>{{/Demo}}
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}"""
CSS = """.card { font-family: -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif;
  font-size: 18px; text-align: left; line-height: 1.5; }
.question { font-weight: 600; }
.pitfall { border-left: 4px solid #d9822b; padding-left: .6em; margin: .8em 0; }
.source, .demo { color: #666; font-size: 14px; margin-top: .6em; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }
pre, code { font-family: Menlo, Consolas, monospace; font-size: 15px; }"""


def require_genanki():
    try:
        import genanki
    except ImportError:
        raise PrepError(INSTALL_HINT) from None
    return genanki


def deck_id_for(deck_id: str) -> int:
    """A stable Anki deck id in [2**30, 2**31) from the bank's deck id."""
    digest = hashlib.sha256(f"{GUID_NAMESPACE}:deck:{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(card_id: str) -> str:
    return require_genanki().guid_for(GUID_NAMESPACE, card_id)


@functools.cache
def _commonmark():
    """One parser for the whole export: building one costs more than rendering a short answer."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_html(text: str) -> str:
    """Author Markdown to HTML with raw HTML escaped (lists, code, emphasis, tables)."""
    return _commonmark().render(text).strip()


def plain_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def tag_for(text: str) -> str:
    """Anki tags cannot contain spaces."""
    return "_".join(str(text).split())


class NoteBuilder:
    """Card -> the six field values, in the chosen languages."""

    def __init__(self, seeds: dict[str, str], langs: tuple[str, ...]):
        self.seeds = seeds
        self.langs = langs

    def each(self, text, render) -> str:
        parts, seen = [], []
        for code in self.langs:
            value = pick(text, code)
            if value and value not in seen:
                seen.append(value)
                parts.append(f'<div lang="{code}">{render(value)}</div>')
        return "".join(parts)

    def fields(self, card) -> list[str]:
        answer = self.each(card.answer, markdown_html)
        for followup in card.followups:
            answer += ('<div class="followup"><b>' + self.each(followup.question, plain_html) + "</b>"
                       + self.each(followup.answer, markdown_html) + "</div>")
        points = []
        for code in self.langs:
            values = card.point_texts(code) or next((t for c in card.key_points if (t := card.point_texts(c))), [])
            if values and values not in points:
                points.append(values)
        key_points = "".join("<ul>" + "".join(f"<li>{plain_html(p)}</li>" for p in values) + "</ul>"
                             for values in points)
        source = "<br>".join([plain_html(f"{s} {self.seeds.get(s, '')}".strip()) for s in card.sources]
                             + [plain_html(r.cite()) for r in card.references])
        demo = plain_html(card.demo.command()) if card.demo else ""
        return [self.each(card.question, plain_html), answer, key_points,
                self.each(card.pitfall, plain_html) if card.pitfall else "", source, demo]


def deck_name(deck, langs: tuple[str, ...]) -> str:
    titles = []
    for code in langs:
        value = pick(deck.title, code)
        if value and value not in titles:
            titles.append(value)
    title = " / ".join(titles) or deck.id
    return f"{PARENT}::{title.replace('::', ':')}"


def build(bank, cards, lang: str):
    """The genanki Package for `cards` (one Anki deck per bank deck)."""
    genanki = require_genanki()
    langs = lang_codes(lang)
    model = genanki.Model(
        MODEL_ID, "prep interview card",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Recall", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    builder = NoteBuilder(bank.seeds, langs)
    decks = []
    for deck, deck_cards in group_by_deck(bank, cards):
        anki_deck = genanki.Deck(deck_id_for(deck.id), deck_name(deck, langs))
        for card in deck_cards:
            tags = [tag_for(t) for t in card.tags] + [f"level::{card.level}"]
            anki_deck.add_note(genanki.Note(model=model, fields=builder.fields(card), tags=tags,
                                            guid=note_guid(card.id)))
        decks.append(anki_deck)
    return genanki.Package(decks)


def export(bank, cards, lang: str, output: Path, force: bool = False) -> Path:
    """Write the .apkg atomically (genanki writes a temp file beside it, then it is renamed)."""
    output = Path(output)
    if output.suffix.lower() != ".apkg":
        raise UsageError(f"{output}: an Anki package needs the .apkg suffix")
    package = build(bank, cards, lang)
    with files.replacing(output, force) as tmp:
        package.write_to_file(str(tmp))
    return output
