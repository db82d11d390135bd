"""The catalog graph: procedures, their steps, units, documents and forms as one NetworkX MultiDiGraph.

Node ids and attributes (the schema other parts code against):

- ``proc:<id>``: ``type=procedure``, ``code``, ``name``, ``version``, ``status``, ``field``, ``time_limit``,
  ``time_limit_hours``, plus ``key``, ``kind``, ``counted_hours``, ``stated_total_hours``, ``units``.
- ``step:<proc id>:<order>``: ``type=step``, ``order``, ``label``, ``text``, ``hours``, ``duration_text``,
  plus ``procedure``, ``responsible``, ``responsible_text``, ``result``.
- ``outcome:<proc id>:<order>:<n>``: ``type=outcome``, ``label``, ``text``, ``exits``: what a branch of a step
  leads to; ``exits=True`` when the flow stops there ("hướng dẫn bổ sung", "từ chối tiếp nhận hồ sơ"),
  otherwise a ``next`` edge leads on to the following step.
- ``unit:<name>`` (``type=unit``), ``doc:<id>`` (``type=document``, ``number``, ``kind``, ``issued_on``),
  ``form:<name>`` (``type=form``).

Edges carry their kind as the multigraph key: ``has_step`` (procedure -> step), ``next`` (step -> step or
outcome; attribute ``condition`` when it branches), ``responsible`` (step -> unit, ``role`` lead/support),
``cites`` and ``published_by`` (procedure -> document), ``supersedes`` (procedure -> older version),
``uses_form`` (procedure -> form).

Every value is plain data (str, int, float, bool, None or tuples of str); ``procedures.export`` turns the
graph into JSON, GraphML and CSV. Everything is built in a stable order, so outputs are deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procreg.registry.models import DocumentRecord, ProcedureRecord, Step
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import IF_THEN, RETURN_ACTION_FOLDED, SEND_BACK_ACTION_FOLDED

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Branch",
    "build_graph",
    "detect_branches",
    "proc_node",
    "procedure_nodes",
    "procedure_steps",
    "procedure_subgraph",
    "step_branches",
    "step_node",
    "unit_node",
    "UnitLoad",
    "unit_summary",
]

EDGE_KINDS = ("has_step", "next", "responsible", "cites", "published_by", "supersedes", "uses_form")

_STEP_REF = re.compile(r"\b(?:B|buoc\s*)(\d{1,2})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Branch:
    """A condition stated in a step and the action taken then (``target`` = order of a step it returns to)."""

    condition: str
    action: str
    target: int | None = None


def proc_node(proc_id: int | str) -> str:
    """Node id of a procedure (accepts ``12`` or ``"proc:12"``)."""
    text = str(proc_id)
    return text if text.startswith("proc:") else f"proc:{text}"


def step_node(proc_id: int, order: int) -> str:
    """Node id of step ``order`` of procedure ``proc_id``."""
    return f"step:{proc_id}:{order}"


def unit_node(name: str) -> str:
    """Node id of a unit."""
    return f"unit:{name}"


def _clean(text: str) -> str:
    return normalize_line(text).strip(" .;,-")


def detect_branches(text: str, *, order: int = 0, step_count: int = 0) -> tuple[Branch, ...]:
    """Find the branches a step's text states ("Nếu … thì hướng dẫn bổ sung / từ chối / trả lại …").

    Only conditions whose action sends the dossier back (bổ sung, từ chối, trả lại, chuyển lại…) count:
    the happy path ("Nếu hồ sơ đầy đủ thì tiếp nhận") is the ``next`` arrow itself.

    Args:
        text: the step text.
        order: the step's position (1-based); used to resolve "trả lại" to the previous step.
        step_count: number of steps of the procedure; a step reference outside 1..step_count is ignored.

    Returns:
        The branches in text order.
    """
    found: list[Branch] = []
    for match in IF_THEN.finditer(normalize_line(text)):
        cond, act = _clean(match.group("cond")), _clean(match.group("act"))
        folded = fold(act)
        if not cond or not act or not RETURN_ACTION_FOLDED.search(folded):
            continue
        found.append(Branch(cond, act, _branch_target(folded, order, step_count)))
    return tuple(found)


def _branch_target(folded_action: str, order: int, step_count: int) -> int | None:
    ref = _STEP_REF.search(folded_action)
    if ref and 1 <= int(ref.group(1)) <= max(step_count, 0) and int(ref.group(1)) != order:
        return int(ref.group(1))
    if SEND_BACK_ACTION_FOLDED.search(folded_action) and "bo sung" not in folded_action and order > 1:
        return order - 1
    return None


def step_branches(step: Step, step_count: int) -> tuple[Branch, ...]:
    """The branches of a step: ``Step.branches`` as extracted ("cond -> action"), else found in its text."""
    if not step.branches:
        return detect_branches(step.text, order=step.order, step_count=step_count)
    out: list[Branch] = []
    for raw in step.branches:
        parts = re.split(r"\s*(?:->|→|=>)\s*", normalize_line(raw), maxsplit=1)
        cond = _clean(parts[0])
        act = _clean(parts[1]) if len(parts) > 1 else ""
        out.append(Branch(cond, act or cond, _branch_target(fold(act or cond), step.order, step_count)))
    return tuple(out)


def _units_of(step: Step) -> tuple[str, ...]:
    units = tuple(dict.fromkeys(normalize_line(u) for u in step.responsible if normalize_line(u)))
    return units


def build_graph(
    procedures: Sequence[ProcedureRecord], documents: Sequence[DocumentRecord] = ()
) -> nx.MultiDiGraph:
    """Build the catalog graph from procedure versions and source documents.

    Args:
        procedures: procedure records (any order; nodes are added sorted by id).
        documents: source documents; ``published_by`` and ``cites`` edges only link documents given here.

    Returns:
        A ``networkx.MultiDiGraph`` following the schema in the module docstring.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    docs = sorted(documents, key=lambda d: d.id)
    by_number: dict[str, int] = {}
    for doc in docs:
        graph.add_node(
            f"doc:{doc.id}",
            type="document",
            label=doc.number or doc.title or f"doc {doc.id}",
            number=doc.number,
            kind=doc.kind,
            issued_on=doc.issued_on,
            title=doc.title,
            path=doc.path,
        )
        if doc.number:
            by_number.setdefault(fold(doc.number), doc.id)
    procs = sorted(procedures, key=lambda p: p.id)
    known = {p.id for p in procs}
    for proc in procs:
        _add_procedure(graph, proc)
    for proc in procs:
        node = proc_node(proc.id)
        if proc.supersedes_id is not None and proc.supersedes_id in known:
            graph.add_edge(node, proc_node(proc.supersedes_id), key="supersedes")
        if proc.document_id is not None and graph.has_node(f"doc:{proc.document_id}"):
            graph.add_edge(node, f"doc:{proc.document_id}", key="published_by")
        for number in sorted(dict.fromkeys(proc.cites)):
            doc_id = by_number.get(fold(number))
            if doc_id is not None and doc_id != proc.document_id:
                graph.add_edge(node, f"doc:{doc_id}", key="cites", number=number)
        for form in dict.fromkeys(normalize_line(f) for f in proc.forms):
            if form:
                fnode = f"form:{form}"
                if not graph.has_node(fnode):
                    graph.add_node(fnode, type="form", label=form, name=form)
                graph.add_edge(node, fnode, key="uses_form")
    return graph


def _add_procedure(graph: Any, proc: ProcedureRecord) -> None:
    node = proc_node(proc.id)
    steps = sorted(proc.steps, key=lambda s: s.order)
    counted = sum(s.hours for s in steps if s.hours is not None)
    units: list[str] = list(dict.fromkeys(u for s in steps for u in _units_of(s)))
    for unit in proc.units:
        if normalize_line(unit) and normalize_line(unit) not in units:
            units.append(normalize_line(unit))
    graph.add_node(
        node,
        type="procedure",
        label=f"{proc.code} {proc.name}" if proc.code else proc.name,
        code=proc.code,
        name=proc.name,
        key=proc.key,
        kind=proc.kind,
        version=proc.version,
        status=proc.status,
        field=proc.field,
        time_limit=proc.time_limit,
        time_limit_hours=proc.time_limit_hours,
        stated_total_hours=proc.stated_total_hours,
        counted_hours=float(counted),
        catalog_code=proc.catalog_code,
        document_number=proc.document_number,
        document_date=proc.document_date,
        units=tuple(units),
    )
    for unit in units:
        unode = unit_node(unit)
        if not graph.has_node(unode):
            graph.add_node(unode, type="unit", label=unit, name=unit)
    prev: str | None = None
    for step in steps:
        snode = step_node(proc.id, step.order)
        graph.add_node(
            snode,
            type="step",
            label=step.label or str(step.order),
            order=step.order,
            procedure=node,
            text=normalize_line(step.text),
            hours=step.hours,
            duration_text=step.duration_text,
            responsible=_units_of(step),
            responsible_text=step.responsible_text,
            result=step.result,
        )
        graph.add_edge(node, snode, key="has_step")
        for pos, unit in enumerate(_units_of(step)):
            graph.add_edge(snode, unit_node(unit), key="responsible", role="lead" if pos == 0 else "support")
        if prev is not None:
            graph.add_edge(prev, snode, key="next")
        prev = snode
    following = {a.order: b.order for a, b in zip(steps, steps[1:], strict=False)}
    for step in steps:
        snode = step_node(proc.id, step.order)
        for n, branch in enumerate(step_branches(step, len(steps)), start=1):
            if branch.target is not None and branch.target != step.order:
                target = step_node(proc.id, branch.target)
                if graph.has_node(target) and not graph.has_edge(snode, target, key="next"):
                    graph.add_edge(
                        snode, target, key="next", condition=branch.condition, action=branch.action
                    )
                    continue
            # An outcome that sends the dossier back or out (bổ sung, từ chối) ends there; any other
            # alternative ("dự thảo văn bản thông báo … trình Lãnh đạo phòng") rejoins the next step.
            exits = bool(RETURN_ACTION_FOLDED.search(fold(branch.action))) or step.order not in following
            onode = f"outcome:{proc.id}:{step.order}:{n}"
            graph.add_node(
                onode, type="outcome", label=branch.action, text=branch.action, procedure=node, exits=exits
            )
            graph.add_edge(snode, onode, key="next", condition=branch.condition, action=branch.action)
            if not exits:
                graph.add_edge(onode, step_node(proc.id, following[step.order]), key="next")


def procedure_nodes(graph: Any) -> list[str]:
    """Procedure node ids, sorted by numeric id."""
    nodes = [n for n, d in graph.nodes(data=True) if d.get("type") == "procedure"]
    return sorted(nodes, key=lambda n: int(n.split(":", 1)[1]))


def procedure_steps(graph: Any, proc_id: int | str) -> list[str]:
    """Step node ids of a procedure, in step order."""
    node = proc_node(proc_id)
    steps = [v for _, v, k in graph.out_edges(node, keys=True) if k == "has_step"]
    return sorted(steps, key=lambda s: int(graph.nodes[s]["order"]))


def procedure_subgraph(graph: Any, proc_id: int | str) -> nx.MultiDiGraph:
    """The part of the graph one procedure's diagram needs: it, its steps, units, outcomes, forms, documents.

    Other procedures (older versions it supersedes) are left out, so the result holds exactly one.

    Args:
        graph: the catalog graph.
        proc_id: procedure id or node id (``12`` or ``"proc:12"``).

    Returns:
        An independent copy (a ``MultiDiGraph``), nodes in the catalog graph's order.

    Raises:
        KeyError: when the procedure is not in the graph.
    """
    node = proc_node(proc_id)
    if node not in graph:
        raise KeyError(node)
    keep: set[str] = {node}
    keep.update(n for n in graph.successors(node) if graph.nodes[n].get("type") != "procedure")
    for step in procedure_steps(graph, node):
        keep.update(graph.successors(step))
    ordered = [n for n in graph.nodes if n in keep]
    return graph.subgraph(ordered).copy()


@dataclass(frozen=True, slots=True)
class UnitLoad:
    """What one unit does across procedures: steps it takes part in and hours of those steps."""

    unit: str
    steps: int
    lead_steps: int
    hours: float
    procedures: tuple[tuple[str, int], ...]  # (procedure node, steps in it), in procedure order


def unit_summary(graph: Any, procs: Iterable[str] | None = None) -> list[UnitLoad]:
    """Per unit: steps it takes part in, steps it leads, hours of those steps, and per-procedure counts.

    A shared step counts for each unit named on it, with its full hours (the dossier is with all of them).

    Args:
        graph: the catalog graph.
        procs: procedure nodes to count (default: all).

    Returns:
        Units sorted by hours then steps (descending), then name.
    """
    chosen = list(procs) if procs is not None else procedure_nodes(graph)
    counts: dict[str, dict[str, int]] = {}
    lead: dict[str, int] = {}
    hours: dict[str, float] = {}
    for pnode in chosen:
        for snode in procedure_steps(graph, pnode):
            data = graph.nodes[snode]
            for pos, unit in enumerate(data.get("responsible") or ()):
                counts.setdefault(unit, {}).setdefault(pnode, 0)
                counts[unit][pnode] += 1
                lead[unit] = lead.get(unit, 0) + (1 if pos == 0 else 0)
                hours[unit] = hours.get(unit, 0.0) + float(data.get("hours") or 0.0)
    loads = [
        UnitLoad(
            unit=unit,
            steps=sum(per.values()),
            lead_steps=lead.get(unit, 0),
            hours=hours.get(unit, 0.0),
            procedures=tuple((p, per[p]) for p in chosen if p in per),
        )
        for unit, per in counts.items()
    ]
    return sorted(loads, key=lambda u: (-u.hours, -u.steps, fold(u.unit), u.unit))
