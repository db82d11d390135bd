"""Steps written as prose: ``Bước N`` items and the lists under a heading that names the work order.

Many procedures never draw a table. Their steps are paragraphs: ``Bước 1. Trong thời gian 02 ngày làm
việc, …`` (with ``-`` on its own line before it, or hard-wrapped over several lines), or the items of a
list under a heading or sentence that announces the work order: ``Điều 5. Quy trình thông báo …`` with
``a)``/``b)``/``c)``, ``4. Trình tự thực hiện`` with ``-`` items, ``… thực hiện các bước sau:`` with
``1.``/``2.``/``3.``. This module reads the paragraphs of a document as an outline and finds those lists
before the item-by-item pass (``extractor``) creates the procedures where they start.

The outline: every paragraph that starts with an item marker (``Chương``, ``Điều 5.``, ``II.``, ``2.``,
``2.1.``, ``a)``, ``(1)``, ``-``, ``+``, ``Bước 3:``) is an item; other paragraphs are text of the item
above. A marker kind met higher in the open branch closes back to it when its number goes on from there;
a new kind, or a list restarting at 1 after a line ending with ``:``, nests. A quoted block (an amended
article ``“Điều 6. …”``) is read on its own, up to its closing quote.

What counts as a step (docs/FORMATS.md, "Prose steps"):

* a run of two ``Bước`` items or more, numbered upwards (they win over any list around them);
* else the first list under a lead-in: a heading whose title names the work order (``quy trình``,
  ``trình tự``, ``các bước``), or a sentence ending in ``:`` that announces steps (``… các bước sau:``,
  ``… theo trình tự sau:``, ``Quy trình … như sau:``), but never an order of content ("Nội dung được
  trình bày theo trình tự sau:"). A nested lead-in wins over the one above it. In the list:

  - an item that opens a case (``Đối với …``, ``Trường hợp …``) and has a list of its own gives that
    case's steps, one procedure per case (two steps at least);
  - an alternative (``Trường hợp …``, ``Nếu …`` without a list) is a branch of a step, not a step;
  - an item with a list of actions of its own (``2. Sở Nội vụ: a) … b) …``) gives those actions;
  - articles and chapters are never steps; fewer than two steps make no procedure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from procreg.parsers.items import Item
from procreg.parsers.procedure.headings import clean_name, is_section_title
from procreg.text import fold

__all__ = ["ProseList", "ProseStep", "find_prose_lists"]

# Item markers, in the order they are tried; ``n`` is the number, when the marker has one.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phan", re.compile(r"^(?:Phần|PHẦN)\s+(?P<n>[IVXLC]+|\d{1,2})\b\.?\s*")),
    ("chuong", re.compile(r"^(?:Chương|CHƯƠNG)\s+(?P<n>[IVXLC]+|\d{1,2})\b\.?\s*")),
    ("dieu", re.compile(r"^Điều\s+(?P<n>\d{1,3})\s*[.:]?\s*")),
    ("buoc", re.compile(r"^(?:[-–]\s*)?Bước\s*(?P<n>\d{1,2})\s*(?:[.:)–]|-\s)\s*", re.IGNORECASE)),
    ("roman", re.compile(r"^(?P<n>[IVX]{1,5})\.\s+")),
    ("dotted3", re.compile(r"^\d{1,2}\.\d{1,2}\.(?P<n>\d{1,2})\.?\s+")),
    ("dotted", re.compile(r"^\d{1,2}\.(?P<n>\d{1,2})\.?\s+(?=\D)")),
    ("num", re.compile(r"^(?P<n>\d{1,2})\.\s*(?=[^\W\d_])")),
    ("paren", re.compile(r"^\(?(?P<n>\d{1,2})\)\s+")),
    ("letter", re.compile(r"^(?P<n>[a-zđ])\)\s*")),
    ("dash", re.compile(r"^[-–]\s*(?=\S)")),
    ("plus", re.compile(r"^[+•]\s*(?=\S)")),
)
_FIXED_RANK = {"phan": 0, "chuong": 1, "dieu": 2}
_NEVER_STEPS = ("phan", "chuong", "dieu")
_LETTERS = "abcdđefghiklmnopqrstuvxy"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_QUOTES = "“”\"'‘’"

# Lead-ins, on folded text: a title that names the work order (its first clause), or an announcing
# sentence; never a title that only names a procedure's parts ("Tên quy trình", "Nội dung của quy trình").
_SEQ_TITLE = re.compile(r"^(?:[^,:]{0,30},\s*)*(?:quy trinh|trinh tu|cac buoc)\b")
_NOT_SEQ_TITLE = re.compile(r"^(?:ten|noi dung(?: cua)?|ky hieu|ma(?: so)?)\s+quy trinh|^quy trinh\s*:")
_SEQ_SENTENCE = re.compile(r"(?:cac buoc|buoc sau|trinh tu sau|quy trinh[^:]{0,120}nhu sau)\s*:\s*$")
_CONTENT_ORDER = re.compile(r"\b(?:trinh bay|sap xep|ghi)\b[^:]{0,40}trinh tu")
_CASE = re.compile(r"^(?:doi voi|truong hop)\b")
_ALTERNATIVE = re.compile(r"^(?:truong hop|neu)\b")
_MAX_STEP_TEXT = 1500
# The words after a name in an announcing sentence: "Quy trình … được thực hiện theo các bước sau".
_TAIL = re.compile(
    r"\s+(?:(?:được\s+)?thực\s+hiện\s+(?:theo|như|các)\b.*|theo\s+(?:các\s+bước|trình\s+tự)\b.*|"
    r"như\s+sau\b.*|gồm(?:\s+có)?)\s*$"
)
# A field line after the last step ("Thời hạn giải quyết: 18 ngày làm việc.") belongs to the procedure,
# not to the step above it.
_FIELD_LINE = re.compile(
    r"^(?:Thời (?:hạn|gian)(?: giải quyết| xử lý| thực hiện)?|Nơi (?:nhận|trả) kết quả|Cách thức thực hiện|"
    r"Thành phần(?:, số lượng)? hồ sơ|Kết quả (?:thực hiện|giải quyết)|Lệ phí|Phí, lệ phí)\s*[:.]"
)


@dataclass
class _Node:
    """An outline node: a paragraph with its marker, and what nests under it."""

    pos: int  # the item
    kind: str | None  # the marker kind; None for text under an item; "root"/"quote" for frames
    text: str  # without the marker
    number: int | None = None
    marker: str = ""
    quote_close: bool = False
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None


@dataclass(frozen=True, slots=True)
class ProseStep:
    """A step found in prose: its label, its text and the items it spans."""

    label: str
    text: str
    pos: int
    span: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ProseList:
    """The steps of one procedure (or one case of it) found in prose, with the name its lead-in gives."""

    steps: tuple[ProseStep, ...]
    name: str | None  # from the lead-in or the nearest heading above it; None: let the headings decide
    case: str | None  # the case heading ("Đối với các trường hợp …") when the list is one case
    lead: int  # the item of its lead-in (lists of one lead-in are cases of one procedure); -1: none

    @property
    def start(self) -> int:
        """The first item of the list."""
        return self.steps[0].pos


def _ordinal(kind: str, n: str | None) -> int | None:
    if n is None:
        return None
    if n.isdigit():
        return int(n)
    if kind == "letter":
        return _LETTERS.index(n) + 1 if n in _LETTERS else None
    total = 0
    for a, b in zip(n, n[1:] + " ", strict=True):
        value = _ROMAN_VALUES.get(a, 0)
        total += -value if _ROMAN_VALUES.get(b, 0) > value else value
    return total


def _marker(text: str, open_paren: bool) -> tuple[str | None, int | None, str, str]:
    """(kind, number, marker as printed, text after it) of a paragraph."""
    for kind, pattern in _MARKERS:
        if kind == "paren" and open_paren:
            continue  # "(lần" / "2) đến …": the bracket closes the line above, it opens no item
        m = pattern.match(text)
        if m:
            return kind, _ordinal(kind, m.groupdict().get("n")), m.group(0).strip(), text[m.end() :].strip()
    return None, None, "", text


def _paragraph_nodes(items: list[Item]) -> list[_Node]:
    """The paragraphs of a document as outline nodes (table rows are no part of the outline)."""
    nodes: list[_Node] = []
    previous = ""
    for pos, item in enumerate(items):
        if item.row:
            previous = ""
            continue
        raw = item.cells[0]
        text = raw.lstrip(_QUOTES + " ")
        kind, number, marker, body = _marker(text, previous.count("(") > previous.count(")"))
        node = _Node(pos, kind, body, number, marker, raw.rstrip().endswith(("”", "”.", "”;", "”,")))
        if raw.startswith("“"):
            nodes.append(_Node(pos, "quote", ""))
        nodes.append(node)
        previous = raw
    return nodes


def _place(stack: list[_Node], node: _Node) -> None:
    """Pop the open branch to where ``node`` belongs (see the module docstring)."""
    barrier = max(i for i, s in enumerate(stack) if s.kind in ("root", "quote"))
    kind = node.kind
    assert kind is not None
    if kind in _FIXED_RANK:
        while len(stack) - 1 > barrier:
            top = stack[-1].kind
            if top in _FIXED_RANK and _FIXED_RANK[top] < _FIXED_RANK[kind]:
                break
            stack.pop()
        return
    same = [s for s in stack[barrier:] if s.kind == kind]
    if not same:
        return
    nests = (
        node.number == 1
        and (same[-1].number or 0) >= 1
        and stack[-1] is not same[-1]
        and stack[-1].text.rstrip().endswith(":")
    )
    if not nests:
        del stack[stack.index(same[-1]) :]


def _outline(nodes: list[_Node]) -> _Node:
    root = _Node(-1, "root", "")
    stack = [root]
    for node in nodes:
        if node.kind == "quote":
            node.parent = stack[-1]
            stack[-1].children.append(node)
            stack.append(node)
            continue
        if node.kind is not None:
            _place(stack, node)
        node.parent = stack[-1]
        stack[-1].children.append(node)
        if node.kind is not None:
            stack.append(node)
        if node.quote_close:
            quotes = [i for i, s in enumerate(stack) if s.kind == "quote"]
            if quotes:
                del stack[quotes[-1] :]
    return root


def _walk(node: _Node) -> list[_Node]:
    out = [node]
    for child in node.children:
        out.extend(_walk(child))
    return out


def _is_lead_in(node: _Node) -> bool:
    folded = fold(node.text).strip()
    if node.kind in ("root", "quote") or _CONTENT_ORDER.search(folded):
        return False
    if _SEQ_SENTENCE.search(folded):
        return True
    if node.kind in (None, "dash", "plus", "buoc") or not _SEQ_TITLE.search(folded):
        return False
    if _NOT_SEQ_TITLE.search(folded):
        return False
    title = node.text.strip().rstrip(" :")
    return len(title) <= 200 and not re.search(r"\.(?:\s|$)", title)  # a title, not a sentence


def _items(node: _Node) -> list[_Node]:
    """The list items under a node; for an announcing sentence (no marker), the items after it."""
    if node.kind is None and node.parent is not None:
        siblings = node.parent.children
        pool = siblings[siblings.index(node) + 1 :]
    else:
        pool = node.children
    return [c for c in pool if c.kind is not None and c.kind not in (*_NEVER_STEPS, "quote")]


def _buoc_runs(nodes: list[_Node]) -> list[list[_Node]]:
    """Runs of Bước items in document order, cut where the numbering does not go up."""
    runs: list[list[_Node]] = []
    for node in nodes:
        if node.kind != "buoc":
            continue
        if not runs or (node.number or 0) <= (runs[-1][-1].number or 0):
            runs.append([])
        runs[-1].append(node)
    return [run for run in runs if len(run) >= 2]


def _steps_under(lead: _Node) -> list[tuple[list[_Node], str | None]]:
    """The step lists of a lead-in, one per case: (steps, case heading or None)."""
    runs = _buoc_runs(_walk(lead)[1:])
    if runs:
        return [(run, None) for run in runs]
    if any(c.kind is None and _CONTENT_ORDER.search(fold(c.text)) for c in lead.children):
        return []  # "Nội dung được trình bày theo trình tự sau:": the list orders content, not work
    kids = _items(lead)
    first_list = [c for c in kids if c.kind == kids[0].kind] if kids else []
    cases: list[tuple[list[_Node], str | None]] = []
    steps: list[_Node] = []
    for item in first_list:
        folded = fold(item.text)
        actions = [c for c in _items(item) if not _ALTERNATIVE.match(fold(c.text))]
        if _CASE.match(folded):
            if len(actions) >= 2:
                cases.append((actions, item.text))
            continue
        if not _ALTERNATIVE.match(folded):
            steps.extend(actions or [item])
    if len(steps) >= 2:
        cases.insert(0, (steps, None))
    return cases


def _subtree_text(node: _Node) -> tuple[str, tuple[int, ...]]:
    """A step's text (its paragraph and everything under it) and the items it spans."""
    parts: list[str] = []
    span: list[int] = []
    for n in _walk(node):
        if n.kind is None and _FIELD_LINE.match(n.text):
            break
        if n.kind in ("quote", "root"):
            continue
        span.append(n.pos)
        parts.append(n.text if n is node else f"{n.marker} {n.text}".strip())
    return " ".join(p for p in parts if p)[:_MAX_STEP_TEXT].strip(), tuple(span)


def _name(lead: _Node) -> str | None:
    """The procedure's name: the lead-in's title, or the nearest heading above it that names more.

    A title that only names the work order ("Trình tự thực hiện") is no name.
    """
    node: _Node | None = lead
    while node is not None and node.kind not in ("root", "quote"):
        if node.kind is not None and node.kind not in ("dash", "plus", "buoc"):
            name = _TAIL.sub("", clean_name(node.text.split(":")[0])[0])
            if name and not is_section_title(name) and not re.match(r"^(?:thu tuc, )?trinh tu\b", fold(name)):
                return name[:300]
        node = node.parent
    return None


def _label(node: _Node, index: int) -> str:
    if node.kind == "buoc":
        return f"Bước {node.number}"
    if node.kind in ("dash", "plus") or not node.marker:
        return str(index)
    return node.marker.rstrip(".)").lstrip("(")


def find_prose_lists(items: list[Item]) -> list[ProseList]:
    """Every step list written in prose, in document order."""
    root = _outline(_paragraph_nodes(items))
    found: list[ProseList] = []
    claimed: set[int] = set()
    for node in _walk(root):
        if not _is_lead_in(node) or any(_is_lead_in(n) for n in _walk(node)[1:]):
            continue
        for steps, case in _steps_under(node):
            if any(s.pos in claimed for s in steps):
                continue
            found.append(_make(steps, _name(node), case, node.pos, claimed))
    for run in _buoc_runs(_walk(root)):
        if not any(s.pos in claimed for s in run):
            found.append(_make(run, _name(run[0].parent) if run[0].parent else None, None, -1, claimed))
    return sorted(found, key=lambda p: p.start)


def _make(steps: list[_Node], name: str | None, case: str | None, lead: int, claimed: set[int]) -> ProseList:
    out: list[ProseStep] = []
    for index, node in enumerate(steps, start=1):
        text, span = _subtree_text(node)
        claimed.update(span)
        out.append(ProseStep(label=_label(node, index), text=text, pos=node.pos, span=span))
    return ProseList(steps=tuple(out), name=name, case=case, lead=lead)
