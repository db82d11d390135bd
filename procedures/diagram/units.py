"""The units overview: which units take part in which procedures, with steps and hours, as text or SVG."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from procreg.procedures.graph import UnitLoad

from .common import COLORS, FONT_STACK, format_hours, wrap_text, xml_attr, xml_text
from .layout import MARGIN

__all__ = ["render_units_svg", "render_units_text", "units_data"]

# The SVG matrix (pixels): a cell per procedure, the unit names left, the totals right.
_CELL = 34
_NAME_W = 300
_HEAD_H = 110
_TOTALS_W = 150
_ROW_H = 26


def _proc_label(graph: Any, pnode: str) -> str:
    data = graph.nodes[pnode]
    return str(data.get("code") or f"#{pnode.split(':', 1)[1]}")


def units_data(graph: Any, loads: Sequence[UnitLoad]) -> list[dict[str, Any]]:
    """The units overview as JSON-ready data: per unit, its steps, steps led, hours and procedures."""
    return [
        {
            "unit": load.unit,
            "steps": load.steps,
            "lead_steps": load.lead_steps,
            "hours": load.hours,
            "procedures": [
                {"code": graph.nodes[p].get("code"), "name": graph.nodes[p].get("name"), "steps": n}
                for p, n in load.procedures
            ],
        }
        for load in loads
    ]


def render_units_text(graph: Any, loads: Sequence[UnitLoad], width: int = 100) -> str:
    """The units overview as a plain-text table: unit, steps taken part in, steps led, hours, procedures.

    Long unit names and procedure lists wrap onto continuation lines, so the table stays ``width`` wide.
    """
    name_w = min(36, max([len("Đơn vị")] + [len(load.unit) for load in loads]))
    rest_w = max(20, width - name_w - 26)
    lines = [f"{'Đơn vị':<{name_w}}  {'Số bước':>7}  {'Chủ trì':>7}  {'Số giờ':>6}  Quy trình (số bước)"]
    for load in loads:
        # A no-break space keeps "QT.GĐ.01 (2)" on one line; it is turned back into a space below.
        procs = ", ".join(f"{_proc_label(graph, p)}\u00a0({n})" for p, n in load.procedures)
        names = textwrap.wrap(load.unit, name_w) or [""]
        plist = [line.replace("\u00a0", " ") for line in textwrap.wrap(procs, rest_w)] or [""]
        for k in range(max(len(names), len(plist))):
            name = names[k] if k < len(names) else ""
            cells = (
                f"{load.steps:>7}  {load.lead_steps:>7}  {format_hours(load.hours):>6}"
                if k == 0
                else " " * 26
            )
            lines.append(f"{name:<{name_w}}  {cells}  {plist[k] if k < len(plist) else ''}".rstrip())
    return "\n".join(lines) + "\n"


def render_units_svg(graph: Any, loads: Sequence[UnitLoad]) -> str:
    """The units overview as an SVG matrix: units x procedures (steps per cell), with per-unit totals."""
    procs = list(dict.fromkeys(p for load in loads for p, _ in load.procedures))
    procs.sort(key=lambda p: int(p.split(":", 1)[1]))
    width = MARGIN * 2 + _NAME_W + _CELL * len(procs) + _TOTALS_W
    height = MARGIN * 2 + 40 + _HEAD_H + _ROW_H * len(loads) + 10
    ink = COLORS["ink"]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{xml_attr(FONT_STACK)}">',
        "<title>Đơn vị và quy trình</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 20}" font-size="18" font-weight="bold" fill="{ink}">'
        f"Đơn vị tham gia các quy trình: số bước và số giờ</text>",
    ]
    y0 = MARGIN + 40 + _HEAD_H
    for j, p in enumerate(procs):
        cx = MARGIN + _NAME_W + j * _CELL + _CELL // 2
        out.append(
            f'<text transform="translate({cx + 4},{y0 - 6}) rotate(-60)" font-size="11" '
            f'fill="{ink}">'
            f"{xml_text(_proc_label(graph, p))}<title>{xml_text(str(graph.nodes[p].get('name') or ''))}"
            "</title></text>"
        )
    tx = MARGIN + _NAME_W + _CELL * len(procs)
    out.append(
        f'<text x="{tx + 8}" y="{y0 - 8}" font-size="12" font-weight="bold" fill="{ink}">Số bước</text>'
    )
    out.append(
        f'<text x="{tx + 80}" y="{y0 - 8}" font-size="12" font-weight="bold" fill="{ink}">Số giờ</text>'
    )
    for i, load in enumerate(loads):
        out += _unit_row(i, load, procs, y0 + i * _ROW_H, width)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _unit_row(i: int, load: UnitLoad, procs: list[str], y: int, width: int) -> list[str]:
    """One unit's row: striped band, its name (cut to one line), a cell per procedure, steps and hours."""
    ink = COLORS["ink"]
    fill = COLORS["lane_a"] if i % 2 == 0 else COLORS["lane_b"]
    name = wrap_text(load.unit, _NAME_W - 12, 12)
    label = name[0] + ("…" if len(name) > 1 else "")
    out = [
        f'<rect x="{MARGIN}" y="{y}" width="{width - 2 * MARGIN}" height="{_ROW_H}" fill="{fill}"/>',
        f'<text x="{MARGIN + 6}" y="{y + 17}" font-size="12" fill="{ink}">{xml_text(label)}'
        f"<title>{xml_text(load.unit)}</title></text>",
    ]
    per = dict(load.procedures)
    for j, p in enumerate(procs):
        if p not in per:
            continue
        x = MARGIN + _NAME_W + j * _CELL
        out.append(
            f'<rect x="{x + 3}" y="{y + 3}" width="{_CELL - 6}" height="20" rx="3" fill="#dbe7f5" '
            f'stroke="{COLORS["box"]}" stroke-width="0.8"/>'
        )
        out.append(
            f'<text x="{x + _CELL // 2}" y="{y + 17}" font-size="11" text-anchor="middle" '
            f'fill="{ink}">{per[p]}</text>'
        )
    tx = MARGIN + _NAME_W + _CELL * len(procs)
    out.append(f'<text x="{tx + 8}" y="{y + 17}" font-size="12" fill="{ink}">{load.steps}</text>')
    out.append(
        f'<text x="{tx + 80}" y="{y + 17}" font-size="12" fill="{ink}">{format_hours(load.hours)}</text>'
    )
    return out
