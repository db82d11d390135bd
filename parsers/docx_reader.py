"""Word reader (.docx): body paragraphs and tables in body order, the same block shape as .txt.

What is read, and how:

- The body is walked in order at the XML level (``w:p``, ``w:tbl``, and ``w:sdt`` content controls,
  whose content is read in place), which is what ``Document.iter_inner_content()`` yields but without
  building a proxy object per element.
- A paragraph's text is its runs' text only (``w:t``, tabs and line breaks as spaces, non-breaking
  hyphens as ``-``), in runs directly under the paragraph or under hyperlinks, tracked insertions,
  smart tags and inline content controls. Other XML text (drawing offsets such as ``wp:posOffset``,
  text boxes with their VML fallback copy, deleted text) never leaks in.
- A table row gives one ``Cell`` per ``w:tc``: a horizontally merged cell is read once with
  ``span`` = its ``gridSpan``; a vertically merged cell is read once at the top and the positions it
  covers below come back as empty cells (same span), so every row keeps its shape.
- Cell text: the cell's paragraphs joined with a space. A **nested table** is flattened into the
  text of the cell that holds it (its cells in row order, joined with a space), so the outer table
  keeps its shape; layout tables (two-column header, signature block) are ordinary tables.
- A paragraph laid out in columns with tabs (a two-column header or signature block typed with tab
  stops) is a layout-table row, one cell per column; consecutive ones form one table (``tab_columns``).
- Page breaks between paragraphs show as nothing at all here; a paragraph split by one is rejoined by
  ``parsers.blocks.build_blocks`` (the second part starts in lower case).
- Runs typed in a legacy Vietnamese encoding (TCVN3 fonts .VnTime/.VnTimeH, VNI fonts VNI-Times …) are
  converted to Unicode in place before anything is read, judged by their characters, not by the font
  name alone (``parsers.legacy.convert_word_runs``); text still legacy after that is refused.
- Before python-docx sees the file, the zip is checked: member sizes and compression ratios
  (zip bombs) and DOCTYPE/ENTITY declarations in XML parts (entity bombs) are refused.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procreg.i18n import _
from procreg.parsers.blocks import block_warnings, build_blocks, read_bytes
from procreg.parsers.legacy import convert_word_runs, refuse_unconverted, run_warnings
from procreg.registry.errors import InputError
from procreg.registry.models import Cell, RawDocument
from procreg.text import normalize_line

__all__ = [
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "check_docx_package",
    "format_number",
    "paragraph_text",
    "read_docx",
    "tab_columns",
]

log = logging.getLogger(__name__)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"

# Zip-bomb limits: a real Word document's document.xml is at most a few tens of MB.
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # declared uncompressed size of all members
MAX_MEMBER_BYTES = 128 * 1024 * 1024  # declared uncompressed size of one member
MAX_RATIO = 200  # uncompressed / compressed, for XML members larger than 1 MiB (Word's XML: ~5-20)
_MEDIA_RATIO = 1000  # other members (a blank BMP or EMF image may compress very well)
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024

_DECL = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")

_P = _W + "p"
_TBL = _W + "tbl"
_SDT = _W + "sdt"
_SDT_CONTENT = _W + "sdtContent"
_TR = _W + "tr"
_TC = _W + "tc"
_R = _W + "r"
_T = _W + "t"
_TAB = _W + "tab"
_PTAB = _W + "ptab"
_BR = _W + "br"
_CR = _W + "cr"
_NB_HYPHEN = _W + "noBreakHyphen"
_TC_PR = _W + "tcPr"
_GRID_SPAN = _W + "gridSpan"
_V_MERGE = _W + "vMerge"
_VAL = _W + "val"
_CUSTOM_XML = _W + "customXml"
# Containers whose runs belong to the paragraph's text.
_RUN_CONTAINERS = frozenset(
    {_W + "hyperlink", _W + "ins", _W + "smartTag", _W + "customXml", _W + "fldSimple", _W + "sdt"}
)
_RUN_TEXT = {_TAB: "\t", _PTAB: "\t", _BR: " ", _CR: " ", _NB_HYPHEN: "-"}
_TABS = re.compile(r"\t+")
_MIN_COLUMN = 8  # characters each tab-separated part needs to count as a layout column


def _xml_prolog_has_declarations(head: bytes) -> bool:
    """True when the XML prolog (everything before the root element) declares a DOCTYPE or ENTITY."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.replace(b"\x00", b"")
    match = _ELEMENT_START.search(head)
    prolog = head if match is None else head[: match.start()]
    return _DECL.search(prolog) is not None


def check_docx_package(archive: zipfile.ZipFile, path: str) -> None:
    """Refuse zip bombs and XML entity declarations before any XML is parsed.

    Args:
        archive: the opened .docx zip.
        path: the file name, for messages.

    Raises:
        InputError: too many members, a member or the total too large once uncompressed, a suspicious
            compression ratio, a DOCTYPE/ENTITY declaration in an XML part, or no ``word/document.xml``.
    """
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            _("refused: zip has %(count)d members (zip bomb?)") % {"count": len(infos)}, path=path
        )
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename)
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise InputError(
                _("refused: %(member)s unpacks to %(size)d MB (zip bomb?)")
                % {"member": info.filename, "size": info.file_size // (1024 * 1024)},
                path=path,
            )
        limit = MAX_RATIO if info.filename.lower().endswith((".xml", ".rels")) else _MEDIA_RATIO
        if info.file_size > _RATIO_FLOOR and info.file_size > limit * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputError(
                _("refused: %(member)s compression ratio %(ratio)s:1 (zip bomb?)")
                % {"member": info.filename, "ratio": ratio},
                path=path,
            )
    if "word/document.xml" not in names:
        raise InputError(_("not a Word document: the zip has no word/document.xml"), path=path)
    for info in infos:
        name = info.filename.lower()
        if not (name.endswith((".xml", ".rels")) or name == "[content_types].xml"):
            continue
        with archive.open(info) as member:
            head = b""
            # The prolog is what precedes the root element; read until the root starts (bounded).
            while len(head) < 1024 * 1024:
                chunk = member.read(16384)
                if not chunk:
                    break
                head += chunk
                if _ELEMENT_START.search(head.replace(b"\x00", b"")):
                    break
        if _xml_prolog_has_declarations(head):
            raise InputError(
                _("refused: %(member)s declares a DOCTYPE/ENTITY (XML entity bomb?)")
                % {"member": info.filename},
                path=path,
            )


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == _T:
            if child.text:
                parts.append(child.text)
        else:
            sub = _RUN_TEXT.get(tag)
            if sub is not None:
                parts.append(sub)
    return "".join(parts)


def _iter_runs(container: Any) -> Iterator[Any]:
    for child in container:
        tag = child.tag
        if tag == _R:
            yield child
        elif tag in _RUN_CONTAINERS:
            if tag == _SDT:
                for content in child.iterchildren(_SDT_CONTENT):
                    yield from _iter_runs(content)
            else:
                yield from _iter_runs(child)


def paragraph_text(p: Any) -> str:
    """The text of a ``w:p`` element: its runs' text, NFC, spaces folded (tabs as spaces)."""
    return normalize_line("".join(_run_text(r) for r in _iter_runs(p)))


def tab_columns(p: Any) -> tuple[str, ...] | None:
    """The columns of a paragraph laid out with tabs ("Số: 12/QĐ-UBND<tab>Hà Tĩnh, ngày …"), or None.

    A two-column header or signature block is sometimes typed with tab stops instead of a table.
    Only a paragraph that starts with text and whose tab-separated parts are all at least
    ``_MIN_COLUMN`` characters counts, so "1.<tab>Mục đích" and indents stay paragraphs.
    """
    raw = "".join(_run_text(r) for r in _iter_runs(p))
    if "\t" not in raw:
        return None
    parts = [normalize_line(part) for part in _TABS.split(raw)]
    if not parts[0]:
        return None
    parts = [part for part in parts if part]
    if len(parts) < 2 or any(len(part) < _MIN_COLUMN for part in parts):
        return None
    return tuple(parts)


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
)
_ROMAN_SMALL = ((9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_LEVEL_REF = re.compile(r"%([1-9])")


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN + _ROMAN_SMALL:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letter numbering: a..z, then aa..zz, aaa...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """One level's counter in a Word ``numFmt`` (decimal, letters, roman; others as decimal)."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    text: str
    start: int
    legal: bool = False


class _Numbering:
    """Word's automatic list numbering, rendered into paragraph text ("1.", "a)", "II.", "-").

    The numbers and bullets of numbered paragraphs are not in the runs: Word computes them from
    ``word/numbering.xml``. Extractors find sections and items by those prefixes, so they are
    rendered here (counters per list, deeper levels restart when a higher level advances; bullets
    become ``-`` unless the bullet is a plain ``-``/``+``/``•`` character).
    """

    def __init__(self, levels: dict[str, dict[int, _Level]], style_num: dict[str, tuple[str, int]]) -> None:
        self._levels = levels  # numId -> ilvl -> level
        self._style_num = style_num  # paragraph style id -> (numId, ilvl)
        self._counters: dict[str, dict[int, int]] = {}

    @classmethod
    def of(cls, document: Any) -> _Numbering:
        """The numbering definitions of a python-docx ``Document`` (empty when it has none)."""
        levels: dict[str, dict[int, _Level]] = {}
        style_num: dict[str, tuple[str, int]] = {}
        part = document.part
        try:
            rels = [r for r in part.rels.values() if not r.is_external]
            numbering_el = next(
                (r.target_part.element for r in rels if r.reltype.endswith("/numbering")), None
            )
            styles_el = next((r.target_part.element for r in rels if r.reltype.endswith("/styles")), None)
        except Exception:  # a damaged part: no numbering rather than no document
            log.debug("no numbering definitions", exc_info=True)
            return cls(levels, style_num)
        if numbering_el is not None:
            abstract: dict[str, dict[int, _Level]] = {}
            for node in numbering_el.iterchildren(_W + "abstractNum"):
                abstract[node.get(_W + "abstractNumId", "")] = {
                    int(lvl.get(_W + "ilvl", "0")): _Level(
                        fmt=_child_val(lvl, "numFmt") or "decimal",
                        text=_child_val(lvl, "lvlText") or "",
                        start=_int(_child_val(lvl, "start"), 1),
                        legal=lvl.find(_W + "isLgl") is not None,
                    )
                    for lvl in node.iterchildren(_W + "lvl")
                }
            for num in numbering_el.iterchildren(_W + "num"):
                base = dict(abstract.get(_child_val(num, "abstractNumId") or "", {}))
                for override in num.iterchildren(_W + "lvlOverride"):
                    ilvl = _int(override.get(_W + "ilvl"), 0)
                    start = _child_val(override, "startOverride")
                    if start is not None and ilvl in base:
                        old = base[ilvl]
                        base[ilvl] = _Level(old.fmt, old.text, _int(start, old.start), old.legal)
                levels[num.get(_W + "numId", "")] = base
        if styles_el is not None:
            for style in styles_el.iterchildren(_W + "style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    num_id = _child_val(num_pr, "numId")
                    if num_id:
                        style_num[style.get(_W + "styleId", "")] = (
                            num_id,
                            _int(_child_val(num_pr, "ilvl"), 0),
                        )
        return cls(levels, style_num)

    def prefix(self, p: Any) -> str:
        """The number or bullet Word shows before paragraph ``p`` ("" when it is not in a list)."""
        if not self._levels:
            return ""
        p_pr = p.find(_W + "pPr")
        if p_pr is None:
            return ""
        num_id: str | None = None
        ilvl = 0
        num_pr = p_pr.find(_W + "numPr")
        if num_pr is not None:
            num_id = _child_val(num_pr, "numId")
            ilvl = _int(_child_val(num_pr, "ilvl"), 0)
        else:
            style = _child_val(p_pr, "pStyle")
            if style in self._style_num:
                num_id, ilvl = self._style_num[style]
        if not num_id or num_id == "0" or num_id not in self._levels:
            return ""
        levels = self._levels[num_id]
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            return level.text if level.text in ("-", "+", "•", "–", "*") else "-"

        legal = level.legal  # w:isLgl: every level shown as a decimal ("1.2.3")

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            value = counters.get(k, lvl.start)
            return format_number(value, "decimal" if legal else lvl.fmt)

        return _LEVEL_REF.sub(number, level.text).strip()

    def paragraph(self, p: Any) -> str:
        """Paragraph text with its list number or bullet, if any, in front."""
        text = paragraph_text(p)
        if not text:
            return text
        prefix = self.prefix(p)
        return f"{prefix} {text}" if prefix else text


def _child_val(node: Any, name: str) -> str | None:
    child = node.find(_W + name)
    if child is None:
        return None
    value = child.get(_VAL)
    return None if value is None else str(value)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _cell_text(tc: Any, numbering: _Numbering) -> str:
    """A table cell's text: its paragraphs, nested tables and content controls, joined with spaces."""
    parts: list[str] = []
    for child in tc:
        parts.extend(_cell_parts(child, numbering))
    return " ".join(parts)


def _cell_parts(child: Any, numbering: _Numbering) -> list[str]:
    """The non-empty texts of one child of a cell, in order (numbering counts as it goes)."""
    tag = child.tag
    if tag == _P:
        text = numbering.paragraph(child)
        return [text] if text else []
    if tag == _TBL:
        return [c.text for row in _table_rows(child, numbering) for c in row if c.text]
    if tag == _SDT:
        texts = (_cell_text(content, numbering) for content in child.iterchildren(_SDT_CONTENT))
        return [text for text in texts if text]
    return []


def _iter_tagged(parent: Any, tag: str) -> Iterator[Any]:
    """Children of ``parent`` with this tag, looking through content controls (``w:sdt``)."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _iter_tagged(content, tag)


def _cell_layout(tc: Any) -> tuple[int, bool]:
    """A cell's column span (``gridSpan``) and whether a vertical merge covers it."""
    tc_pr = tc.find(_TC_PR)
    if tc_pr is None:
        return 1, False
    span = 1
    grid_span = tc_pr.find(_GRID_SPAN)
    if grid_span is not None:
        try:
            span = max(1, int(grid_span.get(_VAL, "1")))
        except ValueError:
            span = 1
    v_merge = tc_pr.find(_V_MERGE)
    # <w:vMerge/> without val (or val="continue") is a covered position; "restart" is the top.
    return span, v_merge is not None and v_merge.get(_VAL, "continue") == "continue"


def _table_rows(tbl: Any, numbering: _Numbering) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for tr in _iter_tagged(tbl, _TR):
        cells: list[Cell] = []
        for tc in _iter_tagged(tr, _TC):
            span, covered = _cell_layout(tc)
            cells.append(Cell(text="" if covered else _cell_text(tc, numbering), span=span))
        if cells:
            rows.append(tuple(cells))
    return rows


def _body_items(container: Any, items: list[str | tuple[Cell, ...] | None], numbering: _Numbering) -> None:
    for child in container:
        tag = child.tag
        if tag == _P:
            columns = tab_columns(child)
            if columns is None:
                items.append(numbering.paragraph(child))
            else:  # consecutive tab-laid-out paragraphs are rows of one layout table
                if not items or not isinstance(items[-1], tuple):
                    items.append(None)
                items.append(tuple(Cell(text=c) for c in columns))
        elif tag == _TBL:
            items.append(None)  # each w:tbl is its own Table
            items.extend(_table_rows(child, numbering))
            items.append(None)
        elif tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                _body_items(content, items, numbering)
        elif tag == _CUSTOM_XML:
            _body_items(child, items, numbering)


def read_docx(path: Path) -> RawDocument:
    """Read a .docx file into blocks (paragraphs and tables in body order).

    Raises:
        InputError: empty, not a zip, damaged, not a Word document, a zip/XML bomb, or no text.
    """
    name = str(path)
    data = read_bytes(path)
    if not data:
        raise InputError(_("empty file"), path=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_docx_package(archive, name)
    except zipfile.BadZipFile:
        raise InputError(_("not a .docx: not a zip archive, or truncated/damaged"), path=name) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise InputError(_("damaged .docx: %(detail)s") % {"detail": exc}, path=name) from None

    import docx  # heavy: imported only when a .docx is read

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many kinds (KeyError, ValueError, lxml, zip errors)
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            _("damaged or not a Word document: %(detail)s") % {"detail": detail[:200]}, path=name
        ) from None

    legacy = run_warnings(convert_word_runs(document))
    items: list[str | tuple[Cell, ...] | None] = []
    _body_items(body, items, _Numbering.of(document))
    blocks = build_blocks(items)
    if not blocks:
        raise InputError(_("empty document: no text"), path=name)
    refuse_unconverted("\n".join(item for item in items if isinstance(item, str)), name)
    return RawDocument(
        path=name,
        format="docx",
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=blocks,
        warnings=(*legacy, *block_warnings(blocks)),
    )
