"""What an ``ingest`` run did, for people (one line per file and a summary) and as JSON."""

from __future__ import annotations

from typing import Any

from procreg.registry.results import IngestedFile, IngestReport, RecognisedFile

__all__ = ["format_ingest", "format_ingest_summary", "format_ingested", "format_recognised", "ingest_json"]


def format_ingested(f: IngestedFile) -> str:
    """A line: ``+ path (3005/QĐ-UBND): 2 quy trình, 16 bước, 2 danh mục``; then each change and warning.

    A changed copy of a registered document says so and lists what it changes (``~``); what did not
    match is listed too (``!``): a file never gives 0 procedures without a word.
    """
    c = f.counts
    parts = [f"{c.procedures} quy trình", f"{c.steps} bước", f"{c.catalog} danh mục"]
    parts += [f"{n} {label}" for n, label in ((c.targets, "chỉ tiêu"), (c.citations, "trích dẫn")) if n]
    parts += [f"{f.same} quy trình đã có, cùng nội dung"] if f.same else []
    parts += [f"{f.new_versions} phiên bản mới"] if f.new_versions else []
    parts += [f"{f.abolished} bãi bỏ"] if f.abolished else []
    number = f" ({f.number})" if f.number else ""
    head = "bản mới của văn bản đã đăng ký: " if f.replaces is not None else ""
    lines = [f"+ {f.path}{number}: {head}{', '.join(parts)}"]
    lines += [f"    ~ {change}" for change in f.changes]
    lines += [f"    ! {warning}" for warning in f.warnings]
    return "\n".join(lines)


def format_recognised(f: RecognisedFile) -> str:
    """A line: ``= path: đã có: 3005/QĐ-UBND (từ qd-3005.docx)``, then what did not match (``!``)."""
    what = f.number or f"văn bản #{f.document_id}"
    lines = [f"= {f.path}: đã có: {what} (từ {f.first_path})"]
    lines += [f"    ! {warning}" for warning in f.warnings]
    return "\n".join(lines)


def format_ingest_summary(report: IngestReport) -> str:
    """One line: how many files were ingested, recognised, unchanged, failed, skipped; what was registered."""
    procs = sum(f.counts.procedures for f in report.ingested)
    steps = sum(f.counts.steps for f in report.ingested)
    catalog = sum(f.counts.catalog for f in report.ingested)
    ingested, unchanged, failed, skipped = (
        len(report.ingested),
        len(report.unchanged),
        len(report.failed),
        len(report.skipped),
    )
    known = f"{len(report.recognised)} already registered in another file, " if report.recognised else ""
    return (
        f"{ingested} ingested, {known}{unchanged} unchanged, {failed} failed, {skipped} skipped "
        f"({procs} procedures, {steps} steps, {catalog} catalog entries registered)"
    )


def format_ingest(report: IngestReport, *, show_unchanged: bool = False) -> str:
    """The report: ``+`` ingested, ``=`` recognised (and unchanged, asked), ``-`` skipped, ``!`` failed."""
    lines = [format_ingested(f) for f in report.ingested]
    lines += [format_recognised(f) for f in report.recognised]
    lines += [f"= {path}" for path in report.unchanged] if show_unchanged else []
    lines += [f"- {skipped.path}: {skipped.reason}" for skipped in report.skipped]
    lines += [f"! {failed.path}: {failed.error}" for failed in report.failed]
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
        "failed": [{"path": f.path, "error": f.error} for f in report.failed],
        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
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
