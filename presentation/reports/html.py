"""The audit report as one self-contained HTML file: summary, a per-unit SVG bar chart, the tables."""

from __future__ import annotations

import html

from procreg.presentation.reports.common import (
    DOCX_TITLE,
    GROUP_HEAD,
    REASONS,
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
from procreg.procedures.audit import AuditReport, GroupCoverage
from procreg.text.dates import vn_date

__all__ = ["render_html"]

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
_NUMERIC = {1, 2, 3, 4, 5, 6}
# Geometry of the per-unit chart, in pixels.
_LABEL_W, _BAR_W, _ROW_H, _TOP = 260, 520, 30, 30


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


def _axis(height: int) -> list[str]:
    parts = []
    for tick in (0, 25, 50, 75, 100):
        x = _LABEL_W + _BAR_W * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{height - 24}" stroke="#e4e7eb"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="#7b8794">{tick}%</text>'
        )
    return parts


def _bar(i: int, g: GroupCoverage, target: float | None) -> list[str]:
    y = _TOP + i * _ROW_H
    value = g.coverage.percent
    ok = target is None or g.coverage.exact >= target
    color = "#2f9e44" if ok else "#e8590c"
    name = g.name if len(g.name) <= 38 else g.name[:37] + "…"
    return [
        f'<text x="{_LABEL_W - 8}" y="{y + 19}" font-size="13" text-anchor="end">{_h(name)}</text>',
        f'<rect x="{_LABEL_W}" y="{y + 5}" width="{_BAR_W}" height="{_ROW_H - 10}" fill="#f0f4f8"/>',
        f'<rect x="{_LABEL_W}" y="{y + 5}" width="{_BAR_W * value / 100:.1f}" '
        f'height="{_ROW_H - 10}" fill="{color}">'
        f"<title>{_h(g.name)}: {g.coverage.covered}/{g.coverage.in_scope}</title></rect>",
        f'<text x="{_LABEL_W + _BAR_W + 6}" y="{y + 19}" font-size="12">'
        f"{_h(pct(value))} ({g.coverage.covered}/{g.coverage.in_scope})</text>",
    ]


def _target_line(target: float, height: int) -> list[str]:
    x = _LABEL_W + _BAR_W * min(target, 100) / 100
    return [
        f'<line x1="{x:.1f}" y1="{_TOP - 2}" x2="{x:.1f}" y2="{height - 26}" stroke="#b42318" '
        'stroke-width="2" stroke-dasharray="5,4"/>',
        f'<text x="{x + 4:.1f}" y="{_TOP + 2}" font-size="11" fill="#b42318">'
        f"chỉ tiêu {_h(pct(target))}</text>",
    ]


def _bar_chart(report: AuditReport) -> str:
    """Horizontal bars of coverage per unit, with the target as a dashed line."""
    groups = list(report.by_unit)
    width = _LABEL_W + _BAR_W + 90
    height = _TOP + _ROW_H * max(len(groups), 1) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Tỷ lệ đạt theo đơn vị">',
        f'<text x="{_LABEL_W}" y="18" font-size="13" fill="#52606d">'
        "Tỷ lệ đạt cả ba (rà soát, công bố, công khai) theo đơn vị</text>",
        *_axis(height),
    ]
    target = report.target.value
    for i, g in enumerate(groups):
        parts += _bar(i, g, target)
    if target is not None:
        parts += _target_line(target, height)
    parts.append("</svg>")
    return "".join(parts)


def _tables(report: AuditReport) -> list[str]:
    sev = [f"sev-{f.severity}" for f in report.findings]
    body = ["<h2>1. Tổng hợp</h2>", _html_table(["Nội dung", "Kết quả"], summary_rows(report))]
    body += ["<h2>2. Theo đơn vị</h2>", _bar_chart(report)]
    body.append(_html_table(["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit), _NUMERIC))
    body += [
        "<h2>3. Theo lĩnh vực</h2>",
        _html_table(["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field), _NUMERIC),
        "<h2>4. Còn thiếu</h2>",
        _html_table(["Ký hiệu", "Tên", "Đơn vị", "Còn thiếu"], gap_rows(report)),
        "<h2>5. Phát hiện kiểm tra</h2>",
        _html_table(["Mức", "Kiểm tra", "Đối tượng", "Nội dung"], finding_rows(report.findings), cls=sev),
        "<h2>6. Căn cứ (bằng chứng)</h2>",
        _html_table(
            ["Ký hiệu", "Tên", "Nội dung", "Văn bản/sự kiện", "Ngày", "Vị trí"], evidence_rows(report)
        ),
    ]
    if report.out_of_scope:
        rows = [[o.code or "", o.name, o.unit, REASONS.get(o.reason, o.reason)] for o in report.out_of_scope]
        body += ["<h2>7. Ngoài phạm vi</h2>", _html_table(["Ký hiệu", "Tên", "Đơn vị", "Lý do"], rows)]
    return body


def render_html(report: AuditReport, *, title: str = DOCX_TITLE, dated: str | None = None) -> str:
    """One self-contained HTML file: summary, per-unit SVG bar chart, tables of units, gaps, findings."""
    c = report.coverage
    verdict_cls = "ok" if report.passed else "ko"
    body = [
        f"<h1>{_h(title)}</h1>",
        f'<p class="meta">Kỳ báo cáo: {_h(period_text(report))}</p>',
        f'<p class="meta">Chỉ tiêu: {_h(target_text(report))}</p>',
    ]
    if dated:
        body.append(f'<p class="meta">Ngày lập báo cáo: {_h(vn_date(dated))}</p>')
    body.append(
        f'<p class="verdict {verdict_cls}">Kết quả: {c.covered}/{c.in_scope} = '
        f"{_h(pct(c.percent))} — {_h(verdict(report))}</p>"
    )
    body += _tables(report)
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_h(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
