"""The architecture holds: layers import one way, families stay apart, functions stay short.

Read statically (``ast`` over kubelint/**/*.py), so that an import inside a function or
under ``TYPE_CHECKING`` counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from kubelint.checks import BUILTIN
from kubelint.checks.base import family_of_module
from tests.conftest import ROOT

PACKAGE = ROOT / "kubelint"
#: Longest function body, in lines from its first statement after the docstring.
MAX_BODY = 60


#: Layers below the checks: they know nothing of checks, the runner or reporters. The
#: editing engine (kubelint.edit) is one: it works on objects and their text, so a fix is
#: applied the same whichever check or command asked for it.
LOWER = ("kubelint.k8s", "kubelint.model", "kubelint.loader", "kubelint.edit")
UPPER = ("kubelint.checks", "kubelint.runner", "kubelint.reporters")
#: Generic layers: they use the registry and the check contract, never a family's code.
GENERIC = ("kubelint.runner", "kubelint.cli", "kubelint.config", "kubelint.reporters")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(encoding="utf-8"))


def _absolute(node: ast.ImportFrom, name: str) -> str:
    """The module a ``from ... import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = name.split(".")
    if modules()[name].name != "__init__.py":
        base.pop()  # a module's relative imports start from its package
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports(name: str) -> frozenset[str]:
    """The kubelint modules a module imports, wherever the import statement is."""
    return imports_in(tree(name), name)


def imports_in(module: ast.Module, name: str) -> frozenset[str]:
    """The kubelint modules the code of module ``name`` imports."""
    found: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name)
            found.add(base)
            # ``from kubelint.checks.api import deprecated_api`` imports that module too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(m for m in found if m in modules())


def within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def family(name: str) -> str:
    """The family package of a module under kubelint.checks ("" elsewhere)."""
    parts = name.split(".")
    return parts[2] if len(parts) > 3 and parts[:2] == ["kubelint", "checks"] else ""


@cache
def is_check_module(name: str) -> bool:
    """A module of a family that defines a check (assigns ``META`` at top level)."""
    if not family(name):
        return False
    for node in tree(name).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        # ``META = ...`` or ``META, CONTROL, check = define(...)``
        names = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
        if any(isinstance(n, ast.Name) and n.id == "META" for n in names):
            return True
    return False


def layer_violations() -> Iterator[str]:
    for name in modules():
        for target in sorted(imports(name)):
            if within(name, *LOWER) and within(target, *UPPER):
                yield f"layer: {name} imports {target}"
            if within(name, *GENERIC) and family(target):
                yield f"generic: {name} imports {target}"
            if is_check_module(name) and family(target) not in ("", family(name)):
                # A family's own helpers (engine, policies) are for its own checks; what
                # families share lives in kubelint.k8s.
                yield f"family: {name} imports {target}"


def top(name: str) -> str:
    """The top-level module or package a module belongs to: ``kubelint.loader``."""
    return ".".join(name.split(".")[:2])


def cycle_violations() -> Iterator[str]:
    """Imports between top-level modules/packages that close a cycle."""
    edges: dict[str, set[str]] = {}
    for name in modules():
        for target in imports(name):
            if top(target) not in (top(name), "kubelint"):
                edges.setdefault(top(name), set()).add(top(target))

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for following in edges.get(todo.pop(), ()):
                if following == goal:
                    return True
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        return False

    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            if reaches(target, source):
                yield f"cycle: {source} -> {target}"


def body_length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement after the docstring to the end of the function.

    Starting at the body leaves the signature out, so a typer command's option
    declarations (its parameters) never count.
    """
    body = node.body
    first = body[0]
    if (
        len(body) > 1
        and isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        first = body[1]
    return (node.end_lineno or first.lineno) - first.lineno + 1


def length_violations() -> Iterator[str]:
    for name in modules():
        for node in ast.walk(tree(name)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = body_length(node)
                if length > MAX_BODY:
                    yield f"length: {name}.{node.name} has a body of {length} lines"


def family_violations() -> Iterator[str]:
    for name, path in modules().items():
        is_family_package = path.name == "__init__.py" and name.count(".") == 2
        if is_family_package and within(name, "kubelint.checks"):
            if not ast.get_docstring(tree(name)):
                yield f"doc: family package {name} has no docstring"
    by_id = {check.meta.id: check.meta for check in BUILTIN}
    for name in modules():
        if is_check_module(name):
            meta = importlib.import_module(name).META
            folder = family(name).replace("_", "-")
            declared = meta.family or family_of_module(name)
            if declared != folder or by_id[meta.id].family != folder:
                yield f"family: {name} declares family '{declared}', not '{folder}'"


def all_violations() -> set[str]:
    return {
        *layer_violations(),
        *cycle_violations(),
        *length_violations(),
        *family_violations(),
    }


def test_no_violation() -> None:
    found = all_violations()
    assert not found, "architecture violations:\n" + "\n".join(sorted(found))


def test_imports_are_read_everywhere_in_a_module() -> None:
    """Imports inside functions and under TYPE_CHECKING count, relative ones resolved."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kubelint.runner import lint\n"
        "def f():\n    import kubelint.reporters.json\n"
        "from kubelint.checks.api import deprecated_api\n"
    )
    assert imports_in(ast.parse(source), "kubelint.k8s.kinds") == {
        "kubelint.runner",
        "kubelint.reporters.json",
        "kubelint.checks.api",
        "kubelint.checks.api.deprecated_api",
    }
    sample = ast.parse("from .engine import x\nfrom .. import y\n").body
    assert isinstance(sample[0], ast.ImportFrom) and isinstance(sample[1], ast.ImportFrom)
    name = "kubelint.checks.pod_security.baseline.pss_host_ports"
    assert _absolute(sample[0], name) == "kubelint.checks.pod_security.baseline.engine"
    assert _absolute(sample[1], name) == "kubelint.checks.pod_security"


def test_body_length_counts_from_the_first_statement_after_the_docstring() -> None:
    source = "@app.command()\ndef f(\n    a: int = 1,\n    b: int = 2,\n):\n    '''Doc.'''\n"
    function = ast.parse(source + "    x = 1\n" * 61).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert body_length(function) == 61


def test_every_builtin_check_is_a_check_module_of_its_family() -> None:
    found = {importlib.import_module(n).META.id for n in modules() if is_check_module(n)}
    assert found == {check.meta.id for check in BUILTIN}
    assert not is_check_module("kubelint.checks.pod_security.engine")
