"""Percentage commitments of a plan: "90% thủ tục hành chính nội bộ được rà soát, công bố, công khai ...".

The rule: every percentage printed in the body text (paragraphs, never table cells) is one commitment,
carried by its clause. A clause is a sentence cut at ``.``/``;`` and at ``, trong (số) đó``, so "tối thiểu
50% thủ tục ... được triển khai thanh toán trực tuyến, trong số đó, tỷ lệ ... đạt từ 30% trở lên" gives two
commitments (50% and 30%), and "100% hồ sơ ... đúng hạn. Cập nhật, công bố 100% các TTHC ..." gives two
commitments with their own sentences. A range (``từ 30% đến 50%``, ``30-50%``) is one commitment at its
lower bound, qualified ``at_least``.

Qualifier: ``at_least`` when the words before the number say a floor (tối thiểu, ít nhất, không thấp hơn,
không dưới, ≥) or the words after say ``trở lên``; otherwise ``aspiration`` when the clause says
``phấn đấu`` (matched accent-folded, so the typo "Phân đầu" counts); otherwise ``exact``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from procreg.parsers.sections import BodyLine
from procreg.registry.models import Qualifier, Target
from procreg.text import fold

__all__ = ["extract_targets", "split_clauses"]

_NUM = r"\d{1,3}(?:[.,]\d{1,2})?"
_PERCENT_RE = re.compile(
    rf"(?<![\d.,/])(?:(?P<lo>{_NUM})\s*%?\s*(?:-|–|đến|tới)\s*(?=\d))?(?P<v>{_NUM})\s*%",
)
_CLAUSE_SPLIT_RE = re.compile(r"(?<=[.;!?])\s+(?=\S)|,\s*(?=trong\s+(?:số\s+)?đó\b)", re.IGNORECASE)
_AT_LEAST_BEFORE = ("toi thieu", "it nhat", "khong thap hon", "khong duoi", "khong it hon", "≥", ">=")
_AT_LEAST_AFTER = ("tro len",)
_ASPIRATION = ("phan dau",)
_LOOKBACK = 40
_TITLE_LENGTH = 80  # a numbered line longer than this is an item paragraph, not a section title


def split_clauses(text: str) -> list[tuple[int, str]]:
    """Cut a paragraph into clauses; returns (offset, clause) pairs."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _CLAUSE_SPLIT_RE.finditer(text):
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return out


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def _qualifier(clause: str, start: int, end: int, is_range: bool) -> Qualifier:
    before = fold(clause[max(0, start - _LOOKBACK) : start])
    after = fold(clause[end : end + 20])
    if is_range or any(w in before for w in _AT_LEAST_BEFORE) or any(w in after for w in _AT_LEAST_AFTER):
        return "at_least"
    if any(w in fold(clause) for w in _ASPIRATION):
        return "aspiration"
    return "exact"


def _clean(clause: str) -> str:
    return " ".join(clause.split()).lstrip("-–•+* ").rstrip(" ;,")


def _paragraphs(body: Iterable[BodyLine]) -> list[BodyLine]:
    """Rejoin a paragraph the reader left split where the first part cannot end a sentence.

    "a) Đến hết năm 2025: Có ≥" + "30% DNNVV ..." is one statement, and so is a long item line cut before
    its end; a short heading line ("4. Cải cách tổ chức bộ máy") followed by its first paragraph is not,
    and neither is a line followed by a bullet.
    """
    out: list[BodyLine] = []
    for line in body:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not line.heading
            and prev.path == line.path
            and not line.text.startswith(("-", "–", "+", "•", "*"))
            and (
                prev.text.rstrip().endswith(("≥", "≤", ",", "(", "–", "-", ":"))
                or (
                    (not prev.heading or len(prev.text) > _TITLE_LENGTH)
                    and not prev.text.rstrip().endswith((".", ";", "!", "?", ":", ")"))
                )
            )
        ):
            out[-1] = BodyLine(prev.path, f"{prev.text} {line.text}", prev.source, heading=prev.heading)
        else:
            out.append(line)
    return out


def extract_targets(body: Iterable[BodyLine]) -> tuple[Target, ...]:
    """One ``Target`` per percentage in the body paragraphs, tagged with its section path."""
    out: list[Target] = []
    for line in _paragraphs(body):
        if "%" not in line.text:
            continue
        for _, clause in split_clauses(line.text):
            if "%" not in clause:
                continue
            for m in _PERCENT_RE.finditer(clause):
                is_range = m["lo"] is not None
                value = _value(m["lo"] if is_range else m["v"])
                if value > 100:
                    continue
                out.append(
                    Target(
                        section=line.path,
                        value=value,
                        unit="%",
                        qualifier=_qualifier(clause, m.start(), m.end(), is_range),
                        text=_clean(clause),
                        source=line.source,
                    )
                )
    return tuple(out)
