"""Vietnamese words that more than one layer recognises, each rule written once.

Patterns here match *folded* text (``procreg.text.fold``): lowercase, no accents, đ -> d.
"""

from __future__ import annotations

import re

from procreg.text.fold import fold

__all__ = ["INTERNAL_TTHC", "mentions_internal_tthc"]

# "thủ tục hành chính nội bộ" / "TTHC nội bộ": what makes a catalog, a group row or a decision internal.
INTERNAL_TTHC = re.compile(r"\b(?:thu tuc hanh chinh noi bo|tthc noi bo)\b")


def mentions_internal_tthc(text: str) -> bool:
    """True when ``text`` speaks of internal administrative procedures (TTHC nội bộ), accents optional.

    >>> mentions_internal_tthc("Danh mục thủ tục hành chính nội bộ")
    True
    """
    return INTERNAL_TTHC.search(" ".join(fold(text).split())) is not None
