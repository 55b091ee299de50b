"""Rich output for `prep plan`: the quota, a bar chart of the daily load, the recall forecast.

Each function returns a renderable (a Group of lines and tables) for the CLI to print; nothing here prints.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

BAR = "█"


def bars(rows: list[tuple[str, float]], width: int = 40, unit: str = "") -> Table:
    """A horizontal bar chart as a table: label, bar scaled to the largest value, value."""
    table = Table.grid(padding=(0, 1))
    top = max((v for _, v in rows), default=0) or 1
    for label, value in rows:
        table.add_row(label, BAR * max(0, round(width * value / top)), f"{value:.1f}{unit}")
    return table


SOURCES = {"given": "from --minutes", "measured": "measured from your review log", "default": "the default: "
           "your review log does not yet have 7 study days in the last 4 weeks"}


def summary(decision, quota: int, n_new: int, load) -> Group:
    """The plan's decisions in words: budget and its source, retention, quota, what was left out and why."""
    plan = decision.plan
    parts = [Text.assemble(("Plan saved", "bold"), f": {len(plan.card_ids)} cards by {plan.interview} "
                           f"({n_new} not yet seen), {plan.minutes_per_day:g} min/day "
                           f"({SOURCES.get(plan.minutes_source, plan.minutes_source)})")]
    if decision.fits:
        parts.append(Text(f"the budget covers every card: learning them needs about {decision.needed_minutes:.1f} "
                          "min/day"))
    elif not decision.deferred:
        parts.append(Text.assemble(("tight budget:", "red"), f" learning every card needs about "
                                   f"{decision.needed_minutes:.1f} min/day of your {plan.minutes_per_day:g}, with "
                                   "little room for misses; the plan keeps every card and schedules with a "
                                   "lower everyday retention"))
    else:
        focus = f"the decks you marked with --focus ({', '.join(plan.focus)}), then " if plan.focus else ""
        parts.append(Text.assemble(
            ("not enough time:", "red"),
            f" learning all {len(plan.card_ids) + len(decision.deferred)} cards needs about "
            f"{decision.needed_minutes:.1f} min/day, you have {plan.minutes_per_day:g}. Rather than spread thin, "
            f"the plan learns {len(plan.card_ids)} of them well and leaves {len(decision.deferred)} out, "
            f"choosing {focus}basic before intermediate before advanced. Raise --minutes or narrow with "
            "--deck/--focus to change this."))
    parts.append(Text(f"everyday retention {plan.retention:.0%}; in the last week cards predicted below "
                      f"{plan.target:.0%} on the day are brought forward, weakest first"))
    parts.append(Text.assemble("new cards today: ", (str(quota), "bold"),
                               " (every planned card learned a week before the interview)"))
    if load:
        peak = max(load, key=lambda d: d.minutes)
        parts += [Text("expected daily load (minutes):"),
                  bars([(d.day.isoformat(), d.minutes) for d in load], unit=" min"),
                  Text(f"peak: {peak.minutes:.0f} min on {peak.day} · the forecast assumes on-time reviews "
                       "and is a lower bound")]
    return Group(*parts)


def forecast_dict(plan, forecast, view) -> dict:
    return {
        "expected_recall_on_the_day": view.mean_recall,
        "weakest_decks": [{"deck": d, "recall": r} for d, r in view.weakest_decks],
        "at_risk_count": view.at_risk,
        "deferred": view.deferred,
        "needed_minutes_per_day": view.needed_minutes,
        "peak_minutes": view.peak_minutes,
        "recent_minutes_per_day": view.pace,
        "on_track": view.on_track,
        "plan": plan.to_dict(),
        "recall_on_the_day_if_idle": forecast.interview_idle,
        "recall_on_the_day_if_kept_up": forecast.interview_kept_up,
        "unseen": forecast.unseen,
        "at_risk": [{"id": cid, "recall": r} for cid, r in forecast.at_risk],
        "idle": [{"day": d.isoformat(), "recall": r} for d, r in forecast.idle],
    }


def forecast(plan, forecast, view) -> Group:
    """`prep plan --show`: recall on the day if you keep up or stop, the pace, the cards most at risk."""
    weakest = ", ".join(f"{d} {r:.0%}" for d, r in view.weakest_decks)
    pace = (f"you gave {view.pace:.1f} min/day lately" if view.pace is not None
            else "your review log is too short to tell your pace")
    step = max(1, len(forecast.idle) // 15)
    parts = [
        Text.assemble((f"Interview {plan.interview}", "bold"),
                      f" · {len(plan.card_ids)} cards · target {plan.target:.0%}"),
        Text(f"expected recall on the day of the {len(plan.card_ids)} planned cards if you keep up: "
             f"{view.mean_recall:.1%} (weakest decks: {weakest})"),
        Text(f"{view.unseen} cards not yet seen, {view.at_risk} at risk of falling below {plan.target:.0%}"
             + (f", {view.deferred} left out for lack of time" if view.deferred else "")),
        Text.assemble(
            ("on track" if view.on_track else "not on track", "green" if view.on_track else "red"),
            f": the plan needs {view.needed_minutes:.1f} min/day from today (peak {view.peak_minutes:.0f}), "
            f"budget {plan.minutes_per_day:g}; {pace}"),
        Text(f"mean predicted recall on the day: {forecast.interview_kept_up:.1%} if you keep up, "
             f"{forecast.interview_idle:.1%} if you stop now ({forecast.unseen} cards never seen count as 0)"),
        Text("recall if no more reviews are done:"),
        bars([(d.isoformat(), r * 100) for d, r in forecast.idle[::step]], unit=" %"),
    ]
    if forecast.at_risk:
        table = Table(title=f"{len(forecast.at_risk)} cards below target on the day (most at risk first)")
        table.add_column("card")
        table.add_column("recall", justify="right")
        for cid, recall in forecast.at_risk[:15]:
            table.add_row(cid, f"{recall:.0%}")
        parts.append(table)
    return Group(*parts)
