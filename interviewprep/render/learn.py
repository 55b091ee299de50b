"""Rich output for the learner's loop: typed answers, the mock interview, search, config, stats charts.

Like render/cards.py, functions take plain data, compute nothing and print nothing: each returns a rich
renderable for the CLI to print. Highlighting uses
styles on a terminal; when stdout is not a terminal rich writes no control codes, so hits are also
marked in the text itself (☑ / ☐, «match») and a pipe still shows what was highlighted.
"""

from __future__ import annotations

from datetime import timedelta

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from interviewprep.render.cards import progress_bar, text_in
from interviewprep.render.console import ForConsole, styled

HIT_STYLE = "bold green"
MATCH_STYLE = "bold reverse"


def clock_text(left: timedelta) -> str:
    seconds = max(0, int(left.total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


def timer(question_left: timedelta, session_left: timedelta) -> str:
    return f"⏱ {clock_text(question_left)} for this question · {clock_text(session_left)} left in the interview"


def typed_question(card, lang: str, done: int, remaining: int, state, counts=None,
                   editor: bool = False) -> Group:
    """The question panel of `quiz --type`, with the quiz's counter, and how to submit: in the answer
    editor (a terminal) Enter on an empty line or Esc-Enter; through a pipe, one line."""
    from interviewprep.render.cards import counter

    phase = state.phase.label if state else "new"
    title = styled("[bold]{deck}[/] · {level} · {phase}", deck=card.deck, level=card.level, phase=phase)
    subtitle = counter(counts) if counts is not None else Text(progress_bar(done, remaining))
    panel = Panel(Text(text_in(card.question, lang), style="bold"), title=title, subtitle=subtitle,
                  title_align="left")
    submit = ("Type your answer; Enter on an empty line or Esc-Enter submits (nothing typed: just show the "
              "answer)" if editor else "Type your answer, then Enter (empty line: just show the answer)")
    return Group(panel, Text(f"{submit} · only s: skip · u: undo · q: quit", style="dim"))


def checklist(coverage) -> Table:
    """The key points, hits ticked and highlighted."""
    table = Table.grid(padding=(0, 1))
    for c in coverage:
        if c.hit:
            table.add_row(Text("☑", style=HIT_STYLE), Text(c.point.text, style=HIT_STYLE))
        else:
            table.add_row(Text("☐", style="dim"), Text(c.point.text))
    return table


def reveal(card, lang: str, typed: str, coverage, reference=None, title: str = "Answer") -> Panel:
    """The candidate's text and the reference side by side, then the key-point checklist."""
    from rich.markdown import Markdown  # markdown-it is only worth importing when an answer is shown

    reference = card.answer if reference is None else reference
    sides = Table(expand=True, show_lines=False)
    sides.add_column("Your answer / 你的回答", ratio=1, overflow="fold")
    sides.add_column("Reference / 参考答案", ratio=1, overflow="fold")
    sides.add_row(Text(typed) if typed else Text("(skipped)", style="dim"), Markdown(text_in(reference, lang)))
    parts = [sides]
    if coverage:
        hits = sum(1 for c in coverage if c.hit)
        parts += [Text(f"\nKey points / 要点: {hits}/{len(coverage)} in your answer", style="bold"),
                  checklist(coverage)]
    if card is not None and card.pitfall and reference is card.answer:
        parts += [Text("\nPitfall / 易错点", style="bold red"), Text(text_in(card.pitfall, lang))]
    name = Text.assemble((title, "bold"), f" · {card.id}" if card is not None else "")
    return Panel(Group(*parts), title=name, title_align="left")


def rating_hint(has_demo: bool = False, interview: bool = False) -> Text:
    if interview:
        return Text("Grade yourself: 1 Again · 2 Hard · 3 Good · 4 Easy · s: no grade · q: end interview",
                    style="dim")
    demo = " · d: run demo" if has_demo else ""
    return Text(f"1 Again · 2 Hard · 3 Good · 4 Easy · u: undo · s: skip · q: quit{demo}", style="dim")


def interview_question(card, lang: str, number: int, question_left, session_left, live: bool) -> Group:
    """The question panel; the clock line only when no live countdown (the answer editor's) shows it."""
    parts = [Panel(Text(text_in(card.question, lang), style="bold"),
                   title=Text.assemble((f"Question {number}", "bold"), f" · {card.deck} · {card.level}"),
                   title_align="left")]
    if not live:
        parts.append(Text(timer(question_left, session_left)))
    parts.append(Text("Type your answer, then Enter (empty line: skip) · a line with only q: end the interview",
                      style="dim"))
    return Group(*parts)


def over_time(by: timedelta) -> Text:
    return Text(f"⏱ over time by {clock_text(by)}", style="yellow")


def followup_question(followup, lang: str) -> Group:
    return Group(Panel(Text(text_in(followup.question, lang), style="bold"),
                       title=Text("Follow-up / 追问", style="bold"), title_align="left"),
                 Text("Type your answer, then Enter (empty line: skip)", style="dim"))


def interview_end(data: dict, path) -> Group:
    table = Table(title="Interview report")
    for column in ("#", "card", "time", "key points", "grade", "follow-up"):
        table.add_column(column, overflow="fold")
    for i, q in enumerate(data["questions"], 1):
        spent = clock_text(timedelta(seconds=q["seconds"])) + (" (over)" if q["over_time"] else "")
        table.add_row(str(i), q["card"], spent, f"{q['hits']}/{q['points']}", q["rating"] or "–",
                      ("answered" if q["followup_answered"] else "asked") if q["followup"] else "–")
    cov = data["coverage"]
    share = f"{cov['share']:.0%}" if cov["share"] is not None else "–"
    grades = ", ".join(f"{k} {v}" for k, v in data["grades"].items() if v) or "none"
    parts = [table, Text(f"key points covered: {cov['hit']}/{cov['total']} ({share}) · self-grades: {grades}")]
    weak = ", ".join(f"{w['topic']} ({w['score']:.2f})" for w in data["weakest_topics"][:3])
    if weak:
        parts.append(Text(f"weakest topics: {weak}"))
    parts.append(Text(f"report saved to {path}"))
    return Group(*parts)


def highlighted(snippet: str, spans: list[tuple[int, int]], terminal: bool) -> Text:
    """A snippet with its matches styled on a terminal, or wrapped in «» for a pipe."""
    text = Text()
    pos = 0
    for start, end in spans:
        text.append(snippet[pos:start])
        if terminal:
            text.append(snippet[start:end], style=MATCH_STYLE)
        else:
            text.append(f"«{snippet[start:end]}»")
        pos = end
    text.append(snippet[pos:])
    return text


def search_results(query: str, hits: list, lang: str) -> Text | ForConsole:
    """The hits as a table; matches are styled on a terminal and marked «so» in a pipe (decided by the
    console that prints it)."""
    if not hits:
        return Text(f"no card matches '{query}'")
    return ForConsole(lambda console: _hit_table(query, hits, console.is_terminal))


def _hit_table(query: str, hits: list, terminal: bool) -> Table:
    table = Table(title=f"{len(hits)} card(s) match '{query}'")
    for column in ("id", "deck", "where", "match"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(hit.card.id, hit.card.deck, hit.where,
                      highlighted(hit.snippet, hit.spans, terminal))
    return table


def config_list(rows: list[dict]) -> Table:
    table = Table(title="prep config")
    for column in ("key", "value", "from", "meaning"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["key"], row["shown"], row["source"], row["help"])
    return table


BLOCKS = " ▁▂▃▄▅▆▇█"


def column_chart(values: list[int], labels: list[str], height: int = 6, columns: int = 80) -> str:
    """Vertical bars in eighth-blocks, the maximum on the left and dates below, within `columns` cells.

    Two cells per day when they fit, else one: a 30-day chart is 65 cells wide at two, which would wrap
    (and break every bar) in a 60-column terminal.
    """
    top = max(values) if values else 0
    width = len(str(top))
    cell = 2 if width + 2 + 2 * len(values) <= columns else 1
    rows = []
    for level in range(height, 0, -1):
        cells = []
        for v in values:
            eighths = round(v / top * height * 8) if top else 0
            part = min(8, max(0, eighths - (level - 1) * 8))
            cells.append(BLOCKS[part] * cell if v else " " * cell)
        axis = str(top).rjust(width) if level == height else " " * width
        rows.append(f"{axis} │{''.join(cells)}".rstrip())
    rows.append(" " * width + " └" + "─" * (cell * len(values)))
    if labels:
        first, last = labels[0][5:], labels[-1][5:]
        rows.append(" " * (width + 2) + first + " " * max(1, cell * len(values) - len(first) - len(last)) + last)
    return "\n".join(rows)


def bar(share: float, width: int = 20) -> str:
    filled = round(width * max(0.0, min(1.0, share)))
    return "█" * filled + "░" * (width - filled)


def stats_extra(data: dict) -> ForConsole:
    """Charts and the per-deck table under the core figures of render.stats, sized to the console that prints them."""
    return ForConsole(lambda console: _stats_extra(data, console.width))


def _stats_extra(data: dict, width: int) -> Group:
    per_day = data["reviews_per_day"]
    total = sum(d["reviews"] for d in per_day)
    forecast = data["due_forecast"]
    return Group(
        Text.assemble((f"\nReviews per day, last {len(per_day)} days", "bold"),
                      f" (total {total}) · streak: {data['streak_days']} day(s)"),
        Text(column_chart([d["reviews"] for d in per_day], [d["date"] for d in per_day], columns=width)),
        Text.assemble((f"\nDue forecast, next {len(forecast)} days", "bold"), " (today includes overdue cards)"),
        Text(column_chart([d["due"] for d in forecast], [d["date"] for d in forecast], columns=width)),
        deck_table(data["decks"], width))


def deck_table(decks: list[dict], columns: int) -> Table:
    """Per-deck figures; below 100 columns a borderless table without bars, so deck ids never wrap."""
    narrow = columns < 100
    table = (Table(title="Decks", box=None, padding=(0, 1, 0, 0)) if narrow
             else Table(title="Decks", box=box.HEAVY_HEAD))
    headers = ("deck", "cards", "seen", "revs", "kept", "mastery") if narrow else (
        "deck", "cards", "seen", "reviews", "true retention", "mastery")
    for column in headers:
        table.add_column(column, justify="left" if column in ("deck", "mastery") else "right", no_wrap=True)
    if narrow:
        table.caption = "revs = reviews · kept = true retention"
    for d in decks:
        retention = f"{d['retention']:.0%}" if d["retention"] is not None else "–"
        mastery = f"{d['mastery']:.0%}" if narrow else f"{bar(d['mastery'], 12)} {d['mastery']:.0%}"
        table.add_row(d["deck"], str(d["cards"]), str(d["seen"]), str(d["reviews"]), retention, mastery)
    return table
