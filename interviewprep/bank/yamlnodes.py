"""Read YAML as position-carrying nodes, safely, and describe every problem as `path:line:col`.

PyYAML's composer (the C one when available) gives us a node tree in which every value keeps its
line and column; we never construct Python objects from tags, so `!!python/object` and friends are
inert. Aliases are refused (a bank has no use for them, and refusing them defeats alias bombs).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import yaml

try:  # the C composer is ~10x faster; fall back silently where libyaml is missing
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
PLAIN_TAGS = {STR, INT, FLOAT, BOOL, NULL, SEQ, MAP}



def _implicit_table(loader) -> dict:
    """First character of a plain scalar -> the (tag, regexp) pairs PyYAML tries for it, wildcards last."""
    resolvers = loader.yaml_implicit_resolvers
    wildcards = list(resolvers.get(None, []))
    return {first: tuple(pairs + wildcards) for first, pairs in resolvers.items() if first is not None}


class _Loader(_SafeLoader):
    """The safe loader with PyYAML's tag resolution in fewer steps: the same tag for every node.

    Why: the C composer calls back into Python's `resolve` for every node (~50 per card), and the
    generic version (path resolvers, list concatenation per call) was half of composing a deck.
    Without path resolvers (the safe loader has none; if one is ever added, the generic method stays)
    a quoted scalar is text, a plain one takes the first implicit resolver matching it, and a
    collection takes its default tag. tests/bank/test_yaml_resolve.py holds the two to the same tags.
    """

    _implicit = _implicit_table(_SafeLoader)
    _wildcards = tuple(_SafeLoader.yaml_implicit_resolvers.get(None, ()))

    if not _SafeLoader.yaml_path_resolvers:
        def resolve(self, kind, value, implicit, _scalar=yaml.ScalarNode, _sequence=yaml.SequenceNode):
            if kind is _scalar:
                if implicit[0]:
                    for tag, regexp in self._implicit.get(value[:1], self._wildcards):
                        if regexp.match(value):
                            return tag
                return self.DEFAULT_SCALAR_TAG
            return self.DEFAULT_SEQUENCE_TAG if kind is _sequence else self.DEFAULT_MAPPING_TAG


MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


@dataclass
class Problems:
    """Collects `path:line:col: message` lines for one file; `line`/`col` are 1-based."""

    path: str
    lines: list
    text_clean: bool = False  # set by raw_controls: no forbidden character and no backslash escape in the text

    def add(self, node_or_mark, message: str) -> None:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        if mark is None:
            self.lines.append(f"{self.path}:1:1: {message}")
        else:
            self.lines.append(f"{self.path}:{mark.line + 1}:{mark.column + 1}: {message}")

    def at(self, line: int, col: int, message: str) -> None:
        self.lines.append(f"{self.path}:{line}:{col}: {message}")


def decode(data: bytes, problems: Problems) -> str | None:
    """Bytes to text, insisting on UTF-8 and saying where it is not."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.at(1, 1, "file is UTF-16; save it as UTF-8")
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        problems.at(line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return None


def raw_controls(text: str, problems: Problems) -> bool:
    """Report every raw C0/C1 control and DEL (PyYAML's reader refuses them in its own words); True if any."""
    from interviewprep.safetext import describe, forbidden_in

    found = False
    hits = forbidden_in(text)
    problems.text_clean = not hits and "\\" not in text
    for index, ch in hits:
        if ord(ch) < 0xA0 and ch != "\r":  # CR is a line break to YAML; the rest stop the reader
            line = text.count("\n", 0, index) + 1
            col = index - (text.rfind("\n", 0, index) + 1) + 1
            problems.at(line, col, f"control character {describe(ch)} is not allowed")
            found = True
    return found


def compose(text: str, problems: Problems):
    """The document's root node, or None (with the problem recorded) when it is not valid YAML."""
    if raw_controls(text, problems):
        return None
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if mark is not None and _tab_near(text, mark):
            what = f"{what} (a tab: YAML indentation must use spaces, not tabs)"
        problems.add(mark, f"YAML syntax error: {what}")
    except yaml.YAMLError as exc:
        problems.at(1, 1, f"YAML error: {str(exc).splitlines()[0]}")
    except RecursionError:
        problems.at(1, 1, "YAML nesting is too deep")
    finally:
        loader.dispose()
    return None


def _tab_near(text: str, mark) -> bool:
    """Whether the line a syntax error points at has a tab where YAML expects indentation."""
    lines = text.splitlines()
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: len(line) - len(line.lstrip())] or line[mark.column: mark.column + 1] == "\t"


def check_plain(root, problems: Problems) -> bool:
    """Refuse aliases, custom tags, absurd nesting and control characters before anything walks the tree."""
    if _plain_tree(root, scan_scalars=not problems.text_clean):
        return True
    return _check_plain_reporting(root, problems)


def _plain_tree(root, scan_scalars: bool) -> bool:
    """Whether check_plain would find nothing, without building the paths its messages need.

    Any node the reporting walk would complain about makes this False (it looks at every node, so
    never less), and then the reporting walk runs. A scalar can hold a forbidden character only if
    the text holds one or an escape that makes one, so a clean text skips that test per scalar.
    """
    seen: set[int] = set()
    add = seen.add
    search = _forbidden_search()
    stack = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if id(node) in seen or node.tag not in PLAIN_TAGS or depth > MAX_DEPTH:
            return False
        add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if scan_scalars and search(node.value):
                return False
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                push((key, depth + 1))
                push((value, depth + 1))
    return True


def _forbidden_search():
    """safetext.FORBIDDEN.search, imported when first needed (as the rest of this module does)."""
    from interviewprep.safetext import FORBIDDEN

    return FORBIDDEN.search


def _check_plain_reporting(root, problems: Problems) -> bool:
    """check_plain's walk that says what is wrong and where (with the path of each bad value)."""
    seen: set[int] = set()
    stack = [(root, 0, "")]
    ok = True
    while stack:
        node, depth, where = stack.pop()
        if id(node) in seen:
            problems.add(node, "YAML anchors and aliases (&name, *name) are not allowed in bank files; anchor here")
            return False
        seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            problems.add(node, f"unsupported YAML tag {node.tag!r}")
            ok = False
            continue
        if depth > MAX_DEPTH:
            problems.add(node, f"nesting deeper than {MAX_DEPTH} levels")
            return False
        if isinstance(node, yaml.ScalarNode):
            ok = _controls_in_scalar(node, where, problems) and ok
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1, f"{where}[{i}]") for i, child in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, depth + 1, f"{where}.{name}" if where else name))
                stack.append((key, depth + 1, f"{where} key" if where else "key"))
    return ok


def _controls_in_scalar(node, where: str, problems: Problems) -> bool:
    """One problem for a text value that holds a forbidden character (escaped in quotes, or raw)."""
    from interviewprep.safetext import FORBIDDEN, describe

    match = FORBIDDEN.search(node.value)
    if match is None:
        return True
    problems.add(node, f"{where or 'value'}: control character {describe(match.group())} is not allowed")
    return False


def kind(node) -> str:
    """A user-facing name for what a node holds."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {STR: "text", INT: "a number", FLOAT: "a number", BOOL: "true/false", NULL: "nothing (null)"}.get(
        node.tag, node.tag
    )


def mapping_items(node, problems: Problems, what: str) -> dict | None:
    """A mapping node as {key: (key_node, value_node)}, reporting duplicate and non-text keys."""
    if not isinstance(node, yaml.MappingNode):
        problems.add(node, f"{what} must be a mapping, got {kind(node)}")
        return None
    out: dict = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag != STR:
            problems.add(key, f"{what}: keys must be text, got {kind(key)}")
            continue
        if key.value in out:
            first = out[key.value][0].start_mark.line + 1
            problems.add(key, f"{what}: duplicate key '{key.value}' (first on line {first})")
            continue
        out[key.value] = (key, value)
    return out


def string(node, problems: Problems, what: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
        problems.add(node, f"{what} must be text, got {kind(node)}")
        return None
    return node.value


def sequence(node, problems: Problems, what: str) -> list | None:
    if not isinstance(node, yaml.SequenceNode):
        problems.add(node, f"{what} must be a list, got {kind(node)}")
        return None
    return node.value
