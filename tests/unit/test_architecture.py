"""docs/architecture.md stays true: it names every module of ssg/, in an order that no import goes against."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import REPO

DOC = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def listed_modules() -> list[str]:
    """Return the modules of the document's module list, in its order."""
    section = DOC.split("\n## The modules", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `(ssg/[\w/]+\.py)`", section, flags=re.M)


def module_files() -> set[str]:
    """Return every module of ssg/ that holds anything (empty package files need no entry)."""
    return {p.relative_to(REPO).as_posix() for p in (REPO / "ssg").rglob("*.py") if p.read_text(encoding="utf-8").strip()}


def _module_file(dotted: str) -> str:
    path = REPO / Path(*dotted.split("."))
    return (path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py").relative_to(REPO).as_posix()


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith("TYPE_CHECKING")


def runtime_imports(module: str) -> set[str]:
    """Return the ssg modules that `module` imports when it is imported (not for type checking only).

    An import inside a function is left out: it is the documented way through the few cycles (see the
    document's "Deferred imports"), and the document names each.
    """
    found: set[str] = set()
    todo: list[ast.AST] = [ast.parse((REPO / module).read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if _type_checking_only(node) or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ssg":
            for alias in node.names:  # `from ssg import urls` imports a module, `from ssg.x import y` a name
                name = f"{node.module}.{alias.name}"
                is_module = (REPO / Path(*name.split("."))).with_suffix(".py").is_file()
                found.add(_module_file(name if is_module else node.module))
        elif isinstance(node, ast.Import):
            found.update(_module_file(a.name) for a in node.names if a.name.split(".")[0] == "ssg")
        todo.extend(ast.iter_child_nodes(node))
    return found - {module}


def test_every_module_is_named_once() -> None:
    listed = listed_modules()
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert sorted(module_files() - set(listed)) == [], "modules missing from docs/architecture.md"
    assert sorted(set(listed) - module_files()) == [], "docs/architecture.md lists modules that do not exist"


def test_a_module_imports_only_modules_listed_above_it() -> None:
    listed = listed_modules()
    position = {module: index for index, module in enumerate(listed)}
    upward = [
        f"{module} imports {used}"
        for module in listed
        for used in sorted(runtime_imports(module))
        if position.get(used, len(listed)) > position[module]
    ]
    assert upward == []


def test_the_readme_points_contributors_to_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/architecture.md" in readme
    assert "../shared" not in readme
