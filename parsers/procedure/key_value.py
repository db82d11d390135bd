"""Key/value procedure tables (the Hà Tĩnh annex layout): code, numbered fields, forms and records.

Per procedure, a heading ``1. <tên TTHC>`` and a table of numbered rows: ``1 | KÝ HIỆU QUY TRÌNH |
QT.GĐ.01``, ``2 | NỘI DUNG QUY TRÌNH`` with rows ``2.1`` … ``2.10`` (kept as ``fields``; ``2.5`` gives the
time limit, ``2.10`` holds the step table), ``3 | BIỂU MẪU`` (forms) and ``4 | HỒ SƠ LƯU`` (records). See
docs/FORMATS.md, "The Hà Tĩnh annex layout".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from procreg.parsers.items import Item
from procreg.parsers.procedure.headings import QT_CODE, heading_in, norm_code
from procreg.parsers.procedure.state import ProcDraft, Reading
from procreg.text import fold, normalize_line

__all__ = ["MARKER", "form_text", "kv_row", "kv_text", "open_kv_procedure", "take_code"]

MARKER = "ky hieu quy trinh"  # "KÝ HIỆU QUY TRÌNH", folded: the first row of a key/value table
_FIELD_ID = re.compile(r"^2\.(\d{1,2})\.?$")
# "3 | BIỂU MẪU", "4 | HỒ SƠ LƯU", "2 | NỘI DUNG QUY TRÌNH": the parts of a key/value table (folded).
_PARTS = (("bieu mau", "forms"), ("ho so luu", "records"), ("noi dung quy trinh", "fields"))
_BULLETS = ("-", "+", "•")
# A form's file name printed beside it ("Mẫu 01.docx", "BM.01.doc"): not part of the form's name.
_FILE_REF = re.compile(r"\s*(?:Mẫu\s*\d+|[\w.]+)\.doc(?:\s?x)?\b", re.IGNORECASE)


def form_text(cells: Sequence[str]) -> str:
    """A form's name from its row or paragraph: bullets and file names dropped."""
    parts = [_FILE_REF.sub("", c).strip() for c in cells if c not in _BULLETS]
    return normalize_line(" ".join(p for p in parts if p))


def open_kv_procedure(reading: Reading, item: Item, cells: list[str]) -> None:
    """A ``KÝ HIỆU QUY TRÌNH`` row starts a key/value procedure; its code is on the row or just after."""
    idx = next((i for i, c in enumerate(cells) if MARKER in fold(c)), 0)
    for cell in cells[:idx]:
        reading.add_heading(heading_in(cell, reading.pos))
    proc = reading.new_proc(item.ref, kv=True)
    m = QT_CODE.search(" ".join(cells[idx:]))
    if m:
        proc.code = norm_code(m.group(0))
    else:
        reading.expect_code = 2
    proc.section = "fields"


def take_code(reading: Reading, item: Item) -> bool:
    """One of the two items after a code-less marker row: the procedure code when it is there."""
    proc = reading.current
    if not reading.expect_code or proc is None:
        return False
    reading.expect_code -= 1
    m = QT_CODE.search(item.text)
    if m and proc.code is None and len(item.filled) <= 2:
        proc.code = norm_code(m.group(0))
        return True
    return False


def kv_row(reading: Reading, proc: ProcDraft, item: Item) -> None:
    """A row of a key/value table outside its step table: a part title, a field, a form or a record."""
    filled = item.filled
    if not filled:
        return
    first = filled[0]
    second = fold(filled[1]) if len(filled) > 1 else ""
    if re.match(r"^\d$", first):
        part = next((s for w, s in _PARTS if second.startswith(w)), None)
        if part is not None:
            proc.section = part
            return
    if fold(first).startswith("noi dung quy trinh") or (len(filled) == 1 and re.match(r"^\d$", first)):
        return
    if _FIELD_ID.match(first) and len(filled) >= 2:
        proc.section = "fields"
        title, _, value = " ".join(filled[1:]).partition(":")
        proc.fields.append([f"{first.rstrip('.')} {title.strip()}", value.strip()])
        return
    last = filled[-1]
    if len(filled) > 1 and len(last) > 12:
        # A heading swallowed in the last cell (the next procedure's name) is not content.
        heading = heading_in(last, reading.pos)
        if heading is not None and not heading.minor:
            reading.headings.append(heading)
            filled = filled[:-1]
    if proc.section == "forms":
        form = form_text(filled)
        if form:
            proc.forms.append(form)
    elif proc.section == "records":
        text = " ".join(c for c in filled if c not in _BULLETS)
        if text:
            proc.records.append(text)
    elif proc.section == "fields" and proc.fields:
        kv_text(proc, " ".join(filled))


def kv_text(proc: ProcDraft, text: str) -> None:
    """Text inside a key/value part: a record, or the rest of the last field's value."""
    if proc.section == "records":
        proc.records.append(text)
    elif proc.fields and fold(text) not in (MARKER, "noi dung quy trinh"):
        proc.fields[-1][1] = f"{proc.fields[-1][1]} {text}".strip()
