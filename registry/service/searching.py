"""Search use cases: keep the index in line with the registry, search it, check and rebuild it.

The index (``$PROCREG_HOME/index/``) is a cache of the SQLite registry, never the source of truth:
``sync_index`` brings it in line with the store by id and content fingerprint (called by ``ingest``
and every lifecycle command), a search first compares the registry's ``data_version`` with the one
the index was last synced at and catches up when a command was interrupted, and an index that is
missing, fails to open or has another schema version is rebuilt with a one-line notice. Writers are
serialised by an fcntl lock (``index.state.WriterLock``).
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from procreg.i18n import N_, _
from procreg.procedures.scope import live_events
from procreg.registry.errors import IndexError_
from procreg.registry.models import CatalogRecord, DocumentRecord, IndexDoc, ProcedureRecord, SearchResult
from procreg.registry.service.common import existing_store
from procreg.registry.service.finding import catalog_entries
from procreg.registry.store import Store, procedure_details

if TYPE_CHECKING:
    from procreg.index.backend import SearchOptions
    from procreg.index.state import WriterLock
    from procreg.index.whoosh_backend import WhooshBackend
    from procreg.registry.results import IndexCheck, RebuildReport

__all__ = [
    "REVIEW_INTERVAL_YEARS",
    "SyncReport",
    "build_index_docs",
    "catalog_doc",
    "check_index",
    "document_doc",
    "procedure_doc",
    "rebuild_index",
    "repair_index",
    "review_due",
    "search",
    "index_in_line",
    "index_writer",
    "ready_backend",
    "sync_index",
    "sync_index_held",
    "sync_procedures",
]

log = logging.getLogger(__name__)
_REBUILT = N_("%(reason)s; rebuilt from the registry (%(count)d records).")

Progress = Callable[[int, int], None]

# An update touching more than this share of the documents, or an index of this many segments, is
# rebuilt whole instead.
COMPACT_SHARE = 0.2
MAX_SEGMENTS = 8

# ISO 9001 practice here: a procedure is due for review a year after its last review (or its issue).
REVIEW_INTERVAL_YEARS = 1


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What ``sync_index`` changed."""

    added: int = 0
    replaced: int = 0
    deleted: int = 0
    rebuilt: bool = False
    documents: int = 0
    up_to_date: bool = False  # nothing to do: the index already stood at the registry's data version


# --------------------------------------------------------------------------------------------------
# Registry records -> IndexDocs


def _add_years(iso: str, years: int) -> str | None:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return None
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()


def review_due(record: ProcedureRecord) -> str | None:
    """When the procedure is next due for review: a year after its last review, else after its issue."""
    reviews = sorted(e.on for e in live_events(record.events) if e.kind == "reviewed" and e.on)
    base = reviews[-1] if reviews else record.document_date
    return _add_years(base, REVIEW_INTERVAL_YEARS) if base else None


def _lines(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def procedure_doc(record: ProcedureRecord, fields: Sequence[Sequence[str]] = ()) -> IndexDoc:
    """The index's view of a procedure version: name as title; code, steps and fields as body."""
    steps = [
        " ".join(x for x in (s.label, s.text, s.responsible_text, s.duration_text, s.result or "") if x)
        for s in record.steps
    ]
    body = _lines(
        record.code,
        record.catalog_code,
        record.field,
        record.time_limit,
        *steps,
        *(" ".join(x for x in f if x) for f in fields),
        *record.forms,
        record.document_number,
    )
    return IndexDoc(
        id=f"proc:{record.id}",
        kind="procedure",
        title=record.name,
        body=body,
        code=record.code or record.catalog_code,
        unit=record.units,
        field=record.field,
        status=record.status,
        version=record.version,
        number=record.document_number,
        issuer=record.issuer,
        issued_on=record.document_date,
        review_due=review_due(record),
        current=record.status != "superseded",
    )


def catalog_doc(record: CatalogRecord) -> IndexDoc:
    """The index's view of a catalog entry (Danh mục row)."""
    e = record.entry
    body = _lines(
        e.code,
        e.group,
        e.field,
        e.time_limit,
        e.place,
        e.fee,
        e.legal_basis,
        e.agency,
        record.document_number,
    )
    return IndexDoc(
        id=f"cat:{record.id}",
        kind="catalog",
        title=e.name,
        body=body,
        code=e.code,
        unit=(e.agency,) if e.agency else (),
        field=e.field,
        status=record.status,
        number=record.document_number,
        issued_on=record.document_date,
        current=record.status != "superseded",
    )


def document_doc(record: DocumentRecord) -> IndexDoc:
    """The index's view of an ingested document: its full text as body."""
    title = record.title or record.number or Path(record.path).name
    return IndexDoc(
        id=f"doc:{record.id}",
        kind="document",
        title=title,
        body=record.text,
        doc_kind=record.kind,
        number=record.number,
        issuer=record.issuer,
        issued_on=record.issued_on,
    )


def build_index_docs(store: Store) -> list[IndexDoc]:
    """Every document the index should hold, in id order: procedures (all versions), catalog, documents."""
    docs = [
        procedure_doc(p, procedure_details(store, p.id).get("fields", ()))
        for p in store.procedures(include_superseded=True)
    ]
    docs.extend(catalog_doc(c) for c in catalog_entries(store, include_inactive=True))
    docs.extend(document_doc(d) for d in store.documents())
    return docs


# --------------------------------------------------------------------------------------------------
# Keeping the index in line


def _registry_identity(store: Store) -> str:
    """Tells one registry file from another one created later at the same path."""
    try:
        st = store.path.stat()
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}"


def _open_or_rebuild(
    index_dir: Path, docs: Sequence[IndexDoc], *, fresh_home: bool, progress: Progress | None = None
) -> tuple[WhooshBackend, bool]:
    from procreg.index.backend import IndexUnusable
    from procreg.index.whoosh_backend import WhooshBackend

    try:
        return WhooshBackend.open(index_dir), False
    except IndexUnusable as exc:
        if fresh_home:
            log.info(_("building the search index (%(count)d records)"), {"count": len(docs)})
        else:
            log.warning(_(_REBUILT), {"reason": exc.message, "count": len(docs)})
        return WhooshBackend.create(index_dir, docs, progress), True


@contextmanager
def _writing(index_dir: Path) -> Iterator[None]:
    """Turn a full disk or a read-only index folder into one clear line (exit 5)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            message = _(
                "the search index cannot be written: the disk is full; free some space and run the "
                "command again"
            )
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            message = _(
                "the search index cannot be written: its folder is read-only; allow writing to it and "
                "run the command again"
            )
        else:
            raise
        raise IndexError_(message, path=str(index_dir)) from exc


def index_in_line(store: Store, index_dir: Path) -> bool:
    """True when the index's recorded state says it reflects this registry at its current data version.

    Cheap (one small file and one pragma): it lets commands skip rebuilding every index record when
    nothing changed. An index that fails to open despite a good state is caught by ``ready_backend``.
    """
    from procreg.index.state import interrupted_writer, read_state

    state = read_state(index_dir)
    return (
        state.get("data_version") == store.data_version()
        and state.get("registry") == _registry_identity(store)
        and not interrupted_writer(index_dir)
    )


def _state_in_line(store: Store, index_dir: Path) -> bool:
    """The index's state names this registry at its data version (checked under the writer lock)."""
    from procreg.index.state import read_state

    state = read_state(index_dir)
    return state.get("data_version") == store.data_version() and state.get("registry") == _registry_identity(
        store
    )


def sync_index(store: Store, index_dir: Path, *, force: bool = False) -> SyncReport:
    """Bring the index in line with the store: add, replace and delete by id and content fingerprint.

    Returns at once when ``index_in_line`` (unless ``force``). Otherwise takes the writer lock;
    repairs (rebuilds) an index that is missing, broken or of another schema; a previous writer killed
    mid-write is reported in one line and its work redone. One commit.

    Raises:
        IndexError_: the lock could not be had (another command kept it too long).
    """
    from procreg.index.state import WriterLock, lock_path

    if not force and index_in_line(store, index_dir):
        return SyncReport(up_to_date=True)

    fresh_home = not lock_path(index_dir).exists()
    with _writing(index_dir), WriterLock(index_dir) as lock:
        if not force and lock.interrupted is None and _state_in_line(store, index_dir):
            return SyncReport(up_to_date=True)  # another writer brought it in line while we waited
        return _sync_locked(store, index_dir, lock, fresh_home=fresh_home)


def sync_index_held(store: Store, index_dir: Path, lock: WriterLock) -> SyncReport:
    """``sync_index`` for a caller that holds the writer lock already (``index_writer``): not taken twice."""
    if lock.interrupted is None and _state_in_line(store, index_dir):
        return SyncReport(up_to_date=True)
    return _sync_locked(store, index_dir, lock)


def _sync_locked(store: Store, index_dir: Path, lock: WriterLock, *, fresh_home: bool = False) -> SyncReport:
    """``sync_index``'s work, the writer lock held."""
    from procreg.index.state import write_state

    if lock.interrupted is not None:
        log.warning(
            _(
                "the previous write of the index (process %(pid)d) was interrupted; the index was "
                "checked against the registry"
            ),
            {"pid": lock.interrupted},
        )
    version = store.data_version()  # read before the records: a later write only makes us redo work
    docs = build_index_docs(store)
    backend, rebuilt = _open_or_rebuild(index_dir, docs, fresh_home=fresh_home)
    try:
        report = _bring_in_line(backend, docs, rebuilt)
        write_state(index_dir, data_version=version, registry=_registry_identity(store))
    finally:
        backend.close()
    if report.added or report.replaced or report.deleted:
        log.debug("index synced: +%d ~%d -%d", report.added, report.replaced, report.deleted)
    return report


@contextmanager
def index_writer(index_dir: Path) -> Iterator[WriterLock | None]:
    """The index's writer lock, for a registry write and its index update to happen in one order.

    Held across an event's write and ``sync_procedures``, it makes each event find the index one data
    version behind, so only its procedure is updated. None when the lock cannot be had: the write goes
    on without it (the index is a cache; a later sync catches up).
    """
    from procreg.index.state import WriterLock

    lock = WriterLock(index_dir)
    try:
        with _writing(index_dir):
            lock.__enter__()
    except (IndexError_, OSError) as exc:
        log.info("index writer lock not taken (%s); the index will catch up later", exc)
        yield None
        return
    try:
        yield lock
    finally:
        lock.__exit__(None, None, None)


def sync_procedures(
    store: Store, index_dir: Path, procedure_ids: Sequence[int], *, lock: WriterLock | None = None
) -> SyncReport:
    """After a write that changed only ``procedure_ids`` (an event): update just their index documents.

    Valid when the index stood at the data version just before that write (``store.written_version``
    minus one) and no writer died mid-write; otherwise this does what ``sync_index`` does. When updates
    have left many small segments, those are merged by re-adding their documents as one segment, never
    by rebuilding the whole index. ``lock``: the writer lock, when the caller holds it (``index_writer``).
    """
    from procreg.index.state import WriterLock

    with _writing(index_dir):
        if lock is not None:
            return _sync_procedures_locked(store, index_dir, procedure_ids, lock)
        with WriterLock(index_dir) as held:
            return _sync_procedures_locked(store, index_dir, procedure_ids, held)


def _sync_procedures_locked(
    store: Store, index_dir: Path, procedure_ids: Sequence[int], lock: WriterLock
) -> SyncReport:
    from procreg.index.backend import IndexUnusable
    from procreg.index.state import read_state, write_state
    from procreg.index.whoosh_backend import WhooshBackend

    written = store.written_version
    state = read_state(index_dir)
    same = state.get("registry") == _registry_identity(store) and lock.interrupted is None
    have = state.get("data_version")
    if same and isinstance(have, int) and written is not None and have >= written:
        return SyncReport(up_to_date=True)  # a later sync (under this lock) already took our write
    if not (same and written is not None and have == written - 1):
        return _sync_locked(store, index_dir, lock)
    try:
        backend = WhooshBackend.open(index_dir)
    except IndexUnusable:
        return _sync_locked(store, index_dir, lock)
    try:
        docs = _procedure_docs(store, procedure_ids)
        backend.update(docs, [])
        if backend.segments >= MAX_SEGMENTS:
            backend.update(_docs_for_ids(store, backend.small_segment_ids()), [])
    finally:
        backend.close()
    write_state(index_dir, data_version=written, registry=_registry_identity(store))
    return SyncReport(replaced=len(docs))


def _procedure_docs(store: Store, ids: Sequence[int]) -> list[IndexDoc]:
    return [
        procedure_doc(p, procedure_details(store, p.id).get("fields", ()))
        for p in store.procedures_by_ids(ids)
    ]


def _docs_for_ids(store: Store, ids: Sequence[str]) -> list[IndexDoc]:
    """The index documents of these ids (``proc:12``, ``cat:40``, ``doc:3``) as the registry has them."""
    by_kind: dict[str, list[int]] = {}
    for index_id in ids:
        kind, _sep, number = index_id.partition(":")
        if number.isdigit():
            by_kind.setdefault(kind, []).append(int(number))
    docs = _procedure_docs(store, by_kind.get("proc", []))
    wanted = set(by_kind.get("cat", []))
    if wanted:
        docs += [catalog_doc(c) for c in catalog_entries(store, include_inactive=True) if c.id in wanted]
    docs += [document_doc(store.document(i)) for i in by_kind.get("doc", [])]
    return docs


def _bring_in_line(backend: WhooshBackend, docs: Sequence[IndexDoc], rebuilt: bool) -> SyncReport:
    """Apply the differences between the registry's documents and the index (or rebuild when many)."""
    from procreg.index.backend import IndexUnusable, compare

    if rebuilt:
        return SyncReport(added=len(docs), rebuilt=True, documents=len(docs))
    try:
        have = backend.fingerprints()
    except IndexUnusable as exc:
        log.warning(_(_REBUILT), {"reason": exc.message, "count": len(docs)})
        backend.rebuild(docs)
        return SyncReport(added=len(docs), rebuilt=True, documents=len(docs))
    missing, stale, extra = compare(docs, have)
    changes = len(missing) + len(stale) + len(extra)
    if changes and (changes > COMPACT_SHARE * len(docs) or backend.segments >= MAX_SEGMENTS):
        backend.rebuild(docs)  # a fresh single build is quicker than many small segments
        return SyncReport(len(missing), len(stale), len(extra), rebuilt=True, documents=len(docs))
    backend.update([*missing, *stale], extra)
    return SyncReport(len(missing), len(stale), len(extra), documents=len(docs))


def ready_backend(store: Store, index_dir: Path) -> WhooshBackend:
    """The index open for searching, after repairing or catching up if it is not in line.

    The caller closes it; one open index serves many searches (its posting cache is per open index).
    """
    from procreg.index.backend import IndexUnusable
    from procreg.index.whoosh_backend import WhooshBackend

    if index_in_line(store, index_dir):
        try:
            return WhooshBackend.open(index_dir)
        except IndexUnusable:
            sync_index(store, index_dir, force=True)  # in line by its state, yet it fails to open: repair
            return WhooshBackend.open(index_dir)
    # Behind: catch up. Many searches waiting here at once (a web page) do the work once, not each.
    sync_index(store, index_dir)
    try:
        return WhooshBackend.open(index_dir)
    except IndexUnusable:
        sync_index(store, index_dir, force=True)
        return WhooshBackend.open(index_dir)


# --------------------------------------------------------------------------------------------------
# Commands


def search(
    query: str,
    *,
    home: Path,
    kind: str | None = None,
    unit: str | None = None,
    field: str | None = None,
    status: str | None = None,
    limit: int = 10,
    all_versions: bool = False,
    marks: tuple[str, str] = ("", ""),
) -> SearchResult:
    """Search the registry's index (see ``index.query`` for the syntax).

    Args:
        query: The query text.
        home: The registry folder.
        kind: Keep only this kind (procedure, catalog, document, or a document kind such as decision).
        unit: Keep only procedures of this unit (accent-insensitive words).
        field: Keep only this field (lĩnh vực).
        status: Keep only this status (active, superseded, abolished, withdrawn).
        limit: How many hits to return.
        all_versions: Include superseded versions.
        marks: Wrapped around matched words in snippets (ANSI bold on a terminal).

    Returns:
        The ranked hits (score, then id), the total, notices and a "did you mean" when nothing matched.
    """
    from procreg.index.backend import IndexUnusable, SearchOptions

    options = SearchOptions(
        limit=limit, all_versions=all_versions, kind=kind, unit=unit, field=field, status=status, marks=marks
    )
    index_dir = home / "index"
    with existing_store(home) as store:
        shared = _shared_backend(store, index_dir)
        if shared is None:
            backend = ready_backend(store, index_dir)
    if shared is not None:
        with shared.lock:
            try:
                return shared.backend.search(query, options)
            except IndexUnusable:
                _forget_shared(index_dir, shared)
        with existing_store(home) as store:
            backend = ready_backend(store, index_dir)
    try:
        try:
            return backend.search(query, options)
        except IndexUnusable as exc:  # damage met while reading: open again or rebuild, search again
            backend.close()
            return _search_again(home, index_dir, query, options, exc.message)
    finally:
        backend.close()


@dataclass
class _Shared:
    """An index kept open between searches of one process, while its state file stays the same."""

    key: tuple[int, int, int]
    backend: WhooshBackend
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


_SHARED: dict[str, _Shared] = {}
_SHARED_LOCK = threading.Lock()


def _shared_backend(store: Store, index_dir: Path) -> _Shared | None:
    """The index open for searching, kept between searches while it is in line and unchanged.

    A process that searches often (the web page) then pays the opening and the decoding of postings
    once per index version instead of once per search. The state file's identity tells when another
    command changed the index; a search holds the entry's lock (Whoosh readers are not thread-safe).
    None when the index is not in line: the caller repairs or catches up as usual.
    """
    from procreg.index.backend import IndexUnusable
    from procreg.index.state import STATE_FILE
    from procreg.index.whoosh_backend import WhooshBackend

    if not index_in_line(store, index_dir):
        return None
    try:
        st = (index_dir / STATE_FILE).stat()
    except OSError:
        return None
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    with _SHARED_LOCK:
        entry = _SHARED.get(str(index_dir))
        if entry is not None and entry.key == key:
            return entry
        try:
            fresh = _Shared(key, WhooshBackend.open(index_dir))
        except IndexUnusable:
            return None
        _SHARED[str(index_dir)] = fresh
    if entry is not None:
        with entry.lock:  # searches still running on the old index finish first
            entry.backend.close()
    return fresh


def _forget_shared(index_dir: Path, entry: _Shared) -> None:
    """Stop sharing an index that failed while being read (the caller holds the entry's lock)."""
    with _SHARED_LOCK:
        if _SHARED.get(str(index_dir)) is entry:
            del _SHARED[str(index_dir)]
    entry.backend.close()


def _search_again(
    home: Path, index_dir: Path, query: str, options: SearchOptions, reason: str
) -> SearchResult:
    """Search once more after the index failed while being read.

    First on the index opened afresh (another command may have replaced it while this one read the
    old files); when that fails too, on an index rebuilt from the registry, with a one-line notice.
    """
    from procreg.index.backend import IndexUnusable
    from procreg.index.whoosh_backend import WhooshBackend

    try:
        backend = WhooshBackend.open(index_dir)
    except IndexUnusable:
        pass
    else:
        try:
            return backend.search(query, options)
        except IndexUnusable:
            pass
        finally:
            backend.close()
    with existing_store(home) as store:
        backend = repair_index(store, index_dir, reason)
    try:
        return backend.search(query, options)
    finally:
        backend.close()


def repair_index(store: Store, index_dir: Path, reason: str) -> WhooshBackend:
    """Rebuild the index from the registry after damage was found while reading it; returns it open.

    Logs one line saying why. Raises ``IndexError_`` (exit 5) when the disk is full or read-only.
    """
    from procreg.index.state import WriterLock, write_state
    from procreg.index.whoosh_backend import WhooshBackend

    with _writing(index_dir), WriterLock(index_dir):
        version = store.data_version()
        docs = build_index_docs(store)
        WhooshBackend.create(index_dir, docs).close()
        write_state(index_dir, data_version=version, registry=_registry_identity(store))
    log.warning(_(_REBUILT), {"reason": reason, "count": len(docs)})
    return WhooshBackend.open(index_dir)


def check_index(*, home: Path) -> IndexCheck:
    """Check the index: its files against what was written, then its documents against the registry.

    Damage (a truncated or overwritten segment, a lost TOC, a file that fails to read) is reported in
    ``damage`` and nothing is repaired here; the next search or ``index rebuild`` repairs it.
    """
    from procreg.index.backend import IndexUnusable
    from procreg.index.whoosh_backend import WhooshBackend, verify_files
    from procreg.registry.results import IndexCheck

    index_dir = home / "index"
    with existing_store(home) as store:
        docs = build_index_docs(store)
    damage = tuple(verify_files(index_dir))
    try:
        backend = WhooshBackend.open(index_dir)
    except IndexUnusable as exc:
        missing = tuple(d.id for d in docs)
        return IndexCheck(missing=missing, problem=exc.message, documents=len(docs), damage=damage)
    try:
        return dataclasses.replace(backend.check(docs), damage=damage)
    finally:
        backend.close()


def rebuild_index(*, home: Path, progress: Progress | None = None) -> RebuildReport:
    """Rebuild the index from the registry (under the writer lock).

    ``progress(done, total)`` is called as documents are indexed. Raises ``IndexError_`` (exit 5)
    when the disk is full or the index folder read-only.
    """
    import time

    from procreg.index.state import WriterLock, write_state
    from procreg.index.whoosh_backend import WhooshBackend
    from procreg.registry.results import RebuildReport

    index_dir = home / "index"
    started = time.perf_counter()
    with existing_store(home) as store, _writing(index_dir), WriterLock(index_dir):
        version = store.data_version()
        docs = build_index_docs(store)
        WhooshBackend.create(index_dir, docs, progress).close()
        write_state(index_dir, data_version=version, registry=_registry_identity(store))
    kinds = [d.kind for d in docs]
    return RebuildReport(
        documents=len(docs),
        procedures=kinds.count("procedure"),
        catalog=kinds.count("catalog"),
        texts=kinds.count("document"),
        seconds=time.perf_counter() - started,
        size_bytes=sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file()),
    )
