"""Regressions of ``procreg diagram`` / ``export`` as a user meets them: unknown codes, empty registries,
procedures with no steps, unwritable paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from procreg import cli
from procreg.registry.models import ParsedDocument, Procedure, Step
from procreg.registry.service.registering import register_document
from procreg.registry.store import Store


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A registry with one drawable procedure (QT.X.01) and one whose step table was not read (QT.X.02)."""
    h = tmp_path / "home"
    h.mkdir()
    steps = (
        Step(order=1, label="B1", text="Tiếp nhận hồ sơ", responsible=("Văn thư",), hours=None),
        Step(order=2, label="B2", text="Thẩm định hồ sơ", responsible=("Phòng Hợp tác quốc tế",), hours=16.0),
    )
    parsed = ParsedDocument(
        path=str(tmp_path / "qd.txt"),
        format="txt",
        sha256="ab" * 32,
        kind="decision",
        number="7/QĐ-SNgV",
        issued_on="2023-03-01",
        title="Công bố Danh mục và Quy trình nội bộ thủ tục hành chính nội bộ",
        procedures=(
            Procedure(name="Cho phép tổ chức hội nghị quốc tế", code="QT.X.01", steps=steps),
            Procedure(name="Cử cán bộ đi công tác nước ngoài", code="QT.X.02"),
        ),
        text="toàn văn",
    )
    with Store.open(h / "registry.db") as store:
        register_document(store, parsed)
    return h


def _run(home: Path, *args: str) -> Any:
    return CliRunner(env={"PROCREG_HOME": str(home)}).invoke(cli.cli, list(args))


def _one_line(result: Any) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("procreg: "), result.stderr
    assert "Traceback" not in result.output
    return str(lines[0])


def test_issue_unknown_code_suggests_close_codes(home: Path) -> None:
    result = _run(home, "diagram", "QT.X.09", "--format", "mermaid")
    assert result.exit_code == 4
    assert "did you mean" in _one_line(result) and "QT.X.01" in result.stderr


def test_issue_diagram_of_an_empty_registry(tmp_path: Path) -> None:
    result = _run(tmp_path / "empty", "diagram", "QT.X.01")
    assert result.exit_code == 4
    line = _one_line(result)
    assert "empty" in line and "procreg ingest" in line


@pytest.mark.parametrize("fmt", ["svg", "mermaid", "dot", "bpmn"])
def test_issue_diagram_of_a_procedure_without_steps(home: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"x.{fmt}"
    result = _run(home, "diagram", "QT.X.02", "--format", fmt, "-o", str(out))
    assert result.exit_code == 4
    line = _one_line(result)
    assert "QT.X.02" in line and "no steps" in line and "7/QĐ-SNgV" in line
    assert not out.exists()


def test_issue_gallery_names_the_procedures_it_skips(home: Path, tmp_path: Path) -> None:
    result = _run(home, "diagram", "--all", "--out-dir", str(tmp_path / "g"))
    assert result.exit_code == 0, result.output
    assert "1 diagram, gallery" in result.stderr and "no steps to draw: QT.X.02" in result.stderr
    assert (tmp_path / "g" / "QT.X.01.svg").is_file() and not (tmp_path / "g" / "QT.X.02.svg").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("export", "-o", "{blocked}/x.json"),
        ("export", "--format", "csv", "-o", "{blocked}/x.csv"),
        ("diagram", "QT.X.01", "-o", "{blocked}/x.svg"),
    ],
)
def test_issue_unwritable_output_is_one_line(home: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    result = _run(home, *(a.format(blocked=blocked) for a in args))
    assert result.exit_code == 2, result.output
    assert "cannot write" in _one_line(result)
