"""`procreg diagram` and `procreg export` over a registry built with the Store (hand-made parser records)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from test_diagram_samples import QT_GD_01_STEPS, big_procedure, qt_gd_01

from procreg.cli import cli
from procreg.registry.models import ParsedDocument, Procedure
from procreg.registry.service.registering import register_document
from procreg.registry.store import Store


def _procedure(rec) -> Procedure:  # type: ignore[no-untyped-def]
    return Procedure(
        name=rec.name,
        code=rec.code,
        catalog_code=rec.catalog_code,
        field=rec.field,
        time_limit=rec.time_limit,
        time_limit_hours=rec.time_limit_hours,
        steps=rec.steps,
        forms=rec.forms,
    )


@pytest.fixture
def registry(home: Path) -> Path:
    doc = ParsedDocument(
        path="/tmp/qd3005.txt",
        format="txt",
        sha256="a" * 64,
        kind="decision",
        number="3005/QĐ-UBND",
        issued_on="2025-12-01",
        issuer="UBND tỉnh Hà Tĩnh",
        title="Công bố quy trình nội bộ",
        procedures=(_procedure(qt_gd_01()), _procedure(big_procedure())),
        text="toàn văn",
    )
    with Store.open(home / "registry.db") as store:
        register_document(store, doc)
    return home


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_diagram_svg_goes_to_an_ascii_default_file(registry: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = _run("diagram", "QT.GĐ.01")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "QT.GD.01.svg"
    assert result.stderr.strip() == str(out) and result.stdout == ""
    root = ET.fromstring(out.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Văn thư" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "marker"), [("mermaid", "flowchart LR"), ("dot", "digraph"), ("bpmn", "<bpmn:lane")]
)
def test_text_formats_go_to_stdout_or_to_a_file(
    registry: Path, tmp_path: Path, fmt: str, marker: str
) -> None:
    result = _run("diagram", "QT.GĐ.01", "--format", fmt)
    assert result.exit_code == 0 and marker in result.stdout
    target = tmp_path / f"x.{fmt}"
    again = _run("diagram", "qt.gđ.01", "--format", fmt, "-o", str(target))
    assert again.exit_code == 0 and again.stdout == ""
    assert target.read_text(encoding="utf-8") == result.stdout


def test_unknown_procedure_exits_4(registry: Path) -> None:
    result = _run("diagram", "QT.KHÔNG.99")
    assert result.exit_code == 4 and result.stderr.startswith("procreg:")


def test_diagram_needs_exactly_one_target(registry: Path) -> None:
    assert _run("diagram").exit_code == 2
    assert _run("diagram", "QT.GĐ.01", "--all", "--out-dir", "x").exit_code == 2
    assert _run("diagram", "--all").exit_code == 2


def test_diagram_all_writes_files_and_a_gallery(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "so-do"
    result = _run("diagram", "--all", "--out-dir", str(out), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["count"] == 2 and data["over_limit"] == ["QT.TEST.25"]
    assert sorted(p.name for p in out.iterdir()) == ["QT.GD.01.svg", "QT.TEST.25.svg", "index.html"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="QT.GD.01.svg"' in html and 'id="q"' in html and '<select id="unit"' in html
    assert "<script>" in html and "http" not in html.replace("http://www.w3.org", "")  # self-contained


def test_diagram_all_tells_the_files_and_the_procedures_with_no_steps(home: Path, tmp_path: Path) -> None:
    empty = Procedure(name="Thủ tục chưa đọc được bảng", code="QT.TEST.99", steps=())
    doc = ParsedDocument(
        path="/tmp/qd.txt",
        format="txt",
        sha256="b" * 64,
        kind="decision",
        number="1/QĐ-UBND",
        procedures=(_procedure(qt_gd_01()), empty),
        text="toàn văn",
    )
    with Store.open(home / "registry.db") as store:
        register_document(store, doc)
    out = tmp_path / "so-do"
    result = _run("diagram", "--all", "--out-dir", str(out))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"1 diagram, gallery: {out / 'index.html'}",
        "1 procedure has no steps to draw: QT.TEST.99",
    ]


def test_units_overview_text_svg_and_json(registry: Path, tmp_path: Path) -> None:
    text = _run("diagram", "--units")
    assert text.exit_code == 0
    first = text.stdout.splitlines()[1]
    assert first.startswith("Công chức xử lý hồ sơ") and "120" in first  # largest holder of hours first
    data = json.loads(_run("diagram", "--units", "--json").stdout)
    tchc = next(u for u in data if u["unit"] == "Lãnh đạo Phòng TCHC")
    assert (tchc["steps"], tchc["hours"]) == (2, 20.0)
    svg = tmp_path / "don-vi.svg"
    assert _run("diagram", "--units", "-o", str(svg)).exit_code == 0
    ET.fromstring(svg.read_bytes())


def test_export_json_and_graphml_round_trip(registry: Path, tmp_path: Path) -> None:
    result = _run("export", "--format", "json")
    assert result.exit_code == 0
    g = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    steps = [n for n, d in g.nodes(data=True) if d["type"] == "step"]
    assert len(steps) == len(QT_GD_01_STEPS) + 25
    target = tmp_path / "r.graphml"
    assert _run("export", "--format", "graphml", "-o", str(target)).exit_code == 0
    back = nx.read_graphml(target, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())


def test_export_csv_writes_procedures_and_steps_files(registry: Path, tmp_path: Path) -> None:
    target = tmp_path / "quy-trinh.csv"
    result = _run("export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    steps = tmp_path / "quy-trinh-steps.csv"
    assert result.stderr.split() == [str(target), str(steps)]
    procs = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [p["code"] for p in procs] == ["QT.GĐ.01", "QT.TEST.25"]
    assert len(list(csv.DictReader(io.StringIO(steps.read_text(encoding="utf-8-sig"))))) == 8 + 25


@pytest.mark.slow
def test_every_ingested_corpus_procedure_lays_out_cleanly(tmp_path: Path) -> None:
    """Corpus-wide: ingest all 25 documents, `diagram --all`, then check every SVG's geometry and text."""
    import shutil
    import subprocess

    from conftest import DOCS_DIR
    from test_diagram import check_svg_geometry

    from procreg.registry.service.diagrams import diagram_all, render_record
    from procreg.registry.service.ingesting import ingest

    home = tmp_path / "home"
    assert not ingest([DOCS_DIR], home=home).failed
    done = diagram_all(tmp_path / "out", home=home)
    assert len(done.files) >= 40
    for path in done.files:
        check_svg_geometry(path.read_text(encoding="utf-8"))
    with Store.open(home / "registry.db") as store:
        records = [r for r in store.procedures() if r.steps]
    assert len(records) == len(done.files)
    if shutil.which("dot"):
        for record in records[:10]:
            dot, _ = render_record(record, "dot")
            run = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=False)
            assert run.returncode == 0 and not run.stderr, (record.code, run.stderr[:200])
