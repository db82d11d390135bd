"""procreg's BPMN opened where its users open it: bpmn-js (the vendored viewer) in Debian's Chromium.

Real procedures from real documents (corpus, samples, the payload fixture) are ingested into a temporary
registry and exported with ``Registry.diagram(code, "bpmn")`` (what ``procreg diagram CODE --format bpmn``
writes); bpmn-js imports each file and the test reads its element registry: the import has no warning and
the page logs no error, every step is one task, every unit one lane holding its shapes, every sequence flow
procreg wrote joins the borders of the shapes it names inside the pool without crossing another shape, every
element has its DI and a size, no two shapes or labels are drawn at the same place, and every name is shown
whole, inside its box, without a word cut in two. bpmn-js draws text in Arial (Liberation Sans on Debian:
fonts-liberation, installed by .ci/run with Chromium)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import combinations
from typing import Any

import pytest
from bpmn_js_support import VIEWER, open_bpmn
from conftest import DOCS_DIR, requires_tool
from fixtures.payload import write_payloads
from test_diagram_samples import big_procedure
from web_support import CHROMIUM_ARGS, SAMPLES, chromium_path

import procreg
from procreg.procedures.diagram import layout_procedure, render_bpmn
from procreg.procedures.graph import build_graph

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[dev]'")
CHROMIUM = chromium_path()
pytestmark = requires_tool("chromium", "apt-get install chromium")

MODEL = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DOCUMENTS = (
    DOCS_DIR / "hanoi_qd1594-2025-ttpvhcc_quytrinhnoibo-dientu_tinnguong-tongiao.txt",  # 15 steps, 8 lanes
    DOCS_DIR / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt",  # branches that rejoin
    DOCS_DIR / "hatinh_qd2904-2025_danhmuc-quytrinhnoibo_baochi-xuatban.txt",
    SAMPLES / "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
    SAMPLES / "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf",
)
# Codes and what each one stands for; the payload procedures come from tests/fixtures/payload.py.
CODES = {
    "QTTP-20": "eight lanes, fifteen steps, branches",
    "QT.GĐ.01": "branches, one rejoining the flow",
    "QT.XNKBCXB.01": "branches",
    "QT.NV.01": "a sample decision (.docx)",
    "QT.NV.03": "a sample decision (.pdf)",
    "QT.PL.01": "payload: markup, quotes and escapes in names",
    "QT.PL.03": "payload: a DDE formula as a unit",
}
Rect = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> procreg.Registry:
    base = tmp_path_factory.mktemp("bpmn-js")
    docs = base / "docs"
    docs.mkdir()
    for path in DOCUMENTS:
        shutil.copy2(path, docs / path.name)
    write_payloads(docs)
    reg = procreg.Registry(base / "home")
    reg.ingest([docs])
    return reg


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True)
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        yield tab
        browser.close()
        assert not errors, errors


def test_the_vendored_viewer_is_bpmn_js() -> None:
    head = VIEWER.read_text(encoding="utf-8")[:200]
    assert head.startswith("/*! bpmn-js - bpmn-viewer v"), head
    assert (VIEWER.parent / "LICENSE").is_file() and (VIEWER.parent / "README.md").is_file()


@pytest.mark.parametrize("code", list(CODES))
def test_bpmn_js_draws_the_procedure_as_procreg_wrote_it(
    code: str, registry: procreg.Registry, page: Any
) -> None:
    xml = registry.diagram(code, "bpmn").text
    steps = registry.get(code).record.steps
    assert steps, f"{code}: no steps read, nothing to draw"
    check_in_bpmn_js(page, xml, step_labels=[s.label for s in steps])


@pytest.fixture
def loop_xml() -> tuple[str, list[str]]:
    record = big_procedure()
    return render_bpmn(layout_procedure(build_graph([record]), record.id)), [s.label for s in record.steps]


def test_bpmn_js_draws_25_steps_7_lanes_and_a_loop_back(loop_xml: tuple[str, list[str]], page: Any) -> None:
    """No corpus procedure returns to an earlier step; test_diagram's synthetic one does (Bước 12 -> 10)."""
    xml, labels = loop_xml
    drawn = check_in_bpmn_js(page, xml, step_labels=labels)
    loop = drawn["Flow_r1"]
    assert (loop["source"], loop["target"]) == ("Task_12", "Task_10")


# --------------------------------------------------------------------------------------------------
# What bpmn-js must show of one file


def check_in_bpmn_js(page: Any, xml: str, *, step_labels: list[str]) -> dict[str, dict[str, Any]]:
    """Import ``xml`` in bpmn-js and check what it drew; returns the element registry by id."""
    result = open_bpmn(page, xml)
    assert result["error"] is None, result["error"]
    assert result["warnings"] == [], result["warnings"]
    drawn = {e["id"]: e for e in result["elements"]}
    root = ET.fromstring(xml.encode("utf-8"))
    _check_steps(drawn, step_labels)
    _check_lanes(drawn, root)
    _check_flows(drawn, root)
    _check_di(drawn, root)
    _check_nothing_on_top(drawn)
    _check_names_shown(drawn)
    return drawn


def _check_steps(drawn: dict[str, dict[str, Any]], labels: list[str]) -> None:
    """One task per step, named from the step's label."""
    tasks = [e for e in drawn.values() if e["type"] == "bpmn:Task" and e["id"].startswith("Task_")]
    assert len(tasks) == len(labels)
    names = sorted((e["name"] for e in tasks), key=lambda n: labels.index(n.split(". ", 1)[0]))
    assert [n.split(". ", 1)[0] for n in names] == labels


def _check_lanes(drawn: dict[str, dict[str, Any]], root: ET.Element) -> None:
    """One participant, the lanes procreg wrote (one per unit), each holding its shapes inside it."""
    participants = [e for e in drawn.values() if e["type"] == "bpmn:Participant"]
    assert len(participants) == 1
    written = {lane.get("id"): lane for lane in root.iter(f"{MODEL}lane")}
    lanes = {e["id"]: e for e in drawn.values() if e["type"] == "bpmn:Lane"}
    assert set(lanes) == set(written) and lanes
    names = [lane["name"] for lane in lanes.values()]
    assert len(set(names)) == len(names), names  # one lane per unit: no unit twice
    for lid, lane in lanes.items():
        assert lane["name"] == written[lid].get("name")
        refs = [r.text for r in written[lid].iter(f"{MODEL}flowNodeRef")]
        assert lane["flowNodeRef"] == refs
        assert _inside(_rect(lane), _rect(participants[0]))
        for ref in refs:
            assert _inside(_rect(drawn[str(ref)]), _rect(lane)), (
                f"{ref} is drawn outside its lane {lane['name']}"
            )


def _check_flows(drawn: dict[str, dict[str, Any]], root: ET.Element) -> None:
    """The sequence flows procreg wrote, each drawn from the border of its source to its target's."""
    written = {
        f.get("id"): (f.get("sourceRef"), f.get("targetRef")) for f in root.iter(f"{MODEL}sequenceFlow")
    }
    flows = {e["id"]: e for e in drawn.values() if e["type"] == "bpmn:SequenceFlow"}
    assert {k: (f["source"], f["target"]) for k, f in flows.items()} == written
    pool = _rect(next(e for e in drawn.values() if e["type"] == "bpmn:Participant"))
    boxes = [e for e in drawn.values() if e["type"] in ("bpmn:Task", "bpmn:StartEvent", "bpmn:EndEvent")]
    for fid, flow in flows.items():
        points = flow["waypoints"]
        assert len(points) >= 2, fid
        assert all(_inside((x, y, 0, 0), pool) for x, y in points), f"{fid} runs outside the pool"
        if fid + "_label" in drawn:
            assert _inside(_rect(drawn[fid + "_label"]), pool), f"{fid}'s label is outside the pool"
        for box in boxes:
            if box["id"] not in (flow["source"], flow["target"]):
                crossed = any(_crosses(p, q, _rect(box)) for p, q in zip(points, points[1:], strict=False))
                assert not crossed, f"{fid} is drawn across {box['id']}"
        assert _on_border(points[0], _rect(drawn[flow["source"]])), f"{fid} does not leave {flow['source']}"
        assert _on_border(points[-1], _rect(drawn[flow["target"]])), f"{fid} does not reach {flow['target']}"


def _check_di(drawn: dict[str, dict[str, Any]], root: ET.Element) -> None:
    """Every element of the model has a DI in bpmn-js, and every shape a size."""
    model = {el.get("id") for el in root.iter() if el.tag.startswith(MODEL) and el.get("id")}
    model -= {"Definitions_1", "Collaboration_1", "Process_1", "LaneSet_1"}
    missing = sorted(str(m) for m in model if m not in drawn or not drawn[str(m)]["hasDi"])
    assert not missing, f"no DI, not drawn: {missing}"
    for e in drawn.values():
        if e["waypoints"] is None:
            assert e["width"] > 0 and e["height"] > 0, e["id"]


def _check_nothing_on_top(drawn: dict[str, dict[str, Any]]) -> None:
    """No two shapes and no external label (events, flow names) drawn at the same place."""
    kinds = ("bpmn:Task", "bpmn:StartEvent", "bpmn:EndEvent", "label")
    shapes = [e for e in drawn.values() if e["type"] in kinds]
    for a, b in combinations(shapes, 2):
        assert not _overlap(_rect(a), _rect(b)), f"{a['id']} and {b['id']} are drawn at the same place"


def _check_names_shown(drawn: dict[str, dict[str, Any]]) -> None:
    """Every name is shown whole, inside its element's box, no word cut across two lines."""
    for e in drawn.values():
        name = e["name"]
        if not name or e["type"] == "label":
            continue
        shown = drawn.get(e["id"] + "_label", e)  # events and named flows: drawn by their label element
        text = shown["text"]
        assert text is not None, f"{e['id']}: its name is not drawn"
        assert _squash(" ".join(text["lines"])) == _squash(name), e["id"]
        assert _inside(_rect(text), _grown(_rect(shown), 1)), f"{e['id']}: its name runs out of its box"
        _check_no_cut_word(e["id"], name, text["lines"])


def _check_no_cut_word(eid: str, name: str, lines: list[str]) -> None:
    """Each line break falls between words (or after a hyphen inside one): no word is cut in two."""
    flat = " ".join(name.split())
    for a, b in zip(lines, lines[1:], strict=False):
        a, b = a.strip(), b.strip()
        assert f"{a} {b}" in flat or (a.endswith("-") and f"{a}{b}" in flat), (
            f"{eid}: a word is cut: {a!r} | {b!r}"
        )


# --------------------------------------------------------------------------------------------------
# Geometry


def _rect(e: dict[str, Any]) -> Rect:
    return (float(e["x"]), float(e["y"]), float(e["width"]), float(e["height"]))


def _grown(r: Rect, by: float) -> Rect:
    return (r[0] - by, r[1] - by, r[2] + 2 * by, r[3] + 2 * by)


def _inside(a: Rect, b: Rect) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _crosses(p: list[float], q: list[float], r: Rect) -> bool:
    """Whether the horizontal or vertical segment p-q runs through the inside of ``r``."""
    (x0, x1), (y0, y1) = sorted((p[0], q[0])), sorted((p[1], q[1]))
    return x0 < r[0] + r[2] and r[0] < x1 and y0 < r[1] + r[3] and r[1] < y1


def _on_border(point: list[float], r: Rect, slack: float = 1.0) -> bool:
    x, y = point
    inside = _inside((x, y, 0, 0), _grown(r, slack))
    near_edge = min(abs(x - r[0]), abs(x - r[0] - r[2]), abs(y - r[1]), abs(y - r[1] - r[3])) <= slack
    return inside and near_edge


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad]+", "", text)
