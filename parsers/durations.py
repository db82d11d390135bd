"""Time expressions of procedure steps and legal limits, turned into counted working hours.

Grammar (docs/FORMATS.md, "Durations"): a number (``01``, ``0,5``, ``1.5``, ``1/2``, ``½``),
an optional spelled-out restatement in parentheses (``10 (mười) ngày``), and a unit: ``ngày làm việc``,
``ngày``, ``giờ làm việc``, ``giờ`` or ``phút``. Only the first such expression counts: a later
parenthesis such as ``168 giờ (tương đương 21 ngày)`` restates it.

Decisions, so users can rely on them:

* 1 ngày làm việc = 8 working hours (Nghệ An's "80 giờ làm việc (tương đương 10 ngày làm việc)").
* A plain ``ngày`` (calendar or working day is not said) is counted as a working day, 8 hours, but
  ``unit`` stays ``"ngày"`` so the ambiguity stays visible.
* ``Giờ hành chính``, ``Không tính thời gian``, ``Không quy định``, ``Toàn trình``/``Một phần`` (online
  service levels, found in time cells after a column shift) are *untimed*: ``hours`` is None.
* ``Trong ngày`` / ``Giải quyết trong ngày`` / ``ngay trong ngày`` are a time: the same working day,
  counted as 8 hours with unit ``"ngày"``.
* ``Ngay`` / ``Ngay sau khi …`` (immediately) is a time of 0 hours.
* Anything else (``03 tháng``, ``Theo quy định …``) keeps ``hours`` None with ``untimed`` False: a time
  that could not be counted. The text is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from procreg.text import fold, normalize_line

__all__ = ["HOURS_PER_DAY", "Duration", "find_duration", "looks_like_duration", "parse_duration"]

HOURS_PER_DAY = 8.0

# Untimed values, matched on folded text at the start of the cell.
_UNTIMED = re.compile(
    r"^(?:gio hanh chinh|khong tinh thoi gian|khong quy dinh|toan trinh|mot phan|"
    r"khong ap dung|theo gio hanh chinh)\b"
)
_SAME_DAY = re.compile(r"(?:^|\b)(?:giai quyet |ngay )?trong ngay\b(?! lam viec tiep theo)")
_IMMEDIATE = re.compile(r"^ngay(?: sau khi| khi| lap tuc)?\b")

_NUMBER = r"(?P<n>\d+\s*/\s*\d+|½|¼|¾|\d+(?:[.,]\d{1,2})?)"
_WORDS = r"(?:\s*\([^()\d]{1,30}\))?"  # a spelled-out restatement: 10 (mười) ngày
_UNIT = r"(?P<unit>ngày làm việc|ngày|giờ làm việc|giờ|phút|tháng|tuần|năm)"
_EXPR = re.compile(_NUMBER + _WORDS + r"\s*" + _UNIT + r"(?!\w)", re.IGNORECASE)

_FACTOR = {
    "ngày làm việc": HOURS_PER_DAY,
    "ngày": HOURS_PER_DAY,
    "giờ làm việc": 1.0,
    "giờ": 1.0,
    "phút": 1.0 / 60.0,
}


@dataclass(frozen=True, slots=True)
class Duration:
    """A parsed time expression.

    Attributes:
        hours: counted working hours, or None (untimed, or a time that cannot be counted).
        text: the expression as printed (NFC, trimmed).
        untimed: True for values that say the step is not timed ("Giờ hành chính" ...).
        unit: the unit as printed, lower case ("ngày làm việc", "ngày", "giờ" ...), or None.
    """

    hours: float | None
    text: str
    untimed: bool = False
    unit: str | None = None


def _number(token: str) -> float:
    token = token.replace(" ", "")
    if token in ("½", "¼", "¾"):
        return {"½": 0.5, "¼": 0.25, "¾": 0.75}[token]
    if "/" in token:
        num, den = token.split("/", 1)
        return float(Fraction(int(num), int(den))) if int(den) else 0.0
    return float(token.replace(",", "."))


_CLOCK = re.compile(r"(?:sau|trước|lúc|từ|đến|tới|trước khi)\s*$", re.IGNORECASE)


def _clock_time(text: str, match: re.Match[str]) -> bool:
    """``sau 15 giờ`` / ``lúc 8 giờ`` is a time of day, not a duration."""
    return match.group("unit").lower().startswith("giờ") and bool(_CLOCK.search(text[: match.start()]))


def parse_duration(text: str) -> Duration:
    """Parse a step time or a legal limit into working hours.

    Args:
        text: the cell or phrase, e.g. ``"0,5 ngày"``, ``"168 giờ (tương đương 21 ngày)"``.

    Returns:
        The ``Duration``; ``text`` is the input, NFC-normalised and trimmed.

    Examples:
        >>> parse_duration("1,5 ngày làm việc").hours
        12.0
        >>> parse_duration("Giờ hành chính").untimed
        True
    """
    clean = normalize_line(text)
    folded = fold(clean).lstrip("-+•* ").strip()
    if not folded:
        return Duration(hours=None, text=clean)
    if _UNTIMED.match(folded):
        return Duration(hours=None, text=clean, untimed=True)
    match = next((m for m in _EXPR.finditer(clean) if not _clock_time(clean, m)), None)
    if match is not None:
        unit = match.group("unit").lower()
        factor = _FACTOR.get(unit)
        if factor is None:  # tháng, tuần, năm: a time, but not in working hours
            return Duration(hours=None, text=clean, unit=unit)
        try:
            value = _number(match.group("n"))
        except (ValueError, ZeroDivisionError):
            return Duration(hours=None, text=clean, unit=unit)
        return Duration(hours=round(value * factor, 4), text=clean, unit=unit)
    if _SAME_DAY.search(folded):
        return Duration(hours=HOURS_PER_DAY, text=clean, unit="ngày")
    if _IMMEDIATE.match(folded):
        return Duration(hours=0.0, text=clean)
    return Duration(hours=None, text=clean)


def looks_like_duration(text: str, *, max_len: int = 90) -> bool:
    """True when a short cell reads as a step time (a counted time or an untimed value)."""
    clean = normalize_line(text)
    if not clean or len(clean) > max_len:
        return False
    parsed = parse_duration(clean)
    if parsed.untimed:
        return True
    if parsed.hours is None:
        return False
    # "Bước 1: … 07 ngày làm việc …" is prose with a time inside, not a time cell: the time must lead.
    folded = fold(clean)
    if re.match(r"^(?:[-+•*]\s*)?(?:trong |khong qua |toi da |ngay |giai quyet )?[\d½¼¾]", folded):
        return True
    if parsed.hours == 0.0:
        return _IMMEDIATE.match(folded) is not None
    return parsed.hours == HOURS_PER_DAY and _SAME_DAY.search(folded) is not None


def find_duration(text: str) -> Duration | None:
    """The first counted time inside running text (``… trong thời gian 07 ngày làm việc, kể từ …``).

    Returns the ``Duration`` of the matched expression (its ``text`` is the expression alone), or None.
    """
    clean = normalize_line(text)
    for match in _EXPR.finditer(clean):
        if _clock_time(clean, match):
            continue
        parsed = parse_duration(match.group(0))
        if parsed.hours is not None:
            return parsed
    return None
