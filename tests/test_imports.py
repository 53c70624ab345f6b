"""No import cycle between briefgen's modules at import time.

Only module-level imports count: an import inside a function runs when the function
does, and one under ``if TYPE_CHECKING:`` never runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import briefgen

PACKAGE = Path(briefgen.__file__).parent


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(
    tree: ast.Module, module: str, is_package: bool, type_checking: bool = False
) -> set[str]:
    """Modules imported when ``module`` is imported (module scope, try/if bodies included)."""
    found: set[str] = set()
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If):
            if type_checking or not _is_type_checking(node.test):
                stack.extend(node.body)
            stack.extend(node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend([*node.body, *node.orelse, *node.finalbody])
            stack.extend(s for h in node.handlers for s in h.body)
        elif isinstance(node, ast.With):
            stack.extend(node.body)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base]) if base else ".".join(package)
            found.add(base)
            # ``from briefgen.stages import rank`` imports the module briefgen.stages.rank.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path = PACKAGE, type_checking: bool = False) -> dict[str, set[str]]:
    """briefgen module -> the briefgen modules it imports at module level (with
    ``type_checking``, those imported for type checkers only too)."""
    files = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imports = _top_level_imports(tree, name, path.name == "__init__.py", type_checking)
        graph[name] = {m for m in imports if m in files and m != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_briefgen_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cache_does_not_import_the_pipeline() -> None:
    # The cycle the pipeline's type hints used to close: pipeline -> cache -> pipeline.
    assert "briefgen.pipeline" not in import_graph(type_checking=True)["briefgen.cache"]
    cycle = find_cycle(import_graph(type_checking=True))
    assert cycle is None or "briefgen.cache" not in cycle, " -> ".join(cycle or [])


def test_a_cycle_is_found_and_named(tmp_path: Path) -> None:
    package = tmp_path / "briefgen"
    (package / "stages").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "stages" / "__init__.py").write_text("")
    (package / "a.py").write_text("from briefgen.stages import b\n")
    (package / "stages" / "b.py").write_text("from ..c import thing\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from briefgen import d\n"
        "def late():\n    from briefgen import a\n"
        "import briefgen.a\n"
    )
    (package / "d.py").write_text("import briefgen.c\n")
    graph = import_graph(package)
    assert graph["briefgen.c"] == {"briefgen.a"}  # not d (TYPE_CHECKING), a once
    assert import_graph(package, type_checking=True)["briefgen.c"] == {
        "briefgen",  # from briefgen import d: the package, then its module
        "briefgen.a",
        "briefgen.d",
    }
    assert find_cycle(graph) == ["briefgen.a", "briefgen.stages.b", "briefgen.c", "briefgen.a"]
    (package / "c.py").write_text("def late():\n    from briefgen import a\n")
    assert find_cycle(import_graph(package)) is None
