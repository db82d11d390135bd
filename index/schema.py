"""The Whoosh schema of the procreg index, and how an ``IndexDoc`` becomes a Whoosh document.

Every text that users search has two fields: an exact one (NFC, lowercase, accents kept) and a folded
one (accents removed, đ -> d). Queries match on the folded fields and use the exact ones only to rank
accent-exact matches first (see ``index.whoosh_backend``). Codes and numbers are also kept whole,
folded and lowercased (``qt.gd.01``, ``1490/qd-ubnd``), for ``code:`` filters and code look-ups.

Bump ``SCHEMA_VERSION`` whenever a field, an analyzer or what goes into a field changes: an index
built with another version is rebuilt, never trusted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.formats import Existence

from procreg.index.analysis import (
    TOKEN_PATTERN,
    exact_analyzer,
    folded_analyzer,
    folded_tokens,
    pair_analyzer,
)
from procreg.index.codes import index_code_keys, natural_key
from procreg.index.syllables import split_joined
from procreg.registry.models import IndexDoc
from procreg.text import fold, fold_token

__all__ = [
    "COLUMN_FIELDS",
    "KIND_BOOST",
    "KIND_ORDER",
    "OUT_OF_FORCE",
    "SCHEMA_VERSION",
    "code_key",
    "column_values",
    "doc_boost",
    "doc_terms",
    "make_schema",
    "sort_key",
    "stored_fields",
]

SCHEMA_VERSION = 8

# Kinds in the order ties are broken (then by numeric id).
KIND_ORDER = {"proc": 0, "cat": 1, "doc": 2}
# Document-level boosts: a procedure outranks its catalog line and the decision quoting it.
KIND_BOOST = {"procedure": 1.5, "catalog": 1.2}
# Statuses of procedures and catalog entries that are no longer in force (ranked after those in force).
OUT_OF_FORCE = ("superseded", "abolished", "withdrawn")

_ID = re.compile(r"^([a-z]+):(\d+)$")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(TOKEN_PATTERN)
# Words a title often starts with that people do not type ("Thủ tục cấp giấy phép...").
_LEADING = frozenset({"thu tuc", "quy trinh"})
# A token with two tone-marked vowels (NFC, lowercase) holds at least two syllables run together.
_TONED = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_TWO_TONES = re.compile(f"[{_TONED}]\\w*[{_TONED}]")
_NATIONAL_IN_TEXT = re.compile(r"(?<![\d.])\d\.\d{6}(?![\d])")

COLUMN_FIELDS = ("id", "sid", "fp", "csort")


def _words(analyzer: Any) -> TEXT:
    """A word field whose weights (frequency times the document boost) live in the posting blocks.

    The format is Whoosh's ``Existence``: no per-posting value bytes are written (``index.segments``
    writes the postings; nothing reads Whoosh's value-based weights).
    """
    field = TEXT(analyzer=analyzer, phrase=False)
    field.format = Existence()
    return field


def make_schema() -> Schema:
    """The index schema (the same every time: it is pickled into the index).

    ``text_f`` holds the folded words of title and body (joined syllables also split), ``text`` the
    accented words that differ from their fold (accent-exact ranking and exclusion), ``pairs_f`` the
    folded adjacent word pairs (phrases and proximity), ``title_f`` the folded title (a ranking bonus),
    ``code_loose`` the loose keys of codes (``index.codes``), ``tpairs_f`` the title's adjacent pairs
    and ``thead_f`` its first word and pair (after a leading "Thủ tục"): people type names from their
    start. ``title`` and ``body`` are only stored.
    """
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        sid=ID(stored=True, sortable=True),
        kind=ID(stored=True),
        doc_kind=ID(stored=True),
        code=ID(stored=True),
        code_key=ID(),
        code_loose=_words(folded_analyzer()),
        number=ID(stored=True),
        number_key=ID(),
        title=STORED(),
        title_f=_words(folded_analyzer()),
        tpairs_f=_words(pair_analyzer()),
        thead_f=_words(folded_analyzer()),
        body=STORED(),
        text=_words(exact_analyzer()),
        text_f=_words(folded_analyzer()),
        pairs_f=_words(pair_analyzer()),
        unit=STORED(),
        unit_f=_words(folded_analyzer()),
        field=STORED(),
        field_f=_words(folded_analyzer()),
        status=ID(stored=True),
        issuer=STORED(),
        issued_on=ID(stored=True),
        review_due=ID(stored=True),
        current=ID(stored=True),
        version=STORED(),
        fp=ID(stored=True, sortable=True),
        csort=ID(sortable=True),
    )


def code_key(text: str) -> str:
    """A code or number as the index keeps it whole: folded, lowercased, spaces removed.

    >>> code_key("QT.GĐ.01"), code_key("1490/QĐ-UBND")
    ('qt.gd.01', '1490/qd-ubnd')
    """
    return _SPACES.sub("", fold(text).lower())


def sort_key(doc_id: str) -> str:
    """A string that sorts ids by kind (procedures, catalog entries, documents), then numerically.

    >>> sort_key("proc:12") < sort_key("proc:9"), sort_key("proc:99") < sort_key("cat:1")
    (False, True)
    """
    m = _ID.match(doc_id)
    if not m:
        return "9" + doc_id
    return f"{KIND_ORDER.get(m.group(1), 8)}{int(m.group(2)):012d}"


def _words_and_pairs(names: Iterable[str]) -> list[str]:
    """Folded words of each name plus its adjacent pairs, so filters match phrases without positions."""
    out: list[str] = []
    for name in names:
        words = folded_tokens(name)
        out.extend(words)
        out.extend(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return out


def _text_terms(title: str, body: str) -> tuple[list[str], list[str], list[str]]:
    """(accented words that differ from their fold, folded words, folded pairs) of title and body.

    A token holding several syllables run together (``thủtục``) also gives its syllables, so "thu
    tuc" finds it. The whole text is lowercased and folded at once (C speed), not token by token.
    """
    text = unicodedata.normalize("NFC", f"{title}\n{body}" if body else title).lower()
    exact = _TOKEN.findall(text)
    folded = _TOKEN.findall(fold(text))
    if len(folded) != len(exact):  # pragma: no cover - a fold that changed word boundaries
        folded = [fold_token(t) for t in exact]
    accented = [t for t, f in zip(exact, folded, strict=True) if t != f]
    if _TWO_TONES.search(text):
        folded = _with_syllables(exact, folded)
    pairs = list(map("{} {}".format, folded, folded[1:]))
    return accented, folded, pairs


def _with_syllables(exact: list[str], folded: list[str]) -> list[str]:
    """``folded`` with each joined token followed by its syllables."""
    out: list[str] = []
    for token, f in zip(exact, folded, strict=True):
        out.append(f)
        out.extend(split_joined(f, token) if len(f) > 3 else ())
    return out


def _code_terms(doc: IndexDoc) -> list[str]:
    """Loose code keys: the doc's code and number, and national codes its body names (procedures)."""
    codes = [c for c in (doc.code, doc.number) if c]
    if doc.kind in ("procedure", "catalog"):
        codes.extend(_NATIONAL_IN_TEXT.findall(doc.body))
    return [k for c in dict.fromkeys(codes) for k in index_code_keys(c)]


def doc_terms(doc: IndexDoc) -> dict[str, list[str]]:
    """Every indexed field of ``doc`` with its terms (repeats count as frequency)."""
    accented, folded, pairs = _text_terms(doc.title, doc.body)
    keywords = {
        "id": doc.id,
        "kind": doc.kind,
        "doc_kind": doc.doc_kind,
        "code_key": code_key(doc.code) if doc.code else None,
        "number_key": code_key(doc.number) if doc.number else None,
        "status": doc.status,
        "issued_on": doc.issued_on,
        "review_due": doc.review_due,
        "current": "y" if doc.current else "n",
    }
    terms: dict[str, list[str]] = {name: [value] for name, value in keywords.items() if value}
    title = folded_tokens(doc.title)
    head = title[2:] if " ".join(title[:2]) in _LEADING and len(title) > 4 else title
    terms.update(
        title_f=title,
        tpairs_f=list(map("{} {}".format, title, title[1:])),
        thead_f=[f"{a} {b}" for a, b in zip(head[:1], head[1:2], strict=False)] + head[:1],
        text=accented,
        text_f=folded,
        pairs_f=pairs,
        unit_f=_words_and_pairs(doc.unit),
        field_f=_words_and_pairs((doc.field,) if doc.field else ()),
        code_loose=_code_terms(doc),
    )
    return {name: values for name, values in terms.items() if values}


def stored_fields(doc: IndexDoc, fingerprint: str) -> dict[str, Any]:
    """The stored values of ``doc`` (absent values left out) and its sortable column values."""
    values: dict[str, Any] = {
        "id": doc.id,
        "sid": sort_key(doc.id),
        "kind": doc.kind,
        "doc_kind": doc.doc_kind,
        "code": doc.code,
        "number": doc.number,
        "title": doc.title,
        "body": doc.body,
        "unit": "; ".join(doc.unit) or None,
        "field": doc.field,
        "status": doc.status,
        "issuer": doc.issuer,
        "issued_on": doc.issued_on,
        "review_due": doc.review_due,
        "current": "y" if doc.current else "n",
        "version": doc.version,
        "fp": fingerprint,
    }
    return {k: v for k, v in values.items() if v is not None and v != ""}


def column_values(doc: IndexDoc, fingerprint: str) -> dict[str, str]:
    """The sortable columns of ``doc``: id, sort key, fingerprint and code order (``csort``: kind, code)."""
    sid = sort_key(doc.id)
    csort = sid[0] + natural_key(doc.code or doc.number)
    return {"id": doc.id, "sid": sid, "fp": fingerprint, "csort": csort}


def doc_boost(doc: IndexDoc) -> float:
    """The document-level boost of ``doc`` (applied to every term weight)."""
    return KIND_BOOST.get(doc.kind, 1.0)
