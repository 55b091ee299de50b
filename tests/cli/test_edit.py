"""`prep edit ID`: the editor opens the card's file at its line; the file is checked again after it exits."""

from __future__ import annotations

import sys
from pathlib import Path

from interviewprep.cli.edit import editor_argv, problems_in
from tests.conftest import run_prep


def _fake_editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR that records its arguments and then edits the file the way `body` says (Python)."""
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, pathlib\n"
                      f"pathlib.Path({str(tmp_path / 'argv.txt')!r}).write_text(repr(sys.argv[1:]))\n"
                      "path = pathlib.Path(sys.argv[-1])\n" + body, encoding="utf-8")
    return f"{sys.executable} {script}"


def test_editor_argv_follows_each_editors_convention():
    assert editor_argv("vim", Path("d.yaml"), 12) == ["vim", "+12", "d.yaml"]
    assert editor_argv("emacs -nw", Path("d.yaml"), 3) == ["emacs", "-nw", "+3", "d.yaml"]
    assert editor_argv("/usr/bin/code --wait", Path("d.yaml"), 7) == ["/usr/bin/code", "--wait", "--goto", "d.yaml:7"]
    assert editor_argv("subl -w", Path("d.yaml"), 7) == ["subl", "-w", "d.yaml:7"]


def test_problems_in_keeps_only_the_edited_file():
    problems = ["/b/a.yaml:3:5: bad", "/b/a.yaml.bak:1:1: other", "/b/c.yaml:1:1: x"]
    assert problems_in(Path("/b/a.yaml"), problems) == ["/b/a.yaml:3:5: bad"]


def test_edit_opens_the_file_at_the_cards_line_and_reports_ok(small_bank, tmp_path):
    editor = _fake_editor(tmp_path, "")  # opens and closes without a change
    result = run_prep("edit", "a-two", "--no-builtin", "--bank", str(small_bank), env={"EDITOR": editor,
                                                                                     "VISUAL": ""})
    assert result.returncode == 0, result.stderr
    argv = eval((tmp_path / "argv.txt").read_text())
    line = (small_bank / "alpha.yaml").read_text().splitlines().index("  - id: a-two") + 1
    assert argv == [f"+{line}", str(small_bank / "alpha.yaml")]
    assert f"{small_bank / 'alpha.yaml'}: ok, 3 card(s)" in result.stdout


def test_a_broken_edit_is_reported_with_its_position_and_exit_1(small_bank, tmp_path):
    editor = _fake_editor(tmp_path, "path.write_text(path.read_text().replace('level: basic', 'level: expert', 1))\n")
    result = run_prep("edit", "a-one", "--no-builtin", "--bank", str(small_bank), env={"EDITOR": editor})
    assert result.returncode == 1
    lines = (small_bank / "alpha.yaml").read_text().splitlines()
    row = next(i for i, text in enumerate(lines) if "level: expert" in text)
    position = f"{small_bank / 'alpha.yaml'}:{row + 1}:{lines[row].index('expert') + 1}:"
    first = result.stdout.splitlines()[0]
    assert first.startswith(position) and "expert" in first
    assert "1 problem(s) in" in result.stdout and "Traceback" not in result.stderr


def test_a_renamed_card_is_noted_and_an_unknown_id_suggests_one(small_bank, tmp_path):
    editor = _fake_editor(tmp_path, "path.write_text(path.read_text().replace('id: a-one', 'id: a-first'))\n")
    renamed = run_prep("edit", "a-one", "--no-builtin", "--bank", str(small_bank), env={"EDITOR": editor})
    assert renamed.returncode == 0 and "card 'a-one' is no longer in the banks" in renamed.stdout
    unknown = run_prep("edit", "a-tow", "--no-builtin", "--bank", str(small_bank), env={"EDITOR": editor})
    assert unknown.returncode == 2 and "no card 'a-tow'; did you mean a-two" in unknown.stderr


def test_a_missing_or_failing_editor_is_one_line_not_a_traceback(small_bank):
    missing = run_prep("edit", "a-one", "--no-builtin", "--bank", str(small_bank),
                       env={"EDITOR": "no-such-editor-here"})
    assert missing.returncode == 1 and "cannot start the editor 'no-such-editor-here'" in missing.stderr
    failing = run_prep("edit", "a-one", "--no-builtin", "--bank", str(small_bank), env={"EDITOR": "false"})
    assert failing.returncode == 1 and "the editor exited with status 1" in failing.stderr
    assert "Traceback" not in missing.stderr + failing.stderr


def test_e_in_the_quiz_edits_the_card_shows_it_as_it_now_reads_and_the_rating_still_lands(small_bank, tmp_path):
    editor = _fake_editor(tmp_path, "path.write_text(path.read_text().replace('Answer a-one.', 'Rewritten a-one.'))\n")
    result = run_prep("quiz", "--no-builtin", "--bank", str(small_bank), "--lang", "en",
                      input=" \ne\n3\nq\n", env={"EDITOR": editor, "VISUAL": "", "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "e edit" in out and f"{small_bank / 'alpha.yaml'}: ok, 3 card(s)" in out
    assert out.index("Answer a-one.") < out.index("Rewritten a-one.") < out.index("saved: Good · a-one")


def test_a_broken_edit_in_the_quiz_is_reported_and_the_session_goes_on(small_bank, tmp_path):
    editor = _fake_editor(tmp_path, "path.write_text(path.read_text().replace('level: basic', 'level: expert', 1))\n")
    result = run_prep("quiz", "--no-builtin", "--bank", str(small_bank), "--lang", "en",
                      input=" \ne\n3\nq\n", env={"EDITOR": editor, "VISUAL": "", "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "1 problem(s) in" in result.stdout and "saved: Good · a-one" in result.stdout
