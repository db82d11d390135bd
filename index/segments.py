"""Writing the index's Whoosh segments directly, in one process, from whole posting lists.

Whoosh's own writer analyses each field again, pickles every posting into a pool, sorts the pool
(on disk when it grows) and feeds the postings one at a time to its codec; that was 80% of a build.
Here a document's terms are computed once (``index.schema.doc_terms``) and appended to in-memory
posting lists (``array`` of docnums and weights per term); at the end each list is written in blocks
of the W3 codec's format. What is written is an ordinary Whoosh segment: Whoosh reads it, and
``update`` adds segments and marks deletions the way Whoosh's writer does, with a new TOC generation.

No child process is ever started, so killing procreg mid-build leaves nothing running.
"""

from __future__ import annotations

import operator
import pickle
import zlib
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any

import whoosh.codec.whoosh3 as _w3
import whoosh.filedb.filestore as _filestore
import whoosh.filedb.filetables as _filetables
import whoosh.index as _index
import whoosh.reading as _reading
from whoosh.fields import Schema
from whoosh.system import pack_int, pack_long, pack_ushort

from procreg.index.backend import fingerprint
from procreg.index.schema import column_values, doc_terms, stored_fields
from procreg.registry.models import IndexDoc

__all__ = [
    "INDEX_NAME",
    "SEGMENT_DOCS",
    "SegmentBuilder",
    "Progress",
    "segment_files",
    "update_segments",
    "write_index",
]

# Whoosh's classes, used through ``Any``: they carry no annotations for mypy --strict to check.
W3Codec: Any = _w3.W3Codec
W3PerDocWriter: Any = _w3.W3PerDocWriter
WHOOSH3_HEADER_MAGIC: bytes = _w3.WHOOSH3_HEADER_MAGIC
FileStorage: Any = _filestore.FileStorage
OrderedHashWriter: Any = _filetables.OrderedHashWriter
TOC: Any = _index.TOC
clean_files: Any = _index.clean_files
SegmentReader: Any = _reading.SegmentReader

INDEX_NAME = "MAIN"  # Whoosh's default index name: open_dir finds it
BLOCK = 128  # postings per block, as Whoosh writes them
# Documents per segment: bounds the memory of a build (8 bytes per posting, about 1,000 postings per
# procedure, plus one array per term: about 250 MB at 25,000 procedures).
SEGMENT_DOCS = 25_000

COMPRESSION = 3  # zlib level of blocks, as Whoosh writes them
COMPRESSION_MIN_SIZE = 80  # smaller blocks are stored as they are (zlib would make them larger)
# Term info: flags, total weight, doc freq, min/max length bytes, max weight, min/max id.
_TERMINFO = _w3.W3TermInfo._struct

Progress = Callable[[int, int], None]
Postings = dict[str, "array[int]"]
_codes = partial(array, "Q")  # one 8-byte code per posting: docnum << 16 | frequency


def _block(ids: array[int], weights: array[float], last: bool) -> bytes:
    """One W3 postings block: length, pickled block info, pickled (compressed) ids and weights."""
    low, high = min(weights), max(weights)
    if low == high:
        mini: float | tuple[float, ...] | None = None if low == 1.0 else float(low)
    else:
        mini = tuple(weights)
    deltas = (ids[0], *map(operator.sub, ids[1:], ids[:-1]))  # from 0 in each block, as Whoosh reads
    data = pickle.dumps((deltas, mini, None), 2)
    comp = 0
    if len(data) >= COMPRESSION_MIN_SIZE:
        comp = COMPRESSION
        data = zlib.compress(data, comp)
    info = pickle.dumps((len(ids), ids[-1], float(high), comp, 0, 0), 2)
    size = len(info) + len(data)
    return pack_int(-size if last else size) + info + data


def _posting_list(ids: array[int], weights: array[float], offset: int) -> tuple[bytes, bytes]:
    """The bytes of one term's posting list (at ``offset`` in the postings file) and its term info."""
    n = len(ids)
    parts = [WHOOSH3_HEADER_MAGIC]
    parts.extend(
        _block(ids[i : i + BLOCK], weights[i : i + BLOCK], i + BLOCK >= n) for i in range(0, n, BLOCK)
    )
    data = b"".join(parts)
    info = _TERMINFO.pack(0, float(sum(weights)), n, 0, 0, float(max(weights)), ids[0], ids[-1])
    return data, info + pack_long(offset) + pack_int(len(data))


def _write_postings(storage: FileStorage, segment: Any, postings: dict[str, Postings]) -> None:
    """Write the segment's term index (``.trm``) and postings (``.pst``), fields and terms in order."""
    tindex = OrderedHashWriter(segment.create_file(storage, W3Codec.TERMS_EXT))
    fieldmap: dict[str, int] = {}
    tindex.extras["fieldmap"] = fieldmap
    postfile = segment.create_file(storage, W3Codec.POSTS_EXT)
    try:
        offset = 0
        for fieldid, name in enumerate(sorted(postings)):
            fieldmap[name] = fieldid
            prefix = pack_ushort(fieldid)
            table = postings[name]
            chunk: list[bytes] = []
            for term in sorted(table):  # UTF-8 byte order is code point order
                codes = table[term]
                ids = array("I", map(operator.rshift, codes, repeat(16)))
                weights = array("f", map(operator.and_, codes, repeat(0xFFFF)))
                data, info = _posting_list(ids, weights, offset)
                offset += len(data)
                chunk.append(data)
                tindex.add(prefix + term.encode("utf-8"), info)
            postfile.write(b"".join(chunk))
    finally:
        tindex.close()
        postfile.close()


class SegmentBuilder:
    """Collects documents into one new segment of ``storage``; ``finish`` writes it and returns it.

    Postings are kept per field and term as one array of ``docnum << 16 | frequency`` codes (8 bytes
    a posting), appended at C speed (``map`` over ``array.append``); term weights are frequencies
    (the kind boost is applied to whole scores at query time).
    """

    def __init__(self, storage: FileStorage, schema: Schema) -> None:
        self.storage = storage
        self.schema = schema
        self.segment = W3Codec().new_segment(storage, INDEX_NAME)
        self._perdoc = W3PerDocWriter(W3Codec(), storage, self.segment)
        self._postings: dict[str, Postings] = {}
        self.count = 0

    def add(self, doc: IndexDoc) -> None:
        """Add one document: stored fields and columns now, postings to the in-memory lists."""
        fp = fingerprint(doc)
        schema, perdoc, docnum = self.schema, self._perdoc, self.count
        perdoc.start_doc(docnum)
        for name, value in stored_fields(doc, fp).items():
            perdoc.add_field(name, schema[name], value, 0)
        for name, value in column_values(doc, fp).items():
            fieldobj = schema[name]
            perdoc.add_column_value(name, fieldobj.column_type, fieldobj.to_column_value(value))
        perdoc.finish_doc()
        base = docnum << 16
        for name, terms in doc_terms(doc).items():
            table = self._postings.get(name)
            if table is None:
                table = self._postings[name] = defaultdict(_codes)
            counts = Counter(terms)
            codes = map(base.__add__, map(min, counts.values(), repeat(0xFFFF)))
            deque(map(array.append, map(table.__getitem__, counts), codes), maxlen=0)
        self.count += 1

    def finish(self) -> Any:
        """Write the segment's files; returns the segment (for a TOC)."""
        self._perdoc.close()
        _write_postings(self.storage, self.segment, self._postings)
        self._postings.clear()
        self.segment.set_doc_count(self.count)
        return self.segment


def _build_segments(
    storage: FileStorage, schema: Schema, docs: Sequence[IndexDoc], progress: Progress | None
) -> list[Any]:
    segments: list[Any] = []
    builder: SegmentBuilder | None = None
    for done, doc in enumerate(docs, 1):
        if builder is None:
            builder = SegmentBuilder(storage, schema)
        builder.add(doc)
        if builder.count >= SEGMENT_DOCS:
            segments.append(builder.finish())
            builder = None
        if progress is not None and (done % 500 == 0 or done == len(docs)):
            progress(done, len(docs))
    if builder is not None:
        segments.append(builder.finish())
    return segments


def write_index(
    path: Path, schema: Schema, docs: Sequence[IndexDoc], progress: Progress | None = None
) -> None:
    """Write a whole new index of ``docs`` into the empty directory ``path`` (segments, then the TOC)."""
    storage = FileStorage(str(path))
    segments = _build_segments(storage, schema, docs, progress)
    TOC(schema, segments, 0).write(storage, INDEX_NAME)


def _locate(storage: FileStorage, schema: Schema, segments: Iterable[Any]) -> dict[str, tuple[Any, int]]:
    """Where each live document id sits: ``{id: (segment, docnum in the segment)}``."""
    where: dict[str, tuple[Any, int]] = {}
    for segment in segments:
        reader = SegmentReader(storage, schema, segment)
        try:
            ids = reader.column_reader("id")
            for local in range(segment.doc_count_all()):
                if not segment.is_deleted(local):
                    where[str(ids[local])] = (segment, local)
        finally:
            reader.close()
    return where


def ids_outside_largest(path: Path, schema: Schema) -> list[str]:
    """The live ids of every segment but the largest: what small updates added since the last build."""
    storage = FileStorage(str(path))
    segments = sorted(TOC.read(storage, INDEX_NAME).segments, key=lambda s: s.doc_count(), reverse=True)
    return sorted(_locate(storage, schema, segments[1:]))


def update_segments(path: Path, schema: Schema, add: Sequence[IndexDoc], delete: Sequence[str]) -> int:
    """Delete ``delete`` ids and replace or add ``add`` docs as one new TOC generation.

    Replaced and deleted documents are marked deleted in their segments; added ones go into one new
    segment. Returns how many segments the index has now (the caller rebuilds when there are many).
    """
    storage = FileStorage(str(path))
    toc = TOC.read(storage, INDEX_NAME)
    segments = list(toc.segments)
    where = _locate(storage, schema, segments)
    for doc_id in [*delete, *(d.id for d in add)]:
        found = where.get(doc_id)
        if found is not None:
            found[0].delete_document(found[1])
    if add:
        segments.extend(_build_segments(storage, schema, add, None))
    segments = [s for s in segments if s.doc_count() > 0]
    generation = toc.generation + 1
    TOC(schema, segments, generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, segments)
    return len(segments)


def segment_files(path: Path) -> list[str]:
    """The files of the index's latest generation: its TOC and the files of its segments."""
    storage = FileStorage(str(path))
    toc = TOC.read(storage, INDEX_NAME)
    prefixes = tuple(f"{s.segment_id()}." for s in toc.segments)
    names = [TOC._filename(INDEX_NAME, toc.generation)]
    names.extend(sorted(n for n in storage.list() if n.startswith(prefixes)))
    return names
