"""The registry's schema: tables, migrations, and opening a registry file (WAL, busy timeout, migration).

The schema is versioned with ``PRAGMA user_version`` and an ordered list of migration scripts. The journal
is WAL with a generous ``busy_timeout``, so two processes may ingest at once; foreign keys are on; the
event log is append-only (triggers forbid UPDATE and DELETE on ``events``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from procreg.i18n import _, message_text
from procreg.registry.errors import StoreError
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import INTERNAL_TTHC

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "connect", "split_script"]

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
    # 4 (issue 13, an audit a department can sign): every file ingested is a rendering of one document
    # (a decision is one document whatever its format); documents carry their identity (number and
    # date, or content); units one key each (case, dashes, final punctuation aside); events on catalog
    # entries too, with a hash chain, a head and a log of trigger repairs. The events table is rebuilt
    # and the data filled in by ``_upgrade_to_4``.
    """
    CREATE TABLE renderings (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id),
        path        TEXT NOT NULL,
        sha256      TEXT NOT NULL UNIQUE,
        format      TEXT NOT NULL
    );
    CREATE INDEX renderings_document ON renderings (document_id);
    INSERT INTO renderings (document_id, path, sha256, format)
        SELECT id, path, sha256, format FROM documents ORDER BY id;

    ALTER TABLE documents ADD COLUMN identity TEXT NOT NULL DEFAULT '';
    CREATE INDEX documents_identity ON documents (identity);

    ALTER TABLE units ADD COLUMN name_key TEXT NOT NULL DEFAULT '';

    CREATE TABLE integrity_log (
        id       INTEGER PRIMARY KEY,
        kind     TEXT NOT NULL,
        detail   TEXT NOT NULL,
        accepted TEXT
    );

    CREATE TABLE event_head (
        one       INTEGER PRIMARY KEY CHECK (one = 1),
        last_id   INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        count     INTEGER NOT NULL
    );
    """,
    # 5 (web accounts, issue 16): who may use ``procreg serve``, with a role and a salted password hash
    # (never the password). Accounts are no registry data: changing them leaves ``data_version`` alone.
    """
    CREATE TABLE users (
        name     TEXT PRIMARY KEY,
        role     TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        password TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def connect(db_path: Path) -> sqlite3.Connection:
    """Open (creating and migrating when needed) the registry at ``db_path``.

    Raises:
        StoreError: the file is not a registry, is newer than this program, or cannot be opened.
    """
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            _("cannot open the registry: %(detail)s") % {"detail": exc}, path=str(db_path)
        ) from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _set_up_when_free(conn, db_path)
        _guard_events(conn, db_path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            _("not a usable registry database: %(detail)s") % {"detail": exc}, path=str(db_path)
        ) from None
    except StoreError:
        conn.close()
        raise
    return conn


def _set_up_when_free(conn: sqlite3.Connection, db_path: Path) -> None:
    """WAL mode and migrations, retried while another process creates the same registry.

    Switching to WAL takes an exclusive lock that SQLite's busy handler does not wait for, so two
    commands opening a new registry at once would otherwise fail with "database is locked".
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, db_path)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _guard_events(conn: sqlite3.Connection, db_path: Path) -> None:
    """Put back the triggers that guard the event log when someone dropped or changed them, and say so.

    The repair is recorded in ``integrity_log`` (``procreg check`` reports it until accepted). A registry
    that cannot be written keeps its state; ``procreg check`` reports the triggers as they are.
    """
    from procreg.registry.store.chain import restore_triggers, trigger_problems

    if not trigger_problems(conn):
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        log.warning(
            _("%(path)s: the event log's triggers are damaged and cannot be restored (%(detail)s)"),
            {"path": db_path, "detail": exc},
        )
        return
    try:
        # Checked again under the write lock: another process may have repaired them meanwhile.
        problems = restore_triggers(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if not problems:
        return
    log.warning(
        _("%(path)s: %(problems)s behind procreg's back; restored (run `procreg check`)"),
        {"path": db_path, "problems": "; ".join(message_text(p) for p in problems)},
    )


def _migrate(conn: sqlite3.Connection, db_path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StoreError(
            _("registry schema %(found)d is newer than this procreg (%(known)d); upgrade procreg")
            % {"found": version, "known": SCHEMA_VERSION},
            path=str(db_path),
        )
    if version == 0 and conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
        raise StoreError(_("not a procreg registry (an SQLite file with other tables)"), path=str(db_path))
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for number in range(version, SCHEMA_VERSION):
            log.debug("migrating registry schema %d -> %d", number, number + 1)
            for statement in split_script(MIGRATIONS[number]):
                conn.execute(statement)
            after = _AFTER_MIGRATION.get(number + 1)
            if after is not None:
                after(conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def split_script(script: str) -> list[str]:
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
# Schema 2's data upgrade: ``procedures.internal`` filled for rows written before it was, and name keys
# without a leading "Thủ tục". It applies the identity rules as they stood when schema 2 came, copied
# here on purpose: the store imports no domain module, and a migration must mean the same thing whatever
# the live rules (procreg.procedures.identity) become later.

_V2_NUMBERING = re.compile(
    r"^(?:\d+(?:\.\d+)+(?=\s)|\(?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]+|\d+(?:\.\d+)*\s*[-–:])\s*"
)
_V2_NAME_WORDS = re.compile(
    r"^(?:thu tuc hanh chinh(?: noi bo)?|thu tuc|tthc(?: noi bo)?|quy trinh(?: noi bo)?)\b\s*[:\-–.]?\s*"
)
_V2_PUNCT_SPACES = re.compile(r"\s*([-/,;:.])\s*")


def _v2_code_key(code: str) -> str:
    return "".join(normalize_line(code).split()).upper()


def _v2_bare_name(name: str) -> str:
    """A name folded, without leading numbering, "Thủ tục"/"TTHC"/"Quy trình" or trailing punctuation."""
    text = " ".join(fold(normalize_line(name)).split())
    while True:
        stripped = _V2_NAME_WORDS.sub("", _V2_NUMBERING.sub("", text))
        if stripped == text or not stripped:
            break
        text = stripped
    text = _V2_PUNCT_SPACES.sub(r"\1", text.replace("–", "-").replace("—", "-"))
    return text.rstrip(" .;:,")


def _v2_is_internal(
    name: str, catalog_code: str | None, catalog: list[sqlite3.Row], title: str | None
) -> bool:
    """Whether a process is a TTHC nội bộ, as schema 2 decided it.

    Its catalog row of the same document says so (flag or group heading), else a catalog of internal rows
    only, else the decision's title.
    """
    bare = _v2_bare_name(name)
    code = _v2_code_key(catalog_code) if catalog_code else None
    matched = [e for e in catalog if code and e["code"] and _v2_code_key(e["code"]) == code]
    matched = matched or [e for e in catalog if _v2_bare_name(e["name"]) == bare]
    if not matched:
        matched = [
            e for e in catalog if _v2_bare_name(e["name"]) and bare.startswith(_v2_bare_name(e["name"]) + " ")
        ]
    if matched:
        return bool(matched[0]["internal"]) or bool(INTERNAL_TTHC.search(fold(matched[0]["grp"] or "")))
    if catalog and all(e["internal"] for e in catalog):
        return True
    return bool(INTERNAL_TTHC.search(" ".join(fold(normalize_line(title or "")).split())))


def _backfill_internal(conn: sqlite3.Connection) -> None:
    """Set ``procedures.internal`` from each procedure's document (registries written before it was)."""
    catalogs: dict[int, list[sqlite3.Row]] = {}
    for r in conn.execute("SELECT * FROM catalog_entries ORDER BY document_id, position").fetchall():
        catalogs.setdefault(int(r["document_id"]), []).append(r)
    titles = {int(r[0]): r[1] for r in conn.execute("SELECT id, title FROM documents")}
    rows = conn.execute("SELECT id, name, catalog_code, document_id FROM procedures WHERE internal = 0")
    for r in rows.fetchall():
        doc = int(r["document_id"])
        if _v2_is_internal(str(r["name"]), r["catalog_code"], catalogs.get(doc, []), titles.get(doc)):
            conn.execute("UPDATE procedures SET internal = 1 WHERE id = ?", (r["id"],))


def _rekey_names(conn: sqlite3.Connection) -> None:
    """Re-key name-keyed procedures by their bare name (schema 1 kept a leading "Thủ tục" in the key)."""
    rows = conn.execute(
        "SELECT id, key, version FROM procedures WHERE key LIKE 'name:%' ORDER BY id"
    ).fetchall()
    for r in rows:
        base, sep, repeat = str(r["key"]).partition("#")
        name, bar, rest = base[len("name:") :].partition("|")
        new = "name:" + _v2_bare_name(name) + bar + rest + sep + repeat
        if new == r["key"]:
            continue
        taken = conn.execute("SELECT 1 FROM procedures WHERE key = ? AND version = ?", (new, r["version"]))
        if taken.fetchone() is None:
            conn.execute("UPDATE procedures SET key = ? WHERE id = ?", (new, r["id"]))


def _upgrade_to_2(conn: sqlite3.Connection) -> None:
    _backfill_internal(conn)
    _rekey_names(conn)


# --------------------------------------------------------------------------------------------------
# Schema 4's data upgrade: document identities, one unit per key, and the event log rebuilt as a hash
# chain. Like schema 2's, the rules are copied as they stood: identity of a document is its number and
# date (the issuer is compared when two documents share them), else its text; a unit's key ignores case,
# accents, dashes and final punctuation.

_V4_EVENTS = """
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    procedure_id INTEGER REFERENCES procedures (id),
    catalog_id   INTEGER REFERENCES catalog_entries (id),
    kind         TEXT NOT NULL,
    on_date      TEXT NOT NULL DEFAULT '',
    by           TEXT,
    evidence     TEXT,
    note         TEXT,
    where_       TEXT,
    document_id  INTEGER REFERENCES documents (id),
    origin       TEXT NOT NULL DEFAULT 'user' CHECK (origin IN ('user', 'ingest')),
    forced       TEXT,
    cancels      INTEGER REFERENCES events (id),
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    CHECK ((procedure_id IS NULL) != (catalog_id IS NULL))
)
"""


def v4_document_identity(number: str | None, issued_on: str | None, text: str) -> str:
    """A document's identity key: ``no:<number key>|<date>``, else ``text:<hash of its folded text>``."""
    if number and number.strip() and issued_on:
        key = fold(re.sub(r"\s+", "", number)).upper()
        return f"no:{key}|{issued_on}"
    squashed = re.sub(r"[\W_]+", "", fold(normalize_line(text)))
    return "text:" + hashlib.sha256(squashed.encode("utf-8")).hexdigest()


def v4_unit_key(name: str) -> str:
    """A unit's identity key: folded, dashes and spaces squeezed, final punctuation dropped."""
    text = fold(normalize_line(name))
    text = re.sub(r"\s*[-\u2010-\u2015\u2212]+\s*", " - ", text)
    text = re.sub(r"\s*([/&])\s*", r"\1", text)
    return " ".join(text.split()).strip(" .,;:-")


def _identify_documents(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT id, number, issued_on, text FROM documents").fetchall()
    for r in rows:
        identity = v4_document_identity(r["number"], r["issued_on"], str(r["text"] or ""))
        conn.execute("UPDATE documents SET identity = ? WHERE id = ?", (identity, r["id"]))


def _key_units(conn: sqlite3.Connection) -> None:
    """Give every unit its key and merge the units that share one into the first (lowest id)."""
    keep: dict[str, int] = {}
    for r in conn.execute("SELECT id, name FROM units ORDER BY id").fetchall():
        key = v4_unit_key(str(r["name"]))
        if key not in keep:
            keep[key] = int(r["id"])
            conn.execute("UPDATE units SET name_key = ? WHERE id = ?", (key, r["id"]))
            continue
        target = keep[key]
        for ref in conn.execute("SELECT step_id, position FROM step_units WHERE unit_id = ?", (r["id"],)):
            taken = conn.execute(
                "SELECT 1 FROM step_units WHERE step_id = ? AND unit_id = ?", (ref[0], target)
            ).fetchone()
            if taken:
                conn.execute("DELETE FROM step_units WHERE step_id = ? AND position = ?", (ref[0], ref[1]))
            else:
                conn.execute(
                    "UPDATE step_units SET unit_id = ? WHERE step_id = ? AND position = ?", (target, *ref)
                )
        conn.execute("DELETE FROM units WHERE id = ?", (r["id"],))
    conn.execute("CREATE UNIQUE INDEX units_key ON units (name_key)")


def _chain_events(conn: sqlite3.Connection) -> None:
    """Rebuild the event log with the new columns, renumbered 1..n in order, each row hashed and linked."""
    from procreg.registry.store.chain import TRIGGERS, event_digest

    conn.execute("ALTER TABLE events RENAME TO events_v3")
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
    conn.execute(_V4_EVENTS)
    previous, count = "", 0
    for old in conn.execute("SELECT * FROM events_v3 ORDER BY id").fetchall():
        count += 1
        row: dict[str, object] = {
            "id": count,
            "procedure_id": old["procedure_id"],
            "catalog_id": None,
            "kind": old["kind"],
            "on_date": old["on_date"],
            "by": old["by"],
            "evidence": old["evidence"],
            "note": old["note"],
            "where_": old["where_"],
            "document_id": old["document_id"],
            # Events a decision brought carry its document; those typed by a user do not.
            "origin": "ingest" if old["document_id"] is not None else "user",
            "forced": None,
            "cancels": None,
            "prev_hash": previous,
        }
        row["hash"] = previous = event_digest(row)
        columns = ", ".join(row)
        conn.execute(
            f"INSERT INTO events ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
    conn.execute("DROP TABLE events_v3")
    conn.execute("CREATE INDEX events_procedure ON events (procedure_id)")
    conn.execute("CREATE INDEX events_catalog ON events (catalog_id)")
    for sql in TRIGGERS.values():
        conn.execute(sql)
    conn.execute(
        "INSERT INTO event_head (one, last_id, last_hash, count) VALUES (1, ?, ?, ?)",
        (count, previous, count),
    )


def _upgrade_to_4(conn: sqlite3.Connection) -> None:
    _identify_documents(conn)
    _key_units(conn)
    _chain_events(conn)


# Python steps run right after a migration script (keyed by the version the script reaches).
_AFTER_MIGRATION: dict[int, Callable[[sqlite3.Connection], None]] = {2: _upgrade_to_2, 4: _upgrade_to_4}
