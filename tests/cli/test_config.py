"""`prep config`: TOML file, precedence option > environment > file > default, validation."""

from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interviewprep import config
from interviewprep.cli.options import resolve_lang, resolve_setting
from interviewprep.errors import PrepError, UsageError
from tests.conftest import prep, user


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    path = tmp_path / "config"
    monkeypatch.setenv("PREP_CONFIG_DIR", str(path))
    for name in ("PREP_NEW", "PREP_RETENTION"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_set_get_list_and_file_is_toml(config_dir, small_bank):
    assert prep("config", "set", "lang", "en").exit_code == 0
    assert prep("config", "set", "retention", "0.85").exit_code == 0
    assert prep("config", "set", "bank_dirs", str(small_bank)).exit_code == 0
    data = tomllib.loads((config_dir / "config.toml").read_text(encoding="utf-8"))
    assert data == {"lang": "en", "retention": 0.85, "bank_dirs": [str(small_bank)]}
    assert prep("config", "get", "lang").output.strip() == "en"
    listing = prep("config", "list").output
    assert "retention" in listing and "0.85" in listing and "file" in listing and "new_per_day" in listing
    assert prep("config", "unset", "lang").exit_code == 0
    assert prep("config", "get", "lang").output.strip() == "zh"


def test_bad_values_exit_2_and_write_nothing(config_dir):
    for args in (["set", "lang", "fr"], ["set", "retention", "1.5"], ["set", "new_per_day", "many"],
                 ["set", "colour", "red"], ["set", "bank_dirs", "/no/such/dir"], ["get"], ["frobnicate"]):
        result = prep("config", *args)
        assert result.exit_code == 2, args
    assert "must be zh, en or both" in prep("config", "set", "lang", "fr").output
    assert "did you mean lang" in prep("config", "get", "lnag").output
    assert not (config_dir / "config.toml").exists()


def test_precedence(monkeypatch):
    config.set_value("lang", ["en"])
    config.set_value("new_per_day", ["3"])
    assert resolve_lang(None) == "en"
    monkeypatch.setenv("PREP_LANG", "both")
    assert resolve_lang(None) == "both"
    assert resolve_lang("zh") == "zh"
    assert resolve_setting(None, "new_per_day") == 3 and resolve_setting(7, "new_per_day") == 7
    monkeypatch.setenv("PREP_NEW", "5")
    assert config.effective("new_per_day") == (5, "$PREP_NEW")
    monkeypatch.setenv("PREP_NEW", "lots")
    with pytest.raises(UsageError):
        config.value("new_per_day")


def test_quiz_and_list_follow_the_file(small_bank):
    config.set_value("bank_dirs", [str(small_bank)])
    config.set_value("lang", ["en"])
    config.set_value("new_per_day", ["1"])
    assert "Question a-one?" in prep("list", "--no-builtin").output
    result = prep("quiz", "--no-builtin", input=" \n4\n")
    assert "Question a-one?" in result.output and "reviewed" in result.output
    assert "Question a-two?" not in result.output  # one new card a day


def test_round_trip_of_awkward_strings(config_dir):
    odd = 'C:\\banks\\"quoted" 题库'
    config.write_file({"bank_dirs": [odd]})
    assert tomllib.loads((config_dir / "config.toml").read_text(encoding="utf-8"))["bank_dirs"] == [odd]


def test_broken_file_names_itself(config_dir):
    config_dir.mkdir()
    (config_dir / "config.toml").write_text("lang = \n", encoding="utf-8")
    with pytest.raises(PrepError, match="config.toml: cannot read"):
        config.read_file()
    (config_dir / "config.toml").write_text('lang = "fr"\n', encoding="utf-8")
    result = prep("list", "--no-builtin")
    assert result.exit_code == 1 and "must be zh, en or both" in result.output


def test_new_per_day_counts_every_session_of_the_day(small_bank):
    """Four quizzes in a day with new_per_day 2 introduce 2 new cards, not 8; --new is per session."""
    assert prep("config", "set", "new_per_day", "2").exit_code == 0
    bank = user(small_bank, "--lang", "en")
    for _ in range(4):
        assert prep("quiz", *bank, input=" \n4\n \n4\n \n4\nq\n").exit_code == 0
    seen = [c for c in json.loads(prep("list", "--json", *bank).stdout) if c["state"]]
    assert len(seen) == 2
    assert prep("quiz", *bank, "--new", "1", input=" \n4\nq\n").exit_code == 0
    assert len([c for c in json.loads(prep("list", "--json", *bank).stdout) if c["state"]]) == 3


VALUES = st.one_of(st.text(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                   st.lists(st.text(), max_size=4))


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), VALUES, max_size=6))
def test_any_stored_settings_read_back_exactly(data):
    from interviewprep.config import to_toml

    assert tomllib.loads(to_toml(data)) == data
