"""Which pieces of a document are legacy text: judged by their characters, helped by their fonts' names.

A document comes as *segments*: the text of runs in one font (.docx), of glyphs in one font (PDF), or of
one line (.txt), each with the encoding its font names (``.VnTime`` → TCVN3, ``VNI-Times`` → VNI) or
None when the name says nothing. A font name alone decides nothing: modern Unicode files still name
.VnTime. The characters decide, by reading each segment both ways and counting the words that are
well-formed Vietnamese syllables (``syllables.is_syllable``) in each reading:

- a segment holding a character only Unicode has (ơ, ư, ạ … or a combining tone mark) is Unicode;
- otherwise, when converting gains syllables it is legacy, when it loses them it is Unicode;
- a segment that gains nothing either way (a number, a lone "có", an English word) follows its
  encoding family over the whole document.

Segments whose font says nothing are converted only when the document's evidence is strong (``by
characters``: a .txt, a PDF whose legacy font was renamed), so a stray "Õ" never converts a sentence.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from procreg.parsers.legacy.codec import Encoding, decode_chars, legacy_only_characters, unicode_only
from procreg.parsers.legacy.syllables import is_syllable

__all__ = [
    "Segment",
    "Verdict",
    "font_encoding",
    "judge",
    "looks_unconverted",
    "odd_characters",
    "score",
    "shows_legacy_bytes",
    "word_ranges",
]


class Verdict(enum.Enum):
    """What a segment's characters say about it."""

    LEGACY = "legacy"
    UNICODE = "unicode"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Segment:
    """Text in one font: its characters (PDF glyphs may hold more than one) and the font's encoding.

    ``breaks`` are the indices of characters that start a new word although no space precedes them
    (PDF glyphs set apart without a space character).
    """

    chars: Sequence[str]
    encoding: Encoding | None
    breaks: frozenset[int] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        """The segment's characters joined."""
        return "".join(self.chars)


_LEGACY_BYTES: re.Pattern[str] | None = None


def shows_legacy_bytes(text: str) -> bool:
    """True when ``text`` holds a character that only legacy text shows (never a Vietnamese letter).

    A cheap first look: text without any (most Unicode documents) cannot be TCVN3 or VNI.
    """
    global _LEGACY_BYTES
    if _LEGACY_BYTES is None:
        _LEGACY_BYTES = re.compile("[" + re.escape("".join(sorted(legacy_only_characters()))) + "]")
    return _LEGACY_BYTES.search(text) is not None


# --------------------------------------------------------------------------------------- font names

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE = re.compile(
    r"(?:[-,](?:bold|italic|oblique|regular|normal|roman|bolditalic|boldoblique|semibold|black|light"
    r"|condensed|narrow|demi|medium)*|\s+(?:bold|italic|oblique|regular))+$",
    re.IGNORECASE,
)


def font_encoding(name: str | None) -> Encoding | None:
    """The legacy encoding a font's name says, or None.

    TCVN3 (ABC) fonts are named ``.Vn…`` (``.VnTime``, ``.VnArial``, ``VnTimeH`` in PDFs, which drop the
    dot), their capitals fonts end in ``H`` (``.VnTimeH``, ``.VnArialH``); VNI fonts are named ``VNI-…``
    (``VNI-Times``, ``VNI-Helve``, ``VNI-Top``). PDF subset prefixes (``ABCDEF+``) and style suffixes
    (``,Bold``, ``-BoldItalic``) are ignored.
    """
    if not name:
        return None
    base = _STYLE.sub("", _SUBSET.sub("", name.strip()))
    lower = base.lower()
    if re.match(r"vni[-_ ]?[a-z]", lower):
        return Encoding.VNI
    if re.match(r"\.?vn[a-z]", lower) and not lower.startswith("vni"):
        capitals = base.endswith("H") or (base == lower and lower.endswith("h"))
        return Encoding.TCVN3_CAPS if capitals else Encoding.TCVN3
    return None


# ------------------------------------------------------------------------------------------- scoring

# Punctuation trimmed from a word's ends before it is judged (none of it is a legacy letter byte).
_EDGE = set(".,;:!?()[]{}\"'“”‘’…–—*<>=+_%&#@$|\\~`^")
_SPLIT = set("-/")


def word_ranges(segment: Segment) -> list[tuple[int, int]]:
    """(start, end) index ranges of the segment's words: cut at whitespace and at ``breaks``."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(segment.chars):
        if ch.isspace() or not ch:
            if start is not None:
                out.append((start, i))
                start = None
            continue
        if i in segment.breaks and start is not None:
            out.append((start, i))
            start = None
        if start is None:
            start = i
    if start is not None:
        out.append((start, len(segment.chars)))
    return out


def _pieces(raw: Sequence[str], conv: Sequence[str], start: int, end: int) -> list[tuple[str, str]]:
    """A word's parts as (as read, as converted): edge punctuation trimmed, cut at ``-`` and ``/``."""
    while start < end and raw[start] in _EDGE and conv[start] == raw[start]:
        start += 1
    while end > start and raw[end - 1] in _EDGE and conv[end - 1] == raw[end - 1]:
        end -= 1
    parts: list[tuple[str, str]] = []
    begin = start
    for i in range(start, end + 1):
        if i == end or (raw[i] in _SPLIT and conv[i] == raw[i]):
            if i > begin:
                parts.append(("".join(raw[begin:i]), "".join(conv[begin:i])))
            begin = i + 1
    return parts


def score(segment: Segment, converted: Sequence[str]) -> tuple[int, int, int]:
    """(syllables gained by converting, words judged, syllables once converted) for a segment.

    Each word part with a non-ASCII character and no digit counts +1 when it is a syllable and -1 when
    it is not, read as it is and converted; the gain is the converted total minus the other.
    """
    gain = judged = valid = 0
    raw = segment.chars
    for start, end in word_ranges(segment):
        for as_read, as_converted in _pieces(raw, converted, start, end):
            # One-letter words ("ư", "ở" … or a stray "Ö") say too little either way.
            if len(as_read) < 2 or as_read.isascii() or any(ch.isdigit() for ch in as_read):
                continue
            judged += 1
            after = is_syllable(as_converted)
            valid += after
            gain += (1 if after else -1) - (1 if is_syllable(as_read) else -1)
    return gain, judged, valid


def _verdict(gain: int) -> Verdict:
    if gain > 0:
        return Verdict.LEGACY
    return Verdict.UNICODE if gain < 0 else Verdict.UNSURE


# -------------------------------------------------------------------------------------------- judging

# Segments whose font names no encoding convert only when, over the document, converting them turns at
# least this many words into syllables, that net gain is at least this share of the words judged, and
# the converted words are Vietnamese syllables at least this often (another 8-bit encoding read as TCVN3
# gains a few syllables by chance, but stays nonsense).
_MIN_GAIN = 10
_MIN_SHARE = 0.5
_MIN_VALID = 0.7


@dataclass(slots=True)
class _Tally:
    gain: int = 0
    judged: int = 0
    valid: int = 0

    def add(self, reading: _Reading) -> None:
        self.gain += reading.gain
        self.judged += reading.judged
        self.valid += reading.valid

    @property
    def strong(self) -> bool:
        return (
            self.gain >= _MIN_GAIN
            and self.gain >= _MIN_SHARE * self.judged
            and self.valid >= _MIN_VALID * self.judged
        )


@dataclass(slots=True)
class _Reading:
    """One segment read in one encoding: its verdict, gain, words judged and syllables once converted."""

    verdict: Verdict
    gain: int = 0
    judged: int = 0
    valid: int = 0


def _read(segment: Segment, encoding: Encoding) -> _Reading:
    if unicode_only(segment.text):
        return _Reading(Verdict.UNICODE)
    gain, judged, valid = score(segment, decode_chars(segment.chars, encoding))
    return _Reading(_verdict(gain), gain, judged, valid)


def _settle(verdicts: dict[int, Verdict], fallback: bool) -> dict[int, bool]:
    """Legacy or not for each segment of one family (index -> verdict, in document order).

    A segment whose characters say nothing takes the verdict of its nearest neighbour in the family
    that says something (the one before on a tie): text pasted from an old file comes in stretches, so a
    lone "có" inside TCVN3 runs is TCVN3 and one inside Unicode runs is Unicode. With no such neighbour,
    ``fallback`` decides.
    """
    order = sorted(verdicts)
    known = [i for i in order if verdicts[i] is not Verdict.UNSURE]
    settled: dict[int, bool] = {}
    k = 0
    for i in order:
        if verdicts[i] is not Verdict.UNSURE:
            settled[i] = verdicts[i] is Verdict.LEGACY
            continue
        while k < len(known) and known[k] < i:
            k += 1
        around = known[max(k - 1, 0) : k + 1]
        if not around:
            settled[i] = fallback
            continue
        nearest = min(around, key=lambda j: (abs(i - j), j > i))
        settled[i] = verdicts[nearest] is Verdict.LEGACY
    return settled


def judge(segments: Sequence[Segment], *, by_characters: bool) -> list[Encoding | None]:
    """The encoding to convert each segment from, or None to leave it as it is.

    A segment in a TCVN3 or VNI font is converted when its characters say it is legacy, or say nothing
    while its nearest neighbours in that encoding are legacy. With ``by_characters``, segments whose font
    names no encoding (or whose font names the wrong one) are converted from TCVN3 or VNI when the whole
    document's evidence for that encoding is strong and their own, or their neighbours', is not against it.
    """
    decided: list[Encoding | None] = [None] * len(segments)
    families: dict[Encoding, dict[int, Verdict]] = {Encoding.TCVN3: {}, Encoding.VNI: {}}
    tallies = {Encoding.TCVN3: _Tally(), Encoding.VNI: _Tally()}
    rest: list[int] = []
    for i, segment in enumerate(segments):
        if segment.encoding is None:
            rest.append(i)
            continue
        reading = _read(segment, segment.encoding)
        families[segment.encoding.family][i] = reading.verdict
        tallies[segment.encoding.family].add(reading)
        if reading.verdict is Verdict.UNICODE and not unicode_only(segment.text):
            rest.append(i)  # read as its font says it looks like Unicode: maybe the other encoding
    for family, verdicts in families.items():
        for i, legacy in _settle(verdicts, tallies[family].gain > 0).items():
            decided[i] = segments[i].encoding if legacy else None
    if by_characters and rest:
        _judge_by_characters(segments, rest, decided)
    return decided


def _judge_by_characters(
    segments: Sequence[Segment], rest: list[int], decided: list[Encoding | None]
) -> None:
    """Decide the segments ``rest`` by their characters alone (both encodings tried)."""
    best: tuple[Encoding, list[_Reading]] | None = None
    best_gain = 0
    for encoding in (Encoding.TCVN3, Encoding.VNI):
        tally = _Tally()
        readings = [_read(segments[i], encoding) for i in rest]
        for reading in readings:
            tally.add(reading)
        if tally.strong and (best is None or tally.gain > best_gain):
            best, best_gain = (encoding, readings), tally.gain
    if best is None:
        return
    encoding, readings = best
    verdicts = {i: reading.verdict for i, reading in zip(rest, readings, strict=True)}
    for i, legacy in _settle(verdicts, True).items():
        if legacy:
            caps = segments[i].encoding is Encoding.TCVN3_CAPS and encoding is Encoding.TCVN3
            decided[i] = Encoding.TCVN3_CAPS if caps else encoding


# --------------------------------------------------------------------------------- what is left over

# Characters that legacy 8-bit Vietnamese shows in the middle of words when read as code page 1252: the
# TCVN3 symbols, the Latin-1 letters Vietnamese never uses, and the PDF producers' stand-ins.
_ODD = set("¸µ¶·¹¨©ª«¬®¦§¤¢£¡¥°±²³´º¿×÷ÆæÐðÞþßØøÅåÄäËëÏïÖöÜüÑñÇçÿ\u2212\u2219\u00ad")
_ANY_ODD = re.compile("[" + re.escape("".join(sorted(_ODD))) + "]")
_MIN_ODD_WORDS = 12
_ODD_SHARE = 0.25


def odd_characters(text: str) -> bool:
    """True when ``text`` holds a character 8-bit Vietnamese shows inside words (a first, cheap look)."""
    return _ANY_ODD.search(text) is not None


def looks_unconverted(text: str) -> bool:
    """True when ``text`` still reads like 8-bit Vietnamese shown as Unicode (mojibake).

    Counted over words with a non-ASCII letter: those that are no syllable and hold a character
    that legacy text shows inside words ("Gi¸", "QuyÕt", "Quyeät"). Unicode Vietnamese has almost none;
    a French or German name here and there is far below the bar.
    """
    if not odd_characters(text):  # Unicode text, the common case, decided at C speed
        return False
    odd = judged = 0
    for word in text.split():
        word = word.strip("".join(_EDGE))
        if word.isascii() or any(ch.isdigit() for ch in word):
            continue
        judged += 1
        if not is_syllable(word) and (any(ch in _ODD for ch in word) or _odd_vowel_pair(word)):
            odd += 1
    return odd >= _MIN_ODD_WORDS and odd >= _ODD_SHARE * judged


_VNI_MARKS = set("ùøûõïâáàåãäêéèúüë")


def _odd_vowel_pair(word: str) -> bool:
    """A vowel followed by a VNI mark character (``eá``, ``aø``): VNI text read as it is."""
    lower = word.lower()
    return any(a in "aeiouy" and b in _VNI_MARKS for a, b in zip(lower, lower[1:], strict=False))
