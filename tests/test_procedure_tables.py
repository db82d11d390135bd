"""Procedure tables as agencies write them (issue 11): each trait built into a fixture, varied by hypothesis.

Traits: column names nobody listed, columns in any order; total rows in every form (label and value in
two rows, mid-table subtotals, per-level totals, a value row that carries the next table's header);
sub-case tables without a header; prose steps ("Bước 1: …", "-" alone before "Bước 1:", a)/b)/c) under a
work-order heading, deadlines per step); steps inside a cell; a procedure number alone on its line;
cells broken by any line break; rows taller than a page (PDF by LibreOffice); the signer's qualifier and
headerless letters; PDF paragraphs without spacing. And the warnings: a step column with no step, step
numbers that skip, a total that cannot be read, steps that disagree with the stated total.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PLAN_TXT, requires_tool
from fixtures.tables import (
    BREAKS,
    EXTRA_COLUMNS,
    HEADER_NAMES,
    Step,
    StepTable,
    build_pdf_without_spacing,
    docx_to_pdf,
    write_docx,
    write_txt,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procreg.parsers.catalog import extract_catalog
from procreg.parsers.document import parse_document
from procreg.parsers.procedure import extract_procedures
from procreg.parsers.read import read_document
from procreg.registry.models import Procedure

STEPS = [
    Step(1, "Tiếp nhận hồ sơ, kiểm tra thành phần hồ sơ", "Bộ phận Một cửa", "Giờ hành chính", "Mẫu 01"),
    Step(2, "Chuyển hồ sơ cho phòng chuyên môn", "Văn thư", "0,5 ngày", "Phiếu chuyển"),
    Step(3, "Thẩm định hồ sơ, dự thảo văn bản", "Chuyên viên", "03 ngày làm việc", "Dự thảo"),
    Step(4, "Xem xét, ký duyệt văn bản", "Lãnh đạo Sở", "01 ngày làm việc", "Quyết định"),
    Step(5, "Trả kết quả cho tổ chức, cá nhân", "Bộ phận Một cửa", "04 giờ", "Kết quả"),
]
SLOW = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
requires_soffice = requires_tool("soffice", "apt-get install libreoffice-writer-nogui")


def procedures(path: Path) -> tuple[tuple[Procedure, ...], list[str]]:
    raw = read_document(path)
    catalog, _ = extract_catalog(raw)
    procs, warnings = extract_procedures(raw, catalog)
    return procs, warnings


def render(blocks: list[tuple[str, object]], fmt: str, where: Path, name: str = "doc") -> Path:
    if fmt == "txt":
        return write_txt(blocks, where / f"{name}.txt")
    docx = write_docx(blocks, where / f"{name}.docx")
    return docx if fmt == "docx" else docx_to_pdf([docx], where / "pdf")[0]


def signature(procs: tuple[Procedure, ...]) -> list[tuple[str, str, str, float | None, str]]:
    """What must not change: each step's label, text, units, hours and result (spaces squeezed)."""

    def sq(text: str | None) -> str:
        return " ".join((text or "").split())

    return [
        (s.label, sq(s.text), sq(s.responsible_text), s.hours, sq(s.result)) for p in procs for s in p.steps
    ]


def text_of(procs: tuple[Procedure, ...]) -> list[tuple[str, float | None]]:
    return [(s.label, s.hours) for p in procs for s in p.steps]


# ------------------------------------------------------------------------------ columns, hypothesis


@st.composite
def step_tables(draw: st.DrawFn) -> StepTable:
    """A step table: known columns (content, unit or time at least) and unknown ones in any order,
    header names drawn from the variants agencies print, ids B1 / Bước 1 / 1."""
    known = draw(st.sets(st.sampled_from(["content", "resp", "time", "result"]), min_size=1))
    if not known & {"content", "resp", "time"}:
        known.add("content")
    extras = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), max_size=3, unique=True))
    id_style = draw(st.sampled_from(["B{n}", "Bước {n}", "{n}"]))
    id_names = HEADER_NAMES["id"]
    if id_style == "{n}" and "time" not in known:
        id_names = ("Bước", "Các bước", "Bước thực hiện")  # a bare number needs a step column or times
    columns = [("id", draw(st.sampled_from(id_names)))]
    columns += [(role, draw(st.sampled_from(HEADER_NAMES[role]))) for role in sorted(known)]
    columns += [("extra", name) for name in extras]
    order = draw(st.permutations(columns))
    count = draw(st.integers(min_value=2, max_value=len(STEPS)))
    return StepTable(steps=STEPS[:count], columns=list(order), id_style=id_style)


def expected(table: StepTable) -> list[tuple[str, float | None]]:
    from procreg.parsers.durations import parse_duration

    roles = {role for role, _ in table.columns}
    return [
        (table.id_style.format(n=s.number), parse_duration(s.time).hours if "time" in roles else None)
        for s in table.steps
    ]


@SLOW
@given(table=step_tables())
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_any_column_order_unknown_columns_and_header_names_give_the_same_steps(
    fmt: str, table: StepTable, tmp_path: Path
) -> None:
    procs, warnings = procedures(render(table.blocks(), fmt, tmp_path))
    assert text_of(procs) == expected(table), table.columns
    roles = [role for role, _ in table.columns]
    for step, want in zip([s for p in procs for s in p.steps], table.steps, strict=True):
        if "content" in roles:
            assert step.text == want.content
        if "resp" in roles:
            assert step.responsible_text == want.resp
        if "result" in roles:
            assert step.result == want.result
    assert not warnings


def test_one_unknown_column_name_keeps_the_table(tmp_path: Path) -> None:
    # Real header seen on an unseen file: two known columns among unknown ones.
    table = StepTable(
        steps=STEPS,
        columns=[
            ("id", "TT"),
            ("content", "Trình tự"),
            ("resp", "Trách nhiệm thực hiện"),
            ("result", "Sản phẩm thực hiện"),
            ("time", "Thời gian"),
            ("extra", "Mức độ dịch vụ công"),
            ("extra", "Phí, lệ phí (vnđ)"),
            ("extra", "Ghi chú"),
        ],
    )
    (proc,), _ = procedures(write_txt(table.blocks(), tmp_path / "t.txt"))
    assert [s.label for s in proc.steps] == ["B1", "B2", "B3", "B4", "B5"]
    assert proc.steps[2].responsible_text == "Chuyên viên" and proc.steps[2].result == "Dự thảo"


def test_a_plans_task_table_gives_no_steps(tmp_path: Path) -> None:
    # "STT | Nhiệm vụ | Chủ trì | Phối hợp | Thời gian" numbers tasks done "Thường xuyên", not steps.
    rows = [["STT", "Nhiệm vụ và giải pháp", "Chủ trì", "Phối hợp", "Thời gian"]]
    rows += [
        [str(n), f"Nhiệm vụ số {n} của kế hoạch", "Sở Tài chính", "Các sở", "Năm 2026"] for n in range(1, 5)
    ]
    procs, warnings = procedures(write_txt([("para", "III. NHIỆM VỤ"), ("table", rows)], tmp_path / "p.txt"))
    assert procs == () and warnings == []


# ------------------------------------------------------------------------------ broken cells


@SLOW
@given(
    step=st.integers(min_value=0, max_value=len(STEPS) - 1),
    column=st.sampled_from(["id", "content", "resp", "time", "result"]),
    brk=st.sampled_from(BREAKS),
    where=st.integers(min_value=0, max_value=6),
)
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_a_cell_broken_by_any_line_break_gives_the_same_steps(
    fmt: str, step: int, column: str, brk: str, where: int, tmp_path: Path
) -> None:
    columns = [(r, HEADER_NAMES[r][0]) for r in ("id", "content", "resp", "time", "result")]
    table = StepTable(steps=STEPS, columns=columns, id_style="Bước {n}")
    whole = signature(procedures(render(table.blocks(), fmt, tmp_path, "whole"))[0])
    blocks = table.blocks()
    rows = blocks[-1][1]
    assert isinstance(rows, list)
    cell = rows[step + 1][[r for r, _ in columns].index(column)]
    words = cell.split(" ")
    cut = min(where, len(words) - 1) or 1
    rows[step + 1][[r for r, _ in columns].index(column)] = (
        " ".join(words[:cut]) + brk + " ".join(words[cut:])
    )
    broken, warnings = procedures(render(blocks, fmt, tmp_path, "broken"))
    assert signature(broken) == whole, (repr(brk), column)
    assert len(whole) == len(STEPS) and not warnings


# ------------------------------------------------------------------------------ total rows


def _table(*rows: list[str]) -> tuple[str, list[list[str]]]:
    return ("table", [["TT", "Trình tự", "Trách nhiệm", "Thời gian"], *rows])


TOTALS = [
    ("para", "1. Cấp giấy phép hoạt động"),
    _table(
        ["B1", "Tiếp nhận hồ sơ", "Bộ phận Một cửa", "4 giờ"],
        ["B2", "Thẩm định hồ sơ", "Phòng chuyên môn", "16 giờ"],
        ["Tổng thời gian giải quyết TTHC ở cấp xã là:", "20 giờ làm việc"],
        ["B3", "Trình ký", "Lãnh đạo UBND tỉnh", "8 giờ"],
        ["B4", "Trả kết quả", "Bộ phận Một cửa", "4 giờ"],
        ["Tổng thời gian giải quyết TTHC ở cấp tỉnh là:", "12 giờ làm việc"],
        ["Tổng thời gian giải quyết TTHC"],
        ["32 giờ làm việc"],
    ),
    ("para", "2. Cấp lại giấy phép hoạt động"),
    _table(
        ["B1", "Tiếp nhận hồ sơ", "Bộ phận Một cửa", "0,5 ngày"],
        ["B2", "Thẩm định hồ sơ", "Phòng chuyên môn", "1,5 ngày"],
        ["Tổng thời gian giải quyết"],
    ),
    ("table", [["2 ngày làm việc", "TT", "Trình tự", "Trách nhiệm", "Thời gian"]]),
    ("table", [["B1", "Xác minh", "Công an tỉnh", "1 ngày"], ["B2", "Thông báo", "Văn thư", "1 ngày"]]),
]


@pytest.mark.parametrize(
    "fmt", ["txt", "docx", pytest.param("pdf", marks=[pytest.mark.slow, requires_soffice])]
)
def test_total_rows_in_every_form(fmt: str, tmp_path: Path) -> None:
    first, second, third = procedures(render(TOTALS, fmt, tmp_path))[0]
    # Subtotals per level never end the table: B3 and B4 come after the first one.
    assert [s.label for s in first.steps] == ["B1", "B2", "B3", "B4"]
    assert first.stated_total == "32 giờ làm việc" and first.counted_hours == first.stated_total_hours == 32.0
    assert first.warnings == ()
    # The label and its value in two rows; the value row carries the next table's header, not swallowed.
    assert (second.stated_total, second.counted_hours) == ("2 ngày làm việc", 16.0)
    assert [s.label for s in third.steps] == ["B1", "B2"] and third.steps[0].responsible == ("Công an tỉnh",)


def test_totals_that_disagree_or_cannot_be_read_are_said(tmp_path: Path) -> None:
    blocks = [
        ("para", "1. Cấp giấy phép"),
        _table(
            ["B1", "Tiếp nhận hồ sơ", "Bộ phận Một cửa", "4 giờ"],
            ["B2", "Thẩm định", "Chuyên viên", "16 giờ"],
            ["Tổng thời gian giải quyết TTHC ở cấp xã là:", "24 giờ làm việc"],
            ["B3", "Trình ký", "Lãnh đạo", "8 giờ"],
            ["Tổng thời gian giải quyết TTHC:", "Theo quy định hiện hành"],
        ),
        ("para", "2. Gia hạn giấy phép"),
        _table(
            ["B1", "Tiếp nhận", "Bộ phận Một cửa", "1 ngày"],
            ["B2", "Xử lý", "Chuyên viên", "2 ngày"],
            ["Tổng thời gian giải quyết TTHC", "05 ngày làm việc"],
        ),
    ]
    first, second = procedures(write_txt(blocks, tmp_path / "t.txt"))[0]
    assert any("subtotal is 24" in w and "B1-B2" in w for w in first.warnings)
    assert any("gives no time that can be read" in w for w in first.warnings)
    assert any("stated total is 40" in w and "24 working hours" in w for w in second.warnings)


def test_step_numbers_that_skip_and_a_step_table_without_steps_are_said(tmp_path: Path) -> None:
    blocks = [
        ("para", "1. Cấp giấy phép"),
        _table(["B1", "Tiếp nhận", "Văn thư", "1 ngày"], ["B2", "Xử lý", "Chuyên viên", "1 ngày"]),
        ("table", [["B4", "Trả kết quả", "Văn thư", "1 ngày"]]),
        ("para", "2. Cấp lại giấy phép"),
        ("table", [["Bước", "Nội dung", "Ghi chú"], ["Xem hướng dẫn", "Không"]]),
    ]
    (proc,), warnings = procedures(write_txt(blocks, tmp_path / "t.txt"))
    assert [s.label for s in proc.steps] == ["B1", "B2", "B4"]
    assert any("skip" in w and "step 3 is missing" in w for w in proc.warnings)
    assert len(warnings) == 1 and "gives no step" in warnings[0]


# ------------------------------------------------------------------------------ sub-cases, phases


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_sub_case_table_without_header_continues_the_columns_above(fmt: str, tmp_path: Path) -> None:
    blocks = [
        ("para", "2. Cấp giấy phép biểu diễn"),
        ("para", "2.1. Trường hợp cấp mới"),
        _table(["B1", "Tiếp nhận", "Văn thư", "1 ngày"], ["B2", "Thẩm định", "Chuyên viên", "2 ngày"]),
        ("para", "2.2. Trường hợp điều chỉnh nội dung giấy phép"),
        ("table", [["B1", "Tiếp nhận", "Văn thư", "0,5 ngày"], ["B2", "Thẩm định", "Chuyên viên", "1 ngày"]]),
    ]
    new, changed = procedures(render(blocks, fmt, tmp_path))[0]
    assert new.name == "Cấp giấy phép biểu diễn (Trường hợp cấp mới)"
    assert changed.name == "Cấp giấy phép biểu diễn (Trường hợp điều chỉnh nội dung giấy phép)"
    assert (changed.counted_hours, changed.steps[1].responsible_text) == (12.0, "Chuyên viên")


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_a_table_without_header_under_the_work_order_with_phases(fmt: str, tmp_path: Path) -> None:
    blocks: list[tuple[str, object]] = [
        ("para", "7. Quy trình xử lý công việc"),
        (
            "table",
            [
                ["A", "Tại UBND cấp xã"],
                ["1", "Tiếp nhận hồ sơ", "Bộ phận Một cửa", "01 ngày", "Mẫu 01"],
                ["2", "Thẩm định", "Công chức", "02 ngày", ""],
                ["B", "Tại Sở Nội vụ"],
                ["1", "Thẩm định", "Chuyên viên", "03 ngày", ""],
                ["2", "Trình ký", "Lãnh đạo Sở", "01 ngày", "Quyết định"],
                ["Tổng thời gian thực hiện TTHC:", "7 ngày"],
            ],
        ),
    ]
    (proc,), _ = procedures(render(blocks, fmt, tmp_path))
    assert [s.label for s in proc.steps] == ["A.1", "A.2", "B.1", "B.2"]
    assert proc.counted_hours == proc.stated_total_hours == 56.0 and proc.warnings == ()
    assert proc.steps[3].result == "Quyết định"


# ------------------------------------------------------------------------------ prose steps

PROSE = [
    ("para", "Điều 5. Quy trình cấp thẻ"),
    ("para", "Việc cấp thẻ được thực hiện theo trình tự sau:"),
    ("para", "-"),
    ("para", "Bước 1: Tổ chức nộp hồ sơ tại Bộ phận Một cửa."),
    ("para", "- Bước 2: Trong thời hạn 03 ngày làm việc, Văn phòng"),
    ("para", "thẩm định hồ sơ."),
    ("para", "-"),
    ("para", "Bước 3: Trong thời hạn 02 ngày làm việc, Lãnh đạo Sở ký quyết định."),
    ("para", "Điều 6. Quy trình thu hồi thẻ"),
    ("para", "a) Cơ quan quản lý gửi văn bản đề nghị thu hồi;"),
    ("para", "b) Trong 05 ngày làm việc, Sở Nội vụ xem xét, thẩm định;"),
    ("para", "Trường hợp hồ sơ chưa đầy đủ thì trả lại hồ sơ."),
    ("para", "c) Trong 01 ngày làm việc, Sở Nội vụ ra quyết định thu hồi."),
    ("para", "Điều 7. Trình tự báo cáo"),
    ("para", "Nội dung báo cáo được trình bày theo trình tự sau:"),
    ("para", "- Tình hình chung;"),
    ("para", "- Kết quả thực hiện."),
    ("para", "Điều 8."),
    ("para", "Cấp đổi thẻ"),
    (
        "table",
        [
            ["1", "Thủ tục cấp đổi thẻ"],
            [
                "Trình tự thực hiện: - Bước 1: Nộp hồ sơ tại Bộ phận Một cửa của Sở Nội vụ theo quy định "
                "hiện hành của tỉnh. - Bước 2: Sở Nội vụ thẩm định hồ sơ trong 03 ngày làm việc kể từ "
                "ngày nhận đủ hồ sơ. - Bước 3: Trả kết quả cho tổ chức, cá nhân.",
                "",
            ],
        ],
    ),
]


@pytest.mark.parametrize(
    "fmt", ["txt", "docx", pytest.param("pdf", marks=[pytest.mark.slow, requires_soffice])]
)
def test_prose_steps_in_every_form(fmt: str, tmp_path: Path) -> None:
    card, revoke, renew = procedures(render(PROSE, fmt, tmp_path))[0]
    assert card.name == "Quy trình cấp thẻ"
    assert [s.label for s in card.steps] == ["Bước 1", "Bước 2", "Bước 3"]
    assert card.steps[1].text == "Trong thời hạn 03 ngày làm việc, Văn phòng thẩm định hồ sơ."
    assert [s.hours for s in card.steps] == [None, 24.0, 16.0]
    assert revoke.name == "Quy trình thu hồi thẻ" and [s.label for s in revoke.steps] == ["a", "b", "c"]
    # The alternative under b) is a branch of b), not a step.
    assert revoke.steps[1].branches and revoke.steps[1].hours == 40.0
    # An order of content ("trình bày theo trình tự sau") is no procedure; steps inside a cell are.
    assert [s.label for s in renew.steps] == ["Bước 1", "Bước 2", "Bước 3"]
    assert renew.steps[1].hours == 24.0


def test_a_procedure_number_alone_on_its_line_starts_the_procedure(tmp_path: Path) -> None:
    blocks = [
        ("para", "1. Cấp giấy phép"),
        _table(["B1", "Tiếp nhận", "Văn thư", "1 ngày"], ["B2", "Xử lý", "Chuyên viên", "2 ngày"]),
        ("para", "2."),
        ("para", "Gia hạn giấy phép"),
        _table(["B1", "Tiếp nhận", "Văn thư", "1 ngày"], ["B2", "Xử lý", "Chuyên viên", "1 ngày"]),
    ]
    first, second = procedures(write_txt(blocks, tmp_path / "t.txt"))[0]
    assert (first.name, second.name) == ("Cấp giấy phép", "Gia hạn giấy phép")
    assert (len(first.steps), len(second.steps)) == (2, 2)


# ------------------------------------------------------------------------------ rows taller than a page


@pytest.mark.slow
@requires_soffice
def test_a_row_taller_than_a_page_keeps_its_step(tmp_path: Path) -> None:
    long_text = " ".join(
        f"Kiểm tra thành phần hồ sơ số {n} theo quy định của pháp luật hiện hành." for n in range(140)
    )
    steps = [STEPS[0], Step(2, long_text, "Chuyên viên", "02 ngày", "Phiếu kiểm tra"), *STEPS[2:]]
    columns = [(r, HEADER_NAMES[r][0]) for r in ("id", "content", "resp", "time", "result")]
    blocks = StepTable(steps=steps, columns=columns).blocks()
    pdf = render(blocks, "pdf", tmp_path)
    procs, _ = procedures(pdf)
    txt, _ = procedures(write_txt(blocks, tmp_path / "t.txt"))
    assert signature(procs) == signature(txt)
    raw = read_document(pdf)
    assert len({b.page for b in raw.blocks}) >= 2  # the row really broke across pages


# ------------------------------------------------------------------------------ headers


LETTER = [
    ("para", "Kính gửi: Sở Nội vụ các tỉnh, thành phố trực thuộc Trung ương."),
    ("para", "Bộ Nội vụ đề nghị các Sở rà soát, báo cáo số lượng biên chế trước ngày 15/12/2025."),
    (
        "table",
        [
            [
                "Nơi nhận: - Như trên; - Lưu: VT, TCBC.",
                "KT. BỘ TRƯỞNG THỨ TRƯỞNG THƯỜNG TRỰC Vũ Chiến Thắng",
            ]
        ],
    ),
]


@pytest.mark.parametrize(
    "fmt", ["txt", "docx", pytest.param("pdf", marks=[pytest.mark.slow, requires_soffice])]
)
def test_headerless_letter_with_a_qualified_signer(fmt: str, tmp_path: Path) -> None:
    doc = parse_document(render(LETTER, fmt, tmp_path))
    assert (doc.number, doc.issued_on, doc.kind) == (None, None, "official_letter")
    assert doc.signer is not None
    assert (doc.signer.authority, doc.signer.position, doc.signer.name) == (
        "KT. BỘ TRƯỞNG",
        "Thứ trưởng thường trực",
        "Vũ Chiến Thắng",
    )


def test_signer_qualifier_on_separate_lines(tmp_path: Path) -> None:
    text = (
        "| BỘ Y TẾ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "| Số: 12/QĐ-BYT | Hà Nội, ngày 01 tháng 12 năm 2025 |\n"
        "QUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH QUY TRÌNH\nĐiều 1. Ban hành kèm theo Quyết định này.\n"
        "| Nơi nhận: - Như Điều 3. | KT. BỘ TRƯỞNG |\n|  | THỨ TRƯỞNG THƯỜNG TRỰC |\n|  | Vũ Mạnh Hà |\n"
    )
    path = tmp_path / "qd.txt"
    path.write_text(text, encoding="utf-8")
    signer = parse_document(path).signer
    assert signer is not None and (signer.position, signer.name) == ("Thứ trưởng thường trực", "Vũ Mạnh Hà")


def test_annex_takes_its_parents_kind_never_its_number(tmp_path: Path) -> None:
    blocks = [
        ("para", "DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ"),
        ("para", "(Kèm theo Quyết định số 2806/QĐ-UBND ngày 19 tháng 11 năm 2025 của Chủ tịch UBND tỉnh)"),
        ("table", [["STT", "Mã TTHC", "Tên TTHC"], ["1", "1.009458", "Công bố hoạt động cảng thủy nội địa"]]),
    ]
    doc = parse_document(write_txt(blocks, tmp_path / "annex.txt"))
    assert (doc.kind, doc.number, doc.issued_on) == ("decision", None, None)
    assert [c.number for c in doc.citations] == ["2806/QĐ-UBND"]  # the parent is cited, not owned
    assert len(doc.catalog) == 1 and doc.catalog[0].code == "1.009458"


# ------------------------------------------------------------------------------ PDF paragraphs


@pytest.mark.slow
def test_plan_sections_in_a_pdf_without_paragraph_spacing(tmp_path: Path) -> None:
    # Every paragraph's last line runs to the right margin and no space separates paragraphs: only the
    # headings' own markers tell where they start.
    pdf = build_pdf_without_spacing(PLAN_TXT, tmp_path / "plan.pdf")
    plan = parse_document(pdf)
    assert [s.number for s in plan.sections] == ["I", "II", "III", "III", "IV", "V"]
    assert [c.number for c in plan.sections[2].children][:3] == ["1", "2", "3"]
    assert re.search(r"\b90%", " ".join(t.text for t in plan.targets))
