"""The SQLite registry: documents, catalog entries, procedure versions, steps, units, events.

One file, ``$PROCREG_HOME/registry.db``, the single source of truth (the search index is a cache of it).

Design decisions:

- Schema versioned with ``PRAGMA user_version`` and an ordered list of migration scripts; WAL journal,
  foreign keys on, a generous ``busy_timeout`` so two processes may ingest at once.
- Every write is one ``BEGIN IMMEDIATE`` transaction; one ingested file is one transaction, so a crash
  mid-file leaves nothing of it. Each write transaction bumps ``data_version``.
- Documents are keyed by the sha256 of the file bytes: an unchanged file is recognised without parsing.
- A procedure's identity (``key``) is its QT code when present, else its national TTHC code qualified
  by the issuer (``1.013871@ubnd tinh ha tinh``: each province writes its own process for a national
  TTHC), else ``name:<folded name>|<folded field>|<folded issuer>``; a key repeated inside one document
  (two processes of one TTHC) gets ``#2``, ``#3``. The same key arriving from another document with
  different content becomes a new version; versions of a key are ordered by the publishing document's
  date (then by arrival), the latest is current and the earlier ones are ``superseded`` (with a
  ``superseded`` event). The same content published again adds a ``published`` event, not a version.
- Every procedure registered from a decision gets a ``published`` event: on = decision date,
  by = issuer (signer in the note), evidence = decision number.
- Catalog rows (Danh mục) are kept as catalog records (``CatalogRecord``), never as procedures:
  ``procedures()`` only returns processes (``kind="process"``). A catalog record is linked to its
  process at read time: same document first (code, folded name, or a process named
  "<catalog name> (Trường hợp …)"), then national code, then folded name anywhere. A later decision
  of the same issuer listing the same TTHC supersedes the earlier catalog row.
- A file edited and ingested again from the same path is a new document; the earlier text is kept
  but marked replaced (its targets no longer count).
- A decision that abolishes (``bị bãi bỏ``) marks the matching procedures and catalog entries
  ``abolished`` and logs an ``abolished`` event; nothing is ever deleted.
- The event log is append-only: triggers forbid UPDATE and DELETE on ``events``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from procreg.registry.errors import NotFound, StoreError
from procreg.registry.models import (
    CatalogEntry,
    CatalogRecord,
    Citation,
    DocumentRecord,
    Event,
    ParsedDocument,
    Procedure,
    ProcedureRecord,
    SourceRef,
    Step,
    Target,
    to_jsonable,
)
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import INTERNAL_TTHC

__all__ = [
    "SCHEMA_VERSION",
    "read_settings",
    "set_setting",
    "unset_setting",
    "procedure_details",
    "DocumentCounts",
    "Store",
    "StoredDocument",
    "UnitInfo",
    "WriteResult",
    "link_name",
    "procedure_key",
    "read_symbols",
]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 60_000

# Each script moves the schema from version i to i+1 (user_version = number of scripts applied).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('data_version', 0);

    CREATE TABLE documents (
        id                 INTEGER PRIMARY KEY,
        path               TEXT NOT NULL,
        sha256             TEXT NOT NULL UNIQUE,
        format             TEXT NOT NULL,
        kind               TEXT,
        type_label         TEXT,
        number             TEXT,
        issued_on          TEXT,
        place              TEXT,
        issuer             TEXT,
        title              TEXT,
        signer_name        TEXT,
        signer_position    TEXT,
        signer_authority   TEXT,
        change_type        TEXT,
        orders_publicizing TEXT,
        sections_json      TEXT NOT NULL DEFAULT '[]',
        warnings_json      TEXT NOT NULL DEFAULT '[]',
        text               TEXT NOT NULL DEFAULT '',
        replaced_by        INTEGER REFERENCES documents (id)
    );
    CREATE INDEX documents_number ON documents (number);
    CREATE INDEX documents_path ON documents (path);

    CREATE TABLE units (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        name_folded TEXT NOT NULL
    );
    CREATE INDEX units_folded ON units (name_folded);

    CREATE TABLE unit_aliases (
        alias_folded TEXT PRIMARY KEY,
        alias        TEXT NOT NULL,
        canonical    TEXT NOT NULL
    );

    CREATE TABLE procedures (
        id                 INTEGER PRIMARY KEY,
        key                TEXT NOT NULL,
        version            INTEGER NOT NULL,
        status             TEXT NOT NULL DEFAULT 'active'
                           CHECK (status IN ('active', 'superseded', 'abolished', 'withdrawn')),
        kind               TEXT NOT NULL DEFAULT 'process',
        code               TEXT,
        catalog_code       TEXT,
        name               TEXT NOT NULL,
        name_folded        TEXT NOT NULL,
        field              TEXT,
        internal           INTEGER NOT NULL DEFAULT 0,
        time_limit         TEXT,
        time_limit_hours   REAL,
        stated_total       TEXT,
        stated_total_hours REAL,
        edition            TEXT,
        issued_on          TEXT,
        effective_on       TEXT,
        drafted_by         TEXT,
        checked_by         TEXT,
        approved_by        TEXT,
        fields_json        TEXT NOT NULL DEFAULT '[]',
        forms_json         TEXT NOT NULL DEFAULT '[]',
        records_json       TEXT NOT NULL DEFAULT '[]',
        revisions_json     TEXT NOT NULL DEFAULT '[]',
        warnings_json      TEXT NOT NULL DEFAULT '[]',
        source_json        TEXT,
        content_hash       TEXT NOT NULL,
        document_id        INTEGER NOT NULL REFERENCES documents (id),
        position           INTEGER NOT NULL,
        supersedes_id      INTEGER REFERENCES procedures (id),
        UNIQUE (key, version)
    );
    CREATE INDEX procedures_key ON procedures (key);
    CREATE INDEX procedures_code ON procedures (code);
    CREATE INDEX procedures_catalog_code ON procedures (catalog_code);
    CREATE INDEX procedures_name ON procedures (name_folded);
    CREATE INDEX procedures_document ON procedures (document_id);

    CREATE TABLE steps (
        id               INTEGER PRIMARY KEY,
        procedure_id     INTEGER NOT NULL REFERENCES procedures (id),
        ord              INTEGER NOT NULL,
        label            TEXT NOT NULL,
        text             TEXT NOT NULL,
        responsible_text TEXT NOT NULL DEFAULT '',
        hours            REAL,
        duration_text    TEXT NOT NULL DEFAULT '',
        result           TEXT,
        branches_json    TEXT NOT NULL DEFAULT '[]',
        source_json      TEXT,
        UNIQUE (procedure_id, ord)
    );

    CREATE TABLE step_units (
        step_id  INTEGER NOT NULL REFERENCES steps (id),
        unit_id  INTEGER NOT NULL REFERENCES units (id),
        position INTEGER NOT NULL,
        PRIMARY KEY (step_id, position)
    );
    CREATE INDEX step_units_unit ON step_units (unit_id);

    CREATE TABLE catalog_entries (
        id               INTEGER PRIMARY KEY,
        document_id      INTEGER NOT NULL REFERENCES documents (id),
        position         INTEGER NOT NULL,
        status           TEXT NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'superseded', 'abolished', 'withdrawn')),
        name             TEXT NOT NULL,
        name_folded      TEXT NOT NULL,
        ord              TEXT,
        code             TEXT,
        field            TEXT,
        time_limit       TEXT,
        time_limit_hours REAL,
        place            TEXT,
        fee              TEXT,
        legal_basis      TEXT,
        agency           TEXT,
        grp              TEXT,
        change           TEXT,
        internal         INTEGER NOT NULL DEFAULT 0,
        warnings_json    TEXT NOT NULL DEFAULT '[]',
        source_json      TEXT
    );
    CREATE INDEX catalog_code ON catalog_entries (code);
    CREATE INDEX catalog_name ON catalog_entries (name_folded);
    CREATE INDEX catalog_document ON catalog_entries (document_id);

    CREATE TABLE citations (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id),
        position    INTEGER NOT NULL,
        type        TEXT,
        number      TEXT NOT NULL,
        date        TEXT,
        issuer      TEXT,
        text        TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX citations_document ON citations (document_id);

    CREATE TABLE targets (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id),
        position    INTEGER NOT NULL,
        section     TEXT NOT NULL,
        value       REAL NOT NULL,
        unit        TEXT NOT NULL,
        qualifier   TEXT NOT NULL,
        text        TEXT NOT NULL DEFAULT '',
        source_json TEXT
    );
    CREATE INDEX targets_document ON targets (document_id);

    CREATE TABLE events (
        id           INTEGER PRIMARY KEY,
        procedure_id INTEGER NOT NULL REFERENCES procedures (id),
        kind         TEXT NOT NULL,
        on_date      TEXT NOT NULL DEFAULT '',
        by           TEXT,
        evidence     TEXT,
        note         TEXT,
        where_       TEXT,
        document_id  INTEGER REFERENCES documents (id)
    );
    CREATE INDEX events_procedure ON events (procedure_id);

    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN
        SELECT RAISE(ABORT, 'events are append-only');
    END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN
        SELECT RAISE(ABORT, 'events are append-only');
    END;
    """,
    # 2: the user's issuer symbols (``SNgV`` -> ``Sở Ngoại vụ``), merged over the shipped table on parse;
    # ``procedures.internal`` is recomputed for rows written before it was filled (see _AFTER_MIGRATION).
    """
    CREATE TABLE symbols (
        symbol TEXT PRIMARY KEY,
        name   TEXT NOT NULL
    );
    """,
    # 3 (report settings): the registry's settings, key -> value (``procreg config``).
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------------------------------
# Small records local to the store.


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    """How many rows one document contributed (for reports and completeness checks)."""

    procedures: int = 0
    steps: int = 0
    catalog: int = 0
    citations: int = 0
    targets: int = 0


@dataclass(frozen=True, slots=True)
class WriteResult:
    """The outcome of registering one parsed document."""

    document_id: int
    created: bool  # False when the same bytes were already registered (another process won the race)
    counts: DocumentCounts = field(default_factory=DocumentCounts)
    new_versions: tuple[int, ...] = ()  # procedure ids that superseded an earlier version
    abolished: int = 0  # procedures + catalog entries marked abolished by this document


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document row with its per-document counts."""

    record: DocumentRecord
    counts: DocumentCounts


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A responsible unit with its aliases and how many current steps name it."""

    name: str
    steps: int
    procedures: int
    aliases: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------------
# Helpers.


def _code_key(code: str) -> str:
    return "".join(normalize_line(code).split()).upper()


def procedure_key(proc: Procedure, issuer: str | None) -> str:
    """The stable identity of a procedure across versions.

    Args:
        proc: The procedure as extracted.
        issuer: The issuer of the document it comes from (used only when there is no code).

    Returns:
        The QT code (an ISO document code, unique by itself); else the national TTHC code qualified by the
        issuer (every province writes its own process for a national TTHC): ``1.013871@ubnd tinh ha tinh``;
        else ``name:<folded name>|<folded field>|<folded issuer>`` (the name without a leading "Thủ tục",
        "TTHC" or numbering, see ``link_name``).
    """
    if proc.code and proc.code.strip():
        return _code_key(proc.code)
    who = issuer_key(issuer)
    if proc.catalog_code and proc.catalog_code.strip():
        return _code_key(proc.catalog_code) + (f"@{who}" if who else "")
    # The name as link_name gives it: a leading "Thủ tục"/"TTHC" or numbering does not change the identity.
    return "name:" + "|".join((link_name(proc.name), fold(normalize_line(proc.field or "")), who))


def issuer_key(issuer: str | None) -> str:
    """Folded issuer with the long form of UBND shortened, so header variants compare equal."""
    folded = " ".join(fold(normalize_line(issuer or "")).split())
    return folded.replace("uy ban nhan dan", "ubnd")


def _dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


def _content_hash(proc: Procedure) -> str:
    """Hash of what makes a procedure's content (not where it was found)."""
    data = to_jsonable(proc)
    data.pop("source", None)
    data.pop("warnings", None)
    for step in data.get("steps", []):
        step.pop("source", None)
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _source(text: str | None) -> SourceRef | None:
    if not text:
        return None
    data = json.loads(text)
    return SourceRef(path=data["path"], page=data.get("page"), para=data.get("para"))


def _strs(text: str) -> tuple[str, ...]:
    return tuple(str(x) for x in json.loads(text))


def _date_sort(on: str | None) -> str:
    return on or "9999-99-99"


# Leading numbering ("1.", "2.3.", "a)", "IV.", "01 -") and the words a name may or may not carry in front
# ("Thủ tục", "Thủ tục hành chính", "TTHC", "Quy trình [nội bộ]"), matched on folded text.
_NUMBERING = re.compile(
    r"^(?:\d+(?:\.\d+)+(?=\s)|\(?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]+|\d+(?:\.\d+)*\s*[-–:])\s*"
)
_NAME_WORDS = re.compile(
    r"^(?:thu tuc hanh chinh(?: noi bo)?|thu tuc|tthc(?: noi bo)?|quy trinh(?: noi bo)?)\b\s*[:\-–.]?\s*"
)


_PUNCT_SPACES = re.compile(r"\s*([-/,;:.])\s*")


def link_name(name: str) -> str:
    """The key a catalog row and its process are matched on by name.

    Folded, with leading numbering and a leading "Thủ tục" / "Thủ tục hành chính" / "TTHC" / "Quy trình"
    removed and trailing punctuation dropped, so "1. Thủ tục cấp phép X." and "Cấp phép X" match.
    """
    text = " ".join(fold(normalize_line(name)).split())
    while True:
        stripped = _NAME_WORDS.sub("", _NUMBERING.sub("", text))
        if stripped == text or not stripped:
            break
        text = stripped
    # "2026-2030" / "2026 - 2030", "I,II" / "I, II": spacing around punctuation does not count.
    text = _PUNCT_SPACES.sub(r"\1", text.replace("–", "-").replace("—", "-"))
    return text.rstrip(" .;:,")


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
        log.warning("%s: user symbols not read (%s)", db_path, exc)
        return {}


# --- report settings (procreg config) -------------------------------------------------------------
# Settings are no registry data: writing them leaves ``data_version`` (and so the search index) alone.


def read_settings(db_path: Path) -> dict[str, str]:
    """The settings of the registry at ``db_path``, read without creating or migrating it.

    Returns an empty table when there is no registry there (or it predates the settings table).
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
        raise StoreError(f"cannot read the settings: {exc}", path=str(db_path)) from None


def _write_setting(store: Store, sql: str, args: tuple[str, ...]) -> bool:
    """Run one settings statement (atomic on its own); True when it changed a row."""
    try:
        return store._conn.execute(sql, args).rowcount > 0
    except sqlite3.OperationalError as exc:
        raise StoreError(f"registry write failed: {exc}", path=str(store.path)) from None


def set_setting(store: Store, key: str, value: str) -> None:
    """Set one setting (replacing its value)."""
    sql = (
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )
    _write_setting(store, sql, (key, value))


def unset_setting(store: Store, key: str) -> bool:
    """Remove one setting; True when it was set."""
    return _write_setting(store, "DELETE FROM settings WHERE key = ?", (key,))


# --- end of report settings -----------------------------------------------------------------------


class Store:
    """The registry database. Use as a context manager: ``with Store.open(path) as store: ...``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # ---------------------------------------------------------------------------------------------
    # Opening, closing, transactions.

    @classmethod
    def open(cls, db_path: Path) -> Store:
        """Open (creating and migrating when needed) the registry at ``db_path``.

        Raises:
            StoreError: the file is not a registry, is newer than this program, or cannot be opened.
        """
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the registry: {exc}", path=str(db_path)) from None
        conn.row_factory = sqlite3.Row
        store = cls(conn, db_path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            store._set_up_when_free()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"not a usable registry database: {exc}", path=str(db_path)) from None
        except StoreError:
            conn.close()
            raise
        return store

    def _set_up_when_free(self) -> None:
        """WAL mode and migrations, retried while another process creates the same registry.

        Switching to WAL takes an exclusive lock that SQLite's busy handler does not wait for, so two
        commands opening a new registry at once would otherwise fail with "database is locked".
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"registry schema {version} is newer than this procreg ({SCHEMA_VERSION}); upgrade procreg",
                path=str(self.path),
            )
        if version == 0 and self._conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
            raise StoreError("not a procreg registry (an SQLite file with other tables)", path=str(self.path))
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            for number in range(version, SCHEMA_VERSION):
                log.debug("migrating registry schema %d -> %d", number, number + 1)
                for statement in _split_script(MIGRATIONS[number]):
                    self._conn.execute(statement)
                after = _AFTER_MIGRATION.get(number + 1)
                if after is not None:
                    after(self._conn)
                self._conn.execute(f"PRAGMA user_version = {number + 1}")
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), bumping ``data_version`` on commit."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"registry is busy or read-only: {exc}", path=str(self.path)) from None
        try:
            yield conn
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):  # locked, disk full, I/O: a store problem
                raise StoreError(f"registry write failed: {exc}", path=str(self.path)) from exc
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
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
        row = self._conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def documents(self) -> list[DocumentRecord]:
        """Every registered document, sorted by id."""
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        return [_document_record(r) for r in rows]

    def document(self, id: int) -> DocumentRecord:  # noqa: A002 - the contract's name
        """The document with this id.

        Raises:
            NotFound: no such document.
        """
        row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise NotFound(f"no document with id {id}")
        return _document_record(row)

    def document_by_number(self, number: str) -> DocumentRecord | None:
        """The latest registered document carrying this number (``2609/QĐ-UBND``), if any."""
        wanted = _code_key(number)
        rows = self._conn.execute(
            "SELECT * FROM documents WHERE number IS NOT NULL ORDER BY id DESC"
        ).fetchall()
        for row in rows:
            if _code_key(row["number"]) == wanted:
                return _document_record(row)
        return None

    def document_counts(self, document_id: int) -> DocumentCounts:
        """How many procedures, steps, catalog entries, citations and targets a document holds."""
        with self._read() as conn:
            return _counts(conn, document_id)

    def stored_documents(self) -> list[StoredDocument]:
        """Every document with its counts, sorted by id."""
        with self._read() as conn:
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

    def targets(self) -> list[tuple[DocumentRecord, Target]]:
        """Every target with its document, by document id then position.

        A document re-ingested from the same path with new content replaces the earlier text: only the
        latest text's targets are returned.
        """
        with self._read() as conn:
            docs = {int(r["id"]): _document_record(r) for r in conn.execute("SELECT * FROM documents")}
            rows = conn.execute(
                "SELECT t.* FROM targets t JOIN documents d ON d.id = t.document_id "
                "WHERE d.replaced_by IS NULL ORDER BY t.document_id, t.position"
            ).fetchall()
        return [
            (
                docs[int(r["document_id"])],
                Target(
                    section=r["section"],
                    value=float(r["value"]),
                    unit=r["unit"],
                    qualifier=r["qualifier"],
                    text=r["text"],
                    source=_source(r["source_json"]),
                ),
            )
            for r in rows
        ]

    # ---------------------------------------------------------------------------------------------
    # Registering a parsed document (one transaction).

    def add_document(self, parsed: ParsedDocument, *, path: str | None = None) -> WriteResult:
        """Register one parsed document with everything in it, in a single transaction.

        Args:
            parsed: The parser's record (its ``sha256`` is the file's content hash).
            path: The path to remember (defaults to ``parsed.path``).

        Returns:
            What was written; ``created`` is False when the same bytes were already registered.
        """
        with self._write() as conn:
            row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (parsed.sha256,)).fetchone()
            if row is not None:
                # Another process registered these bytes first: write nothing (rolled back below).
                raise _AlreadyThere(int(row[0]))
            return _insert_document(conn, parsed, path or parsed.path)

    def add_document_once(self, parsed: ParsedDocument, *, path: str | None = None) -> WriteResult:
        """Like ``add_document`` but returns ``created=False`` instead of failing on known bytes."""
        try:
            return self.add_document(parsed, path=path)
        except _AlreadyThere as there:
            return WriteResult(document_id=there.document_id, created=False)

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
            unit: Keep procedures with a step whose responsible unit matches (accent-insensitive substring).
            field: Keep procedures whose field (lĩnh vực) matches (accent-insensitive substring).
        """
        clauses: list[str] = []
        params: list[Any] = []
        if status:
            clauses.append("p.status = ?")
            params.append(status)
        elif not include_superseded:
            clauses.append("p.status != 'superseded'")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as conn:
            rows = conn.execute(f"SELECT p.* FROM procedures p {where} ORDER BY p.id", params).fetchall()
            records = _procedure_records(conn, rows)
        if field:
            wanted = _words(field)
            records = [r for r in records if r.field and wanted in _words(r.field)]
        if unit:
            wanted = _words(unit)
            records = [r for r in records if any(wanted in _words(u) for u in r.units)]
        return records

    def procedure_by_id(self, id: int) -> ProcedureRecord:  # noqa: A002 - the contract's name
        """One procedure version by id.

        Raises:
            NotFound: no such procedure.
        """
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM procedures WHERE id = ?", (id,)).fetchall()
            if not rows:
                raise NotFound(f"no procedure with id {id}")
            return _procedure_records(conn, rows)[0]

    def procedure_versions(self, key: str) -> list[ProcedureRecord]:
        """Every version of a procedure key, oldest first."""
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM procedures WHERE key = ? ORDER BY version", (key,)).fetchall()
            return _procedure_records(conn, rows)

    def procedure(self, code_or_name: str) -> ProcedureRecord:
        """The current version of a procedure, found by id, code (QT or national), key, or folded name.

        Lookup order: ``12`` / ``#12`` (that exact version), the key, the QT code, the national code,
        the code typed without accents, the folded name, then a unique part of the folded name.

        Raises:
            NotFound: nothing matches, or several procedures do (the message lists them, or suggests
                close names).
        """
        query = normalize_line(code_or_name)
        if not query:
            raise NotFound("empty procedure code or name")
        if _ID.match(query):
            return self.procedure_by_id(int(query.lstrip("#")))
        code = _code_key(query)
        folded = fold(query)
        current = "status != 'superseded'"
        with self._read() as conn:
            attempts: list[tuple[str, tuple[Any, ...]]] = [
                (f"SELECT id FROM procedures WHERE {current} AND key IN (?, ?) ORDER BY id", (query, code)),
                (f"SELECT id FROM procedures WHERE {current} AND upper(code) = ? ORDER BY id", (code,)),
                (
                    f"SELECT id FROM procedures WHERE {current} AND upper(catalog_code) = ? ORDER BY id",
                    (code,),
                ),
            ]
            ids: list[int] = []
            for sql, params in attempts:
                ids = [int(r[0]) for r in conn.execute(sql, params)]
                if ids:
                    break
            if not ids:
                ids = _by_folded_code(conn, folded)
            if not ids:
                sql = f"SELECT id FROM procedures WHERE {current} AND name_folded = ? ORDER BY id"
                ids = [int(r[0]) for r in conn.execute(sql, (folded,))]
            if not ids:  # the name with or without a leading "Thủ tục"/"TTHC" and numbering
                wanted = link_name(folded)
                sql = f"SELECT id, name_folded FROM procedures WHERE {current} ORDER BY id"
                ids = [int(r[0]) for r in conn.execute(sql) if wanted and link_name(r[1]) == wanted]
            if not ids:
                sql = f"SELECT id FROM procedures WHERE {current} AND instr(name_folded, ?) > 0 ORDER BY id"
                found = [int(r[0]) for r in conn.execute(sql, (folded,))]
                # One hit is the answer; several are listed below (give the id); none: "did you mean".
                ids = found if len(found) <= 5 else []
            if not ids:
                raise NotFound(_not_found_message(conn, query, folded))
            records = _procedure_records(
                conn,
                conn.execute(
                    f"SELECT * FROM procedures WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id", ids
                ),
            )
        if len(records) > 1:
            listed = "; ".join(
                f"#{r.id} " + (f"{r.code} " if r.code else "") + _short(r.name) for r in records[:5]
            )
            raise NotFound(
                f"{len(records)} procedures match {query!r}: {listed}; give the id (e.g. #{records[0].id})"
            )
        return records[0]

    # ---------------------------------------------------------------------------------------------
    # Catalog.

    def catalog_entries(self, *, include_inactive: bool = False) -> list[CatalogRecord]:
        """Catalog entries (Danh mục rows), active only unless ``include_inactive``, sorted by id."""
        where = "" if include_inactive else "WHERE c.status = 'active'"
        with self._read() as conn:
            rows = conn.execute(
                "SELECT c.*, d.number AS doc_number, d.issued_on AS doc_date FROM catalog_entries c "
                f"JOIN documents d ON d.id = c.document_id {where} ORDER BY c.id"
            ).fetchall()
            links = _catalog_links(conn)
        out: list[CatalogRecord] = []
        for r in rows:
            entry = _catalog_entry(r)
            out.append(
                CatalogRecord(
                    id=int(r["id"]),
                    entry=entry,
                    document_id=int(r["document_id"]),
                    document_number=r["doc_number"],
                    document_date=r["doc_date"],
                    procedure_id=links.find(int(r["document_id"]), entry.code, r["name_folded"]),
                    status=r["status"],
                )
            )
        return out

    # ---------------------------------------------------------------------------------------------
    # Lifecycle events.

    def add_event(self, procedure_id: int, event: Event, *, status: str | None = None) -> None:
        """Append an event to a procedure (and optionally change its status) in one transaction.

        Raises:
            NotFound: no such procedure.
        """
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM procedures WHERE id = ?", (procedure_id,)).fetchone() is None:
                raise NotFound(f"no procedure with id {procedure_id}")
            _insert_event(conn, procedure_id, event, None)
            if status is not None:
                conn.execute("UPDATE procedures SET status = ? WHERE id = ?", (status, procedure_id))

    def events(self, procedure_ids: Sequence[int]) -> list[tuple[int, Event]]:
        """Events of these procedure versions, as (procedure id, event), by date then arrival."""
        if not procedure_ids:
            return []
        marks = ",".join("?" * len(procedure_ids))
        rows = self._conn.execute(
            f"SELECT * FROM events WHERE procedure_id IN ({marks}) ORDER BY on_date, id", list(procedure_ids)
        ).fetchall()
        return [(int(r["procedure_id"]), _event(r)) for r in rows]

    # ---------------------------------------------------------------------------------------------
    # Units.

    def unit_aliases(self) -> dict[str, str]:
        """User aliases: folded alias -> canonical unit name."""
        rows = self._conn.execute("SELECT alias_folded, canonical FROM unit_aliases ORDER BY alias_folded")
        return {str(r[0]): str(r[1]) for r in rows}

    def symbols(self) -> dict[str, str]:
        """The user's issuer symbols (``SNgV`` -> ``Sở Ngoại vụ``), merged over the shipped table on parse."""
        rows = self._conn.execute("SELECT symbol, name FROM symbols ORDER BY symbol")
        return {str(r[0]): str(r[1]) for r in rows}

    def add_symbol(self, symbol: str, name: str) -> bool:
        """Add (or rename) an issuer symbol.

        Returns:
            True when the symbol is new, False when an existing one was given a new name.
        """
        symbol, name = normalize_line(symbol), normalize_line(name)
        with self._write() as conn:
            known = conn.execute("SELECT 1 FROM symbols WHERE symbol = ?", (symbol,)).fetchone() is not None
            conn.execute(
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
        symbol = normalize_line(symbol)
        with self._write() as conn:
            if conn.execute("DELETE FROM symbols WHERE symbol = ?", (symbol,)).rowcount == 0:
                raise NotFound(f"no user symbol {symbol!r}")

    def units(self) -> list[UnitInfo]:
        """Every unit named by a step, with step/procedure counts over current versions, by name."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT u.name, COUNT(DISTINCT s.id) AS steps, COUNT(DISTINCT p.id) AS procs FROM units u "
                "LEFT JOIN step_units su ON su.unit_id = u.id LEFT JOIN steps s ON s.id = su.step_id "
                "LEFT JOIN procedures p ON p.id = s.procedure_id AND p.status != 'superseded' "
                "GROUP BY u.id ORDER BY u.name"
            ).fetchall()
            aliases: dict[str, list[str]] = {}
            for a in conn.execute("SELECT alias, canonical FROM unit_aliases ORDER BY alias_folded"):
                aliases.setdefault(str(a[1]), []).append(str(a[0]))
        out = [UnitInfo(r[0], int(r[1]), int(r[2]), tuple(aliases.pop(r[0], []))) for r in rows]
        out.extend(UnitInfo(name, 0, 0, tuple(al)) for name, al in sorted(aliases.items()))
        return sorted(out, key=lambda u: (fold(u.name), u.name))

    def add_unit_alias(self, alias: str, canonical: str) -> int:
        """Record a user alias and merge an existing unit of that name into the canonical one.

        Returns:
            How many step references were moved to the canonical unit.
        """
        alias = normalize_line(alias)
        canonical = normalize_line(canonical)
        with self._write() as conn:
            # A canonical name that is itself an alias resolves to its own canonical (no chains).
            row = conn.execute(
                "SELECT canonical FROM unit_aliases WHERE alias_folded = ?", (fold(canonical),)
            )
            found = row.fetchone()
            if found is not None and fold(str(found[0])) != fold(alias):
                canonical = str(found[0])
            conn.execute(
                "INSERT INTO unit_aliases (alias_folded, alias, canonical) VALUES (?, ?, ?) "
                "ON CONFLICT (alias_folded) DO UPDATE SET alias = excluded.alias, "
                "canonical = excluded.canonical",
                (fold(alias), alias, canonical),
            )
            # Aliases that pointed at the alias now point at the canonical name (no chains).
            conn.execute("UPDATE unit_aliases SET canonical = ? WHERE canonical = ?", (canonical, alias))
            return _merge_unit(conn, alias, canonical)

    def merge_units(self, source: str, into: str) -> int:
        """Merge unit ``source`` into ``into`` (and remember ``source`` as an alias of it).

        Returns:
            How many step references were moved.

        Raises:
            NotFound: no unit is named ``source``.
        """
        source = normalize_line(source)
        row = self._conn.execute(
            "SELECT name FROM units WHERE name = ? OR name_folded = ? ORDER BY name = ? DESC",
            (source, fold(source), source),
        ).fetchone()
        if row is None:
            import difflib

            known = {str(r[1]): str(r[0]) for r in self._conn.execute("SELECT name, name_folded FROM units")}
            close = difflib.get_close_matches(fold(source), list(known), n=3, cutoff=0.6)
            hint = f" (did you mean: {'; '.join(known[c] for c in close)}?)" if close else ""
            raise NotFound(f"no unit named {source!r}{hint}; see `procreg units list`")
        return self.add_unit_alias(str(row[0]), into)


class _AlreadyThere(Exception):
    def __init__(self, document_id: int) -> None:
        super().__init__(document_id)
        self.document_id = document_id


_ID = re.compile(r"^#?\d+$")


def _rekey_names(conn: sqlite3.Connection) -> None:
    """Re-key name-keyed procedures with ``link_name`` (schema 1 kept a leading "Thủ tục" in the key)."""
    rows = conn.execute(
        "SELECT id, key, version FROM procedures WHERE key LIKE 'name:%' ORDER BY id"
    ).fetchall()
    for r in rows:
        base, sep, repeat = str(r["key"]).partition("#")
        name, bar, rest = base[len("name:") :].partition("|")
        new = "name:" + link_name(name) + bar + rest + sep + repeat
        if new == r["key"]:
            continue
        taken = conn.execute("SELECT 1 FROM procedures WHERE key = ? AND version = ?", (new, r["version"]))
        if taken.fetchone() is None:
            conn.execute("UPDATE procedures SET key = ? WHERE id = ?", (new, r["id"]))


def _upgrade_to_2(conn: sqlite3.Connection) -> None:
    _backfill_internal(conn)
    _rekey_names(conn)


def _backfill_internal(conn: sqlite3.Connection) -> None:
    """Set ``procedures.internal`` from each procedure's document (registries written before it was)."""
    catalogs: dict[int, list[CatalogEntry]] = {}
    for r in conn.execute("SELECT * FROM catalog_entries ORDER BY document_id, position").fetchall():
        catalogs.setdefault(int(r["document_id"]), []).append(_catalog_entry(r))
    titles = {int(r[0]): r[1] for r in conn.execute("SELECT id, title FROM documents")}
    rows = conn.execute("SELECT id, name, catalog_code, document_id FROM procedures WHERE internal = 0")
    for r in rows.fetchall():
        doc = int(r["document_id"])
        proc = Procedure(name=str(r["name"]), catalog_code=r["catalog_code"])
        if _is_internal(proc, catalogs.get(doc, []), titles.get(doc)):
            conn.execute("UPDATE procedures SET internal = 1 WHERE id = ?", (r["id"],))


# Python steps run right after a migration script (keyed by the version the script reaches).
_AFTER_MIGRATION: dict[int, Callable[[sqlite3.Connection], None]] = {2: _upgrade_to_2}


def _split_script(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


# --------------------------------------------------------------------------------------------------
# Row -> record.


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
        kind=r["kind"], on=r["on_date"], by=r["by"], evidence=r["evidence"], note=r["note"], where=r["where_"]
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


def _procedure_records(conn: sqlite3.Connection, rows: Any) -> list[ProcedureRecord]:
    rows = list(rows)
    if not rows:
        return []
    ids = [int(r["id"]) for r in rows]
    marks = ",".join("?" * len(ids))
    steps: dict[int, list[Step]] = {}
    step_rows = conn.execute(
        f"SELECT * FROM steps WHERE procedure_id IN ({marks}) ORDER BY procedure_id, ord", ids
    ).fetchall()
    step_ids = [int(s["id"]) for s in step_rows]
    units_of: dict[int, list[str]] = {}
    for start in range(0, len(step_ids), 500):
        chunk = step_ids[start : start + 500]
        for su in conn.execute(
            "SELECT su.step_id, u.name FROM step_units su JOIN units u ON u.id = su.unit_id "
            f"WHERE su.step_id IN ({','.join('?' * len(chunk))}) ORDER BY su.step_id, su.position",
            chunk,
        ):
            units_of.setdefault(int(su[0]), []).append(str(su[1]))
    for s in step_rows:
        steps.setdefault(int(s["procedure_id"]), []).append(
            Step(
                order=int(s["ord"]),
                label=s["label"],
                text=s["text"],
                responsible=tuple(units_of.get(int(s["id"]), ())),
                responsible_text=s["responsible_text"],
                hours=s["hours"],
                duration_text=s["duration_text"],
                result=s["result"],
                branches=_strs(s["branches_json"]),
                source=_source(s["source_json"]),
            )
        )
    events: dict[int, list[Event]] = {}
    for e in conn.execute(f"SELECT * FROM events WHERE procedure_id IN ({marks}) ORDER BY on_date, id", ids):
        events.setdefault(int(e["procedure_id"]), []).append(_event(e))
    doc_ids = sorted({int(r["document_id"]) for r in rows})
    doc_marks = ",".join("?" * len(doc_ids))
    docs = {
        int(d["id"]): d
        for d in conn.execute(
            f"SELECT id, number, issued_on, issuer FROM documents WHERE id IN ({doc_marks})", doc_ids
        )
    }
    cites: dict[int, list[str]] = {}
    for c in conn.execute(
        f"SELECT document_id, number FROM citations WHERE document_id IN ({','.join('?' * len(doc_ids))}) "
        "ORDER BY document_id, position",
        doc_ids,
    ):
        lst = cites.setdefault(int(c[0]), [])
        if c[1] not in lst:
            lst.append(str(c[1]))
    out: list[ProcedureRecord] = []
    for r in rows:
        pid = int(r["id"])
        my_steps = tuple(steps.get(pid, ()))
        units: list[str] = []
        for st in my_steps:
            for u in st.responsible:
                if u not in units:
                    units.append(u)
        doc = docs[int(r["document_id"])]
        out.append(
            ProcedureRecord(
                id=pid,
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
                steps=my_steps,
                units=tuple(units),
                issuer=doc["issuer"],
                document_id=int(r["document_id"]),
                document_number=doc["number"],
                document_date=doc["issued_on"],
                supersedes_id=r["supersedes_id"],
                events=tuple(events.get(pid, ())),
                cites=tuple(cites.get(int(r["document_id"]), ())),
                forms=_strs(r["forms_json"]),
            )
        )
    return out


def procedure_details(store: Store, procedure_id: int) -> dict[str, Any]:
    """Fields the shared record lacks (fields table, records, edition, revisions...) for ``show``."""
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


class _Links:
    """Catalog -> process matching: same document first, then national code, then folded name."""

    def __init__(self, rows: list[sqlite3.Row]) -> None:
        self.by_doc_code: dict[tuple[int, str], int] = {}
        self.by_doc_name: dict[tuple[int, str], int] = {}
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.doc_names: dict[int, list[tuple[str, int]]] = {}
        for r in rows:
            pid, doc, name = int(r["id"]), int(r["document_id"]), str(r["name_folded"])
            code = _code_key(r["catalog_code"]) if r["catalog_code"] else None
            if code:
                self.by_doc_code.setdefault((doc, code), pid)
                self.by_code[code] = pid
            name = link_name(name)
            self.by_doc_name.setdefault((doc, name), pid)
            self.by_name[name] = pid
            self.doc_names.setdefault(doc, []).append((name, pid))

    def find(self, document_id: int, code: str | None, name_folded: str) -> int | None:
        key = _code_key(code) if code else None
        name_folded = link_name(name_folded)
        if key and (document_id, key) in self.by_doc_code:
            return self.by_doc_code[(document_id, key)]
        if (document_id, name_folded) in self.by_doc_name:
            return self.by_doc_name[(document_id, name_folded)]
        # Same decision, process named with a qualifier: "<catalog name> (Trường hợp ...)".
        for name, pid in self.doc_names.get(document_id, ()):
            if name_folded and name.startswith(name_folded + " "):
                return pid
        if key and key in self.by_code:
            return self.by_code[key]
        return self.by_name.get(name_folded)


def _catalog_links(conn: sqlite3.Connection) -> _Links:
    rows = conn.execute(
        "SELECT id, document_id, catalog_code, name_folded FROM procedures "
        "WHERE status != 'superseded' ORDER BY id"
    ).fetchall()
    return _Links(rows)


def _by_folded_code(conn: sqlite3.Connection, folded: str) -> list[int]:
    """Match a code typed without accents (``qt.gd.01`` for ``QT.GĐ.01``)."""
    wanted = fold(_code_key(folded))
    rows = conn.execute(
        "SELECT id, code FROM procedures WHERE status != 'superseded' AND code IS NOT NULL ORDER BY id"
    )
    return [int(r["id"]) for r in rows if fold(_code_key(r["code"])) == wanted]


def _words(text: str) -> str:
    """Folded words, punctuation dropped: "Văn phòng - Thanh tra" -> "van phong thanh tra"."""
    return " ".join(re.findall(r"\w+", fold(normalize_line(text))))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _not_found_message(conn: sqlite3.Connection, query: str, folded: str) -> str:
    import difflib

    names: dict[str, list[str]] = {}  # folded name or code -> labels (two procedures may share a name)
    for r in conn.execute("SELECT id, code, name, name_folded FROM procedures WHERE status != 'superseded'"):
        label = f"#{r['id']} " + (f"{r['code']} {_short(r['name'])}" if r["code"] else _short(r["name"]))
        names.setdefault(str(r["name_folded"]), []).append(label)
        if r["code"]:
            names.setdefault(fold(str(r["code"])), []).append(label)
    close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)
    if not close:
        words = [w for w in folded.split() if len(w) > 2]
        close = [k for k in names if words and all(w in k for w in words)][:3]
    message = f"no procedure with code or name {query!r}"
    if close:
        suggestions = "; ".join(list(dict.fromkeys(label for c in close for label in names[c]))[:5])
        message += f" (did you mean: {suggestions}?)"
        return message
    code = _code_key(query)
    for r in conn.execute(
        "SELECT c.name, c.code, c.name_folded, d.number FROM catalog_entries c "
        "JOIN documents d ON d.id = c.document_id WHERE c.status = 'active' ORDER BY c.id"
    ):
        if r["name_folded"] == folded or (r["code"] and _code_key(r["code"]) == code):
            where = f" of {r['number']}" if r["number"] else ""
            message += f" (it is a catalog entry{where} with no internal process registered: {r['name']})"
            break
    return message


# --------------------------------------------------------------------------------------------------
# Writing.


def _alias_key(name: str) -> str:
    """Folded unit name with spaces squeezed (also around ``/`` and ``&``): how aliases are matched."""
    folded = " ".join(fold(normalize_line(name)).split())
    return re.sub(r"\s*([/&])\s*", r"\1", folded)


def _unit_id(conn: sqlite3.Connection, name: str, cache: dict[str, int]) -> int:
    if name in cache:
        return cache[name]
    row = conn.execute("SELECT id FROM units WHERE name = ?", (name,)).fetchone()
    if row is None:
        cur = conn.execute("INSERT INTO units (name, name_folded) VALUES (?, ?)", (name, fold(name)))
        uid = int(cur.lastrowid or 0)
    else:
        uid = int(row[0])
    cache[name] = uid
    return uid


def _merge_unit(conn: sqlite3.Connection, alias: str, canonical: str) -> int:
    if fold(alias) == fold(canonical) and alias == canonical:
        return 0
    target = _unit_id(conn, canonical, {})
    moved = 0
    for row in conn.execute(
        "SELECT id FROM units WHERE (name = ? OR name_folded = ?) AND id != ?", (alias, fold(alias), target)
    ).fetchall():
        uid = int(row[0])
        refs = conn.execute("SELECT step_id, position FROM step_units WHERE unit_id = ?", (uid,)).fetchall()
        for step_id, position in refs:
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
            moved += 1
        conn.execute("DELETE FROM units WHERE id = ?", (uid,))
    return moved


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """INSERT one row from a column -> value mapping; returns the new rowid."""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
    return int(cur.lastrowid or 0)


def _insert_event(conn: sqlite3.Connection, procedure_id: int, event: Event, document_id: int | None) -> None:
    conn.execute(
        "INSERT INTO events (procedure_id, kind, on_date, by, evidence, note, where_, document_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            procedure_id,
            event.kind,
            event.on or "",
            event.by,
            event.evidence,
            event.note,
            event.where,
            document_id,
        ),
    )


def _publisher(parsed: ParsedDocument) -> tuple[str | None, str | None]:
    """(by, note) for a document-derived event: the issuer acts, the signer is noted."""
    signer = parsed.signer
    signer_text = None
    if signer and signer.name:
        signer_text = "Người ký: " + signer.name + (f" ({signer.position})" if signer.position else "")
    by = parsed.issuer or (signer.name if signer else None)
    return by, signer_text


def _insert_document(conn: sqlite3.Connection, parsed: ParsedDocument, path: str) -> WriteResult:
    signer = parsed.signer
    doc_id = _insert(
        conn,
        "documents",
        {
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
        },
    )
    # The same file edited and ingested again: its earlier text is replaced (kept, never deleted).
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
            "INSERT INTO targets (document_id, position, section, value, unit, qualifier, text, source_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                pos,
                t.section,
                t.value,
                t.unit,
                t.qualifier,
                t.text,
                _dumps(t.source) if t.source else None,
            ),
        )

    abolishing = parsed.change_type == "abolished"
    abolished = 0
    by, note = _publisher(parsed)
    for pos, e in enumerate(parsed.catalog, 1):
        entry_abolishes = e.change == "abolished" or (abolishing and e.change in (None, "abolished"))
        if entry_abolishes:
            abolished += _abolish_matching(conn, e, parsed, doc_id, by, note)
            status = "abolished"
        else:
            status = _supersede_catalog(conn, e, parsed)
        _insert(
            conn,
            "catalog_entries",
            {
                "document_id": doc_id,
                "position": pos,
                "status": status,
                "name": e.name,
                "name_folded": fold(normalize_line(e.name)),
                "ord": e.order,
                "code": e.code,
                "field": e.field,
                "time_limit": e.time_limit,
                "time_limit_hours": e.time_limit_hours,
                "place": e.place,
                "fee": e.fee,
                "legal_basis": e.legal_basis,
                "agency": e.agency,
                "grp": e.group,
                "change": e.change,
                "internal": int(e.internal),
                "warnings_json": _dumps(e.warnings),
                "source_json": _dumps(e.source) if e.source else None,
            },
        )

    unit_cache: dict[str, int] = {}
    aliases = {
        _alias_key(str(r[0])): str(r[1]) for r in conn.execute("SELECT alias, canonical FROM unit_aliases")
    }
    procedures = 0
    steps = 0
    new_versions: list[int] = []
    seen_keys: dict[str, int] = {}
    for pos, proc in enumerate(parsed.procedures, 1):
        key = procedure_key(proc, parsed.issuer)
        # The same key twice in one document (e.g. a "quy trình nội bộ" and a "quy trình điện tử" of one
        # TTHC) names two processes, not two versions: number the repeats.
        seen_keys[key] = seen_keys.get(key, 0) + 1
        if seen_keys[key] > 1:
            key = f"{key}#{seen_keys[key]}"
        content = _content_hash(proc)
        same = conn.execute(
            "SELECT id FROM procedures WHERE key = ? AND content_hash = ? AND status != 'superseded' "
            "ORDER BY version DESC",
            (key, content),
        ).fetchone()
        if same is not None:
            # Published again unchanged by another document: one more "published" event, no new version
            # (none when that decision's publication is already logged: the same decision in another format).
            if parsed.kind == "decision" and not _already_published(conn, int(same[0]), parsed):
                _insert_event(conn, int(same[0]), _published(parsed, by, note), doc_id)
            continue
        twin = _same_decision_version(conn, key, parsed, path)
        if twin is not None:
            # The same decision in another file (the .pdf of a .docx already registered) read slightly
            # differently: the first reading stays, the other is not a new version.
            log.info("%s: %s already registered from %s (same decision); kept that one", path, key, twin)
            continue
        internal = _is_internal(proc, parsed.catalog, parsed.title)
        pid = _insert_procedure(
            conn, proc, key, content, doc_id, pos, unit_cache, internal=internal, aliases=aliases
        )
        procedures += 1
        steps += len(proc.steps)
        # Supersede first, so the history reads "v1 superseded" then "v2 published" on the same day.
        if _order_versions(conn, key, parsed, by, doc_id):
            new_versions.append(pid)
        if parsed.kind == "decision":
            _insert_event(conn, pid, _published(parsed, by, note), doc_id)
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


def _is_internal(proc: Procedure, catalog: Sequence[CatalogEntry], title: str | None) -> bool:
    """Whether a process is a TTHC nội bộ (between state agencies), from what its document says.

    Its catalog row in the same document decides (by national code, else by name ignoring a leading
    "Thủ tục"/"TTHC" and numbering), that row's group heading ("Thủ tục hành chính nội bộ cấp tỉnh")
    included; with no matching row, a catalog whose rows are all internal, else the decision's title
    ("Công bố thủ tục hành chính nội bộ ..."; a "quy trình nội bộ" of an ordinary TTHC is not one).
    """
    name = link_name(proc.name)
    code = _code_key(proc.catalog_code) if proc.catalog_code else None
    matched = [e for e in catalog if code and e.code and _code_key(e.code) == code]
    matched = matched or [e for e in catalog if link_name(e.name) == name]
    if not matched:  # "<catalog name> (Trường hợp ...)" / "<catalog name> - quy trình điện tử"
        matched = [e for e in catalog if link_name(e.name) and name.startswith(link_name(e.name) + " ")]
    if matched:
        return matched[0].internal or bool(INTERNAL_TTHC.search(fold(matched[0].group or "")))
    if catalog and all(e.internal for e in catalog):
        return True
    return bool(INTERNAL_TTHC.search(" ".join(fold(normalize_line(title or "")).split())))


def _already_published(conn: sqlite3.Connection, procedure_id: int, parsed: ParsedDocument) -> bool:
    """True when this procedure already has a ``published`` event of this decision (number and date)."""
    if not parsed.number:
        return False
    wanted = _code_key(parsed.number)
    rows = conn.execute(
        "SELECT evidence FROM events WHERE procedure_id = ? AND kind = 'published' AND on_date = ?",
        (procedure_id, parsed.issued_on or ""),
    )
    return any(r[0] and _code_key(str(r[0])) == wanted for r in rows)


def _same_decision_version(
    conn: sqlite3.Connection, key: str, parsed: ParsedDocument, path: str
) -> str | None:
    """The path of another file of the same decision (number and date; the number names the issuer)."""
    if not parsed.number or not parsed.issued_on:
        return None
    wanted = _code_key(parsed.number)
    rows = conn.execute(
        "SELECT d.path, d.number FROM procedures p JOIN documents d ON d.id = p.document_id "
        "WHERE p.key = ? AND d.issued_on = ? AND d.path != ? AND d.replaced_by IS NULL",
        (key, parsed.issued_on, path),
    )
    for r in rows:
        if r["number"] and _code_key(r["number"]) == wanted:
            return str(r["path"])
    return None


def _published(parsed: ParsedDocument, by: str | None, note: str | None) -> Event:
    return Event(kind="published", on=parsed.issued_on or "", by=by, evidence=parsed.number, note=note)


def _insert_procedure(
    conn: sqlite3.Connection,
    proc: Procedure,
    key: str,
    content: str,
    doc_id: int,
    position: int,
    unit_cache: dict[str, int],
    *,
    internal: bool = False,
    aliases: dict[str, str] | None = None,
) -> int:
    next_version = conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM procedures WHERE key = ?", (key,))
    pid = _insert(
        conn,
        "procedures",
        {
            "key": key,
            "version": int(next_version.fetchone()[0]),
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
            "source_json": _dumps(proc.source) if proc.source else None,
            "content_hash": content,
            "document_id": doc_id,
            "position": position,
        },
    )
    for st in proc.steps:
        sid = _insert(
            conn,
            "steps",
            {
                "procedure_id": pid,
                "ord": st.order,
                "label": st.label,
                "text": st.text,
                "responsible_text": st.responsible_text,
                "hours": st.hours,
                "duration_text": st.duration_text,
                "result": st.result,
                "branches_json": _dumps(st.branches),
                "source_json": _dumps(st.source) if st.source else None,
            },
        )
        seen: set[int] = set()
        for upos, name in enumerate(st.responsible, 1):
            name = normalize_line(name)
            # The user's aliases win over whatever the parser resolved (its shipped table may have mapped
            # "Bộ phận TN&TKQ" to "Bộ phận Một cửa", itself a user alias of another name).
            name = aliases.get(_alias_key(name), name) if aliases else name
            uid = _unit_id(conn, name, unit_cache)
            if uid in seen:
                continue
            seen.add(uid)
            conn.execute(
                "INSERT INTO step_units (step_id, unit_id, position) VALUES (?, ?, ?)", (sid, uid, upos)
            )
    return pid


def _order_versions(
    conn: sqlite3.Connection, key: str, parsed: ParsedDocument, by: str | None, doc_id: int
) -> bool:
    """Renumber the versions of ``key`` by publishing date; mark all but the latest superseded.

    Returns:
        True when the key now has more than one version.
    """
    rows = conn.execute(
        "SELECT p.id, p.version, p.status, p.supersedes_id, d.issued_on, d.number, d.issuer "
        "FROM procedures p JOIN documents d ON d.id = p.document_id WHERE p.key = ? ORDER BY p.id",
        (key,),
    ).fetchall()
    if len(rows) < 2:
        return False
    ordered = sorted(rows, key=lambda r: (_date_sort(r["issued_on"]), int(r["id"])))
    previous: int | None = None
    changes: list[tuple[int, str, int | None, int]] = []
    for version, r in enumerate(ordered, 1):
        pid = int(r["id"])
        status = r["status"]
        if version < len(ordered) and status == "active":
            status = "superseded"
            newer = ordered[version]
            event = Event(
                kind="superseded",
                on=newer["issued_on"] or parsed.issued_on or "",
                by=newer["issuer"] or by,
                evidence=newer["number"],
                note=f"thay bằng phiên bản {version + 1}",
            )
            _insert_event(conn, pid, event, doc_id)
        if (int(r["version"]), r["status"], r["supersedes_id"]) != (version, status, previous):
            changes.append((version, status, previous, pid))
        previous = pid
    # Two passes so (key, version) stays unique while versions are renumbered.
    for _, _, _, pid in changes:
        conn.execute("UPDATE procedures SET version = -id WHERE id = ?", (pid,))
    for change in changes:
        conn.execute("UPDATE procedures SET version = ?, status = ?, supersedes_id = ? WHERE id = ?", change)
    return True


def _abolish_matching(
    conn: sqlite3.Connection,
    entry: CatalogEntry,
    parsed: ParsedDocument,
    doc_id: int,
    by: str | None,
    note: str | None,
) -> int:
    """Mark procedures and catalog entries matching an abolished catalog row ``abolished``.

    A national code matches wherever it was published; a name matches only among the same issuer's
    records (another province's procedure of the same name is not abolished by this decision).
    """
    name = link_name(entry.name)
    code = _code_key(entry.code) if entry.code else None
    who = issuer_key(parsed.issuer)

    def matches(row_code: str | None, row_name: str, row_issuer: str | None) -> bool:
        if code and row_code and _code_key(row_code) == code:
            return True
        same_issuer = not who or not row_issuer or issuer_key(row_issuer) == who
        return bool(name) and link_name(row_name) == name and same_issuer

    count = 0
    proc_rows = conn.execute(
        "SELECT p.id, p.catalog_code, p.name_folded, d.issuer FROM procedures p "
        "JOIN documents d ON d.id = p.document_id WHERE p.status = 'active'"
    ).fetchall()
    for r in proc_rows:
        if matches(r["catalog_code"], r["name_folded"], r["issuer"]):
            conn.execute("UPDATE procedures SET status = 'abolished' WHERE id = ?", (r["id"],))
            event = Event(
                kind="abolished", on=parsed.issued_on or "", by=by, evidence=parsed.number, note=note
            )
            _insert_event(conn, int(r["id"]), event, doc_id)
            count += 1
    cat_rows = conn.execute(
        "SELECT c.id, c.code, c.name_folded, d.issuer FROM catalog_entries c "
        "JOIN documents d ON d.id = c.document_id WHERE c.status = 'active'"
    ).fetchall()
    for r in cat_rows:
        if matches(r["code"], r["name_folded"], r["issuer"]):
            conn.execute("UPDATE catalog_entries SET status = 'abolished' WHERE id = ?", (r["id"],))
            count += 1
    return count


def _supersede_catalog(conn: sqlite3.Connection, entry: CatalogEntry, parsed: ParsedDocument) -> str:
    """Settle an incoming catalog row against the same issuer's earlier rows of the same TTHC.

    Earlier rows (by decision date) become ``superseded``; when the registry already holds a later
    decision's row, the incoming one is the superseded one.

    Returns:
        The status of the incoming row.
    """
    name = fold(normalize_line(entry.name))
    code = _code_key(entry.code) if entry.code else None
    who = issuer_key(parsed.issuer)
    if not who:
        return "active"
    rows = conn.execute(
        "SELECT c.id, c.code, c.name_folded, d.issuer, d.issued_on, d.number FROM catalog_entries c "
        "JOIN documents d ON d.id = c.document_id "
        "WHERE c.status = 'active' AND (c.name_folded = ? OR c.code = ?)",
        (name, entry.code or ""),
    ).fetchall()
    status = "active"
    mine = _date_sort(parsed.issued_on)
    number = _code_key(parsed.number) if parsed.number else None
    for r in rows:
        # The same decision read from another file (.docx and .pdf) counts as the same issuer whatever
        # its header reading gave.
        same_decision = bool(number and r["number"] and _code_key(r["number"]) == number)
        if issuer_key(r["issuer"]) != who and not same_decision:
            continue
        if not ((code and r["code"] and _code_key(r["code"]) == code) or r["name_folded"] == name):
            continue
        if _date_sort(r["issued_on"]) <= mine:
            conn.execute("UPDATE catalog_entries SET status = 'superseded' WHERE id = ?", (r["id"],))
        else:
            status = "superseded"
    return status
