"""The audit report for a terminal: the overall figure with Đạt/Chưa đạt, units, fields, gaps, findings."""

from __future__ import annotations

from procreg.presentation.reports.common import (
    DELIVERABLES,
    GROUP_HEAD,
    REASONS,
    SEVERITY,
    check_label,
    cov,
    gap_label,
    gaps,
    group_rows,
    missing_text,
    pct,
    period_text,
    target_text,
    verdict,
)
from procreg.procedures.audit import VERB_LABELS, AuditReport

__all__ = ["render_text"]

_FILTER_NAMES = {"unit": "đơn vị", "field": "lĩnh vực", "issuer": "cơ quan ban hành"}
_NUMERIC = {1, 2, 3, 4, 5, 6}


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


def _heading_lines(report: AuditReport) -> list[str]:
    out = ["KẾT QUẢ RÀ SOÁT, CÔNG BỐ, CÔNG KHAI TTHC NỘI BỘ", ""]
    out.append(f"Kỳ báo cáo : {period_text(report)}")
    out.append(f"Chỉ tiêu   : {target_text(report)}")
    if report.filters:
        shown = (f"{_FILTER_NAMES.get(k, k)} “{v}”" for k, v in sorted(report.filters.items()))
        out.append("Lọc        : " + ", ".join(shown))
    c = report.coverage
    out.append(f"Kết quả    : {c.covered}/{c.in_scope} = {pct(c.percent)} — {verdict(report)}")
    out.append(
        "             "
        + " · ".join(f"{VERB_LABELS[v]} {report.verbs.get(v, 0)}/{c.in_scope}" for v in report.verbs)
    )
    out.append(
        "             "
        + " · ".join(f"{DELIVERABLES[k]} {cov(report.deliverables[k])}" for k in ("catalog", "process"))
    )
    return out


def render_text(report: AuditReport) -> str:
    """Terminal report: overall figure with Đạt/Chưa đạt, per unit, per field, gaps, findings."""
    out = _heading_lines(report)
    out += ["", "Theo đơn vị"]
    out += ["  " + s for s in _table(["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit), _NUMERIC)]
    out += ["", "Theo lĩnh vực"]
    out += [
        "  " + s for s in _table(["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field), _NUMERIC)
    ]
    missing = gaps(report)
    out += ["", f"Còn thiếu ({len(missing)})"]
    if not missing:
        out.append("  (không có)")
    for item in missing:
        out.append(f"  - {gap_label(item)} [{item.unit}]: {missing_text(item)}")
    if report.out_of_scope:
        out += ["", f"Ngoài phạm vi ({len(report.out_of_scope)})"]
        for o in report.out_of_scope:
            out.append(f"  - {(o.code + ' ') if o.code else ''}{o.name}: {REASONS.get(o.reason, o.reason)}")
    out += ["", f"Phát hiện kiểm tra ({len(report.findings)})"]
    if not report.findings:
        out.append("  (không có)")
    for f in report.findings:
        out.append(
            f"  [{SEVERITY.get(f.severity, f.severity)}] {check_label(f.check)} — {f.subject}: {f.message}"
        )
    return "\n".join(out) + "\n"
