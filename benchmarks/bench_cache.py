"""Issue 18's rows: every everyday command against the floor, with the bank cache warm, cold, after an
edit and while switching bank configurations, on the built-in bank, 10,000 cards (1,000,000 reviews)
and 50,000 cards.

Run with `make bench` (or `python benchmarks/bench_cache.py --out benchmarks/RESULTS-cache.md`). Whole
processes are timed from bench_cli's small launcher, interleaved: each round runs the floor (the
minimal typer + rich app) and every command once, in the same order; the table gives the median
of `--runs` rounds after a warm-up round, the ratio to the floor's median, and the peak RSS.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import MINIMAL_APP, fill_history, run_once  # noqa: E402

PREP = [sys.executable, "-m", "interviewprep"]


def write_bank(folder: Path, n_cards: int, per_deck: int = 500) -> list[str]:
    """bench_cli's synthetic cards in 500-card decks; every 100th card's question mentions 动量."""
    import random

    from bench_cli import EN, ZH

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(n_cards)
    ids = []
    for d in range(max(1, n_cards // per_deck)):
        lines = [f"deck:\n  id: deck-{d}\n  title: {{zh: 合成 {d}, en: Synthetic {d}}}\n"
                 f"  description: {{zh: 基准测试, en: benchmark}}\ncards:\n"]
        for i in range(min(per_deck, n_cards - d * per_deck)):
            topic = "动量" if i % 100 == 0 else "问题"
            lines.append(
                f"  - id: card-{d}-{i}\n    level: intermediate\n    tags: [synthetic, t{i % 7}]\n"
                f"    sources: [\"000#1\"]\n"
                f"    question: {{zh: {topic} {d}-{i} 是什么？, en: What is question {d}-{i}?}}\n"
                f"    answer:\n      zh: |\n        {ZH * rng.randint(4, 9)}\n"
                f"      en: |\n        {' '.join([EN] * rng.randint(5, 12))}\n"
                f"    key_points:\n      zh: [要点一, 要点二, 要点三, 要点四]\n"
                f"      en: [point one, point two, point three, point four]\n"
                f"    followups:\n      - question: {{zh: 追问？, en: Follow-up?}}\n"
                f"        answer: {{zh: 追问的回答。, en: The follow-up answer.}}\n")
            ids.append(f"card-{d}-{i}")
        (folder / f"deck-{d}.yaml").write_text("".join(lines), encoding="utf-8")
    return ids


def commands(env: dict, bank: list[str], card: str, other_bank: list[str]) -> dict:
    return {
        "prep search 动量": ([*PREP, "search", "动量", *bank], env, None),
        "prep list --json": ([*PREP, "list", "--json", *bank], env, None),
        "prep show ID": ([*PREP, "show", card, *bank], env, None),
        "prep stats --json": ([*PREP, "stats", "--json", *bank], env, None),
        "prep next --json": ([*PREP, "next", "--json", *bank], env, None),
        "prep next --json (other bank between)": ([*PREP, "next", "--json", *other_bank], env, None),
        "prep plan --show": ([*PREP, "plan", "--show", "--json", *bank], env, None),
        "quiz start-up to the first card": ([*PREP, "quiz", *bank], env, None),
        "interview start-up": ([*PREP, "interview", "--seed", "1", *bank], env, None),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS-cache.md")
    args = parser.parse_args()
    run_once([sys.executable, "-c", "pass"], dict(os.environ))
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    load = os.getloadavg()[0]
    lines = [f"# Bank cache benchmark (issue 18)\n\n{now:%Y-%m-%d %H:%M} UTC · {platform.platform()} · Python "
             f"{platform.python_version()} · {os.cpu_count()} cores · load average {load:.1f} at start · median of "
             f"{args.runs} interleaved rounds after a warm-up\n",
             "| bank | command | median | × floor | target | peak RSS |", "|---|---|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        minimal = tmp / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        base = {k: v for k, v in os.environ.items() if not k.startswith("PREP_")}
        base.update({"NO_COLOR": "1", "PREP_CACHE": str(tmp / "cache")})
        other = tmp / "other"
        write_bank(other, 100, per_deck=100)
        scenarios = [("built-in bank", None, 20_000, "1.3")]
        scenarios += [(f"{int(n):,} cards", int(n), 1_000_000 if int(n) == 10000 else 0, "1.5")
                      for n in args.sizes.split(",") if n]
        for label, n_cards, n_reviews, target in scenarios:
            home = tmp / f"home-{n_cards}"
            env = {**base, "PREP_HOME": str(home)}
            if n_cards is None:
                from interviewprep.bank.loader import bank_dirs, load

                ids, bank = list(load(bank_dirs()).cards), []
                bank_dir = None
            else:
                bank_dir = tmp / f"bank-{n_cards}"
                ids = write_bank(bank_dir, n_cards)
                bank = ["--no-builtin", "--bank", str(bank_dir)]
            fill_history(home, ids, n_reviews, now, days=365 if n_cards is None else 730)
            plan_day = (now + timedelta(days=30)).date().isoformat()
            run_once([*PREP, "plan", "--date", plan_day, *bank], env)
            cmds = {"floor (minimal app)": ([sys.executable, str(minimal), "next", "--json"], base, None),
                    **commands(env, bank, ids[len(ids) // 2], ["--no-builtin", "--bank", str(other)])}
            if bank_dir is not None:
                deck = bank_dir / "deck-1.yaml"
                cold_env = dict(env)
                cmds["first command after editing one 500-card deck"] = (
                    [*PREP, "next", "--json", *bank], env, lambda d=deck: d.write_text(
                        d.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8"))
                cmds["cold first load (empty cache)"] = (
                    [*PREP, "next", "--json", *bank], cold_env,
                    lambda e=cold_env: (shutil.rmtree(e["PREP_CACHE"], ignore_errors=True)))
                cold_env["PREP_CACHE"] = str(tmp / f"cold-cache-{n_cards}")
            codes = {}
            samples: dict[str, list] = {name: [] for name in cmds}
            for round_ in range(args.runs + 1):
                for name, (argv, cmd_env, before) in cmds.items():
                    if before is not None:
                        before()
                    seconds, rss, code = _run(argv, cmd_env)
                    codes.setdefault(name, code)
                    if round_:
                        samples[name].append((seconds, rss))
            floor = statistics.median(s for s, _ in samples["floor (minimal app)"])
            for name, values in samples.items():
                med = statistics.median(s for s, _ in values)
                rss = max(r for _, r in values) / 1024
                shown = name
                goal = "" if name.startswith("floor") else (
                    "≤ 1.5 s" if name.startswith("cold") else "≤ 0.5 s" if name.startswith("first command")
                    else f"≤ {target}×")
                if codes[name]:
                    shown += f" (exit {codes[name]})"
                lines.append(f"| {label} | {shown} | {med * 1000:.0f} ms | {med / floor:.2f}× | {goal} "
                             f"| {rss:.0f} MB |")
            print(f"done: {label} ({time.perf_counter() - started:.0f} s)", flush=True)
    lines.append(f"\nload average at the end {os.getloadavg()[0]:.1f}; took {time.perf_counter() - started:.0f} s\n")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


def _run(argv, env):
    import bench_cli

    return bench_cli._LAUNCHER.run(argv, env)  # started by main's first run_once


if __name__ == "__main__":
    sys.exit(main())
