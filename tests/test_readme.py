"""The README's Python API example runs as written (a doctest), in a folder holding a copy of samples/."""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def test_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = _section((ROOT / "README.md").read_text(encoding="utf-8"), "Python API")
    blocks = re.findall(r"```pycon\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, "the README's Python API section has no pycon example"
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROCREG_HOME", raising=False)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL)
    for number, block in enumerate(blocks, start=1):
        test = parser.get_doctest(block, {}, f"README.md Python API, example {number}", "README.md", 0)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10
    assert result.failed == 0, "the README's Python API example does not run as written (see output)"
