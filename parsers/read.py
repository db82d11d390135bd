"""Open any supported document and return its blocks: dispatch on the file suffix."""

from __future__ import annotations

from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import InputError
from procreg.registry.models import MEGABYTE, RawDocument, ReadOptions

__all__ = ["SUFFIXES", "check_size", "read_document"]

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".doc", ".rtf")


def read_document(path: Path, options: ReadOptions | None = None) -> RawDocument:
    """Read a .txt/.md/.docx/.pdf/.doc/.rtf file into blocks (the suffix decides the reader, any case).

    .doc and .rtf files are converted to .docx by LibreOffice first (``parsers.convert``).

    Every failure is one ``InputError`` (exit code 3) whose message names the file and the problem:
    a directory, a missing or unreadable file, an empty one, an unsupported suffix, a damaged,
    encrypted or image-only file (without OCR), a zip or XML bomb, a file over a limit of ``options``.

    Raises:
        InputError: unsupported suffix, or a file that cannot be read as its format.
    """
    try:
        return _read(path, options or ReadOptions())
    except InputError as exc:
        if exc.path:
            raise
        # A reader that knows only the place (a PDF page) leaves the file's name to this function.
        raise InputError(exc.message, path=str(path), where=exc.where) from None


def _read(path: Path, options: ReadOptions) -> RawDocument:
    if path.is_dir():
        raise InputError(_("is a directory, not a document file"), path=str(path))
    check_size(path, options.max_size)
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from procreg.parsers.txt_reader import read_txt

        return read_txt(path)
    if suffix == ".docx":
        from procreg.parsers.docx_reader import read_docx

        return read_docx(path)
    if suffix == ".pdf":
        from procreg.parsers.pdf_reader import read_pdf

        return read_pdf(path, options)
    if suffix in (".doc", ".rtf"):
        from procreg.parsers.convert import read_converted

        return read_converted(path)
    raise InputError(
        _("unsupported file type %(suffix)s; procreg reads %(suffixes)s")
        % {"suffix": suffix or _("(none)"), "suffixes": ", ".join(SUFFIXES)},
        path=str(path),
    )


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}".rstrip("0").rstrip(".")


def check_size(path: Path, limit: int) -> None:
    """Refuse a file larger than ``limit`` bytes before anything reads it (a missing file passes here).

    Raises:
        InputError: the file is over the limit; the message says how to raise it.
    """
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if size > limit:
        needed = -(-size // MEGABYTE)
        raise InputError(
            _(
                "file is %(size)s MB, over the limit of %(limit)s MB; raise it with --max-size %(needed)dM "
                "if this file is meant to be read"
            )
            % {"size": _megabytes(size), "limit": _megabytes(limit), "needed": needed},
            path=str(path),
        )
