"""Responsible units for people (a 100-column table) and as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from procreg.i18n import _, ngettext
from procreg.presentation.common import WIDTH, wrap
from procreg.registry.results import UnitInfo

__all__ = ["format_unit_moved", "format_units", "units_json"]


def units_json(units: Iterable[UnitInfo]) -> dict[str, Any]:
    """The ``units --json`` document: {units[{name, steps, procedures, aliases}]}."""
    return {
        "units": [
            {"name": u.name, "steps": u.steps, "procedures": u.procedures, "aliases": list(u.aliases)}
            for u in units
        ]
    }


def format_units(units: Sequence[UnitInfo], *, width: int = WIDTH) -> str:
    """Units as text: steps, procedures, name and aliases (wrapped at 100 columns)."""
    if not units:
        return _("No units yet.")
    steps_head, procedures_head = _("Steps"), _("Procedures")
    lines = [f"{steps_head:>5}  {procedures_head:>7}  " + _("Unit (= other names)")]
    for u in units:
        text = u.name + (f"  (= {', '.join(u.aliases)})" if u.aliases else "")
        lines.extend(wrap(text, first=f"{u.steps:>5}  {u.procedures:>7}  ", indent=" " * 16, width=width))
    lines.insert(1, "-" * max(len(line) for line in lines))
    lines += ["", ngettext("%(count)d unit", "%(count)d units", len(units)) % {"count": len(units)}]
    return "\n".join(lines)


def format_unit_moved(source: str, target: str, moved: int) -> str:
    """The line ``units alias`` and ``units merge`` print: ``A -> B (3 bước cập nhật)``."""
    changed = ngettext("%(count)d step updated", "%(count)d steps updated", moved) % {"count": moved}
    return f"{source} -> {target} ({changed})"
