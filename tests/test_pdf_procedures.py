"""A document's PDF rendering gives the procedures and steps its .txt gives, for every corpus document.

The .pdf renderings (tests/fixtures/build.py: fpdf2, ruled tables) cut a table row taller than a page over
several pages, as Word does; the .txt holds the row whole. The procedure extractor joins the cut row back
(``parsers.items.page_continued``) before it reads steps written inline in one of its cells, and says so
when a run of inline steps has no step 1 with it (never a silent loss).
"""

from __future__ import annotations

import pytest
from fixtures.build import corpus_names, render

from procreg.parsers.document import parse_document
from procreg.parsers.items import Item, page_continued
from procreg.parsers.procedure import prose_steps
from procreg.parsers.procedure.state import Reading
from procreg.registry.models import SourceRef

# Documents whose PDF rendering still reads differently, each with its cause (xfail, strict: a fix shows).
EXCEPTIONS: dict[str, str] = {}

_HEADLESS = "with no step 1 before them"


def _case(name: str) -> object:
    reason = EXCEPTIONS.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(reason=reason, strict=True)) if reason else name


@pytest.mark.slow
@pytest.mark.parametrize("name", [_case(n) for n in corpus_names()])
def test_pdf_gives_the_procedures_of_the_txt(name: str) -> None:
    txt = parse_document(render(name, "txt"))
    pdf = parse_document(render(name, "pdf"))
    expected = [(p.name, len(p.steps)) for p in txt.procedures]
    assert [(p.name, len(p.steps)) for p in pdf.procedures] == expected
    assert not [w for w in pdf.warnings if _HEADLESS in w]


def _row(page: int, *cells: str) -> Item:
    return Item(tuple(cells), True, SourceRef(path="t.pdf", page=page, para=page))


def test_a_row_cut_by_page_breaks_is_joined_cell_by_cell() -> None:
    items = [
        _row(1, "6", "Thành lập tổ", "PHẦN II. 1. Lập kế hoạch - Bước 1: Lựa chọn"),
        _row(2, "", "", "đơn vị tư vấn. - Bước 2: Lập"),
        _row(3, "", "", "kế hoạch."),
        _row(3, "7", "Tiếp nhận", "Không quy định."),
    ]
    whole, end = page_continued(items, 0)
    assert end == 3
    assert whole.cells == (
        "6",
        "Thành lập tổ",
        "PHẦN II. 1. Lập kế hoạch - Bước 1: Lựa chọn đơn vị tư vấn. - Bước 2: Lập kế hoạch.",
    )
    assert whole.ref == items[0].ref


@pytest.mark.parametrize(
    ("following", "why"),
    [
        (_row(2, "7", "", "đơn vị tư vấn."), "its first cell is filled: a row of its own"),
        (_row(1, "", "", "đơn vị tư vấn."), "on the same page: a row below, not a cut"),
        (_row(3, "", "", "đơn vị tư vấn."), "not on the next page"),
        (_row(2, "", "", "", "đơn vị tư vấn."), "another width: another table"),
        (_row(2, "", "", ""), "nothing in it"),
    ],
)
def test_a_row_that_is_not_a_cut_is_not_joined(following: Item, why: str) -> None:
    items = [_row(1, "6", "", "Bước 1: Lựa chọn"), following]
    assert page_continued(items, 0) == (items[0], 1), why


def test_a_continuation_only_in_columns_the_row_has_text_in() -> None:
    items = [_row(1, "6", "", "Bước 1: Lựa chọn"), _row(2, "", "Nhận hồ sơ", "đơn vị")]
    assert page_continued(items, 0) == (items[0], 1)


def test_inline_steps_without_step_one_are_said() -> None:
    text = "kế hoạch. - Bước 4: Tổ chức họp Hội đồng thẩm định. - Bước 5: Trình Ủy ban nhân dân tỉnh."
    item = _row(6, "", text)
    reading = Reading([item], (), None)
    assert not prose_steps.inline_prose(reading, text, item)
    assert reading.procs == []
    assert reading.warnings == [
        "t.pdf, page 6, paragraph 6: steps 4 to 5 are written inline with no step 1 before them in the same "
        "text; they are not read as a procedure"
    ]


def test_steps_of_a_joined_cell_point_where_they_were_printed() -> None:
    first = "1. Lập kế hoạch 1.1. Trình tự thực hiện - Bước 1: Lựa chọn đơn vị tư vấn lập kế hoạch xử lý."
    second = "- Bước 2: Lập kế hoạch, Cơ quan chủ trì phối hợp với đơn vị tư vấn lập kế hoạch xử lý ô nhiễm."
    pages = [_row(4, "6", first), _row(5, "", second)]
    whole, end = page_continued(pages, 0)
    text = whole.cells[1]
    reading = Reading(pages, (), None)
    parts = [(0, pages[0].ref), (len(first) + 1, pages[1].ref)]
    assert prose_steps.inline_prose(reading, text, whole, parts)
    assert [s.source.page for s in reading.procs[0].steps] == [4, 5]
    assert reading.procs[0].source.page == 4
