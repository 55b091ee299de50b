"""Bare `prep` (what is waiting today), `prep decks` and `prep tags`: where am I, what do I run next.

Kept on the fast path: cards come from the bank cache's index and states from one SQL query; neither
fsrs nor numpy is imported.
"""

from __future__ import annotations

from collections import Counter

from interviewprep.cli.options import (
    BankOpt,
    HomeOpt,
    JsonOpt,
    NoBuiltinOpt,
    console,
    echo_json,
    load_bank,
    now,
    open_store,
    resolve_setting,
)


def today_view(bank=None, no_builtin: bool = False, home=None, as_json: bool = False) -> None:
    """Per-deck new / learning / due counts, today's new-card allowance, the plan's status, the next command."""
    from interviewprep.cli.controls import daily_limits
    from interviewprep.clock import study_day
    from interviewprep.render import today as render_today
    from interviewprep.srs import plan_today
    from interviewprep.srs.today import overview

    loaded = load_bank(bank, no_builtin)
    store = open_store(home, loaded)
    moment = now()
    allowed = plan_today.new_left_today(store, resolve_setting(None, "new_per_day"), moment)
    held = store.held(moment)  # buried and suspended cards wait for no quiz today
    cards = [c for c in loaded.cards.values() if c.id not in held]
    today = overview(cards, store.states(), moment, allowed, daily_limits(store)["learn_ahead"])
    plan = plan_today.load_active(store)
    if as_json:
        echo_json({**today.to_dict(), "plan": plan.to_dict() if plan else None}, indent=2)
    else:
        console().print(render_today.show(today, plan, study_day(moment)))


def decks_command(as_json: JsonOpt = False, bank: BankOpt = None, no_builtin: NoBuiltinOpt = False,
                  home: HomeOpt = None):
    """List decks with their new, learning and due cards now (bare `prep` shows the same, with what to run next).

    Example: prep decks --json
    """
    today_view(bank, no_builtin, home, as_json)


def tags_command(as_json: JsonOpt = False, bank: BankOpt = None, no_builtin: NoBuiltinOpt = False):
    """List every tag with how many cards carry it, most used first (use one with `--tag`).

    Example: prep tags
    """
    loaded = load_bank(bank, no_builtin)
    counts = Counter(tag for card in loaded.cards.values() for tag in card.tags)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        echo_json([{"tag": tag, "cards": n} for tag, n in rows], indent=2)
        return
    from interviewprep.render import today as render_today

    console().print(render_today.tag_table(rows) if rows else "no tags")
