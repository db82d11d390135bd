"""Terminal and JSON views of ``procreg search`` and ``procreg index check/rebuild``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from procreg.registry.models import SearchResult, to_jsonable

__all__ = [
    "KIND_LABELS",
    "IndexState",
    "check_json",
    "format_check",
    "format_hits",
    "format_rebuilt",
    "search_json",
]

KIND_LABELS = {"procedure": "quy trình", "catalog": "danh mục", "document": "văn bản"}


class IndexState(Protocol):
    """What ``procreg index check`` reports (``Registry.check_index()``)."""

    @property
    def clean(self) -> bool:
        """True when the index holds exactly the registry's records."""

    @property
    def problem(self) -> str | None:
        """Why the index could not be read, if it could not."""

    @property
    def documents(self) -> int:
        """How many records the registry gives the index."""

    @property
    def missing(self) -> Sequence[str]:
        """Ids in the registry, not in the index."""

    @property
    def stale(self) -> Sequence[str]:
        """Ids whose content changed since they were indexed."""

    @property
    def extra(self) -> Sequence[str]:
        """Ids in the index, no longer in the registry."""


def format_hits(result: SearchResult) -> str:
    """Human output: rank, code or number, title, then kind/unit/status and the snippet, indented."""
    lines: list[str] = []
    width = len(str(len(result.hits)))
    for rank, hit in enumerate(result.hits, 1):
        head = f"{rank:>{width}}. " + (f"{hit.code}  " if hit.code else "") + hit.title
        lines.append(head)
        meta = [KIND_LABELS.get(hit.kind, hit.kind)]
        if hit.unit:
            units = hit.unit.split("; ")
            meta.append("; ".join(units[:3]) + (f" (+{len(units) - 3})" if len(units) > 3 else ""))
        if hit.status:
            meta.append(hit.status)
        pad = " " * (width + 2)
        lines.append(pad + " · ".join(meta))
        if hit.snippet:
            lines.append(pad + hit.snippet)
    shown = len(result.hits)
    lines.append(f"-- {shown}/{result.total} kết quả" if shown < result.total else f"-- {shown} kết quả")
    return "\n".join(lines)


def search_json(result: SearchResult) -> dict[str, object]:
    """``procreg search --json``: {query, total, hits, notices, suggestion}.

    Each hit: {id, kind, code, title, unit, status, score, snippet}.
    """
    return {
        "query": result.query,
        "total": result.total,
        "hits": [to_jsonable(h) for h in result.hits],
        "notices": list(result.notices),
        "suggestion": result.suggestion,
    }


def check_json(check: IndexState) -> dict[str, object]:
    """``procreg index check --json``: clean, problem, documents, and the missing/stale/extra ids."""
    return {
        "clean": check.clean,
        "problem": check.problem,
        "documents": check.documents,
        "missing": list(check.missing),
        "stale": list(check.stale),
        "extra": list(check.extra),
    }


def format_check(check: IndexState) -> str:
    """Human output of ``procreg index check``."""
    if check.clean:
        return f"index: in line with the registry ({check.documents} documents)"
    lines = [f"index: {check.problem}"] if check.problem else []
    for label, ids in (("missing", check.missing), ("stale", check.stale), ("extra", check.extra)):
        if ids:
            shown = ", ".join(ids[:20]) + (f", … (+{len(ids) - 20})" if len(ids) > 20 else "")
            lines.append(f"{label} ({len(ids)}): {shown}")
    return "\n".join(lines)


def format_rebuilt(count: int) -> str:
    """Human output of ``procreg index rebuild``."""
    return f"index: rebuilt ({count} documents)"
