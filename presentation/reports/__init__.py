"""The audit report in every format: terminal text, Markdown, HTML, CSV, JSON, DOCX and XLSX.

``render`` returns the text formats; ``render_report`` renders any format and writes it to a file when
asked (always for the binary formats, docx and xlsx). One module per format; ``common`` holds the labels
and table rows they share, ``official`` the blocks of an official báo cáo (Nghị định 30/2020). Every
file is written with ``text.safe.write_output``: never through a symbolic link out of its folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from procreg.i18n import _, os_error_text
from procreg.presentation.reports.common import CHECK_LABELS, DOCX_TITLE
from procreg.presentation.reports.csv import render_csv
from procreg.presentation.reports.docx import docx_bytes, write_docx
from procreg.presentation.reports.html import render_html
from procreg.presentation.reports.markdown import render_markdown
from procreg.presentation.reports.text import render_text
from procreg.presentation.reports.xlsx import write_xlsx, xlsx_bytes
from procreg.procedures.audit import AuditReport
from procreg.registry.errors import UsageError
from procreg.registry.results import ReportSettings
from procreg.text.safe import write_output

__all__ = [
    "BINARY_FORMATS",
    "CHECK_LABELS",
    "DOCX_TITLE",
    "FORMATS",
    "SETTINGS_FORMATS",
    "default_docx_name",
    "default_report_name",
    "render",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_report",
    "render_text",
    "write_docx",
    "write_xlsx",
]

FORMATS = ("text", "md", "html", "csv", "json", "docx", "xlsx")
BINARY_FORMATS = ("docx", "xlsx")  # always written to a file
SETTINGS_FORMATS = ("docx", "html", "xlsx")  # the formats that print the report settings (agency, signer)


def render(
    report: AuditReport, fmt: str, *, dated: str | None = None, settings: ReportSettings | None = None
) -> str:
    """Render a text format (``text``, ``md``, ``html``, ``csv``); ``json``/``docx``/``xlsx`` are elsewhere.

    Raises:
        ValueError: an unknown or binary format.
    """
    if fmt == "text":
        return render_text(report)
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report, dated=dated, settings=settings)
    if fmt == "csv":
        return render_csv(report)
    raise ValueError(f"not a text format: {fmt}")


def default_report_name(report: AuditReport, dated: str, fmt: str) -> Path:
    """Default file name of a report: ``bao-cao-ra-soat-tthc-noi-bo-<period>-<date>.<fmt>``."""
    period = report.period_from[:4] if report.period_from[:4] == report.period_to[:4] else "nhieu-nam"
    return Path(f"bao-cao-ra-soat-tthc-noi-bo-{period}-{dated}.{fmt}")


def default_docx_name(report: AuditReport, dated: str) -> Path:
    """Default file name of a .docx report (``default_report_name`` with ``docx``)."""
    return default_report_name(report, dated, "docx")


def _write(data: str | bytes, output: Path, fmt: str) -> None:
    """Write a report file.

    Raises:
        UsageError: the file cannot be written, or is a symbolic link out of its folder.
    """
    # A .csv file gets a byte-order mark: Excel, and LibreOffice's import dialog, then read UTF-8.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        write_output(output, data, encoding=encoding)
    except OSError as exc:
        raise UsageError(
            _("cannot write %(path)s: %(reason)s") % {"path": output, "reason": os_error_text(exc)}
        ) from exc


def render_report(
    report: AuditReport,
    fmt: str,
    *,
    dated: str,
    output: Path | None,
    settings: ReportSettings | None = None,
) -> tuple[str | None, Path | None]:
    """Render the report in ``fmt``; write it to ``output`` when given (always for docx and xlsx).

    Args:
        report: the audit report.
        fmt: one of ``FORMATS``.
        dated: ISO date printed on the report.
        output: the file to write (docx/xlsx default: ``default_report_name``); None prints the text.
        settings: agency, place, recipients and signer for the formats that print them (``SETTINGS_FORMATS``).

    Returns:
        (text to print, or None) and (the file written, or None).

    Raises:
        UsageError: an unknown format, or a file that cannot be written.
    """
    if fmt in BINARY_FORMATS:
        path = output or default_report_name(report, dated, fmt)
        make = docx_bytes if fmt == "docx" else xlsx_bytes
        _write(make(report, dated=dated, settings=settings), path, fmt)
        return None, path
    if fmt == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    elif fmt in ("text", "md", "html", "csv"):
        text = render(report, fmt, dated=dated, settings=settings)
    else:
        raise UsageError(
            _("unknown format %(format)r; expected one of %(choices)s")
            % {"format": fmt, "choices": ", ".join(FORMATS)}
        )
    if output is None:
        return text, None
    _write(text, output, fmt)
    return None, output
