"""Stand-alone ISO 9001 procedure documents: one procedure per document.

The first page carries a document-control block (``Mã hiệu/Mã số/Ký hiệu``, ``Lần ban hành``, ``Ngày ban
hành``, ``Ngày hiệu lực``, and a signer table ``Người soạn thảo | Người kiểm tra | Người phê duyệt``
with names in the next row), then a revision table (``Ngày | Nội dung thay đổi | Lần ban hành``), then
numbered sections ``1. Mục đích`` … ``7. Hồ sơ cần lưu``; the steps sit in a step table or in ``Bước N:``
paragraphs inside section 5. See docs/FORMATS.md, "ISO procedure documents".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from procreg.parsers.items import Item, header_key
from procreg.parsers.procedure.headings import ANY_CODE, QT_CODE, norm_code
from procreg.parsers.procedure.key_value import form_text
from procreg.parsers.procedure.state import ProcDraft, Reading, Variant
from procreg.parsers.procedure.step_tables import step_role
from procreg.registry.models import Revision
from procreg.text import fold, normalize_line
from procreg.text.dates import iso_date

__all__ = ["close_iso_document", "iso_header", "open_iso_document", "revisions"]

_ISO_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"^(?:ma hieu|ma so|ky hieu)(?: (?:tai lieu|quy trinh))?$")),
    ("edition", re.compile(r"^lan (?:ban hanh|sua doi|soat xet)$")),
    ("issued_on", re.compile(r"^ngay ban hanh$")),
    ("effective_on", re.compile(r"^ngay (?:co )?hieu luc$")),
    ("drafted_by", re.compile(r"^(?:nguoi soan thao|nguoi viet|bien soan|soan thao|nguoi bien soan)$")),
    ("checked_by", re.compile(r"^(?:nguoi kiem tra|xem xet|kiem tra|nguoi xem xet)$")),
    ("approved_by", re.compile(r"^(?:nguoi phe duyet|nguoi duyet|phe duyet)$")),
)
_SIGNERS = ("drafted_by", "checked_by", "approved_by")
# What a signer row holds where no name is printed ("Ký", "(Ký)", "Chữ ký"), folded.
_NO_NAME = ("ky", "(ky)", "chu ky")
_ISO_SECTIONS = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<title>muc dich|pham vi|tai lieu vien dan|can cu phap ly|"
    r"dinh nghia|viet tat|thuat ngu|noi dung quy trinh|noi dung|bieu mau|ho so(?: can)? luu|dieu kien|"
    r"thanh phan ho so|"
    r"so luong ho so|thoi gian xu ly|thoi han giai quyet|noi tiep nhan|le phi|phi|quy trinh xu ly cong viec|"
    r"co so phap ly|trach nhiem)"
)
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_DATE_LONG = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


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


# ------------------------------------------------------------------------------------------------
# Document-control header


def _read_signers(
    item: Item, cells: list[str], signer_labels: list[str | None], found: dict[str, str]
) -> tuple[bool, list[str | None] | None]:
    """The row after a signer-label row: names under the labels (``Họ và tên: …`` prefixes dropped).

    Returns whether the row was the names row, and the signer labels still waiting for names (a row of
    ``Ký``/``(Ký)`` placeholders keeps them waiting).
    """
    names = [re.sub(r"^(?:Họ (?:và )?tên|Ký|Chữ ký)\s*:?\s*", "", c).strip() for c in cells]
    if not (item.row and len(names) == len(signer_labels) and all(n and len(n) < 60 for n in names)):
        return False, None
    if all(fold(n) in _NO_NAME for n in names):
        return True, signer_labels
    for lab, name in zip(signer_labels, names, strict=True):
        if lab is not None:
            found[lab] = name
    return True, None


def _read_labels(cells: list[str], labels: list[str | None], found: dict[str, str]) -> None:
    """``Label: value`` cells and ``Label | value`` cell pairs; the first value of a label wins."""
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


def _normalise_header(found: dict[str, str]) -> dict[str, str]:
    """The code as a code, the dates as ISO dates; a value that is neither is dropped."""
    code = found.get("code")
    if code:
        m = QT_CODE.search(code) or ANY_CODE.search(code)
        if m:
            found["code"] = norm_code(m.group(0))
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


def iso_header(items: Sequence[Item]) -> dict[str, str]:
    """Document-control labels of an ISO procedure (code, edition, dates, signers), from its first items."""
    found: dict[str, str] = {}
    signer_labels: list[str | None] | None = None
    for item in items[:80]:
        cells = [c for c in item.cells if c.strip()] if item.row else [item.cells[0]]
        labels = [_iso_label(c) for c in cells]
        if item.row and len(cells) >= 2 and all(lab in _SIGNERS for lab in labels):
            signer_labels = labels
            continue
        if signer_labels is not None:
            names_row, signer_labels = _read_signers(item, cells, signer_labels, found)
            if names_row:
                continue
        _read_labels(cells, labels, found)
    return _normalise_header(found)


def _iso_title(items: Sequence[Item]) -> str | None:
    for item in items[:60]:
        for cell in item.cells:
            text = normalize_line(cell)
            if re.match(r"^(?:QUY|QUI) TRÌNH\b", text) and 12 < len(text) < 250 and ":" not in text:
                return text
    return None


# ------------------------------------------------------------------------------------------------
# Revision table and sections


def _revision_roles(cells: Sequence[str]) -> list[str] | None:
    """The column roles of a revision-table header row, or None when the row is no such header."""
    keys = [header_key(c) for c in cells]
    if not (
        any(re.search(r"noi dung (?:thay doi|sua doi)", k) for k in keys)
        and any(re.search(r"lan (?:ban hanh|sua doi)", k) for k in keys)
    ):
        return None
    roles = []
    for key in keys:
        if re.search(r"noi dung", key):
            roles.append("change")
        elif re.search(r"lan (?:ban hanh|sua doi)", key):
            roles.append("edition")
        elif re.search(r"ngay|thoi gian", key):
            roles.append("date")
        else:
            roles.append("other")
    return roles


def revisions(items: Sequence[Item]) -> list[Revision]:
    """The rows of the document's revision table (the first one), up to the first paragraph after it."""
    out: list[Revision] = []
    roles: list[str] | None = None
    for item in items:
        if not item.row:
            if roles is not None and out:
                break
            continue
        cells = [c for c in item.cells if c.strip()]
        if roles is None:
            roles = _revision_roles(cells)
            continue
        if len(cells) < 2:
            if out:
                break
            continue
        values = dict(zip(roles, cells, strict=False))
        change = values.get("change", "").strip()
        if change:
            date_text = values.get("date", "")
            date = _iso_date(date_text) or (date_text or None)
            out.append(Revision(date=date, change=change, edition=values.get("edition") or None))
    return out


def _iso_sections(items: Sequence[Item], proc: ProcDraft) -> None:
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
        body = item.text
        if current is None or not body:
            continue
        if kind == "forms" and not step_role(body):
            proc.forms.append(form_text(item.filled))
        elif kind == "records":
            proc.records.append(normalize_line(" ".join(c for c in item.filled if c not in ("-", "+"))))
        if not item.row:
            current[1] = f"{current[1]} {body}".strip()
            if current[0].split(". ", 1)[-1].lower().startswith(("thời gian xử lý", "thời hạn giải quyết")):
                proc.time_limit = proc.time_limit or body


# ------------------------------------------------------------------------------------------------
# The document's one procedure


def open_iso_document(reading: Reading) -> bool:
    """An ISO procedure document (a code, and an edition or a ``QUY TRÌNH …`` title): its procedure first.

    Returns whether the document is one; the reading then fills that procedure.
    """
    items = reading.items
    iso = iso_header(items)
    if "code" not in iso or ("edition" not in iso and _iso_title(items) is None):
        return False
    proc = ProcDraft(name=_iso_title(items) or "", heading_codes=[], source=items[0].ref, kv=True)
    proc.code = iso.get("code")
    proc.iso = iso
    reading.procs.append(proc)
    reading.current = proc
    return True


def close_iso_document(reading: Reading) -> None:
    """Everything found in an ISO document belongs to its one procedure: steps in one case, renumbered."""
    proc = reading.procs[0]
    for other in reading.procs[1:]:
        proc.variants.extend(v for v in other.variants if v.steps)
    del reading.procs[1:]
    if len(proc.variants) > 1:
        merged = Variant(label=None)
        for variant in proc.variants:
            merged.steps.extend(variant.steps)
            merged.stated_total = merged.stated_total or variant.stated_total
        merged.steps = [replace(s, order=i) for i, s in enumerate(merged.steps, start=1)]
        proc.variants = [merged]
    proc.revisions = revisions(reading.items)
    _iso_sections(reading.items, proc)
