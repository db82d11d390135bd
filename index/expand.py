"""What people type, rewritten against the index's vocabulary before a query runs.

- **Codes.** A code-like word or run of words (``QT.GĐ01``, ``qtgd01``, ``QT GD 01``, ``1013871``,
  ``QT.GĐ``) also matches codes by loose key, and a code prefix lists the whole family
  (``index.codes``).
- **Joined syllables.** A word the index does not know that splits into syllables it does know
  (``giamdinh`` -> ``giam dinh``) is searched as that phrase.
- **Abbreviations.** ``TTHC``, ``UBND``, ``GĐ``... also match what they stand for, and the words they
  stand for also match the abbreviation.

The rewrite only widens a query (``Or`` with the words as typed), so what matched before still does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from procreg.index.codes import code_runs, looks_like_code, loose_code
from procreg.index.query import And, Code, Loose, Node, Not, Or, Phrase, Word
from procreg.index.syllables import split_known
from procreg.text import fold, fold_token

__all__ = ["ABBREVIATIONS", "Vocabulary", "expand"]

# Abbreviations of Vietnamese administrative writing (folded) and what they stand for.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "tthc": ("thủ tục hành chính",),
    "ubnd": ("ủy ban nhân dân",),
    "hdnd": ("hội đồng nhân dân",),
    "gd": ("giám định", "giám đốc", "giáo dục"),
    "gddt": ("giáo dục và đào tạo", "giáo dục đào tạo"),
    "cchc": ("cải cách hành chính",),
    "vbqppl": ("văn bản quy phạm pháp luật",),
    "ttpvhcc": ("trung tâm phục vụ hành chính công",),
    "pvhcc": ("phục vụ hành chính công",),
    "hcc": ("hành chính công",),
    "tbyt": ("thiết bị y tế",),
    "xnc": ("xuất nhập cảnh",),
    "ldtbxh": ("lao động thương binh và xã hội", "lao động thương binh xã hội"),
    "tnmt": ("tài nguyên và môi trường", "tài nguyên môi trường"),
    "khcn": ("khoa học và công nghệ", "khoa học công nghệ"),
    "csdl": ("cơ sở dữ liệu",),
    "csdlqg": ("cơ sở dữ liệu quốc gia",),
}
_EXPANSIONS: dict[tuple[str, ...], str] = {
    tuple(fold(long).split()): short for short, longs in ABBREVIATIONS.items() for long in longs
}
_WINDOW = 4  # longest run of words read as one code (QT GD 01)


class Vocabulary:
    """What the rewrite asks of the index: is a folded word known, is there a code of a loose key's family."""

    def __init__(self, known: Callable[[str], bool], codes: Callable[[str], bool]) -> None:
        self.known = known
        self.codes = codes


def _code_alternative(vocab: Vocabulary, text: str) -> Node | None:
    """A ``Loose`` node for ``text`` typed as a code, when the index has such a code (or family)."""
    key = loose_code(text)
    if not key or len(code_runs(text)) > 8:
        return None
    return Loose(key, family=True) if vocab.codes(key) else None


def _word(vocab: Vocabulary, node: Word) -> Node:
    text = node.text
    folded = fold_token(text)
    options: list[Node] = [node]
    if looks_like_code(text) and (alt := _code_alternative(vocab, text)) is not None:
        options.append(alt)
    for long in ABBREVIATIONS.get(folded, ()):
        options.append(Phrase(tuple(long.split())))
    if len(options) == 1 and not vocab.known(folded):
        parts = split_known(folded, vocab.known)
        if parts:
            return Phrase(tuple(parts))
    return options[0] if len(options) == 1 else Or(tuple(options))


def _runs(vocab: Vocabulary, children: Sequence[Node]) -> list[Node]:
    """Children of an ``And`` with runs of plain words read as codes or as spelled-out abbreviations."""
    out: list[Node] = []
    i = 0
    while i < len(children):
        taken = _window(vocab, children, i)
        if taken is None:
            out.append(expand_node(vocab, children[i]))
            i += 1
        else:
            node, width = taken
            out.append(node)
            i += width
    return out


def _window(vocab: Vocabulary, children: Sequence[Node], start: int) -> tuple[Node, int] | None:
    """The longest run of words from ``start`` that is a known code or an abbreviation's expansion."""
    words: list[Word] = []
    for child in children[start : start + _WINDOW + 2]:
        if not isinstance(child, Word):
            break
        words.append(child)
    for width in range(len(words), 1, -1):
        run = words[:width]
        texts = tuple(w.text for w in run)
        folded = tuple(fold_token(t) for t in texts)
        short = _EXPANSIONS.get(folded)
        if short is not None:
            return Or((Phrase(texts), Word(short))), width
        joined = "".join(texts)
        if width <= _WINDOW and any(ch.isdigit() for ch in joined) and looks_like_code(joined):
            alt = _code_alternative(vocab, joined)
            if alt is not None:
                return Or((alt, And(tuple(run)))), width
    return None


def expand_node(vocab: Vocabulary, node: Node) -> Node:
    """``node`` rewritten (see the module docstring); filters and dates are left as they are."""
    if isinstance(node, Word):
        return _word(vocab, node)
    if isinstance(node, Code):
        alt = _code_alternative(vocab, node.text)
        return node if alt is None else Or((node, alt))
    if isinstance(node, And):
        children = _runs(vocab, node.children)
        return children[0] if len(children) == 1 else And(tuple(children))
    if isinstance(node, Or):
        return Or(tuple(expand_node(vocab, c) for c in node.children))
    if isinstance(node, Not):
        return node  # an exclusion is taken as typed
    return node


def expand(vocab: Vocabulary, node: Node) -> Node:
    """The query tree widened to what people mean (codes, joined syllables, abbreviations)."""
    return expand_node(vocab, node)
