"""Dates as documents print them (day, month, year apart) and as users type them, and their display form."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["NoSuchDay", "iso_date", "parse_user_date", "vn_date"]

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(day: str, month: str, year: str) -> str | None:
    """Return ``YYYY-MM-DD`` for a printed day, month and year, or ``None`` if it is not a real date.

    >>> iso_date("01", "12", "2025")
    '2025-12-01'
    >>> iso_date("31", "4", "2025") is None
    True
    """
    try:
        d, m, y = int(day), int(month), int(year)
    except ValueError:
        return None
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    if d > (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


class NoSuchDay(ValueError):
    """A date in a right form that the calendar does not have (31/04/2025, 29/02/2023, month 13)."""

    def __init__(self, year: int, month: int, day: int) -> None:
        self.year, self.month, self.day = year, month, day
        super().__init__(f"no such day: {year:04d}-{month:02d}-{day:02d}")


def parse_user_date(text: str) -> str:
    """Read a date typed by a user: ISO ``YYYY-MM-DD`` or Vietnamese ``DD/MM/YYYY`` (also ``.`` or ``-``).

    Returns:
        The ISO date.

    Raises:
        ValueError: not a date in either form (message "not a date").
        NoSuchDay: a date in a right form that the calendar does not have.

    >>> parse_user_date("02/03/2026")
    '2026-03-02'
    """
    value = (text or "").strip()
    m = _YMD.match(value)
    parts: tuple[int, int, int] | None = None
    if m:
        parts = (int(m[1]), int(m[2]), int(m[3]))
    else:
        m = _DMY.match(value)
        if m:
            parts = (int(m[3]), int(m[2]), int(m[1]))
    if parts is None:
        raise ValueError("not a date")
    try:
        return date(*parts).isoformat()
    except ValueError:  # Python's wording ("day is out of range for month") is not for users
        raise NoSuchDay(*parts) from None


def vn_date(iso: str | None) -> str:
    """``2023-06-30`` -> ``30/06/2023``, as Vietnamese documents write dates (anything else unchanged)."""
    if not iso or not _ISO.match(iso):
        return iso or ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
