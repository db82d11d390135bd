"""A procedure's life after ingest: reviewed, published, made public, withdrawn (append-only events)."""

from __future__ import annotations

from pathlib import Path

from procreg.registry.errors import UsageError
from procreg.registry.models import Event
from procreg.registry.results import Recorded
from procreg.registry.service.common import clean, existing_store, parse_date, sync_index_quietly
from procreg.registry.service.finding import document_by_number, find_procedure
from procreg.registry.service.listing import procedure_view
from procreg.registry.service.searching import index_writer

__all__ = ["publicize", "publish", "review", "withdraw"]


def review(code: str, *, on: str, by: str | None = None, note: str | None = None, home: Path) -> Recorded:
    """Record that a procedure was reviewed (rà soát) on a date, by someone.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date.
    """
    event = Event(kind="reviewed", on=parse_date(on), by=clean(by), note=clean(note))
    return _record_event(home, code, event)


def publish(code: str, *, decision: str, on: str, by: str | None = None, home: Path) -> Recorded:
    """Record that a procedure was published (công bố) by a decision number on a date.

    ``by`` is who records it (an account of the web page); without it, the decision's issuer when that
    decision is registered.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date or an empty decision number.
    """
    number = clean(decision)
    if not number:
        raise UsageError("--decision: a decision number is required (e.g. 3005/QĐ-UBND)")
    when = parse_date(on)
    with existing_store(home) as store:
        doc = document_by_number(store, number)
    who = clean(by) or (doc.issuer if doc is not None else None)
    return _record_event(home, code, Event(kind="published", on=when, by=who, evidence=number))


def publicize(code: str, *, on: str, where: str, by: str | None = None, home: Path) -> Recorded:
    """Record that a procedure was made public (công khai) at a URL or place on a date.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date or an empty place.
    """
    place = clean(where)
    if not place:
        raise UsageError("--where: where it was made public is required (a URL or portal name)")
    event = Event(kind="publicized", on=parse_date(on), by=clean(by), evidence=place, where=place)
    return _record_event(home, code, event)


def withdraw(code: str, *, on: str, reason: str, by: str | None = None, home: Path) -> Recorded:
    """Withdraw a procedure (thu hồi): status ``withdrawn`` plus an event with the reason.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date, an empty reason, or an already withdrawn procedure.
    """
    why = clean(reason)
    if not why:
        raise UsageError("--reason: a reason is required")
    event = Event(kind="withdrawn", on=parse_date(on), by=clean(by), note=why)
    return _record_event(home, code, event, status="withdrawn")


def _record_event(home: Path, code: str, event: Event, *, status: str | None = None) -> Recorded:
    """Append ``event`` to the procedure ``code`` names, unless its status forbids it."""
    with existing_store(home) as store:
        record = find_procedure(store, code)
        if record.status == "withdrawn" and event.kind != "reviewed":
            raise UsageError(
                f"{record.code or record.name} was withdrawn; nothing more can be recorded on it"
            )
        if record.status == "abolished" and event.kind not in ("reviewed", "withdrawn"):
            raise UsageError(f"{record.code or record.name} is abolished (bị bãi bỏ)")
        # The index's writer lock across the write and its index update: concurrent events then update
        # the index in the order they were written, each only its own procedure.
        with index_writer(home / "index") as lock:
            store.add_event(record.id, event, status=status)
            sync_index_quietly(store, home, changed=(record.id,), lock=lock)
        return Recorded(event, procedure_view(store, store.procedure_by_id(record.id)))
