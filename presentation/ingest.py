"""What an ``ingest`` run did, for people (one line per file and a summary) and as JSON."""

from __future__ import annotations

from typing import Any

from procreg.i18n import _, ngettext
from procreg.presentation.common import message
from procreg.registry.results import IngestedFile, IngestReport

__all__ = ["format_ingest", "format_ingested", "format_ingest_summary", "ingest_json"]


def format_ingested(f: IngestedFile) -> str:
    """One line: ``+ path (3005/QĐ-UBND): 2 quy trình, 16 bước, 2 danh mục``."""
    c = f.counts
    parts = [
        ngettext("%(count)d procedure", "%(count)d procedures", c.procedures) % {"count": c.procedures},
        ngettext("%(count)d step", "%(count)d steps", c.steps) % {"count": c.steps},
        ngettext("%(count)d catalog entry", "%(count)d catalog entries", c.catalog) % {"count": c.catalog},
    ]
    parts += (
        [ngettext("%(count)d target", "%(count)d targets", c.targets) % {"count": c.targets}]
        if c.targets
        else []
    )
    parts += (
        [ngettext("%(count)d citation", "%(count)d citations", c.citations) % {"count": c.citations}]
        if c.citations
        else []
    )
    if f.new_versions:
        parts.append(
            ngettext("%(count)d new version", "%(count)d new versions", f.new_versions)
            % {"count": f.new_versions}
        )
    parts += (
        [ngettext("%(count)d abolished", "%(count)d abolished", f.abolished) % {"count": f.abolished}]
        if f.abolished
        else []
    )
    number = f" ({f.number})" if f.number else ""
    return f"+ {f.path}{number}: {', '.join(parts)}"


def format_ingest_summary(report: IngestReport) -> str:
    """One line: counts of ingested, unchanged, failed and skipped files and what was registered."""
    values = {
        "ingested": len(report.ingested),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "skipped": len(report.skipped),
        "procedures": sum(f.counts.procedures for f in report.ingested),
        "steps": sum(f.counts.steps for f in report.ingested),
        "catalog": sum(f.counts.catalog for f in report.ingested),
    }
    return (
        _(
            "Files: %(ingested)d ingested, %(unchanged)d unchanged, %(failed)d failed, %(skipped)d skipped; "
            "registered: %(procedures)d procedures, %(steps)d steps, %(catalog)d catalog entries."
        )
        % values
    )


def format_ingest(report: IngestReport, *, show_unchanged: bool = False) -> str:
    """The report: ``+`` ingested, ``=`` unchanged (when asked), ``-`` skipped, ``!`` failed, a summary."""
    lines = [format_ingested(f) for f in report.ingested]
    lines += [f"= {path}" for path in report.unchanged] if show_unchanged else []
    lines += [f"- {skipped.path}: {message(skipped.reason)}" for skipped in report.skipped]
    lines += [f"! {failed.path}: {message(failed.error)}" for failed in report.failed]
    lines.append(format_ingest_summary(report))
    return "\n".join(lines)


def ingest_json(report: IngestReport) -> dict[str, Any]:
    """The ``ingest --json`` document: ingested files with counts, unchanged, failed, skipped, a summary."""
    return {
        "ingested": [
            {
                "path": f.path,
                "document_id": f.document_id,
                "number": f.number,
                "kind": f.kind,
                "procedures": f.counts.procedures,
                "steps": f.counts.steps,
                "catalog": f.counts.catalog,
                "citations": f.counts.citations,
                "targets": f.counts.targets,
                "new_versions": f.new_versions,
                "abolished": f.abolished,
            }
            for f in report.ingested
        ],
        "unchanged": list(report.unchanged),
        "failed": [{"path": f.path, "error": message(f.error)} for f in report.failed],
        "skipped": [{"path": s.path, "reason": message(s.reason)} for s in report.skipped],
        "summary": {
            "ingested": len(report.ingested),
            "unchanged": len(report.unchanged),
            "failed": len(report.failed),
            "skipped": len(report.skipped),
            "procedures": sum(f.counts.procedures for f in report.ingested),
            "steps": sum(f.counts.steps for f in report.ingested),
            "catalog": sum(f.counts.catalog for f in report.ingested),
        },
    }
