"""The swimlane layout of one procedure: lanes, step boxes, outcomes, arrows, all in integer pixels.

Lanes are horizontal rows, one per responsible unit in order of first appearance; steps are boxes left to
right, one column each, in the lane of their first unit. A step's other units get a "phối hợp" marker in
their own lanes. A branch into an outcome hangs under its step; a branch back to another step runs through
a channel under the lanes. The result, a ``Layout`` of plain dataclasses, is all a renderer reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procreg.procedures.graph import proc_node, procedure_nodes, procedure_steps
from procreg.text import fold, normalize_line

from .common import COLORS, format_duration, hours_phrase, text_width, wrap_paragraphs, wrap_text

__all__ = [
    "BODY",
    "EVENT_R",
    "HEADER_W",
    "LINE",
    "MARGIN",
    "NO_UNIT",
    "PAD",
    "SMALL",
    "Layout",
    "LaidEdge",
    "LaidNode",
    "Lane",
    "TextLine",
    "layout_procedure",
]

# Geometry (pixels).
MARGIN = 20
HEADER_W = 170
START_GAP = 64
COL_GAP = 60
PAD = 10
LANE_PAD = 16
LINE = 16
BODY = 12
SMALL = 11
BOX_WIDTHS = (200, 240, 280, 320)
MAX_LINES = 9
PORT = 20  # arrows enter and leave boxes this far below their top edge (the id line)
OUTCOME_INDENT = 28
EVENT_R = 13
MIN_WIDTH = 760
MIN_LANE_H = 48
SUPPORT_H = 26

NO_UNIT = "(chưa rõ đơn vị)"

Point = tuple[int, int]


# --------------------------------------------------------------------------------------------------
# What a layout is made of.


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text at an absolute baseline position."""

    text: str
    x: int
    y: int
    size: int = BODY
    bold: bool = False
    italic: bool = False
    color: str = COLORS["ink"]
    anchor: str = "start"


@dataclass(frozen=True, slots=True)
class Lane:
    """A swimlane: one responsible unit."""

    index: int  # 1-based
    name: str
    x: int
    y: int
    w: int
    h: int
    lines: tuple[TextLine, ...]


@dataclass(frozen=True, slots=True)
class LaidNode:
    """A placed node: a step box, a branch outcome, a support marker, or the start/end event."""

    id: str  # ASCII: s1, o1_1, p8_2, start, finish
    kind: str  # step | outcome | support | start | end
    lane: int
    x: int
    y: int
    w: int
    h: int
    lines: tuple[TextLine, ...] = ()
    label: str = ""  # step label as printed ("B1")
    text: str = ""  # full text
    duration: str = ""
    units: tuple[str, ...] = ()
    step: int | None = None  # step order (steps and their outcomes/support markers)


@dataclass(frozen=True, slots=True)
class LaidEdge:
    """A routed arrow: ``next`` flow, a labelled ``branch``, or a dotted ``support`` association."""

    id: str
    kind: str  # next | branch | support
    source: str
    target: str
    points: tuple[Point, ...]
    label: str = ""
    lines: tuple[TextLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Layout:
    """A laid-out procedure diagram; every renderer reads only this."""

    code: str | None
    name: str
    version: int | None
    time_limit: str | None
    time_limit_hours: float | None
    counted_hours: float
    over_limit: bool
    title: str
    subtitle: str
    warning: str | None
    width: int
    height: int
    title_lines: tuple[TextLine, ...]
    warning_box: tuple[int, int, int, int] | None
    warning_lines: tuple[TextLine, ...]
    lanes: tuple[Lane, ...]
    nodes: tuple[LaidNode, ...]
    edges: tuple[LaidEdge, ...]

    def node(self, node_id: str) -> LaidNode:
        """The node with this id."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)


# --------------------------------------------------------------------------------------------------
# Working state while laying out.


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A branch of a step into an outcome: the graph node, its condition and action, wrapped."""

    node: str  # graph node id, "outcome:<proc>:<order>:<n>"
    condition: str
    condition_lines: list[str]
    action_lines: list[str]
    height: int  # of the outcome box


@dataclass(slots=True)
class _Step:
    """A step measured for its box: wrapped text, box height, the outcomes hanging under it."""

    order: int
    label: str
    text: str
    units: tuple[str, ...]
    duration: str
    width: int = 0
    text_lines: list[str] = field(default_factory=list)
    support_lines: list[str] = field(default_factory=list)
    time_lines: list[str] = field(default_factory=list)
    box_h: int = 0
    outcomes: list[_Outcome] = field(default_factory=list)
    block_h: int = 0  # the box and its outcomes


@dataclass(frozen=True, slots=True)
class _Loop:
    """A branch back to another step (by order), drawn through the channel under the lanes."""

    source: int
    target: int
    condition: str


@dataclass(frozen=True, slots=True)
class _Rejoin:
    """An outcome that rejoins the flow at step ``target`` (by order)."""

    outcome: str  # laid node id, "o3_1"
    target: int
    x: int
    y: int
    step_right: int  # right edge of the step the outcome hangs under


@dataclass(frozen=True, slots=True)
class _Heading:
    """The title block: title and subtitle lines, and the over-limit warning when there is one."""

    title: str
    subtitle: str
    lines: tuple[TextLine, ...]
    warning: str | None
    warning_box: tuple[int, int, int, int] | None
    warning_lines: tuple[TextLine, ...]
    bottom: int  # where the lanes start


@dataclass(slots=True)
class _Flow:
    """Nodes and edges placed so far, in drawing order, with the step boxes and rejoins to route."""

    nodes: list[LaidNode] = field(default_factory=list)
    edges: list[LaidEdge] = field(default_factory=list)
    boxes: list[LaidNode] = field(default_factory=list)
    rejoins: list[_Rejoin] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# The layout, step by step.


def layout_procedure(graph: Any, proc_id: int | str | None = None) -> Layout:
    """Lay out one procedure as swimlanes.

    Args:
        graph: the catalog graph or a procedure subgraph (``procedure_subgraph``).
        proc_id: the procedure (id or node id); optional when the graph holds exactly one procedure.

    Returns:
        The ``Layout`` every renderer draws.

    Raises:
        KeyError: when the procedure is not in the graph, or the graph holds several and none is named.
    """
    pnode = _procedure_node(graph, proc_id)
    pdata = graph.nodes[pnode]
    snodes = procedure_steps(graph, pnode)
    steps = [_prepare_step(graph.nodes[s]) for s in snodes]
    order_of = {s: int(graph.nodes[s]["order"]) for s in snodes}
    loops = _read_branches(graph, steps, snodes, order_of)

    unit_names: list[str] = list(dict.fromkeys(u for s in steps for u in s.units)) or [NO_UNIT]
    lane_of = {u: i for i, u in enumerate(unit_names)}
    xs, width = _columns(steps)
    counted = float(sum(float(graph.nodes[s].get("hours") or 0.0) for s in snodes))
    limit_h = pdata.get("time_limit_hours")
    heading = _heading(pdata, counted, width)
    lanes = _lanes(unit_names, steps, lane_of, heading.bottom, width)

    # The order of nodes and edges is the order the renderers write them (and the golden files pin it):
    # per step its box, outcomes and support markers; then the rejoins; the start and end around it all,
    # the sequence arrows after; the loop channels last.
    flow = _Flow()
    for i, step in enumerate(steps):
        _place_step(graph, flow, i, step, xs[i], lanes, lane_of, order_of)
    flow.edges.extend(_rejoin_edges(flow))
    _add_sequence(flow)
    loop_edges, height = _loop_edges(loops, flow, lanes[-1].y + lanes[-1].h)
    flow.edges.extend(loop_edges)

    code, version, limit = pdata.get("code"), pdata.get("version"), pdata.get("time_limit")
    return Layout(
        code=str(code) if code else None,
        name=str(pdata.get("name") or ""),
        version=int(version) if version is not None else None,
        time_limit=str(limit) if limit else None,
        time_limit_hours=float(limit_h) if limit_h is not None else None,
        counted_hours=counted,
        over_limit=heading.warning is not None,
        title=heading.title,
        subtitle=heading.subtitle,
        warning=heading.warning,
        width=width,
        height=height + MARGIN,
        title_lines=heading.lines,
        warning_box=heading.warning_box,
        warning_lines=heading.warning_lines,
        lanes=tuple(lanes),
        nodes=tuple(flow.nodes),
        edges=tuple(flow.edges),
    )


def _procedure_node(graph: Any, proc_id: int | str | None) -> str:
    if proc_id is not None:
        return proc_node(proc_id)
    procs = procedure_nodes(graph)
    if len(procs) != 1:
        raise KeyError("name the procedure: the graph holds " + str(len(procs)))
    return procs[0]


def _cap(text: str) -> str:
    text = normalize_line(text)
    return text[:1].upper() + text[1:]


def _if(condition: str) -> str:
    """A branch label: "Nếu hồ sơ chưa đầy đủ" (the condition as stated, with "Nếu" when it lacks one)."""
    text = normalize_line(condition)
    if fold(text).startswith(("neu ", "truong hop", "khi ")):
        return _cap(text)
    return f"Nếu {text}" if text else ""


def _prepare_step(data: dict[str, Any]) -> _Step:
    """Measure a step: the narrowest box width that holds its text in ``MAX_LINES``, and the box height."""
    units = tuple(data.get("responsible") or ()) or (NO_UNIT,)
    step = _Step(
        order=int(data["order"]),
        label=str(data.get("label") or data["order"]),
        text=normalize_line(str(data.get("text") or "")),
        units=units,
        duration=format_duration(data.get("hours"), str(data.get("duration_text") or "")),
    )
    for width in BOX_WIDTHS:
        lines = wrap_paragraphs(step.text, width - 2 * PAD, BODY)
        if len(lines) <= MAX_LINES or width == BOX_WIDTHS[-1]:
            step.width, step.text_lines = width, lines
            break
    inner = step.width - 2 * PAD
    if len(units) > 1:
        step.support_lines = wrap_text("Phối hợp: " + ", ".join(units[1:]), inner, SMALL)
    step.time_lines = wrap_text("Thời gian: " + step.duration, inner, SMALL, bold=True)
    step.box_h = (
        PAD
        + LINE
        + 2
        + LINE * len(step.text_lines)
        + LINE * len(step.support_lines)
        + 4
        + LINE * len(step.time_lines)
        + PAD
        - 4
    )
    return step


def _read_branches(
    graph: Any, steps: list[_Step], snodes: list[str], order_of: dict[str, int]
) -> list[_Loop]:
    """Attach each step's outcomes to it (sorted by branch number); return the branches back to steps."""
    loops: list[_Loop] = []
    for step, snode in zip(steps, snodes, strict=True):
        for _, target, key, edata in sorted(graph.out_edges(snode, keys=True, data=True), key=lambda e: e[1]):
            if key != "next" or "condition" not in edata:
                continue
            if graph.nodes[target].get("type") == "outcome":
                step.outcomes.append(_measure_outcome(step, target, graph.nodes[target], edata))
            elif target in order_of:
                loops.append(_Loop(step.order, order_of[target], _if(str(edata["condition"]))))
        step.block_h = step.box_h + sum(
            10 + LINE * len(o.condition_lines) + 2 + o.height for o in step.outcomes
        )
        # The outcome ids come from the graph ("outcome:3:1:2"); keep them sorted by their branch number.
        step.outcomes.sort(key=lambda o: int(o.node.rsplit(":", 1)[1]))
    return loops


def _measure_outcome(step: _Step, target: str, tdata: dict[str, Any], edata: dict[str, Any]) -> _Outcome:
    width = step.width - OUTCOME_INDENT - 8
    why = _if(str(edata["condition"]))
    act = wrap_text(_cap(str(tdata.get("text") or tdata.get("label") or "")), width - 2 * 8, BODY)
    return _Outcome(target, why, wrap_text(why, width, SMALL), act, 8 + LINE * len(act) + 4)


def _columns(steps: list[_Step]) -> tuple[list[int], int]:
    """The left edge of each step's column, and the diagram's width."""
    xs: list[int] = []
    x = MARGIN + HEADER_W + START_GAP
    for step in steps:
        xs.append(x)
        x += step.width + COL_GAP
    content_right = (x - COL_GAP + START_GAP) if steps else x
    return xs, max(content_right + MARGIN, MIN_WIDTH)


def _heading(pdata: dict[str, Any], counted: float, width: int) -> _Heading:
    """Title, subtitle (version, time limit, counted hours) and, when over the limit, the warning box."""
    code, name = pdata.get("code"), str(pdata.get("name") or "")
    version, limit, limit_h = pdata.get("version"), pdata.get("time_limit"), pdata.get("time_limit_hours")
    title = f"{code} · {name}" if code else name
    sub_parts = []
    if version is not None:
        sub_parts.append(f"Phiên bản {version}")
    sub_parts.append(f"Thời hạn giải quyết: {normalize_line(str(limit)) if limit else 'chưa ghi'}")
    sub_parts.append(f"Σ thời gian các bước: {hours_phrase(counted)}")
    subtitle = " · ".join(sub_parts)
    lines: list[TextLine] = []
    y = MARGIN
    for line in wrap_text(title, width - 2 * MARGIN, 18, bold=True):
        y += 24
        lines.append(TextLine(line, MARGIN, y, 18, bold=True))
    y += 4
    for line in wrap_text(subtitle, width - 2 * MARGIN, 13):
        y += 19
        lines.append(TextLine(line, MARGIN, y, 13, color=COLORS["muted"]))
    y += 12
    if limit_h is None or not counted > float(limit_h) + 1e-9:
        return _Heading(title, subtitle, tuple(lines), None, None, (), y)
    warning = (
        f"CẢNH BÁO: tổng thời gian các bước ({hours_phrase(counted)}) vượt thời hạn giải quyết "
        f"({hours_phrase(float(limit_h))})."
    )
    top = y
    warning_lines: list[TextLine] = []
    for line in wrap_text(warning, width - 2 * MARGIN - 2 * PAD, 13, bold=True):
        y += 18
        warning_lines.append(TextLine(line, MARGIN + PAD, y + 4, 13, bold=True, color=COLORS["warn"]))
    y += 14
    box = (MARGIN, top, width - 2 * MARGIN, y - top)
    return _Heading(title, subtitle, tuple(lines), warning, box, tuple(warning_lines), y + 12)


def _lanes(
    unit_names: list[str], steps: list[_Step], lane_of: dict[str, int], top: int, width: int
) -> list[Lane]:
    """One lane per unit, tall enough for its header and for the tallest step block it leads."""
    header_lines = {u: wrap_text(u, HEADER_W - 2 * PAD, 13, bold=True) for u in unit_names}
    need = {i: max(MIN_LANE_H, LINE * len(header_lines[u]) + 8) for i, u in enumerate(unit_names)}
    for step in steps:
        lead = lane_of[step.units[0]]
        need[lead] = max(need[lead], step.block_h)
    lanes: list[Lane] = []
    y = top
    for i, u in enumerate(unit_names):
        h = need[i] + 2 * LANE_PAD
        text_top = y + (h - LINE * len(header_lines[u])) // 2 + 12
        head = tuple(
            TextLine(t, MARGIN + PAD, text_top + k * LINE, 13, bold=True)
            for k, t in enumerate(header_lines[u])
        )
        lanes.append(Lane(i + 1, u, MARGIN, y, width - 2 * MARGIN, h, head))
        y += h
    return lanes


def _place_step(
    graph: Any,
    flow: _Flow,
    i: int,
    step: _Step,
    x: int,
    lanes: list[Lane],
    lane_of: dict[str, int],
    order_of: dict[str, int],
) -> None:
    """Place step ``i`` (0-based) in its lead unit's lane, its outcomes under it, its support markers."""
    lane = lanes[lane_of[step.units[0]]]
    box = _step_box(i, step, lane, x)
    flow.nodes.append(box)
    flow.boxes.append(box)
    oy = box.y + box.h
    for n, outcome in enumerate(step.outcomes, start=1):
        node, edge = _place_outcome(i, n, step, outcome, box, oy)
        flow.nodes.append(node)
        flow.edges.append(edge)
        oy = node.y + node.h
        onward = [v for _, v, k in graph.out_edges(outcome.node, keys=True) if k == "next" and v in order_of]
        if onward:
            mid = node.y + node.h // 2
            flow.rejoins.append(_Rejoin(node.id, order_of[onward[0]], node.x + node.w, mid, box.x + box.w))
    for n, unit in enumerate(step.units[1:], start=1):
        mark, assoc = _support_mark(i, n, step, box, lane, lanes[lane_of[unit]])
        flow.nodes.append(mark)
        flow.edges.append(assoc)


def _step_box(i: int, step: _Step, lane: Lane, x: int) -> LaidNode:
    y = lane.y + LANE_PAD
    lines: list[TextLine] = [TextLine(step.label, x + PAD, y + PAD + 12, 13, bold=True, color=COLORS["box"])]
    ty = y + PAD + LINE + 2
    for t in step.text_lines:
        ty += LINE
        lines.append(TextLine(t, x + PAD, ty - 4, BODY))
    for t in step.support_lines:
        ty += LINE
        lines.append(TextLine(t, x + PAD, ty - 4, SMALL, italic=True, color=COLORS["muted"]))
    ty += 4
    for t in step.time_lines:
        ty += LINE
        lines.append(TextLine(t, x + PAD, ty - 4, SMALL, bold=True, color=COLORS["muted"]))
    return LaidNode(
        f"s{i + 1}",
        "step",
        lane.index,
        x,
        y,
        step.width,
        step.box_h,
        tuple(lines),
        label=step.label,
        text=step.text,
        duration=step.duration,
        units=step.units,
        step=step.order,
    )


def _place_outcome(
    i: int, n: int, step: _Step, outcome: _Outcome, box: LaidNode, oy: int
) -> tuple[LaidNode, LaidEdge]:
    """Outcome ``n`` of step ``i`` below ``oy``: its condition over it, a dashed arrow from the step."""
    ox, ow = box.x + OUTCOME_INDENT, step.width - OUTCOME_INDENT - 8
    label_lines: list[TextLine] = []
    ly = oy + 10
    for t in outcome.condition_lines:
        ly += LINE
        label_lines.append(TextLine(t, ox, ly - 4, SMALL, italic=True, color=COLORS["outcome"]))
    top, oh = ly + 2, outcome.height
    olines = tuple(
        TextLine(t, ox + 8, top + 8 + 12 + k * LINE, BODY) for k, t in enumerate(outcome.action_lines)
    )
    node = LaidNode(
        f"o{i + 1}_{n}",
        "outcome",
        box.lane,
        ox,
        top,
        ow,
        oh,
        olines,
        label=f"{step.label}.{n}",
        text=" ".join(outcome.action_lines),
        step=step.order,
    )
    vx = box.x + OUTCOME_INDENT // 2
    edge = LaidEdge(
        f"b{i + 1}_{n}",
        "branch",
        box.id,
        node.id,
        ((vx, box.y + box.h), (vx, top + oh // 2), (ox, top + oh // 2)),
        label=outcome.condition,
        lines=tuple(label_lines),
    )
    return node, edge


def _support_mark(
    i: int, n: int, step: _Step, box: LaidNode, lane: Lane, slane: Lane
) -> tuple[LaidNode, LaidEdge]:
    """The "phối hợp B2" marker of a supporting unit, at the step's right edge in that unit's lane."""
    text = f"phối hợp {step.label}"
    sw = int(text_width(text, SMALL, True)) + 2 * PAD
    sx = box.x + step.width - sw
    sy = slane.y + LANE_PAD
    mark = LaidNode(
        f"p{i + 1}_{n}",
        "support",
        slane.index,
        sx,
        sy,
        sw,
        SUPPORT_H,
        (TextLine(text, sx + PAD, sy + 17, SMALL, bold=True, color=COLORS["support"]),),
        label=step.label,
        units=(slane.name,),
        step=step.order,
    )
    lx = box.x + step.width - 6
    down = slane.y > lane.y
    assoc = ((lx, box.y + step.box_h), (lx, sy)) if down else ((lx, box.y), (lx, sy + SUPPORT_H))
    return mark, LaidEdge(f"a{i + 1}_{n}", "support", box.id, mark.id, assoc)


def _rejoin_edges(flow: _Flow) -> list[LaidEdge]:
    """Alternatives that rejoin the flow: from the outcome's right side into the next step's arrow."""
    box_of = {b.step: b for b in flow.boxes}
    edges: list[LaidEdge] = []
    for rejoin in flow.rejoins:
        tgt = box_of[rejoin.target]
        mx = rejoin.step_right + COL_GAP // 2
        ty = tgt.y + PORT
        route = ((rejoin.x, rejoin.y), (mx, rejoin.y), (mx, ty), (tgt.x, ty))
        edges.append(LaidEdge(f"j{rejoin.outcome[1:]}", "branch", rejoin.outcome, tgt.id, route))
    return edges


def _add_sequence(flow: _Flow) -> None:
    """The start event before the first box, the end event after the last, and the arrows between them."""
    if not flow.boxes:
        return
    boxes = flow.boxes
    first, last = boxes[0], boxes[-1]
    start = _event("start", "start", first, first.x - START_GAP // 2 - EVENT_R, "Bắt đầu")
    end = _event("finish", "end", last, last.x + last.w + START_GAP // 2 - EVENT_R, "Kết thúc")
    flow.nodes.insert(0, start)
    flow.nodes.append(end)
    into_first = ((start.x + 2 * EVENT_R, first.y + PORT), (first.x, first.y + PORT))
    flow.edges.insert(0, LaidEdge("f0", "next", "start", first.id, into_first))
    for k in range(len(boxes) - 1):
        a, b = boxes[k], boxes[k + 1]
        flow.edges.append(LaidEdge(f"f{k + 1}", "next", a.id, b.id, _step_to_step(a, b)))
    out_of_last = ((last.x + last.w, last.y + PORT), (end.x, last.y + PORT))
    flow.edges.append(LaidEdge(f"f{len(boxes)}", "next", last.id, "finish", out_of_last))


def _event(node_id: str, kind: str, beside: LaidNode, x: int, label: str) -> LaidNode:
    y = beside.y + PORT - EVENT_R
    return LaidNode(node_id, kind, beside.lane, x, y, 2 * EVENT_R, 2 * EVENT_R, label=label)


def _step_to_step(a: LaidNode, b: LaidNode) -> tuple[Point, ...]:
    ay, by = a.y + PORT, b.y + PORT
    ax, bx = a.x + a.w, b.x
    if ay == by:
        return ((ax, ay), (bx, by))
    mx = ax + COL_GAP // 2
    return ((ax, ay), (mx, ay), (mx, by), (bx, by))


def _loop_edges(loops: list[_Loop], flow: _Flow, lanes_bottom: int) -> tuple[list[LaidEdge], int]:
    """Loop-back branches: down into a channel under the lanes, across, up into the target.

    Returns:
        The edges and the bottom of the last channel (the lanes' bottom when there is none).
    """
    edges: list[LaidEdge] = []
    height = lanes_bottom
    for n, loop in enumerate(loops, start=1):
        a = next(b for b in flow.boxes if b.step == loop.source)
        b = next(b for b in flow.boxes if b.step == loop.target)
        cy = height + 14 + LINE
        label_w = max(abs((a.x + a.w - 4) - (b.x + 5)) - 16, 160)
        cl = wrap_text(loop.condition, label_w, SMALL)
        lx = min(a.x + a.w - 4, b.x + 5) + 8
        tl = tuple(
            TextLine(t, lx, cy + 14 + k * LINE, SMALL, italic=True, color=COLORS["outcome"])
            for k, t in enumerate(cl)
        )
        below = [o.y + o.h for o in flow.nodes if o.kind == "outcome" and o.step == loop.source]
        a_bottom = max([a.y + a.h, *below])
        route = ((a.x + a.w - 4, a_bottom), (a.x + a.w - 4, cy), (b.x + 5, cy), (b.x + 5, b.y + b.h))
        edges.append(LaidEdge(f"r{n}", "branch", a.id, b.id, route, label=loop.condition, lines=tl))
        height = cy + 6 + LINE * len(cl)
    return edges, height
