"""What the pages show, gathered from the API's records: links, recent events, the audit's tables.

Only arrangement for display: which document an event's evidence names, which page a search hit opens,
which query parameters the audit takes. The rules stay in the registry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from procreg.i18n import N_, _
from procreg.registry.api import Registry
from procreg.registry.errors import NotFound
from procreg.registry.models import DocumentRecord, Event, ProcedureRecord

__all__ = [
    "AUDIT_FILTERS",
    "SEARCH_FILTERS",
    "RecentEvent",
    "audit_args",
    "audit_tables",
    "diagram_svg",
    "hit_link",
    "procedure_links",
    "recent_events",
]

SEARCH_FILTERS = ("kind", "unit", "field", "status")
# Audit query parameters: name -> (label, placeholder)
AUDIT_FILTERS = {
    "period": (N_("Period"), "2023, 2023-H1, 2023-Q3"),
    "as_of": (N_("As of"), "dd/mm/yyyy"),
    "target": (N_("Target, percent"), "90"),
    "unit": (N_("Unit"), ""),
    "field": (N_("Field"), ""),
}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


@dataclass(frozen=True, slots=True)
class RecentEvent:
    """An event with the procedure it belongs to."""

    event: Event
    procedure: ProcedureRecord


def recent_events(procedures: Sequence[ProcedureRecord], n: int) -> list[RecentEvent]:
    """The ``n`` latest events of the current procedures, latest date first."""
    events = [RecentEvent(e, p) for p in procedures for e in p.events if e.on]
    events.sort(key=lambda r: (r.event.on, r.procedure.id), reverse=True)
    return events[:n]


def hit_link(hit_id: str) -> str | None:
    """The page a search hit opens: a procedure's page, or the documents list at that document."""
    kind, _sep, number = hit_id.partition(":")
    if not number.isdigit():
        return None
    if kind == "proc":
        return f"/procedures/{number}"
    if kind == "doc":
        return f"/documents#doc-{number}"
    return None


def diagram_svg(registry: Registry, pid: int) -> tuple[str | None, str | None]:
    """The procedure's swimlane diagram as inline SVG, or why there is none."""
    try:
        out = registry.diagram(f"#{pid}", "svg")
    except NotFound as exc:
        return None, str(exc)
    return _XML_DECLARATION.sub("", out.text), None


def procedure_links(view: Any, documents: Sequence[DocumentRecord]) -> dict[str, int]:
    """Document number -> document id, for the numbers this procedure's history names as evidence."""
    by_number: dict[str, int] = {}
    for d in documents:
        if d.number:
            by_number.setdefault(d.number, d.id)
    wanted = {e.evidence for _v, e in view.events if e.evidence}
    wanted |= {v.document_number for v in view.versions if v.document_number}
    return {n: by_number[n] for n in wanted if n in by_number}


def audit_args(params: Mapping[str, str]) -> dict[str, Any]:
    """The audit's filters from the query string (empty ones left out; the target as a number)."""
    args: dict[str, Any] = {}
    for key in AUDIT_FILTERS:
        value = (params.get(key) or "").strip()
        if not value:
            continue
        if key == "target":
            try:
                args[key] = float(value.replace(",", "."))
            except ValueError:
                from procreg.registry.errors import UsageError

                raise UsageError(_("The target must be a number, such as 90.")) from None
        else:
            args[key] = value
    return args


def audit_tables(report: Any) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables as (title, header, rows), with the report's own headers and rows.

    The cells are the audit report's (Vietnamese, like the official report); the titles follow the page.
    """
    from procreg.presentation.reports.common import (
        EVIDENCE_HEAD,
        FINDING_HEAD,
        GAP_HEAD,
        GROUP_HEAD,
        REASONS,
        SUMMARY_HEAD,
        evidence_rows,
        finding_rows,
        gap_rows,
        group_rows,
        summary_rows,
    )

    tables = [
        (_("Summary"), SUMMARY_HEAD, summary_rows(report)),
        (_("By unit"), ["Đơn vị", "Tổng", *GROUP_HEAD], group_rows(report.by_unit)),
        (_("By field"), ["Lĩnh vực", "Tổng", *GROUP_HEAD], group_rows(report.by_field)),
        (_("Still missing"), GAP_HEAD, gap_rows(report)),
        (_("Findings"), FINDING_HEAD, finding_rows(report.findings)),
        (_("Evidence"), EVIDENCE_HEAD, evidence_rows(report)),
    ]
    if report.out_of_scope:
        rows = [[o.code or "", o.name, o.unit, REASONS.get(o.reason, o.reason)] for o in report.out_of_scope]
        tables.append((_("Out of scope"), ["Ký hiệu", "Tên", "Đơn vị", "Lý do"], rows))
    return tables
