"""Settings are read in one place: only config.py looks at a $PREP_* variable.

Every read of the environment in the package (`os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)`,
`"X" in os.environ`) is found with `ast`. Outside config.py a read must name its variable as a string
literal that is not PREP_*, so a module cannot read $PREP_HOME again, nor any variable through a name
that might hold a PREP_* one. The one exception is listed with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO
from tests.test_layout import module_name

SETTINGS_MODULE = "interviewprep.config"
# modules that read or write variables through a name, none of them PREP_*
NAMED_BY_VARIABLE = {"interviewprep.demos": "sets the BLAS thread counts before numpy loads"}


def environment_reads(path: Path) -> list[tuple[int, str | None]]:
    """(line, variable) for every read of the environment; the variable is None when it is not a literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    reads = []
    for node in ast.walk(tree):
        named = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if named not in ("environ", "getenv"):
            continue
        up = parents.get(node)
        if isinstance(up, ast.Attribute) and isinstance(parents.get(up), ast.Call):  # os.environ.get(key)
            keys = parents[up].args
        elif isinstance(up, ast.Call) and up.func is node:  # os.getenv(key)
            keys = up.args
        elif isinstance(up, ast.Subscript):  # os.environ[key]
            keys = [up.slice]
        elif isinstance(up, ast.Compare):  # key in os.environ
            keys = [up.left]
        else:  # the whole mapping handed on: any variable may be read through it
            keys = []
        key = keys[0].value if keys and isinstance(keys[0], ast.Constant) and isinstance(keys[0].value, str) else None
        reads.append((node.lineno, key))
    return sorted(reads, key=lambda read: read[0])


def stray_reads(root: Path = REPO) -> list[str]:
    """Reads of $PREP_* (or of a variable not spelt out) outside the settings module."""
    out = []
    for path in sorted((root / "interviewprep").rglob("*.py")):
        name = module_name(path, root)
        if name == SETTINGS_MODULE:
            continue
        for line, key in environment_reads(path):
            if key is None and name in NAMED_BY_VARIABLE:
                continue
            if key is None or key.startswith("PREP_"):
                out.append(f"{name}:{line} reads {key or 'a variable named at run time'}")
    return out


def test_only_the_settings_module_reads_prep_variables():
    stray = stray_reads()
    assert not stray, "ask interviewprep.config instead:\n" + "\n".join(stray)


def test_the_settings_module_is_where_they_are_read():
    """The scan looks where the reads are: config.py's own reads are found by it."""
    assert environment_reads(REPO / "interviewprep" / "config.py")


def test_the_scan_catches_planted_reads(tmp_path):
    package = tmp_path / "interviewprep"
    (package / "store").mkdir(parents=True)
    (package / "config.py").write_text('import os\nHOME = os.environ.get("PREP_HOME")\n')
    (package / "store" / "db.py").write_text(
        "import os\nfrom os import environ, getenv\n"
        'a = os.environ.get("PREP_HOME", "")\n'
        'b = os.environ["PREP_CACHE"]\n'
        'c = getenv("PREP_LANG")\n'
        'd = "PREP_BANK" in environ\n'
        "def e(item):\n    return os.environ.get(item.env)\n"
        'f = os.environ.get("EDITOR")\n')
    assert stray_reads(tmp_path) == [
        "interviewprep.store.db:3 reads PREP_HOME",
        "interviewprep.store.db:4 reads PREP_CACHE",
        "interviewprep.store.db:5 reads PREP_LANG",
        "interviewprep.store.db:6 reads PREP_BANK",
        "interviewprep.store.db:8 reads a variable named at run time",
    ]
