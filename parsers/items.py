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

__all__ = ["Item", "document_items", "header_key", "trailing_roles"]


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


def document_items(raw: RawDocument) -> list[Item]:
    """A document as items in body order (cell texts NFC-normalised, ``\\n`` inside cells kept as spaces)."""
    global _last_items
    cached = _last_items
    if cached is not None and cached[0] is raw:
        return list(cached[1])
    out: list[Item] = []
    for block in raw.blocks:
        ref = SourceRef(path=raw.path, page=block.page, para=block.index)
        if isinstance(block, Paragraph):
            text = normalize_line(block.text)
            if text:
                out.append(Item((text,), False, ref))
        else:
            out.extend(Item(tuple(normalize_line(c.text) for c in row), True, ref) for row in block.rows)
    _last_items = (raw, tuple(out))
    return out


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
