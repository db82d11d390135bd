"""Find records the way people name them: a procedure by code or name, a decision by number, catalog links.

The store answers plain queries; the keys they are matched on (``code_key``, ``link_name``) and the
catalog-to-process links come from ``procedures.identity``.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable

from procreg.i18n import _
from procreg.procedures.identity import CatalogLinks, code_key, link_name
from procreg.registry.errors import NotFound
from procreg.registry.models import CatalogRecord, DocumentRecord, ProcedureRecord
from procreg.registry.store import Reader
from procreg.text import fold, normalize_line

__all__ = ["catalog_entries", "document_by_number", "find_procedure"]

_ID = re.compile(r"^#?\d+$")


def find_procedure(store: Reader, code_or_name: str) -> ProcedureRecord:
    """The current version of a procedure, found by id, code (QT or national), key, or folded name.

    Lookup order: ``12`` / ``#12`` (that exact version), the key, the QT code, the national code,
    the code typed without accents, the folded name, the bare name (without a leading "Thủ tục",
    "TTHC" or numbering), then a unique part of the folded name.

    Raises:
        NotFound: nothing matches, or several procedures do (the message lists them, or suggests
            close names).
    """
    query = normalize_line(code_or_name)
    if not query:
        raise NotFound(_("empty procedure code or name"))
    if _ID.match(query):
        return store.procedure_by_id(int(query.lstrip("#")))
    folded = fold(query)
    with store.snapshot():
        ids: list[int] = []
        for attempt in _attempts(store, query, folded):
            ids = attempt()
            if ids:
                break
        if not ids:
            raise NotFound(_not_found_message(store, query, folded))
        records = store.procedures_by_ids(ids)
    if len(records) > 1:
        listed = "; ".join(
            f"#{r.id} " + (f"{r.code} " if r.code else "") + _short(r.name) for r in records[:5]
        )
        raise NotFound(
            _("%(count)d procedures match %(query)r: %(listed)s; give the id (e.g. #%(id)d)")
            % {"count": len(records), "query": query, "listed": listed, "id": records[0].id}
        )
    return records[0]


def _attempts(store: Reader, query: str, folded: str) -> list[Callable[[], list[int]]]:
    """The lookups of ``find_procedure``, in order: the first that finds something answers."""
    code = code_key(query)

    def by_folded_code() -> list[int]:  # a code typed without accents: qt.gd.01 for QT.GĐ.01
        wanted = fold(code_key(folded))
        rows = store.procedure_rows(current=True)
        return [r.id for r in rows if r.code is not None and fold(code_key(r.code)) == wanted]

    def by_bare_name() -> list[int]:  # the name with or without a leading "Thủ tục"/"TTHC" and numbering
        wanted = link_name(folded)
        return [
            r.id for r in store.procedure_rows(current=True) if wanted and link_name(r.name_folded) == wanted
        ]

    def by_name_part() -> list[int]:  # one hit is the answer; a few are listed; many: "did you mean"
        found = store.ids_by_name_part(folded)
        return found if len(found) <= 5 else []

    return [
        lambda: store.ids_by_key(query, code),
        lambda: store.ids_by_code(code),
        lambda: store.ids_by_catalog_code(code),
        by_folded_code,
        lambda: store.ids_by_folded_name(folded),
        by_bare_name,
        by_name_part,
    ]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _not_found_message(store: Reader, query: str, folded: str) -> str:
    """The NotFound message: close names, or the catalog entry the query names when it has no process."""
    names: dict[str, list[str]] = {}  # folded name or code -> labels (two procedures may share a name)
    for r in store.procedure_rows(current=True):
        label = f"#{r.id} " + (f"{r.code} {_short(r.name)}" if r.code else _short(r.name))
        names.setdefault(r.name_folded, []).append(label)
        if r.code:
            names.setdefault(fold(r.code), []).append(label)
    close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)
    if not close:
        words = [w for w in folded.split() if len(w) > 2]
        close = [k for k in names if words and all(w in k for w in words)][:3]
    if close:
        suggestions = "; ".join(list(dict.fromkeys(label for c in close for label in names[c]))[:5])
        return _("no procedure with code or name %(query)r (did you mean: %(suggestions)s?)") % {
            "query": query,
            "suggestions": suggestions,
        }
    code = code_key(query)
    for row in store.catalog_rows():
        if row.name_folded == folded or (row.code and code_key(row.code) == code):
            values = {"query": query, "document": row.document_number, "name": row.name}
            if row.document_number:
                return (
                    _(
                        "no procedure with code or name %(query)r (it is a catalog entry of %(document)s "
                        "with no internal process registered: %(name)s)"
                    )
                    % values
                )
            return (
                _(
                    "no procedure with code or name %(query)r (it is a catalog entry with no internal "
                    "process registered: %(name)s)"
                )
                % values
            )
    return _("no procedure with code or name %(query)r") % {"query": query}


def catalog_entries(store: Reader, *, include_inactive: bool = False) -> list[CatalogRecord]:
    """Catalog entries (Danh mục rows), active only unless ``include_inactive``, sorted by id.

    Each is linked to its process when one is registered (``procedure_id``): same document first (code,
    bare name, or a process named "<catalog name> (Trường hợp …)"), then national code, then bare name.
    """
    with store.snapshot():
        records = store.catalog_records(include_inactive=include_inactive)
        rows = store.catalog_rows(include_inactive=include_inactive)
        links = CatalogLinks(store.procedure_rows(current=True))
    linked = {row.id: links.find(row) for row in rows}
    return [dataclasses.replace(r, procedure_id=linked[r.id]) for r in records]


def document_by_number(store: Reader, number: str) -> DocumentRecord | None:
    """The latest registered document carrying this number (``2609/QĐ-UBND``), if any."""
    wanted = code_key(number)
    for doc in reversed(store.documents()):
        if doc.number and code_key(doc.number) == wanted:
            return doc
    return None
