"""Use case ``parse``: read and parse one document file, nothing stored."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import NotFound
from procreg.registry.models import ParsedDocument, ReadOptions

__all__ = ["ocr_cache", "parse_file"]


def ocr_cache(home: Path | None) -> str | None:
    """Where OCR results are kept: ``<home>/cache/ocr`` for an existing registry, else the user cache."""
    if home is not None and (home / "registry.db").exists():
        return str(home / "cache" / "ocr")
    return None


def parse_file(path: Path, *, home: Path | None = None, options: ReadOptions | None = None) -> ParsedDocument:
    """Parse one .txt/.docx/.pdf file into a ``ParsedDocument``.

    Args:
        path: The document.
        home: The registry folder; when a registry exists there, the user's issuer symbols
            (``procreg symbols add``) are merged over the shipped table and OCR results are cached
            there. Nothing else is created or written.
        options: OCR mode and limits (defaults: ``ReadOptions()``).

    Raises:
        NotFound: the file does not exist.
        InputError: the file cannot be read as its format.
    """
    from procreg.parsers.document import parse_document
    from procreg.registry.store import read_symbols

    if not path.exists():
        raise NotFound(_("no such file"), path=str(path))
    symbols = read_symbols(home / "registry.db") if home is not None else {}
    options = options or ReadOptions()
    if options.ocr_cache is None:
        options = dataclasses.replace(options, ocr_cache=ocr_cache(home))
    return parse_document(path, symbols=symbols or None, options=options)
