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
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from procreg.i18n import _
from procreg.index.analysis import exact_tokens
from procreg.index.backend import IndexUnusable, SearchOptions, compare
from procreg.index.codes import looks_like_code
from procreg.index.expand import Vocabulary, expand
from procreg.index.integrity import file_damage, record_manifest
from procreg.index.postings import PostingCache, leaf_arrays, top_hits
from procreg.index.query import (
    And,
    Filter,
    Node,
    ParsedQuery,
    parse_query,
    positive_terms,
)
from procreg.index.schema import COLUMN_FIELDS, SCHEMA_VERSION, make_schema
from procreg.index.segments import (
    INDEX_NAME,
    Progress,
    ids_outside_largest,
    segment_files,
    update_segments,
    write_index,
)
from procreg.index.snippets import make_snippet
from procreg.index.state import read_state, write_state
from procreg.index.suggest import Lexicon, candidates
from procreg.index.syllables import is_syllable
from procreg.registry.models import IndexDoc, SearchHit, SearchResult, Suggestion
from procreg.registry.results import IndexCheck
from procreg.text import fold_token

__all__ = ["WhooshBackend", "verify_files"]

log = logging.getLogger(__name__)

BACKEND_NAME = "whoosh"
SUGGESTIONS = 3  # suggestions offered
SUGGESTION_TRIES = 8  # candidate queries run to count their hits


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
            raise IndexUnusable(_("there is no search index yet"), path=str(index_dir))
        state = read_state(index_dir)
        if not state and not any(index_dir.iterdir()):
            raise IndexUnusable(_("the search index folder is empty"), path=str(index_dir))
        if state.get("backend") != BACKEND_NAME or state.get("schema") != SCHEMA_VERSION:
            found = state.get("schema", "?")
            raise IndexUnusable(
                _("the search index has schema version %(found)s, this procreg uses %(version)s")
                % {"found": found, "version": SCHEMA_VERSION},
                path=str(index_dir),
            )
        try:
            if not any(index_dir.glob(f"_{INDEX_NAME}_*.toc")):
                raise IndexUnusable(
                    _("the search index lost its table of contents file (TOC)"), path=str(index_dir)
                )
            ix = whoosh_index.open_dir(str(index_dir))
            if set(ix.schema.names()) != set(make_schema().names()):
                raise IndexUnusable(
                    _("the search index has fields this procreg does not know"), path=str(index_dir)
                )
            problems = file_damage(index_dir, segment_files(index_dir))
            if problems:
                raise IndexUnusable(
                    _("the search index is damaged (%(detail)s)") % {"detail": problems[0]},
                    path=str(index_dir),
                )
            backend = cls(index_dir, ix)
            backend.searcher()  # opens every segment's term index and postings file now
        except IndexUnusable:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to open means: rebuild
            raise IndexUnusable(
                _("the search index cannot be opened (%(detail)s)") % {"detail": type(exc).__name__},
                path=str(index_dir),
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

    def small_segment_ids(self) -> list[str]:
        """The ids held outside the largest segment (what merging the small segments re-adds)."""
        return ids_outside_largest(self.index_dir, self._ix.schema)

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
        """Every indexed id with its fingerprint.

        Raises:
            IndexUnusable: the columns fail to read (damage): rebuild.
        """
        try:
            reader = self.searcher().reader()
            if reader.doc_count_all() == 0:
                return {}
            ids, fps = reader.column_reader("id"), reader.column_reader("fp")  # columns: no body unpickling
            return {str(ids[d]): str(fps[d]) for d in reader.all_doc_ids()}
        except Exception as exc:  # noqa: BLE001 - any failure while reading means: rebuild
            raise IndexUnusable(
                _("the search index could not be read (%(detail)s)") % {"detail": type(exc).__name__},
                path=str(self.index_dir),
            ) from exc

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
        """Run ``query`` with ``options``; malformed queries become plain-word searches with a notice.

        The query is widened to what people mean (``index.expand``). Words the index does not know
        bring suggestions (``index.suggest``); when nothing matched and a suggestion does, its hits
        are given instead, with a notice.

        Raises:
            IndexUnusable: the index failed while being read (damaged): rebuild it.
        """
        parsed = parse_query(query)
        tree = _tree(parsed, options)
        notices = list(parsed.notices)
        if tree is None:
            return SearchResult(query=query, total=0, hits=(), notices=tuple(notices))
        try:
            pc = self.postings()
            ranked, total = self._ranked(tree, options)
            suggestions: list[Suggestion] = []
            typed = _typed_words(parsed)
            unknown = [w for w in typed if not pc.df("text_f", fold_token(w))]
            if typed and (total == 0 or unknown):
                suggestions = self._suggestions(parsed, typed, options)
            corrected = None
            if suggestions and (total == 0 or unknown):  # words the index lacks are never searched as typed
                corrected = suggestions[0].query
                tree = _tree(parse_query(corrected), options) or tree
                before = total
                ranked, total = self._ranked(tree, options)
                notices.append(_corrected_notice(query, corrected, before, total))
            terms = {fold_token(w) for w in positive_terms(tree)} | _expanded_terms(pc, tree)
            hits = tuple(
                self._hit(pc.reader.stored_fields(d), score, terms, options.marks, snippets=options.snippets)
                for d, score in ranked
            )
        except IndexUnusable:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure while reading means: rebuild
            raise IndexUnusable(
                _("the search index could not be read (%(detail)s)") % {"detail": type(exc).__name__},
                path=str(self.index_dir),
            ) from exc
        return SearchResult(
            query=query,
            total=total,
            hits=hits,
            notices=tuple(notices),
            suggestion=suggestions[0].query if suggestions else None,
            suggestions=tuple(suggestions),
            corrected=corrected,
        )

    def postings(self) -> PostingCache:
        """The decoded-postings cache of the open index (one per searcher)."""
        if self._postings is None:
            self._postings = PostingCache(self.searcher().reader())
        return self._postings

    def _ranked(self, tree: Node, options: SearchOptions) -> tuple[list[tuple[int, float]], int]:
        pc = self.postings()
        expanded = expand(_vocabulary(pc), tree)
        return top_hits(pc, expanded, limit=max(1, options.limit), all_versions=options.all_versions)

    def _hit(
        self, fields: dict[str, Any], score: float, terms: set[str], marks: tuple[str, str], *, snippets: bool
    ) -> SearchHit:
        body = fields.get("body") or "" if snippets else ""
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

    def _suggestions(self, parsed: ParsedQuery, typed: list[str], options: SearchOptions) -> list[Suggestion]:
        """Up to three whole queries near ``parsed`` that have hits, best first, with their hit counts."""
        pc = self.postings()
        out: list[Suggestion] = []
        seen: set[str] = set()
        for candidate in candidates(_lexicon(pc), [fold_token(w) for w in typed])[:SUGGESTION_TRIES]:
            text = _replace_words(parsed.text, typed, candidate.words)
            tree = _tree(parse_query(text), options)
            if tree is None:
                continue
            ranked, total = self._ranked(tree, SearchOptions(limit=1, all_versions=options.all_versions))
            if not total:
                continue
            stored = pc.reader.stored_fields(ranked[0][0])
            text = _replace_words(parsed.text, typed, _with_accents(candidate.words, typed, stored))
            if text not in seen:
                seen.add(text)
                out.append(Suggestion(query=text, total=total))
            if len(out) == SUGGESTIONS:
                break
        return out


def _corrected_notice(query: str, corrected: str, before: int, total: int) -> str:
    """The one-line notice of a corrected query."""
    values = {"query": query, "corrected": corrected, "total": total}
    if before == 0:
        return _("No results for “%(query)s”; searched “%(corrected)s” (%(total)d results).") % values
    return _("Searched “%(corrected)s” instead of “%(query)s” (%(total)d results).") % values


def _vocabulary(pc: PostingCache) -> Vocabulary:
    return Vocabulary(lambda w: pc.df("text_f", w) > 0, lambda key: bool(pc.family(key)))


def _lexicon(pc: PostingCache) -> Lexicon:
    """The index's syllables with their document frequencies (built once per open index)."""
    lexicon = getattr(pc, "lexicon", None)
    if lexicon is None:
        frequencies = {t: pc.df("text_f", t) for t in pc.terms("text_f") if is_syllable(t)}
        lexicon = Lexicon(frequencies, lambda a, b: pc.df("pairs_f", f"{a} {b}") > 0)
        pc.lexicon = lexicon  # type: ignore[attr-defined]
    return lexicon


def _typed_words(parsed: ParsedQuery) -> list[str]:
    """The plain words of a query that suggestions may change (not codes, numbers or filter values)."""
    return [w for w in parsed.words if w.isalpha() and not looks_like_code(w)]


def _replace_words(text: str, typed: Sequence[str], words: Sequence[str]) -> str:
    """``text`` with the typed words replaced, in order, by ``words`` (a joined word may become two)."""
    # a split (yte -> y te) or join gives the whole run of typed words its new words
    pieces = list(words) if len(words) == len(typed) else [" ".join(words)] + [""] * (len(typed) - 1)
    out: list[str] = []
    pos = 0
    for word, piece in zip(typed, pieces, strict=True):
        at = text.find(word, pos)
        if at < 0:
            continue
        out.append(text[pos:at])
        out.append(piece)
        pos = at + len(word)
    out.append(text[pos:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _with_accents(words: Sequence[str], typed: Sequence[str], stored: dict[str, Any]) -> list[str]:
    """``words`` (folded) with the accents they carry in the text of the suggestion's first hit.

    Words typed with accents and left unchanged keep the user's spelling.
    """
    text = f"{stored.get('title', '')}\n{stored.get('body', '')}".lower()
    exact = exact_tokens(text)
    accents: dict[str, str] = {}
    for token in exact:
        accents.setdefault(fold_token(token), token)
    kept = {fold_token(t): t.lower() for t in typed if fold_token(t) != t.lower()}
    return [kept.get(w) or accents.get(w) or w for w in words]


def _expanded_terms(pc: PostingCache, tree: Node) -> set[str]:
    """Words the expansion adds (joined syllables split, abbreviations), for snippets."""
    expanded = expand(_vocabulary(pc), tree)
    return {fold_token(w) for w in positive_terms(expanded)}


def _remove_leftovers(index_dir: Path) -> None:
    """Remove build/old directories left by killed rebuilds (caller holds the writer lock)."""
    for path in index_dir.parent.glob(f".{index_dir.name}.*-*"):
        if path.is_dir() and (path.name.rsplit("-", 1)[-1]).isdigit():
            shutil.rmtree(path, ignore_errors=True)


def _read_everything(index_dir: Path, known: set[str]) -> list[str]:
    """Read through every segment the manifest does not vouch for; what failed, one line each.

    Every posting list, stored document and column is read. A segment whose files all have matching
    digests (``known``) is skipped: its bytes are those that were written.
    """
    problems: list[str] = []
    try:
        ix: Any = whoosh_index.open_dir(str(index_dir))
        reader = ix.reader()
    except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the check
        return [f"mục lục (TOC) không đọc được ({type(exc).__name__}: {exc})"]
    try:
        for sub, _offset in reader.leaf_readers():
            segment = sub.segment() if hasattr(sub, "segment") else None
            if segment is None:  # an empty index has no segment
                continue
            name = segment.segment_id()
            if all(f in known for f in sub.storage().list() if f.startswith(f"{name}.")):
                continue
            try:
                for fieldname, btext in sub.all_terms():
                    leaf_arrays(sub.postings(fieldname, btext), [], [], 0)
                for _docnum, _fields in sub.iter_docs():
                    pass
                for column in COLUMN_FIELDS:
                    list(sub.column_reader(column))
            except Exception as exc:  # noqa: BLE001 - as above
                problems.append(
                    _("segment %(name)s cannot be read (%(error)s)")
                    % {"name": name, "error": f"{type(exc).__name__}: {exc}"}
                )
    finally:
        reader.close()
    return problems


def verify_files(index_dir: Path) -> list[str]:
    """Everything found wrong with the index's files, one line each ([] when sound or absent).

    Hashes every file the manifest knows (content changed since it was written, truncated, lost),
    checks that a TOC exists, then reads through Whoosh every segment the manifest does not cover.
    """
    if not index_dir.is_dir() or not any(index_dir.iterdir()):
        return []  # no index at all: ``open`` says so
    if not any(index_dir.glob(f"_{INDEX_NAME}_*.toc")):
        return ["không có tệp mục lục (TOC) của chỉ mục"]
    manifest_names = list(read_state(index_dir).get("files") or {})
    damage = file_damage(index_dir, manifest_names, full=True)
    return damage + _read_everything(index_dir, set() if damage else set(manifest_names))
