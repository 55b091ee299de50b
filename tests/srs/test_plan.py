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
    largest_fitting_selection,
    new_card_quota,
    recall_forecast,
)
from interviewprep.srs.scheduler import FSRSScheduler

FSRS = FSRSScheduler(fuzz=False)
TODAY = date(2026, 1, 1)
CREATED = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)


def make_plan(n=10, days=60, minutes=20.0, target=0.9) -> Plan:
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


def test_fits_budget_and_largest_selection():
    plan = make_plan(n=40, days=30, minutes=2.0)
    load = expected_daily_load(plan, {}, FSRS, TODAY)
    assert not fits_budget(plan, load)
    best = largest_fitting_selection(plan, {}, FSRS, TODAY)
    assert 0 < len(best) < 40 and best == plan.card_ids[: len(best)]
    assert fits_budget(plan, expected_daily_load(plan, {}, FSRS, TODAY, best))
    roomy = make_plan(n=40, days=30, minutes=60.0)
    assert fits_budget(roomy, expected_daily_load(roomy, {}, FSRS, TODAY))
    assert largest_fitting_selection(roomy, {}, FSRS, TODAY) == roomy.card_ids


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
