"""PDF reader (.pdf, text layer): ruled tables and paragraphs per page, the same block shape as .txt.

Per page (one pdfminer layout pass, the expensive part):

- duplicate characters are dropped (``dedupe_chars``, as pdfplumber's but linear: fake bold prints twice);
- ruled tables are found from the drawn lines (``find_tables``, plus stroked one-cell boxes around
  text, which it skips); each becomes rows of ``Cell``:
  a merged cell is read once with ``span`` = the grid columns it covers, the grid positions that a
  cell from the row above covers (vertical merge) come back as empty cells; a cell's visual line
  breaks are joined with a space;
- the characters outside tables form text lines, read top to bottom; lines are grouped into
  paragraphs by vertical gap, short last lines and first-line indents; a line whose parts stand far
  apart (a borderless layout table: two-column header, signature block) becomes a table row, one
  cell per part, consecutive such lines one table;
- running headers and footers (lines that repeat, digits aside, at the same height on most pages)
  and page numbers ("3", "- 3 -", "Trang 3/10") in the top/bottom bands are dropped.

Across pages, ``build_blocks`` rejoins a paragraph split by a page break. A table continued on the
next page stays two ``Table`` blocks (each with its page); a heading row that the producer repeated on
the continuation page is kept as its first row, with exactly the text of the first table's first row,
so extractors can recognise and skip it when they join the parts.

All text is NFC (producers often emit NFD). A page without text gives a warning
(``page 3: no text layer (scanned?)``); a PDF without any text is an input error.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsers.blocks import block_warnings, build_blocks, read_bytes
from registry.errors import InputError
from registry.models import Cell, RawDocument
from registry.vntext import normalize_line

__all__ = ["dedupe_chars", "read_pdf"]

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[-–—\s]*$", re.I
)
_BAND = 0.1  # top and bottom tenth of the page hold running headers and footers
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    cells: tuple[str, ...] | None = None  # set when wide gaps split the line into layout columns


@dataclass(slots=True)
class _PageTable:
    top: float
    rows: list[tuple[Cell, ...]]


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    width: float
    lines: list[_Line]
    tables: list[_PageTable]


def dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Drop duplicate characters (same text, font and size within ``tolerance`` of a kept one).

    The semantics of pdfplumber's ``dedupe_chars`` (fake bold prints every glyph twice, slightly
    offset), in linear time: pdfplumber's own restores the order with ``list.index`` (quadratic).
    """
    kept: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], list[tuple[float, float]]] = {}
    for char in chars:
        top = float(char["doctop"])
        x0 = float(char["x0"])
        bucket = int(top // tolerance)
        base = (char["text"], char.get("upright"), char.get("fontname"), char.get("size"))
        duplicate = False
        for b in (bucket - 1, bucket, bucket + 1):
            for other_top, other_x0 in seen.get((*base, b), ()):
                if abs(other_top - top) <= tolerance and abs(other_x0 - x0) <= tolerance:
                    duplicate = True
                    break
            if duplicate:
                break
        if not duplicate:
            seen.setdefault((*base, bucket), []).append((top, x0))
            kept.append(char)
    return kept


_Located = tuple[float, float, dict[str, Any]]  # (horizontal centre, vertical centre, char)


def _within(located: list[_Located], bbox: tuple[float, float, float, float]) -> list[_Located]:
    x0, top, x1, bottom = bbox
    return [item for item in located if x0 <= item[0] < x1 and top <= item[1] < bottom]


def _table_rows(table: Any, located: list[_Located]) -> list[tuple[Cell, ...]]:
    """Rows of a pdfplumber table with merged cells read once (span) and covered positions empty."""
    from pdfplumber.utils.text import extract_text

    grid = sorted({cell[0] for cell in table.cells})
    located = _within(located, table.bbox)
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:
        row_chars = _within(located, row.bbox)
        cells: list[Cell] = []
        j = 0
        while j < len(row.cells):
            bbox = row.cells[j]
            if bbox is None:  # covered by a cell from a row above (vertical merge)
                cells.append(Cell(text=""))
                j += 1
                continue
            span = max(1, sum(1 for x in grid[j:] if x < bbox[2] - 0.5))
            cell_chars = [item[2] for item in _within(row_chars, bbox)]
            text = extract_text(cell_chars) if cell_chars else ""
            cells.append(Cell(text=normalize_line(text.replace("\n", " ")), span=span))
            j += span
        rows.append(tuple(cells))
    return rows


def _boxes(
    page: Any, located: list[_Located], bboxes: list[tuple[float, float, float, float]]
) -> list[_PageTable]:
    """One-cell tables: stroked boxes around text that ``find_tables`` drops (it needs two cells).

    A box is taken when it holds text, overlaps no table found, and is not a page frame (at most half
    the page). Its bbox is added to ``bboxes`` so its text is not read again as a paragraph.
    """
    from pdfplumber.utils.text import extract_text

    out: list[_PageTable] = []
    limit = float(page.width) * float(page.height) / 2
    for rect in page.rects:
        if not rect.get("stroke"):
            continue
        box = (float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]))
        width, height = box[2] - box[0], box[3] - box[1]
        if width < 10 or height < 6 or width * height > limit:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in bboxes):
            continue
        inside = [item[2] for item in _within(located, box)]
        if not inside:
            continue
        bboxes.append(box)
        text = normalize_line(extract_text(inside).replace("\n", " "))
        out.append(_PageTable(top=box[1], rows=[(Cell(text=text),)]))
    return out


def _read_page(page: Any, number: int) -> _Page:
    from pdfplumber.utils.text import chars_to_textmap

    chars = dedupe_chars(page.chars)
    tables: list[_PageTable] = []
    bboxes: list[tuple[float, float, float, float]] = []
    if chars and (page.rects or page.lines):
        located = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c) for c in chars]
        for found in page.find_tables():
            bbox = found.bbox
            bboxes.append(bbox)
            rows = _table_rows(found, located)
            if rows:
                tables.append(_PageTable(top=bbox[1], rows=rows))
        tables.extend(_boxes(page, located, bboxes))
        if bboxes:
            chars = [
                item[2]
                for item in located
                if not any(b[0] <= item[0] < b[2] and b[1] <= item[1] < b[3] for b in bboxes)
            ]
    lines: list[_Line] = []
    if chars:
        for found in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True):
            text = normalize_line(found["text"])
            if text:
                line = _Line(text, found["x0"], found["x1"], found["top"], found["bottom"])
                line.cells = _columns(found["chars"])
                lines.append(line)
    return _Page(number, float(page.height), float(page.width), lines, tables)


def _columns(chars: list[dict[str, Any]]) -> tuple[str, ...] | None:
    """The parts of a text line separated by wide gaps (a borderless layout table), or None.

    Word's two-column header ("ỦY BAN NHÂN DÂN ... CỘNG HÒA XÃ HỘI ...") and signature blocks are
    borderless tables; in the PDF their columns share text lines, far apart. A gap wider than three
    times the font size (and 30 pt) splits the line; justified text never spaces words that far.
    """
    from pdfplumber.utils.text import extract_text

    glyphs = [c for c in chars if c["text"].strip()]
    if len(glyphs) < 2:
        return None
    size = max(float(c.get("size") or 10.0) for c in glyphs)
    threshold = max(30.0, 3 * size)
    glyphs.sort(key=lambda c: c["x0"])
    parts: list[list[dict[str, Any]]] = [[glyphs[0]]]
    for prev, char in zip(glyphs, glyphs[1:], strict=False):
        if char["x0"] - prev["x1"] > threshold:
            parts.append([])
        parts[-1].append(char)
    if len(parts) < 2:
        return None
    return tuple(normalize_line(extract_text(part).replace("\n", " ")) for part in parts)


_SIGNATURE_STAMP = re.compile(r"^\W*(?:Ký bởi|Người ký|Signed by|Digitally signed by)\b", re.IGNORECASE)


def _only_signature_stamp(lines: Sequence[_Line]) -> bool:
    """True for a page whose only text is a digital-signature box ("Ký bởi: …, Thời gian ký: …").

    A signed scan carries that box as its only text; it is not the document's text. Only a short
    page whose text starts with the box's first field counts (a born-digital page has more text).
    """
    if not lines:
        return False
    text = " ".join(line.text for line in lines)
    return len(text) <= 300 and _SIGNATURE_STAMP.match(lines[0].text) is not None


def _running_keys(pages: Sequence[_Page]) -> set[tuple[str, int]]:
    """Header/footer lines: in the top/bottom band, repeating (digits aside) on most pages."""
    counts: Counter[tuple[str, int]] = Counter()
    for page in pages:
        seen = set()
        for line in page.lines:
            if _in_band(line, page):
                seen.add(_key(line))
        counts.update(seen)
    with_text = sum(1 for p in pages if p.lines or p.tables)
    needed = max(2, math.ceil(with_text * 0.5))
    return {key for key, n in counts.items() if n >= needed}


def _in_band(line: _Line, page: _Page) -> bool:
    return line.bottom <= page.height * _BAND or line.top >= page.height * (1 - _BAND)


def _key(line: _Line) -> tuple[str, int]:
    return (_DIGITS.sub("#", line.text), round(line.top / 4))


def _paragraphs(lines: list[_Line], left: float, right: float) -> list[str]:
    """Group a run of text lines into paragraphs (gap, short previous line, first-line indent)."""
    out: list[str] = []
    prev: _Line | None = None
    width = max(right - left, 1.0)
    for line in lines:
        new = prev is None
        if prev is not None:
            height = max(line.bottom - line.top, 1.0)
            gap = line.top - prev.bottom
            short = prev.x1 < right - 0.12 * width
            indented = line.x0 > left + max(0.02 * width, 8.0) and prev.x0 <= left + 0.02 * width
            new = gap > 0.5 * height or short or indented or gap < -0.5 * height
        if new:
            out.append(line.text)
        else:
            out[-1] = f"{out[-1]} {line.text}"
        prev = line
    return out


def read_pdf(path: Path) -> RawDocument:
    """Read a .pdf's text layer into blocks.

    Raises:
        InputError: empty, not a PDF, damaged, encrypted, or no text layer on any page.
    """
    name = str(path)
    data = read_bytes(path)
    if not data:
        raise InputError("empty file", path=name)
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a PDF: no %PDF- header", path=name)

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds; PdfminerException wraps most
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(cause).lower():
            raise InputError("encrypted PDF: remove the password and try again", path=name) from None
        raise InputError(
            f"damaged or not a PDF: {str(cause)[:200] or type(cause).__name__}", path=name
        ) from None

    pages: list[_Page] = []
    warnings: list[str] = []
    try:
        with pdf:
            for number, pdf_page in enumerate(pdf.pages, start=1):
                parsed = _read_page(pdf_page, number)
                pdf_page.close()
                if not parsed.tables and _only_signature_stamp(parsed.lines):
                    parsed.lines = []
                    warnings.append(
                        f"page {number}: no text layer (scanned?), only a digital-signature stamp"
                    )
                elif not parsed.lines and not parsed.tables:
                    warnings.append(f"page {number}: no text layer (scanned?)")
                pages.append(parsed)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"damaged PDF: {str(exc)[:200] or type(exc).__name__}", path=name) from None
    if not pages or all(not p.lines and not p.tables for p in pages):
        raise InputError("no text layer (scanned?): OCR it first", path=name)

    running = _running_keys(pages)
    items: list[str | tuple[Cell, ...] | None] = []
    item_pages: list[int | None] = []

    def add(item: str | tuple[Cell, ...] | None, number: int) -> None:
        items.append(item)
        item_pages.append(number)

    kept_by_page = [
        [
            ln
            for ln in page.lines
            if not (_in_band(ln, page) and (_key(ln) in running or _PAGE_NUMBER.match(ln.text)))
        ]
        for page in pages
    ]
    body_lines = [ln for kept in kept_by_page for ln in kept if ln.cells is None]
    left = min((ln.x0 for ln in body_lines), default=0.0)
    right = max((ln.x1 for ln in body_lines), default=0.0)
    for page, kept in zip(pages, kept_by_page, strict=True):
        # Interleave text lines and tables by their top edge (reading order top to bottom).
        events: list[tuple[float, int, Any]] = [(ln.top, 1, ln) for ln in kept]
        events += [(t.top, 0, t) for t in page.tables]
        events.sort(key=lambda e: (e[0], e[1]))
        run: list[_Line] = []
        in_layout = False  # consecutive split lines are rows of one borderless layout table
        for _top, kind, obj in events:
            if kind == 1 and obj.cells is None:
                if in_layout:
                    add(None, page.number)
                    in_layout = False
                run.append(obj)
                continue
            for text in _paragraphs(run, left, right):
                add(text, page.number)
            run = []
            if kind == 1:
                if not in_layout:
                    add(None, page.number)
                    in_layout = True
                add(tuple(Cell(text=c) for c in obj.cells), page.number)
                continue
            in_layout = False
            add(None, page.number)
            for row in obj.rows:
                add(row, page.number)
            add(None, page.number)
        for text in _paragraphs(run, left, right):
            add(text, page.number)
        add("", page.number)  # page break: a blank line
        add(None, page.number)  # a table never continues into the next page's table
    blocks = build_blocks(items, pages=item_pages)
    return RawDocument(
        path=name,
        format="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=blocks,
        warnings=(*warnings, *block_warnings(blocks)),
        pages=len(pages),
    )
