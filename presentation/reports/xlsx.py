"""The audit report as an Excel workbook for spreadsheet users (openpyxl).

One sheet per table: the summary with the report's identity (agency, number, place and date), the
in-scope procedures one per row, units, fields, gaps, findings, evidence and, when there are any, the
procedures out of scope. Each sheet has a bold header row that stays frozen while scrolling, an
autofilter, and column widths fitted to the text. Counts are numbers and shares are percentages, so
that sums and filters work; every text cell is stored as text, never as a formula, whatever it starts
with (``=HYPERLINK(…)`` from a document stays visible text). The file is reproducible: the same report
and date give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from procreg.presentation.reports.common import (
    DELIVERABLES,
    EVIDENCE_HEAD,
    FINDING_HEAD,
    GAP_HEAD,
    GROUP_HEAD,
    REASONS,
    citation,
    evidence_rows,
    finding_rows,
    gap_rows,
    missing_text,
    period_text,
    summary_rows,
    target_text,
    verdict,
)
from procreg.presentation.reports.docx import fixed_zip
from procreg.presentation.reports.official import official
from procreg.procedures.audit import AuditReport, GroupCoverage
from procreg.registry.results import ReportSettings
from procreg.text.safe import write_output, xml_text

__all__ = ["ITEM_HEAD", "SHEETS", "write_xlsx", "xlsx_bytes"]

ITEM_HEAD = [
    "Ký hiệu",
    "Tên thủ tục/quy trình",
    "Đơn vị",
    "Lĩnh vực",
    "Sản phẩm",
    "Rà soát",
    "Công bố",
    "Công khai",
    "Đạt cả 3",
    "Còn thiếu",
    "Căn cứ",
]
SHEETS = ("Tổng hợp", "Thủ tục", "Theo đơn vị", "Theo lĩnh vực", "Còn thiếu", "Phát hiện", "Căn cứ")
_MIN_WIDTH, _MAX_WIDTH = 8, 60  # column widths, in characters
Cell = str | int | float
_PERCENT = "0.0%"


def _put(ws: Any, row: int, col: int, value: Cell, *, percent: bool = False) -> Any:
    """One cell: numbers as numbers, text as text (never a formula), without control characters."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = xml_text(value)
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    else:
        cell.value = value
        if percent:
            cell.number_format = _PERCENT
    return cell


def _sheet(
    wb: Any, title: str, head: Sequence[str], rows: Sequence[Sequence[Cell]], percent: int = -1
) -> Any:
    """A sheet with a frozen, bold, filterable header row and fitted column widths."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    for col, text in enumerate(head, 1):
        _put(ws, 1, col, text).font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, 2):
        for col, value in enumerate(row, 1):
            _put(ws, r, col, value, percent=col - 1 == percent).alignment = wrap
    ws.freeze_panes = "A2"
    last = get_column_letter(len(head))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"
    for col, text in enumerate(head, 1):
        longest = max([len(str(text))] + [len(str(row[col - 1])) for row in rows])
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
    return ws


def _group_rows(groups: Sequence[GroupCoverage]) -> list[list[Cell]]:
    return [
        [
            g.name,
            g.coverage.in_scope,
            g.reviewed,
            g.published,
            g.publicized,
            g.coverage.covered,
            round(g.coverage.percent / 100, 4),
        ]
        for g in groups
    ]


def _item_rows(report: AuditReport) -> list[list[Cell]]:
    return [
        [
            item.code or "",
            item.name,
            item.unit,
            item.field or "",
            "; ".join(DELIVERABLES.get(d, d) for d in item.deliverables),
            int(item.reviewed),
            int(item.published),
            int(item.publicized),
            int(item.covered),
            missing_text(item),
            "; ".join(citation(p) for p in item.evidence),
        ]
        for item in report.items
    ]


def _summary(report: AuditReport, settings: ReportSettings | None, dated: str) -> list[list[Cell]]:
    """The report's identity (agency, number, date, subject, period, target) then the summary figures."""
    o = official(report, settings, dated)
    head: list[list[Cell]] = [
        ["Cơ quan báo cáo", f"{o.agency} ({o.parent})"],
        ["Số, ký hiệu", o.number.replace("\u00a0", " ")],
        ["Địa danh, ngày", o.place_date],
        ["Báo cáo", o.subject],
        ["Kỳ báo cáo", period_text(report)],
        ["Chỉ tiêu", target_text(report)],
        ["Đánh giá", verdict(report)],
    ]
    return head + [[a, b] for a, b in summary_rows(report)]


def _workbook(report: AuditReport, settings: ReportSettings | None, dated: str) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, SHEETS[0], ["Nội dung", "Kết quả"], _summary(report, settings, dated))
    _sheet(wb, SHEETS[1], ITEM_HEAD, _item_rows(report))
    _sheet(wb, SHEETS[2], ["Đơn vị", "Tổng", *GROUP_HEAD], _group_rows(report.by_unit), percent=6)
    _sheet(wb, SHEETS[3], ["Lĩnh vực", "Tổng", *GROUP_HEAD], _group_rows(report.by_field), percent=6)
    _sheet(wb, SHEETS[4], GAP_HEAD, gap_rows(report))
    _sheet(wb, SHEETS[5], FINDING_HEAD, finding_rows(report.findings))
    _sheet(wb, SHEETS[6], EVIDENCE_HEAD, evidence_rows(report))
    if report.out_of_scope:
        rows = [[o.code or "", o.name, o.unit, REASONS.get(o.reason, o.reason)] for o in report.out_of_scope]
        _sheet(wb, "Ngoài phạm vi", ["Ký hiệu", "Tên thủ tục/quy trình", "Đơn vị", "Lý do"], rows)
    return wb


def xlsx_bytes(report: AuditReport, *, dated: str, settings: ReportSettings | None = None) -> bytes:
    """The report as the bytes of an .xlsx workbook (reproducible: no clock inside).

    Args:
        report: the audit report.
        dated: ISO date of the report, also the workbook's creation date.
        settings: agency, place, symbol and signer of the report (dotted lines when unset).
    """
    from openpyxl.writer.excel import ExcelWriter

    wb = _workbook(report, settings, dated)
    when = datetime(int(dated[0:4]), int(dated[5:7]), int(dated[8:10]))
    wb.properties.creator = wb.properties.lastModifiedBy = "procreg"
    wb.properties.created = wb.properties.modified = when
    wb.properties.title = official(report, settings, dated).subject
    buf = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the workbook with the clock.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(buf.getvalue(), when)


def write_xlsx(
    report: AuditReport, path: Path, *, dated: str, settings: ReportSettings | None = None
) -> None:
    """Write the workbook (``xlsx_bytes``), never through a symbolic link out of its folder.

    Raises:
        OSError: the file cannot be written (``text.safe.OutsideOutputFolder`` for a link out).
    """
    write_output(path, xlsx_bytes(report, dated=dated, settings=settings))
