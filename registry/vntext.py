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


def normalize_line(text: str) -> str:
    """Return one line NFC-normalised with runs of spaces folded and the ends trimmed."""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return _SPACES.sub(" ", text).strip()


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


def fold(text: str) -> str:
    """Fold a whole text (NFC first, so decomposed input never splits a word)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(fold_token(part) if part[0].isalnum() else part for part in _WORD.findall(text))
