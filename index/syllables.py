"""Vietnamese syllables: what a folded syllable looks like, and splitting words typed or extracted joined.

A Vietnamese syllable is an onset, a vowel nucleus and a coda from small closed sets, with at most one
tone mark. That is enough to tell ``thủtục`` (two tone marks, two syllables run together by a PDF
text layer) from a word, and to split it where each part is a syllable. The query side splits
against the index's own vocabulary instead (``split_known``), so no dictionary is needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["is_syllable", "split_joined", "split_known", "tone_marks"]

# Folded (no accents, đ -> d) syllable: onset, 1-3 vowels, coda.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_MAX_SYLLABLE = 7  # "nghieng"


def is_syllable(folded: str) -> bool:
    """True when ``folded`` (lowercase, no accents) has the shape of one Vietnamese syllable."""
    return bool(_SYLLABLE.match(folded))


def tone_marks(token: str) -> int:
    """How many tone marks ``token`` carries (one syllable never has more than one)."""
    return sum(1 for ch in unicodedata.normalize("NFD", token) if ch in _TONES)


def _split(word: str, known: Callable[[str], bool], limit: int) -> list[str] | None:
    """The split of ``word`` into the fewest parts that are all ``known`` (longest first part on ties)."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + limit), i, -1):
            rest = best[j]
            if rest is not None and known(word[i:j]):
                candidate = [word[i:j], *rest]
                current = best[i]
                if current is None or len(candidate) < len(current):
                    best[i] = candidate
    return best[0]


def split_joined(folded: str, exact: str) -> list[str]:
    """Syllables of a token that holds several run together (``thutuc`` for ``thủtục``), else [].

    Only tokens with two or more tone marks are split: they cannot be one syllable, while a toneless
    token may be an abbreviation or a foreign word.
    """
    if tone_marks(exact) < 2 or not folded.isalpha():
        return []
    parts = _split(folded, is_syllable, _MAX_SYLLABLE)
    return parts if parts and len(parts) >= 2 else []


def split_known(folded: str, known: Callable[[str], bool]) -> list[str]:
    """Split a typed word into the fewest syllables the index knows (``giamdinh`` -> giam, dinh), else []."""
    if len(folded) < 3 or not folded.isalpha():
        return []
    parts = _split(folded, lambda s: is_syllable(s) and known(s), _MAX_SYLLABLE)
    return parts if parts and len(parts) >= 2 else []
