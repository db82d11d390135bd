"""Inserts and updates, run inside one write transaction (``Store.writing``).

``Writer`` executes what the use cases decided (``procedures.identity`` makes the decisions); it also
reads, seeing the transaction's own writes. Nothing is ever deleted but user symbols and merged units;
events are append-only: each takes the next id, links to the last one by hash (``store.chain``) and moves
the log's head, and the schema's triggers refuse anything else.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

from procreg.i18n import _
from procreg.registry.errors import NotFound, StoreError
from procreg.registry.models import CatalogEntry, Event, ParsedDocument, Procedure, Step, to_jsonable
from procreg.registry.store.chain import event_digest
from procreg.registry.store.reads import Reader
from procreg.registry.store.schema import v4_unit_key
from procreg.text import fold, normalize_line

__all__ = ["Writer"]


class Writer(Reader):
    """Writes (and reads) inside one write transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self._unit_ids: dict[str, int] = {}
        self._aliases: dict[str, str] | None = None

    # ---------------------------------------------------------------------------------------------
    # Documents.

    def insert_document(
        self, parsed: ParsedDocument, path: str, *, identity: str, replaces: int | None
    ) -> int:
        """Insert a document row with its first rendering, citations and targets; returns its id.

        Args:
            parsed: the parser's record.
            path: the file it was read from (its first rendering).
            identity: the document's identity key (``procedures.identity.document_identity``).
            replaces: the document this one is a new text of (the same decision, changed), if any; it is
                marked replaced (kept, never deleted). Without it, an earlier text registered from the
                same path is the one replaced.
        """
        conn = self._conn
        doc_id = _insert(conn, "documents", {**_document_values(parsed, path), "identity": identity})
        self.add_rendering(doc_id, path, parsed.sha256, parsed.format)
        if replaces is not None:
            conn.execute("UPDATE documents SET replaced_by = ? WHERE id = ?", (doc_id, replaces))
        else:
            conn.execute(
                "UPDATE documents SET replaced_by = ? WHERE path = ? AND id != ? AND replaced_by IS NULL",
                (doc_id, path, doc_id),
            )
        for pos, c in enumerate(parsed.citations, 1):
            conn.execute(
                "INSERT INTO citations (document_id, position, type, number, date, issuer, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc_id, pos, c.type, c.number, c.date, c.issuer, c.text),
            )
        for pos, t in enumerate(parsed.targets, 1):
            conn.execute(
                "INSERT INTO targets (document_id, position, section, value, unit, qualifier, text, "
                "source_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, pos, t.section, t.value, t.unit, t.qualifier, t.text, _dumps_source(t.source)),
            )
        return doc_id

    def add_rendering(self, document_id: int, path: str, sha256: str, fmt: str) -> int:
        """Record a file as one more rendering of a registered document; returns the rendering's id."""
        values = {"document_id": document_id, "path": path, "sha256": sha256, "format": fmt}
        return _insert(self._conn, "renderings", values)

    def insert_catalog_entry(self, document_id: int, position: int, entry: CatalogEntry, status: str) -> int:
        """Insert one catalog row of a document with the status it was settled to; returns its id."""
        return _insert(
            self._conn,
            "catalog_entries",
            {
                "document_id": document_id,
                "position": position,
                "status": status,
                "name": entry.name,
                "name_folded": fold(normalize_line(entry.name)),
                "ord": entry.order,
                "code": entry.code,
                "field": entry.field,
                "time_limit": entry.time_limit,
                "time_limit_hours": entry.time_limit_hours,
                "place": entry.place,
                "fee": entry.fee,
                "legal_basis": entry.legal_basis,
                "agency": entry.agency,
                "grp": entry.group,
                "change": entry.change,
                "internal": int(entry.internal),
                "warnings_json": _dumps(entry.warnings),
                "source_json": _dumps_source(entry.source),
            },
        )

    def accept_incidents(self, reason: str) -> int:
        """Mark every repair not yet accepted as seen, with the reason; returns how many."""
        cur = self._conn.execute("UPDATE integrity_log SET accepted = ? WHERE accepted IS NULL", (reason,))
        return cur.rowcount

    def set_catalog_status(self, catalog_id: int, status: str) -> None:
        """Change a catalog row's status (``superseded``, ``abolished``)."""
        self._conn.execute("UPDATE catalog_entries SET status = ? WHERE id = ?", (status, catalog_id))

    # ---------------------------------------------------------------------------------------------
    # Procedures and events.

    def insert_procedure(
        self, proc: Procedure, *, key: str, content_hash: str, document_id: int, position: int, internal: bool
    ) -> int:
        """Insert a procedure as the next version number of ``key``, with its steps; returns its id."""
        next_version = self._conn.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM procedures WHERE key = ?", (key,)
        )
        version = int(next_version.fetchone()[0])
        values = _procedure_values(proc, key, version, internal=internal)
        values.update(content_hash=content_hash, document_id=document_id, position=position)
        pid = _insert(self._conn, "procedures", values)
        for step in proc.steps:
            self._insert_step(pid, step)
        return pid

    def _insert_step(self, procedure_id: int, step: Step) -> None:
        sid = _insert(
            self._conn,
            "steps",
            {
                "procedure_id": procedure_id,
                "ord": step.order,
                "label": step.label,
                "text": step.text,
                "responsible_text": step.responsible_text,
                "hours": step.hours,
                "duration_text": step.duration_text,
                "result": step.result,
                "branches_json": _dumps(step.branches),
                "source_json": _dumps_source(step.source),
            },
        )
        seen: set[int] = set()
        for upos, name in enumerate(step.responsible, 1):
            uid = self._unit_id(self._canonical_unit(normalize_line(name)))
            if uid in seen:
                continue
            seen.add(uid)
            self._conn.execute(
                "INSERT INTO step_units (step_id, unit_id, position) VALUES (?, ?, ?)", (sid, uid, upos)
            )

    def _canonical_unit(self, name: str) -> str:
        """The user's alias wins over whatever the parser resolved.

        The parser's shipped table may have mapped "Bộ phận TN&TKQ" to "Bộ phận Một cửa", itself a user
        alias of another name.
        """
        if self._aliases is None:
            rows = self._conn.execute("SELECT alias, canonical FROM unit_aliases")
            self._aliases = {_alias_key(str(r[0])): str(r[1]) for r in rows}
        return self._aliases.get(_alias_key(name), name) if self._aliases else name

    def _unit_id(self, name: str) -> int:
        if name not in self._unit_ids:
            self._unit_ids[name] = _unit_id(self._conn, name)
        return self._unit_ids[name]

    def set_procedure_status(self, procedure_id: int, status: str) -> None:
        """Change a procedure version's status (``abolished``, ``withdrawn``...)."""
        self._conn.execute("UPDATE procedures SET status = ? WHERE id = ?", (status, procedure_id))

    def set_versions(self, changes: Iterable[tuple[int, int, str, int | None]]) -> None:
        """Renumber versions: (procedure id, version, status, supersedes id) for each changed row."""
        changes = list(changes)
        # Two passes so (key, version) stays unique while versions are renumbered.
        for pid, _version, _status, _supersedes in changes:
            self._conn.execute("UPDATE procedures SET version = -id WHERE id = ?", (pid,))
        for pid, version, status, supersedes in changes:
            self._conn.execute(
                "UPDATE procedures SET version = ?, status = ?, supersedes_id = ? WHERE id = ?",
                (version, status, supersedes, pid),
            )

    def add_event(
        self,
        procedure_id: int | None,
        event: Event,
        document_id: int | None = None,
        *,
        catalog_id: int | None = None,
    ) -> int:
        """Append an event to the log, as the next row of the hash chain; returns its id.

        Args:
            procedure_id: the procedure version it is about (or None for a catalog entry).
            event: the event (its ``origin``, ``forced`` and ``cancels`` are written too).
            document_id: the document that brought it, or the decision it cites.
            catalog_id: the catalog entry it is about, when it is not about a procedure.

        Raises:
            StoreError: the row was not written (something in the database swallowed it).
        """
        conn = self._conn
        last = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        row: dict[str, Any] = {
            "id": (int(last[0]) if last else 0) + 1,
            "procedure_id": procedure_id,
            "catalog_id": catalog_id,
            "kind": event.kind,
            "on_date": event.on or "",
            "by": event.by,
            "evidence": event.evidence,
            "note": event.note,
            "where_": event.where,
            "document_id": document_id,
            "origin": event.origin,
            "forced": event.forced,
            "cancels": event.cancels,
            "prev_hash": str(last[1]) if last else "",
        }
        row["hash"] = event_digest(row)
        if _insert_count(conn, "events", row) != 1:
            raise StoreError(
                _("event #%(event)s was not written: the event log is guarded by a foreign trigger")
                % {"event": row["id"]}
            )
        moved = conn.execute(
            "UPDATE event_head SET last_id = ?, last_hash = ?, count = count + 1 WHERE one = 1",
            (row["id"], row["hash"]),
        )
        if moved.rowcount == 0:
            conn.execute(
                "INSERT INTO event_head (one, last_id, last_hash, count) VALUES (1, ?, ?, ?)",
                (row["id"], row["hash"], row["id"]),
            )
        return int(row["id"])

    # ---------------------------------------------------------------------------------------------
    # Units and issuer symbols.

    def add_unit_alias(self, alias: str, canonical: str) -> int:
        """Record a user alias and merge an existing unit of that name into the canonical one.

        Returns:
            How many step references were moved to the canonical unit.
        """
        conn = self._conn
        # A canonical name that is itself an alias resolves to its own canonical (no chains).
        found = conn.execute(
            "SELECT canonical FROM unit_aliases WHERE alias_folded = ?", (fold(canonical),)
        ).fetchone()
        if found is not None and fold(str(found[0])) != fold(alias):
            canonical = str(found[0])
        conn.execute(
            "INSERT INTO unit_aliases (alias_folded, alias, canonical) VALUES (?, ?, ?) "
            "ON CONFLICT (alias_folded) DO UPDATE SET alias = excluded.alias, canonical = excluded.canonical",
            (fold(alias), alias, canonical),
        )
        # Aliases that pointed at the alias now point at the canonical name (no chains).
        conn.execute("UPDATE unit_aliases SET canonical = ? WHERE canonical = ?", (canonical, alias))
        return _merge_unit(conn, alias, canonical)

    def add_symbol(self, symbol: str, name: str) -> bool:
        """Add (or rename) an issuer symbol; True when it is new."""
        known = self._conn.execute("SELECT 1 FROM symbols WHERE symbol = ?", (symbol,)).fetchone() is not None
        self._conn.execute(
            "INSERT INTO symbols (symbol, name) VALUES (?, ?) "
            "ON CONFLICT (symbol) DO UPDATE SET name = excluded.name",
            (symbol, name),
        )
        return not known

    def remove_symbol(self, symbol: str) -> None:
        """Forget a user symbol.

        Raises:
            NotFound: the user table has no such symbol.
        """
        if self._conn.execute("DELETE FROM symbols WHERE symbol = ?", (symbol,)).rowcount == 0:
            raise NotFound(_("no user symbol %(symbol)r") % {"symbol": symbol})


# --------------------------------------------------------------------------------------------------
# Helpers.


def _dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


def _dumps_source(source: Any) -> str | None:
    return _dumps(source) if source else None


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """INSERT one row from a column -> value mapping; returns the new rowid."""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
    return int(cur.lastrowid or 0)


def _insert_count(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """INSERT one row; returns how many rows were written (0 when a trigger swallowed it)."""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    return conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())).rowcount


def _document_values(parsed: ParsedDocument, path: str) -> dict[str, Any]:
    signer = parsed.signer
    return {
        "path": path,
        "sha256": parsed.sha256,
        "format": parsed.format,
        "kind": parsed.kind,
        "type_label": parsed.type_label,
        "number": parsed.number,
        "issued_on": parsed.issued_on,
        "place": parsed.place,
        "issuer": parsed.issuer,
        "title": parsed.title,
        "signer_name": signer.name if signer else None,
        "signer_position": signer.position if signer else None,
        "signer_authority": signer.authority if signer else None,
        "change_type": parsed.change_type,
        "orders_publicizing": parsed.orders_publicizing,
        "sections_json": _dumps(parsed.sections),
        "warnings_json": _dumps(parsed.warnings),
        "text": parsed.text,
    }


def _procedure_values(proc: Procedure, key: str, version: int, *, internal: bool) -> dict[str, Any]:
    """A new procedure row's columns, but for where it comes from (document, position, content hash)."""
    return {
        "key": key,
        "version": version,
        "status": "active",
        "kind": "process",
        "code": proc.code,
        "catalog_code": proc.catalog_code,
        "name": proc.name,
        "name_folded": fold(normalize_line(proc.name)),
        "field": proc.field,
        "internal": int(internal),
        "time_limit": proc.time_limit,
        "time_limit_hours": proc.time_limit_hours,
        "stated_total": proc.stated_total,
        "stated_total_hours": proc.stated_total_hours,
        "edition": proc.edition,
        "issued_on": proc.issued_on,
        "effective_on": proc.effective_on,
        "drafted_by": proc.drafted_by,
        "checked_by": proc.checked_by,
        "approved_by": proc.approved_by,
        "fields_json": _dumps(proc.fields),
        "forms_json": _dumps(proc.forms),
        "records_json": _dumps(proc.records),
        "revisions_json": _dumps(proc.revisions),
        "warnings_json": _dumps(proc.warnings),
        "source_json": _dumps_source(proc.source),
    }


def _alias_key(name: str) -> str:
    """Folded unit name with spaces squeezed (also around ``/`` and ``&``): how aliases are matched."""
    folded = " ".join(fold(normalize_line(name)).split())
    return re.sub(r"\s*([/&])\s*", r"\1", folded)


def _unit_id(conn: sqlite3.Connection, name: str) -> int:
    """The id of the unit called ``name``, created when new.

    One unit, one row: names that differ only in case, accents, dashes or a final full stop are the same
    unit ("Chủ tịch Ủy ban nhân dân tỉnh" / "Chủ tịch ủy ban nhân dân tỉnh."); the first spelling stays.
    """
    key = v4_unit_key(name)
    row = conn.execute("SELECT id FROM units WHERE name_key = ?", (key,)).fetchone()
    if row is not None:
        return int(row[0])
    cur = conn.execute(
        "INSERT INTO units (name, name_folded, name_key) VALUES (?, ?, ?)", (name, fold(name), key)
    )
    return int(cur.lastrowid or 0)


def _merge_unit(conn: sqlite3.Connection, alias: str, canonical: str) -> int:
    """Move the step references of the units called ``alias`` to ``canonical``; returns how many moved."""
    if fold(alias) == fold(canonical) and alias == canonical:
        return 0
    target = _unit_id(conn, canonical)
    if v4_unit_key(alias) == v4_unit_key(canonical):
        # The same unit spelt another way: the canonical spelling is the one shown from now on.
        conn.execute(
            "UPDATE units SET name = ?, name_folded = ? WHERE id = ?", (canonical, fold(canonical), target)
        )
        return 0
    moved = 0
    for row in conn.execute(
        "SELECT id FROM units WHERE (name = ? OR name_folded = ? OR name_key = ?) AND id != ?",
        (alias, fold(alias), v4_unit_key(alias), target),
    ).fetchall():
        uid = int(row[0])
        refs = conn.execute("SELECT step_id, position FROM step_units WHERE unit_id = ?", (uid,)).fetchall()
        for step_id, position in refs:
            _move_step_unit(conn, step_id, position, target)
            moved += 1
        conn.execute("DELETE FROM units WHERE id = ?", (uid,))
    return moved


def _move_step_unit(conn: sqlite3.Connection, step_id: int, position: int, target: int) -> None:
    """Point one step reference at ``target`` (dropped when the step already names it)."""
    already = conn.execute(
        "SELECT 1 FROM step_units WHERE step_id = ? AND unit_id = ?", (step_id, target)
    ).fetchone()
    if already:
        conn.execute("DELETE FROM step_units WHERE step_id = ? AND position = ?", (step_id, position))
    else:
        conn.execute(
            "UPDATE step_units SET unit_id = ? WHERE step_id = ? AND position = ?",
            (target, step_id, position),
        )
