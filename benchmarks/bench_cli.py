"""Start-up and scale benchmark for `prep`, measured against the floor any typer + rich CLI pays.

Run with `make bench` (or `python benchmarks/bench_cli.py --out benchmarks/RESULTS.md`).

What it does, all in temporary directories (your own data is never touched):
- reports the absolute floors the dependencies set: `python -c pass`, `import typer, rich.console`,
  the minimal app (one command with one option printing one line through rich), and `prep --help`
  against the minimal app's `--help`;
- `prep check` on every hostile bank in tests/bad_banks (plus a 50 MB file and deep nesting);
- every row of issue 18 in one interleaved run (bench_cache.py): search, list, show, stats, next (also
  right after another bank configuration), plan --show, quiz and interview start-up on the built-in
  bank, on 10,000 cards with 1,000,000 reviews and (search, next) on 50,000 cards, the first
  command after editing one 500-card deck and a cold first load; each as the ratio of its median to
  the floor's median, wall and CPU time, with the peak memory (max RSS of the child, from wait4);
- times each demo's compute in-process at its defaults (median of 5) and a quiz session's per-card
  overhead (rate, then pick the next card) through the library API at 10,000 cards / 1,000,000
  reviews.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MINIMAL_APP = textwrap.dedent('''
    import typer
    from rich.console import Console

    app = typer.Typer()


    @app.command()
    def next(json: bool = typer.Option(False, "--json", help="Print JSON.")):
        """Print one line."""
        Console().print("{\\"id\\": null}")


    @app.command()
    def other():
        """A second command, so typer builds a group as prep does."""


    app()
''')

ZH = "梯度下降沿着负梯度方向更新参数，学习率决定步长；过大发散，过小收敛缓慢。"
EN = "Gradient descent moves the parameters against the gradient; the learning rate sets the step size."


# -- fixtures ----------------------------------------------------------------------------------

def fill_history(home: Path, card_ids: list[str], n_reviews: int, now: datetime, days: int = 730) -> None:
    """A review log of `n_reviews` rows over `days`, and a state for every reviewed card."""
    from interviewprep.models import to_iso
    from interviewprep.store.db import Store

    Store.open(home).close()
    conn = sqlite3.connect(home / "prep.sqlite3")
    rng = random.Random(n_reviews)
    start = now - timedelta(days=days)
    span = days * 86400
    if n_reviews:
        rows = ((rng.choice(card_ids), rng.choice((1, 2, 3, 3, 3, 4)),
                 to_iso(start + timedelta(seconds=rng.random() * span)), rng.randint(2000, 30000))
                for _ in range(n_reviews))
        with conn:
            conn.executemany("INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms)"
                             " VALUES (?, ?, ?, ?)", rows)
        seen = card_ids if n_reviews >= len(card_ids) else card_ids[: n_reviews // 2 or 1]
        states = ((cid, 2, None, rng.uniform(1, 200), rng.uniform(1, 10),
                   to_iso(now + timedelta(days=rng.uniform(-20, 60))), to_iso(now - timedelta(days=rng.uniform(0, 30))),
                   rng.randint(0, 3), rng.randint(1, 30)) for cid in seen)
        with conn:
            conn.executemany("INSERT OR REPLACE INTO card_state (card_id, phase, step, stability, difficulty, due,"
                             " last_review, lapses, reps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", states)
    conn.close()


# -- process timing ----------------------------------------------------------------------------

LAUNCHER = textwrap.dedent("""
    import json, os, subprocess, sys, time
    for line in sys.stdin:
        job = json.loads(line)
        start = time.perf_counter()
        proc = subprocess.Popen(job["argv"], env=job["env"], cwd=job["cwd"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        print(json.dumps([time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                          os.waitstatus_to_exitcode(status)]), flush=True)
""")


class Launcher:
    """Runs each measured command from a small process started before the benchmark grows.

    A child's max RSS includes the pages it shares with its parent between fork and exec, and a
    large parent also forks more slowly; launching from a tiny, long-lived process keeps every
    measurement (floors and `prep` alike) free of this benchmark's own memory.
    """

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def run(self, argv: list[str], env: dict) -> tuple[float, float, int, int]:
        """(wall seconds, CPU seconds, max RSS in KB, exit code)."""
        import json

        self.proc.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": str(REPO)}) + "\n")
        self.proc.stdin.flush()
        seconds, cpu, rss, code = json.loads(self.proc.stdout.readline())
        return seconds, cpu, rss, code

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


_LAUNCHER: Launcher | None = None


def launcher() -> Launcher:
    """The one launcher, started on first use (main starts it while this process is still small)."""
    global _LAUNCHER
    if _LAUNCHER is None:
        _LAUNCHER = Launcher()
    return _LAUNCHER


def run_once(argv: list[str], env: dict, expect: int = 0) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of one process, launched from the small launcher.

    A process that exits with another code than `expect` stops the benchmark: timing a command
    that failed early would report a speed it does not have.
    """
    seconds, _, rss, code = launcher().run(argv, env)
    if code != expect:
        raise SystemExit(f"benchmark aborted: {' '.join(argv)} exited {code}, expected {expect}")
    return seconds, rss


def time_commands(commands: dict[str, tuple[list[str], dict]], runs: int) -> dict[str, dict]:
    """Interleaved rounds after one warm-up round; median seconds and max RSS per command."""
    for argv, env in commands.values():
        run_once(argv, env)
    samples: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            samples[name].append(run_once(argv, env))
    return {name: {"median": statistics.median(s for s, _ in values), "rss_mb": max(r for _, r in values) / 1024}
            for name, values in samples.items()}


# -- in-process timings ------------------------------------------------------------------------

def demo_timings(repeats: int = 5) -> list[tuple[str, float]]:
    from interviewprep.demos import registry

    out = []
    for spec in registry.load_all().values():
        registry.run(spec)  # warm caches (imports, first allocation)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            registry.run(spec)
            times.append(time.perf_counter() - start)
        out.append((spec.id, statistics.median(times)))
    return out


def quiz_overhead(bank_dir: Path, home: Path, now: datetime, cards: int = 200) -> float:
    """Median seconds from a rating to the next card being chosen, through the library API."""
    from interviewprep.bank.cache import load_cached
    from interviewprep.models import Rating
    from interviewprep.srs.scheduler import FSRSScheduler
    from interviewprep.srs.session import Session
    from interviewprep.store.db import Store

    bank = load_cached([(bank_dir, False)])
    store = Store.open(home)
    session = Session(bank.select(), store, FSRSScheduler(), now, new_limit=cards)
    times = []
    card = session.next_card(now)
    for _ in range(cards):
        if card is None:
            break
        start = time.perf_counter()
        session.rate(card, Rating.EASY, now)
        card = session.next_card(now)
        times.append(time.perf_counter() - start)
    store.close()
    return statistics.median(times)


def bad_bank_limits(runs: int = 1) -> list[str]:
    """`prep check` on every hostile bank (tests/bad_banks plus a 50 MB file and 10,000-deep nesting):
    each must fail cleanly within 2 s and 200 MB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREP_")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env.update({"PREP_HOME": str(tmp / "home"), "PREP_CACHE": str(tmp / "cache")})
        big = tmp / "big.yaml"
        line = "  - {id: c, question: {en: q}, answer: {en: a}, key_points: {en: [p]}, level: basic}\n"
        with big.open("w") as out:  # in chunks: this process stays small
            out.write("deck: {id: big, title: {en: Big}}\ncards:\n")
            for _ in range(50):
                out.write(line * (2**20 // len(line)))
        deep = tmp / "deep.yaml"
        deep.write_text("deck: " + "[" * 10_000 + "]" * 10_000 + "\ncards: []\n")
        targets = sorted((REPO / "tests" / "bank" / "bad_banks").glob("*.yaml")) + [big, deep]
        worst_time, worst_rss, worst_name = 0.0, 0.0, ""
        for target in targets:
            for _ in range(runs):
                seconds, rss = run_once([sys.executable, "-m", "interviewprep", "check", "--no-builtin",
                                         "--bank", str(target)], env, expect=1)
                if seconds > worst_time:
                    worst_time, worst_name = seconds, target.name
                worst_rss = max(worst_rss, rss / 1024)
    return ["## Hostile banks\n",
            f"`prep check` on {len(targets)} malformed banks (tests/bad_banks, a 50 MB file, 10,000-deep nesting): "
            f"slowest {worst_time * 1000:.0f} ms ({worst_name}), peak memory {worst_rss:.0f} MB "
            "(limits: 2 s and 200 MB)\n"]


# -- report ------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    run_once([sys.executable, "-c", "pass"], dict(os.environ))  # start the launcher while this process is small
    runs = args.runs
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    lines = [f"# Benchmark results\n\n{now:%Y-%m-%d %H:%M} UTC · {platform.platform()} · Python "
             f"{platform.python_version()} · {os.cpu_count()} cores · median of {runs} interleaved runs "
             "after a warm-up\n"]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        minimal = tmp / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREP_") and k != "PYTHONDONTWRITEBYTECODE"}
        base_env.update({"PREP_CACHE": str(tmp / "cache"), "PREP_HOME": str(tmp / "home"), "NO_COLOR": "1"})
        floors = time_commands({
            "python -c pass": ([sys.executable, "-c", "pass"], base_env),
            "import typer, rich.console": ([sys.executable, "-c", "import typer, rich.console"], base_env),
            "minimal --help": ([sys.executable, str(minimal), "--help"], base_env),
            "prep --help": ([sys.executable, "-m", "interviewprep", "--help"], base_env),
            "minimal next --json": ([sys.executable, str(minimal), "next", "--json"], base_env),
        }, runs)
        lines.append("## Floors set by the dependencies\n\n| command | median | peak RSS |\n|---|---:|---:|")
        for name, r in floors.items():
            lines.append(f"| `{name}` | {r['median'] * 1000:.0f} ms | {r['rss_mb']:.0f} MB |")
        help_ratio = floors["prep --help"]["median"] / floors["minimal --help"]["median"]
        lines.append(f"\n`prep --help` is {help_ratio:.2f}× the minimal app's `--help`.\n")
        lines += bad_bank_limits(runs=1)

        import bench_cache

        lines.append("\n## Issue 18: every command against the floor, one interleaved run\n")
        lines += bench_cache.interleaved(tmp, now, runs, minimal)
        print(f"done: interleaved run ({time.perf_counter() - started:.0f} s)", flush=True)

        big = 10_000
        overhead_home = tmp / "overhead"
        ids = [f"card-{d}-{i}" for d in range(big // 500) for i in range(500)]
        fill_history(overhead_home, ids, 1_000_000, now)
        overhead = quiz_overhead(tmp / f"bank-{big}", overhead_home, now)
        lines.append(f"\n## Quiz per-card overhead\n\nrate + choose the next card, library API, {big:,} cards / "
                     f"1,000,000 reviews: median **{overhead * 1000:.1f} ms** per card\n")

    demos = demo_timings()
    lines.append("## Demo compute at default parameters (in-process, median of 5)\n")
    lines.append("| demo | median |\n|---|---:|")
    lines += [f"| {demo_id} | {seconds * 1000:.1f} ms |" for demo_id, seconds in demos]
    slowest = max(demos, key=lambda d: d[1]) if demos else ("-", 0.0)
    lines.append(f"\nslowest: {slowest[0]} at {slowest[1] * 1000:.0f} ms; "
                 f"whole benchmark took {time.perf_counter() - started:.0f} s\n")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
