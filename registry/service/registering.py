"""Register one parsed document: the store loads, ``procedures.identity`` decides, the store writes.

Everything happens inside one write transaction of the store (``BEGIN IMMEDIATE``), so the rows the rules
read cannot change under them and a failure anywhere leaves nothing of the document behind.
"""

from __future__ import annotations

import logging

from procreg.procedures import identity
from procreg.registry.models import ParsedDocument, ProcedureRow
from procreg.registry.results import DocumentCounts, WriteResult
from procreg.registry.store import Store, Writer

__all__ = ["AlreadyRegistered", "register_document", "register_document_once"]

log = logging.getLogger(__name__)


class AlreadyRegistered(Exception):
    """These bytes are registered already (another process won the race): write nothing."""

    def __init__(self, document_id: int) -> None:
        super().__init__(document_id)
        self.document_id = document_id


def register_document(store: Store, parsed: ParsedDocument, *, path: str | None = None) -> WriteResult:
    """Register one parsed document with everything in it, in a single transaction.

    Args:
        store: The open registry.
        parsed: The parser's record (its ``sha256`` is the file's content hash).
        path: The path to remember (defaults to ``parsed.path``).

    Returns:
        What was written.

    Raises:
        AlreadyRegistered: the same bytes are registered already (see ``register_document_once``).
    """
    with store.writing() as tx:
        known = tx.document_id(parsed.sha256)
        if known is not None:
            raise AlreadyRegistered(known)  # rolls the transaction back: nothing was written
        return _register(tx, parsed, path or parsed.path)


def register_document_once(store: Store, parsed: ParsedDocument, *, path: str | None = None) -> WriteResult:
    """Like ``register_document``, but returns ``created=False`` when the bytes are registered already."""
    try:
        return register_document(store, parsed, path=path)
    except AlreadyRegistered as there:
        return WriteResult(document_id=there.document_id, created=False)


def _register(tx: Writer, parsed: ParsedDocument, path: str) -> WriteResult:
    doc_id = tx.insert_document(parsed, path)
    abolished = _register_catalog(tx, parsed, doc_id)
    procedures, steps, new_versions = _register_procedures(tx, parsed, doc_id, path)
    counts = DocumentCounts(
        procedures=procedures,
        steps=steps,
        catalog=len(parsed.catalog),
        citations=len(parsed.citations),
        targets=len(parsed.targets),
    )
    return WriteResult(
        document_id=doc_id, created=True, counts=counts, new_versions=tuple(new_versions), abolished=abolished
    )


def _register_catalog(tx: Writer, parsed: ParsedDocument, doc_id: int) -> int:
    """Insert the document's catalog rows, abolishing or superseding what they say; returns abolitions."""
    by, note = identity.publisher(parsed)
    abolished = 0
    for pos, entry in enumerate(parsed.catalog, 1):
        if identity.entry_abolishes(entry, parsed.change_type):
            procedures = identity.abolished_procedures(
                entry, parsed.issuer, tx.procedure_rows(status="active")
            )
            for pid in procedures:
                tx.set_procedure_status(pid, "abolished")
                tx.add_event(pid, identity.abolished_event(parsed, by, note), doc_id)
            rows = identity.abolished_catalog_rows(entry, parsed.issuer, tx.catalog_rows())
            for catalog_id in rows:
                tx.set_catalog_status(catalog_id, "abolished")
            abolished += len(procedures) + len(rows)
            status = "abolished"
        else:
            settled = identity.settle_catalog_row(entry, parsed, tx.catalog_rows(like=entry))
            for catalog_id in settled.superseded:
                tx.set_catalog_status(catalog_id, "superseded")
            status = settled.status
        tx.insert_catalog_entry(doc_id, pos, entry, status)
    return abolished


def _register_procedures(
    tx: Writer, parsed: ParsedDocument, doc_id: int, path: str
) -> tuple[int, int, list[int]]:
    """Insert the document's procedures as new versions where their content is new.

    Returns:
        How many procedures and steps were inserted, and the ids of those that made a key's version 2+.
    """
    by, note = identity.publisher(parsed)
    inserted = steps = 0
    new_versions: list[int] = []
    keys = identity.document_keys(parsed.procedures, parsed.issuer)
    for pos, (proc, key) in enumerate(zip(parsed.procedures, keys, strict=True), 1):
        content = identity.content_hash(proc)
        same = tx.version_with_content(key, content)
        if same is not None:
            # Published again unchanged by another document: one more "published" event, no new version
            # (none when that decision's publication is already logged: the same decision in another format).
            if parsed.kind == "decision" and not _published_already(tx, same, parsed):
                tx.add_event(same, identity.published_event(parsed, by, note), doc_id)
            continue
        twin = identity.same_decision_file(parsed, path, tx.procedure_rows(key=key))
        if twin is not None:
            log.info("%s: %s already registered from %s (same decision); kept that one", path, key, twin)
            continue
        internal = identity.is_internal(proc, parsed.catalog, parsed.title)
        pid = tx.insert_procedure(
            proc, key=key, content_hash=content, document_id=doc_id, position=pos, internal=internal
        )
        inserted += 1
        steps += len(proc.steps)
        # Supersede first, so the history reads "v1 superseded" then "v2 published" on the same day.
        versions = tx.procedure_rows(key=key)
        if len(versions) > 1:
            _order_versions(tx, versions, parsed, doc_id)
            new_versions.append(pid)
        if parsed.kind == "decision":
            tx.add_event(pid, identity.published_event(parsed, by, note), doc_id)
    return inserted, steps, new_versions


def _published_already(tx: Writer, procedure_id: int, parsed: ParsedDocument) -> bool:
    evidence = tx.published_evidence(procedure_id, parsed.issued_on or "")
    return identity.already_published(evidence, parsed.number)


def _order_versions(tx: Writer, versions: list[ProcedureRow], parsed: ParsedDocument, doc_id: int) -> None:
    """Renumber the versions of one key by date; the earlier active ones become superseded."""
    by, _ = identity.publisher(parsed)
    plan = identity.order_versions(versions, parsed, by)
    for pid, event in plan.events:
        tx.add_event(pid, event, doc_id)
    tx.set_versions((c.procedure_id, c.version, c.status, c.supersedes_id) for c in plan.changes)
