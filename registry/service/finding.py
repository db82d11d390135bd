"""Find records the way people name them: procedures, catalog entries, decisions, catalog links.

A procedure or a catalog entry is named by code, name or ``#id``; a decision by its number.

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
from procreg.procedures.scope import CATALOG_HANDLE, catalog_item_key
from procreg.registry.errors import NotFound
from procreg.registry.models import CatalogRecord, CatalogRow, DocumentRecord, ProcedureRecord
from procreg.registry.store import Reader
from procreg.text import fold, normalize_line
from procreg.text.numbers import number_key

__all__ = [
    "CATALOG_HANDLE",
    "catalog_entries",
    "decision_suggestions",
    "document_by_number",
    "find_procedure",
    "find_target",
]

_ID = re.compile(r"^#?\d+$")
# A catalog entry by id: "#DM12" (DM: danh mục; ``scope.CATALOG_HANDLE``); "DM12", "dm#12" too.
_CATALOG_ID = re.compile(r"^(?:#\s*dm|dm\s*#?)\s*(\d+)$", re.IGNORECASE)


class _NoMatch(NotFound):
    """Nothing matched (as opposed to several things matching): the caller may look elsewhere."""


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """What a user named: a procedure's current version, or a catalog entry with no process."""

    procedure: ProcedureRecord | None = None
    catalog: CatalogRecord | None = None


def find_procedure(store: Reader, code_or_name: str) -> ProcedureRecord:
    """The current version of a procedure, found by id, code (QT or national), key, or folded name.

    Lookup order: ``12`` / ``#12`` (that exact version), the key, the QT code, the national code,
    the code typed without accents, the folded name, the bare name (without a leading "Thủ tục",
    "TTHC" or numbering), then a unique part of the folded name.

    Raises:
        NotFound: nothing matches, or several procedures do (the message lists them, or suggests
            close names).
    """
    try:
        return _procedure(store, code_or_name)
    except _NoMatch as none:
        raise NotFound(none.message) from None


def _procedure(store: Reader, code_or_name: str) -> ProcedureRecord:
    """``find_procedure``, raising ``_NoMatch`` when nothing matches (several matching: ``NotFound``)."""
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
            raise _NoMatch(_not_found_message(store, query, folded))
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

    def by_key_or_code() -> list[int]:  # a QT code two procedures share asks which one
        return sorted(set(store.ids_by_key(query, code)) | set(store.ids_by_code(code)))

    return [
        by_key_or_code,
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
    """The latest registered text of the document carrying this number, if any.

    Numbers compare without spaces or accents: ``3005/QD-UBND`` is ``3005/QĐ-UBND``.
    """
    wanted = number_key(number)
    for doc in reversed(store.documents()):
        if doc.number and number_key(doc.number) == wanted:
            return doc
    return None


def decision_suggestions(store: Reader, number: str) -> list[str]:
    """Registered document numbers close to ``number`` (for "did you mean")."""
    numbers = {number_key(d.number): d.number for d in store.documents() if d.number}
    close = difflib.get_close_matches(number_key(number), list(numbers), n=3, cutoff=0.6)
    return [numbers[c] for c in close]


def find_target(store: Reader, query: str) -> Target:
    """What an event is recorded on: a procedure, else a catalog entry with no process.

    A procedure is found as ``find_procedure`` finds it (id, code, national code, name); a catalog entry
    by ``#DM12``, its national code or its name. A catalog entry whose process is registered gives that
    process: the audit counts them as one item.

    Raises:
        NotFound: nothing matches, or several things do (the message lists their handles).
    """
    text = normalize_line(query)
    by_id = _CATALOG_ID.match(text)
    if by_id:
        return Target(catalog=_catalog_by_id(store, int(by_id.group(1))))
    try:
        return Target(procedure=_procedure(store, text))
    except _NoMatch as none:
        rows = _catalog_matches(store, text)
        if not rows:
            raise NotFound(none.message) from None
    links = CatalogLinks(store.procedure_rows(current=True))
    linked = {links.find(r) for r in rows}
    if len(linked) == 1 and None not in linked:
        return Target(procedure=store.procedure_by_id(int(next(iter(linked)))))  # type: ignore[arg-type]
    items = {catalog_item_key(r.code, r.name, r.field): r for r in rows}
    if len(items) > 1:
        listed = "; ".join(CATALOG_HANDLE.format(id=r.id) + " " + _short(r.name) for r in items.values())
        raise NotFound(
            _("%(count)d catalog entries match %(query)r: %(listed)s; give the handle")
            % {"count": len(items), "query": text, "listed": listed}
        )
    return Target(catalog=_catalog_by_id(store, max(r.id for r in rows)))


def _catalog_by_id(store: Reader, catalog_id: int) -> CatalogRecord:
    for record in store.catalog_records(include_inactive=True, ids=[catalog_id]):
        return record
    raise NotFound(_("no catalog entry %(handle)s") % {"handle": CATALOG_HANDLE.format(id=catalog_id)})


def _catalog_matches(store: Reader, text: str) -> list[CatalogRow]:
    """Active catalog rows named by a national code, their folded name or their bare name."""
    code, folded = code_key(text), fold(text)
    rows = store.catalog_rows()
    found = [r for r in rows if r.code and code_key(r.code) == code]
    found = found or [r for r in rows if r.name_folded == folded]
    bare = link_name(folded)
    return found or [r for r in rows if bare and link_name(r.name_folded) == bare]
