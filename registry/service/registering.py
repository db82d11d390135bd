"""Register one parsed document: the store loads, ``procedures.identity`` decides, the store writes.

Everything happens inside one write transaction of the store (``BEGIN IMMEDIATE``), so the rows the rules
read cannot change under them and a failure anywhere leaves nothing of the document behind.
"""

from __future__ import annotations

import dataclasses
import logging

from procreg.procedures import identity
from procreg.registry.models import (
    DocumentRecord,
    Event,
    ParsedDocument,
    Procedure,
    ProcedureRecord,
    ProcedureRow,
)
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
    """Register one parsed file with everything in it, in a single transaction.

    A file of a document the registry holds already (same number, issuer and date; or, without a number,
    the same text) is not a new document: when it says the same it is one more rendering of it; when a
    procedure or a catalog row says something else it is a new text of it, and those procedures new
    versions (``procedures.identity.plan_copy``).

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
        path = path or parsed.path
        key = identity.document_identity(parsed.number, parsed.issued_on, parsed.text)
        texts = [d for d in tx.documents_with_identity(key) if identity.same_issuer(d.issuer, parsed.issuer)]
        if texts:
            return _register_copy(tx, parsed, path, key, texts)
        return _register(tx, parsed, path, key)


def register_document_once(store: Store, parsed: ParsedDocument, *, path: str | None = None) -> WriteResult:
    """Like ``register_document``, but returns ``created=False`` when the bytes are registered already."""
    try:
        return register_document(store, parsed, path=path)
    except AlreadyRegistered as there:
        return WriteResult(document_id=there.document_id, created=False)


def _register(
    tx: Writer, parsed: ParsedDocument, path: str, key: str, *, replaces: int | None = None
) -> WriteResult:
    doc_id = tx.insert_document(parsed, path, identity=key, replaces=replaces)
    abolished = _register_catalog(tx, parsed, doc_id)
    procedures, steps, new_versions, same = _register_procedures(tx, parsed, doc_id)
    counts = DocumentCounts(
        procedures=procedures,
        steps=steps,
        catalog=len(parsed.catalog),
        citations=len(parsed.citations),
        targets=len(parsed.targets),
    )
    return WriteResult(
        document_id=doc_id,
        created=True,
        counts=counts,
        new_versions=tuple(new_versions),
        abolished=abolished,
        same=same,
    )


def _register_copy(
    tx: Writer, parsed: ParsedDocument, path: str, key: str, texts: list[DocumentRecord]
) -> WriteResult:
    """A file of a registered document: one more rendering, or a new text with new versions."""
    current = next((d for d in reversed(texts) if tx.replaced_by(d.id) is None), texts[-1])
    records = tx.procedures_by_ids(tx.procedure_ids_of([d.id for d in texts]))
    registered = {r.key: (r.id, r) for r in records}
    keys = identity.document_keys(parsed.procedures, current.issuer or parsed.issuer)
    plan = identity.plan_copy(
        parsed.procedures,
        keys,
        registered,
        parsed.catalog,
        tx.catalog_entries_of(current.id),
        identity.document_changes(current, tx.targets_of(current.id), parsed),
    )
    warnings = _copy_warnings(plan)
    first = tx.renderings(current.id)[0][0]
    if plan.is_rendering:
        tx.add_rendering(current.id, path, parsed.sha256, parsed.format)
        return WriteResult(
            document_id=current.id, created=True, rendering_of=first, same=plan.same, warnings=warnings
        )
    # A new text of the document: the file's own keys follow the registered issuer, so its procedures
    # version the registered ones instead of starting new keys.
    issuer = current.issuer or parsed.issuer
    doc_id = tx.insert_document(parsed, path, identity=key, replaces=current.id)
    abolished = _register_catalog(tx, dataclasses.replace(parsed, issuer=issuer), doc_id)
    by_id = {r.id: r for r in records}
    new_versions, steps = [], 0
    changes = [f"{_label(by_id[pid])}: {c}" for _, (pid, diff) in sorted(plan.changed.items()) for c in diff]
    for pos, (pid, diff) in sorted(plan.changed.items()):
        proc = parsed.procedures[pos]
        why = f"bản sửa của cùng văn bản ({path}): " + "; ".join(diff)
        new_versions.append(_insert_version(tx, parsed, proc, by_id[pid].key, doc_id, pos + 1, why))
        steps += len(proc.steps)
    for pos in plan.added:
        proc = parsed.procedures[pos]
        _insert_new(tx, parsed, proc, keys[pos], doc_id, pos + 1)
        changes.append(f"thêm quy trình {_quoted_name(proc.name)}")
        steps += len(proc.steps)
    changes += list(plan.document_changes)
    changes += list(plan.catalog_changes)
    changes += [f"thêm danh mục {_quoted_name(name)}" for name in plan.catalog_added]
    counts = DocumentCounts(
        procedures=len(plan.changed) + len(plan.added),
        steps=steps,
        catalog=len(parsed.catalog),
        citations=len(parsed.citations),
        targets=len(parsed.targets),
    )
    return WriteResult(
        document_id=doc_id,
        created=True,
        counts=counts,
        new_versions=tuple(new_versions),
        abolished=abolished,
        replaces=current.id,
        same=plan.same,
        changes=tuple(changes),
        warnings=warnings,
    )


def _label(record: ProcedureRecord) -> str:
    return record.code or _quoted_name(record.name)


def _quoted_name(name: str, limit: int = 60) -> str:
    name = " ".join(name.split())
    return "“" + (name if len(name) <= limit else name[: limit - 1].rstrip() + "…") + "”"


def _copy_warnings(plan: identity.CopyPlan) -> tuple[str, ...]:
    """What did not match between a file and the registered document, each named."""
    out: list[str] = []
    if plan.unmatched:
        names = "; ".join(_quoted_name(n) for n in plan.unmatched)
        out.append(
            f"{len(plan.unmatched)} quy trình của tệp không khớp quy trình nào của văn bản đã đăng ký "
            f"(không ghi): {names}"
        )
    if plan.missing:
        names = "; ".join(_quoted_name(n) for n in plan.missing)
        out.append(f"tệp không có {len(plan.missing)} quy trình của văn bản đã đăng ký (vẫn giữ): {names}")
    if plan.losses:
        shown = "; ".join(plan.losses[:3]) + ("; …" if len(plan.losses) > 3 else "")
        out.append(
            f"tệp đọc thiếu {len(plan.losses)} chỗ so với văn bản đã đăng ký (giữ bản đã đăng ký): {shown}"
        )
    return tuple(out)


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
                tx.add_event(pid, _ingest_event(identity.abolished_event(parsed, by, note)), doc_id)
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


def _register_procedures(tx: Writer, parsed: ParsedDocument, doc_id: int) -> tuple[int, int, list[int], int]:
    """Insert the document's procedures as new versions where their content is new.

    Returns:
        How many procedures and steps were inserted, the ids of those that made a key's version 2+, and
        how many the registry held already with the same content.
    """
    by, note = identity.publisher(parsed)
    inserted = steps = same_content = 0
    new_versions: list[int] = []
    keys = identity.document_keys(parsed.procedures, parsed.issuer)
    for pos, (proc, key) in enumerate(zip(parsed.procedures, keys, strict=True), 1):
        content = identity.content_hash(proc)
        same = tx.version_with_content(key, content)
        if same is not None:
            # Published again unchanged by another document: one more "published" event, no new version
            # (none when that decision's publication is already logged).
            same_content += 1
            if parsed.kind == "decision" and not _published_already(tx, same, parsed):
                tx.add_event(same, _ingest_event(identity.published_event(parsed, by, note)), doc_id)
            continue
        pid, versioned = _insert_new(tx, parsed, proc, key, doc_id, pos, content)
        inserted += 1
        steps += len(proc.steps)
        if versioned:
            new_versions.append(pid)
    return inserted, steps, new_versions, same_content


def _insert_new(
    tx: Writer,
    parsed: ParsedDocument,
    proc: Procedure,
    key: str,
    doc_id: int,
    position: int,
    content: str | None = None,
) -> tuple[int, bool]:
    """Insert a procedure (a new key, or the next version of one) with its publication; (id, versioned)."""
    by, note = identity.publisher(parsed)
    internal = identity.is_internal(proc, parsed.catalog, parsed.title)
    pid = tx.insert_procedure(
        proc,
        key=key,
        content_hash=content or identity.content_hash(proc),
        document_id=doc_id,
        position=position,
        internal=internal,
    )
    # Supersede first, so the history reads "v1 superseded" then "v2 published" on the same day.
    versions = tx.procedure_rows(key=key)
    if len(versions) > 1:
        _order_versions(tx, versions, parsed, doc_id)
    if parsed.kind == "decision":
        tx.add_event(pid, _ingest_event(identity.published_event(parsed, by, note)), doc_id)
    return pid, len(versions) > 1


def _insert_version(
    tx: Writer, parsed: ParsedDocument, proc: Procedure, key: str, doc_id: int, position: int, why: str
) -> int:
    """Insert a changed procedure of a new text of its decision as the next version of ``key``.

    The decision's publication is logged already: the new version gets no second "published" event;
    the earlier version's "superseded" event says what changed (``why``).
    """
    internal = identity.is_internal(proc, parsed.catalog, parsed.title)
    pid = tx.insert_procedure(
        proc,
        key=key,
        content_hash=identity.content_hash(proc),
        document_id=doc_id,
        position=position,
        internal=internal,
    )
    _order_versions(tx, tx.procedure_rows(key=key), parsed, doc_id, why=why)
    return pid


def _ingest_event(event: Event) -> Event:
    """An event a document brings (not typed by a user: it cannot be undone, it goes with the document)."""
    return dataclasses.replace(event, origin="ingest")


def _published_already(tx: Writer, procedure_id: int, parsed: ParsedDocument) -> bool:
    evidence = tx.published_evidence(procedure_id, parsed.issued_on or "")
    return identity.already_published(evidence, parsed.number)


def _order_versions(
    tx: Writer, versions: list[ProcedureRow], parsed: ParsedDocument, doc_id: int, *, why: str | None = None
) -> None:
    """Renumber the versions of one key by date; the earlier active ones become superseded."""
    by, _ = identity.publisher(parsed)
    plan = identity.order_versions(versions, parsed, by)
    for pid, event in plan.events:
        note = f"{event.note} — {why}" if why and event.note else why or event.note
        tx.add_event(pid, dataclasses.replace(_ingest_event(event), note=note), doc_id)
    tx.set_versions((c.procedure_id, c.version, c.status, c.supersedes_id) for c in plan.changes)
