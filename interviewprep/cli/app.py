"""The `prep` command: parse options, call one library function, hand the result to render.

Kept thin on purpose: every behaviour lives in a library module that is usable and tested without
the CLI. Heavy modules (fsrs, numpy, demos, Markdown) are imported inside the commands that use
them, so `prep --help` and `prep next` start fast. Time is read here, at the edge.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from interviewprep import __version__
from interviewprep.cli import controls as cli_controls
from interviewprep.cli import data as cli_data
from interviewprep.cli import edit as cli_edit
from interviewprep.cli import learn as cli_learn
from interviewprep.cli import optimize as cli_optimize
from interviewprep.cli import plan as cli_plan
from interviewprep.cli import today as cli_today
from interviewprep.cli.export import export_app
from interviewprep.cli.options import (
    BankOpt,
    CardIdArg,
    DeckOpt,
    HomeOpt,
    JsonOpt,
    LangOpt,
    NoBuiltinOpt,
    PrepGroup,
    TagOpt,
    announce_renames,
    bank_dirs_for,
    complete_demo_topics,
    console,
    echo,
    echo_json,
    load_bank,
    now,
    open_store,
    resolve_lang,
    select,
    user_scheduler,
)
from interviewprep.errors import ExitStatus, PrepError, UsageError

app = typer.Typer(
    cls=PrepGroup,
    help="Deep-learning interview prep: a bilingual question bank with FSRS spaced repetition.",
    invoke_without_command=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

def version_callback(value: bool):
    if value:
        echo(f"prep {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Show the version and exit.")] = False,
    day_start: Annotated[Optional[int], typer.Option(
        "--day-start", min=0, max=23, help="Hour (0-23, local time) the study day starts, for this run "
        "(default: $PREP_DAY_START, else `prep config` day_start, else 4).", show_default=False)] = None,
):
    """Deep-learning interview prep in the terminal.

    Bare `prep` shows what waits today, per deck, and the command to run next. Start with `prep quiz`;
    `prep check` validates banks; `prep stats` shows progress; `prep COMMAND --help` for the rest.
    """
    from interviewprep.config import set_run_options

    set_run_options(day_start=day_start)  # config.py hands it to srs as an option; cleared when the run ends
    ctx.call_on_close(set_run_options)
    if ctx.invoked_subcommand is None:
        from interviewprep.cli.today import today_view

        today_view()


@app.command()
def check(bank: BankOpt = None, no_builtin: NoBuiltinOpt = False, as_json: JsonOpt = False, home: HomeOpt = None):
    """Validate question banks and summarize them; exit 1 when any problem is found.

    Example: prep check --no-builtin --bank ./my-deck
    """
    from interviewprep.bank import cache
    from interviewprep.bank.report import summarize
    from interviewprep.demos.registry import link_problems
    from interviewprep.render import cards as render

    loaded, problems = cache.read(bank_dirs_for(bank, no_builtin), demo_catalog=link_problems)
    report = summarize(loaded)
    if as_json:
        echo_json({**report, "problems": problems}, indent=2)
    else:
        if problems:
            err = console(stderr=True)
            for line in problems:
                err.print(line, markup=False, highlight=False, soft_wrap=True)
            from interviewprep.render.console import styled

            err.print(styled("[red]{n} problem(s) found[/]", n=len(problems)))
        console().print(render.check_report(report))
        if not problems:
            _announce_renames_if_any(home, loaded)
    raise typer.Exit(ExitStatus.PROBLEM if problems else ExitStatus.OK)


def _announce_renames_if_any(home, loaded) -> None:
    """`prep check` says which renames wait for `prep migrate`, without creating a database that is not there."""
    from interviewprep.config import home_dir
    from interviewprep.store.db import DB_NAME, Store

    folder = home_dir(home)
    if (folder / DB_NAME).is_file():
        store = Store.open(folder)
        try:
            announce_renames(store, loaded)
        finally:
            store.close()


@app.command()
def quiz(
    deck: DeckOpt = None,
    tag: TagOpt = None,
    new: Annotated[Optional[int], typer.Option("--new", min=0, help="New cards to add after the due ones "
                                               "(default: `prep config` new_per_day, else 10).",
                                               show_default=False)] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many cards.",
                                                 show_default=False)] = None,
    lang: LangOpt = None,
    retention: Annotated[Optional[float], typer.Option("--retention", help="Desired retention, 0.70-0.99 "
                                                       "(default: `prep config` retention, else 0.9).",
                                                       show_default=False)] = None,
    typed: Annotated[bool, typer.Option("--type", help="Type an answer first; the reveal shows which key "
                                        "points it hits.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Review due cards, then new ones. Keys: Space/Enter reveal, 1-4 rate, u undo, s skip, q quit.

    Example: prep quiz --deck optimization --new 5 --lang both

    Without a terminal, keys are read one per line: printf ' \\n3\\nq\\n' | prep quiz
    With --type, a typed answer is one line (empty: skip typing): printf 'my answer\\n3\\nq\\n' | prep quiz --type
    """
    from interviewprep.cli.controls import daily_limits
    from interviewprep.cli.keys import KeyReader
    from interviewprep.cli.options import resolve_setting
    from interviewprep.cli.quiz import run_quiz
    from interviewprep.render import cards as render
    from interviewprep.srs import plan_today
    from interviewprep.srs.session import Session

    language = resolve_lang(lang)
    new_limit = resolve_setting(new, "new_per_day")
    loaded = load_bank(bank, no_builtin)
    cards = select(loaded, deck, tag)
    store = open_store(home, loaded, daily_backup=True)
    out = console()
    # an explicit --deck/--tag is the user's choice for this session and sets an active plan aside
    setup = plan_today.quiz_setup(store, lambda r: user_scheduler(store, r), now(), new_limit, new, retention,
                             use_plan=not (deck or tag))
    if setup.today is not None:
        from interviewprep.render.console import styled

        out.print(styled("[dim]interview plan: {new} new cards left for today, {ahead} at-risk cards brought "
                         "forward, interview {day}[/]", new=setup.today.new_limit,
                         ahead=len(setup.today.bring_forward), day=setup.today.interview))
    session = Session(cards, store, setup.scheduler, now(), new_limit=setup.new_limit, limit=limit,
                      bring_forward=setup.bring_forward, new_from=setup.new_from, new_first=setup.new_first,
                      **daily_limits(store))
    if session.next_card(now()) is None:
        nxt = store.next_due_after(now(), {c.id for c in cards})
        if session.over_limit:  # due cards are there, held back: "nothing due" would not be true
            out.print(f"Today's review limit is reached: {session.over_limit} due review card(s) wait for "
                      "the next study day (prep config set reviews_per_day N).")
            return
        out.print("Nothing to review now." + (f" Next card due {render.when(nxt, now())}." if nxt else ""))
        return
    result, interrupted = run_quiz(session, out, KeyReader(), now, language,
                                   run_demo=lambda card: show_card_demo(out, card, language), typed=typed,
                                   edit=lambda card: edit_in_quiz(out, card, bank, no_builtin))
    out.print(render.summary(result, now(), interrupted))
    if interrupted:
        raise typer.Exit(ExitStatus.INTERRUPTED)


@app.command("next")
def next_card(
    as_json: JsonOpt = False,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    lang: LangOpt = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Print the card a quiz would show now, without waiting for input.

    Example: prep next --json
    """
    from interviewprep.models import lang_codes, pick, to_iso
    from interviewprep.srs.stats import peek

    language = resolve_lang(lang)
    loaded = load_bank(bank, no_builtin)
    cards = select(loaded, deck, tag)
    card, state, next_due = peek(cards, open_store(home, loaded), now())
    if as_json:
        payload = {
            "id": card.id if card else None,
            "deck": card.deck if card else None,
            "question": dict(card.question) if card else None,
            "due": to_iso(state.due) if state else None,
            "state": (state.phase.label if state else "new") if card else None,
            "next_due": to_iso(next_due) if next_due else None,
        }
        echo_json(payload)
    elif card is None:
        echo("Nothing due now." + (f" Next card due {to_iso(next_due)}." if next_due else ""))
    else:
        label = state.phase.label if state else "new"
        echo(f"[{card.deck} · {label}] {card.id}")
        for code in lang_codes(language):
            echo(pick(card.question, code))


@app.command("list")
def list_cards(
    deck: DeckOpt = None,
    tag: TagOpt = None,
    level: Annotated[Optional[list[str]], typer.Option("--level", help="basic, intermediate or advanced.",
                                                       show_default=False)] = None,
    state: Annotated[Optional[str], typer.Option(
        "--state", show_default=False,
        help="Only cards that are new, learning, review or due (now), or buried, suspended or flagged.")] = None,
    due: Annotated[Optional[str], typer.Option(
        "--due", show_default=False, help="Only cards due by: now, today, or +Nd (within N days).")] = None,
    sort: Annotated[str, typer.Option("--sort", help="bank (the banks' order), id, deck, level or due.")] = "bank",
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """List cards with their state and due date: a table on a wide terminal, one line per card when piped.

    Examples: prep list --deck activations --lang en · prep list --state due --sort due · prep list --due +7d
    """
    language = resolve_lang(lang)
    loaded = load_bank(bank, no_builtin)
    cards = select(loaded, deck, tag, level)
    store = open_store(home, loaded)
    states = store.states()
    from interviewprep.srs import listing
    from interviewprep.srs.marks import STATES as MARKS

    if state is not None and state not in (*listing.PHASE_STATES, *MARKS):
        raise UsageError(f"--state '{state}' is not one of {', '.join((*listing.PHASE_STATES, *MARKS))}")
    if state in listing.PHASE_STATES:
        cards = listing.choose(cards, states, now(), state=state, due=due, sort=sort)
    else:
        cards = listing.choose(cli_controls.only_marked(cards, store, state), states, now(), due=due, sort=sort)
    if as_json:
        from interviewprep.bank.cache import card_texts
        from interviewprep.cli.options import echo_json_texts

        echo_json_texts(card_texts(loaded, cards), states)
    else:
        from interviewprep.bank.cache import prefetch
        from interviewprep.render import cards as render

        if not cards:  # said on stderr: piped output stays empty for `wc -l` and `grep`
            console(stderr=True).print("0 cards")
            return
        prefetch(loaded, cards)
        out = console()
        if render.list_as_lines(out.width, out.is_terminal):  # a line at a time, so a long listing starts at once
            for line in render.card_lines(cards, states, language, now(), out.width if out.is_terminal else None):
                out.print(line, highlight=False, crop=False, soft_wrap=True)
        else:
            out.print(render.card_table(cards, states, language, now()), crop=False)


@app.command()
def show(
    card_id: CardIdArg,
    lang: LangOpt = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Show one card: question, answer, key points, pitfall, sources, review history.

    Example: prep show sigmoid-function --lang both
    """
    from interviewprep.errors import unknown_card
    from interviewprep.render import cards as render

    language = resolve_lang(lang)
    loaded = load_bank(bank, no_builtin)
    card = loaded.cards.get(card_id)
    if card is None:
        raise unknown_card(card_id, loaded.cards)
    store = open_store(home, loaded)
    console().print(render.show(card, language, store.state(card_id), store.history(card_id), loaded.seeds, now()))


@app.command()
def stats(
    as_json: JsonOpt = False,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Progress: due now, retention, reviews per day (30 d), due forecast (30 d), per-deck mastery, streak.

    Example: prep stats --json
    """
    from interviewprep.srs import progress
    from interviewprep.srs.stats import compute

    loaded = load_bank(bank, no_builtin)
    cards = select(loaded, deck, tag)
    store = open_store(home, loaded)
    moment = now()
    data = compute(cards, store, moment)
    data.update(progress.compute(cards, store, user_scheduler(store), moment))
    if as_json:
        echo_json(data, indent=2)
    else:
        from interviewprep.render import cards as render
        from interviewprep.render import learn as render_learn

        console().print(render.stats(data))
        console().print(render_learn.stats_extra(data))


def edit_in_quiz(out, card, bank, no_builtin: bool):
    """The quiz's `e` key: edit the card's file, report problems with positions; the card as it now reads."""
    from interviewprep.cli.edit import edit_card, report
    from interviewprep.cli.options import bank_dirs_for

    try:
        edited = edit_card(card, bank_dirs_for(bank, no_builtin))
    except PrepError as exc:  # a missing editor does not end the session
        out.print(str(exc), highlight=False, soft_wrap=True)
        return None
    report(out, card.id, edited)
    return edited.card if not edited.problems else None


def show_card_demo(out, card, language: str) -> None:
    """The quiz's `d` key: run the card's demo inline at the card's parameters.

    A link `prep check` would refuse (a parameter out of range, a demo that is gone) is said in one line
    and the session goes on: a bank's mistake must not end the user's quiz.
    """
    from interviewprep.demos.runner import run_for_card
    from interviewprep.render import demo as demo_render

    try:
        result = run_for_card(card)
    except PrepError as exc:
        out.print(f"the demo cannot run: {exc} (prep check shows where the card's link is wrong)",
                  highlight=False, soft_wrap=True)
        return
    out.print(demo_render.show(result, language))


@app.command()
def demo(
    topic: Annotated[Optional[str], typer.Argument(
        help="A demo id, a card id, or a word from a demo's title or tags (English or Chinese).",
        show_default=False, autocompletion=complete_demo_topics)] = None,
    sets: Annotated[Optional[list[str]], typer.Option("--set", help="NAME=VALUE parameter (repeatable).",
                                                      show_default=False)] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random generator.")] = 0,
    as_json: JsonOpt = False,
    no_plot: Annotated[bool, typer.Option("--no-plot", help="Tables only, no curves.")] = False,
    save: Annotated[Optional[Path], typer.Option("--save", help="Also write the curves to FILE.png or FILE.svg "
                                                 "(needs the `plot` extra).", show_default=False)] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every demo instead of running one.")] = False,
    lang: LangOpt = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
):
    """Run a small NumPy experiment that shows why an answer is true.

    Examples: prep demo momentum --set kappa=50 · prep demo 动量 · prep demo --list --json
    """
    from interviewprep.demos import registry, runner
    from interviewprep.demos.spec import parse_sets
    from interviewprep.render import demo as demo_render

    language = resolve_lang(lang)
    if list_all or topic is None:
        list_demos(as_json, language, bank, no_builtin)
        return
    cards = load_bank(bank, no_builtin, full=True).cards
    choice = runner.resolve(topic, cards)
    if choice.spec is None:
        out = console()
        out.print(f"several demos match '{topic}'; run one of them by id:")
        out.print(demo_render.listing(choice.candidates, runner.cards_by_demo(cards.values()), language))
        return
    if choice.others and not as_json:
        console(stderr=True).print(f"also matching '{topic}': " + ", ".join(s.id for s in choice.others)
                                   + " (run one by id)", highlight=False)
    values = {**choice.params, **parse_sets(sets or [])}
    result = registry.run(choice.spec, values, seed)
    if save is not None:
        runner.save_figure(result, save)
    if as_json:
        echo_json(result.to_dict())
    else:
        console().print(demo_render.show(result, language, plot=not no_plot))
        if save is not None:
            echo(f"saved {save}")
    raise typer.Exit(ExitStatus.OK if result.passed else ExitStatus.PROBLEM)


@app.command("demos")
def demos_command(as_json: JsonOpt = False, lang: LangOpt = None, bank: BankOpt = None,
                  no_builtin: NoBuiltinOpt = False):
    """List every demo with its parameters and the cards that link to it (same as `prep demo --list`).

    Example: prep demos --json
    """
    list_demos(as_json, resolve_lang(lang), bank, no_builtin)


def list_demos(as_json: bool, language: str, bank, no_builtin: bool) -> None:
    from interviewprep.demos import registry
    from interviewprep.demos.runner import cards_by_demo
    from interviewprep.render import demo as demo_render

    specs = list(registry.load_all().values())
    linked = cards_by_demo(load_bank(bank, no_builtin, full=True).cards.values())
    if as_json:
        rows = [{**s.to_dict(), "cards": linked.get(s.id, [])} for s in specs]
        echo_json(rows, indent=2)
    else:
        console().print(demo_render.listing(specs, linked, language))


app.add_typer(export_app, name="export")
app.command("backup")(cli_data.backup_command)
app.command("restore")(cli_data.restore_command)
app.command("doctor")(cli_data.doctor_command)
app.command("migrate")(cli_data.migrate_command)
app.command("plan")(cli_plan.plan_command)
app.command("interview")(cli_learn.interview_command)
app.command("search")(cli_learn.search_command)
app.command("config")(cli_learn.config_command)
app.command("optimize")(cli_optimize.optimize_command)
app.command("decks")(cli_today.decks_command)
app.command("tags")(cli_today.tags_command)
app.command("edit")(cli_edit.edit_command)
cli_controls.register(app)


ROOT_OPTIONS_WITH_A_VALUE = ("--day-start",)
_GLUED = tuple(f"{option}=" for option in ROOT_OPTIONS_WITH_A_VALUE)  # --day-start=5


def invoked_name(argv: list[str]) -> str | None:
    """The command or group `argv` runs, or None when it asks the root for something (help, version, completion).

    Only `--day-start N` may come before the command; any other root option, or no command at all, needs the
    whole app.
    """
    args = iter(argv)
    for arg in args:
        if arg in ROOT_OPTIONS_WITH_A_VALUE:
            next(args, None)
        elif arg.startswith(_GLUED):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def keep_only(typer_app: typer.Typer, name: str | None) -> None:
    """Register only the command (or group) `name` on `typer_app`, when it is one of them.

    typer turns every registered command's signature into click parameters on each start-up, whatever runs:
    for prep's 25 commands and the export group that is 45-68 ms on a 2-core machine, about half the
    floor of a one-command typer app, against 3 ms for one command. What a command parses, prints and
    exits with does not depend on its siblings; `prep --help`, bare `prep`, an unknown name and shell
    completion keep them all.
    """
    if name is None or os.environ.get("_PREP_COMPLETE"):
        return
    from typer.main import get_command_name  # typer's own rule for a command's name (list_cards -> list-cards)

    commands = [c for c in typer_app.registered_commands
                if (c.name or get_command_name(c.callback.__name__)) == name]
    groups = [g for g in typer_app.registered_groups if g.name == name]
    if commands or groups:
        typer_app.registered_commands, typer_app.registered_groups = commands, groups


def main() -> None:
    """Console-script entry point."""
    keep_only(app, invoked_name(sys.argv[1:]))
    try:
        app()
    except BrokenPipeError:  # `prep list | head`
        sys.stderr.close()
        sys.exit(1)
