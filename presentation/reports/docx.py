"""The audit report as a Word file laid out as a báo cáo of Nghị định 30/2020/NĐ-CP (Phụ lục I).

- Agency block (parent body in capitals, agency in bold capitals, a short rule under it) beside the
  national motto (with its rule), "Số: …/BC-…" and the place and date; "BÁO CÁO" and its subject with a
  short rule; the body; "Nơi nhận" beside the signature block (position, name).
- A4, margins 20/20/30/15 mm, Times New Roman 13 pt; page numbers at the top centre from page 2 on (the
  first page shows none, as the decree says).
- Tables repeat their header row on every page and never split a row across two pages.

The agency, parent body, place, symbol, recipients and signer come from ``procreg config``; unset ones
print as dotted lines. Control characters in document text are removed (XML cannot carry them). The file
is reproducible: the same report and date give the same bytes (no clock inside).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from procreg.presentation.reports.common import (
    DOCX_TITLE,
    EVIDENCE_HEAD,
    FINDING_HEAD,
    GAP_HEAD,
    GROUP_HEAD,
    REASONS,
    SUMMARY_HEAD,
    evidence_rows,
    finding_rows,
    gap_rows,
    group_rows,
    pct,
    summary_rows,
    verdict,
)
from procreg.presentation.reports.official import (
    BLANK,
    MOTTO,
    NATION,
    REPORT_KIND,
    Official,
    official,
)
from procreg.procedures.audit import AuditReport
from procreg.procedures.diagram import text_width
from procreg.registry.results import ReportSettings
from procreg.text.safe import write_output, xml_text

__all__ = ["BLANK", "docx_bytes", "fixed_zip", "write_docx"]

TEXT_WIDTH = 165  # mm between the 30 mm left and 15 mm right margins of A4
_HEAD_WIDTHS = (65, 100)  # mm: agency block, motto block
_FOOT_WIDTHS = (75, 90)  # mm: Nơi nhận, signature
_GROUP_WIDTHS = (51, 14, 18, 18, 20, 21, 23)
_PT_MM = 0.3528  # one typographic point in millimetres
# Capitals in Times New Roman are about 0.87 as wide as in the DejaVu Sans the width table measures
# (measured on LibreOffice's rendering with Liberation Serif, which has Times New Roman's metrics).
_TIMES = 0.87
_MOTTO_MM = 56.5  # the motto in bold 13 pt, measured the same way: its rule is as long

# (text, size in pt, bold, italic) lines of a centred block.
_Line = tuple[str, float, bool, bool]


def _mm(value: float) -> Any:
    from docx.shared import Mm

    return Mm(value)


def _text_mm(text: str, size: float, bold: bool) -> float:
    """Estimated printed width of one line in Times New Roman, in mm."""
    return text_width(text, size, bold) * _TIMES * _PT_MM


def _new_document() -> Any:
    """An A4 document with the margins of Nghị định 30/2020 and Times New Roman 13 pt throughout."""
    import docx  # heavy: imported only when a .docx is asked for
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = _mm(210), _mm(297)  # the template is US Letter
    section.top_margin = section.bottom_margin = _mm(20)
    section.left_margin, section.right_margin = _mm(30), _mm(15)
    section.header_distance = _mm(10)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    heading = document.styles["Heading 2"]
    heading.font.name = "Times New Roman"
    heading.font.size = Pt(13)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
    fonts = heading.element.rPr.rFonts if heading.element.rPr is not None else None
    if fonts is not None:  # theme fonts (Calibri Light) would override the name set above
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
    return document


def _border(paragraph: Any, side: str) -> None:
    """A solid 0.75 pt border on one side of a paragraph (the rule lines of the header)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)
    ppr.append(borders)


def _line(cell_or_doc: Any, text: str, size: float, bold: bool, italic: bool, *, first: bool = False) -> Any:
    """A centred one-run paragraph (the cell's first paragraph when ``first``)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(xml_text(text))
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    return para


def _rule(cell_or_doc: Any, length: float, width: float) -> None:
    """A short horizontal rule of ``length`` mm centred in ``width`` mm (a bordered, empty paragraph)."""
    from docx.shared import Pt

    length = max(12.0, min(length, width - 4))
    para = _line(cell_or_doc, "", 2, False, False)
    fmt = para.paragraph_format
    fmt.left_indent = fmt.right_indent = _mm((width - length) / 2)
    fmt.line_spacing = Pt(2)
    fmt.space_before, fmt.space_after = Pt(4), Pt(4)
    _border(para, "top")


def _borderless(document: Any, widths: tuple[int, int]) -> tuple[Any, Any]:
    """A one-row, two-column table without borders (header and signature blocks), its two cells."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = _mm(width)
    _row_flags(table.rows[0], header=False)
    left, right = table.rows[0].cells
    return left, right


def _header(document: Any, o: Official) -> None:
    """Ô 1–4: the agency block with its rule and the number (left); the motto with its rule, place, date."""
    left, right = _borderless(document, _HEAD_WIDTHS)
    lw, rw = _HEAD_WIDTHS[0] - 4, _HEAD_WIDTHS[1] - 4  # minus the cells' side margins
    _line(left, o.parent, 13, False, False, first=True)
    _line(left, o.agency, 13, True, False)
    _rule(left, 0.45 * _text_mm(o.agency, 13, True), lw)  # 1/3 to 1/2 of the agency line
    _line(left, o.number, 13, False, False)
    _line(right, NATION, 12, True, False, first=True)
    _line(right, MOTTO, 13, True, False)
    _rule(right, _MOTTO_MM, rw)  # as long as the motto
    _line(right, o.place_date, 13, False, True)


def _title(document: Any, o: Official) -> None:
    """Ô 5a: BÁO CÁO, its subject and a short rule; then the opening sentence of the body."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    _line(document, REPORT_KIND, 14, True, False).paragraph_format.space_before = Pt(18)
    _line(document, o.subject, 14, True, False)
    _rule(document, 50, TEXT_WIDTH)
    intro = document.add_paragraph(xml_text(o.intro))
    intro.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    intro.paragraph_format.first_line_indent = _mm(12.7)
    intro.paragraph_format.space_before = Pt(12)
    intro.paragraph_format.space_after = Pt(6)


def _row_flags(row: Any, *, header: bool) -> None:
    """Never split ``row`` across pages; repeat it at the top of every page when it is a header row."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _fill(cell: Any, text: str, *, bold: bool = False) -> None:
    from docx.shared import Pt

    cell.text = ""
    run = cell.paragraphs[0].add_run(xml_text(text))
    run.bold = bold
    run.font.size = Pt(11)


def _table(
    document: Any, head: list[str], rows: list[list[str]], widths: tuple[int, ...], centred: int = 99
) -> None:
    """A ruled table in 11 pt: the header row repeats on each page, no row is split between two pages.

    Columns from ``centred`` on (the figures of the unit and field tables) are centred.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    t = document.add_table(rows=1, cols=len(head))
    t.style = "Table Grid"
    t.autofit = False
    for cell, text in zip(t.rows[0].cells, head, strict=True):
        _fill(cell, text, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _row_flags(t.rows[0], header=True)
    for row in rows or [["(không có)", *[""] * (len(head) - 1)]]:
        new = t.add_row()
        _row_flags(new, header=False)
        for n, (cell, text) in enumerate(zip(new.cells, row, strict=True)):
            _fill(cell, text)
            if n >= centred:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for column, width in zip(t.columns, widths, strict=True):
        column.width = _mm(width)  # the grid (LibreOffice reads it) and every cell (Word reads those)
        for cell in column.cells:
            cell.width = _mm(width)


def _heading(document: Any, text: str) -> None:
    document.add_heading(text, level=2)


def _sections(document: Any, report: AuditReport) -> None:
    """The body: summary with the verdict, units, fields, gaps, findings, evidence, out of scope."""
    from docx.shared import Pt

    _heading(document, "I. KẾT QUẢ CHUNG")
    c = report.coverage
    result = document.add_paragraph()
    result.paragraph_format.space_after = Pt(6)
    result.add_run(f"Kết quả: {c.covered}/{c.in_scope} = {pct(c.percent)} — {verdict(report)}").bold = True
    _table(document, SUMMARY_HEAD, summary_rows(report), (110, 55))
    _heading(document, "II. KẾT QUẢ THEO ĐƠN VỊ")
    _table(document, ["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit), _GROUP_WIDTHS, 1)
    _heading(document, "III. KẾT QUẢ THEO LĨNH VỰC")
    _table(document, ["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field), _GROUP_WIDTHS, 1)
    _heading(document, "IV. THỦ TỤC CÒN THIẾU")
    _table(document, GAP_HEAD, gap_rows(report), (25, 70, 40, 30))
    _heading(document, "V. PHÁT HIỆN KIỂM TRA (ISO 9001:2015, MỤC 7.5)")
    _table(document, FINDING_HEAD, finding_rows(report.findings), (20, 38, 39, 68))
    _heading(document, "VI. CĂN CỨ, BẰNG CHỨNG")
    _table(document, EVIDENCE_HEAD, evidence_rows(report), (22, 46, 20, 55, 22))
    if report.out_of_scope:
        _heading(document, "VII. NGOÀI PHẠM VI")
        rows = [[o.code or "", o.name, o.unit, REASONS.get(o.reason, o.reason)] for o in report.out_of_scope]
        _table(document, ["Ký hiệu", "Tên thủ tục/quy trình", "Đơn vị", "Lý do"], rows, (25, 70, 40, 30))


def _closing(document: Any, o: Official) -> None:
    """Ô 9a and 7: "Nơi nhận" (left, 12/11 pt) beside the signer's position, room to sign, name (right)."""
    from docx.shared import Pt

    document.add_paragraph().paragraph_format.space_after = Pt(6)
    left, right = _borderless(document, _FOOT_WIDTHS)
    head = left.paragraphs[0].add_run("Nơi nhận:")
    head.bold = head.italic = True
    head.font.size = Pt(12)
    for line in o.recipients:
        left.add_paragraph().add_run(xml_text(line)).font.size = Pt(11)
    for n, position in enumerate(o.position):
        _line(right, position, 13, True, False, first=n == 0)
    for _ in range(4):
        _line(right, "", 13, False, False)
    _line(right, o.signer, 13, True, False)


def _page_numbers(document: Any, *, first_page: bool) -> None:
    """The page number at the top centre in 13 pt.

    From page 2 on, as Nghị định 30 has it (the first page shows none); on every page with ``first_page``
    (the ``page_one_number`` setting).
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section = document.sections[0]
    if not first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False  # an empty header of its own on page 1
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)


def fixed_zip(data: bytes, when: datetime) -> bytes:
    """An Office zip rewritten with every entry dated ``when``: the same report, the same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def docx_bytes(report: AuditReport, *, dated: str, settings: ReportSettings | None = None) -> bytes:
    """The report as the bytes of a .docx file.

    Args:
        report: the audit report.
        dated: ISO date printed on the report (passed in; never the clock).
        settings: agency, parent agency, place, symbol, recipients and signer (dotted lines when unset).
    """
    o = official(report, settings, dated)
    document = _new_document()
    _page_numbers(document, first_page=settings is not None and settings.numbers_first_page)
    _header(document, o)
    _title(document, o)
    _sections(document, report)
    _closing(document, o)
    props = document.core_properties
    props.title = DOCX_TITLE
    props.author = props.last_modified_by = "procreg"
    props.comments = ""
    when = datetime(int(dated[0:4]), int(dated[5:7]), int(dated[8:10]))
    props.created = props.modified = when
    buf = io.BytesIO()
    document.save(buf)
    return fixed_zip(buf.getvalue(), when)


def write_docx(
    report: AuditReport, path: Path, *, dated: str, settings: ReportSettings | None = None
) -> None:
    """Write the report as a Word file (``docx_bytes``), never through a symbolic link out of its folder.

    Raises:
        OSError: the file cannot be written (``text.safe.OutsideOutputFolder`` for a link out).
    """
    write_output(path, docx_bytes(report, dated=dated, settings=settings))
