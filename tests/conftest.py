"""Shared pytest fixtures: corpus paths, a fresh registry home, and the --update-golden option."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
PLAN_TXT = CORPUS / "plans" / "kh-01-sngv-2023-cchc.txt"
DOCS_DIR = CORPUS / "vn-admin-docs"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def golden(update_golden: bool):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/<name>, or rewrite it under --update-golden."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        elif not path.exists():
            # Never written from the output under test: a new golden file is reviewed, then committed.
            pytest.fail(f"golden file tests/golden/{name} is missing; write it with pytest --update-golden")
        assert actual == path.read_text(encoding="utf-8"), f"output differs from golden {name}"

    return check


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCS_DIR / "truth.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(autouse=True)
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The language of procreg's messages in a test: English, unless the test is marked ``vietnamese``.

    Most tests check behaviour through English messages (the code's own wording); the tests of the
    Vietnamese interface (tests/test_i18n.py, the README and demo runs) ask for Vietnamese.
    """
    from procreg.i18n import set_language

    default = os.environ.get("PROCREG_TEST_LANGUAGE", "en")  # "vi": the whole suite in Vietnamese
    wanted = "vi" if request.node.get_closest_marker("vietnamese") else default
    monkeypatch.setenv("PROCREG_LANG", wanted)
    monkeypatch.delenv("LANGUAGE", raising=False)
    set_language(None)
    return wanted


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty PROCREG_HOME."""
    h = tmp_path / "home"
    monkeypatch.setenv("PROCREG_HOME", str(h))
    return h


def header_misses(
    docs: dict[str, Any],
    truth: dict[str, Any],
    fields: Sequence[str],
    label: str,
    got: Callable[[Any, str], Any] = getattr,
) -> dict[str, list[str]]:
    """The header fields read wrong, per field, over the corpus documents with a header; the score printed.

    Args:
        docs: parsed documents by corpus file name.
        truth: ``truth.json``'s records by the same names.
        fields: the fields scored.
        label: the rendering, in the printed table.
        got: how a document's value of a field is read (default: the attribute).
    """
    with_header = [name for name, t in truth.items() if t["header_in_text"]]
    assert len(with_header) == 22
    misses: dict[str, list[str]] = {f: [] for f in fields}
    for name in with_header:
        for field in fields:
            value, want = got(docs[name], field), truth[name][field]
            if value != want:
                misses[field].append(f"{name}: got {value!r}, want {want!r}")
    print(f"\n[{label}] header fields right, of {len(with_header)} documents with a header:")
    for field in fields:
        print(f"  {field:<10} {len(with_header) - len(misses[field]):>2}/{len(with_header)}")
        for miss in misses[field]:
            print(f"      miss {miss}")
    return misses


def requires_tool(program: str, install: str) -> pytest.MarkDecorator:
    """Skip a test when ``program`` is not on PATH, with one line saying how to install it."""
    return pytest.mark.skipif(shutil.which(program) is None, reason=f"needs {program}: {install}")


@pytest.fixture(autouse=True, scope="session")
def _conversion_cache() -> Iterator[None]:
    """LibreOffice's converted copies go to the fixtures' cache, not the user's (kept between sessions)."""
    if "PROCREG_CACHE" in os.environ:
        yield
        return
    root = os.environ.get("PROCREG_FIXTURE_CACHE") or str(Path(tempfile.gettempdir()) / "procreg-fixtures")
    os.environ["PROCREG_CACHE"] = root
    try:
        yield
    finally:
        os.environ.pop("PROCREG_CACHE", None)


def requires_ocr() -> pytest.MarkDecorator:
    """Skip a test when OCR cannot run here, with one line saying what is missing and how to install it."""
    from procreg.parsers.ocr import INSTALL_ADVICE, missing_tools

    missing = missing_tools()
    return pytest.mark.skipif(missing is not None, reason=f"OCR not available ({missing}): {INSTALL_ADVICE}")


def ocr_cache() -> str:
    """The OCR cache the tests share, beside the rendered fixtures (kept between sessions)."""
    from fixtures.build import cache_dir

    return str(cache_dir() / "ocr")
