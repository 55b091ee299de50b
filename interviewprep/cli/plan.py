"""`prep plan`: aim the schedule at an interview date. Registered by cli/app.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

import typer

from interviewprep.cli.options import (
    BankOpt,
    DeckOpt,
    HomeOpt,
    JsonOpt,
    NoBuiltinOpt,
    TagOpt,
    console,
    echo,
    echo_json,
    load_bank,
    now,
    open_store,
    select,
    user_errors,
    user_scheduler,
)
from interviewprep.errors import UsageError


def plan_command(
    interview: Annotated[Optional[str], typer.Option("--date", help="Interview date, YYYY-MM-DD.",
                                                     show_default=False)] = None,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    minutes: Annotated[float, typer.Option("--minutes-per-day", min=1, help="Daily study budget.")] = 20,
    target: Annotated[float, typer.Option("--target", min=0.5, max=0.99,
                                          help="Recall to reach on the day: in the last week, cards predicted "
                                          "below it are brought forward.")] = 0.95,
    retention: Annotated[float, typer.Option("--retention", min=0.7, max=0.99,
                                             help="FSRS desired retention for everyday scheduling while the plan "
                                             "runs (lower: fewer reviews until the final week).")] = 0.80,
    show: Annotated[bool, typer.Option("--show", help="Show the active plan's recall forecast.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="End the active plan.")] = False,
    as_json: JsonOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Plan toward an interview date: new-card quota, daily load, and recall on the day.

    Examples: prep plan --date 2026-12-20 --deck optimization --minutes-per-day 30 ·
    prep plan --show · prep plan --clear
    """
    from interviewprep.render import plan as render_plan
    from interviewprep.srs import plan as plans
    from interviewprep.srs import plan_today
    from interviewprep.srs.marks import in_state

    with user_errors():
        if sum(bool(x) for x in (interview, show, clear)) != 1:
            raise UsageError("give exactly one of --date YYYY-MM-DD, --show or --clear")
        loaded = load_bank(bank, no_builtin)
        store = open_store(home, loaded)
        today = now().date()
        if clear:
            had = plan_today.load_active(store) is not None
            plan_today.save(store, None)
            echo("plan cleared" if had else "no plan was active")
            return
        states = store.states()
        if show:
            plan = plan_today.load_active(store)
            if plan is None:
                raise UsageError("no active plan; start one with prep plan --date YYYY-MM-DD")
            scheduler = user_scheduler(store, plan.retention, fuzz=False)
            forecast = plans.recall_forecast(plan, states, scheduler, today)
            if as_json:
                echo_json(render_plan.forecast_dict(plan, forecast), indent=2)
            else:
                render_plan.forecast(console(), plan, forecast, loaded.cards)
            return
        day = parse_day(interview)
        if day <= today:
            raise UsageError(f"the interview date {day} is not in the future")
        suspended = in_state(store, "suspended", now())  # never studied while suspended: not planned for
        cards = [c for c in select(loaded, deck, tag) if c.id not in suspended]
        plan = plans.Plan(tuple(c.id for c in cards), day, minutes, now(), target, retention)
        scheduler = user_scheduler(store, retention, fuzz=False)
        load = plans.expected_daily_load(plan, states, scheduler, today)
        fits = plans.fits_budget(plan, load)
        fitting = None if fits else plans.largest_fitting_selection(plan, states, scheduler, today)
        n_new = sum(1 for cid in plan.card_ids if cid not in states)
        quota = plans.new_card_quota(plan, n_new, today)
        plan_today.save(store, plan)
    if as_json:
        echo_json({"plan": plan.to_dict(), "new_per_day": quota, "fits": fits,
                               "largest_fitting": len(fitting) if fitting is not None else len(plan.card_ids),
                               "load": [{"day": d.day.isoformat(), "reviews": d.reviews, "new": d.new,
                                         "minutes": d.minutes} for d in load]}, indent=2)
    else:
        render_plan.summary(console(), plan, quota, n_new, load, fits, fitting)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date '{text}' is not a date in the form YYYY-MM-DD") from None
