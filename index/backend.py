"""The seam between procreg and its search engine: the ``SearchBackend`` protocol and what crosses it.

The index is a cache of the SQLite registry. A backend stores ``IndexDoc`` records by id, each with a
fingerprint of its content, so that the registry side can tell which ids are missing, stale or extra
without knowing anything about the engine. Whoosh implements it (``index.whoosh_backend``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from procreg.registry.errors import IndexError_
from procreg.registry.models import IndexDoc, SearchResult, to_jsonable
from procreg.registry.results import IndexCheck, RebuildReport

__all__ = [
    "IndexCheck",
    "IndexUnusable",
    "RebuildReport",
    "SearchBackend",
    "SearchOptions",
    "compare",
    "fingerprint",
]


class IndexUnusable(IndexError_):
    """The index directory is missing, fails to open, or was built with another schema: rebuild it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchOptions:
    """What a search asks for besides the query text.

    Filters given here are ANDed with the query (``--kind``, ``--unit``... on the command line).
    ``marks`` wrap matched words in snippets: ANSI bold on a terminal, nothing when piped or in JSON.
    """

    limit: int = 10
    all_versions: bool = False
    kind: str | None = None
    unit: str | None = None
    field: str | None = None
    status: str | None = None
    marks: tuple[str, str] = ("", "")
    snippets: bool = True  # False: hits without snippets (callers that only want the ids: the audit)


def fingerprint(doc: IndexDoc) -> str:
    """A short digest of everything the index keeps about ``doc`` (stable across runs)."""
    data = json.dumps(to_jsonable(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(data.encode("utf-8"), digest_size=12).hexdigest()


def compare(
    wanted: Iterable[IndexDoc], have: dict[str, str]
) -> tuple[list[IndexDoc], list[IndexDoc], list[str]]:
    """Split the registry's documents against the index's ``{id: fingerprint}``.

    Returns:
        (missing docs, stale docs, extra ids), each sorted by id.
    """
    missing: list[IndexDoc] = []
    stale: list[IndexDoc] = []
    seen: set[str] = set()
    for doc in wanted:
        seen.add(doc.id)
        fp = have.get(doc.id)
        if fp is None:
            missing.append(doc)
        elif fp != fingerprint(doc):
            stale.append(doc)
    extra = sorted(set(have) - seen)
    return sorted(missing, key=lambda d: d.id), sorted(stale, key=lambda d: d.id), extra


class SearchBackend(Protocol):
    """What procreg needs from a search engine. Writes happen under the caller's writer lock."""

    def update(self, add: Sequence[IndexDoc] = (), delete: Sequence[str] = ()) -> None:
        """Add or replace ``add`` (by id) and delete ``delete`` ids, in one commit."""
        ...

    def fingerprints(self) -> dict[str, str]:
        """Every indexed id with the fingerprint it was indexed with."""
        ...

    def search(self, query: str, options: SearchOptions) -> SearchResult:
        """Run a query (``index.query`` syntax); never raises on a malformed query."""
        ...

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the whole index with ``docs``; returns how many were indexed."""
        ...

    def check(self, docs: Iterable[IndexDoc]) -> IndexCheck:
        """Compare the index with the registry's documents."""
        ...

    def close(self) -> None:
        """Release searchers and files."""
        ...
