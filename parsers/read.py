"""Open any supported document and return its blocks: dispatch on the file suffix."""

from __future__ import annotations

from pathlib import Path

from registry.errors import InputError
from registry.models import RawDocument

__all__ = ["SUFFIXES", "read_document"]

SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def read_document(path: Path) -> RawDocument:
    """Read a .txt/.md/.docx/.pdf file into blocks.

    Raises:
        InputError: unsupported suffix, or a file that cannot be read as its format.
    """
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from parsers.txt_reader import read_txt

        return read_txt(path)
    if suffix == ".docx":
        from parsers.docx_reader import read_docx  # type: ignore[import-not-found,unused-ignore]

        return read_docx(path)  # type: ignore[no-any-return,unused-ignore]
    if suffix == ".pdf":
        from parsers.pdf_reader import read_pdf  # type: ignore[import-not-found,unused-ignore]

        return read_pdf(path)  # type: ignore[no-any-return,unused-ignore]
    raise InputError(
        f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}", path=str(path)
    )
