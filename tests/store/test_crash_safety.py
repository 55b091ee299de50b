"""Crash safety and concurrency with real processes running the real quiz.

SIGKILL trials: the default run does a few; `make test-slow` sets PREP_SIGKILL_TRIALS=50.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import REPO, deck_yaml

TRIALS = int(os.environ.get("PREP_SIGKILL_TRIALS", "6"))
pytestmark = pytest.mark.serial  # real processes racing deadlines: run alone, not beside xdist workers


def quiz_process(home, bank, *extra):
    env = {**os.environ, "PREP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.Popen(
        [sys.executable, "-m", "interviewprep", "quiz", "--no-builtin", "--bank", str(bank), *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )


def logged(home) -> list[str]:
    conn = sqlite3.connect(home / "prep.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [r for (r,) in conn.execute("SELECT card_id FROM review_log ORDER BY id")]
    finally:
        conn.close()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_at_a_random_moment_keeps_every_acknowledged_rating(tmp_path, trial):
    rng = random.Random(trial)
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "d.yaml").write_text(deck_yaml("d", [f"k{i}" for i in range(12)]), encoding="utf-8")
    home = tmp_path / "home"
    proc = quiz_process(home, bank, "--new", "12")
    acknowledged: list[str] = []
    target = rng.randint(0, 6)
    for _ in range(target):
        proc.stdin.write(f" \n{rng.choice('234')}\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "saved:" in line:
                acknowledged.append(line.split("·")[1].strip())
                break
    # one more rating in flight, killed after a random short delay: it may or may not land
    proc.stdin.write(" \n3\n")
    proc.stdin.flush()
    time.sleep(rng.uniform(0, 0.05))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        try:
            pipe.close()
        except BrokenPipeError:  # the process is gone; its end of stdin may hold unsent bytes
            pass
    assert len(acknowledged) == target
    if not (home / "prep.sqlite3").exists():
        assert not acknowledged
        return
    rows = logged(home)
    assert rows[: len(acknowledged)] == acknowledged
    assert len(rows) - len(acknowledged) in (0, 1)


def test_two_quiz_processes_rating_500_cards_each_lose_nothing(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "a.yaml").write_text(deck_yaml("a", [f"a{i}" for i in range(500)]), encoding="utf-8")
    (bank / "b.yaml").write_text(deck_yaml("b", [f"b{i}" for i in range(500)]), encoding="utf-8")
    home = tmp_path / "home"
    keys = " \n4\n" * 500 + "q\n"
    procs = [quiz_process(home, bank, "--deck", deck, "--new", "500") for deck in ("a", "b")]
    outs = [None, None]

    def feed(i):
        outs[i] = procs[i].communicate(keys, timeout=300)

    threads = [threading.Thread(target=feed, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for proc, (stdout, stderr) in zip(procs, outs):
        tail = stdout[-600:]
        assert proc.returncode == 0, (stderr, tail)
        assert stderr == "", (stderr, tail)
        assert stdout.count("saved: Easy") == 500, (stdout.count("saved: Easy"), stderr, tail)
    rows = logged(home)
    assert len(rows) == 1000 and len(set(rows)) == 1000
