"""Simulated learners preparing for an interview: FSRS with and without a plan, SM-2, Leitner.

    python benchmarks/simulate.py [--learners 100] [--days 60] [--out benchmarks/RESULTS-sim.md]

Why a simulation: whether a plan helps is a question about recall on one day, which no review log
can answer for the schedule that was *not* followed.  Every scheduler meets the same learners, the
same cards and the same random draws (common random numbers: one seed per learner).  The grid is
daily budget (5, 10, 20, 40 min) x ground-truth memory model x seed; seed A (SEED) is the one any
default of the plan was chosen on, seed B (SEED_B) is reported as the check.

Two ground truths, neither of them FSRS (so FSRS gets no home advantage; nothing here is fitted to it):

"power" -- a power-law model written here for this benchmark:
- recall after t days at memory strength s: R = (1 + t / (H s)) ** -DECAY, DECAY = 0.5, H chosen so
  R(s) = 0.9;
- a successful recall after t days multiplies s by 1 + G a m (1 - exp(-t / s)), G = 2.5: spacing
  helps and saturates; a failed recall (then the answer is re-read) leaves s = max(s0, F s), F = 0.3;
- first showing: known already with probability min(0.9, 0.3 a m) (then s = 2 s0), else the
  answer is read and s = s0 = S0 a m e, S0 = 1.5 d, e ~ lognormal(0, 0.4).

"act-r" -- ACT-R declarative memory with the spacing effect of Pavlik, P. I. & Anderson, J. R.
(2005), "Practice and forgetting effects on vocabulary memory: an activation-based model of the
spacing effect", Cognitive Science 29(4), 559-586 (doi:10.1207/s15516709cog0000_14):
- every presentation k of a card leaves a trace; activation at time T is
  m(T) = beta + ln( sum_k (T - t_k) ** -d_k ), ages in seconds;
- a trace's decay depends on the activation when it was laid down (the spacing effect: a card
  studied while still strong decays fast): d_k = c * exp(m(t_k)) + a, with d_1 = a;
- recall probability p = 1 / (1 + exp((tau - m) / s));
- time between sessions counts as h times real time ("psychological time"), time inside a
  session at full rate;
- the paper's fitted constants: a = 0.177 (decay intercept), c = 0.217 (decay scale),
  tau = -0.704 (threshold), s = 0.255 (noise), h = 0.025.  The paper fits beta per learner and
  item; here beta = ACTR_BETA0 + ln(a_learner m_card), a choice of ours (ACTR_BETA0 = 0.5: a
  card studied once, beta 0.5, is recalled with p = 0.87 a minute later and 0.35 the next day,
  tests/benchmarks/test_simulate.py checks these); the first showing is
  "known already" with the same probability as in the power model, and every presentation (a
  pass or a miss followed by reading the answer) lays down a trace.

Both models share the learners and cards: card difficulty delta = {basic 0, intermediate 0.35,
advanced 0.7} + N(0, 0.35), ease m = exp(-delta); learner learning rate a ~ lognormal(0, 0.3),
speed ~ lognormal(0, 0.2).  Ratings: a miss is Again; a success is Hard with probability
0.05 + 0.5 (1 - R), Easy with 0.2 R^2, else Good (ratings drive the schedulers only).  Time: a new
card's first showing takes lognormal(median 60 s, sigma 0.5), any other rating lognormal(median
20 s, sigma 0.5), a miss 1.5 times that, all times the learner's speed.

Study: one session a day at 09:00 UTC until the budget is used (the card in hand is finished):
learning cards due now, then cards due today (most overdue first), then new cards (10 a day, the
`prep` default), then learning cards due within 20 minutes, shown early -- the order of
interviewprep.srs.session.  With the plan, the session is what `prep quiz` does under
interviewprep.srs.plan_today: the plan's decisions (srs.plan.decide: everyday retention, which
cards, how many new a day, whether new cards come before the due reviews) are taken once on day 0
from the bank, the empty review log, the date and the budget; its new cards come from its selection
at its quota, and leftover minutes go to srs.plan.bring_forward cards in the last days.
Recall is measured at 09:00 on the interview day.
"Forecast" is the scheduler's own predicted mean recall at that moment (what `prep plan --show`
says that morning; for SM-2 and Leitner only their 90%-at-due convention) minus the truth.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewprep.bank.loader import bank_dirs, load  # noqa: E402
from interviewprep.models import Phase, Rating  # noqa: E402
from interviewprep.srs import plan as plans  # noqa: E402
from interviewprep.srs.leitner import LeitnerScheduler  # noqa: E402
from interviewprep.srs.scheduler import FSRSScheduler  # noqa: E402
from interviewprep.srs.sm2 import SM2Scheduler  # noqa: E402

SEED, SEED_B = 20260101, 777
DECAY, S0, G, F = 0.5, 1.5, 2.5, 0.3
H = 1.0 / (0.9 ** (-1.0 / DECAY) - 1.0)
ACTR_A, ACTR_C, ACTR_TAU, ACTR_S, ACTR_H = 0.177, 0.217, -0.704, 0.255, 0.025  # Pavlik & Anderson (2005)
ACTR_BETA0 = 0.5
LEVEL_DELTA = {"basic": 0.0, "intermediate": 0.35, "advanced": 0.7}
NEW_LIMIT, LEARN_AHEAD = 10, timedelta(minutes=20)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
MODELS = ("power", "act-r")
BUDGETS = (5.0, 10.0, 20.0, 40.0)
POLICIES = ("FSRS + plan", "FSRS alone", "SM-2", "Leitner")


def load_cards() -> tuple[list[str], list[str], list[str]]:
    cards = list(load(bank_dirs(builtin=True)).cards.values())
    return [c.id for c in cards], [c.level for c in cards], [c.deck for c in cards]


def card_ease(levels: list[str], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    delta = np.array([LEVEL_DELTA.get(lv, 0.35) for lv in levels]) + rng.normal(0, 0.35, len(levels))
    return np.exp(-delta)


def power_recall(t_days: float, s: float) -> float:
    return (1.0 + max(0.0, t_days) / (H * s)) ** -DECAY


class PowerMemory:
    """The power-law ground truth (module docstring), one learner."""

    def __init__(self, s0: list[float], rate: float, ease: list[float]):
        self.s0, self.rate, self.ease = s0, rate, ease
        self.s = [0.0] * len(s0)
        self.last = [0.0] * len(s0)

    def p(self, c: int, t_days: float, psych: float) -> float:
        return power_recall(t_days - self.last[c], self.s[c])

    def present(self, c: int, t_days: float, psych: float, ok: bool, first: bool) -> None:
        s = self.s
        if first:
            s[c] = 2 * self.s0[c] if ok else self.s0[c]
        elif ok:
            s[c] *= 1 + G * self.rate * self.ease[c] * (1 - math.exp(-(t_days - self.last[c]) / s[c]))
        else:
            s[c] = max(self.s0[c], F * s[c])
        self.last[c] = t_days


class ActRMemory:
    """Pavlik & Anderson's (2005) activation model (module docstring), one learner; time in psychological seconds."""

    def __init__(self, beta: list[float]):
        self.beta = beta
        self.traces: list[list[tuple[float, float]]] = [[] for _ in beta]

    def activation(self, c: int, psych: float) -> float:
        traces = self.traces[c]
        if not traces:
            return -math.inf
        return self.beta[c] + math.log(sum(max(1.0, psych - t) ** -d for t, d in traces))

    def p(self, c: int, t_days: float, psych: float) -> float:
        m = self.activation(c, psych)
        return 0.0 if m == -math.inf else 1.0 / (1.0 + math.exp((ACTR_TAU - m) / ACTR_S))

    def present(self, c: int, t_days: float, psych: float, ok: bool, first: bool) -> None:
        m = self.activation(c, psych)
        d = ACTR_A if m == -math.inf else ACTR_C * math.exp(m) + ACTR_A
        self.traces[c].append((psych, d))


def make_scheduler(policy: str, decision):
    if policy == "FSRS + plan":
        return FSRSScheduler(decision.plan.retention, fuzz=False)
    if policy == "FSRS alone":
        return FSRSScheduler(fuzz=False)
    return SM2Scheduler() if policy == "SM-2" else LeitnerScheduler()


def run_learner(job: tuple) -> tuple:
    """One learner, one policy: (cell, policy, minutes used, truth per card, forecast mean, seen share)."""
    model, minutes, seed, policy, learner, days, ids, levels, decks = job
    budget = minutes * 60.0
    ease = [float(e) for e in card_ease(levels, seed)]
    traits = np.random.default_rng([seed, learner])
    rate, speed = float(traits.lognormal(0, 0.3)), float(traits.lognormal(0, 0.2))
    n = len(ids)
    s0 = [S0 * rate * ease[c] * float(traits.lognormal(0, 0.4)) for c in range(n)]
    prior = [min(0.9, 0.3 * rate * ease[c]) for c in range(n)]
    memory = (PowerMemory(s0, rate, ease) if model == "power"
              else ActRMemory([ACTR_BETA0 + math.log(rate * ease[c]) for c in range(n)]))
    rng = random.Random(seed * 1000 + learner)  # the same stream for every policy
    interview = T0 + timedelta(days=days)
    decision = None
    order = list(range(n))
    if policy == "FSRS + plan":
        decision = plans.decide(ids, levels, decks, {}, T0.date(), interview.date(), minutes)
        index = {cid: i for i, cid in enumerate(ids)}
        order = [index[cid] for cid in decision.learn]
    sched = make_scheduler(policy, decision)
    states: dict[int, object] = {}
    learning: dict[int, datetime] = {}  # cards in (re)learning -> due
    unseen = list(order)
    psych = 0.0  # psychological seconds (ACT-R): full rate in sessions, ACTR_H between them
    clock = T0  # the moment psych was last advanced to
    seconds = 0.0

    def study(c: int, now: datetime) -> float:
        t_now = (now - T0).total_seconds() / 86400
        first = c not in states
        p = prior[c] if first else memory.p(c, t_now, psych)
        ok = rng.random() < p
        if ok:
            u = rng.random()
            rating = Rating.HARD if u < 0.05 + 0.5 * (1 - p) else Rating.EASY if u > 1 - 0.2 * p * p else Rating.GOOD
        else:
            rating = Rating.AGAIN
        memory.present(c, t_now, psych, ok, first)
        states[c] = st = sched.review(states.get(c), ids[c], rating, now)
        if st.phase == Phase.REVIEW:
            learning.pop(c, None)
        else:
            learning[c] = st.due
        median = 60.0 if first else 20.0 * (1.0 if ok else 1.5)
        return median * speed * rng.lognormvariate(0, 0.5)

    for day in range(days):
        now = T0 + timedelta(days=day)
        psych += ACTR_H * (now - clock).total_seconds()
        day_end = T0.replace(hour=0) + timedelta(days=day + 1)
        used, new_today, seen_today = 0.0, 0, set()
        if decision is not None:
            quota = plans.new_card_quota(decision.plan, len(unseen), now.date())
        else:
            quota = NEW_LIMIT
        due = sorted((st.due, c) for c, st in states.items() if st.phase == Phase.REVIEW and st.due < day_end)
        due_q = [c for _, c in due]
        extra: list[int] | None = None
        while used < budget:
            soonest = min((d, c) for c, d in learning.items()) if learning else None
            if soonest and soonest[0] <= now:
                c = soonest[1]
            elif decision is not None and decision.plan.new_first and unseen and new_today < quota:
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
            elif decision is not None:
                if extra is None:
                    mine = {ids[c2]: st for c2, st in states.items() if c2 not in seen_today}
                    picked = plans.bring_forward(mine, sched, interview.date(), now.date(), decision.plan.target)
                    extra = [index[cid] for cid, _ in picked]
                if not extra:
                    break
                c = extra.pop(0)
            else:
                break
            spent = study(c, now)
            seen_today.add(c)
            used += spent
            psych += spent
            now += timedelta(seconds=spent)
        clock = now
        seconds += used
    psych += ACTR_H * (interview - clock).total_seconds()
    truth = [memory.p(c, float(days), psych) if c in states else 0.0 for c in range(n)]
    forecast = float(np.mean([sched.retrievability(states.get(c), interview) for c in range(n)]))
    return (model, minutes, seed), policy, seconds / 60.0 / days, truth, forecast, len(states) / n


def grid(models, budgets, seeds, learners: int, days: int, workers: int, cards) -> dict:
    ids, levels, decks = cards
    jobs = [(m, b, s, p, i, days, ids, levels, decks)
            for m in models for b in budgets for s in seeds for p in POLICIES for i in range(learners)]
    jobs.sort(key=lambda j: -j[1])  # the longest budgets first, so the two workers finish together
    if workers <= 1:
        results = [run_learner(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_learner, jobs, chunksize=4))
    cells: dict = {}
    for cell, policy, used, truth, forecast, seen in results:
        cells.setdefault(cell, {}).setdefault(policy, []).append((used, truth, forecast, seen))
    table = {}
    for cell, by_policy in cells.items():
        for policy, rows in by_policy.items():
            rec = np.array([r[1] for r in rows])
            table[cell, policy] = {
                "mean": float(rec.mean()),
                "se": float(rec.mean(axis=1).std(ddof=1) / math.sqrt(len(rows))) if len(rows) > 1 else 0.0,
                "p10": float(np.percentile(rec, 10)),
                "minutes": float(np.mean([r[0] for r in rows])),
                "learned": float(np.mean([r[3] for r in rows])),
                "forecast_error": float(np.mean([r[2] for r in rows]) - rec.mean()),
            }
    return table


def verdicts(table: dict, cells) -> list[str]:
    """One line per cell where FSRS + plan is below the best baseline on mean or 10th percentile."""
    lines = []
    for cell in cells:
        plan = table[cell, "FSRS + plan"]
        for key, label in (("mean", "mean"), ("p10", "10th percentile")):
            best_policy = max((p for p in POLICIES[1:]), key=lambda p: table[cell, p][key])
            best = table[cell, best_policy][key]
            if plan[key] < best:
                model, minutes, seed = cell
                lines.append(f"- {model}, {minutes:g} min/day, seed {seed}: {label} {plan[key]:.3f} "
                             f"< {best_policy}'s {best:.3f} ({plan[key] - best:+.3f})")
    return lines


def cpu_seconds() -> float:
    """CPU time of this process and its finished workers: on a shared machine the wall time says more about
    the other jobs than about the simulation; CPU / workers is the wall time the grid needs on idle cores."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def render(table: dict, models, budgets, seeds, learners: int, days: int, n_cards: int, workers: int,
           elapsed: float, cpu: float) -> str:
    cells = [(m, b, s) for s in seeds for m in models for b in budgets]
    out = [
        f"# Simulated interview prep: {learners} learners per cell, {n_cards} cards, {days} days",
        "",
        f"Run time {elapsed:.0f} s wall, {cpu:.0f} s CPU on {workers} worker processes "
        f"(so about {cpu / max(1, workers):.0f} s on {workers} idle cores; {platform.python_implementation()} "
        f"{platform.python_version()}); seeds {', '.join(map(str, seeds))} (defaults chosen on {SEED} only); "
        "ground truths and study procedure in benchmarks/simulate.py's docstring. Reproduce: `make simulate`.",
        "",
        "Recall = true recall probability at 09:00 on the interview day over every (learner, card) pair, "
        "cards never seen counting as 0. Minutes = minutes studied per learner per day. "
        "Learned = share of cards ever shown. Forecast - truth = the scheduler's own mean predicted recall "
        "at that moment minus the true mean.",
        "",
    ]
    for seed in seeds:
        for model in models:
            out += [f"## {model}, seed {seed}{' (B: the check)' if seed != SEED else ' (A: defaults chosen here)'}",
                    "", "| min/day | policy | mean recall (± s.e.) | 10th pct | minutes/day | learned "
                    "| forecast - truth |", "|---:|---|---:|---:|---:|---:|---:|"]
            for b in budgets:
                cell = (model, b, seed)
                best_mean = max(table[cell, p]["mean"] for p in POLICIES)
                best_p10 = max(table[cell, p]["p10"] for p in POLICIES)
                for p in POLICIES:
                    r = table[cell, p]
                    mean = f"{r['mean']:.3f} ± {r['se']:.3f}"
                    p10 = f"{r['p10']:.3f}"
                    mean = f"**{mean}**" if r["mean"] == best_mean else mean
                    p10 = f"**{p10}**" if r["p10"] == best_p10 else p10
                    out.append(f"| {b:g} | {p} | {mean} | {p10} | {r['minutes']:.1f} | {r['learned']:.1%} "
                               f"| {r['forecast_error']:+.3f} |")
            out.append("")
    lost = verdicts(table, cells)
    out += ["## Where FSRS + plan is below the best baseline", ""]
    out += lost or ["Nowhere: FSRS + plan is at least the best baseline on mean and 10th percentile in every cell."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=100)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--minutes", type=float, nargs="+", default=list(BUDGETS), help="daily budgets")
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    ap.add_argument("--seeds", type=int, nargs="+", default=[SEED, SEED_B])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS-sim.md")
    args = ap.parse_args(argv)
    cards = load_cards()
    started, cpu = time.perf_counter(), cpu_seconds()
    table = grid(args.models, args.minutes, args.seeds, args.learners, args.days, args.workers, cards)
    text = render(table, args.models, args.minutes, args.seeds, args.learners, args.days, len(cards[0]),
                  args.workers, time.perf_counter() - started, cpu_seconds() - cpu)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return text


if __name__ == "__main__":
    main()
