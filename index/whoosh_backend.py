"""The Whoosh implementation of ``SearchBackend``.

Whoosh stores the index: a folded field of title and body (``text_f``: one posting list per word,
whatever the accents typed), a field of adjacent folded word pairs (``pairs_f``: phrases become an
intersection of pair terms instead of position matching), the exact words (``text``) and the folded
title (``title_f``) for ranking, keyword fields for filters, and stored fields for display.
Queries are evaluated by ``index.postings`` on decoded, cached posting lists rather than by Whoosh's
matcher tree, which was 10x slower on common words (see bench/SEARCH.md). Writes, storage, the
vocabulary for "did you mean" and stored fields stay Whoosh's.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from procreg.index.backend import IndexCheck, IndexUnusable, SearchOptions, compare
from procreg.index.integrity import file_damage, record_manifest
from procreg.index.postings import PostingCache, top_hits
from procreg.index.query import (
    And,
    Filter,
    Node,
    ParsedQuery,
    parse_query,
    positive_terms,
)
from procreg.index.schema import SCHEMA_VERSION, make_schema
from procreg.index.segments import Progress, segment_files, update_segments, write_index
from procreg.index.snippets import make_snippet
from procreg.index.state import read_state, write_state
from procreg.registry.models import IndexDoc, SearchHit, SearchResult
from procreg.text import fold_token

__all__ = ["WhooshBackend"]

log = logging.getLogger(__name__)

BACKEND_NAME = "whoosh"


def _options_nodes(options: SearchOptions) -> list[Node]:
    nodes: list[Node] = []
    for name in ("kind", "unit", "field", "status"):
        value = getattr(options, name)
        if value:
            nodes.append(Filter(name, value))
    return nodes


def _tree(parsed: ParsedQuery, options: SearchOptions) -> Node | None:
    extra = _options_nodes(options)
    if not extra:
        return parsed.node
    nodes = ([parsed.node] if parsed.node is not None else []) + extra
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


class WhooshBackend:
    """A Whoosh index in a directory (see the module docstring for the query design)."""

    name = BACKEND_NAME

    def __init__(self, index_dir: Path, ix: Any) -> None:
        self.index_dir = index_dir
        self._ix = ix
        self._searcher: Any = None
        self._postings: PostingCache | None = None
        self.segments = len(ix._segments()) if hasattr(ix, "_segments") else 1

    # ----------------------------------------------------------------------------------------------
    # Opening and building

    @classmethod
    def open(cls, index_dir: Path) -> WhooshBackend:
        """Open an existing index and check its files against the manifest (sizes and times).

        Raises:
            IndexUnusable: missing, empty, built with another schema version, damaged, or failing
                to open (any error at all while opening: the index is a cache, it is rebuilt).
        """
        if not index_dir.is_dir():
            raise IndexUnusable("chưa có chỉ mục tìm kiếm", path=str(index_dir))
        state = read_state(index_dir)
        if not state and not any(index_dir.iterdir()):
            raise IndexUnusable("thư mục chỉ mục tìm kiếm trống", path=str(index_dir))
        if state.get("backend") != BACKEND_NAME or state.get("schema") != SCHEMA_VERSION:
            found = state.get("schema", "không rõ")
            raise IndexUnusable(
                f"chỉ mục tìm kiếm có phiên bản lược đồ {found}, procreg này dùng {SCHEMA_VERSION}",
                path=str(index_dir),
            )
        try:
            ix = whoosh_index.open_dir(str(index_dir))
            if set(ix.schema.names()) != set(make_schema().names()):
                raise IndexUnusable("chỉ mục tìm kiếm có các trường lạ", path=str(index_dir))
            problems = file_damage(index_dir, segment_files(index_dir))
            if problems:
                raise IndexUnusable(f"chỉ mục tìm kiếm bị hỏng ({problems[0]})", path=str(index_dir))
            backend = cls(index_dir, ix)
            backend.searcher()  # opens every segment's term index and postings file now
        except IndexUnusable:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to open means: rebuild
            raise IndexUnusable(
                f"chỉ mục tìm kiếm không mở được ({type(exc).__name__}: {exc})", path=str(index_dir)
            ) from exc
        return backend

    @classmethod
    def create(
        cls, index_dir: Path, docs: Iterable[IndexDoc], progress: Progress | None = None
    ) -> WhooshBackend:
        """Build a new index from ``docs`` beside ``index_dir``, then swap it in; returns it open.

        The old directory (if any) is renamed away and removed only once the new one is complete,
        so an interrupted build leaves either the old index or none, never half of one.
        """
        parent = index_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(index_dir)
        build = parent / f".{index_dir.name}.build-{os.getpid()}"
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir()
        docs = list(docs)
        try:
            write_index(build, make_schema(), docs, progress)
            write_state(build, backend=BACKEND_NAME, schema=SCHEMA_VERSION, documents=len(docs))
            record_manifest(build)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        old = parent / f".{index_dir.name}.old-{os.getpid()}"
        if index_dir.exists():
            index_dir.rename(old)
        build.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
        return cls.open(index_dir)

    def close(self) -> None:
        """Close the searcher and the index."""
        self._postings = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    # ----------------------------------------------------------------------------------------------
    # Writing

    def update(self, add: Sequence[IndexDoc] = (), delete: Sequence[str] = ()) -> None:
        """Add or replace ``add`` and delete ``delete`` ids in one commit (caller holds the lock)."""
        if not add and not delete:
            return
        self._refresh()
        self.segments = update_segments(self.index_dir, self._ix.schema, add, delete)
        record_manifest(self.index_dir)
        self._ix = whoosh_index.open_dir(str(self.index_dir))

    def rebuild(self, docs: Iterable[IndexDoc], progress: Progress | None = None) -> int:
        """Replace the whole index with ``docs`` (caller holds the lock); returns the count."""
        self.close()
        fresh = WhooshBackend.create(self.index_dir, docs, progress)
        self._ix = fresh._ix
        return int(self._ix.doc_count())

    def _refresh(self) -> None:
        # A new searcher, not Searcher.refresh(): refresh reuses segment readers and misses deletions.
        self._postings = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    # ----------------------------------------------------------------------------------------------
    # Reading

    def searcher(self) -> Any:
        """The (cached) Whoosh searcher."""
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    def fingerprints(self) -> dict[str, str]:
        """Every indexed id with its fingerprint."""
        reader = self.searcher().reader()
        if reader.doc_count_all() == 0:
            return {}
        ids, fps = reader.column_reader("id"), reader.column_reader("fp")  # columns: no body unpickling
        return {str(ids[d]): str(fps[d]) for d in reader.all_doc_ids()}

    def doc_count(self) -> int:
        """How many documents the index holds."""
        return int(self.searcher().doc_count())

    def check(self, docs: Iterable[IndexDoc]) -> IndexCheck:
        """Compare the index with the registry's documents."""
        docs = list(docs)
        missing, stale, extra = compare(docs, self.fingerprints())
        return IndexCheck(
            missing=tuple(d.id for d in missing),
            stale=tuple(d.id for d in stale),
            extra=tuple(extra),
            documents=len(docs),
        )

    def search(self, query: str, options: SearchOptions) -> SearchResult:
        """Run ``query`` with ``options``; malformed queries become plain-word searches with a notice."""
        parsed = parse_query(query)
        tree = _tree(parsed, options)
        notices = list(parsed.notices)
        if tree is None:
            return SearchResult(query=query, total=0, hits=(), notices=tuple(notices))
        terms = {fold_token(w) for w in positive_terms(tree)}
        hits, total = self._run(tree, options)
        suggestion = None
        if total == 0:
            suggestion = self._suggest(parsed, options)
        out = tuple(self._hit(fields, score, terms, options.marks) for fields, score in hits)
        return SearchResult(query=query, total=total, hits=out, notices=tuple(notices), suggestion=suggestion)

    def _run(self, tree: Node, options: SearchOptions) -> tuple[list[tuple[Any, float]], int]:
        if self._postings is None:
            self._postings = PostingCache(self.searcher().reader())
        ranked, total = top_hits(
            self._postings, tree, limit=max(1, options.limit), all_versions=options.all_versions
        )
        reader = self._postings.reader
        return [(reader.stored_fields(docnum), score) for docnum, score in ranked], total

    def _hit(
        self, fields: dict[str, Any], score: float, terms: set[str], marks: tuple[str, str]
    ) -> SearchHit:
        body = fields.get("body") or ""
        snippet = make_snippet(body, terms, marks=marks) if body else ""
        return SearchHit(
            id=fields["id"],
            kind=fields.get("kind", ""),
            code=fields.get("code") or fields.get("number"),
            title=fields.get("title", ""),
            unit=fields.get("unit"),
            status=fields.get("status"),
            score=round(score, 4),
            snippet=snippet,
        )

    def _suggest(self, parsed: ParsedQuery, options: SearchOptions) -> str | None:
        """A "did you mean" query: unknown words replaced by the closest words of the index."""
        reader = self.searcher().reader()
        text = parsed.text
        changed = False
        for word in dict.fromkeys(parsed.words):
            folded = fold_token(word)
            if reader.doc_frequency("text_f", folded):
                continue
            best = _closest(reader, folded)
            if best is None:
                continue
            text = text.replace(word, best, 1)
            changed = True
        if not changed:
            return None
        tree = _tree(parse_query(text), options)
        if tree is None or self._run(tree, options)[1] == 0:
            return None
        return text


def _closest(reader: Any, folded: str) -> str | None:
    """The indexed word nearest to ``folded`` (edit distance, then frequency, then alphabetical)."""
    maxdist = 1 if len(folded) <= 4 else 2
    best: tuple[int, int, str] | None = None
    for fieldname in ("text_f",):
        for dist in range(1, maxdist + 1):
            for cand in reader.terms_within(fieldname, folded, dist):
                if cand == folded:
                    continue
                key = (dist, -int(reader.doc_frequency(fieldname, cand)), cand)
                if best is None or key < best:
                    best = key
            if best is not None and best[0] == dist:
                break
    return best[2] if best else None


def _remove_leftovers(index_dir: Path) -> None:
    """Remove build/old directories left by killed rebuilds (caller holds the writer lock)."""
    for path in index_dir.parent.glob(f".{index_dir.name}.*-*"):
        if path.is_dir() and (path.name.rsplit("-", 1)[-1]).isdigit():
            shutil.rmtree(path, ignore_errors=True)
