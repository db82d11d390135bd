"""Use case ``parse``: read and parse one document file, nothing stored."""

from __future__ import annotations

from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import NotFound
from procreg.registry.models import ParsedDocument

__all__ = ["parse_file"]


def parse_file(path: Path, *, home: Path | None = None) -> ParsedDocument:
    """Parse one .txt/.docx/.pdf file into a ``ParsedDocument``.

    Args:
        path: The document.
        home: The registry folder; when a registry exists there, the user's issuer symbols
            (``procreg symbols add``) are merged over the shipped table. Nothing is created or written.

    Raises:
        NotFound: the file does not exist.
        InputError: the file cannot be read as its format.
    """
    from procreg.parsers.document import parse_document
    from procreg.registry.store import read_symbols

    if not path.exists():
        raise NotFound(_("no such file"), path=str(path))
    symbols = read_symbols(home / "registry.db") if home is not None else {}
    return parse_document(path, symbols=symbols or None)
