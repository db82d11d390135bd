"""Dropping in new documents: several files at once, each checked, kept under the registry, ingested.

A file is taken only when its name ends in a type procreg reads and its first bytes say it is one
(``%PDF-`` for PDF, a Word package for .docx, the OLE2 container for .doc, ``{\\rtf`` for .rtf, text
without NUL bytes for .txt/.md). Old Word files are converted by LibreOffice as ``ingest`` does;
each file's warnings (text converted from TCVN3/VNI, pages read by OCR, guesses) are shown with its
result. A file is stored as ``<home>/uploads/<sha256>/<name>``: the name is reduced to letters, digits
and ``._-`` and can never leave that folder. The whole request is capped (``procreg serve
--max-upload-mb``). Each file gets its own result: ingested (with its procedures), recognised (another
rendering of a registered document: "đã có", counted once), already registered (the same bytes), refused,
or failed with the reason.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from procreg.i18n import N_, _
from procreg.registry.models import ProcedureRecord
from procreg.registry.results import IngestReport
from procreg.web.common import account, check_csrf, page, require, state

__all__ = ["ACCEPTED", "MAX_FILES", "FileResult", "accept", "routes", "safe_name", "store_and_ingest"]

ACCEPTED = (".txt", ".md", ".docx", ".pdf", ".doc", ".rtf")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97-2003 .doc files
MAX_FILES = 20


@dataclass
class FileResult:
    """What happened to one uploaded file."""

    name: str
    outcome: str  # ingested, recognised, unchanged, refused, failed
    message: str = ""
    document_id: int | None = None
    number: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    procedures: list[ProcedureRecord] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    first_file: str = ""  # recognised: the file name the document was first registered from


OUTCOMES = {
    "ingested": N_("registered"),
    "recognised": N_("already in the registry (another file of a registered document)"),
    "unchanged": N_("already registered"),
    "refused": N_("refused"),
    "failed": N_("could not be read"),
}


def safe_name(filename: str) -> str:
    """A file name that stays one name in one folder: letters, digits, ``._-``, no leading dot."""
    base = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    kept = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip("._")
    stem, dot, suffix = kept.rpartition(".")
    return (stem[:100] + dot + suffix[:10]) if dot else kept[:110] or "tep"


def accept(name: str, head: bytes, data: bytes) -> str | None:
    """Why the file is refused, or None when its name and its first bytes agree on a type procreg reads."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        return _("procreg reads %(types)s files; this one is %(suffix)s.") % {
            "types": ", ".join(ACCEPTED),
            "suffix": suffix or _("without a type"),
        }
    if not data:
        return _("The file is empty.")
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        return _("The file is named .pdf but is not a PDF.")
    if suffix == ".docx" and not _is_docx(data):
        return _("The file is named .docx but is not a Word document.")
    if suffix in (".txt", ".md") and b"\0" in head:
        return _("The file is named %(suffix)s but is not text.") % {"suffix": suffix}
    if suffix == ".doc" and not head.startswith(_OLE2):
        return _("The file is named .doc but is not a Word 97-2003 document.")
    if suffix == ".rtf" and not head.lstrip().startswith(b"{\\rtf"):
        return _("The file is named .rtf but is not an RTF document.")
    return None


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def store_and_ingest(registry: Any, files: list[tuple[str, bytes]]) -> list[FileResult]:
    """Check and store each file under the registry's home, ingest the accepted ones together."""
    results: list[FileResult] = []
    stored: dict[str, FileResult] = {}
    for name, data in files:
        why = accept(name, data[:4096], data)
        if why is not None:
            results.append(FileResult(name=name, outcome="refused", message=why))
            continue
        digest = hashlib.sha256(data).hexdigest()
        folder = registry.home / "uploads" / digest
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / safe_name(name)
        if not path.is_file():
            path.write_bytes(data)
        result = FileResult(name=name, outcome="unchanged")
        results.append(result)
        stored[str(path.resolve())] = result
    if stored:
        report = registry.ingest(list(stored))
        _fill(registry, report, stored)
    return results


def _fill(registry: Any, report: IngestReport, stored: dict[str, FileResult]) -> None:
    for failed in report.failed:
        if failed.path in stored:
            stored[failed.path].outcome = "failed"
            stored[failed.path].message = failed.error
    for known in report.recognised:
        if known.path in stored:
            result = stored[known.path]
            result.outcome = "recognised"
            result.document_id = known.document_id
            result.number = known.number
            result.first_file = Path(known.first_path).name  # a name, never a folder of the server
            result.warnings = known.warnings
    ingested = {f.path: f for f in report.ingested if f.path in stored}
    if not ingested:
        return
    by_document: dict[int, list[ProcedureRecord]] = {}
    for p in registry.procedures():
        if p.document_id is not None:
            by_document.setdefault(p.document_id, []).append(p)
    for path, f in ingested.items():
        result = stored[path]
        result.outcome = "ingested"
        result.document_id = f.document_id
        result.number = f.number
        result.counts = {
            "procedures": f.counts.procedures,
            "steps": f.counts.steps,
            "catalog": f.counts.catalog,
        }
        result.procedures = by_document.get(f.document_id, [])
        result.warnings = f.warnings


async def upload_form(request: Request) -> Response:
    """The upload form."""
    who = account(request)
    return page(request, "upload.html", results=None, may_write=who.may("editor"), accepted=ACCEPTED)


async def upload_post(request: Request) -> Response:
    """Take the files, then show one result per file."""
    web = state(request)
    form = await request.form(max_files=MAX_FILES, max_fields=10)
    check_csrf(request, form.get("csrf"))
    require(request, "editor")
    files: list[tuple[str, bytes]] = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            files.append((item.filename, await item.read()))
            await item.close()
    if not files:
        message = _("Choose at least one file.")
        return page(
            request, "upload.html", status=400, results=None, may_write=True, accepted=ACCEPTED, error=message
        )
    results = await run_in_threadpool(store_and_ingest, web.registry, files)
    return page(request, "upload.html", results=results, outcomes=OUTCOMES, may_write=True, accepted=ACCEPTED)


def routes() -> list[Route]:
    """The upload page's routes."""
    return [Route("/upload", upload_form), Route("/upload", upload_post, methods=["POST"])]
