"""Plain-text reader (.txt, .md): UTF-8 (with or without BOM) or UTF-16 with BOM.

Table rows written as ``| cell | cell |`` (the corpus convention, and what a Markdown table looks like)
become ``Table`` blocks; every other non-blank line is a paragraph. Hard-wrapped lines and paragraphs
broken by a page break are rejoined (see ``parsers.blocks.is_continuation`` and ``build_blocks``).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from procreg.parsers.blocks import block_warnings, build_blocks, read_bytes
from procreg.registry.errors import InputError
from procreg.registry.models import Cell, RawDocument
from procreg.text import normalize_text

__all__ = ["decode_text", "read_txt", "split_row"]

_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file's bytes; anything but UTF-8 / UTF-16-with-BOM is an input error."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data:
            raise InputError("binary file (NUL bytes), not text", path=path)
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding.upper().replace('-SIG', '')} text (byte {exc.start}); "
            "save it as UTF-8 or UTF-16 with BOM",
            path=path,
        ) from None
    if "\x00" in text:
        raise InputError("binary file (NUL characters), not text", path=path)
    return text


def split_row(line: str) -> tuple[Cell, ...]:
    """Split a ``| a | b |`` line into cells (empty cells kept: they mark merged/shifted cells)."""
    inner = line.strip()[1:-1]
    return tuple(Cell(text=part.strip()) for part in inner.split("|"))


def read_txt(path: Path) -> RawDocument:
    """Read a .txt/.md file into blocks.

    Raises:
        InputError: the file is empty, binary, or not UTF-8/UTF-16 text.
    """
    data = read_bytes(path)
    text = normalize_text(decode_text(data, str(path)))
    if not text.strip():
        raise InputError("empty file: no text", path=str(path))
    text = _EMPHASIS.sub(r"\2", text)
    items: list[str | tuple[Cell, ...]] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) >= 2 and stripped.startswith("|") and stripped.endswith("|"):
            if re.fullmatch(r"\|[\s:|-]*\|", stripped) and "-" in stripped:
                continue  # a Markdown header separator row
            items.append(split_row(stripped))
        elif stripped:
            items.append(stripped)
        else:
            items.append("")
    blocks = build_blocks(items)
    return RawDocument(
        path=str(path),
        format="txt",
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=blocks,
        warnings=block_warnings(blocks),
    )
