"""The package reads as layers: no module imports, at the top or inside a function, one that imports it back."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent/"oorl_nb"

def imported_modules(path: Path) -> set[str]:
    "The oorl_nb modules that `path` imports anywhere: `from .x import`, `from oorl_nb.x import`, `import oorl_nb.x`."
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("oorl_nb."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "oorl_nb":
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("oorl_nb.")}
    return found - {path.stem}

def import_graph() -> dict[str, set[str]]:
    modules = {p.stem: p for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    return {name: imported_modules(path) & set(modules) for name, path in modules.items()}

def a_cycle(graph: dict[str, set[str]]) -> list[str]:
    "One import circle of `graph` as [a, b, ..., a], or [] when there is none (depth-first search)."
    state, path = {}, []
    def visit(m: str) -> list[str]:
        state[m] = "open"; path.append(m)
        for dep in sorted(graph[m]):
            if state.get(dep) == "open": return path[path.index(dep):] + [dep]
            if dep not in state and (cycle := visit(dep)): return cycle
        state[m] = "done"; path.pop()
        return []
    return next((c for m in sorted(graph) if m not in state and (c := visit(m))), [])

def test_the_detector_finds_a_circle():
    assert a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert a_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []

def test_the_package_has_no_import_circle():
    graph = import_graph()
    assert {"rewards", "problems", "problem_files"} <= set(graph) and "sandbox" in graph["rewards"]  # the parser sees imports
    assert not (cycle := a_cycle(graph)), "import circle: " + " -> ".join(cycle)
