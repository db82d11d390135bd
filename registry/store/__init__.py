"""The SQLite registry: documents, catalog entries, procedure versions, steps, units, events.

One file, ``$PROCREG_HOME/registry.db``, the single source of truth (the search index is a cache of it).
The store does storage only: SQL in, records out. What a document means for the registry (which
procedure it is, which version is current, what it abolishes or supersedes) is decided by
``procreg.procedures.identity``; the use cases ask it and have the store write the answer.

- ``schema``: tables, migrations (``PRAGMA user_version``), opening with WAL and a busy timeout.
- ``reads``: queries returning records (``Reader``).
- ``writes``: inserts and updates inside a write transaction (``Writer``).

Every write is one ``BEGIN IMMEDIATE`` transaction (one ingested file is one transaction, so a crash
mid-file leaves nothing of it), and each write transaction bumps ``data_version`` (the report settings
of ``procreg config`` are no registry data: setting them leaves it alone). Documents are keyed by
the sha256 of the file's bytes. A file edited and ingested again from the same path is a new document;
the earlier text is kept but marked replaced. Nothing is ever deleted, and the event log is append-only.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from procreg.i18n import _
from procreg.registry.errors import NotFound, StoreError
from procreg.registry.models import Event
from procreg.registry.store.reads import (
    Reader,
    StoredDocument,
    procedure_details,
    read_settings,
    read_symbols,
)
from procreg.registry.store.schema import MIGRATIONS, SCHEMA_VERSION, connect
from procreg.registry.store.writes import Writer
from procreg.text import fold, normalize_line

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Reader",
    "Store",
    "StoredDocument",
    "Writer",
    "procedure_details",
    "read_settings",
    "read_symbols",
]


class Store(Reader):
    """The registry database. Use as a context manager: ``with Store.open(path) as store: ...``.

    Reads are the ``Reader`` methods; ``writing()`` gives a ``Writer`` inside one write transaction.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn)
        self.path = path
        # The data version the last write transaction of this connection committed (None before one).
        self.written_version: int | None = None

    @classmethod
    def open(cls, db_path: Path) -> Store:
        """Open (creating and migrating when needed) the registry at ``db_path``.

        Raises:
            StoreError: the file is not a registry, is newer than this program, or cannot be opened.
        """
        return cls(connect(db_path), db_path)

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
    def writing(self) -> Iterator[Writer]:
        """One write transaction (``BEGIN IMMEDIATE``), bumping ``data_version`` on commit.

        Any exception rolls everything back; SQLite's own failures (locked, disk full, I/O) become
        ``StoreError``.

        Raises:
            StoreError: the registry is busy or read-only, or the write failed.
        """
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                _("registry is busy or read-only: %(detail)s") % {"detail": exc}, path=str(self.path)
            ) from None
        try:
            yield Writer(conn)
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
            written = int(conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
            conn.execute("COMMIT")
            self.written_version = written
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(
                    _("registry write failed: %(detail)s") % {"detail": exc}, path=str(self.path)
                ) from exc
            raise

    # ---------------------------------------------------------------------------------------------
    # One-write operations.

    def add_event(
        self,
        procedure_id: int | None,
        event: Event,
        *,
        status: str | None = None,
        catalog_id: int | None = None,
        document_id: int | None = None,
        same_entry: Sequence[int] = (),
    ) -> int:
        """Append an event to a procedure or a catalog entry (and set its status) in one transaction.

        ``same_entry``: other catalog rows of the same entry (another decision listing it), whose status
        changes with it.

        Returns:
            The event's id.

        Raises:
            NotFound: no such procedure or catalog entry.
        """
        with self.writing() as w:
            if procedure_id is not None:
                if not w.has_procedure(procedure_id):
                    raise NotFound(_("no procedure with id %(id)d") % {"id": procedure_id})
            elif catalog_id is None or not w.has_catalog_entry(catalog_id):
                raise NotFound(_("no catalog entry with id %(id)d") % {"id": catalog_id})
            event_id = w.add_event(procedure_id, event, document_id, catalog_id=catalog_id)
            if status is not None and procedure_id is not None:
                w.set_procedure_status(procedure_id, status)
            elif status is not None and catalog_id is not None:
                for row in (catalog_id, *same_entry):
                    w.set_catalog_status(row, status)
            return event_id

    def accept_incidents(self, reason: str) -> int:
        """Record that someone looked at the trigger repairs ``procreg check`` reports; returns how many.

        Raises:
            StoreError: the registry is busy or read-only.
        """
        with self.writing() as w:
            return w.accept_incidents(reason)

    def add_symbol(self, symbol: str, name: str) -> bool:
        """Add (or rename) an issuer symbol.

        Returns:
            True when the symbol is new, False when an existing one was given a new name.
        """
        with self.writing() as w:
            return w.add_symbol(normalize_line(symbol), normalize_line(name))

    def remove_symbol(self, symbol: str) -> None:
        """Forget a user symbol.

        Raises:
            NotFound: the user table has no such symbol.
        """
        with self.writing() as w:
            w.remove_symbol(normalize_line(symbol))

    def add_unit_alias(self, alias: str, canonical: str) -> int:
        """Record a user alias and merge an existing unit of that name into the canonical one.

        Returns:
            How many step references were moved to the canonical unit.
        """
        with self.writing() as w:
            return w.add_unit_alias(normalize_line(alias), normalize_line(canonical))

    def merge_units(self, source: str, into: str) -> int:
        """Merge unit ``source`` into ``into`` (and remember ``source`` as an alias of it).

        Returns:
            How many step references were moved.

        Raises:
            NotFound: no unit is named ``source``.
        """
        source = normalize_line(source)
        name = self.unit_named(source)
        if name is None:
            known = self.unit_names()
            close = difflib.get_close_matches(fold(source), list(known), n=3, cutoff=0.6)
            if close:
                raise NotFound(
                    _("no unit named %(unit)r (did you mean: %(close)s?); see `procreg units list`")
                    % {"unit": source, "close": "; ".join(known[c] for c in close)}
                )
            raise NotFound(_("no unit named %(unit)r; see `procreg units list`") % {"unit": source})
        return self.add_unit_alias(name, into)

    # ---------------------------------------------------------------------------------------------
    # Report settings (``procreg config``). Settings are no registry data: writing them leaves
    # ``data_version`` (and so the search index) alone, so each is one statement outside ``writing()``.

    def set_setting(self, key: str, value: str) -> None:
        """Set one setting (replacing its value).

        Raises:
            StoreError: the registry is busy or read-only.
        """
        sql = (
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        self._write_setting(sql, (key, value))

    def unset_setting(self, key: str) -> bool:
        """Remove one setting; True when it was set.

        Raises:
            StoreError: the registry is busy or read-only.
        """
        return self._write_setting("DELETE FROM settings WHERE key = ?", (key,))

    def _write_setting(self, sql: str, args: tuple[str, ...]) -> bool:
        """Run one settings statement (atomic on its own); True when it changed a row."""
        try:
            return self._conn.execute(sql, args).rowcount > 0
        except sqlite3.OperationalError as exc:
            raise StoreError(
                _("registry write failed: %(detail)s") % {"detail": exc}, path=str(self.path)
            ) from None

    # ---------------------------------------------------------------------------------------------
    # Web accounts (``procreg user``): no registry data either, one statement each.

    def set_account(self, name: str, role: str, password_hash: str) -> bool:
        """Add the account ``name`` or replace its role and password; True when it is new.

        Raises:
            StoreError: the registry is busy or read-only.
        """
        new = self.account(name) is None
        sql = (
            "INSERT INTO users (name, role, password) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET role = excluded.role, password = excluded.password"
        )
        self._write_setting(sql, (name, role, password_hash))
        return new

    def remove_account(self, name: str) -> bool:
        """Remove the account ``name``; True when there was one.

        Raises:
            StoreError: the registry is busy or read-only.
        """
        return self._write_setting("DELETE FROM users WHERE name = ?", (name,))
