"""jsontext.dumps_indented writes exactly json.dumps(value, ensure_ascii=False, indent=2), for any value."""

from __future__ import annotations

import enum
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.jsontext import dumps_indented

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text())
KEYS = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))


def values():
    return st.recursive(SCALARS, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=3)), max_leaves=20)


@given(values())
@settings(max_examples=500, deadline=None)
def test_the_text_is_json_dumps_byte_for_byte(value):
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


class Level(enum.IntEnum):
    BASIC = 1


def test_what_it_does_not_know_it_leaves_to_json():
    value = {"level": Level.BASIC, "deep": [[[["x"]]]], 3: "int key", "text": "问题\n\"引号\"\x1b"}
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
    nested: list = []
    for _ in range(500):
        nested = [nested]
    assert dumps_indented(nested) == json.dumps(nested, ensure_ascii=False, indent=2)
