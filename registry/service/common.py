"""What the registry's use cases share: opening the registry, keeping the index in step, user input.

Every use case opens the store at ``home/registry.db`` itself and closes it before returning.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from procreg.i18n import _
from procreg.registry.errors import NotFound, RegistryError, UsageError
from procreg.registry.store import Store
from procreg.text import normalize_line
from procreg.text.dates import NoSuchDay, parse_user_date

__all__ = [
    "clean",
    "existing_store",
    "has_registry",
    "no_registry_message",
    "open_store",
    "parse_date",
    "sync_index_quietly",
]

log = logging.getLogger(__name__)


def open_store(home: Path) -> Store:
    """Open the registry in ``home``, creating it when there is none yet (``init`` and ``ingest`` only)."""
    return Store.open(home / "registry.db")


def has_registry(home: Path) -> bool:
    """True when ``home`` holds a registry file."""
    return (home / "registry.db").is_file()


def no_registry_message(home: Path) -> str:
    """What a command that needs a registry says when there is none (exit 4)."""
    return _(
        "no registry here: %(home)s holds none (procreg uses --home, else PROCREG_HOME, else the nearest "
        ".procreg folder in this folder or a parent): run `procreg init` to create one, or "
        "`procreg ingest FILES` to create one with documents"
    ) % {"home": home}


def existing_store(home: Path) -> Store:
    """Open the registry for any command but ``init`` and ``ingest`` (never creates one in the wrong folder).

    Raises:
        NotFound: there is no registry in ``home``.
    """
    if not has_registry(home):
        raise NotFound(no_registry_message(home))
    return Store.open(home / "registry.db")


def sync_index_quietly(
    store: Store, home: Path, *, changed: tuple[int, ...] | None = None, lock: Any = None
) -> None:
    """Bring the search index in line with the store (a cache: a failure is logged, not fatal).

    ``changed``: the store's last write changed only these procedures (an event): only their index
    documents are updated, when the index stood just before that write. ``lock``: the index's writer
    lock, when the caller holds it (``searching.index_writer``).
    """
    from procreg.registry.service.searching import sync_index, sync_index_held, sync_procedures

    try:
        if changed is not None:
            sync_procedures(store, home / "index", changed, lock=lock)
        elif lock is not None:  # an event on a catalog entry: a whole sync, under the lock already held
            sync_index_held(store, home / "index", lock)
        else:
            sync_index(store, home / "index")
    except Exception as exc:  # noqa: BLE001 - the index is a cache: the registry write already stands
        reason = str(exc) if isinstance(exc, RegistryError) else f"{type(exc).__name__}: {exc}"
        log.warning(
            _("search index not updated: %(reason)s (run procreg index rebuild)"),
            {"reason": reason.strip(": ")},
        )
        log.debug("index sync failure", exc_info=True)


def parse_date(text: str, *, option: str = "--on") -> str:
    """Validate a date typed by a user for ``option``: ISO ``YYYY-MM-DD`` or Vietnamese ``DD/MM/YYYY``.

    Raises:
        UsageError: not a date in either form, or no such day.
    """
    try:
        return parse_user_date(text)
    except NoSuchDay as exc:
        values = {"option": option, "value": text, "day": exc.day, "month": exc.month, "year": exc.year}
        if not 1 <= exc.month <= 12:
            message = _("%(option)s: %(value)r is not a date: there is no month %(month)d")
        else:
            message = _("%(option)s: %(value)r is not a date: month %(month)d of %(year)d has no day %(day)d")
        raise UsageError(message % values) from None
    except ValueError:
        message = _("%(option)s: %(value)r is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
        raise UsageError(message % {"option": option, "value": text}) from None


def clean(text: str | None) -> str | None:
    """A user's text on one line, or None when it is empty."""
    if text is None:
        return None
    cleaned = normalize_line(text)
    return cleaned or None
