"""The audit report in Markdown: tables for the summary, units, fields, gaps, findings and evidence.

Document text is escaped (``<``, ``>``, ``&``, ``[``, ``]``, ``|``) and loses its control characters, so
that a renderer shows ``<script>`` or ``[x](javascript:…)`` from a document as text.
"""

from __future__ import annotations

import html

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
from procreg.text.safe import xml_text

__all__ = ["render_markdown"]


def _md_cell(text: str) -> str:
    """A table cell: one line, pipes and brackets escaped, HTML shown as text."""
    return _md_text(text).replace("|", "\\|").replace("\n", " ")


def _md_text(text: str) -> str:
    """Text shown as text by a Markdown renderer: HTML escaped, link brackets escaped, no controls."""
    text = html.escape(xml_text(text), quote=False)
    return text.replace("[", "\\[").replace("]", "\\]")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def _section(title: str, head: list[str], rows: list[list[str]]) -> list[str]:
    return [title, "", *_md_table(head, rows), ""]


def render_markdown(report: AuditReport) -> str:
    """Markdown report (tables for summary, units, fields, gaps, findings and evidence)."""
    c = report.coverage
    out = [
        f"# {DOCX_TITLE}",
        "",
        f"- Kỳ báo cáo: {_md_text(period_text(report))}",
        f"- Chỉ tiêu: {_md_text(target_text(report))}",
        f"- **Kết quả: {c.covered}/{c.in_scope} = {pct(c.percent)} — {verdict(report)}**",
        "",
    ]
    out += _section("## 1. Tổng hợp", ["Nội dung", "Kết quả"], summary_rows(report))
    out += _section("## 2. Theo đơn vị", ["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit))
    out += _section("## 3. Theo lĩnh vực", ["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field))
    out += _section("## 4. Còn thiếu", ["Ký hiệu", "Tên", "Đơn vị", "Còn thiếu"], gap_rows(report))
    out += _section(
        "## 5. Phát hiện kiểm tra",
        ["Mức", "Kiểm tra", "Đối tượng", "Nội dung"],
        finding_rows(report.findings),
    )
    out += _section(
        "## 6. Căn cứ (bằng chứng)",
        ["Ký hiệu", "Tên", "Nội dung", "Văn bản/sự kiện", "Ngày", "Vị trí"],
        evidence_rows(report),
    )
    return "\n".join(out)
