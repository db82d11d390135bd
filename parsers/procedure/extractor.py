"""One pass over a document's items: each item goes to the stage it belongs to.

Before the pass, ``prose_lists`` reads the paragraphs as an outline and finds the steps written in
prose; their paragraphs are theirs. Then, in order, an item may be: the value of a ``Tổng thời gian``
label; the code of a key/value table; a ``KÝ HIỆU QUY TRÌNH`` row starting a key/value procedure; the
start of a prose step list; a step-table header; an item of the open step table; the first row of a
step table without a header; or else an item outside step tables (inline steps in a long cell, a time
limit, headings, key/value rows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from procreg.parsers.items import Item, document_items, page_continued
from procreg.parsers.procedure import iso_documents, key_value, prose_steps, step_tables
from procreg.parsers.procedure.finishing import finish, is_procedure
from procreg.parsers.procedure.headings import heading_in
from procreg.parsers.procedure.prose_lists import ProseList, find_prose_lists
from procreg.parsers.procedure.state import Reading
from procreg.registry.models import CatalogEntry, Procedure, RawDocument, SourceRef
from procreg.text import fold

__all__ = ["extract_procedures"]

_TIME_LIMIT_LINE = re.compile(r"^Thời (?:hạn|gian) giải quyết\s*:\s*(.+)$", re.IGNORECASE)


def _feed(reading: Reading, item: Item, prose: _Prose) -> None:
    if reading.pos < reading.joined_until:
        return  # the rest of a row that a page break cut, read with the row
    taken = step_tables.take_stated_total(reading, item)
    if taken is True:
        return
    if isinstance(taken, Item):
        item = taken  # the next table's header came after the total's value
    if key_value.take_code(reading, item):
        return
    cells = list(item.cells)
    if key_value.MARKER in fold(item.text):
        step_tables.close_table(reading)
        key_value.open_kv_procedure(reading, item, cells)
        return
    if prose.take(reading):
        return
    step_tables.note_work_order(reading, item)
    if step_tables.header_item(reading, item, cells):
        return
    step_tables.open_pending_table(reading, item)
    if reading.table is not None and step_tables.table_item(reading, item, cells):
        return
    if step_tables.headerless_start(reading, item):
        step_tables.table_item(reading, item, cells)
        return
    _outside(reading, item)


class _Prose:
    """The prose step lists of a document and the items they hold, met as the pass goes."""

    def __init__(self, lists: list[ProseList]) -> None:
        self.starts = {plist.start: plist for plist in lists}
        self.held = {pos for plist in lists for step in plist.steps for pos in step.span}
        self.last_lead: int | None = None

    def take(self, reading: Reading) -> bool:
        """True when the item at ``reading.pos`` belongs to a prose list (a list starts there, or goes on)."""
        plist = self.starts.get(reading.pos)
        if plist is not None:
            step_tables.close_table(reading)
            same_lead = plist.lead >= 0 and plist.lead == self.last_lead
            prose_steps.start_prose_list(reading, plist, same_lead)
            self.last_lead = plist.lead
            return True
        return reading.pos in self.held


def _part_starts(pieces: Sequence[Item], column: int) -> list[tuple[int, SourceRef]]:
    """Where each page's piece of a cut cell starts in the text ``page_continued`` joined (with spaces)."""
    out: list[tuple[int, SourceRef]] = []
    offset = 0
    for piece in pieces:
        text = piece.cells[column].strip()
        if text:
            out.append((offset, piece.ref))
            offset += len(text) + 1
    return out


def _inline_steps(reading: Reading, item: Item) -> bool:
    """Long texts holding ``Bước 1: … Bước 2: …`` runs; each text is read (each may hold procedures).

    A row that page breaks cut (a PDF prints a row taller than a page over several) is read whole, as
    the .txt and .docx hold it: a run of steps, or the heading naming it, may sit on another page.
    """
    whole, end = page_continued(reading.items, reading.pos)
    pieces = reading.items[reading.pos : end]
    made = False
    for column, text in enumerate(whole.cells):
        if len(text) > 200 and "Bước" in text:
            parts = _part_starts(pieces, column)
            made = prose_steps.inline_prose(reading, text, whole, parts) or made
    if made:
        reading.joined_until = end
    return made


def _outside_paragraph(reading: Reading, item: Item) -> None:
    """A paragraph outside step tables: a time limit, a heading, key/value text."""
    limit = _TIME_LIMIT_LINE.match(item.text)
    proc = reading.current
    if limit and proc is not None and not proc.kv and proc.steps and proc.time_limit is None:
        proc.time_limit = limit.group(1).strip()
        return
    heading = heading_in(item.text, reading.pos)
    reading.add_heading(heading)
    if proc is not None and proc.kv and proc.section in ("fields", "records") and heading is None:
        key_value.kv_text(proc, item.text)


def _outside(reading: Reading, item: Item) -> None:
    """An item outside step tables."""
    proc = reading.current
    if (proc is None or not proc.kv) and _inline_steps(reading, item):
        return
    if not item.row:
        _outside_paragraph(reading, item)
        return
    if proc is not None and proc.kv:
        key_value.kv_row(reading, proc, item)
        return
    # A catalog data row ("1 | name | code | …"): only a swallowed cell at its end can carry a heading.
    cells = item.filled[3:] if item.filled and re.match(r"^\d{1,3}\.?$", item.filled[0]) else item.filled
    for cell in cells:
        if len(cell) > 12:
            reading.add_heading(heading_in(cell, reading.pos))


def extract_procedures(
    raw: RawDocument, catalog: Sequence[CatalogEntry], unit_aliases: Mapping[str, str] | None = None
) -> tuple[tuple[Procedure, ...], list[str]]:
    """Find the internal procedures of a document, with their steps.

    Args:
        raw: the reader's output.
        catalog: the document's catalog entries (from ``extract_catalog``), used to link each procedure
            to its national code, field and legal time limit.
        unit_aliases: user unit aliases (they override the shipped table).

    Returns:
        The procedures in document order, and document-level warnings (a table with a step column that
        gave no step); the rest belong to a procedure (``Procedure.warnings``).
    """
    reading = Reading(document_items(raw), catalog, unit_aliases)
    prose = _Prose(find_prose_lists(reading.items))
    iso = iso_documents.open_iso_document(reading)
    for pos, item in enumerate(reading.items):
        reading.pos = pos
        _feed(reading, item, prose)
    step_tables.close_table(reading)
    if iso:
        iso_documents.close_iso_document(reading)
    out: list[Procedure] = []
    for ordinal, proc in enumerate(reading.procs):
        if is_procedure(proc):
            out.extend(finish(proc, catalog, ordinal))
    return tuple(out), reading.warnings
