"""What an ``ingest`` run did, for people (one line per file and a summary) and as JSON."""

from __future__ import annotations

from typing import Any

from procreg.i18n import _, ngettext
from procreg.presentation.common import message
from procreg.registry.results import IngestedFile, IngestReport, RecognisedFile

__all__ = ["format_ingest", "format_ingest_summary", "format_ingested", "format_recognised", "ingest_json"]


def format_ingested(f: IngestedFile) -> str:
    """A line: ``+ path (3005/QĐ-UBND): 2 quy trình, 16 bước, 2 danh mục``; then each change and warning.

    A changed copy of a registered document says so and lists what it changes (``~``); what did not
    match is listed too (``!``): a file never gives 0 procedures without a word.
    """
    c = f.counts
    parts = [
        ngettext("%(count)d procedure", "%(count)d procedures", c.procedures) % {"count": c.procedures},
        ngettext("%(count)d step", "%(count)d steps", c.steps) % {"count": c.steps},
        ngettext("%(count)d catalog entry", "%(count)d catalog entries", c.catalog) % {"count": c.catalog},
    ]
    if c.targets:
        parts.append(ngettext("%(count)d target", "%(count)d targets", c.targets) % {"count": c.targets})
    if c.citations:
        parts.append(
            ngettext("%(count)d citation", "%(count)d citations", c.citations) % {"count": c.citations}
        )
    if f.same:
        parts.append(
            ngettext(
                "%(count)d procedure already registered, same content",
                "%(count)d procedures already registered, same content",
                f.same,
            )
            % {"count": f.same}
        )
    if f.new_versions:
        parts.append(
            ngettext("%(count)d new version", "%(count)d new versions", f.new_versions)
            % {"count": f.new_versions}
        )
    if f.abolished:
        parts.append(
            ngettext("%(count)d abolished", "%(count)d abolished", f.abolished) % {"count": f.abolished}
        )
    number = f" ({f.number})" if f.number else ""
    head = _("new copy of a registered document: ") if f.replaces is not None else ""
    lines = [f"+ {f.path}{number}: {head}{', '.join(parts)}"]
    lines += [f"    ~ {message(change)}" for change in f.changes]
    lines += [f"    ! {message(warning)}" for warning in f.warnings]
    return "\n".join(lines)


def format_recognised(f: RecognisedFile) -> str:
    """A line: ``= path: đã có: 3005/QĐ-UBND (từ qd-3005.docx)``, then what did not match (``!``)."""
    what = f.number or _("document #%(id)d") % {"id": f.document_id}
    lines = [
        "= "
        + _("%(path)s: already registered: %(document)s (from %(first)s)")
        % {"path": f.path, "document": what, "first": f.first_path}
    ]
    lines += [f"    ! {message(warning)}" for warning in f.warnings]
    return "\n".join(lines)


def format_ingest_summary(report: IngestReport) -> str:
    """One line: how many files were ingested, recognised, unchanged, failed, skipped; what was registered."""
    values = {
        "ingested": len(report.ingested),
        "recognised": len(report.recognised),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "skipped": len(report.skipped),
        "procedures": sum(f.counts.procedures for f in report.ingested),
        "steps": sum(f.counts.steps for f in report.ingested),
        "catalog": sum(f.counts.catalog for f in report.ingested),
    }
    if report.recognised:
        text = _(
            "%(ingested)d ingested, %(recognised)d already registered in another file, "
            "%(unchanged)d unchanged, %(failed)d failed, %(skipped)d skipped (%(procedures)d procedures, "
            "%(steps)d steps, %(catalog)d catalog entries registered)"
        )
    else:
        text = _(
            "%(ingested)d ingested, %(unchanged)d unchanged, %(failed)d failed, %(skipped)d skipped "
            "(%(procedures)d procedures, %(steps)d steps, %(catalog)d catalog entries registered)"
        )
    return text % values


def format_ingest(report: IngestReport, *, show_unchanged: bool = False) -> str:
    """The report: ``+`` ingested, ``=`` recognised (and unchanged, asked), ``-`` skipped, ``!`` failed."""
    lines = [format_ingested(f) for f in report.ingested]
    lines += [format_recognised(f) for f in report.recognised]
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
                "same": f.same,
                "replaces": f.replaces,
                "changes": list(f.changes),
                "warnings": list(f.warnings),
            }
            for f in report.ingested
        ],
        "recognised": [
            {
                "path": f.path,
                "document_id": f.document_id,
                "number": f.number,
                "from": f.first_path,
                "warnings": list(f.warnings),
            }
            for f in report.recognised
        ],
        "unchanged": list(report.unchanged),
        "failed": [{"path": f.path, "error": message(f.error)} for f in report.failed],
        "skipped": [{"path": s.path, "reason": message(s.reason)} for s in report.skipped],
        "summary": {
            "ingested": len(report.ingested),
            "recognised": len(report.recognised),
            "unchanged": len(report.unchanged),
            "failed": len(report.failed),
            "skipped": len(report.skipped),
            "procedures": sum(f.counts.procedures for f in report.ingested),
            "steps": sum(f.counts.steps for f in report.ingested),
            "catalog": sum(f.counts.catalog for f in report.ingested),
        },
    }
