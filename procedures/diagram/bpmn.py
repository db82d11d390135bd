"""A ``Layout`` as BPMN 2.0 XML: one participant, a laneSet (one lane per unit) and BPMNDI shapes.

The shapes keep the layout's coordinates, so bpmn.io and Camunda Modeler open the diagram as drawn.
Support markers are not BPMN elements (the units are named in the task's documentation).

Names are written for bpmn.io's text layout (tests/test_bpmn_js.py opens them in bpmn-js): a step's listed
items ("- Nếu …", "2. …") start new lines, as in procreg's own SVG, and a hyphen that begins a word is
written as an en dash, because bpmn.io cuts a line that starts with "-" letter by letter ("hướng d|ẫn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import ITEM_BREAK, text_width, xml_attr, xml_text
from .layout import LaidEdge, LaidNode, Layout

__all__ = ["render_bpmn"]

_BPMN_NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)
_BPMN_LANE_BAND = 30
_BPMN_CHANNEL_PAD = 10  # under the last loop-back label, inside the pool

_WORD_HYPHEN = re.compile(r"(?<!\S)-")  # a hyphen at the start of a word: a bullet, a dash, a minus

Bounds = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class _Model:
    """The BPMN elements of a layout: flow nodes and sequence flows, with their BPMN ids and shapes."""

    nodes: list[LaidNode]
    ids: dict[str, str]  # laid node id -> BPMN id
    flows: list[LaidEdge]
    flow_ids: dict[str, str]  # laid edge id -> BPMN id
    into_outcome: dict[str, LaidEdge]  # outcome id -> the labelled branch into it
    bounds: dict[str, Bounds]  # laid node id -> shape bounds


def _name(text: str, *, items: bool = False) -> str:
    """``text`` as a ``name`` attribute bpmn.io shows whole: word-initial hyphens as en dashes.

    bpmn.io splits a line at spaces and hyphens, but stops at the empty piece between a space and a
    hyphen: a line starting with "- " is then cut at a letter count, mid-word. With ``items`` each listed
    item starts a new line (written ``&#10;``: a literal newline in an attribute reads as a space).
    """
    parts = ITEM_BREAK.split(text) if items else [text]
    return "&#10;".join(xml_attr(_WORD_HYPHEN.sub("–", " ".join(p.split()))) for p in parts)


def _bpmn_id(node: LaidNode) -> str:
    if node.kind == "start":
        return "StartEvent_1"
    if node.kind == "end":
        return "EndEvent_1"
    if node.kind == "outcome":
        return f"Outcome_{node.id[1:]}"
    return f"Task_{node.id[1:]}"


def _model(layout: Layout) -> _Model:
    nodes = [n for n in layout.nodes if n.kind != "support"]
    flows = [e for e in layout.edges if e.kind != "support"]
    # bpmn.io wraps flow labels at 90 px, which would run over the outcome boxes: a branch into an outcome
    # carries its condition in the outcome's name instead, and the outcome's shape takes the label's room.
    into_outcome = {e.target: e for e in flows if e.label and e.target.startswith("o")}
    bounds = {n.id: (n.x, n.y, n.w, n.h) for n in nodes}
    for oid, e in into_outcome.items():
        x, y, w, h = bounds[oid]
        top = min(t.y for t in e.lines) - 12 if e.lines else y
        bounds[oid] = (x, top, w, y + h - top)
    return _Model(
        nodes=nodes,
        ids={n.id: _bpmn_id(n) for n in nodes},
        flows=flows,
        flow_ids={e.id: f"Flow_{e.id}" for e in flows},
        into_outcome=into_outcome,
        bounds=bounds,
    )


def render_bpmn(layout: Layout) -> str:
    """Render a layout as BPMN 2.0 XML: one participant, a laneSet (one lane per unit) and BPMNDI shapes.

    Support markers are not BPMN elements (the units are named in the task's documentation).
    """
    model = _model(layout)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<bpmn:definitions {_BPMN_NS} id="Definitions_1" targetNamespace="urn:procreg:bpmn" '
        'exporter="procreg" exporterVersion="1">',
        '  <bpmn:collaboration id="Collaboration_1">',
        f'    <bpmn:participant id="Participant_1" name="{_name(layout.title)}" processRef="Process_1"/>',
        "  </bpmn:collaboration>",
        *_process(layout, model),
        '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">',
        '    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Collaboration_1">',
        *_lane_shapes(layout, model),
        *_node_shapes(model),
        *_flow_edges(model),
        "    </bpmndi:BPMNPlane>",
        "  </bpmndi:BPMNDiagram>",
        "</bpmn:definitions>",
    ]
    return "\n".join(out) + "\n"


def _process(layout: Layout, model: _Model) -> list[str]:
    """The process: its documentation, the laneSet, the tasks and events, the sequence flows."""
    out = [
        '  <bpmn:process id="Process_1" isExecutable="false">',
        f"    <bpmn:documentation>{xml_text(layout.subtitle)}"
        + (f" {xml_text(layout.warning)}" if layout.warning else "")
        + "</bpmn:documentation>",
        '    <bpmn:laneSet id="LaneSet_1">',
    ]
    for lane in layout.lanes:
        out.append(f'      <bpmn:lane id="Lane_{lane.index}" name="{_name(lane.name)}">')
        out.extend(
            f"        <bpmn:flowNodeRef>{model.ids[n.id]}</bpmn:flowNodeRef>"
            for n in model.nodes
            if n.lane == lane.index
        )
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    out += _flow_nodes(model)
    for e in model.flows:
        label = f' name="{_name(e.label)}"' if e.label and e.target not in model.into_outcome else ""
        out.append(
            f'    <bpmn:sequenceFlow id="{model.flow_ids[e.id]}"{label} sourceRef="{model.ids[e.source]}" '
            f'targetRef="{model.ids[e.target]}"/>'
        )
    out.append("  </bpmn:process>")
    return out


def _flow_nodes(model: _Model) -> list[str]:
    """Tasks (steps, outcomes) and the start and end events, with their incoming and outgoing flows."""
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for e in model.flows:
        outgoing.setdefault(e.source, []).append(model.flow_ids[e.id])
        incoming.setdefault(e.target, []).append(model.flow_ids[e.id])
    out: list[str] = []
    for n in model.nodes:
        tag = {"start": "startEvent", "end": "endEvent"}.get(n.kind, "task")
        out.append(f'    <bpmn:{tag} id="{model.ids[n.id]}" name="{_node_name(n, model)}">')
        if n.kind == "step":
            doc = f"Đơn vị: {', '.join(n.units)}. Thời gian: {n.duration}."
            out.append(f"      <bpmn:documentation>{xml_text(doc)}</bpmn:documentation>")
        out.extend(f"      <bpmn:incoming>{f}</bpmn:incoming>" for f in incoming.get(n.id, []))
        out.extend(f"      <bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing.get(n.id, []))
        out.append(f"    </bpmn:{tag}>")
    return out


def _node_name(n: LaidNode, model: _Model) -> str:
    """The node's ``name`` attribute, escaped: a step's listed items on their own lines."""
    if n.kind == "step":
        return f"{_name(n.label)}. {_name(n.text, items=True)} ({_name(n.duration)})"
    if n.kind == "outcome" and n.id in model.into_outcome:
        return _name(f"{model.into_outcome[n.id].label}: {n.text}")
    if n.kind == "outcome":
        return _name(n.text)
    return _name(n.label)


def _lane_shapes(layout: Layout, model: _Model) -> list[str]:
    """The participant's shape around all lanes, then one shape per lane (right of the participant band).

    The last lane reaches down over the loop-back channels procreg draws under the lanes: in BPMN a
    sequence flow and its label stay inside their pool.
    """
    if not layout.lanes:
        return []
    top = layout.lanes[0].y
    bottom = _pool_bottom(layout, model)
    x0, w = layout.lanes[0].x, layout.lanes[0].w
    out = [
        '      <bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">',
        f'        <dc:Bounds x="{x0}" y="{top}" width="{w}" height="{bottom - top}"/>',
        "      </bpmndi:BPMNShape>",
    ]
    for lane in layout.lanes:
        height = bottom - lane.y if lane is layout.lanes[-1] else lane.h
        out += [
            f'      <bpmndi:BPMNShape id="Lane_{lane.index}_di" bpmnElement="Lane_{lane.index}" '
            'isHorizontal="true">',
            f'        <dc:Bounds x="{lane.x + _BPMN_LANE_BAND}" y="{lane.y}" '
            f'width="{lane.w - _BPMN_LANE_BAND}" height="{height}"/>',
            "      </bpmndi:BPMNShape>",
        ]
    return out


def _pool_bottom(layout: Layout, model: _Model) -> int:
    """The lanes' bottom, or below it the last loop-back channel and its label (see ``_flow_edges``)."""
    bottom = layout.lanes[-1].y + layout.lanes[-1].h
    below = [max([y for _, y in e.points] + [t.y + 4 for t in e.lines]) for e in model.flows]
    lowest = max(below, default=bottom)
    return lowest + _BPMN_CHANNEL_PAD if lowest > bottom else bottom


def _node_shapes(model: _Model) -> list[str]:
    out: list[str] = []
    for n in model.nodes:
        x, y, w, h = model.bounds[n.id]
        out += [
            f'      <bpmndi:BPMNShape id="{model.ids[n.id]}_di" bpmnElement="{model.ids[n.id]}">',
            f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/>',
            "      </bpmndi:BPMNShape>",
        ]
    return out


def _flow_edges(model: _Model) -> list[str]:
    """Each flow's waypoints, and its label's bounds where the label stays on the flow."""
    out: list[str] = []
    for e in model.flows:
        fid = model.flow_ids[e.id]
        out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">')
        out.extend(f'        <di:waypoint x="{x}" y="{y}"/>' for x, y in e.points)
        if e.lines and e.target not in model.into_outcome:
            xs = [t.x for t in e.lines]
            ys = [t.y for t in e.lines]
            lw = max(int(text_width(t.text, t.size)) for t in e.lines)
            out += [
                "        <bpmndi:BPMNLabel>",
                f'          <dc:Bounds x="{min(xs)}" y="{min(ys) - 12}" width="{lw}" '
                f'height="{max(ys) - min(ys) + 16}"/>',
                "        </bpmndi:BPMNLabel>",
            ]
        out.append("      </bpmndi:BPMNEdge>")
    return out
