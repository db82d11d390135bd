"""TCVN3, VNI and Windows-1258 to Unicode (and back, for the fixtures and the round-trip tests).

Legacy Vietnamese text reaches procreg as Unicode characters that stand for bytes: Word and LibreOffice
store a byte typed in a TCVN3 or VNI font as the code page 1252 character Windows shows for it (byte D5 as
"Õ"), a symbol font as U+F0xx, and some PDF producers write U+2212 for byte AD and U+2219 for byte B7.
``byte_of`` maps each of them back to its byte; the tables (``parsers/legacy/data/*.json``, with their
sources) map bytes to letters. Every decoder works character by character and says, for each input
character, what it becomes (``""`` for a VNI mark merged into the letter before it), so readers can
convert text that is spread over several runs or PDF glyphs in place.
"""

from __future__ import annotations

import enum
import json
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources

__all__ = [
    "Encoding",
    "byte_of",
    "decode",
    "decode_chars",
    "decode_cp1258",
    "decode_legacy_bytes",
    "encode",
    "legacy_only_characters",
    "unicode_only",
]


class Encoding(enum.Enum):
    """A legacy Vietnamese encoding, as the font of a run names it."""

    TCVN3 = "TCVN3"  # .VnTime, .VnArial ...: lower-case letters and the capitals Ă Â Ê Ô Ơ Ư Đ
    TCVN3_CAPS = "TCVN3 capitals"  # .VnTimeH, .VnArialH ...: every byte drawn as its capital
    VNI = "VNI"  # VNI-Times, VNI-Helve ...: a base letter and a mark byte

    @property
    def family(self) -> Encoding:
        """TCVN3 for both TCVN3 font kinds (their text is judged together), else itself."""
        return Encoding.TCVN3 if self is Encoding.TCVN3_CAPS else self

    @property
    def label(self) -> str:
        """The encoding's name for messages: ``TCVN3`` or ``VNI``."""
        return self.family.value


# Characters that can only be Unicode Vietnamese: letters outside code page 1252 and the combining tone
# and vowel marks of decomposed text. A run holding one of them is not legacy text, whatever its font.
_UNICODE_ONLY = frozenset(
    "ăĂđĐĩĨũŨơƠưƯ"
    + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    + "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"
)

# Code page 1252's characters in 80-9F (Word stores a byte typed in a legacy font as these).
_CP1252_HIGH = {
    ch: byte for byte in range(0x80, 0xA0) for ch in [bytes([byte]).decode("cp1252", errors="ignore")] if ch
}
# PDF producers' stand-ins: a minus sign for TCVN3's AD (ư, a soft hyphen in code page 1252) and a
# bullet operator for B7 (ã, a middle dot).
_PDF_STAND_INS = {"\u2212": 0xAD, "\u2219": 0xB7}


def byte_of(ch: str) -> int | None:
    """The legacy byte a character stands for, or None when it cannot come from an 8-bit font."""
    if len(ch) != 1:
        return None
    code = ord(ch)
    if code < 0x100:
        return code
    if 0xF020 <= code <= 0xF0FF:  # a symbol-charset font: Word maps byte xx to U+F0xx
        return code - 0xF000
    return _CP1252_HIGH.get(ch, _PDF_STAND_INS.get(ch))


def unicode_only(text: str) -> bool:
    """True when ``text`` holds a character that only Unicode Vietnamese has (so it is not legacy)."""
    return not _UNICODE_ONLY.isdisjoint(text)


def _load(name: str) -> dict[str, str]:
    raw = resources.files("procreg.parsers.legacy").joinpath("data", f"{name}.json").read_text("utf-8")
    table: dict[str, str] = json.loads(raw)["map"]
    return table


@cache
def _tcvn3() -> dict[int, str]:
    return {int(key, 16): letter for key, letter in _load("tcvn3").items()}


@cache
def _vni() -> tuple[dict[int, str], dict[tuple[int, int], str]]:
    singles: dict[int, str] = {}
    pairs: dict[tuple[int, int], str] = {}
    for key, letter in _load("vni").items():
        parts = [int(part, 16) for part in key.split()]
        if len(parts) == 1:
            singles[parts[0]] = letter
        else:
            pairs[(parts[0], parts[1])] = letter
    return singles, pairs


@cache
def legacy_only_characters() -> frozenset[str]:
    """Characters that stand for a TCVN3 or VNI letter or mark and are no Vietnamese letter themselves.

    Unicode Vietnamese never holds them ("®", "µ", "ñ", "ø", the soft hyphen ...); legacy text always
    does within a few words. PDF stand-ins (U+2212, U+2219) count too.
    """
    singles, pairs = _vni()
    codes = set(_tcvn3()) | set(singles) | {b for pair in pairs for b in pair}
    shown = {chr(b) for b in codes} | set(_PDF_STAND_INS)
    return frozenset(ch for ch in shown if not ch.isascii() and ch.lower() not in _letters())


@cache
def _letters() -> frozenset[str]:
    """Every lower-case Vietnamese letter (the values of the tables, in lower case)."""
    return frozenset(
        letter.lower() for letter in (*_tcvn3().values(), *_vni()[0].values(), *_vni()[1].values())
    )


def _decode_tcvn3(chars: Sequence[str], caps: bool) -> list[str]:
    table = _tcvn3()
    out: list[str] = []
    for ch in chars:
        byte = byte_of(ch)
        letter = table.get(byte, ch) if byte is not None else ch
        out.append(letter.upper() if caps and len(letter.upper()) == 1 else letter)
    return out


def _case_of(byte: int, like: int) -> int:
    """``byte`` (a code page 1252 letter) in the case of the letter ``like``."""
    ch = chr(byte)
    fixed = ch.upper() if chr(like).isupper() else ch.lower()
    return ord(fixed) if len(fixed) == 1 and ord(fixed) < 0x100 else byte


def _decode_vni(chars: Sequence[str]) -> list[str]:
    singles, pairs = _vni()
    out: list[str] = []
    i = 0
    while i < len(chars):
        byte = byte_of(chars[i])
        nxt = byte_of(chars[i + 1]) if i + 1 < len(chars) else None
        if byte is not None and nxt is not None:
            # A mark typed in the other case than its letter ("Aù") still belongs to it.
            letter = pairs.get((byte, nxt)) or pairs.get((byte, _case_of(nxt, byte)))
            if letter is not None:
                out.extend((letter, ""))
                i += 2
                continue
        out.append(singles.get(byte, chars[i]) if byte is not None else chars[i])
        i += 1
    return out


def decode_chars(chars: Sequence[str], encoding: Encoding) -> list[str]:
    """What each character of legacy text becomes in Unicode (one entry per input character).

    A VNI mark merged into the letter before it becomes ``""``; a character that is not part of the
    encoding stays as it is. The result joined is NFC.
    """
    if encoding is Encoding.VNI:
        return _decode_vni(chars)
    return _decode_tcvn3(chars, caps=encoding is Encoding.TCVN3_CAPS)


def decode(text: str, encoding: Encoding) -> str:
    """Legacy text (as its code page 1252 characters) in Unicode, NFC."""
    return "".join(decode_chars(list(text), encoding))


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 bytes as NFC text: its separate tone marks (CC, EC, D2, DE, F2) composed."""
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def decode_legacy_bytes(data: bytes, encoding: Encoding) -> str:
    """An 8-bit file's bytes in a legacy encoding as Unicode (bytes 80-9F as code page 1252 shows them)."""
    shown = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)
    return decode(shown, encoding)


# ------------------------------------------------------------------------------------------ encoding


@cache
def _reverse(encoding: Encoding) -> dict[str, str]:
    """Unicode letter -> its legacy characters (code page 1252 view) in ``encoding``."""
    if encoding is Encoding.VNI:
        singles, pairs = _vni()
        reverse = {letter: chr(byte) for byte, letter in singles.items()}
        reverse.update({letter: chr(a) + chr(b) for (a, b), letter in pairs.items()})
        return reverse
    return {letter: chr(byte) for byte, letter in _tcvn3().items()}


@cache
def _taken(encoding: Encoding) -> frozenset[int]:
    """The bytes that mean a letter or a mark in ``encoding`` (a character shown as one is not itself)."""
    if encoding is Encoding.VNI:
        singles, pairs = _vni()
        return frozenset(singles) | {b for pair in pairs for b in pair}
    return frozenset(_tcvn3())


def _piece(ch: str, encoding: Encoding, caps: bool) -> tuple[str, Encoding | None]:
    """One character as legacy characters and the font kind that draws it (None: a Unicode font)."""
    reverse = _reverse(encoding.family)
    if caps and encoding is not Encoding.VNI and ch.lower() in reverse:
        return reverse[ch.lower()], Encoding.TCVN3_CAPS
    if ch in reverse:
        return reverse[ch], encoding.family
    if encoding is not Encoding.VNI and ch.lower() in reverse:  # a capital with a tone
        return reverse[ch.lower()], Encoding.TCVN3_CAPS
    byte = byte_of(ch)
    if ch.isascii() or (byte is not None and byte not in _taken(encoding.family)):
        return ch, Encoding.TCVN3_CAPS if caps else encoding.family
    return ch, None


def encode(text: str, encoding: Encoding) -> list[tuple[str, Encoding | None]]:
    """Unicode text as runs of legacy text, each with the font kind it needs.

    TCVN3 text comes in ``TCVN3`` runs and, for capitals with a tone, ``TCVN3_CAPS`` runs (the .VnTimeH
    font), as a typist of the time wrote it: a word in capitals that needs the capitals font goes into it
    whole. A character the encoding cannot hold (one whose byte means a letter there, such as "©" in
    TCVN3 or "ñ" in VNI) is a run of its own with kind None (typed in a Unicode font). Decoding each run
    with its kind gives ``text`` back, NFC.
    """
    text = unicodedata.normalize("NFC", text)
    family = encoding.family
    runs: list[tuple[str, Encoding | None]] = []
    for word in _words(text):
        caps = (
            family is Encoding.TCVN3
            and word.isupper()
            and any(_piece(ch, family, False)[1] is Encoding.TCVN3_CAPS for ch in word)
        )
        for ch in word:
            shown, kind = _piece(ch, family, caps)
            _append(runs, shown, kind)
    return runs


def _append(runs: list[tuple[str, Encoding | None]], text: str, kind: Encoding | None) -> None:
    if runs and runs[-1][1] is kind:
        runs[-1] = (runs[-1][0] + text, kind)
    else:
        runs.append((text, kind))


def _words(text: str) -> list[str]:
    """``text`` cut into words and the spaces between them (every character kept)."""
    out: list[str] = []
    for ch in text:
        if out and (ch.isspace() == out[-1][-1].isspace()):
            out[-1] += ch
        else:
            out.append(ch)
    return out
