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
    user_scheduler,
)
from interviewprep.errors import UsageError
from interviewprep.models import RETENTION_RANGE


def plan_command(
    interview: Annotated[Optional[str], typer.Option(
        "--date", help="Interview date: YYYY-MM-DD, or from today: +21d, +3w.", show_default=False)] = None,
    deck: DeckOpt = None,
    tag: TagOpt = None,
    minutes: Annotated[Optional[float], typer.Option(
        "--minutes", "--minutes-per-day", min=1, show_default=False,
        help="Daily study budget in minutes (default: measured from your review log once it has 7 study "
        "days in the last 4 weeks, else 20).")] = None,
    focus: Annotated[Optional[list[str]], typer.Option(
        "--focus", show_default=False, help="A must-know deck: its cards come first when the budget is short "
        "(repeatable).")] = None,
    target: Annotated[float, typer.Option("--target", min=0.5, max=0.99,
                                          help="Recall to reach on the day: in the last week, cards predicted "
                                          "below it are brought forward.")] = 0.95,
    retention: Annotated[Optional[float], typer.Option(
        "--retention", min=RETENTION_RANGE[0], max=RETENTION_RANGE[1], show_default=False,
        help="FSRS desired retention for everyday scheduling while the plan runs (default: chosen from the "
        "budget).")] = None,
    show: Annotated[bool, typer.Option("--show", help="Show the active plan's recall forecast.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="End the active plan.")] = False,
    as_json: JsonOpt = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    home: HomeOpt = None,
):
    """Plan toward an interview date: new-card quota, daily load, and recall on the day.

    Examples: prep plan --date +3w --minutes 10 --focus optimization · prep plan --date +30d ·
    prep plan --show · prep plan --clear
    """
    from interviewprep.clock import study_day
    from interviewprep.render import plan as render_plan
    from interviewprep.srs import plan as plans
    from interviewprep.srs import plan_today, stats
    from interviewprep.srs.marks import in_state

    if sum(bool(x) for x in (interview, show, clear)) != 1:
        raise UsageError("give exactly one of --date YYYY-MM-DD, --show or --clear")
    loaded = load_bank(bank, no_builtin)
    store = open_store(home, loaded)
    today = study_day(now())  # the study day (4 a.m. local boundary), as the quiz's quota counts it
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
        path = plans.good_path(plan, states, scheduler, today)
        forecast = plans.recall_forecast(plan, states, scheduler, today, path)
        measured = stats.measured_minutes_per_day(store, now())
        decks = {cid: card.deck for cid, card in loaded.cards.items()}
        view = plans.outlook(plan, states, scheduler, today, decks, measured[0] if measured else None, path=path,
                             forecast=forecast)
        if as_json:
            echo_json(render_plan.forecast_dict(plan, forecast, view), indent=2)
        else:
            console().print(render_plan.forecast(plan, forecast, view))
        return
    day = parse_day(interview, today)
    if day <= today:
        raise UsageError(f"the interview date {day} is not in the future")
    suspended = in_state(store, "suspended", now())  # never studied while suspended: not planned for
    cards = [c for c in select(loaded, deck, tag) if c.id not in suspended]
    select(loaded, focus, None)  # refuses an unknown --focus deck with a suggestion
    minutes, source = budget_minutes(minutes, stats.measured_minutes_per_day(store, now()))
    decision = plans.decide([c.id for c in cards], [c.level for c in cards], [c.deck for c in cards],
                            states, today, day, minutes, focus or (), stats.miss_rate(store, now()),
                            lambda r: user_scheduler(store, r, fuzz=False), now(), target, retention, source)
    plan = decision.plan
    scheduler = user_scheduler(store, plan.retention, fuzz=False)
    load = plans.expected_daily_load(plan, states, scheduler, today)
    n_new = sum(1 for cid in plan.card_ids if cid not in states)
    quota = plans.new_card_quota(plan, n_new, today)
    plan_today.save(store, plan)
    if as_json:
        echo_json({"plan": plan.to_dict(), "new_per_day": quota, "fits": decision.fits,
                   "needed_minutes_per_day": decision.needed_minutes, "minutes_source": source,
                   "deferred": len(decision.deferred),
                   "load": [{"day": d.day.isoformat(), "reviews": d.reviews, "new": d.new,
                             "minutes": d.minutes} for d in load]}, indent=2)
    else:
        console().print(render_plan.summary(decision, quota, n_new, load))


def budget_minutes(given: float | None, measured: tuple[float, int] | None) -> tuple[float, str]:
    """The daily budget and where it came from: the option, else the review log, else the default."""
    from interviewprep.srs.plan import DEFAULT_MINUTES

    if given is not None:
        return given, "given"
    if measured is not None and measured[0] >= 1:
        return round(measured[0], 1), "measured"
    return DEFAULT_MINUTES, "default"


def parse_day(text: str, today: date) -> date:
    """YYYY-MM-DD, or days/weeks from `today` (+21d, +3w): "the interview is in three weeks" needs no calendar."""
    import re
    from datetime import timedelta

    relative = re.fullmatch(r"\+(\d{1,4})([dw])", text.strip())
    if relative:
        n = int(relative.group(1))
        return today + timedelta(days=n * 7 if relative.group(2) == "w" else n)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date '{text}' is not a date: give YYYY-MM-DD, or +Nd / +Nw from today") from None
