"""What every diagram module shares: colours and fonts, XML escaping, text measuring and wrapping, hours.

Text is measured with a per-character width table of DejaVu Sans (the widest font of ``FONT_STACK``), so a
wrapped line never overflows its box whichever font of the stack the viewer picks.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape as _xml_escape

from procreg.text import normalize_line
from procreg.text.safe import strip_controls

__all__ = [
    "COLORS",
    "FONT_STACK",
    "HOURS_PER_DAY",
    "ITEM_BREAK",
    "ascii_name",
    "format_duration",
    "format_hours",
    "hours_phrase",
    "text_width",
    "wrap_paragraphs",
    "wrap_text",
    "xml_attr",
    "xml_text",
]

FONT_STACK = "'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
HOURS_PER_DAY = 8

COLORS = {
    "ink": "#1f2933",
    "muted": "#52606d",
    "lane": "#b8c4ce",
    "lane_a": "#f7f9fb",
    "lane_b": "#ffffff",
    "header": "#e9eef3",
    "box": "#2b5797",
    "box_fill": "#ffffff",
    "outcome": "#b26a00",
    "outcome_fill": "#fff8e6",
    "support": "#7b8794",
    "warn": "#b00020",
    "warn_fill": "#fdecea",
    "arrow": "#3e4c59",
}

# Advance widths (per 1000 em) of DejaVu Sans / DejaVu Sans Bold for U+0020..U+007E, read from the fonts.
_ASCII = "".join(chr(i) for i in range(32, 127))
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 "
    "636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 "
    "603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 "
    "634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 "
    "696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 "
    "733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 "
    "712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
_WIDTHS = {
    False: dict(zip(_ASCII, map(int, _REGULAR.split()), strict=True))
    | {"đ": 635, "Đ": 775, "Ơ": 913, "Ư": 858, "–": 500, "—": 1000, "…": 1000, "·": 318, "→": 838, "Σ": 632},
    True: dict(zip(_ASCII, map(int, _BOLD.split()), strict=True))
    | {"đ": 716, "Đ": 838, "Ơ": 874, "Ư": 835, "–": 500, "—": 1000, "…": 1000, "·": 380, "→": 838, "Σ": 683},
}
_UNKNOWN_WIDTH = 1000  # CJK, symbols: assume a full em, never too narrow

# Where a step's text starts a new item: "- Nếu …", "+ …", or "2. …" after a sentence end.
ITEM_BREAK = re.compile(r"\s+(?=[-–+•]\s)|(?<=[.:;])\s+(?=\d{1,2}[.)]\s)")


# --------------------------------------------------------------------------------------------------
# XML escaping.


def xml_text(text: str) -> str:
    """``text`` escaped for an XML (or HTML) element's content: ``&``, ``<`` and ``>``.

    Control characters (ESC, BEL, …) are removed first: XML 1.0 cannot carry them, escaped or not.
    """
    return _xml_escape(strip_controls(text))


def xml_attr(value: str) -> str:
    """``value`` escaped for a double-quoted XML (or HTML) attribute, control characters removed."""
    return _xml_escape(strip_controls(value), {'"': "&quot;"})


# --------------------------------------------------------------------------------------------------
# Text measuring and wrapping.


def _char_width(ch: str, bold: bool) -> int:
    table = _WIDTHS[bold]
    width = table.get(ch)
    if width is not None:
        return width
    if unicodedata.combining(ch):
        return 0
    base = unicodedata.normalize("NFD", ch)[0]
    width = table.get(base)
    if width is not None:
        return width
    return 0 if unicodedata.category(ch) in {"Mn", "Cf"} else _UNKNOWN_WIDTH


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width in pixels of ``text`` at font size ``size`` (DejaVu Sans metrics)."""
    return sum(_char_width(ch, bold) for ch in text) * size / 1000.0


def wrap_text(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Wrap text into lines no wider than ``width`` pixels; words too long for a line are split, never cut.

    Args:
        text: the text (whitespace runs count as one space).
        width: the available width in pixels.
        size: font size in pixels.
        bold: measure with the bold table.

    Returns:
        The lines; joined with spaces (hard-split words without) they give back the text.
    """
    words = normalize_line(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, size, bold) > width:
            cut = _fit(word, width, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def wrap_paragraphs(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Like ``wrap_text``, but each listed item ("- Nếu …", "2. …") starts on a new line."""
    lines: list[str] = []
    for part in ITEM_BREAK.split(normalize_line(text)):
        lines.extend(wrap_text(part, width, size, bold))
    return lines


def _fit(word: str, width: float, size: float, bold: bool) -> int:
    total = 0.0
    for i, ch in enumerate(word):
        total += _char_width(ch, bold) * size / 1000.0
        if total > width:
            return max(i, 1)
    return len(word)


# --------------------------------------------------------------------------------------------------
# Hours and names as the diagrams print them.


def format_hours(hours: float) -> str:
    """Vietnamese number form: ``160`` -> "160", ``0.5`` -> "0,5"."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_duration(hours: float | None, duration_text: str) -> str:
    """A step's time as shown in a box: the printed duration, or "không tính" for an untimed step."""
    printed = normalize_line(duration_text)
    if hours is None:
        return f"không tính ({printed})" if printed else "không tính"
    return printed or f"{format_hours(hours)} giờ"


def hours_phrase(hours: float) -> str:
    """``160`` -> "160 giờ (20 ngày làm việc)"."""
    days = hours / HOURS_PER_DAY
    return f"{format_hours(hours)} giờ ({format_hours(days)} ngày làm việc)"


def ascii_name(text: str) -> str:
    """An ASCII-safe file-name stem: accents removed (Đ -> D), case kept, other characters -> ``_``."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in plain)
    out = "_".join(part for part in out.split("_") if part)
    return out.strip("._") or "procedure"
