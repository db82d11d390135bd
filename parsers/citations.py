"""Document numbers and citations: ``Quyết định số 2629/QĐ-UBND ngày 23/12/2022 của UBND tỉnh``.

``canonical_number`` turns the number/symbol of a Vietnamese official document into one canonical
form, repairing the typos real documents carry (``QĐ- UBND``, ``Q Đ-UBND``, ``2609QĐ/UBND``,
``118/2025/NĐCP``, Cyrillic look-alikes). ``extract_citations`` finds every cited document in a text:
type (from the word before the number, else from the symbol's type code), normalised number, ISO date
and issuer where printed, and the verbatim span.

Everything here is a single left-to-right pass with regexes compiled once at import time.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from procreg.registry.models import Citation
from procreg.text.dates import iso_date

__all__ = [
    "TYPE_CODES",
    "extract_citations",
    "canonical_number",
    "type_for_code",
]

# Cyrillic capitals that look like Latin ones ("66/NQ-СР" in a real decision).
_CYRILLIC = str.maketrans("АВСЕНКМОРТХІ", "ABCEHKMOPTXI")

# Type codes of the symbol -> the document type they name.
TYPE_CODES: dict[str, str] = {
    "QĐ": "Quyết định",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "KL": "Kết luận",
    "TTr": "Tờ trình",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "CĐ": "Công điện",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "ĐA": "Đề án",
    "CV": "Công văn",
    "L": "Luật",
    "PL": "Pháp lệnh",
    "CTHĐ": "Chương trình",
}
# Longest first, so "TTLT" wins over "TT" and "CTr" over "CT" when a missing hyphen is repaired.
_CODES_BY_LENGTH = sorted(TYPE_CODES, key=len, reverse=True)

# Type words as printed before a number; generic words (Văn bản, Công văn) go with any symbol.
_TYPE_WORDS: dict[str, frozenset[str]] = {
    "Thông tư liên tịch": frozenset({"TTLT"}),
    "Quyết định": frozenset({"QĐ"}),
    "Nghị định": frozenset({"NĐ"}),
    "Thông tư": frozenset({"TT", "TTLT"}),
    "Nghị quyết": frozenset({"NQ"}),
    "Chỉ thị": frozenset({"CT"}),
    "Kế hoạch": frozenset({"KH"}),
    "Chương trình": frozenset({"CTr", "CTHĐ"}),
    "Kết luận": frozenset({"KL"}),
    "Tờ trình": frozenset({"TTr"}),
    "Báo cáo": frozenset({"BC"}),
    "Hướng dẫn": frozenset({"HD"}),
    "Thông báo": frozenset({"TB"}),
    "Công điện": frozenset({"CĐ"}),
    "Quy chế": frozenset({"QC"}),
    "Quy định": frozenset({"QyĐ"}),
    "Đề án": frozenset({"ĐA"}),
    "Pháp lệnh": frozenset({"PL"}),
    "Luật": frozenset({"L", "QH"}),
    "Văn bản": frozenset(),
    "Công văn": frozenset(),
}
_GENERIC_TYPES = frozenset({"Văn bản", "Công văn"})
_TYPE_WORD_RE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(map(re.escape, _TYPE_WORDS), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)

# Capitals: ASCII, Vietnamese precomposed, and Cyrillic look-alikes; letters: both cases of those.
_VN_UPPER = "".join(c for c in map(chr, range(0xC0, 0x1EF9)) if c.isalpha() and c.isupper())
_VN_LOWER = "".join(c for c in map(chr, range(0xC0, 0x1EF9)) if c.isalpha() and c.islower())
_UP = "A-Z" + _VN_UPPER + "А-Я"
_AL = "A-Za-z" + _VN_UPPER + _VN_LOWER + "А-Яа-я"
# A number/symbol. Alternatives, in order: party style "12-NQ/TU"; the standard
# "118/2025/NĐ-CP" (also with a missing hyphen or spaces around it); the misplaced slash "2609QĐ/UBND".
_NUMBER = (
    rf"(?=\d)(?<![\w/.,-])(?:"
    rf"(?P<party>\d{{1,5}}-[{_UP}][{_AL}]{{0,5}}/[{_UP}][{_AL}0-9&]*(?:-[{_UP}][{_AL}0-9&]*)*)"
    rf"|(?P<std>\d{{1,5}}(?:\s?/\s?\d{{4}})?\s?/\s?(?:Q\s?Đ|[{_UP}][{_AL}0-9]{{0,6}})"
    rf"(?:\s?-\s?[{_UP}][{_AL}0-9&]*(?:-[{_UP}][{_AL}0-9&]*)*)?)"
    rf"|(?P<slip>\d{{1,5}}[{_UP}][{_AL}]{{0,5}}/[{_UP}][{_AL}0-9&]*(?:-[{_UP}][{_AL}0-9&]*)*)"
    rf")(?![\w/])"
)
NUMBER_RE = re.compile(_NUMBER)

_DAY_MONTH_YEAR = (
    r"(?P<d>\d{1,2})\s*(?:/|-|\.|\s*tháng\s*)\s*(?P<m>\d{1,2})"
    r"\s*(?:/|-|\.|\s*(?:năm|tháng)\s*)\s*(?P<y>\d{4})"
)
# What may sit between a number and its date: ", ", "ban hành", "được ban hành".
_DATE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:\((?:[^()]{0,40})\)\s*)?(?:(?:được\s+)?ban\s+hành\s+)?ngày\s*" + _DAY_MONTH_YEAR,
    re.IGNORECASE,
)
_ISSUER_AFTER_RE = re.compile(r"\s*,?\s*của\s+(?P<issuer>[^,;.()\n]{2,120})", re.IGNORECASE)
_ISSUER_STOP_RE = re.compile(
    r"\s+(?:về|ban hành|quy định|phê duyệt|hướng dẫn|sửa đổi|bổ sung|công bố|thông qua|triển khai|"
    r"thực hiện|tại|đối với|và|trong|v/v|qui định|về việc)(?:\s|$)",
    re.IGNORECASE,
)
# A "số" that links a type word to its number; enumerations continue with "và số", ", số".
_WINDOW = 90
_SO_BEFORE_RE = re.compile(r"(?<!\w)số\s*$", re.IGNORECASE)
_BREAK_RE = re.compile(r"[;:!?\n|]|\.\s")


_SPACE_RE = re.compile(r"\s+")
_STRAY_DOT_RE = re.compile(r"(?<=\d)\.+(?=/)")
_SHORT_SYMBOL_RE = re.compile(r"QH\d*|[A-ZĐ]{1,2}")
_SYMBOL_REST_RE = re.compile(r"[A-ZĐ][A-Za-zĐđ0-9&]*")
_PARTY_NUMBER_RE = re.compile(r"(\d{1,5})-([A-ZĐ][A-Za-zĐđ]{0,5})/(.+)")
_SLIP_NUMBER_RE = re.compile(r"(\d{1,5})([A-ZĐ][A-Za-zĐđ]{0,5})/([A-ZĐ].*)")
_STD_NUMBER_RE = re.compile(r"(\d{1,5})(?:/(\d{4}))?/([A-ZĐ].*)")
_PARTY_CODE_RE = re.compile(r"\d+-([^/]+)/.*")
_LAW_CODE_RE = re.compile(r"QH\d*")
_LAW_SYMBOL_RE = re.compile(r"QH\d{2}")  # a complete law symbol: QH14, QH15
# A piece of a number after a line break: "MT" of "BNN MT", "Đ-CP" of "N Đ-CP".
_FRAGMENT_RE = re.compile(rf"[ \n](?P<f>[{_UP}0-9&][{_AL}0-9&]{{0,7}}(?:-[{_UP}][{_AL}0-9&]*)*)(?![\w/])")
_TORN_DIGITS_RE = re.compile(r"(?<=[;,:])(?P<d>\d{1,4})[ \n]$")
# Issuer symbols every table knows (the shipped table adds the rest).
_BASE_SYMBOLS = frozenset({"CP", "UBND", "TTg", "TW", "TU", "HĐND", "VPCP"})


def _split_code(symbol: str) -> str:
    """Repair a symbol whose hyphen is missing: ``NĐCP`` -> ``NĐ-CP``, ``TTBYT`` -> ``TT-BYT``."""
    if "-" in symbol or _SHORT_SYMBOL_RE.fullmatch(symbol):
        return symbol
    for code in _CODES_BY_LENGTH:
        rest = symbol[len(code) :]
        if symbol.startswith(code) and len(rest) >= 2 and _SYMBOL_REST_RE.fullmatch(rest):
            return f"{code}-{rest}"
    return symbol


def canonical_number(text: str) -> str | None:
    """Return the canonical form of a document number/symbol, or ``None`` when it has no number.

    >>> canonical_number("2609QĐ/UBND")
    '2609/QĐ-UBND'
    >>> canonical_number("118/2025/NĐCP")
    '118/2025/NĐ-CP'
    >>> canonical_number("1037/Q Đ- UBND")
    '1037/QĐ-UBND'
    >>> canonical_number("   /KH-UBND") is None
    True
    """
    s = _SPACE_RE.sub("", text.translate(_CYRILLIC)).strip(".,;:")
    s = _STRAY_DOT_RE.sub("", s)  # "3070./KH-UBND": a stray mark before the slash
    m = _PARTY_NUMBER_RE.fullmatch(s)
    if m:
        return f"{m[1]}-{m[2]}/{m[3]}"
    m = _SLIP_NUMBER_RE.fullmatch(s)
    if m:
        return f"{m[1]}/{m[2]}-{m[3]}"
    m = _STD_NUMBER_RE.fullmatch(s)
    if m:
        symbol = _split_code(m[3])
        return f"{m[1]}/{m[2]}/{symbol}" if m[2] else f"{m[1]}/{symbol}"
    return None


def _code_of(number: str) -> str | None:
    """The type code of a normalised number: ``QĐ`` for ``2629/QĐ-UBND``, ``CTr`` for ``920-CTr/TU``."""
    m = _PARTY_CODE_RE.fullmatch(number)
    if m:
        return m[1]
    symbol = number.rsplit("/", 1)[-1]
    code = symbol.split("-", 1)[0]
    if _LAW_CODE_RE.fullmatch(code):
        return "QH"
    return code if "-" in symbol else None


def type_for_code(code: str | None) -> str | None:
    """The document type a symbol's type code names (``QĐ`` -> ``Quyết định``), else ``None``."""
    if code is None:
        return None
    if code == "QH":
        return "Luật"
    return TYPE_CODES.get(code)


def _canonical_type(word: str) -> str:
    low = word.lower()
    for name in _TYPE_WORDS:
        if name.lower() == low:
            return name
    return word


def _type_before(text: str, start: int, code: str | None, floor: int) -> tuple[str | None, int]:
    """Find the type word governing the number at ``start``: the nearest one that fits the code.

    Looks back at most ``_WINDOW`` characters and never across a clause break or ``floor`` (the end of
    the previous citation's number). Returns the type and where its word starts (``start`` if none).
    """
    lo = max(floor, start - _WINDOW)
    window = text[lo:start]
    breaks = list(_BREAK_RE.finditer(window))
    if breaks:
        lo += breaks[-1].end()
        window = text[lo:start]
    candidates = [(m.start() + lo, _canonical_type(m.group(1))) for m in _TYPE_WORD_RE.finditer(window)]
    for pos, name in reversed(candidates):
        fits = _TYPE_WORDS[name]
        if code is None or not fits or code in fits:
            # Only the closest generic word counts; a specific word must fit the symbol's code.
            if name in _GENERIC_TYPES and code is not None and type_for_code(code) is not None:
                continue
            return name, pos
    return None, start


def _symbol_known(number: str | None, known: Collection[str]) -> bool:
    """True when every part of the number's symbol is a known type code or issuer symbol."""
    if number is None:
        return False
    if _PARTY_CODE_RE.fullmatch(number):
        code, _, issuer = number.split("-", 1)[1].partition("/")
        parts = [code, issuer]
    else:
        parts = number.rsplit("/", 1)[-1].split("-")
    first, rest = parts[0], parts[1:]
    if not (first in TYPE_CODES or _LAW_SYMBOL_RE.fullmatch(first) or (not rest and first in known)):
        return False
    return all(p in known for p in rest)


def _repair_split(text: str, m: re.Match[str], known: Collection[str]) -> tuple[str, int, int]:
    """Undo a line break inside a number (PDF table cells break long tokens anywhere).

    "1409/QĐ-BNN MT", "136/2025/N Đ-CP", "2873/QĐ-UB ND": the fragment after the break is glued back when
    that turns an unknown symbol into a known one; ";7 53/QĐ-BKHCN" (digits torn off the front by the
    same break) gets its leading digits back. Returns the printed number, its start and its end.
    """
    printed, start, end = m.group(0), m.start(), m.end()
    frag = _FRAGMENT_RE.match(text, end)
    if frag and not _symbol_known(canonical_number(printed), known):
        joined = printed + frag["f"]
        if _symbol_known(canonical_number(joined), known):
            printed, end = joined, frag.end()
    head = _TORN_DIGITS_RE.search(text, max(0, start - 6), start)
    if head:
        printed, start = head["d"] + printed, head.start("d")
    return printed, start, end


def extract_citations(
    text: str, *, own_number: str | None = None, symbols: Collection[str] = ()
) -> tuple[Citation, ...]:
    """Find every document cited in ``text``, one ``Citation`` per distinct number, in order of first mention.

    ``own_number`` (the document's own number) is never reported. A later mention fills in the date or
    issuer a first mention lacked. ``symbols`` (issuer symbols such as ``UBND``, ``SNgV``) let a number
    torn by a line break be glued back together.
    """
    found: dict[str, Citation] = {}
    floor = 0
    known = frozenset(symbols) | _BASE_SYMBOLS
    for m in NUMBER_RE.finditer(text):
        if m.start() < floor:
            continue  # the fragment of a number already glued back
        printed, start, end_num = _repair_split(text, m, known)
        number = canonical_number(printed)
        if number is None or number == own_number:
            floor = end_num
            continue
        code = _code_of(number)
        word, begin = _type_before(text, start, code, floor)
        ctype = word or type_for_code(code)
        if word is None:
            so = _SO_BEFORE_RE.search(text, max(floor, start - 6), start)
            if so:
                begin = so.start()
        end = end_num
        date = None
        dm = _DATE_AFTER_RE.match(text, end)
        if dm:
            date = iso_date(dm["d"], dm["m"], dm["y"])
            end = dm.end()
        issuer = None
        im = _ISSUER_AFTER_RE.match(text, end)
        if im:
            raw_issuer = im["issuer"]
            stop = _ISSUER_STOP_RE.search(raw_issuer)
            issuer = (raw_issuer[: stop.start()] if stop else raw_issuer).strip() or None
            if issuer is not None:
                end = im.start("issuer") + len(issuer)
        verbatim = _SPACE_RE.sub(" ", text[begin:end]).strip()
        floor = end_num
        if number in found:
            old = found[number]
            if (old.date is None and date) or (old.issuer is None and issuer) or (old.type is None and ctype):
                found[number] = Citation(
                    type=old.type or ctype,
                    number=number,
                    date=old.date or date,
                    issuer=old.issuer or issuer,
                    text=old.text if old.date or not date else verbatim,
                )
            continue
        found[number] = Citation(type=ctype, number=number, date=date, issuer=issuer, text=verbatim)
    return tuple(found.values())
