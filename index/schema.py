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
from typing import Any

from whoosh.fields import ID, STORED, TEXT, Schema

from procreg.index.analysis import exact_analyzer, exact_tokens, folded_analyzer, folded_tokens, pair_analyzer
from procreg.registry.models import IndexDoc
from procreg.text import fold, fold_token

__all__ = ["KIND_ORDER", "SCHEMA_VERSION", "code_key", "make_schema", "sort_key", "whoosh_fields"]

SCHEMA_VERSION = 6

# Kinds in the order ties are broken (then by numeric id).
KIND_ORDER = {"proc": 0, "cat": 1, "doc": 2}

_ID = re.compile(r"^([a-z]+):(\d+)$")
_SPACES = re.compile(r"\s+")


def make_schema() -> Schema:
    """The index schema (the same every time: it is pickled into the index).

    ``text``/``text_f`` hold title and body (exact / folded, no positions: matching is per word),
    ``pairs_f`` the folded adjacent word pairs (phrases and proximity), ``title_f`` the folded title
    (a ranking bonus). ``title`` and ``body`` are only stored, for display and snippets.
    """
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        sid=ID(stored=True, sortable=True),
        kind=ID(stored=True),
        doc_kind=ID(stored=True),
        code=ID(stored=True),
        code_key=ID(),
        number=ID(stored=True),
        number_key=ID(),
        title=STORED(),
        title_f=TEXT(analyzer=folded_analyzer(), phrase=False),
        body=STORED(),
        text=TEXT(analyzer=exact_analyzer(), phrase=False),
        text_f=TEXT(analyzer=folded_analyzer(), phrase=False),
        pairs_f=TEXT(analyzer=pair_analyzer(), phrase=False),
        unit=STORED(),
        unit_f=TEXT(analyzer=folded_analyzer(), phrase=False),
        field=STORED(),
        field_f=TEXT(analyzer=folded_analyzer(), phrase=False),
        status=ID(stored=True),
        issuer=STORED(),
        issued_on=ID(stored=True),
        review_due=ID(stored=True),
        current=ID(stored=True),
        version=STORED(),
        fp=ID(stored=True, sortable=True),
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


def _words_and_pairs(names: tuple[str, ...]) -> list[str]:
    """Folded words of each name plus its adjacent pairs, so filters match phrases without positions."""
    out: list[str] = []
    for name in names:
        words = folded_tokens(name)
        out.extend(words)
        out.extend(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return out


def whoosh_fields(doc: IndexDoc, fingerprint: str) -> dict[str, Any]:
    """The field values of one Whoosh document for ``doc`` (texts already NFC; absent values left out)."""
    units = "; ".join(doc.unit)
    exact = exact_tokens(f"{doc.title}\n{doc.body}" if doc.body else doc.title)
    folded = [fold_token(t) for t in exact]
    values: dict[str, Any] = {
        "id": doc.id,
        "sid": sort_key(doc.id),
        "kind": doc.kind,
        "doc_kind": doc.doc_kind,
        "code": doc.code,
        "code_key": code_key(doc.code) if doc.code else None,
        "number": doc.number,
        "number_key": code_key(doc.number) if doc.number else None,
        "title": doc.title,
        "title_f": doc.title,
        "body": doc.body,
        # Tokenised once here (the analyzers would give the same lists): a list bypasses the analyzer.
        "text": exact,
        "text_f": folded,
        "pairs_f": [f"{a} {b}" for a, b in zip(folded, folded[1:], strict=False)],
        "unit": units or None,
        "unit_f": _words_and_pairs(doc.unit),
        "field": doc.field,
        "field_f": _words_and_pairs((doc.field,) if doc.field else ()),
        "status": doc.status,
        "issuer": doc.issuer,
        "issued_on": doc.issued_on,
        "review_due": doc.review_due,
        "current": "y" if doc.current else "n",
        "version": doc.version,
        "fp": fingerprint,
    }
    return {k: v for k, v in values.items() if v is not None and v != "" and v != []}
