"""`prep interview` and `prep quiz --type`: library flow with a fake clock, and the CLI through the line protocol."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from interviewprep.bank import loader as banks
from interviewprep.export.interview_report import to_markdown
from interviewprep.models import Rating
from interviewprep.srs.interview import Interview, draw_order, summarize
from interviewprep.srs.recorder import Recorder
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.store.db import Store
from tests.conftest import prep, user

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)

DECK = textwrap.dedent("""\
    deck:
      id: nets
      title: {zh: 网络, en: Nets}
      description: {zh: 测试用, en: for tests}
    cards:
      - id: act-role
        level: intermediate
        tags: [activation]
        sources: ["000#1"]
        question: {zh: 激活函数有什么作用？, en: Why do networks need activation functions?}
        answer: {zh: 激活函数引入非线性。, en: Activations add non-linearity.}
        key_points:
          zh: [没有激活函数，多层线性层塌缩成一个线性变换, 非线性让网络可逼近复杂函数, 反向传播中的导数决定梯度流动]
          en: ["Without it, stacked linear layers collapse into one linear map",
               Non-linearity lets the network approximate complex functions,
               The derivative enters backprop and controls gradient flow]
        followups:
          - question: {zh: 只在输出层用 sigmoid 等价于什么？, en: Sigmoid only at the output is equivalent to what?}
            answer: {zh: 逻辑回归。, en: Logistic regression.}
      - id: relu
        level: basic
        tags: [relu]
        sources: ["000#1"]
        question: {zh: 什么是 ReLU？, en: What is ReLU?}
        answer: {zh: "ReLU 是 max(0, x)。", en: "ReLU is max(0, x)."}
        key_points:
          zh: ["ReLU 等于 max(0, x)", 正半轴梯度为 1 不饱和, 负半轴输出为零可能死亡]
          en: ["ReLU equals max(0, x)", Gradient is 1 for positive inputs so it does not saturate,
               Negative inputs give zero and units can die]
    """)


@pytest.fixture
def nets(tmp_path):
    path = tmp_path / "nets"
    path.mkdir()
    (path / "nets.yaml").write_text(DECK, encoding="utf-8")
    return path


class Clock:
    """A fake clock: every call moves time forward by `step`; nothing sleeps."""

    def __init__(self, start=T0, step=timedelta(seconds=20)):
        self.t, self.step = start, step

    def __call__(self):
        self.t += self.step
        return self.t


def history(home):
    store = Store.open(home)
    try:
        return {cid: [r.rating for r in store.history(cid)] for cid in store.seen_ids()}
    finally:
        store.close()


def test_draw_order_is_seeded_and_prefers_heavy_cards(nets):
    cards = banks.load([(nets, False)]).select()
    assert [c.id for c in draw_order(cards, {}, 5)] == [c.id for c in draw_order(cards, {}, 5)]
    firsts = [draw_order(cards, {"act-role": 50.0, "relu": 0.5}, seed)[0].id for seed in range(40)]
    assert firsts.count("act-role") > 30


def test_weak_cards_come_first(nets, tmp_path):
    cards = banks.load([(nets, False)]).select()
    store = Store.open(tmp_path / "data")
    scheduler = FSRSScheduler(fuzz=False)
    recorder = Recorder(store, scheduler)
    recorder.rate(cards[1], Rating.EASY, T0)  # relu: well known
    firsts = [Interview.plan(cards, recorder, T0 + timedelta(hours=1), seed=s).queue[0].id for s in range(30)]
    assert firsts.count("act-role") > 20  # never seen beats freshly recalled


@pytest.mark.parametrize("make_scheduler", ["fsrs", "sm2", "leitner"])
def test_the_weights_are_each_cards_recall_and_lapses(nets, tmp_path, make_scheduler):
    """Interview.plan weighs exactly as from whole states: FSRS from two columns and its recall table, the
    other schedulers state by state."""
    from interviewprep.srs.interview import weight
    from interviewprep.srs.leitner import LeitnerScheduler
    from interviewprep.srs.sm2 import SM2Scheduler

    cards = banks.load([(nets, False)]).select()
    store = Store.open(tmp_path / "data")
    scheduler = {"fsrs": lambda: FSRSScheduler(fuzz=False), "sm2": SM2Scheduler, "leitner": LeitnerScheduler}[
        make_scheduler]()
    recorder = Recorder(store, scheduler)
    recorder.rate(cards[1], Rating.AGAIN, T0)
    recorder.rate(cards[1], Rating.GOOD, T0 + timedelta(days=1))
    later = T0 + timedelta(days=9)
    states = store.states()
    by_state = {c.id: weight(states[c.id].lapses, scheduler.retrievability(states[c.id], later))
                if c.id in states else weight(None, 0.0) for c in cards}
    for seed in range(5):
        assert Interview.plan(cards, recorder, later, seed=seed).queue == draw_order(cards, by_state, seed)
    assert by_state["act-role"] == 4.0 and by_state[cards[1].id] < 4.0


def test_library_flow_with_fake_clock(nets, tmp_path):
    cards = banks.load([(nets, False)]).select()
    store = Store.open(tmp_path / "data")
    iv = Interview(cards, Recorder(store, FSRSScheduler(fuzz=False)), T0, minutes=5, seed=1, lang="zh",
                   weights={"act-role": 1e6, "relu": 1e-6})
    card = iv.next_question(T0)
    assert card.id == "act-role" and iv.question_left(T0 + timedelta(seconds=30)) == timedelta(minutes=2, seconds=30)
    coverage = iv.answer("没有激活函数的话，多层线性层塌缩成一个线性变换。", T0 + timedelta(minutes=4))
    assert [c.hit for c in coverage] == [True, False, False]
    assert iv.over_time(iv.turns[-1])
    iv.grade(Rating.HARD, T0 + timedelta(minutes=4))
    assert iv.followup().answer["en"] == "Logistic regression."
    assert iv.next_question(T0 + timedelta(minutes=5)) is None  # the interview's time is up
    assert [r.duration_ms for r in store.history("act-role")] == [240000]
    data = summarize(iv, T0 + timedelta(minutes=5))
    assert data["coverage"] == {"hit": 1, "total": 3, "share": 1 / 3}
    assert data["grades"]["Hard"] == 1 and data["weakest_topics"][0]["topic"] == "activation"
    md = to_markdown(data, "zh")
    assert "| 1 | act-role | 4:00 (over) | 1/3 | Hard | asked |" in md
    assert "missed: 非线性让网络可逼近复杂函数" in md


def test_interview_cli_english(nets, tmp_path, monkeypatch, isolated_home):
    monkeypatch.setattr("interviewprep.cli.options.now", Clock())
    report = tmp_path / "r.md"
    lines = ["Without an activation the stacked linear layers collapse into one linear map, so the network "
             "cannot approximate complex functions", "3", "logistic regression", "", "1"]
    result = prep("interview", *user(nets, "--lang", "en", "--seed", "4", "--minutes", "10", "--report",
                                     str(report)), input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "⏱ 3:00 for this question" in out and "left in the interview" in out
    assert "Key points / 要点: 2/3 in your answer" in out
    assert "☑ Without it, stacked linear layers collapse into one linear map" in out
    assert "☐ The derivative enters backprop and controls gradient flow" in out
    assert "Sigmoid only at the output is equivalent to what?" in out and "Logistic regression." in out
    assert "(skipped)" in out  # the empty answer to relu
    assert "\x1b[" not in out  # no control codes through a pipe
    assert history(isolated_home) == {"act-role": [Rating.GOOD], "relu": [Rating.AGAIN]}
    text = report.read_text(encoding="utf-8")
    assert "| 1 | act-role |" in text and "| 2 | relu |" in text and "2 of 6 key points covered" in text
    assert f"report saved to {report}" in out.replace("\n", "")


def test_interview_cli_chinese_default_report_path(nets, monkeypatch, isolated_home):
    monkeypatch.setattr("interviewprep.cli.options.now", Clock())
    lines = ["ReLU 就是 max(0, x)，正半轴梯度为 1，不会饱和", "4", "q"]
    result = prep("interview", *user(nets, "--lang", "zh", "--seed", "2", "--deck", "nets", "--level", "basic"),
                  input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "☑ ReLU 等于 max(0, x)" in result.output and "☑ 正半轴梯度为 1 不饱和" in result.output
    assert "☐ 负半轴输出为零可能死亡" in result.output
    assert history(isolated_home) == {"relu": [Rating.EASY]}
    reports = list((isolated_home / "reports").glob("interview-*.md"))
    assert len(reports) == 1 and "| 1 | relu |" in reports[0].read_text(encoding="utf-8")


def test_interview_ends_when_time_is_up_and_flags_over_time(nets, monkeypatch, isolated_home):
    monkeypatch.setattr("interviewprep.cli.options.now", Clock(step=timedelta(minutes=2)))
    result = prep("interview", *user(nets, "--lang", "en", "--seed", "1", "--minutes", "3",
                                     "--question-minutes", "1"), input="an answer\n2\n\n2\n\n")
    assert result.exit_code == 0, result.output
    assert "over time by 1:00" in result.output
    assert result.output.count("Question ") == 1  # the 3 minutes ran out after the first question


def test_interview_rejects_unknown_level(nets):
    assert prep("interview", *user(nets, "--level", "expert")).exit_code == 2


def test_quiz_type_english_and_chinese(nets, isolated_home):
    keys = "Without activations stacked linear layers collapse into one linear map\n3\n\n2\nq\n"
    result = prep("quiz", "--type", *user(nets, "--lang", "en"), input=keys)
    assert result.exit_code == 0, result.output
    assert "Type your answer" in result.output
    assert "☑ Without it, stacked linear layers collapse into one linear map" in result.output
    assert "Key points / 要点: 1/3 in your answer" in result.output
    assert "Key points / 要点: 0/3 in your answer" in result.output  # the empty line skipped typing
    assert history(isolated_home) == {"act-role": [Rating.GOOD], "relu": [Rating.HARD]}
    zh = prep("quiz", "--type", *user(nets, "--lang", "zh", "--new", "0"), input="q\n")
    assert zh.exit_code == 0


def test_quiz_type_chinese_commands_and_undo(nets, isolated_home):
    keys = "s\nReLU 等于 max(0, x)，负半轴输出为零\n3\nu\n正半轴梯度为 1\n1\nq\n"
    result = prep("quiz", "--type", *user(nets, "--lang", "zh"), input=keys)
    assert result.exit_code == 0, result.output
    assert "☑ ReLU 等于 max(0, x)" in result.output and "☑ 负半轴输出为零可能死亡" in result.output
    assert "undone: the last rating of relu" in result.output
    assert history(isolated_home) == {"relu": [Rating.AGAIN]}


def test_report_is_not_overwritten_without_force_and_nothing_is_asked(nets, tmp_path, isolated_home):
    report = tmp_path / "r.md"
    report.write_text("my notes", encoding="utf-8")
    result = prep("interview", *user(nets, "--lang", "en", "--report", str(report)), input="an answer\n3\n")
    assert result.exit_code == 2 and "already exists; use --force" in result.output
    assert "Question 1" not in result.output and report.read_text(encoding="utf-8") == "my notes"
    assert history(isolated_home) == {}


def test_force_replaces_a_symlinked_report_without_writing_through_it(nets, tmp_path, isolated_home):
    target = tmp_path / "precious.txt"
    target.write_text("do not touch", encoding="utf-8")
    link = tmp_path / "r.md"
    link.symlink_to(target)
    result = prep("interview", *user(nets, "--lang", "en", "--report", str(link), "--force"), input="q\n")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == "do not touch"
    assert not link.is_symlink() and "# Mock interview" in link.read_text(encoding="utf-8")


def test_two_interviews_at_the_same_moment_get_two_reports(nets, isolated_home, monkeypatch):
    monkeypatch.setattr("interviewprep.cli.options.now", lambda: T0)
    for _ in range(2):
        assert prep("interview", *user(nets, "--lang", "en"), input="q\n").exit_code == 0
    reports = {p.name for p in (isolated_home / "reports").iterdir()}
    assert reports == {"interview-" + f"{T0.astimezone():%Y%m%d-%H%M%S}" + s + ".md" for s in ("", "-1")}


def test_interview_counts_only_the_cards_it_can_draw(nets, isolated_home):
    before = prep("interview", *user(nets, "--lang", "en", "--minutes", "1"), input="q\n")
    total = int(before.output.split(" cards to draw from")[0].rsplit(" ", 1)[1])
    assert prep("suspend", "relu", *user(nets)).exit_code == 0
    after = prep("interview", *user(nets, "--lang", "en", "--minutes", "1", "--force"), input="q\n")
    assert f"{total - 1} cards to draw from" in after.output
