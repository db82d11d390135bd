"""Step tables: header recognition, tables opened and closed, rows read into step drafts.

A step table is recognised by the words of its header cells, in any column order (``TT | Trình tự |
Trách nhiệm | Thời gian | Biểu mẫu/Kết quả``; ``Bước | Trách nhiệm | Nội dung | Thời gian``; ``STT | Cơ
quan thực hiện | Công việc phải làm | Thời gian``): it needs a time column, a content or responsibility
column, and three roles at least. A header may be split over rows and paragraphs.

Rows are read from the document's item stream: a row whose first filled cell is a step id (``B1``,
``Bước 1``, or a bare number under an id column) starts a step; the rows and paragraphs after it belong
to it (``step_cells`` assembles them). A table continued after a page break, with or without a repeated
header, goes on when the numbering does; when the numbering restarts inside one procedure (``I.
Trường hợp …``, ``b) Đối với trường hợp …``), a new case starts. A closing ``Tổng thời gian giải quyết``
row gives the stated total (see docs/FORMATS.md, "Step tables").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from procreg.parsers.durations import looks_like_duration
from procreg.parsers.items import Item, header_key, trailing_roles
from procreg.parsers.procedure.headings import clean_name, heading_in, heading_since, inline_case
from procreg.parsers.procedure.state import CONTINUES, ProcDraft, Reading, StepDraft, TableState, Variant
from procreg.parsers.procedure.step_cells import build_step
from procreg.text import fold, normalize_line

__all__ = [
    "close_table",
    "finish_draft",
    "header_item",
    "open_pending_table",
    "step_role",
    "table_item",
    "take_stated_total",
]

# Step-table header words, matched on a cell's ``header_key`` (folded, parentheses removed).
_STEP_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("id", re.compile(r"^(?:tt|stt|buoc|cac buoc|ten buoc|thu tu(?: cong viec| thuc hien| buoc)?)$")),
    (
        "content",
        re.compile(
            r"^(?:trinh tu(?: thuc hien)?|noi dung(?: cong viec)?(?: cu the)?(?: thuc hien)?|"
            r"cong viec(?: phai lam| thuc hien)?|mo ta(?: cong viec)?)$"
        ),
    ),
    (
        "resp",
        re.compile(
            r"^(?:trach nhiem(?: thuc hien)?|don vi/ ?(?:nguoi|ca nhan) thuc hien|don vi thuc hien|"
            r"nguoi thuc hien|co quan(?:, don vi)? thuc hien|bo phan thuc hien|chu tri|"
            r"nguoi/don vi thuc hien)$"
        ),
    ),
    ("time", re.compile(r"^(?:thoi gian|thoi han)")),
    (
        "result",
        re.compile(
            r"^(?:bieu mau/ ?ket qua|bieu mau|ket qua|san pham|ho so/ ?bieu mau|ket qua/ ?bieu mau|"
            r"bieu mau, ket qua)$"
        ),
    ),
    ("other", re.compile(r"^(?:dich vu cong truc tuyen|ghi chu)")),
)
_STEP_ID = re.compile(r"^(?:b\s?\.?\s?(\d{1,2})|buoc\s*(\d{1,2}))\s*[.:]?$")
_NUM_ID = re.compile(r"^(\d{1,2})\s*\.?$")
_ROMAN = re.compile(r"^[IVX]{1,4}\.?$")
_TOTAL = "tong thoi gian"  # "Tổng thời gian giải quyết TTHC", folded


@lru_cache(maxsize=8192)
def step_role(cell: str) -> str | None:
    """The step-table column a header cell names ("id", "content", "resp", "time", "result", "other")."""
    if not cell or len(cell) > 90:
        return None
    key = header_key(cell)
    for role, pattern in _STEP_ROLES:
        if pattern.search(key):
            return role
    return None


def _trailing_step_roles(cells: Sequence[str]) -> tuple[int, list[str]]:
    """Roles of the trailing run of step-table header cells of a row, and where the run starts."""
    return trailing_roles(cells, step_role)


def _qualifies(roles: Sequence[str]) -> bool:
    return "time" in roles and ("content" in roles or "resp" in roles) and len(roles) >= 3


def _step_number(cell: str, numeric: bool) -> int | None:
    """The step number of an id cell (``B1``, ``Bước 1``; a bare ``1`` only under an id column)."""
    folded = fold(cell.strip())
    m = _STEP_ID.match(folded)
    if m:
        return int(m.group(1) or m.group(2))
    if numeric:
        m = _NUM_ID.match(folded)
        if m:
            return int(m.group(1))
    return None


# ------------------------------------------------------------------------------------------------
# Headers and tables


def take_stated_total(reading: Reading, item: Item) -> bool:
    """The item after a bare ``Tổng thời gian …`` label: the stated total when it reads as a duration."""
    if reading.expect_total is None:
        return False
    variant, reading.expect_total = reading.expect_total, None
    if variant.stated_total is None and looks_like_duration(item.text, max_len=200):
        variant.stated_total = item.text
        return True
    return False


def _header_row_follows(reading: Reading) -> bool:
    nxt = reading.items[reading.pos + 1] if reading.pos + 1 < len(reading.items) else None
    if nxt is None or not nxt.row:
        return False
    _, roles = _trailing_step_roles(list(nxt.cells))
    return bool(roles) and len(roles) == len(nxt.filled) and "time" in roles


def header_item(reading: Reading, item: Item, cells: list[str]) -> bool:
    """A step-table header row, or a header cell printed as a paragraph: its roles wait for the table."""
    if not item.row:
        if step_role(item.text) is None or not (reading.pending_roles or _header_row_follows(reading)):
            return False
        # A header cell printed as a paragraph ("Thứ tự công việc") before/among the header row(s).
        finish_draft(reading)
        reading.pending_roles.append(step_role(item.text) or "other")
        return True
    start, roles = _trailing_step_roles(cells)
    whole = bool(roles) and len(roles) == len(item.filled)
    if not roles or not (whole or reading.pending_roles or _qualifies(roles)):
        return False
    _prefix(reading, cells[:start])
    if whole and reading.pending_roles:
        reading.pending_roles.extend(roles)
    else:
        if reading.table is not None and not whole:
            close_table(reading)
        reading.pending_roles = list(roles)
    return True


def _prefix(reading: Reading, cells: Sequence[str]) -> None:
    """Cells before a header run: a closing total of the previous table, headings."""
    cells = [c for c in cells if c]
    if not cells:
        return
    if reading.table is not None and fold(cells[0]).startswith(_TOTAL):
        _closing(reading, cells)
        return
    for cell in cells:
        reading.add_heading(heading_in(cell, reading.pos))


def open_pending_table(reading: Reading, item: Item) -> None:
    """After a header: open the table at its first item when the roles make a step table."""
    if not reading.pending_roles:
        return
    roles, reading.pending_roles = reading.pending_roles, []
    if _qualifies(roles):
        _open_table(reading, roles, item)


def _open_table(reading: Reading, roles: list[str], item: Item) -> None:
    """A step table starts: a new procedure, a new case of the current one, or (maybe) a continuation.

    A table opened while another is open may continue it (decided on its first step: the numbering must
    go on). A key/value procedure keeps its later tables (cases); other layouts start a procedure per
    table, unless only a case heading (``a) …``) came since the current procedure's steps.
    """
    previous, proc = reading.table, reading.current
    continued = previous is not None and proc is not None
    finish_draft(reading)
    since = reading.proc_start + 1
    if not continued and (proc is None or not proc.kv):
        minor = reading.heading_since_start()
        if (
            reading.major_since_start() is None
            and minor is not None
            and minor.minor
            and proc is not None
            and proc.steps
        ):
            proc.variants.append(Variant(label=clean_name(minor.text)[0]))
            reading.table = TableState(roles=roles, proc=proc, numeric="id" in roles)
            return
        proc = reading.new_proc(item.ref, kv=False)
    assert proc is not None
    table = TableState(roles=roles, proc=proc, numeric="id" in roles)
    heading = heading_since(reading.headings, since)
    if continued and previous is not None:
        table.last_number = previous.last_number
        table.case_label = CONTINUES
    elif not proc.steps and heading is not None:
        table.case_label = inline_case(heading.text) or (
            clean_name(heading.text)[0] if heading.minor else None
        )
    reading.table = table


def close_table(reading: Reading) -> None:
    """The open step table ends (its last step is built)."""
    if reading.table is None:
        return
    finish_draft(reading)
    reading.table = None


def _closing(reading: Reading, cells: Sequence[str]) -> None:
    """A closing ``Tổng thời gian giải quyết TTHC | 168 giờ …`` row: the stated total, then the rest."""
    table = reading.table
    finish_draft(reading)
    variant = table.proc.variants[-1] if table is not None and table.proc.variants else None
    rest = list(cells)
    head = rest.pop(0)
    value = ""
    after_colon = head.split(":", 1)[1].strip() if ":" in head else ""
    if after_colon:
        value = after_colon
    elif rest and heading_in(rest[0], reading.pos) is None and step_role(rest[0]) is None:
        value = re.sub(r"^Tổng thời gian[^:]*:\s*", "", rest.pop(0))
    if variant is not None:
        if value:
            variant.stated_total = value
        else:
            reading.expect_total = variant
    close_table(reading)
    start, roles = _trailing_step_roles(rest)
    for cell in rest[:start]:
        reading.add_heading(heading_in(cell, reading.pos))
    if roles:
        reading.pending_roles = list(roles)


# ------------------------------------------------------------------------------------------------
# Rows of an open table


def table_item(reading: Reading, item: Item, cells: list[str]) -> bool:
    """Handle an item inside an open step table; False when the table ended and the item is not its."""
    table = reading.table
    assert table is not None
    filled = item.filled
    first = filled[0] if filled else ""
    if any(fold(c).startswith(_TOTAL) for c in filled[:2]):
        at = next(i for i, c in enumerate(filled) if fold(c).startswith(_TOTAL))
        _closing(reading, filled[at:])
        return True
    if (
        item.row
        and len(filled) >= 2
        and re.match(r"^\d$", first)
        and fold(filled[1]).startswith(("bieu mau", "ho so luu"))
    ):
        close_table(reading)  # "3 | BIỂU MẪU", "4 | HỒ SƠ LƯU": the key/value table goes on
        return False
    if not item.row:
        heading = heading_in(item.text, reading.pos)
        if (
            heading is not None
            and not heading.text.startswith(("Trường hợp", "- "))
            and len(item.text) > 12
            and (not heading.minor or fold(item.text).startswith(("a)", "b)", "c)", "d)")))
        ):
            close_table(reading)
            reading.headings.append(heading)
            return True
    number = _step_number(first, table.numeric and item.row) if first else None
    if number is not None:
        _step_row(reading, item, cells, number)
    else:
        _other_row(reading, table, item)
    return True


def _step_row(reading: Reading, item: Item, cells: list[str], number: int) -> None:
    """A row or paragraph that starts a step (its first filled cell is the step id)."""
    assert reading.table is not None
    filled = item.filled
    last = filled[-1]
    if item.row and len(filled) > len(reading.table.roles) and len(last) > 12:
        # The last row of a table can swallow the heading of the next procedure.
        heading = heading_in(last, reading.pos)
        if heading is not None and not heading.minor:
            reading.headings.append(heading)
            cut = len(cells) - 1 - cells[::-1].index(last)
            item = Item(tuple(cells[:cut]), True, item.ref)
    _start_step(reading, item, filled[0], number)


def _other_row(reading: Reading, table: TableState, item: Item) -> None:
    """A row that starts no step: a case heading, a note, or the continuation of the current step."""
    filled = item.filled
    first = filled[0] if filled else ""
    ffirst = fold(first)
    if (
        item.row
        and len(filled) <= 2
        and first
        and (_ROMAN.match(first) or ffirst.startswith("truong hop"))
        and not ffirst.startswith("truong hop ho so")
    ):
        finish_draft(reading)
        table.case_label = filled[-1] if _ROMAN.match(first) and len(filled) == 2 else first
    elif item.row and len(filled) == 1 and ffirst.startswith(("truong hop ho so", "ghi chu", "luu y")):
        finish_draft(reading)
        table.proc.fields.append(["Ghi chú", first])
    elif item.row and len(filled) == 1 and ffirst.startswith("quy trinh") and len(first) < 120:
        finish_draft(reading)
        table.case_label = first
    elif table.draft is not None:
        table.draft.fragments.append(item)
    # else: rows between the header and the first step (sub-headers) are no steps


def _settle_continuation(reading: Reading, table: TableState, item: Item, number: int) -> ProcDraft:
    """At the first step of a table that may continue the previous one: the procedure it fills.

    The numbering goes on: the same case. It does not: a new case of a key/value procedure (or of one
    with no heading since), else a new procedure named by the heading since.
    """
    proc = table.proc
    table.case_label = None
    if number != table.last_number + 1:
        major = reading.major_since_start()
        if proc.kv or major is None:
            proc.variants.append(Variant(label=None))
        else:
            proc = reading.new_proc(item.ref, kv=False)
            table.proc = proc
            table.case_label = inline_case(major.text)
        table.last_number = 0
    return proc


def _start_step(reading: Reading, item: Item, label: str, number: int) -> None:
    table = reading.table
    assert table is not None
    finish_draft(reading)
    proc = _settle_continuation(reading, table, item, number) if table.case_label is CONTINUES else table.proc
    case_label = table.case_label if isinstance(table.case_label, str) else None
    restart = bool(number == 1 and proc.steps and (number <= table.last_number or case_label)) or bool(
        number < table.last_number and case_label
    )
    if number <= table.last_number and not restart:
        proc.warnings.append(f"step number {label} repeats or goes back after step {table.last_number}")
    if not proc.variants or restart:
        proc.variants.append(Variant(label=case_label))
    elif case_label and not proc.steps:
        proc.variants[-1].label = proc.variants[-1].label or case_label
    table.case_label = None
    table.last_number = number
    table.draft = StepDraft(label=normalize_line(label), first=item)


def finish_draft(reading: Reading) -> None:
    """Build the step being read, if any, into the last case of its procedure."""
    table = reading.table
    if table is None or table.draft is None:
        return
    draft, table.draft = table.draft, None
    variant = table.proc.variants[-1]
    variant.steps.append(build_step(draft, table.roles, len(variant.steps) + 1, reading.aliases))
