"""Every setting prep has, resolved in one place: option > $PREP_* variable > config file > default.

This is the only module that reads a PREP_* environment variable (`env`; tests/test_settings.py holds
every other module to that), that asks platformdirs where the data, config and cache dirs are, and
that reads the config file. Every other module asks here: `value(key, option)` for a setting in
SETTINGS, `lang`, `extra_bank_dirs`, `home_dir`, `cache_dir`, `config_path`, and `clock` for the
study day's first hour.

Why a file at all: `--lang en --new 5` on every run is tedious, and $PREP_* variables are easy to
lose between shells. The file lives in platformdirs.user_config_dir("interviewprep")/config.toml
($PREP_CONFIG_DIR moves it). `tomllib` reads it and tomli-w writes it. Only platformdirs and tomllib
are imported, and only when needed, so the fast commands (`prep next`) stay fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from interviewprep import atomic
from interviewprep.errors import PrepError, UsageError, did_you_mean
from interviewprep.models import LANG_CHOICES, retention_problem

FILE_NAME = "config.toml"
APP_NAME = "interviewprep"  # platformdirs' name for our data, config and cache dirs


def _lang(value: str) -> str:
    value = value.strip().lower()
    if value not in LANG_CHOICES:
        raise ValueError("must be zh, en or both")
    return value


def _new(value: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("must be a whole number") from None
    if not 0 <= number <= 1000:
        raise ValueError("must be between 0 and 1000")
    return number


def _whole_number(low: int, high: int):
    """A parser for a whole number in low..high (the daily review limit, learn-ahead minutes)."""

    def parse(value: str) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"must be between {low} and {high}")
        return number

    return parse


def _retention(value: str) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError("must be a number such as 0.9") from None
    problem = retention_problem(number)
    if problem:
        raise ValueError(problem)
    return number


def _dirs(values) -> list[str]:
    items = values if isinstance(values, list) else [values]
    return [str(Path(p).expanduser()) for item in items for p in str(item).split(os.pathsep) if p]


def _path(value: str) -> str:
    value = str(value).strip()
    if not value:
        raise ValueError("must be a directory path")
    return str(Path(value).expanduser())


def _existing(paths: list[str]) -> None:
    """Checked on `set` only: a bank moved later is reported by the loader, not by every command."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise ValueError(f"no such directory or file: {', '.join(missing)}")


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: object
    parse: object  # str (or list of str for lists) -> value; raises ValueError with a reason
    help: str
    is_list: bool = False
    bad_env_ignored: bool = False  # $PREP_DAY_START: an unusable value has always meant the default


SETTINGS = {s.key: s for s in (
    Setting("lang", "PREP_LANG", "zh", _lang, "language of questions: zh, en or both"),
    Setting("new_per_day", "PREP_NEW", 10, _new, "new cards a quiz adds after the due ones"),
    Setting("reviews_per_day", "PREP_REVIEWS", 200, _whole_number(0, 10000),
            "review cards a study day shows at most, over every quiz of the day"),
    Setting("learn_ahead", "PREP_LEARN_AHEAD", 20, _whole_number(0, 1440),
            "minutes: when nothing else is left, learning cards due this soon are shown early (0: never)"),
    Setting("retention", "PREP_RETENTION", 0.9, _retention, "desired retention for FSRS (0.70-0.99)"),
    Setting("bank_dirs", "PREP_BANK", [], _dirs, "extra bank directories (loaded after the built-in bank)",
            is_list=True),
    Setting("day_start", "PREP_DAY_START", 4, _whole_number(0, 23),
            "hour (local time) a study day starts; a review before it counts for the day before",
            bad_env_ignored=True),
    Setting("home", "PREP_HOME", "", _path, "data directory holding the review database (unset: the user data dir)"),
)}

# Options given once for the whole run (`prep --day-start 6 stats`): set by the CLI's root callback
# and cleared when the run ends, so that library code deep in srs sees them as options.
_run_options: dict[str, object] = {}


def set_run_options(**options) -> None:
    """Replace the run's options (None values are left out); no arguments clears them."""
    _run_options.clear()
    _run_options.update({key: val for key, val in options.items() if val is not None})


def env(name: str) -> str:
    """$name, or "" when unset: the one place the package reads a PREP_* variable."""
    return os.environ.get(name, "")


def _platform_dir(kind: str) -> Path:
    """platformdirs' user data, config or cache dir for prep (imported only when no override is set)."""
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME))


def config_dir() -> Path:
    """$PREP_CONFIG_DIR, else the platform's user config dir (the file cannot name its own folder)."""
    return Path(env("PREP_CONFIG_DIR") or _platform_dir("config"))


def cache_dir() -> Path:
    """The bank cache's folder: $PREP_CACHE, else the platform's user cache dir."""
    return Path(env("PREP_CACHE") or _platform_dir("cache"))


def home_dir(option: Path | None = None) -> Path:
    """The data directory: --home, else $PREP_HOME, else the file's `home`, else the user data dir."""
    return Path(value("home", option) or _platform_dir("data"))


def lang(option: str | None = None) -> str:
    """--lang, else $PREP_LANG, else the file's `lang`, else zh; a bad option or variable is named as
    the language it asks for."""
    asked = option or env("PREP_LANG")
    if asked and asked.lower() not in LANG_CHOICES:
        raise UsageError(f"language '{asked.lower()}' is not one of zh, en, both")
    return value("lang", asked.lower() if asked else None)


def extra_bank_dirs(option: list[Path] | None = None) -> list[Path]:
    """The user's banks, after the built-in one: $PREP_BANK (else the file's bank_dirs), then every --bank.

    --bank adds to the others rather than replacing them, so a one-off deck joins the usual banks.
    """
    return [Path(p) for p in value("bank_dirs")] + list(option or [])


def config_path() -> Path:
    return config_dir() / FILE_NAME


def setting(key: str) -> Setting:
    if key not in SETTINGS:
        hint = did_you_mean(key, SETTINGS, n=1) or f"; keys: {', '.join(SETTINGS)}"
        raise UsageError(f"unknown setting '{key}'{hint}")
    return SETTINGS[key]


def read_file(path: Path | None = None) -> dict:
    """The file's settings, validated; a missing file is empty, a broken one an error naming it."""
    path = path or config_path()
    if not path.is_file():
        return {}
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PrepError(f"{path}: cannot read the config file: {exc}") from None
    out = {}
    for key, raw in data.items():
        if key not in SETTINGS:
            raise PrepError(f"{path}: unknown setting '{key}' (known: {', '.join(SETTINGS)})")
        try:
            out[key] = SETTINGS[key].parse(raw if SETTINGS[key].is_list else str(raw))
        except ValueError as exc:
            raise PrepError(f"{path}: {key} = {raw!r}: {exc}") from None
    return out


def effective(key: str, option=None) -> tuple[object, str]:
    """(value, where it came from): the option (given to the command, else to the whole run), else
    the environment variable, else the file, else the default. Options arrive parsed by typer."""
    item = setting(key)
    option = _run_options.get(key) if option is None else option
    if option is not None:
        return option, "option"
    raw = env(item.env)
    if raw:
        try:
            return item.parse(raw.split(os.pathsep) if item.is_list else raw), f"${item.env}"
        except ValueError as exc:
            if not item.bad_env_ignored:
                raise UsageError(f"${item.env}={raw!r}: {exc}") from None
    stored = read_file()
    if key in stored:
        return stored[key], "file"
    return item.default, "default"


def value(key: str, option=None):
    return effective(key, option)[0]


def set_value(key: str, raw: list[str]) -> object:
    """Validate and store one setting; a bad value is a usage error (exit 2) and nothing is written."""
    item = setting(key)
    if not raw:
        raise UsageError(f"config set {key} needs a value")
    if not item.is_list and len(raw) > 1:
        raise UsageError(f"{key} takes one value, got {len(raw)}")
    try:
        parsed = item.parse(list(raw) if item.is_list else raw[0])
        if item.is_list:
            _existing(parsed)
    except ValueError as exc:
        raise UsageError(f"{key} = {' '.join(raw)!r}: {exc}") from None
    data = read_file()
    data[key] = parsed
    write_file(data)
    return parsed


def unset(key: str) -> bool:
    setting(key)
    data = read_file()
    if key not in data:
        return False
    del data[key]
    write_file(data)
    return True


def to_toml(data: dict) -> str:
    """The settings as TOML, written by tomli-w (a maintained writer; tomllib reads it back exactly).

    Values are what `prep config set` stored: strings, numbers and lists of strings; anything else is
    written as its string, as before.
    """
    import tomli_w

    plain = {key: [str(v) for v in val] if isinstance(val, list)
             else val if isinstance(val, (int, float)) and not isinstance(val, bool) else str(val)
             for key, val in data.items()}
    return "# prep settings; edit with `prep config set KEY VALUE`\n" + tomli_w.dumps(plain)


def write_file(data: dict, path: Path | None = None) -> Path:
    """Atomic: a crash leaves the old file or the new one, never half of one."""
    path = path or config_path()
    try:
        atomic.write_text(path, to_toml(data))
    except OSError as exc:
        raise PrepError(f"{path}: cannot write the config file: {exc}") from None
    return path


def shown(val) -> str:
    return os.pathsep.join(val) if isinstance(val, list) else str(val)


def rows() -> list[dict]:
    """Every setting with its effective value and source, for `prep config list`."""
    out = []
    for key, item in SETTINGS.items():
        val, source = effective(key)
        out.append({"key": key, "value": val, "shown": shown(val) or "–", "source": source,
                    "env": item.env, "help": item.help})
    return out
