"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI and Windows-1258 text found and converted to NFC Unicode.

Agencies still hold years of documents typed in TCVN3 (fonts .VnTime, capitals in .VnTimeH) and
VNI-Windows (VNI-Times …), in .doc, .rtf, .docx and PDF text layers. The readers hand their text to this
package before anything else reads it:

- ``convert_word_runs``: a Word document's runs, by their fonts and their characters (docx_reader);
- ``convert_lines`` / ``decode_8bit``: a .txt file's lines, or an 8-bit file, by character statistics
  (txt_reader);
- ``convert_pdf_page``: a PDF page's glyphs, by their font names and characters (pdf_reader);
- ``refuse_unconverted``: what is still legacy after that is refused, never stored.

The tables are data (``data/tcvn3.json``, ``data/vni.json``) with their sources named; ``codec`` maps
bytes to letters, ``syllables`` tells Vietnamese from mojibake, ``detect`` judges the pieces.
"""

from __future__ import annotations

from collections import Counter

from procreg.i18n import N_, _
from procreg.parsers.legacy.codec import Encoding, decode, decode_cp1258, encode
from procreg.parsers.legacy.detect import font_encoding, looks_unconverted
from procreg.parsers.legacy.pdf import convert_pdf_page
from procreg.parsers.legacy.plain import convert_lines, decode_8bit
from procreg.parsers.legacy.word import convert_word_runs
from procreg.registry.errors import InputError

__all__ = [
    "Encoding",
    "convert_lines",
    "convert_pdf_page",
    "convert_word_runs",
    "decode",
    "decode_8bit",
    "decode_cp1258",
    "encode",
    "font_encoding",
    "looks_unconverted",
    "refuse_unconverted",
    "run_warnings",
]


def run_warnings(counts: Counter[Encoding]) -> tuple[str, ...]:
    """The reader warnings for a Word document's converted runs, one per encoding."""
    return tuple(
        N_("%(count)d runs typed in %(encoding)s fonts converted from the legacy encoding to Unicode")
        % {"count": count, "encoding": encoding.label}
        for encoding, count in sorted(counts.items(), key=lambda item: item[0].value)
    )


def refuse_unconverted(text: str, path: str) -> None:
    """Refuse a document whose text still reads as legacy 8-bit Vietnamese after conversion.

    Raises:
        InputError: the text looks like TCVN3/VNI (or another 8-bit encoding) shown as Unicode.
    """
    if looks_unconverted(text):
        raise InputError(
            _(
                "text in a legacy Vietnamese encoding procreg cannot convert (not TCVN3 or VNI in their "
                "fonts); nothing was stored: convert the file to Unicode first (e.g. with Unikey's converter)"
            ),
            path=path,
        )
