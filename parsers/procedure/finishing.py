"""From drafts to ``Procedure`` records: catalog link, time limit, one record per case, warnings.

A draft is linked to its catalog entry by national code or name (failing both, a nameless draft takes the
entry at its position). The time limit is the one printed with the procedure (``Thời hạn giải quyết``),
else the catalog's. A step table with several cases gives one record per case, named ``<name> (<case>)``;
a time limit written per case (``- Trường hợp …: 10 ngày; - Trường hợp …``) is split among them. Warnings
say where the steps' hours disagree with the stated total or exceed the time limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from procreg.i18n import N_
from procreg.parsers.durations import parse_duration
from procreg.parsers.procedure.headings import match_catalog
from procreg.parsers.procedure.state import ProcDraft, Variant
from procreg.registry.models import CatalogEntry, Procedure
from procreg.text import fold

__all__ = ["finish", "is_procedure"]

_EPSILON = 1e-6  # hours compared as floats


def is_procedure(proc: ProcDraft) -> bool:
    """A draft with steps or fields, or a named key/value one; else a code mentioned in passing."""
    return bool(proc.steps or proc.fields or (proc.kv and proc.name))


def _time_limit(proc: ProcDraft, entry: CatalogEntry | None) -> str | None:
    """The printed time limit: a ``Thời hạn giải quyết`` line or field, else the catalog entry's."""
    time_limit = proc.time_limit
    for key, value in proc.fields:
        if "thoi han giai quyet" in fold(key) and value:
            time_limit = time_limit or value
    if not time_limit and entry is not None:
        time_limit = entry.time_limit
    return time_limit


def _case_limits(time_limit: str | None, cases: int) -> list[str]:
    """A time limit written per case (``- Trường hợp …``), when it has one part per case."""
    if not time_limit or cases <= 1:
        return []
    parts = [p.strip() for p in re.split(r"(?:^|\s)[-+]\s*(?=Trường hợp)", time_limit) if p.strip()]
    return parts if len(parts) == cases else []


def _settle_totals(variant: Variant) -> list[str]:
    """The stated total from the total rows read, and warnings for subtotals that differ from their steps.

    A total that covers every step of the case is the stated total; one that covers only the steps
    since the previous total (a level's subtotal, "… ở cấp xã là: | 40 giờ") is checked on those steps.
    """
    out: list[str] = []
    for sub in variant.subtotals:
        if sub.first == 0 and sub.last == len(variant.steps):
            variant.stated_total = variant.stated_total or sub.text
            continue
        stated = parse_duration(sub.text).hours
        counted = sum(s.hours for s in variant.steps[sub.first : sub.last] if s.hours is not None)
        if stated is not None and abs(stated - counted) > _EPSILON:
            labels = f"{variant.steps[sub.first].label}-{variant.steps[sub.last - 1].label}"
            out.append(
                N_(
                    "steps %(steps)s add up to %(counted)g working hours but their subtotal is %(stated)g "
                    "(%(text)s); difference %(difference)g h"
                )
                % {
                    "steps": labels,
                    "counted": counted,
                    "stated": stated,
                    "text": sub.text,
                    "difference": stated - counted,
                }
            )
    return out


def _hour_warnings(
    variant: Variant, stated_hours: float | None, limit_hours: float | None, time_limit: str | None
) -> list[str]:
    """The steps' hours against the stated total and against the time limit (None: not checked)."""
    out: list[str] = []
    counted = sum(s.hours for s in variant.steps if s.hours is not None)
    if stated_hours is not None and variant.steps and abs(stated_hours - counted) > _EPSILON:
        out.append(
            N_(
                "steps add up to %(counted)g working hours but the stated total is %(stated)g (%(text)s); "
                "difference %(difference)g h"
            )
            % {
                "counted": counted,
                "stated": stated_hours,
                "text": variant.stated_total,
                "difference": stated_hours - counted,
            }
        )
    if limit_hours is not None and variant.steps and counted > limit_hours + _EPSILON:
        out.append(
            N_("steps add up to %(counted)g working hours, more than the time limit %(limit)g h (%(text)s)")
            % {"counted": counted, "limit": limit_hours, "text": time_limit}
        )
    return out


def _record(
    proc: ProcDraft,
    entry: CatalogEntry | None,
    name: str,
    variant: Variant,
    time_limit: str | None,
    warnings: list[str],
) -> Procedure:
    catalog_code = entry.code if entry else (proc.heading_codes[0] if proc.heading_codes else None)
    return Procedure(
        name=name,
        code=proc.code,
        catalog_code=catalog_code,
        field=entry.field if entry else None,
        time_limit=time_limit,
        time_limit_hours=parse_duration(time_limit).hours if time_limit else None,
        steps=tuple(variant.steps),
        stated_total=variant.stated_total,
        stated_total_hours=parse_duration(variant.stated_total).hours if variant.stated_total else None,
        fields=tuple((k, v) for k, v in proc.fields),
        forms=tuple(f for f in proc.forms if f),
        records=tuple(r for r in proc.records if r),
        edition=proc.iso.get("edition"),
        issued_on=proc.iso.get("issued_on"),
        effective_on=proc.iso.get("effective_on"),
        drafted_by=proc.iso.get("drafted_by"),
        checked_by=proc.iso.get("checked_by"),
        approved_by=proc.iso.get("approved_by"),
        revisions=tuple(proc.revisions),
        warnings=tuple(warnings),
        source=proc.source,
    )


def finish(proc: ProcDraft, catalog: Sequence[CatalogEntry], ordinal: int) -> list[Procedure]:
    """The ``Procedure`` records of a draft: one per case of its step table.

    Args:
        proc: the draft.
        catalog: the document's catalog entries.
        ordinal: the draft's position among the document's drafts (links a nameless draft).
    """
    entry = match_catalog(proc.name, proc.heading_codes, catalog)
    if entry is None and not proc.name and 0 <= ordinal < len(catalog):
        entry = catalog[ordinal]
    name = proc.name or (entry.name if entry else "")
    time_limit = _time_limit(proc, entry)
    variants = proc.variants or [Variant(label=None)]
    case_limits = _case_limits(time_limit, len(variants))
    # With several cases the one time limit is checked only when it was split among them.
    checks_limit = len(variants) == 1 or bool(case_limits)
    out: list[Procedure] = []
    for index, variant in enumerate(variants):
        if case_limits:
            time_limit = case_limits[index]
        warnings = list(proc.warnings)
        vname = name
        if len(variants) > 1:
            vname = f"{name} ({variant.label})" if variant.label else f"{name} ({index + 1})"
            warnings.append(
                N_("%(procedure)s: the step table holds %(cases)d cases; one procedure per case")
                % {"procedure": proc.code or name, "cases": len(variants)}
            )
        warnings += _settle_totals(variant)
        stated_hours = parse_duration(variant.stated_total).hours if variant.stated_total else None
        limit_hours = parse_duration(time_limit).hours if time_limit and checks_limit else None
        warnings += _hour_warnings(variant, stated_hours, limit_hours, time_limit)
        out.append(_record(proc, entry, vname, variant, time_limit, warnings))
    return out
