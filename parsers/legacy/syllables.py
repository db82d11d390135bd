"""Is a word a well-formed Vietnamese syllable? The yardstick for telling legacy text from Unicode.

Vietnamese is written one syllable per word: an initial consonant, a vowel group and a final consonant,
each from a short list, with at most one tone mark, and only the sắc or nặng tone before a final c, ch,
p or t. TCVN3 or VNI text read as Unicode breaks these rules in almost every word ("QuyÕt", "Quyeát",
"®Þnh"), while converted text keeps them ("Quyết", "định"). The check is deliberately permissive (it
admits some syllables no word uses): it only has to tell the two readings of a text apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["is_syllable"]

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_SAC_NANG = "\u0301\u0323"
_INITIAL = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
# Vowel groups that may take a final consonant (some must: ă â iê yê uô ươ uyê oă uâ).
_OPEN = "uyê|iê|yê|uô|ươ|oa|oă|oe|oo|uâ|uê|uy|uơ|a|ă|â|e|ê|i|o|ô|ơ|u|ư"
# Vowel groups that end in a semivowel and take no final consonant.
_CLOSED = (
    "iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|y"
)
_FINAL = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(f"(?:{_INITIAL})?(?:(?:{_OPEN})(?P<final>{_FINAL})?|(?:{_CLOSED}))")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when ``word`` (any case) is a well-formed Vietnamese syllable with at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    final = match.group("final")
    # A syllable closed by a stop (c, ch, p, t) carries the sắc or the nặng tone.
    return not (final in ("c", "ch", "p", "t") and not (tones and tones[0] in _SAC_NANG))
