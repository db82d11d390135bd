"""Catalog extraction: the rows of "Danh mục thủ tục hành chính" tables as ``CatalogEntry`` records.

Real annexes (docs/FORMATS.md, "Catalogs of TTHC nội bộ") are messy: the header row often shares a row
with the layout table that holds the decision ("KT. CHỦ TỊCH … | PHỤ LỤC … | TT | Tên thủ tục hành chính |
Mã TTHC | …"), a header can be split over a row and a paragraph, rows are shifted right by empty cells
(merged cells), a row's order cell can sit alone on its own row, the last row can swallow the heading that
follows it. So the extractor works on the document's stream of items (``parsers.items``: paragraphs and
table rows, table boundaries ignored) and maps columns by the words of the header, never by position:

``TT/STT`` order · ``Tên thủ tục…`` name · ``Mã TTHC`` code · ``Lĩnh vực`` field · ``Thời hạn giải quyết``
time limit · ``Địa điểm thực hiện`` place · ``Phí, lệ phí`` fee · ``Căn cứ pháp lý``/``Văn bản quy định``/
``Tên VBQPPL …`` legal basis · ``Cơ quan thực hiện``/``Thẩm quyền giải quyết`` agency.

``Như trên`` takes the value of the row above. Group rows (``I | Thủ tục hành chính nội bộ cấp tỉnh``,
``A | THỦ TỤC …``, ``LĨNH VỰC …`` spanning the columns) set ``group`` (or ``field`` for ``Lĩnh vực …``
rows); ``internal`` is set where the group, the header or the document title speaks of TTHC nội bộ.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from procreg.i18n import N_
from procreg.parsers.durations import parse_duration
from procreg.parsers.items import Item, document_items, header_key, header_run, trailing_roles
from procreg.registry.models import CatalogEntry, RawDocument, SourceRef
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import mentions_internal_tthc

__all__ = [
    "catalog_role",
    "codes_in",
    "detect_change_type",
    "extract_catalog",
    "fold_name",
    "is_internal_text",
]

log = logging.getLogger(__name__)

CODE_RE = re.compile(r"^[123]\.\d{6}$")
_CODE_LIKE = re.compile(r"^\d[.,]?\d{3}[.,]?\d{3,4}$|^\d\.\d{3}\.\d{3}$")
_ORDER = re.compile(r"^\d{1,3}\.?$")
_GROUP_ID = re.compile(r"^(?:[IVXLC]{1,6}|[A-HĐ])\.?$")
_SAME = re.compile(r"^như trên\.?$")
_CODE_LIKE_START = re.compile(r"^[123]\.\d{6}\.?H\d{2}$")
_SUFFIX = re.compile(r"(?<=\d)\s*\.\s*H\s*\d{2}$")
_HEADING_START = re.compile(r"^(?:PHẦN|Phần|PHỤ LỤC|Phụ lục|[A-HĐ]\.\s|[IVXL]{1,5}\.\s)")


# Catalog header words, matched on a cell's ``header_key`` (order matters: first match wins).
_CATALOG_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("order", re.compile(r"^(?:stt|tt|so tt|so thu tu|thu tu)$")),
    ("code", re.compile(r"^(?:ma(?: so)? (?:tthc|thu tuc(?: hanh chinh)?|ho so tthc)|so ho so tthc|ma so)$")),
    ("name", re.compile(r"^(?:linh vuc/)?ten (?:cac |nhom )?(?:thu tuc|tthc|quy trinh)")),
    ("field", re.compile(r"^linh vuc$")),
    ("time", re.compile(r"^thoi (?:han|gian) giai quyet")),
    ("place", re.compile(r"^dia diem(?: thuc hien)?")),
    ("fee", re.compile(r"^(?:phi|le phi|phi, le phi|phi,le phi)")),
    (
        "legal",
        re.compile(
            r"^(?:can cu phap ly|van ban quy dinh|ten vbqppl|ten van ban|quyet dinh cong bo|"
            r"van ban cong bo|can cu)"
        ),
    ),
    (
        "agency",
        re.compile(r"^(?:co quan(?:, don vi)? thuc hien|tham quyen|co quan giai quyet|cap thuc hien)"),
    ),
    ("note", re.compile(r"^(?:ghi chu|ky hieu|thuc hien qua|toan trinh$|mot phan$)")),
)


@lru_cache(maxsize=8192)
def catalog_role(cell: str) -> str | None:
    """The catalog column a header cell names, or None."""
    if not cell or len(cell) > 90:
        return None
    key = header_key(cell)
    for role, pattern in _CATALOG_ROLES:
        if pattern.search(key):
            return role
    return None


def _catalog_header(cells: Sequence[str]) -> tuple[int, list[str]] | None:
    """Find a catalog header as the trailing run of header cells of a row.

    Columns nobody listed ("Hình thức thực hiện không phụ thuộc vào địa giới", "DVC trực tuyến") are kept
    as "other": one unknown column name must not lose the table. Returns the index where the run starts
    and the roles of its cells, or None.
    """
    start, found = header_run(cells, catalog_role)
    known = [r for r in found if r is not None]
    if "name" in known and len(known) >= 2 and len(set(known)) >= 2 and len(found) - len(known) <= len(known):
        return start, [r or "other" for r in found]
    return None


def is_internal_text(text: str) -> bool:
    """True when the text speaks of TTHC nội bộ (not of a quy trình nội bộ of a citizen-facing TTHC)."""
    return mentions_internal_tthc(text)


_CHANGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("abolished", re.compile(r"\b(?:bi )?bai bo\b|\bhuy bo\b")),
    ("amended", re.compile(r"\bsua doi,? bo sung\b|\bduoc sua doi\b|\bdieu chinh\b")),
    ("new", re.compile(r"\bmoi ban hanh\b|\bban hanh moi\b")),
    ("replaced", re.compile(r"\bthay the\b")),
)


def _first_change(text: str) -> str | None:
    folded = fold(text)
    best: tuple[int, str] | None = None
    for kind, pattern in _CHANGES:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def detect_change_type(title: str | None, text: str) -> str | None:
    """The change a catalog decision makes: "new", "amended", "abolished" or "replaced".

    The title decides when it says (its first change word wins: "SỬA ĐỔI, BỔ SUNG, BỊ BÃI BỎ" is
    "amended"); otherwise the first sentence of ``Điều 1`` in the text. Căn cứ lines are never read
    (they cite decrees "sửa đổi, bổ sung" other decrees).
    """
    if title:
        found = _first_change(title)
        if found:
            return found
    m = re.search(r"Điều\s+1\s*\.?(.{0,400}?)(?:Điều\s+2|$)", text, re.DOTALL)
    if m:
        return _first_change(m.group(1))
    return None


def _title_guess(items: Sequence[Item]) -> str:
    """The decision's title area: text before the first ``Căn cứ`` (header table and subject lines)."""
    parts: list[str] = []
    for item in items[:60]:
        text = item.text
        cut = text.find("Căn cứ")
        if cut >= 0:
            parts.append(text[:cut])
            break
        parts.append(text)
    return " ".join(parts)


def _clean_code(cell: str) -> tuple[str | None, str | None]:
    """(code, warning) for a code cell: a valid national code, an odd code kept with a warning, or none."""
    text = normalize_line(cell).strip(" .;")
    if not text:
        return None, None
    # A province's suffix ("2.002402.H05", "1.013401.H50"; a PDF cell may break it: ".H 05") is no part
    # of the national code.
    text = _SUFFIX.sub("", text)
    if CODE_RE.match(text):
        return text, None
    m = re.search(r"\b[123]\.\d{6}\b(?!\d)", text)
    if m and len(text) <= 12:
        return m.group(0), None
    if _CODE_LIKE.match(text.replace(" ", "")):
        return text, N_("national TTHC code %(code)r does not match N.NNNNNN; kept as printed") % {
            "code": text
        }
    return None, None


class _Table:
    """State of one catalog table while its rows are read."""

    def __init__(self, roles: list[str], context: str, doc_change: str | None, internal_doc: bool) -> None:
        self.roles = roles
        self.group: str | None = None
        self.field_group: str | None = None
        self.change = _first_change(context) if context else None
        self.doc_change = doc_change
        self.internal = internal_doc or is_internal_text(context)
        self.previous: dict[str, str] = {}


def _assign(roles: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for role, cell in zip(roles, cells, strict=False):
        if role in values:
            values[role] = f"{values[role]} {cell}".strip()
        else:
            values[role] = cell
    return values


def _row_values(table: _Table, cells: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map a data row (leading empties removed) to roles; returns values and the overflow cells."""
    roles = table.roles
    if len(cells) < len(roles) and "code" in roles:
        idx = roles.index("code")
        if (
            idx < len(cells)
            and _clean_code(cells[idx])[0] is None
            and not any(_clean_code(c)[0] for c in cells)
        ):
            roles = [r for r in roles if r != "code"]  # the row has no code cell at all
    overflow = cells[len(roles) :]
    return _assign(roles, cells[: len(roles)]), overflow


def _group_text(cells: list[str]) -> str | None:
    """Text of a group row (``I | Thủ tục …``, ``A. …``, ``LĨNH VỰC …``), or None."""
    if not cells:
        return None
    if len(cells) <= 2 and _GROUP_ID.match(cells[0]):
        if len(cells) == 1:
            return cells[0]
        return f"{cells[0].rstrip('.')}. {cells[1]}" if len(cells[1]) < 200 else None
    if len(cells) == 1:
        text = cells[0]
        folded = fold(text)
        if len(text) < 200 and (
            _HEADING_START.match(text)
            or folded.startswith(("linh vuc", "thu tuc hanh chinh", "danh muc", "nhom", "tthc"))
        ):
            return text
    return None


def _strip_group(text: str) -> str:
    return re.sub(r"^(?:[IVXLC]{1,6}|[A-HĐ])\s*[.:]\s*", "", text).strip()


def _field_from_group(text: str) -> str:
    body = _strip_group(text)
    body = re.sub(r"^(?:Lĩnh vực|LĨNH VỰC)\s*:?\s*", "", body)
    body = re.sub(r"\s*\(\s*\d+\s*TTHC\s*\)\s*$", "", body, flags=re.IGNORECASE)
    return body[:1].upper() + body[1:].lower() if body.isupper() else body


def _cell_ends(cell: str, first: bool) -> bool:
    """A cell that ends a catalog table: procedure parts, key/value tables, a step row."""
    folded = fold(cell)
    if re.search(r"ky hieu quy trinh|noi dung quy trinh|quy trinh xu ly cong viec", folded):
        return True
    if first and re.match(r"^(?:b\s?\d+|buoc\s*\d+)$", folded):
        return True
    return len(cell) > 8 and _heading_ends(cell)


def _paragraph_ends(text: str) -> bool:
    """A paragraph that ends a catalog table (a heading of the next part)."""
    if _cell_ends(text, True):
        return True
    if _HEADING_START.match(text) or re.match(r"^\d{1,2}\.\s+\S", text):
        head = fold(text)
        return not head.startswith(("linh vuc", "danh muc")) or "quy trinh" in head
    return False


def _heading_ends(text: str) -> bool:
    """A heading (or swallowed cell) that starts the next part: PHẦN II, B. QUY TRÌNH …, II. NỘI DUNG …."""
    folded = fold(text).strip()
    if not re.match(
        r"^(?:phan\s+[ivx\d]+|phu luc\s+[ivx\d]+|[a-h]\.\s|[ivx]+\.\s|noi dung|quy trinh)", folded
    ):
        return False
    if folded.startswith("danh muc"):
        return False
    return bool(re.search(r"noi dung|quy trinh|^phan\s+ii\b|^phu luc\s+ii\b", folded))


def _trailing_roles(cells: Sequence[str]) -> list[str]:
    """Catalog roles of the trailing header-like cells of a row (possibly all of them)."""
    return trailing_roles(cells, catalog_role)[1]


def _qualifies(roles: Sequence[str]) -> bool:
    return "name" in roles and len(roles) >= 2


class _Reader:
    """Reads catalog tables from a document's items (see ``extract_catalog``)."""

    def __init__(self, doc_change: str | None, internal_doc: bool, doc_field: str | None) -> None:
        self.doc_change = doc_change
        self.internal_doc = internal_doc
        self.doc_field = doc_field
        self.entries: list[CatalogEntry] = []
        self.warnings: list[str] = []
        self.table: _Table | None = None
        self.pending_roles: list[str] = []
        self.pending_context: list[str] = []
        self.partial: tuple[list[str], SourceRef] | None = None
        self.last_row: tuple[list[str], SourceRef] | None = None  # the cells of the last entry, as printed

    def start(self, roles: list[str], context: Sequence[str]) -> None:
        self.flush()
        text = " ".join(c for c in context if c)
        self.table = _Table(roles, text, self.doc_change, self.internal_doc)
        for cell in context:
            group = _group_text([cell])
            if (
                group is not None
                and not _heading_ends(group)
                and not fold(group).startswith(("danh muc", "phu luc"))
            ):
                _set_group(self.table, group)
        self.pending_roles = []
        self.pending_context = []

    def flush(self) -> None:
        if self.partial is not None and self.table is not None:
            cells, ref = self.partial
            values, _ = _row_values(self.table, cells)
            entry = _entry(self.table, values, ref, self.warnings, self.doc_field)
            if entry is not None:
                self.entries.append(entry)
                self.last_row = (list(cells), ref)
        self.partial = None

    def _page_continuation(self, item: Item) -> bool:
        """The rest of the last entry's row, which a page break moved to the next page.

        Word breaks a row taller than a page: the next page starts with a row of the same width whose
        order cell is empty and that holds no code of its own; its cells continue the last entry's, cell by
        cell (``2.002402.H`` + ``05``). The last entry is rebuilt from the joined cells.
        """
        table, last = self.table, self.last_row
        cells = list(item.cells)
        if table is None or last is None or self.partial is not None or cells[:1] != [""]:
            return False
        previous, ref = last
        if item.ref.page is None or item.ref.page == ref.page or len(cells) != len(previous):
            return False
        if any(_clean_code(c)[0] for c in cells) or not any(c.strip() for c in cells):
            return False
        joined = [
            (a + b if _CODE_LIKE_START.match(a + b) else f"{a} {b}").strip()
            for a, b in zip(previous, cells, strict=True)
        ]
        values, _ = _row_values(table, joined)
        entry = _entry(table, values, ref, self.warnings, self.doc_field)
        if entry is None:
            return False
        self.entries[-1] = entry
        self.last_row = (joined, ref)
        return True

    def end(self) -> None:
        self.flush()
        self.table = None

    def feed(self, item: Item) -> None:
        cells = list(item.cells)
        if item.row:
            header = _catalog_header(cells)
            if header is not None:
                start, roles = header
                self.start(roles, cells[:start])
                return
        # A header split over rows and paragraphs: "… | STT" + "Tên thủ tục hành chính" + "Mã TTHC | …".
        run = _trailing_roles(cells)
        whole = bool(run) and len(run) == len(item.filled)
        if self.pending_roles:
            if whole:
                self.pending_roles.extend(run)
                return
            if _qualifies(self.pending_roles):
                self.start(self.pending_roles, self.pending_context)
            self.pending_roles = []
            self.pending_context = []
        if self.table is None:
            if item.row and run and not whole:
                self.pending_roles = run
                self.pending_context = [c for c in cells[: len(cells) - len(run)] if c]
            return
        if not item.row:
            self._paragraph(item)
            return
        self._row(item, cells)

    def _row(self, item: Item, cells: list[str]) -> None:
        """A row inside a catalog table: an entry (or part of one), a group row, then any overflow."""
        assert self.table is not None
        if self._page_continuation(item):
            return
        roles = self.table.roles
        order_at = roles.index("order") if "order" in roles else 0
        # Leading empty cells are merged/shifted cells: drop them (when the order column is first, or the
        # row is longer than the header).
        while cells and not cells[0].strip() and (order_at == 0 or len(cells) > len(roles)):
            cells.pop(0)
        if not any(c.strip() for c in cells):
            return
        is_order = order_at < len(cells) and bool(_ORDER.match(cells[order_at]))
        limit = len(self.table.roles) if is_order else len(cells)
        cut = next((i for i, c in enumerate(cells) if _cell_ends(c, i == 0)), len(cells))
        cut = min(cut, limit)
        data, overflow = cells[:cut], cells[cut:]
        if data:
            if is_order:
                self.flush()
                self.partial = (data, item.ref)
            elif self.partial is not None and _group_text([c for c in data if c]) is None:
                self.partial[0].extend(c for c in data if c)
            else:
                self.flush()
                group = _group_text([c for c in data if c])
                if group is not None and _heading_ends(group):
                    self.end()
                    return
                if group is not None:
                    _set_group(self.table, group)
            if self.partial is not None and len(self.partial[0]) >= len(self.table.roles):
                self.flush()
        if overflow:
            self._overflow(overflow)

    def _overflow(self, overflow: list[str]) -> None:
        """Cells after a row's data: a swallowed heading, the next part, or the start of the next header."""
        assert self.table is not None
        if any(_cell_ends(c, False) for c in overflow):
            self.end()
            return
        run = _trailing_roles(overflow)
        for cell in overflow[: len(overflow) - len(run)]:
            group = _group_text([cell])
            if group is not None:
                self.flush()
                _set_group(self.table, group)
        if run:
            self.flush()
            self.pending_roles = run
            self.pending_context = [c for c in overflow[: len(overflow) - len(run)] if c]

    def _paragraph(self, item: Item) -> None:
        assert self.table is not None
        text = item.cells[0]
        if _paragraph_ends(text):
            self.end()
            return
        if self.partial is not None:
            self.partial[0].append(text)
            if len(self.partial[0]) >= len(self.table.roles):
                self.flush()
            return
        group = _group_text([text])
        if group and (_HEADING_START.match(group) or fold(group).startswith("linh vuc")):
            _set_group(self.table, group)


_TITLE_FIELD = re.compile(
    r"LĨNH VỰC\s+(.+?)\s+(?:THUỘC|TRÊN|CỦA|ÁP DỤNG|TẠI|NGÀNH|CẤP|TRONG)\b", re.IGNORECASE
)


def _field_from_title(title: str) -> str | None:
    m = _TITLE_FIELD.search(title)
    if not m or not m.group(1).isupper() or len(m.group(1)) > 60:
        return None
    body = m.group(1).strip(" ,")
    return body[:1] + body[1:].lower()


def extract_catalog(raw: RawDocument, text: str | None = None) -> tuple[tuple[CatalogEntry, ...], list[str]]:
    """Find every catalog table of a document and return its entries plus warnings.

    Args:
        raw: the reader's output.
        text: the document's text, when the caller has it already (a long document is not joined twice).

    Returns:
        The entries in document order, and warnings (odd codes, rows that could not be read).
    """
    items = document_items(raw)
    title = _title_guess(items)
    doc_change = detect_change_type(title, "\n".join(i.text for i in items) if text is None else text)
    reader = _Reader(doc_change, is_internal_text(title), _field_from_title(title))
    for item in items:
        reader.feed(item)
    reader.end()
    return tuple(reader.entries), reader.warnings


def _set_group(table: _Table, text: str) -> None:
    change = _first_change(text)
    if change:
        table.change = change
    if fold(_strip_group(text)).startswith("linh vuc"):
        table.field_group = _field_from_group(text)
        return
    table.group = _strip_group(text)
    table.field_group = None
    if is_internal_text(text):
        table.internal = True


def _entry(
    table: _Table, values: dict[str, str], ref: SourceRef, warnings: list[str], doc_field: str | None
) -> CatalogEntry | None:
    resolved: dict[str, str] = {}
    for role, value in values.items():
        value = normalize_line(value)
        if _SAME.match(value.lower()):
            value = table.previous.get(role, value)
        resolved[role] = value
    for role, value in resolved.items():
        if value:
            table.previous[role] = value
    name = resolved.get("name", "").strip()
    if not name:
        return None
    entry_warnings: list[str] = []
    code, code_warning = _clean_code(resolved.get("code", ""))
    if code_warning:
        entry_warnings.append(code_warning)
        warnings.append(N_("%(where)s: %(warning)s") % {"where": ref.describe(), "warning": code_warning})
    time_limit = resolved.get("time") or None
    hours = parse_duration(time_limit).hours if time_limit else None
    change = table.change or table.doc_change
    note = fold(resolved.get("note", ""))
    note_change = _first_change(note) if note else None
    if note_change:
        change = note_change
    field = resolved.get("field") or table.field_group or doc_field
    return CatalogEntry(
        name=name,
        order=resolved.get("order", "").rstrip(".") or None,
        code=code,
        field=field or None,
        time_limit=time_limit,
        time_limit_hours=hours,
        place=resolved.get("place") or None,
        fee=resolved.get("fee") or None,
        legal_basis=resolved.get("legal") or None,
        agency=resolved.get("agency") or None,
        group=table.group,
        change=change,
        internal=table.internal,
        warnings=tuple(entry_warnings),
        source=ref,
    )


@lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """A procedure/catalog name for matching: folded, ``Thủ tục`` prefix and punctuation dropped."""
    folded = fold(normalize_line(name))
    folded = re.sub(r"\[\d+\]", " ", folded)
    folded = re.sub(r"^(?:\d{1,2}|[ivx]{1,5})\s*[.)]\s*", "", folded)
    folded = re.sub(
        r"^(?:quy trinh(?: noi bo)?(?: giai quyet)?\s*)?(?:thu tuc(?: hanh chinh)?\s*)?", "", folded
    )
    folded = re.sub(r"[^\w\s]", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def codes_in(texts: Iterable[str]) -> list[str]:
    """National codes printed in texts (``mã số 1.012994``, ``Mã TTHC: 1.012657``)."""
    out: list[str] = []
    for text in texts:
        out.extend(re.findall(r"(?<![\d.])[123]\.\d{6}(?![\d])", text))
    return out
