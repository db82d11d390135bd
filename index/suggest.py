"""Suggestions from the index's own vocabulary: whole queries that have hits, with their hit counts.

Each word the index does not know gets candidates from the folded syllables it does know, by an
edit distance that counts a swap of two letters as one edit (rapidfuzz's OSA distance), with
Vietnamese typing in mind: Telex leftovers (``dinhj``, ``ddinh``, ``giaam``) cost little, the first
letter is seldom the mistyped one, and a word typed joined (``yte``) may be two syllables. Frequent
syllables weigh more than rare ones. Candidate queries are then scored as a whole: a pair of
neighbouring words that never stand side by side in the index costs extra (so "giam dinh" wins over
"giam dien"), and only queries that find something are offered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from procreg.index.syllables import is_syllable, split_known

__all__ = ["Candidate", "Lexicon", "candidates", "telex_plain"]

BEAM = 12  # partial queries kept while words are added
OPTIONS = 8  # candidate words per unknown word
PAIR_MISSING = 0.8  # cost of two neighbouring words never seen side by side
FIRST_LETTER = 0.5  # extra cost when the first letter differs
SWAP = 0.8  # cost of two letters swapped (OSA counts it as one edit)
TELEX = 0.3  # cost of a Telex leftover removed
SPLIT = 0.3  # cost per extra syllable of a joined word
FREQUENCY = 0.1  # bonus per decade of document frequency

_TELEX_TONE = re.compile(r"^([a-z]+?)[sfrxj]$")
_TELEX_MARKS = (("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("aw", "a"), ("ow", "o"), ("uw", "u"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate query: folded words and its cost (lower is better)."""

    words: tuple[str, ...]
    cost: float


class Lexicon:
    """The index's folded syllables with their document frequencies, and the pairs seen side by side."""

    def __init__(self, frequencies: dict[str, int], pair: Callable[[str, str], bool]) -> None:
        self.frequencies = frequencies
        self.words = [w for w in frequencies if is_syllable(w)]
        self.pair = pair

    def df(self, word: str) -> int:
        """How many documents hold ``word`` (0 when unknown)."""
        return self.frequencies.get(word, 0)


def telex_plain(word: str) -> str | None:
    """``word`` without Telex leftovers (a trailing tone key, doubled marks), or None when unchanged.

    >>> telex_plain("dinhj"), telex_plain("ddinh"), telex_plain("giam")
    ('dinh', 'dinh', None)
    """
    plain = word
    for typed, letter in _TELEX_MARKS:
        plain = plain.replace(typed, letter)
    m = _TELEX_TONE.match(plain)
    if m and len(plain) > 2 and is_syllable(m.group(1)) and not is_syllable(plain):
        plain = m.group(1)
    return plain if plain != word else None


def _edit_cost(typed: str, word: str) -> float:
    distance = OSA.distance(typed, word)
    cost = float(distance)
    if distance == 1 and Levenshtein.distance(typed, word) == 2:
        cost = SWAP
    if typed[:1] != word[:1]:
        cost += FIRST_LETTER
    return cost


def _options(lexicon: Lexicon, typed: str) -> list[tuple[tuple[str, ...], float]]:
    """Candidate replacements of one typed (folded) word, each with its cost."""
    if lexicon.df(typed):
        return [((typed,), -FREQUENCY * math.log10(lexicon.df(typed) + 1))]
    options: list[tuple[tuple[str, ...], float]] = []
    plain = telex_plain(typed)
    if plain is not None and lexicon.df(plain):
        options.append(((plain,), TELEX))
    parts = split_known(typed, lambda s: lexicon.df(s) > 0)
    if parts:
        options.append((tuple(parts), SPLIT * (len(parts) - 1)))
    limit = 1 if len(typed) <= 4 else 2
    near = process.extract(typed, lexicon.words, scorer=OSA.distance, score_cutoff=limit, limit=OPTIONS * 3)
    for word, _distance, _index in near:
        if word != typed:
            options.append(((word,), _edit_cost(typed, word)))
    scored = [(w, c - FREQUENCY * math.log10(sum(lexicon.df(x) for x in w) / len(w) + 1)) for w, c in options]
    return sorted(scored, key=lambda item: item[1])[:OPTIONS]


def candidates(lexicon: Lexicon, typed: Sequence[str]) -> list[Candidate]:
    """Whole-query candidates for the folded words ``typed``, best first (the query itself excluded)."""
    beam: list[Candidate] = [Candidate((), 0.0)]
    for word in typed:
        grown: list[Candidate] = []
        for option, cost in _options(lexicon, word):
            for partial in beam:
                seq = partial.words[-1:] + option
                missing = sum(1 for a, b in zip(seq, seq[1:], strict=False) if not lexicon.pair(a, b))
                grown.append(Candidate(partial.words + option, partial.cost + cost + PAIR_MISSING * missing))
        beam = sorted(grown, key=lambda c: (c.cost, c.words))[:BEAM]
        if not beam:
            return []
    return [c for c in beam if c.words != tuple(typed)]
