"""Word documents (.docx, and .doc/.rtf converted by LibreOffice): legacy runs converted in place.

Only runs in TCVN3 or VNI fonts are candidates: Word draws legacy bytes in any other font as "QuyÕt" too,
so nobody signed such text (the reader refuses a document full of it). Every run of the body is given
its effective font (the run's own ``w:rFonts``, else its character
style, its paragraph's style, the document defaults). Consecutive runs of a paragraph in fonts of one
kind make one segment (Word splits runs for spelling marks and edits, even inside a word), which
``detect.judge`` reads by its characters; a segment judged legacy is converted and written back into the
runs' ``w:t`` elements, so the reader then sees Unicode text with every run, tab and break in place.

A TCVN3 "ư" is byte AD, a soft hyphen in code page 1252: Word keeps it as the character U+00AD, and
LibreOffice writes it as a ``w:softHyphen`` element. Both are read as that byte here and become "ư".
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from procreg.parsers.legacy.codec import Encoding, decode_chars
from procreg.parsers.legacy.detect import Segment, font_encoding, judge

__all__ = ["convert_word_runs"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"
_P = _W + "p"
_R = _W + "r"
_T = _W + "t"
_SOFT_HYPHEN = _W + "softHyphen"
_OTHER_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True, slots=True)
class _Style:
    based_on: str | None
    font: str | None  # None: the style sets no font; "": a theme font (never legacy)


def _rfonts(r_pr: Any) -> str | None:
    """The font an ``rPr`` sets for non-ASCII Latin text (``w:hAnsi``, else ``w:ascii``), if any."""
    if r_pr is None:
        return None
    fonts = r_pr.find(_W + "rFonts")
    if fonts is None:
        return None
    for attr in ("hAnsi", "ascii"):
        value = fonts.get(_W + attr)
        if value:
            return str(value)
    if fonts.get(_W + "hAnsiTheme") or fonts.get(_W + "asciiTheme"):
        return ""
    return None


class _Fonts:
    """Each run's effective font name, through styles and document defaults."""

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, _Style] = {}
        self._default_paragraph: str | None = None
        self._default_font: str | None = None
        try:
            styles = document.styles.element
        except Exception:  # a document without a styles part: runs' own fonts only
            return
        defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self._default_font = _rfonts(defaults)
        for style in styles.iterchildren(_W + "style"):
            style_id = style.get(_W + "styleId", "")
            based = style.find(_W + "basedOn")
            self._styles[style_id] = _Style(
                based_on=None if based is None else based.get(_W + "val"),
                font=_rfonts(style.find(_W + "rPr")),
            )
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
                self._default_paragraph = style_id

    def _style_font(self, style_id: str | None) -> str | None:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return None
            if style.font is not None:
                return style.font
            style_id = style.based_on
        return None

    def of(self, run: Any, paragraph: Any) -> str | None:
        """The font the run is drawn in, or None when nothing names one."""
        r_pr = run.find(_W + "rPr")
        font = _rfonts(r_pr)
        if font is None and r_pr is not None:
            font = self._style_font(_val(r_pr.find(_W + "rStyle")))
        if font is None:
            p_style = _val(paragraph.find(f"{_W}pPr/{_W}pStyle"))
            font = self._style_font(p_style or self._default_paragraph)
        return self._default_font if font is None else font


def _val(node: Any) -> str | None:
    return None if node is None else node.get(_W + "val")


def _own_runs(paragraph: Any) -> Iterator[Any]:
    """The paragraph's runs (inside hyperlinks, insertions, fields …), not those of nested text boxes."""
    for run in paragraph.iter(_R):
        if next(run.iterancestors(_P), None) is paragraph:
            yield run


@dataclass(slots=True)
class _Piece:
    """A segment under construction: its characters and the elements they came from."""

    encoding: Encoding | None
    chars: list[str]
    # (element, start, end) for each w:t, soft hyphen and tab/break: its characters' span in ``chars``.
    spans: list[tuple[Any, int, int]]
    runs: int = 0


def _add_run(piece: _Piece, run: Any) -> None:
    piece.runs += 1
    for child in run:
        tag = child.tag
        if tag == _T:
            text = child.text or ""
        elif tag == _SOFT_HYPHEN:
            text = "\u00ad"
        elif tag in _OTHER_TEXT:
            text = _OTHER_TEXT[tag]
        else:
            continue
        start = len(piece.chars)
        piece.chars.extend(text)
        piece.spans.append((child, start, len(piece.chars)))


def _pieces(body: Any, fonts: _Fonts) -> list[_Piece]:
    pieces: list[_Piece] = []
    for paragraph in body.iter(_P):
        current: _Piece | None = None
        for run in _own_runs(paragraph):
            encoding = font_encoding(fonts.of(run, paragraph))
            if current is None or current.encoding is not encoding:
                current = _Piece(encoding, [], [])
                pieces.append(current)
            _add_run(current, run)
    return [p for p in pieces if p.chars and p.encoding is not None]


def _write_back(piece: _Piece, converted: list[str]) -> None:
    """Put converted characters back into the runs' ``w:t`` elements (a soft hyphen becomes a ``w:t``)."""
    for element, start, end in piece.spans:
        out = "".join(converted[start:end])
        if element.tag == _T:
            element.text = out
            if out != out.strip():
                element.set(_XML_SPACE, "preserve")
        elif element.tag == _SOFT_HYPHEN and out != "\u00ad":
            replacement = element.makeelement(_T, {})
            replacement.text = out
            element.addprevious(replacement)
            element.getparent().remove(element)


@cache
def _xpath(expression: str) -> Any:
    """A compiled XPath over the w: namespace (lxml runs it in C, without python-docx's element proxies)."""
    from lxml import etree

    return etree.XPath(expression, namespaces={"w": W_NS})


def _names_legacy_font(document: Any) -> bool:
    """True when a style or a run of the document names a TCVN3 or VNI font."""
    names = set(_xpath(".//w:rFonts/@w:hAnsi | .//w:rFonts/@w:ascii")(document.element.body))
    in_styles = _xpath(
        "w:style/w:rPr/w:rFonts/@w:hAnsi | w:style/w:rPr/w:rFonts/@w:ascii"
        " | w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:hAnsi"
        " | w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii"
    )
    with contextlib.suppress(Exception):  # a document without a styles part
        names.update(in_styles(document.styles.element))
    return any(font_encoding(str(name)) is not None for name in names)


def convert_word_runs(document: Any) -> Counter[Encoding]:
    """Convert the legacy runs of a python-docx ``Document`` in place; how many runs, by encoding.

    Runs in TCVN3 and VNI fonts are converted when their characters say they are legacy text. Runs in
    other fonts are left as they are: Word itself shows legacy bytes in a Unicode font as "QuyÕt", so
    such text is no document anyone signed; the reader refuses it when there is enough of it.
    """
    if not _names_legacy_font(document):  # most documents: decided without walking the runs
        return Counter()
    body = document.element.body
    pieces = _pieces(body, _Fonts(document))
    segments = [Segment(piece.chars, piece.encoding) for piece in pieces]
    counts: Counter[Encoding] = Counter()
    for piece, encoding in zip(pieces, judge(segments, by_characters=False), strict=True):
        if encoding is None:
            continue
        converted = decode_chars(piece.chars, encoding)
        if converted != piece.chars:
            _write_back(piece, converted)
            counts[encoding.family] += piece.runs
    return counts
