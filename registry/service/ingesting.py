"""Ingest: collect the document files below some paths, parse the new ones and register each.

Unchanged files (same sha256) are skipped unparsed. Each file is one transaction: a bad or interrupted
file leaves nothing behind and never stops the others; it is reported with a one-line reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from procreg.registry.errors import InputError, RegistryError
from procreg.registry.models import ParsedDocument, ReadOptions
from procreg.registry.results import FailedFile, IngestedFile, IngestReport
from procreg.registry.service.common import open_store, sync_index_quietly
from procreg.registry.service.registering import register_document_once
from procreg.registry.store import Store

__all__ = ["SUFFIXES", "ProgressCallback", "collect_files", "ingest"]

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".docx", ".pdf")

ProgressCallback = Callable[[int, int, Path], None]


def collect_files(paths: Sequence[Path], *, recursive: bool) -> tuple[list[Path], list[FailedFile]]:
    """Expand the command-line paths into document files (sorted, deterministic, no duplicates).

    A folder yields its .txt/.md/.docx/.pdf files (below it too when ``recursive``), hidden files and
    Word lock files (``~$…``) skipped. A file named explicitly is always tried, whatever its suffix.

    Returns:
        The files to ingest, and as failures the paths that do not exist and the folders that give no file.
    """
    files: list[Path] = []
    missing: list[FailedFile] = []
    for path in paths:
        if path.is_dir():
            found, failure = _folder_files(path, recursive=recursive)
            files.extend(found)
            missing.extend([failure] if failure else [])
        elif path.exists():
            files.append(path)
        else:
            missing.append(FailedFile(str(path), "no such file or directory"))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        resolved = f.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(f)
    return unique, missing


def _folder_files(folder: Path, *, recursive: bool) -> tuple[list[Path], FailedFile | None]:
    """The document files of one folder, sorted; a failure when it cannot be read or gives none."""
    try:
        walker = folder.rglob("*") if recursive else folder.iterdir()
        found = [
            p
            for p in walker
            if p.is_file()
            and p.suffix.lower() in SUFFIXES
            and not any(part.startswith((".", "~$")) for part in p.relative_to(folder).parts)
        ]
    except OSError as exc:
        return [], FailedFile(str(folder), f"cannot read folder: {exc.strerror or exc}")
    failure = None
    if not found:  # a folder named on the command line that gives nothing is worth a line
        deeper = not recursive and any(p.is_dir() for p in folder.iterdir())
        hint = " (its subfolders are read with -r)" if deeper else ""
        failure = FailedFile(str(folder), f"folder holds no {', '.join(SUFFIXES)} files{hint}")
    return sorted(found, key=lambda p: p.as_posix()), failure


def ingest(
    paths: Sequence[Path],
    *,
    recursive: bool = False,
    home: Path,
    progress: ProgressCallback | None = None,
    options: ReadOptions | None = None,
) -> IngestReport:
    """Register every document below ``paths``; unchanged files (same sha256) are skipped unparsed.

    Each file is one transaction: a bad or interrupted file leaves nothing behind and never stops the
    others; it is listed under ``failed`` with a one-line reason.

    Args:
        paths: Files and folders.
        recursive: Walk folders recursively.
        home: The registry folder (``registry.db`` inside).
        progress: Called after each file with (files done, total files, path).
        options: OCR mode and limits (defaults: ``ReadOptions()``); OCR results are cached in
            ``<home>/cache/ocr``, so a re-ingest never recognises a page twice.

    Returns:
        The report: ingested (with per-file counts), unchanged and failed files.
    """
    files, missing = collect_files(paths, recursive=recursive)
    report = IngestReport(failed=list(missing))
    options = options or ReadOptions()
    if options.ocr_cache is None:
        options = dataclasses.replace(options, ocr_cache=str(home / "cache" / "ocr"))
    with open_store(home) as store:
        aliases = store.unit_aliases()
        symbols = store.symbols()
        for done, path in enumerate(files, 1):
            try:
                _ingest_file(store, path, report, aliases, symbols, options)
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
                # Shown with -v (INFO): the one line is in the report, the traceback here.
                log.info("%s: not ingested, traceback follows", path, exc_info=True)
                report.failed.append(FailedFile(str(path), _one_line(exc)))
            if progress is not None:
                progress(done, len(files), path)
        sync_index_quietly(store, home)
        report.data_version = store.data_version()
    return report


def _ingest_file(
    store: Store,
    path: Path,
    report: IngestReport,
    aliases: dict[str, str],
    symbols: dict[str, str],
    options: ReadOptions,
) -> None:
    """Register one file (or note it unchanged) into ``report``."""
    from procreg.parsers.read import check_size

    shown = str(path)
    check_size(path, options.max_size)  # before hashing: a huge file is refused unread
    digest = _sha256(path)
    if store.has_document(digest):
        report.unchanged.append(shown)
        return
    parsed = _parse(path, aliases, symbols, options)
    if parsed.sha256 != digest:
        parsed = dataclasses.replace(parsed, sha256=digest)
    result = register_document_once(store, parsed, path=shown)
    if not result.created:
        report.unchanged.append(shown)  # another process registered it meanwhile
        return
    report.ingested.append(
        IngestedFile(
            path=shown,
            document_id=result.document_id,
            number=parsed.number,
            kind=parsed.kind,
            counts=result.counts,
            new_versions=len(result.new_versions),
            abolished=result.abolished,
        )
    )


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None


def _parse(
    path: Path, aliases: dict[str, str], symbols: dict[str, str] | None, options: ReadOptions
) -> ParsedDocument:
    from procreg.parsers.document import parse_document

    return parse_document(path, symbols=symbols or None, unit_aliases=aliases or None, options=options)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, RegistryError):
        message = exc.message
        if exc.where:
            message = f"{exc.where}: {message}"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return " ".join(message.split()) or type(exc).__name__
