"""Swimlane flow diagrams of internal procedures, laid out by procreg itself.

Pure: a procedure's graph (``procedures.graph.procedure_subgraph``) -> ``layout_procedure`` -> a ``Layout``
(lanes, boxes, arrows, all in integer pixels) -> ``render_svg`` / ``render_mermaid`` / ``render_dot`` /
``render_bpmn`` strings. Lanes are horizontal rows, one per responsible unit in order of first appearance;
steps are boxes left to right, one column each, in the lane of their first unit. Text is wrapped with a
per-character width table of DejaVu Sans (the widest font of the SVG font stack), so it never overflows.

The same module renders the units overview (units x procedures) and the HTML gallery of ``diagram --all``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from procreg.text import fold, normalize_line

from .graph import UnitLoad, proc_node, procedure_nodes, procedure_steps

__all__ = [
    "FONT_STACK",
    "GalleryEntry",
    "Layout",
    "LaidEdge",
    "LaidNode",
    "Lane",
    "TextLine",
    "ascii_name",
    "format_duration",
    "format_hours",
    "layout_procedure",
    "render_bpmn",
    "render_dot",
    "render_gallery",
    "render_mermaid",
    "render_svg",
    "render_units_svg",
    "render_units_text",
    "text_width",
    "wrap_paragraphs",
    "wrap_text",
]

FONT_STACK = "'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
HOURS_PER_DAY = 8

# Advance widths (per 1000 em) of DejaVu Sans / DejaVu Sans Bold for U+0020..U+007E, read from the fonts.
_ASCII = "".join(chr(i) for i in range(32, 127))
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 "
    "636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 "
    "603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 "
    "634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 "
    "696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 "
    "733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 "
    "712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
_WIDTHS = {
    False: dict(zip(_ASCII, map(int, _REGULAR.split()), strict=True))
    | {"đ": 635, "Đ": 775, "Ơ": 913, "Ư": 858, "–": 500, "—": 1000, "…": 1000, "·": 318, "→": 838, "Σ": 632},
    True: dict(zip(_ASCII, map(int, _BOLD.split()), strict=True))
    | {"đ": 716, "Đ": 838, "Ơ": 874, "Ư": 835, "–": 500, "—": 1000, "…": 1000, "·": 380, "→": 838, "Σ": 683},
}
_UNKNOWN_WIDTH = 1000  # CJK, symbols: assume a full em, never too narrow

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

COLORS = {
    "ink": "#1f2933",
    "muted": "#52606d",
    "lane": "#b8c4ce",
    "lane_a": "#f7f9fb",
    "lane_b": "#ffffff",
    "header": "#e9eef3",
    "box": "#2b5797",
    "box_fill": "#ffffff",
    "outcome": "#b26a00",
    "outcome_fill": "#fff8e6",
    "support": "#7b8794",
    "warn": "#b00020",
    "warn_fill": "#fdecea",
    "arrow": "#3e4c59",
}


# --------------------------------------------------------------------------------------------------
# Text measuring and wrapping.


def _char_width(ch: str, bold: bool) -> int:
    table = _WIDTHS[bold]
    width = table.get(ch)
    if width is not None:
        return width
    if unicodedata.combining(ch):
        return 0
    base = unicodedata.normalize("NFD", ch)[0]
    width = table.get(base)
    if width is not None:
        return width
    return 0 if unicodedata.category(ch) in {"Mn", "Cf"} else _UNKNOWN_WIDTH


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width in pixels of ``text`` at font size ``size`` (DejaVu Sans metrics)."""
    return sum(_char_width(ch, bold) for ch in text) * size / 1000.0


def wrap_text(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Wrap text into lines no wider than ``width`` pixels; words too long for a line are split, never cut.

    Args:
        text: the text (whitespace runs count as one space).
        width: the available width in pixels.
        size: font size in pixels.
        bold: measure with the bold table.

    Returns:
        The lines; joined with spaces (hard-split words without) they give back the text.
    """
    words = normalize_line(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, size, bold) > width:
            cut = _fit(word, width, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


# Where a step's text starts a new item: "- Nếu …", "+ …", or "2. …" after a sentence end.
_ITEM_BREAK = re.compile(r"\s+(?=[-–+•]\s)|(?<=[.:;])\s+(?=\d{1,2}[.)]\s)")


def wrap_paragraphs(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Like ``wrap_text``, but each listed item ("- Nếu …", "2. …") starts on a new line."""
    lines: list[str] = []
    for part in _ITEM_BREAK.split(normalize_line(text)):
        lines.extend(wrap_text(part, width, size, bold))
    return lines


def _fit(word: str, width: float, size: float, bold: bool) -> int:
    total = 0.0
    for i, ch in enumerate(word):
        total += _char_width(ch, bold) * size / 1000.0
        if total > width:
            return max(i, 1)
    return len(word)


# --------------------------------------------------------------------------------------------------
# Formatting.


def format_hours(hours: float) -> str:
    """Vietnamese number form: ``160`` -> "160", ``0.5`` -> "0,5"."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_duration(hours: float | None, duration_text: str) -> str:
    """A step's time as shown in a box: the printed duration, or "không tính" for an untimed step."""
    printed = normalize_line(duration_text)
    if hours is None:
        return f"không tính ({printed})" if printed else "không tính"
    return printed or f"{format_hours(hours)} giờ"


def _hours_phrase(hours: float) -> str:
    days = hours / HOURS_PER_DAY
    return f"{format_hours(hours)} giờ ({format_hours(days)} ngày làm việc)"


def ascii_name(text: str) -> str:
    """An ASCII-safe file-name stem: accents removed (Đ -> D), case kept, other characters -> ``_``."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in plain)
    out = "_".join(part for part in out.split("_") if part)
    return out.strip("._") or "procedure"


# --------------------------------------------------------------------------------------------------
# The layout.


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
    points: tuple[tuple[int, int], ...]
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


@dataclass(slots=True)
class _Step:
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
    outcomes: list[tuple[str, str, list[str], list[str], int]] = field(default_factory=list)
    block_h: int = 0


NO_UNIT = "(chưa rõ đơn vị)"


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
    if proc_id is None:
        procs = procedure_nodes(graph)
        if len(procs) != 1:
            raise KeyError("name the procedure: the graph holds " + str(len(procs)))
        pnode = procs[0]
    else:
        pnode = proc_node(proc_id)
    pdata = graph.nodes[pnode]
    steps = [_prepare_step(graph.nodes[s]) for s in procedure_steps(graph, pnode)]
    snodes = procedure_steps(graph, pnode)
    order_of = {s: int(graph.nodes[s]["order"]) for s in snodes}

    # Branches: to outcomes (drawn under the step) or back to another step (drawn in a channel below).
    loops: list[tuple[int, int, str]] = []
    for step, snode in zip(steps, snodes, strict=True):
        for _, target, key, edata in sorted(graph.out_edges(snode, keys=True, data=True), key=lambda e: e[1]):
            if key != "next" or "condition" not in edata:
                continue
            tdata = graph.nodes[target]
            if tdata.get("type") == "outcome":
                width = step.width - OUTCOME_INDENT - 8
                why = _if(str(edata["condition"]))
                why_lines = wrap_text(why, width, SMALL)
                act = wrap_text(_cap(str(tdata.get("text") or tdata.get("label") or "")), width - 2 * 8, BODY)
                step.outcomes.append((target, why, why_lines, act, 8 + LINE * len(act) + 4))
            elif target in order_of:
                loops.append((step.order, order_of[target], _if(str(edata["condition"]))))
        step.block_h = step.box_h + sum(10 + LINE * len(c) + 2 + h for _, _, c, _, h in step.outcomes)
    # The outcome ids come from the graph ("outcome:3:1:2"); keep them sorted by their branch number.
    for step in steps:
        step.outcomes.sort(key=lambda o: int(o[0].rsplit(":", 1)[1]))

    unit_names: list[str] = list(dict.fromkeys(u for s in steps for u in s.units))
    if not unit_names:
        unit_names = [NO_UNIT]
    lane_of = {u: i for i, u in enumerate(unit_names)}

    # Columns.
    xs: list[int] = []
    x = MARGIN + HEADER_W + START_GAP
    for step in steps:
        xs.append(x)
        x += step.width + COL_GAP
    content_right = (x - COL_GAP + START_GAP) if steps else x
    width = max(content_right + MARGIN, 760)

    # Title.
    code = pdata.get("code")
    name = str(pdata.get("name") or "")
    version = pdata.get("version")
    limit = pdata.get("time_limit")
    limit_h = pdata.get("time_limit_hours")
    counted = float(sum(float(graph.nodes[s].get("hours") or 0.0) for s in snodes))
    over = limit_h is not None and counted > float(limit_h) + 1e-9
    title = f"{code} · {name}" if code else name
    sub_parts = []
    if version is not None:
        sub_parts.append(f"Phiên bản {version}")
    sub_parts.append(f"Thời hạn giải quyết: {normalize_line(str(limit)) if limit else 'chưa ghi'}")
    sub_parts.append(f"Σ thời gian các bước: {_hours_phrase(counted)}")
    subtitle = " · ".join(sub_parts)
    title_lines: list[TextLine] = []
    y = MARGIN
    for line in wrap_text(title, width - 2 * MARGIN, 18, bold=True):
        y += 24
        title_lines.append(TextLine(line, MARGIN, y, 18, bold=True))
    y += 4
    for line in wrap_text(subtitle, width - 2 * MARGIN, 13):
        y += 19
        title_lines.append(TextLine(line, MARGIN, y, 13, color=COLORS["muted"]))
    y += 12
    warning = None
    warning_box = None
    warning_lines: list[TextLine] = []
    if over:
        assert limit_h is not None
        warning = (
            f"CẢNH BÁO: tổng thời gian các bước ({_hours_phrase(counted)}) vượt thời hạn giải quyết "
            f"({_hours_phrase(float(limit_h))})."
        )
        wl = wrap_text(warning, width - 2 * MARGIN - 2 * PAD, 13, bold=True)
        top = y
        for line in wl:
            y += 18
            warning_lines.append(TextLine(line, MARGIN + PAD, y + 4, 13, bold=True, color=COLORS["warn"]))
        y += 14
        warning_box = (MARGIN, top, width - 2 * MARGIN, y - top)
        y += 12
    lanes_top = y

    # Lane heights.
    lane_w = width - 2 * MARGIN
    header_lines = {u: wrap_text(u, HEADER_W - 2 * PAD, 13, bold=True) for u in unit_names}
    support_marks: dict[int, list[tuple[int, str]]] = {}  # step index -> [(lane, text)]
    lane_need = {i: 48 for i in range(len(unit_names))}
    for i, u in enumerate(unit_names):
        lane_need[i] = max(lane_need[i], LINE * len(header_lines[u]) + 8)
    for i, step in enumerate(steps):
        lane_need[lane_of[step.units[0]]] = max(lane_need[lane_of[step.units[0]]], step.block_h)
        for u in step.units[1:]:
            support_marks.setdefault(i, []).append((lane_of[u], f"phối hợp {step.label}"))
    lanes: list[Lane] = []
    y = lanes_top
    for i, u in enumerate(unit_names):
        h = lane_need[i] + 2 * LANE_PAD
        text_top = y + (h - LINE * len(header_lines[u])) // 2 + 12
        head = tuple(
            TextLine(t, MARGIN + PAD, text_top + k * LINE, 13, bold=True)
            for k, t in enumerate(header_lines[u])
        )
        lanes.append(Lane(i + 1, u, MARGIN, y, lane_w, h, head))
        y += h
    lanes_bottom = y

    nodes: list[LaidNode] = []
    edges: list[LaidEdge] = []
    rejoins: list[tuple[str, int, int, int, int]] = []  # (outcome id, target order, x, y, step right edge)
    boxes: list[LaidNode] = []
    for i, step in enumerate(steps):
        lane = lanes[lane_of[step.units[0]]]
        bx, by = xs[i], lane.y + LANE_PAD
        lines: list[TextLine] = [
            TextLine(step.label, bx + PAD, by + PAD + 12, 13, bold=True, color=COLORS["box"])
        ]
        ty = by + PAD + LINE + 2
        for t in step.text_lines:
            ty += LINE
            lines.append(TextLine(t, bx + PAD, ty - 4, BODY))
        for t in step.support_lines:
            ty += LINE
            lines.append(TextLine(t, bx + PAD, ty - 4, SMALL, italic=True, color=COLORS["muted"]))
        ty += 4
        for t in step.time_lines:
            ty += LINE
            lines.append(TextLine(t, bx + PAD, ty - 4, SMALL, bold=True, color=COLORS["muted"]))
        node = LaidNode(
            f"s{i + 1}",
            "step",
            lane.index,
            bx,
            by,
            step.width,
            step.box_h,
            tuple(lines),
            label=step.label,
            text=step.text,
            duration=step.duration,
            units=step.units,
            step=step.order,
        )
        nodes.append(node)
        boxes.append(node)
        oy = by + step.box_h
        for n, (_onode, cond, cond_lines, act_lines, oh) in enumerate(step.outcomes, start=1):
            ox, ow = bx + OUTCOME_INDENT, step.width - OUTCOME_INDENT - 8
            label_lines: list[TextLine] = []
            ly = oy + 10
            for t in cond_lines:
                ly += LINE
                label_lines.append(TextLine(t, ox, ly - 4, SMALL, italic=True, color=COLORS["outcome"]))
            top = ly + 2
            olines = tuple(
                TextLine(t, ox + 8, top + 8 + 12 + k * LINE, BODY) for k, t in enumerate(act_lines)
            )
            onode = LaidNode(
                f"o{i + 1}_{n}",
                "outcome",
                lane.index,
                ox,
                top,
                ow,
                oh,
                olines,
                label=f"{step.label}.{n}",
                text=" ".join(act_lines),
                step=step.order,
            )
            nodes.append(onode)
            vx = bx + OUTCOME_INDENT // 2
            edges.append(
                LaidEdge(
                    f"b{i + 1}_{n}",
                    "branch",
                    node.id,
                    onode.id,
                    ((vx, by + step.box_h), (vx, top + oh // 2), (ox, top + oh // 2)),
                    label=cond,
                    lines=tuple(label_lines),
                )
            )
            oy = top + oh
            onward = [v for _, v, k in graph.out_edges(_onode, keys=True) if k == "next" and v in order_of]
            if onward:
                rejoins.append((onode.id, order_of[onward[0]], ox + ow, top + oh // 2, bx + step.width))
        for n, (lane_idx, text) in enumerate(support_marks.get(i, []), start=1):
            slane = lanes[lane_idx]
            sw = int(text_width(text, SMALL, True)) + 2 * PAD
            sx = bx + step.width - sw
            sy = slane.y + LANE_PAD
            mark = LaidNode(
                f"p{i + 1}_{n}",
                "support",
                slane.index,
                sx,
                sy,
                sw,
                26,
                (TextLine(text, sx + PAD, sy + 17, SMALL, bold=True, color=COLORS["support"]),),
                label=step.label,
                units=(slane.name,),
                step=step.order,
            )
            nodes.append(mark)
            lx = bx + step.width - 6
            down = slane.y > lane.y
            assoc = ((lx, by + step.box_h), (lx, sy)) if down else ((lx, by), (lx, sy + 26))
            edges.append(LaidEdge(f"a{i + 1}_{n}", "support", node.id, mark.id, assoc))

    # Alternatives that rejoin the flow: from the outcome's right side into the next step's arrow.
    box_of = {b.step: b for b in boxes}
    for oid, dst, ox2, oy2, right in rejoins:
        tgt = box_of[dst]
        mx = right + COL_GAP // 2
        ty = tgt.y + PORT
        route = ((ox2, oy2), (mx, oy2), (mx, ty), (tgt.x, ty))
        edges.append(LaidEdge(f"j{oid[1:]}", "branch", oid, tgt.id, route))

    # Start and end events, sequence arrows.
    if boxes:
        first, last = boxes[0], boxes[-1]
        start = LaidNode(
            "start",
            "start",
            first.lane,
            first.x - START_GAP // 2 - EVENT_R,
            first.y + PORT - EVENT_R,
            2 * EVENT_R,
            2 * EVENT_R,
            label="Bắt đầu",
        )
        end = LaidNode(
            "finish",
            "end",
            last.lane,
            last.x + last.w + START_GAP // 2 - EVENT_R,
            last.y + PORT - EVENT_R,
            2 * EVENT_R,
            2 * EVENT_R,
            label="Kết thúc",
        )
        nodes.insert(0, start)
        nodes.append(end)
        edges.insert(
            0,
            LaidEdge(
                "f0",
                "next",
                "start",
                first.id,
                ((start.x + 2 * EVENT_R, first.y + PORT), (first.x, first.y + PORT)),
            ),
        )
        for k in range(len(boxes) - 1):
            a, b = boxes[k], boxes[k + 1]
            ay, byy = a.y + PORT, b.y + PORT
            ax, bx2 = a.x + a.w, b.x
            if ay == byy:
                pts: tuple[tuple[int, int], ...] = ((ax, ay), (bx2, byy))
            else:
                mx = ax + COL_GAP // 2
                pts = ((ax, ay), (mx, ay), (mx, byy), (bx2, byy))
            edges.append(LaidEdge(f"f{k + 1}", "next", a.id, b.id, pts))
        edges.append(
            LaidEdge(
                f"f{len(boxes)}",
                "next",
                last.id,
                "finish",
                ((last.x + last.w, last.y + PORT), (end.x, last.y + PORT)),
            )
        )

    # Loop-back branches: down into a channel under the lanes, across, up into the target.
    height = lanes_bottom
    for n, (src, dst, why) in enumerate(loops, start=1):
        a = next(b for b in boxes if b.step == src)
        b = next(b for b in boxes if b.step == dst)
        cy = height + 14 + LINE
        label_w = max(abs((a.x + a.w - 4) - (b.x + 5)) - 16, 160)
        cl = wrap_text(why, label_w, SMALL)
        lx = min(a.x + a.w - 4, b.x + 5) + 8
        tl = tuple(
            TextLine(t, lx, cy + 14 + k * LINE, SMALL, italic=True, color=COLORS["outcome"])
            for k, t in enumerate(cl)
        )
        a_bottom = max([a.y + a.h] + [o.y + o.h for o in nodes if o.kind == "outcome" and o.step == src])
        route = ((a.x + a.w - 4, a_bottom), (a.x + a.w - 4, cy), (b.x + 5, cy), (b.x + 5, b.y + b.h))
        edges.append(LaidEdge(f"r{n}", "branch", a.id, b.id, route, label=why, lines=tl))
        height = cy + 6 + LINE * len(cl)
    height += MARGIN

    return Layout(
        code=str(code) if code else None,
        name=name,
        version=int(version) if version is not None else None,
        time_limit=str(limit) if limit else None,
        time_limit_hours=float(limit_h) if limit_h is not None else None,
        counted_hours=counted,
        over_limit=over,
        title=title,
        subtitle=subtitle,
        warning=warning,
        width=width,
        height=height,
        title_lines=tuple(title_lines),
        warning_box=warning_box,
        warning_lines=tuple(warning_lines),
        lanes=tuple(lanes),
        nodes=tuple(nodes),
        edges=tuple(edges),
    )


# --------------------------------------------------------------------------------------------------
# SVG.


def _attr(value: str) -> str:
    return _xml_escape(value, {'"': "&quot;"})


def _svg_text(line: TextLine) -> str:
    attrs = [f'x="{line.x}"', f'y="{line.y}"', f'font-size="{line.size}"', f'fill="{line.color}"']
    if line.bold:
        attrs.append('font-weight="bold"')
    if line.italic:
        attrs.append('font-style="italic"')
    if line.anchor != "start":
        attrs.append(f'text-anchor="{line.anchor}"')
    return f"<text {' '.join(attrs)}>{_xml_escape(line.text)}</text>"


def _points(points: Sequence[tuple[int, int]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def render_svg(layout: Layout) -> str:
    """Render a layout as a standalone, print-friendly SVG document (UTF-8 text, ends with a newline)."""
    c = COLORS
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" height="{layout.height}" '
        f'viewBox="0 0 {layout.width} {layout.height}" font-family="{_attr(FONT_STACK)}">',
        f"<title>{_xml_escape(layout.title)}</title>",
        f"<desc>{_xml_escape(layout.subtitle)}</desc>",
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
    if layout.warning_box is not None:
        x, y, w, h = layout.warning_box
        out.append('<g class="warning">')
        out.append(
            f'<rect class="warning-box" x="{x}" y="{y}" width="{w}" height="{h}" rx="4" '
            f'fill="{c["warn_fill"]}" stroke="{c["warn"]}" stroke-width="1.5"/>'
        )
        out.extend(_svg_text(t) for t in layout.warning_lines)
        out.append("</g>")
    out.append('<g class="lanes">')
    for lane in layout.lanes:
        fill = c["lane_a"] if lane.index % 2 else c["lane_b"]
        out.append(f'<g class="lane-group" data-unit="{_attr(lane.name)}">')
        out.append(
            f'<rect class="lane" x="{lane.x}" y="{lane.y}" width="{lane.w}" height="{lane.h}" '
            f'fill="{fill}" stroke="{c["lane"]}"/>'
        )
        out.append(
            f'<rect class="lane-header" x="{lane.x}" y="{lane.y}" width="{HEADER_W}" height="{lane.h}" '
            f'fill="{c["header"]}" stroke="{c["lane"]}"/>'
        )
        out.extend(_svg_text(t) for t in lane.lines)
        out.append("</g>")
    out.append("</g>")
    out.append('<g class="edges" fill="none">')
    for edge in layout.edges:
        if edge.kind == "next":
            style = f'stroke="{c["arrow"]}" stroke-width="1.5" marker-end="url(#arrow)"'
        elif edge.kind == "branch":
            style = (
                f'stroke="{c["outcome"]}" stroke-width="1.3" stroke-dasharray="5 3" '
                'marker-end="url(#arrow-branch)"'
            )
        else:
            style = f'stroke="{c["support"]}" stroke-width="1" stroke-dasharray="2 3"'
        out.append(
            f'<polyline class="edge {edge.kind}" data-source="{edge.source}" data-target="{edge.target}" '
            f'points="{_points(edge.points)}" {style}/>'
        )
        out.extend(_svg_text(t) for t in edge.lines)
    out.append("</g>")
    out.append('<g class="nodes">')
    for node in layout.nodes:
        label = _attr(node.label)
        if node.kind in {"start", "end"}:
            cx, cy, r = node.x + EVENT_R, node.y + EVENT_R, EVENT_R
            width = 1.5 if node.kind == "start" else 3.5
            out.append(
                f'<circle class="event {node.kind}" cx="{cx}" cy="{cy}" r="{r}" fill="#ffffff" '
                f'stroke="{c["ink"]}" stroke-width="{width}"><title>{label}</title></circle>'
            )
            continue
        out.append(f'<g class="{node.kind}" id="{node.id}" data-label="{label}" data-lane="{node.lane}">')
        if node.kind == "step":
            rect = f'fill="{c["box_fill"]}" stroke="{c["box"]}" stroke-width="1.5" rx="6"'
        elif node.kind == "outcome":
            rect = f'fill="{c["outcome_fill"]}" stroke="{c["outcome"]}" stroke-width="1.2" rx="12"'
        else:
            rect = f'fill="#ffffff" stroke="{c["support"]}" stroke-dasharray="3 2" rx="13"'
        out.append(
            f'<rect class="{node.kind}-box" x="{node.x}" y="{node.y}" width="{node.w}" '
            f'height="{node.h}" {rect}/>'
        )
        out.extend(_svg_text(t) for t in node.lines)
        out.append("</g>")
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# Mermaid.


def _mermaid_text(text: str) -> str:
    text = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return text.replace("&", "#amp;").replace("|", "#124;")


def render_mermaid(layout: Layout) -> str:
    """Render a layout as a Mermaid ``flowchart`` with one subgraph per unit (ends with a newline)."""
    head = layout.title + " — " + layout.subtitle
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
    for edge in layout.edges:
        if edge.kind == "next":
            out.append(f"  {edge.source} --> {edge.target}")
        elif edge.kind == "branch" and edge.label:
            out.append(f'  {edge.source} -.->|"{_mermaid_text(edge.label)}"| {edge.target}')
        elif edge.kind == "branch":
            out.append(f"  {edge.source} -.-> {edge.target}")
        else:
            out.append(f"  {edge.source} -.- {edge.target}")
    out.append("  classDef step fill:#ffffff,stroke:#2b5797,color:#1f2933")
    out.append("  classDef outcome fill:#fff8e6,stroke:#b26a00,color:#1f2933")
    out.append("  classDef support fill:#ffffff,stroke:#7b8794,stroke-dasharray:3 2,color:#52606d")
    out.append("  classDef warn fill:#fdecea,stroke:#b00020,color:#b00020")
    return "\n".join(out) + "\n"


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
    parts += [_mermaid_text(t) for t in _ITEM_BREAK.split(node.text)]
    if len(node.units) > 1:
        parts.append("<i>" + _mermaid_text("Phối hợp: " + ", ".join(node.units[1:])) + "</i>")
    parts.append("<i>" + _mermaid_text("Thời gian: " + node.duration) + "</i>")
    return f'{node.id}["{"<br/>".join(parts)}"]:::step'


# --------------------------------------------------------------------------------------------------
# Graphviz DOT.


def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_lines(lines: Sequence[str]) -> str:
    body = "".join(t.replace("\\", "\\\\").replace('"', '\\"') + "\\l" for t in lines)
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
    for edge in layout.edges:
        if edge.kind == "next":
            out.append(f"  {edge.source} -> {edge.target};")
        elif edge.kind == "branch" and not edge.label:
            out.append(f'  {edge.source} -> {edge.target} [style=dashed, color="{COLORS["outcome"]}"];')
        elif edge.kind == "branch":
            lines = wrap_text(edge.label, 200, SMALL)
            out.append(
                f'  {edge.source} -> {edge.target} [style=dashed, color="{COLORS["outcome"]}", '
                f"label={_dot_lines(lines)}];"
            )
        else:
            out.append(
                f"  {edge.source} -> {edge.target} "
                f'[style=dotted, arrowhead=none, color="{COLORS["support"]}"];'
            )
    out.append("}")
    return "\n".join(out) + "\n"


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


# --------------------------------------------------------------------------------------------------
# BPMN 2.0.

_BPMN_NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)
_BPMN_LANE_BAND = 30


def _bpmn_id(node: LaidNode) -> str:
    if node.kind == "start":
        return "StartEvent_1"
    if node.kind == "end":
        return "EndEvent_1"
    if node.kind == "outcome":
        return f"Outcome_{node.id[1:]}"
    return f"Task_{node.id[1:]}"


def render_bpmn(layout: Layout) -> str:
    """Render a layout as BPMN 2.0 XML: one participant, a laneSet (one lane per unit) and BPMNDI shapes.

    Support markers are not BPMN elements (the units are named in the task's documentation).
    """
    nodes = [n for n in layout.nodes if n.kind != "support"]
    ids = {n.id: _bpmn_id(n) for n in nodes}
    flows = [e for e in layout.edges if e.kind != "support"]
    flow_ids = {e.id: f"Flow_{e.id}" for e in flows}
    # bpmn.io wraps flow labels at 90 px, which would run over the outcome boxes: a branch into an outcome
    # carries its condition in the outcome's name instead, and the outcome's shape takes the label's room.
    into_outcome = {e.target: e for e in flows if e.label and e.target.startswith("o")}
    bounds = {n.id: (n.x, n.y, n.w, n.h) for n in nodes}
    for oid, e in into_outcome.items():
        x, y, w, h = bounds[oid]
        top = min(t.y for t in e.lines) - 12 if e.lines else y
        bounds[oid] = (x, top, w, y + h - top)
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for e in flows:
        outgoing.setdefault(e.source, []).append(flow_ids[e.id])
        incoming.setdefault(e.target, []).append(flow_ids[e.id])
    name = _attr(layout.title)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<bpmn:definitions {_BPMN_NS} id="Definitions_1" targetNamespace="urn:procreg:bpmn" '
        'exporter="procreg" exporterVersion="1">',
        '  <bpmn:collaboration id="Collaboration_1">',
        f'    <bpmn:participant id="Participant_1" name="{name}" processRef="Process_1"/>',
        "  </bpmn:collaboration>",
        '  <bpmn:process id="Process_1" isExecutable="false">',
        f"    <bpmn:documentation>{_xml_escape(layout.subtitle)}"
        + (f" {_xml_escape(layout.warning)}" if layout.warning else "")
        + "</bpmn:documentation>",
        '    <bpmn:laneSet id="LaneSet_1">',
    ]
    for lane in layout.lanes:
        out.append(f'      <bpmn:lane id="Lane_{lane.index}" name="{_attr(lane.name)}">')
        for n in nodes:
            if n.lane == lane.index:
                out.append(f"        <bpmn:flowNodeRef>{ids[n.id]}</bpmn:flowNodeRef>")
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    for n in nodes:
        tag = {"start": "startEvent", "end": "endEvent"}.get(n.kind, "task")
        if n.kind == "step":
            label = f"{n.label}. {n.text} ({n.duration})"
        elif n.kind == "outcome" and n.id in into_outcome:
            label = f"{into_outcome[n.id].label}: {n.text}"
        elif n.kind == "outcome":
            label = n.text
        else:
            label = n.label
        out.append(f'    <bpmn:{tag} id="{ids[n.id]}" name="{_attr(label)}">')
        if n.kind == "step":
            doc = f"Đơn vị: {', '.join(n.units)}. Thời gian: {n.duration}."
            out.append(f"      <bpmn:documentation>{_xml_escape(doc)}</bpmn:documentation>")
        out.extend(f"      <bpmn:incoming>{f}</bpmn:incoming>" for f in incoming.get(n.id, []))
        out.extend(f"      <bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing.get(n.id, []))
        out.append(f"    </bpmn:{tag}>")
    for e in flows:
        label = f' name="{_attr(e.label)}"' if e.label and e.target not in into_outcome else ""
        out.append(
            f'    <bpmn:sequenceFlow id="{flow_ids[e.id]}"{label} sourceRef="{ids[e.source]}" '
            f'targetRef="{ids[e.target]}"/>'
        )
    out.append("  </bpmn:process>")
    out.append('  <bpmndi:BPMNDiagram id="BPMNDiagram_1">')
    out.append('    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Collaboration_1">')
    if layout.lanes:
        top = layout.lanes[0].y
        bottom = layout.lanes[-1].y + layout.lanes[-1].h
        x0 = layout.lanes[0].x
        w = layout.lanes[0].w
        out.append(
            '      <bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">'
        )
        out.append(f'        <dc:Bounds x="{x0}" y="{top}" width="{w}" height="{bottom - top}"/>')
        out.append("      </bpmndi:BPMNShape>")
        for lane in layout.lanes:
            out.append(
                f'      <bpmndi:BPMNShape id="Lane_{lane.index}_di" bpmnElement="Lane_{lane.index}" '
                'isHorizontal="true">'
            )
            out.append(
                f'        <dc:Bounds x="{lane.x + _BPMN_LANE_BAND}" y="{lane.y}" '
                f'width="{lane.w - _BPMN_LANE_BAND}" height="{lane.h}"/>'
            )
            out.append("      </bpmndi:BPMNShape>")
    for n in nodes:
        out.append(f'      <bpmndi:BPMNShape id="{ids[n.id]}_di" bpmnElement="{ids[n.id]}">')
        x, y, w, h = bounds[n.id]
        out.append(f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/>')
        out.append("      </bpmndi:BPMNShape>")
    for e in flows:
        out.append(f'      <bpmndi:BPMNEdge id="{flow_ids[e.id]}_di" bpmnElement="{flow_ids[e.id]}">')
        out.extend(f'        <di:waypoint x="{x}" y="{y}"/>' for x, y in e.points)
        if e.lines and e.target not in into_outcome:
            xs = [t.x for t in e.lines]
            ys = [t.y for t in e.lines]
            lw = max(int(text_width(t.text, t.size)) for t in e.lines)
            out.append("        <bpmndi:BPMNLabel>")
            out.append(
                f'          <dc:Bounds x="{min(xs)}" y="{min(ys) - 12}" width="{lw}" '
                f'height="{max(ys) - min(ys) + 16}"/>'
            )
            out.append("        </bpmndi:BPMNLabel>")
        out.append("      </bpmndi:BPMNEdge>")
    out.append("    </bpmndi:BPMNPlane>")
    out.append("  </bpmndi:BPMNDiagram>")
    out.append("</bpmn:definitions>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# Units overview and gallery.


def _proc_label(graph: Any, pnode: str) -> str:
    data = graph.nodes[pnode]
    return str(data.get("code") or f"#{pnode.split(':', 1)[1]}")


def render_units_text(graph: Any, loads: Sequence[UnitLoad], width: int = 100) -> str:
    """The units overview as a plain-text table: unit, steps taken part in, steps led, hours, procedures.

    Long unit names and procedure lists wrap onto continuation lines, so the table stays ``width`` wide.
    """
    import textwrap

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
    cell, name_w, head_h = 34, 300, 110
    tot_w = 150
    width = MARGIN * 2 + name_w + cell * len(procs) + tot_w
    height = MARGIN * 2 + 40 + head_h + 26 * len(loads) + 10
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_attr(FONT_STACK)}">',
        "<title>Đơn vị và quy trình</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 20}" font-size="18" font-weight="bold" fill="{COLORS["ink"]}">'
        f"Đơn vị tham gia các quy trình: số bước và số giờ</text>",
    ]
    y0 = MARGIN + 40 + head_h
    for j, p in enumerate(procs):
        cx = MARGIN + name_w + j * cell + cell // 2
        out.append(
            f'<text transform="translate({cx + 4},{y0 - 6}) rotate(-60)" font-size="11" '
            f'fill="{COLORS["ink"]}">'
            f"{_xml_escape(_proc_label(graph, p))}<title>{_xml_escape(str(graph.nodes[p].get('name') or ''))}"
            "</title></text>"
        )
    tx = MARGIN + name_w + cell * len(procs)
    out.append(
        f'<text x="{tx + 8}" y="{y0 - 8}" font-size="12" font-weight="bold" '
        f'fill="{COLORS["ink"]}">Số bước</text>'
    )
    out.append(
        f'<text x="{tx + 80}" y="{y0 - 8}" font-size="12" font-weight="bold" '
        f'fill="{COLORS["ink"]}">Số giờ</text>'
    )
    for i, load in enumerate(loads):
        y = y0 + i * 26
        fill = COLORS["lane_a"] if i % 2 == 0 else COLORS["lane_b"]
        out.append(f'<rect x="{MARGIN}" y="{y}" width="{width - 2 * MARGIN}" height="26" fill="{fill}"/>')
        name = wrap_text(load.unit, name_w - 12, 12)
        label = name[0] + ("…" if len(name) > 1 else "")
        out.append(
            f'<text x="{MARGIN + 6}" y="{y + 17}" font-size="12" fill="{COLORS["ink"]}">{_xml_escape(label)}'
            f"<title>{_xml_escape(load.unit)}</title></text>"
        )
        per = dict(load.procedures)
        for j, p in enumerate(procs):
            if p in per:
                x = MARGIN + name_w + j * cell
                out.append(
                    f'<rect x="{x + 3}" y="{y + 3}" width="{cell - 6}" height="20" rx="3" fill="#dbe7f5" '
                    f'stroke="{COLORS["box"]}" stroke-width="0.8"/>'
                )
                out.append(
                    f'<text x="{x + cell // 2}" y="{y + 17}" font-size="11" text-anchor="middle" '
                    f'fill="{COLORS["ink"]}">{per[p]}</text>'
                )
        out.append(
            f'<text x="{tx + 8}" y="{y + 17}" font-size="12" fill="{COLORS["ink"]}">{load.steps}</text>'
        )
        out.append(
            f'<text x="{tx + 80}" y="{y + 17}" font-size="12" '
            f'fill="{COLORS["ink"]}">{format_hours(load.hours)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    """One procedure in the ``diagram --all`` gallery."""

    file: str  # diagram file name, relative to index.html
    code: str | None
    name: str
    units: tuple[str, ...]
    steps: int
    counted_hours: float
    time_limit: str | None
    over_limit: bool
    field: str | None = None


_GALLERY_JS = """
(function () {
  var q = document.getElementById('q'), u = document.getElementById('unit');
  var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));
  function fold(s) {
    s = s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '');
    return s.replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }
  function apply() {
    var words = fold(q.value).split(/\\s+/).filter(Boolean), unit = u.value, shown = 0;
    cards.forEach(function (c) {
      var text = c.getAttribute('data-search');
      var units = c.getAttribute('data-units').split('|');
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      ok = ok && (!unit || units.indexOf(unit) >= 0);
      c.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    document.getElementById('count').textContent = shown + ' / ' + cards.length;
  }
  q.addEventListener('input', apply);
  u.addEventListener('change', apply);
  apply();
})();
"""

_GALLERY_CSS = """
body { font-family: 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; margin: 24px;
  color: #1f2933; background: #f7f9fb; }
h1 { font-size: 22px; margin: 0 0 12px; }
.bar { display: flex; gap: 12px; align-items: center; margin-bottom: 16px; flex-wrap: wrap; }
input, select { font: inherit; padding: 6px 8px; border: 1px solid #b8c4ce; border-radius: 4px; }
input { width: 420px; } select { max-width: 420px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; }
.card { background: #fff; border: 1px solid #d3dce4; border-radius: 6px; padding: 10px 12px; }
.card a { color: #2b5797; text-decoration: none; font-weight: 600; }
.card img { width: 100%; height: 150px; object-fit: contain; object-position: left top;
  border-top: 1px solid #eef2f5; margin-top: 8px; }
.meta { color: #52606d; font-size: 13px; margin-top: 4px; }
.units { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.warn { color: #b00020; font-weight: 600; font-size: 13px; }
"""


def _html(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def render_gallery(entries: Sequence[GalleryEntry], title: str = "Sơ đồ quy trình nội bộ") -> str:
    """A self-contained HTML gallery (search box, unit filter, links), vanilla JS, no external files."""
    units = sorted({u for e in entries for u in e.units}, key=lambda u: (fold(u), u))
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_html(title)}</title>",
        f"<style>{_GALLERY_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_html(title)}</h1>",
        '<div class="bar">',
        '<input id="q" type="search" placeholder="Tìm mã, tên, đơn vị (gõ không dấu cũng được)" autofocus>',
        '<select id="unit"><option value="">Tất cả đơn vị</option>',
        *(f'<option value="{_html(u)}">{_html(u)}</option>' for u in units),
        "</select>",
        '<span id="count"></span>',
        "</div>",
        '<div class="grid">',
    ]
    for e in entries:
        heading = f"{e.code} · {e.name}" if e.code else e.name
        search = fold(" ".join([e.code or "", e.name, e.field or "", *e.units]))
        meta = (
            f"{e.steps} bước · Σ {format_hours(e.counted_hours)} giờ · Thời hạn: {e.time_limit or 'chưa ghi'}"
        )
        out.append(
            f'<div class="card" data-search="{_html(search)}" data-units="{_html("|".join(e.units))}">'
        )
        out.append(f'<a href="{_html(e.file)}">{_html(heading)}</a>')
        out.append(f'<div class="meta">{_html(meta)}</div>')
        units_text = _html(", ".join(e.units))
        out.append(f'<div class="meta units" title="{units_text}">{units_text}</div>')
        if e.over_limit:
            out.append('<div class="warn">Tổng thời gian các bước vượt thời hạn giải quyết</div>')
        out.append(
            f'<a href="{_html(e.file)}"><img src="{_html(e.file)}" alt="{_html(heading)}" loading="lazy"></a>'
        )
        out.append("</div>")
    out += ["</div>", f"<script>{_GALLERY_JS}</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
