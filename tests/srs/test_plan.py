"""Interview-date planning: the quota meets the deadline, forecasts add up, at-risk cards sort first."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.models import Rating
from interviewprep.srs.plan import (
    LEARN_LEAD_DAYS,
    Plan,
    at_risk,
    bring_forward,
    day_start,
    expected_daily_load,
    fits_budget,
    new_card_quota,
    recall_forecast,
)
from interviewprep.srs.scheduler import FSRSScheduler

FSRS = FSRSScheduler(fuzz=False)
TODAY = date(2026, 1, 1)
CREATED = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)


def make_plan(n=10, days=60, minutes=1.0, target=0.9) -> Plan:
    """One minute a day: the budget's new-card floor is 0, so the quota is the bare spread."""
    return Plan(tuple(f"c{i}" for i in range(n)), TODAY + timedelta(days=days), minutes, CREATED, target)


def learned(card_id, good_days=0):
    """A card learned on TODAY at 09:00 (Good, Good) then passed `good_days` more times on time."""
    now = day_start(TODAY) + timedelta(hours=9)
    s = FSRS.review(None, card_id, Rating.GOOD, now)
    s = FSRS.review(s, card_id, Rating.GOOD, s.due)
    for _ in range(good_days):
        s = FSRS.review(s, card_id, Rating.GOOD, s.due)
    return s


def test_plan_round_trip():
    plan = make_plan(target=0.85)
    assert Plan.from_dict(plan.to_dict()) == plan
    assert plan.to_dict()["interview"] == "2026-03-02"
    assert Plan(("a",), datetime(2026, 3, 2, 15, tzinfo=timezone.utc), 5, CREATED).interview == date(2026, 3, 2)


def test_quota_examples():
    plan = make_plan(n=155, days=60)  # interview 2026-03-02, last learning day 2026-02-23: 54 days with today
    assert new_card_quota(plan, 155, TODAY) == 3  # ceil(155 / 54)
    roomy = make_plan(n=155, days=60, minutes=40)  # half of 40 min buys 12 first days of 100 s each
    assert new_card_quota(roomy, 155, TODAY) == 12 and new_card_quota(roomy, 5, TODAY) == 5
    assert new_card_quota(plan, 54, TODAY) == 1
    assert new_card_quota(plan, 0, TODAY) == 0
    assert new_card_quota(plan, 7, plan.interview - timedelta(days=LEARN_LEAD_DAYS)) == 7  # the last day: all
    assert new_card_quota(plan, 7, plan.interview - timedelta(days=2)) == 7  # too late: all now


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 400), days=st.integers(LEARN_LEAD_DAYS, 120))
def test_following_the_quota_learns_everything_a_week_before(n, days):
    plan = make_plan(n=n, days=days)
    left, day = n, TODAY
    while day <= plan.interview - timedelta(days=LEARN_LEAD_DAYS):
        quota = new_card_quota(plan, left, day)
        assert 0 <= quota <= left
        left -= quota
        day += timedelta(days=1)
    assert left == 0


def test_expected_load_introduces_every_card_before_the_deadline():
    plan = make_plan(n=12, days=20)  # last learning day: day 13 -> 14 days, quota 1 a day
    load = expected_daily_load(plan, {}, FSRS, TODAY)
    assert len(load) == 20 and load[0].day == TODAY
    assert sum(d.new for d in load) == 12
    assert all(d.new == 0 for d in load if d.day > plan.interview - timedelta(days=LEARN_LEAD_DAYS))
    assert load[0].reviews == 2 and abs(load[0].minutes - (60 + 20) / 60) < 1e-9  # Good, Good: 1 new + 1 step
    assert sum(d.reviews for d in load) > 2 * 12  # later reviews come on top of learning


def test_fits_budget():
    plan = make_plan(n=40, days=30, minutes=2.0)
    assert not fits_budget(plan, expected_daily_load(plan, {}, FSRS, TODAY))
    roomy = make_plan(n=40, days=30, minutes=60.0)
    assert fits_budget(roomy, expected_daily_load(roomy, {}, FSRS, TODAY))


def test_at_risk_lists_weak_cards_first():
    weak, medium, strong = learned("weak"), learned("medium", 2), learned("strong", 6)
    interview = TODAY + timedelta(days=30)
    risky = at_risk([strong, weak, medium], FSRS, interview, 0.9)
    ids = [c for c, _ in risky]
    assert ids[0] == "weak" and "strong" not in ids
    assert [r for _, r in risky] == sorted(r for _, r in risky)
    assert all(r < 0.9 for _, r in risky)
    assert at_risk({"weak": weak}, FSRS, weak.last_review, 0.9) == []  # just reviewed: nothing at risk
    assert at_risk([weak], FSRS, interview, 0.0) == []


def test_recall_forecast():
    plan = make_plan(n=4, days=30)
    states = {"c0": learned("c0"), "c1": learned("c1", 3)}
    f = recall_forecast(plan, states, FSRS, TODAY + timedelta(days=1))
    assert f.unseen == 2
    assert len(f.idle) == 30 and f.idle[-1][0] == plan.interview
    assert [m for _, m in f.idle] == sorted((m for _, m in f.idle), reverse=True)  # idle recall only decays
    assert f.interview_idle <= 0.5  # two of four cards unseen count as 0
    assert f.interview_kept_up > f.interview_idle  # following the plan learns the rest and keeps it up
    assert {c for c, _ in f.at_risk} <= {"c0", "c1"}


def test_bring_forward_only_cards_not_due_before_the_interview():
    states = {c: learned(c, k) for c, k in (("a", 0), ("b", 2), ("c", 4), ("d", 6))}
    interview = TODAY + timedelta(days=40)
    assert bring_forward(states, FSRS, interview, interview - timedelta(days=8), 0.99) == []  # not yet
    picked = bring_forward(states, FSRS, interview, interview - timedelta(days=1), 0.99)
    end = day_start(interview)
    assert picked and all(states[c].due >= end and r < 0.99 for c, r in picked)
    assert [r for _, r in picked] == sorted(r for _, r in picked)
    # with the target at FSRS's own retention, a card not due before the interview is predicted >= target
    assert bring_forward(states, FSRS, interview, interview - timedelta(days=1), 0.9) == []
    # four days left: today's share is a quarter of the list (rounded up), the most at risk first
    share = bring_forward(states, FSRS, interview, interview - timedelta(days=4), 0.99)
    assert share == picked[: -(-len(picked) // 4)]


# -- the budget: which cards, how many new a day, which retention ---------------------------------

from interviewprep.srs import plan as plans  # noqa: E402

IDS = [f"k{i}" for i in range(12)]
LEVELS = ["advanced", "basic", "intermediate"] * 4
DECKS = ["x"] * 6 + ["y"] * 6


def test_prioritise_puts_focus_decks_first_then_basic_before_advanced():
    order = plans.prioritise(IDS, LEVELS, DECKS)
    assert [LEVELS[IDS.index(c)] for c in order] == ["basic"] * 4 + ["intermediate"] * 4 + ["advanced"] * 4
    focused = plans.prioritise(IDS, LEVELS, DECKS, focus=["y"])
    assert {DECKS[IDS.index(c)] for c in focused[:6]} == {"y"}
    assert focused[:2] == ["k7", "k10"]  # within the focus deck: basic first, bank order among equals


def test_a_roomy_budget_covers_every_card_at_the_plans_retention():
    d = plans.decide(IDS, LEVELS, DECKS, {}, TODAY, TODAY + timedelta(days=30), 60)
    assert d.fits and d.deferred == () and sorted(d.learn) == sorted(IDS)
    assert d.plan.retention == plans.PLAN_RETENTION and d.plan.card_ids == d.learn
    assert d.plan.new_first  # room for every card: the quota's new cards before the day's reviews
    assert 0 < d.needed_minutes < plans.FIT_MARGIN * 60


def test_a_short_budget_learns_fewer_cards_and_says_which_it_left_out():
    ids = [f"k{i}" for i in range(300)]
    levels = (["basic", "intermediate", "advanced"] * 100)
    d = plans.decide(ids, levels, ["x"] * 300, {}, TODAY, TODAY + timedelta(days=21), 5)
    assert not d.fits and d.needed_minutes > 5
    assert d.deferred and set(d.learn) | set(d.deferred) == set(ids) and not set(d.learn) & set(d.deferred)
    assert d.plan.deferred == d.deferred and d.plan.retention == plans.TIGHT_RETENTION
    assert not d.plan.new_first  # short of time: reviews of what is learned come first
    kept = [levels[ids.index(c)] for c in d.learn]
    assert set(kept) == {"basic"} and 0 < len(kept) < 100  # the budget buys only basics: the rest wait
    # what is kept fits the minutes: its first showings and reviews at the chosen retention
    per_card = plans.minutes_to_learn(FSRSScheduler(d.plan.retention, fuzz=False), 21 - 7 // 2, 0.05)
    assert len(d.learn) * per_card <= 5 * 21 + 1e-6 < (len(d.learn) + 1) * per_card


def test_an_explicit_retention_wins_and_the_plan_round_trips_its_decisions():
    d = plans.decide(IDS, LEVELS, DECKS, {}, TODAY, TODAY + timedelta(days=30), 1, focus=["y"], retention=0.93,
                     minutes_source="measured")
    assert d.plan.retention == 0.93 and d.plan.focus == ("y",) and d.plan.minutes_source == "measured"
    assert Plan.from_dict(d.plan.to_dict()) == d.plan


def test_seen_cards_stay_in_the_plan_when_time_is_short():
    states = {"k0": learned("k0")}  # advanced, but already seen: its reviews are kept
    d = plans.decide(IDS, LEVELS, DECKS, states, TODAY, TODAY + timedelta(days=10), 1)
    assert "k0" in d.learn


@settings(max_examples=150, deadline=None)
@given(n_left=st.integers(0, 500), days=st.integers(1, 120), minutes=st.floats(1, 120), offset=st.integers(0, 130))
def test_quota_is_never_negative_never_above_the_cards_left_and_grows_with_minutes(n_left, days, minutes, offset):
    plan = make_plan(n=max(1, n_left), days=days, minutes=minutes)
    today = TODAY + timedelta(days=min(offset, days))
    quota = new_card_quota(plan, n_left, today)
    assert 0 <= quota <= n_left
    more = make_plan(n=max(1, n_left), days=days, minutes=minutes * 1.5 + 1)
    assert new_card_quota(more, n_left, today) >= quota


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 60), days=st.integers(2, 60), minutes=st.floats(1, 30), extra=st.floats(0.5, 30))
def test_more_minutes_never_learn_fewer_cards(n, days, minutes, extra):
    ids, levels = [f"k{i}" for i in range(n)], (["basic", "advanced"] * n)[:n]
    small = plans.decide(ids, levels, ["x"] * n, {}, TODAY, TODAY + timedelta(days=days), minutes)
    big = plans.decide(ids, levels, ["x"] * n, {}, TODAY, TODAY + timedelta(days=days), minutes + extra)
    assert len(big.learn) >= len(small.learn) and len(small.learn) + len(small.deferred) == n
    assert big.fits or not small.fits


@settings(max_examples=100, deadline=None)
@given(minutes=st.floats(0, 200), days=st.integers(0, 100), per_card=st.floats(0.1, 30), committed=st.floats(0, 5000))
def test_affordable_cards_is_never_negative_and_grows_with_minutes(minutes, days, per_card, committed):
    n = plans.affordable_cards(minutes, days, per_card, committed)
    assert n >= 0 and plans.affordable_cards(minutes + 1, days, per_card, committed) >= n
    assert n * per_card <= max(0.0, minutes * days - committed) + 1e-6


def test_outlook_names_the_weakest_deck_and_whether_the_pace_is_on_track():
    plan = Plan(("c0", "c1", "c2"), TODAY + timedelta(days=30), 20, CREATED, 0.9)
    states = {"c0": learned("c0", 6), "c1": learned("c1", 6)}
    decks = {"c0": "strong", "c1": "strong", "c2": "empty"}
    view = plans.outlook(plan, states, FSRS, TODAY + timedelta(days=1), decks, pace=30.0)
    assert view.unseen == 1 and view.weakest_decks[0][0] == "empty"
    assert 0 < view.mean_recall <= 1 and view.needed_minutes > 0 and view.on_track
    slow = plans.outlook(plan, states, FSRS, TODAY + timedelta(days=1), decks, pace=view.needed_minutes / 2)
    assert not slow.on_track
    tight = Plan(plan.card_ids, plan.interview, view.needed_minutes / 2, CREATED, 0.9)
    assert not plans.outlook(tight, states, FSRS, TODAY + timedelta(days=1), decks, pace=None).on_track


def test_a_stored_plan_from_before_the_budget_fields_or_with_damaged_ones_still_loads():
    old = make_plan().to_dict()
    for key in ("deferred", "focus", "minutes_source", "new_first"):
        del old[key]
    loaded = Plan.from_dict(old)
    assert loaded.deferred == () and loaded.focus == () and loaded.minutes_source == "given" and not loaded.new_first
    damaged = {**make_plan().to_dict(), "deferred": 5, "focus": ["ok", 3], "new_first": "yes"}
    loaded = Plan.from_dict(damaged)
    assert loaded.deferred == () and loaded.focus == ("ok",) and loaded.new_first is False
