"""Use cases of the audit: ``procreg audit`` and ``procreg targets``.

Gathers what the pure functions of ``procedures.audit`` and ``procedures.checks`` need from the store
(procedures with their events, catalog entries, documents, plan targets) and from the search index
(documents that name a procedure: review reports, simplification plans, further decisions), then
calls them. Every function opens the store at ``home/registry.db`` and closes it before returning.

Evidence rules (audit issue):
- rà soát: a ``reviewed`` event, or an ingested document whose title records a review or a
  simplification plan (báo cáo rà soát, phương án đơn giản hóa) and that names the procedure;
- công bố: a ``published`` event (ingest logs one for every decision that lists a procedure), or a
  publishing decision whose catalog or annex lists it;
- công khai: a ``publicized`` event, or a publishing decision whose text orders publication on the
  national database or a portal (``DocumentRecord.orders_publicizing``).
Document evidence cites the number, the date and the page/paragraph where the procedure is named.

Scope (what the plan's "TTHC nội bộ ... về Danh mục và Quy trình nội bộ" counts): every registered
Quy trình nội bộ, and every catalog row that is a TTHC nội bộ or that a decision published together
with its Quy trình nội bộ. Whether an item is a TTHC nội bộ proper is the registry's decision
(``ProcedureRecord.internal``, set at ingest from the catalog row and the decision title; for a row
with no process, the row's own flag and group heading); the report shows it, it does not narrow scope.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from procreg.procedures.audit import (
    AuditItem,
    AuditReport,
    PlanTarget,
    Proof,
    TargetRef,
    audit_coverage,
    is_internal_target,
    percent,
    period_bounds,
    select_target,
)
from procreg.procedures.checks import check_deliverables, check_procedures, lint_plan, repealed_documents
from procreg.registry.errors import AuditBelowTarget, NotFound, UsageError
from procreg.registry.models import CatalogRecord, DocumentRecord, Event, ProcedureRecord
from procreg.registry.service.finding import catalog_entries
from procreg.registry.store import Store
from procreg.text import fold, normalize_line
from procreg.text.numbers import number_key
from procreg.text.vocabulary import INTERNAL_TTHC

__all__ = [
    "TargetRow",
    "TargetsView",
    "audit_records",
    "check_fail_under",
    "default_docx_name",
    "format_targets",
    "list_targets",
    "owner_unit",
    "render_report",
    "run_audit",
    "targets_json",
]


log = logging.getLogger(__name__)

# Roles that take part in every procedure; the owner is the department doing the substantive work.
_GENERIC_UNITS = frozenset(
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
_UNKNOWN_UNIT = "(chưa xác định)"


def owner_unit(record: ProcedureRecord) -> str:
    """The unit that owns a procedure: the non-generic unit with the most counted hours.

    Generic roles (Văn thư, Lãnh đạo Sở, Bộ phận Một cửa...) take part in every procedure; the owner is
    the department that does the substantive step. Ties go to the unit named first; a procedure naming
    only generic roles belongs to the first of them, then to its issuer.
    """
    hours: dict[str, float] = {}
    order: list[str] = []
    for step in record.steps:
        for unit in step.responsible:
            if unit not in hours:
                hours[unit] = 0.0
                order.append(unit)
            hours[unit] += step.hours or 0.0
    specific = [u for u in order if fold(u) not in _GENERIC_UNITS]
    pool = specific or []
    if pool:
        return max(pool, key=lambda u: (hours[u], -order.index(u)))
    if record.issuer:
        return record.issuer
    return order[0] if order else _UNKNOWN_UNIT


# --------------------------------------------------------------------------------------------------
# Locating a procedure inside a document (page / paragraph), for evidence.


_TOKEN_SPLIT = re.compile(r"[\s|;,:()\[\]]+")


class _Locator:
    """Finds where a document names a procedure; reads each document at most once per audit.

    Codes (one token) are looked up in a per-document token table; names are searched line by line.
    Answers are memoised per (document, needle): a decision listing 500 procedures is scanned once.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._lines: dict[int, list[tuple[str, str]]] = {}
        self._tokens: dict[int, dict[str, str]] = {}
        self._found: dict[tuple[int, str], str | None] = {}
        self._folded: dict[str, str] = {}

    def lines(self, doc: DocumentRecord) -> list[tuple[str, str]]:
        """(folded line, where) pairs of a document, from the file when it is unchanged, else its text."""
        cached = self._lines.get(doc.id)
        if cached is not None:
            return cached
        out = self._load(doc)
        if out is None:
            out = self._read(doc)
            self._save(doc, out)
        self._lines[doc.id] = out
        return out

    def _cache_file(self, doc: DocumentRecord) -> Path | None:
        if self.cache_dir is None or not re.fullmatch(r"[0-9a-f]{16,128}", doc.sha256):
            return None
        return self.cache_dir / f"{doc.sha256}.json"

    def _load(self, doc: DocumentRecord) -> list[tuple[str, str]] | None:
        path = self._cache_file(doc)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return [(str(t), str(w)) for t, w in data["lines"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _save(self, doc: DocumentRecord, lines: list[tuple[str, str]]) -> None:
        """Keep the located lines of a document (content-addressed, so never stale); best effort."""
        path = self._cache_file(doc)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"lines": lines}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            log.debug("cannot cache evidence locations: %s", exc)

    def _read(self, doc: DocumentRecord) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        path = Path(doc.path)
        try:
            if path.is_file():
                from procreg.parsers.blocks import document_lines
                from procreg.parsers.read import read_document
                from procreg.registry.models import ReadOptions

                # A scan was OCRed at ingest: its pages come from the registry's OCR cache, never again
                # from OCR (without that cache, no OCR at all: the stored text is the fallback).
                ocr = self.cache_dir.parent / "ocr" if self.cache_dir is not None else None
                options = ReadOptions(ocr_cache=str(ocr)) if ocr else ReadOptions(ocr="never")
                raw = read_document(path, options)
                if raw.sha256 == doc.sha256:
                    for n, line in enumerate(document_lines(raw), 1):
                        ref = line.source
                        where = f"đoạn {ref.para}" if ref.para is not None else f"dòng {n}"
                        if ref.page is not None:
                            where = f"trang {ref.page}, {where}"
                        out.append((" ".join(fold(line.text).split()), where))
        except Exception as exc:  # best effort: a file that no longer reads falls back to the stored text
            log.debug("cannot re-read %s for evidence: %s", doc.path, exc)
            out = []
        if not out:
            out = [(" ".join(fold(t).split()), f"dòng {n}") for n, t in enumerate(doc.text.splitlines(), 1)]
        return out

    def _token_table(self, doc: DocumentRecord) -> dict[str, str]:
        table = self._tokens.get(doc.id)
        if table is None:
            table = {}
            for text, where in self.lines(doc):
                for token in _TOKEN_SPLIT.split(text):
                    token = token.rstrip(".")
                    if token:
                        table.setdefault(token, where)
            self._tokens[doc.id] = table
        return table

    def _fold(self, needle: str) -> str:
        folded = self._folded.get(needle)
        if folded is None:
            folded = " ".join(fold(needle).split()).rstrip(".")
            self._folded[needle] = folded
        return folded

    def _search(self, doc: DocumentRecord, needle: str) -> str | None:
        folded = self._fold(needle)
        if not folded:
            return None
        if " " not in folded:
            return self._token_table(doc).get(folded)
        for text, where in self.lines(doc):
            if folded in text:
                return where
        return None

    def find(self, doc: DocumentRecord, *needles: str | None) -> str | None:
        """Where the first of ``needles`` (code, then name) that the document contains appears in it."""
        for needle in needles:
            if not needle:
                continue
            key = (doc.id, needle)
            if key not in self._found:
                self._found[key] = self._search(doc, needle)
            found = self._found[key]
            if found is not None:
                return found
        return None

    def mentions(self, doc: DocumentRecord, code: str | None, name: str) -> bool:
        """True when the document names the procedure (by code, or by name when there is no code)."""
        return self.find(doc, code) is not None if code else self.find(doc, name) is not None


# --------------------------------------------------------------------------------------------------
# Documents found through the search index.


def _is_review_document(doc: DocumentRecord) -> bool:
    """A report or decision that records a review or a simplification plan (rà soát, đơn giản hóa)."""
    if doc.kind == "plan":
        return False
    title = fold(doc.title or "")
    return "ra soat" in title or "don gian hoa" in title


SearchFn = Callable[[str], Sequence[int]]
_CODES_PER_QUERY = 40
_NAMES_PER_QUERY = 10


class _IndexSearch:
    """Document search through the registry's Whoosh index, opened once for the whole audit.

    The index is a cache: when its recorded data version is not the store's it is synced first; every
    hit is verified against the document's text anyway, so a stale index can only miss, never invent.
    """

    def __init__(self, store: Store, index_dir: Path) -> None:
        self.store = store
        self.index_dir = index_dir
        self.backend: Any = None
        self.options: Any = None

    def __enter__(self) -> SearchFn | None:
        from procreg.index.backend import SearchOptions
        from procreg.registry.service.searching import ready_backend

        try:
            self.backend = ready_backend(self.store, self.index_dir)
        except Exception as exc:  # the index is a cache: never fatal for the audit
            log.warning("search index unusable for evidence (%s); scanning review documents instead", exc)
            return None
        self.options = SearchOptions(kind="document", limit=1000)
        return self.search

    def search(self, query: str) -> Sequence[int]:
        """Ids of the documents matching ``query``."""
        result = self.backend.search(query, self.options)
        ids: list[int] = []
        for hit in result.hits:
            hid = str(hit.id)
            if hid.startswith("doc:") and hid[4:].isdigit():
                ids.append(int(hid[4:]))
        return ids

    def __exit__(self, *exc: object) -> None:
        if self.backend is not None:
            self.backend.close()


def _queries(items: Sequence[_Draft]) -> list[tuple[str, list[_Draft]]]:
    """Batched OR queries: codes as code tokens, names (for items without a code) as phrases."""
    coded = [i for i in items if i.code]
    named = [i for i in items if not i.code]
    out: list[tuple[str, list[_Draft]]] = []
    for n in range(0, len(coded), _CODES_PER_QUERY):
        chunk = coded[n : n + _CODES_PER_QUERY]
        out.append((" OR ".join(str(i.code).replace('"', "") for i in chunk), chunk))
    for n in range(0, len(named), _NAMES_PER_QUERY):
        chunk = named[n : n + _NAMES_PER_QUERY]
        out.append((" OR ".join('"' + i.name.replace('"', " ") + '"' for i in chunk), chunk))
    return out


def _mentioning_documents(
    items: Sequence[_Draft], docs: dict[int, DocumentRecord], search: SearchFn | None, locator: _Locator
) -> dict[str, list[int]]:
    """For each item key, the ids of documents that name it (index first, verified in the text)."""
    out: dict[str, list[int]] = defaultdict(list)
    if search is None:
        # No index: scan the (few) review documents directly.
        review_docs = [d for d in docs.values() if _is_review_document(d)]
        for item in items:
            for d in review_docs:
                if locator.mentions(d, item.code, item.name):
                    out[item.key].append(d.id)
        return out
    for query, chunk in _queries(items):
        try:
            found = sorted(set(search(query)))
        except Exception as exc:  # the index is a cache: fall back to scanning
            log.warning("search index failed for evidence (%s); scanning review documents instead", exc)
            return _mentioning_documents(items, docs, None, locator)
        for doc_id in found:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            for item in chunk:
                if locator.mentions(doc, item.code, item.name):
                    out[item.key].append(doc_id)
    return out


# --------------------------------------------------------------------------------------------------
# Gathering audit items.


@dataclass(slots=True)
class _Draft:
    """An audit item being assembled from procedure versions and catalog entries."""

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
    doc_ids: set[int] = dataclasses.field(default_factory=set)  # publishing documents known from the registry
    where_in: dict[int, str] = dataclasses.field(
        default_factory=dict
    )  # document id -> where (from the parser)


def _where_of(source: Any) -> str | None:
    if source is None:
        return None
    page, para = getattr(source, "page", None), getattr(source, "para", None)
    if page is not None and para is not None:
        return f"trang {page}, đoạn {para}"
    if para is not None:
        return f"đoạn {para}"
    if page is not None:
        return f"trang {page}"
    return None


def _gather(
    versions: Sequence[ProcedureRecord], catalog: Sequence[CatalogRecord], docs: dict[int, DocumentRecord]
) -> list[_Draft]:
    current = [p for p in versions if p.status != "superseded"]
    by_key: dict[str, _Draft] = {}
    key_of_id: dict[int, str] = {}
    for p in current:
        draft = _Draft(
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
        )
        by_key[p.key] = draft
    for p in versions:
        key_of_id[p.id] = p.key
        draft_or_none = by_key.get(p.key)
        if draft_or_none is None:
            continue
        d = draft_or_none
        d.events.extend(p.events)
        if p.document_id is not None:
            d.doc_ids.add(p.document_id)
        if p.document_date:
            d.dates.append(p.document_date)
        d.event_dates.extend(e.on for e in p.events if e.on and e.kind != "ingested")
        if d.status in ("abolished", "withdrawn"):
            ends = [e.on for e in p.events if e.kind == d.status and e.on]
            if ends:
                d.status_on = max([*(x for x in [d.status_on] if x), *ends])
    procs_in_doc: set[int] = {p.document_id for p in versions if p.document_id is not None}
    # Decisions whose processes the registry flags as TTHC nội bộ (from their catalog and title).
    internal_docs: set[int] = {p.document_id for p in versions if p.document_id is not None and p.internal}
    by_doc: dict[int, list[ProcedureRecord]] = defaultdict(list)
    for p in current:
        if p.document_id is not None:
            by_doc[p.document_id].append(p)
    orphans: dict[str, _Draft] = {}
    for c in catalog:
        if c.status == "superseded":
            continue
        linked = key_of_id.get(c.procedure_id) if c.procedure_id is not None else None
        if linked is None:
            linked = _same_document_process(c, by_doc)
        if linked is not None and linked in by_key:
            d = by_key[linked]
            if c.status == "active":
                d.catalog = True
                d.doc_ids.add(c.document_id)
                where = _where_of(c.entry.source)
                if where:
                    d.where_in.setdefault(c.document_id, where)
            if d.field is None and c.entry.field:
                d.field = c.entry.field
            continue
        doc = docs.get(c.document_id)
        title = " ".join(fold(doc.title or "").split()) if doc else ""
        tthc_internal = _row_is_tthc_internal(c, title, internal_docs)
        # In scope: a TTHC nội bộ, or a row published with its Quy trình nội bộ (same decision).
        internal = tthc_internal or "quy trinh noi bo" in title or c.document_id in procs_in_doc
        ckey = "cat:" + (c.entry.code or fold(normalize_line(c.entry.name)) + "|" + fold(c.entry.field or ""))
        d = orphans.get(ckey) or _Draft(
            key=ckey,
            code=c.entry.code,
            name=c.entry.name,
            unit=c.entry.agency or (doc.issuer if doc and doc.issuer else _UNKNOWN_UNIT),
            field=c.entry.field,
            issuer=doc.issuer if doc else None,
            catalog=True,
            internal=internal,
            tthc_internal=tthc_internal,
            status=c.status,
        )
        d.internal = d.internal or internal
        d.tthc_internal = d.tthc_internal or tthc_internal
        if c.status == "active":
            d.status = "active"
        d.doc_ids.add(c.document_id)
        if c.document_date:
            d.dates.append(c.document_date)
        where = _where_of(c.entry.source)
        if where:
            d.where_in.setdefault(c.document_id, where)
        orphans[ckey] = d
    return sorted([*by_key.values(), *orphans.values()], key=lambda d: d.key)


def _row_is_tthc_internal(c: CatalogRecord, folded_title: str, internal_docs: set[int]) -> bool:
    """Whether a catalog row with no process is a TTHC nội bộ, by the registry's rules.

    The row's own flag or group heading ("Thủ tục hành chính nội bộ cấp tỉnh") decides; without them,
    a decision whose processes the registry flags as internal, or whose title publishes "thủ tục hành
    chính nội bộ" (a "quy trình nội bộ" of an ordinary TTHC is not one).
    """
    if c.entry.internal or INTERNAL_TTHC.search(fold(c.entry.group or "")):
        return True
    return c.document_id in internal_docs or bool(INTERNAL_TTHC.search(folded_title))


def _registered_on(d: _Draft) -> str | None:
    """When an item entered the registry: its first document's date, else its first event's date."""
    if d.dates:
        return min(d.dates)
    return min(d.event_dates) if d.event_dates else None


@lru_cache(maxsize=1 << 14)
def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(name)).split())


def _same_document_process(c: CatalogRecord, by_doc: dict[int, list[ProcedureRecord]]) -> str | None:
    """The process of the same decision whose name contains the entry's name or is contained in it.

    A fallback for rows the store could not link (extractors may print a name with or without a lead
    word such as "Thủ tục"); only an unambiguous match links.
    """
    entry = _name_key(c.entry.name)
    if not entry:
        return None
    hits = set()
    for p in by_doc.get(c.document_id, ()):
        name = _name_key(p.name)
        if name and (name in entry or entry in name):
            hits.add(p.key)
    return hits.pop() if len(hits) == 1 else None


def _doc_by_number(docs: dict[int, DocumentRecord]) -> dict[str, DocumentRecord]:
    out: dict[str, DocumentRecord] = {}
    for d in sorted(docs.values(), key=lambda d: d.id):
        if d.number:
            out[number_key(d.number)] = d
    return out


def _proofs(
    draft: _Draft,
    docs: dict[int, DocumentRecord],
    numbers: dict[str, DocumentRecord],
    mentioning: Iterable[int],
    locator: _Locator,
) -> tuple[Proof, ...]:
    proofs: list[Proof] = []
    publishing: dict[int, DocumentRecord] = {}
    for doc_id in sorted(draft.doc_ids):
        doc = docs.get(doc_id)
        if doc is not None and doc.kind in ("decision", None, "other", "procedure"):
            publishing[doc.id] = doc
    for e in draft.events:
        if e.kind == "reviewed":
            label = e.evidence or ("rà soát" + (f" ({e.by})" if e.by else ""))
            proofs.append(Proof(verb="reviewed", document=label, date=e.on or None, where=e.where, by=e.by))
        elif e.kind == "published":
            doc = numbers.get(number_key(e.evidence)) if e.evidence else None
            if doc is not None:
                publishing[doc.id] = doc
            else:
                proofs.append(
                    Proof(verb="published", document=e.evidence or "công bố", date=e.on or None, by=e.by)
                )
        elif e.kind == "publicized":
            proofs.append(
                Proof(
                    verb="publicized",
                    # The URL goes in ``where`` only: the document is what was published, or who did it.
                    document=(
                        e.evidence
                        if e.evidence and e.evidence != e.where
                        else "công khai" + (f" ({e.by})" if e.by else "")
                    ),
                    date=e.on or None,
                    where=e.where,
                    by=e.by,
                )
            )
    for doc_id in mentioning:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        if _is_review_document(doc):
            where = locator.find(doc, draft.code, draft.name)
            proofs.append(
                Proof(
                    verb="reviewed",
                    document=doc.number or Path(doc.path).name,
                    date=doc.issued_on,
                    where=where,
                    source="document",
                )
            )
        elif doc.kind == "decision" and doc.id not in publishing and "cong bo" in fold(doc.title or ""):
            publishing[doc.id] = doc
    for doc in publishing.values():
        label = doc.number or Path(doc.path).name
        where = draft.where_in.get(doc.id) or locator.find(doc, draft.code, draft.name)
        proofs.append(
            Proof(verb="published", document=label, date=doc.issued_on, where=where, source="document")
        )
        if doc.orders_publicizing:
            order = doc.orders_publicizing
            at = locator.find(doc, order[:60], order[:30]) or _article(order)
            proofs.append(
                Proof(verb="publicized", document=label, date=doc.issued_on, where=at, source="document")
            )
    return tuple(proofs)


def _article(sentence: str) -> str | None:
    m = re.match(r"\s*(Điều\s+\d+)", sentence)
    return m.group(1) if m else None


# --------------------------------------------------------------------------------------------------
# The audit.


def _resolve_period(
    period: str | None, date_from: str | None, date_to: str | None, default_year: int
) -> tuple[str, str]:
    from procreg.registry.service.common import parse_date

    if period and (date_from or date_to):
        raise UsageError("--period cannot be combined with --from/--to")
    if period:
        return period_bounds(period)
    start = parse_date(date_from, option="--from") if date_from else None
    end = parse_date(date_to, option="--to") if date_to else None
    if start and end:
        return start, end
    if start:
        return start, f"{start[:4]}-12-31"
    if end:
        return f"{end[:4]}-01-01", end
    return period_bounds(str(default_year))


def _plan_targets(store: Store) -> list[PlanTarget]:
    return [
        PlanTarget(document=doc.number, issued_on=doc.issued_on, title=doc.title, target=t)
        for doc, t in store.targets()
        if t.unit == "%"
    ]


def run_audit(
    *,
    home: Path,
    today: str,
    period: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    as_of: str | None = None,
    target: float | None = None,
    unit: str | None = None,
    field: str | None = None,
    issuer: str | None = None,
    review_months: int = 12,
) -> AuditReport:
    """Audit the registry: coverage of the plan's target with evidence, plus the checks' findings.

    Args:
        home: the registry folder.
        today: today's ISO date (passed in by the CLI edge; the default period when there is no plan).
        period: ``2023``, ``2023-H1``...; default: the year of the plan whose target is used.
        date_from: first day of the period (instead of ``period``).
        date_to: last day of the period (instead of ``period``).
        as_of: evaluate the registry as it stood on that day.
        target: override the plan's target (percent).
        unit: only procedures owned by this unit.
        field: only procedures of this field.
        issuer: only procedures published by this issuer.
        review_months: review interval for the ``review_overdue`` check.

    Raises:
        UsageError: bad dates or period, a target outside 0..100, a review interval below 1.
    """
    from procreg.registry.service.common import parse_date

    if target is not None and not 0 <= target <= 100:
        raise UsageError(f"--target {target:g}: a percentage between 0 and 100 is expected")
    if review_months < 1:
        raise UsageError("--review-months must be at least 1")
    as_of_iso = parse_date(as_of, option="--as-of") if as_of else None
    with Store.open(home / "registry.db") as store:
        plans = _plan_targets(store)
        year_hint = int(period[:4]) if period and period[:4].isdigit() else None
        chosen = select_target(plans, year=year_hint)
        if target is not None:
            ref = TargetRef(value=float(target), source=f"--target {target:g} (nhập khi chạy lệnh)")
            default_year = int(today[:4])
        elif chosen is not None:
            ref = chosen
            default_year = int(chosen.issued_on[:4]) if chosen.issued_on else int(today[:4])
        else:
            ref = TargetRef(value=None, source="không có")
            default_year = int(today[:4])
        start, end = _resolve_period(period, date_from, date_to, default_year)
        docs = {d.id: d for d in store.documents()}
        versions = store.procedures(include_superseded=True)
        catalog = catalog_entries(store, include_inactive=True)
        if not docs:
            raise NotFound(
                f"nothing to audit: the registry {home} is empty; ingest the plan and the publishing "
                "decisions first (procreg ingest <folder>)"
            )
        editions = _iso_editions(store, versions, docs)
        with _IndexSearch(store, home / "index") as search:
            return audit_records(
                versions,
                catalog,
                docs,
                target=ref,
                period_from=start,
                period_to=end,
                as_of=as_of_iso,
                unit=unit,
                field=field,
                issuer=issuer,
                today=today,
                review_months=review_months,
                search=search,
                cache_dir=home / "cache" / "evidence",
                editions=editions,
            )


def _iso_editions(
    store: Store, versions: Sequence[ProcedureRecord], docs: dict[int, DocumentRecord]
) -> dict[int, str | None]:
    """Printed editions of the current procedures that are stand-alone ISO documents (kind ``procedure``)."""
    from procreg.registry.store import procedure_details

    out: dict[int, str | None] = {}
    for p in versions:
        doc = docs.get(p.document_id or -1)
        if p.status != "superseded" and doc is not None and doc.kind == "procedure":
            edition = procedure_details(store, p.id).get("edition")
            out[p.id] = str(edition) if edition else None
    return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the audit runs.

    The audit allocates many small acyclic objects; full collections over tens of thousands of live
    records would otherwise cost more than the audit itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_gc_paused()
def audit_records(
    versions: Sequence[ProcedureRecord],
    catalog: Sequence[CatalogRecord],
    docs: dict[int, DocumentRecord],
    *,
    target: TargetRef,
    period_from: str,
    period_to: str,
    today: str,
    as_of: str | None = None,
    unit: str | None = None,
    field: str | None = None,
    issuer: str | None = None,
    review_months: int = 12,
    search: SearchFn | None = None,
    cache_dir: Path | None = None,
    editions: dict[int, str | None] | None = None,
) -> AuditReport:
    """The audit of registry records (no store needed): items, evidence, coverage and findings.

    Args:
        versions: every procedure version (``Store.procedures(include_superseded=True)``).
        catalog: every catalog record (``finding.catalog_entries(store, include_inactive=True)``).
        docs: the registered documents by id.
        target: the target to report against.
        period_from: first day of the period.
        period_to: last day of the period.
        today: today's date (reference for the review interval when there is no ``as_of``).
        as_of: evaluate the registry as it stood on this day.
        unit: only items owned by this unit.
        field: only items of this field.
        issuer: only items of this issuer.
        review_months: review interval in months.
        search: query -> ids of documents, from the search index (None: scan review documents).
        cache_dir: where to keep the located lines of re-read documents (keyed by content hash).
        editions: procedure id -> printed edition, for procedures that are stand-alone ISO documents.
    """
    drafts = _gather(versions, catalog, docs)
    current = [p for p in versions if p.status != "superseded"]
    locator = _Locator(cache_dir)
    scoped = [d for d in drafts if _keep(d, unit, field, issuer)]
    if drafts and not scoped:
        raise NotFound(_no_match_message(drafts, unit=unit, field=field, issuer=issuer))
    mentioning = _mentioning_documents(scoped, docs, search, locator)
    numbers = _doc_by_number(docs)
    items = [
        AuditItem(
            key=d.key,
            code=d.code,
            name=d.name,
            unit=d.unit,
            units=d.units,
            field=d.field,
            issuer=d.issuer,
            catalog=d.catalog,
            process=d.process,
            internal=d.internal,
            tthc_internal=d.tthc_internal,
            status=d.status,
            status_on=d.status_on,
            registered_on=_registered_on(d),
            proofs=_proofs(d, docs, numbers, mentioning.get(d.key, ()), locator),
        )
        for d in scoped
    ]
    report = audit_coverage(
        items,
        target=target,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        unit=unit,
        field=field,
        issuer=issuer,
    )
    reference = as_of or min(today, period_to)
    kept = {i.key for i in items}
    procs = [p for p in current if p.key in kept]
    findings = check_procedures(
        procs,
        today=reference,
        review_months=review_months,
        repealed=repealed_documents(list(docs.values())),
        editions=editions,
    )
    findings += check_deliverables(items)
    for doc in docs.values():
        if doc.kind == "plan" and doc.text:
            findings += lint_plan(doc.number or Path(doc.path).name, doc.text)
    return report.with_findings(findings)


def _no_match_message(
    drafts: Sequence[_Draft], *, unit: str | None, field: str | None, issuer: str | None
) -> str:
    """One line naming the filter that matched nothing and the values the registry does have."""
    for option, wanted, values in (
        ("--unit", unit, [d.unit for d in drafts]),
        ("--field", field, [d.field for d in drafts]),
        ("--issuer", issuer, [d.issuer for d in drafts]),
    ):
        known = sorted({v for v in values if v}, key=fold)
        if wanted and not any(_keep_value(v, wanted) for v in known):
            listed = "; ".join(known[:8]) + (" …" if len(known) > 8 else "")
            return f"{option} {wanted!r} matches no procedure in the registry (known: {listed or 'none'})"
    return (
        "no procedure matches these filters together ("
        + ", ".join(
            f"{o} {w!r}" for o, w in (("--unit", unit), ("--field", field), ("--issuer", issuer)) if w
        )
        + ")"
    )


def _keep_value(value: str | None, wanted: str | None) -> bool:
    if not wanted:
        return True
    return value is not None and " ".join(fold(wanted).split()) in " ".join(fold(value).split())


def _keep(d: _Draft, unit: str | None, field_: str | None, issuer: str | None) -> bool:
    return _keep_value(d.unit, unit) and _keep_value(d.field, field_) and _keep_value(d.issuer, issuer)


def check_fail_under(report: AuditReport, threshold: float | None) -> None:
    """Raise ``AuditBelowTarget`` (exit 10) when coverage is below ``threshold`` percent.

    Raises:
        AuditBelowTarget: coverage below the threshold.
    """
    if threshold is None:
        return
    if report.coverage.exact < threshold:
        c = report.coverage
        raise AuditBelowTarget(
            f"coverage {c.covered}/{c.in_scope} = {c.percent:.1f}% is below --fail-under {threshold:g}%"
        )


def default_docx_name(report: AuditReport, dated: str) -> Path:
    """Default file name of a .docx report: ``bao-cao-ra-soat-tthc-noi-bo-<period>-<date>.docx``."""
    period = report.period_from[:4] if report.period_from[:4] == report.period_to[:4] else "nhieu-nam"
    return Path(f"bao-cao-ra-soat-tthc-noi-bo-{period}-{dated}.docx")


def render_report(
    report: AuditReport, fmt: str, *, dated: str, output: Path | None
) -> tuple[str | None, Path | None]:
    """Render the report in ``fmt``; write it to ``output`` when given (always for docx).

    Returns:
        (text to print, or None) and (the file written, or None).

    Raises:
        UsageError: an unknown format.
    """
    from procreg.procedures import reports

    if fmt == "docx":
        path = output or default_docx_name(report, dated)
        try:
            reports.write_docx(report, path, dated=dated)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return None, path
    if fmt == "json":
        import json

        text = json.dumps(report.as_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    elif fmt in ("text", "md", "html", "csv"):
        text = reports.render(report, fmt, dated=dated)
    else:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(reports.FORMATS)}")
    if output is not None:
        # A .csv file gets a byte-order mark so that Excel opens the Vietnamese text as UTF-8.
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding=encoding)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
        return None, output
    return text, None


# --------------------------------------------------------------------------------------------------
# procreg targets


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetRow:
    """One target of an ingested plan, with what procreg measures for it where it can."""

    plan: str | None
    plan_date: str | None
    section: str
    value: float
    unit: str
    qualifier: str
    text: str
    measure: str | None = None  # "internal_procedures" | "electronic_process"
    measured: float | None = None
    measured_detail: str | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "plan": self.plan,
            "plan_date": self.plan_date,
            "section": self.section,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "text": self.text,
            "measure": self.measure,
            "measured": self.measured,
            "measured_detail": self.measured_detail,
        }


def _is_electronic_target(text: str) -> bool:
    return "quy trinh dien tu" in fold(text)


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetsView:
    """``procreg targets``: the plan targets, and the electronic-process share where it is known."""

    rows: tuple[TargetRow, ...]
    electronic: int = 0  # current procedures whose publishing decision orders an electronic process
    procedures: int = 0  # current (active) procedures


def _orders_electronic_process(doc: DocumentRecord | None) -> bool:
    return doc is not None and "quy trinh dien tu" in fold(doc.orders_publicizing or doc.text)


def list_targets(*, home: Path, today: str) -> TargetsView:
    """Every target of the ingested plans, with the measured value beside the measurable ones.

    The internal-procedure target is measured by the audit for the plan's year; a target about electronic
    processes (quy trình điện tử) by the share of current procedures whose publishing decision orders one.
    """
    with Store.open(home / "registry.db") as store:
        pairs = store.targets()
        procs = store.procedures(status="active")
        docs = {d.id: d for d in store.documents()}
    electronic = sum(_orders_electronic_process(docs.get(p.document_id or -1)) for p in procs)
    rows: list[TargetRow] = []
    audits: dict[int, AuditReport] = {}
    for doc, t in pairs:
        measure = measured = detail = None
        if t.unit == "%" and is_internal_target(t.text):
            year = int(doc.issued_on[:4]) if doc.issued_on else int(today[:4])
            if year not in audits:
                audits[year] = run_audit(home=home, today=today, period=str(year), target=t.value)
            cov = audits[year].coverage
            measure, measured = "internal_procedures", cov.percent
            detail = f"{cov.covered}/{cov.in_scope} TTHC nội bộ đạt rà soát, công bố, công khai năm {year}"
        elif t.unit == "%" and _is_electronic_target(t.text) and procs:
            measure, measured = "electronic_process", percent(electronic, len(procs))
            detail = f"{electronic}/{len(procs)} quy trình có quyết định giao xây dựng quy trình điện tử"
        rows.append(
            TargetRow(
                plan=doc.number,
                plan_date=doc.issued_on,
                section=t.section,
                value=t.value,
                unit=t.unit,
                qualifier=t.qualifier,
                text=t.text,
                measure=measure,
                measured=measured,
                measured_detail=detail,
            )
        )
    return TargetsView(rows=tuple(rows), electronic=electronic, procedures=len(procs))


def targets_json(view: TargetsView) -> dict[str, Any]:
    """``procreg targets --json``: {targets: [...], electronic_process: {with, procedures, percent}}."""
    return {
        "targets": [r.as_json() for r in view.rows],
        "electronic_process": {
            "with": view.electronic,
            "procedures": view.procedures,
            "percent": percent(view.electronic, view.procedures) if view.procedures else None,
        },
    }


def _vn_pct(value: float) -> str:
    return f"{value:g}".replace(".", ",") + "%"


def format_targets(view: TargetsView) -> str:
    """Human listing of the plan targets, measured values beside them."""
    if not view.rows:
        return "Chưa có chỉ tiêu nào (hãy nạp kế hoạch: procreg ingest ke-hoach.docx)\n"
    out: list[str] = []
    plan: object = object()
    for r in view.rows:
        if r.plan != plan:
            plan = r.plan
            when = f" ngày {r.plan_date[8:10]}/{r.plan_date[5:7]}/{r.plan_date[:4]}" if r.plan_date else ""
            out.append(f"Kế hoạch {r.plan or '(không số)'}{when}")
        qual = {"at_least": "≥ ", "aspiration": "~ "}.get(r.qualifier, "")
        out.append(f"  {r.section:<8} {qual + _vn_pct(r.value):>7}  {r.text}")
        if r.measured is not None:
            ok = "Đạt" if r.measured >= r.value else "Chưa đạt"
            shown = f"{r.measured:.1f}".replace(".", ",")
            out.append(f"{'':19}→ đo được: {shown}% ({r.measured_detail}) — {ok}")
    if view.procedures:
        out.append("")
        out.append(
            f"Quy trình điện tử: {view.electronic}/{view.procedures} quy trình hiện hành có quyết định "
            f"công bố giao xây dựng quy trình điện tử ({_vn_pct(percent(view.electronic, view.procedures))})"
        )
    out.append("(≥ tối thiểu, ~ phấn đấu)")
    return "\n".join(out) + "\n"
