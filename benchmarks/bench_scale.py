"""Issue 22's scale rows: `prep list`, `prep export markdown`, `prep check` and `prep doctor` at 100,000 cards.

Run with `make bench-scale` (or `python benchmarks/bench_scale.py --out benchmarks/RESULTS-scale.md`).
In temporary directories it writes bench_cache's synthetic bank (500-card decks, both languages,
interview-length answers: ~190 MB of YAML at 100,000 cards) and a review log, then times each
command as a real subprocess (`python -m interviewprep ...`, stdout to /dev/null), interleaved:
every round runs every command once. The first command meets an empty bank cache and is reported
on its own row; the table gives, per command, the median wall time and the median CPU time
(user + sys of the child, from wait4: the machine is shared, so wall time carries the load of
other processes and CPU time is the part that is ours), and the peak RSS. The target is on wall time.

`--pythonpath DIR` runs the package found in DIR instead (an older checkout, for before/after).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_cache import write_bank  # noqa: E402
from bench_cli import fill_history  # noqa: E402

TARGET_S = 10.0


def run(argv: list[str], env: dict) -> tuple[float, float, float, int]:
    """(wall s, cpu s, peak RSS MB, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # check/doctor exit 1 when unhealthy; anything else is a failure
        print(err, file=sys.stderr)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pythonpath", type=Path, default=None, help="run the package in this directory")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-scale.md")
    args = parser.parse_args()
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bank = tmp / "bank"
        ids = write_bank(bank, args.cards)
        size = sum(p.stat().st_size for p in bank.iterdir()) / 1e6
        home = tmp / "home"
        fill_history(home, ids, args.reviews, now)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREP_")}
        env.update({"NO_COLOR": "1", "PREP_HOME": str(home), "PREP_CACHE": str(tmp / "cache")})
        if args.pythonpath:
            env["PYTHONPATH"] = str(args.pythonpath.resolve())
        prep = [sys.executable, "-m", "interviewprep"]
        src = ["--no-builtin", "--bank", str(bank)]
        commands = {
            "prep list": [*prep, "list", *src],
            "prep export markdown": [*prep, "export", "markdown", *src],
            "prep check": [*prep, "check", *src],
            "prep doctor": [*prep, "doctor", *src],
        }
        load = os.getloadavg()[0]
        first = run(commands["prep list"], env)
        print(f"first command (empty cache): {first[0]:.1f} s", flush=True)
        samples: dict[str, list] = {name: [] for name in commands}
        for round_ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(run(argv, env))
                print(f"round {round_ + 1}: {name} {samples[name][-1][0]:.1f} s", flush=True)
        code = args.pythonpath or "this checkout"
        lines = [
            f"# Scale benchmark (issue 22): {args.cards:,} cards\n",
            f"{now:%Y-%m-%d %H:%M} UTC · {platform.platform()} · Python {platform.python_version()} · "
            f"{os.cpu_count()} cores · load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at the end · "
            f"{size:.0f} MB of YAML in {len(list(bank.iterdir()))} files · {args.reviews:,} reviews · code: {code} · "
            f"median of {args.runs} interleaved rounds, warm bank cache · took {time.perf_counter() - started:.0f} s\n",
            "| command | wall (median) | CPU (median) | peak RSS | exit | target (wall) |",
            "|---|---:|---:|---:|---:|---|",
            f"| prep list, first run (empty cache) | {first[0]:.1f} s | {first[1]:.1f} s | {first[2]:.0f} MB "
            f"| {first[3]} | (not a target) |",
        ]
        for name, values in samples.items():
            wall = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            verdict = "met" if wall <= TARGET_S else "NOT met"
            lines.append(f"| {name} | {wall:.1f} s | {cpu:.1f} s | {max(v[2] for v in values):.0f} MB "
                         f"| {values[0][3]} | ≤ {TARGET_S:.0f} s: {verdict} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
