"""List the registered procedures and show one with its versions and history."""

from __future__ import annotations

from pathlib import Path

from procreg.registry.models import ProcedureRecord
from procreg.registry.results import HistoryCheck, ProcedureView
from procreg.registry.service.common import existing_store
from procreg.registry.service.finding import find_procedure
from procreg.registry.store import Reader, procedure_details

__all__ = ["history_check", "list_procedures", "procedure_view", "show_procedure"]


def list_procedures(
    *,
    home: Path,
    unit: str | None = None,
    field: str | None = None,
    status: str | None = None,
    include_superseded: bool = False,
) -> list[ProcedureRecord]:
    """Current procedures (or all versions), filtered by unit, field and status, sorted by id."""
    with existing_store(home) as store:
        return store.procedures(include_superseded=include_superseded, status=status, unit=unit, field=field)


def show_procedure(code_or_name: str, *, home: Path) -> ProcedureView:
    """Find a procedure by code or name and gather its versions and events.

    Raises:
        NotFound: nothing matches (with a "did you mean" when close).
    """
    with existing_store(home) as store:
        return procedure_view(store, find_procedure(store, code_or_name))


def procedure_view(store: Reader, record: ProcedureRecord) -> ProcedureView:
    """A procedure version with every version of its key and their events merged, by date.

    The event log is verified on the way (``history_check``): a broken chain is never shown as sound.
    """
    versions = tuple(store.procedure_versions(record.key))
    version_of = {v.id: v.version for v in versions}
    events = tuple((version_of[pid], e) for pid, e in store.events(list(version_of)))
    return ProcedureView(record, versions, events, procedure_details(store, record.id), history_check(store))


def history_check(store: Reader) -> HistoryCheck:
    """Whether the event log is sound: its hash chain, and the trigger repairs not yet accepted."""
    state = store.chain_state()
    incidents = tuple(detail for _, _, detail, _ in store.integrity_incidents())
    incidents += tuple(store.trigger_problems())
    brk = state.first_break
    return HistoryCheck(
        sound=brk is None and not incidents,
        first_bad=brk.event_id if brk else None,
        reason=brk.reason if brk else None,
        incidents=incidents,
    )
