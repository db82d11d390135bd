"""Terminal and JSON views of ``procreg search`` and ``procreg index check/rebuild``.

The index's result types (``IndexCheck``, ``RebuildReport``) are read through the protocols below, so
presentation does not import the index package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from procreg.i18n import _, ngettext, pgettext
from procreg.presentation.common import doc_kind_label, message, number, status_label
from procreg.registry.models import SearchResult, to_jsonable

__all__ = [
    "OUT_OF_FORCE",
    "IndexState",
    "RebuildSummary",
    "check_json",
    "format_check",
    "format_hits",
    "format_rebuild",
    "kind_label",
    "rebuild_json",
    "search_json",
]

OUT_OF_FORCE = ("superseded", "abolished", "withdrawn")  # still found, marked as no longer in force


def kind_label(kind: str) -> str:
    """What a hit is: ``quy trình``, ``danh mục``, ``văn bản`` (a document's own kind when it has one)."""
    labels = {
        "procedure": pgettext("hit", "procedure"),
        "catalog": pgettext("hit", "catalog entry"),
        "document": pgettext("hit", "document"),
    }
    return labels.get(kind) or doc_kind_label(kind)


class IndexState(Protocol):
    """What ``procreg index check`` reports (``Registry.check_index()``)."""

    @property
    def clean(self) -> bool:
        """True when the index is sound and holds exactly the registry's records, each up to date."""

    @property
    def problem(self) -> str | None:
        """Why the index could not be read, if it could not."""

    @property
    def damage(self) -> Sequence[str]:
        """Files found damaged (truncated, overwritten, lost, unreadable)."""

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


class RebuildSummary(Protocol):
    """What ``procreg index rebuild`` did (``Registry.rebuild_index()``)."""

    @property
    def documents(self) -> int:
        """Documents indexed, all kinds."""

    @property
    def procedures(self) -> int:
        """Procedure versions indexed."""

    @property
    def catalog(self) -> int:
        """Catalog rows indexed."""

    @property
    def texts(self) -> int:
        """Source documents (decisions, plans...) indexed."""

    @property
    def seconds(self) -> float:
        """How long the rebuild took."""

    @property
    def size_bytes(self) -> int:
        """The index's size on disk."""


def format_hits(result: SearchResult) -> str:
    """Human output: rank, code or number, title, then kind/unit/status and the snippet, indented."""
    lines: list[str] = []
    width = len(str(len(result.hits)))
    for rank, hit in enumerate(result.hits, 1):
        head = f"{rank:>{width}}. " + (f"{hit.code}  " if hit.code else "") + hit.title
        if hit.status in OUT_OF_FORCE:
            head += f"  [{status_label(hit.status)}]"
        lines.append(head)
        meta = [kind_label(hit.kind)]
        if hit.unit:
            units = hit.unit.split("; ")
            meta.append("; ".join(units[:3]) + (f" (+{len(units) - 3})" if len(units) > 3 else ""))
        if hit.status:
            meta.append(status_label(hit.status))
        pad = " " * (width + 2)
        lines.append(pad + " · ".join(meta))
        if hit.snippet:
            lines.append(pad + hit.snippet)
    shown = len(result.hits)
    if shown < result.total:
        total = ngettext("%(shown)d of %(total)d result", "%(shown)d of %(total)d results", result.total)
    else:
        total = ngettext("%(shown)d result", "%(shown)d results", shown)
    lines.append("-- " + total % {"shown": shown, "total": result.total})
    return "\n".join(lines)


def search_json(result: SearchResult) -> dict[str, object]:
    """``procreg search --json``: one JSON document, hits or not.

    {query, total, hits: [{id, kind, code, title, unit, status, score, snippet}], notices, suggestion,
    suggestions: [{query, total}], corrected}
    """
    return {
        "query": result.query,
        "total": result.total,
        "hits": [to_jsonable(h) for h in result.hits],
        "notices": [message(n) for n in result.notices],
        "suggestion": result.suggestion,
        "suggestions": [to_jsonable(s) for s in result.suggestions],
        "corrected": result.corrected,
    }


def check_json(check: IndexState) -> dict[str, object]:
    """``procreg index check --json``: clean, problem, damage, documents, and the missing/stale/extra ids."""
    return {
        "clean": check.clean,
        "problem": check.problem,
        "damage": list(check.damage),
        "documents": check.documents,
        "missing": list(check.missing),
        "stale": list(check.stale),
        "extra": list(check.extra),
    }


def format_check(check: IndexState) -> str:
    """Human output of ``procreg index check``."""
    if check.clean:
        return _("index: in step with the registry (%(count)d records)") % {"count": check.documents}
    lines = [_("index: damaged: %(detail)s") % {"detail": message(line)} for line in check.damage]
    lines += [_("index: %(problem)s") % {"problem": message(check.problem)}] if check.problem else []
    labels = (
        (_("missing from the index (%(count)d): %(ids)s"), check.missing),
        (_("out of date in the index (%(count)d): %(ids)s"), check.stale),
        (_("in the index, no longer in the registry (%(count)d): %(ids)s"), check.extra),
    )
    for label, ids in labels:
        if ids:
            shown = ", ".join(ids[:20]) + (f", … (+{len(ids) - 20})" if len(ids) > 20 else "")
            lines.append(label % {"count": len(ids), "ids": shown})
    return "\n".join(lines)


def rebuild_json(report: RebuildSummary) -> dict[str, object]:
    """``procreg index rebuild --json``: the fields of the rebuild report (a ``RebuildReport`` dataclass)."""
    result: dict[str, object] = to_jsonable(report)
    return result


def format_rebuild(report: RebuildSummary) -> str:
    """Human summary of ``procreg index rebuild``."""
    values = {
        "records": report.documents,
        "procedures": report.procedures,
        "catalog": report.catalog,
        "documents": report.texts,
        "seconds": number(report.seconds, digits=1),
        "size": number(report.size_bytes / 1e6, digits=1),
    }
    return (
        _(
            "Search index rebuilt: %(records)d records (%(procedures)d procedures, %(catalog)d catalog rows, "
            "%(documents)d documents) in %(seconds)s s, %(size)s MB."
        )
        % values
    )
