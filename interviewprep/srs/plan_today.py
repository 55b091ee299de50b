"""The active interview plan in daily use: kept in the store, turned into today's quiz settings.

plan.py computes (quotas, forecasts, at-risk cards) from data it is given; this module reads and
writes the plan in the store's meta table (so backups carry it) and combines it with the user's
options when a quiz starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from interviewprep.clock import start_of_day, study_day
from interviewprep.models import CardState
from interviewprep.srs.plan import Plan, bring_forward, bringing_forward, new_card_quota
from interviewprep.srs.scheduler import Scheduler

PLAN_KEY = "plan"


@dataclass(frozen=True)
class Today:
    """What an active plan asks of today's quiz."""

    new_limit: int  # new cards still to introduce today
    bring_forward: list[str]  # ids to review ahead of schedule, most at risk first
    interview: date
    card_ids: tuple[str, ...]  # the plan's selection: only these are introduced as new cards
    retention: float  # the everyday desired retention the plan schedules with
    new_first: bool = False  # the plan's new cards before the due reviews


def for_today(plan: Plan, states: Mapping[str, CardState], scheduler: Scheduler, today: date,
              introduced_today: int, held: frozenset[str] | set[str] = frozenset()) -> Today:
    """Today's new-card allowance (quota minus cards already introduced today) and cards to bring forward.

    `held` cards (suspended, or buried past now) can be neither introduced nor reviewed today, so they
    neither raise the quota nor come forward: spreading a suspended card's share over the days left would
    ask the user for cards the quiz will never show.
    """
    unseen = sum(1 for cid in plan.card_ids if cid not in states and cid not in held)
    quota = new_card_quota(plan, unseen + introduced_today, today)
    ahead = []
    if bringing_forward(plan.interview, today):  # only then are the states themselves needed
        mine = {cid: states[cid] for cid in plan.card_ids if cid in states and cid not in held}
        ahead = [cid for cid, _ in bring_forward(mine, scheduler, plan.interview, today, plan.target)]
    return Today(max(0, quota - introduced_today), ahead, plan.interview, plan.card_ids, plan.retention,
                 plan.new_first)


def load_active(store) -> Plan | None:
    """The stored plan, if any (kept in the store's meta table, so backups carry it)."""
    import json

    raw = store.get_meta(PLAN_KEY)
    return Plan.from_dict(json.loads(raw)) if raw else None


def save(store, plan: Plan | None) -> None:
    """Store `plan`; None ends it."""
    import json

    if plan is None:
        store.delete_meta(PLAN_KEY)
    else:
        store.set_meta(PLAN_KEY, json.dumps(plan.to_dict()))


def today_for_quiz(store, scheduler: Scheduler, now: datetime) -> Today | None:
    """The active plan's demands on a quiz started at `now`, or None without a plan (or after the day)."""
    plan = load_active(store)
    today = study_day(now)
    if plan is None or today > plan.interview:
        return None
    introduced = store.introduced_since(start_of_day(now))  # the same day boundary as `prep stats`
    return for_today(plan, StoredStates(store), scheduler, today, introduced, store.held(now))


class StoredStates(Mapping):
    """The store's card states, read whole only when a state itself is asked for.

    Outside the last days before the interview, today's quota needs only which cards were seen (one
    column); building every CardState took most of quiz start-up at 10,000 cards.
    """

    def __init__(self, store):
        self._store = store
        self._seen: set[str] | None = None
        self._states: dict[str, CardState] | None = None

    def __contains__(self, card_id) -> bool:
        if self._seen is None:
            self._seen = self._store.seen_ids()
        return card_id in self._seen

    def _all(self) -> dict[str, CardState]:
        if self._states is None:
            self._states = self._store.states()
        return self._states

    def __getitem__(self, card_id: str) -> CardState:
        return self._all()[card_id]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def new_left_today(store, per_day: int, now: datetime) -> int:
    """New cards still allowed today: the daily limit minus cards first reviewed since the study day began."""
    return max(0, per_day - store.introduced_since(start_of_day(now)))


@dataclass(frozen=True)
class QuizSetup:
    """How a quiz started now should run: with the plan's demands when one is active."""

    scheduler: Scheduler
    new_limit: int
    bring_forward: list[str]
    new_from: set[str] | None  # only these may be introduced as new cards (None: any)
    today: Today | None  # the plan's demands, for the CLI to announce
    new_first: bool = False  # show new cards before due reviews (the plan's order when its budget covers all)


def quiz_setup(store, make_scheduler, now: datetime, new_limit: int, new_option: int | None,
               retention: float | None, use_plan: bool = True) -> QuizSetup:
    """Combine the user's options with an active plan.

    `make_scheduler(retention)` builds the user's scheduler. An explicit `--new` or `--retention`
    wins over the plan; `use_plan=False` (the user named a deck or tag) sets the plan aside. Without
    a plan, the configured `new_per_day` counts every session of the study day (`--new` is per session).
    """
    today = today_for_quiz(store, make_scheduler(retention), now) if use_plan else None
    if today is None:
        if new_option is None:  # new_per_day is a daily limit, as in Anki: what earlier sessions today used is gone
            new_limit = new_left_today(store, new_limit, now)
        return QuizSetup(make_scheduler(retention), new_limit, [], None, None)
    return QuizSetup(
        scheduler=make_scheduler(retention if retention is not None else today.retention),
        new_limit=new_option if new_option is not None else today.new_limit,
        bring_forward=today.bring_forward,
        new_from=set(today.card_ids),
        today=today,
        new_first=today.new_first,
    )
