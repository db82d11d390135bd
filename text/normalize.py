"""NFC normalisation of lines and whole texts: invisible characters dropped, odd spaces folded."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_line", "normalize_text", "squeeze_spaces"]

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


_WHITESPACE = re.compile(r"\s+")


def squeeze_spaces(text: str) -> str:
    """Every run of whitespace (line breaks included) becomes one space; the ends are trimmed."""
    return _WHITESPACE.sub(" ", text).strip()
