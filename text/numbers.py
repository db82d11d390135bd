"""Document numbers (``3005/QĐ-UBND``) as comparison keys."""

from __future__ import annotations

import re

from procreg.text.fold import fold

__all__ = ["number_key"]

_WHITESPACE = re.compile(r"\s+")


def number_key(number: str) -> str:
    """The key two spellings of one document number share: no spaces, accents folded, upper case.

    >>> number_key("1037/QĐ- UBND") == number_key("1037/QD-UBND")
    True
    """
    return fold(_WHITESPACE.sub("", number)).upper()
