"""Procedure extraction: internal procedures (quy trình nội bộ) and their steps, from any layout.

Layouts handled (DOMAIN.md (a), (b)):

* Hà Tĩnh annexes: per procedure a heading ``1. <tên TTHC>`` and a key/value table
  ``1 | KÝ HIỆU QUY TRÌNH | QT.GĐ.01``, ``2 | NỘI DUNG QUY TRÌNH`` with rows ``2.1`` … ``2.10`` (kept in
  ``fields``; ``2.5`` gives the time limit), the step table under ``2.10``, ``3 | BIỂU MẪU`` (forms) and
  ``4 | HỒ SƠ LƯU`` (records).
* Step tables under a per-procedure heading (Nghệ An, Cao Bằng, Bắc Ninh, Hà Nội): the procedure name is
  the heading above the table; a closing ``Tổng thời gian giải quyết TTHC`` row gives the stated total.
* Prose steps ``Bước 3: Trong thời gian 07 ngày làm việc …, Sở Ngoại vụ thẩm định …``.
* Stand-alone ISO 9001 procedure documents: ``Mã hiệu/Mã số/Ký hiệu``, ``Lần ban hành``, dates, signers,
  revision table, sections ``Mục đích`` … ``Hồ sơ cần lưu``.

Step tables are recognised by their header words in any column order (``TT | Trình tự | Trách nhiệm |
Thời gian | Biểu mẫu/Kết quả``; ``Bước | Trách nhiệm | Nội dung | Thời gian``; ``STT | Cơ quan thực hiện |
Công việc phải làm | Thời gian``). Real text is messy, so rows are read from a linear stream of items
(paragraphs and rows, table boundaries ignored): a row shifted right by empty cells is re-aligned on its
step id; a step split over several rows and paragraphs (a PDF page break inside a row) is re-assembled,
anchored on its time cell; a table continued after a page break, with or without a repeated header,
is joined when the step numbering continues. When the numbering restarts inside one procedure (cases
``I. Trường hợp …``, ``b) Đối với trường hợp …``), each case becomes its own ``Procedure`` named
``<name> (<case>)`` with the same code: a warning says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from procreg.parsers.catalog import codes_in, fold_name
from procreg.parsers.durations import find_duration, looks_like_duration, parse_duration
from procreg.parsers.items import Item, document_items, header_key, trailing_roles
from procreg.parsers.units import find_units, split_units
from procreg.registry.models import CatalogEntry, Procedure, RawDocument, Revision, SourceRef, Step
from procreg.text import fold, normalize_line
from procreg.text.dates import iso_date

__all__ = ["extract_procedures", "step_role"]

log = logging.getLogger(__name__)

# The look-ahead refuses a code cut short by a placeholder ("QT.NV.0n" is no code "QT.NV").
_QT_CODE = re.compile(r"\bQT[\s.\-]*[A-ZĐ0-9]+(?:[.\-][A-ZĐ0-9]+)*\b(?![.\-]?\w)")
_ANY_CODE = re.compile(r"\b[A-ZĐ]{2,}[A-ZĐ0-9]*(?:[.\-/][A-ZĐ0-9]+)+\b")
_STEP_ID = re.compile(r"^(?:b\s?\.?\s?(\d{1,2})|buoc\s*(\d{1,2}))\s*[.:]?$")
_NUM_ID = re.compile(r"^(\d{1,2})\s*\.?$")
_ROMAN = re.compile(r"^[IVX]{1,4}\.?$")
_INLINE_STEP = re.compile(r"(?:(?<=\s)|^)(?:[-–+•]\s*)?Bước\s*(\d{1,2})\s*[:.]\s*")
_SUBSECTION = re.compile(r"\s(?:\d{1,2}\.\d{1,2}\.?|[a-dđ]\))\s+[A-ZĐÀ-Ỹ]|\s\d{1,2}\.\s+[A-ZĐ][a-zđà-ỹ]")
_PROSE_STEP = re.compile(r"^Bước\s*(\d{1,2})\s*[:.)–-]\s*(.+)$", re.IGNORECASE)
_FIELD_ID = re.compile(r"^2\.(\d{1,2})\.?$")
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_DATE_LONG = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)

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
# Headings (procedure names)

_HEAD_START = re.compile(r"^(?P<num>\d{1,2}|[IVX]{1,4})\.\s+(?P<body>\S.*)$")
_MINOR_START = re.compile(r"^(?:[a-zđ]\)\s+|Trường hợp\s)(?P<body>.+)$")
_INNER_HEAD = re.compile(r"(?:(?<=\s)|(?<=^))(?P<num>\d{1,2}|[IVX]{1,4}) ?\.\s*(?=\S)")
_CODE_PARENS_END = re.compile(r"\([^()]*\b(?:ma|ky hieu)\b[^()]*\)\s*$")
_HEAD_CONTEXT = ("quy trinh", "phan ", "phu luc", "linh vuc", "danh muc", "kem theo", "noi dung")


@dataclass(frozen=True, slots=True)
class _Heading:
    text: str  # the last heading of the paragraph/cell
    minor: bool
    pos: int
    alts: tuple[str, ...] = ()  # every heading segment of the paragraph/cell, in order
    named: bool = False  # a "Tên thủ tục: …" line: it names the procedure


# "Tên thủ tục: …", "Tên TTHC: …", "Tên quy trình: …": a line that names the procedure.
_NAME_LINE = re.compile(
    r"^Tên (?:thủ tục|TTHC|quy trình)(?: hành chính)?(?: nội bộ)?\s*:\s*(?P<name>\S.{4,})$", re.IGNORECASE
)
# A heading segment that carries its national code ("… (Mã TTHC: 1.012657, ký hiệu: QTTP-14)").
_CODED_SEGMENT = re.compile(r"\(\s*mã\s+(?:TTHC|số)\b", re.IGNORECASE)


def _coded_heading(segment: str) -> bool:
    """A short heading that ends on its code: ``II. Thủ tục … (Mã TTHC: 1.012657, ký hiệu: QTTP-14)``."""
    m = _CODED_SEGMENT.search(segment)
    return m is not None and m.start() <= 300 and ":" not in segment[: m.start()] and len(segment) <= 400


def _heading_in(text: str, pos: int) -> _Heading | None:
    """A procedure heading in a paragraph or a (swallowed) cell, or None."""
    text = normalize_line(text)
    if len(text) < 6:
        return None
    named = _NAME_LINE.match(text)
    if named:
        return _Heading(named.group("name"), False, pos, (named.group("name"),), named=True)
    m = _HEAD_START.match(text)
    starts_heading = bool(m and m.group("body")[:1].isupper() and not re.match(r"^\d", m.group("body")))
    if (
        not starts_heading
        and _MINOR_START.match(text)
        and len(text) < 250
        and not fold(text).startswith("truong hop ho so")
    ):
        return _Heading(text, True, pos, (text,))
    starts = [0] if starts_heading else []
    for inner in _INNER_HEAD.finditer(text):
        if inner.start() == 0:
            continue
        body = text[inner.end() :]
        if not body[:1].isupper():
            continue
        before = fold(text[: inner.start()])
        if re.search(r"(?:dieu|khoan|so|muc|diem|tai)\s*$", before):
            continue
        if starts and _CODE_PARENS_END.search(before):
            # "II. Thủ tục … (Mã TTHC: 1.012657, ký hiệu: QTTP-14) 1. Cơ sở pháp lý …": the name ends there.
            starts.append(inner.start())
            continue
        if (
            not starts_heading
            and not any(w in before for w in _HEAD_CONTEXT)
            and not re.search(r"[A-ZĐ]{4,}\s*$", text[: inner.start()])
            and not re.match(r"^.{5,250}?\(\s*ma (?:tthc|so)", fold(body))
        ):
            continue
        starts.append(inner.start())
    if not starts:
        return None
    ends = [*starts[1:], len(text)]
    segments = tuple(text[start:end].strip() for start, end in zip(starts, ends, strict=True))
    return _Heading(segments[-1], False, pos, segments)


_GENERIC_HEADING = re.compile(
    r"^(?:quy trinh(?: noi bo)? (?:giai quyet|xu ly)(?: cong viec)?|trinh tu(?: thuc hien)?|"
    r"noi dung(?: cong viec)?|co so phap ly|thanh phan(?: ho so)?|cach thuc.*|thoi gian.*|thoi han.*|"
    r"(?:cac )?bieu mau.*|ho so luu|ket qua.*|doi tuong.*|le phi.*|phi.*|dieu kien.*|so luong.*|"
    r"dia chi.*|noi tiep nhan.*|yeu cau.*|can cu.*|thanh phan.*)$"
)


def _clean_name(heading: str) -> tuple[str, list[str]]:
    """A procedure name from a heading, and the national codes printed in it."""
    codes = codes_in([heading])
    name = normalize_line(heading)
    name = re.sub(r"^(?:\d{1,2}|[IVX]{1,4})\s*\.\s*", "", name)
    name = re.sub(r"^[a-zđ]\)\s+", "", name)
    minor = re.search(r"\s[a-dđ]\)\s+(?:Đối với|Trường hợp)", name)
    if minor:
        name = name[: minor.start()]
    quoted = re.search(r"[“\"]([^”\"]{6,})[”\"]", name)
    if quoted:
        name = quoted.group(1)
    name = re.sub(r"\[\d+\]", "", name)
    name = re.sub(r"\((?:[^()]*\b(?:mã|ký hiệu)\b[^()]*)\)?", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\(\s*[\d.]+\s*\)?", "", name)
    name = re.sub(
        r"^(?:Quy trình(?: nội bộ| trong)?(?: liên thông)?|Liên thông)(?:,? quy trình điện tử)?"
        r"(?: giải quyết)?(?: (?:TTHC|thủ tục hành chính))?\s*:\s*",
        "",
        name,
        flags=re.IGNORECASE,
    )
    name = re.sub(
        r"^Quy trình nội bộ giải quyết (?:TTHC|thủ tục hành chính)\s+", "", name, flags=re.IGNORECASE
    )
    sub = re.search(r"\s\d{1,2}\.\d{1,2}\.?\s", name)
    if sub and sub.start() > 10:
        name = name[: sub.start()]
    cut = re.search(r"\s(?:Trường hợp thuộc|Thứ tự công việc)\b", name)
    if cut and cut.start() > 10:
        name = name[: cut.start()]
    name = normalize_line(name).strip(" \"“”'.:;-")
    if name[:1].islower():
        name = name[:1].upper() + name[1:]
    return name, codes


def _inline_case(heading: str) -> str | None:
    """The first case printed inside a procedure heading (``… a) Đối với trường hợp …``)."""
    m = re.search(r"\s[a-dđ]\)\s+((?:Đối với|Trường hợp).+)$", heading)
    return normalize_line(m.group(1)).rstrip(".:;") if m else None


# ------------------------------------------------------------------------------------------------
# Builders


@dataclass
class _StepDraft:
    label: str
    number: int
    first: Item
    id_index: int
    fragments: list[Item] = field(default_factory=list)


@dataclass
class _Variant:
    label: str | None
    steps: list[Step] = field(default_factory=list)
    stated_total: str | None = None


@dataclass
class _Proc:
    name: str
    heading_codes: list[str]
    source: SourceRef
    code: str | None = None
    kv: bool = False
    section: str | None = None
    fields: list[list[str]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    variants: list[_Variant] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    iso: dict[str, str] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)
    time_limit: str | None = None

    @property
    def steps(self) -> list[Step]:
        return self.variants[-1].steps if self.variants else []


@dataclass
class _Table:
    roles: list[str]
    proc: _Proc
    numeric: bool
    draft: _StepDraft | None = None
    case_label: str | None = None
    last_number: int = 0
    closed: bool = False


class _Extractor:
    def __init__(
        self, items: list[Item], unit_aliases: Mapping[str, str] | None, catalog: Sequence[CatalogEntry] = ()
    ) -> None:
        self.items = items
        self.catalog = catalog
        self.aliases = unit_aliases
        self.procs: list[_Proc] = []
        self.current: _Proc | None = None
        self.table: _Table | None = None
        self.last_table: _Table | None = None
        self.headings: list[_Heading] = []
        self.proc_start = -1
        self.pending_roles: list[str] = []
        self.expect_code = 0
        self.expect_total: _Variant | None = None
        self.prose: list[tuple[int, str, Item]] = []
        self.warnings: list[str] = []
        self.pos = 0

    # -- procedures -------------------------------------------------------------------------------
    def _heading_since(self, start: int) -> _Heading | None:
        for heading in reversed(self.headings):
            if heading.pos < start:
                return None
            return heading
        return None

    def _major_since(self, start: int) -> _Heading | None:
        for heading in reversed(self.headings):
            if heading.pos < start:
                return None
            if not heading.minor:
                return heading
        return None

    def _choose_name(self) -> tuple[str, list[str], str | None]:
        """Name, printed national codes and printed procedure code from the headings above a procedure.

        A heading that names a catalog entry wins; else the latest heading that is not a section title
        ("6. Quy trình giải quyết", "1. Cơ sở pháp lý").
        """
        recent = [h for h in reversed(self.headings) if h.pos > self.proc_start and not h.minor]
        if not recent:
            last = self._major_since(-1)
            recent = [last] if last is not None else []
        segments = [seg for h in recent for seg in reversed(h.alts or (h.text,))]
        chosen: str | None = None
        for seg in segments:
            name, codes = _clean_name(seg)
            if name and _match_catalog(name, codes, self.catalog) is not None:
                chosen = seg
                break
        if chosen is None:
            # A "Tên thủ tục: …" line, else a heading carrying the national code, names the procedure;
            # failing both, the latest heading that is not a section title ("6. Quy trình giải quyết").
            named = [seg for h in recent if h.named for seg in h.alts]
            coded = [seg for seg in segments if _coded_heading(seg)]
            chosen = next(iter(named or coded), None)
        if chosen is None:
            chosen = next((g for g in segments if not _GENERIC_HEADING.match(fold(_clean_name(g)[0]))), None)
        if chosen is None:
            return "", [], None
        name, codes = _clean_name(chosen)
        m = re.search(r"ký hiệu(?: quy trình)?\s*:\s*([A-ZĐ][\wĐ.\-]*\d)", chosen, re.IGNORECASE)
        return name, codes, m.group(1) if m else None

    def _new_proc(self, ref: SourceRef, *, kv: bool) -> _Proc:
        name, codes, code = self._choose_name()
        proc = _Proc(name=name, heading_codes=codes, source=ref, kv=kv, code=code)

        self.procs.append(proc)
        self.current = proc
        self.proc_start = self.pos
        return proc

    # -- main loop --------------------------------------------------------------------------------
    def run(self) -> None:
        for pos, item in enumerate(self.items):
            self.pos = pos
            self._feed(item)
        self._close_table()
        self._flush_prose()

    def _feed(self, item: Item) -> None:
        cells = list(item.cells)
        folded = fold(item.text)
        if self.expect_total is not None:
            variant, self.expect_total = self.expect_total, None
            if variant.stated_total is None and looks_like_duration(item.text, max_len=200):
                variant.stated_total = item.text
                return
        if self.expect_code and self.current is not None:
            self.expect_code -= 1
            m = _QT_CODE.search(item.text)
            if m and self.current.code is None and len(item.filled) <= 2:
                self.current.code = _norm_code(m.group(0))
                return
        # A procedure's key/value table starts: "1 | KÝ HIỆU QUY TRÌNH | QT.GĐ.01".
        if "ky hieu quy trinh" in folded:
            self._marker(item, cells)
            return
        if item.row:
            start, roles = _trailing_step_roles(cells)
            whole = bool(roles) and len(roles) == len(item.filled)
            if roles and (whole or self.pending_roles or _qualifies(roles)):
                self._prefix(cells[:start])
                if whole and self.pending_roles:
                    self.pending_roles.extend(roles)
                else:
                    if self.table is not None and not whole:
                        self._close_table()
                    self.pending_roles = list(roles)
                return
        elif step_role(item.text) is not None and (self.pending_roles or self._header_row_follows()):
            # A header cell printed as a paragraph ("Thứ tự công việc") before/among the header row(s).
            self._finish_draft()
            self.pending_roles.append(step_role(item.text) or "other")
            return
        if self.pending_roles:
            roles, self.pending_roles = self.pending_roles, []
            if _qualifies(roles):
                self._open_table(roles, item)
        if self.table is not None and self._table_item(item, cells):
            return
        self._outside(item)

    def _header_row_follows(self) -> bool:
        nxt = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else None
        if nxt is None or not nxt.row:
            return False
        start, roles = _trailing_step_roles(list(nxt.cells))
        return bool(roles) and len(roles) == len(nxt.filled) and "time" in roles

    def _prefix(self, cells: Sequence[str]) -> None:
        """Cells before a header run: a closing total of the previous table, headings."""
        cells = [c for c in cells if c]
        if not cells:
            return
        if self.table is not None and fold(cells[0]).startswith("tong thoi gian"):
            self._closing(cells)
            return
        for cell in cells:
            heading = _heading_in(cell, self.pos)
            if heading:
                self.headings.append(heading)

    def _marker(self, item: Item, cells: list[str]) -> None:
        self._close_table()
        self._flush_prose()
        idx = next((i for i, c in enumerate(cells) if "ky hieu quy trinh" in fold(c)), 0)
        for cell in cells[:idx]:
            heading = _heading_in(cell, self.pos)
            if heading:
                self.headings.append(heading)
        proc = self._new_proc(item.ref, kv=True)
        m = _QT_CODE.search(" ".join(cells[idx:]))
        if m:
            proc.code = _norm_code(m.group(0))
        else:
            self.expect_code = 2
        proc.section = "fields"

    def _open_table(self, roles: list[str], item: Item) -> None:
        previous = self.table
        proc = self.current
        continued = False
        if previous is not None and not previous.closed and proc is not None:
            continued = True  # decided on the first step row (numbering must continue)
        self._finish_draft()
        since = self.proc_start + 1
        if previous is not None:
            previous.closed = True
        # A key/value procedure keeps its later tables (cases); other layouts start a procedure per table.
        if not continued and (proc is None or not proc.kv):
            major = self._major_since(self.proc_start + 1)
            minor = self._heading_since(self.proc_start + 1)
            if major is None and minor is not None and minor.minor and proc is not None and proc.steps:
                proc.variants.append(_Variant(label=_clean_name(minor.text)[0]))
                self.table = _Table(roles=roles, proc=proc, numeric="id" in roles)
                return
            proc = self._new_proc(item.ref, kv=False)
        assert proc is not None
        table = _Table(roles=roles, proc=proc, numeric="id" in roles)
        heading = self._heading_since(since)
        if not continued and not proc.steps and heading is not None:
            table.case_label = _inline_case(heading.text) or (
                _clean_name(heading.text)[0] if heading.minor else None
            )
        if continued and previous is not None:
            table.last_number = previous.last_number
            table.case_label = "__continued__"
        self.table = table

    def _close_table(self) -> None:
        if self.table is None:
            return
        self._finish_draft()
        self.table.closed = True
        self.last_table = self.table
        self.table = None

    # -- inside a step table ----------------------------------------------------------------------
    def _table_item(self, item: Item, cells: list[str]) -> bool:
        """Handle an item inside an open step table; False when the table ended and the item is not its."""
        table = self.table
        assert table is not None
        filled = item.filled
        first = filled[0] if filled else ""
        ffirst = fold(first)
        if any(fold(c).startswith("tong thoi gian") for c in filled[:2]):
            at = next(i for i, c in enumerate(filled) if fold(c).startswith("tong thoi gian"))
            self._closing(filled[at:])
            return True
        if (
            item.row
            and len(filled) >= 2
            and re.match(r"^\d$", first)
            and fold(filled[1]).startswith(("bieu mau", "ho so luu"))
        ):
            self._close_table()
            return False
        if not item.row:
            heading = _heading_in(item.text, self.pos)
            if (
                heading is not None
                and not heading.text.startswith(("Trường hợp", "- "))
                and len(item.text) > 12
                and (not heading.minor or fold(item.text).startswith(("a)", "b)", "c)", "d)")))
            ):
                self._close_table()
                self.headings.append(heading)
                return True
        # Step start: a row whose first filled cell is a step id (after shifted empties), or an id paragraph.
        id_index = next((i for i, c in enumerate(cells) if c.strip()), 0)
        number = _step_number(first, table.numeric and item.row) if first else None
        if number is not None:
            last = filled[-1]
            if item.row and len(filled) > len(table.roles) and len(last) > 12:
                # The last row of a table can swallow the heading of the next procedure.
                heading = _heading_in(last, self.pos)
                if heading is not None and not heading.minor:
                    self.headings.append(heading)
                    cut = len(cells) - 1 - cells[::-1].index(last)
                    item = Item(tuple(cells[:cut]), True, item.ref)
            self._start_step(item, first, number, id_index)
            return True
        if (
            item.row
            and len(filled) <= 2
            and first
            and (_ROMAN.match(first) or ffirst.startswith("truong hop"))
            and not ffirst.startswith("truong hop ho so")
        ):
            label = filled[-1] if _ROMAN.match(first) and len(filled) == 2 else first
            self._finish_draft()
            table.case_label = label
            return True
        if item.row and len(filled) == 1 and ffirst.startswith(("truong hop ho so", "ghi chu", "luu y")):
            self._finish_draft()
            table.proc.fields.append(["Ghi chú", first])
            return True
        if item.row and len(filled) == 1 and ffirst.startswith("quy trinh") and len(first) < 120:
            self._finish_draft()
            table.case_label = first
            return True
        if table.draft is not None:
            table.draft.fragments.append(item)
            return True
        return True  # rows between the header and the first step (sub-headers): not steps

    def _closing(self, cells: Sequence[str]) -> None:
        """A closing ``Tổng thời gian giải quyết TTHC | 168 giờ …`` row: the stated total, then the rest."""
        table = self.table
        self._finish_draft()
        variant = table.proc.variants[-1] if table is not None and table.proc.variants else None
        rest = list(cells)
        head = rest.pop(0)
        value = ""
        after_colon = head.split(":", 1)[1].strip() if ":" in head else ""
        if after_colon:
            value = after_colon
        elif rest and not _heading_in(rest[0], self.pos) and step_role(rest[0]) is None:
            value = re.sub(r"^Tổng thời gian[^:]*:\s*", "", rest.pop(0))
        if variant is not None:
            if value:
                variant.stated_total = value
            else:
                self.expect_total = variant
        self._close_table()
        start, roles = _trailing_step_roles(rest)
        for cell in rest[:start]:
            heading = _heading_in(cell, self.pos)
            if heading:
                self.headings.append(heading)
        if roles:
            self.pending_roles = list(roles)

    def _start_step(self, item: Item, label: str, number: int, id_index: int) -> None:
        table = self.table
        assert table is not None
        self._finish_draft()
        proc = table.proc
        if table.case_label == "__continued__":
            table.case_label = None
            if number != table.last_number + 1:
                # Not a continuation after all: a new procedure (or case) starts here.
                major = self._major_since(self.proc_start + 1)
                if proc.kv or major is None:
                    proc.variants.append(_Variant(label=None))
                else:
                    proc = self._new_proc(item.ref, kv=False)
                    table.proc = proc
                    table.case_label = _inline_case(major.text)
                table.last_number = 0
        restart = (number == 1 and proc.steps and (number <= table.last_number or table.case_label)) or (
            number < table.last_number and table.case_label
        )
        if number <= table.last_number and not restart:
            proc.warnings.append(f"step number {label} repeats or goes back after step {table.last_number}")
        if not proc.variants or restart:
            proc.variants.append(_Variant(label=table.case_label))
        elif table.case_label and not proc.steps:
            proc.variants[-1].label = proc.variants[-1].label or table.case_label
        table.case_label = None
        table.last_number = number
        table.draft = _StepDraft(label=normalize_line(label), number=number, first=item, id_index=id_index)

    def _finish_draft(self) -> None:
        table = self.table
        if table is None or table.draft is None:
            return
        draft, table.draft = table.draft, None
        variant = table.proc.variants[-1]
        step = _build_step(draft, table.roles, len(variant.steps) + 1, self.aliases)
        variant.steps.append(step)

    # -- outside step tables ----------------------------------------------------------------------
    def _outside(self, item: Item) -> None:
        proc = self.current
        if proc is None or not proc.kv:
            long_texts = [c for c in item.filled if len(c) > 200 and "Bước" in c]
            if long_texts and any([self._inline_prose(c, item) for c in long_texts]):
                return
        if not item.row:
            m = _PROSE_STEP.match(item.text)
            if m:
                self.prose.append((int(m.group(1)), item.text, item))
                return
            self._flush_prose()
            limit = re.match(r"^Thời (?:hạn|gian) giải quyết\s*:\s*(.+)$", item.text, re.IGNORECASE)
            proc = self.current
            if limit and proc is not None and not proc.kv and proc.steps and proc.time_limit is None:
                proc.time_limit = limit.group(1).strip()
                return
            heading = _heading_in(item.text, self.pos)
            if heading is not None:
                self.headings.append(heading)
            if proc is not None and proc.kv and proc.section in ("fields", "records") and not heading:
                self._kv_text(proc, item.text)
            return
        self._flush_prose()
        if proc is not None and proc.kv:
            self._kv_row(proc, item)
            return
        if item.filled and re.match(r"^\d{1,3}\.?$", item.filled[0]):
            # A catalog data row: only a swallowed cell at its end can carry a heading.
            cells_to_scan = item.filled[3:]
        else:
            cells_to_scan = item.filled
        for cell in cells_to_scan:
            heading = _heading_in(cell, self.pos) if len(cell) > 12 else None
            if heading is not None:
                self.headings.append(heading)

    def _kv_row(self, proc: _Proc, item: Item) -> None:
        filled = item.filled
        if not filled:
            return
        first = filled[0]
        ffirst = fold(first)
        second = fold(filled[1]) if len(filled) > 1 else ""
        if re.match(r"^\d$", first) and second.startswith("bieu mau"):
            proc.section = "forms"
            return
        if re.match(r"^\d$", first) and second.startswith("ho so luu"):
            proc.section = "records"
            return
        if re.match(r"^\d$", first) and second.startswith("noi dung quy trinh"):
            proc.section = "fields"
            return
        if ffirst.startswith("noi dung quy trinh") or (len(filled) == 1 and re.match(r"^\d$", first)):
            return
        m = _FIELD_ID.match(first)
        if m and len(filled) >= 2:
            proc.section = "fields"
            text = " ".join(filled[1:])
            title, _, value = text.partition(":")
            proc.fields.append([f"{first.rstrip('.')} {title.strip()}", value.strip()])
            return
        # A heading swallowed in the last cell (the next procedure's name) is not content.
        for cell in filled:
            heading = _heading_in(cell, self.pos) if len(cell) > 12 else None
            if heading is not None and not heading.minor and cell is filled[-1] and len(filled) > 1:
                self.headings.append(heading)
                filled = filled[:-1]
                break
        if proc.section == "forms":
            form = _form_text(filled)
            if form:
                proc.forms.append(form)
        elif proc.section == "records":
            text = " ".join(c for c in filled if c not in ("-", "+", "•"))
            if text:
                proc.records.append(text)
        elif proc.section == "fields" and proc.fields:
            self._kv_text(proc, " ".join(filled))

    def _kv_text(self, proc: _Proc, text: str) -> None:
        if proc.section == "records":
            proc.records.append(text)
        elif proc.fields and fold(text) not in ("ky hieu quy trinh", "noi dung quy trinh"):
            proc.fields[-1][1] = f"{proc.fields[-1][1]} {text}".strip()

    def _inline_prose(self, text: str, item: Item) -> bool:
        """Steps written inline in one long text: ``… 1.1. Trình tự thực hiện - Bước 1: … - Bước 2: …``.

        Each run of steps numbered from 1 becomes a procedure named by the heading just before it.
        """
        marks = list(_INLINE_STEP.finditer(text))
        if len(marks) < 2:
            return False
        runs: list[list[re.Match[str]]] = []
        for mark in marks:
            if not runs or int(mark.group(1)) <= int(runs[-1][-1].group(1)):
                runs.append([])
            runs[-1].append(mark)
        made = False
        previous_end = 0
        for run in runs:
            if len(run) < 2 or int(run[0].group(1)) != 1:
                previous_end = run[-1].end()
                continue
            heading = _heading_in(text[previous_end : run[0].start()], self.pos)
            if heading is not None:
                self.headings.append(heading)
            self._flush_prose()
            proc = self._new_proc(item.ref, kv=False)
            proc.variants.append(_Variant(label=None))
            for i, mark in enumerate(run):
                end = run[i + 1].start() if i + 1 < len(run) else len(text)
                body = text[mark.end() : end]
                stop = _SUBSECTION.search(body)
                if stop:
                    body = body[: stop.start()]
                body = normalize_line(body[:1500]).rstrip(" -;")
                duration = find_duration(body)
                proc.variants[-1].steps.append(
                    Step(
                        order=i + 1,
                        label=f"Bước {mark.group(1)}",
                        text=body,
                        responsible=find_units(body, self.aliases),
                        hours=duration.hours if duration else None,
                        duration_text=duration.text if duration else "",
                        branches=_branches(body),
                        source=item.ref,
                    )
                )
            previous_end = run[-1].end()
            made = True
        return made

    def _flush_prose(self) -> None:
        run, self.prose = self.prose, []
        if len(run) < 2:
            return
        proc = self.current
        if proc is None or proc.steps or not proc.kv or self._major_since(self.proc_start + 1) is not None:
            proc = self._new_proc(run[0][2].ref, kv=False)
        proc.variants.append(_Variant(label=None))
        for order, (number, text, item) in enumerate(run, start=1):
            m = _PROSE_STEP.match(text)
            body = m.group(2).strip() if m else text
            duration = find_duration(body)
            proc.variants[-1].steps.append(
                Step(
                    order=order,
                    label=f"Bước {number}",
                    text=body,
                    responsible=find_units(body, self.aliases),
                    responsible_text="",
                    hours=duration.hours if duration else None,
                    duration_text=duration.text if duration else "",
                    branches=_branches(body),
                    source=item.ref,
                )
            )


def _norm_code(code: str) -> str:
    return re.sub(r"\s+", "", code).rstrip(".")


_FILE_REF = re.compile(r"\s*(?:Mẫu\s*\d+|[\w.]+)\.doc(?:\s?x)?\b", re.IGNORECASE)


def _form_text(cells: Sequence[str]) -> str:
    parts = [_FILE_REF.sub("", c).strip() for c in cells if c not in ("-", "+", "•")]
    return normalize_line(" ".join(p for p in parts if p))


# ------------------------------------------------------------------------------------------------
# Step assembly


def _cells_from(item: Item, *, keep_empty: bool) -> list[str]:
    if not item.row:
        return [item.cells[0]]
    cells = list(item.cells)
    while cells and not cells[0].strip():
        cells.pop(0)
    return cells if keep_empty else [c for c in cells if c.strip()]


def _map_cells(cells: list[str], roles: Sequence[str]) -> dict[str, list[str]]:
    """Assign cells to roles (the id excluded from both), anchored on the time cell when counts differ."""
    out: dict[str, list[str]] = {}

    def put(role: str, cell: str) -> None:
        if cell.strip():
            out.setdefault(role, []).append(cell)

    if len(cells) == len(roles) or "time" not in roles:
        for i, cell in enumerate(cells):
            put(roles[min(i, len(roles) - 1)] if roles else "content", cell)
        return out
    tr = roles.index("time")
    ti = next((i for i, c in enumerate(cells) if looks_like_duration(c)), None)
    if ti is None:
        for i, cell in enumerate(cells):
            put(roles[min(i, len(roles) - 1)], cell)
        return out
    put("time", cells[ti])
    before, rb = cells[:ti], list(roles[:tr])
    if rb:
        # From the right: cells next to the time cell take the roles next to it; extra ones join the first.
        k = len(before) - 1
        for j in range(len(rb) - 1, -1, -1):
            if k < 0:
                break
            if j == 0:
                for cell in before[: k + 1]:
                    put(rb[0], cell)
                k = -1
            else:
                put(rb[j], before[k])
                k -= 1
        for role in rb:
            if role in out and len(out[role]) > 1:
                out[role] = [" ".join(out[role])]
    after, ra = cells[ti + 1 :], list(roles[tr + 1 :])
    for i, cell in enumerate(after):
        if ra:
            put(ra[min(i, len(ra) - 1)], cell)
        elif "result" not in roles:
            put("result", cell)
    return out


def _continued_role(cell: str, first: Mapping[str, list[str]]) -> str | None:
    """The role whose cell a lower-case continuation cell completes (content first, then result)."""
    if not cell[:1].islower() or looks_like_duration(cell):
        return None
    for role in ("content", "result"):
        texts = first.get(role)
        if texts and not texts[-1].rstrip().endswith((".", ";", ":", "!", "?")):
            return role
    return None


def _build_step(
    draft: _StepDraft, roles: Sequence[str], order: int, aliases: Mapping[str, str] | None
) -> Step:
    """Assemble one step from its id row and the fragments that followed it."""
    id_role = roles.index("id") if "id" in roles else 0
    rest_roles = [r for i, r in enumerate(roles) if i != id_role] if "id" in roles else list(roles)
    first_cells = _cells_from(draft.first, keep_empty=True)
    # Cells after the id cell; a header with more columns left of the id than the row is re-aligned.
    after_id = first_cells[1:] if draft.first.row else []
    if id_role > 0 and draft.first.row:
        # Roles left of the id (rare) are dropped: rows carry the id first after shifted empties.
        pass
    flat: list[str] = list(after_id)
    sub_rows: list[list[str]] = []
    has_time = any(looks_like_duration(c) for c in flat)
    # The id row is complete up to its time cell: a short row after it whose cell starts in lower case
    # carries the rest of a cell cut by a page break ("… dựa vào địa" | "điểm ghi trong …").
    first_map = _map_cells([c for c in flat if c.strip()], rest_roles) if has_time else {}
    continued: dict[str, list[str]] = {}
    para_run: list[str] = []
    for frag in draft.fragments:
        if not frag.row:
            para_run.append(frag.cells[0])
            continue
        if para_run:
            flat.append(" ".join(para_run))
            para_run = []
        cells = _cells_from(frag, keep_empty=False)
        if first_map and len(cells) < len(rest_roles):
            kept = []
            for cell in cells:
                target = _continued_role(cell, first_map)
                if target is None:
                    kept.append(cell)
                else:
                    continued.setdefault(target, []).append(cell)
            cells = kept
            if not cells:
                continue
        frag_time = any(looks_like_duration(c) for c in cells)
        if has_time and frag_time:
            sub_rows.append(cells)
            continue
        flat.extend(cells)
        has_time = has_time or frag_time
    if para_run:
        flat.append(" ".join(para_run))
    if draft.fragments and len(flat) != len(rest_roles):
        flat = [c for c in flat if c.strip()]
    mapped = _map_cells(flat, rest_roles)
    for role, texts in continued.items():
        mapped[role] = [" ".join([*mapped.get(role, []), *texts])]
    text = " ".join(mapped.get("content", []))
    resp = " ".join(mapped.get("resp", []))
    time_cells = mapped.get("time", [])
    result = " ".join(mapped.get("result", []))
    durations = [parse_duration(c) for c in time_cells[:1]]
    responsible = list(split_units(resp, aliases)) if resp else []
    extra_text: list[str] = []
    for sub in sub_rows:
        m = _map_cells(sub, rest_roles)
        durations.extend(parse_duration(c) for c in m.get("time", [])[:1])
        sub_resp = " ".join(m.get("resp", []))
        if sub_resp:
            resp = f"{resp}; {sub_resp}" if resp else sub_resp
            responsible.extend(u for u in split_units(sub_resp, aliases) if u not in responsible)
        extra_text.extend(m.get("content", []))
        if m.get("result"):
            result = f"{result}; {' '.join(m['result'])}".strip("; ")
    if extra_text:
        text = " ".join([text, *extra_text]).strip()
    counted = [d.hours for d in durations if d.hours is not None]
    hours = round(sum(counted), 4) if counted else None
    return Step(
        order=order,
        label=draft.label,
        text=normalize_line(text),
        responsible=tuple(responsible),
        responsible_text=normalize_line(resp),
        hours=hours,
        duration_text="; ".join(d.text for d in durations),
        result=normalize_line(result) or None,
        branches=_branches(text),
        source=draft.first.ref,
    )


# Where a step text's pieces end: bullets, sentence and item ends, numbered items ("… ). 2. Kiểm tra …").
_PIECE_SPLIT = re.compile(
    r"(?:^|\s)[-+•*]\s+|(?<=[.;!?])\s+|\s(?=\d{1,2}\.\s+[A-ZĐÀ-Ỹa-zđ])|\s(?=[a-dđ]\)\s)"
)
_BRANCH_START = re.compile(r"\b(?:Nếu|nếu|Trường hợp|trường hợp)\s+")
# "Hồ sơ không đầy đủ, hợp lệ thì trả hồ sơ …": a condition stated without "Nếu/Trường hợp".
_DOSSIER_CONDITION = re.compile(
    r"^(?:Đối với\s+)?(hồ sơ\s+(?:chưa|không|còn thiếu|thiếu)\b.*?(?:\sthì\s|:).+)$", re.I
)
_NEGATIVE = re.compile(
    r"chua day du|khong hop le|khong day du|khong du dieu kien|tu choi|khong dap ung|"
    r"qua han|khong bo sung|chua hop le|thieu"
)
_BRANCH_MAX = 240


def _cap(clause: str) -> str:
    """At most ``_BRANCH_MAX`` characters, cut after a clause (``,``/``;``) or else a word."""
    if len(clause) <= _BRANCH_MAX:
        return clause
    head = clause[:_BRANCH_MAX]
    cut = max(head.rfind(", "), head.rfind("; "), head.rfind(" - "))
    if cut < _BRANCH_MAX // 2:
        cut = head.rfind(" ")
    return head[:cut].rstrip(" ,;-")


def _branches(text: str) -> tuple[str, ...]:
    """Conditions a step states for an incomplete/invalid dossier: ``"<condition> -> <action>"``.

    The text is cut into sentences and items first, so a condition is one clause of one sentence
    ("Trường hợp hồ sơ chưa đầy đủ, chưa hợp lệ: hướng dẫn bổ sung"), never a run of items; a condition
    in parentheses ("(trường hợp nộp hồ sơ không phụ thuộc vào địa giới hành chính)") is a qualifier.
    """
    out: list[str] = []
    for piece in _PIECE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        clauses: list[str] = []
        starts = list(_BRANCH_START.finditer(piece))
        for i, m in enumerate(starts):
            before = piece[: m.start()]
            if before.count("(") > before.count(")"):
                continue
            end = starts[i + 1].start() if i + 1 < len(starts) else len(piece)
            clauses.append(piece[m.end() : end])
        if not starts:
            dossier = _DOSSIER_CONDITION.match(piece)
            if dossier:
                clauses.append(dossier.group(1)[:1].lower() + dossier.group(1)[1:])
        for clause in clauses:
            clause = clause.strip().rstrip(".;,")
            if not _NEGATIVE.search(fold(clause)):
                continue
            cond, sep, action = clause.partition(" thì ")
            branch = f"{cond.strip()} -> {action.strip()}" if sep else clause
            branch = normalize_line(_cap(branch))
            if branch and branch not in out:
                out.append(branch)
    return tuple(out)


# ------------------------------------------------------------------------------------------------
# ISO 9001 stand-alone documents

_ISO_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"^(?:ma hieu|ma so|ky hieu)(?: (?:tai lieu|quy trinh))?$")),
    ("edition", re.compile(r"^lan (?:ban hanh|sua doi|soat xet)$")),
    ("issued_on", re.compile(r"^ngay ban hanh$")),
    ("effective_on", re.compile(r"^ngay (?:co )?hieu luc$")),
    ("drafted_by", re.compile(r"^(?:nguoi soan thao|nguoi viet|bien soan|soan thao|nguoi bien soan)$")),
    ("checked_by", re.compile(r"^(?:nguoi kiem tra|xem xet|kiem tra|nguoi xem xet)$")),
    ("approved_by", re.compile(r"^(?:nguoi phe duyet|nguoi duyet|phe duyet)$")),
)
_ISO_SECTIONS = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<title>muc dich|pham vi|tai lieu vien dan|can cu phap ly|"
    r"dinh nghia|viet tat|thuat ngu|noi dung quy trinh|noi dung|bieu mau|ho so(?: can)? luu|dieu kien|"
    r"thanh phan ho so|"
    r"so luong ho so|thoi gian xu ly|thoi han giai quyet|noi tiep nhan|le phi|phi|quy trinh xu ly cong viec|"
    r"co so phap ly|trach nhiem)"
)


@lru_cache(maxsize=8192)
def _iso_label(text: str) -> str | None:
    key = header_key(text)
    for name, pattern in _ISO_LABELS:
        if pattern.match(key):
            return name
    return None


def _iso_date(text: str) -> str | None:
    m = _DATE.search(text) or _DATE_LONG.search(text)
    return iso_date(m.group(1), m.group(2), m.group(3)) if m else None


def _iso_header(items: Sequence[Item]) -> dict[str, str]:
    """Document-control labels of an ISO procedure (code, edition, dates, signers), from its first items."""
    found: dict[str, str] = {}
    signer_labels: list[str | None] | None = None
    for item in items[:80]:
        cells = [c for c in item.cells if c.strip()] if item.row else [item.cells[0]]
        labels = [_iso_label(c) for c in cells]
        if (
            item.row
            and len(cells) >= 2
            and all(lab in ("drafted_by", "checked_by", "approved_by") for lab in labels)
        ):
            signer_labels = labels
            continue
        if signer_labels is not None:
            names = [re.sub(r"^(?:Họ (?:và )?tên|Ký|Chữ ký)\s*:?\s*", "", c).strip() for c in cells]
            if item.row and len(names) == len(signer_labels) and all(n and len(n) < 60 for n in names):
                if not all(fold(n) in ("ky", "(ky)", "chu ky") for n in names):
                    for lab, name in zip(signer_labels, names, strict=True):
                        if lab is not None:
                            found[lab] = name
                    signer_labels = None
                continue
            signer_labels = None
        for i, cell in enumerate(cells):
            label, value = None, ""
            if ":" in cell:
                head, _, tail = cell.partition(":")
                label, value = _iso_label(head), tail.strip()
            if label is None:
                label = labels[i]
                value = cells[i + 1] if label and i + 1 < len(cells) else ""
            if label and value and label not in found:
                found[label] = value
    code = found.get("code")
    if code:
        m = _QT_CODE.search(code) or _ANY_CODE.search(code)
        if m:
            found["code"] = _norm_code(m.group(0))
        else:
            del found["code"]
    for key in ("issued_on", "effective_on"):
        if key in found:
            iso = _iso_date(found[key])
            if iso:
                found[key] = iso
            else:
                del found[key]
    return found


def _iso_title(items: Sequence[Item]) -> str | None:
    for item in items[:60]:
        for cell in item.cells:
            text = normalize_line(cell)
            if re.match(r"^(?:QUY|QUI) TRÌNH\b", text) and 12 < len(text) < 250 and ":" not in text:
                return text
    return None


def _revisions(items: Sequence[Item]) -> list[Revision]:
    out: list[Revision] = []
    roles: list[str] | None = None
    for item in items:
        if not item.row:
            if roles is not None and out:
                break
            continue
        cells = [c for c in item.cells if c.strip()]
        if roles is None:
            folded = [header_key(c) for c in cells]
            if any(re.search(r"noi dung (?:thay doi|sua doi)", f) for f in folded) and any(
                re.search(r"lan (?:ban hanh|sua doi)", f) for f in folded
            ):
                roles = []
                for f in folded:
                    if re.search(r"noi dung", f):
                        roles.append("change")
                    elif re.search(r"lan (?:ban hanh|sua doi)", f):
                        roles.append("edition")
                    elif re.search(r"ngay|thoi gian", f):
                        roles.append("date")
                    else:
                        roles.append("other")
            continue
        if len(cells) < 2:
            if out:
                break
            continue
        values = dict(zip(roles, cells, strict=False))
        change = values.get("change", "").strip()
        if not change:
            continue
        date_text = values.get("date", "")
        out.append(
            Revision(
                date=_iso_date(date_text) or (date_text or None),
                change=change,
                edition=values.get("edition") or None,
            )
        )
    return out


def _iso_sections(items: Sequence[Item], proc: _Proc) -> None:
    """Sections ``1. Mục đích`` … ``7. Hồ sơ cần lưu`` as fields; forms and records from their sections."""
    current: list[str] | None = None
    kind: str | None = None
    for item in items:
        text = item.text if not item.row else ""
        m = _ISO_SECTIONS.match(fold(text)) if text else None
        if m:
            title = text[m.start("title") :].strip()
            num = m.group("num")
            label = f"{num}. " if "." not in num else f"{num} "
            head, colon, value = title.partition(":")
            current = [f"{label}{head.strip()}", value.strip() if colon else ""]
            proc.fields.append(current)
            key = m.group("title")
            kind = "forms" if key == "bieu mau" else "records" if key.startswith("ho so") else None
            if key in ("thoi gian xu ly", "thoi han giai quyet") and value.strip():
                proc.time_limit = value.strip()
            continue
        if current is None:
            continue
        body = item.text
        if not body:
            continue
        if kind == "forms" and body and not step_role(body):
            proc.forms.append(_form_text(item.filled))
        elif kind == "records":
            proc.records.append(normalize_line(" ".join(c for c in item.filled if c not in ("-", "+"))))
        if not item.row:
            current[1] = f"{current[1]} {body}".strip()
            if current[0].split(". ", 1)[-1].lower().startswith(("thời gian xử lý", "thời hạn giải quyết")):
                proc.time_limit = proc.time_limit or body


# ------------------------------------------------------------------------------------------------
# Public entry point


def _match_catalog(name: str, codes: Sequence[str], catalog: Sequence[CatalogEntry]) -> CatalogEntry | None:
    for code in codes:
        for entry in catalog:
            if entry.code == code:
                return entry
    key = fold_name(name)
    if not key:
        return None
    best: CatalogEntry | None = None
    best_len = 0
    for entry in catalog:
        ekey = fold_name(entry.name)
        if not ekey:
            continue
        if ekey == key or (len(ekey) >= 12 and ekey in key) or (len(key) >= 12 and key in ekey):
            score = len(ekey) + (1000 if ekey == key else 0)
            if score > best_len:
                best, best_len = entry, score
    return best


def _finish(proc: _Proc, catalog: Sequence[CatalogEntry], ordinal: int) -> list[Procedure]:
    entry = _match_catalog(proc.name, proc.heading_codes, catalog)
    if entry is None and not proc.name and 0 <= ordinal < len(catalog):
        entry = catalog[ordinal]
    name = proc.name or (entry.name if entry else "")
    time_limit = proc.time_limit
    for key, value in proc.fields:
        if "thoi han giai quyet" in fold(key) and value:
            time_limit = time_limit or value
    if not time_limit and entry is not None:
        time_limit = entry.time_limit
    limit_hours = parse_duration(time_limit).hours if time_limit else None
    catalog_code = entry.code if entry else (proc.heading_codes[0] if proc.heading_codes else None)
    variants = proc.variants or [_Variant(label=None)]
    case_limits: list[str] = []
    if time_limit and len(variants) > 1:
        parts = [p.strip() for p in re.split(r"(?:^|\s)[-+]\s*(?=Trường hợp)", time_limit) if p.strip()]
        if len(parts) == len(variants):
            case_limits = parts
    out: list[Procedure] = []
    for index, variant in enumerate(variants):
        if case_limits:
            time_limit = case_limits[index]
            limit_hours = parse_duration(time_limit).hours
        warnings = list(proc.warnings)
        vname = name
        if len(variants) > 1:
            vname = f"{name} ({variant.label})" if variant.label else f"{name} ({len(out) + 1})"
            warnings.append(
                f"{proc.code or name}: the step table holds {len(variants)} cases; one procedure per case"
            )
        counted = sum(s.hours for s in variant.steps if s.hours is not None)
        stated_hours = parse_duration(variant.stated_total).hours if variant.stated_total else None
        if stated_hours is not None and variant.steps and abs(stated_hours - counted) > 1e-6:
            warnings.append(
                f"steps add up to {counted:g} working hours but the stated total is {stated_hours:g} "
                f"({variant.stated_total}); difference {stated_hours - counted:g} h"
            )
        if (
            limit_hours is not None
            and variant.steps
            and counted > limit_hours + 1e-6
            and (len(variants) == 1 or case_limits)
        ):
            warnings.append(
                f"steps add up to {counted:g} working hours, more than the time limit "
                f"{limit_hours:g} h ({time_limit})"
            )
        out.append(
            Procedure(
                name=vname,
                code=proc.code,
                catalog_code=catalog_code,
                field=entry.field if entry else None,
                time_limit=time_limit,
                time_limit_hours=limit_hours,
                steps=tuple(variant.steps),
                stated_total=variant.stated_total,
                stated_total_hours=stated_hours,
                fields=tuple((k, v) for k, v in proc.fields),
                forms=tuple(f for f in proc.forms if f),
                records=tuple(r for r in proc.records if r),
                edition=proc.iso.get("edition"),
                issued_on=proc.iso.get("issued_on"),
                effective_on=proc.iso.get("effective_on"),
                drafted_by=proc.iso.get("drafted_by"),
                checked_by=proc.iso.get("checked_by"),
                approved_by=proc.iso.get("approved_by"),
                revisions=tuple(proc.revisions),
                warnings=tuple(warnings),
                source=proc.source,
            )
        )
    return out


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
        The procedures in document order, and document-level warnings.
    """
    items = document_items(raw)
    extractor = _Extractor(items, unit_aliases, catalog)
    iso = _iso_header(items)
    iso_mode = "code" in iso and ("edition" in iso or _iso_title(items) is not None)
    if iso_mode:
        proc = _Proc(name=_iso_title(items) or "", heading_codes=[], source=items[0].ref, kv=True)
        proc.code = iso.get("code")
        proc.iso = iso
        proc.section = None
        extractor.procs.append(proc)
        extractor.current = proc
    extractor.run()
    if iso_mode:
        proc = extractor.procs[0]
        # Everything found in an ISO document belongs to its one procedure.
        for other in extractor.procs[1:]:
            proc.variants.extend(v for v in other.variants if v.steps)
        del extractor.procs[1:]
        if len(proc.variants) > 1:
            merged = _Variant(label=None)
            for variant in proc.variants:
                merged.steps.extend(variant.steps)
                merged.stated_total = merged.stated_total or variant.stated_total
            merged.steps = [
                Step(**{**{f: getattr(s, f) for f in s.__dataclass_fields__}, "order": i})
                for i, s in enumerate(merged.steps, start=1)
            ]
            proc.variants = [merged]
        proc.revisions = _revisions(items)
        _iso_sections(items, proc)
    out: list[Procedure] = []
    warnings = list(extractor.warnings)
    for ordinal, proc in enumerate(extractor.procs):
        if not proc.steps and not proc.fields and (not proc.kv or not proc.name):
            continue  # a code mentioned in passing, not a procedure
        out.extend(_finish(proc, catalog, ordinal))
    return tuple(out), warnings
