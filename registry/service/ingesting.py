"""Ingest: collect the document files below some paths, parse the new ones and register each.

Unchanged files (same sha256) are skipped unparsed. Each file is one transaction: a bad or interrupted
file leaves nothing behind and never stops the others; it is reported with a one-line reason. Nothing
in a folder goes unmentioned: every entry not taken (hidden, another type, a subfolder without
--recursive, unreadable, over the size limit) is listed as skipped with its reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from procreg.i18n import _, os_error_text
from procreg.registry.errors import InputError, RegistryError
from procreg.registry.models import ParsedDocument, ReadOptions
from procreg.registry.results import FailedFile, IngestedFile, IngestReport, RecognisedFile, SkippedFile
from procreg.registry.service.common import has_registry, open_store, sync_index_quietly
from procreg.registry.service.registering import register_document_once
from procreg.registry.store import Store

__all__ = ["SUFFIXES", "Collected", "ProgressCallback", "collect_files", "ingest"]

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".doc", ".rtf")

ProgressCallback = Callable[[int, int, Path], None]


class Collected(NamedTuple):
    """The command line's paths as files to ingest, paths that failed, and folder entries not taken."""

    files: list[Path]
    failed: list[FailedFile]
    skipped: list[SkippedFile]


def collect_files(paths: Sequence[Path], *, recursive: bool, max_size: int | None = None) -> Collected:
    """Expand the command-line paths into document files (sorted, deterministic, no duplicates).

    A folder yields its .txt/.md/.docx/.pdf/.doc/.rtf files (below it too when ``recursive``). Every other
    entry of a folder is listed as skipped with its reason: a hidden file or folder, a Word lock file
    (``~$…``), an unsupported type, a subfolder (without ``recursive``), a file over ``max_size`` bytes,
    an unreadable one, something that is not a regular file. A file named explicitly is always tried,
    whatever its suffix.

    Returns:
        The files to ingest; as failures the paths that do not exist and the folders that give no file;
        the folder entries skipped.
    """
    files: list[Path] = []
    missing: list[FailedFile] = []
    skipped: list[SkippedFile] = []
    for path in paths:
        if path.is_dir():
            found, passed, failure = _folder_files(path, recursive=recursive, max_size=max_size)
            files.extend(found)
            skipped.extend(passed)
            missing.extend([failure] if failure else [])
        elif path.exists():
            files.append(path)
        else:
            missing.append(FailedFile(str(path), _("no such file or folder")))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        resolved = f.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(f)
    return Collected(unique, missing, skipped)


def _skip_reason(entry: Path, *, recursive: bool, max_size: int | None) -> str | None:
    """Why a folder entry is not taken, or None when it is a document file to ingest (or to walk into)."""
    name = entry.name
    if name.startswith("~$"):
        return _("Word lock file (~$), not a document")
    if name.startswith("."):
        return _("hidden folder") if entry.is_dir() else _("hidden file")
    if entry.is_dir():
        return None if recursive else _("subfolder, not read without --recursive")
    if not entry.is_file():
        return _("not a regular file") if entry.exists() else _("broken link")
    suffix = entry.suffix.lower()
    if suffix not in SUFFIXES:
        values = {"suffix": suffix or _("(none)"), "suffixes": ", ".join(SUFFIXES)}
        return _("unsupported file type %(suffix)s; procreg reads %(suffixes)s") % values
    try:
        size = entry.stat().st_size
    except OSError as exc:
        return _("unreadable: %(reason)s") % {"reason": os_error_text(exc)}
    if max_size is not None and size > max_size:
        values = {"size": f"{size / 1e6:.1f}", "limit": f"{max_size / 1e6:.1f}"}
        return _("over the size limit: %(size)s MB, the limit is %(limit)s MB") % values
    if not os.access(entry, os.R_OK):
        return _("unreadable: %(reason)s") % {"reason": _("permission denied")}
    return None


def _folder_files(
    folder: Path, *, recursive: bool, max_size: int | None
) -> tuple[list[Path], list[SkippedFile], FailedFile | None]:
    """One folder's document files and skipped entries, sorted; a failure when it gives no file."""
    found: list[Path] = []
    skipped: list[SkippedFile] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(current.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            if current == folder:
                reason = _("cannot read the folder: %(reason)s") % {"reason": os_error_text(exc)}
                return [], [], FailedFile(str(folder), reason)
            reason = _("unreadable folder: %(reason)s") % {"reason": os_error_text(exc)}
            skipped.append(SkippedFile(str(current), reason))
            continue
        for entry in entries:
            skip = _skip_reason(entry, recursive=recursive, max_size=max_size)
            if skip is not None:
                skipped.append(SkippedFile(str(entry), skip))
            elif entry.is_dir():
                pending.append(entry)
            else:
                found.append(entry)
    failure = None
    if not found:  # a folder named on the command line that gives nothing is worth a line
        deeper = not recursive and any(p.is_dir() for p in folder.iterdir())
        if deeper:
            reason = _("the folder holds no %(suffixes)s files (its subfolders are read with -r)")
        else:
            reason = _("the folder holds no %(suffixes)s files")
        failure = FailedFile(str(folder), reason % {"suffixes": ", ".join(SUFFIXES)})
    order = Path.as_posix
    return sorted(found, key=order), sorted(skipped, key=lambda s: s.path), failure


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
            ``<home>/cache/ocr``, so a re-ingest never recognises a page twice. A file over
            ``options.max_size`` fails with the message that says how to raise the limit.

    Returns:
        The report: ingested (with per-file counts), unchanged, failed and skipped files.
    """
    files, missing, skipped = collect_files(paths, recursive=recursive)
    report = IngestReport(failed=list(missing), skipped=skipped)
    options = options or ReadOptions()
    if options.ocr_cache is None:
        options = dataclasses.replace(options, ocr_cache=str(home / "cache" / "ocr"))
    if not has_registry(home):
        report.created_home = home
    with open_store(home) as store:
        aliases = store.unit_aliases()
        symbols = store.symbols()
        _convert_word_files_first(store, files)
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
    if result.rendering_of is not None:
        report.recognised.append(
            RecognisedFile(
                path=shown,
                document_id=result.document_id,
                number=parsed.number,
                first_path=result.rendering_of,
                warnings=result.warnings,
            )
        )
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
            same=result.same,
            replaces=result.replaces,
            changes=result.changes,
            # The parse's warnings (OCR, conversion, guesses...), then what a changed copy did not match.
            warnings=(*parsed.warnings, *result.warnings),
        )
    )


def _convert_word_files_first(store: Store, files: Sequence[Path]) -> None:
    """Convert the new .doc/.rtf files in one LibreOffice run (it starts once, not once per file).

    The converted copies land in the conversion cache, where reading each file finds them; a file that
    fails here fails again, with its reason, when it is read.
    """
    from procreg.parsers.convert import convert_many

    word = [p for p in files if p.suffix.lower() in (".doc", ".rtf")]
    if len(word) < 2:
        return
    new = []
    for path in word:
        try:
            if not store.has_document(_sha256(path)):
                new.append(path)
        except InputError:
            continue  # reported when the file itself is read
    if len(new) > 1:
        convert_many(new)


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()  # within --max-size: checked before
    except OSError as exc:
        raise InputError(
            _("cannot read: %(reason)s") % {"reason": os_error_text(exc)}, path=str(path)
        ) from None


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
