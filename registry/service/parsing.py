"""Use case ``parse``: read and parse one document file, nothing stored."""

from __future__ import annotations

from pathlib import Path

from registry.errors import NotFound
from registry.models import ParsedDocument

__all__ = ["parse_file"]


def parse_file(path: Path) -> ParsedDocument:
    """Parse one .txt/.docx/.pdf file into a ``ParsedDocument``.

    User additions to the issuer symbol table are not loaded from anywhere yet; the shipped table
    (``parsers/data/symbols.json``) applies.

    Raises:
        NotFound: the file does not exist.
        InputError: the file cannot be read as its format.
    """
    from parsers.document import parse_document

    if not path.exists():
        raise NotFound("no such file", path=str(path))
    return parse_document(path)
