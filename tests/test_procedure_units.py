"""Units of the procedure parser: header keys, the continuation marker, cells, ISO header, finishing."""

from __future__ import annotations

from pathlib import Path

import pytest

from procreg.parsers.catalog import catalog_role
from procreg.parsers.items import Item, header_key, trailing_roles
from procreg.parsers.procedure import dossier_branches, extract_procedures, step_role
from procreg.parsers.procedure.finishing import finish, is_procedure
from procreg.parsers.procedure.headings import clean_name, heading_in, norm_code
from procreg.parsers.procedure.iso_documents import iso_header, revisions
from procreg.parsers.procedure.key_value import form_text
from procreg.parsers.procedure.state import CONTINUES, ProcDraft, Reading, Variant
from procreg.parsers.procedure.step_cells import map_cells
from procreg.parsers.procedure.step_tables import header_item, open_pending_table, table_item
from procreg.parsers.read import read_document
from procreg.registry.models import SourceRef, Step
from procreg.text.vocabulary import CONDITION_OPENER, IF_THEN, RETURN_ACTION_FOLDED, SEND_BACK_ACTION_FOLDED

REF = SourceRef(path="doc.txt")


def row(*cells: str) -> Item:
    return Item(tuple(cells), True, REF)


def para(text: str) -> Item:
    return Item((text,), False, REF)


# -- header_key: the one key both table readers match header words on ---------------------------------


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("Đơn vị / Người thực hiện (ghi rõ):", "don vi/nguoi thuc hien"),
        ("Đơn vị/ người thực hiện", "don vi/nguoi thuc hien"),
        ("Phí,lệ phí", "phi, le phi"),
        ("Biểu mẫu , kết quả", "bieu mau, ket qua"),
        ("THỜI GIAN (ngày làm việc", "thoi gian"),  # a parenthesis cut off by the end of the cell
        ("  Trách   nhiệm*  ", "trach nhiem"),
        ("Tên TTHC (1) & mã số (2)", "ten tthc& ma so"),
    ],
)
def test_header_key_folds_drops_parentheses_and_squeezes_separators(cell: str, key: str) -> None:
    assert header_key(cell) == key


def test_both_table_readers_read_header_cells_through_header_key() -> None:
    assert step_role("Đơn vị / Người thực hiện") == "resp"
    assert step_role("Thời gian (ngày làm việc)") == "time"
    assert step_role("Biểu mẫu/ Kết quả") == "result"
    assert catalog_role("Mã TTHC (nếu có)") == "code"
    assert catalog_role("Phí, lệ phí") == "fee"
    assert catalog_role("TÊN THỦ TỤC HÀNH CHÍNH") == "name"
    assert step_role("x" * 91) is None and catalog_role("") is None


def test_trailing_roles_read_a_header_from_the_right() -> None:
    cells = ["KT. CHỦ TỊCH", "", "TT", "Trình tự", "Trách nhiệm", "Thời gian"]
    assert trailing_roles(cells, step_role) == (2, ["id", "content", "resp", "time"])
    assert trailing_roles(["Trình tự", "", "Thời gian"], step_role) == (2, ["time"])


# -- the typed continuation marker --------------------------------------------------------------------


def _reading(items: list[Item]) -> Reading:
    return Reading(items=items, catalog=(), aliases=None)


def _feed_rows(reading: Reading, items: list[Item]) -> None:
    for pos, item in enumerate(items):
        reading.pos = pos
        cells = list(item.cells)
        if header_item(reading, item, cells):
            continue
        open_pending_table(reading, item)
        if reading.table is not None:
            table_item(reading, item, cells)


def test_a_table_opened_over_an_open_one_is_marked_continues_until_its_first_step() -> None:
    header = row("TT", "Trình tự", "Trách nhiệm", "Thời gian")
    items = [
        para("1. Cấp giấy phép tổ chức hội nghị quốc tế"),
        header,
        row("B1", "Tiếp nhận hồ sơ", "Bộ phận Một cửa", "0,5 ngày"),
        header,  # the header repeated on the next page
        para("(tiếp theo)"),  # the table opens at the item after its header
    ]
    reading = _reading(items)
    reading.add_heading(heading_in(items[0].text, 0))
    _feed_rows(reading, items)
    table = reading.table
    assert table is not None and table.case_label is CONTINUES
    assert table.last_number == 1


@pytest.mark.parametrize(("second", "cases"), [("B2", 1), ("B1", 2)])
def test_the_first_step_decides_whether_the_table_continues(second: str, cases: int) -> None:
    header = row("TT", "Trình tự", "Trách nhiệm", "Thời gian")
    items = [
        header,
        row("B1", "Tiếp nhận hồ sơ", "Bộ phận Một cửa", "0,5 ngày"),
        header,
        row(second, "Thẩm định hồ sơ", "Chuyên viên", "02 ngày"),
    ]
    reading = _reading(items)
    _feed_rows(reading, items)
    assert reading.table is not None and reading.table.case_label is None
    (proc,) = reading.procs
    assert len(proc.variants) == cases


def test_a_continued_table_joins_its_procedure_end_to_end(tmp_path: Path) -> None:
    text = (
        "1. Cấp giấy phép tổ chức hội nghị quốc tế\n"
        "| TT | Trình tự | Trách nhiệm | Thời gian |\n"
        "| B1 | Tiếp nhận hồ sơ | Bộ phận TN&TKQ | 0,5 ngày |\n"
        "| B2 | Thẩm định | Chuyên viên | 02 ngày |\n"
        "\n"
        "| TT | Trình tự | Trách nhiệm | Thời gian |\n"
        "| B3 | Ký duyệt | Lãnh đạo Sở | 01 ngày |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (proc,), warnings = extract_procedures(read_document(path), ())
    assert [s.label for s in proc.steps] == ["B1", "B2", "B3"]
    assert warnings == []


# -- cells, headings, forms ---------------------------------------------------------------------------


def test_cells_map_by_count_else_around_the_time_cell() -> None:
    roles = ["content", "resp", "time", "result"]
    assert map_cells(["a", "b", "1 ngày", "d"], roles) == {
        "content": ["a"],
        "resp": ["b"],
        "time": ["1 ngày"],
        "result": ["d"],
    }
    # One cell too many before the time: the extra one joins the first role.
    assert map_cells(["a", "a2", "b", "1 ngày", "d"], roles) == {
        "content": ["a a2"],
        "resp": ["b"],
        "time": ["1 ngày"],
        "result": ["d"],
    }


def test_headings_names_and_codes() -> None:
    heading = heading_in("II. Thủ tục cấp phép (Mã TTHC: 1.012657, ký hiệu: QTTP-14) 1. Cơ sở pháp lý", 3)
    assert heading is not None and heading.alts[0].startswith("II. Thủ tục cấp phép")
    assert clean_name("2. Quy trình nội bộ giải quyết TTHC: “Cấp giấy phép hoạt động”") == (
        "Cấp giấy phép hoạt động",
        [],
    )
    assert clean_name("1. Bổ nhiệm giám định viên (mã số 1.013871)") == (
        "Bổ nhiệm giám định viên",
        ["1.013871"],
    )
    assert norm_code("QT. GĐ.01.") == "QT.GĐ.01"
    assert form_text(["Mẫu 01", "Giấy tiếp nhận hồ sơ", "Mẫu 01.docx"]) == "Mẫu 01 Giấy tiếp nhận hồ sơ"


# -- ISO documents ------------------------------------------------------------------------------------


def test_iso_header_reads_labels_and_signers_skipping_placeholder_rows() -> None:
    items = [
        row("SỞ NGOẠI VỤ", "QUY TRÌNH CHO PHÉP TỔ CHỨC HỘI NGHỊ", "Mã hiệu: QT-NGV-01"),
        row("", "", "Lần ban hành: 02"),
        row("Ngày hiệu lực", "01/04/2024"),
        row("Người soạn thảo", "Người kiểm tra", "Người phê duyệt"),
        row("(Ký)", "(Ký)", "(Ký)"),  # no names yet: the labels wait
        row("Họ và tên: Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"),
    ]
    assert iso_header(items) == {
        "code": "QT-NGV-01",
        "edition": "02",
        "effective_on": "2024-04-01",
        "drafted_by": "Nguyễn Văn An",
        "checked_by": "Trần Thị Bình",
        "approved_by": "Lê Văn Cường",
    }


def test_revisions_are_the_rows_of_the_first_revision_table() -> None:
    items = [
        row("Ngày tháng", "Nội dung thay đổi", "Lần ban hành"),
        row("10/01/2022", "Ban hành lần đầu", "01"),
        row("", "", ""),
        para("1. MỤC ĐÍCH"),
        row("15/03/2024", "Not a revision", "02"),
    ]
    (rev,) = revisions(items)
    assert (rev.date, rev.change, rev.edition) == ("2022-01-10", "Ban hành lần đầu", "01")


# -- finishing ----------------------------------------------------------------------------------------


def _step(order: int, hours: float | None) -> Step:
    return Step(order=order, label=f"B{order}", text="x", hours=hours)


def test_finish_splits_cases_and_checks_hours() -> None:
    proc = ProcDraft(name="Cấp phép", heading_codes=[], source=REF, code="QT.NV.01")
    proc.time_limit = "- Trường hợp A: 01 ngày; - Trường hợp B: 02 ngày"
    proc.variants = [
        Variant(label="Trường hợp A", steps=[_step(1, 16.0)]),
        Variant(label="Trường hợp B", steps=[_step(1, 8.0)], stated_total="02 ngày"),
    ]
    first, second = finish(proc, (), 0)
    assert first.name == "Cấp phép (Trường hợp A)" and first.time_limit_hours == 8.0
    assert any("more than the time limit 8 h" in w for w in first.warnings)
    assert second.stated_total_hours == 16.0
    assert any("stated total is 16" in w for w in second.warnings)
    assert all("holds 2 cases" in " ".join(p.warnings) for p in (first, second))


def test_a_code_mentioned_in_passing_is_no_procedure() -> None:
    assert not is_procedure(ProcDraft(name="", heading_codes=[], source=REF, kv=True))
    assert is_procedure(ProcDraft(name="Cấp phép", heading_codes=[], source=REF, kv=True))


# -- branch words -------------------------------------------------------------------------------------


def test_branch_words_are_shared_by_the_parser_and_the_graph() -> None:
    assert [m.group(0).strip() for m in CONDITION_OPENER.finditer("Nếu a; trường hợp b")] == [
        "Nếu",
        "trường hợp",
    ]
    m = IF_THEN.search("Trong trường hợp hồ sơ thiếu thì trả lại hồ sơ. Tiếp theo")
    assert m is not None and (m["cond"], m["act"]) == ("hồ sơ thiếu", "trả lại hồ sơ")
    assert RETURN_ACTION_FOLDED.search("huong dan bo sung") and not SEND_BACK_ACTION_FOLDED.search("bo sung")
    assert dossier_branches(
        "Nếu hồ sơ chưa đầy đủ thì hướng dẫn bổ sung. Nếu hồ sơ đầy đủ thì tiếp nhận."
    ) == ("hồ sơ chưa đầy đủ -> hướng dẫn bổ sung",)
    assert dossier_branches("Tiếp nhận (trường hợp hồ sơ không hợp lệ thì trả lại)") == ()
