"""Issuer symbols: the user's additions to the shipped table (``SNgV`` -> ``Sở Ngoại vụ``)."""

from __future__ import annotations

import re
from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import NotFound, UsageError
from procreg.registry.service.common import existing_store, has_registry, no_registry_message
from procreg.registry.store import read_symbols
from procreg.text import normalize_line

__all__ = ["symbols_add", "symbols_list"]

_SYMBOL = re.compile(r"^[^\s/]{1,30}$")


def symbols_list(*, home: Path, shipped: bool = False) -> list[tuple[str, str, str]]:
    """Issuer symbols as (symbol, name, origin) sorted by symbol; origin is ``user`` or ``shipped``.

    The user's symbols come from the registry; ``shipped`` adds the table shipped with procreg, under the
    user's entries of the same symbol.

    Raises:
        NotFound: there is no registry in ``home`` (it is not created).
    """
    if not has_registry(home):
        raise NotFound(no_registry_message(home))
    table = {k: (v, "user") for k, v in read_symbols(home / "registry.db").items()}
    if shipped:
        from procreg.parsers.document import default_symbols

        for k, v in default_symbols().items():
            table.setdefault(str(k), (str(v), "shipped"))
    return [(k, v, origin) for k, (v, origin) in sorted(table.items())]


def symbols_add(symbol: str, name: str, *, home: Path) -> bool:
    """Add an issuer symbol (``SNgV`` -> ``Sở Ngoại vụ``) used by every later ``parse`` and ``ingest``.

    Returns:
        True when the symbol is new, False when it was renamed.

    Raises:
        UsageError: an empty name, or a symbol with spaces or ``/`` (it is one part of a number
            such as ``45/QĐ-SNgV``).
    """
    symbol, name = normalize_line(symbol), normalize_line(name)
    if not _SYMBOL.match(symbol):
        raise UsageError(
            _("SYMBOL %(symbol)r: one word without spaces or '/' (e.g. SNgV, as in 45/QĐ-SNgV)")
            % {"symbol": symbol}
        )
    if not name:
        raise UsageError(_('NAME must be non-empty (e.g. "Sở Ngoại vụ")'))
    with existing_store(home) as store:
        return store.add_symbol(symbol, name)
