"""``procreg check`` for people and for scripts."""

from __future__ import annotations

from typing import Any

from procreg.i18n import _, ngettext
from procreg.presentation.common import message
from procreg.registry.results import RegistryCheck

__all__ = ["check_json", "format_check"]


def format_check(check: RegistryCheck) -> str:
    """One line per check, ``ok`` or what is wrong, then the verdict."""
    if check.first_bad is not None:
        chain = _("broken from event #%(event)d: %(reason)s") % {
            "event": check.first_bad,
            "reason": message(check.reason or ""),
        }
    else:
        chain = _("intact (%(count)d events)") % {"count": check.events}
    if check.triggers:
        triggers = _("broken: %(list)s") % {"list": "; ".join(message(t) for t in check.triggers)}
    elif check.incidents:
        triggers = _("dropped or changed outside procreg, restored: %(list)s") % {
            "list": "; ".join(message(i) for i in check.incidents)
        }
    elif check.accepted:
        triggers = ngettext(
            "all present (%(count)d earlier incident looked into)",
            "all present (%(count)d earlier incidents looked into)",
            check.accepted,
        ) % {"count": check.accepted}
    else:
        triggers = _("all present")
    rows = (
        (_("Event hash chain:"), chain),
        (_("Guarding triggers:"), triggers),
        (_("SQLite integrity:"), message(check.integrity)),
        (_("Foreign keys:"), "; ".join(check.foreign_keys) if check.foreign_keys else "ok"),
    )
    label_w = max(len(label) for label, _value in rows) + 1
    lines = [f"{label:<{label_w}} {value}" for label, value in rows]
    lines.append("")
    if check.sound:
        lines.append(_("Verdict: the registry is intact."))
    else:
        lines.append(_("Verdict: NOT intact — %(summary)s") % {"summary": message(check.summary())})
    return "\n".join(lines)


def check_json(check: RegistryCheck) -> dict[str, Any]:
    """The ``check --json`` document."""
    return {
        "sound": check.sound,
        "events": check.events,
        "first_bad_event": check.first_bad,
        "reason": check.reason,
        "triggers": list(check.triggers),
        "incidents": list(check.incidents),
        "accepted": check.accepted,
        "integrity": check.integrity,
        "foreign_keys": list(check.foreign_keys),
        "summary": check.summary(),
    }
