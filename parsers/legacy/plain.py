"""Plain text (.txt): legacy text found by character statistics, line by line.

A .txt file has no fonts, so its characters decide alone. Two cases occur:

- UTF-8 text that holds TCVN3 or VNI shown as Unicode (copied out of an old Word file or a PDF text
  layer): each line is a segment judged by its characters, converted when the whole file's evidence for
  one encoding is strong (``detect.judge`` with ``by_characters``);
- an 8-bit file (not UTF-8 at all): read as Windows-1258, TCVN3 and VNI in turn, and taken in the
  reading whose words are well-formed Vietnamese syllables, when one clearly is.
"""

from __future__ import annotations

from collections import Counter

from procreg.parsers.legacy.codec import Encoding, decode_chars, decode_cp1258, decode_legacy_bytes
from procreg.parsers.legacy.detect import Segment, judge, shows_legacy_bytes
from procreg.parsers.legacy.syllables import is_syllable

__all__ = ["convert_lines", "decode_8bit"]


_BLOCK = 2000  # lines judged together


def convert_lines(text: str) -> tuple[str, Counter[Encoding]]:
    """``text`` with its legacy lines converted, and how many lines were, by encoding."""
    if not shows_legacy_bytes(text):  # Unicode text, the common case: one scan at C speed
        return text, Counter()
    lines = text.split("\n")
    counts: Counter[Encoding] = Counter()
    out: list[str] = []
    # Judged a block of lines at a time: plenty of evidence, and memory bounded on a huge file.
    for start in range(0, len(lines), _BLOCK):
        block = lines[start : start + _BLOCK]
        segments = [Segment(list(line), None) for line in block]
        for line, segment, encoding in zip(block, segments, judge(segments, by_characters=True), strict=True):
            converted = line if encoding is None else "".join(decode_chars(segment.chars, encoding))
            out.append(converted)
            if encoding is not None and converted != line:
                counts[encoding.family] += 1
    return "\n".join(out), counts


# An 8-bit reading is taken when this share of its judged words are syllables, and it leads every other
# reading by this many syllables.
_MIN_VALID_SHARE = 0.8
_MIN_LEAD = 3


def _syllables(text: str) -> tuple[int, int]:
    valid = judged = 0
    for word in text.split():
        word = word.strip(".,;:!?()[]\"'“”‘’…")
        if word.isascii() or any(ch.isdigit() for ch in word):
            continue
        judged += 1
        valid += is_syllable(word)
    return valid, judged


def decode_8bit(data: bytes) -> tuple[str, str] | None:
    """An 8-bit legacy Vietnamese file as (text, encoding name), or None when no reading fits."""
    sample = data[:200_000]
    readings = {
        "Windows-1258": decode_cp1258(sample),
        Encoding.TCVN3.label: decode_legacy_bytes(sample, Encoding.TCVN3),
        Encoding.VNI.label: decode_legacy_bytes(sample, Encoding.VNI),
    }
    scored = sorted(((*_syllables(text), name) for name, text in readings.items()), reverse=True)
    (valid, judged, name), runner_up = scored[0], scored[1]
    if judged == 0 or valid < _MIN_VALID_SHARE * judged or valid - runner_up[0] < _MIN_LEAD:
        return None
    if name == "Windows-1258":
        return decode_cp1258(data), name
    encoding = Encoding.TCVN3 if name == Encoding.TCVN3.label else Encoding.VNI
    return decode_legacy_bytes(data, encoding), name
