"""Render an ``AuditReport``: terminal text, Markdown, HTML (inline SVG chart), CSV, DOCX, JSON data.

Pure apart from ``write_docx`` (which writes the file it is given). Vietnamese labels throughout; numbers
use the decimal comma in human formats (``90,2%``) and plain floats in JSON/CSV.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from procreg.procedures.audit import (
    MISSING_LABELS,
    VERB_LABELS,
    AuditReport,
    Coverage,
    Finding,
    GroupCoverage,
    ItemResult,
)
from procreg.text.dates import vn_date

__all__ = [
    "DOCX_TITLE",
    "FORMATS",
    "render",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_text",
    "report_data",
    "write_docx",
]

FORMATS = ("text", "md", "html", "csv", "json", "docx")
DOCX_TITLE = "BÁO CÁO KẾT QUẢ RÀ SOÁT, CÔNG BỐ, CÔNG KHAI THỦ TỤC HÀNH CHÍNH NỘI BỘ"
_SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
# What each check looks for, in the office's words (the id stays beside it: scripts and --json use it).
CHECK_LABELS: dict[str, str] = {
    "catalog_without_process": "Danh mục chưa có quy trình nội bộ",
    "cites_repealed": "Căn cứ pháp lý đã bị bãi bỏ",
    "duplicate_code": "Trùng ký hiệu quy trình",
    "missing_code": "Thiếu ký hiệu quy trình",
    "missing_issue_date": "Thiếu ngày ban hành",
    "missing_version": "Thiếu lần ban hành",
    "plan_iso_edition": "Phiên bản ISO 9001 trong kế hoạch",
    "plan_repeated_section": "Số mục kế hoạch lặp lại",
    "process_without_catalog": "Quy trình chưa có trong Danh mục",
    "review_overdue": "Quá hạn rà soát",
    "step_without_unit": "Bước chưa giao đơn vị",
    "time_over_limit": "Tổng thời gian các bước vượt thời hạn",
}


def _check_label(check: str) -> str:
    label = CHECK_LABELS.get(check)
    return f"{label} ({check})" if label else check


_REASONS = {
    "abolished": "đã bãi bỏ",
    "withdrawn": "đã thu hồi",
    "not_internal": "không phải TTHC/quy trình nội bộ",
    "not_yet_registered": "chưa có tại thời điểm đánh giá",
}
_DELIVERABLES = {"catalog": "Danh mục", "process": "Quy trình nội bộ", "both": "Cả Danh mục và Quy trình"}


def report_data(report: AuditReport) -> dict[str, Any]:
    """The JSON document of ``procreg audit --json`` (DESIGN.md contract)."""
    return report.as_json()


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


def _cov(c: Coverage) -> str:
    return f"{c.covered}/{c.in_scope} ({_pct(c.percent)})"


def _verdict(report: AuditReport) -> str:
    if report.passed is None:
        return "Không có chỉ tiêu để so sánh"
    return "Đạt" if report.passed else "Chưa đạt"


def _target_text(report: AuditReport) -> str:
    t = report.target
    if t.value is None:
        return "chưa có (không tìm thấy chỉ tiêu trong kế hoạch đã nạp; dùng --target N)"
    return f"{_pct(t.value)} — {t.source}"


def _period_text(report: AuditReport) -> str:
    text = f"{vn_date(report.period_from)} – {vn_date(report.period_to)}"
    if report.as_of:
        text += f" (dữ liệu tính đến ngày {vn_date(report.as_of)})"
    return text


def _missing_text(item: ItemResult) -> str:
    return "; ".join(MISSING_LABELS[v] for v in item.missing)


def _subject(item: ItemResult) -> str:
    return f"{item.code} {item.name}" if item.code else item.name


def _gaps(report: AuditReport) -> list[ItemResult]:
    return [i for i in report.items if not i.covered]


def _group_rows(groups: Sequence[GroupCoverage]) -> list[list[str]]:
    return [
        [
            g.name,
            str(g.coverage.in_scope),
            str(g.reviewed),
            str(g.published),
            str(g.publicized),
            str(g.coverage.covered),
            _pct(g.coverage.percent),
        ]
        for g in groups
    ]


_GROUP_HEAD = ["Rà soát", "Công bố", "Công khai", "Đạt cả 3", "Tỷ lệ"]


def _summary_rows(report: AuditReport) -> list[list[str]]:
    rows = [["Tổng số TTHC/quy trình nội bộ trong phạm vi", str(report.coverage.in_scope)]]
    internal = sum(i.tthc_internal for i in report.items)
    rows.append(["– trong đó TTHC nội bộ (giữa các cơ quan hành chính nhà nước)", str(internal)])
    for verb in ("reviewed", "published", "publicized"):
        rows.append([f"Đã {VERB_LABELS[verb].lower()}", str(report.verbs.get(verb, 0))])
    rows.append(["Đạt cả ba (rà soát, công bố, công khai)", _cov(report.coverage)])
    for key in ("catalog", "process", "both"):
        rows.append([_DELIVERABLES[key], _cov(report.deliverables[key])])
    rows.append(["Chỉ tiêu", _target_text(report)])
    rows.append(["Đánh giá", _verdict(report)])
    return rows


# ---------------------------------------------------------------------------------------------- text


def _table(head: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    widths = [len(h) for h in head]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        out = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)]
        return "  ".join(out).rstrip()

    return [line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def render_text(report: AuditReport) -> str:
    """Terminal report: overall figure with Đạt/Chưa đạt, per unit, per field, gaps, findings."""
    out: list[str] = ["KẾT QUẢ RÀ SOÁT, CÔNG BỐ, CÔNG KHAI TTHC NỘI BỘ", ""]
    out.append(f"Kỳ báo cáo : {_period_text(report)}")
    out.append(f"Chỉ tiêu   : {_target_text(report)}")
    if report.filters:
        names = {"unit": "đơn vị", "field": "lĩnh vực", "issuer": "cơ quan ban hành"}
        shown = (f"{names.get(k, k)} “{v}”" for k, v in sorted(report.filters.items()))
        out.append("Lọc        : " + ", ".join(shown))
    c = report.coverage
    out.append(f"Kết quả    : {c.covered}/{c.in_scope} = {_pct(c.percent)} — {_verdict(report)}")
    out.append(
        "             "
        + " · ".join(f"{VERB_LABELS[v]} {report.verbs.get(v, 0)}/{c.in_scope}" for v in report.verbs)
    )
    out.append(
        "             "
        + " · ".join(f"{_DELIVERABLES[k]} {_cov(report.deliverables[k])}" for k in ("catalog", "process"))
    )
    right = {1, 2, 3, 4, 5, 6}
    out += ["", "Theo đơn vị"]
    out += ["  " + s for s in _table(["Đơn vị", "Tổng", *_GROUP_HEAD], _group_rows(report.by_unit), right)]
    out += ["", "Theo lĩnh vực"]
    out += ["  " + s for s in _table(["Lĩnh vực", "Tổng", *_GROUP_HEAD], _group_rows(report.by_field), right)]
    gaps = _gaps(report)
    out += ["", f"Còn thiếu ({len(gaps)})"]
    if not gaps:
        out.append("  (không có)")
    for item in gaps:
        out.append(f"  - {_subject(item)} [{item.unit}]: {_missing_text(item)}")
    if report.out_of_scope:
        out += ["", f"Ngoài phạm vi ({len(report.out_of_scope)})"]
        for o in report.out_of_scope:
            out.append(f"  - {(o.code + ' ') if o.code else ''}{o.name}: {_REASONS.get(o.reason, o.reason)}")
    out += ["", f"Phát hiện kiểm tra ({len(report.findings)})"]
    if not report.findings:
        out.append("  (không có)")
    for f in report.findings:
        out.append(
            f"  [{_SEVERITY.get(f.severity, f.severity)}] {_check_label(f.check)} — {f.subject}: {f.message}"
        )
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------ markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def _gap_rows(report: AuditReport) -> list[list[str]]:
    return [[item.code or "", item.name, item.unit, _missing_text(item)] for item in _gaps(report)]


def _finding_rows(findings: Sequence[Finding]) -> list[list[str]]:
    return [
        [_SEVERITY.get(f.severity, f.severity), _check_label(f.check), f.subject, f.message] for f in findings
    ]


def _evidence_rows(report: AuditReport) -> list[list[str]]:
    rows: list[list[str]] = []
    for item in report.items:
        for p in item.evidence:
            rows.append(
                [item.code or "", item.name, VERB_LABELS[p.verb], p.document, vn_date(p.date), p.where or ""]
            )
    return rows


def render_markdown(report: AuditReport) -> str:
    """Markdown report (tables for summary, units, fields, gaps, findings and evidence)."""
    out = [
        f"# {DOCX_TITLE}",
        "",
        f"- Kỳ báo cáo: {_period_text(report)}",
        f"- Chỉ tiêu: {_target_text(report)}",
    ]
    c = report.coverage
    out += [f"- **Kết quả: {c.covered}/{c.in_scope} = {_pct(c.percent)} — {_verdict(report)}**", ""]
    out += ["## 1. Tổng hợp", "", *_md_table(["Nội dung", "Kết quả"], _summary_rows(report)), ""]
    out += [
        "## 2. Theo đơn vị",
        "",
        *_md_table(["Đơn vị", "Tổng", *_GROUP_HEAD], _group_rows(report.by_unit)),
        "",
    ]
    out += [
        "## 3. Theo lĩnh vực",
        "",
        *_md_table(["Lĩnh vực", "Tổng", *_GROUP_HEAD], _group_rows(report.by_field)),
        "",
    ]
    out += [
        "## 4. Còn thiếu",
        "",
        *_md_table(["Ký hiệu", "Tên", "Đơn vị", "Còn thiếu"], _gap_rows(report)),
        "",
    ]
    out += [
        "## 5. Phát hiện kiểm tra",
        "",
        *_md_table(["Mức", "Kiểm tra", "Đối tượng", "Nội dung"], _finding_rows(report.findings)),
        "",
    ]
    out += ["## 6. Căn cứ (bằng chứng)", ""]
    out += [
        *_md_table(
            ["Ký hiệu", "Tên", "Nội dung", "Văn bản/sự kiện", "Ngày", "Vị trí"], _evidence_rows(report)
        ),
        "",
    ]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- csv


def render_csv(report: AuditReport) -> str:
    """CSV, one row per in-scope item (UTF-8; evidence joined with `` ; ``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            "code",
            "name",
            "unit",
            "field",
            "deliverables",
            "reviewed",
            "published",
            "publicized",
            "covered",
            "missing",
            "evidence",
        ]
    )
    for item in report.items:
        writer.writerow(
            [
                item.code or "",
                item.name,
                item.unit,
                item.field or "",
                "+".join(item.deliverables),
                int(item.reviewed),
                int(item.published),
                int(item.publicized),
                int(item.covered),
                ";".join(item.missing),
                " ; ".join(
                    f"{p.verb}: {p.document} {p.date or ''} {p.where or ''}".strip() for p in item.evidence
                ),
            ]
        )
    return buf.getvalue()


# --------------------------------------------------------------------------------------------- html

_CSS = (
    'body{font-family:"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:2rem auto;max-width:1100px;'
    "color:#1f2933;padding:0 1rem}"
    "h1{font-size:1.35rem;text-align:center;margin-bottom:.3rem}"
    "h2{font-size:1.1rem;margin-top:2rem;border-bottom:2px solid #d9e2ec}"
    ".meta{text-align:center;color:#52606d;margin:.2rem 0}"
    ".verdict{font-size:1.25rem;text-align:center;margin:1rem 0;font-weight:600}"
    ".ok{color:#1a7f37}.ko{color:#b42318}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}"
    "th,td{border:1px solid #cbd2d9;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f0f4f8}"
    "td.n{text-align:right;white-space:nowrap}.sev-error{color:#b42318;font-weight:600}.sev-warning{color:#b54708}"
    ".sev-info{color:#52606d}svg text{font-family:inherit}"
)


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_table(
    head: list[str], rows: list[list[str]], numeric: set[int] | None = None, cls: list[str] | None = None
) -> str:
    numeric = numeric or set()
    parts = ["<table><thead><tr>", *(f"<th>{_h(h)}</th>" for h in head), "</tr></thead><tbody>"]
    if not rows:
        parts.append(f'<tr><td colspan="{len(head)}">(không có)</td></tr>')
    for r, row in enumerate(rows):
        row_cls = f' class="{_h(cls[r])}"' if cls else ""
        parts.append(f"<tr{row_cls}>")
        parts += [
            f'<td class="n">{_h(c)}</td>' if i in numeric else f"<td>{_h(c)}</td>" for i, c in enumerate(row)
        ]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _bar_chart(report: AuditReport) -> str:
    """Horizontal bars of coverage per unit, with the target as a dashed line."""
    groups = list(report.by_unit)
    label_w, bar_w, row_h, top = 260, 520, 30, 30
    width = label_w + bar_w + 90
    height = top + row_h * max(len(groups), 1) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Tỷ lệ đạt theo đơn vị">',
        f'<text x="{label_w}" y="18" font-size="13" fill="#52606d">'
        "Tỷ lệ đạt cả ba (rà soát, công bố, công khai) theo đơn vị</text>",
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 24}" stroke="#e4e7eb"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="#7b8794">{tick}%</text>'
        )
    target = report.target.value
    for i, g in enumerate(groups):
        y = top + i * row_h
        pct = g.coverage.percent
        ok = target is None or g.coverage.exact >= target
        color = "#2f9e44" if ok else "#e8590c"
        name = g.name if len(g.name) <= 38 else g.name[:37] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" font-size="13" text-anchor="end">{_h(name)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="{row_h - 10}" fill="#f0f4f8"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{bar_w * pct / 100:.1f}" '
            f'height="{row_h - 10}" fill="{color}">'
            f"<title>{_h(g.name)}: {g.coverage.covered}/{g.coverage.in_scope}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 19}" font-size="12">'
            f"{_h(_pct(pct))} ({g.coverage.covered}/{g.coverage.in_scope})</text>"
        )
    if target is not None:
        x = label_w + bar_w * min(target, 100) / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 26}" stroke="#b42318" '
            'stroke-width="2" stroke-dasharray="5,4"/>'
        )
        parts.append(
            f'<text x="{x + 4:.1f}" y="{top + 2}" font-size="11" fill="#b42318">'
            f"chỉ tiêu {_h(_pct(target))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: AuditReport, *, title: str = DOCX_TITLE, dated: str | None = None) -> str:
    """One self-contained HTML file: summary, per-unit SVG bar chart, tables of units, gaps, findings."""
    c = report.coverage
    verdict_cls = "ok" if report.passed else "ko"
    right = {1, 2, 3, 4, 5, 6}
    body = [
        f"<h1>{_h(title)}</h1>",
        f'<p class="meta">Kỳ báo cáo: {_h(_period_text(report))}</p>',
        f'<p class="meta">Chỉ tiêu: {_h(_target_text(report))}</p>',
    ]
    if dated:
        body.append(f'<p class="meta">Ngày lập báo cáo: {_h(vn_date(dated))}</p>')
    body.append(
        f'<p class="verdict {verdict_cls}">Kết quả: {c.covered}/{c.in_scope} = '
        f"{_h(_pct(c.percent))} — {_h(_verdict(report))}</p>"
    )
    body += ["<h2>1. Tổng hợp</h2>", _html_table(["Nội dung", "Kết quả"], _summary_rows(report))]
    body += ["<h2>2. Theo đơn vị</h2>", _bar_chart(report)]
    body.append(_html_table(["Đơn vị", "Tổng", *_GROUP_HEAD], _group_rows(report.by_unit), right))
    body += [
        "<h2>3. Theo lĩnh vực</h2>",
        _html_table(["Lĩnh vực", "Tổng", *_GROUP_HEAD], _group_rows(report.by_field), right),
    ]
    body += [
        "<h2>4. Còn thiếu</h2>",
        _html_table(["Ký hiệu", "Tên", "Đơn vị", "Còn thiếu"], _gap_rows(report)),
    ]
    sev = [f"sev-{f.severity}" for f in report.findings]
    body += [
        "<h2>5. Phát hiện kiểm tra</h2>",
        _html_table(["Mức", "Kiểm tra", "Đối tượng", "Nội dung"], _finding_rows(report.findings), cls=sev),
    ]
    body += [
        "<h2>6. Căn cứ (bằng chứng)</h2>",
        _html_table(
            ["Ký hiệu", "Tên", "Nội dung", "Văn bản/sự kiện", "Ngày", "Vị trí"], _evidence_rows(report)
        ),
    ]
    if report.out_of_scope:
        rows = [[o.code or "", o.name, o.unit, _REASONS.get(o.reason, o.reason)] for o in report.out_of_scope]
        body += ["<h2>7. Ngoài phạm vi</h2>", _html_table(["Ký hiệu", "Tên", "Đơn vị", "Lý do"], rows)]
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_h(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


# --------------------------------------------------------------------------------------------- docx


def write_docx(
    report: AuditReport, path: Path, *, dated: str, place: str = "Hà Tĩnh", agency: str = "SỞ NGOẠI VỤ"
) -> None:
    """Write the report as a Word file with Vietnamese headings and tables.

    Args:
        report: the audit report.
        path: the file to write.
        dated: ISO date printed on the report (passed in; never the clock).
        place: place name of the date line.
        agency: agency printed in the header.
    """
    import docx  # heavy: imported only when a .docx is asked for
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    # A4 with the margins of Nghị định 30/2020/NĐ-CP (the template is US Letter).
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
    y, m, d = dated[0:4], dated[5:7], dated[8:10]
    # Two-column header of Nghị định 30/2020: agency (left), national motto and place/date (right).
    header = document.add_table(rows=1, cols=2)
    cells = header.rows[0].cells
    lines = (
        (("UBND TỈNH HÀ TĨNH", False, False), (agency, True, False)),
        (
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
            ("Độc lập - Tự do - Hạnh phúc", True, False),
            (f"{place}, ngày {d} tháng {m} năm {y}", False, True),
        ),
    )
    header.autofit = False
    for column, cell, width, cell_lines in zip(header.columns, cells, (Mm(60), Mm(105)), lines, strict=True):
        column.width = cell.width = width
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for n, (text, bold, italic) in enumerate(cell_lines):
            run = para.add_run(("\n" if n else "") + text)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(12)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(DOCX_TITLE)
    run.bold = True
    run.font.size = Pt(14)
    for text in (f"Kỳ báo cáo: {_period_text(report)}", f"Chỉ tiêu: {_target_text(report)}"):
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    c = report.coverage
    verdict = document.add_paragraph()
    verdict.alignment = WD_ALIGN_PARAGRAPH.CENTER
    vr = verdict.add_run(f"Kết quả: {c.covered}/{c.in_scope} = {_pct(c.percent)} — {_verdict(report)}")
    vr.bold = True

    def table(head: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        """A grid table; ``widths`` in mm add up to the 165 mm of text width."""
        t = document.add_table(rows=1, cols=len(head))
        t.style = "Table Grid"
        t.autofit = False
        for cell, text in zip(t.rows[0].cells, head, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        if not rows:
            cells = t.add_row().cells
            cells[0].text = "(không có)"
        for row in rows:
            for cell, text in zip(t.add_row().cells, row, strict=True):
                cell.text = text
        for column, width in zip(t.columns, widths, strict=True):
            column.width = Mm(width)  # the grid (LibreOffice reads it) and every cell (Word reads those)
            for cell in column.cells:
                cell.width = Mm(width)
        for row_ in t.rows:
            for cell in row_.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(11)

    document.add_heading("I. TỔNG HỢP KẾT QUẢ", level=2)
    group = (53, 14, 18, 18, 20, 20, 22)
    table(["Nội dung", "Kết quả"], _summary_rows(report), (110, 55))
    document.add_heading("II. KẾT QUẢ THEO ĐƠN VỊ", level=2)
    table(["Đơn vị", "Tổng", *_GROUP_HEAD], _group_rows(report.by_unit), group)
    document.add_heading("III. KẾT QUẢ THEO LĨNH VỰC", level=2)
    table(["Lĩnh vực", "Tổng", *_GROUP_HEAD], _group_rows(report.by_field), group)
    document.add_heading("IV. THỦ TỤC CÒN THIẾU", level=2)
    table(["Ký hiệu", "Tên thủ tục/quy trình", "Đơn vị", "Còn thiếu"], _gap_rows(report), (25, 70, 40, 30))
    document.add_heading("V. PHÁT HIỆN KIỂM TRA (ISO 9001:2015, MỤC 7.5)", level=2)
    table(["Mức", "Kiểm tra", "Đối tượng", "Nội dung"], _finding_rows(report.findings), (20, 40, 37, 68))
    document.add_heading("VI. CĂN CỨ, BẰNG CHỨNG", level=2)
    table(
        ["Ký hiệu", "Tên", "Nội dung", "Văn bản/sự kiện", "Ngày", "Vị trí"],
        _evidence_rows(report),
        (22, 45, 19, 35, 22, 22),
    )
    props = document.core_properties
    props.title = DOCX_TITLE
    props.author = props.last_modified_by = "procreg"
    props.comments = ""
    when = datetime(int(y), int(m), int(d))
    props.created = props.modified = when
    buf = io.BytesIO()
    document.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_zip_fixed(buf.getvalue(), path, when)


def _write_zip_fixed(data: bytes, path: Path, when: datetime) -> None:
    """Rewrite the .docx zip with entry times set to the report's date: the same report, the same bytes."""
    import zipfile

    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))


def render(report: AuditReport, fmt: str, *, dated: str | None = None) -> str:
    """Render a text format (``text``, ``md``, ``html``, ``csv``); ``json``/``docx`` are handled by callers.

    Raises:
        ValueError: an unknown or binary format.
    """
    if fmt == "text":
        return render_text(report)
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report, dated=dated)
    if fmt == "csv":
        return render_csv(report)
    raise ValueError(f"not a text format: {fmt}")
