"""The one-way import rule of DESIGN.md, checked on the source (a layering slip fails here)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("cli", "registry", "parsers", "procedures", "index", "text")
LEAVES = {"registry.models", "registry.errors", "text"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    local = {name.removeprefix("procreg.") for name in found if name.startswith("procreg.")}
    return {name for name in local if name.split(".")[0] in PROJECT}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["parsers", "procedures", "index"])
def test_pure_packages_import_only_the_leaves_and_themselves(package: str) -> None:
    for path in _modules(package):
        for name in _imports(path):
            top = name.split(".")[0]
            if top == package:
                continue
            is_leaf = any(name == leaf or name.startswith(leaf + ".") for leaf in LEAVES)
            allowed = is_leaf or name == "registry"
            assert allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_store_and_leaves_do_not_reach_up() -> None:
    for leaf in ("models", "errors"):
        path = ROOT / "registry" / f"{leaf}.py"
        assert _imports(path) == set(), f"registry/{leaf}.py must import nothing from the project"
    for path in _modules("text"):
        assert {n.split(".")[0] for n in _imports(path)} <= {"text"}, f"{path} must import only text helpers"
    for path in _modules("registry/store"):
        for name in _imports(path):
            where = f"{path.relative_to(ROOT)} imports {name}"
            assert name.split(".")[0] in {"registry", "text"}, where
            assert not name.startswith("registry.service"), where


def test_nothing_imports_cli() -> None:
    for package in ("registry", "parsers", "procedures", "index"):
        for path in _modules(package):
            assert "cli" not in {n.split(".")[0] for n in _imports(path)}, path
