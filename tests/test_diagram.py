"""Swimlane diagrams: golden files, determinism, SVG geometry, BPMN lanes, DOT rendering, escaping."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest
from conftest import DOCS_DIR
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diagram_samples import QT_GD_01_STEPS, big_procedure, qt_gd_01

from procreg.procedures.diagram import (
    Layout,
    ascii_name,
    layout_procedure,
    render_bpmn,
    render_dot,
    render_mermaid,
    render_svg,
    text_width,
    wrap_text,
)
from procreg.procedures.graph import build_graph
from procreg.registry.models import ProcedureRecord, Step

QD_3005 = DOCS_DIR / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
SVG = "{http://www.w3.org/2000/svg}"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
RENDERERS = {"svg": render_svg, "mmd": render_mermaid, "dot": render_dot, "bpmn": render_bpmn}


def _layout(record: ProcedureRecord) -> Layout:
    return layout_procedure(build_graph([record]), record.id)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


Rect = tuple[float, float, float, float]


def _rect(el: ET.Element) -> Rect:
    return tuple(float(el.get(a, "0")) for a in ("x", "y", "width", "height"))  # type: ignore[return-value]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _inside(a: Rect, b: Rect) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def check_svg_geometry(svg: str) -> ET.Element:
    """Well-formed; no two boxes or lanes overlap; each box in its lane; every text line fits its box."""
    root = ET.fromstring(svg.encode("utf-8"))
    lanes = [_rect(r) for r in root.iter(f"{SVG}rect") if r.get("class") == "lane"]
    assert lanes
    for a, b in combinations(lanes, 2):
        assert not _overlap(a, b), (a, b)
    boxes: list[Rect] = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") not in {"step", "outcome", "support"}:
            continue
        (rect,) = [r for r in g if r.tag == f"{SVG}rect"]
        box = _rect(rect)
        boxes.append(box)
        lane = lanes[int(g.get("data-lane", "0")) - 1]
        assert _inside(box, lane), (g.get("id"), box, lane)
        for t in g.iter(f"{SVG}text"):
            size = float(t.get("font-size", "12"))
            x, y = float(t.get("x", "0")), float(t.get("y", "0"))
            right = x + text_width(t.text or "", size, t.get("font-weight") == "bold")
            assert box[0] < x and right <= box[0] + box[2] - 4, (g.get("id"), t.text, right, box)
            assert box[1] < y - size * 0.8 and y + size * 0.3 <= box[1] + box[3], (g.get("id"), t.text)
    for a, b in combinations(boxes, 2):
        assert not _overlap(a, b), (a, b)
    return root


def _box_texts(root: ET.Element) -> dict[str, str]:
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "step":
            out[g.get("data-label", "")] = " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
    return out


@pytest.fixture(scope="module")
def ingested_qt_gd_01(tmp_path_factory: pytest.TempPathFactory) -> ProcedureRecord:
    """QT.GĐ.01 as `procreg ingest` registers it from the corpus file (parsers + store, no shortcuts)."""
    from procreg.registry.service.finding import find_procedure
    from procreg.registry.service.ingesting import ingest
    from procreg.registry.store import Store

    home = tmp_path_factory.mktemp("home")
    report = ingest([QD_3005], home=home)
    assert not report.failed, report.failed
    with Store.open(home / "registry.db") as store:
        return find_procedure(store, "QT.GĐ.01")


@pytest.mark.parametrize("suffix", sorted(RENDERERS))
def test_ingested_qt_gd_01_matches_golden_and_is_deterministic(  # type: ignore[no-untyped-def]
    suffix: str, ingested_qt_gd_01: ProcedureRecord, golden
) -> None:
    text = RENDERERS[suffix](_layout(ingested_qt_gd_01))
    assert text == RENDERERS[suffix](_layout(ingested_qt_gd_01))
    golden(f"diagram_qt-gd-01.{suffix}", text)


def test_ingested_qt_gd_01_svg_and_bpmn_hold_every_step_once(ingested_qt_gd_01: ProcedureRecord) -> None:
    record = ingested_qt_gd_01
    assert [s.label for s in record.steps] == [f"B{i}" for i in range(1, 9)]
    layout = _layout(record)
    root = check_svg_geometry(render_svg(layout))
    texts = _box_texts(root)
    for step in record.steps:
        assert _squash(step.text) in _squash(texts[step.label]), step.label
    assert "không tính" in texts["B1"] and "15 ngày" in texts["B4"]
    units = list(dict.fromkeys(u for s in record.steps for u in s.responsible))
    assert [lane.name for lane in layout.lanes] == units
    bpmn = ET.fromstring(render_bpmn(layout).encode("utf-8"))
    lanes = list(bpmn.iter(f"{BPMN}lane"))
    assert [lane.get("name") for lane in lanes] == units
    refs = [ref.text for lane in lanes for ref in lane.iter(f"{BPMN}flowNodeRef")]
    tasks = [t.get("id") for t in bpmn.iter(f"{BPMN}task") if (t.get("id") or "").startswith("Task_")]
    assert len(tasks) == 8 and all(refs.count(t) == 1 for t in tasks)
    assert len(refs) == len(set(refs))


def test_qt_gd_01_svg_holds_every_step_in_full_without_overlap() -> None:
    svg = render_svg(_layout(qt_gd_01()))
    root = check_svg_geometry(svg)
    texts = _box_texts(root)
    assert list(texts) == [f"B{i}" for i in range(1, 9)]
    for step in QT_GD_01_STEPS:
        assert _squash(step.text) in _squash(texts[step.label]), step.label
    assert "không tính" in texts["B1"] and "không tính" in texts["B8"]
    assert "0,5 ngày" in texts["B2"] and "Phối hợp: Văn thư" in texts["B2"]
    lanes = [g.get("data-unit") for g in root.iter(f"{SVG}g") if g.get("class") == "lane-group"]
    assert lanes == [
        "Công chức TN&TKQ",
        "Văn thư",
        "Lãnh đạo Phòng TCHC",
        "Công chức xử lý hồ sơ",
        "Lãnh đạo Sở",
        "Cán bộ TN&TKQ",
        "Cá nhân/Tổ chức nộp hồ sơ",
    ]
    title = " ".join(t.text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "title" for t in g)
    for part in ("QT.GĐ.01", "Bổ nhiệm giám định viên", "Phiên bản 1", "20 ngày", "160 giờ"):
        assert part in title
    assert "CẢNH BÁO" not in svg
    outcomes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "outcome"]
    assert len(outcomes) == 2
    branch_labels = " ".join(t.text or "" for t in root.iter(f"{SVG}text") if t.get("font-style") == "italic")
    assert "Nếu hồ sơ chưa đầy đủ hoặc không hợp lệ" in branch_labels


def test_bpmn_has_one_lane_per_unit_and_each_node_in_exactly_one_lane() -> None:
    layout = _layout(qt_gd_01())
    root = ET.fromstring(render_bpmn(layout).encode("utf-8"))
    lanes = list(root.iter(f"{BPMN}lane"))
    assert [lane.get("name") for lane in lanes] == [lane.name for lane in layout.lanes]
    refs = [ref.text for lane in lanes for ref in lane.iter(f"{BPMN}flowNodeRef")]
    nodes = [el.get("id") for tag in ("task", "startEvent", "endEvent") for el in root.iter(f"{BPMN}{tag}")]
    assert len(nodes) == 8 + 2 + 2
    assert sorted(refs) == sorted(nodes)  # every node in exactly one lane
    lane_of = {ref.text: lane.get("name") for lane in lanes for ref in lane.iter(f"{BPMN}flowNodeRef")}
    assert lane_of["Task_7"] == "Văn thư" and lane_of["Task_8"] == "Cán bộ TN&TKQ"
    flows = {el.get("id"): el for el in root.iter(f"{BPMN}sequenceFlow")}
    assert all(f.get("sourceRef") in nodes and f.get("targetRef") in nodes for f in flows.values())
    shapes = {s.get("bpmnElement") for s in root.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape")}
    assert set(nodes) | {"Participant_1"} | {lane.get("id") for lane in lanes} == shapes


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
@pytest.mark.parametrize("record", [qt_gd_01(), big_procedure()], ids=["qt-gd-01", "big"])
def test_dot_renders_with_graphviz(record: ProcedureRecord) -> None:
    dot = render_dot(_layout(record))
    done = subprocess.run(
        ["dot", "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"<svg" in done.stdout and done.stderr == b""
    assert dot.count("subgraph cluster_") == len(_layout(record).lanes)


def test_over_limit_shows_a_warning_in_every_format() -> None:
    steps = tuple(
        Step(
            **{
                **{f: getattr(s, f) for f in ("order", "label", "text", "responsible", "duration_text")},
                "hours": 128.0 if s.order == 4 else s.hours,
            }
        )
        for s in QT_GD_01_STEPS
    )
    layout = _layout(qt_gd_01(steps=steps))
    assert layout.over_limit and layout.counted_hours == 168.0
    svg = render_svg(layout)
    check_svg_geometry(svg)
    root = ET.fromstring(svg.encode("utf-8"))
    (warn,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "warning"]
    text = " ".join(t.text or "" for t in warn.iter(f"{SVG}text"))
    assert "CẢNH BÁO" in text and "168 giờ" in text and "160 giờ" in text
    for render in (render_mermaid, render_dot, render_bpmn):
        assert "CẢNH BÁO" in render(layout)


def test_25_steps_and_7_units_lay_out_without_overlap() -> None:
    layout = _layout(big_procedure())
    assert len(layout.lanes) == 7
    assert len([n for n in layout.nodes if n.kind == "step"]) == 25
    root = check_svg_geometry(render_svg(layout))
    texts = _box_texts(root)
    for step in big_procedure().steps:
        assert _squash(step.text) in _squash(texts[step.label])
    assert "không tính" in texts["Bước 1"]
    loop = [e for e in layout.edges if e.id.startswith("r")]
    assert [(e.source, e.target) for e in loop] == [("s12", "s10")]
    assert layout.over_limit  # 23 counted days > 20


def test_special_characters_are_escaped_in_every_format() -> None:
    nasty = 'Đơn vị "A" <B> & C # | \\ {x}'
    steps = (
        Step(
            order=1,
            label="B1",
            text='Nhận "hồ sơ" <gốc> & bản sao # 1 | 2 \\ 3',
            responsible=(nasty,),
            hours=4.0,
            duration_text="0,5 ngày",
        ),
        Step(order=2, label="B2", text="Ký; trả kết quả", responsible=("Lãnh đạo", nasty), hours=None),
    )
    rec = qt_gd_01(name='Thủ tục "đặc biệt" <&>', code='QT."X"&<1>', steps=steps, units=())
    layout = _layout(rec)
    check_svg_geometry(render_svg(layout))
    ET.fromstring(render_bpmn(layout).encode("utf-8"))
    mmd = render_mermaid(layout)
    for line in mmd.splitlines()[4:]:
        assert line.count('"') % 2 == 0, line
        assert "<gốc>" not in line and "&" not in line.replace("#amp;", ""), line
    if shutil.which("dot"):
        done = subprocess.run(
            ["dot", "-Tsvg"], input=render_dot(layout).encode(), capture_output=True, check=False
        )
        assert done.returncode == 0, done.stderr.decode()
        assert "<gốc>" not in done.stdout.decode()  # escaped in Graphviz's own SVG
        assert "&lt;gốc&gt;" in done.stdout.decode()


def test_procedure_without_steps_or_units_still_renders() -> None:
    layout = _layout(qt_gd_01(steps=(), units=()))
    svg = render_svg(layout)
    ET.fromstring(svg.encode())
    assert "chưa rõ đơn vị" in svg


def test_ascii_name() -> None:
    assert ascii_name("QT.GĐ.01") == "QT.GD.01"
    assert ascii_name("QT-Đăng ký/ô tô") == "QT-Dang_ky_o_to"


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÀẢẫẬỹ WMW.,-/"), max_size=200),
    st.integers(min_value=30, max_value=300),
)
def test_wrap_text_keeps_every_character_and_fits(text: str, width: int) -> None:
    lines = wrap_text(text, width, 12)
    assert _squash("".join(lines)) == _squash(text)
    assert all(text_width(line, 12) <= width or len(line) == 1 for line in lines)


_WORDS = st.sampled_from(
    [
        "hồ sơ",
        "thẩm định",
        "Lãnh đạo",
        "ký",
        "duyệt",
        "văn bản",
        "https://dichvucong.gov.vn/p/x?y=1",
        "Đ",
        "W",
    ]
)
_UNITS = [
    "Bộ phận Một cửa",
    "Văn thư",
    "Lãnh đạo phòng chuyên môn nghiệp vụ của Sở",
    "Chuyên viên",
    "UBND tỉnh",
]


@st.composite
def _procedures(draw: st.DrawFn) -> ProcedureRecord:
    n = draw(st.integers(min_value=1, max_value=12))
    steps = []
    for k in range(1, n + 1):
        text = " ".join(draw(st.lists(_WORDS, min_size=1, max_size=40)))
        if draw(st.booleans()):
            text += " - Nếu hồ sơ chưa đầy đủ thì hướng dẫn bổ sung."
        if k > 2 and draw(st.integers(0, 5)) == 0:
            text += f" Trường hợp không đồng ý thì trả lại B{k - 2}."
        units = draw(st.lists(st.sampled_from(_UNITS), min_size=0, max_size=3, unique=True))
        hours = draw(st.one_of(st.none(), st.sampled_from([4.0, 8.0, 120.0])))
        steps.append(
            Step(order=k, label=f"B{k}", text=text, responsible=tuple(units), hours=hours, duration_text="")
        )
    return qt_gd_01(steps=tuple(steps), units=(), time_limit_hours=draw(st.sampled_from([None, 40.0, 160.0])))


@settings(max_examples=40, deadline=None)
@given(_procedures())
def test_any_procedure_lays_out_without_overlap_in_every_format(record: ProcedureRecord) -> None:
    layout = _layout(record)
    root = check_svg_geometry(render_svg(layout))
    texts = _box_texts(root)
    for step in record.steps:
        assert _squash(step.text) in _squash(texts[step.label])
    bpmn = ET.fromstring(render_bpmn(layout).encode("utf-8"))
    refs = [ref.text for ref in bpmn.iter(f"{BPMN}flowNodeRef")]
    assert len(refs) == len(set(refs)) == len([n for n in layout.nodes if n.kind != "support"])
    counted = sum(s.hours or 0 for s in record.steps)
    assert layout.over_limit == (record.time_limit_hours is not None and counted > record.time_limit_hours)
    assert ("CẢNH BÁO" in render_mermaid(layout)) == layout.over_limit
