"""PDF reader (.pdf, text layer): ruled tables and paragraphs per page, the same block shape as .txt.

Per page (one pdfminer layout pass, the expensive part):

- duplicate characters are dropped (``dedupe_chars``, as pdfplumber's but linear: fake bold prints twice);
- ruled tables are found from the drawn lines (``find_tables``, plus stroked one-cell boxes around
  text, which it skips); each becomes rows of ``Cell``:
  a merged cell is read once with ``span`` = the grid columns it covers, the grid positions that a
  cell from the row above covers (vertical merge) come back as empty cells; a cell's visual line
  breaks are joined with a space;
- the characters outside tables form text lines, read top to bottom (a gap wider than a fifth of
  the font size separates words even where the producer wrote no space character); lines are
  grouped into paragraphs by vertical gap (beyond the document's own line spacing), short last
  lines and first-line indents (not the centred last line of a wrapped centred title);
- borderless two-column blocks (Word's layout tables: the header "agency | motto", "Số | place,
  date"; the closing block "Nơi nhận | position, signature, name") become tables: a block starts
  only where text really stands side by side (a line split by a wide gap, or two lines at
  overlapping heights far apart) and takes the lines above and below that fit its columns, never
  a line across the gutter. Lines in step in both columns are rows; columns running at their own
  line heights make one row with each column's lines joined, as the Word cell reads. A line split
  into three or more parts is a table row of its own, consecutive such lines one table;
- running headers and footers (lines that repeat, digits aside, at the same height on most pages)
  and page numbers ("3", "- 3 -", "Trang 3/10") in the top/bottom bands are dropped.

Across pages, ``build_blocks`` rejoins a paragraph split by a page break. A table continued on the
next page stays two ``Table`` blocks (each with its page); a heading row that the producer repeated on
the continuation page is kept as its first row, with exactly the text of the first table's first row,
so extractors can recognise and skip it when they join the parts.

All text is NFC (producers often emit NFD). Before any of that, a page's form-field values (the number
and date a signing tool writes over the header's blanks) are placed into its characters
(``parsers.pdf_fields``). A page without a usable text layer is read by OCR (``parsers.ocr``) when
``ReadOptions.ocr`` allows: a scan (an image, no text or only a digital-signature box, or a few words
over a page-sized image), text drawn as outlines, or a text layer that is not Vietnamese
(``parsers.text_quality``); its glyphs and the ruling lines found in its image then go through the same
steps as a born-digital page's. A warning names such pages; without OCR they are left out, and a PDF
with no usable text at all is an input error that says how to install OCR. ``ReadOptions.max_pages``
is checked on the page tree before any page is read.
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

from procreg.i18n import N_, _, message_text
from procreg.parsers.blocks import block_warnings, build_blocks, legacy_encoding_warning, read_bytes
from procreg.parsers.legacy import convert_pdf_page
from procreg.parsers.pdf_fields import STAMP_RE, Field, page_fields, place_fields
from procreg.parsers.text_quality import page_quality
from procreg.registry.errors import InputError
from procreg.registry.models import Cell, RawDocument, ReadOptions
from procreg.text import normalize_line

__all__ = ["dedupe_chars", "page_count", "read_pdf"]

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[-–—\s]*$", re.I
)
_BAND = 0.1  # top and bottom tenth of the page hold running headers and footers
_DIGITS = re.compile(r"\d+")
# Two glyphs further apart than this share of the font size are two words (when the producer wrote no
# space character between them): pdfplumber's fixed 3 pt glues words set in 9 pt type or smaller.
_X_TOLERANCE_RATIO = 0.2
_END_PUNCT = '.;:!?…)]"”»'  # a line ending so ends its paragraph (as ``parsers.blocks.is_continuation``)


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    cells: tuple[str, ...] | None = None  # set when wide gaps split the line into layout columns
    spans: tuple[tuple[float, float], ...] = ()  # (x0, x1) of each part in ``cells``
    font: str = ""  # font name and size of the line's first glyph
    size: float = 0.0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass(slots=True)
class _PageTable:
    top: float
    rows: list[tuple[Cell, ...]]
    bbox: tuple[float, float, float, float] | None = None  # where known (drawn tables)


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    width: float
    lines: list[_Line]
    tables: list[_PageTable]
    fields: tuple[Field, ...] = ()  # form-field values placed into the text
    drawing: str = ""  # for a page without text: "image", "outlines" or "" (blank)
    unreadable: str = ""  # why the text layer cannot be read at all (a legacy encoding beyond repair)


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
            text = extract_text(cell_chars, x_tolerance_ratio=_X_TOLERANCE_RATIO) if cell_chars else ""
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
        text = normalize_line(extract_text(inside, x_tolerance_ratio=_X_TOLERANCE_RATIO).replace("\n", " "))
        out.append(_PageTable(top=box[1], rows=[(Cell(text=text),)], bbox=box))
    return out


def _read_page(page: Any, number: int) -> _Page:
    """A page's text layer: form-field values placed, ruled tables found, the rest as text lines."""
    chars = dedupe_chars(page.chars)
    fields = page_fields(page.annots) if page.annots else []
    if fields:
        chars = place_fields(chars, fields, float(page.initial_doctop))
    tables: list[_PageTable] = []
    if chars and (page.rects or page.lines):
        located = _locate(chars)
        bboxes: list[tuple[float, float, float, float]] = []
        for found in page.find_tables():
            bboxes.append(found.bbox)
            rows = _table_rows(found, located)
            if rows:
                tables.append(_PageTable(top=found.bbox[1], rows=rows, bbox=found.bbox))
        tables.extend(_boxes(page, located, bboxes))
        chars = _outside(located, bboxes)
    parsed = _layout_page(chars, tables, number, float(page.height), float(page.width))
    parsed.fields = tuple(fields)
    if not chars and not tables:
        parsed.drawing = _drawing(page)
    elif len(chars) < 300 and _image_share(page) >= 0.5:
        parsed.drawing = "image"  # a few words over a page-sized picture: perhaps a scan
    return parsed


def _image_share(page: Any) -> float:
    """The share of the page that its images cover (overlaps counted twice, capped at 1)."""
    area = max(float(page.width) * float(page.height), 1.0)
    covered = sum(
        max(0.0, float(i["x1"]) - float(i["x0"])) * max(0.0, float(i["bottom"]) - float(i["top"]))
        for i in page.images
    )
    return min(1.0, covered / area)


def _locate(chars: list[dict[str, Any]]) -> list[_Located]:
    return [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c) for c in chars]


def _outside(
    located: list[_Located], bboxes: list[tuple[float, float, float, float]]
) -> list[dict[str, Any]]:
    """The characters outside every table box (they are read as text lines)."""
    if not bboxes:
        return [item[2] for item in located]
    return [
        item[2]
        for item in located
        if not any(b[0] <= item[0] < b[2] and b[1] <= item[1] < b[3] for b in bboxes)
    ]


def _drawing(page: Any) -> str:
    """What a page without text shows: ``image`` (a scan), ``outlines`` (text drawn as paths) or ``""``."""
    if page.images and _image_share(page) >= 0.2:
        return "image"
    if len(page.curves) + len(page.rects) + len(page.lines) >= 20:
        return "outlines"
    return ""


def _layout_page(
    chars: list[dict[str, Any]], tables: list[_PageTable], number: int, height: float, width: float
) -> _Page:
    """The page's text lines from its characters outside tables (with their layout columns)."""
    from pdfplumber.utils.text import chars_to_textmap

    lines: list[_Line] = []
    if chars:
        textmap = chars_to_textmap(chars, x_tolerance_ratio=_X_TOLERANCE_RATIO)
        for found in textmap.extract_text_lines(strip=True, return_chars=True):
            text = normalize_line(found["text"])
            if text:
                line = _Line(text, found["x0"], found["x1"], found["top"], found["bottom"])
                first = next((c for c in found["chars"] if c["text"].strip()), None)
                if first is not None:
                    line.font = str(first.get("fontname") or "")
                    line.size = round(float(first.get("size") or 0.0), 1)
                parts = _columns(found["chars"])
                if parts is not None:
                    line.cells = tuple(text for text, _, _ in parts)
                    line.spans = tuple((x0, x1) for _, x0, x1 in parts)
                lines.append(line)
    return _Page(number, height, width, lines, tables)


def _columns(chars: list[dict[str, Any]]) -> list[tuple[str, float, float]] | None:
    """The parts of a text line separated by wide gaps (a borderless layout table), or None.

    Word's two-column header ("ỦY BAN NHÂN DÂN ... CỘNG HÒA XÃ HỘI ...") and signature blocks are
    borderless tables; in the PDF their columns share text lines, far apart. A gap wider than three
    times the font size (and 30 pt) between two glyphs splits the line; justified text never spaces
    words that far. Space characters stay in their part (they separate its words: producers often
    set words with no gap besides the space glyph). Each part comes as (text, x0, x1).
    """
    from pdfplumber.utils.text import extract_text

    ordered = sorted(chars, key=lambda c: c["x0"])
    glyphs = [c for c in ordered if c["text"].strip()]
    if len(glyphs) < 2:
        return None
    size = max(float(c.get("size") or 10.0) for c in glyphs)
    threshold = max(30.0, 3 * size)
    cuts: list[float] = []  # x positions (mid-gap) where the line splits
    for prev, char in zip(glyphs, glyphs[1:], strict=False):
        if char["x0"] - prev["x1"] > threshold:
            cuts.append((prev["x1"] + char["x0"]) / 2)
    if not cuts:
        return None
    parts: list[list[dict[str, Any]]] = [[] for _ in range(len(cuts) + 1)]
    for char in ordered:
        centre = (char["x0"] + char["x1"]) / 2
        parts[sum(1 for cut in cuts if centre > cut)].append(char)
    out: list[tuple[str, float, float]] = []
    for part in parts:
        shown = [c for c in part if c["text"].strip()]
        if not shown:
            continue
        text = extract_text(part, x_tolerance_ratio=_X_TOLERANCE_RATIO).replace("\n", " ")
        out.append((normalize_line(text), min(c["x0"] for c in shown), max(c["x1"] for c in shown)))
    return out if len(out) >= 2 else None


def _only_signature_stamp(page: _Page) -> list[tuple[float, float, float, float]] | None:
    """The areas of a page whose only text is a digital-signature box ("Ký bởi: …, Thời gian ký: …").

    A signed scan carries that box as its only text (lines, or a stroked one-cell box around them);
    it is not the document's text. Only a short page whose text starts with the box's first field
    counts (a born-digital page has more text). None for any other page.
    """
    parts = [(ln.top, ln.text, (ln.x0, ln.top, ln.x1, ln.bottom)) for ln in page.lines]
    for table in page.tables:
        if table.bbox is None or len(table.rows) != 1 or len(table.rows[0]) != 1:
            return None
        parts.append((table.top, table.rows[0][0].text, table.bbox))
    if not parts:
        return None
    parts.sort(key=lambda part: part[0])
    text = " ".join(part[1] for part in parts)
    if len(text) > 300 or STAMP_RE.match(parts[0][1]) is None:
        return None
    return [(x0 - 2, top - 2, x1 + 2, bottom + 2) for _, _, (x0, top, x1, bottom) in parts]


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


def _wrap_gap(pages: Sequence[list[_Line]], right: float, width: float) -> float | None:
    """The usual gap between the lines of one paragraph, or None when the document does not show it.

    Measured where a paragraph surely wraps: a line that reaches the right margin followed by one
    that starts with a lower-case word (Vietnamese sentences and items start upper case, or with
    "a)"). The small end of those gaps (their first fifth) is the producer's line spacing; gaps
    wider than a line are not line spacing. At least three such places are needed.
    """
    gaps: list[float] = []
    for lines in pages:
        for prev, line in zip(lines, lines[1:], strict=False):
            if prev.x1 < right - 0.05 * width or prev.size != line.size:
                continue
            word = line.text.split(maxsplit=1)[0]
            if not word[0].islower() or word.endswith((")", ".")):
                continue
            gap = line.top - prev.bottom
            if 0 <= gap <= line.height:
                gaps.append(gap)
    if len(gaps) < 3:
        return None
    gaps.sort()
    return gaps[len(gaps) // 5]


def _paragraphs(lines: list[_Line], left: float, right: float, wrap_gap: float | None = None) -> list[str]:
    """Group a run of text lines into paragraphs (gap, short previous line, first-line indent).

    A gap counts when it exceeds half the line height and the document's usual line spacing
    (``wrap_gap``) by a margin. The last line of a wrapped centred paragraph (a title) is set in
    the middle, which looks like an indent: it continues the paragraph when both lines are centred
    in the text area, set in the same font, and the previous one does not end a sentence.

    A line that opens a heading or an item (``III. NHIỆM VỤ``, ``2. Tổ chức``, ``a) Đối với``, ``Điều 5.``,
    ``Bước 3:``) starts a paragraph even when the line before runs to the right margin and the PDF sets
    no space between paragraphs (issue 11); not after a word that a number continues (``số``, ``khoản``).
    """
    heading = re.compile(
        r"^(?:(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3})\.|[a-zđ]\)|Điều\s+\d{1,3}\s*[.:]|Bước\s+\d{1,2}\s*[.:])"
        r"\s+(?P<first>[^\W\d_])"
    )
    reference = re.compile(r"(?:số|ngày|tháng|năm|tại|theo|và|Điều|khoản|điểm|mục|Mục)$")
    out: list[str] = []
    prev: _Line | None = None
    width = max(right - left, 1.0)
    middle = (left + right) / 2
    centred_within = max(3.0, 0.01 * width)
    for line in lines:
        new = prev is None
        if prev is not None:
            height = line.height
            gap = line.top - prev.bottom
            limit = 0.5 * height
            if wrap_gap is not None:
                limit = max(limit, wrap_gap + max(1.5, 0.15 * height))
            short = prev.x1 < right - 0.12 * width
            indented = line.x0 > left + max(0.02 * width, 8.0) and prev.x0 <= left + 0.02 * width
            if indented and _centred_wrap(prev, line, middle, centred_within):
                indented = False
            new = gap > limit or short or indented or gap < -0.5 * height
            opens = heading.match(line.text)
            new = new or bool(opens and opens["first"].isupper() and not reference.search(prev.text.rstrip()))
        if new:
            out.append(line.text)
        else:
            out[-1] = f"{out[-1]} {line.text}"
        prev = line
    return out


def _centred_wrap(prev: _Line, line: _Line, middle: float, within: float) -> bool:
    """True when ``line`` is the centred tail of the centred paragraph that ``prev`` belongs to."""
    return (
        abs((prev.x0 + prev.x1) / 2 - middle) <= within
        and abs((line.x0 + line.x1) / 2 - middle) <= within
        and prev.font == line.font
        and prev.size == line.size
        and prev.text.rstrip()[-1:] not in _END_PUNCT
    )


# ------------------------------------------------------------------ borderless two-column blocks


@dataclass(slots=True)
class _Region:
    """A borderless two-column block: its lines (indices into the page's lines) and its gutter."""

    members: list[int]
    gutter_left: float  # the left column ends before ``gutter_right``, the right one starts after this
    gutter_right: float
    x0s: tuple[list[float], list[float]]  # left edges and centres of each column's lines
    centres: tuple[list[float], list[float]]


_MIN_GUTTER = 10.0


def _pieces(line: _Line) -> list[tuple[int | None, float, float]]:
    """The line's parts as (side or None, x0, x1); side is set for a two-part split line."""
    if line.cells is not None and len(line.spans) == 2:
        return [(0, *line.spans[0]), (1, *line.spans[1])]
    return [(None, line.x0, line.x1)]


def _side(region: _Region, x0: float, x1: float) -> int | None:
    """Which column a piece spanning x0..x1 fits in (the gutter stays open), or None."""
    if x1 < region.gutter_right - _MIN_GUTTER and x0 < region.gutter_left + _MIN_GUTTER:
        return 0
    if x0 > region.gutter_left + _MIN_GUTTER and x1 > region.gutter_right - _MIN_GUTTER:
        return 1
    return None


def _add(region: _Region, side: int, x0: float, x1: float) -> None:
    if side == 0:
        region.gutter_left = max(region.gutter_left, x1)
    else:
        region.gutter_right = min(region.gutter_right, x0)
    region.x0s[side].append(x0)
    region.centres[side].append((x0 + x1) / 2)


def _overlap(a: _Line, b: _Line) -> bool:
    """True when two lines overlap vertically (side by side, not one under the other)."""
    return min(a.bottom, b.bottom) - max(a.top, b.top) > 0.25 * min(a.height, b.height)


def _seed(lines: Sequence[_Line], i: int) -> _Region | None:
    """A two-column block starting at line ``i``: a line split in two, or two lines side by side."""
    line = lines[i]
    if line.cells is not None:
        if len(line.spans) != 2:
            return None
        (a0, a1), (b0, b1) = line.spans
        region = _Region([i], a1, b0, ([], []), ([], []))
        _add(region, 0, a0, a1)
        _add(region, 1, b0, b1)
        return region
    if i + 1 >= len(lines) or lines[i + 1].cells is not None or not _overlap(line, lines[i + 1]):
        return None
    other = lines[i + 1]
    first, second = (line, other) if line.x0 < other.x0 else (other, line)
    if second.x0 - first.x1 < max(30.0, 3 * max(line.size, other.size)):
        return None
    region = _Region([i, i + 1], first.x1, second.x0, ([], []), ([], []))
    _add(region, 0, first.x0, first.x1)
    _add(region, 1, second.x0, second.x1)
    return region


def _joins(region: _Region, lines: Sequence[_Line], k: int, near: int, left: float) -> bool:
    """Whether line ``k`` (next to region member ``near``) belongs to the region; adds it if so.

    A split line joins when its two parts fit the two columns; a plain line when it fits one column
    and either stands beside a line of the other column, or lines up (left edge or centre) with
    that column's lines close below/above the column's nearest line. A line at the page's left
    margin must follow closely (it may be the next body paragraph).
    """
    line = lines[k]
    pieces = _pieces(line)
    if line.cells is not None and len(pieces) == 1:
        return False  # split in three or more: not this block
    if len(pieces) == 2:
        if _side(region, pieces[0][1], pieces[0][2]) != 0 or _side(region, pieces[1][1], pieces[1][2]) != 1:
            return False
        _add(region, 0, pieces[0][1], pieces[0][2])
        _add(region, 1, pieces[1][1], pieces[1][2])
        return True
    side = _side(region, line.x0, line.x1)
    if side is None:
        return False
    beside = False
    for j in (k - 1, k + 1):
        if (
            0 <= j < len(lines)
            and lines[j].cells is None
            and _overlap(line, lines[j])
            and _side(region, lines[j].x0, lines[j].x1) == 1 - side
        ):
            beside = True
    if not beside:
        aligned = any(abs(line.x0 - x) <= 2.0 for x in region.x0s[side]) or any(
            abs((line.x0 + line.x1) / 2 - c) <= 2.0 for c in region.centres[side]
        )
        if not aligned:
            return False
        same_side = [m for m in region.members if _member_side(region, lines[m]) in (side, 2)]
        nearest = min(same_side, key=lambda m: abs(m - k), default=near)
        other = lines[nearest]
        gap = line.top - other.bottom if k > nearest else other.top - line.bottom
        at_margin = line.x0 <= left + 2.0
        if gap > (1.2 if at_margin else 6.0) * line.height:
            return False
    _add(region, side, line.x0, line.x1)
    return True


def _member_side(region: _Region, line: _Line) -> int | None:
    """A region line's column (2 for a line split across both)."""
    if line.cells is not None:
        return 2
    return _side(region, line.x0, line.x1)


def _layout_regions(lines: Sequence[_Line], left: float) -> list[_Region]:
    """Borderless two-column blocks among a page's lines (in reading order), as disjoint index runs.

    Only lines that really stand side by side start a block (a line split by a wide gap, or two
    lines whose heights overlap with a wide gap between them); the block then takes the lines
    above and below that fit its columns (see ``_joins``). A line that crosses the gutter (a
    full-width paragraph) ends it.
    """
    regions: list[_Region] = []
    taken = -1  # last index inside a region
    i = 0
    while i < len(lines):
        region = _seed(lines, i)
        if region is None:
            i += 1
            continue
        k = region.members[-1] + 1
        while k < len(lines) and _joins(region, lines, k, region.members[-1], left):
            region.members.append(k)
            k += 1
        k = region.members[0] - 1
        while k > taken and _joins(region, lines, k, region.members[0], left):
            region.members.insert(0, k)
            k -= 1
        regions.append(region)
        taken = region.members[-1]
        i = taken + 1
    return regions


@dataclass(slots=True)
class _Band:
    """Lines of a two-column block side by side: each column's texts, tops and the lowest bottom."""

    texts: tuple[list[str], list[str]]
    tops: tuple[list[float], list[float]]
    height: float
    bottom: float = -math.inf

    def lockstep(self) -> bool:
        """One line in each column at about the same height: a row of a table read line by line."""
        left, right = self.tops
        return len(left) == 1 and len(right) == 1 and abs(left[0] - right[0]) <= 0.6 * self.height


def _region_rows(region: _Region, lines: Sequence[_Line]) -> list[tuple[Cell, ...]]:
    """A block's rows, each column's lines in a row joined with a space (as a Word table cell reads).

    The block's line parts (a split line gives two, one per column) are swept top to bottom into
    bands (a new band where no part of either column spans the height). A band of one line in each
    column at the same height is a row: a header set line by line. Columns that run at their own
    line heights (recipients in small type beside the position, signature space and name) are one
    row, so each column reads as one cell; such a run ends only at a clear vertical gap before a
    band in lockstep.
    """
    bands: list[_Band] = []
    for m in region.members:
        line = lines[m]
        if line.cells is not None:
            parts = [(0, line.cells[0]), (1, line.cells[1])]
        else:
            parts = [(_side(region, line.x0, line.x1) or 0, line.text)]
        if not bands or line.top >= bands[-1].bottom - 0.5:
            bands.append(_Band(([], []), ([], []), line.height))
        band = bands[-1]
        for side, text in parts:
            band.texts[side].append(text)
            band.tops[side].append(line.top)
        band.height = max(band.height, line.height)
        band.bottom = max(band.bottom, line.bottom)
    rows: list[tuple[list[str], list[str]]] = []
    free = False  # the last row gathers columns at their own heights
    previous_bottom = -math.inf
    for band in bands:
        first_top = min(t for tops in band.tops for t in tops)
        if band.lockstep() and not (free and first_top - previous_bottom < band.height):
            rows.append(band.texts)
            free = False
        elif free:
            rows[-1][0].extend(band.texts[0])
            rows[-1][1].extend(band.texts[1])
        else:
            rows.append(band.texts)
            free = True
        previous_bottom = band.bottom
    return [(Cell(text=" ".join(left)), Cell(text=" ".join(right))) for left, right in rows]


def _open_pdf(data: bytes, name: str) -> Any:
    """The pdfplumber document, or the InputError a user can act on (encrypted, damaged)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds; PdfminerException wraps most
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(cause).lower():
            raise InputError(_("encrypted PDF: remove the password and try again"), path=name) from None
        raise InputError(
            _("damaged or not a PDF: %(detail)s") % {"detail": str(cause)[:200] or type(cause).__name__},
            path=name,
        ) from None


def _read_pages(pdf: Any, name: str) -> tuple[list[_Page], list[str]]:
    """Every page's text layer and the warnings of legacy text converted on the way.

    A page's text layer: its lines, tables, form-field values, and what it draws when it has no text.
    """
    pages: list[_Page] = []
    warnings: list[str] = []
    try:
        with pdf:
            for number, pdf_page in enumerate(pdf.pages, start=1):
                try:
                    warnings.extend(convert_pdf_page(pdf_page, number))  # TCVN3/VNI glyphs to Unicode
                except InputError:
                    if _image_share(pdf_page) < 0.5:
                        raise  # visible text in an 8-bit encoding: OCR would read the same wrong glyphs
                    # A scan under a junk layer that happens to read like a legacy encoding.
                    page = _read_page(pdf_page, number)
                    page.lines, page.tables = [], []
                    page.unreadable = N_("text layer in an 8-bit encoding that cannot be converted")
                    pages.append(page)
                else:
                    pages.append(_read_page(pdf_page, number))
                pdf_page.close()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            _("damaged PDF: %(detail)s") % {"detail": str(exc)[:200] or type(exc).__name__}, path=name
        ) from None
    return pages, warnings


# ------------------------------------------------------------------ pages that need OCR


@dataclass(slots=True)
class _Need:
    """A page whose text layer cannot be used as it is: why, and areas whose OCR text is dropped."""

    reason: str
    drop: list[tuple[float, float, float, float]]


def _needs_ocr(page: _Page, mode: str) -> _Need | None:
    """Why ``page`` must be read by OCR (a sentence for the warning), or None when its text is usable.

    A page whose only text is a digital-signature box is a scan (the box is not the document); a
    page without text is a scan or text drawn as outlines; a text layer that is not Vietnamese (a
    foreign OCR's junk) is read again, unless it looks like a legacy encoding (converted, not OCRed).
    """
    if page.unreadable:
        return _Need(page.unreadable, [])
    stamp = _only_signature_stamp(page)
    if stamp is not None:
        return _Need(N_("no text layer (scanned), only a digital-signature stamp"), stamp)
    if not page.lines and not page.tables:
        if page.drawing == "image":
            return _Need(N_("no text layer (scanned)"), [])
        if page.drawing == "outlines":
            return _Need(N_("text drawn as outlines, no font"), [])
        return None
    if mode == "always":
        return _Need(N_("OCR asked for every page (--ocr always)"), [])
    text = _page_text(page)
    quality = page_quality(text)
    if page.drawing == "image" and quality.tokens < 12:
        return _Need(N_("a page-sized image under a few words of text (scanned)"), [])
    if quality.is_junk() and legacy_encoding_warning(text) is None:
        return _Need(
            N_("text layer is not Vietnamese (%(quality)s), a foreign OCR's?")
            % {"quality": quality.describe()},
            [],
        )
    return None


def _page_text(page: _Page) -> str:
    return " ".join([ln.text for ln in page.lines] + [c.text for t in page.tables for r in t.rows for c in r])


def _junk_document(pages: list[_Page], needs: dict[int, _Need]) -> str | None:
    """The reason when the text that passed page by page is, taken together, a foreign OCR's junk."""
    text = " ".join(_page_text(p) for p in pages if p.number not in needs)
    quality = page_quality(text)
    if quality.is_junk() and legacy_encoding_warning(text) is None:
        return N_("text layer is not Vietnamese (%(quality)s over the file), a foreign OCR's?") % {
            "quality": quality.describe()
        }
    return None


def _page_ranges(numbers: Sequence[int]) -> str:
    """``page 3`` or ``pages 1-4, 7``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return (
        N_("page %(pages)s") % {"pages": text}
        if len(numbers) == 1
        else N_("pages %(pages)s") % {"pages": text}
    )


def _by_reason(needs: dict[int, _Need]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for number, need in sorted(needs.items()):
        out.setdefault(need.reason, []).append(number)
    return out


def _rule_edges(rules: Sequence[tuple[float, float, float, float]]) -> list[dict[str, Any]]:
    """Ruling lines found in a page image as pdfplumber edges (a line along its middle)."""
    edges: list[dict[str, Any]] = []
    for x0, top, x1, bottom in rules:
        if x1 - x0 >= bottom - top:
            mid = (top + bottom) / 2
            edges.append(
                {"x0": x0, "x1": x1, "top": mid, "bottom": mid, "width": x1 - x0, "orientation": "h"}
            )
        else:
            mid = (x0 + x1) / 2
            edges.append(
                {
                    "x0": mid,
                    "x1": mid,
                    "top": top,
                    "bottom": bottom,
                    "height": bottom - top,
                    "orientation": "v",
                }
            )
    return edges


# A stroke or dot at the edge of an OCR table cell, set off by a space: what Tesseract reads from a
# ruling line's remains (": Bước 3", "Bộ phận Văn thư |"); a dash is a bullet and stays.
_LINE_NOISE = re.compile(r"^[|:;!'`_]+\s+|\s+[|:;!'`_]+$")


def _ocr_page(page: _Page, found: Any, need: _Need) -> _Page:
    """The page rebuilt from OCR: glyphs outside the dropped areas, tables from the ruling lines."""
    from pdfplumber.table import (
        Table,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    chars = [
        {
            "text": text,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "upright": True,
            "size": size,
            "fontname": "OCR",
            "width": x1 - x0,
            "height": bottom - top,
            "object_type": "char",
        }
        for text, x0, top, x1, bottom, size in found.glyphs
        if not any(b[0] <= (x0 + x1) / 2 <= b[2] and b[1] <= (top + bottom) / 2 <= b[3] for b in need.drop)
    ]
    if page.fields:  # a signed scan: the signing tool's values over the scanned blanks
        chars = place_fields(chars, list(page.fields))
    edges = _rule_edges(found.rules)
    tables: list[_PageTable] = []
    bboxes: list[tuple[float, float, float, float]] = []
    located = _locate(chars)
    if edges:
        merged = merge_edges(edges, 3, 3, 3, 3)
        for cells in cells_to_tables(intersections_to_cells(edges_to_intersections(merged, 3, 3))):
            table = Table(None, cells)  # type: ignore[arg-type]  # a page is needed only to extract
            bboxes.append(table.bbox)
            rows = _table_rows(table, located)
            if rows:
                tables.append(_PageTable(top=table.bbox[1], rows=rows))
    for page_table in tables:  # a cell's first or last mark is often a ruling line's remains
        page_table.rows = [
            tuple(Cell(text=_LINE_NOISE.sub("", c.text), span=c.span) for c in row) for row in page_table.rows
        ]
    ocr = _layout_page(_outside(located, bboxes), tables, page.number, page.height, page.width)
    ocr.fields = page.fields
    return ocr


def _apply_ocr(pages: list[_Page], data: bytes, name: str, options: ReadOptions) -> list[str]:
    """Read by OCR the pages that need it (in place); the warnings that say which and why.

    Without OCR (``--ocr never``, or the tools missing) such pages are left empty, never stored as
    they are, and a file with no usable page at all is an input error that says how to get OCR.
    """
    needs = {p.number: need for p in pages if (need := _needs_ocr(p, options.ocr)) is not None}
    junk = _junk_document(pages, needs)
    if junk is not None:  # short pages of a junk layer are too short to judge alone
        for p in pages:
            if (p.lines or p.tables) and p.number not in needs:
                needs[p.number] = _Need(junk, [])
    blank = [p.number for p in pages if not p.lines and not p.tables and p.number not in needs]
    warnings = (
        [N_("%(pages)s: blank (no text, nothing drawn)") % {"pages": _page_ranges(blank)}] if blank else []
    )
    if not needs:
        return warnings
    from procreg.parsers.ocr import INSTALL_ADVICE, OcrFailed, OcrUnavailable, ocr_pages

    try:
        if options.ocr == "never":
            raise OcrUnavailable(N_("OCR is off (--ocr never)"))
        cache = Path(options.ocr_cache) if options.ocr_cache else None
        found = ocr_pages(data, sorted(needs), cache=cache, jobs=options.ocr_jobs)
    except OcrUnavailable as exc:
        off = (
            str(exc) if options.ocr == "never" else N_("OCR is not installed (%(reason)s)") % {"reason": exc}
        )
        for number in needs:
            pages[number - 1].lines, pages[number - 1].tables = [], []
        if all(not p.lines and not p.tables for p in pages):
            reasons = "; ".join(
                _("%(pages)s: %(reason)s")
                % {"pages": message_text(_page_ranges(ns)), "reason": message_text(r)}
                for r, ns in _by_reason(needs).items()
            )
            raise InputError(
                _(
                    "no usable text (%(reasons)s) and %(off)s; to read it, install OCR (%(advice)s) "
                    "and run with --ocr auto"
                )
                % {"reasons": reasons, "off": message_text(off), "advice": INSTALL_ADVICE},
                path=name,
            ) from None
        for reason, numbers in _by_reason(needs).items():
            warnings.append(
                N_("%(pages)s: %(reason)s; left out: %(off)s")
                % {"pages": _page_ranges(numbers), "reason": reason, "off": off}
            )
        return warnings
    except OcrFailed as exc:
        raise InputError(_("OCR failed: %(detail)s") % {"detail": exc}, path=name) from None
    for number, need in needs.items():
        pages[number - 1] = _ocr_page(pages[number - 1], found[number], need)
    for reason, numbers in _by_reason(needs).items():
        warnings.append(
            N_("%(pages)s: %(reason)s: read by OCR") % {"pages": _page_ranges(numbers), "reason": reason}
        )
    return warnings


class _Items:
    """The reader's items (paragraph texts, rows, ``None`` table breaks) and the page of each."""

    def __init__(self) -> None:
        self.items: list[str | tuple[Cell, ...] | None] = []
        self.pages: list[int | None] = []

    def add(self, item: str | tuple[Cell, ...] | None, number: int) -> None:
        self.items.append(item)
        self.pages.append(number)


def _page_events(page: _Page, kept: list[_Line], regions: list[_Region]) -> list[tuple[float, int, Any]]:
    """A page's text lines, layout blocks and tables, by their top edge (reading order)."""
    in_region = {m for r in regions for m in r.members}
    events: list[tuple[float, int, Any]] = [
        (ln.top, 1, ln) for k, ln in enumerate(kept) if k not in in_region
    ]
    events += [(t.top, 0, t) for t in page.tables]
    events += [
        (kept[r.members[0]].top, 0, _PageTable(kept[r.members[0]].top, _region_rows(r, kept)))
        for r in regions
    ]
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def _page_items(
    out: _Items,
    number: int,
    events: list[tuple[float, int, Any]],
    left: float,
    right: float,
    wrap_gap: float | None,
) -> None:
    """One page's items: runs of lines as paragraphs, split lines as layout rows, tables as rows."""
    run: list[_Line] = []
    in_layout = False  # consecutive split lines are rows of one borderless layout table
    for _top, kind, obj in events:
        if kind == 1 and obj.cells is None:
            if in_layout:
                out.add(None, number)
                in_layout = False
            run.append(obj)
            continue
        for text in _paragraphs(run, left, right, wrap_gap):
            out.add(text, number)
        run = []
        if kind == 1:
            if not in_layout:
                out.add(None, number)
                in_layout = True
            out.add(tuple(Cell(text=c) for c in obj.cells), number)
            continue
        in_layout = False
        out.add(None, number)
        for row in obj.rows:
            out.add(row, number)
        out.add(None, number)
    for text in _paragraphs(run, left, right, wrap_gap):
        out.add(text, number)
    out.add("", number)  # page break: a blank line
    out.add(None, number)  # a table never continues into the next page's table


def _document_items(pages: list[_Page]) -> _Items:
    """The document's items: running headers/footers and page numbers dropped, pages in order.

    The body's left and right edges and the wrap gap are measured over the whole document, so every
    page's lines are joined into paragraphs by the same rule.
    """
    running = _running_keys(pages)
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
    regions_by_page = [_layout_regions(kept, left) for kept in kept_by_page]
    flowing = [
        [ln for k, ln in enumerate(kept) if not any(k in r.members for r in regions)]
        for kept, regions in zip(kept_by_page, regions_by_page, strict=True)
    ]
    wrap_gap = _wrap_gap(flowing, right, max(right - left, 1.0))
    out = _Items()
    for page, kept, regions in zip(pages, kept_by_page, regions_by_page, strict=True):
        _page_items(out, page.number, _page_events(page, kept, regions), left, right, wrap_gap)
    return out


def page_count(data: bytes) -> int | None:
    """The number of pages, read from the page tree alone (fast), or None if it cannot be read."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception:  # damaged or encrypted: the full read says which
        return None
    try:
        return len(document)
    finally:
        document.close()


def read_pdf(path: Path, options: ReadOptions | None = None) -> RawDocument:
    """Read a .pdf's text layer into blocks; pages without a usable text layer are read by OCR.

    Raises:
        InputError: empty, not a PDF, damaged, encrypted, more pages than ``options.max_pages``,
            or no usable text on any page (and no OCR).
    """
    options = options or ReadOptions()
    name = str(path)
    data = read_bytes(path)
    if not data:
        raise InputError(_("empty file"), path=name)
    if b"%PDF-" not in data[:1024]:
        raise InputError(_("not a PDF: no %PDF- header"), path=name)
    count = page_count(data)
    if count is not None and count > options.max_pages:
        raise InputError(
            _(
                "%(count)d pages, over the limit of %(limit)d pages; raise it with --max-pages %(count)d "
                "if this file is meant to be read"
            )
            % {"count": count, "limit": options.max_pages},
            path=name,
        )
    pages, legacy = _read_pages(_open_pdf(data, name), name)
    warnings = (
        [
            N_("%(pages)s: form-field values read into the text")
            % {"pages": _page_ranges([p.number for p in pages if p.fields])}
        ]
        if any(p.fields for p in pages)
        else []
    )
    warnings += legacy
    warnings += _apply_ocr(pages, data, name, options)
    found = _document_items(pages)
    items, item_pages = found.items, found.pages
    blocks = build_blocks(items, pages=item_pages)
    if not blocks:
        raise InputError(
            _("no text on any page (blank pages, nothing drawn that looks like text)"), path=name
        )
    return RawDocument(
        path=name,
        format="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=blocks,
        warnings=(*warnings, *block_warnings(blocks)),
        pages=len(pages),
    )
