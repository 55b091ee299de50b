"""Issue 18's rows, for bench_cli: every everyday command against the floor in ONE interleaved run, on the
built-in bank, 10,000 cards with 1,000,000 reviews, and 50,000 cards (search, next), plus the first
command after editing one 500-card deck and a cold first load.

Each round runs the floor (bench_cli's minimal typer + rich app) and then every row of every bank once, in
the same order, so load from other programs on the machine falls on all of them alike; the table gives the
median of the rounds after a warm-up round, the ratio of that median to the floor's median, the same for
CPU time (user + system, from wait4: less moved by other programs than wall time), and the peak RSS.

Child processes run with bytecode caching allowed (PYTHONDONTWRITEBYTECODE removed, the warm-up round
writes the .pyc files), as an installed `prep` runs: without .pyc files every start-up recompiles typer,
rich and the package, for the floor and prep alike.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PREP = [sys.executable, "-m", "interviewprep"]


def write_bank(folder: Path, n_cards: int, per_deck: int = 500) -> list[str]:
    """bench_cli's synthetic cards in 500-card decks; every 100th card's question mentions 动量."""
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


def bank_rows(label: str, env: dict, bank: list[str], card: str, other_bank: list[str], target: str) -> list:
    """(bank label, row name, argv, env, action before, target) for every everyday command."""
    rows = [
        ("prep --help", [*PREP, "--help"]),
        ("prep search 动量", [*PREP, "search", "动量", *bank]),
        ("prep list --json", [*PREP, "list", "--json", *bank]),
        ("prep show ID", [*PREP, "show", card, *bank]),
        ("prep stats --json", [*PREP, "stats", "--json", *bank]),
        ("prep next --json", [*PREP, "next", "--json", *bank]),
        ("prep next --json (another bank just before)", [*PREP, "next", "--json", *bank]),
        ("prep plan --show", [*PREP, "plan", "--show", "--json", *bank]),
        ("quiz start-up to the first card", [*PREP, "quiz", *bank]),
        ("interview start-up", [*PREP, "interview", "--seed", "1", *bank]),
    ]
    out = []
    for name, argv in rows:
        before = None
        if "another bank" in name:  # the configuration switch of issue 18: other bank, then this one
            def before(o=other_bank, e=env):
                _run([*PREP, "next", "--json", *o], e)
        out.append((label, name, argv, env, before, target))
    return out


def build(tmp: Path, now: datetime, big: int = 10_000, huge: int = 50_000) -> list:
    """Every row of the interleaved run, with its banks and review histories written under tmp."""
    from bench_cli import fill_history

    base = {k: v for k, v in os.environ.items() if not k.startswith("PREP_") and k != "PYTHONDONTWRITEBYTECODE"}
    base.update({"NO_COLOR": "1", "PREP_CACHE": str(tmp / "cache"), "PREP_CONFIG_DIR": str(tmp / "config")})
    other = tmp / "other"
    write_bank(other, 100, per_deck=100)
    other_bank = ["--no-builtin", "--bank", str(other)]
    rows = []
    plan_day = (now + timedelta(days=30)).date().isoformat()
    for label, n_cards, n_reviews, target in (("built-in bank", None, 20_000, 1.3),
                                              (f"{big:,} cards, 1,000,000 reviews", big, 1_000_000, 1.5),
                                              (f"{huge:,} cards", huge, 0, 1.5)):
        home = tmp / f"home-{n_cards}"
        env = {**base, "PREP_HOME": str(home)}
        if n_cards is None:
            from interviewprep.bank.loader import bank_dirs, load

            ids, bank = list(load(bank_dirs()).cards), []
        else:
            bank_dir = tmp / f"bank-{n_cards}"
            ids = write_bank(bank_dir, n_cards)
            bank = ["--no-builtin", "--bank", str(bank_dir)]
        fill_history(home, ids, n_reviews, now, days=365 if n_cards is None else 730)
        _run([*PREP, "plan", "--date", plan_day, *bank], env)
        these = bank_rows(label, env, bank, ids[len(ids) // 2], other_bank, target)
        if n_cards == huge:
            these = [r for r in these if r[1] in ("prep search 动量", "prep next --json")]
        rows += these
        if n_cards == big:
            deck = bank_dir / "deck-1.yaml"
            rows.append((label, "first command after editing one 500-card deck", [*PREP, "next", "--json", *bank],
                         env, lambda d=deck: d.write_text(d.read_text(encoding="utf-8") + "# edited\n",
                                                          encoding="utf-8"), "0.5 s"))
            cold_env = {**env, "PREP_CACHE": str(tmp / "cold-cache")}
            rows.append((label, "cold first load (empty cache)", [*PREP, "next", "--json", *bank], cold_env,
                         lambda e=cold_env: shutil.rmtree(e["PREP_CACHE"], ignore_errors=True), "1.5 s"))
    return base, rows


def interleaved(tmp: Path, now: datetime, runs: int, minimal: Path) -> list[str]:
    """The issue-18 table: one warm-up round, then `runs` rounds of floor + every row."""
    base, rows = build(tmp, now)
    floor_argv = [sys.executable, str(minimal), "next", "--json"]
    floor: list = []
    samples: dict[tuple, list] = {(r[0], r[1]): [] for r in rows}
    codes: dict[tuple, int] = {}
    load_start = os.getloadavg()[0]
    for round_ in range(runs + 1):
        result = _run(floor_argv, base)
        if round_:
            floor.append(result)
        for label, name, argv, env, before, _ in rows:
            if before is not None:
                before()
            result = _run(argv, env)
            codes.setdefault((label, name), result[3])
            if round_:
                samples[(label, name)].append(result)
        print(f"round {round_} done", flush=True)
    f_wall = statistics.median(s[0] for s in floor)
    f_cpu = statistics.median(s[1] for s in floor)
    load_end = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    shared = ("other programs shared the machine during the run" if max(load_start, load_end) > 1.5 * cores
              else "the machine was otherwise quiet")
    lines = [f"Load average {load_start:.1f} at the start and {load_end:.1f} at the end on {cores} cores: {shared}. "
             "Every row was run in the same rounds as the floor and medians are compared.\n",
             f"Floor (minimal typer + rich app, `next --json`): median {f_wall * 1000:.0f} ms wall, "
             f"{f_cpu * 1000:.0f} ms CPU, {max(s[2] for s in floor) / 1024:.0f} MB.\n",
             "| bank | command | median wall | × floor | median CPU | × floor (CPU) | target | peak RSS |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for label, name, _, _, _, target in rows:
        values = samples[(label, name)]
        wall = statistics.median(s[0] for s in values)
        cpu = statistics.median(s[1] for s in values)
        rss = max(s[2] for s in values) / 1024
        shown = name + (f" (exit {codes[(label, name)]})" if codes[(label, name)] else "")
        goal = f"≤ {target}" if isinstance(target, str) else f"≤ {target}×"
        lines.append(f"| {label} | {shown} | {wall * 1000:.0f} ms | {wall / f_wall:.2f}× | {cpu * 1000:.0f} ms | "
                     f"{cpu / f_cpu:.2f}× | {goal} | {rss:.0f} MB |")
    return lines


def _run(argv, env):
    """(wall s, CPU s, max RSS KB, exit code) of one process, from bench_cli's launcher."""
    import bench_cli

    return bench_cli.launcher().run(argv, env)
