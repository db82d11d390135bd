"""The conditions a step states for a dossier that falls short: ``"<condition> -> <action>"``.

The words are those of ``procreg.text.vocabulary`` (branch words), shared with the catalog graph.
"""

from __future__ import annotations

import re

from procreg.text import fold, normalize_line
from procreg.text.vocabulary import (
    CONDITION_OPENER,
    CONDITION_THEN,
    DOSSIER_FALLS_SHORT_FOLDED,
    DOSSIER_SHORT_CONDITION,
)

__all__ = ["BRANCH_MAX", "cap_branch", "dossier_branches"]

# Where a step text's pieces end: bullets, sentence and item ends, numbered items ("… ). 2. Kiểm tra …").
_PIECE_SPLIT = re.compile(
    r"(?:^|\s)[-+•*]\s+|(?<=[.;!?])\s+|\s(?=\d{1,2}\.\s+[A-ZĐÀ-Ỹa-zđ])|\s(?=[a-dđ]\)\s)"
)
_THEN = f" {CONDITION_THEN} "
BRANCH_MAX = 240


def cap_branch(clause: str) -> str:
    """At most ``BRANCH_MAX`` characters, cut after a clause (``,``/``;``) or else a word."""
    if len(clause) <= BRANCH_MAX:
        return clause
    head = clause[:BRANCH_MAX]
    cut = max(head.rfind(", "), head.rfind("; "), head.rfind(" - "))
    if cut < BRANCH_MAX // 2:
        cut = head.rfind(" ")
    return head[:cut].rstrip(" ,;-")


def _clauses(piece: str) -> list[str]:
    """The conditional clauses of one piece: from each condition word to the next, else a dossier clause.

    A condition word inside parentheses ("(trường hợp nộp hồ sơ …)") opens a qualifier, not a clause.
    """
    clauses: list[str] = []
    starts = list(CONDITION_OPENER.finditer(piece))
    for i, m in enumerate(starts):
        before = piece[: m.start()]
        if before.count("(") > before.count(")"):
            continue
        end = starts[i + 1].start() if i + 1 < len(starts) else len(piece)
        clauses.append(piece[m.end() : end])
    if not starts:
        dossier = DOSSIER_SHORT_CONDITION.match(piece)
        if dossier:
            clauses.append(dossier.group(1)[:1].lower() + dossier.group(1)[1:])
    return clauses


def dossier_branches(text: str) -> tuple[str, ...]:
    """Conditions a step states for an incomplete/invalid dossier: ``"<condition> -> <action>"``.

    The text is cut into sentences and items first, so a condition is one clause of one sentence
    ("Trường hợp hồ sơ chưa đầy đủ, chưa hợp lệ: hướng dẫn bổ sung"), never a run of items; a condition
    in parentheses ("(trường hợp nộp hồ sơ không phụ thuộc vào địa giới hành chính)") is a qualifier.
    Only conditions where the dossier falls short count; a clause without ``thì`` is kept whole.
    """
    out: list[str] = []
    for piece in _PIECE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        for clause in _clauses(piece):
            clause = clause.strip().rstrip(".;,")
            if not DOSSIER_FALLS_SHORT_FOLDED.search(fold(clause)):
                continue
            cond, sep, action = clause.partition(_THEN)
            branch = f"{cond.strip()} -> {action.strip()}" if sep else clause
            branch = normalize_line(cap_branch(branch))
            if branch and branch not in out:
                out.append(branch)
    return tuple(out)
