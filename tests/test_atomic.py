"""atomic.replacing: the old file or the new one, never half of one, and no temporary file left behind."""

from __future__ import annotations

import os
import stat

import pytest

from interviewprep import atomic


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_beside_it(tmp_path):
    target = tmp_path / "config.toml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic.replacing(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full, say")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_a_finished_write_replaces_the_file_with_normal_permissions(tmp_path):
    target = tmp_path / "sub" / "config.toml"
    atomic.write_text(target, "新的 = 1\n")
    assert target.read_text(encoding="utf-8") == "新的 = 1\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert sorted(p.name for p in target.parent.iterdir()) == ["config.toml"]
