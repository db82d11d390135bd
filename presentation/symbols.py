"""Issuer symbols for people and as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from procreg.i18n import _
from procreg.presentation.common import WIDTH, wrap

__all__ = ["format_symbol_added", "format_symbols", "symbols_json"]


def symbols_json(rows: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """The ``symbols --json`` document: {symbols[{symbol, name, origin}]}."""
    return {"symbols": [{"symbol": k, "name": v, "origin": origin} for k, v, origin in rows]}


def format_symbols(rows: Sequence[tuple[str, str, str]], *, width: int = WIDTH) -> str:
    """Symbols as text: symbol, name, and ``(có sẵn)`` (``shipped``) for the shipped ones."""
    if not rows:
        return _("No symbols added by you yet (procreg symbols list --all shows the shipped table).")
    sym_w = min(max(len(k) for k, _name, _origin in rows), 20)
    lines: list[str] = []
    for k, v, origin in rows:
        text = v + ("  " + _("(shipped)") if origin == "shipped" else "")
        lines.extend(wrap(text, first=f"{k:<{sym_w}}  ", indent=" " * (sym_w + 2), width=width))
    return "\n".join(lines)


def format_symbol_added(symbol: str, name: str, new: bool) -> str:
    """The line ``symbols add`` prints: ``SNgV = Sở Ngoại vụ (thêm mới)``."""
    return f"{symbol} = {name} ({_('added') if new else _('updated')})"
