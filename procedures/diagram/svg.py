"""A ``Layout`` as a standalone, print-friendly SVG document."""

from __future__ import annotations

from collections.abc import Sequence

from .common import COLORS, FONT_STACK, xml_attr, xml_text
from .layout import EVENT_R, HEADER_W, LaidEdge, LaidNode, Lane, Layout, Point, TextLine

__all__ = ["render_svg"]

_EDGE_STYLE = {
    "next": f'stroke="{COLORS["arrow"]}" stroke-width="1.5" marker-end="url(#arrow)"',
    "branch": (
        f'stroke="{COLORS["outcome"]}" stroke-width="1.3" stroke-dasharray="5 3" '
        'marker-end="url(#arrow-branch)"'
    ),
    "support": f'stroke="{COLORS["support"]}" stroke-width="1" stroke-dasharray="2 3"',
}
_BOX_STYLE = {
    "step": f'fill="{COLORS["box_fill"]}" stroke="{COLORS["box"]}" stroke-width="1.5" rx="6"',
    "outcome": f'fill="{COLORS["outcome_fill"]}" stroke="{COLORS["outcome"]}" stroke-width="1.2" rx="12"',
    "support": f'fill="#ffffff" stroke="{COLORS["support"]}" stroke-dasharray="3 2" rx="13"',
}


def _svg_text(line: TextLine) -> str:
    """One ``<text>`` element for a laid-out line (only the attributes that differ from the defaults)."""
    attrs = [f'x="{line.x}"', f'y="{line.y}"', f'font-size="{line.size}"', f'fill="{line.color}"']
    if line.bold:
        attrs.append('font-weight="bold"')
    if line.italic:
        attrs.append('font-style="italic"')
    if line.anchor != "start":
        attrs.append(f'text-anchor="{line.anchor}"')
    return f"<text {' '.join(attrs)}>{xml_text(line.text)}</text>"


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def render_svg(layout: Layout) -> str:
    """Render a layout as a standalone, print-friendly SVG document (UTF-8 text, ends with a newline)."""
    out = _head(layout)
    if layout.warning_box is not None:
        out += _warning(layout.warning_box, layout.warning_lines)
    out.append('<g class="lanes">')
    for lane in layout.lanes:
        out += _lane(lane)
    out.append("</g>")
    out.append('<g class="edges" fill="none">')
    for edge in layout.edges:
        out += _edge(edge)
    out.append("</g>")
    out.append('<g class="nodes">')
    for node in layout.nodes:
        out += _node(node)
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _head(layout: Layout) -> list[str]:
    """The document element, title and description, arrow markers, background and title lines."""
    c = COLORS
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" height="{layout.height}" '
        f'viewBox="0 0 {layout.width} {layout.height}" font-family="{xml_attr(FONT_STACK)}">',
        f"<title>{xml_text(layout.title)}</title>",
        f"<desc>{xml_text(layout.subtitle)}</desc>",
        "<defs>",
        f'<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c["arrow"]}"/></marker>',
        f'<marker id="arrow-branch" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c["outcome"]}"/></marker>',
        "</defs>",
        f'<rect class="background" x="0" y="0" width="{layout.width}" height="{layout.height}" '
        'fill="#ffffff"/>',
        '<g class="title">',
        *(_svg_text(t) for t in layout.title_lines),
        "</g>",
    ]


def _warning(box: tuple[int, int, int, int], lines: Sequence[TextLine]) -> list[str]:
    x, y, w, h = box
    return [
        '<g class="warning">',
        f'<rect class="warning-box" x="{x}" y="{y}" width="{w}" height="{h}" rx="4" '
        f'fill="{COLORS["warn_fill"]}" stroke="{COLORS["warn"]}" stroke-width="1.5"/>',
        *(_svg_text(t) for t in lines),
        "</g>",
    ]


def _lane(lane: Lane) -> list[str]:
    c = COLORS
    fill = c["lane_a"] if lane.index % 2 else c["lane_b"]
    return [
        f'<g class="lane-group" data-unit="{xml_attr(lane.name)}">',
        f'<rect class="lane" x="{lane.x}" y="{lane.y}" width="{lane.w}" height="{lane.h}" '
        f'fill="{fill}" stroke="{c["lane"]}"/>',
        f'<rect class="lane-header" x="{lane.x}" y="{lane.y}" width="{HEADER_W}" height="{lane.h}" '
        f'fill="{c["header"]}" stroke="{c["lane"]}"/>',
        *(_svg_text(t) for t in lane.lines),
        "</g>",
    ]


def _edge(edge: LaidEdge) -> list[str]:
    style = _EDGE_STYLE.get(edge.kind, _EDGE_STYLE["support"])
    return [
        f'<polyline class="edge {edge.kind}" data-source="{edge.source}" data-target="{edge.target}" '
        f'points="{_points(edge.points)}" {style}/>',
        *(_svg_text(t) for t in edge.lines),
    ]


def _node(node: LaidNode) -> list[str]:
    label = xml_attr(node.label)
    if node.kind in {"start", "end"}:
        cx, cy, r = node.x + EVENT_R, node.y + EVENT_R, EVENT_R
        width = 1.5 if node.kind == "start" else 3.5
        return [
            f'<circle class="event {node.kind}" cx="{cx}" cy="{cy}" r="{r}" fill="#ffffff" '
            f'stroke="{COLORS["ink"]}" stroke-width="{width}"><title>{label}</title></circle>'
        ]
    rect = _BOX_STYLE.get(node.kind, _BOX_STYLE["support"])
    return [
        f'<g class="{node.kind}" id="{node.id}" data-label="{label}" data-lane="{node.lane}">',
        f'<rect class="{node.kind}-box" x="{node.x}" y="{node.y}" width="{node.w}" '
        f'height="{node.h}" {rect}/>',
        *(_svg_text(t) for t in node.lines),
        "</g>",
    ]
