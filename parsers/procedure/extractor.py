"""One pass over a document's items: each item goes to the stage it belongs to.

In order, an item may be: the value of a ``Tổng thời gian`` label; the code of a key/value table; a
``KÝ HIỆU QUY TRÌNH`` row starting a key/value procedure; a step-table header; an item of the open step
table; or else an item outside step tables (prose steps, a time limit, headings, key/value rows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from procreg.parsers.items import Item, document_items
from procreg.parsers.procedure import iso_documents, key_value, prose_steps, step_tables
from procreg.parsers.procedure.finishing import finish, is_procedure
from procreg.parsers.procedure.headings import heading_in
from procreg.parsers.procedure.state import Reading
from procreg.registry.models import CatalogEntry, Procedure, RawDocument
from procreg.text import fold

__all__ = ["extract_procedures"]

_TIME_LIMIT_LINE = re.compile(r"^Thời (?:hạn|gian) giải quyết\s*:\s*(.+)$", re.IGNORECASE)


def _feed(reading: Reading, item: Item) -> None:
    cells = list(item.cells)
    if step_tables.take_stated_total(reading, item) or key_value.take_code(reading, item):
        return
    if key_value.MARKER in fold(item.text):
        step_tables.close_table(reading)
        prose_steps.flush_prose(reading)
        key_value.open_kv_procedure(reading, item, cells)
        return
    if step_tables.header_item(reading, item, cells):
        return
    step_tables.open_pending_table(reading, item)
    if reading.table is not None and step_tables.table_item(reading, item, cells):
        return
    _outside(reading, item)


def _inline_steps(reading: Reading, item: Item) -> bool:
    """Long texts holding ``Bước 1: … Bước 2: …`` runs; each text is read (each may hold procedures)."""
    long_texts = [c for c in item.filled if len(c) > 200 and "Bước" in c]
    return bool(long_texts) and any([prose_steps.inline_prose(reading, c, item) for c in long_texts])


def _outside_paragraph(reading: Reading, item: Item) -> None:
    """A paragraph outside step tables: a prose step, a time limit, a heading, key/value text."""
    if prose_steps.note_prose_step(reading, item):
        return
    prose_steps.flush_prose(reading)
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
    prose_steps.flush_prose(reading)
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
        The procedures in document order, and document-level warnings: none so far, every warning
        belongs to a procedure (``Procedure.warnings``); the pair has the shape of ``extract_catalog``'s.
    """
    reading = Reading(document_items(raw), catalog, unit_aliases)
    iso = iso_documents.open_iso_document(reading)
    for pos, item in enumerate(reading.items):
        reading.pos = pos
        _feed(reading, item)
    step_tables.close_table(reading)
    prose_steps.flush_prose(reading)
    if iso:
        iso_documents.close_iso_document(reading)
    out: list[Procedure] = []
    for ordinal, proc in enumerate(reading.procs):
        if is_procedure(proc):
            out.extend(finish(proc, catalog, ordinal))
    return tuple(out), []
