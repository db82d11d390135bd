"""PDF text layers in TCVN3 or VNI: each glyph converted by its font, before the page is laid out.

A PDF made from a legacy Word file draws Vietnamese with a legacy font, and its text layer gives the
bytes' code page 1252 characters ("QuyÕt ®Þnh", "Quyeát ñònh"); some producers give U+2212 for TCVN3's
ư and U+2219 for its ã, and a WinAnsi font gives a plain hyphen for ư. The glyphs of a page, in drawing
order, are cut into segments by font name; ``detect.judge`` decides each by its characters (helped by the
font name, and alone when the name says nothing: subset fonts renamed F1, TT2 …). A legacy segment's
glyphs get their Unicode letters in place; a VNI mark glyph is merged into the letter before it.

A page whose text still reads as 8-bit Vietnamese after that (another legacy encoding, a font whose
glyphs carry no letters) is refused: mojibake is never stored.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from procreg.i18n import N_, _
from procreg.parsers.legacy.codec import Encoding, decode_chars
from procreg.parsers.legacy.detect import (
    Segment,
    font_encoding,
    judge,
    looks_unconverted,
    odd_characters,
    shows_legacy_bytes,
    word_ranges,
)
from procreg.parsers.legacy.syllables import is_syllable
from procreg.registry.errors import InputError

__all__ = ["convert_pdf_page"]

# Glyphs further apart than this share of the font size start a new word (as the PDF reader cuts words).
_WORD_GAP = 0.2


@dataclass(slots=True)
class _Document:
    """What one PDF has converted so far: the encodings already reported."""

    reported: set[Encoding] = field(default_factory=set)


_DOCUMENTS: weakref.WeakKeyDictionary[Any, _Document] = weakref.WeakKeyDictionary()


def _segments(chars: list[dict[str, Any]]) -> list[tuple[list[int], Segment]]:
    """The glyphs cut into runs of one font on one line (indices into ``chars``), with word breaks."""
    out: list[tuple[list[int], Segment]] = []
    members: list[int] = []
    breaks: set[int] = set()
    font: str | None = None

    def flush() -> None:
        if members:
            texts = [str(chars[i].get("text") or "") for i in members]
            out.append((list(members), Segment(texts, font_encoding(font), frozenset(breaks))))

    for i, char in enumerate(chars):
        name = str(char.get("fontname") or "")
        if members and (name != font or _new_line(chars[members[-1]], char)):
            flush()
            members, breaks = [], set()
        if members and _apart(chars[members[-1]], char):
            breaks.add(len(members))
        font = name
        members.append(i)
    flush()
    return out


def _new_line(prev: dict[str, Any], char: dict[str, Any]) -> bool:
    """True when a glyph is drawn on another line than the one before it."""
    size = float(char.get("size") or 10.0)
    return abs(float(char.get("top", 0.0)) - float(prev.get("top", 0.0))) > size / 2


def _apart(prev: dict[str, Any], char: dict[str, Any]) -> bool:
    """True when two consecutive glyphs belong to different words or lines."""
    size = float(char.get("size") or 10.0)
    if _new_line(prev, char):
        return True
    gap = float(char.get("x0", 0.0)) - float(prev.get("x1", 0.0))
    return gap > _WORD_GAP * size or gap < -size


def _hyphens_as_u(segment: Segment, converted: list[str], caps: bool) -> None:
    """A TCVN3 "ư" that a WinAnsi font gave as a hyphen ("t-íng"): restored where it makes a syllable."""
    for start, end in word_ranges(segment):
        hyphens = [i for i in range(start, end) if segment.chars[i] == "-" and converted[i] == "-"]
        if not hyphens:
            continue
        trial = list(converted)
        for i in hyphens:
            trial[i] = "Ư" if caps else "ư"
        word = "".join(trial[start:end]).strip(".,;:!?()\"'“”")
        if len(word) > len(hyphens) and is_syllable(word):  # a lone dash is a dash, not the word "ư"
            for i in hyphens:
                converted[i] = trial[i]


def convert_pdf_page(page: Any, number: int) -> list[str]:
    """Convert a pdfplumber page's legacy glyphs in place, before anything reads its text.

    Returns the warnings to report: the first page on which each encoding was converted.

    Raises:
        InputError: the page's text still reads as legacy 8-bit Vietnamese that cannot be converted.
    """
    chars: list[dict[str, Any]] = page.objects.get("char", [])
    if not chars:
        return []
    document = _DOCUMENTS.setdefault(page.pdf, _Document()) if page.pdf is not None else _Document()
    shown = "".join(str(c.get("text") or "") for c in chars)
    fonts = {str(c.get("fontname") or "") for c in chars}
    converted_here: set[Encoding] = set()
    if shows_legacy_bytes(shown) or any(font_encoding(f) for f in fonts):  # else a Unicode page
        converted_here = _convert(chars)
    if odd_characters(shown) and looks_unconverted(_spaced(chars)):
        raise InputError(
            _(
                "the text layer is in a legacy Vietnamese encoding procreg cannot convert; nothing was "
                "stored: make the PDF again from a Unicode document, or OCR it"
            ),
            where=_("page %(page)d") % {"page": number},
        )
    warnings = [
        N_(
            "page %(page)d: text in the legacy encoding %(encoding)s converted to Unicode (and on the later "
            "pages that have it)"
        )
        % {"page": number, "encoding": encoding.label}
        for encoding in sorted(converted_here - document.reported, key=lambda e: e.value)
    ]
    document.reported |= converted_here
    return warnings


def _spaced(chars: list[dict[str, Any]]) -> str:
    """The glyphs' text with a space wherever they stand apart (for judging words)."""
    return "".join(
        " " + str(c.get("text") or "") if i and _apart(chars[i - 1], c) else str(c.get("text") or "")
        for i, c in enumerate(chars)
    )


def _convert(chars: list[dict[str, Any]]) -> set[Encoding]:
    """Convert the legacy segments of a page's glyphs in place; the encodings converted."""
    pieces = _segments(chars)
    merged: set[int] = set()
    converted_here: set[Encoding] = set()
    for (members, segment), encoding in zip(
        pieces, judge([s for _members, s in pieces], by_characters=True), strict=True
    ):
        if encoding is None:
            continue
        converted = decode_chars(segment.chars, encoding)
        if encoding is not Encoding.VNI:
            _hyphens_as_u(segment, converted, caps=encoding is Encoding.TCVN3_CAPS)
        for index, text in zip(members, converted, strict=True):
            if text == "":
                merged.add(index)
            else:
                chars[index]["text"] = text
        converted_here.add(encoding.family)
    if merged:
        chars[:] = [char for i, char in enumerate(chars) if i not in merged]
    return converted_here
