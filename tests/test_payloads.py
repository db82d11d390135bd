"""Outputs that cannot be turned against their readers (issue 13, Build 6).

Two payload decisions (tests/fixtures/payload.py) put ``<script>``, ``=HYPERLINK(…)``, ``+cmd|' /C
calc'!A0``, ESC/BEL, ``"]`` and ``-->`` into procedure names, steps and units. Every output is parsed
back: SVG, BPMN, GraphML and the gallery by an XML parser, DOCX by python-docx, XLSX by openpyxl, CSV by
the csv module; terminal output is searched for raw control characters; a symbolic link planted in an
output folder is never written through.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from fixtures.payload import BEL, DDE, ESC, HYPERLINK, SCRIPT, write_payloads

from procreg import cli
from procreg.text.safe import CSV_TRIGGERS, csv_cell, terminal_text, write_output, xml_text

CODES = ("QT.PL.01", "QT.PL.02", "QT.PL.03")
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # control characters but tab, LF, CR


def _run(home: Path, *args: str) -> Any:
    return CliRunner(env={"PROCREG_HOME": str(home)}).invoke(cli.cli, list(args))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("payload")
    txt, docx = write_payloads(folder / "docs")
    h = folder / "home"
    result = _run(h, "ingest", str(txt), str(docx))
    assert result.exit_code == 0, result.output
    return h


def test_the_payloads_reach_the_registry(home: Path) -> None:
    """Without this the other tests could pass on stripped input: the attacks must be stored as read."""
    stored = "".join(_run(home, "show", code, "--json").stdout for code in CODES)
    text = "\n".join(_strings([json.loads(_run(home, "show", code, "--json").stdout) for code in CODES]))
    for payload in (SCRIPT, '"]', "-->", ESC, BEL, DDE, "=HYPERLINK(", "@SUM(1+1)", "-2+3"):
        assert payload in text, payload
    assert "\\u001b" in stored and "\\u0007" in stored  # JSON keeps them, escaped


def _strings(data: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


# --------------------------------------------------------------------------------------------------
# The terminal


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "QT.PL.01"),
        ("search", "hoi nghi"),
        ("audit", "--period", "2023", "--target", "90"),
        ("audit", "--period", "2023", "--target", "90", "--format", "md"),
        ("diagram", "--units"),
        ("units",),
    ],
    ids=lambda a: " ".join(a),
)
def test_terminal_output_shows_control_characters_instead_of_obeying_them(
    home: Path, args: tuple[str, ...]
) -> None:
    result = _run(home, *args)
    assert result.exit_code in (0, 10), result.output
    assert not RAW.search(result.stdout) and not RAW.search(result.stderr)
    if args[0] in ("list", "show", "search") or args[-1] == "90":  # Markdown drops them instead
        assert "\\x1b" in result.stdout  # shown, so the reader sees what the document holds


def test_json_output_keeps_the_text_as_data(home: Path) -> None:
    result = _run(home, "show", "QT.PL.01", "--json")
    assert not RAW.search(result.stdout)
    assert ESC in json.loads(result.stdout)["name"]


def test_an_error_line_naming_a_file_is_escaped(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / f"x{ESC}]0;pwned{BEL}.txt"
    result = _run(home, "parse", str(bad))
    assert result.exit_code != 0 and not RAW.search(result.stderr) and "\\x1b" in result.stderr


# --------------------------------------------------------------------------------------------------
# Diagrams and the graph: valid XML


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("fmt", ["svg", "bpmn"])
def test_diagrams_are_valid_xml(home: Path, tmp_path: Path, code: str, fmt: str) -> None:
    out = tmp_path / f"d.{fmt}"
    result = _run(home, "diagram", code, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # raises on ESC, BEL, or markup that broke out
    assert not RAW.search(text)
    assert "&lt;script&gt;" in text  # escaped, not dropped
    assert not any(el.tag.endswith("script") for el in root.iter())


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_text_diagrams_carry_no_control_characters(home: Path, fmt: str) -> None:
    for code in CODES:
        result = _run(home, "diagram", code, "--format", fmt)
        assert result.exit_code == 0 and not RAW.search(result.stdout)


def test_dot_renders_with_graphviz(home: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("dot") is None:
        pytest.skip("needs dot: apt-get install graphviz")
    source = _run(home, "diagram", "QT.PL.01", "--format", "dot").stdout
    done = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=False)
    assert done.returncode == 0 and ET.fromstring(done.stdout) is not None


def test_gallery_and_units_overview_are_valid(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "so-do"
    assert _run(home, "diagram", "--all", "--out-dir", str(out)).exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<script>") == 1  # the gallery's own filter script, no document's
    assert "&lt;script&gt;" in index and not RAW.search(index)
    for svg in out.glob("*.svg"):
        ET.fromstring(svg.read_text(encoding="utf-8"))
    units = tmp_path / "don-vi.svg"
    assert _run(home, "diagram", "--units", "-o", str(units)).exit_code == 0
    ET.fromstring(units.read_text(encoding="utf-8"))


def test_graphml_is_valid_xml_and_reads_back(home: Path, tmp_path: Path) -> None:
    import networkx as nx

    out = tmp_path / "g.graphml"
    assert _run(home, "export", "--format", "graphml", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    ET.fromstring(text)
    graph = nx.read_graphml(out)
    names = [d.get("name", "") for _, d in graph.nodes(data=True)]
    assert any(SCRIPT in n for n in names) and any(n.startswith(DDE) for n in names)
    assert not RAW.search(text)


# --------------------------------------------------------------------------------------------------
# Spreadsheets: CSV neutralised, XLSX without formulas


def _neutral(cell: str) -> bool:
    return cell.lstrip(" \u00a0")[:1] not in CSV_TRIGGERS or cell.startswith("'")


def test_export_csv_cells_are_neutralised(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    assert _run(home, "export", "--format", "csv", "-o", str(out)).exit_code == 0
    cells = []
    for path in (out, tmp_path / "p-steps.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert not RAW.search(text)
        cells += [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert all(_neutral(c) for c in cells)
    assert f"'{DDE} Đón tiếp khách nước ngoài" in cells
    assert any(c.startswith("'=HYPERLINK(") for c in cells) and any(c.startswith("'-2+3") for c in cells)


def test_audit_csv_cells_are_neutralised(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    result = _run(home, "audit", "--period", "2023", "--target", "90", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel and LibreOffice's import dialog read
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [c for row in rows for c in row]
    assert all(_neutral(c) for c in cells) and not RAW.search(text)
    assert f"'{HYPERLINK} cấp phép" in cells
    assert any(c.startswith("'@SUM(1+1)") for c in cells)


def test_xlsx_has_no_formula_and_keeps_the_text(home: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "a.xlsx"
    result = _run(home, "audit", "--period", "2023", "--target", "90", "-o", str(out))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    values = [str(c.value) for c in cells if c.value is not None]
    assert f"{HYPERLINK} cấp phép" in values and f"{DDE} Đón tiếp khách nước ngoài" in values
    assert not any(RAW.search(v) for v in values)
    with zipfile.ZipFile(out) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


# --------------------------------------------------------------------------------------------------
# Documents: DOCX, HTML, Markdown


def test_docx_report_opens_and_keeps_the_text(home: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "a.docx"
    result = _run(home, "audit", "--period", "2023", "--target", "90", "--date", "2023-12-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    text = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert f"{HYPERLINK} cấp phép" in text and SCRIPT in text and '"] -->' in text
    assert not RAW.search(text)


def test_html_and_markdown_reports_show_markup_as_text(home: Path, tmp_path: Path) -> None:
    html_out = tmp_path / "a.html"
    assert _run(home, "audit", "--period", "2023", "--target", "90", "-o", str(html_out)).exit_code == 0
    page = html_out.read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page and not RAW.search(page)
    assert "--&gt;" in page and "<!--" not in page
    md = _run(home, "audit", "--period", "2023", "--target", "90", "--format", "md").stdout
    assert "<script" not in md and "&lt;script&gt;" in md


# --------------------------------------------------------------------------------------------------
# No write outside the output folder


def _victim(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    victim = outside / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    return victim


def test_gallery_never_writes_through_a_planted_symlink(home: Path, tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "so-do"
    out.mkdir()
    (out / "QT.PL.01.svg").symlink_to(victim)
    result = _run(home, "diagram", "--all", "--out-dir", str(out))
    assert (
        result.exit_code == 2
        and "QT.PL.01.svg" in result.stderr
        and "outside the output folder" in result.stderr
    )
    assert victim.read_text(encoding="utf-8") == "keep"
    (out / "index.html").unlink(missing_ok=True)
    (out / "QT.PL.01.svg").unlink()
    (out / "index.html").symlink_to(victim)
    assert _run(home, "diagram", "--all", "--out-dir", str(out)).exit_code == 2
    assert victim.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("audit", "--period", "2023", "--target", "90", "-o"), "r.docx"),
        (("audit", "--period", "2023", "--target", "90", "-o"), "r.xlsx"),
        (("audit", "--period", "2023", "--target", "90", "-o"), "r.csv"),
        (("export", "--format", "graphml", "-o"), "g.graphml"),
        (("export", "--format", "csv", "-o"), "p.csv"),
        (("diagram", "QT.PL.01", "-o"), "d.svg"),
    ],
)
def test_file_outputs_refuse_a_symlink_out_of_their_folder(
    home: Path, tmp_path: Path, args: tuple[str, ...], name: str
) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(victim)
    result = _run(home, *args, str(out / name))
    assert result.exit_code == 2 and "outside the output folder" in result.stderr, result.output
    assert victim.read_text(encoding="utf-8") == "keep"
    dangling = out / f"new-{name}"
    dangling.symlink_to(tmp_path / "outside" / "created-by-procreg")
    assert _run(home, *args, str(dangling)).exit_code == 2
    assert not (tmp_path / "outside" / "created-by-procreg").exists()


def test_write_output_replaces_a_hard_link_and_follows_a_link_inside(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "hard.svg").hardlink_to(victim)
    write_output(out / "hard.svg", "<svg/>")
    assert victim.read_text(encoding="utf-8") == "keep" and (out / "hard.svg").read_text() == "<svg/>"
    (out / "real.html").write_text("old", encoding="utf-8")
    (out / "alias.html").symlink_to("real.html")
    write_output(out / "alias.html", "new")
    assert (out / "alias.html").is_symlink() and (out / "real.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in out.iterdir()) == ["alias.html", "hard.svg", "real.html"]  # no temp left


# --------------------------------------------------------------------------------------------------
# The helpers themselves


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("Phòng Hợp tác quốc tế", "Phòng Hợp tác quốc tế"),
        ("a=b", "a=b"),
        (f"x{ESC}[31m{BEL}", "x[31m"),
        (12, "12"),
    ],
)
def test_csv_cell(cell: object, expected: str) -> None:
    assert csv_cell(cell) == expected


def test_xml_text_and_terminal_text() -> None:
    every = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\x9b\ufffe\uffff"
    kept = xml_text(every)
    assert kept == "\t\n\r"
    ET.fromstring(f"<a>{xml_text('đ' + every)}</a>")
    shown = terminal_text(f"a{ESC}[2Jb{BEL}\n\tc\u202ed\x9b")
    assert shown == "a\\x1b[2Jb\\x07\n\tc\\u202ed\\x9b"
