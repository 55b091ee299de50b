"""`prep export markdown`: decks as CommonMark documents that read well on GitHub and diff well in git.

Why it looks like this:
- deterministic: no timestamps, bank order everywhere, demo runs seeded, so exporting an
  unchanged bank twice gives byte-identical files and a deck's history in git is its real edits;
- the table of contents links to exactly the anchor GitHub derives from each heading (CJK too),
  because every heading slug comes from one document-wide `mdtext.Slugger`, in document order;
- only the deck title, the contents and each question are headings; the card's parts are bold
  labels, so the outline (and the anchors) stay one entry per question;
- `--lang both` puts zh then en inside every field, so a bilingual reader compares line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interviewprep.export import files, group_by_deck, lang_codes, mdtext
from interviewprep.models import pick

LABELS = {
    "contents": ("目录", "Contents"),
    "answer": ("答案", "Answer"),
    "key_points": ("要点", "Key points"),
    "pitfall": ("易错点", "Pitfall"),
    "followups": ("追问", "Follow-up questions"),
    "sources": ("来源", "Sources"),
    "references": ("参考文献", "References"),
    "level": ("难度", "Level"),
    "tags": ("标签", "Tags"),
    "demo": ("演示", "Demo"),
    "measured": ("演示结果", "What the demo measured"),
    "cards": ("题", "cards"),
    "bank": ("题库", "Question bank"),
}
BULLETS = ("-", "*")  # zh list, en list: a new bullet character starts a new list in CommonMark


@dataclass
class Rendered:
    """A Markdown text plus the image files it links to (name -> bytes, written beside it)."""

    text: str
    images: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Outcome:
    """What an export did: the text for stdout, or the files it wrote."""

    text: str | None = None
    written: list[Path] = field(default_factory=list)


def label(key: str, langs: tuple[str, ...]) -> str:
    zh, en = LABELS[key]
    return " · ".join(zh if code == "zh" else en for code in langs)


def texts(text, langs: tuple[str, ...]) -> list[str]:
    """The text in each requested language, without repeating a fallback twice."""
    out: list[str] = []
    for code in langs:
        value = pick(text, code)
        if value and value not in out:
            out.append(value)
    return out


class DeckWriter:
    """Renders decks into one document; one instance per output file (its slugs are per document)."""

    def __init__(self, seeds: dict[str, str], langs: tuple[str, ...], demos=None, image_stem: str = ""):
        self.seeds = seeds
        self.langs = langs
        self.demos = demos
        self.image_stem = image_stem
        self.slugger = mdtext.Slugger()
        self.images: dict[str, bytes] = {}

    def deck(self, deck, cards) -> str:
        title, _ = mdtext.heading(1, " / ".join(texts(deck.title, self.langs)) or deck.id, self.slugger)
        blocks = [title]
        blocks += [mdtext.fragment(t) for t in texts(deck.description, self.langs)]
        contents, _ = mdtext.heading(2, label("contents", self.langs), self.slugger)
        entries, bodies = [], []
        for n, card in enumerate(cards, 1):
            question = " / ".join(texts(card.question, self.langs))
            line, slug = mdtext.heading(2, question, self.slugger)
            entries.append(f"{n}. [{mdtext.escape_inline(question)}](#{slug})")
            bodies += [line, *self.card(card)]
        blocks += [contents, "\n".join(entries), *bodies]
        return "\n\n".join(b for b in blocks if b) + "\n"

    def card(self, card) -> list[str]:
        langs = self.langs
        meta = [mdtext.code_span(card.id), f"**{label('level', langs)}** {card.level}"]
        if card.tags:
            meta.append(f"**{label('tags', langs)}** " + ", ".join(mdtext.escape_inline(t) for t in card.tags))
        blocks = [" · ".join(meta), f"**{label('answer', langs)}**"]
        blocks += [mdtext.fragment(t) for t in texts(card.answer, langs)]
        blocks.append(f"**{label('key_points', langs)}**")
        for bullet, code in zip(BULLETS, langs):
            points = card.point_texts(code) or next((t for c in card.key_points if (t := card.point_texts(c))), [])
            if points and (code == langs[0] or points != card.point_texts(langs[0])):
                blocks.append("\n".join(mdtext.indent(mdtext.fragment(p), "  ", f"{bullet} ") for p in points))
        if card.pitfall:
            blocks += [f"**{label('pitfall', langs)}**",
                       mdtext.blockquote("\n\n".join(mdtext.fragment(t) for t in texts(card.pitfall, langs)))]
        if card.followups:
            blocks += [f"**{label('followups', langs)}**", self.followups(card)]
        if card.sources:
            blocks += [f"**{label('sources', langs)}**", "\n".join(
                f"- {mdtext.code_span(s)}" + (f" {mdtext.escape_inline(self.seeds[s])}" if self.seeds.get(s) else "")
                for s in card.sources)]
        if card.references:
            blocks += [f"**{label('references', langs)}**", "\n".join(
                f"- {mdtext.escape_inline(f'{r.authors} ({r.year}). {r.title}.')} <{r.link}>"
                for r in card.references)]
        if card.demo:
            blocks.append(f"**{label('demo', langs)}** {mdtext.code_span(card.demo.command())}")
            if self.demos is not None:
                stem = f"{files.safe_name(card.id, 'card')}-{files.safe_name(card.demo.id, 'demo')}"
                name = f"{self.image_stem}{stem}.png"
                parts, images = self.demos.section(card, name)
                blocks += [f"**{label('measured', langs)}**", *parts]
                self.images.update(images)
        return blocks

    def followups(self, card) -> str:
        items = []
        for n, followup in enumerate(card.followups, 1):
            question = " / ".join(texts(followup.question, self.langs))
            answers = "\n\n".join(mdtext.fragment(t) for t in texts(followup.answer, self.langs))
            marker = f"{n}. "
            items.append(mdtext.indent(f"**{mdtext.escape_inline(question)}**\n\n{answers}", " " * len(marker),
                                       marker))
        return "\n\n".join(items)


def render(bank, groups, langs, demos=None, image_stem: str = "") -> Rendered:
    """Several decks as one document (stdout or `-o FILE.md`)."""
    writer = DeckWriter(bank.seeds, langs, demos, image_stem)
    text = "\n".join(writer.deck(deck, cards) for deck, cards in groups)
    return Rendered(text, writer.images)


def index(groups, names: list[str], langs) -> str:
    """index.md for `-o DIR`: one line per deck file."""
    slugger = mdtext.Slugger()
    lines = [mdtext.heading(1, label("bank", langs), slugger)[0], ""]
    for (deck, cards), name in zip(groups, names):
        title = mdtext.escape_inline(" / ".join(texts(deck.title, langs)) or deck.id)
        line = f"- [{title}]({name}) · {len(cards)} {label('cards', langs)}"
        description = " / ".join(texts(deck.description, langs))
        lines.append(line + (f" · {mdtext.escape_inline(description)}" if description else ""))
    return "\n".join(lines) + "\n"


def export(bank, cards, lang: str, output: Path | None = None, force: bool = False,
           with_demos: bool = False) -> Outcome:
    """Export `cards` (grouped into their decks): to stdout text, one FILE.md, or a DIR of files."""
    from interviewprep.export.demoembed import DemoEmbedder

    langs = lang_codes(lang)
    groups = group_by_deck(bank, cards)
    demos = DemoEmbedder(langs, images=output is not None) if with_demos else None
    if output is None:
        return Outcome(text=render(bank, groups, langs, demos).text)
    output = Path(output)
    if not output.is_dir() and (output.exists() or output.suffix.lower() in (".md", ".markdown")):
        rendered = render(bank, groups, langs, demos, image_stem=files.safe_name(output.stem, "deck") + "-")
        targets = {output: rendered.text.encode("utf-8")}
        targets.update({files.child(output.parent, n): data for n, data in rendered.images.items()})
        return Outcome(written=files.write_all(targets, force))
    names = [n + ".md" for n in files.unique_names([files.safe_name(d.id) for d, _ in groups], {"index"})]
    targets = {}
    for (deck, deck_cards), name in zip(groups, names):
        rendered = render(bank, [(deck, deck_cards)], langs, demos)
        targets[files.child(output, name)] = rendered.text.encode("utf-8")
        targets.update({files.child(output, n): data for n, data in rendered.images.items()})
    targets[files.child(output, "index.md")] = index(groups, names, langs).encode("utf-8")
    return Outcome(written=files.write_all(targets, force))
