"""Snippets: the part of a text where the query's words are densest, with those words marked.

Matching is on folded words, so "tai lieu" marks "tài liệu" in the text; the text itself (NFC, as
stored) is shown as it is, less the punctuation of tables: cell bars become "; ", and cells holding
only a mark ("x", "-", "+") are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Collection

from procreg.text import fold_token

__all__ = ["clean_table_text", "make_snippet"]

_TOKEN = re.compile(r"[\w\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")
# Table cells that hold only marks (x for "yes", - for "none"), with the bar before them, and marks
# left at the end of a cell.
_MARKS = "[xX+✓✗\\-–—]"
_MARK_CELL = re.compile(rf"\|[ \t]*(?:{_MARKS}[ \t]*)*(?=\||$)", re.M)
_TRAILING_MARKS = re.compile(rf"(?:[ \t]+{_MARKS})+[ \t]*(?=\||$)", re.M)
_BARS = re.compile(r"\s*\|\s*")
# A run of marks standing alone between words ("… tâm thần. x - Văn bản …": cells flattened to text).
_MARK_RUN = re.compile(rf"(?:(?<=\s)|^){_MARKS}(?:[ \t]+{_MARKS})*(?=\s|$)", re.M)


def _drop_marks(m: re.Match[str]) -> str:
    """Drop a run of marks that holds an "x" or more than one mark; a lone dash is prose."""
    run = m.group(0)
    return "" if len(run.split()) > 1 or run in ("x", "X", "+", "✓", "✗") else run


def clean_table_text(text: str) -> str:
    """``text`` without table punctuation: mark-only cells and trailing marks dropped, bars as "; ".

    >>> clean_table_text("Đơn đề nghị | x | - | Bản sao | x |")
    'Đơn đề nghị; Bản sao'
    >>> clean_table_text("của giám định viên. x - Văn bản chứng minh x x")
    'của giám định viên. Văn bản chứng minh'
    """
    text = _TRAILING_MARKS.sub("", _MARK_CELL.sub("", text))
    text = _MARK_RUN.sub(_drop_marks, _BARS.sub("; ", text))
    return _SPACES.sub(" ", text).strip(" ;")


def make_snippet(
    text: str,
    terms: Collection[str],
    *,
    words: int = 30,
    marks: tuple[str, str] = ("", ""),
) -> str:
    """A window of about ``words`` words of ``text`` holding the most distinct ``terms`` (folded).

    Ties go to the earliest window. Matched words are wrapped in ``marks``; an ellipsis shows where
    the text was cut. With no match the snippet is the beginning of the text.

    >>> make_snippet("Quy trình kiểm soát tài liệu nội bộ", {"tai", "lieu"}, marks=("[", "]"))
    'Quy trình kiểm soát [tài] [liệu] nội bộ'
    """
    text = clean_table_text(unicodedata.normalize("NFC", text))
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return _SPACES.sub(" ", text).strip()[:200]
    folded = [fold_token(m.group(0)) for m in tokens]
    hits = [i for i, f in enumerate(folded) if f in terms]
    start = 0
    if hits and len(tokens) > words:
        best = (-1, -1)
        for h in hits[:400]:  # windows that start at a hit (a little context before the first)
            lo = max(0, min(h - words // 4, len(tokens) - words))
            window = [folded[i] for i in hits[bisect_left(hits, lo) : bisect_left(hits, lo + words)]]
            score = (len(set(window)), len(window))
            if score > best:
                best, start = score, lo
    end = min(len(tokens), start + words)
    begin_char = tokens[start].start() if start > 0 else 0
    end_char = tokens[end - 1].end() if end < len(tokens) else len(text)
    parts: list[str] = []
    pos = begin_char
    for i in range(start, end):
        if folded[i] in terms:
            m = tokens[i]
            parts.append(text[pos : m.start()])
            parts.append(f"{marks[0]}{m.group(0)}{marks[1]}")
            pos = m.end()
    parts.append(text[pos:end_char])
    snippet = _SPACES.sub(" ", "".join(parts)).strip()
    if start > 0:
        snippet = "… " + snippet
    if end < len(tokens):
        snippet = snippet + " …"
    return snippet
