"""yamlnodes.check_plain answers from a quick walk when that walk finds nothing; it must never miss a problem.

For generated YAML full of what check_plain refuses (aliases, tags, implicit timestamps, controls raw and
escaped, deep nesting), the quick answer is True only when the reporting walk also finds nothing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.bank import yamlnodes

SCALARS = st.sampled_from(["plain", "词", "'quoted'", '"esc \\e x"', '"\\u202e"', '"tab\\there"', "2024-01-01",
                           "!!python/object:os.system x", "!custom v", "&a anchored", "*a", "12", "1.5", "yes",
                           "null", '"\\x1b[31m"', "\u202e raw", "|\n    block\n", "''"])


def documents():
    leaf = SCALARS
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(["k", "id", "x"]), inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}{i}: {v}" for i, (k, v) in enumerate(kv)) + "}")), max_leaves=12)


@given(documents(), st.integers(0, 70))
@settings(max_examples=400, deadline=None)
def test_the_quick_walk_says_fine_only_when_the_reporting_walk_does(doc, depth):
    text = "root: " + "[" * depth + doc + "]" * depth + "\n"
    problems = yamlnodes.Problems("x.yaml", [])
    root = yamlnodes.compose(text, problems)
    if root is None:
        return
    quick = yamlnodes._plain_tree(root, scan_scalars=not problems.text_clean)
    reported = yamlnodes.Problems("x.yaml", [])
    full = yamlnodes._check_plain_reporting(root, reported)
    if quick:
        assert full and reported.lines == []
    assert yamlnodes.check_plain(root, yamlnodes.Problems("x.yaml", [])) == full
