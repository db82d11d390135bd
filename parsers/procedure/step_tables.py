"""Step tables: header recognition, tables opened and closed, rows read into step drafts.

A step table is recognised by its step column plus one known role at least, in any column order, with
any number of columns nobody listed (``TT | Trình tự | Trách nhiệm thực hiện | Sản phẩm | Thời gian |
Mức độ dịch vụ công | Phí, lệ phí (vnđ) | Ghi chú``): the known columns are mapped, the others ignored.
A header may be split over rows and paragraphs. A table with no header at all is a step table when its
first row is step 1 with a time cell and it follows a line naming the work order (``Quy trình xử lý
công việc``), or a step table just closed (a sub-case table continues the columns above it).

Rows are read from the document's item stream: a row whose first filled cell is a step id (``B1``,
``Bước 1``, or a bare number under an id column) starts a step; the rows and paragraphs after it belong
to it (``step_cells`` assembles them). A bare number counts only where the table is a step table beyond
doubt (a strong header, a step column, a work-order line above it, or time cells in its numbered rows):
a plan's task table ``TT | Nội dung | Chủ trì | Thời gian`` numbers tasks, not steps. A table continued
after a page break, with or without a repeated header, goes on when its numbering does; when the
numbering restarts inside one procedure (``I. Trường hợp …``, ``b) Đối với trường hợp …``), a new case
starts; a phase row (``B | Tại Cơ quan chuyên môn …``) restarts the numbering inside the same case.

Total rows (``Tổng thời gian giải quyết TTHC | 168 giờ``) never end a table: a total in mid-table is a
subtotal of the steps above it, the label and its value may sit in two rows, and the cells after a value
may be the next table's header (see docs/FORMATS.md, "Step tables").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from procreg.i18n import N_
from procreg.parsers.durations import looks_like_duration, parse_duration
from procreg.parsers.items import Item, header_key, header_like, header_run
from procreg.parsers.procedure.headings import clean_name, heading_in, heading_since, inline_case
from procreg.parsers.procedure.state import (
    CONTINUES,
    ProcDraft,
    Reading,
    StepDraft,
    Subtotal,
    TableState,
    Variant,
)
from procreg.parsers.procedure.step_cells import build_step
from procreg.text import fold, normalize_line

__all__ = [
    "close_table",
    "finish_draft",
    "header_item",
    "headerless_start",
    "note_work_order",
    "open_pending_table",
    "step_role",
    "table_item",
    "take_stated_total",
]

# Step-table header words, matched on a cell's ``header_key`` (folded, parentheses removed). "step" is an
# id column whose name says steps ("Bước", "Các bước"); "catalog" names a catalog column, never a step
# table's ("Tên thủ tục", "Mã TTHC": a catalog with a "Thời hạn giải quyết" column is no step table).
_STEP_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "step",
        re.compile(
            r"^(?:buoc(?: thuc hien| len lop| cong viec| xu ly)?|cac buoc(?: thuc hien)?|ten buoc|"
            r"thu tu(?: cong viec| thuc hien| buoc| cac buoc)|trinh tu cac buoc)$"
        ),
    ),
    ("id", re.compile(r"^(?:tt|stt|so tt|thu tu)$")),
    (
        "content",
        re.compile(
            r"^(?:trinh tu(?: thuc hien| cong viec| xu ly)?|"
            r"noi dung(?: cong viec)?(?: cu the)?(?: thuc hien)?|noi dung (?:cac buoc|buoc)(?: thuc hien)?|"
            r"cong viec(?: phai lam| thuc hien| can lam)?|"
            r"mo ta(?: cong viec)?|noi dung xu ly|cac buoc thuc hien cong viec)$"
        ),
    ),
    (
        "resp",
        re.compile(
            r"^(?:trach nhiem(?: thuc hien| xu ly(?: cong viec)?| giai quyet)?|"
            r"don vi/ ?(?:nguoi|ca nhan) thuc hien|don vi (?:thuc hien|xu ly|giai quyet(?: tthc)?)|"
            r"nguoi thuc hien|co quan(?:, don vi)? thuc hien|bo phan (?:thuc hien|xu ly)|chu tri|"
            r"nguoi/don vi thuc hien|phan cong(?: nhiem vu| thuc hien| xu ly)?|can bo (?:thuc hien|xu ly)|"
            r"chu the thuc hien|nguoi chiu trach nhiem|nguoi xu ly)$"
        ),
    ),
    ("time", re.compile(r"^(?:thoi gian|thoi han)")),
    (
        "result",
        re.compile(
            r"^(?:bieu mau/ ?ket qua|bieu mau|ket qua(?: thuc hien| xu ly)?|san pham(?: thuc hien| dau ra)?|"
            r"ho so/ ?bieu mau|ket qua/ ?bieu mau|bieu mau, ket qua|tai lieu/ ?bieu mau|mau bieu)$"
        ),
    ),
    (
        "other",
        re.compile(
            r"^(?:dich vu cong truc tuyen|ghi chu|muc do(?: cung cap)? dich vu cong|phi|le phi|phi, le phi|"
            r"phuong phap|phuong tien|cach thuc(?: thuc hien)?)"
        ),
    ),
    (
        "catalog",
        re.compile(
            r"^(?:ten (?:nhom |cac )?(?:thu tuc|tthc|quy trinh)|ma (?:so )?(?:tthc|thu tuc|ho so tthc)|"
            r"quyet dinh cong bo)"
        ),
    ),
)
_STEP_ID = re.compile(r"^(?:b\s?\.?\s?(\d{1,2})|buoc\s*(\d{1,2}))(?:\s*\([^)]*\))?\s*[.:]?$")
_NUM_ID = re.compile(r"^(\d{1,2})\s*\.?$")
_ROMAN = re.compile(r"^[IVX]{1,4}\.?$")
_PHASE = re.compile(r"^[A-HĐ]\.?$")
_TOTAL = "tong thoi gian"  # "Tổng thời gian giải quyết TTHC", folded
# A line that names the work order: the table after it holds steps even with bare numbers or no header.
_WORK_ORDER = re.compile(
    r"(?:quy trinh|trinh tu) (?:xu ly|giai quyet|thuc hien)|cac buoc(?: thuc hien| xu ly)|"
    r"thu tu (?:cong viec|thuc hien)|buoc thuc hien"
)
_CASE_WORDS = ("truong hop", "doi voi")
# Column names only a step table has (a plan's task table says "Nội dung", "Nhiệm vụ", "Chủ trì",
# "Sản phẩm"): under them a bare number is a step.
_SPECIFIC = re.compile(
    r"^(?:trinh tu|noi dung cong viec|noi dung (?:cac )?buoc|cong viec (?:phai lam|thuc hien|can lam)|"
    r"mo ta cong viec|cac buoc|trach nhiem|don vi/ ?(?:nguoi|ca nhan) thuc hien|nguoi/don vi thuc hien|"
    r"nguoi thuc hien|phan cong|don vi giai quyet|bo phan (?:thuc hien|xu ly)|can bo (?:thuc hien|xu ly)|"
    r"nguoi xu ly|nguoi chiu trach nhiem)"
)


def _specific(cells: Sequence[str]) -> bool:
    return any(_SPECIFIC.match(header_key(c)) for c in cells if c.strip())


@lru_cache(maxsize=8192)
def _role(cell: str) -> str | None:
    """The role a header cell names, with "step" (a Bước column) and "catalog" kept apart."""
    if not cell or len(cell) > 90:
        return None
    key = header_key(cell)
    for role, pattern in _STEP_ROLES:
        if pattern.search(key):
            return role
    return None


def step_role(cell: str) -> str | None:
    """The step-table column a header cell names ("id", "content", "resp", "time", "result", "other")."""
    role = _role(cell)
    return "id" if role == "step" else None if role == "catalog" else role


def _run(cells: Sequence[str]) -> tuple[int, list[str], int]:
    """A row's trailing header run: where it starts, its roles (unknown names as "other"), known count.

    A run holding a catalog column ("Tên thủ tục", "Mã TTHC") is no step-table header; neither is one
    with more than twice as many unknown names as known ones.
    """
    start, found = header_run(cells, _role)
    known = [r for r in found if r is not None]
    if "catalog" in known or len(found) - len(known) > 2 * len(known):
        return len(cells), [], 0
    return start, [r or "other" for r in found], len(known)


def _strong(roles: Sequence[str]) -> bool:
    """A header that can only head steps: a time column, a content or unit column, three columns."""
    known = [r for r in roles if r != "other"]
    return "time" in known and ("content" in known or "resp" in known) and len(known) >= 3


def _qualifies(roles: Sequence[str]) -> bool:
    """A step-table header: strong, or a step/id column plus one known role (unit, content, time)."""
    has_id = "id" in roles or "step" in roles
    return _strong(roles) or (has_id and any(r in ("content", "resp", "time") for r in roles))


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


def _timed(cell: str) -> bool:
    """A time cell of a step: a counted working time or an untimed value (not "Quý I/2026", "06 tháng")."""
    if not looks_like_duration(cell):
        return False
    parsed = parse_duration(cell)
    return parsed.untimed or parsed.hours is not None


def note_work_order(reading: Reading, item: Item) -> None:
    """Remember an item that names the work order ("7 | Quy trình xử lý công việc", "Trình tự thực hiện")."""
    if any(len(c) < 120 and _WORK_ORDER.search(fold(c)) for c in item.filled):
        reading.work_order_at = reading.pos


def _work_order_above(reading: Reading, within: int = 4) -> bool:
    return reading.pos - reading.work_order_at <= within


# ------------------------------------------------------------------------------------------------
# Headers and tables


def take_stated_total(reading: Reading, item: Item) -> Item | None | bool:
    """The item after a bare ``Tổng thời gian …`` label: its value when it reads as a time.

    Returns True when the item was the value and nothing else, the rest of the item (the next table's
    header swallowed after the value) to read on, or False when the item is no value (the label then
    gave no time that can be read: a warning).
    """
    if reading.expect_total is None:
        return False
    (variant, proc, label), reading.expect_total = reading.expect_total, None
    filled = item.filled
    if filled and looks_like_duration(filled[0], max_len=200):
        _record_total(reading, variant, filled[0])
        rest = list(item.cells[item.cells.index(filled[0]) + 1 :])
        return Item(tuple(rest), item.row, item.ref) if any(c.strip() for c in rest) else True
    proc.warnings.append(
        N_("total row %(label)r gives no time that can be read; no total checked") % {"label": label}
    )
    return False


def _record_total(reading: Reading, variant: Variant, value: str) -> None:
    """A total for the steps since the previous total (all of them when it is the first)."""
    start = variant.subtotals[-1].last if variant.subtotals else 0
    if start == len(variant.steps) and variant.subtotals:
        start = 0  # nothing since the last subtotal: a grand total of every step
    variant.subtotals.append(Subtotal(text=normalize_line(value), first=start, last=len(variant.steps)))


def _header_row_follows(reading: Reading) -> bool:
    nxt = reading.items[reading.pos + 1] if reading.pos + 1 < len(reading.items) else None
    if nxt is None or not nxt.row:
        return False
    _, roles, known = _run(list(nxt.cells))
    return bool(known) and len(roles) == len(nxt.filled) and "time" in roles


def header_item(reading: Reading, item: Item, cells: list[str]) -> bool:
    """A step-table header row, or a header cell printed as a paragraph: its roles wait for the table."""
    if not item.row:
        role = _role(item.text)
        if role in (None, "catalog") or not (reading.pending_roles or _header_row_follows(reading)):
            return False
        # A header cell printed as a paragraph ("Thứ tự công việc") before/among the header row(s).
        finish_draft(reading)
        reading.pending_roles.append(role or "other")
        reading.pending_specific = reading.pending_specific or _specific([item.text])
        return True
    start, roles, known = _run(cells)
    if not known:
        return False
    whole = len(roles) == len(item.filled)
    if whole and reading.pending_roles:
        reading.pending_roles.extend(roles)
        reading.pending_specific = reading.pending_specific or _specific(cells[start:])
        return True
    if not _qualifies(roles):
        # The first row of a header split over rows: only a row of header cells, outside tables.
        if not (whole and reading.table is None and known >= 2):
            return False
        reading.pending_roles, reading.pending_specific = list(roles), _specific(cells[start:])
        return True
    _prefix(reading, cells[:start])
    if reading.table is not None and (not whole or reading.table.after_total):
        close_table(reading)
    reading.pending_roles, reading.pending_specific = list(roles), _specific(cells[start:])
    reading.pending_lead = _lead_unknown(cells, start)
    return True


def _lead_unknown(cells: Sequence[str], start: int) -> int:
    """How many column names nobody knows stand right before a header run (maybe real columns)."""
    lead = 0
    while (
        start - lead > 0 and header_like(cells[start - lead - 1]) and _role(cells[start - lead - 1]) is None
    ):
        lead += 1
    return lead


def _prefix(reading: Reading, cells: Sequence[str]) -> None:
    """Cells before a header run: a closing total of the previous table, headings."""
    cells = [c for c in cells if c]
    if not cells:
        return
    if reading.table is not None and fold(cells[0]).startswith(_TOTAL):
        _total_row(reading, cells, header_after=True)
        return
    for cell in cells:
        reading.add_heading(heading_in(cell, reading.pos))


def open_pending_table(reading: Reading, item: Item) -> None:
    """After a header: open the table at its first item when the roles make a step table."""
    if not reading.pending_roles:
        return
    roles, reading.pending_roles = reading.pending_roles, []
    specific, reading.pending_specific = reading.pending_specific, False
    lead, reading.pending_lead = reading.pending_lead, 0
    if _qualifies(roles):
        _open_table(reading, roles, item, specific=specific, lead=lead)


def _confirmed_by_rows(reading: Reading, roles: Sequence[str], lead: int) -> bool:
    """The numbered rows ahead have time cells: the bare numbers are steps, not a plan's task numbers."""
    at = roles.index("id") if "id" in roles else 0
    numbered = timed = 0
    for item in reading.items[reading.pos : reading.pos + 120]:
        if not item.row:
            break
        cells = list(item.cells)
        if lead and len(cells) == len(roles) + lead:
            cells = cells[lead:]  # the unknown columns left of the known ones
        cells = cells if len(cells) == len(roles) else item.filled
        if cells and _NUM_ID.match(cells[at if len(cells) == len(roles) else 0]):
            numbered += 1
            timed += any(_timed(c) for c in cells)
    return timed >= 1 and 2 * timed >= numbered


def _open_table(
    reading: Reading,
    roles: list[str],
    item: Item,
    *,
    headerless: bool = False,
    specific: bool = False,
    lead: int = 0,
) -> None:
    """A step table starts: a new procedure, a new case of the current one, or (maybe) a continuation.

    A table opened while another is open may continue it (decided on its first step: the numbering must
    go on). A key/value procedure keeps its later tables (cases); other layouts start a procedure per
    table, unless only a case heading (``a) …``, ``2.2. Trường hợp …``) came since the current
    procedure's steps.
    """
    previous, proc = reading.table, reading.current
    continued = previous is not None and proc is not None
    finish_draft(reading)
    since = reading.proc_start + 1
    step_column = "step" in roles
    roles = ["id" if r == "step" else r for r in roles]
    # A bare number is a step under a step column or step-table words, a work-order line, or where the
    # numbered rows carry times (a plan's "STT | Nhiệm vụ | Chủ trì | Thời gian" numbers tasks done
    # "Thường xuyên", "2026").
    confirmed = (
        step_column
        or specific
        or headerless
        or _work_order_above(reading, 6)
        or _confirmed_by_rows(reading, roles, lead)
    )
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
            reading.table = TableState(roles=roles, proc=proc, numeric="id" in roles, confirmed=confirmed)
            reading.table.step_column, reading.table.opened_at = step_column, reading.pos
            reading.table.lead_unknown = lead
            return
        proc = reading.new_proc(item.ref, kv=False)
    assert proc is not None
    table = TableState(roles=roles, proc=proc, numeric="id" in roles, confirmed=confirmed)
    table.step_column, table.opened_at, table.lead_unknown = step_column, reading.pos, lead
    heading = heading_since(reading.headings, since)
    if continued and previous is not None:
        table.last_number = previous.last_number
        table.phase = previous.phase
        table.case_label = CONTINUES
    elif not proc.steps and heading is not None:
        table.case_label = inline_case(heading.text) or (
            clean_name(heading.text)[0] if heading.minor else None
        )
    reading.table = table


def headerless_start(reading: Reading, item: Item) -> bool:
    """Open a step table that has no header; True when opened.

    Its first row is step 1 with a time cell, under a work-order line or right after a step table (a
    sub-case table continues the columns above it).
    """
    if reading.table is not None or reading.pending_roles or not item.row:
        return False
    filled = item.filled
    if len(filled) < 3 or not any(_timed(c) for c in filled[1:]):
        return False
    explicit = _step_number(filled[0], False)
    number = explicit if explicit is not None else _step_number(filled[0], True)
    if number != 1:
        return False
    last = reading.last_table
    follows_table = last is not None and reading.pos - reading.last_closed_at <= 6
    if not (explicit is not None or follows_table or _work_order_above(reading)):
        return False
    if follows_table and last is not None and len(last.roles) >= len(filled) - 1:
        roles = list(last.roles)
    else:
        roles = _roles_of_row(filled)
    phase = _phase_above(reading)
    _open_table(reading, roles, item, headerless=True)
    if reading.table is not None:
        reading.table.phase = phase
        reading.table.step_column = explicit is not None
    return True


def _roles_of_row(filled: Sequence[str]) -> list[str]:
    """Column roles read off a first step row: id, content, the units, the time, the results."""
    at = next(i for i, c in enumerate(filled) if i and _timed(c))
    middle = ["content", *(["resp"] * (at - 2)), "time"] if at >= 2 else ["time"]
    return ["id", *middle, *(["result"] * (len(filled) - at - 1))]


def _phase_above(reading: Reading) -> str | None:
    """The phase row just above a table's first row (``A | Các bước chuẩn bị``), if any."""
    if reading.pos == 0:
        return None
    above = reading.items[reading.pos - 1]
    filled = above.filled
    if above.row and len(filled) == 2 and _PHASE.match(filled[0]) and not _is_case(filled[1]):
        return filled[0].rstrip(".")
    return None


def _is_case(text: str) -> bool:
    return fold(text).startswith(_CASE_WORDS)


def close_table(reading: Reading) -> None:
    """The open step table ends (its last step is built); a table that gave no step is reported."""
    table = reading.table
    if table is None:
        return
    finish_draft(reading)
    reading.table = None
    reading.last_table, reading.last_closed_at = table, reading.pos
    if table.steps_made == 0 and table.step_column:
        where = reading.items[table.opened_at].ref.describe()
        reading.warnings.append(
            N_(
                "%(where)s: a table with a step column gives no step (its rows have no step id that can be "
                "read)"
            )
            % {"where": where}
        )


def _total_row(reading: Reading, cells: Sequence[str], *, header_after: bool = False) -> None:
    """A ``Tổng thời gian giải quyết TTHC | 168 giờ …`` row: a (sub)total of the steps above it.

    The table stays open: steps after a subtotal belong to it ("… ở cấp xã là: | 40 giờ", then the
    province's steps). The value is after the label's colon or in the next cell, else in the next item;
    cells after the value may be headings or the next table's header.
    """
    table = reading.table
    finish_draft(reading)
    if table is None or not table.proc.variants:
        return
    variant = table.proc.variants[-1]
    rest = list(cells)
    head = rest.pop(0)
    value = head.split(":", 1)[1].strip() if ":" in head else ""
    if not value and rest and heading_in(rest[0], reading.pos) is None and step_role(rest[0]) is None:
        value = re.sub(r"^Tổng thời gian[^:]*:\s*", "", rest.pop(0))
    table.after_total = True
    if value and (looks_like_duration(value, max_len=200) or parse_duration(value).hours is not None):
        _record_total(reading, variant, value)
    elif value:
        table.proc.warnings.append(
            N_("total row %(label)r gives no time that can be read (%(value)r)")
            % {"label": head, "value": value}
        )
    elif not rest:
        reading.expect_total = (variant, table.proc, head)
    start, roles, known = _run(rest)
    headings = [h for h in (heading_in(cell, reading.pos) for cell in rest[:start]) if h is not None]
    reading.headings.extend(headings)
    if (known and _qualifies(roles)) or header_after or any(not h.minor for h in headings):
        close_table(reading)  # the next procedure's heading or table header came with the total
        if known and _qualifies(roles):
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
        _total_row(reading, filled[at:])
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
            and (
                not heading.minor
                or fold(item.text).startswith(("a)", "b)", "c)", "d)"))
                or _case_heading(item)
            )
        ):  # a heading ends the table; a case heading ("2.2. Trường hợp …") makes the next table a case
            close_table(reading)
            reading.headings.append(heading)
            return True
    numeric = table.numeric and table.confirmed and item.row
    if table.lead_unknown and item.row and len(item.cells) == len(table.roles) + table.lead_unknown:
        item = Item(item.cells[table.lead_unknown :], True, item.ref)  # the unknown leading columns
        filled = item.filled
        first = filled[0] if filled else ""
    item, first = _id_first(table, item, first, numeric)
    cells = list(item.cells)
    number = _step_number(first, numeric) if first else None
    if number is not None:
        _step_row(reading, item, cells, number)
    else:
        _other_row(reading, table, item)
    return True


def _id_first(table: TableState, item: Item, first: str, numeric: bool) -> tuple[Item, str]:
    """A row whose step column is not the first one (``Nội dung | Bước | Thời gian``), its id cell first.

    Moved to the front, the id makes the row read like any other (the roles keep their order without it).
    """
    if "id" not in table.roles or not item.row:
        return item, first
    at = table.roles.index("id")
    cells = list(item.cells)
    if at == 0 or len(cells) != len(table.roles) or _step_number(cells[at], numeric) is None:
        return item, first
    return Item((cells[at], *cells[:at], *cells[at + 1 :]), True, item.ref), cells[at]


def _case_heading(item: Item) -> bool:
    """A numbered case heading between sub-case tables: ``2.2. Trường hợp điều chỉnh …``."""
    m = re.match(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\))\s+(.*)$", item.text)
    return m is not None and _is_case(m.group(1))


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
    """A row that starts no step: a phase, a case heading, a note, or the continuation of the current step."""
    filled = item.filled
    first = filled[0] if filled else ""
    ffirst = fold(first)
    if (
        item.row
        and len(filled) == 2
        and _PHASE.match(first)
        and not _is_case(filled[1])
        and len(filled[1]) < 200
    ):
        finish_draft(reading)  # "B | Tại Cơ quan chuyên môn …": the numbering restarts in the same case
        table.phase, table.last_number = first.rstrip("."), 0
    elif (
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
        table.phase = None
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
        proc.warnings.append(
            N_("step number %(label)s repeats or goes back after step %(last)d")
            % {"label": label, "last": table.last_number}
        )
    elif number > table.last_number + 1 and not restart:
        missing = ", ".join(str(n) for n in range(table.last_number + 1, number))
        if table.last_number:
            proc.warnings.append(
                N_("step numbers skip: %(label)s follows step %(last)d; step %(missing)s is missing")
                % {"label": label, "last": table.last_number, "missing": missing}
            )
        else:
            proc.warnings.append(
                N_("step numbers skip: %(label)s is the first step; step %(missing)s is missing")
                % {"label": label, "missing": missing}
            )
    if not proc.variants or restart:
        proc.variants.append(Variant(label=case_label))
    elif case_label and not proc.steps:
        proc.variants[-1].label = proc.variants[-1].label or case_label
    table.case_label = None
    table.last_number = number
    table.after_total = False
    printed = normalize_line(label)
    table.draft = StepDraft(label=f"{table.phase}.{printed}" if table.phase else printed, first=item)


def finish_draft(reading: Reading) -> None:
    """Build the step being read, if any, into the last case of its procedure."""
    table = reading.table
    if table is None or table.draft is None:
        return
    draft, table.draft = table.draft, None
    variant = table.proc.variants[-1]
    variant.steps.append(build_step(draft, table.roles, len(variant.steps) + 1, reading.aliases))
    table.steps_made += 1
