"""The shape of procreg's code: the longest functions and the deepest nesting, read with ``ast``.

    .venv/bin/python bench/code_shape.py            # five longest functions, five deepest nestings
    .venv/bin/python bench/code_shape.py --top 20

Length is the number of source lines of a function, decorators and docstring included. Nesting counts the
blocks (``if``, ``for``, ``while``, ``with``, ``try``, ``match`` and nested ``def``/``class``) open at
the deepest statement of a function, the function's own body being level 0; an ``elif`` counts as the
block inside its ``if``, as the syntax tree has it (the strict reading). The limits the project holds
itself to, checked by ``tests/test_architecture.py``: no function over 100 lines, no nesting over 5.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = ("registry", "parsers", "procedures", "index", "text", "presentation", "web")
MAX_LINES = 100
MAX_DEPTH = 5

_BLOCKS = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


@dataclass(frozen=True, slots=True)
class FunctionShape:
    """One function: where it is, how long it is, how deep it nests."""

    path: str
    line: int
    name: str
    lines: int
    depth: int


def source_files() -> list[Path]:
    """The package's modules: ``cli.py``, ``__init__.py`` and every package folder."""
    files = [ROOT / "cli.py", ROOT / "__init__.py"]
    for name in PACKAGE_DIRS:
        files += sorted((ROOT / name).rglob("*.py"))
    return [f for f in files if f.exists()]


def _depth(node: ast.AST, level: int = 0) -> int:
    deepest = level
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _BLOCKS):
            deepest = max(deepest, _depth(child, level + 1))
        else:
            deepest = max(deepest, _depth(child, level))
    return deepest


def shapes(files: list[Path] | None = None) -> list[FunctionShape]:
    """Every function and method of ``files`` (default: the whole package)."""
    out: list[FunctionShape] = []
    for path in files or source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                end = node.end_lineno or node.lineno
                out.append(
                    FunctionShape(
                        str(path.relative_to(ROOT)), node.lineno, node.name, end - first + 1, _depth(node)
                    )
                )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args()
    found = shapes()
    print(f"{len(found)} functions in {len(source_files())} modules")
    print(f"\nlongest (limit {MAX_LINES} lines):")
    for s in sorted(found, key=lambda s: (-s.lines, s.path, s.line))[: args.top]:
        print(f"  {s.lines:4d} lines  {s.path}:{s.line} {s.name}")
    print(f"\ndeepest (limit {MAX_DEPTH} levels):")
    for s in sorted(found, key=lambda s: (-s.depth, s.path, s.line))[: args.top]:
        print(f"  {s.depth:4d} levels {s.path}:{s.line} {s.name}")
    over = [s for s in found if s.lines > MAX_LINES or s.depth > MAX_DEPTH]
    print(f"\n{len(over)} functions over a limit")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
