"""The interview report: the Markdown a `prep interview` leaves behind, built and written here.

`to_markdown` turns `srs.interview.summarize`'s plain data into the report (every typed answer
block-quoted and made visible, so no text a user typed is a control sequence in the file); `write`
puts it on disk, so the CLI only calls these two (and `check_target` before the first question).

Where it goes: never over an existing file without `--force`, never through a symlink. The default
name carries the second the interview ended and, if that name is taken (two interviews in one
second, or a file someone put there), `-1`, `-2`, ...; so a report never replaces another. Writing
goes through `files.write_bytes` (atomic.py: a temporary file beside the target, moved into place),
and a symlinked `--report` is itself replaced rather than written through.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from interviewprep.errors import UsageError
from interviewprep.export import files
from interviewprep.models import pick
from interviewprep.safetext import visible


def check_target(path: Path | None, force: bool) -> None:
    """Refuse a `--report` target before the interview starts, so no answers are typed in vain."""
    if path is None:
        return
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give --report a file name")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(f"{path} already exists; use --force to replace it")


def default_path(home: Path, end: datetime) -> Path:
    folder = Path(home) / "reports"
    stem = f"interview-{end.astimezone():%Y%m%d-%H%M%S}"
    candidate, n = folder / f"{stem}.md", 0
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{stem}-{n}.md"
    return candidate


def write(data: dict, lang: str, home: Path, path: Path | None = None, force: bool = False) -> Path:
    """Build the report of `data` (`summarize`'s) and write it to `path` (checked as `check_target`
    does), else to a fresh default name under `home`/reports named for when the interview ended."""
    text = to_markdown(data, lang)
    if path is None:
        return files.write_bytes(default_path(home, data["ended"]), text.encode("utf-8"), force=False)
    check_target(path, force)
    path = Path(path)
    if path.is_symlink():  # --force given: the link itself is replaced, what it points at is left alone
        path.unlink()
    return files.write_bytes(path, text.encode("utf-8"), force=True)


def _quoted(text: str) -> list[str]:
    """A typed answer as a Markdown block quote, every line quoted so that all of it stays inside."""
    if not text:
        return ["> (skipped)"]
    return ["> " + visible(line) if line.strip() else ">" for line in text.splitlines()]


def to_markdown(data: dict, lang: str) -> str:
    """The report as Markdown, to keep next to the review database and reread before the real one."""
    code = "zh" if lang == "zh" else "en"
    started = data["started"].astimezone()
    spent = (data["ended"] - data["started"]).total_seconds() / 60
    lines = [f"# Mock interview {started:%Y-%m-%d %H:%M}", "",
             f"{len(data['questions'])} question(s) in {spent:.0f} of {data['minutes_planned']:.0f} minutes"
             + (f" (seed {data['seed']})" if data["seed"] is not None else "") + ".", "",
             "| # | card | time | key points | self-grade | follow-up |", "|---|---|---|---|---|---|"]
    for i, q in enumerate(data["questions"], 1):
        spent_q = f"{q['seconds'] // 60}:{q['seconds'] % 60:02d}" + (" (over)" if q["over_time"] else "")
        follow = ("answered" if q["followup_answered"] else "asked") if q["followup"] else "–"
        lines.append(f"| {i} | {q['card']} | {spent_q} | {q['hits']}/{q['points']} | {q['rating'] or '–'} "
                     f"| {follow} |")
    cov = data["coverage"]
    share = f" ({cov['share']:.0%})" if cov["share"] is not None else ""
    lines += ["", "## Key-point coverage", "", f"{cov['hit']} of {cov['total']} key points covered{share}.", ""]
    for i, q in enumerate(data["questions"], 1):
        if q["missed"]:
            lines.append(f"- {i}. {pick(q['question'], code)}")
            lines += [f"  - missed: {point}" for point in q["missed"]]
    lines += ["", "## Your answers", ""]
    for i, q in enumerate(data["questions"], 1):
        lines += [f"### {i}. {visible(pick(q['question'], code))}", "", *_quoted(q["answer"]), ""]
        if q["followup"]:
            lines += [f"Follow-up: {visible(pick(q['followup'], code))}", "", *_quoted(q["followup_answer"]), ""]
    lines += ["## Self-grades", ""] + [f"- {k}: {v}" for k, v in data["grades"].items()]
    lines += ["", "## Weakest topics", ""]
    lines += [f"- {w['topic']}: {w['score']:.2f} over {w['questions']} question(s)" for w in data["weakest_topics"]]
    return "\n".join(lines).rstrip() + "\n"
