"""The audit report as CSV: one row per in-scope item, with the evidence in one cell.

Every cell goes through ``text.safe.csv_cell``: a cell that starts like a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return) gets a leading apostrophe, so that no spreadsheet runs what a document says.
Rows end with CRLF (RFC 4180). A file gets a UTF-8 byte-order mark (``render_report``): Excel and
LibreOffice's import dialog read it as UTF-8 (LibreOffice's headless, option-less import assumes
Windows-1252 whatever the file says; the ``.xlsx`` output is the format for spreadsheet users).
"""

from __future__ import annotations

import csv
import io

from procreg.procedures.audit import AuditReport
from procreg.text.dates import vn_date
from procreg.text.safe import csv_cell

__all__ = ["CSV_HEAD", "render_csv"]

CSV_HEAD = [
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


def render_csv(report: AuditReport) -> str:
    """CSV, one row per in-scope item (evidence joined with `` ; ``), every cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEAD)
    for item in report.items:
        row = [
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
                f"{p.verb}: {p.document} {vn_date(p.date) if p.date else ''} {p.where or ''}".strip()
                for p in item.evidence
            ),
        ]
        writer.writerow([csv_cell(c) for c in row])
    return buf.getvalue()
