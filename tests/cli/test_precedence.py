"""Where each setting comes from, through the real CLI: option > $PREP_* > config file > default.

Each test climbs the layers one at a time, giving every layer a value of its own, so a layer that is
skipped or read in the wrong order shows up as the previous layer's value.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs

from interviewprep.store.db import DB_NAME
from tests.conftest import deck_yaml, prep, user


def test_lang_option_beats_env_beats_file_beats_default(small_bank, monkeypatch):
    def shown():
        out = prep("list", *user(small_bank)).output
        return ("zh" if "问题 a-one" in out else "") + ("en" if "Question a-one?" in out else "")

    assert shown() == "zh"  # the default
    assert prep("config", "set", "lang", "en").exit_code == 0
    assert shown() == "en"
    monkeypatch.setenv("PREP_LANG", "both")
    assert shown() == "zhen"
    out = prep("list", *user(small_bank), "--lang", "zh").output
    assert "问题 a-one" in out and "Question a-one?" not in out


def test_a_bad_language_is_named_from_the_option_and_the_variable(small_bank, monkeypatch):
    assert "language 'fr' is not one of zh, en, both" in prep("list", *user(small_bank), "--lang", "FR").output
    monkeypatch.setenv("PREP_LANG", "fr")
    result = prep("list", *user(small_bank))
    assert result.exit_code == 2 and "language 'fr' is not one of zh, en, both" in result.output


def banks(tmp_path, *names):
    out = []
    for name in names:
        folder = tmp_path / f"bank-{name}"
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(deck_yaml(name, [f"{name}-card"]), encoding="utf-8")
        out.append(folder)
    return out


def listed(*args) -> set[str]:
    result = prep("list", "--json", *args)
    assert result.exit_code == 0, result.output
    return {card["id"] for card in json.loads(result.stdout)}


def test_bank_dirs_option_adds_to_env_which_replaces_file_and_default(tmp_path, monkeypatch):
    filed, from_env, optioned = banks(tmp_path, "filed", "env", "opt")
    builtin = listed()
    assert builtin and not builtin & {"filed-card", "env-card", "opt-card"}  # the default: the built-in bank
    assert prep("config", "set", "bank_dirs", filed).exit_code == 0
    assert listed("--no-builtin") == {"filed-card"}
    assert listed() == builtin | {"filed-card"}  # after the built-in bank, not instead of it
    monkeypatch.setenv("PREP_BANK", str(from_env))
    assert listed("--no-builtin") == {"env-card"}
    assert listed("--no-builtin", "--bank", optioned) == {"env-card", "opt-card"}


def test_check_and_doctor_read_the_banks_every_command_reads(tmp_path, monkeypatch):
    (filed,) = banks(tmp_path, "filed")
    assert prep("config", "set", "bank_dirs", filed).exit_code == 0
    assert json.loads(prep("check", "--json", "--no-builtin").stdout)["cards"] == 1
    assert "1 cards in 1 decks" in prep("doctor", "--json", "--no-builtin").stdout


def test_home_option_beats_env_beats_file_beats_default(tmp_path, monkeypatch):
    monkeypatch.delenv("PREP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    filed, from_env, optioned = (tmp_path / name for name in ("filed", "env", "opt"))
    default = Path(platformdirs.user_data_dir("interviewprep"))
    assert tmp_path in default.parents  # XDG_DATA_HOME kept the default inside the test's folder

    def database_made_in(folder, *args) -> bool:
        before = (folder / DB_NAME).exists()
        assert prep("stats", "--json", *args).exit_code == 0
        return not before and (folder / DB_NAME).is_file()

    assert database_made_in(default)
    assert prep("config", "set", "home", filed).exit_code == 0
    assert database_made_in(filed)
    monkeypatch.setenv("PREP_HOME", str(from_env))
    assert database_made_in(from_env)
    assert database_made_in(optioned, "--home", optioned)
    assert json.loads(prep("doctor", "--json", "--home", optioned).stdout)["paths"]["data"] == str(optioned)


def day_start(*before) -> str:
    result = prep(*before, "stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["day_starts_at"]


def test_day_start_option_beats_env_beats_file_beats_default(monkeypatch):
    assert day_start() == "04:00"
    assert prep("config", "set", "day_start", "6").exit_code == 0
    assert day_start() == "06:00"
    monkeypatch.setenv("PREP_DAY_START", "8")
    assert day_start() == "08:00"
    assert day_start("--day-start", "10") == "10:00"
    assert day_start() == "08:00"  # an option holds for its own run only
    sources = json.loads(prep("--day-start", "3", "config", "list", "--json").stdout)["day_start"]
    assert sources == {"value": 3, "source": "option"}


def test_an_unusable_day_start_variable_still_means_the_next_layer(monkeypatch):
    """As before settings were gathered in one place: $PREP_DAY_START outside 0-23 is passed over."""
    monkeypatch.setenv("PREP_DAY_START", "25")
    assert day_start() == "04:00"
    assert prep("config", "set", "day_start", "5").exit_code == 0
    assert day_start() == "05:00"
    assert prep("config", "set", "day_start", "24").exit_code == 2
    assert prep("--day-start", "24", "stats").exit_code == 2
