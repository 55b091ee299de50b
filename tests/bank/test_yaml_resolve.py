"""yamlnodes._Loader resolves tags in fewer steps than PyYAML's generic resolver; every node must get the same tag.

Generated documents mix plain, quoted and block scalars that PyYAML reads as text, numbers, booleans, nulls,
timestamps, merge keys and values, in flow and block collections; both loaders compose them and the trees
(kind, tag, value, position) must be equal node for node.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.bank import yamlnodes

WORDS = ["plain", "词", "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "", "12", "-3", "+7", "0x1F",
         "0o17", "0b101", "1_000", "1.5", "-.inf", ".NaN", "1e3", "6.02e+23", "2024-01-01",
         "2001-12-14t21:59:43.10-05:00",
         "<<", "=", "190:20:30", ".", "-", "n", "y", "t2", "1.2.3", "0.", "8a"]


def scalars():
    word = st.one_of(st.sampled_from(WORDS), st.text(alphabet="0123456789.-+eEabxnoy:_ 词", min_size=1, max_size=6))
    return st.one_of(
        word.map(lambda w: w if w.strip() == w and w and w[0] not in "-:?" else f"'{w}'"),
        word.map(lambda w: f"'{w}'"),
        word.map(lambda w: f'"{w}"'),
    )


def documents():
    return st.recursive(scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(["k", "id", "x"]), inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}{i}: {v}" for i, (k, v) in enumerate(kv)) + "}")), max_leaves=10)


def tree(node):
    """A node as nested tuples of what the bank reader looks at."""
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, where)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, where, tuple(tree(child) for child in node.value))
    return ("map", node.tag, where, tuple((tree(k), tree(v)) for k, v in node.value))


def composed(loader_class, text):
    loader = loader_class(text)
    try:
        return tree(loader.get_single_node())
    finally:
        loader.dispose()


@given(documents(), documents())
@settings(max_examples=300, deadline=None)
def test_every_node_gets_the_tag_pyyaml_gives_it(flow, value):
    text = f"root: {flow}\nblock:\n  - {value}\n  - key: {value}\n  - |\n    a block\n"
    try:
        expected = composed(yamlnodes._SafeLoader, text)
    except yaml.YAMLError:
        return
    assert composed(yamlnodes._Loader, text) == expected


def test_the_words_resolve_to_pyyamls_types():
    """A check that the generated documents cover every implicit type the safe loader knows."""
    text = "[" + ", ".join(w if w else "''" for w in WORDS if w not in ("-",)) + ", ]"
    tags = {node[1] for node in composed(yamlnodes._Loader, text)[3]}
    assert tags >= {yamlnodes.STR, yamlnodes.INT, yamlnodes.FLOAT, yamlnodes.BOOL, yamlnodes.NULL,
                    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
