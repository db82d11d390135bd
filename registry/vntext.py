"""Vietnamese text helpers shared by every package: NFC normalisation and accent folding.

A leaf module like ``models`` and ``errors``: it imports nothing from the project, so parsers,
index and procedures may all use it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_token", "normalize_text", "normalize_line"]

# Zero-width and BOM characters that PDF and Word text layers carry and users never mean.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Non-breaking and other exotic spaces become a plain space.
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


# What ``normalize_line`` changes, searched first so that clean text (most of it) is not rebuilt.
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]|  ")


def normalize_line(text: str) -> str:
    """Return one line NFC-normalised with runs of spaces folded and the ends trimmed."""
    if _HAS_INVISIBLE.search(text) is not None:
        text = text.translate(_INVISIBLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ODD_SPACES.search(text) is not None:
        text = _SPACES.sub(" ", text)
    return text.strip()


def normalize_text(text: str) -> str:
    """Return text NFC-normalised, line endings unified, spaces folded, blank runs kept to one.

    Idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    lines = [normalize_line(line) for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip("\n")


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """Fold one token: lowercase, accents removed, đ -> d (memoised: syllables repeat a lot)."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "d")


_WORD = re.compile(r"\w+|\W+")

# Fast path: characters whose fold does not depend on their neighbours (Latin, Vietnamese, ASCII and
# general punctuation; not "_", which keeps the word after it unfolded, nor combining marks, which NFC may
# compose). A text made only of them folds character by character with one ``str.translate``.
_FAST_RANGES = ((0x09, 0x0E), (0x20, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070))
_fast: tuple[dict[int, str], re.Pattern[str]] | None = None


def _fast_table() -> tuple[dict[int, str], re.Pattern[str]]:
    global _fast
    if _fast is None:
        table: dict[int, str] = {}
        for low, high in _FAST_RANGES:
            for code in range(low, high):
                ch = chr(code)
                if ch == "_" or unicodedata.combining(ch) or unicodedata.normalize("NFC", ch) != ch:
                    continue
                table[code] = fold_token(ch) if ch.isalnum() else ch
        ranges: list[list[int]] = []
        for code in sorted(table):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        klass = "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
        )
        _fast = table, re.compile(f"[^{klass}]")
    return _fast


# Folded short texts (table cells, headings: extractors fold the same ones many times).
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 16384
_FOLDED_LEN = 600


def fold(text: str) -> str:
    """Fold a whole text (NFC first, so decomposed input never splits a word)."""
    folded = _FOLDED.get(text)
    if folded is not None:
        return folded
    table, other = _fast_table()
    if other.search(text) is None:
        folded = text.translate(table)
    else:
        nfc = unicodedata.normalize("NFC", text)
        folded = "".join(fold_token(part) if part[0].isalnum() else part for part in _WORD.findall(nfc))
    if len(text) <= _FOLDED_LEN:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        _FOLDED[text] = folded
    return folded
