"""Query language of ``procreg search``, parsed into a small backend-neutral tree.

Plain words (all required), ``"phrases"``, filters (``code:QT.GĐ.01``, ``unit:"văn phòng"``,
``field:``, ``status:``, ``kind:``, ``number:``), date ranges on ``issued_on`` and ``review_due``
(``issued_on:2025-01-01..2025-12-31``, ``issued_on:2025``, ``issued_on:>=2025-03``, or Whoosh's own
``issued_on:[20250101 TO 20251231]``), and boolean ``AND``/``OR``/``NOT`` (upper case), ``-word`` and
parentheses. A malformed query (unbalanced quote or parenthesis, empty filter, dangling operator,
bad date) is never an error: it is searched as plain words, with a notice saying why.

Words that look like codes or document numbers (``QT.GĐ.01``, ``1490/QĐ-UBND``) become ``Code``
nodes, which match the whole code as well as its parts in the text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field

from procreg.i18n import _
from procreg.index.codes import looks_like_code
from procreg.text import fold

__all__ = [
    "DATE_FIELDS",
    "FILTERS",
    "And",
    "Code",
    "DateRange",
    "Filter",
    "Loose",
    "Node",
    "Not",
    "Or",
    "ParsedQuery",
    "Phrase",
    "QuerySyntaxError",
    "Word",
    "date_bounds",
    "parse_query",
    "positive_terms",
]


@dataclass(frozen=True, slots=True)
class Word:
    """One word, NFC, as typed (case kept)."""

    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must appear next to each other, in order."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """A code or document number typed as one token (``QT.GĐ.01``, ``1490/QĐ-UBND``)."""

    text: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Loose:
    """Documents whose code (or number) has the loose key ``key`` or, with ``family``, starts with it."""

    key: str
    family: bool = True


@dataclass(frozen=True, slots=True)
class Filter:
    """``name:value`` on a keyword field (code, number, unit, field, status, kind)."""

    name: str
    value: str
    prefix: bool = False  # value ended with * (code:QT.GĐ.*)


@dataclass(frozen=True, slots=True)
class DateRange:
    """An ISO date range on ``issued_on`` or ``review_due``; None means open."""

    name: str
    start: str | None
    end: str | None
    start_excl: bool = False
    end_excl: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    """Documents that do not match ``child``."""

    child: Node


@dataclass(frozen=True, slots=True)
class And:
    """Documents matching every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Documents matching any child."""

    children: tuple[Node, ...]


Node = Word | Phrase | Code | Loose | Filter | DateRange | Not | And | Or


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A parsed query: its tree (None when nothing searchable is left) and notices for the user."""

    text: str
    node: Node | None
    notices: tuple[str, ...] = ()
    plain: bool = False  # True when the query was malformed and searched as plain words
    words: tuple[str, ...] = field(default=())  # positive words/phrase words, for snippets and suggestions


class QuerySyntaxError(ValueError):
    """Raised inside the parser; ``parse_query`` turns it into a plain-words search and a notice."""


# Filter names users may type (folded), mapped to the canonical name.
FILTERS: dict[str, str] = {
    "code": "code",
    "ma": "code",
    "kyhieu": "code",
    "number": "number",
    "so": "number",
    "sohieu": "number",
    "unit": "unit",
    "donvi": "unit",
    "field": "field",
    "linhvuc": "field",
    "status": "status",
    "trangthai": "status",
    "kind": "kind",
    "loai": "kind",
    "issued_on": "issued_on",
    "issued": "issued_on",
    "ngay": "issued_on",
    "date": "issued_on",
    "review_due": "review_due",
    "due": "review_due",
}
DATE_FIELDS = frozenset({"issued_on", "review_due"})
OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}

_WORD = re.compile(r"[\w\u0300-\u036f]+")
_CODE = re.compile(r"^[\w\u0300-\u036f]+(?:[./\-][\w\u0300-\u036f]+)+$")
_FIELD = re.compile(r"^([^\W\d][\w\-]*):(.*)$", re.S)
_STOP = set(' \t\n\r()"')


# --------------------------------------------------------------------------------------------------
# Dates


def _iso(y: int, m: int, d: int) -> str:
    if not (1 <= m <= 12) or not (1 <= d <= calendar.monthrange(y, m)[1]) or not (1000 <= y <= 9999):
        raise QuerySyntaxError(_("not a date: “%(date)s”") % {"date": f"{y}-{m}-{d}"})
    return f"{y:04d}-{m:02d}-{d:02d}"


def date_bounds(text: str) -> tuple[str, str]:
    """First and last ISO day of a typed date or period.

    Accepts ``2025``, ``2025-03``, ``2025-03-05``, ``20250305``, ``5/3/2025``, ``03/2025``.

    >>> date_bounds("2025-02"), date_bounds("5/3/2025")
    (('2025-02-01', '2025-02-28'), ('2025-03-05', '2025-03-05'))
    """
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})", t):
            y = int(m.group(1))
            return _iso(y, 1, 1), _iso(y, 12, 31)
        if m := re.fullmatch(r"(\d{4})[-.](\d{1,2})", t) or re.fullmatch(r"(\d{1,2})[/.](\d{4})", t):
            a, b = m.groups()
            y, mo = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
            last = calendar.monthrange(y, mo)[1] if 1 <= mo <= 12 else 0
            return _iso(y, mo, 1), _iso(y, mo, last)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t):
            day = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return day, day
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t):
            day = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return day, day
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise QuerySyntaxError(_("not a date: “%(date)s”") % {"date": text}) from exc
    raise QuerySyntaxError(_("not a date: “%(date)s”") % {"date": text})


def _date_range(name: str, value: str) -> DateRange:
    v = value.strip()
    if m := re.fullmatch(r"([\[{])\s*(.*?)\s+TO\s+(.*?)\s*([\]}])", v, re.I) or re.fullmatch(
        r"([\[{])\s*(.*?)\s+TO\s*([\]}])", v, re.I
    ):
        groups = m.groups()
        lo_text, hi_text = (groups[1], groups[2]) if len(groups) == 4 else (groups[1], "")
        start_excl, end_excl = groups[0] == "{", groups[-1] == "}"
        start = date_bounds(lo_text)[0 if not start_excl else 1] if lo_text else None
        end = date_bounds(hi_text)[1 if not end_excl else 0] if hi_text else None
        return DateRange(name, start, end, start_excl, end_excl)
    if ".." in v:
        lo_text, _dots, hi_text = v.partition("..")
        start = date_bounds(lo_text)[0] if lo_text.strip() else None
        end = date_bounds(hi_text)[1] if hi_text.strip() else None
        if start is None and end is None:
            raise QuerySyntaxError(_("empty date range “%(filter)s”") % {"filter": f"{name}:{value}"})
        return DateRange(name, start, end)
    if m := re.fullmatch(r"(>=|<=|>|<)\s*(.+)", v):
        op, rest = m.groups()
        lo, hi = date_bounds(rest)
        if op == ">=":
            return DateRange(name, lo, None)
        if op == ">":
            return DateRange(name, hi, None, start_excl=True)
        if op == "<=":
            return DateRange(name, None, hi)
        return DateRange(name, None, lo, end_excl=True)
    lo, hi = date_bounds(v)
    return DateRange(name, lo, hi)


# --------------------------------------------------------------------------------------------------
# Lexer


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # word, phrase, field, op, lparen, rparen, neg
    text: str
    value: str = ""
    quoted: bool = False


def _read_until(text: str, i: int, closing: str) -> tuple[str, int]:
    j = text.find(closing, i)
    if j < 0:
        raise QuerySyntaxError(
            _("a closing quotation mark is missing")
            if closing == '"'
            else _("“%(mark)s” is missing") % {"mark": closing}
        )
    return text[i:j], j + 1


def _filter_name(run: str) -> str | None:
    """The canonical filter name of ``name:value`` typed as ``run``, or None when it is no filter."""
    m = _FIELD.match(run)
    if not m:
        return None
    key = fold(m.group(1)).replace("-", "").replace("_", "")
    return FILTERS[_FILTER_KEYS[key]] if key in _FILTER_KEYS else None


def _field_token(text: str, i: int, run: str, name: str) -> tuple[_Tok, int]:
    """The field token of ``run`` (``name:value``) and where lexing goes on; a value may run on."""
    m = _FIELD.match(run)
    assert m is not None
    value, quoted, n = m.group(2), False, len(text)
    if not value and i < n and text[i] == '"':
        value, i = _read_until(text, i + 1, '"')
        quoted = True
    elif value[:1] in ("[", "{") and not re.search(r"[\]}]$", value):
        # Whoosh range syntax runs over spaces: [2025-01-01 TO 2025-12-31]
        end = min((k for k in (text.find("]", i), text.find("}", i)) if k >= 0), default=-1)
        if end < 0:
            raise QuerySyntaxError(_("the range in “%(filter)s” is not closed") % {"filter": run})
        value, i = value + text[i : end + 1], end + 1
    if not value.strip():
        raise QuerySyntaxError(_("the filter “%(name)s:” is empty") % {"name": m.group(1)})
    return _Tok("field", name, value, quoted), i


def _run_tokens(text: str, i: int, toks: list[_Tok]) -> int:
    """Lex the run of text starting at ``i`` (an operator, a negation, a filter or a word)."""
    j = i
    while j < len(text) and text[j] not in _STOP:
        j += 1
    run, i = text[i:j], j
    if run in OPERATORS:
        toks.append(_Tok("op", OPERATORS[run]))
        return i
    if run.startswith("-") and len(run) > 1 and (toks == [] or toks[-1].kind != "neg"):
        toks.append(_Tok("neg", "-"))
        run = run[1:]
    name = _filter_name(run)
    if name is None:
        toks.append(_Tok("word", run))
        return i
    tok, i = _field_token(text, i, run, name)
    toks.append(tok)
    return i


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            toks.append(_Tok("lparen" if ch == "(" else "rparen", ch))
            i += 1
        elif ch == '"':
            body, i = _read_until(text, i + 1, '"')
            toks.append(_Tok("phrase", body))
        else:
            i = _run_tokens(text, i, toks)
    return toks


_FILTER_KEYS = {k.replace("_", ""): k for k in FILTERS}


# --------------------------------------------------------------------------------------------------
# Parser


def _word_node(run: str) -> Node | None:
    """A bare run of text as a node: a code, one word, or the phrase of its words (``y-tế``)."""
    run = run.strip(",;:!?…'`«»“”‘’[]{}<>")
    words = _WORD.findall(run)
    if not words:
        return None
    if _CODE.match(run) and (
        (any(c.isdigit() for c in run) and any(c.isalpha() for c in run)) or looks_like_code(run)
    ):
        return Code(run, tuple(words))
    if len(words) == 1:
        return Word(words[0])
    return Phrase(tuple(words))


def _filter_node(tok: _Tok) -> Node:
    name, value = tok.text, tok.value.strip()
    if name in DATE_FIELDS:
        return _date_range(name, value)
    prefix = value.endswith("*") and not tok.quoted
    value = value.rstrip("*").strip() if prefix else value
    if not value:
        raise QuerySyntaxError(_("the filter “%(name)s:” is empty") % {"name": name})
    return Filter(name, value, prefix)


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        if not self.toks:
            return None
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError(_("the parentheses do not match"))
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "OR":
            self.take()
            if self.peek() is None or self.peek().kind == "rparen":  # type: ignore[union-attr]
                raise QuerySyntaxError(_("the operator “%(operator)s” lacks a side") % {"operator": "OR"})
            parts.append(self.and_expr())
        if parts[0] is None and len(parts) == 1:
            return None
        kept = tuple(p for p in parts if p is not None)
        if len(kept) != len(parts):
            raise QuerySyntaxError(_("the operator “%(operator)s” lacks a side") % {"operator": "OR"})
        return kept[0] if len(kept) == 1 else Or(kept)

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        while (t := self.peek()) is not None and not (
            t.kind == "rparen" or (t.kind == "op" and t.text == "OR")
        ):
            if t.kind == "op" and t.text == "AND":
                self.take()
                nxt = self.peek()
                if (
                    not parts
                    or nxt is None
                    or nxt.kind == "rparen"
                    or (nxt.kind == "op" and nxt.text != "NOT")
                ):
                    raise QuerySyntaxError(
                        _("the operator “%(operator)s” lacks a side") % {"operator": "AND"}
                    )
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            if self.peek() is not None and self.peek().kind == "op":  # type: ignore[union-attr]
                raise QuerySyntaxError(_("the operator “%(operator)s” lacks a side") % {"operator": "OR"})
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        t = self.take()
        if (t.kind == "op" and t.text == "NOT") or t.kind == "neg":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rparen", "op") and nxt.text != "NOT":
                raise QuerySyntaxError(_("the operator “%(operator)s” lacks a side") % {"operator": "NOT"})
            child = self.unary()
            return Not(child) if child is not None else None
        if t.kind == "lparen":
            node = self.or_expr()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QuerySyntaxError(_("the parentheses do not match"))
            self.take()
            return node
        if t.kind == "rparen":
            raise QuerySyntaxError(_("the parentheses do not match"))
        if t.kind == "phrase":
            words = tuple(_WORD.findall(t.text))
            if not words:
                return None
            return Word(words[0]) if len(words) == 1 else Phrase(words)
        if t.kind == "field":
            return _filter_node(t)
        return _word_node(t.text)


def positive_terms(node: Node | None) -> tuple[str, ...]:
    """The words a document is found by (not under NOT; filters excluded), in query order."""
    if isinstance(node, Word):
        return (node.text,)
    if isinstance(node, Phrase):
        return node.words
    if isinstance(node, Code):
        return node.parts
    if isinstance(node, And | Or):
        return tuple(w for c in node.children for w in positive_terms(c))
    return ()


def _plain(text: str) -> Node | None:
    """The query as plain words: quotes, parentheses, operators and filter names dropped."""
    cleaned = re.sub(r'["()\[\]{}]', " ", text)
    nodes: list[Node] = []
    for run in cleaned.split():
        if run in OPERATORS:
            continue
        m = _FIELD.match(run)
        if m and fold(m.group(1)).replace("-", "").replace("_", "") in _FILTER_KEYS:
            run = m.group(2)
        node = _word_node(run.lstrip("-"))
        if node is not None:
            nodes.append(node)
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def parse_query(text: str) -> ParsedQuery:
    """Parse a query; a malformed one comes back as plain words with a notice (never an exception).

    >>> parse_query('giam dinh "phap y"').node
    And(children=(Word(text='giam'), Word(text='dinh'), Phrase(words=('phap', 'y'))))
    >>> parse_query('"quy trinh').plain
    True
    """
    text = unicodedata.normalize("NFC", text).strip()
    notices: list[str] = []
    try:
        toks = _lex(text)
        for tok in toks:
            if tok.kind == "word" and (m := _FIELD.match(tok.text)) and m.group(2) and "/" not in m.group(2):
                notices.append(
                    _(
                        "“%(name)s:” is not a filter (use code, unit, field, status, kind, number, "
                        "issued_on, review_due); searched as words"
                    )
                    % {"name": m.group(1)}
                )
        node = _Parser(toks).parse()
    except QuerySyntaxError as exc:
        node = _plain(text)
        words = " ".join(positive_terms(node)) or _("(no word left)")
        notices.append(
            _("Query not valid (%(problem)s); searched for the words: %(words)s")
            % {"problem": exc, "words": words}
        )
        return ParsedQuery(text, node, tuple(notices), plain=True, words=positive_terms(node))
    return ParsedQuery(text, node, tuple(notices), words=positive_terms(node))
