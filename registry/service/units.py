"""Responsible units: list them, give one another name (alias), merge two."""

from __future__ import annotations

from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import UsageError
from procreg.registry.results import UnitInfo
from procreg.registry.service.common import existing_store, sync_index_quietly
from procreg.text import normalize_line

__all__ = ["units_alias", "units_list", "units_merge"]


def units_list(*, home: Path) -> list[UnitInfo]:
    """Every responsible unit, with user aliases and how many current steps/procedures name it."""
    with existing_store(home) as store:
        return store.units()


def units_alias(alias: str, canonical: str, *, home: Path) -> int:
    """Make ``alias`` a name of ``canonical`` (now and on later ingests); returns step references moved.

    Raises:
        UsageError: an empty name.
    """
    alias, canonical = normalize_line(alias), normalize_line(canonical)
    if not alias or not canonical:
        raise UsageError(_("both ALIAS and CANONICAL must be non-empty"))
    with existing_store(home) as store:
        moved = store.add_unit_alias(alias, canonical)
        sync_index_quietly(store, home)
    return moved


def units_merge(source: str, into: str, *, home: Path) -> int:
    """Merge unit ``source`` into ``into``; returns step references moved.

    Raises:
        NotFound: no unit named ``source``.
        UsageError: an empty name.
    """
    source, into = normalize_line(source), normalize_line(into)
    if not source or not into:
        raise UsageError(_("both FROM and INTO must be non-empty"))
    with existing_store(home) as store:
        moved = store.merge_units(source, into)
        sync_index_quietly(store, home)
    return moved
