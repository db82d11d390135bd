"""A ``Layout`` as a Mermaid ``flowchart``: one subgraph per unit, Mermaid places the boxes itself."""

from __future__ import annotations

from procreg.text.safe import strip_controls

from .common import ITEM_BREAK
from .layout import LaidEdge, LaidNode, Layout

__all__ = ["render_mermaid"]

_CLASSES = (
    "  classDef step fill:#ffffff,stroke:#2b5797,color:#1f2933",
    "  classDef outcome fill:#fff8e6,stroke:#b26a00,color:#1f2933",
    "  classDef support fill:#ffffff,stroke:#7b8794,stroke-dasharray:3 2,color:#52606d",
    "  classDef warn fill:#fdecea,stroke:#b00020,color:#b00020",
)


def _mermaid_text(text: str) -> str:
    text = strip_controls(text)
    text = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return text.replace("&", "#amp;").replace("|", "#124;")


def render_mermaid(layout: Layout) -> str:
    """Render a layout as a Mermaid ``flowchart`` with one subgraph per unit (ends with a newline)."""
    head = " ".join(strip_controls(layout.title + " — " + layout.subtitle).split())  # one YAML line
    out = ["---", f'title: "{head.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"', "---"]
    out.append("flowchart LR")
    if layout.warning:
        out.append(f'  warn["{_mermaid_text(layout.warning)}"]:::warn')
    by_lane: dict[int, list[LaidNode]] = {}
    for node in layout.nodes:
        by_lane.setdefault(node.lane, []).append(node)
    for lane in layout.lanes:
        out.append(f'  subgraph L{lane.index}["{_mermaid_text(lane.name)}"]')
        for node in by_lane.get(lane.index, []):
            out.append("    " + _mermaid_node(node))
        out.append("  end")
    out.extend(_mermaid_edge(edge) for edge in layout.edges)
    out.extend(_CLASSES)
    return "\n".join(out) + "\n"


def _mermaid_edge(edge: LaidEdge) -> str:
    if edge.kind == "next":
        return f"  {edge.source} --> {edge.target}"
    if edge.kind == "branch" and edge.label:
        return f'  {edge.source} -.->|"{_mermaid_text(edge.label)}"| {edge.target}'
    if edge.kind == "branch":
        return f"  {edge.source} -.-> {edge.target}"
    return f"  {edge.source} -.- {edge.target}"


def _mermaid_node(node: LaidNode) -> str:
    if node.kind == "start":
        return f'{node.id}(("{_mermaid_text(node.label)}"))'
    if node.kind == "end":
        return f'{node.id}((("{_mermaid_text(node.label)}")))'
    if node.kind == "support":
        return f'{node.id}(["{_mermaid_text("phối hợp " + node.label)}"]):::support'
    if node.kind == "outcome":
        body = _mermaid_text(node.text)
        return f'{node.id}(["{body}"]):::outcome'
    parts = [f"<b>{_mermaid_text(node.label)}</b>"]
    # Mermaid wraps long lines itself; only listed items ("- Nếu …") get their own line.
    parts += [_mermaid_text(t) for t in ITEM_BREAK.split(node.text)]
    if len(node.units) > 1:
        parts.append("<i>" + _mermaid_text("Phối hợp: " + ", ".join(node.units[1:])) + "</i>")
    parts.append("<i>" + _mermaid_text("Thời gian: " + node.duration) + "</i>")
    return f'{node.id}["{"<br/>".join(parts)}"]:::step'
