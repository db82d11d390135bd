"""The audit report as one self-contained HTML file that prints as an official báo cáo on A4.

The same blocks as the .docx (Nghị định 30/2020: agency and motto with their rules, "Số: …/BC-…", place
and date, BÁO CÁO and its subject, "Nơi nhận", the signature), the summary, a per-unit SVG bar chart
whose unit names wrap instead of being cut, and the tables. The print stylesheet sets A4 with the
decree's margins, page numbers at the top centre from page 2, table headers repeated on every page
(``thead``) and rows kept whole. Document text is escaped and loses its control characters.
"""

from __future__ import annotations

import html
import math

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
    period_text,
    summary_rows,
    target_text,
    verdict,
)
from procreg.presentation.reports.official import MOTTO, NATION, REPORT_KIND, Official, official
from procreg.procedures.audit import AuditReport, GroupCoverage
from procreg.procedures.diagram import text_width, wrap_text
from procreg.registry.results import ReportSettings
from procreg.text.safe import xml_text

__all__ = ["CHART_FONT", "chart_label_width", "coverage_chart", "render_html"]

_SCREEN_CSS = (
    'body{font-family:"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:2rem auto;max-width:1100px;'
    "color:#1f2933;padding:0 1rem}"
    ".nd30{width:100%;border:0;margin:0 0 1rem;font-family:'Times New Roman','Liberation Serif',serif;"
    "font-size:1.05rem}.nd30 td{border:0;text-align:center;vertical-align:top;padding:0 .5rem}"
    ".nd30 .left{width:40%}.nd30 .strong{font-weight:700}.nd30 .nation{font-weight:700;font-size:.95em}"
    ".nd30 .rule{display:inline-block}.nd30 .agency .rule::after{content:'';display:block;width:45%;"
    "margin:.25rem auto .4rem;border-top:1px solid currentColor}"
    ".nd30 .motto .rule{border-bottom:1px solid currentColor;padding-bottom:.15rem;margin-bottom:.4rem}"
    ".nd30 .date{font-style:italic}"
    "h1{font-size:1.35rem;text-align:center;margin:1rem 0 .3rem}h1 span{display:block}"
    "h1 .subject{font-size:1.15rem}h1::after{content:'';display:block;width:30%;margin:.35rem auto 0;"
    "border-top:1px solid currentColor}"
    "h2{font-size:1.1rem;margin-top:2rem;border-bottom:2px solid #d9e2ec}"
    ".intro{text-indent:2.5em;text-align:justify}"
    ".meta{text-align:center;color:#52606d;margin:.2rem 0}"
    ".verdict{font-size:1.25rem;text-align:center;margin:1rem 0;font-weight:600}"
    ".ok{color:#1a7f37}.ko{color:#b42318}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}"
    "th,td{border:1px solid #cbd2d9;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f0f4f8}"
    "td.n{text-align:right;white-space:nowrap}.sev-error{color:#b42318;font-weight:600}.sev-warning{color:#b54708}"
    ".sev-info{color:#52606d}svg text{font-family:inherit}svg.chart{max-width:100%;height:auto}"
    ".closing{width:100%;margin-top:2rem}.closing td{border:0;vertical-align:top}"
    ".closing .recipients{width:45%;font-size:.85rem}.closing .recipients b{font-style:italic}"
    ".closing .signature{text-align:center;font-weight:700}.closing .sign-room{height:5rem}"
)
# A4 with the decree's margins, the page number at the top centre from page 2, headers repeated, rows whole.
_PRINT_CSS = (
    "@page{size:A4;margin:20mm 15mm 20mm 30mm;"
    "@top-center{content:counter(page);font:13pt 'Times New Roman','Liberation Serif',serif}}"
    "@page:first{@top-center{content:none}}"
    "@media print{body{margin:0;max-width:none;padding:0;color:#000;"
    "font:13pt/1.3 'Times New Roman','Liberation Serif',serif}"
    "table{font-size:11pt}td{overflow-wrap:anywhere}thead{display:table-header-group}tfoot{display:table-footer-group}"
    "tr,th,td{break-inside:avoid;page-break-inside:avoid}"
    "h1,h2{break-after:avoid;page-break-after:avoid}"
    "svg.chart,.closing,.nd30{break-inside:avoid;page-break-inside:avoid}"
    "th{background:none}.ok,.ko,.sev-error,.sev-warning,.sev-info{color:#000}}"
)
_NUMERIC = {1, 2, 3, 4, 5, 6}
# Geometry of the per-unit chart, in pixels; unit names wrap within the label column, never cut.
CHART_FONT = 13
_BAR_W, _TOP, _LINE_H, _MIN_LABEL, _MAX_LABEL = 520, 30, 16, 120, 300


def _h(text: object) -> str:
    return html.escape(xml_text(str(text)), quote=True)


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


def chart_label_width(names: list[str]) -> int:
    """Width of the chart's label column: the widest name plus room, between 120 and 300 pixels."""
    widest = max((text_width(xml_text(n), CHART_FONT) for n in names), default=0.0)
    return min(max(math.ceil(widest) + 17, _MIN_LABEL), _MAX_LABEL)


def _axis(label_w: int, height: int) -> list[str]:
    parts = []
    for tick in (0, 25, 50, 75, 100):
        x = label_w + _BAR_W * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{height - 24}" stroke="#e4e7eb"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="#7b8794">{tick}%</text>'
        )
    return parts


def _bar(
    y: int, row_h: int, lines: list[str], g: GroupCoverage, label_w: int, target: float | None
) -> list[str]:
    """One unit: its name on as many lines as it needs (right-aligned to the bars), the bar, the figure."""
    value = g.coverage.percent
    ok = target is None or g.coverage.exact >= target
    color = "#2f9e44" if ok else "#e8590c"
    first = y + (row_h - _LINE_H * len(lines)) / 2 + 12
    spans = "".join(
        f'<tspan x="{label_w - 8}" y="{first + k * _LINE_H:.1f}">{_h(line)}</tspan>'
        for k, line in enumerate(lines)
    )
    mid = y + row_h / 2
    return [
        f'<text class="unit" font-size="{CHART_FONT}" text-anchor="end">{spans}</text>',
        f'<rect x="{label_w}" y="{mid - 10:.1f}" width="{_BAR_W}" height="20" fill="#f0f4f8"/>',
        f'<rect x="{label_w}" y="{mid - 10:.1f}" width="{_BAR_W * value / 100:.1f}" height="20" '
        f'fill="{color}">'
        f"<title>{_h(g.name)}: {g.coverage.covered}/{g.coverage.in_scope}</title></rect>",
        f'<text x="{label_w + _BAR_W + 6}" y="{mid + 4:.1f}" font-size="12">'
        f"{_h(pct(value))} ({g.coverage.covered}/{g.coverage.in_scope})</text>",
    ]


def _target_line(target: float, label_w: int, height: int) -> list[str]:
    x = label_w + _BAR_W * min(target, 100) / 100
    return [
        f'<line x1="{x:.1f}" y1="{_TOP - 2}" x2="{x:.1f}" y2="{height - 26}" stroke="#b42318" '
        'stroke-width="2" stroke-dasharray="5,4"/>',
        f'<text x="{x + 4:.1f}" y="{_TOP + 2}" font-size="11" fill="#b42318">'
        f"chỉ tiêu {_h(pct(target))}</text>",
    ]


def _bar_chart(report: AuditReport) -> str:
    """Horizontal bars of coverage per unit, the target as a dashed line; names wrap, never cut."""
    groups = list(report.by_unit)
    label_w = chart_label_width([g.name for g in groups])
    wrapped = [wrap_text(xml_text(g.name), label_w - 16, CHART_FONT) or [""] for g in groups]
    heights = [max(30, _LINE_H * len(lines) + 14) for lines in wrapped]
    width = label_w + _BAR_W + 90
    height = _TOP + (sum(heights) or 30) + 30
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Tỷ lệ đạt theo đơn vị">',
        f'<text x="{label_w}" y="18" font-size="13" fill="#52606d">'
        "Tỷ lệ đạt cả ba (rà soát, công bố, công khai) theo đơn vị</text>",
        *_axis(label_w, height),
    ]
    target = report.target.value
    y = _TOP
    for g, lines, row_h in zip(groups, wrapped, heights, strict=True):
        parts += _bar(y, row_h, lines, g, label_w, target)
        y += row_h
    if target is not None:
        parts += _target_line(target, label_w, height)
    parts.append("</svg>")
    return "".join(parts)


def coverage_chart(report: AuditReport) -> str:
    """The per-unit coverage chart as inline SVG (the web page's home and audit pages show it too)."""
    return _bar_chart(report)


def _tables(report: AuditReport) -> list[str]:
    sev = [f"sev-{f.severity}" for f in report.findings]
    body = ["<h2>I. Kết quả chung</h2>", _html_table(SUMMARY_HEAD, summary_rows(report))]
    body += ["<h2>II. Kết quả theo đơn vị</h2>", _bar_chart(report)]
    body.append(_html_table(["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit), _NUMERIC))
    body += [
        "<h2>III. Kết quả theo lĩnh vực</h2>",
        _html_table(["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field), _NUMERIC),
        "<h2>IV. Thủ tục còn thiếu</h2>",
        _html_table(GAP_HEAD, gap_rows(report)),
        "<h2>V. Phát hiện kiểm tra (ISO 9001:2015, mục 7.5)</h2>",
        _html_table(FINDING_HEAD, finding_rows(report.findings), cls=sev),
        "<h2>VI. Căn cứ, bằng chứng</h2>",
        _html_table(EVIDENCE_HEAD, evidence_rows(report)),
    ]
    if report.out_of_scope:
        rows = [[o.code or "", o.name, o.unit, REASONS.get(o.reason, o.reason)] for o in report.out_of_scope]
        body += ["<h2>VII. Ngoài phạm vi</h2>", _html_table(["Ký hiệu", "Tên", "Đơn vị", "Lý do"], rows)]
    return body


def _header(o: Official) -> list[str]:
    """Ô 1–5: agency block and motto with their rules, number, place and date, BÁO CÁO and subject."""
    return [
        '<table class="nd30"><tr><td class="left agency">',
        f'<div>{_h(o.parent)}</div><div class="strong"><span class="rule">{_h(o.agency)}</span></div>',
        f'<div class="number">{_h(o.number)}</div></td><td class="right">',
        f'<div class="nation">{_h(NATION)}</div>',
        f'<div class="strong motto"><span class="rule">{_h(MOTTO)}</span></div>',
        f'<div class="date">{_h(o.place_date)}</div></td></tr></table>',
        f'<h1><span class="kind">{_h(REPORT_KIND)}</span><span class="subject">{_h(o.subject)}</span></h1>',
        f'<p class="intro">{_h(o.intro)}</p>',
    ]


def _closing(o: Official) -> list[str]:
    """Ô 9a and 7: "Nơi nhận" beside the signer's position, room to sign, and name."""
    recipients = "".join(f"<div>{_h(line)}</div>" for line in o.recipients)
    position = "".join(f"<div>{_h(line)}</div>" for line in o.position)
    return [
        '<table class="closing"><tr>',
        f'<td class="recipients"><b>Nơi nhận:</b>{recipients}</td>',
        f'<td class="signature">{position}<div class="sign-room"></div><div>{_h(o.signer)}</div></td>',
        "</tr></table>",
    ]


def render_html(
    report: AuditReport,
    *,
    title: str = DOCX_TITLE,
    dated: str | None = None,
    settings: ReportSettings | None = None,
) -> str:
    """One self-contained HTML file: the official blocks, summary, per-unit chart, tables, signature.

    Args:
        report: the audit report.
        title: the page title.
        dated: ISO date of the report (None leaves the date line blank).
        settings: agency, place, symbol, recipients and signer (dotted lines when unset).
    """
    o = official(report, settings, dated)
    c = report.coverage
    verdict_cls = "ok" if report.passed else "ko"
    body = _header(o)
    body += [
        f'<p class="meta">Kỳ báo cáo: {_h(period_text(report))}</p>',
        f'<p class="meta">Chỉ tiêu: {_h(target_text(report))}</p>',
        f'<p class="verdict {verdict_cls}">Kết quả: {c.covered}/{c.in_scope} = '
        f"{_h(pct(c.percent))} — {_h(verdict(report))}</p>",
    ]
    body += _tables(report)
    body += _closing(o)
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_h(title)}</title><style>{_SCREEN_CSS}{_PRINT_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
