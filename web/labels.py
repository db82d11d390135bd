"""Words the pages show for the registry's codes (statuses, events, kinds, roles), marked for gettext.

The registry keeps English codes (``active``, ``reviewed``); the pages show them in the user's language.
"""

from __future__ import annotations

from procreg.i18n import N_, _

__all__ = ["EVENT_LABELS", "KIND_LABELS", "ROLE_LABELS", "STATUS_LABELS", "label"]

STATUS_LABELS = {
    "active": N_("in force"),
    "superseded": N_("superseded"),
    "abolished": N_("abolished"),
    "withdrawn": N_("withdrawn"),
}
EVENT_LABELS = {
    "ingested": N_("ingested"),
    "reviewed": N_("reviewed"),
    "published": N_("published"),
    "publicized": N_("made public"),
    "superseded": N_("superseded"),
    "withdrawn": N_("withdrawn"),
    "abolished": N_("abolished"),
    "undone": N_("undone"),
    "cancelled": N_("undone"),
    "restored": N_("restored"),
}
KIND_LABELS = {
    "procedure": N_("procedure"),
    "catalog": N_("catalog entry"),
    "document": N_("document"),
    "plan": N_("plan"),
    "decision": N_("decision"),
    "directive": N_("directive"),
    "report": N_("report"),
    "official_letter": N_("official letter"),
    "other": N_("other document"),
}
ROLE_LABELS = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("administrator")}


def label(table: dict[str, str], code: str | None) -> str:
    """``code`` in the user's language (the code itself when the table does not know it)."""
    if not code:
        return ""
    return _(table[code]) if code in table else code
