"""Vietnamese analyzers for the search index: an exact one (accents kept) and a folded one.

Both normalise to NFC before tokenising, so decomposed text (PDF text layers often give NFD) never
splits a syllable at a combining mark, and neither uses a stop list or a stemmer: every Vietnamese
syllable ("y" in y tế, "an" in an toàn) is a word worth finding.

The schema pickles analyzer instances into the index, so the classes live here at a stable import
path and keep no caches in their instances: folding is memoised by ``registry.vntext.fold_token``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer
from whoosh.analysis.filters import Filter, LowercaseFilter
from whoosh.analysis.tokenizers import RegexTokenizer

from procreg.text import fold_token

__all__ = [
    "TOKEN_PATTERN",
    "FoldFilter",
    "PairFilter",
    "VnTokenizer",
    "exact_analyzer",
    "exact_tokens",
    "folded_analyzer",
    "folded_tokens",
    "pair_analyzer",
]

# A word: letters, digits and (defensively, should NFC leave any) combining marks U+0300-U+036F.
TOKEN_PATTERN = r"[\w\u0300-\u036f]+"
_TOKEN = re.compile(TOKEN_PATTERN)


class VnTokenizer(RegexTokenizer):
    """A regex tokenizer that NFC-normalises its input first.

    Character offsets refer to the NFC text, which is what the index stores and what snippets use.
    """

    def __init__(self) -> None:
        super().__init__(TOKEN_PATTERN)

    def __call__(self, value: str, *args: Any, **kwargs: Any) -> Iterator[Token]:
        """Tokenise ``value`` after NFC normalisation (whoosh passes positions/chars/mode in kwargs)."""
        yield from super().__call__(unicodedata.normalize("NFC", value), *args, **kwargs)


class FoldFilter(Filter):
    """Lowercase and remove accents (đ -> d) from every token; memoised per syllable, not per instance."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        """Fold each token's text in place."""
        for t in tokens:
            t.text = fold_token(t.text)
            yield t


class PairFilter(Filter):
    """Replace a token stream by its consecutive pairs ("quy trinh", "trinh noi", ...).

    A phrase query then becomes an intersection of pair terms, which Whoosh answers far faster than
    position matching (Vietnamese words are mostly two syllables, so most phrases are one pair).
    """

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        """Yield one token per adjacent pair, joined by a space."""
        previous: str | None = None
        for t in tokens:
            text = t.text
            if previous is not None:
                t.text = f"{previous} {text}"
                yield t
            previous = text


def exact_analyzer() -> Analyzer:
    """NFC, words, lowercase: accents kept ("tài" and "tải" stay different)."""
    return VnTokenizer() | LowercaseFilter()


def folded_analyzer() -> Analyzer:
    """NFC, words, lowercase, accents removed, đ -> d ("tài", "tải" and "tai" all become "tai")."""
    return VnTokenizer() | FoldFilter()


def pair_analyzer() -> Analyzer:
    """Folded words, then adjacent pairs of them (for phrases and proximity)."""
    return VnTokenizer() | FoldFilter() | PairFilter()


def exact_tokens(text: str) -> list[str]:
    """The exact field's terms for ``text`` (what a query word must equal to match exactly)."""
    return [m.group(0).lower() for m in _TOKEN.finditer(unicodedata.normalize("NFC", text))]


def folded_tokens(text: str) -> list[str]:
    """The folded field's terms for ``text``."""
    return [fold_token(m.group(0)) for m in _TOKEN.finditer(unicodedata.normalize("NFC", text))]
