"""The import graph of `assistant` and `ui` has no cycle: data flows one way, and a module can be
read (and imported) without first understanding the modules that import it.

Each module is parsed with `ast`, never imported, so the test is fast and sees every import:
top-level ones, those inside functions (a cycle hidden in a function is still a cycle, it only
waits for the first call), relative ones. Imports under `if TYPE_CHECKING:` are left out: they
never run. Importing a submodule runs its package's `__init__` too, but that implicit edge is
not counted; an import that names the package (`from assistant.answer import Generator`) is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "ui")

# Edges (importer, imported) known to close a cycle, skipped until the code is untangled.
# Each entry names the cycle it breaks and why it stays for now; keep this list empty when
# there is nothing to excuse.
KNOWN_CYCLE_EDGES: frozenset[tuple[str, str]] = frozenset()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those guarded by `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module `name` refers to: itself, or the nearest enclosing project module
    (`import assistant.answer.llm.thing` is an import of assistant.answer.llm)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `module` imports."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    out: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` imports the submodule when there is one, else a name of pkg.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is not None and resolved != module:
                out.add(resolved)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path a → … → a) per strongly connected component with more than one
    module, by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: set[str] = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_cycle_in(graph, c) for c in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle through the component's first module, for a readable failure."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle in component {sorted(component)}")


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    for importer, imported in KNOWN_CYCLE_EDGES:
        graph[importer].discard(imported)
    cycles = find_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_known_cycle_edges_still_exist() -> None:
    """An excused edge that is gone (or was never real) must leave the allow-list."""
    graph = import_graph()
    stale = [edge for edge in KNOWN_CYCLE_EDGES if edge[1] not in graph.get(edge[0], set())]
    assert not stale, f"remove from KNOWN_CYCLE_EDGES: {stale}"


def _edges(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, deps in graph.items() for b in deps)


def test_the_library_does_not_import_the_web_app() -> None:
    """Only the `briefing web` command starts the web app; nothing else in assistant/ knows it."""
    edges = _edges(import_graph())
    wrong = [(a, b) for a, b in edges if a.startswith("assistant") and b.startswith("ui")]
    assert wrong == [("assistant.cli", "ui.serve")]


def test_the_eval_suite_does_not_import_the_cli() -> None:
    edges = _edges(import_graph())
    assert [
        (a, b) for a, b in edges if a.startswith("assistant.evaluate") and b == "assistant.cli"
    ] == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from assistant.answer import llm", {"assistant.answer.llm"}),
        ("from assistant.answer import Generator", {"assistant.answer"}),
        ("from . import llm", {"assistant.answer.llm"}),
        ("from .llm import build_llm", {"assistant.answer.llm"}),
        ("from ..models import Answer", {"assistant.models"}),
        ("import assistant.answer.llm as llm", {"assistant.answer.llm"}),
        ("def f():\n    from assistant.cli import app", {"assistant.cli"}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import assistant.cli", set()),
        ("import json, typer", set()),
    ],
)
def test_imports_are_resolved_to_project_modules(tmp_path, source: str, expected: set[str]):
    modules = project_modules()
    path = tmp_path / "condense.py"
    path.write_text(source, encoding="utf-8")
    assert imports_of("assistant.answer.condense", path, modules) == expected


def test_a_cycle_is_found_and_shown() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
