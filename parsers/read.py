"""Open any supported document and return its blocks: dispatch on the file suffix."""

from __future__ import annotations

from pathlib import Path

from procreg.registry.errors import InputError
from procreg.registry.models import RawDocument

__all__ = ["SUFFIXES", "read_document"]

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".doc", ".rtf")


def read_document(path: Path) -> RawDocument:
    """Read a .txt/.md/.docx/.pdf/.doc/.rtf file into blocks (the suffix decides the reader, any case).

    .doc and .rtf files are converted to .docx by LibreOffice first (``parsers.convert``).

    Every failure is one ``InputError`` (exit code 3) whose message names the file and the problem:
    a directory, a missing or unreadable file, an empty one, an unsupported suffix, a damaged,
    encrypted or image-only file, a zip or XML bomb.

    Raises:
        InputError: unsupported suffix, or a file that cannot be read as its format.
    """
    try:
        return _read(path)
    except InputError as exc:
        if exc.path:
            raise
        # A reader that knows only the place (a PDF page) leaves the file's name to this function.
        raise InputError(exc.message, path=str(path), where=exc.where) from None


def _read(path: Path) -> RawDocument:
    if path.is_dir():
        raise InputError("is a directory, not a document file", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from procreg.parsers.txt_reader import read_txt

        return read_txt(path)
    if suffix == ".docx":
        from procreg.parsers.docx_reader import read_docx

        return read_docx(path)
    if suffix == ".pdf":
        from procreg.parsers.pdf_reader import read_pdf

        return read_pdf(path)
    if suffix in (".doc", ".rtf"):
        from procreg.parsers.convert import read_converted

        return read_converted(path)
    raise InputError(
        f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}", path=str(path)
    )
