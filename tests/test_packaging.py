"""A non-editable install ships the bank: the wheel holds every deck, the seed index and the format notes."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_the_wheel_carries_every_deck_of_the_bank(tmp_path):
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
                   cwd=REPO, check=True, capture_output=True)
    (wheel,) = tmp_path.glob("interviewprep-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    decks = sorted(p.name for p in (REPO / "questions").glob("*.yaml"))
    assert decks and all(f"interviewprep/questions/{name}" in names for name in decks), decks
    assert "interviewprep/cli/app.py" in names and "interviewprep/bank/loader.py" in names
    assert not any(name.startswith("tests/") for name in names)
