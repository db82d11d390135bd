"""The audit report in every format: terminal text, Markdown, HTML, CSV, JSON and DOCX.

``render`` returns the text formats; ``render_report`` renders any format and writes it to a file when
asked (always for docx). One module per format; ``common`` holds the labels and table rows they share.
"""

from __future__ import annotations

import json
from pathlib import Path

from procreg.presentation.reports.common import CHECK_LABELS, DOCX_TITLE
from procreg.presentation.reports.csv import render_csv
from procreg.presentation.reports.docx import write_docx
from procreg.presentation.reports.html import render_html
from procreg.presentation.reports.markdown import render_markdown
from procreg.presentation.reports.text import render_text
from procreg.procedures.audit import AuditReport
from procreg.registry.errors import UsageError
from procreg.registry.results import ReportSettings

__all__ = [
    "CHECK_LABELS",
    "DOCX_TITLE",
    "FORMATS",
    "SETTINGS_FORMATS",
    "default_docx_name",
    "render",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_report",
    "render_text",
    "write_docx",
]

FORMATS = ("text", "md", "html", "csv", "json", "docx")
SETTINGS_FORMATS = ("docx",)  # the formats that print the report settings (agency, place, signer)


def render(report: AuditReport, fmt: str, *, dated: str | None = None) -> str:
    """Render a text format (``text``, ``md``, ``html``, ``csv``); ``json``/``docx`` are handled by callers.

    Raises:
        ValueError: an unknown or binary format.
    """
    if fmt == "text":
        return render_text(report)
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report, dated=dated)
    if fmt == "csv":
        return render_csv(report)
    raise ValueError(f"not a text format: {fmt}")


def default_docx_name(report: AuditReport, dated: str) -> Path:
    """Default file name of a .docx report: ``bao-cao-ra-soat-tthc-noi-bo-<period>-<date>.docx``."""
    period = report.period_from[:4] if report.period_from[:4] == report.period_to[:4] else "nhieu-nam"
    return Path(f"bao-cao-ra-soat-tthc-noi-bo-{period}-{dated}.docx")


def _write_text(text: str, output: Path, fmt: str) -> None:
    # A .csv file gets a byte-order mark so that Excel opens the Vietnamese text as UTF-8.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding=encoding)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def render_report(
    report: AuditReport,
    fmt: str,
    *,
    dated: str,
    output: Path | None,
    settings: ReportSettings | None = None,
) -> tuple[str | None, Path | None]:
    """Render the report in ``fmt``; write it to ``output`` when given (always for docx).

    Args:
        report: the audit report.
        fmt: one of ``FORMATS``.
        dated: ISO date printed on the report.
        output: the file to write (docx default: ``default_docx_name``); None prints the text.
        settings: agency, place and signer for the formats that print them (``SETTINGS_FORMATS``).

    Returns:
        (text to print, or None) and (the file written, or None).

    Raises:
        UsageError: an unknown format, or a file that cannot be written.
    """
    if fmt == "docx":
        path = output or default_docx_name(report, dated)
        try:
            write_docx(report, path, dated=dated, settings=settings)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return None, path
    if fmt == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    elif fmt in ("text", "md", "html", "csv"):
        text = render(report, fmt, dated=dated)
    else:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if output is None:
        return text, None
    _write_text(text, output, fmt)
    return None, output
