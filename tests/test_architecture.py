"""The house rules that keep the package layout honest (docs/architecture.md):

- the import graph of src/labtrack (imports inside functions included; `if TYPE_CHECKING:` blocks,
  which never run, left out) has no cycle;
- no face (cli/, server/, notebook/, mlflow_bridge/) imports `labtrack.store`: faces go through `Lab`;
- only the fluent layer touches its private `_session`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "labtrack"
FACES = ("cli", "server", "notebook", "mlflow_bridge")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The labtrack modules `path` imports (resolved to modules, not packages' attributes)."""
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from .pkg import mod` imports the module; `from .mod import name`, the module .mod
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            while (
                target and target not in modules
            ):  # `import labtrack.x.y as z`: the module it names
                target = target.rpartition(".")[0]
            if target and target != me:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = [p for p in SRC.rglob("*.py") if "labextension" not in p.parts]
    modules = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, modules) for p in files}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            # a package's __init__ is imported before its submodules, so it is an edge like any other
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    assert find_cycle(import_graph()) is None, " -> ".join(find_cycle(import_graph()) or [])


def test_a_cycle_would_be_found():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("face", FACES)
def test_no_face_imports_the_store(face):
    offenders = {
        module: sorted(t for t in targets if t.startswith("labtrack.store"))
        for module, targets in import_graph().items()
        if module == f"labtrack.{face}" or module.startswith(f"labtrack.{face}.")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_only_the_fluent_layer_touches_its_session():
    outside = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        if "fluent" not in p.relative_to(SRC).parts
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if "_session" in line
    ]
    assert outside == []


def test_at_most_eight_modules_at_the_top():
    top = sorted(p.name for p in SRC.glob("*.py") if p.name != "_version.py")
    assert len(top) <= 8, top
