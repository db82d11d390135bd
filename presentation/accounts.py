"""The web page's accounts for people and for scripts (``procreg user``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from procreg.i18n import _, pgettext
from procreg.registry.results import Account

__all__ = ["accounts_json", "format_account_added", "format_accounts", "role_label"]


def role_label(role: str) -> str:
    """What an account may do, as the reader says it: ``biên tập`` (``editor`` in English)."""
    labels = {
        "viewer": pgettext("role", "viewer"),
        "editor": pgettext("role", "editor"),
        "admin": pgettext("role", "admin"),
    }
    return labels.get(role, role)


def format_accounts(accounts: Sequence[Account]) -> str:
    """One account a line: name and role; a hint when there is none."""
    if not accounts:
        return _("no account yet: procreg user add NAME --role admin")
    width = max(len(a.name) for a in accounts)
    return "\n".join(f"{a.name:<{width}}  {role_label(a.role)}" for a in accounts)


def format_account_added(name: str, role: str, *, new: bool) -> str:
    """``added: lan (editor)`` or ``updated: lan (editor)``."""
    if new:
        return _("added: %(name)s (%(role)s)") % {"name": name, "role": role_label(role)}
    return _("updated: %(name)s (%(role)s)") % {"name": name, "role": role_label(role)}


def accounts_json(accounts: Sequence[Account]) -> dict[str, Any]:
    """``procreg user list --json``: {users: [{name, role}]}."""
    return {"users": [{"name": a.name, "role": a.role} for a in accounts]}
