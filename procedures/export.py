"""Export the catalog graph and the procedure list: node-link JSON, GraphML, CSV.

Pure: each function takes the graph (``procedures.graph.build_graph``) or records and returns text.

- JSON is NetworkX node-link data (``edges`` key, ``directed`` and ``multigraph`` true) with sorted keys; read
  it back with ``networkx.node_link_graph(data, edges="edges")``.
- GraphML opens in yEd and Gephi: attribute values are str/int/float/bool only; ``None`` values are left out
  (GraphML's "missing"), tuples become "; "-joined strings; every node has a ``label``.
- CSV: one file of procedures, one of steps (``procedures_csv`` / ``steps_csv``), UTF-8 with a byte-order
  mark so that Excel shows Vietnamese correctly; a cell that starts like a formula (``=``, ``+``, ``-``,
  ``@``) gets a leading apostrophe (``text.safe.csv_cell``).
- GraphML and every XML output lose the control characters XML 1.0 cannot carry (``text.safe.xml_text``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from procreg.registry.models import ProcedureRecord
from procreg.text.safe import csv_cell, xml_text

from .diagram import format_hours

__all__ = [
    "LIST_SEPARATOR",
    "graph_to_graphml",
    "graph_to_json",
    "graph_to_node_link",
    "procedures_csv",
    "steps_csv",
]

LIST_SEPARATOR = "; "
_BOM = "\ufeff"


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def graph_to_node_link(graph: Any) -> dict[str, Any]:
    """Node-link data of the graph: nodes in graph order, edges sorted by (source, target, key).

    Args:
        graph: a ``MultiDiGraph`` from ``build_graph``.

    Returns:
        A JSON-ready dict ``{"directed", "multigraph", "graph", "nodes", "edges"}``.
    """
    nodes = [{"id": n, **{k: _jsonable(v) for k, v in data.items()}} for n, data in graph.nodes(data=True)]
    edges = [
        {"source": u, "target": v, "key": k, **{a: _jsonable(b) for a, b in data.items()}}
        for u, v, k, data in graph.edges(keys=True, data=True)
    ]
    edges.sort(key=lambda e: (e["source"], e["target"], e["key"]))
    return {
        "directed": True,
        "multigraph": True,
        "graph": {k: _jsonable(v) for k, v in graph.graph.items()},
        "nodes": nodes,
        "edges": edges,
    }


def graph_to_json(graph: Any) -> str:
    """The node-link data as JSON text (sorted keys, Vietnamese kept readable, ends with a newline)."""
    return json.dumps(graph_to_node_link(graph), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _graphml_value(value: Any) -> str | int | float | bool | None:
    """A GraphML attribute value; text loses the control characters XML 1.0 cannot carry."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, tuple | list):
        return xml_text(LIST_SEPARATOR.join(str(v) for v in value))
    return xml_text(str(value))


def graph_to_graphml(graph: Any) -> str:
    """GraphML text that yEd, Gephi and ``networkx.read_graphml`` open.

    Attribute types are kept per key: a key holding both ints and floats (``hours``) is written as double;
    ``None`` is left out; tuples become "; "-joined strings.

    Args:
        graph: a ``MultiDiGraph`` from ``build_graph``.

    Returns:
        The GraphML document (UTF-8 declared), ending with a newline.
    """
    import networkx as nx

    clean = nx.MultiDiGraph()
    float_keys = {
        k
        for _, d in graph.nodes(data=True)
        for k, v in d.items()
        if isinstance(v, float) and not isinstance(v, bool)
    }
    for n, data in graph.nodes(data=True):
        attrs: dict[str, Any] = {}
        for k, v in sorted(data.items()):
            out = _graphml_value(v)
            if out is None:
                continue
            if k in float_keys and isinstance(out, int) and not isinstance(out, bool):
                out = float(out)
            attrs[k] = out
        clean.add_node(xml_text(str(n)), **attrs)
    for u, v, k, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        attrs = {a: _graphml_value(b) for a, b in sorted(data.items()) if _graphml_value(b) is not None}
        clean.add_edge(
            xml_text(str(u)), xml_text(str(v)), key=xml_text(str(k)), kind=xml_text(str(k)), **attrs
        )
    text = "\n".join(nx.generate_graphml(clean, encoding="utf-8", prettyprint=True))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


_PROC_COLUMNS = (
    "id",
    "code",
    "name",
    "field",
    "version",
    "status",
    "kind",
    "time_limit",
    "time_limit_hours",
    "counted_hours",
    "steps",
    "units",
    "catalog_code",
    "document_number",
    "document_date",
    "key",
)
_STEP_COLUMNS = (
    "procedure_id",
    "procedure_code",
    "order",
    "label",
    "text",
    "responsible",
    "hours",
    "duration_text",
    "result",
)


def _num(value: float | None) -> str:
    return "" if value is None else format_hours(value).replace(",", ".")


def _csv(rows: Sequence[Sequence[str]]) -> str:
    """CSV text with a byte-order mark; every cell neutralised (``csv_cell``: no formula, no control)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return _BOM + buf.getvalue()


def procedures_csv(procedures: Sequence[ProcedureRecord]) -> str:
    """One row per procedure version (sorted by id); numbers with a decimal point; lists "; "-joined."""
    rows: list[list[str]] = [list(_PROC_COLUMNS)]
    for p in sorted(procedures, key=lambda r: r.id):
        units = p.units or tuple(dict.fromkeys(u for s in p.steps for u in s.responsible))
        counted = sum(s.hours for s in p.steps if s.hours is not None)
        rows.append(
            [
                str(p.id),
                p.code or "",
                p.name,
                p.field or "",
                str(p.version),
                p.status,
                p.kind,
                p.time_limit or "",
                _num(p.time_limit_hours),
                _num(counted),
                str(len(p.steps)),
                LIST_SEPARATOR.join(units),
                p.catalog_code or "",
                p.document_number or "",
                p.document_date or "",
                p.key,
            ]
        )
    return _csv(rows)


def steps_csv(procedures: Sequence[ProcedureRecord]) -> str:
    """One row per step of every procedure (procedures by id, steps by order)."""
    rows: list[list[str]] = [list(_STEP_COLUMNS)]
    for p in sorted(procedures, key=lambda r: r.id):
        for s in sorted(p.steps, key=lambda st: st.order):
            rows.append(
                [
                    str(p.id),
                    p.code or "",
                    str(s.order),
                    s.label,
                    s.text,
                    LIST_SEPARATOR.join(s.responsible),
                    _num(s.hours),
                    s.duration_text,
                    s.result or "",
                ]
            )
    return _csv(rows)
