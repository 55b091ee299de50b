"""A table of plain-text cells that prints exactly as rich's Table does, fast at 100,000 rows.

Why: `prep list` prints one row per card, and rich lays out and wraps every cell of every row
through its general machinery (~0.5 ms a row: 50 s for 100,000 cards). Almost every row is one
line whose cells fit their columns, and such a line is fully determined by the column widths.
So rich still decides everything that needs deciding: the column widths (measured on the few
rows that set them: the widest cell and the longest word of each column), the title, the
borders, the header, and every row that has to wrap or holds anything but plain printable text.
Only the one-line rows are written here, with the border characters and padding read off a
probe rendered by rich itself. When anything about the table is not what this expects (a
style on body cells, a table wider than the console) every row goes through rich. Tests compare
the output with rich's own, byte for byte, at several widths and in colour.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.table import Table

SMALL = 200  # rows: below this rich renders the whole table, as fast as it needs to be
PROBE = "x"


class PlainTable:
    """`Table(title=...)` with `add_column(name, overflow="fold")` per column and string cells, as one renderable."""

    def __init__(self, title: str, columns: list[str], rows: list[tuple[str, ...]]):
        self.title = title
        self.columns = list(columns)
        self.rows = rows

    def table(self, rows, widths: list[int] | None = None, title: bool = True, header: bool = True) -> Table:
        """The rich Table this stands for (fixed column widths when given: the layout of the full table)."""
        table = Table(title=self.title if title else None, show_header=header)
        for n, name in enumerate(self.columns):
            table.add_column(name, overflow="fold", width=None if widths is None else widths[n] - 2)
        for row in rows:
            table.add_row(*row)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        if len(self.rows) <= SMALL:
            yield self.table(self.rows)
            return
        layout = self._layout(console, options)
        if layout is None:
            yield self.table(self.rows)
            return
        widths, head, bottom, mid, foot, body_start = layout
        for line in head:
            yield from line
            yield Segment.line()
        last = len(self.rows) - 1
        chunk: list[str] = []
        wrapped: list[tuple[str, ...]] = []
        for n, row in enumerate(self.rows):
            line = _one_line(row, self._sizes[n], widths, foot if n == last else mid)
            if line is None:
                wrapped.append(row)
                continue
            if wrapped:
                yield from _flush(chunk)
                yield from self._rich_rows(console, options, widths, wrapped, body_start, ends=False)
                wrapped = []
            chunk.append(line)
            if len(chunk) >= 1000:
                yield from _flush(chunk)
        yield from _flush(chunk)
        if wrapped:
            yield from self._rich_rows(console, options, widths, wrapped, body_start, ends=True)
        yield from bottom
        yield Segment.line()

    def _layout(self, console: Console, options: ConsoleOptions):
        """(widths, head lines, bottom line, middle and last row borders, body start), or None: let rich do all."""
        width_of = [0] * len(self.columns)  # widest cell, and the row it is in
        word_of = [0] * len(self.columns)  # longest word
        keep: dict[int, tuple[str, ...]] = {}
        at_width = [0] * len(self.columns)
        at_word = [0] * len(self.columns)
        self._sizes = sizes = []  # per row: each cell's width when the row is plain text, else None
        for n, row in enumerate(self.rows):
            row_sizes = _sizes(row)
            sizes.append(row_sizes)
            if row_sizes is None:
                keep[n] = row  # measured by rich itself
                continue
            for c, (text, size) in enumerate(zip(row, row_sizes)):
                if size > width_of[c]:
                    width_of[c], at_width[c] = size, n
                if size > word_of[c]:  # a word is never wider than its cell
                    word = max(cell_len(w) for w in text.split(" "))
                    if word > word_of[c]:
                        word_of[c], at_word[c] = word, n
        for n in (*at_width, *at_word):
            keep[n] = self.rows[n]
        sample = self.table([keep[n] for n in sorted(keep)])
        max_width = options.max_width
        widths = sample._calculate_column_widths(console, options.update_width(max_width - sample._extra_width))
        if sum(widths) + sample._extra_width > max_width:
            return None
        probe = tuple(PROBE for _ in self.columns)
        framed = _lines(console, options, self.table([probe, probe], widths))
        if not framed or len(framed) < 4:
            return None
        mid, foot = _borders(framed[-3], widths), _borders(framed[-2], widths)
        untitled = _lines(console, options, self.table([probe, probe], widths, title=False))
        if mid is None or foot is None:
            return None
        return widths, framed[:-3], framed[-1], mid, foot, len(untitled) - 3

    def _rich_rows(self, console, options, widths, rows, body_start: int, ends: bool):
        """Rows that wrap (or hold more than plain text), rendered by rich at the table's widths."""
        probe = tuple(PROBE for _ in self.columns)
        lines = _lines(console, options, self.table(rows if ends else [*rows, probe], widths, title=False))
        for line in lines[body_start: -1 if ends else -2]:
            yield from line
            yield Segment.line()


def _plain(text) -> bool:
    """One line of printable text with single spaces between words: rich shows it as it is.

    (Printable leaves the ASCII space as the only whitespace, so this is `text == " ".join(text.split())`.)
    """
    return (isinstance(text, str) and text.isprintable() and text != "" and text[0] != " " and text[-1] != " "
            and "  " not in text)


def _sizes(row) -> list[int] | None:
    """Each cell's width in terminal cells (rich's measure) when every cell is plain, else None."""
    out = []
    for text in row:
        if not _plain(text):
            return None
        out.append(len(text) if text.isascii() else cell_len(text))  # printable ASCII is one cell a character
    return out


def _one_line(row, sizes, widths: list[int], borders) -> str | None:
    """The row's lines as rich prints them (plain text, folded as rich's Text folds it), else None."""
    if sizes is None:
        return None
    left, divider, right = borders
    columns = []
    for text, size, width in zip(row, sizes, widths):
        room = width - 2 - size
        if room >= 0:
            columns.append([f" {text}{' ' * room} "])
            continue
        lines = _folded(text, width - 2)
        if lines is None:
            return None
        columns.append(lines)
    height = max(len(c) for c in columns)
    if height == 1:
        return left + divider.join(c[0] for c in columns) + right
    blank = [" " * w for w in widths]  # a shorter cell is filled with blank lines below (vertical: top)
    return "\n".join(left + divider.join(c[i] if i < len(c) else blank[n] for n, c in enumerate(columns)) + right
                     for i in range(height))


def _folded(text: str, room: int) -> list[str] | None:
    """A plain cell too wide for its column as rich lays it out: broken between words (a word longer than
    the column folded), each line without its trailing spaces, padded to the column. None: let rich do it."""
    from rich._wrap import divide_line

    if room < 2:
        return None
    offsets = [0, *divide_line(text, room, fold=True), len(text)]
    out = []
    for start, end in zip(offsets, offsets[1:]):
        piece = text[start:end].rstrip(" ")
        size = len(piece) if piece.isascii() else cell_len(piece)
        if size > room:
            return None
        out.append(f" {piece}{' ' * (room - size)} ")
    return out


def _flush(chunk: list[str]):
    if chunk:
        yield Segment("\n".join(chunk) + "\n")
        chunk.clear()


def _lines(console: Console, options: ConsoleOptions, table: Table) -> list[list[Segment]]:
    return list(Segment.split_lines(console.render(table, options)))


def _borders(line: list[Segment], widths: list[int]):
    """(left, divider, right) of a probe row, or None when it carries a style or is not laid out as expected."""
    if any(segment.style or segment.control for segment in line):
        return None
    text = "".join(segment.text for segment in line)
    if len(text) != 1 + sum(widths) + len(widths):
        return None
    left, pos, dividers = text[0], 1, []
    for width in widths:
        if text[pos: pos + width] != f" {PROBE}".ljust(width):
            return None
        pos += width
        dividers.append(text[pos])
        pos += 1
    if len(set(dividers[:-1])) > 1:
        return None
    return left, dividers[0] if len(widths) > 1 else "", dividers[-1]
