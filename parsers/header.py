"""The formal header and closing block of a Vietnamese official document (Nghị định 30/2020/NĐ-CP layout).

From the first lines of a document: the issuing agency lines, ``Số: 01/KH-SNgV``, ``Hà Tĩnh, ngày 10
tháng 01 năm 2023``, the type word (``KẾ HOẠCH``, ``QUYẾT ĐỊNH``...) and the subject lines that follow it.
From the closing block: the signer's name and position (``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH`` / name).

The header is searched only in the document's opening zone (before the first ``Căn cứ`` / ``Thực hiện``
/ ``Điều 1`` / numbered section), so a form template in an annex ("Số: … V/v …") or an annex line
"Kèm theo Quyết định số …" is never taken for the document's own header. Annex extracts without a
header get no number, date or kind: nothing is invented.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from procreg.i18n import N_
from procreg.parsers.blocks import Line
from procreg.parsers.citations import canonical_number
from procreg.registry.models import DocKind, Signer
from procreg.text.dates import iso_date

__all__ = ["Header", "extract_header", "extract_signer", "header_fields", "sentence_case"]

TYPE_KINDS: dict[str, DocKind] = {
    "KẾ HOẠCH": "plan",
    "QUYẾT ĐỊNH": "decision",
    "CHỈ THỊ": "directive",
    "BÁO CÁO": "report",
    "QUY TRÌNH": "procedure",
    "CÔNG VĂN": "official_letter",
    "THÔNG BÁO": "other",
    "TỜ TRÌNH": "other",
    "CÔNG ĐIỆN": "other",
    "HƯỚNG DẪN": "other",
    "CHƯƠNG TRÌNH": "other",
    "NGHỊ QUYẾT": "other",
    "QUY CHẾ": "other",
    "QUY ĐỊNH": "other",
    "ĐỀ ÁN": "other",
    "KẾT LUẬN": "other",
}
# Kind from the symbol's type code when the header shows no type word.
_CODE_KINDS: dict[str, DocKind] = {"QĐ": "decision", "KH": "plan", "CT": "directive", "BC": "report"}

_TYPE_RE = re.compile(
    r"^\s*(" + "|".join(sorted(TYPE_KINDS, key=len, reverse=True)) + r")(?![\w:])\s*(.*)$", re.S
)
# "Số: 01/KH-SNgV"; Party documents print "Số 45-HD/BTCTW" without the colon.
_NUMBER_FIELD_RE = re.compile(r"(?<!\w)Số\s*(?::|(?=\d{1,5}\s*[-/]))\s*(?P<rest>.*)$", re.S)
# The national motto, or the Party's ("ĐẢNG CỘNG SẢN VIỆT NAM") on Party documents.
_MOTTO_RE = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI|Độc\s+lập\s*-\s*Tự\s+do|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", re.IGNORECASE
)
_MOTTO_CUT_RE = re.compile(
    r"\s*(?:CỘNG\s+HÒA\s+XÃ\s+HỘI.*|Độc\s+lập\s*-\s*Tự\s+do.*|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM.*)$",
    re.IGNORECASE | re.S,
)
_DATE_LINE_RE = re.compile(
    r",?\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*năm\s*(?P<y>\d{4})?", re.IGNORECASE
)
# A field that starts the body: the header zone ends there.
_BODY_START_RE = re.compile(
    r"^\s*(?:Căn\s+cứ|Thực\s+hiện|Theo\s+đề\s+nghị|Điều\s+\d|Kính\s+gửi|Nơi\s+nhận|"
    r"(?:[IVX]+|\d{1,2})\.\s+\S|PHỤ\s+LỤC|STT\b|TT\b)"
)
_TITLE_CUT_RE = re.compile(
    r"\s*(?:(?<!CỦA )(?<!PHÓ )(?<!VÀ )\b(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|GIÁM\s+ĐỐC|THỦ\s+TƯỚNG|CỤC\s+TRƯỞNG|"
    r"TỔNG\s+CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN)\b"
    r"|(?<!\w)(?:Căn\s+cứ|Thực\s+hiện|Theo\s+đề\s+nghị|Kính\s+gửi|Điều\s+1\b|QUYẾT\s+ĐỊNH\s*:))",
)
_VV_RE = re.compile(r"\bV/v\b\s*(?P<subject>.*)$", re.S)
_DASHES_RE = re.compile(r"\s*[-–—_]{3,}\s*")
_PAREN_RE = re.compile(r"\([^()]*\)")
# Authority prefixes: "KT." (on behalf of), "TM.", "TL.", "TUQ.", "Q." (acting); Party documents write
# "K/T", "T/M", "T/L".
_AUTH_PREFIX_RE = re.compile(r"(?:^|\s)(?:TM|KT|TL|TUQ|Q)\.|(?:^|\s)(?:K/T|T/M|T/L)(?=\s)")

_POSITIONS = (
    "TỔNG CỤC TRƯỞNG",
    "TỔNG GIÁM ĐỐC",
    "CHÁNH VĂN PHÒNG",
    "CHÁNH THANH TRA",
    "TRƯỞNG PHÒNG",
    "TRƯỞNG BAN",
    "TRƯỞNG ĐOÀN",
    "CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "VIỆN TRƯỞNG",
    "HIỆU TRƯỞNG",
    "THỦ TƯỚNG",
    "CHỦ TỊCH",
    "CHỦ NHIỆM",
    "GIÁM ĐỐC",
    "CHÁNH ÁN",
    "BÍ THƯ",
)
# A position may carry a qualifier after it: "THỨ TRƯỞNG THƯỜNG TRỰC", "PHÓ GIÁM ĐỐC PHỤ TRÁCH".
_QUALIFIERS = r"(?:\s+(?:THƯỜNG\s+TRỰC|PHỤ\s+TRÁCH|THỨ\s+NHẤT))?"
_POSITION_RE = re.compile(
    r"(?:PHÓ\s+)?(?:" + "|".join(p.replace(" ", r"\s+") for p in _POSITIONS) + r")" + _QUALIFIERS + "$"
)
_MAX_ZONE_LINES = 16
_TOKEN_RE = re.compile(r"[0-9A-Za-zĐđÀ-ỹА-Я/&.\-_…]+")
_RECIPIENTS_RE = re.compile(r"\s*Nơi\s+nhận")
_PARTY_RE = re.compile(r"\d+-[^/]+/.+")
# Lines that name an issuing agency (Nghị định 30/2020/NĐ-CP, mẫu 1.x: "tên cơ quan, tổ chức ban hành").
_AGENCY_RE = re.compile(
    r"^(?:ỦY\s+BAN|UỶ\s+BAN|UBND\b|HĐND\b|HỘI\s+ĐỒNG|SỞ\b|BỘ\b|CỤC\b|TỔNG\s+CỤC|CHI\s+CỤC|TRUNG\s+TÂM|"
    r"BAN\b|VĂN\s+PHÒNG|PHÒNG\b|VỤ\b|VIỆN\b|THANH\s+TRA|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|QUỐC\s+HỘI|"
    r"(?:TỈNH|THÀNH|HUYỆN|ĐẢNG)\s+ỦY|ĐẢNG\s+BỘ|ĐOÀN\b|KHO\s+BẠC|BẢO\s+HIỂM|CÔNG\s+AN|BỘ\s+CHỈ\s+HUY|"
    r"TÒA\s+ÁN|VIỆN\s+KIỂM\s+SÁT|CƠ\s+QUAN|HỌC\s+VIỆN|TRƯỜNG\b|BỆNH\s+VIỆN|ĐẠI\s+SỨ\s+QUÁN|"
    r"TỔNG\s+LÃNH\s+SỰ\s+QUÁN|CHI\s+NHÁNH|BAN\s+QUẢN\s+LÝ|TỔ\s+CHỨC|LIÊN\s+ĐOÀN|HỘI\b|MẶT\s+TRẬN)"
)
# The place line under an agency line: "TỈNH HÀ TĨNH", "THÀNH PHỐ HÀ NỘI", "XÃ …".
_AGENCY_PLACE_RE = re.compile(r"^(?:TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|ĐẶC\s+KHU)\b")


@dataclass(frozen=True, slots=True)
class Header:
    """What the header and closing block give; ``present`` is False for annex extracts without one."""

    present: bool = False
    kind: DocKind | None = None
    type_label: str | None = None
    number: str | None = None
    issued_on: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    signer: Signer | None = None
    warnings: tuple[str, ...] = field(default=())


def _collapse(text: str) -> str:
    return " ".join(text.split())


def header_fields(lines: Sequence[Line]) -> list[tuple[int, str]]:
    """The document as fields: each paragraph, and each non-empty table cell, with its line index."""
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if line.cells is None:
            out.append((i, line.text))
        else:
            out.extend((i, c) for c in line.cells if c.strip())
    return out


def _zone(fields: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The opening fields of the document, up to the first field that starts the body."""
    zone: list[tuple[int, str]] = []
    for i, text in fields:
        if i >= _MAX_ZONE_LINES or _BODY_START_RE.match(text):
            break
        zone.append((i, text))
    return zone


def _is_plain_word(word: str) -> bool:
    """A lower-case or Title-case word ("ngày", "Căn", "Tĩnh,"), not a symbol like "TTg" or "QĐ"."""
    w = word.strip(",;.:()")
    if not w or not w.isalpha():
        return False
    return w[0].islower() or (len(w) > 1 and w[0].isupper() and w[1:].islower())


def _is_upper_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _number_from(rest: str) -> str | None:
    """The number part of the text after ``Số:``: tokens up to the first word (place name, ``V/v``)."""
    tokens: list[str] = []
    for tok in rest.split():
        if tok.startswith("V/v") or tok.startswith("V/V"):
            break
        if _is_plain_word(tok):  # "Hà", "Tĩnh," "ngày": words, not a symbol
            break
        if not _TOKEN_RE.fullmatch(tok):
            break
        tokens.append(tok)
        if len(tokens) >= 6:
            break
    if not tokens:
        return None
    compact = "".join(tokens).replace("…", "").replace("_", "")
    return canonical_number(compact)


def _place_before(text: str) -> str | None:
    """The place right before ``, ngày``: trailing capitalised words (``Hà Tĩnh``, ``TP. Hồ Chí Minh``)."""
    words = text.replace(",", " ").split()
    taken: list[str] = []
    for w in reversed(words):
        if not w[0].isupper() or any(ch.isdigit() or ch in "/:|" for ch in w):
            break
        if len(w) > 1 and w.isupper() and w not in ("TP.",):  # "SNgV"-like symbols and header capitals
            break
        taken.append(w)
        if len(taken) >= 5:
            break
    if not taken:
        return None
    return " ".join(reversed(taken))


def _title_from(first: str, following: Sequence[str]) -> str | None:
    """Join the subject lines after the type word, cut at the authority line or the first body words."""
    parts: list[str] = []
    if first.strip():
        parts.append(first.strip())
    upper = _is_upper_text(first) if first.strip() else None
    for text in following:
        if _TITLE_CUT_RE.match(text) or _BODY_START_RE.match(text) or _TYPE_RE.match(text):
            break
        if upper is None:
            if len(text) > 200 or text.rstrip().endswith((";", ":")):
                break
            parts.append(text.strip())
            upper = _is_upper_text(text)
            if not upper:
                break
            continue
        if not upper or not _is_upper_text(text):
            break
        parts.append(text.strip())
    title = _collapse(" ".join(parts))
    cut = _TITLE_CUT_RE.search(title)
    if cut:
        title = title[: cut.start()]
    if _is_upper_text(title):
        # An upper-case subject ends where ordinary words begin ("... TỈNH Căn cứ Luật ...").
        words = title.split()
        for k, w in enumerate(words):
            if k > 0 and _is_plain_word(w):
                title = " ".join(words[:k])
                break
    title = title.strip(" ,;:-")
    return title or None


def sentence_case(position: str) -> str:
    """``PHÓ CHỦ TỊCH`` -> ``Phó Chủ tịch``, ``GIÁM ĐỐC`` -> ``Giám đốc`` (Vietnamese title usage)."""
    words = position.lower().split()
    if not words:
        return position
    if words[0] == "phó" and len(words) > 1:
        rest = " ".join(words[1:])
        return "Phó " + rest[0].upper() + rest[1:]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _is_name_word(w: str) -> bool:
    return len(w) >= 2 and w.isalpha() and w[0].isupper() and w[1:].islower()


def _split_signer(text: str) -> tuple[str, str | None, str | None] | None:
    """Split ``KT. CHỦ TỊCH PHÓ CHỦ TỊCH Mai Sơn`` into (position, authority, name); None if not a signer."""
    words = _PAREN_RE.sub(" ", text).split()
    if not words:
        return None
    k = len(words)
    while k > 0 and _is_name_word(words[k - 1]):
        k -= 1
    name_words = words[k:]
    head = words[:k]
    if not head or not all(_is_upper_text(w) or w in ("-", "–") for w in head):
        return None
    if name_words and not 2 <= len(name_words) <= 5:
        return None
    upper = " ".join(head)
    m = _POSITION_RE.search(upper)
    if m is None or len(upper) > 90:
        return None
    position = m.group(0)
    authority = upper[: m.start()].strip() or None
    if authority is not None and not _AUTH_PREFIX_RE.search(" " + authority):
        return None
    return position, authority, " ".join(name_words) or None


def extract_signer(fields: Sequence[tuple[int, str]], start: int = 0) -> Signer | None:
    """Find the signer in the closing block: a field with position and name, or a position then a name.

    Searched from the ``Nơi nhận`` field on when there is one (the signature sits beside it), else from
    ``start``; annex form templates ("TM. TỔ CHỨC (Chữ ký, dấu)") carry no name and are skipped.
    """
    begin = start
    for k in range(start, len(fields)):
        if _RECIPIENTS_RE.match(fields[k][1]):
            begin = k
            break
    for pass_start in (begin, start) if begin != start else (start,):
        for k in range(pass_start, len(fields)):
            text = _collapse(fields[k][1])
            if len(text) > 140 or not text:
                continue
            parts = _split_signer(text)
            if parts is None:
                continue
            position, authority, name = parts
            if name is None:
                for j in range(k + 1, min(k + 4, len(fields))):
                    nxt = _collapse(_PAREN_RE.sub(" ", fields[j][1]))
                    if not nxt:
                        continue
                    words = nxt.split()
                    if 2 <= len(words) <= 5 and all(_is_name_word(w) for w in words):
                        name = nxt
                    break
            if name is None:
                continue
            return Signer(name=name, position=sentence_case(position), authority=authority)
    return None


def _issuer_from_symbol(number: str | None, symbols: Mapping[str, str]) -> str | None:
    if not number:
        return None
    symbol = number.rsplit("/", 1)[-1]
    # Party style "12-NQ/TU": the issuer is after the slash; otherwise after the type code's hyphen.
    key = symbol if _PARTY_RE.fullmatch(number) else symbol.partition("-")[2]
    for candidate in (key, key.split("-", 1)[0]):
        if candidate and candidate in symbols:
            return symbols[candidate]
    return None


def _issuer_from_fields(zone: Sequence[tuple[int, str]], upto: int) -> str | None:
    """The agency lines above ``Số:``: upper-case lines that name an agency, and the lines continuing them.

    An upper-case line that names no agency ("TÀI LIỆU MINH HỌA", "BẢN SAO", "MẬT") is skipped; a
    place line ("TỈNH HÀ TĨNH") or a wrapped one counts only right after an agency line.
    """
    parts: list[str] = []
    previous_kept = False
    for _, text in zone[:upto]:
        cleaned = _collapse(_DASHES_RE.sub(" ", _MOTTO_CUT_RE.sub("", text)))
        if not cleaned or not _is_upper_text(cleaned):
            continue  # the motto column beside the agency lines, dashes
        if _TYPE_RE.match(cleaned):
            previous_kept = False
            continue
        if _AGENCY_RE.match(cleaned) or (
            previous_kept and (_AGENCY_PLACE_RE.match(cleaned) or parts[-1].endswith((" VÀ", ",", "-")))
        ):
            parts.append(cleaned)
            previous_kept = True
        else:
            previous_kept = False
    return " ".join(parts) or None


_TYPE_WORDS = r"(Quyết định|Kế hoạch|Chỉ thị|Công văn|Báo cáo|Thông báo|Nghị quyết|Hướng dẫn|Tờ trình)"
_WORD_KINDS: dict[str, DocKind] = {
    "quyết định": "decision",
    "kế hoạch": "plan",
    "chỉ thị": "directive",
    "công văn": "official_letter",
    "báo cáo": "report",
}
# "(Ban hành kèm theo Quyết định số 2806/QĐ-UBND ngày …)": an annex names its parent document.
_PARENT_RE = re.compile(r"^\(?\s*(?:Ban\s+hành\s+)?[Kk]èm\s+theo\s+" + _TYPE_WORDS + r"\b")
# "… chịu trách nhiệm thi hành Quyết định này./.": a closing article names its own document.
_SELF_RE = re.compile(r"\b(?:thi\s+hành|thực\s+hiện|hiệu\s+lực[^.;]{0,60}?)\s+" + _TYPE_WORDS + r"\s+này\b")
_GREETING_RE = re.compile(r"^\s*Kính\s+gửi\b")
_HEADERLESS_FIELDS = 40  # where an annex prints its parent reference, a letter its greeting


def _headerless(fields: Sequence[tuple[int, str]]) -> Header:
    """Kind and signer of a document without a header, only from what its text says.

    The kind: a closing article naming its own document ("… thi hành Quyết định này"), else the parent an
    annex names ("Kèm theo Quyết định số …": the annex is part of that decision; the parent's number is
    the parent's, never the annex's), else a letter that opens with ``Kính gửi:`` and is signed. The
    signer: the closing block, as for any document. Number and date stay empty.
    """
    kind: DocKind | None = None
    for _, text in fields:
        m = _SELF_RE.search(text)
        if m:
            kind = _WORD_KINDS.get(m.group(1).lower(), "other")
    if kind is None:
        for _, text in fields[:_HEADERLESS_FIELDS]:
            m = _PARENT_RE.match(text.strip())
            if m:
                kind = _WORD_KINDS.get(m.group(1).lower(), "other")
                break
    signer = extract_signer(fields, 0)
    if (
        kind is None
        and signer is not None
        and any(_GREETING_RE.match(text) for _, text in fields[:_HEADERLESS_FIELDS])
    ):
        kind = "official_letter"
    return Header(present=False, kind=kind, signer=signer)


def extract_header(lines: Sequence[Line], symbols: Mapping[str, str] | None = None) -> Header:
    """Read the header fields and the signer from a document's lines.

    Args:
        lines: the document's linear view (``parsers.blocks.document_lines``).
        symbols: issuer symbol table (``SNgV`` -> ``Sở Ngoại vụ``), used when the header prints no agency.
    """
    symbols = symbols or {}
    fields = header_fields(lines)
    zone = _zone(fields)
    warnings: list[str] = []

    number_at: int | None = None
    number: str | None = None
    number_text = ""
    for k, (_, text) in enumerate(zone):
        m = _NUMBER_FIELD_RE.search(text)
        if m:
            number_at = k
            number_text = m["rest"]
            number = _number_from(m["rest"])
            if number is None:
                warnings.append(N_("number left blank in the header (a draft?)"))
            break
    present = number_at is not None or any(_MOTTO_RE.search(t) for _, t in zone)
    if not present:
        # An annex extract or a letter without its header: no number or date is reported, and the kind
        # and signer only when the text itself says them.
        return _headerless(fields)

    place: str | None = None
    issued_on: str | None = None
    for _, text in zone:
        dm = _DATE_LINE_RE.search(text)
        if dm and ("tháng" in dm.group(0).lower()):
            place = _place_before(text[: dm.start()])
            if dm["d"] and dm["m"] and dm["y"]:
                issued_on = iso_date(dm["d"], dm["m"], dm["y"])
            else:
                warnings.append(N_("date left blank in the header (a draft?)"))
            break

    kind: DocKind | None = None
    type_label: str | None = None
    title: str | None = None
    after = number_at + 1 if number_at is not None else 0
    signer_from = fields.index(zone[number_at]) + 1 if number_at is not None else len(zone)
    for k in range(after, len(zone)):
        tm = _TYPE_RE.match(zone[k][1])
        if tm:
            type_label = tm.group(1)
            kind = TYPE_KINDS[type_label]
            following = [t for _, t in fields[fields.index(zone[k]) + 1 : fields.index(zone[k]) + 12]]
            title = _title_from(tm.group(2), following)
            signer_from = fields.index(zone[k]) + 1
            break
    if kind is None:
        vv = _VV_RE.search(number_text) or next((_VV_RE.search(t) for _, t in zone if _VV_RE.search(t)), None)
        if vv:
            kind = "official_letter"
            title = _collapse(vv["subject"]).strip(" ,;.") or None
        elif number:
            code = number.split("/")[-1].split("-")[0] if "-" in number.split("/")[-1] else ""
            kind = _CODE_KINDS.get(code, "other")
        else:
            kind = "other"

    issuer = _issuer_from_fields(zone, number_at if number_at is not None else 0)
    if issuer is None:
        issuer = _issuer_from_symbol(number, symbols)

    signer = extract_signer(fields, signer_from)
    return Header(
        present=True,
        kind=kind,
        type_label=type_label,
        number=number,
        issued_on=issued_on,
        place=place,
        issuer=issuer,
        title=title,
        signer=signer,
        warnings=tuple(warnings),
    )
