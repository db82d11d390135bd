"""The catalog graph: schema, counts, branches, versions, subgraphs and unit load."""

from __future__ import annotations

from test_diagram_samples import DOC_1740, DOC_3005, big_procedure, qt_gd_01

from procreg.procedures.graph import (
    build_graph,
    detect_branches,
    procedure_nodes,
    procedure_steps,
    procedure_subgraph,
    unit_summary,
)
from procreg.registry.models import Step


def _kinds(graph, kind: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(u, v) for u, v, k in graph.edges(keys=True) if k == kind]


def test_qt_gd_01_nodes_and_edges_follow_the_schema() -> None:
    g = build_graph([qt_gd_01()], [DOC_3005, DOC_1740])
    types = sorted(d["type"] for _, d in g.nodes(data=True))
    assert types.count("procedure") == 1
    assert types.count("step") == 8
    assert types.count("unit") == 7
    assert types.count("outcome") == 2
    assert types.count("document") == 2
    assert types.count("form") == 2
    assert g.number_of_nodes() == 22
    assert len(_kinds(g, "has_step")) == 8
    assert len(_kinds(g, "next")) == 7 + 2
    assert len(_kinds(g, "responsible")) == 10  # B2 and B8 are shared by two units
    assert _kinds(g, "published_by") == [("proc:1", "doc:1")]
    assert _kinds(g, "cites") == [("proc:1", "doc:2")]  # 63/2010/NĐ-CP is not an ingested document
    assert len(_kinds(g, "uses_form")) == 2
    assert g.number_of_edges() == 8 + 9 + 10 + 1 + 1 + 2
    proc = g.nodes["proc:1"]
    assert (proc["code"], proc["version"], proc["time_limit_hours"], proc["counted_hours"]) == (
        "QT.GĐ.01",
        1,
        160.0,
        160.0,
    )
    b2 = g.nodes["step:1:2"]
    assert (b2["label"], b2["hours"], b2["duration_text"], b2["responsible"]) == (
        "B2",
        4.0,
        "0,5 ngày",
        ("Công chức TN&TKQ", "Văn thư"),
    )
    assert g.nodes["step:1:1"]["hours"] is None
    roles = {
        v: d["role"] for _, v, k, d in g.out_edges("step:1:2", keys=True, data=True) if k == "responsible"
    }
    assert roles == {"unit:Công chức TN&TKQ": "lead", "unit:Văn thư": "support"}


def test_b1_branches_to_guidance_and_refusal_but_the_happy_path_is_not_a_branch() -> None:
    g = build_graph([qt_gd_01()])
    branches = [
        (d["condition"], g.nodes[v]["text"])
        for _, v, k, d in g.out_edges("step:1:1", keys=True, data=True)
        if k == "next" and "condition" in d
    ]
    assert branches == [
        ("hồ sơ chưa đầy đủ hoặc không hợp lệ", "hướng dẫn bổ sung, hoàn thiện hồ sơ"),
        ("không bổ sung, hoàn thiện được", "từ chối tiếp nhận hồ sơ"),
    ]
    # B4 drafts either result and goes on to B5: no branch out of the flow.
    assert [v for _, v, k in g.out_edges("step:1:4", keys=True) if k == "next"] == ["step:1:5"]


def test_detect_branches_resolves_returns_to_a_named_or_previous_step() -> None:
    found = detect_branches(
        "Trường hợp Lãnh đạo không đồng ý thì trả lại B10 để hoàn thiện.", order=12, step_count=20
    )
    assert [(b.condition, b.target) for b in found] == [("Lãnh đạo không đồng ý", 10)]
    back = detect_branches("Ký duyệt. Nếu không phê duyệt thì chuyển lại chuyên viên.", order=5, step_count=8)
    assert [b.target for b in back] == [4]
    assert detect_branches("Nếu hồ sơ đầy đủ thì tiếp nhận, hẹn trả kết quả.") == ()


def test_explicit_step_branches_win_over_text_detection() -> None:
    step = Step(
        order=1,
        label="B1",
        text="Tiếp nhận hồ sơ.",
        responsible=("Bộ phận Một cửa",),
        branches=("hồ sơ chưa đầy đủ -> hướng dẫn bổ sung",),
    )
    proc = qt_gd_01(steps=(step,), units=())
    g = build_graph([proc])
    (edge,) = [d for _, _, k, d in g.out_edges("step:1:1", keys=True, data=True) if k == "next"]
    assert edge["condition"] == "hồ sơ chưa đầy đủ"
    assert edge["action"] == "hướng dẫn bổ sung"


def test_versions_are_linked_by_supersedes_and_subgraph_keeps_one_procedure() -> None:
    old = qt_gd_01(id=1, status="superseded")
    new = qt_gd_01(id=5, version=2, supersedes_id=1)
    g = build_graph([new, old, big_procedure()])
    assert procedure_nodes(g) == ["proc:1", "proc:5", "proc:9"]
    assert _kinds(g, "supersedes") == [("proc:5", "proc:1")]
    sub = procedure_subgraph(g, 5)
    assert procedure_nodes(sub) == ["proc:5"]
    assert procedure_steps(sub, 5) == [f"step:5:{i}" for i in range(1, 9)]
    assert not [n for n in sub if n.startswith("step:1:") or n.startswith("step:9:")]


def test_unit_summary_counts_steps_and_hours_per_unit() -> None:
    g = build_graph([qt_gd_01()])
    loads = {u.unit: u for u in unit_summary(g)}
    assert (loads["Lãnh đạo Phòng TCHC"].steps, loads["Lãnh đạo Phòng TCHC"].hours) == (2, 20.0)
    assert (loads["Văn thư"].steps, loads["Văn thư"].lead_steps, loads["Văn thư"].hours) == (2, 1, 12.0)
    assert loads["Công chức TN&TKQ"].hours == 4.0  # B1 is untimed
    assert next(iter(loads)) == "Công chức xử lý hồ sơ"  # 120 h: the largest holder first
    assert loads["Lãnh đạo Sở"].procedures == (("proc:1", 1),)
