"""Numbered sections of a document body: ``I.``, ``1.``, ``7.1.``, ``a)`` and ``Điều 1.``.

Each ``Section`` gets a dotted ``path`` of its numbers: ``II.3``, ``III.7.2`` (a dotted number under its
own parent keeps only its last part: ``7.2`` under ``III.7`` is ``III.7.2``), ``II.3.a``. ``-``/``+``/``•``
bullets are not sections: they are text of the enclosing one. A number repeated among siblings is kept
in order and reported in the warnings.

Only the body counts: paragraphs (never table rows, so annex tables and layout cells are out) before the
closing block (``Nơi nhận``) or an annex heading (``PHỤ LỤC``). A line that merely starts with digits is not
a heading unless the number is followed by ``.``/``)`` and a word, so wrapped citations ("2022 - 2025;",
"1085/QĐ-TTg ngày ...") are never taken for sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from procreg.i18n import N_
from procreg.parsers.blocks import Line
from procreg.registry.models import Section, SourceRef

__all__ = ["BodyLine", "SectionResult", "body_end", "extract_sections"]

_ROMAN_RE = re.compile(r"^(?P<n>[IVXL]{1,6})\.\s*(?P<t>\S.*)?$")
_ARTICLE_RE = re.compile(r"^Điều\s+(?P<n>\d{1,3})\s*[.:]\s*(?P<t>.*)$")
_ARABIC_RE = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})(?P<dot>\.)?\s+(?P<t>[^\W\d_].*)$")
_LETTER_RE = re.compile(r"^(?P<n>[a-zđ])\)\s+(?P<t>\S.*)$")
_END_RE = re.compile(r"^\s*(?:Nơi\s+nhận|PHỤ\s+LỤC\b|Phụ\s+lục\s+[IVX\d]+\s*$)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_MAX_TITLE = 160
_SENTENCE_END_RE = re.compile(r"[.:;](?:\s|$)")


def _roman_ok(s: str) -> bool:
    """True for a well-formed roman numeral up to 89 (rejects "IIII", "VV", "IL"...)."""
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN_VALUES[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    canon = ""
    n = total
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            canon += sym
            n -= value
    return canon == s


@dataclass(slots=True)
class _Node:
    number: str
    title: str
    path: str
    rank: int
    source: SourceRef
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            number=self.number,
            title=self.title,
            path=self.path,
            children=tuple(c.freeze() for c in self.children),
            source=self.source,
        )


@dataclass(frozen=True, slots=True)
class BodyLine:
    """A body paragraph with the path of the innermost section that holds it (``""`` before any)."""

    path: str
    text: str
    source: SourceRef
    heading: bool = False  # the line that opens the section


@dataclass(frozen=True, slots=True)
class SectionResult:
    """Sections (a tree), warnings, and the body paragraphs each tagged with its section path."""

    sections: tuple[Section, ...]
    warnings: tuple[str, ...]
    body: tuple[BodyLine, ...]


def body_end(lines: Sequence[Line], start: int = 0) -> int:
    """Index of the first line after the body: ``Nơi nhận`` or an annex heading (``len(lines)`` if none)."""
    for i in range(start, len(lines)):
        line = lines[i]
        texts = line.cells if line.cells is not None else (line.text,)
        if any(_END_RE.match(t) for t in texts if t):
            return i
    return len(lines)


def _short_title(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _MAX_TITLE:
        return text.rstrip(" :")
    m = _SENTENCE_END_RE.search(text)
    if m and m.start() <= _MAX_TITLE:
        return text[: m.start()]
    return text[:_MAX_TITLE].rstrip() + "…"


def _heading(text: str) -> tuple[str, str, int] | None:
    """(number, title, rank) when ``text`` starts a numbered section, else None."""
    m = _ROMAN_RE.match(text)
    if m and _roman_ok(m["n"]) and (m["t"] is None or not m["t"][0].isdigit()):
        return m["n"], m["t"] or "", 0
    m = _ARTICLE_RE.match(text)
    if m:
        return f"Điều {m['n']}", m["t"], 1
    m = _ARABIC_RE.match(text)
    if m:
        number = m["n"]
        parts = number.split(".")
        if (m["dot"] is None and len(parts) == 1) or int(parts[0]) == 0 or int(parts[0]) > 60:
            return None
        return number, m["t"], 1 + len(parts)
    m = _LETTER_RE.match(text)
    if m:
        return m["n"], m["t"], 8
    return None


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def extract_sections(lines: Sequence[Line], *, start: int = 0) -> SectionResult:
    """Build the section tree of the body ``lines[start:body_end]`` (paragraphs only)."""
    end = body_end(lines, start)
    roots: list[_Node] = []
    stack: list[_Node] = []
    warnings: list[str] = []
    body: list[BodyLine] = []
    last_heading: _Node | None = None
    for i in range(start, end):
        line = lines[i]
        if line.cells is not None:
            last_heading = None
            continue
        text = line.text.strip()
        if not text:
            continue
        head = _heading(text)
        if head is None:
            # An upper-case heading wrapped onto a second paragraph ("I. MỤC" / "ĐÍCH, YÊU CẦU").
            if (
                last_heading is not None
                and _is_upper(last_heading.title)
                and _is_upper(text)
                and len(text) < 100
                and len(last_heading.title) < 60
            ):
                last_heading.title = _short_title(f"{last_heading.title} {text}")
                body.append(BodyLine(last_heading.path, text, line.source, heading=True))
                continue
            last_heading = None
            body.append(BodyLine(stack[-1].path if stack else "", text, line.source))
            continue
        number, title, rank = head
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        if parent is None:
            component, path = number, number
        else:
            component = number
            if "." in number and "." not in parent.number and number.split(".")[0] == parent.number:
                component = number.split(".", 1)[1]
            elif "." in number and number.rsplit(".", 1)[0] == parent.number:
                component = number.rsplit(".", 1)[1]
            path = f"{parent.path}.{component}"
        siblings = parent.children if parent is not None else roots
        if any(s.number == number for s in siblings):
            values = {"number": number, "parent": parent.path if parent else "", "line": i + 1}
            values["title"] = _short_title(text)[:60]
            if parent is not None:
                warning = N_("section number %(number)s repeated under %(parent)s (line %(line)d: %(title)s)")
            else:
                warning = N_("section number %(number)s repeated at top level (line %(line)d: %(title)s)")
            warnings.append(warning % values)
        node = _Node(number=number, title=_short_title(title), path=path, rank=rank, source=line.source)
        siblings.append(node)
        stack.append(node)
        last_heading = node
        body.append(BodyLine(path, text, line.source, heading=True))
    return SectionResult(
        sections=tuple(n.freeze() for n in roots),
        warnings=tuple(warnings),
        body=tuple(body),
    )
