"""The forbidden set is exactly Cc (but tab and newline), Cf, Zl and Zp, and `visible` leaves nothing of it."""

from __future__ import annotations

import json
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from interviewprep.safetext import FORBIDDEN, FORBIDDEN_RANGES, describe, forbidden_in, json_safe, surely_clean, visible


def test_the_written_out_ranges_match_unicode_categories():
    if unicodedata.unidata_version < "15.1":  # older Pythons know fewer Cf characters; ours must include theirs
        expected_missing_ok = True
    else:
        expected_missing_ok = False
    wrong = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        want = ch not in "\t\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        got = bool(FORBIDDEN.match(ch))
        if want and not got or (got and not want and not expected_missing_ok):
            wrong.append(f"U+{code:04X} {unicodedata.category(ch)}")
    assert not wrong, wrong[:20]


def test_describe_names_controls_as_terminals_know_them():
    assert describe("\x1b") == "U+001B (ESC)"
    assert describe("\x9b") == "U+009B (CSI)"
    assert describe("\x7f") == "U+007F (DEL)"
    assert describe("\u202e") == "U+202E (RIGHT-TO-LEFT OVERRIDE)"


def test_visible_shows_each_control_as_a_stand_in():
    assert visible("\x1b]0;pwned\x07\x1b[2J问题?") == "␛]0;pwned␇␛[2J问题?"
    assert visible("a\u202eb\x9bc") == "a\\u202eb\\u009bc"
    assert visible("tab\tand\nnewline stay, 中文　全角 too") == "tab\tand\nnewline stay, 中文　全角 too"


@given(st.text())
def test_nothing_forbidden_survives_visible(text):
    assert not FORBIDDEN.search(visible(text))


@given(st.text())
def test_json_safe_keeps_the_value_and_drops_raw_controls(text):
    safe = json_safe(json.dumps({"t": text}, ensure_ascii=False))
    assert not FORBIDDEN.search(safe)
    assert json.loads(safe) == {"t": text}


def test_no_forbidden_character_passes_the_quick_clean_test():
    slipped = [f"U+{lo:04X}" for lo, hi in FORBIDDEN_RANGES for code in range(lo, hi + 1)
               if surely_clean(f"问题 {chr(code)} text\n")]
    assert slipped == []
    assert surely_clean("tab\tand\nnewline, 中文，全角？") and not surely_clean("全角　空格")


@given(st.text())
def test_quick_clean_text_has_nothing_the_regex_would_find(text):
    if surely_clean(text):
        assert not FORBIDDEN.search(text)
    assert forbidden_in(text) == [(m.start(), m.group()) for m in FORBIDDEN.finditer(text)]
