"""Rich output for bare `prep` and `prep decks`: per-deck new / learning / due, then what to run next.

Functions return renderables for the CLI to print; nothing here prints.
"""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from interviewprep.render.console import ForConsole


def deck_table(today, columns: int = 80) -> Table:
    """Anki's deck list: one row per deck and a total row; borderless below 100 columns, ids never cut."""
    narrow = columns < 100
    table = (Table(box=None, padding=(0, 1, 0, 0), show_footer=True) if narrow
             else Table(box=box.SIMPLE_HEAD, show_footer=True))
    totals = today.totals
    table.add_column("deck", footer="total", no_wrap=True)
    for name, value in (("new", totals.new), ("learning", totals.learning), ("due", totals.due)):
        table.add_column(name, footer=str(value), justify="right", no_wrap=True)
    for d in today.decks:
        table.add_row(d.deck, str(d.new), str(d.learning), str(d.due))
    return table


def show(today, plan=None, now_day=None) -> Group:
    """The deck table (fitted to the console that prints it), today's new-card allowance, the plan's
    status, and the one command to run next."""
    totals = today.totals
    shown_new = min(totals.new, today.new_allowed)
    parts = [ForConsole(lambda console: deck_table(today, console.width)),
             Text(f"a quiz now: {totals.due} due, {totals.learning} learning, {shown_new} new "
                  f"(new cards left today: {today.new_allowed})")]
    if plan is not None and now_day is not None:
        left = (plan.interview - now_day).days
        when = "today" if left == 0 else f"in {left} day(s)" if left > 0 else f"{-left} day(s) ago"
        parts.append(Text(f"interview plan: {len(plan.card_ids)} cards, interview {plan.interview} ({when}); "
                          "prep plan --show for the forecast"))
    parts.append(Text.assemble("next: ", (today.next_command, "bold")))
    return Group(*parts)


def tag_table(rows: list[tuple[str, int]]) -> Table:
    """Tags and their card counts, aligned by display width (Chinese tags are two cells a character)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    for tag, n in rows:
        table.add_row(tag, str(n))
    return table
