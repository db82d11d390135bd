"""How much a text layer looks like Vietnamese: the share of tokens that are valid syllables.

A Vietnamese syllable is an onset, a rhyme and a tone, each from a small closed set, written by
regular spelling rules: ``nghiêng`` = ``ngh`` + ``iêng`` + level tone, ``quyết`` = ``qu`` + ``yêt`` +
sắc. A text layer made by a non-Vietnamese OCR ("CQNG HOA XA HQI CHU NGHIA VIPT NAM", "Giao Vin
phdng UBND tinh", "NÐ-CP" with an Icelandic eth) breaks that: letters outside the alphabet, rhymes
that do not exist, and above all no diacritics. Real Vietnamese carries a tone mark or a modified
vowel (ă â ê ô ơ ư đ) on about two syllables in three; text without them is not the document.

``page_quality(text)`` measures both shares; ``is_junk`` draws the line. Tokens in capitals of up to six
letters that are no syllable (abbreviations such as ``UBND``, ``TTHC``, ``QĐ``; Roman numerals) and
one-letter tokens are not counted either way: junk in capitals is caught by its missing diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["PageQuality", "is_syllable", "page_quality", "split_tone"]

# Tone marks as combining characters (NFD): huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ONSETS = _words("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x") | {""}

# Every rhyme as written (vowel cluster and final consonant), without the tone mark. After ``qu`` the
# rhyme is written without its leading ``u`` (``quân`` = qu + ân); ``gi`` takes the rhymes that start
# with ``i`` without the ``i`` too (``giêng``, ``gìn`` = gi + in or g + in).
_RHYMES = _words(
    """
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
    oc oe oem oen oeo oet oi om on ong ooc oong op ot
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up ut uy uya uych
    uyên uyêt uynh uyt uyu uơ
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu
    """
)
_STOPS = ("c", "ch", "p", "t")  # a rhyme ending in a stop takes only sắc or nặng
_MARKED = frozenset("ăâêôơưđ")  # letters that only Vietnamese (among Latin scripts here) writes


def split_tone(token: str) -> tuple[str, str | None, bool] | None:
    """``(base letters in lower case, tone or None, any diacritic)`` of a token, or None if not Vietnamese.

    Decomposes the NFC token, takes the tone marks off and recomposes the rest; a token with two
    tone marks, another combining mark or a letter outside the Vietnamese alphabet gives None.
    """
    tone: str | None = None
    base: list[str] = []
    for char in unicodedata.normalize("NFD", token.lower()):
        if char in _TONES:
            if tone is not None:
                return None
            tone = _TONES[char]
        elif unicodedata.combining(char):
            base.append(char)  # breve, circumflex, horn: recomposed below
        else:
            base.append(char)
    letters = unicodedata.normalize("NFC", "".join(base))
    if any(not ("a" <= c <= "z" or c in _MARKED) for c in letters):
        return None
    return letters, tone, tone is not None or any(c in _MARKED for c in letters)


@lru_cache(maxsize=65536)
def is_syllable(token: str) -> bool:
    """Whether ``token`` is one valid Vietnamese syllable (any case, NFC or not)."""
    split = split_tone(token)
    if split is None:
        return False
    letters, tone, _ = split
    for size in (3, 2, 1, 0):
        onset, rhyme = letters[:size], letters[size:]
        if onset not in _ONSETS or not rhyme:
            continue
        candidates = [rhyme]
        if onset == "gi":
            candidates.append("i" + rhyme)
        for candidate in candidates:
            if candidate in _RHYMES or (onset == "qu" and "u" + candidate in _RHYMES):
                if candidate.endswith(_STOPS) and tone not in ("sac", "nang"):
                    continue
                return True
    return False


_TOKEN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65536)
def _classify(token: str) -> tuple[bool, bool]:
    """(valid syllable, carries a diacritic) for one token."""
    split = split_tone(token)
    return is_syllable(token), split is not None and split[2]


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
