"""The audit report as a Word file: the header of Nghị định 30/2020/NĐ-CP, the tables, the signature.

The agency, its parent body, the place, the report symbol and the signer come from the registry's
settings (``procreg config``); an unset one prints as a dotted line, as blank official templates do.
The file is reproducible: the same report and date give the same bytes (no clock inside).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from procreg.presentation.reports.common import (
    DOCX_TITLE,
    GROUP_HEAD,
    evidence_rows,
    finding_rows,
    gap_rows,
    group_rows,
    pct,
    period_text,
    summary_rows,
    target_text,
    verdict,
)
from procreg.procedures.audit import AuditReport
from procreg.registry.results import ReportSettings

__all__ = ["BLANK", "write_docx"]

BLANK = "……………"  # what an unset setting prints as, like the dotted lines of a blank template
_GROUP_WIDTHS = (53, 14, 18, 18, 20, 20, 22)  # mm; every table adds up to the 165 mm of text width

# (text, bold, italic) lines of a header or signature cell.
_Lines = tuple[tuple[str, bool, bool], ...]


def _new_document() -> Any:
    """An A4 document with the margins of Nghị định 30/2020 and Times New Roman throughout."""
    import docx  # heavy: imported only when a .docx is asked for
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    # The template is US Letter.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    heading = document.styles["Heading 2"]
    heading.font.name = "Times New Roman"
    heading.font.size = Pt(13)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    fonts = heading.element.rPr.rFonts if heading.element.rPr is not None else None
    if fonts is not None:  # theme fonts (Calibri Light) would override the name set above
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
    return document


def _two_cells(document: Any, widths: tuple[int, int], lines: tuple[_Lines, _Lines]) -> None:
    """A borderless two-column block (header, signature), each cell's lines centred in 12 pt."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    cells = table.rows[0].cells
    for column, cell, width, cell_lines in zip(table.columns, cells, widths, lines, strict=True):
        column.width = cell.width = Mm(width)
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for n, (text, bold, italic) in enumerate(cell_lines):
            run = para.add_run(("\n" if n else "") + text)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(12)


def _header(document: Any, settings: ReportSettings, dated: str) -> None:
    """Agency and report number (left), national motto and place/date (right)."""
    y, m, d = dated[0:4], dated[5:7], dated[8:10]
    left: _Lines = (
        ((settings.parent_agency or BLANK).upper(), False, False),
        ((settings.agency or BLANK).upper(), True, False),
        (f"Số:      /BC-{settings.report_symbol or BLANK}", False, False),
    )
    right: _Lines = (
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
        ("Độc lập - Tự do - Hạnh phúc", True, False),
        (f"{settings.place or BLANK}, ngày {d} tháng {m} năm {y}", False, True),
    )
    _two_cells(document, (60, 105), (left, right))


def _title(document: Any, report: AuditReport) -> None:
    """The title, the period and target lines, and the verdict."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(DOCX_TITLE)
    run.bold = True
    run.font.size = Pt(14)
    for text in (f"Kỳ báo cáo: {period_text(report)}", f"Chỉ tiêu: {target_text(report)}"):
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    c = report.coverage
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run(f"Kết quả: {c.covered}/{c.in_scope} = {pct(c.percent)} — {verdict(report)}").bold = True


def _table(document: Any, head: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
    """A grid table in 11 pt; ``widths`` in mm add up to the 165 mm of text width."""
    from docx.shared import Mm, Pt

    t = document.add_table(rows=1, cols=len(head))
    t.style = "Table Grid"
    t.autofit = False
    for cell, text in zip(t.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    if not rows:
        t.add_row().cells[0].text = "(không có)"
    for row in rows:
        for cell, text in zip(t.add_row().cells, row, strict=True):
            cell.text = text
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Mm(width)  # the grid (LibreOffice reads it) and every cell (Word reads those)
        for cell in column.cells:
            cell.width = Mm(width)
    for run in (r for row_ in t.rows for cell in row_.cells for p in cell.paragraphs for r in p.runs):
        run.font.size = Pt(11)


def _sections(document: Any, report: AuditReport) -> None:
    """The six numbered parts: summary, units, fields, gaps, findings, evidence."""
    document.add_heading("I. TỔNG HỢP KẾT QUẢ", level=2)
    _table(document, ["Nội dung", "Kết quả"], summary_rows(report), (110, 55))
    document.add_heading("II. KẾT QUẢ THEO ĐƠN VỊ", level=2)
    _table(document, ["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit), _GROUP_WIDTHS)
    document.add_heading("III. KẾT QUẢ THEO LĨNH VỰC", level=2)
    _table(document, ["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field), _GROUP_WIDTHS)
    document.add_heading("IV. THỦ TỤC CÒN THIẾU", level=2)
    _table(
        document,
        ["Ký hiệu", "Tên thủ tục/quy trình", "Đơn vị", "Còn thiếu"],
        gap_rows(report),
        (25, 70, 40, 30),
    )
    document.add_heading("V. PHÁT HIỆN KIỂM TRA (ISO 9001:2015, MỤC 7.5)", level=2)
    _table(
        document,
        ["Mức", "Kiểm tra", "Đối tượng", "Nội dung"],
        finding_rows(report.findings),
        (20, 40, 37, 68),
    )
    document.add_heading("VI. CĂN CỨ, BẰNG CHỨNG", level=2)
    _table(
        document,
        ["Ký hiệu", "Tên", "Nội dung", "Văn bản/sự kiện", "Ngày", "Vị trí"],
        evidence_rows(report),
        (22, 45, 19, 35, 22, 22),
    )


def _signature(document: Any, settings: ReportSettings) -> None:
    """The signature block: position, room to sign, name (right column)."""
    document.add_paragraph()
    right: _Lines = (
        ((settings.signer_position or BLANK).upper(), True, False),
        ("", False, False),
        ("", False, False),
        ("", False, False),
        (settings.signer_name or BLANK, True, False),
    )
    _two_cells(document, (75, 90), ((), right))


def _write_zip_fixed(data: bytes, path: Path, when: datetime) -> None:
    """Rewrite the .docx zip with entry times set to the report's date: the same report, the same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))


def write_docx(
    report: AuditReport, path: Path, *, dated: str, settings: ReportSettings | None = None
) -> None:
    """Write the report as a Word file with Vietnamese headings and tables.

    Args:
        report: the audit report.
        path: the file to write.
        dated: ISO date printed on the report (passed in; never the clock).
        settings: agency, parent agency, place, report symbol and signer (dotted lines when unset).
    """
    settings = settings or ReportSettings()
    document = _new_document()
    _header(document, settings, dated)
    _title(document, report)
    _sections(document, report)
    _signature(document, settings)
    props = document.core_properties
    props.title = DOCX_TITLE
    props.author = props.last_modified_by = "procreg"
    props.comments = ""
    when = datetime(int(dated[0:4]), int(dated[5:7]), int(dated[8:10]))
    props.created = props.modified = when
    buf = io.BytesIO()
    document.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_zip_fixed(buf.getvalue(), path, when)
