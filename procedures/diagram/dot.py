"""A ``Layout`` as a Graphviz DOT digraph: one cluster per unit, Graphviz places the boxes itself."""

from __future__ import annotations

from collections.abc import Sequence

from procreg.text.safe import strip_controls

from .common import COLORS, wrap_paragraphs, wrap_text
from .layout import BODY, PAD, SMALL, LaidEdge, LaidNode, Layout

__all__ = ["render_dot"]


def _dot(text: str) -> str:
    text = strip_controls(text)  # Graphviz and the terminal the DOT is printed on get no ESC or BEL
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_lines(lines: Sequence[str]) -> str:
    body = "".join(strip_controls(t).replace("\\", "\\\\").replace('"', '\\"') + "\\l" for t in lines)
    return '"' + body + '"'


def render_dot(layout: Layout) -> str:
    """Render a layout as a Graphviz DOT digraph with one cluster per unit (ends with a newline)."""
    title = [layout.title, layout.subtitle] + ([layout.warning] if layout.warning else [])
    out = [
        f"digraph {_dot(layout.code or layout.name)} {{",
        f'  graph [rankdir=LR, newrank=true, fontname="DejaVu Sans", fontsize=14, labelloc=t, labeljust=l, '
        f"nodesep=0.35, ranksep=0.45, label={_dot_lines(title)}];",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#2b5797", '
        'fontname="DejaVu Sans", fontsize=10];',
        '  edge [color="#3e4c59", fontname="DejaVu Sans", fontsize=9];',
    ]
    by_lane: dict[int, list[LaidNode]] = {}
    for node in layout.nodes:
        by_lane.setdefault(node.lane, []).append(node)
    for lane in layout.lanes:
        out.append(f"  subgraph cluster_{lane.index} {{")
        out.append(
            f'    label={_dot(lane.name)}; style="filled"; fillcolor="{COLORS["lane_a"]}"; '
            f'color="{COLORS["lane"]}";'
        )
        for node in by_lane.get(lane.index, []):
            out.append("    " + _dot_node(node))
        out.append("  }")
    out.extend(_dot_edge(edge) for edge in layout.edges)
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_edge(edge: LaidEdge) -> str:
    if edge.kind == "next":
        return f"  {edge.source} -> {edge.target};"
    if edge.kind == "branch" and not edge.label:
        return f'  {edge.source} -> {edge.target} [style=dashed, color="{COLORS["outcome"]}"];'
    if edge.kind == "branch":
        lines = wrap_text(edge.label, 200, SMALL)
        return (
            f'  {edge.source} -> {edge.target} [style=dashed, color="{COLORS["outcome"]}", '
            f"label={_dot_lines(lines)}];"
        )
    return f'  {edge.source} -> {edge.target} [style=dotted, arrowhead=none, color="{COLORS["support"]}"];'


def _dot_node(node: LaidNode) -> str:
    if node.kind == "start":
        return f'{node.id} [shape=circle, label="", width=0.3, xlabel={_dot(node.label)}];'
    if node.kind == "end":
        return f'{node.id} [shape=doublecircle, label="", width=0.25, xlabel={_dot(node.label)}];'
    if node.kind == "support":
        return f'{node.id} [shape=box, style="rounded,dashed", label={_dot("phối hợp " + node.label)}];'
    if node.kind == "outcome":
        lines = wrap_text(node.text, 180, BODY)
        colors = f'fillcolor="{COLORS["outcome_fill"]}", color="{COLORS["outcome"]}"'
        return f"{node.id} [{colors}, label={_dot_lines(lines)}];"
    lines = [node.label] + wrap_paragraphs(node.text, node.w - 2 * PAD, BODY)
    if len(node.units) > 1:
        lines += wrap_text("Phối hợp: " + ", ".join(node.units[1:]), node.w - 2 * PAD, SMALL)
    lines.append("Thời gian: " + node.duration)
    return f"{node.id} [label={_dot_lines(lines)}];"
