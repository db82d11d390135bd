"""Queries that return records: documents, procedures with their steps and events, catalog rows, units.

``Reader`` runs them on one connection; multi-query reads take a snapshot (one read transaction), so a
record is consistent while other processes write. Inside a write transaction they see its own writes.
Nothing here decides anything about procedures: the rules are in ``procreg.procedures.identity``.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procreg.i18n import _
from procreg.registry.errors import NotFound, StoreError
from procreg.registry.models import (
    CatalogEntry,
    CatalogRecord,
    CatalogRow,
    Citation,
    DocumentRecord,
    Event,
    ProcedureRecord,
    ProcedureRow,
    SourceRef,
    Step,
    Target,
)
from procreg.registry.results import DocumentCounts, UnitInfo
from procreg.registry.store.chain import EVENT_COLUMNS, ChainState, trigger_problems, verify_chain
from procreg.text import fold, normalize_line

__all__ = ["Reader", "StoredDocument", "procedure_details", "read_settings", "read_symbols"]

log = logging.getLogger(__name__)

_CURRENT = "status != 'superseded'"


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document row with its per-document counts."""

    record: DocumentRecord
    counts: DocumentCounts


class Reader:
    """Read queries over one registry connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot (so multi-query records are consistent while others write)."""
        conn = self._conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def data_version(self) -> int:
        """A counter bumped by every write transaction (caches compare it to know they are stale)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0])

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer (``ok`` when sound)."""
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # ---------------------------------------------------------------------------------------------
    # Documents.

    def has_document(self, sha256: str) -> bool:
        """True when a file with these bytes is already registered."""
        return self.document_id(sha256) is not None

    def document_id(self, sha256: str) -> int | None:
        """The id of the document a file with these bytes renders, if that file is registered."""
        row = self._conn.execute("SELECT document_id FROM renderings WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else int(row[0])

    def documents_with_identity(self, identity: str) -> list[DocumentRecord]:
        """The documents registered under one identity key (texts of one decision), oldest first."""
        rows = self._conn.execute("SELECT * FROM documents WHERE identity = ? ORDER BY id", (identity,))
        return [_document_record(r) for r in rows.fetchall()]

    def renderings(self, document_id: int) -> list[tuple[str, str, str]]:
        """The files registered as renderings of a document: (path, format, sha256), first one first."""
        rows = self._conn.execute(
            "SELECT path, format, sha256 FROM renderings WHERE document_id = ? ORDER BY id", (document_id,)
        )
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def replaced_by(self, document_id: int) -> int | None:
        """The document that replaced this one (a newer text of it), if any."""
        row = self._conn.execute("SELECT replaced_by FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def documents(self) -> list[DocumentRecord]:
        """Every registered document, sorted by id."""
        with self.snapshot() as conn:
            rows = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        return [_document_record(r) for r in rows]

    def document(self, id: int) -> DocumentRecord:  # noqa: A002 - the contract's name
        """The document with this id.

        Raises:
            NotFound: no such document.
        """
        row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise NotFound(_("no document with id %(id)d") % {"id": id})
        return _document_record(row)

    def document_counts(self, document_id: int) -> DocumentCounts:
        """How many procedures, steps, catalog entries, citations and targets a document holds."""
        with self.snapshot() as conn:
            return _counts(conn, document_id)

    def stored_documents(self) -> list[StoredDocument]:
        """Every document with its counts, sorted by id."""
        with self.snapshot() as conn:
            rows = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
            return [StoredDocument(_document_record(r), _counts(conn, int(r["id"]))) for r in rows]

    def citations(self, document_id: int) -> list[Citation]:
        """The citations of one document, in document order."""
        rows = self._conn.execute(
            "SELECT * FROM citations WHERE document_id = ? ORDER BY position", (document_id,)
        ).fetchall()
        return [
            Citation(type=r["type"], number=r["number"], date=r["date"], issuer=r["issuer"], text=r["text"])
            for r in rows
        ]

    def targets_of(self, document_id: int) -> list[Target]:
        """The targets one document registered, in document order."""
        rows = self._conn.execute(
            "SELECT * FROM targets WHERE document_id = ? ORDER BY position", (document_id,)
        ).fetchall()
        return [_target(r) for r in rows]

    def targets(self) -> list[tuple[DocumentRecord, Target]]:
        """Every target with its document, by document id then position.

        A document re-ingested from the same path with new content replaces the earlier text: only the
        latest text's targets are returned.
        """
        with self.snapshot() as conn:
            docs = {int(r["id"]): _document_record(r) for r in conn.execute("SELECT * FROM documents")}
            rows = conn.execute(
                "SELECT t.* FROM targets t JOIN documents d ON d.id = t.document_id "
                "WHERE d.replaced_by IS NULL ORDER BY t.document_id, t.position"
            ).fetchall()
        return [(docs[int(r["document_id"])], _target(r)) for r in rows]

    # ---------------------------------------------------------------------------------------------
    # Procedures.

    def procedures(
        self,
        *,
        include_superseded: bool = False,
        status: str | None = None,
        unit: str | None = None,
        field: str | None = None,
    ) -> list[ProcedureRecord]:
        """Procedures (processes), current versions only unless ``include_superseded``, sorted by id.

        Args:
            include_superseded: Also return superseded versions.
            status: Keep only this status (``active``, ``superseded``, ``abolished``, ``withdrawn``).
            unit: Keep procedures with a step whose responsible unit matches (accent-insensitive words).
            field: Keep procedures whose field (lĩnh vực) matches (accent-insensitive words).
        """
        clauses: list[str] = []
        params: list[Any] = []
        if status:
            clauses.append("p.status = ?")
            params.append(status)
        elif not include_superseded:
            clauses.append(f"p.{_CURRENT}")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.snapshot() as conn:
            rows = conn.execute(f"SELECT p.* FROM procedures p {where} ORDER BY p.id", params).fetchall()
            records = _procedure_records(conn, rows)
        if field:
            wanted = _words(field)
            records = [r for r in records if r.field and wanted in _words(r.field)]
        if unit:
            wanted = _words(unit)
            records = [r for r in records if any(wanted in _words(u) for u in r.units)]
        return records

    def has_procedure(self, procedure_id: int) -> bool:
        """True when a procedure version has this id."""
        row = self._conn.execute("SELECT 1 FROM procedures WHERE id = ?", (procedure_id,)).fetchone()
        return row is not None

    def has_catalog_entry(self, catalog_id: int) -> bool:
        """True when a catalog entry has this id."""
        row = self._conn.execute("SELECT 1 FROM catalog_entries WHERE id = ?", (catalog_id,)).fetchone()
        return row is not None

    def procedure_by_id(self, id: int) -> ProcedureRecord:  # noqa: A002 - the contract's name
        """One procedure version by id.

        Raises:
            NotFound: no such procedure.
        """
        records = self.procedures_by_ids([id])
        if not records:
            raise NotFound(_("no procedure with id %(id)d") % {"id": id})
        return records[0]

    def procedures_by_ids(self, ids: Sequence[int]) -> list[ProcedureRecord]:
        """These procedure versions, sorted by id (unknown ids are left out)."""
        if not ids:
            return []
        with self.snapshot() as conn:
            rows = conn.execute(
                f"SELECT * FROM procedures WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id", list(ids)
            ).fetchall()
            return _procedure_records(conn, rows)

    def procedure_versions(self, key: str) -> list[ProcedureRecord]:
        """Every version of a procedure key, oldest first."""
        with self.snapshot() as conn:
            rows = conn.execute("SELECT * FROM procedures WHERE key = ? ORDER BY version", (key,)).fetchall()
            return _procedure_records(conn, rows)

    def procedure_rows(
        self, *, key: str | None = None, status: str | None = None, current: bool = False
    ) -> list[ProcedureRow]:
        """Procedure versions in brief with their document's identity, sorted by id.

        Args:
            key: Only the versions of this key.
            status: Only this status.
            current: Only current versions (not superseded).
        """
        clauses: list[str] = []
        params: list[Any] = []
        if key is not None:
            clauses.append("p.key = ?")
            params.append(key)
        if status is not None:
            clauses.append("p.status = ?")
            params.append(status)
        if current:
            clauses.append(f"p.{_CURRENT}")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            "SELECT p.id, p.key, p.version, p.status, p.supersedes_id, p.code, p.catalog_code, p.name, "
            "p.name_folded, p.document_id, d.path, d.number, d.issued_on, d.issuer, d.replaced_by "
            f"FROM procedures p JOIN documents d ON d.id = p.document_id {where} ORDER BY p.id",
            params,
        )
        return [_procedure_row(r) for r in rows]

    def version_with_content(self, key: str, content_hash: str) -> int | None:
        """The newest current version of ``key`` with this content hash, if any."""
        row = self._conn.execute(
            f"SELECT id FROM procedures WHERE key = ? AND content_hash = ? AND {_CURRENT} "
            "ORDER BY version DESC",
            (key, content_hash),
        ).fetchone()
        return None if row is None else int(row[0])

    # ---------------------------------------------------------------------------------------------
    # Current versions by what a user may type (the lookup order is the caller's).

    def ids_by_key(self, *keys: str) -> list[int]:
        """Current versions whose key is one of ``keys``."""
        marks = ",".join("?" * len(keys))
        return self._ids(f"SELECT id FROM procedures WHERE {_CURRENT} AND key IN ({marks}) ORDER BY id", keys)

    def ids_by_code(self, code: str) -> list[int]:
        """Current versions whose QT code, upper-cased by SQLite, is ``code``."""
        return self._ids(
            f"SELECT id FROM procedures WHERE {_CURRENT} AND upper(code) = ? ORDER BY id", (code,)
        )

    def ids_by_catalog_code(self, code: str) -> list[int]:
        """Current versions whose national code, upper-cased by SQLite, is ``code``."""
        sql = f"SELECT id FROM procedures WHERE {_CURRENT} AND upper(catalog_code) = ? ORDER BY id"
        return self._ids(sql, (code,))

    def ids_by_folded_name(self, folded: str) -> list[int]:
        """Current versions whose folded name is ``folded``."""
        sql = f"SELECT id FROM procedures WHERE {_CURRENT} AND name_folded = ? ORDER BY id"
        return self._ids(sql, (folded,))

    def ids_by_name_part(self, folded: str) -> list[int]:
        """Current versions whose folded name contains ``folded``."""
        sql = f"SELECT id FROM procedures WHERE {_CURRENT} AND instr(name_folded, ?) > 0 ORDER BY id"
        return self._ids(sql, (folded,))

    def _ids(self, sql: str, params: Sequence[Any]) -> list[int]:
        return [int(r[0]) for r in self._conn.execute(sql, list(params))]

    # ---------------------------------------------------------------------------------------------
    # Events.

    def events(self, procedure_ids: Sequence[int]) -> list[tuple[int, Event]]:
        """Events of these procedure versions, as (procedure id, event), by date then arrival."""
        if not procedure_ids:
            return []
        marks = ",".join("?" * len(procedure_ids))
        rows = self._conn.execute(
            f"SELECT * FROM events WHERE procedure_id IN ({marks}) ORDER BY on_date, id", list(procedure_ids)
        ).fetchall()
        return [(int(r["procedure_id"]), _event(r)) for r in rows]

    def catalog_events(self, catalog_ids: Sequence[int]) -> list[tuple[int, Event]]:
        """Events of these catalog entries, as (catalog id, event), by date then arrival."""
        if not catalog_ids:
            return []
        out: list[tuple[int, Event]] = []
        for start in range(0, len(catalog_ids), 500):
            chunk = list(catalog_ids[start : start + 500])
            rows = self._conn.execute(
                f"SELECT * FROM events WHERE catalog_id IN ({_marks(chunk)}) ORDER BY on_date, id", chunk
            ).fetchall()
            out += [(int(r["catalog_id"]), _event(r)) for r in rows]
        return sorted(out, key=lambda pair: (pair[1].on, pair[1].id or 0))

    def event(self, event_id: int) -> tuple[int | None, int | None, Event] | None:
        """One event by id: (procedure id, catalog id, event), or None."""
        r = self._conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        return None if r is None else (r["procedure_id"], r["catalog_id"], _event(r))

    def chain_state(self) -> ChainState:
        """Verify the event log's hash chain and head (``store.chain``)."""
        with self.snapshot() as conn:
            rows = conn.execute(f"SELECT {', '.join(('hash', *EVENT_COLUMNS))} FROM events ORDER BY id")
            head = conn.execute("SELECT * FROM event_head WHERE one = 1").fetchone()
            return verify_chain(rows, head)

    def trigger_problems(self) -> list[str]:
        """What is wrong with the triggers that guard the event log right now (empty when nothing)."""
        return trigger_problems(self._conn)

    def integrity_incidents(self, *, accepted: bool = False) -> list[tuple[int, str, str, str | None]]:
        """Repairs made on open (triggers put back): (id, kind, detail, accepted reason), oldest first.

        Args:
            accepted: also those someone accepted with ``procreg check --accept``.
        """
        where = "" if accepted else "WHERE accepted IS NULL"
        rows = self._conn.execute(f"SELECT id, kind, detail, accepted FROM integrity_log {where} ORDER BY id")
        return [(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]

    def foreign_key_problems(self) -> list[str]:
        """``PRAGMA foreign_key_check``: rows pointing at rows that do not exist."""
        rows = self._conn.execute("PRAGMA foreign_key_check").fetchall()
        return [
            _("%(table)s row %(row)s points at a missing %(parent)s row")
            % {"table": r[0], "row": r[1], "parent": r[2]}
            for r in rows
        ]

    def published_evidence(self, procedure_id: int, on: str) -> list[str | None]:
        """The evidence of a procedure's ``published`` events of one day."""
        rows = self._conn.execute(
            "SELECT evidence FROM events WHERE procedure_id = ? AND kind = 'published' AND on_date = ?",
            (procedure_id, on),
        )
        return [None if r[0] is None else str(r[0]) for r in rows]

    # ---------------------------------------------------------------------------------------------
    # Catalog.

    def catalog_records(
        self, *, include_inactive: bool = False, ids: Sequence[int] | None = None
    ) -> list[CatalogRecord]:
        """Catalog entries (Danh mục rows), active only unless ``include_inactive``, sorted by id.

        Their ``procedure_id`` is left empty: linking a row to its process is a rule of
        ``procedures.identity`` (``CatalogLinks``), applied by the use cases. Each carries the events
        recorded on it (a catalog entry with no process can be reviewed, published, publicized).
        """
        clauses = [] if include_inactive else ["c.status = 'active'"]
        if ids is not None:
            clauses.append(f"c.id IN ({_marks(ids) or 'NULL'})")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.snapshot() as conn:
            rows = conn.execute(
                "SELECT c.*, d.number AS doc_number, d.issued_on AS doc_date FROM catalog_entries c "
                f"JOIN documents d ON d.id = c.document_id {where} ORDER BY c.id",
                list(ids or ()),
            ).fetchall()
            events: dict[int, list[Event]] = {}
            for catalog_id, event in self.catalog_events([int(r["id"]) for r in rows]):
                events.setdefault(catalog_id, []).append(event)
        return [
            CatalogRecord(
                id=int(r["id"]),
                entry=_catalog_entry(r),
                document_id=int(r["document_id"]),
                document_number=r["doc_number"],
                document_date=r["doc_date"],
                status=r["status"],
                events=tuple(events.get(int(r["id"]), ())),
            )
            for r in rows
        ]

    def catalog_entries_of(self, document_id: int) -> list[CatalogEntry]:
        """The catalog rows one document registered, in document order (whatever their status now)."""
        rows = self._conn.execute(
            "SELECT * FROM catalog_entries WHERE document_id = ? ORDER BY position", (document_id,)
        )
        return [_catalog_entry(r) for r in rows.fetchall()]

    def procedure_ids_of(self, document_ids: Sequence[int]) -> list[int]:
        """Current procedure versions registered from these documents or published by them (events)."""
        if not document_ids:
            return []
        marks = _marks(document_ids)
        rows = self._conn.execute(
            f"SELECT id FROM procedures WHERE {_CURRENT} AND (document_id IN ({marks}) OR id IN "
            f"(SELECT procedure_id FROM events WHERE document_id IN ({marks}) AND procedure_id IS NOT NULL)) "
            "ORDER BY id",
            [*document_ids, *document_ids],
        )
        return [int(r[0]) for r in rows]

    def catalog_rows(
        self, *, include_inactive: bool = False, like: CatalogEntry | None = None
    ) -> list[CatalogRow]:
        """Catalog entries in brief with their document's identity, sorted by id.

        Args:
            include_inactive: Also superseded, abolished and withdrawn rows.
            like: Only rows of this entry's folded name or national code.
        """
        clauses = [] if include_inactive else ["c.status = 'active'"]
        params: list[Any] = []
        if like is not None:
            clauses.append("(c.name_folded = ? OR c.code = ?)")
            params += [fold(normalize_line(like.name)), like.code or ""]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            "SELECT c.id, c.status, c.code, c.name, c.name_folded, c.field, c.document_id, d.number, "
            f"d.issued_on, d.issuer FROM catalog_entries c JOIN documents d ON d.id = c.document_id {where} "
            "ORDER BY c.id",
            params,
        )
        return [
            CatalogRow(
                id=int(r["id"]),
                status=r["status"],
                code=r["code"],
                name=r["name"],
                name_folded=r["name_folded"],
                document_id=int(r["document_id"]),
                document_number=r["number"],
                document_date=r["issued_on"],
                issuer=r["issuer"],
                field=r["field"],
            )
            for r in rows
        ]

    # ---------------------------------------------------------------------------------------------
    # Units and issuer symbols.

    def unit_aliases(self) -> dict[str, str]:
        """User aliases: folded alias -> canonical unit name."""
        rows = self._conn.execute("SELECT alias_folded, canonical FROM unit_aliases ORDER BY alias_folded")
        return {str(r[0]): str(r[1]) for r in rows}

    def symbols(self) -> dict[str, str]:
        """The user's issuer symbols (``SNgV`` -> ``Sở Ngoại vụ``), merged over the shipped table on parse."""
        rows = self._conn.execute("SELECT symbol, name FROM symbols ORDER BY symbol")
        return {str(r[0]): str(r[1]) for r in rows}

    def units(self) -> list[UnitInfo]:
        """Every unit named by a step, with step/procedure counts over current versions, by name."""
        with self.snapshot() as conn:
            rows = conn.execute(
                "SELECT u.name, COUNT(DISTINCT s.id) AS steps, COUNT(DISTINCT p.id) AS procs FROM units u "
                "LEFT JOIN step_units su ON su.unit_id = u.id LEFT JOIN steps s ON s.id = su.step_id "
                f"LEFT JOIN procedures p ON p.id = s.procedure_id AND p.{_CURRENT} "
                "GROUP BY u.id ORDER BY u.name"
            ).fetchall()
            aliases: dict[str, list[str]] = {}
            for a in conn.execute("SELECT alias, canonical FROM unit_aliases ORDER BY alias_folded"):
                aliases.setdefault(str(a[1]), []).append(str(a[0]))
        out = [UnitInfo(r[0], int(r[1]), int(r[2]), tuple(aliases.pop(r[0], []))) for r in rows]
        out.extend(UnitInfo(name, 0, 0, tuple(al)) for name, al in sorted(aliases.items()))
        return sorted(out, key=lambda u: (fold(u.name), u.name))

    def unit_names(self) -> dict[str, str]:
        """Every unit: folded name -> name."""
        return {str(r[1]): str(r[0]) for r in self._conn.execute("SELECT name, name_folded FROM units")}

    def unit_named(self, name: str) -> str | None:
        """The unit called ``name``, exactly or accent-insensitively (the exact spelling first)."""
        row = self._conn.execute(
            "SELECT name FROM units WHERE name = ? OR name_folded = ? ORDER BY name = ? DESC",
            (name, fold(name), name),
        ).fetchone()
        return None if row is None else str(row[0])

    # ---------------------------------------------------------------------------------------------
    # Web accounts (``procreg user``).

    def accounts(self) -> list[tuple[str, str]]:
        """Every account as (name, role), sorted by name."""
        rows = self._conn.execute("SELECT name, role FROM users ORDER BY name").fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def account(self, name: str) -> tuple[str, str] | None:
        """The (role, password hash) of the account ``name``, if there is one."""
        row = self._conn.execute("SELECT role, password FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))


def procedure_details(store: Reader, procedure_id: int) -> dict[str, Any]:
    """Fields the shared record lacks (fields table, records, edition, revisions...) for ``show``.

    Raises:
        NotFound: no such procedure.
    """
    row = store._conn.execute("SELECT * FROM procedures WHERE id = ?", (procedure_id,)).fetchone()
    if row is None:
        raise NotFound(f"no procedure with id {procedure_id}")
    return {
        "fields": [list(x) for x in json.loads(row["fields_json"])],
        "records": list(_strs(row["records_json"])),
        "edition": row["edition"],
        "issued_on": row["issued_on"],
        "effective_on": row["effective_on"],
        "stated_total": row["stated_total"],
        "drafted_by": row["drafted_by"],
        "checked_by": row["checked_by"],
        "approved_by": row["approved_by"],
        "revisions": json.loads(row["revisions_json"]),
        "warnings": list(_strs(row["warnings_json"])),
        "source": json.loads(row["source_json"]) if row["source_json"] else None,
    }


def read_symbols(db_path: Path) -> dict[str, str]:
    """The user's issuer symbols of the registry at ``db_path``, read without creating or migrating it.

    Returns an empty table when there is no registry there (or it predates the symbols table).
    """
    if not db_path.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'symbols'").fetchone() is None:
                return {}
            return {str(r[0]): str(r[1]) for r in conn.execute("SELECT symbol, name FROM symbols")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning(_("%(path)s: user symbols not read (%(detail)s)"), {"path": db_path, "detail": exc})
        return {}


def read_settings(db_path: Path) -> dict[str, str]:
    """The settings of the registry at ``db_path``, read without creating or migrating it.

    Returns an empty table when there is no registry there (or it predates the settings table).

    Raises:
        StoreError: the file cannot be read as a registry.
    """
    if not db_path.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'settings'").fetchone() is None:
                return {}
            return {
                str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM settings ORDER BY key")
            }
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(
            _("cannot read the settings: %(detail)s") % {"detail": exc}, path=str(db_path)
        ) from None


# --------------------------------------------------------------------------------------------------
# Row -> record.


def _words(text: str) -> str:
    """Folded words, punctuation dropped: "Văn phòng - Thanh tra" -> "van phong thanh tra"."""
    return " ".join(re.findall(r"\w+", fold(normalize_line(text))))


def _source(text: str | None) -> SourceRef | None:
    if not text:
        return None
    data = json.loads(text)
    return SourceRef(path=data["path"], page=data.get("page"), para=data.get("para"))


def _strs(text: str) -> tuple[str, ...]:
    return tuple(str(x) for x in json.loads(text))


def _document_record(r: sqlite3.Row) -> DocumentRecord:
    return DocumentRecord(
        id=int(r["id"]),
        path=r["path"],
        sha256=r["sha256"],
        format=r["format"],
        kind=r["kind"],
        number=r["number"],
        issued_on=r["issued_on"],
        issuer=r["issuer"],
        title=r["title"],
        signer_name=r["signer_name"],
        signer_position=r["signer_position"],
        change_type=r["change_type"],
        orders_publicizing=r["orders_publicizing"],
        text=r["text"],
    )


def _target(r: sqlite3.Row) -> Target:
    return Target(
        section=r["section"],
        value=float(r["value"]),
        unit=r["unit"],
        qualifier=r["qualifier"],
        text=r["text"],
        source=_source(r["source_json"]),
    )


def _counts(conn: sqlite3.Connection, document_id: int) -> DocumentCounts:
    def one(sql: str) -> int:
        return int(conn.execute(sql, (document_id,)).fetchone()[0])

    return DocumentCounts(
        procedures=one("SELECT COUNT(*) FROM procedures WHERE document_id = ?"),
        steps=one(
            "SELECT COUNT(*) FROM steps s JOIN procedures p ON p.id = s.procedure_id WHERE p.document_id = ?"
        ),
        catalog=one("SELECT COUNT(*) FROM catalog_entries WHERE document_id = ?"),
        citations=one("SELECT COUNT(*) FROM citations WHERE document_id = ?"),
        targets=one("SELECT COUNT(*) FROM targets WHERE document_id = ?"),
    )


def _event(r: sqlite3.Row) -> Event:
    return Event(
        kind=r["kind"],
        on=r["on_date"],
        by=r["by"],
        evidence=r["evidence"],
        note=r["note"],
        where=r["where_"],
        id=int(r["id"]),
        origin=r["origin"],
        forced=r["forced"],
        cancels=r["cancels"],
    )


def _catalog_entry(r: sqlite3.Row) -> CatalogEntry:
    return CatalogEntry(
        name=r["name"],
        order=r["ord"],
        code=r["code"],
        field=r["field"],
        time_limit=r["time_limit"],
        time_limit_hours=r["time_limit_hours"],
        place=r["place"],
        fee=r["fee"],
        legal_basis=r["legal_basis"],
        agency=r["agency"],
        group=r["grp"],
        change=r["change"],
        internal=bool(r["internal"]),
        warnings=_strs(r["warnings_json"]),
        source=_source(r["source_json"]),
    )


def _procedure_row(r: sqlite3.Row) -> ProcedureRow:
    return ProcedureRow(
        id=int(r["id"]),
        key=r["key"],
        version=int(r["version"]),
        status=r["status"],
        supersedes_id=r["supersedes_id"],
        code=r["code"],
        catalog_code=r["catalog_code"],
        name=r["name"],
        name_folded=r["name_folded"],
        document_id=int(r["document_id"]),
        document_path=r["path"],
        document_number=r["number"],
        document_date=r["issued_on"],
        issuer=r["issuer"],
        replaced=r["replaced_by"] is not None,
    )


def _procedure_records(conn: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> list[ProcedureRecord]:
    """Full records of these procedure rows: steps with their units, events, document and citations."""
    rows = list(rows)
    if not rows:
        return []
    ids = [int(r["id"]) for r in rows]
    doc_ids = sorted({int(r["document_id"]) for r in rows})
    steps = _steps_of(conn, ids)
    events = _events_of(conn, ids)
    docs = _document_heads(conn, doc_ids)
    cites = _cited_numbers(conn, doc_ids)
    return [
        _procedure_record(
            r,
            tuple(steps.get(int(r["id"]), ())),
            tuple(events.get(int(r["id"]), ())),
            docs[int(r["document_id"])],
            tuple(cites.get(int(r["document_id"]), ())),
        )
        for r in rows
    ]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _steps_of(conn: sqlite3.Connection, procedure_ids: list[int]) -> dict[int, list[Step]]:
    """The steps of these procedures with their responsible units, in order."""
    step_rows = conn.execute(
        f"SELECT * FROM steps WHERE procedure_id IN ({_marks(procedure_ids)}) ORDER BY procedure_id, ord",
        procedure_ids,
    ).fetchall()
    units = _step_units(conn, [int(s["id"]) for s in step_rows])
    steps: dict[int, list[Step]] = {}
    for s in step_rows:
        steps.setdefault(int(s["procedure_id"]), []).append(
            Step(
                order=int(s["ord"]),
                label=s["label"],
                text=s["text"],
                responsible=tuple(units.get(int(s["id"]), ())),
                responsible_text=s["responsible_text"],
                hours=s["hours"],
                duration_text=s["duration_text"],
                result=s["result"],
                branches=_strs(s["branches_json"]),
                source=_source(s["source_json"]),
            )
        )
    return steps


def _step_units(conn: sqlite3.Connection, step_ids: list[int]) -> dict[int, list[str]]:
    """Unit names of these steps, in position order (queried in chunks under SQLite's variable limit)."""
    units: dict[int, list[str]] = {}
    for start in range(0, len(step_ids), 500):
        chunk = step_ids[start : start + 500]
        for su in conn.execute(
            "SELECT su.step_id, u.name FROM step_units su JOIN units u ON u.id = su.unit_id "
            f"WHERE su.step_id IN ({_marks(chunk)}) ORDER BY su.step_id, su.position",
            chunk,
        ):
            units.setdefault(int(su[0]), []).append(str(su[1]))
    return units


def _events_of(conn: sqlite3.Connection, procedure_ids: list[int]) -> dict[int, list[Event]]:
    events: dict[int, list[Event]] = {}
    sql = f"SELECT * FROM events WHERE procedure_id IN ({_marks(procedure_ids)}) ORDER BY on_date, id"
    for e in conn.execute(sql, procedure_ids):
        events.setdefault(int(e["procedure_id"]), []).append(_event(e))
    return events


def _document_heads(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[int, sqlite3.Row]:
    sql = f"SELECT id, number, issued_on, issuer FROM documents WHERE id IN ({_marks(doc_ids)})"
    return {int(d["id"]): d for d in conn.execute(sql, doc_ids)}


def _cited_numbers(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[int, list[str]]:
    """Each document's cited numbers, once each, in document order."""
    cites: dict[int, list[str]] = {}
    for c in conn.execute(
        f"SELECT document_id, number FROM citations WHERE document_id IN ({_marks(doc_ids)}) "
        "ORDER BY document_id, position",
        doc_ids,
    ):
        numbers = cites.setdefault(int(c[0]), [])
        if c[1] not in numbers:
            numbers.append(str(c[1]))
    return cites


def _procedure_record(
    r: sqlite3.Row,
    steps: tuple[Step, ...],
    events: tuple[Event, ...],
    doc: sqlite3.Row,
    cites: tuple[str, ...],
) -> ProcedureRecord:
    units: list[str] = []
    for unit in (u for step in steps for u in step.responsible):
        if unit not in units:
            units.append(unit)
    return ProcedureRecord(
        id=int(r["id"]),
        key=r["key"],
        code=r["code"],
        catalog_code=r["catalog_code"],
        name=r["name"],
        field=r["field"],
        version=int(r["version"]),
        status=r["status"],
        kind=r["kind"],
        internal=bool(r["internal"]),
        time_limit=r["time_limit"],
        time_limit_hours=r["time_limit_hours"],
        stated_total_hours=r["stated_total_hours"],
        steps=steps,
        units=tuple(units),
        issuer=doc["issuer"],
        document_id=int(r["document_id"]),
        document_number=doc["number"],
        document_date=doc["issued_on"],
        supersedes_id=r["supersedes_id"],
        events=events,
        cites=cites,
        forms=_strs(r["forms_json"]),
    )
