"""The interview report module (export/interview_report.py) without the CLI: a real interview's data,
real files in a temp dir; unique default names, no overwrite without force, symlinks replaced, atomic."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from interviewprep.errors import PrepError, UsageError
from interviewprep.export import interview_report
from interviewprep.models import Rating
from interviewprep.srs.interview import Interview, summarize
from interviewprep.srs.recorder import Recorder
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.store.db import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def data(small_bank, tmp_path):
    """The summary of a one-question interview whose answer carries a terminal control sequence."""
    from interviewprep.bank import loader as banks

    cards = banks.load([(small_bank, False)]).select()
    store = Store.open(tmp_path / "data")
    interview = Interview(cards, Recorder(store, FSRSScheduler(fuzz=False)), T0, minutes=10, seed=3, lang="en")
    card = interview.next_question(T0)
    interview.answer("first line\n\x1b[2Jsecond line", T0 + timedelta(seconds=70))
    interview.grade(Rating.GOOD, T0 + timedelta(seconds=70))
    interview.stop(T0 + timedelta(seconds=80))
    yield card, summarize(interview, T0 + timedelta(seconds=80))
    store.close()


def test_the_default_names_are_unique_and_hold_the_built_report(data, tmp_path):
    card, summary = data
    home = tmp_path / "home"
    first = interview_report.write(summary, "en", home)
    second = interview_report.write(summary, "en", home)
    stem = f"interview-{summary['ended'].astimezone():%Y%m%d-%H%M%S}"
    assert (first.parent, first.name, second.name) == (home / "reports", f"{stem}.md", f"{stem}-1.md")
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8") == interview_report.to_markdown(summary, "en")
    assert f"| 1 | {card.id} | 1:10 | " in text and "| Good |" in text
    assert "> first line\n> " in text and "second line" in text and "\x1b" not in text  # quoted, made visible


def test_an_existing_report_is_kept_without_force(data, tmp_path):
    _, summary = data
    target = tmp_path / "r.md"
    target.write_text("my notes", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists; use --force"):
        interview_report.write(summary, "en", tmp_path / "home", target)
    assert target.read_text(encoding="utf-8") == "my notes"
    assert interview_report.write(summary, "en", tmp_path / "home", target, force=True) == target
    assert target.read_text(encoding="utf-8").startswith("# Mock interview")


def test_a_directory_is_refused_before_the_interview(tmp_path):
    with pytest.raises(UsageError, match="is a directory"):
        interview_report.check_target(tmp_path, force=True)
    interview_report.check_target(tmp_path / "new.md", force=False)  # a fresh name is fine


def test_force_replaces_a_symlink_instead_of_writing_through_it(data, tmp_path):
    _, summary = data
    precious = tmp_path / "precious.txt"
    precious.write_text("do not touch", encoding="utf-8")
    link = tmp_path / "r.md"
    link.symlink_to(precious)
    with pytest.raises(UsageError):
        interview_report.write(summary, "en", tmp_path / "home", link)
    interview_report.write(summary, "en", tmp_path / "home", link, force=True)
    assert precious.read_text(encoding="utf-8") == "do not touch"
    assert not link.is_symlink() and "# Mock interview" in link.read_text(encoding="utf-8")


def test_a_failed_write_leaves_the_old_report_whole_and_no_temporary_file(data, tmp_path, monkeypatch):
    _, summary = data
    target = tmp_path / "out" / "r.md"
    target.parent.mkdir()
    target.write_text("the old report", encoding="utf-8")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("interviewprep.atomic.os.replace", full_disk)
    with pytest.raises(PrepError, match=f"cannot write {target}"):
        interview_report.write(summary, "en", tmp_path / "home", target, force=True)
    assert target.read_text(encoding="utf-8") == "the old report"
    assert [p.name for p in target.parent.iterdir()] == ["r.md"]
