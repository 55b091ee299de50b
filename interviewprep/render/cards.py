"""Every rich panel and table the CLI prints (demos have their own renderer).

Functions take plain data (cards, states, dicts) and return what to show: a rich renderable that the
CLI prints with its one SafeConsole. Nothing here prints, computes schedules or touches the database,
so output can change without touching logic and vice versa, and a test can look at a picture without
a terminal. The one exception is `prep list` piped or narrow: card_lines yields plain lines for the CLI
to print one by one, so a 100,000-card listing starts at once.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from interviewprep.models import Card, CardState, Rating, Review, lang_codes, pick
from interviewprep.render.console import styled
from interviewprep.srs.scheduler import describe_interval, short_interval

RATING_STYLE = {Rating.AGAIN: "red", Rating.HARD: "yellow", Rating.GOOD: "green", Rating.EASY: "cyan"}


langs = lang_codes


def text_in(field: dict | None, lang: str) -> str:
    """One field in the requested language(s); `both` stacks zh over en."""
    parts = [pick(field, code) for code in langs(lang)]
    unique = list(dict.fromkeys(p for p in parts if p))
    return "\n\n".join(unique)


def progress_bar(done: int, remaining: int, width: int = 20) -> str:
    total = done + remaining
    filled = round(width * done / total) if total else width
    return f"{'█' * filled}{'░' * (width - filled)} {done}/{total}"


COUNT_STYLE = {"new": "blue", "learning": "red", "review": "green"}  # Anki's colours for the three counts


def counter(counts) -> Text:
    """'3 · 1 · 12': cards left this session that are new, learning and review (session.Counts), as Anki shows them."""
    parts = []
    for kind in ("new", "learning", "review"):
        if parts:
            parts.append(" · ")
        parts.append((str(getattr(counts, kind)), COUNT_STYLE[kind]))
    return Text.assemble(*parts, ("  new · learning · review", "dim"))


def question(card: Card, lang: str, done: int, remaining: int, state: CardState | None,
             counts=None, flagged: bool = False) -> Group:
    """The question panel; with `counts` (the quiz) its subtitle is the new / learning / review counter."""
    phase = state.phase.label if state else "new"
    title = styled("[bold]{deck}[/] · {level} · {phase}{flag}", deck=card.deck, level=card.level, phase=phase,
                   flag=" · ⚑ flagged" if flagged else "")
    body = Text(text_in(card.question, lang), style="bold")
    subtitle = counter(counts) if counts is not None else Text(progress_bar(done, remaining))
    return Group(Panel(body, title=title, subtitle=subtitle, title_align="left"),
                 Text("Space/Enter: answer · s skip · u undo · b bury · @ suspend · f flag · q quit", style="dim"))


def rating_prompt(intervals: dict, has_demo: bool = False, has_edit: bool = False) -> Group:
    """The rating keys, each with the interval it gives ('3 Good · 10m'), then the other keys."""
    keys = []
    for rating in Rating:
        if keys:
            keys.append("   ")
        keys += [(f"{int(rating)} {rating.label}", RATING_STYLE[rating]), f" · {short_interval(intervals[rating])}"]
    demo = " · d demo" if has_demo else ""
    edit = " · e edit" if has_edit else ""
    return Group(Text.assemble(*keys),
                 Text(f"u undo · s skip · b bury · @ suspend · f flag · q quit{demo}{edit}", style="dim"))


def marked(card: Card, what: str, until: datetime | None = None) -> Text:
    """What b, @ or f in the quiz did to the card."""
    text = {"buried": f"buried {card.id}" + (f" until {until.astimezone():%Y-%m-%d %H:%M}" if until else ""),
            "suspended": f"suspended {card.id} (prep unsuspend {card.id} brings it back)",
            "flagged": f"⚑ flagged {card.id}", "unflagged": f"flag removed from {card.id}"}[what]
    return Text(text, style="yellow")


def answer(card: Card, lang: str, has_demo: bool = False, keys: bool = True) -> Panel | Group:
    """The answer panel; `keys` adds the quiz's rating keys (not for `prep show`, which reads no keys)."""
    from rich.markdown import Markdown

    parts = [Markdown(text_in(card.answer, lang))]
    points = Table.grid(padding=(0, 1))
    for code in langs(lang):
        for point in card.point_texts(code):
            points.add_row("☐", point)
    parts += [Text("\nKey points / 要点", style="bold"), points]
    if card.pitfall:
        parts += [Text("\nPitfall / 易错点", style="bold red"), Text(text_in(card.pitfall, lang))]
    panel = Panel(Group(*parts), title=styled("[bold]Answer[/] · {id}", id=card.id), title_align="left")
    if not keys:
        return panel
    demo = " · d: run demo" if has_demo else ""
    return Group(panel, Text(f"1 Again · 2 Hard · 3 Good · 4 Easy · u: undo · s: skip · q: quit{demo}", style="dim"))


def rated(card: Card, rating: Rating, state: CardState, now: datetime) -> Text:
    style = RATING_STYLE[rating]
    return Text.assemble((f"✓ saved: {rating.label}", style),
                         f" · {card.id} · next in {describe_interval(state.due - now)}")


def undone(card: Card) -> Text:
    return Text(f"↶ undone: the last rating of {card.id} was removed", style="yellow")


def nothing_to_undo() -> Text:
    return Text("nothing to undo in this session", style="dim")


def summary(s, now: datetime, interrupted: bool = False) -> Panel:
    table = Table(show_header=False, box=None)
    table.add_row("reviewed", str(s.reviewed))
    table.add_row("again", str(s.again))
    table.add_row("retention this session", f"{s.retention:.0%}" if s.retention is not None else "–")
    if s.skipped:
        table.add_row("skipped", str(s.skipped))
    for label, n in (("buried", s.buried), ("suspended", s.suspended), ("still learning", s.learning_left)):
        if n:
            table.add_row(label, str(n))
    table.add_row("next card due", when(s.next_due, now))
    title = "Interrupted: every rating given was saved" if interrupted else "Session complete"
    return Panel(table, title=Text(title), title_align="left")


def when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "–"
    if moment <= now:
        return "now"
    return f"in {describe_interval(moment - now)} ({moment.astimezone():%Y-%m-%d %H:%M})"


def list_as_lines(width: int, terminal: bool) -> bool:
    """`prep list` is one line per card (card_lines) when piped or at 100 columns or fewer, else a table
    on the wide terminal (card_table)."""
    return not terminal or width <= 100


def card_table(cards: list[Card], states: dict[str, CardState], lang: str, now: datetime):
    """The wide terminal's `prep list`: rich's Table, written row by row only where a row needs it
    (render/bigtable.py). Its lines fit the console, so print it with crop=False: cropping would walk
    every segment of a 100,000-row table."""
    from interviewprep.render.bigtable import PlainTable

    rows = []
    for card in cards:
        state = states.get(card.id)
        due = "new" if state is None else when(state.due, now)
        rows.append((card.id, card.deck, card.level, text_in(card.question, lang), due))
    return PlainTable(f"{len(cards)} cards", ["id", "deck", "level", "question", "due"], rows)


def card_lines(cards: list[Card], states: dict[str, CardState], lang: str, now: datetime,
               width: int | None = None):
    """`id  deck  state  due  question`, one card a line, columns aligned; the question is cut to `width`.

    Whole ids on every line, so `prep list | grep ID` and `wc -l` mean what they say. Piped output
    (width None) keeps the whole question. Plain strings, not a renderable, on purpose: the CLI prints
    them one at a time (soft-wrapped, not cropped), so the first lines of a long listing show at once.
    """
    from rich.cells import cell_len, set_cell_size

    from interviewprep.srs.listing import phase_label

    rows = []
    for card in cards:
        state = states.get(card.id)
        due = "–" if state is None else ("now" if state.due <= now else f"{state.due.astimezone():%Y-%m-%d}")
        question = " ".join(text_in(card.question, lang).split())
        rows.append((card.id, card.deck, phase_label(state), due, question))
    widths = [max((len(r[i]) for r in rows), default=0) for i in range(4)]
    for row in rows:
        head = "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  "
        question = row[4]
        if width is not None and cell_len(head) + cell_len(question) > width:
            room = max(1, width - cell_len(head))
            question = set_cell_size(question, room - 1) + "…"
        yield head + question


def show(card: Card, lang: str, state: CardState | None, history: list[Review],
         seeds: dict[str, str], now: datetime) -> Group:
    """`prep show`: the question, the answer, the follow-ups, the card's facts and its review history."""
    from rich.markdown import Markdown

    parts = [Panel(Text(text_in(card.question, lang), style="bold"),
                   title=Text(f"{card.id} · {card.deck} · {card.level}"), title_align="left"),
             answer(card, lang, keys=False)]
    for follow in card.followups:
        parts.append(Panel(Group(Text(text_in(follow.question, lang), style="bold"),
                                 Markdown(text_in(follow.answer, lang))),
                           title=Text("Follow-up / 追问"), title_align="left"))
    meta = Table(show_header=False, box=None)
    meta.add_row("tags", ", ".join(card.tags) or "–")
    if card.sources or not card.references:
        meta.add_row("sources", "\n".join(f"{s} {seeds.get(s, '')}" for s in card.sources) or "–")
    if card.references:
        meta.add_row("references", Text("\n".join(r.cite() for r in card.references)))
    if card.see_also:
        meta.add_row("see also", ", ".join(card.see_also))
    if card.demo:
        meta.add_row("demo", card.demo.command())
    meta.add_row("file", f"{card.path}:{card.line}")
    progress = f"{state.phase.label}, {state.reps} reviews, {state.lapses} lapses" if state else "new"
    meta.add_row("state", progress)
    meta.add_row("next due", "new" if state is None else when(state.due, now))
    parts.append(meta)
    if history:
        log = Table(title="Review history")
        for column in ("when", "rating", "time"):
            log.add_column(column)
        for review in history:
            secs = f"{review.duration_ms / 1000:.1f} s" if review.duration_ms is not None else "–"
            log.add_row(f"{review.reviewed_at.astimezone():%Y-%m-%d %H:%M}", review.rating.label, secs)
        parts.append(log)
    return Group(*parts)


def stats(data: dict) -> Table:
    table = Table(show_header=False, title="Progress")
    labels = {
        "cards_total": "cards in bank", "cards_seen": "cards seen", "cards_new": "cards never seen",
        "due_now": "due now", "reviews_total": "reviews (all time)", "reviews_today": "reviews today",
        "retention_30d": "retention, last 30 days", "next_due": "next card due",
    }
    for key, label in labels.items():
        value = data.get(key)
        if key == "retention_30d":
            value = f"{value:.1%}" if value is not None else "–"
        table.add_row(label, "–" if value is None else str(value))
    return table


def check_report(report: dict) -> Group:
    table = Table(title="Question bank")
    for column in ("deck", "title", "cards", "languages", "with demo"):
        table.add_column(column)
    for deck in report["decks"]:
        table.add_row(deck["id"], deck["title"], str(deck["cards"]), "/".join(deck["languages"]),
                      str(deck["with_demo"]))
    seeds = report["seeds"]
    parts = [table, Text(
        f"{report['cards']} cards in {len(report['decks'])} decks · seed ids covered "
        f"{seeds['covered']}/{seeds['total']} · cards with a demo {report['with_demo']}/{report['cards']}"
    )]
    if seeds["missing"] and len(seeds["missing"]) <= 20:
        parts.append(Text(f"seed ids not covered: {', '.join(seeds['missing'])}", style="yellow"))
    elif seeds["missing"]:
        parts.append(Text(f"{len(seeds['missing'])} seed ids not covered", style="yellow"))
    return Group(*parts)


def doctor(report) -> Group:
    table = Table(title="prep doctor")
    for column in ("check", "", "detail"):
        table.add_column(column, overflow="fold")
    for f in report.findings:
        table.add_row(f.name, Text("ok", style="green") if f.ok else Text("problem", style="red"), f.detail)
    parts = [table]
    if report.orphans:
        shown = ", ".join(f"{cid} ({n})" for cid, n in list(report.orphans.items())[:10])
        parts.append(Text(f"history kept for cards no longer in the banks: {shown}"))
    places = Table(show_header=False, box=None)
    for name, where in report.paths.items():
        places.add_row(name, where)
    parts += [places, Text("healthy", style="green") if report.healthy else Text("problems found", style="red")]
    return Group(*parts)
