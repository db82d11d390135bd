"""Plain-text reader (.txt, .md): UTF-8 (with or without BOM), UTF-16 with BOM, or 8-bit legacy Vietnamese.

Legacy text is found by character statistics (``parsers.legacy``): TCVN3 or VNI shown as Unicode in a
UTF-8 file is converted line by line, and a file that is not UTF-8 is read as Windows-1258, TCVN3 or VNI
when one of them gives Vietnamese words. Text that still reads as legacy after that is refused.

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

from procreg.i18n import N_, _
from procreg.parsers.blocks import block_warnings, build_blocks, read_bytes
from procreg.registry.errors import InputError
from procreg.registry.models import Cell, RawDocument
from procreg.text import normalize_line

__all__ = ["decode_text", "read_txt", "split_row"]

_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_SEPARATOR_ROW = re.compile(r"\|[\s:|-]*\|")


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file's bytes as UTF-8 or UTF-16 with BOM.

    Raises:
        InputError: binary data, or text in another encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data:
            raise InputError(_("binary file (NUL bytes), not text"), path=path)
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            _("not valid %(encoding)s text (byte %(byte)d); save it as UTF-8 or UTF-16 with BOM")
            % {"encoding": encoding.upper().replace("-SIG", ""), "byte": exc.start},
            path=path,
        ) from None
    if "\x00" in text:
        raise InputError(_("binary file (NUL characters), not text"), path=path)
    return text


def split_row(line: str) -> tuple[Cell, ...]:
    """Split a ``| a | b |`` line into cells (empty cells kept: they mark merged/shifted cells)."""
    inner = line.strip()[1:-1]
    return tuple(Cell(text=part.strip()) for part in inner.split("|"))


def _decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """The file's text with its legacy Vietnamese converted, and the warnings that say so."""
    from procreg.parsers.legacy import convert_lines, decode_8bit

    try:
        text = decode_text(data, path)
    except InputError:
        legacy = None if b"\x00" in data else decode_8bit(data)
        if legacy is None:
            raise
        text, name = legacy
        return text, [N_("not UTF-8: read as 8-bit Vietnamese in %(encoding)s") % {"encoding": name}]
    converted, counts = convert_lines(text)
    warnings = [
        N_("%(count)d lines in the legacy encoding %(encoding)s converted to Unicode")
        % {"count": count, "encoding": encoding.label}
        for encoding, count in sorted(counts.items(), key=lambda item: item[0].value)
    ]
    return converted, warnings


_LINE_BREAK = re.compile("\r\n|[\n\r\f\v\u2028\u2029\x85]")


def _lines(text: str) -> Iterator[str]:
    """The text's lines, one at a time (``normalize_text``'s line breaks): no list of them all."""
    start = 0
    for found in _LINE_BREAK.finditer(text):
        yield text[start : found.start()]
        start = found.end()
    yield text[start:]


def _items(text: str) -> tuple[list[str | tuple[Cell, ...]], bool]:
    """Paragraph lines and table rows, normalised line by line, with one ``""`` between paragraphs.

    Line by line, so that a large file's text is never held twice over (the normalised copy, its lines and
    the blocks). Also says whether a line holds a character legacy 8-bit text shows (then the text is judged).
    """
    from procreg.parsers.legacy.detect import odd_characters

    items: list[str | tuple[Cell, ...]] = []
    odd = blank = False
    for raw in _lines(text):
        line = _EMPHASIS.sub(r"\2", normalize_line(raw)).strip()
        if not line:
            blank = bool(items)  # blank runs count once; none before the first line or after the last
            continue
        if blank:
            items.append("")
            blank = False
        odd = odd or odd_characters(line)
        if len(line) >= 2 and line.startswith("|") and line.endswith("|"):
            if not (_SEPARATOR_ROW.fullmatch(line) and "-" in line):  # a Markdown header separator row
                items.append(split_row(line))
        else:
            items.append(line)
    return items, odd


def _item_text(item: str | tuple[Cell, ...]) -> str:
    return item if isinstance(item, str) else " | ".join(cell.text for cell in item)


def read_txt(path: Path) -> RawDocument:
    """Read a .txt/.md file into blocks.

    Raises:
        InputError: the file is empty, binary, not text in UTF-8, UTF-16 or an 8-bit Vietnamese encoding,
            or still legacy text after conversion.
    """
    from procreg.parsers.legacy import refuse_unconverted

    data = read_bytes(path)
    sha256 = hashlib.sha256(data).hexdigest()
    decoded, warnings = _decode(data, str(path))
    del data  # a large file: hold as few copies of its text as we can
    items, odd = _items(decoded)
    del decoded
    if not items:
        raise InputError(_("empty file: no text"), path=str(path))
    if odd:  # only then is the whole text put together again, to judge it
        refuse_unconverted("\n".join(_item_text(item) for item in items), str(path))
    blocks = build_blocks(items)
    return RawDocument(
        path=str(path),
        format="txt",
        sha256=sha256,
        blocks=blocks,
        warnings=(*warnings, *block_warnings(blocks)),
    )
