"""Coverage of the plan's target: internal procedures reviewed, published and publicized, with proof.

Pure arithmetic. The service layer (``registry.service.auditing``) makes ``AuditItem`` records with the
rules of ``procedures.scope`` (which items, owned by whom) and ``procedures.evidence`` (their proofs);
this module decides, for a period and an as-of date, which items are in scope, which of the three verbs
hold (rà soát, công bố, công khai), what is missing, and how the figures add up overall, per unit, per
field and per deliverable (Danh mục / Quy trình nội bộ).

- the period counts by date: an item holds a verb in a period only through proof dated inside it (and
  not after the as-of date): a review, a publishing decision or a publicizing of that period. A decision
  of another year proves nothing for this one;
- undated proof is listed with the item as undated and never counted (a date is what puts it in a period);
- an item is covered when all three hold; abolished and withdrawn items are out of scope (listed);
- scope: an item counts when ``internal`` is set (``procedures.scope`` decides it from the registry's flags).
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from procreg.i18n import _
from procreg.registry.errors import UsageError
from procreg.registry.models import DocumentRecord, Target
from procreg.text import fold
from procreg.text.dates import vn_date
from procreg.text.vocabulary import mentions_internal_tthc

__all__ = [
    "MISSING_LABELS",
    "VERBS",
    "VERB_LABELS",
    "AuditItem",
    "AuditReport",
    "Coverage",
    "Finding",
    "GroupCoverage",
    "ItemResult",
    "OutOfScope",
    "PlanTarget",
    "USER_TARGET_SOURCE",
    "Proof",
    "TargetRef",
    "audit_coverage",
    "is_electronic_target",
    "is_internal_target",
    "orders_electronic_process",
    "percent",
    "period_bounds",
    "select_target",
]


Verb = Literal["reviewed", "published", "publicized"]
VERBS: tuple[Verb, ...] = ("reviewed", "published", "publicized")
VERB_LABELS: dict[str, str] = {"reviewed": "Rà soát", "published": "Công bố", "publicized": "Công khai"}
MISSING_LABELS: dict[str, str] = {
    "reviewed": "chưa rà soát trong kỳ",
    "published": "chưa có quyết định công bố",
    "publicized": "chưa công khai",
}
OUT_STATUSES = frozenset({"abolished", "withdrawn"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Proof:
    """One piece of evidence for a verb: an event or a document that names the procedure."""

    verb: Verb
    document: str  # document number ("3005/QĐ-UBND"), or a description of the event
    date: str | None  # ISO date
    where: str | None = None  # page/paragraph, URL
    source: Literal["event", "document"] = "event"
    by: str | None = None
    # A registered document's own number and title (trích yếu), so that a report cites it as
    # "Quyết định số … ngày …", or by its title when it has no number, never by its file name.
    number: str | None = None
    title: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON form of the contract (``verb``, ``document``, ``date``, ``where``) plus extras."""
        return {
            "verb": self.verb,
            "document": self.document,
            "date": self.date,
            "where": self.where,
            "source": self.source,
            "by": self.by,
            "number": self.number,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditItem:
    """One procedure as the audit sees it (a catalog entry, a process, or both)."""

    key: str
    code: str | None
    name: str
    unit: str = "(chưa xác định)"  # the unit that owns the procedure (per-unit figures)
    units: tuple[str, ...] = ()  # every unit named in its steps
    field: str | None = None
    issuer: str | None = None
    catalog: bool = False  # has a Danh mục entry
    process: bool = False  # has a Quy trình nội bộ
    internal: bool = True  # a TTHC nội bộ or an internal process: in the audit's scope
    tthc_internal: bool = False  # a TTHC nội bộ proper (between state agencies), as the registry flags it
    status: str = "active"
    status_on: str | None = None  # date of the abolition / withdrawal
    registered_on: str | None = None  # earliest date it is known from (its first document or event)
    proofs: tuple[Proof, ...] = ()
    handle: str | None = None  # what to type to record an event on it (QT.NV.01, #12, #DM7)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanTarget:
    """A target together with the plan it comes from (input of ``select_target``)."""

    document: str | None  # plan number "01/KH-SNgV"
    issued_on: str | None
    title: str | None
    target: Target


#: Where a target given when the audit was run (``--target``) comes from, as the report says it.
USER_TARGET_SOURCE = "chỉ tiêu do đơn vị lập báo cáo xác định"


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetRef:
    """The target the audit measures against and where it came from."""

    value: float | None
    # Human sentence for the report's readers: "Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3", the
    # USER_TARGET_SOURCE of a target given when the audit was run, or "" when there is none.
    source: str
    document: str | None = None
    issued_on: str | None = None
    section: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One result of a check (ISO 9001 clause 7.5 document control, consistency, plan lint)."""

    check: str
    severity: Literal["error", "warning", "info"]
    subject: str
    message: str

    def as_json(self) -> dict[str, Any]:
        """JSON form (contract keys)."""
        return {
            "check": self.check,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """Covered / in scope, with the percentage rounded to one decimal."""

    covered: int
    in_scope: int

    @property
    def percent(self) -> float:
        """Coverage in percent, one decimal (0.0 when nothing is in scope)."""
        return percent(self.covered, self.in_scope)

    @property
    def exact(self) -> float:
        """Unrounded coverage in percent (used to compare against thresholds)."""
        return 100.0 * self.covered / self.in_scope if self.in_scope else 0.0

    def as_json(self) -> dict[str, Any]:
        """JSON form: ``covered``, ``in_scope``, ``percent``."""
        return {"covered": self.covered, "in_scope": self.in_scope, "percent": self.percent}


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupCoverage:
    """Coverage of one unit or field, with per-verb counts."""

    name: str
    coverage: Coverage
    reviewed: int = 0
    published: int = 0
    publicized: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemResult:
    """The audit's verdict on one in-scope item."""

    key: str
    code: str | None
    name: str
    unit: str
    units: tuple[str, ...]
    field: str | None
    deliverables: tuple[str, ...]  # "catalog", "process"
    reviewed: bool
    published: bool
    publicized: bool
    evidence: tuple[Proof, ...]
    missing: tuple[Verb, ...]
    tthc_internal: bool = False
    handle: str | None = None  # what to type to record an event on it
    undated: tuple[Proof, ...] = ()  # proof without a date: listed, never counted

    @property
    def covered(self) -> bool:
        """All three verbs hold."""
        return not self.missing

    def as_json(self) -> dict[str, Any]:
        """JSON form (contract keys plus ``units``, ``field``, ``deliverables``, ``missing_text``)."""
        return {
            "key": self.key,
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "units": list(self.units),
            "field": self.field,
            "deliverables": list(self.deliverables),
            "tthc_internal": self.tthc_internal,
            "reviewed": self.reviewed,
            "published": self.published,
            "publicized": self.publicized,
            "covered": self.covered,
            "evidence": [p.as_json() for p in self.evidence],
            "missing": list(self.missing),
            "missing_text": [MISSING_LABELS[v] for v in self.missing],
            "handle": self.handle,
            "undated": [p.as_json() for p in self.undated],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class OutOfScope:
    """An item left out of the audit, and why."""

    code: str | None
    name: str
    unit: str
    reason: str  # abolished, withdrawn, not_internal, not_yet_registered

    def as_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"code": self.code, "name": self.name, "unit": self.unit, "reason": self.reason}


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditReport:
    """What ``procreg audit`` reports; ``as_json`` is the ``audit --json`` document users' scripts read."""

    target: TargetRef
    period_from: str
    period_to: str
    as_of: str | None
    coverage: Coverage
    by_unit: tuple[GroupCoverage, ...]
    by_field: tuple[GroupCoverage, ...]
    deliverables: dict[str, Coverage]  # catalog, process, both
    verbs: dict[str, int]  # how many in-scope items hold each verb
    items: tuple[ItemResult, ...]
    out_of_scope: tuple[OutOfScope, ...]
    findings: tuple[Finding, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        """True when coverage reaches the target; None when there is no target."""
        if self.target.value is None:
            return None
        return self.coverage.exact >= self.target.value

    def below(self, threshold: float) -> bool:
        """True when coverage (unrounded) is below ``threshold`` percent (``--fail-under``)."""
        return self.coverage.exact < threshold

    def with_findings(self, findings: Iterable[Finding]) -> AuditReport:
        """A copy of the report carrying these findings (sorted)."""
        ordered = tuple(sorted(set(findings), key=_finding_key))  # one finding per fact, however found
        return replace(self, findings=ordered)

    def as_json(self) -> dict[str, Any]:
        """The ``audit --json`` document: target, period, coverage, by_unit, items, findings (plus extras)."""

        def group(g: GroupCoverage, label: str) -> dict[str, Any]:
            return {
                label: g.name,
                **g.coverage.as_json(),
                "reviewed": g.reviewed,
                "published": g.published,
                "publicized": g.publicized,
            }

        return {
            "target": {
                "value": self.target.value,
                "source": self.target.source,
                "document": self.target.document,
                "issued_on": self.target.issued_on,
                "section": self.target.section,
                "text": self.target.text,
            },
            "period": {"from": self.period_from, "to": self.period_to, "as_of": self.as_of},
            "coverage": self.coverage.as_json(),
            "passed": self.passed,
            "by_unit": [group(g, "unit") for g in self.by_unit],
            "by_field": [group(g, "field") for g in self.by_field],
            "deliverables": {k: v.as_json() for k, v in self.deliverables.items()},
            "verbs": dict(self.verbs),
            "items": [i.as_json() for i in self.items],
            "out_of_scope": [o.as_json() for o in self.out_of_scope],
            "findings": [f.as_json() for f in self.findings],
            "filters": dict(self.filters),
        }


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _finding_key(f: Finding) -> tuple[int, str, str, str]:
    return (_SEVERITY_ORDER.get(f.severity, 3), f.check, f.subject, f.message)


def percent(covered: int, total: int) -> float:
    """``covered / total`` in percent, rounded half-up to one decimal; 0.0 when ``total`` is 0."""
    if total <= 0:
        return 0.0
    # Integer arithmetic: no float surprises such as round(12.25, 1) == 12.2.
    tenths, rest = divmod(covered * 1000, total)
    if rest * 2 >= total:
        tenths += 1
    return tenths / 10


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?P<part>H[12]|Q[1-4]|\d{1,2}))?$", re.IGNORECASE)


def period_bounds(period: str) -> tuple[str, str]:
    """ISO bounds of a reporting period: ``2023``, ``2023-H1`` (six months), ``2023-Q3``, ``2023-05``.

    Raises:
        UsageError: the period is not one of those forms.
    """
    m = _PERIOD.match(period.strip())
    if not m:
        raise UsageError(
            _("bad period %(period)r: use YYYY, YYYY-H1, YYYY-H2, YYYY-Q1..Q4 or YYYY-MM")
            % {"period": period}
        )
    year = int(m["y"])
    part = (m["part"] or "").upper()
    if not part:
        first, last = 1, 12
    elif part.startswith("H"):
        first, last = (1, 6) if part == "H1" else (7, 12)
    elif part.startswith("Q"):
        q = int(part[1])
        first, last = 3 * q - 2, 3 * q
    else:
        first = last = int(part)
        if not 1 <= first <= 12:
            raise UsageError(_("bad period %(period)r: month must be 01..12") % {"period": period})
    end_day = calendar.monthrange(year, last)[1]
    return date(year, first, 1).isoformat(), date(year, last, end_day).isoformat()


def is_internal_target(text: str) -> bool:
    """True for the target sentence about internal TTHC being reviewed, published and publicized."""
    f = fold(text)
    internal = mentions_internal_tthc(text) or "quy trinh noi bo" in f
    return internal and "ra soat" in f and "cong bo" in f and "cong khai" in f


def is_electronic_target(text: str) -> bool:
    """True for a target sentence about electronic processes (quy trình điện tử)."""
    return "quy trinh dien tu" in fold(text)


def orders_electronic_process(doc: DocumentRecord | None) -> bool:
    """True when a publishing decision orders an electronic process (in its order, else anywhere)."""
    return doc is not None and "quy trinh dien tu" in fold(doc.orders_publicizing or doc.text)


def _plan_year(issued_on: str | None) -> int | None:
    if issued_on and re.match(r"^\d{4}-", issued_on):
        return int(issued_on[:4])
    return None


def select_target(plans: Sequence[PlanTarget], *, year: int | None = None) -> TargetRef | None:
    """Pick the internal-procedure target of the ingested plans.

    Among targets whose sentence speaks of TTHC nội bộ being rà soát, công bố, công khai, prefer a plan
    of ``year`` when given, then the most recent plan; ties by plan number and section.
    """
    candidates = [p for p in plans if is_internal_target(p.target.text)]
    if not candidates:
        return None

    def rank(p: PlanTarget) -> tuple[int, str, str, str]:
        same_year = 0 if year is not None and _plan_year(p.issued_on) == year else 1
        # Most recent first: invert the date by sorting on its negation via a key tuple.
        return (same_year, _invert(p.issued_on or ""), p.document or "", p.target.section)

    best = sorted(candidates, key=rank)[0]
    where = f", mục {best.target.section}" if best.target.section else ""
    when = f" ngày {vn_date(best.issued_on)}" if best.issued_on else ""
    name = f"Kế hoạch {best.document}" if best.document else (best.title or "kế hoạch (không số)")
    return TargetRef(
        value=best.target.value,
        source=f"{name}{when}{where}",
        document=best.document,
        issued_on=best.issued_on,
        section=best.target.section,
        text=best.target.text,
    )


def _invert(s: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in s)


def _norm_filter(value: str) -> str:
    return " ".join(fold(value).split())


def _matches(value: str | None, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if value is None:
        return False
    v, w = _norm_filter(value), _norm_filter(wanted)
    return v == w or w in v


def _holds(proof: Proof, *, start: str, cutoff: str) -> bool:
    """True when the proof is dated inside the period (and not after the as-of date)."""
    return proof.date is not None and start <= proof.date <= cutoff


def audit_coverage(
    items: Sequence[AuditItem],
    *,
    target: TargetRef,
    period_from: str,
    period_to: str,
    as_of: str | None = None,
    unit: str | None = None,
    field: str | None = None,
    issuer: str | None = None,
) -> AuditReport:
    """Compute coverage of ``items`` for the period, as the registry stood on ``as_of``.

    Args:
        items: every procedure the registry knows (current versions), with their candidate proofs.
        target: the target to report against (value may be None: no plan and no ``--target``).
        period_from: first day of the period (ISO).
        period_to: last day of the period (ISO).
        as_of: evaluate as the registry stood on this day: proofs, abolitions and registrations after
            it are ignored.
        unit: keep only items owned by this unit (accent-insensitive, substring).
        field: keep only items of this field (lĩnh vực).
        issuer: keep only items published by this issuer.

    Returns:
        The report, without findings (add them with ``AuditReport.with_findings``).

    Raises:
        UsageError: the period is empty (``period_from`` after ``period_to``).
    """
    if period_from > period_to:
        raise UsageError(
            _("empty period: %(start)s is after %(end)s")
            % {"start": vn_date(period_from), "end": vn_date(period_to)}
        )
    cutoff = min(period_to, as_of) if as_of else period_to
    results: list[ItemResult] = []
    out: list[OutOfScope] = []
    for item in items:
        if not (_matches(item.unit, unit) and _matches(item.field, field) and _matches(item.issuer, issuer)):
            continue
        if item.registered_on and item.registered_on > cutoff:
            out.append(
                OutOfScope(code=item.code, name=item.name, unit=item.unit, reason="not_yet_registered")
            )
            continue
        if item.status in OUT_STATUSES and (item.status_on is None or item.status_on <= cutoff):
            out.append(OutOfScope(code=item.code, name=item.name, unit=item.unit, reason=item.status))
            continue
        if not item.internal:
            out.append(OutOfScope(code=item.code, name=item.name, unit=item.unit, reason="not_internal"))
            continue
        results.append(_judge(item, start=period_from, cutoff=cutoff))
    results.sort(key=lambda r: (fold(r.unit), r.code or "\uffff", r.name.casefold(), r.key))
    out.sort(key=lambda o: (o.reason, o.code or "\uffff", o.name.casefold()))
    filters = {k: v for k, v in (("unit", unit), ("field", field), ("issuer", issuer)) if v}
    return AuditReport(
        target=target,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        coverage=Coverage(covered=sum(r.covered for r in results), in_scope=len(results)),
        by_unit=_groups(results, lambda r: r.unit),
        by_field=_groups(results, lambda r: r.field or "(không rõ lĩnh vực)"),
        deliverables=_deliverables(results),
        verbs={v: sum(getattr(r, v) for r in results) for v in VERBS},
        items=tuple(results),
        out_of_scope=tuple(out),
        filters=filters,
    )


def _judge(item: AuditItem, *, start: str, cutoff: str) -> ItemResult:
    held: dict[str, list[Proof]] = {v: [] for v in VERBS}
    undated: list[Proof] = []
    for proof in item.proofs:
        if proof.date is None:
            if proof not in undated:
                undated.append(proof)
        elif _holds(proof, start=start, cutoff=cutoff):
            held[proof.verb].append(proof)
    evidence: list[Proof] = []
    for verb in VERBS:
        # Deduplicate the same document cited twice (an event and the document itself).
        seen: set[tuple[str, str | None]] = set()
        for p in sorted(held[verb], key=lambda p: (p.date or "", p.source != "document", p.document)):
            if (p.document, p.date) in seen:
                continue
            seen.add((p.document, p.date))
            evidence.append(p)
    missing = tuple(v for v in VERBS if not held[v])
    deliverables = tuple(d for d, on in (("catalog", item.catalog), ("process", item.process)) if on)
    return ItemResult(
        key=item.key,
        code=item.code,
        name=item.name,
        unit=item.unit,
        units=item.units,
        field=item.field,
        deliverables=deliverables,
        reviewed=bool(held["reviewed"]),
        published=bool(held["published"]),
        publicized=bool(held["publicized"]),
        evidence=tuple(evidence),
        missing=missing,
        tthc_internal=item.tthc_internal,
        handle=item.handle,
        undated=tuple(undated),
    )


def _groups(results: Sequence[ItemResult], key: Any) -> tuple[GroupCoverage, ...]:
    buckets: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        buckets[key(r)].append(r)
    out = [
        GroupCoverage(
            name=name,
            coverage=Coverage(covered=sum(r.covered for r in rs), in_scope=len(rs)),
            reviewed=sum(r.reviewed for r in rs),
            published=sum(r.published for r in rs),
            publicized=sum(r.publicized for r in rs),
        )
        for name, rs in buckets.items()
    ]
    return tuple(sorted(out, key=lambda g: (fold(g.name), g.name)))


def _deliverables(results: Sequence[ItemResult]) -> dict[str, Coverage]:
    def cov(rs: list[ItemResult]) -> Coverage:
        return Coverage(covered=sum(r.covered for r in rs), in_scope=len(rs))

    return {
        "catalog": cov([r for r in results if "catalog" in r.deliverables]),
        "process": cov([r for r in results if "process" in r.deliverables]),
        "both": cov([r for r in results if len(r.deliverables) == 2]),
    }
