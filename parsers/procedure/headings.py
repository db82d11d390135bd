"""Procedure headings, names and codes: what names a procedure found further down.

A procedure is named by a heading above its table or steps (``1. Cấp giấy phép …``, ``II. Thủ tục …
(Mã TTHC: 1.012657, ký hiệu: QTTP-14)``, ``Tên thủ tục: …``), sometimes swallowed into a cell of the row
before. Headings are collected as the document is read; when a procedure starts, ``choose_name`` picks its
name among the headings since the previous one (see docs/FORMATS.md, "Procedure headings").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from procreg.parsers.catalog import codes_in, fold_name
from procreg.registry.models import CatalogEntry
from procreg.text import fold, normalize_line

__all__ = [
    "ANY_CODE",
    "QT_CODE",
    "Heading",
    "choose_name",
    "clean_name",
    "heading_in",
    "heading_since",
    "inline_case",
    "is_section_title",
    "major_since",
    "match_catalog",
    "norm_code",
]

# A procedure code: "QT.GĐ.01", "QT-NV-03". The look-ahead refuses a code cut short by a placeholder
# ("QT.NV.0n" is no code "QT.NV").
QT_CODE = re.compile(r"\bQT[\s.\-]*[A-ZĐ0-9]+(?:[.\-][A-ZĐ0-9]+)*\b(?![.\-]?\w)")
# Any document-control code of an ISO procedure: "QTTP-14", "ISO.QT/07".
ANY_CODE = re.compile(r"\b[A-ZĐ]{2,}[A-ZĐ0-9]*(?:[.\-/][A-ZĐ0-9]+)+\b")


def norm_code(code: str) -> str:
    """A printed procedure code without spaces or a closing dot (``QT. GĐ.01.`` -> ``QT.GĐ.01``)."""
    return re.sub(r"\s+", "", code).rstrip(".")


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading met in a paragraph or cell, at item ``pos``."""

    text: str  # the last heading of the paragraph/cell
    minor: bool  # "a) …", "Trường hợp …": a case of a procedure rather than a procedure
    pos: int
    alts: tuple[str, ...] = ()  # every heading segment of the paragraph/cell, in order
    named: bool = False  # a "Tên thủ tục: …" line: it names the procedure


_HEAD_START = re.compile(r"^(?P<num>\d{1,2}|[IVX]{1,4})\.\s+(?P<body>\S.*)$")
# A case of a procedure: "a) …", "Trường hợp …", or a sub-numbered case "2.2. Trường hợp điều chỉnh …".
_MINOR_START = re.compile(
    r"^(?:[a-zđ]\)\s+|Trường hợp\s|\d{1,2}(?:\.\d{1,2})+\.?\s+(?=(?:Trường hợp|Đối với)\s))(?P<body>.+)$"
)
_INNER_HEAD = re.compile(r"(?:(?<=\s)|(?<=^))(?P<num>\d{1,2}|[IVX]{1,4}) ?\.\s*(?=\S)")
_CODE_PARENS_END = re.compile(r"\([^()]*\b(?:ma|ky hieu)\b[^()]*\)\s*$")
# Words before an inner number that make it a heading rather than a list item.
_HEAD_CONTEXT = ("quy trinh", "phan ", "phu luc", "linh vuc", "danh muc", "kem theo", "noi dung")
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


def _inner_starts(text: str, starts_heading: bool) -> list[int]:
    """Where headings start inside a paragraph or cell (``… PHỤ LỤC II 1. Cấp giấy phép …``)."""
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
    return starts


def heading_in(text: str, pos: int) -> Heading | None:
    """A procedure heading in a paragraph or a (swallowed) cell, or None."""
    text = normalize_line(text)
    if len(text) < 6:
        return None
    named = _NAME_LINE.match(text)
    if named:
        return Heading(named.group("name"), False, pos, (named.group("name"),), named=True)
    m = _HEAD_START.match(text)
    starts_heading = bool(m and m.group("body")[:1].isupper() and not re.match(r"^\d", m.group("body")))
    if (
        not starts_heading
        and _MINOR_START.match(text)
        and len(text) < 250
        and not fold(text).startswith("truong hop ho so")
    ):
        return Heading(text, True, pos, (text,))
    starts = _inner_starts(text, starts_heading)
    if not starts:
        return None
    ends = [*starts[1:], len(text)]
    segments = tuple(text[start:end].strip() for start, end in zip(starts, ends, strict=True))
    return Heading(segments[-1], False, pos, segments)


def heading_since(headings: Sequence[Heading], start: int) -> Heading | None:
    """The last heading, if it was met at item ``start`` or later."""
    if headings and headings[-1].pos >= start:
        return headings[-1]
    return None


def major_since(headings: Sequence[Heading], start: int) -> Heading | None:
    """The last heading that is not a case (``a) …``), if met at item ``start`` or later."""
    for heading in reversed(headings):
        if heading.pos < start:
            return None
        if not heading.minor:
            return heading
    return None


# Section titles that head a procedure's parts, never a procedure: "6. Quy trình giải quyết", "1. Cơ sở
# pháp lý" (matched on the folded, cleaned name).
_GENERIC_HEADING = re.compile(
    r"^(?:quy trinh(?: noi bo)? (?:giai quyet|xu ly)(?: cong viec)?|trinh tu(?: thuc hien)?|"
    r"noi dung(?: cong viec)?|co so phap ly|thanh phan(?: ho so)?|cach thuc.*|thoi gian.*|thoi han.*|"
    r"(?:cac )?bieu mau.*|ho so luu|ket qua.*|doi tuong.*|le phi.*|phi.*|dieu kien.*|so luong.*|"
    r"dia chi.*|noi tiep nhan.*|yeu cau.*|can cu.*|thanh phan.*)$"
)


def is_section_title(name: str) -> bool:
    """A title that heads a procedure's part ("Trình tự thực hiện", "Quy trình giải quyết"), no name."""
    return _GENERIC_HEADING.match(fold(name)) is not None


def clean_name(heading: str) -> tuple[str, list[str]]:
    """A procedure name from a heading, and the national codes printed in it."""
    codes = codes_in([heading])
    name = normalize_line(heading)
    name = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4})\s*\.\s*", "", name)
    name = re.sub(r"^(?:[a-zđ]\)|\d{1,2}(?:\.\d{1,2})+)\s+", "", name)
    name = re.sub(
        r"^Tên (?:thủ tục|TTHC|quy trình)(?: hành chính)?(?: nội bộ)?\s*:\s*", "", name, flags=re.IGNORECASE
    )
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


def inline_case(heading: str) -> str | None:
    """The first case printed inside a procedure heading (``… a) Đối với trường hợp …``)."""
    m = re.search(r"\s[a-dđ]\)\s+((?:Đối với|Trường hợp).+)$", heading)
    return normalize_line(m.group(1)).rstrip(".:;") if m else None


def match_catalog(name: str, codes: Sequence[str], catalog: Sequence[CatalogEntry]) -> CatalogEntry | None:
    """The catalog entry a procedure belongs to: by a printed national code, else by name.

    Names match when equal, or when one (of at least 12 characters) holds the other; the longest
    matching catalog name wins, an equal one before all.
    """
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


def choose_name(
    headings: Sequence[Heading], after: int, catalog: Sequence[CatalogEntry]
) -> tuple[str, list[str], str | None]:
    """Name, printed national codes and printed procedure code of a procedure, from the headings above it.

    ``after`` is the item where the previous procedure started: only later headings count (failing them,
    the last heading that is not a case). A heading that names a catalog entry wins; then a ``Tên thủ
    tục: …`` line, a heading carrying the national code, and else the latest heading that is not a section
    title ("6. Quy trình giải quyết", "1. Cơ sở pháp lý").
    """
    recent = [h for h in reversed(headings) if h.pos > after and not h.minor]
    if not recent:
        last = major_since(headings, -1)
        recent = [last] if last is not None else []
    segments = [seg for h in recent for seg in reversed(h.alts or (h.text,))]
    chosen: str | None = None
    for seg in segments:
        name, codes = clean_name(seg)
        if name and match_catalog(name, codes, catalog) is not None:
            chosen = seg
            break
    if chosen is None:
        named = [seg for h in recent if h.named for seg in h.alts]
        coded = [seg for seg in segments if _coded_heading(seg)]
        chosen = next(iter(named or coded), None)
    if chosen is None:
        chosen = next((g for g in segments if not _GENERIC_HEADING.match(fold(clean_name(g)[0]))), None)
    if chosen is None:
        return "", [], None
    name, codes = clean_name(chosen)
    m = re.search(r"ký hiệu(?: quy trình)?\s*:\s*([A-ZĐ][\wĐ.\-]*\d)", chosen, re.IGNORECASE)
    return name, codes, m.group(1) if m else None
