"""Every rich panel and table the CLI prints (demos have their own renderer).

Functions take plain data (cards, states, dicts) and a Console; nothing here computes schedules or
touches the database, so output can change without touching logic and vice versa.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console, Group
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


def question(console: Console, card: Card, lang: str, done: int, remaining: int, state: CardState | None,
             counts=None, flagged: bool = False) -> None:
    """The question panel; with `counts` (the quiz) its subtitle is the new / learning / review counter."""
    phase = state.phase.label if state else "new"
    title = styled("[bold]{deck}[/] · {level} · {phase}{flag}", deck=card.deck, level=card.level, phase=phase,
                   flag=" · ⚑ flagged" if flagged else "")
    body = Text(text_in(card.question, lang), style="bold")
    subtitle = counter(counts) if counts is not None else Text(progress_bar(done, remaining))
    console.print(Panel(body, title=title, subtitle=subtitle, title_align="left"))
    console.print(Text("Space/Enter: answer · s skip · u undo · b bury · @ suspend · f flag · q quit",
                       style="dim"))


def rating_prompt(console: Console, intervals: dict, has_demo: bool = False, has_edit: bool = False) -> None:
    """The rating keys, each with the interval it gives ('3 Good · 10m'), then the other keys."""
    keys = []
    for rating in Rating:
        if keys:
            keys.append("   ")
        keys += [(f"{int(rating)} {rating.label}", RATING_STYLE[rating]), f" · {short_interval(intervals[rating])}"]
    console.print(Text.assemble(*keys))
    demo = " · d demo" if has_demo else ""
    edit = " · e edit" if has_edit else ""
    console.print(Text(f"u undo · s skip · b bury · @ suspend · f flag · q quit{demo}{edit}", style="dim"))


def marked(console: Console, card: Card, what: str, until: datetime | None = None) -> None:
    """What b, @ or f in the quiz did to the card."""
    text = {"buried": f"buried {card.id}" + (f" until {until.astimezone():%Y-%m-%d %H:%M}" if until else ""),
            "suspended": f"suspended {card.id} (prep unsuspend {card.id} brings it back)",
            "flagged": f"⚑ flagged {card.id}", "unflagged": f"flag removed from {card.id}"}[what]
    console.print(Text(text, style="yellow"))


def answer(console: Console, card: Card, lang: str, has_demo: bool = False, keys: bool = True) -> None:
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
    console.print(Panel(Group(*parts), title=styled("[bold]Answer[/] · {id}", id=card.id), title_align="left"))
    if not keys:
        return
    demo = " · d: run demo" if has_demo else ""
    console.print(Text(f"1 Again · 2 Hard · 3 Good · 4 Easy · u: undo · s: skip · q: quit{demo}", style="dim"))


def rated(console: Console, card: Card, rating: Rating, state: CardState, now: datetime) -> None:
    style = RATING_STYLE[rating]
    console.print(Text.assemble((f"✓ saved: {rating.label}", style),
                                f" · {card.id} · next in {describe_interval(state.due - now)}"))


def undone(console: Console, card: Card) -> None:
    console.print(Text(f"↶ undone: the last rating of {card.id} was removed", style="yellow"))


def nothing_to_undo(console: Console) -> None:
    console.print(Text("nothing to undo in this session", style="dim"))


def summary(console: Console, s, now: datetime, interrupted: bool = False) -> None:
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
    console.print(Panel(table, title=Text(title), title_align="left"))


def when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "–"
    if moment <= now:
        return "now"
    return f"in {describe_interval(moment - now)} ({moment.astimezone():%Y-%m-%d %H:%M})"


def card_list(console: Console, cards: list[Card], states: dict[str, CardState], lang: str, now: datetime) -> None:
    """A table on a wide terminal; one line per card when piped or at 100 columns or fewer (card_lines)."""
    if not console.is_terminal or console.width <= 100:
        for line in card_lines(cards, states, lang, now, console.width if console.is_terminal else None):
            console.print(line, highlight=False, crop=False, soft_wrap=True)
        return
    from interviewprep.render.bigtable import PlainTable

    rows = []
    for card in cards:
        state = states.get(card.id)
        due = "new" if state is None else when(state.due, now)
        rows.append((card.id, card.deck, card.level, text_in(card.question, lang), due))
    # rich's Table, printed row by row only where a row needs it (render/bigtable.py); lines fit, so no crop
    console.print(PlainTable(f"{len(cards)} cards", ["id", "deck", "level", "question", "due"], rows), crop=False)


def card_lines(cards: list[Card], states: dict[str, CardState], lang: str, now: datetime,
               width: int | None = None):
    """`id  deck  state  due  question`, one card a line, columns aligned; the question is cut to `width`.

    Whole ids on every line, so `prep list | grep ID` and `wc -l` mean what they say. Piped output
    (width None) keeps the whole question.
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


def show(console: Console, card: Card, lang: str, state: CardState | None, history: list[Review],
         seeds: dict[str, str], now: datetime) -> None:
    from rich.markdown import Markdown

    console.print(Panel(Text(text_in(card.question, lang), style="bold"),
                        title=Text(f"{card.id} · {card.deck} · {card.level}"), title_align="left"))
    answer(console, card, lang, keys=False)
    for follow in card.followups:
        console.print(Panel(Group(Text(text_in(follow.question, lang), style="bold"),
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
    console.print(meta)
    if history:
        log = Table(title="Review history")
        for column in ("when", "rating", "time"):
            log.add_column(column)
        for review in history:
            secs = f"{review.duration_ms / 1000:.1f} s" if review.duration_ms is not None else "–"
            log.add_row(f"{review.reviewed_at.astimezone():%Y-%m-%d %H:%M}", review.rating.label, secs)
        console.print(log)


def stats(console: Console, data: dict) -> None:
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
    console.print(table)


def check_report(console: Console, report: dict) -> None:
    table = Table(title="Question bank")
    for column in ("deck", "title", "cards", "languages", "with demo"):
        table.add_column(column)
    for deck in report["decks"]:
        table.add_row(deck["id"], deck["title"], str(deck["cards"]), "/".join(deck["languages"]),
                      str(deck["with_demo"]))
    console.print(table)
    seeds = report["seeds"]
    console.print(
        f"{report['cards']} cards in {len(report['decks'])} decks · seed ids covered "
        f"{seeds['covered']}/{seeds['total']} · cards with a demo {report['with_demo']}/{report['cards']}"
    )
    if seeds["missing"] and len(seeds["missing"]) <= 20:
        console.print(Text(f"seed ids not covered: {', '.join(seeds['missing'])}", style="yellow"))
    elif seeds["missing"]:
        console.print(Text(f"{len(seeds['missing'])} seed ids not covered", style="yellow"))


def doctor(console: Console, report) -> None:
    table = Table(title="prep doctor")
    for column in ("check", "", "detail"):
        table.add_column(column, overflow="fold")
    for f in report.findings:
        table.add_row(f.name, Text("ok", style="green") if f.ok else Text("problem", style="red"), f.detail)
    console.print(table)
    if report.orphans:
        shown = ", ".join(f"{cid} ({n})" for cid, n in list(report.orphans.items())[:10])
        console.print(f"history kept for cards no longer in the banks: {shown}")
    places = Table(show_header=False, box=None)
    for name, where in report.paths.items():
        places.add_row(name, where)
    console.print(places)
    console.print(Text("healthy", style="green") if report.healthy else Text("problems found", style="red"))
