"""A document as one stream of items, and the key a table header cell is matched on.

Real tables are messy (merged cells, rows shifted right, tables cut by page breaks, headers split over a
row and a paragraph), so the catalog and procedure extractors read a document as a linear stream of
*items*: each paragraph and each table row in body order, table boundaries ignored. Columns are then
mapped by the words of their header cells, never by position (see docs/FORMATS.md, "Tables").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from procreg.registry.models import Paragraph, RawDocument, SourceRef
from procreg.text import fold, normalize_line

__all__ = [
    "LINE_BREAKS",
    "Item",
    "document_items",
    "header_key",
    "header_like",
    "header_run",
    "page_continued",
    "trailing_roles",
]


@dataclass(frozen=True, slots=True)
class Item:
    """One element of a document's linear view: a paragraph (one cell, ``row=False``) or a table row."""

    cells: tuple[str, ...]
    row: bool
    ref: SourceRef

    @property
    def filled(self) -> list[str]:
        """The non-empty cells."""
        return [c for c in self.cells if c.strip()]

    @property
    def text(self) -> str:
        """All non-empty cells joined with spaces."""
        return " ".join(self.filled)


# The items of the last document asked for: the catalog and procedure extractors both walk them.
_last_items: tuple[RawDocument, tuple[Item, ...]] | None = None

# Every character a writer or a converter uses to break a line inside a cell: Word's manual line break
# (\v), a form feed, a bare carriage return, NEL, the Unicode line and paragraph separators.
LINE_BREAKS = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
# A paragraph that is only an item marker: its text is on the next paragraph ("2." / "Cấp giấy phép …").
_BARE_MARKER = re.compile(
    r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[-–+•]|Điều(?:\s+\d{1,3}\.?)?)$"
)


def _cell_text(text: str) -> str:
    """A cell's text, NFC, any line break read as a space (as the .docx and .pdf readers read them)."""
    return normalize_line(" ".join(LINE_BREAKS.sub("\n", text).split("\n")))


def _broken_row(parts: list[str]) -> tuple[str, ...]:
    """The cells of a ``| a | b |`` row that a line break inside a cell cut into paragraphs."""
    text = " ".join(parts).strip()
    return tuple(_cell_text(c) for c in text[1:-1].split("|"))


def _row_cut(out: list[Item], i: int) -> int | None:
    """Where a ``.txt`` row cut into paragraphs at ``out[i]`` ends (the paragraph ending with ``|``)."""
    for j in range(i, min(i + 20, len(out))):
        item = out[j]
        if item.row or (j > i and item.cells[0].startswith("|")):
            return None
        text = item.cells[0]
        if text.endswith("|") and (j > i or len(text) > 1):
            joined = " ".join(o.cells[0] for o in out[i : j + 1])
            return j if joined.count("|") >= 3 else None
    return None


def _rejoin(out: list[Item]) -> list[Item]:
    """Repair two cuts of the item stream made by line breaks.

    * A ``.txt`` table row whose cell held a line break (any of ``LINE_BREAKS``) arrives as paragraphs:
      one starting ``| B2 | Tiếp nhận`` and the next ones up to the one ending with ``|``. They are one row.
    * A paragraph that is only an item marker (``2.``, ``III.``, ``a)``, ``-``, ``Điều``) is the start of
      the next paragraph: the procedure ``2.`` whose name is on the next line is one heading.
    """
    fixed: list[Item] = []
    i = 0
    while i < len(out):
        item = out[i]
        text = item.cells[0] if not item.row else ""
        end = _row_cut(out, i) if text.startswith("|") else None
        if end is not None:
            parts = [o.cells[0] for o in out[i : end + 1]]
            fixed.append(Item(_broken_row(parts), True, item.ref))
            i = end + 1
            continue
        if not item.row and _BARE_MARKER.match(text) and i + 1 < len(out) and not out[i + 1].row:
            fixed.append(Item((f"{text} {out[i + 1].cells[0]}",), False, item.ref))
            i += 2
            continue
        fixed.append(item)
        i += 1
    return fixed


def document_items(raw: RawDocument) -> list[Item]:
    """A document as items in body order (cell texts NFC-normalised, line breaks inside cells as spaces).

    Line breaks of every kind are one kind here, so a cell broken by a Word line break, a carriage return
    or U+2028 reads as the same cell; see ``_rejoin`` for the cuts they make in ``.txt`` rows.
    """
    global _last_items
    cached = _last_items
    if cached is not None and cached[0] is raw:
        return list(cached[1])
    out: list[Item] = []
    for block in raw.blocks:
        ref = SourceRef(path=raw.path, page=block.page, para=block.index)
        if isinstance(block, Paragraph):
            text = " ".join(LINE_BREAKS.sub("\n", block.text).split("\n"))
            text = normalize_line(text)
            if text:
                out.append(Item((text,), False, ref))
        else:
            out.extend(Item(tuple(_cell_text(c.text) for c in row), True, ref) for row in block.rows)
    out = _rejoin(out)
    _last_items = (raw, tuple(out))
    return out


def _continues(row: Item, filled: Sequence[bool], id_at: int, frag: Item, page: int | None) -> bool:
    """Whether ``frag`` is the rest of ``row`` that a page break moved to the top of the next page."""
    if not frag.row or len(frag.cells) != len(row.cells) or frag.cells[id_at].strip():
        return False
    if frag.ref.page is None or page is None or frag.ref.page != page + 1:
        return False
    texts = [bool(c.strip()) for c in frag.cells]
    return any(texts) and all(f for f, t in zip(filled, texts, strict=True) if t)


def page_continued(items: Sequence[Item], i: int) -> tuple[Item, int]:
    """The row ``items[i]`` joined with the rest of it that page breaks moved to the next pages.

    Word (and any producer) breaks a row taller than a page: each next page starts with a row of the
    same width whose first cell (the row's number or label) is empty and whose text sits only in the
    columns the row has text in; cell by cell, it continues the row. A .txt or .docx holds such a row
    whole, so a long cell read from a PDF is joined back before it is read as a whole (steps written
    inline in one cell). Returns the joined row (the first part's reference) and the index after its
    last part; a paragraph, or a row with no continuation, comes back unchanged with ``i + 1``.
    """
    row = items[i]
    if not row.row or not any(c.strip() for c in row.cells):
        return row, i + 1
    filled = [bool(c.strip()) for c in row.cells]
    id_at = filled.index(True)
    cells = list(row.cells)
    page, end = row.ref.page, i + 1
    while end < len(items) and _continues(row, filled, id_at, items[end], page):
        rest = items[end].cells
        cells = [" ".join(p for p in (a, b.strip()) if p) for a, b in zip(cells, rest, strict=True)]
        page = items[end].ref.page
        end += 1
    return (row if end == i + 1 else Item(tuple(cells), True, row.ref)), end


# A parenthesis, closed or cut off by the end of the cell ("Thời gian (ngày làm việc" in a split header).
_PARENS = re.compile(r"\([^)]*\)?")
_SEPARATOR = re.compile(r"\s*([/,&])\s*")
_SPACES = re.compile(r"\s+")


def header_key(cell: str) -> str:
    """The key a table header cell is matched on: folded, parentheses dropped, separators and spaces squeezed.

    ``/`` is written without spaces and ``,``/``&`` with one space after, so ``Đơn vị / Người thực hiện``
    and ``Đơn vị/ người thực hiện`` read alike; the ends lose spaces, dots, colons and asterisks.

    >>> header_key("Đơn vị / Người thực hiện (ghi rõ):")
    'don vi/nguoi thuc hien'
    >>> header_key("Phí,lệ phí")
    'phi, le phi'
    """
    key = _PARENS.sub(" ", fold(cell))
    key = _SEPARATOR.sub(r"\1 ", key).replace("/ ", "/")
    return _SPACES.sub(" ", key).strip(" .:*")


def header_like(cell: str) -> bool:
    """A cell that could be a column name nobody listed ("Mức độ dịch vụ công", "Phí, lệ phí (vnđ)")."""
    text = cell.strip()
    if not text or len(text) > 90 or len(text.split()) > 12 or text.endswith((".", ";")):
        return False
    # Values, not names: numbers, codes, step ids, durations and ticks.
    return not re.match(r"^(?:[\d.,/:\-\s]+|[xX✓]|B\.?\s?\d+|Bước\s*\d+)$", text) and not re.search(
        r"\d", text[:3]
    )


def header_run(cells: Sequence[str], role_of: Callable[[str], str | None]) -> tuple[int, list[str | None]]:
    """The trailing run of header cells of a row, unknown column names kept as None.

    Like ``trailing_roles``, but a cell that names no known column and still reads as a column name
    (short, no sentence, no value) does not end the run: one column nobody listed must not lose the
    table. Unknown cells at the left end are dropped (a header run starts at a known column name), so the
    layout cells and swallowed headings before a header stay outside it.
    """
    roles: list[str | None] = []
    start = len(cells)
    for i in range(len(cells) - 1, -1, -1):
        cell = cells[i]
        if not cell.strip():
            if roles:
                break
            continue
        role = role_of(cell)
        if role is None and not header_like(cell):
            break
        roles.insert(0, role)
        start = i
    while roles and roles[0] is None:
        roles.pop(0)
        start += 1
    return start, roles


def trailing_roles(cells: Sequence[str], role_of: Callable[[str], str | None]) -> tuple[int, list[str]]:
    """Roles of the trailing run of header cells of a row, and the index where the run starts.

    Header rows are read from the right because merged cells and swallowed headings shift them
    right with leading empty or foreign cells.
    """
    roles: list[str] = []
    start = len(cells)
    for i in range(len(cells) - 1, -1, -1):
        cell = cells[i]
        if not cell.strip():
            if roles:
                break
            continue
        role = role_of(cell)
        if role is None:
            break
        roles.insert(0, role)
        start = i
    return start, roles
