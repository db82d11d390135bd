"""``procreg check``: is the registry sound, and can its history be trusted?

The event log's hash chain and head (``store.chain``), the triggers that guard it (put back on open
when dropped, each repair kept until someone accepts it), SQLite's ``integrity_check`` and
``foreign_key_check``.
"""

from __future__ import annotations

from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import UsageError
from procreg.registry.results import RegistryCheck
from procreg.registry.service.common import clean, existing_store

__all__ = ["accept_incidents", "check_registry"]


def check_registry(*, home: Path) -> RegistryCheck:
    """Verify the registry in ``home``.

    Raises:
        NotFound: there is no registry there.
        StoreError: the file cannot be opened as a registry.
    """
    with existing_store(home) as store:
        state = store.chain_state()
        brk = state.first_break
        return RegistryCheck(
            events=state.events,
            first_bad=brk.event_id if brk else None,
            reason=brk.reason if brk else None,
            triggers=tuple(store.trigger_problems()),
            incidents=tuple(detail for _, _, detail, _ in store.integrity_incidents()),
            accepted=sum(1 for *_, why in store.integrity_incidents(accepted=True) if why),
            integrity=store.integrity_check(),
            foreign_keys=tuple(store.foreign_key_problems()),
        )


def accept_incidents(reason: str, *, home: Path) -> int:
    """Record that someone looked into the reported repairs; returns how many were accepted.

    Raises:
        UsageError: an empty reason.
    """
    why = clean(reason)
    if not why:
        raise UsageError(_("--accept: say why the repairs are accepted (who looked, what they found)"))
    with existing_store(home) as store:
        return store.accept_incidents(why)
