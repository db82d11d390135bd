"""Accent folding for matching and search: lowercase, tone and vowel marks removed, đ -> d.

Folding is applied to whole texts many times over (table cells, headings, index terms), so it is memoised
per token and has a fast path that folds character by character with one ``str.translate``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_token"]


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
