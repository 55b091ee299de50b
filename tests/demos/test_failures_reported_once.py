"""A failed check is reported once: these demos (the six alignment ones, and four that had a sentence of their
own) lead with result.with_failures, so the engine adds no second note and no demo states its failures in its
own words as well.

Every row of the can-fail table for these demos forces at least one failure; each failed check's name must then
appear exactly once in each language's takeaway (in its "Check failed" / "检查未通过" line).
"""

from __future__ import annotations

import pytest

from tests.demos.test_checks_can_fail import CASES, _run

ONCE = ("best-of-n", "grpo-advantage", "judge-bias", "kl-regularised-rl", "reward-model-bt", "dpo-loss",
        "decode-roofline", "continuous-batching", "rope-relative", "transformer-flops")
ROWS = [row for row in CASES if row[0] in ONCE]


def test_every_such_demo_has_a_row_that_fails():
    assert sorted({row[0] for row in ROWS}) == sorted(ONCE)


@pytest.mark.parametrize(("demo_id", "words", "params", "patch"), ROWS, ids=[f"{d}:{w[:40]}" for d, w, *_ in ROWS])
def test_each_failed_check_is_reported_exactly_once(demo_id, words, params, patch, monkeypatch):
    out = _run(demo_id, params, patch, monkeypatch)
    failed = [c for c in out.checks if not c.passed]
    assert failed
    en, zh = out.takeaway["en"], out.takeaway["zh"]
    for c in failed:
        assert en.count(f"Check failed: {c.name}: measured {c.detail}.") == 1, en
        assert zh.count(f"检查未通过：{c.name}：实测 {c.detail}。") == 1, zh
        assert en.count(c.name) == 1 and zh.count(c.name) == 1
    for note in ("Not shown at these settings", "Failed checks", "A check failed",
                 "在这组参数下没有成立", "未通过的检查", "有检查"):
        assert note not in en and note not in zh
