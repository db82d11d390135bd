"""What the audit counts: the items of the plan's internal-procedure target, who owns them, the filters.

Pure rules over registry records (no store, no index, no files): records in, candidates out.

The plan counts "TTHC nội bộ ... về Danh mục và Quy trình nội bộ", so the candidates are every
registered Quy trình nội bộ (current version), and every catalog row (Danh mục) with no process. A row
with no process is in scope when it is a TTHC nội bộ, or when a decision published it together with
its Quy trình nội bộ. Whether an item is a TTHC nội bộ proper is the registry's decision
(``ProcedureRecord.internal``, set at ingest from the catalog row and the decision title; for a row with
no process, the row's own flag and group heading): reports show it, it does not narrow the scope.

The owner of an item (per-unit figures) is the department doing the substantive work of its process.

Every item has a handle, what a user types to record an event on it (``assign_handles``): its QT code
or national code when that names it alone, else ``#<procedure id>`` or ``#DM<catalog entry id>``. Events
recorded on a catalog entry count for its item like a process's own; a cancelled event (``undo``) and
the event cancelling it count for nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from procreg.registry.models import CatalogRecord, DocumentRecord, Event, ProcedureRecord, SourceRef
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import INTERNAL_TTHC

__all__ = [
    "CATALOG_HANDLE",
    "GENERIC_UNITS",
    "UNKNOWN_UNIT",
    "Candidate",
    "assign_handles",
    "catalog_item_key",
    "gather_candidates",
    "keep",
    "live_events",
    "matches_filter",
    "no_match_message",
    "owner_unit",
    "registered_on",
    "row_in_scope",
    "row_is_tthc_internal",
    "same_document_process",
    "where_of",
]

# Roles that take part in every procedure; the owner is the department doing the substantive work.
GENERIC_UNITS = frozenset(
    fold(u)
    for u in (
        "Bộ phận Một cửa",
        "Văn thư",
        "Văn thư UBND cấp xã",
        "Lãnh đạo Sở",
        "Lãnh đạo phòng",
        "Chuyên viên xử lý",
        "Tổ chức, cá nhân",
        "Cá nhân",
        "Tổ chức",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "Lãnh đạo UBND tỉnh",
        "Lãnh đạo UBND cấp xã",
    )
)
UNKNOWN_UNIT = "(chưa xác định)"
CATALOG_HANDLE = "#DM{id}"  # a catalog entry by id, as ``procreg review`` and the others take it


def live_events(events: Iterable[Event]) -> list[Event]:
    """The events that stand: without ``cancelled`` events and the events they cancel (``procreg undo``)."""
    events = list(events)
    cancelled = {e.cancels for e in events if e.kind == "cancelled" and e.cancels is not None}
    return [e for e in events if e.kind != "cancelled" and (e.id is None or e.id not in cancelled)]


def owner_unit(record: ProcedureRecord) -> str:
    """The unit that owns a procedure: the non-generic unit with the most counted hours.

    Generic roles (Văn thư, Lãnh đạo Sở, Bộ phận Một cửa...) take part in every procedure; the owner is
    the department that does the substantive step. Ties go to the unit named first; a procedure naming
    only generic roles belongs to its issuer, then to the first unit it names.
    """
    hours: dict[str, float] = {}
    order: list[str] = []
    for step in record.steps:
        for unit in step.responsible:
            if unit not in hours:
                hours[unit] = 0.0
                order.append(unit)
            hours[unit] += step.hours or 0.0
    specific = [u for u in order if fold(u) not in GENERIC_UNITS]
    if specific:
        return max(specific, key=lambda u: (hours[u], -order.index(u)))
    if record.issuer:
        return record.issuer
    return order[0] if order else UNKNOWN_UNIT


@dataclass(slots=True)
class Candidate:
    """An audit item being assembled from procedure versions and catalog rows (one per identity)."""

    key: str
    code: str | None
    name: str
    unit: str
    units: tuple[str, ...] = ()
    field: str | None = None
    issuer: str | None = None
    catalog: bool = False
    process: bool = False
    internal: bool = True  # in the audit's scope
    tthc_internal: bool = False  # a TTHC nội bộ proper (the registry's flag)
    status: str = "active"
    status_on: str | None = None
    dates: list[str] = dataclasses.field(default_factory=list)  # dates of the documents it comes from
    event_dates: list[str] = dataclasses.field(default_factory=list)
    events: list[Event] = dataclasses.field(default_factory=list)
    doc_ids: set[int] = dataclasses.field(default_factory=set)  # publishing documents the registry knows
    where_in: dict[int, str] = dataclasses.field(default_factory=dict)  # document id -> where it names it
    procedure_id: int | None = None  # the current version of its process, if it has one
    catalog_id: int | None = None  # its latest catalog entry, when it has no process
    catalog_code: str | None = None  # the national code of its process
    handle: str = ""  # what to type to record an event on it (``assign_handles``)


def where_of(source: SourceRef | None) -> str | None:
    """Where a parsed record sits in its document: ``trang 3, đoạn 14``, ``đoạn 14``, ``trang 3``."""
    if source is None:
        return None
    page, para = source.page, source.para
    if page is not None and para is not None:
        return f"trang {page}, đoạn {para}"
    if para is not None:
        return f"đoạn {para}"
    if page is not None:
        return f"trang {page}"
    return None


def registered_on(candidate: Candidate) -> str | None:
    """When an item entered the registry: its first document's date, else its first event's date."""
    if candidate.dates:
        return min(candidate.dates)
    return min(candidate.event_dates) if candidate.event_dates else None


def row_is_tthc_internal(row: CatalogRecord, folded_title: str, internal_docs: set[int]) -> bool:
    """Whether a catalog row with no process is a TTHC nội bộ, by the registry's rules.

    The row's own flag or group heading ("Thủ tục hành chính nội bộ cấp tỉnh") decides; without them,
    a decision whose processes the registry flags as internal, or whose title publishes "thủ tục hành
    chính nội bộ" (a "quy trình nội bộ" of an ordinary TTHC is not one).
    """
    if row.entry.internal or INTERNAL_TTHC.search(fold(row.entry.group or "")):
        return True
    return row.document_id in internal_docs or bool(INTERNAL_TTHC.search(folded_title))


def row_in_scope(tthc_internal: bool, folded_title: str, *, with_processes: bool) -> bool:
    """A row with no process counts when it is a TTHC nội bộ or was published with its Quy trình nội bộ.

    Args:
        tthc_internal: the row is a TTHC nội bộ (``row_is_tthc_internal``).
        folded_title: the publishing decision's title, folded.
        with_processes: the same decision also publishes processes.
    """
    return tthc_internal or "quy trinh noi bo" in folded_title or with_processes


@lru_cache(maxsize=1 << 14)
def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(name)).split())


def same_document_process(row: CatalogRecord, by_doc: Mapping[int, Sequence[ProcedureRecord]]) -> str | None:
    """The key of the process of the same decision whose name contains the row's name or is in it.

    A fallback for rows the store could not link (extractors may print a name with or without a lead
    word such as "Thủ tục"); only an unambiguous match links.
    """
    entry = _name_key(row.entry.name)
    if not entry:
        return None
    hits = set()
    for p in by_doc.get(row.document_id, ()):
        name = _name_key(p.name)
        if name and (name in entry or entry in name):
            hits.add(p.key)
    return hits.pop() if len(hits) == 1 else None


# --------------------------------------------------------------------------------------------------
# Gathering the candidates.


def _process_candidate(p: ProcedureRecord) -> Candidate:
    return Candidate(
        key=p.key,
        code=p.code,
        name=p.name,
        unit=owner_unit(p),
        units=p.units,
        field=p.field,
        issuer=p.issuer,
        process=True,
        tthc_internal=p.internal,
        status=p.status,
        procedure_id=p.id,
        catalog_code=p.catalog_code,
    )


def _absorb_events(c: Candidate, events: Iterable[Event]) -> None:
    """Fold events into an item; its end date (abolished, withdrawn) from the standing ones."""
    c.events.extend(events)
    standing = live_events(c.events)
    c.event_dates = [e.on for e in standing if e.on and e.kind != "ingested"]
    if c.status in ("abolished", "withdrawn"):
        ends = [e.on for e in standing if e.kind == c.status and e.on]
        c.status_on = max(ends) if ends else c.status_on


def _absorb_version(c: Candidate, p: ProcedureRecord) -> None:
    """Fold one version of an item (current or superseded) into it: events, documents, dates, end date."""
    if p.document_id is not None:
        c.doc_ids.add(p.document_id)
    if p.document_date:
        c.dates.append(p.document_date)
    _absorb_events(c, p.events)


def _absorb_linked_row(c: Candidate, row: CatalogRecord) -> None:
    """A catalog row of a registered process: the item has a Danh mục entry, published by its decision."""
    _absorb_events(c, row.events)
    if row.status == "active":
        c.catalog = True
        c.doc_ids.add(row.document_id)
        where = where_of(row.entry.source)
        if where:
            c.where_in.setdefault(row.document_id, where)
    if c.field is None and row.entry.field:
        c.field = row.entry.field


@dataclass(frozen=True, slots=True)
class _Rows:
    """What deciding on catalog rows needs to know about the processes and documents."""

    docs: Mapping[int, DocumentRecord]
    procs_in_doc: set[int]  # documents that publish at least one process
    internal_docs: set[int]  # decisions whose processes the registry flags as TTHC nội bộ
    by_doc: dict[int, list[ProcedureRecord]]  # current processes by publishing document


def _row_candidate(row: CatalogRecord, known: Candidate | None, ctx: _Rows) -> tuple[str, Candidate]:
    """The candidate of a catalog row with no process (a new one, or ``known`` for the same identity)."""
    doc = ctx.docs.get(row.document_id)
    title = " ".join(fold(doc.title or "").split()) if doc else ""
    tthc_internal = row_is_tthc_internal(row, title, ctx.internal_docs)
    internal = row_in_scope(tthc_internal, title, with_processes=row.document_id in ctx.procs_in_doc)
    e = row.entry
    key = _row_key(row)
    c = known or Candidate(
        key=key,
        code=e.code,
        name=e.name,
        unit=e.agency or (doc.issuer if doc and doc.issuer else UNKNOWN_UNIT),
        field=e.field,
        issuer=doc.issuer if doc else None,
        catalog=True,
        internal=internal,
        tthc_internal=tthc_internal,
        status=row.status,
    )
    c.internal = c.internal or internal
    c.tthc_internal = c.tthc_internal or tthc_internal
    # In force when one of its rows is; withdrawn when its rows are (a user's ``procreg withdraw``).
    if row.status == "active" or (row.status == "withdrawn" and c.status != "active"):
        c.status = row.status
    if row.status in ("active", "withdrawn") and (c.catalog_id is None or row.id > c.catalog_id):
        c.catalog_id = row.id
    _absorb_events(c, row.events)
    c.doc_ids.add(row.document_id)
    if row.document_date:
        c.dates.append(row.document_date)
    where = where_of(e.source)
    if where:
        c.where_in.setdefault(row.document_id, where)
    return key, c


def catalog_item_key(code: str | None, name: str, field: str | None) -> str:
    """The item a catalog row with no process belongs to: its national code, else its name and field."""
    return "cat:" + (code or fold(normalize_line(name)) + "|" + fold(field or ""))


def _row_key(row: CatalogRecord) -> str:
    return catalog_item_key(row.entry.code, row.entry.name, row.entry.field)


def gather_candidates(
    versions: Sequence[ProcedureRecord], catalog: Iterable[CatalogRecord], docs: Mapping[int, DocumentRecord]
) -> list[Candidate]:
    """Every item the audit could count, sorted by key: processes, then catalog rows with no process.

    Args:
        versions: every procedure version (superseded ones add their events and documents).
        catalog: every catalog row (superseded rows are skipped).
        docs: the registered documents by id.
    """
    current = [p for p in versions if p.status != "superseded"]
    by_key = {p.key: _process_candidate(p) for p in current}
    key_of_id: dict[int, str] = {}
    for p in versions:
        key_of_id[p.id] = p.key
        if p.key in by_key:
            _absorb_version(by_key[p.key], p)
    by_doc: dict[int, list[ProcedureRecord]] = defaultdict(list)
    for p in current:
        if p.document_id is not None:
            by_doc[p.document_id].append(p)
    ctx = _Rows(
        docs=docs,
        procs_in_doc={p.document_id for p in versions if p.document_id is not None},
        internal_docs={p.document_id for p in versions if p.document_id is not None and p.internal},
        by_doc=by_doc,
    )
    orphans: dict[str, Candidate] = {}
    superseded: list[tuple[str | None, CatalogRecord]] = []
    for row in catalog:
        linked = key_of_id.get(row.procedure_id) if row.procedure_id is not None else None
        if linked is None:
            linked = same_document_process(row, by_doc)
        if row.status == "superseded":
            superseded.append((linked, row))  # no item of its own; its events go with its entry's item
            continue
        if linked is not None and linked in by_key:
            _absorb_linked_row(by_key[linked], row)
            continue
        key, c = _row_candidate(row, orphans.get(_row_key(row)), ctx)
        orphans[key] = c
    for linked, row in superseded:
        item = by_key.get(linked) if linked is not None else orphans.get(_row_key(row))
        if item is not None and row.events:
            _absorb_events(item, row.events)
    return sorted([*by_key.values(), *orphans.values()], key=lambda c: c.key)


def assign_handles(candidates: Sequence[Candidate]) -> None:
    """Give each item its handle: what ``procreg review`` (and the other events) take to name it alone.

    A process: its QT code when no other process has it, else its national code when no other process
    has that, else ``#<procedure id>``. A catalog entry with no process: its national code when no process
    and no other entry has it, else ``#DM<entry id>``. This mirrors the order in which codes are looked up.
    """

    def key(code: str | None) -> str:
        return "".join(normalize_line(code or "").split()).upper()

    qt: dict[str, int] = defaultdict(int)
    national: dict[str, int] = defaultdict(int)
    entries: dict[str, int] = defaultdict(int)
    for c in candidates:
        if c.process:
            qt[key(c.code)] += 1 if c.code else 0
            national[key(c.catalog_code)] += 1 if c.catalog_code else 0
        elif c.code:
            entries[key(c.code)] += 1
    for c in candidates:
        if c.process:
            if c.code and qt[key(c.code)] == 1:
                c.handle = c.code
            elif c.catalog_code and national[key(c.catalog_code)] == 1 and not qt[key(c.catalog_code)]:
                c.handle = c.catalog_code
            else:
                c.handle = f"#{c.procedure_id}" if c.procedure_id is not None else c.key
        else:
            code = key(c.code)
            alone = c.code and entries[code] == 1 and not qt[code] and not national[code]
            c.handle = c.code if alone and c.code else CATALOG_HANDLE.format(id=c.catalog_id)


# --------------------------------------------------------------------------------------------------
# Filters (--unit, --field, --issuer).


def matches_filter(value: str | None, wanted: str | None) -> bool:
    """True when there is no filter, or ``wanted`` is in ``value`` (accent- and case-insensitive)."""
    if not wanted:
        return True
    return value is not None and " ".join(fold(wanted).split()) in " ".join(fold(value).split())


def keep(c: Candidate, unit: str | None, field: str | None, issuer: str | None) -> bool:
    """True when the candidate passes the unit, field and issuer filters."""
    return (
        matches_filter(c.unit, unit) and matches_filter(c.field, field) and matches_filter(c.issuer, issuer)
    )


def no_match_message(
    candidates: Sequence[Candidate], *, unit: str | None, field: str | None, issuer: str | None
) -> str:
    """One line naming the filter that matched nothing and the values the registry does have."""
    for option, wanted, values in (
        ("--unit", unit, [c.unit for c in candidates]),
        ("--field", field, [c.field for c in candidates]),
        ("--issuer", issuer, [c.issuer for c in candidates]),
    ):
        known = sorted({v for v in values if v}, key=fold)
        if wanted and not any(matches_filter(v, wanted) for v in known):
            listed = "; ".join(known[:8]) + (" …" if len(known) > 8 else "")
            return f"{option} {wanted!r} matches no procedure in the registry (known: {listed or 'none'})"
    given = ", ".join(
        f"{o} {w!r}" for o, w in (("--unit", unit), ("--field", field), ("--issuer", issuer)) if w
    )
    return f"no procedure matches these filters together ({given})"
