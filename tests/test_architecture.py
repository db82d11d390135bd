"""The one-way imports of docs/ARCHITECTURE.md and the shape limits, checked on the source.

Each module belongs to a layer; a layer may import itself and the layers listed for it, nothing else. A
layering slip (a parser importing the store, the store importing a rule, a view importing a use case) fails
here with the module and the import named.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Layer of a module, by the longest matching prefix of its dotted name under procreg.
LAYER_OF = {
    "cli": "cli",
    "web": "web",
    "registry.api": "api",
    "registry.service": "service",
    "presentation": "presentation",
    "registry.store": "store",
    "parsers": "parsers",
    "procedures": "procedures",
    "index": "index",
    "registry.models": "ground",
    "registry.results": "ground",
    "registry.errors": "ground",
    "registry": "ground",  # registry/__init__.py re-exports the errors only
    "text": "ground",
    "i18n": "ground",
    "": "api",  # procreg/__init__.py: the public API
}
GROUND = {"ground"}
ALLOWED = {
    "cli": {"api", "presentation", "web"} | GROUND,  # web: `procreg serve` starts the web page
    "web": {"api", "presentation"} | GROUND,
    "api": {"service", "procedures"} | GROUND,  # procedures: the result types it returns (AuditReport)
    "service": {"parsers", "procedures", "index", "store"} | GROUND,
    "presentation": {"procedures"} | GROUND,
    "store": GROUND,
    "parsers": GROUND,
    "procedures": GROUND,
    "index": GROUND,
    "ground": GROUND,
}


def _layer(dotted: str) -> str:
    best = max((p for p in LAYER_OF if dotted == p or dotted.startswith(p + ".") or p == ""), key=len)
    return LAYER_OF[best]


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def _project_modules() -> list[Path]:
    files = [ROOT / "cli.py", ROOT / "__init__.py"]
    for name in ("registry", "parsers", "procedures", "index", "text", "presentation", "web"):
        files += sorted((ROOT / name).rglob("*.py"))
    files += [p for p in (ROOT / "i18n.py",) if p.exists()]
    return [f for f in files if f.exists()]


def _imports(path: Path) -> set[str]:
    """Project modules imported by ``path`` (names under procreg., without the prefix)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    local = {name.removeprefix("procreg.") for name in found if name.startswith("procreg.")}
    local |= {"" for name in found if name == "procreg"}
    return local


MODULES = _project_modules()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way(path: Path) -> None:
    layer = _layer(_module_name(path))
    for name in _imports(path):
        target = _layer(name)
        assert target == layer or target in ALLOWED[layer], (
            f"{path.relative_to(ROOT)} ({layer}) imports procreg.{name} ({target})"
        )


def test_every_module_has_a_layer() -> None:
    assert MODULES, "no module found"
    for path in MODULES:
        assert _layer(_module_name(path)) in ALLOWED, path


def test_text_helpers_are_reached_without_the_registry() -> None:
    """Parsers, index and procedures take their text helpers from procreg.text, the ground."""
    for package in ("parsers", "index", "procedures"):
        users = [p for p in (ROOT / package).rglob("*.py") if any(n.startswith("text") for n in _imports(p))]
        assert users, f"{package} should use procreg.text"
    assert not (ROOT / "registry" / "vntext.py").exists()


def test_no_function_over_the_shape_limits() -> None:
    spec = importlib.util.spec_from_file_location("code_shape", ROOT / "bench" / "code_shape.py")
    assert spec is not None and spec.loader is not None
    shape = importlib.util.module_from_spec(spec)
    sys.modules["code_shape"] = shape
    spec.loader.exec_module(shape)
    over = [s for s in shape.shapes() if s.lines > shape.MAX_LINES or s.depth > shape.MAX_DEPTH]
    assert not over, "\n".join(f"{s.path}:{s.line} {s.name}: {s.lines} lines, depth {s.depth}" for s in over)


def test_code_points_only_to_documents_in_the_repository() -> None:
    for path in [*MODULES, *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "bench").rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        for name in ("DESIGN.md", "DOMAIN.md", "STYLE.md"):
            assert name not in text or path.name == "test_architecture.py", f"{path} cites {name}"
