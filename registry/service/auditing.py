"""Use cases of the audit: ``procreg audit`` and ``procreg targets``.

Loads what the rules need from the store (procedure versions with their events, catalog rows,
documents, plan targets), asks the search index which documents may name each item, re-reads files to
place the evidence (page, paragraph), then calls the pure rules: ``procedures.scope`` (what counts, who
owns it), ``procedures.evidence`` (what proves each verb), ``procedures.audit`` (the figures) and
``procedures.checks`` (the findings). Every function opens the store at ``home/registry.db`` and closes
it before returning.
"""

from __future__ import annotations

import gc
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from procreg.i18n import N_, _, message_text
from procreg.procedures.audit import (
    USER_TARGET_SOURCE,
    AuditItem,
    AuditReport,
    Finding,
    PlanTarget,
    TargetRef,
    audit_coverage,
    is_electronic_target,
    is_internal_target,
    orders_electronic_process,
    percent,
    period_bounds,
    select_target,
)
from procreg.procedures.checks import check_deliverables, check_procedures, lint_plan, repealed_documents
from procreg.procedures.evidence import (
    Locator,
    documents_by_number,
    documents_naming,
    fold_line,
    line_place,
    proofs,
    text_lines,
)
from procreg.procedures.scope import (
    Candidate,
    assign_handles,
    gather_candidates,
    keep,
    no_match_message,
    registered_on,
)
from procreg.registry.errors import NotFound, StoreError, UsageError
from procreg.registry.models import CatalogRecord, DocumentRecord, ProcedureRecord, Section, SourceRef
from procreg.registry.results import TargetRow, TargetsView
from procreg.registry.service.common import existing_store
from procreg.registry.service.finding import catalog_entries
from procreg.registry.service.listing import history_check
from procreg.registry.store import Store

__all__ = ["SearchFn", "audit_records", "list_targets", "plan_sections", "run_audit"]


log = logging.getLogger(__name__)

SearchFn = Callable[[str], Sequence[int]]
_CODES_PER_QUERY = 40
_NAMES_PER_QUERY = 10


# --------------------------------------------------------------------------------------------------
# Documents read again (evidence locations) and found through the search index.


class _DocumentLines:
    """A document's lines placed by page and paragraph when its file is unchanged, else its stored text.

    Located lines are kept in ``cache_dir`` keyed by the file's content hash (never stale), so a later
    audit does not parse the file again.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir

    def __call__(self, doc: DocumentRecord) -> list[tuple[str, str]]:
        out = self._load(doc)
        if out is None:
            out = self._read(doc) or text_lines(doc)
            self._save(doc, out)
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
        """Keep the located lines of a document; best effort."""
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

    @staticmethod
    def _read(doc: DocumentRecord) -> list[tuple[str, str]]:
        """The file's lines when it still reads and is unchanged, else nothing."""
        path = Path(doc.path)
        try:
            if not path.is_file():
                return []
            from procreg.parsers.blocks import document_lines
            from procreg.parsers.read import read_document
            from procreg.registry.models import ReadOptions

            # Never OCR here: a scan's text is the stored one (OCR ran at ingest), the fallback below.
            raw = read_document(path, ReadOptions(ocr="never"))
            if raw.sha256 != doc.sha256:
                return []
            return [
                (fold_line(line.text), line_place(n, line.source.page, line.source.para))
                for n, line in enumerate(document_lines(raw), 1)
            ]
        except Exception as exc:  # best effort: a file that no longer reads falls back to the stored text
            log.debug("cannot re-read %s for evidence: %s", doc.path, exc)
            return []


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
            log.warning(
                _("search index unusable for evidence (%(error)s); scanning review documents instead"),
                {"error": exc},
            )
            return None
        self.options = SearchOptions(kind="document", limit=1000, snippets=False)  # ids are all it needs
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


def _queries(items: Sequence[Candidate]) -> list[tuple[str, list[Candidate]]]:
    """Batched OR queries: codes as code tokens, names (for items without a code) as phrases."""
    coded = [i for i in items if i.code]
    named = [i for i in items if not i.code]
    out: list[tuple[str, list[Candidate]]] = []
    for n in range(0, len(coded), _CODES_PER_QUERY):
        chunk = coded[n : n + _CODES_PER_QUERY]
        out.append((" OR ".join(str(i.code).replace('"', "") for i in chunk), chunk))
    for n in range(0, len(named), _NAMES_PER_QUERY):
        chunk = named[n : n + _NAMES_PER_QUERY]
        out.append((" OR ".join('"' + i.name.replace('"', " ") + '"' for i in chunk), chunk))
    return out


def _index_hits(items: Sequence[Candidate], search: SearchFn | None) -> dict[str, list[int]] | None:
    """Item key -> ids of the documents the index finds for it; None when there is no usable index."""
    if search is None:
        return None
    hits: dict[str, list[int]] = {}
    for query, chunk in _queries(items):
        try:
            found = sorted(set(search(query)))
        except Exception as exc:  # the index is a cache: fall back to scanning
            log.warning(
                _("search index failed for evidence (%(error)s); scanning review documents instead"),
                {"error": exc},
            )
            return None
        for item in chunk:
            hits[item.key] = found
    return hits


def plan_sections(text: str) -> tuple[Section, ...]:
    """The numbered sections of a plan's stored text, read by the parser with one paragraph per line.

    Each section's ``source.para`` is its line number in ``text``, as ``procedures.checks.lint_plan``
    expects.
    """
    from procreg.parsers.blocks import Line
    from procreg.parsers.sections import extract_sections

    lines = [Line(t, SourceRef(path="", para=n)) for n, t in enumerate(text.splitlines(), 1)]
    return extract_sections(lines).sections


# --------------------------------------------------------------------------------------------------
# The audit.


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


def _audit_items(
    scoped: Sequence[Candidate],
    docs: dict[int, DocumentRecord],
    search: SearchFn | None,
    locator: Locator,
) -> list[AuditItem]:
    """The candidates with their proofs, as the coverage arithmetic takes them."""
    mentioning = documents_naming(scoped, docs, locator, _index_hits(scoped, search))
    numbers = documents_by_number(docs)
    return [
        AuditItem(
            key=c.key,
            code=c.code,
            name=c.name,
            unit=c.unit,
            units=c.units,
            field=c.field,
            issuer=c.issuer,
            catalog=c.catalog,
            process=c.process,
            internal=c.internal,
            tthc_internal=c.tthc_internal,
            status=c.status,
            status_on=c.status_on,
            registered_on=registered_on(c),
            proofs=proofs(c, docs, numbers, mentioning.get(c.key, ()), locator),
            handle=c.handle,
        )
        for c in scoped
    ]


def _findings(
    versions: Sequence[ProcedureRecord],
    docs: dict[int, DocumentRecord],
    items: Sequence[AuditItem],
    *,
    reference: str,
    review_months: int,
    editions: dict[int, str | None] | None,
) -> list[Finding]:
    """The checks' findings: per procedure (kept items only), per deliverable, and the plans' lint."""
    kept = {i.key for i in items}
    procs = [p for p in versions if p.status != "superseded" and p.key in kept]
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
            findings += lint_plan(doc.number or Path(doc.path).name, plan_sections(doc.text), doc.text)
    return findings


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

    Raises:
        NotFound: the filters leave nothing of a registry that has items.
    """
    candidates = gather_candidates(versions, catalog, docs)
    assign_handles(candidates)
    scoped = [c for c in candidates if keep(c, unit, field, issuer)]
    if candidates and not scoped:
        raise NotFound(no_match_message(candidates, unit=unit, field=field, issuer=issuer))
    items = _audit_items(scoped, docs, search, Locator(_DocumentLines(cache_dir)))
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
    findings = _findings(
        versions,
        docs,
        items,
        reference=as_of or min(today, period_to),
        review_months=review_months,
        editions=editions,
    )
    return report.with_findings(findings)


def _resolve_period(
    period: str | None, date_from: str | None, date_to: str | None, default_year: int
) -> tuple[str, str]:
    from procreg.registry.service.common import parse_date

    if period and (date_from or date_to):
        raise UsageError(_("--period cannot be combined with --from/--to"))
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


def _target(store: Store, *, target: float | None, period: str | None, today: str) -> tuple[TargetRef, int]:
    """The target to report against (``--target``, else the plan's), and the default year of the period."""
    if target is not None:
        # Set by whoever runs the audit: the report says so in its readers' words, never with an option name.
        return TargetRef(value=float(target), source=USER_TARGET_SOURCE), int(today[:4])
    year_hint = int(period[:4]) if period and period[:4].isdigit() else None
    chosen = select_target(_plan_targets(store), year=year_hint)
    if chosen is None:
        return TargetRef(value=None, source=""), int(today[:4])
    return chosen, int(chosen.issued_on[:4]) if chosen.issued_on else int(today[:4])


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
    accept_broken_history: bool = False,
) -> AuditReport:
    """Audit the registry: coverage of the plan's target with evidence, plus the checks' findings.

    The event log is verified first: an audit never rests on a broken history unless the caller says so
    (``accept_broken_history``), and then the report carries the break as an error finding.

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
        accept_broken_history: report even when the event log is broken (a finding says so).

    Raises:
        UsageError: bad dates or period, a target outside 0..100, a review interval below 1.
        NotFound: the registry is empty, or the filters match nothing.
        StoreError: the event history is broken (``procreg check``) and not accepted.
    """
    from procreg.registry.service.common import parse_date

    if target is not None and not 0 <= target <= 100:
        raise UsageError(
            _("--target %(target)s: a percentage between 0 and 100 is expected") % {"target": f"{target:g}"}
        )
    if review_months < 1:
        raise UsageError(_("--review-months must be at least 1"))
    as_of_iso = parse_date(as_of, option="--as-of") if as_of else None
    with existing_store(home) as store:
        ref, default_year = _target(store, target=target, period=period, today=today)
        start, end = _resolve_period(period, date_from, date_to, default_year)
        docs = {d.id: d for d in store.documents()}
        versions = store.procedures(include_superseded=True)
        catalog = catalog_entries(store, include_inactive=True)
        if not docs:
            raise NotFound(
                _(
                    "nothing to audit: the registry %(home)s is empty; ingest the plan and the publishing "
                    "decisions first (procreg ingest FOLDER)"
                )
                % {"home": home}
            )
        editions = _iso_editions(store, versions, docs)
        broken = _history_finding(store, home, accept=accept_broken_history)
        with _IndexSearch(store, home / "index") as search:
            report = audit_records(
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
    return report if broken is None else report.with_findings([*report.findings, broken])


def _history_finding(store: Store, home: Path, *, accept: bool) -> Finding | None:
    """None when the event log is sound; else a refusal, or (accepted) the finding the report carries.

    Raises:
        StoreError: the history is broken and the caller did not accept it.
    """
    history = history_check(store)
    if history.sound:
        return None
    if history.first_bad is not None:
        what = _("the event history is broken from event #%(event)d (%(reason)s)") % {
            "event": history.first_bad,
            "reason": message_text(history.reason or ""),
        }
    else:
        what = _("the event log's triggers were changed behind procreg's back: %(list)s") % {
            "list": "; ".join(message_text(i) for i in history.incidents)
        }
    if not accept:
        raise StoreError(
            _(
                "%(what)s: an audit on it could count forged or lost evidence. Run `procreg check`; to "
                "report "
                "anyway, marked as resting on a broken history: procreg audit --accept-broken-history"
            )
            % {"what": what},
            path=str(home / "registry.db"),
        )
    return Finding(
        check="history_broken",
        severity="error",
        subject="sổ sự kiện",
        message=f"Lịch sử sự kiện không nguyên vẹn, kết quả có thể sai: {what} (procreg check).",
    )


# --------------------------------------------------------------------------------------------------
# procreg targets


def list_targets(*, home: Path, today: str) -> TargetsView:
    """Every target of the ingested plans, with the measured value beside the measurable ones.

    The internal-procedure target is measured by the audit for the plan's year; a target about electronic
    processes (quy trình điện tử) by the share of current procedures whose publishing decision orders one.
    """
    with existing_store(home) as store:
        pairs = store.targets()
        procs = store.procedures(status="active")
        docs = {d.id: d for d in store.documents()}
    electronic = sum(orders_electronic_process(docs.get(p.document_id or -1)) for p in procs)
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
            detail = N_(
                "%(covered)d/%(total)d internal TTHC reviewed, published and made public in %(year)d"
            ) % {
                "covered": cov.covered,
                "total": cov.in_scope,
                "year": year,
            }
        elif t.unit == "%" and is_electronic_target(t.text) and procs:
            measure, measured = "electronic_process", percent(electronic, len(procs))
            detail = N_(
                "%(with)d/%(procedures)d procedures with a decision ordering an electronic process"
            ) % {
                "with": electronic,
                "procedures": len(procs),
            }
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
