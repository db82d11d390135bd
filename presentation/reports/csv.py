"""The audit report as CSV: one row per in-scope item, with the evidence in one cell."""

from __future__ import annotations

import csv
import io

from procreg.procedures.audit import AuditReport

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
    """CSV, one row per in-scope item (UTF-8; evidence joined with `` ; ``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEAD)
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
