"""How much a text layer looks like Vietnamese: the share of tokens that are valid syllables.

A Vietnamese syllable is an onset, a rhyme and a tone, each from a small closed set, written by
regular spelling rules: ``nghiêng`` = ``ngh`` + ``iêng`` + level tone, ``quyết`` = ``qu`` + ``yêt`` +
sắc. A text layer made by a non-Vietnamese OCR ("CQNG HOA XA HQI CHU NGHIA VIPT NAM", "Giao Vin
phdng UBND tinh", "NÐ-CP" with an Icelandic eth) breaks that: letters outside the alphabet, rhymes
that do not exist, and above all no diacritics. Real Vietnamese carries a tone mark or a modified
vowel (ă â ê ô ơ ư đ) on about two syllables in three; text without them is not the document.

``page_quality(text)`` measures both shares (the syllable check is the legacy-encoding detector's,
``parsers.legacy.syllables``); ``is_junk`` draws the line. Tokens in capitals of up to six
letters that are no syllable (abbreviations such as ``UBND``, ``TTHC``, ``QĐ``; Roman numerals) and
one-letter tokens are not counted either way: junk in capitals is caught by its missing diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from procreg.parsers.legacy.syllables import is_syllable

__all__ = ["PageQuality", "is_syllable", "page_quality"]

_MARKED = frozenset("đĐ")  # the one Vietnamese letter whose mark does not decompose


def _has_mark(token: str) -> bool:
    """Whether ``token`` carries a tone mark, a breve, a circumflex, a horn or the stroke of đ."""
    return any(c in _MARKED or unicodedata.combining(c) for c in unicodedata.normalize("NFD", token))


_TOKEN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65536)
def _classify(token: str) -> tuple[bool, bool]:
    """(valid syllable, carries a diacritic) for one token."""
    return is_syllable(token), _has_mark(token)


@dataclass(frozen=True, slots=True)
class PageQuality:
    """A text's counted tokens, the share that are valid syllables and the share with a diacritic."""

    tokens: int
    valid: float
    marked: float

    def is_junk(self, *, min_tokens: int = 12) -> bool:
        """True for text that is not Vietnamese: too few valid syllables, or next to no diacritics.

        Texts shorter than ``min_tokens`` counted tokens are never judged (a page number, a title).
        """
        if self.tokens < min_tokens:
            return False
        return self.valid < 0.75 or self.marked < 0.4

    def describe(self) -> str:
        """``"38% valid syllables, 4% with diacritics"`` for warnings."""
        return f"{self.valid:.0%} valid syllables, {self.marked:.0%} with diacritics"


def page_quality(text: str) -> PageQuality:
    """Measure ``text``: one-letter tokens and capital abbreviations are not counted."""
    counted = valid = marked = 0
    for token in _TOKEN.findall(text):
        if len(token) < 2:
            continue
        syllable, has_mark = _classify(token)
        if not syllable and token.isupper() and len(token) <= 6:
            continue  # an abbreviation (UBND, TTHC, QĐ) or a Roman numeral
        counted += 1
        valid += syllable
        marked += has_mark
    if not counted:
        return PageQuality(0, 1.0, 1.0)
    return PageQuality(counted, valid / counted, marked / counted)
