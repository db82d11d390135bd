"""Graph export: node-link JSON and GraphML round-trip through networkx readers; CSV of procedures, steps."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
from test_diagram_samples import DOC_1740, DOC_3005, big_procedure, qt_gd_01

from procreg.procedures.export import graph_to_graphml, graph_to_json, procedures_csv, steps_csv
from procreg.procedures.graph import build_graph


def _graph():  # type: ignore[no-untyped-def]
    return build_graph([qt_gd_01(), big_procedure()], [DOC_3005, DOC_1740])


def test_json_round_trips_through_node_link_graph() -> None:
    g = _graph()
    text = graph_to_json(g)
    assert text == graph_to_json(_graph())  # deterministic
    back = nx.node_link_graph(json.loads(text), edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    assert set(back.edges(keys=True)) == set(g.edges(keys=True))
    b2 = back.nodes["step:1:2"]
    assert b2["responsible"] == ["Công chức TN&TKQ", "Văn thư"]
    assert b2["hours"] == 4.0 and back.nodes["step:1:1"]["hours"] is None
    assert "Bổ nhiệm giám định viên" in text  # Vietnamese kept readable


def test_graphml_round_trips_and_has_only_typed_scalar_values() -> None:
    g = _graph()
    text = graph_to_graphml(g)
    assert text == graph_to_graphml(_graph())
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    step = back.nodes["step:1:4"]
    assert step["hours"] == 120.0 and isinstance(step["hours"], float)
    assert step["order"] == 4 and isinstance(step["order"], int)
    assert step["responsible"] == "Công chức xử lý hồ sơ"
    assert "hours" not in back.nodes["step:1:1"]  # None is left out, not written as "None"
    assert back.nodes["proc:1"]["label"].startswith("QT.GĐ.01")
    kinds = sorted({d["kind"] for _, _, d in back.edges(data=True)})
    assert kinds == ["cites", "has_step", "next", "published_by", "responsible", "uses_form"]
    root = ET.fromstring(text.encode("utf-8"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    values = [d.text for d in root.iter(f"{ns}data")]
    assert values and "None" not in values
    assert all("(" not in (v or "")[:1] for v in values)  # no tuple reprs


def test_csv_has_one_row_per_procedure_and_per_step() -> None:
    procs = [qt_gd_01(), big_procedure()]
    p_rows = list(csv.DictReader(io.StringIO(procedures_csv(procs).removeprefix("\ufeff"))))
    s_rows = list(csv.DictReader(io.StringIO(steps_csv(procs).removeprefix("\ufeff"))))
    assert procedures_csv(procs).startswith("\ufeffid,code,name")
    assert [r["code"] for r in p_rows] == ["QT.GĐ.01", "QT.TEST.25"]
    assert p_rows[0]["counted_hours"] == "160" and p_rows[0]["steps"] == "8"
    assert len(s_rows) == 8 + 25
    b2 = s_rows[1]
    assert (b2["label"], b2["hours"], b2["responsible"]) == ("B2", "4", "Công chức TN&TKQ; Văn thư")
    assert s_rows[0]["hours"] == "" and s_rows[0]["duration_text"] == "Giờ hành chính"
    assert "\n" not in b2["text"]
