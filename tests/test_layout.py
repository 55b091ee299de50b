"""The package's folders are its architecture: imports go one way and never in a circle.

Every `import` in the package, lazy ones inside functions included, is read with `ast`, so a new
module that imports upward (the store importing the CLI, a demo importing rich) fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# everyone may use
BASE = {"models", "errors", "config", "safetext", "jsontext", "clock", "atomic", "numeric", "__init__"}
ALLOWED = {  # layer -> layers it may import, besides itself and BASE
    "cli": {"render", "srs", "store", "bank", "demos", "export", "__main__"},
    "render": {"srs", "bank", "demos"},
    "export": {"render", "demos", "bank"},
    "srs": {"store", "bank"},
    "store": {"bank"},
    "bank": set(),
    "demos": set(),
    "numeric": set(),
    "models": set(), "errors": set(), "config": set(), "safetext": set(), "jsontext": set(), "clock": set(),
    "atomic": set(),
    "__init__": set(), "__main__": {"cli"},
}
RICH_LAYERS = {"cli", "render"}


def module_name(path: Path, root: Path = REPO) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = REPO) -> set[str]:
    """Absolute names this file imports (`from interviewprep.x import y` gives x and x.y)."""
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def graph(root: Path = REPO) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in (root / "interviewprep").rglob("*.py")}
    return {name: {i for i in imports_of(path, root) if i in files and i != name} for name, path in files.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_belongs_to_a_known_layer():
    unknown = sorted({layer(m) for m in graph()} - set(ALLOWED))
    assert not unknown, f"add these to ALLOWED with what they may import: {unknown}"


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{m} imports {i}" for m, targets in edges.items() for i in targets
                  if layer(i) != layer(m) and layer(i) not in BASE | ALLOWED.get(layer(m), set()))


def circles(edges: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return cycles


def test_imports_go_one_way():
    problems = upward_imports(graph())
    assert not problems, "\n".join(problems)


def test_no_import_circle():
    found = circles(graph())
    assert not found, "\n".join(found)


def test_only_the_cli_and_render_import_rich():
    offenders = sorted(module_name(p) for p in (REPO / "interviewprep").rglob("*.py")
                       if layer(module_name(p)) not in RICH_LAYERS
                       and any(i == "rich" or i.startswith("rich.") for i in imports_of(p)))
    assert not offenders, offenders


SQL_OWNERS = {"interviewprep.bank.cache"}  # besides the store: the bank cache is a database of its own


def runs_sql(path: Path) -> bool:
    """Whether the file calls execute/executemany/executescript on anything (a connection or a cursor)."""
    return any(isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript")
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def sql_outside_the_store(root: Path = REPO) -> list[str]:
    names = {module_name(p, root): p for p in (root / "interviewprep").rglob("*.py")}
    return sorted(n for n, p in names.items() if layer(n) != "store" and n not in SQL_OWNERS and runs_sql(p))


def test_only_the_store_runs_sql_on_the_review_database():
    assert sql_outside_the_store() == []


def test_the_sql_check_catches_a_query_planted_outside_the_store(tmp_path):
    fake = tmp_path / "interviewprep" / "srs"
    fake.mkdir(parents=True)
    (fake / "stats.py").write_text("def pace(store):\n    return store.conn.execute('SELECT 1').fetchall()\n")
    (fake / "plan.py").write_text("def plan(store):\n    return store.reviews()\n")
    assert sql_outside_the_store(tmp_path) == ["interviewprep.srs.stats"]


def test_the_checks_catch_a_planted_upward_import_and_circle(tmp_path):
    """The checks above can fail: a store module that lazily imports the CLI is caught by both."""
    fake = tmp_path / "interviewprep"
    for sub in ("store", "cli"):
        (fake / sub).mkdir(parents=True)
        (fake / sub / "__init__.py").write_text("")
    (fake / "store" / "db.py").write_text("def f():\n    from interviewprep.cli.app import main\n")
    (fake / "cli" / "app.py").write_text("from interviewprep.store import db\n")
    edges = graph(tmp_path)
    assert upward_imports(edges) == ["interviewprep.store.db imports interviewprep.cli.app"]
    assert circles(edges) == ["interviewprep.cli.app -> interviewprep.store.db -> interviewprep.cli.app"]
