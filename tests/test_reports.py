"""Report renderers: text verdict, Markdown, self-contained HTML with SVG, CSV rows, DOCX and XLSX.

The official layout (Nghị định 30/2020) is checked here on the .docx/.html structure; its rendering by
LibreOffice (page numbers, repeated headers, rows kept whole) in tests/test_official_report.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from procreg.presentation.reports import (
    CHECK_LABELS,
    DOCX_TITLE,
    render_csv,
    render_html,
    render_markdown,
    render_report,
    render_text,
    write_docx,
    write_xlsx,
)
from procreg.presentation.reports.common import citation
from procreg.presentation.reports.docx import docx_bytes
from procreg.presentation.reports.html import CHART_FONT, chart_label_width
from procreg.presentation.reports.xlsx import SHEETS, xlsx_bytes
from procreg.procedures.audit import AuditItem, Finding, Proof, TargetRef, audit_coverage
from procreg.procedures.diagram import text_width
from procreg.registry.results import ReportSettings

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SETTINGS = ReportSettings(
    agency="Sở Ngoại vụ",
    parent_agency="UBND tỉnh Hà Tĩnh",
    place="Hà Tĩnh",
    signer_name="Nguyễn Văn Minh",
    signer_position="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    report_symbol="SNgV",
    recipients="UBND tỉnh (để b/c); Sở Nội vụ",
)
LONG_UNIT = "Trung tâm Phục vụ hành chính công tỉnh và Bộ phận tiếp nhận, trả kết quả của Sở Ngoại vụ"


def _report(target: float | None = 60.0):  # type: ignore[no-untyped-def]
    full = (
        Proof(
            verb="reviewed",
            document="bc-12.docx",  # a file name: the report cites the number instead
            date="2023-05-02",
            where="đoạn 7",
            source="document",
            number="12/BC-SNgV",
        ),
        Proof(
            verb="published",
            document="3/QĐ-SNgV",
            date="2023-02-01",
            where="đoạn 14",
            source="document",
            number="3/QĐ-SNgV",
        ),
        Proof(verb="publicized", document="3/QĐ-SNgV", date="2023-02-01", where="Điều 2", source="document"),
    )
    items = [
        AuditItem(
            key="a",
            code="QT.NV.01",
            name="Cho phép tổ chức hội nghị, hội thảo quốc tế",
            unit="Phòng Hợp tác quốc tế",
            field="Hội nghị",
            catalog=True,
            process=True,
            proofs=full,
        ),
        AuditItem(
            key="b",
            code="QT.NV.02",
            name="Cử cán bộ đi công tác nước ngoài <đoàn ra>",
            unit=LONG_UNIT,
            field="Đoàn ra",
            catalog=True,
            process=True,
            proofs=full[1:],
        ),
        AuditItem(
            key="c", code="QT.NV.03", name="Đã bãi bỏ", unit="Văn phòng - Thanh tra Sở", status="abolished"
        ),
    ]
    t = TargetRef(value=target, source="Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3")
    r = audit_coverage(items, target=t, period_from="2023-01-01", period_to="2023-12-31")
    return r.with_findings(
        [
            Finding(
                check="plan_iso_edition",
                severity="error",
                subject="01/KH-SNgV mục II.7",
                message="không có phiên bản ISO 9001 năm 2018",
            )
        ]
    )


# --------------------------------------------------------------------------------------------------
# Text, Markdown, CSV


def test_text_has_verdict_units_gaps_and_findings_without_check_ids() -> None:
    out = render_text(_report())
    assert "1/2 = 50,0% — Chưa đạt" in out
    assert "Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3" in out
    assert "Phòng Hợp tác quốc tế" in out and LONG_UNIT in out
    assert f"QT.NV.02 Cử cán bộ đi công tác nước ngoài <đoàn ra> [{LONG_UNIT}]: chưa rà soát trong kỳ" in out
    assert "Ngoài phạm vi (1)" in out and "đã bãi bỏ" in out
    assert "[Lỗi] Phiên bản ISO 9001 trong kế hoạch — 01/KH-SNgV mục II.7" in out
    assert "plan_iso_edition" not in out  # the id is for scripts (--json), not for the office
    assert "— Đạt" in render_text(_report(target=50.0))


def test_markdown_tables_show_html_from_documents_as_text() -> None:
    out = render_markdown(_report())
    assert out.startswith(f"# {DOCX_TITLE}")
    assert (
        f"| QT.NV.02 | Cử cán bộ đi công tác nước ngoài &lt;đoàn ra&gt; | {LONG_UNIT} | "
        "chưa rà soát trong kỳ |" in out
    )
    assert "<đoàn ra>" not in out and "plan_iso_edition" not in out


def test_csv_one_row_per_in_scope_item_with_crlf() -> None:
    text = render_csv(_report())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["code"] for r in rows] == ["QT.NV.01", "QT.NV.02"]
    assert rows[1]["covered"] == "0" and rows[1]["missing"] == "reviewed"
    assert "published: 3/QĐ-SNgV 01/02/2023" in rows[1]["evidence"]
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")


def test_json_is_serialisable_with_contract_keys() -> None:
    data = json.loads(json.dumps(_report().as_json(), ensure_ascii=False))
    assert set(data) >= {"target", "period", "coverage", "by_unit", "items", "findings"}
    assert data["period"]["from"] == "2023-01-01" and data["target"]["value"] == 60.0
    assert data["by_unit"][0] == {
        **data["by_unit"][0],
        "unit": "Phòng Hợp tác quốc tế",
        "covered": 1,
        "in_scope": 1,
    }
    assert data["findings"][0]["check"] == "plan_iso_edition"


# --------------------------------------------------------------------------------------------------
# Evidence: the decision's number and date, never a file name


def test_evidence_cites_number_and_date_never_a_file_name() -> None:
    def cite(**kw: object) -> str:
        base: dict[str, object] = {"verb": "published", "document": "qd-45.docx", "date": "2023-03-15"}
        return citation(Proof(**{**base, **kw}))  # type: ignore[arg-type]

    assert cite(source="document", number="45/QĐ-SNgV") == "Quyết định số 45/QĐ-SNgV ngày 15/03/2023"
    assert cite(source="document", number="18/BC-SNgV") == "Báo cáo số 18/BC-SNgV ngày 15/03/2023"
    assert cite(source="document", number="84/2025/QĐ-UBND").startswith("Quyết định số 84/2025/QĐ-UBND")
    assert cite(source="document", number="322/SNgV-PNV").startswith("Văn bản số 322/SNgV-PNV")
    untitled = cite(source="document", title="Quy trình cho phép tổ chức hội nghị")
    assert untitled == "Văn bản không số “Quy trình cho phép tổ chức hội nghị” ngày 15/03/2023"
    assert "qd-45.docx" not in cite(source="document") and "(không ghi ngày)" in cite(
        source="document", number="1/QĐ-X", date=None
    )
    assert cite(document="3005/QD-UBND") == "Quyết định số 3005/QD-UBND ngày 15/03/2023"  # an event
    assert cite(document="rà soát (Văn phòng)") == "rà soát (Văn phòng) ngày 15/03/2023"


def test_every_check_has_a_vietnamese_label() -> None:
    import ast

    source = Path(__file__).resolve().parent.parent / "procedures" / "checks.py"
    ids = {
        kw.value.value
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Finding"
        for kw in node.keywords
        if kw.arg == "check" and isinstance(kw.value, ast.Constant)
    }
    assert ids and ids <= set(CHECK_LABELS)


# --------------------------------------------------------------------------------------------------
# HTML


def test_html_carries_the_official_header_and_a_print_stylesheet() -> None:
    out = render_html(_report(), dated="2023-12-31", settings=SETTINGS)
    assert out.startswith("<!DOCTYPE html>") and out.count("<svg") == 1
    assert "<script" not in out and "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "&lt;đoàn ra&gt;" in out and "<đoàn ra>" not in out
    assert "chỉ tiêu 60,0%" in out and "Hà Tĩnh, ngày 31 tháng 12 năm 2023" in out
    for block in ("UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ", "/BC-SNgV", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert block in out
    assert "Độc lập - Tự do - Hạnh phúc" in out and ">BÁO CÁO<" in out and "Nơi nhận:" in out
    assert "- UBND tỉnh (để b/c);" in out and "- Lưu: VT." in out
    assert "KT. GIÁM ĐỐC" in out and "PHÓ GIÁM ĐỐC" in out and "Nguyễn Văn Minh" in out
    assert "@page{size:A4;margin:20mm 15mm 20mm 30mm" in out and "@page:first" in out
    assert "thead{display:table-header-group}" in out and "break-inside:avoid" in out
    assert out.count("<thead>") == out.count("<table>")  # every ruled table repeats its header


def test_html_chart_labels_wrap_and_are_never_cut() -> None:
    report = _report()
    out = render_html(report, dated="2023-12-31")
    svg = ET.fromstring(out[out.index("<svg") : out.index("</svg>") + 6])
    ns = "{http://www.w3.org/2000/svg}"
    label_w = chart_label_width([g.name for g in report.by_unit])
    labels = [t for t in svg.iter(f"{ns}text") if t.get("class") == "unit"]
    assert len(labels) == len(report.by_unit)
    for group, label in zip(report.by_unit, labels, strict=True):
        lines = [span.text or "" for span in label.iter(f"{ns}tspan")]
        assert " ".join(lines) == group.name  # the whole name, on as many lines as it needs
        for span, line in zip(label.iter(f"{ns}tspan"), lines, strict=True):
            right = float(span.get("x") or 0)
            assert right - text_width(line, CHART_FONT) >= 0  # never runs off the left edge
            assert right <= label_w  # never under the bars
    assert len(list(labels[1].iter(f"{ns}tspan"))) > 1  # LONG_UNIT wraps


# --------------------------------------------------------------------------------------------------
# DOCX


def _docx_xml(data: bytes, name: str) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return ET.fromstring(z.read(name))


def test_docx_opens_and_holds_the_tables(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "bao-cao.docx"
    write_docx(_report(), path, dated="2023-12-31")
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "BÁO CÁO\nKết quả rà soát, công bố, công khai thủ tục hành chính nội bộ năm 2023" in text
    assert "Chưa đạt" in text and "plan_iso_edition" not in text
    # header, summary, units, fields, gaps, findings, evidence, out of scope, Nơi nhận + signature
    assert len(d.tables) == 9
    gaps = d.tables[4]
    assert [c.text for c in gaps.rows[1].cells][:1] == ["QT.NV.02"]
    assert "ngày 31 tháng 12 năm 2023" in d.tables[0].rows[0].cells[1].text
    evidence = [[c.text for c in row.cells] for row in d.tables[6].rows]
    assert evidence[1][3] == "Báo cáo số 12/BC-SNgV ngày 02/05/2023"
    assert not any("bc-12.docx" in cell for row in evidence for cell in row)


def test_docx_tables_repeat_their_header_and_keep_rows_whole() -> None:
    body = _docx_xml(docx_bytes(_report(), dated="2023-12-31", settings=SETTINGS), "word/document.xml")
    tables = [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblStyle") is not None]
    assert len(tables) == 7  # the ruled ones
    for table in tables:
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])


def test_docx_numbers_pages_from_page_two_at_the_top_centre() -> None:
    data = docx_bytes(_report(), dated="2023-12-31", settings=SETTINGS)
    body = _docx_xml(data, "word/document.xml")
    sect = body.find(f"{W}body/{W}sectPr")
    assert sect is not None and sect.find(f"{W}titlePg") is not None  # first page: its own (empty) header
    refs = {
        r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for r in sect.findall(f"{W}headerReference")
    }
    assert set(refs) >= {"default", "first"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        headers = {n: z.read(n).decode() for n in z.namelist() if re.match(r"word/header\d+\.xml", n)}
    with_page = [n for n, xml in headers.items() if "PAGE" in xml]
    assert len(with_page) == 1 and '<w:jc w:val="center"/>' in headers[with_page[0]]
    page = sect.find(f"{W}pgSz")
    assert page is not None and (page.get(f"{W}w"), page.get(f"{W}h")) == ("11906", "16838")  # A4


def test_docx_is_reproducible_and_uses_the_settings() -> None:
    import docx

    one = docx_bytes(_report(), dated="2023-12-31", settings=SETTINGS)
    assert one == docx_bytes(_report(), dated="2023-12-31", settings=SETTINGS)
    d = docx.Document(io.BytesIO(one))
    closing = d.tables[-1].rows[0].cells
    assert [p.text for p in closing[0].paragraphs if p.text] == [
        "Nơi nhận:",
        "- UBND tỉnh (để b/c);",
        "- Sở Nội vụ;",
        "- Lưu: VT.",
    ]
    assert [p.text for p in closing[1].paragraphs if p.text] == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Minh",
    ]


# --------------------------------------------------------------------------------------------------
# XLSX


def test_xlsx_sheets_frozen_headers_widths_and_numbers(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "r.xlsx"
    write_xlsx(_report(), path, dated="2023-12-31", settings=SETTINGS)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*SHEETS, "Ngoài phạm vi"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws["A1"].font.b
        assert all(ws.column_dimensions[c].width >= 8 for c in "AB")
    items = wb["Thủ tục"]
    assert [c.value for c in items[1]][:3] == ["Ký hiệu", "Tên thủ tục/quy trình", "Đơn vị"]
    assert (
        items["B3"].value == "Cử cán bộ đi công tác nước ngoài <đoàn ra>" and items["C3"].value == LONG_UNIT
    )
    assert items["I2"].value == 1 and items["I3"].value == 0  # numbers, so that SUM works
    units = wb["Theo đơn vị"]
    assert units["G2"].value == 1.0 and units["G2"].number_format == "0.0%"
    summary = {r[0].value: r[1].value for r in wb["Tổng hợp"].iter_rows(min_row=2)}
    assert summary["Cơ quan báo cáo"] == "SỞ NGOẠI VỤ (UBND TỈNH HÀ TĨNH)"
    assert summary["Địa danh, ngày"] == "Hà Tĩnh, ngày 31 tháng 12 năm 2023"
    assert wb["Căn cứ"]["D2"].value == "Báo cáo số 12/BC-SNgV ngày 02/05/2023"
    assert 40 <= items.column_dimensions["B"].width <= 60


def test_xlsx_is_reproducible() -> None:
    assert xlsx_bytes(_report(), dated="2023-12-31") == xlsx_bytes(_report(), dated="2023-12-31")


def test_binary_formats_always_go_to_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for fmt in ("docx", "xlsx"):
        text, path = render_report(_report(), fmt, dated="2024-01-05", output=None)
        assert text is None and path == Path(f"bao-cao-ra-soat-tthc-noi-bo-2023-2024-01-05.{fmt}")
        assert zipfile.is_zipfile(tmp_path / path)
