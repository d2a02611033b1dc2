"""The package layout stays true: stages import only upstream stages, with no circles."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from assistant.settings import PACKAGE_ROOT

PACKAGE = PACKAGE_ROOT / "assistant"
# What each stage may import; top-level modules (settings, errors, masking) are open to all.
ALLOWED = {
    "top": set(),
    "corpus": set(),
    "index": {"corpus"},
    "answers": {"corpus", "index"},
    "quality": {"corpus", "index", "answers"},
    "slack": {"corpus", "index", "answers"},
    "cli": {"corpus", "index", "answers", "quality", "slack"},
}
FRONT_END_ONLY = {"click": {"cli"}, "slack_bolt": {"slack"}}


def stage_of(module: str) -> str:
    if module == "assistant.__main__":
        return "cli"  # ``python -m assistant`` is the command line
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else "top"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in a file, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            if node.module.split(".")[0] == "assistant":  # ``from assistant.x import module``
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def layout_violations(root: Path) -> list[str]:
    """One line per import that goes against the allowed directions, and per import circle."""
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    problems, graph = [], {}
    for name, path in sorted(modules.items()):
        stage, edges = stage_of(name), set()
        for line, imported in imports_of(path):
            if any(p.startswith(f"{path.relative_to(root.parent)}:{line} ") for p in problems):
                continue  # one complaint per import statement
            top = imported.split(".")[0]
            if top in FRONT_END_ONLY and stage not in FRONT_END_ONLY[top]:
                problems.append(f"{path.relative_to(root.parent)}:{line} imports {imported} "
                                f"(only {', '.join(sorted(FRONT_END_ONLY[top]))} may)")
            if top != "assistant" or imported not in modules:
                continue
            edges.add(imported)
            target = stage_of(imported)
            if target not in ("top", stage) and target not in ALLOWED[stage]:
                problems.append(f"{path.relative_to(root.parent)}:{line} imports {imported} "
                                f"({stage} may not import {target})")
        graph[name] = edges - {name}
    problems += [f"import circle: {' -> '.join(cycle)}" for cycle in _cycles(graph)]
    return problems


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each circle found by a depth-first walk (a package importing its own modules is not one)."""
    found, done = [], set()

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycle = path[path.index(nxt):] + [nxt]
                if not all(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(cycle, cycle[1:])):
                    found.append(cycle)
            elif nxt not in done:
                walk(nxt, path + [nxt])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            walk(start, [start])
    return found


def test_the_package_follows_its_layout() -> None:
    assert layout_violations(PACKAGE) == []


def test_top_level_holds_few_modules_and_no_module_is_long() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def test_every_stage_says_what_it_takes_gives_and_must_not_import() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Takes" in doc and "gives" in doc and ("never" in doc or "nothing" in doc), init


@pytest.mark.parametrize("where, line, complaint", [
    ("index/store.py", "from assistant.answers.service import Assistant\n", "index may not import answers"),
    ("corpus/load.py", "import click\n", "imports click (only cli may)"),
    ("answers/present.py", "from slack_bolt import App\n", "only slack may"),
    ("settings.py", "from assistant.index import store\n", "top may not import index"),
])
def test_a_wrong_import_is_named(tmp_path: Path, where: str, line: str, complaint: str) -> None:
    copy = tmp_path / "assistant"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / where
    target.write_text(target.read_text(encoding="utf-8") + line, encoding="utf-8")
    problems = [p for p in layout_violations(copy) if not p.startswith("import circle")]
    assert len(problems) == 1 and where in problems[0] and complaint in problems[0], problems


def test_an_import_circle_is_named(tmp_path: Path) -> None:
    copy = tmp_path / "assistant"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = copy / "corpus" / "manifest.py"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "from assistant.corpus import split\n",
                        encoding="utf-8")
    assert any(p.startswith("import circle: ") and "assistant.corpus.split" in p
               for p in layout_violations(copy))
