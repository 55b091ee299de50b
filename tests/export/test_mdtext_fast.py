"""mdtext.fragment skips the CommonMark parse for text it cannot change; the result must be the parse's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.export import mdtext

# plain prose in both languages plus every character the fast path looks for, and the ones near them
# (no CR: the loader refuses it in bank text, and the parse path's line arithmetic assumes "\n" breaks)
PIECES = st.sampled_from(["word", "词语", " ", "  ", "\n", "\n\n", "\t", "-", "=", "#", "<", ">", "`", "```", "~",
                          "~~~", "*", "_", "1.", "- ", "> ", "    ", "<b>", "&lt;", "\u3000"])


@given(st.lists(PIECES, max_size=30).map("".join))
@settings(max_examples=400, deadline=None)
def test_fragment_equals_the_parsed_fragment_for_any_text(text):
    assert mdtext.fragment(text) == (mdtext._parsed_fragment(text.strip("\n")) if text.strip() else "")


def test_text_that_needs_the_parse_still_gets_it():
    assert mdtext.fragment("Title\n===\nbody") == "Title\nbody"
    assert mdtext.fragment("# Heading\nbody") == "**Heading**\nbody"
    assert mdtext.fragment("```\ncode") == "```\ncode\n```"
    assert mdtext.fragment("a <script> b") == "a &lt;script> b"
    assert mdtext.fragment("plain 文本\n\nsecond paragraph  \n") == "plain 文本\n\nsecond paragraph"
