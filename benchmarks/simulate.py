"""Simulated learners preparing for an interview: FSRS with and without a plan, SM-2, Leitner.

    python benchmarks/simulate.py [--learners 200] [--days 60] [--out benchmarks/RESULTS-sim.md]

Why a simulation: whether a plan helps is a question about recall on one day, which no review log
can answer for the schedule that was *not* followed.  Every scheduler meets the same learners, the
same cards and the same random draws (common random numbers: one seed per learner), and a daily
budget of 20 minutes.

Ground truth (deliberately not FSRS, so FSRS gets no home advantage; nothing here is fitted to it):
- recall after t days at memory strength s: R = (1 + t / (H s)) ** -DECAY, DECAY = 0.5 (a power law,
  steeper in its tail than FSRS-6's default curve, exponent 0.154), H chosen so R(s) = 0.9;
- card difficulty delta = {basic 0, intermediate 0.35, advanced 0.7} + N(0, 0.35); ease m = exp(-delta);
  learner learning rate a ~ lognormal(0, 0.3); learner speed ~ lognormal(0, 0.2);
- first showing: the learner already knows the answer with probability min(0.9, 0.3 a m) (then
  s = 2 s0), else fails, reads the answer and s = s0 = S0 a m e, S0 = 1.5 d, e ~ lognormal(0, 0.4);
- a successful recall after t days multiplies s by 1 + G a m (1 - exp(-t / s)), G = 2.5: spacing
  helps and saturates, massed repetition (t << s, i.e. R near 1) adds almost nothing; a failed
  recall (then the answer is re-read) leaves s = max(s0, F s), F = 0.3;
- ratings: a miss is Again; a success is Hard with probability 0.05 + 0.5 (1 - R), Easy with 0.2 R^2,
  else Good.  Ratings drive the schedulers only; memory depends on success and spacing;
- time: a new card's first showing takes lognormal(median 60 s, sigma 0.5), any other rating
  lognormal(median 20 s, sigma 0.5), a miss 1.5 times that, all times the learner's speed.
Study: one session a day at 09:00 UTC; learning cards due now, then cards due today (most overdue
first), then new cards (10 a day, the `prep` default; with the plan, plan.new_card_quota cards
come *before* the due reviews, because the quota is the plan's promise to learn everything a week
ahead and must not be squeezed out by a heavy review day), then
learning cards due within 20 minutes, shown early -- the order of interviewprep.srs.session.  The
session stops when the 20 minutes are used (the card in hand is finished).  With the plan, in the
last 7 days, leftover minutes go to plan.bring_forward cards (FSRS-predicted recall at the
interview below 0.9 and not due before it; lowest first, an even share of them each day).
Recall is measured at 09:00 on the interview day.  "Own prediction" is each scheduler's
retrievability at that moment (for SM-2 and Leitner only their 90%-at-due convention), next to the
truth, to show how well calibrated FSRS's default parameters are for these learners.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewprep import bank  # noqa: E402
from interviewprep.models import Phase, Rating  # noqa: E402
from interviewprep.srs.leitner import LeitnerScheduler  # noqa: E402
from interviewprep.srs.plan import (  # noqa: E402
    BRING_FORWARD_DAYS,
    PLAN_RETENTION,
    PLAN_TARGET,
    Plan,
    bring_forward,
    new_card_quota,
)
from interviewprep.srs.scheduler import FSRSScheduler  # noqa: E402
from interviewprep.srs.sm2 import SM2Scheduler  # noqa: E402

SEED = 20260101
DECAY, S0, G, F = 0.5, 1.5, 2.5, 0.3
H = 1.0 / (0.9 ** (-1.0 / DECAY) - 1.0)
LEVEL_DELTA = {"basic": 0.0, "intermediate": 0.35, "advanced": 0.7}
NEW_LIMIT, LEARN_AHEAD, TARGET = 10, timedelta(minutes=20), 0.9
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
VARIANTS = {  # name: (scheduler factory, new-card quota from the plan, bring forward at-risk cards, plan target)
    "FSRS + plan (prep's defaults)": (lambda: FSRSScheduler(PLAN_RETENTION, fuzz=False), True, True, PLAN_TARGET),
    "FSRS, no plan": (lambda: FSRSScheduler(fuzz=False), False, False, TARGET),
    "SM-2 (Anki defaults)": (SM2Scheduler, False, False, TARGET),
    "Leitner (1-32 d)": (LeitnerScheduler, False, False, TARGET),
    "FSRS + plan, retention 0.9, target 0.9": (lambda: FSRSScheduler(fuzz=False), True, True, TARGET),
    "FSRS + plan, retention 0.9, target 0.95": (lambda: FSRSScheduler(fuzz=False), True, True, 0.95),
}


def load_cards() -> tuple[list[str], list[str]]:
    cards = list(bank.load(bank.bank_dirs(builtin=True)).cards.values())
    return [c.id for c in cards], [c.level for c in cards]


def card_ease(levels: list[str]) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    delta = np.array([LEVEL_DELTA.get(lv, 0.35) for lv in levels]) + rng.normal(0, 0.35, len(levels))
    return np.exp(-delta)


def recall(t_days: float, s: float) -> float:
    return (1.0 + max(0.0, t_days) / (H * s)) ** -DECAY


def run_learner(job: tuple) -> tuple:
    """One learner, one scheduler, `days` days: (variant, learner, reviews, seconds, recall, brought forward)."""
    variant, learner, days, minutes, ids, levels, seed = job
    budget = minutes * 60.0
    factory, use_quota, use_bring_forward, target = VARIANTS[variant]
    sched = factory()
    ease = [float(e) for e in card_ease(levels)]
    index = {cid: i for i, cid in enumerate(ids)}
    traits = np.random.default_rng([seed, learner])
    rate, speed = float(traits.lognormal(0, 0.3)), float(traits.lognormal(0, 0.2))
    n = len(ids)
    s0 = [S0 * rate * ease[c] * float(traits.lognormal(0, 0.4)) for c in range(n)]
    prior = [min(0.9, 0.3 * rate * ease[c]) for c in range(n)]
    rng = random.Random(seed * 1000 + learner)  # the same stream for every scheduler
    s, last = [0.0] * n, [0.0] * n
    states: dict[int, object] = {}
    learning: dict[int, datetime] = {}  # cards in (re)learning -> due
    unseen = list(range(n))
    interview = T0 + timedelta(days=days)
    plan = Plan(tuple(ids), interview.date(), minutes, T0, target)
    reviews, seconds, brought = 0, 0.0, 0

    def study(c: int, now: datetime) -> float:
        """The learner answers card c at `now`; memory and scheduler state move; returns seconds."""
        t_now = (now - T0).total_seconds() / 86400
        first = c not in states
        p = prior[c] if first else recall(t_now - last[c], s[c])
        ok = rng.random() < p
        if ok:
            s[c] = 2 * s0[c] if first else s[c] * (1 + G * rate * ease[c] * (1 - math.exp(-(t_now - last[c]) / s[c])))
            u = rng.random()
            rating = Rating.HARD if u < 0.05 + 0.5 * (1 - p) else Rating.EASY if u > 1 - 0.2 * p * p else Rating.GOOD
        else:
            s[c] = s0[c] if first else max(s0[c], F * s[c])
            rating = Rating.AGAIN
        last[c] = t_now
        states[c] = st = sched.review(states.get(c), ids[c], rating, now)
        if st.phase == Phase.REVIEW:
            learning.pop(c, None)
        else:
            learning[c] = st.due
        median = 60.0 if first else 20.0 * (1.0 if ok else 1.5)
        return median * speed * rng.lognormvariate(0, 0.5)

    for day in range(days):
        now = T0 + timedelta(days=day)
        day_end = T0.replace(hour=0) + timedelta(days=day + 1)
        used, new_today, seen_today = 0.0, 0, set()
        quota = new_card_quota(plan, len(unseen), now.date()) if use_quota else NEW_LIMIT
        due = sorted((st.due, c) for c, st in states.items() if st.phase == Phase.REVIEW and st.due < day_end)
        due_q = [c for _, c in due]
        extra: list[int] | None = None
        while used < budget:
            soonest = min((d, c) for c, d in learning.items()) if learning else None
            if soonest and soonest[0] <= now:
                c = soonest[1]
            elif use_quota and unseen and new_today < quota:  # the plan's quota is a promise: before reviews
                c = unseen.pop(0)
                new_today += 1
            elif due_q:
                c = due_q.pop(0)
                if states[c].phase != Phase.REVIEW:
                    continue
            elif unseen and new_today < quota:
                c = unseen.pop(0)
                new_today += 1
            elif soonest and soonest[0] <= now + LEARN_AHEAD:
                c = soonest[1]
            elif use_bring_forward and day >= days - BRING_FORWARD_DAYS:
                if extra is None:
                    mine = {ids[c2]: st for c2, st in states.items() if c2 not in seen_today}
                    extra = [index[cid] for cid, _ in bring_forward(mine, sched, interview.date(), now.date(), target)]
                if not extra:
                    break
                c = extra.pop(0)
                brought += 1
            else:
                break
            spent = study(c, now)
            seen_today.add(c)
            used += spent
            now += timedelta(seconds=spent)
            reviews += 1
        seconds += used
    t_end = days + 0.0
    final = [recall(t_end - last[c], s[c]) if c in states else 0.0 for c in range(n)]
    own = float(np.mean([sched.retrievability(states.get(c), interview) for c in range(n)]))
    return variant, learner, reviews, seconds, final, brought, own, len(states) / n


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--minutes", type=float, default=20.0, help="daily budget")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=SEED, help="another seed checks the result is not the seed's luck")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS-sim.md")
    args = ap.parse_args(argv)
    ids, levels = load_cards()
    started = time.perf_counter()
    jobs = [(v, i, args.days, args.minutes, ids, levels, args.seed) for v in VARIANTS for i in range(args.learners)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_learner, jobs, chunksize=8))
    rows = []
    for v in VARIANTS:
        mine = [r for r in results if r[0] == v]
        rec = np.array([r[4] for r in mine])  # learners x cards
        per_learner = rec.mean(axis=1)
        rows.append((v, np.mean([r[2] for r in mine]), np.mean([r[3] for r in mine]) / 60, rec.mean(),
                     per_learner.std(ddof=1) / math.sqrt(len(mine)), np.percentile(rec, 10), (rec < 0.8).mean(),
                     np.mean([r[5] for r in mine]), np.mean([r[6] for r in mine]), np.mean([r[7] for r in mine])))
    table = [
        f"# Simulated interview prep: {args.learners} learners, {len(ids)} cards, {args.days} days, "
        f"{args.minutes:g} min/day",
        "",
        f"Seed {args.seed}; ground truth and study procedure in benchmarks/simulate.py's docstring; "
        f"{time.perf_counter() - started:.0f} s on {args.workers} workers.",
        "Recall = true recall probability at 09:00 on the interview day, over every (learner, card) pair.",
        "",
        "| scheduler | reviews / learner | of which brought forward | minutes / learner | mean recall (± s.e.) "
        "| 10th pct recall | cards < 80% | own prediction | cards learned |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    table += [f"| {v} | {r:.0f} | {b:.0f} | {m:.0f} | {mean:.3f} ± {se:.3f} | {p10:.3f} | {low:.1%} | {own:.3f} "
              f"| {seen:.1%} |" for v, r, m, mean, se, p10, low, b, own, seen in rows]
    text = "\n".join(table) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return text


if __name__ == "__main__":
    main()
