"""`prep optimize`: fit FSRS parameters to your own reviews (library: srs/optimize.py). Registered by cli/app.py.

The report shows what the fit is worth on the user's own history (log loss and RMSE before ->
after), so that nobody swaps the defaults for parameters they have no reason to trust.
"""

from __future__ import annotations

from typing import Annotated

import typer

from interviewprep.cli.options import (
    HomeOpt,
    JsonOpt,
    console,
    echo_json,
    now,
    open_store,
)


def optimize_command(
    reset: Annotated[bool, typer.Option("--reset", help="Go back to the default parameters "
                                        "(the fitted set is kept as the previous one).")] = False,
    min_reviews: Annotated[int, typer.Option("--min-reviews", min=1, help="Refuse to fit with fewer reviews "
                                             "than this; below ~500 a fit mostly learns noise.")] = 500,
    as_json: JsonOpt = False,
    home: HomeOpt = None,
):
    """Fit FSRS parameters to your review log (needs 500+ reviews and the optimize extra).

    The fitted set is used by later quizzes; the set it replaces is kept. Needs
    pip install 'interviewprep[optimize]' (fsrs-rs-python, a ~1.5 MB wheel, no torch).

    Example: prep optimize
    """
    from interviewprep.srs import optimize

    store = open_store(home)
    try:
        if reset:
            removed = optimize.reset(store)
            report = {"reset": True, "removed": removed}
        else:
            report = optimize.fit(store, now(), min_reviews=min_reviews).to_dict()
    finally:
        store.close()
    if as_json:
        echo_json(report, indent=2)
    elif reset:
        out = console()
        if removed is None:
            out.print("no fitted parameters were stored; prep already uses the FSRS defaults")
        else:
            out.print(f"back to the FSRS defaults; the set fitted {str(removed.get('fitted_at', '?'))[:10]} "
                      "is kept as the previous one")
    else:
        show_fit(console(), report)


def show_fit(out, fit: dict) -> None:
    """The fit report as a table: the data used, log loss and RMSE before -> after, the parameters."""
    from rich.table import Table

    table = Table(title="FSRS parameters fitted to your reviews", show_header=True, header_style="bold")
    table.add_column("")
    table.add_column(f"before ({fit['baseline']})", justify="right")
    table.add_column("after", justify="right")
    table.add_row("log loss", f"{fit['log_loss_before']:.4f}", f"{fit['log_loss_after']:.4f}")
    table.add_row("RMSE (bins)", f"{fit['rmse_before']:.4f}", f"{fit['rmse_after']:.4f}")
    out.print(table)
    out.print(f"{fit['n_reviews']} reviews of {fit['n_cards']} cards: {fit['n_items']} recalls predicted "
              "and scored (lower is better)")
    out.print(f"fitted by {fit['optimizer']}; parameters w0-w20:")
    weights = [f"{w:.4f}" for w in fit["parameters"]]
    for start in range(0, len(weights), 7):
        out.print("  " + "  ".join(weights[start:start + 7]))
    if fit["stored"]:
        out.print("stored; later quizzes schedule with them. `prep optimize --reset` goes back to the defaults.")
    else:
        from interviewprep.render.console import styled

        out.print(styled("[yellow]not stored: they fit your history worse than the parameters in use, which stay.[/]"))
