"""What proves that an item was reviewed (rà soát), published (công bố) and publicized (công khai).

Pure rules over registry records: the caller passes the documents, the candidates and, for locating
a procedure inside a document, the documents' lines (``Locator``); nothing here opens a file or an index.

- rà soát: a ``reviewed`` event, or an ingested document whose title records a review or a
  simplification plan (báo cáo rà soát, phương án đơn giản hóa) and that names the procedure;
- công bố: a ``published`` event (ingest logs one for every decision that lists a procedure), or a
  publishing decision whose catalog or annex lists it;
- công khai: a ``publicized`` event, or a publishing decision whose text orders publication on the
  national database or a portal (``DocumentRecord.orders_publicizing``).

Document evidence cites the number, the date and the page/paragraph where the procedure is named.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import PurePath

from procreg.procedures.audit import Proof
from procreg.procedures.scope import Candidate, live_events
from procreg.registry.models import DocumentRecord, Event
from procreg.text import fold
from procreg.text.numbers import number_key

__all__ = [
    "LinesOf",
    "Locator",
    "article",
    "documents_by_number",
    "document_label",
    "documents_naming",
    "fold_line",
    "is_review_document",
    "line_place",
    "proofs",
    "text_lines",
]

# (folded line, where) pairs of one document: where is "trang 2, đoạn 14", "đoạn 14" or "dòng 7".
LinesOf = Callable[[DocumentRecord], list[tuple[str, str]]]
_TOKEN_SPLIT = re.compile(r"[\s|;,:()\[\]]+")
_PUBLISHING_KINDS = ("decision", None, "other", "procedure")


def is_review_document(doc: DocumentRecord) -> bool:
    """A report or decision that records a review or a simplification plan (rà soát, đơn giản hóa)."""
    if doc.kind == "plan":
        return False
    title = fold(doc.title or "")
    return "ra soat" in title or "don gian hoa" in title


def fold_line(text: str) -> str:
    """A line as the locator compares it: folded, spaces squeezed."""
    return " ".join(fold(text).split())


def line_place(n: int, page: int | None, para: int | None) -> str:
    """Where line ``n`` of a document is: ``trang 2, đoạn 14``, ``đoạn 14``, ``dòng 7``."""
    where = f"đoạn {para}" if para is not None else f"dòng {n}"
    return f"trang {page}, {where}" if page is not None else where


def text_lines(doc: DocumentRecord) -> list[tuple[str, str]]:
    """The lines of a document's stored text, each placed by its line number."""
    return [(fold_line(t), f"dòng {n}") for n, t in enumerate(doc.text.splitlines(), 1)]


def document_label(doc: DocumentRecord) -> str:
    """How evidence names a document: its number, else its file name."""
    return doc.number or PurePath(doc.path).name


class Locator:
    """Finds where a document names a procedure; asks for each document's lines at most once.

    Codes (one token) are looked up in a per-document token table; names are searched line by line.
    Answers are memoised per (document, needle): a decision listing 500 procedures is scanned once.
    """

    def __init__(self, lines_of: LinesOf = text_lines) -> None:
        self._lines_of = lines_of
        self._lines: dict[int, list[tuple[str, str]]] = {}
        self._tokens: dict[int, dict[str, str]] = {}
        self._found: dict[tuple[int, str], str | None] = {}
        self._folded: dict[str, str] = {}

    def lines(self, doc: DocumentRecord) -> list[tuple[str, str]]:
        """(folded line, where) pairs of a document."""
        cached = self._lines.get(doc.id)
        if cached is None:
            cached = self._lines[doc.id] = self._lines_of(doc)
        return cached

    def _token_table(self, doc: DocumentRecord) -> dict[str, str]:
        table = self._tokens.get(doc.id)
        if table is None:
            table = {}
            for text, where in self.lines(doc):
                for token in _TOKEN_SPLIT.split(text):
                    token = token.rstrip(".")
                    if token:
                        table.setdefault(token, where)
            self._tokens[doc.id] = table
        return table

    def _fold(self, needle: str) -> str:
        folded = self._folded.get(needle)
        if folded is None:
            folded = self._folded[needle] = fold_line(needle).rstrip(".")
        return folded

    def _search(self, doc: DocumentRecord, needle: str) -> str | None:
        folded = self._fold(needle)
        if not folded:
            return None
        if " " not in folded:
            return self._token_table(doc).get(folded)
        return next((where for text, where in self.lines(doc) if folded in text), None)

    def find(self, doc: DocumentRecord, *needles: str | None) -> str | None:
        """Where the first of ``needles`` (code, then name) that the document contains appears in it."""
        for needle in needles:
            if not needle:
                continue
            key = (doc.id, needle)
            if key not in self._found:
                self._found[key] = self._search(doc, needle)
            found = self._found[key]
            if found is not None:
                return found
        return None

    def mentions(self, doc: DocumentRecord, code: str | None, name: str) -> bool:
        """True when the document names the procedure (by code, or by name when there is no code)."""
        return self.find(doc, code) is not None if code else self.find(doc, name) is not None


def documents_naming(
    items: Sequence[Candidate],
    docs: Mapping[int, DocumentRecord],
    locator: Locator,
    hits: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, list[int]]:
    """For each item key, the ids of the documents that name it, verified in their text.

    Args:
        items: the candidates.
        docs: the registered documents by id.
        locator: finds a procedure in a document.
        hits: item key -> ids of the documents a search index found for it (a cache: it may miss,
            it never decides). None: no index, so the review documents are scanned instead.
    """
    out: dict[str, list[int]] = defaultdict(list)
    if hits is None:
        review_docs = [d for d in docs.values() if is_review_document(d)]
        for item in items:
            for d in review_docs:
                if locator.mentions(d, item.code, item.name):
                    out[item.key].append(d.id)
        return out
    for item in items:
        for doc_id in hits.get(item.key, ()):
            doc = docs.get(doc_id)
            if doc is not None and locator.mentions(doc, item.code, item.name):
                out[item.key].append(doc_id)
    return out


def documents_by_number(docs: Mapping[int, DocumentRecord]) -> dict[str, DocumentRecord]:
    """Documents by normalised number (the latest id wins for a number registered twice)."""
    out: dict[str, DocumentRecord] = {}
    for d in sorted(docs.values(), key=lambda d: d.id):
        if d.number:
            out[number_key(d.number)] = d
    return out


def article(sentence: str) -> str | None:
    """The article (``Điều 2``) a sentence opens with, if any."""
    m = re.match(r"\s*(Điều\s+\d+)", sentence)
    return m.group(1) if m else None


def _event_proof(e: Event, numbers: Mapping[str, DocumentRecord]) -> Proof | DocumentRecord | None:
    """The proof an event gives; a ``published`` event naming a registered decision gives that decision."""
    if e.kind == "reviewed":
        label = e.evidence or ("rà soát" + (f" ({e.by})" if e.by else ""))
        return Proof(verb="reviewed", document=label, date=e.on or None, where=e.where, by=e.by)
    if e.kind == "published":
        doc = numbers.get(number_key(e.evidence)) if e.evidence else None
        if doc is not None:
            return doc
        return Proof(verb="published", document=e.evidence or "công bố", date=e.on or None, by=e.by)
    if e.kind == "publicized":
        # The URL goes in ``where`` only: the document is what was published, or who did it.
        label = (
            e.evidence
            if e.evidence and e.evidence != e.where
            else "công khai" + (f" ({e.by})" if e.by else "")
        )
        return Proof(verb="publicized", document=label, date=e.on or None, where=e.where, by=e.by)
    return None


def _cited(proof: Proof, doc: DocumentRecord) -> Proof:
    """A document's proof with the document's number and title, which reports cite (never its file name)."""
    return replace(proof, number=doc.number, title=doc.title)


def _publishing_proofs(c: Candidate, doc: DocumentRecord, locator: Locator) -> list[Proof]:
    """A publishing decision proves công bố, and công khai when its text orders publication."""
    label = document_label(doc)
    where = c.where_in.get(doc.id) or locator.find(doc, c.code, c.name)
    out = [Proof(verb="published", document=label, date=doc.issued_on, where=where, source="document")]
    if doc.orders_publicizing:
        order = doc.orders_publicizing
        at = locator.find(doc, order[:60], order[:30]) or article(order)
        out.append(Proof(verb="publicized", document=label, date=doc.issued_on, where=at, source="document"))
    return [_cited(p, doc) for p in out]


def proofs(
    c: Candidate,
    docs: Mapping[int, DocumentRecord],
    numbers: Mapping[str, DocumentRecord],
    mentioning: Iterable[int],
    locator: Locator,
) -> tuple[Proof, ...]:
    """Every proof of the three verbs for one item: its events, review documents, publishing decisions.

    Args:
        c: the candidate.
        docs: the registered documents by id.
        numbers: ``documents_by_number(docs)``.
        mentioning: ids of the documents that name the item (``documents_naming``).
        locator: finds the item in a document.
    """
    out: list[Proof] = []
    publishing: dict[int, DocumentRecord] = {}
    for doc_id in sorted(c.doc_ids):
        doc = docs.get(doc_id)
        if doc is not None and doc.kind in _PUBLISHING_KINDS:
            publishing[doc.id] = doc
    for e in live_events(c.events):  # an undone event proves nothing
        proof = _event_proof(e, numbers)
        if isinstance(proof, DocumentRecord):
            publishing[proof.id] = proof
        elif proof is not None:
            out.append(proof)
    for doc_id in mentioning:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        if is_review_document(doc):
            where = locator.find(doc, c.code, c.name)
            label = document_label(doc)
            proof = Proof(verb="reviewed", document=label, date=doc.issued_on, where=where, source="document")
            out.append(_cited(proof, doc))
        elif doc.kind == "decision" and doc.id not in publishing and "cong bo" in fold(doc.title or ""):
            publishing[doc.id] = doc
    for doc in publishing.values():
        out += _publishing_proofs(c, doc, locator)
    return tuple(out)
