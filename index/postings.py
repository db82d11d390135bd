"""Query evaluation on decoded, cached posting lists (the fast path of the Whoosh backend).

Whoosh's matcher tree walks postings one document at a time in Python; on 20,000 procedures a
query of two or three common syllables (which match most documents) spent 100-200 ms there. Here
each term's postings are decoded once per open index, block by block, into ``{docnum: score
contribution}`` dicts kept in a bounded LRU cache; a query tree then becomes set algebra on their
keys (C speed) and a sum of contributions over the candidates. Vietnamese has only a few thousand
distinct syllables, so a warm process holds most of what queries touch.

Scoring: BM25's term saturation ``idf * w * (K1 + 1) / (w + K1)`` without length normalisation
(so no per-document length look-up), on the folded text, plus score-only bonuses: the words in the
title, accent-exact matches of words typed with accents, and adjacent query words found side by
side. Ties (after rounding to 6 decimals) are broken by id.

This module reads Whoosh's leaf-matcher internals (``_ids``/``_weights`` per block) for speed, with
the public ``items_as`` as the fallback; whoosh3 is pinned below 4 in pyproject.toml.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import accumulate, repeat
from typing import Any

from procreg.index.analysis import folded_tokens
from procreg.index.codes import code_family, loose_code
from procreg.index.query import And, Code, DateRange, Filter, Loose, Node, Not, Or, Phrase, Word
from procreg.index.schema import KIND_BOOST, OUT_OF_FORCE, code_key
from procreg.text import fold, fold_token
from procreg.text.vocabulary import STATUS_WORDS, canonical_word

__all__ = ["PostingCache", "evaluate", "leaf_arrays", "top_hits"]

K1 = 1.2
TITLE_BOOST = 2.0
EXACT_BOOST = 1.0
PAIR_BOOST = 1.0
TITLE_PAIR_BOOST = 2.0
HEAD_BOOST = 2.0
CODE_BOOST = 10.0

KIND_ALIASES = {
    "procedure": ("kind", "procedure"),
    "process": ("kind", "procedure"),
    "quytrinh": ("kind", "procedure"),
    "catalog": ("kind", "catalog"),
    "danhmuc": ("kind", "catalog"),
    "document": ("kind", "document"),
    "vanban": ("kind", "document"),
    "quyetdinh": ("doc_kind", "decision"),
    "kehoach": ("doc_kind", "plan"),
    "chithi": ("doc_kind", "directive"),
    "baocao": ("doc_kind", "report"),
    "congvan": ("doc_kind", "official_letter"),
    "officialletter": ("doc_kind", "official_letter"),
}

Contrib = dict[int, float]
Scored = tuple[set[int], list[tuple[float, Contrib]]]


def _block_arrays(m: Any, ids: list[int], weights: list[float], offset: int) -> None:
    """Decode the matcher's current block straight from its pickled data (ids summed at C speed)."""
    if m._data is None:
        m._read_data()
    deltas, mini = m._data[0], m._data[1]
    block = accumulate(deltas)
    ids.extend(map(offset.__add__, block) if offset else block)
    count = len(deltas)
    if mini is None:
        weights.extend(repeat(1.0, count))
    elif isinstance(mini, float):
        weights.extend(repeat(mini, count))
    else:
        weights.extend(mini)


def leaf_arrays(m: Any, ids: list[int], weights: list[float], offset: int) -> None:
    """Append a leaf matcher's docnums (+ offset) and weights, a block at a time when it allows.

    Deleted documents are kept (the caller intersects with the live ones), so a segment's deletion
    filter is looked through.
    """
    while not hasattr(m, "_read_ids") and hasattr(m, "child"):
        m = m.child
    if hasattr(m, "_read_data") and hasattr(m, "_next_block") and not m._byteids:
        while m.is_active():
            if m._i == 0:
                _block_arrays(m, ids, weights, offset)
            else:  # a matcher already moved inside its first block (past deleted documents)
                if m._ids is None:
                    m._read_ids()
                if m._weights is None:
                    m._read_weights()
                ids.extend(d + offset for d in m._ids[m._i :])
                weights.extend(m._weights[m._i :])
            m._next_block()
        return
    for d, w in m.items_as("weight"):  # pragma: no cover - other matcher kinds
        ids.append(d + offset)
        weights.append(w)


class PostingCache:
    """Decoded postings of one open reader: ``{docnum: contribution}`` per (field, term), LRU-bounded.

    The bound is on postings held, not on terms: common syllables have one posting per document.
    Docnums are shared int objects and contributions come from a small table of floats, so a
    posting costs about 40 bytes: 3,000,000 of them (about 120 MB) hold the common vocabulary of
    20,000 procedures; a larger index may hold 100 postings a document (about 400 MB at 100,000).
    """

    MAX_POSTINGS = 3_000_000
    POSTINGS_PER_DOC = 100  # larger indexes hold more: the common vocabulary grows with them

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.n = max(1, int(reader.doc_count_all()))
        self.bound = max(self.MAX_POSTINGS, self.POSTINGS_PER_DOC * self.n)
        self._live: frozenset[int] | None = None
        self._ints = list(range(self.n))  # one int object per docnum, shared by every cached dict
        self._cache: OrderedDict[tuple[str, str], Contrib] = OrderedDict()
        self._held = 0
        self._sid: Any = None
        self._csort: Any = None
        self._retired: set[int] | None = None
        self._boosts: dict[int, float] | None = None
        self._terms: dict[str, list[str]] = {}

    def live(self) -> frozenset[int]:
        """Docnums that are not deleted."""
        if self._live is None:
            self._live = frozenset(self.reader.all_doc_ids())
        return self._live

    def get(self, field: str, term: str) -> Contrib:
        """Contributions of ``term`` in ``field`` ({} when absent)."""
        key = (field, term)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        ids: list[int] = []
        weights: list[float] = []
        for sub, offset in self._leaves():
            if (field, term) in sub:
                leaf_arrays(sub.postings(field, term), ids, weights, offset)
        idf = math.log(self.n / (len(ids) + 1)) + 1
        # Few distinct weights (term frequencies times a document boost): score each once.
        table = {w: idf * w * (K1 + 1) / (w + K1) for w in set(weights)}
        out = dict(zip(map(self._ints.__getitem__, ids), map(table.__getitem__, weights), strict=True))
        self._cache[key] = out
        self._held += len(out)
        while self._held > self.bound and len(self._cache) > 1:
            self._held -= len(self._cache.popitem(last=False)[1])
        return out

    def _leaves(self) -> list[tuple[Any, int]]:
        leaves = getattr(self.reader, "leaf_readers", None)
        return list(leaves()) if leaves is not None else [(self.reader, 0)]

    def terms(self, field: str) -> list[str]:
        """Every term of a (small, keyword) field, sorted."""
        if field not in self._terms:
            self._terms[field] = sorted(
                t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.field_terms(field)
            )
        return self._terms[field]

    def df(self, field: str, term: str) -> int:
        """How many documents hold ``term`` in ``field`` (deleted ones included; 0 when absent)."""
        try:
            return int(self.reader.doc_frequency(field, term))
        except KeyError:  # pragma: no cover - readers answer 0 for absent terms
            return 0

    def family(self, key: str) -> list[str]:
        """The loose code keys equal to ``key`` or starting with it as whole runs (``index.codes``)."""
        terms = self.terms("code_loose")
        out: list[str] = []
        for i in range(bisect_left(terms, key), len(terms)):
            if not terms[i].startswith(key):
                break
            if code_family(key, terms[i]):
                out.append(terms[i])
        return out

    def loose(self, key: str) -> Contrib:
        """Contributions of every code of the family ``key`` (the best one where a document has several)."""
        out: Contrib = {}
        for term in self.family(key):
            for d, w in self.get("code_loose", term).items():
                if w > out.get(d, 0.0):
                    out[d] = w
        return out

    def sid(self, docnum: int) -> str:
        """The sort key of a document (kind, then numeric id)."""
        if self._sid is None:
            self._sid = self.reader.column_reader("sid")
        return str(self._sid[docnum])

    def csort(self, docnum: int) -> str:
        """The code order of a document (``index.codes.natural_key``; no code sorts last)."""
        if self._csort is None:
            self._csort = self.reader.column_reader("csort")
        return str(self._csort[docnum])

    def out_of_force(self) -> set[int]:
        """Documents whose status says they are no longer in force (superseded, abolished, withdrawn)."""
        if self._retired is None:
            self._retired = set().union(*(self.get("status", s) for s in OUT_OF_FORCE))
        return self._retired

    def boosts(self) -> dict[int, float]:
        """The kind boost of each boosted document (procedures, catalog entries)."""
        if self._boosts is None:
            self._boosts = {}
            for kind, boost in KIND_BOOST.items():
                self._boosts.update(dict.fromkeys(self.get("kind", kind), boost))
        return self._boosts


# --------------------------------------------------------------------------------------------------
# Evaluation


def _keys(c: Contrib) -> set[int]:
    return set(c)


def _intersect(sets: Sequence[set[int]]) -> set[int]:
    ordered = sorted(sets, key=len)
    out = set(ordered[0])
    for s in ordered[1:]:
        out &= s
        if not out:
            break
    return out


def _pairs(folded: Sequence[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(folded, folded[1:], strict=False)]


def _sequence(pc: PostingCache, folded: Sequence[str]) -> Scored:
    if len(folded) == 1:
        c = pc.get("text_f", folded[0])
        return _keys(c), [(1.0, c)]
    pairs = _pairs(folded)
    parts = [pc.get("pairs_f", p) for p in pairs]
    bonus = [(TITLE_PAIR_BOOST, pc.get("tpairs_f", p)) for p in pairs]
    return _intersect([_keys(c) for c in parts]), [(1.0, c) for c in parts] + bonus


def _bonuses(pc: PostingCache, words: Sequence[str]) -> list[tuple[float, Contrib]]:
    out = [(TITLE_BOOST, pc.get("title_f", f)) for f in dict.fromkeys(fold_token(w) for w in words)]
    for w in dict.fromkeys(words):
        exact = w.lower()
        if exact != fold_token(w):
            out.append((EXACT_BOOST, pc.get("text", exact)))
    return out


def _field_words(pc: PostingCache, field: str, value: str, prefix: bool) -> set[int]:
    words = folded_tokens(value)
    if not words:
        return set()
    sets: list[set[int]] = []
    if prefix:
        last = words.pop()
        sets.append({d for t in pc.terms(field) if t.startswith(last) for d in pc.get(field, t)})
    if len(words) == 1:
        sets.append(_keys(pc.get(field, words[0])))
    elif words:
        sets.extend(_keys(pc.get(field, p)) for p in _pairs(words))
    return _intersect(sets)


def _filter(pc: PostingCache, node: Filter) -> set[int]:
    name, value = node.name, node.value
    if name in ("code", "number"):
        key, field = code_key(value), f"{name}_key"
        if node.prefix:
            found = {d for t in pc.terms(field) if t.startswith(key) for d in pc.get(field, t)}
        else:
            found = _keys(pc.get(field, key))
        # As people type them: dots, spaces, đ/d and leading zeros optional; a prefix lists the family.
        return found | _keys(pc.loose(loose_code(value)))
    if name in ("unit", "field"):
        return _field_words(pc, f"{name}_f", value, node.prefix)
    if name == "status":
        status = canonical_word(value, STATUS_WORDS) or fold(value).lower()  # "hiệu lực" is active
        return _keys(pc.get("status", status))
    if name == "kind":
        key = fold(value).lower().replace("-", "").replace("_", "").replace(" ", "")
        field, term = KIND_ALIASES.get(key, ("doc_kind", fold(value).lower()))
        return _keys(pc.get(field, term))
    raise ValueError(f"unknown filter {name}")  # pragma: no cover - the parser makes known names only


def _dates(pc: PostingCache, node: DateRange) -> set[int]:
    out: set[int] = set()
    for t in pc.terms(node.name):
        if node.start is not None and (t < node.start or (node.start_excl and t == node.start)):
            continue
        if node.end is not None and (t > node.end or (node.end_excl and t == node.end)):
            continue
        out |= _keys(pc.get(node.name, t))
    return out


def evaluate(pc: PostingCache, node: Node) -> Scored:
    """The documents matching ``node`` and the weighted contributions that score them."""
    if isinstance(node, Word | Phrase):
        words = (node.text,) if isinstance(node, Word) else node.words
        docs, comps = _sequence(pc, [fold_token(w) for w in words])
        return docs, comps + _bonuses(pc, words)
    if isinstance(node, Code):
        code, number = pc.get("code_key", code_key(node.text)), pc.get("number_key", code_key(node.text))
        docs, comps = _sequence(pc, [fold_token(w) for w in node.parts])
        return docs | _keys(code) | _keys(number), [(CODE_BOOST, code), (CODE_BOOST, number), *comps]
    if isinstance(node, Loose):
        codes = pc.loose(node.key)
        return _keys(codes), [(CODE_BOOST, codes)]
    if isinstance(node, Filter):
        return _filter(pc, node), []
    if isinstance(node, DateRange):
        return _dates(pc, node), []
    if isinstance(node, Not):
        child = node.child
        if isinstance(child, Word | Phrase):
            # NOT "tải" excludes "tải", not "tài": a word typed with accents is excluded exactly.
            words = (child.text,) if isinstance(child, Word) else child.words
            exact = [w.lower() for w in words]
            folded = [fold_token(w) for w in words]
            if exact != folded:  # the index keeps only accented words in ``text``
                sets = [
                    _keys(pc.get("text", e) if e != f else pc.get("text_f", f))
                    for e, f in zip(exact, folded, strict=True)
                ]
                return set(pc.live()) - _intersect(sets), []
        return set(pc.live()) - evaluate(pc, child)[0], []
    if isinstance(node, Or):
        union: set[int] = set()
        scored: list[tuple[float, Contrib]] = []
        for child in node.children:
            d, c = evaluate(pc, child)
            union |= d
            scored.extend(c)
        return union, scored
    assert isinstance(node, And)
    positives: list[set[int]] = []
    negatives: list[set[int]] = []
    weighted: list[tuple[float, Contrib]] = []
    for child in node.children:
        if isinstance(child, Not):
            inner = evaluate(pc, child)[0]
            negatives.append(set(pc.live()) - inner)  # the excluded documents
        else:
            d, c = evaluate(pc, child)
            positives.append(d)
            weighted.extend(c)
    matched = _intersect(positives) if positives else set(pc.live())
    for neg in negatives:
        matched -= neg
    plain = [fold_token(c.text) if isinstance(c, Word) else None for c in node.children]
    for a, b in zip(plain, plain[1:], strict=False):
        if a is not None and b is not None:  # adjacent words found side by side rank higher
            weighted.append((PAIR_BOOST, pc.get("pairs_f", f"{a} {b}")))
            weighted.append((TITLE_PAIR_BOOST, pc.get("tpairs_f", f"{a} {b}")))
    if len(plain) >= 2 and plain[0] is not None and plain[1] is not None:  # names are typed from the start
        weighted.append((HEAD_BOOST, pc.get("thead_f", f"{plain[0]} {plain[1]}")))
    return matched, weighted


def _score(candidates: set[int], comps: Iterable[tuple[float, Contrib]]) -> dict[int, float]:
    scores = dict.fromkeys(candidates, 0.0)
    for boost, contrib in comps:
        if not contrib:
            continue
        if len(contrib) <= len(scores):
            for d, v in contrib.items():
                if d in scores:
                    scores[d] += boost * v
        else:
            get = contrib.get
            for d in scores:
                w = get(d)
                if w is not None:
                    scores[d] += boost * w
    return scores


def _best(pc: PostingCache, scores: dict[int, float], docs: set[int], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best of ``docs`` by score (rounded to 6 decimals), then by id."""
    if not docs or limit <= 0:
        return []
    best = heapq.nlargest(limit, (scores[d] for d in docs))
    threshold = round(best[-1], 6) - 5e-7
    contenders = [(d, round(scores[d], 6)) for d in docs if scores[d] >= threshold]
    contenders.sort(key=lambda item: (-item[1], pc.sid(item[0])))
    return contenders[:limit]


def top_hits(
    pc: PostingCache, node: Node, *, limit: int, all_versions: bool
) -> tuple[list[tuple[int, float]], int]:
    """The ``limit`` best (docnum, score) pairs and how many documents matched.

    Procedures in force come first, then those no longer in force (superseded, abolished, withdrawn),
    which are still listed (and marked by the presentation); within each, by score (times the kind boost),
    then id. A query of filters only lists what is in force first, then by code, then id.
    """
    docs, comps = evaluate(pc, node)
    candidates = docs & pc.live()
    if not all_versions:
        candidates -= _keys(pc.get("current", "n"))
    total = len(candidates)
    if not candidates:
        return [], 0
    retired = pc.out_of_force()
    if not comps:
        first = heapq.nsmallest(limit, candidates, key=lambda d: (d in retired, pc.csort(d), pc.sid(d)))
        return [(d, 0.0) for d in first], total
    scores = _score(candidates, comps)
    boosts = pc.boosts()
    for d in boosts.keys() & scores.keys():
        scores[d] *= boosts[d]
    in_force = _best(pc, scores, candidates - retired, limit)
    return in_force + _best(pc, scores, candidates & retired, limit - len(in_force)), total
