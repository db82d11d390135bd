"""Codes as people type them, matched whatever the dots, spaces, đ/d and leading zeros.

Procedure codes (``QT.GĐ.01``), national TTHC codes (``1.013871``) and document numbers
(``3005/QĐ-UBND``) all go through the same rule.

A code becomes its *runs*: maximal runs of letters (across separators) or of digits, folded and
lowercased, separators dropped, leading zeros removed from digit runs. ``QT.GĐ.01``, ``QT GD 01``,
``qtgd01`` and ``QT.GĐ.1`` all give ``qtgd.1``; ``1.013871`` gives ``1.13871``. A *family* is a run
prefix: ``QT.GĐ`` (runs ``qtgd``) lists ``qtgd.1`` and ``qtgd.2`` but not ``qtgdtx.1``. National
codes are also kept with their digits only (``1013871``) and as their six digits (``13871``).
"""

from __future__ import annotations

import re

from procreg.text import fold

__all__ = ["code_family", "code_runs", "index_code_keys", "looks_like_code", "loose_code", "natural_key"]

_RUN = re.compile(r"[a-z]+|[0-9]+")
_NATIONAL = re.compile(r"^\d\.(\d{6})$")
_UPPER_WITH_MARK = re.compile(r"[A-ZĐ]{2}")


def code_runs(text: str) -> list[str]:
    """The runs of a code: folded letter runs and digit runs without leading zeros.

    >>> code_runs("QT.GĐ.01"), code_runs("qtgd 1"), code_runs("1.013871")
    (['qtgd', '1'], ['qtgd', '1'], ['1', '13871'])
    """
    runs: list[str] = []
    for run in _RUN.findall(fold(text).lower()):
        if run.isdigit():
            runs.append(run.lstrip("0") or "0")
        elif runs and not runs[-1].isdigit():
            runs[-1] += run  # letters on both sides of a separator are one run: QT.GĐ -> qtgd
        else:
            runs.append(run)
    return runs


def loose_code(text: str) -> str:
    """The loose key of a code: its runs joined by dots (``QT.GĐ01`` -> ``qtgd.1``)."""
    return ".".join(code_runs(text))


def code_family(key: str, term: str) -> bool:
    """True when the loose key ``term`` belongs to the family ``key`` (a whole-run prefix, or equal)."""
    return term == key or term.startswith(key + ".")


def index_code_keys(code: str) -> list[str]:
    """Every key the index keeps for a code: the loose key, and digits only for national codes.

    >>> index_code_keys("1.013871"), index_code_keys("QT.GĐ.01")
    (['1.13871', '1013871', '13871'], ['qtgd.1'])
    """
    key = loose_code(code)
    if not key:
        return []
    keys = [key]
    national = _NATIONAL.match(fold(code).strip())
    if national:  # also typed without the dot, or as the six digits alone
        keys.append(code.strip().replace(".", "").lstrip("0"))
        keys.append(national.group(1).lstrip("0") or "0")
    return keys


def looks_like_code(word: str) -> bool:
    """True for a typed token that may be a code: letters with digits, or two capitals (``GĐ``, ``QT``).

    Plain syllables (``giam``, ``dinh``) are never codes; ``QT.GĐ``, ``qtgd01``, ``1.013871`` are.
    """
    has_digit = any(ch.isdigit() for ch in word)
    has_alpha = any(ch.isalpha() for ch in word)
    if has_digit and (has_alpha or "." in word or len(word) >= 5):
        return True
    return bool(_UPPER_WITH_MARK.search(word))


def natural_key(code: str | None) -> str:
    """A sort key that orders codes as people read them: ``QT.GĐ.2`` before ``QT.GĐ.10``; none last.

    >>> natural_key("QT.GĐ.2") < natural_key("QT.GĐ.10") < natural_key(None)
    True
    """
    if not code:
        return "\uffff"
    return ".".join(r.zfill(12) if r.isdigit() else r for r in code_runs(code))
