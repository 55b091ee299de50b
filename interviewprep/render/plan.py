"""Rich output for `prep plan`: the quota, a bar chart of the daily load, the recall forecast."""

from __future__ import annotations

from rich.console import Console
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


def summary(console: Console, plan, quota: int, n_new: int, load, fits: bool, fitting) -> None:
    console.print(Text.assemble(("Plan saved", "bold"), f": {len(plan.card_ids)} cards by {plan.interview} "
                                f"({n_new} not yet seen), {plan.minutes_per_day:g} min/day"))
    console.print(f"everyday retention {plan.retention:.0%} until the final week, then cards predicted below "
                  f"{plan.target:.0%} on the day are brought forward")
    console.print(Text.assemble("new cards today: ", (str(quota), "bold"),
                                " (every card learned a week before the interview)"))
    if load:
        console.print("expected daily load (minutes):")
        console.print(bars([(d.day.isoformat(), d.minutes) for d in load], unit=" min"))
        peak = max(load, key=lambda d: d.minutes)
        console.print(f"peak: {peak.minutes:.0f} min on {peak.day} · the forecast assumes on-time reviews "
                      "and is a lower bound")
    if not fits:
        console.print(Text.assemble(("warning:", "red"), f" {plan.minutes_per_day:g} min/day cannot cover these cards; "
                                    f"the largest selection that fits is the first {len(fitting)} of them "
                                    "(narrow it with --deck/--tag or raise --minutes-per-day)"))


def forecast_dict(plan, forecast) -> dict:
    return {
        "plan": plan.to_dict(),
        "recall_on_the_day_if_idle": forecast.interview_idle,
        "recall_on_the_day_if_kept_up": forecast.interview_kept_up,
        "unseen": forecast.unseen,
        "at_risk": [{"id": cid, "recall": r} for cid, r in forecast.at_risk],
        "idle": [{"day": d.isoformat(), "recall": r} for d, r in forecast.idle],
    }


def forecast(console: Console, plan, forecast, cards: dict) -> None:
    console.print(Text.assemble((f"Interview {plan.interview}", "bold"),
                                f" · {len(plan.card_ids)} cards · target {plan.target:.0%}"))
    console.print(f"mean predicted recall on the day: {forecast.interview_kept_up:.1%} if you keep up, "
                  f"{forecast.interview_idle:.1%} if you stop now ({forecast.unseen} cards never seen count as 0)")
    step = max(1, len(forecast.idle) // 15)
    console.print("recall if no more reviews are done:")
    console.print(bars([(d.isoformat(), r * 100) for d, r in forecast.idle[::step]], unit=" %"))
    if forecast.at_risk:
        table = Table(title=f"{len(forecast.at_risk)} cards below target on the day (most at risk first)")
        table.add_column("card")
        table.add_column("recall", justify="right")
        for cid, recall in forecast.at_risk[:15]:
            table.add_row(cid, f"{recall:.0%}")
        console.print(table)
