"""Plain-text reader (.txt, .md): UTF-8 (with or without BOM) or UTF-16 with BOM.

Table rows written as ``| cell | cell |`` (the corpus convention, and what a Markdown table looks like)
become ``Table`` blocks; every other non-blank line is a paragraph. Hard-wrapped lines and paragraphs
broken by a page break are rejoined (see ``parsers.blocks.is_continuation`` and ``build_blocks``).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from procreg.parsers.blocks import block_warnings, build_blocks, read_bytes
from procreg.registry.errors import InputError
from procreg.registry.models import Cell, RawDocument
from procreg.text import normalize_line

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


_BREAK = re.compile(r"\r\n|[\r\n\f\v\u2028\u2029\x85]")
_CHUNK = 1 << 20  # bytes read and decoded at a time


def _encoding(head: bytes, path: str) -> str:
    """The encoding a file's first bytes show (BOM), as ``decode_text`` decides it."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _decoded(path: Path, digest: Any) -> Iterator[str]:
    """The file's text in decoded pieces (``decode_text``'s rules), its bytes fed to ``digest`` on the way.

    A large file is never held whole, neither as bytes nor as text.
    """
    name = str(path)
    try:
        stream = path.open("rb")
    except OSError:
        read_bytes(path)  # raises the InputError that names the problem
        raise
    with stream:
        chunk = stream.read(_CHUNK)
        encoding = _encoding(chunk, name)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        offset = 0
        while True:
            final = len(chunk) < _CHUNK
            digest.update(chunk)
            if encoding == "utf-8" and b"\x00" in chunk:
                raise InputError("binary file (NUL bytes), not text", path=name)
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not valid {encoding.upper().replace('-SIG', '')} text (byte {offset + exc.start}); "
                    "save it as UTF-8 or UTF-16 with BOM",
                    path=name,
                ) from None
            if "\x00" in text:
                raise InputError("binary file (NUL characters), not text", path=name)
            yield text
            if final:
                return
            offset += len(chunk)
            chunk = stream.read(_CHUNK)


def _lines(pieces: Iterator[str]) -> Iterator[str]:
    """The lines of the text (at every break ``normalize_text`` knows), one at a time."""
    pending = ""
    for piece in pieces:
        text = pending + piece
        start = 0
        for match in _BREAK.finditer(text):
            if match.end() == len(text) and text.endswith("\r"):
                break  # a "\r" at the end may be the first half of "\r\n": wait for the next piece
            yield text[start : match.start()]
            start = match.end()
        pending = text[start:]
    yield pending


def read_txt(path: Path) -> RawDocument:
    """Read a .txt/.md file into blocks.

    The file is read in pieces and its text line by line (NFC and spaces per line, as
    ``normalize_text`` does), so a large file never sits in memory whole, as bytes or as text.

    Raises:
        InputError: the file is empty, binary, or not UTF-8/UTF-16 text.
    """
    digest = hashlib.sha256()
    items: list[str | tuple[Cell, ...]] = []
    seen_text = False
    for raw_line in _lines(_decoded(path, digest)):
        stripped = normalize_line(raw_line)
        seen_text = seen_text or bool(stripped)
        if "**" in stripped or "__" in stripped:
            stripped = _EMPHASIS.sub(r"\2", stripped)
        if len(stripped) >= 2 and stripped.startswith("|") and stripped.endswith("|"):
            if re.fullmatch(r"\|[\s:|-]*\|", stripped) and "-" in stripped:
                continue  # a Markdown header separator row
            items.append(split_row(stripped))
        elif stripped:
            items.append(stripped)
    if not seen_text:
        raise InputError("empty file: no text", path=str(path))
    blocks = build_blocks(items)
    return RawDocument(
        path=str(path),
        format="txt",
        sha256=digest.hexdigest(),
        blocks=blocks,
        warnings=block_warnings(blocks),
    )
