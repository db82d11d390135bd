"""A procedure's life after ingest: reviewed, published, made public, withdrawn, restored; undo.

Events go on a procedure's current version or on a catalog entry with no process (``finding.find_target``),
checked first by ``procedures.lifecycle``: the status allows it, the date is possible, it is not a repeat.
A refused date can be forced (``force``); the event then carries the reasons. Events are append-only:
``undo`` appends a ``cancelled`` event that names the one it cancels.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from procreg.i18n import N_, _, message_text
from procreg.procedures import lifecycle
from procreg.procedures.identity import code_key
from procreg.procedures.scope import CATALOG_HANDLE, catalog_item_key
from procreg.registry.errors import EventRefused, NotFound, UsageError
from procreg.registry.models import CatalogRecord, DocumentRecord, Event, ProcedureRecord
from procreg.registry.results import Recorded
from procreg.registry.service.common import clean, existing_store, parse_date, sync_index_quietly
from procreg.registry.service.finding import (
    Target,
    decision_suggestions,
    document_by_number,
    find_target,
)
from procreg.registry.service.listing import procedure_view
from procreg.registry.service.searching import index_writer
from procreg.registry.store import Store

__all__ = ["publicize", "publish", "restore", "review", "undo", "withdraw"]

_DECISION_KINDS = (None, "decision", "other", "procedure")


def review(
    code: str,
    *,
    on: str,
    by: str | None = None,
    note: str | None = None,
    home: Path,
    today: str,
    force: bool = False,
) -> Recorded:
    """Record that a procedure (or a catalog entry) was reviewed (rà soát) on a date, by someone.

    Raises:
        NotFound: no such procedure or catalog entry.
        UsageError: a bad or impossible date (unless forced), or a status that forbids it.
    """
    event = Event(kind="reviewed", on=parse_date(on), by=clean(by), note=clean(note))
    return _record(home, code, event, today=today, force=force)


def publish(
    code: str,
    *,
    decision: str,
    on: str | None = None,
    by: str | None = None,
    home: Path,
    today: str,
    force: bool = False,
) -> Recorded:
    """Record that a procedure (or a catalog entry) was published (công bố) by a registered decision.

    The decision's number is matched without spaces or accents (``3005/QD-UBND`` is ``3005/QĐ-UBND``) and
    stored as registered; the event takes the decision's date unless ``on`` says otherwise, and as who
    published ``by`` (the web page's account that records it), else the decision's issuer. An
    unregistered decision is refused with the closest registered numbers, unless forced (its number is
    then kept as typed).

    Raises:
        NotFound: no such procedure, or the decision is not registered (unless forced).
        UsageError: an empty number, an impossible date (unless forced), or a status that forbids it.
    """
    number = clean(decision)
    if not number:
        raise UsageError(_("--decision: a decision number is required (e.g. 3005/QĐ-UBND)"))
    when = parse_date(on) if on else None
    with existing_store(home) as store:
        doc = document_by_number(store, number)
        reasons = _decision_problems(store, number, doc)
    if when is None:
        if doc is None and not force:
            raise NotFound(message_text(reasons[0]))
        if doc is None or not doc.issued_on:
            raise UsageError(
                _("--on: decision %(decision)s has no date in the registry; give the date with --on")
                % {"decision": number}
            )
        when = doc.issued_on
    evidence = doc.number if doc is not None and doc.number else number
    who = clean(by) or (doc.issuer if doc else None)
    event = Event(kind="published", on=when, by=who, evidence=evidence)
    decision_at = (evidence, doc.issued_on if doc else None)
    return _record(home, code, event, today=today, force=force, decision=decision_at, extra=reasons, doc=doc)


def publicize(
    code: str, *, on: str, where: str, by: str | None = None, home: Path, today: str, force: bool = False
) -> Recorded:
    """Record that a procedure (or a catalog entry) was made public (công khai) at a URL or place.

    Raises:
        NotFound: no such procedure or catalog entry.
        UsageError: an empty place, an impossible date (before its công bố...) unless forced, or a status
            that forbids it.
    """
    place = clean(where)
    if not place:
        raise UsageError(_("--where: where it was made public is required (a URL or portal name)"))
    event = Event(kind="publicized", on=parse_date(on), by=clean(by), evidence=place, where=place)
    return _record(home, code, event, today=today, force=force)


def withdraw(
    code: str, *, on: str, reason: str, by: str | None = None, home: Path, today: str, force: bool = False
) -> Recorded:
    """Withdraw a procedure or catalog entry (thu hồi): status ``withdrawn`` plus an event with the reason.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date, an empty reason, or an already withdrawn procedure.
    """
    why = clean(reason)
    if not why:
        raise UsageError(_("--reason: a reason is required"))
    event = Event(kind="withdrawn", on=parse_date(on), by=clean(by), note=why)
    return _record(home, code, event, today=today, force=force, status="withdrawn")


def restore(
    code: str, *, on: str, reason: str, by: str | None = None, home: Path, today: str, force: bool = False
) -> Recorded:
    """Restore a withdrawn procedure or catalog entry (status ``active`` again), with the reason.

    Raises:
        NotFound: no such procedure.
        UsageError: it is not withdrawn, a bad date, or an empty reason.
    """
    why = clean(reason)
    if not why:
        raise UsageError(_("--reason: a reason is required"))
    event = Event(kind="restored", on=parse_date(on), by=clean(by), note=why)
    return _record(home, code, event, today=today, force=force, status="active")


def undo(event_id: int, *, reason: str, by: str | None = None, home: Path, today: str) -> Recorded:
    """Cancel a mistaken event by appending a ``cancelled`` event that names it; both stay in the history.

    Raises:
        NotFound: no such event.
        UsageError: an empty reason, or an event that cannot be undone (an undo, an event a document
            brought, a withdrawal or restoration, one undone already).
    """
    why = clean(reason)
    if not why:
        raise UsageError(_("--reason: a reason is required (why the event was a mistake)"))
    with existing_store(home) as store:
        found = store.event(event_id)
        if found is None:
            raise NotFound(
                _("no event #%(event)d (`procreg show CODE` lists the events with their ids)")
                % {"event": event_id}
            )
        procedure_id, catalog_id, target_event = found
        target = _target_of(store, procedure_id, catalog_id)
        subject = _subject(store, target)
        document = _event_document(store, target_event)
        refusal = lifecycle.undo_refusal(target_event, subject.events, document)
        if refusal:
            raise UsageError(refusal)
        cancel = Event(kind="cancelled", on=today, by=clean(by), note=why, cancels=event_id)
        return _write(store, home, target, subject, cancel, status=None)


# --------------------------------------------------------------------------------------------------
# Recording


def _record(
    home: Path,
    code: str,
    event: Event,
    *,
    today: str,
    force: bool,
    status: str | None = None,
    decision: tuple[str | None, str | None] | None = None,
    extra: list[str] | None = None,
    doc: DocumentRecord | None = None,
) -> Recorded:
    """Check ``event`` against the item ``code`` names, then append it (or say it is there already)."""
    with existing_store(home) as store:
        target = find_target(store, code)
        subject = _subject(store, target)
        refusal = lifecycle.status_refusal(subject, event.kind)
        if refusal:
            raise UsageError(refusal)
        repeat = lifecycle.repeat_of(subject, event)
        if repeat is not None:
            return _recorded(store, target, subject, repeat, repeated=True)
        if extra and not force:
            raise NotFound(
                message_text(extra[0])
            )  # the decision is not registered: named, with the closest numbers
        reasons = [*(extra or []), *lifecycle.date_refusals(subject, event, today=today, decision=decision)]
        if reasons and not force:
            shown = tuple(message_text(r) for r in reasons)
            raise EventRefused(
                _(
                    "%(reasons)s. Nothing was recorded (give --force to record it anyway: the reasons are "
                    "kept "
                    "on the event)"
                )
                % {"reasons": "; ".join(shown)},
                reasons=shown,
            )
        event = dataclasses.replace(event, forced="; ".join(reasons) or None)
        return _write(store, home, target, subject, event, status=status, document_id=doc.id if doc else None)


def _write(
    store: Store,
    home: Path,
    target: Target,
    subject: lifecycle.Subject,
    event: Event,
    *,
    status: str | None,
    document_id: int | None = None,
) -> Recorded:
    procedure_id = target.procedure.id if target.procedure else None
    catalog_id = target.catalog.id if target.catalog else None
    same_entry: list[int] = []
    if target.catalog is not None and status is not None:
        # Withdrawn (or restored) is the entry's state: every row of it that is in the other state follows.
        other = "active" if status == "withdrawn" else "withdrawn"
        same_entry = [
            r.id for r in _entry_rows(store, target.catalog) if r.status == other and r.id != catalog_id
        ]
    # The index's writer lock across the write and its index update: concurrent events then update the
    # index in the order they were written, an event on a procedure only that procedure's document.
    with index_writer(home / "index") as lock:
        event_id = store.add_event(
            procedure_id,
            event,
            status=status,
            catalog_id=catalog_id,
            document_id=document_id,
            same_entry=same_entry,
        )
        changed = (procedure_id,) if procedure_id is not None else None
        sync_index_quietly(store, home, changed=changed, lock=lock)
    return _recorded(store, target, subject, dataclasses.replace(event, id=event_id), repeated=False)


def _recorded(
    store: Store, target: Target, subject: lifecycle.Subject, event: Event, *, repeated: bool
) -> Recorded:
    view = procedure_view(store, store.procedure_by_id(target.procedure.id)) if target.procedure else None
    catalog = _catalog(store, target.catalog.id) if target.catalog else None
    return Recorded(
        event, view, label=subject.label, handle=subject.handle, repeated=repeated, catalog=catalog
    )


def _decision_problems(store: Store, number: str, doc: DocumentRecord | None) -> list[str]:
    """Why ``number`` cannot be the publishing decision (empty when it can)."""
    if doc is None:
        close = decision_suggestions(store, number)
        values = {"decision": number, "close": "; ".join(close)}
        if close:
            return [
                N_(
                    "decision %(decision)s is not in the registry (did you mean: %(close)s?); ingest it "
                    "first "
                    "(procreg ingest FILE), or give --force to record the number as typed"
                )
                % values
            ]
        return [
            N_(
                "decision %(decision)s is not in the registry; ingest it first (procreg ingest FILE), or "
                "give "
                "--force to record the number as typed"
            )
            % values
        ]
    if doc.kind not in _DECISION_KINDS:
        return [
            N_("%(number)s is a %(kind)s, not a decision: a công bố is made by a decision")
            % {"number": doc.number, "kind": doc.kind}
        ]
    return []


def _event_document(store: Store, event: Event) -> str | None:
    """The number of the document an ingest event came with (named when it cannot be undone)."""
    return event.evidence if event.origin == "ingest" else None


# --------------------------------------------------------------------------------------------------
# Subjects


def _target_of(store: Store, procedure_id: int | None, catalog_id: int | None) -> Target:
    if procedure_id is not None:
        return Target(procedure=store.procedure_by_id(procedure_id))
    return Target(catalog=_catalog(store, int(catalog_id or 0)))


def _catalog(store: Store, catalog_id: int) -> CatalogRecord:
    records = store.catalog_records(include_inactive=True, ids=[catalog_id])
    if not records:
        raise NotFound(_("no catalog entry %(handle)s") % {"handle": CATALOG_HANDLE.format(id=catalog_id)})
    return records[0]


def _subject(store: Store, target: Target) -> lifecycle.Subject:
    """The item an event goes on, with its whole history and its publications."""
    if target.procedure is not None:
        return _procedure_subject(store, target.procedure)
    assert target.catalog is not None
    return _catalog_subject(store, target.catalog)


def _procedure_subject(store: Store, record: ProcedureRecord) -> lifecycle.Subject:
    versions = store.procedure_versions(record.key)
    events = tuple(sorted((e for v in versions for e in v.events), key=lambda e: (e.on, e.id or 0)))
    dated = sorted((v.document_date, v.document_number) for v in versions if v.document_date)
    publications = tuple(
        (e.on, e.evidence) for e in lifecycle.live_events(events) if e.kind == "published" and e.on
    )
    shared = [
        r for r in store.procedure_rows(current=True) if r.code and record.code and _same(r.code, record.code)
    ]
    handle = record.code if record.code and len(shared) == 1 else f"#{record.id}"
    label = record.code or f"#{record.id} {_short(record.name)}"
    return lifecycle.Subject(
        kind="procedure",
        id=record.id,
        label=label,
        handle=handle,
        status=record.status,
        issued_on=dated[0][0] if dated else None,
        issued_by=dated[0][1] if dated else None,
        events=events,
        publications=publications,
    )


def _catalog_subject(store: Store, record: CatalogRecord) -> lifecycle.Subject:
    """A catalog entry with no process: its rows of the same entry (by code, else name and field) together."""
    entry = record.entry
    rows = _entry_rows(store, record)
    events = tuple(sorted((e for r in rows for e in r.events), key=lambda e: (e.on, e.id or 0)))
    docs = {r.document_id: store.document(r.document_id) for r in rows}
    dated = sorted((r.document_date, r.document_number) for r in rows if r.document_date)
    publications = [
        (r.document_date, r.document_number)
        for r in rows
        if r.document_date and docs[r.document_id].kind in ("decision", None)
    ]
    publications += [
        (e.on, e.evidence) for e in lifecycle.live_events(events) if e.kind == "published" and e.on
    ]
    handle = CATALOG_HANDLE.format(id=record.id)
    label = f"{entry.code} {_short(entry.name)}" if entry.code else f"{handle} {_short(entry.name)}"
    return lifecycle.Subject(
        kind="catalog",
        id=record.id,
        label=label,
        handle=handle,
        status=record.status,
        issued_on=dated[0][0] if dated else None,
        issued_by=dated[0][1] if dated else None,
        events=events,
        publications=tuple(publications),
    )


def _entry_rows(store: Store, record: CatalogRecord) -> list[CatalogRecord]:
    """Every catalog row of the same entry (the audit's item): same national code, else name and field."""
    e = record.entry
    wanted = catalog_item_key(e.code, e.name, e.field)
    return [
        r
        for r in store.catalog_records(include_inactive=True)
        if catalog_item_key(r.entry.code, r.entry.name, r.entry.field) == wanted
    ]


def _same(a: str, b: str) -> bool:
    return code_key(a) == code_key(b)


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
