"""Commands of the learner's loop: interview, search, config. Registered by cli/app.py.

Thin like the rest of the CLI: parse options, call interview/search/config, hand the result to
render_learn. The clock is `options.now`, looked up at call time, so a test can replace it with a
fake clock and drive a whole interview without sleeping.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer

from interviewprep.cli import options
from interviewprep.cli.options import (
    BankOpt,
    DeckOpt,
    HomeOpt,
    JsonOpt,
    LangOpt,
    NoBuiltinOpt,
    TagOpt,
    console,
    echo,
    echo_json,
    load_bank,
    open_store,
    resolve_lang,
    select,
)
from interviewprep.errors import ExitStatus, UsageError

LevelOpt = Annotated[Optional[list[str]], typer.Option("--level", help="basic, intermediate or advanced "
                                                       "(repeatable).", show_default=False)]


def interview_command(
    minutes: Annotated[float, typer.Option("--minutes", min=1, help="Length of the whole interview.")] = 20,
    per_question: Annotated[float, typer.Option("--question-minutes", min=0.5,
                                                help="Countdown for each question.")] = 3,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    level: LevelOpt = None,
    lang: LangOpt = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed for the choice of questions "
                                                "(same seed, same history: same questions).",
                                                show_default=False)] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write the Markdown report here (default: "
                                                   "<data dir>/reports/interview-YYYYMMDD-HHMMSS.md).",
                                                   show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --report file.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """A mock interview: weak cards first, a countdown per question, key-point feedback, a report.

    Type each answer (on a terminal: Enter on an empty line or Esc-Enter submits, the countdown runs at
    the bottom; piped: one line; empty: skip), grade yourself 1-4 (s: no grade), answer the follow-up.
    Ctrl-C ends early and keeps what you typed; the report holds your answers. Grades go to the same
    review history as `prep quiz`.

    Example: prep interview --minutes 15 --deck activations --lang en --seed 7
    """
    from interviewprep.cli.keys import KeyReader
    from interviewprep.cli.quiz import run_interview
    from interviewprep.config import home_dir
    from interviewprep.export import interview_report
    from interviewprep.models import LEVELS
    from interviewprep.render import learn as render_learn
    from interviewprep.srs import interview as iv
    from interviewprep.srs.recorder import Recorder

    for value in level or []:
        if value not in LEVELS:
            raise UsageError(f"level '{value}' is not one of {', '.join(LEVELS)}")
    interview_report.check_target(report, force)
    language = resolve_lang(lang)
    loaded = load_bank(bank, no_builtin)
    cards = select(loaded, deck, tag, level)
    store = open_store(home, loaded, daily_backup=True)
    start = options.now()
    recorder = Recorder(store, options.user_scheduler(store))
    interview = iv.Interview.plan(cards, recorder, start, minutes=minutes, seed=seed, lang=language,
                                  question_time=timedelta(minutes=per_question))
    out = console()
    out.print(f"Mock interview: {minutes:g} min, {per_question:g} min per question, "
              f"{len(interview.queue)} cards to draw from.")  # held (buried, suspended) cards are not drawn
    interrupted = run_interview(interview, out, KeyReader(), options.now, language)
    end = options.now()
    data = iv.summarize(interview, end)
    path = interview_report.write(data, language, home_dir(home), report, force)
    out.print(render_learn.interview_end(data, path))
    if interrupted:
        raise typer.Exit(ExitStatus.INTERRUPTED)


def search_command(
    text: Annotated[str, typer.Argument(help="Words to find, Chinese or English; every word must occur.")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="Search only zh or en (default: both).",
                                                show_default=False)] = None,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many cards.",
                                                 show_default=False)] = None,
    as_json: JsonOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
):
    """Find cards by question, answer and key points; the matching snippet is highlighted.

    Examples: prep search 梯度消失 · prep search "dying relu" --lang en
    """
    from interviewprep.bank.cache import candidates
    from interviewprep.bank.search import search
    from interviewprep.models import lang_codes
    from interviewprep.render import learn as render_learn

    language = resolve_lang(lang) if lang else "both"
    langs = lang_codes(language)
    loaded = load_bank(bank, no_builtin)
    cards = select(loaded, deck, tag)
    maybe = candidates(loaded, text)  # the search index narrows the cards; search() decides
    if maybe is not None:
        cards = [c for c in cards if c.id in maybe]
    hits = search(cards, text, langs, limit)
    if as_json:
        rows = [{"id": h.card.id, "deck": h.card.deck, "where": h.where, "snippet": h.snippet,
                 "spans": [list(s) for s in h.spans]} for h in hits]
        echo_json(rows, indent=2)
    else:
        console().print(render_learn.search_results(text, hits, language))
    raise typer.Exit(ExitStatus.OK if hits else ExitStatus.PROBLEM)


def config_command(
    action: Annotated[str, typer.Argument(help="list, get, set, unset or path.")] = "list",
    key: Annotated[Optional[str], typer.Argument(help="A setting: lang, new_per_day, reviews_per_day, learn_ahead, "
                                                 "retention, bank_dirs, day_start or home.",
                                                 show_default=False)] = None,
    values: Annotated[Optional[list[str]], typer.Argument(help="The new value (bank_dirs: one or more paths).",
                                                          show_default=False)] = None,
    as_json: JsonOpt = False,
):
    """Show or change your defaults (a TOML file; $PREP_* variables override it, options override both).

    Examples: prep config set lang en · prep config set new_per_day 5 · prep config get retention · prep config list
    """
    from interviewprep import config
    from interviewprep.render import learn as render_learn

    if action not in ("list", "get", "set", "unset", "path"):
        raise UsageError(f"unknown action '{action}'; use list, get, set, unset or path")
    if action in ("get", "set", "unset") and not key:
        raise UsageError(f"config {action} needs a key: {', '.join(config.SETTINGS)}")
    if action == "path":
        echo(str(config.config_path()))
    elif action == "list":
        rows = config.rows()
        if as_json:
            echo_json({r["key"]: {"value": r["value"], "source": r["source"]} for r in rows}, indent=2)
        else:
            console().print(render_learn.config_list(rows))
            echo(f"file: {config.config_path()}")
    elif action == "get":
        value = config.value(key)
        echo_json(value) if as_json else echo(config.shown(value))
    elif action == "set":
        value = config.set_value(key, values or [])
        echo(f"{key} = {config.shown(value)} (saved in {config.config_path()})")
        env = config.SETTINGS[key].env
        if config.env(env):
            echo(f"note: ${env} is set and overrides this setting")
    else:
        removed = config.unset(key)
        echo(f"{key} unset" if removed else f"{key} was not set in {config.config_path()}")
