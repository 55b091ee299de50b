"""CommonMark building blocks: GitHub-style heading slugs, escaping, and taming embedded Markdown.

Why this exists: a table of contents only works when each link is exactly the anchor GitHub (and
most renderers that copy it) derive from the heading's text, CJK included. So headings are built
from escaped plain text (their rendered text is then the text we slug), and the Markdown of
answers is parsed first so that a heading or an unclosed code fence inside one card cannot add
anchors to, or swallow, the rest of the document. markdown-it-py is a dependency of rich, so it is
always installed.
"""

from __future__ import annotations

import re
import unicodedata

# github-slugger removes these general categories (everything but letters, marks, decimal and
# letter numbers, connector punctuation like "_"), except for the ASCII space and hyphen.
_SLUG_DROP = {"No", "Pe", "Pf", "Pi", "Ps", "Po", "Pd", "Sm", "Sc", "Sk", "So",
              "Cc", "Co", "Cf", "Cn", "Zs", "Zl", "Zp"}
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<>&#|~!]|(?<![^\W_])_|_(?![^\W_]))")  # "_" inside a word is literal


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is `text` (before de-duplication)."""
    kept = "".join(ch for ch in text.lower() if ch in " -" or unicodedata.category(ch) not in _SLUG_DROP)
    return kept.replace(" ", "-")


class Slugger:
    """Document-wide slugs, de-duplicated the way github-slugger does: x, x-1, x-2, ..."""

    def __init__(self):
        self.occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = result = github_slug(text)
        while result in self.occurrences:
            self.occurrences[base] += 1
            result = f"{base}-{self.occurrences[base]}"
        self.occurrences[result] = 0
        return result


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def escape_inline(text: str) -> str:
    """Plain text as inline Markdown that renders as exactly that text (on one line)."""
    return _INLINE_SPECIAL.sub(r"\\\1", one_line(text))


def heading(level: int, text: str, slugger: Slugger) -> tuple[str, str]:
    """An ATX heading line for plain `text` and the anchor it gets."""
    plain = one_line(text)
    return f"{'#' * level} {escape_inline(plain)}", slugger.slug(plain)


def _parser():
    """One CommonMark parser for the whole process: building one costs ~100x parsing a short answer."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark")
    return _PARSER


_PARSER = None
# What fragment() can change: HTML starts with "<", an ATX heading needs "#", a fence needs three backticks
# or tildes, and a setext underline is a line ending in "=" or "-". Text with none of them is kept as it is.
_MAY_CHANGE = re.compile(r"[<#]|```|~~~|[=-][^\S\n]*(?:\n|$)")


def fragment(text: str) -> str:
    """Author Markdown made safe to embed: headings become bold lines, open fences are closed."""
    source = str(text).strip("\n")
    if not _MAY_CHANGE.search(source):  # the common case, and the answer is the same as the parse below gives
        return source.rstrip() if source.strip() else ""
    return _parsed_fragment(source)


def _parsed_fragment(source: str) -> str:
    """fragment() by parsing: rewrite the headings CommonMark sees and close a fence left open."""
    source = neutralise_html(source)
    if not source.strip():
        return ""
    lines = source.split("\n")
    tokens = _parser().parse(source)
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or not token.map:
            continue
        start, end = token.map
        if token.markup.startswith("#"):  # ATX: keep any container prefix ("- ", "> "), bold the text
            line = lines[start]
            cut = line.index(token.markup)
            inline = tokens[i + 1].content.strip()
            lines[start] = line[:cut] + (f"**{inline}**" if inline else "")
        else:  # setext: drop the underline, the text stays a paragraph
            lines[end - 1] = None
    lines = [line for line in lines if line is not None]
    out = "\n".join(lines).rstrip()
    for token in _parser().parse(out):
        if token.type == "fence" and token.map and token.map[1] >= len(out.split("\n")) and not _closes(out, token):
            out += "\n" + token.markup
    return out


def neutralise_html(source: str) -> str:
    """Raw HTML in author Markdown becomes text: `<script>` cannot run, an unclosed `<pre>` cannot swallow the file.

    Each HTML block or inline tag that CommonMark sees has its `<` written as `&lt;`, one at a time
    (escaping an opening `<pre>` can turn what followed it back into Markdown), so what a reader sees
    is the tag's text. Code spans and fences are Markdown's own and keep their `<` as typed.
    """
    parser = _parser()
    for _ in range(source.count("<")):
        hit = _first_html(parser.parse(source))
        if hit is None:
            break
        source = _escape_first(source, *hit)
    return source


def _first_html(tokens):
    for token in tokens:
        if token.type == "html_block" and token.map:
            return token.map[0], token.content.lstrip().split("\n")[0]
        for child in token.children or []:
            if child.type == "html_inline" and token.map:
                return token.map[0], child.content.split("\n")[0]
    return None


def _escape_first(source: str, line_no: int, raw: str) -> str:
    """Escape the `<` of the first `raw` at or after `line_no` that is outside a code span."""
    lines = source.split("\n")
    for n in range(line_no, len(lines)):
        spans = [m.span() for m in re.finditer(r"(`+)(?:.*?[^`])?\1(?!`)", lines[n])]
        start = 0
        while (i := lines[n].find(raw, start)) >= 0:
            if not any(a <= i < b for a, b in spans):
                lines[n] = lines[n][:i] + "&lt;" + lines[n][i + 1:]
                return "\n".join(lines)
            start = i + 1
    return source.replace("<", "&lt;")  # not found where the parser saw it: escape them all rather than loop


def _closes(text: str, token) -> bool:
    last = text.split("\n")[token.map[1] - 1].strip()
    return token.map[1] - token.map[0] > 1 and last.startswith(token.markup) and not last.strip(token.markup[0])


def indent(text: str, prefix: str, first: str | None = None) -> str:
    """Indent every non-empty line (for list-item continuation); `first` replaces the first prefix."""
    out = []
    for n, line in enumerate(text.split("\n")):
        lead = first if (n == 0 and first is not None) else prefix
        out.append(lead + line if line.strip() else "")
    return "\n".join(out)


def blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def cell(value) -> str:
    return escape_inline(str(value)) or " "


def table(columns: list, rows: list[list]) -> str:
    """A GFM pipe table (plain text in every cell)."""
    head = "| " + " | ".join(cell(c) for c in columns) + " |"
    rule = "|" + "|".join(" --- " for _ in columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def code_span(text: str) -> str:
    """Inline code that shows `text` verbatim, whatever backticks it holds."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def code_block(text: str, info: str = "text") -> str:
    """A fenced block long enough that no backtick run inside can end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"
