from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from procreg.parsers.catalog import extract_catalog
from procreg.parsers.procedure import dossier_branches, extract_procedures
from procreg.parsers.read import read_document
from procreg.registry.models import Procedure, RawDocument

TESTS = Path(__file__).resolve().parent
DOCS = TESTS / "corpus" / "vn-admin-docs"
FIXTURES = TESTS / "fixtures" / "procedures"
FORMATS = ["txt", "docx", "pdf"]
STEP_ID = re.compile(r"^(?:B\d{1,2}|Bước \d{1,2})$")


def stem_of(prefix: str) -> str:
    matches = sorted(DOCS.glob(f"{prefix}*.txt"))
    assert len(matches) == 1, prefix
    return matches[0].stem


@cache
def raw_of(stem: str, fmt: str) -> RawDocument:
    if fmt == "txt":
        return read_document(DOCS / f"{stem}.txt")
    from fixtures.build import render

    return read_document(render(stem, fmt))


@cache
def extract(stem: str, fmt: str = "txt") -> tuple[Procedure, ...]:
    raw = raw_of(stem, fmt)
    catalog, _ = extract_catalog(raw)
    procedures, _ = extract_procedures(raw, catalog)
    return procedures


def by_code(procedures: tuple[Procedure, ...]) -> dict[str | None, Procedure]:
    return {p.code: p for p in procedures}


def count_step_rows(text: str) -> int:
    """Independent count: table rows whose first non-empty cell is a step id, and id-only lines."""
    count = 0
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|") and line.endswith("|"):
            cells = [c.strip() for c in line[1:-1].split("|")]
            first = next((c for c in cells if c), "")
            count += bool(STEP_ID.match(first))
        else:
            count += bool(STEP_ID.match(line))
    return count


ALL_DOCS = sorted(p.stem for p in DOCS.glob("*.txt"))
STEP_DOCS = [s for s in ALL_DOCS if count_step_rows((DOCS / f"{s}.txt").read_text(encoding="utf-8"))]


def test_corpus_has_step_documents() -> None:
    assert len(STEP_DOCS) >= 9


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", STEP_DOCS)
def test_every_step_row_becomes_one_step(stem: str, fmt: str) -> None:
    expected = count_step_rows((DOCS / f"{stem}.txt").read_text(encoding="utf-8"))
    procedures = extract(stem, fmt)
    assert procedures
    assert sum(len(p.steps) for p in procedures) == expected
    for proc in procedures:
        # Within one procedure the printed step numbers start at 1 and never go back (a source typo may
        # repeat one: Cao Bằng prints "Bước 3" twice); orders run 1, 2, 3 ….
        numbers = [int(re.sub(r"\D", "", s.label)) for s in proc.steps]
        assert numbers[0] == 1 and numbers == sorted(numbers), proc.name
        assert len(set(numbers)) >= len(numbers) - 1, proc.name
        assert [s.order for s in proc.steps] == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_hatinh_3005_two_key_value_procedures(fmt: str) -> None:
    procs = by_code(extract(stem_of("hatinh_qd3005"), fmt))
    assert set(procs) == {"QT.GĐ.01", "QT.GĐ.02"}
    first, second = procs["QT.GĐ.01"], procs["QT.GĐ.02"]
    assert first.name == "Bổ nhiệm giám định viên pháp y và pháp y tâm thần"
    assert second.name == "Miễn nhiệm giám định viên pháp y và pháp y tâm thần"
    assert (len(first.steps), len(second.steps)) == (8, 8)
    assert (first.counted_hours, second.counted_hours) == (160.0, 80.0)
    assert (first.catalog_code, second.catalog_code) == ("1.013871", "1.013876")
    assert first.time_limit is not None and first.time_limit.startswith("20 ngày")
    assert second.time_limit is not None and second.time_limit.startswith("10 ngày làm việc")
    assert (first.time_limit_hours, second.time_limit_hours) == (160.0, 80.0)
    for proc in (first, second):
        b1, b8 = proc.steps[0], proc.steps[-1]
        assert (b1.label, b8.label) == ("B1", "B8")
        assert b1.hours is None and b1.duration_text == "Giờ hành chính"
        assert b8.hours is None and b8.duration_text == "Giờ hành chính"
        assert proc.steps[1].responsible == ("Bộ phận Một cửa", "Văn thư")
        assert proc.steps[1].responsible_text == "- Công chức TN&TKQ - Văn thư"
        assert b8.responsible == ("Bộ phận Một cửa", "Tổ chức, cá nhân")
        assert proc.warnings == ()
    assert [s.hours for s in first.steps] == [None, 4.0, 4.0, 120.0, 16.0, 8.0, 8.0, None]
    assert first.steps[0].result is not None and first.steps[0].result.startswith("Mẫu 01, 02")


def test_hatinh_3005_fields_forms_records_and_branches() -> None:
    proc = by_code(extract(stem_of("hatinh_qd3005")))["QT.GĐ.01"]
    keys = [k for k, _ in proc.fields]
    assert keys[:5] == [
        "2.1 Điều kiện thực hiện TTHC",
        "2.2 Cách thức thực hiện TTHC",
        "2.3 Thành phần hồ sơ, bao gồm",
        "2.4 Số lượng hồ sơ",
        "2.5 Thời hạn giải quyết",
    ]
    assert "2.10 Quy trình xử lý công việc" in keys
    assert dict(proc.fields)["2.4 Số lượng hồ sơ"] == "01 (bộ)"
    assert proc.forms[0] == "Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert len(proc.forms) == 6
    assert len(proc.records) == 4 and "thời gian lưu 05 năm" in proc.records[-1]
    branches = proc.steps[0].branches
    assert any("hồ sơ chưa đầy đủ hoặc không hợp lệ" in b and "hướng dẫn bổ sung" in b for b in branches)
    assert proc.steps[1].branches == ()


@pytest.mark.parametrize("fmt", FORMATS)
def test_nghean_3857_shifted_rows_and_closing_total(fmt: str) -> None:
    (proc,) = extract(stem_of("nghean_qd3857"), fmt)
    assert proc.name == "Khấu trừ kinh phí bồi thường, hỗ trợ, tái định cư"
    assert proc.catalog_code == "1.012994"  # "(mã số 1.012994)" in the heading
    assert [s.label for s in proc.steps] == [f"Bước {i}" for i in range(1, 8)]
    # The header carries five columns (… | Thời gian | Dịch vụ công trực tuyến): Bước 1's time is "04 giờ",
    # and "Toàn trình" is its online-service level, not its time.
    assert [s.hours for s in proc.steps] == [4.0, 4.0, 112.0, 24.0, 16.0, 8.0, None]
    assert proc.steps[-1].duration_text == "Không tính thời gian"
    # Rows "|  | Bước 5 | …" shifted by an empty cell are re-aligned.
    assert proc.steps[4].responsible == ("Lãnh đạo UBND cấp xã",)
    assert proc.steps[1].responsible == ("Lãnh đạo phòng",)
    assert proc.stated_total is not None and proc.stated_total.startswith("168 giờ (tương đương 21 ngày)")
    assert proc.stated_total_hours == 168.0
    assert proc.counted_hours == 168.0
    assert proc.warnings == ()


def test_stated_total_differing_from_steps_is_reported(tmp_path: Path) -> None:
    # The Nghệ An table with Bước 1's time cell reading "Toàn trình": 164 counted hours against 168 stated.
    text = (
        "1. Khấu trừ kinh phí bồi thường, hỗ trợ, tái định cư\n"
        "| Thứ tự công việc | Đơn vị/người thực hiện | Nội dung công việc | Thời gian thực hiện |\n"
        "| Bước 1 | Công chức tại Trung tâm Phục vụ HCC | Kiểm tra, tiếp nhận hồ sơ | Toàn trình |\n"
        "| Bước 2 | Lãnh đạo phòng Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị | Phân công | 04 giờ |\n"
        "| Bước 3 | Chuyên viên phòng | Xử lý, thẩm định hồ sơ | 112 giờ |\n"
        "| Bước 4 | Lãnh đạo phòng | Thẩm tra | 24 giờ |\n"
        "|  | Bước 5 | Lãnh đạo UBND cấp xã | Ký phê duyệt | 16 giờ |\n"
        "|  | Bước 6 | Văn thư UBND cấp xã | Vào số văn bản | 08 giờ |\n"
        "|  | Bước 7 | Trung tâm Phục vụ hành chính công tỉnh | Trả kết quả | Không tính thời gian |\n"
        "|  | Tổng thời gian giải quyết TTHC | 168 giờ (tương đương 21 ngày) kể từ ngày nhận đủ hồ sơ |\n"
    )
    path = tmp_path / "nghean.txt"
    path.write_text(text, encoding="utf-8")
    (proc,) = extract_procedures(read_document(path), ())[0]
    assert len(proc.steps) == 7
    assert proc.steps[0].hours is None and proc.steps[0].duration_text == "Toàn trình"
    assert proc.counted_hours == 164.0
    assert proc.stated_total_hours == 168.0
    assert any("difference 4 h" in w for w in proc.warnings)
    assert proc.steps[1].responsible == ("Lãnh đạo phòng",)


def test_table_continued_after_a_page_break_is_joined(tmp_path: Path) -> None:
    header = "| TT | Trình tự | Trách nhiệm | Thời gian | Biểu mẫu/Kết quả |\n"
    text = (
        "1. Cho phép tổ chức hội nghị, hội thảo quốc tế\n"
        + header
        + "| B1 | Tiếp nhận hồ sơ | Bộ phận TN&TKQ | Giờ hành chính | Mẫu 01 |\n"
        "| B2 | Chuyển hồ sơ | Văn thư | 0,5 ngày | Mẫu 05 |\n"
        "Trang 2\n" + header + "| B3 | Thẩm định | Chuyên viên xử lý hồ sơ | 05 ngày làm việc | Dự thảo |\n"
        "Trang 3\n"
        "| B4 | Ký duyệt | Lãnh đạo Sở | 01 ngày | Văn bản |\n"
        "| B5 | Trả kết quả | Bộ phận Một cửa | Giờ hành chính | Mẫu 06 |\n"
        "2. Cấp thẻ ABTC\n" + header + "| B1 | Tiếp nhận | Bộ phận Một cửa | 0,5 ngày | Mẫu 01 |\n"
        "| B2 | Xử lý | Chuyên viên | 1,5 ngày làm việc | Dự thảo |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    procs, _ = extract_procedures(read_document(path), ())
    assert [p.name for p in procs] == ["Cho phép tổ chức hội nghị, hội thảo quốc tế", "Cấp thẻ ABTC"]
    assert [s.label for s in procs[0].steps] == ["B1", "B2", "B3", "B4", "B5"]
    assert procs[0].counted_hours == 4 + 40 + 8
    assert [s.hours for s in procs[1].steps] == [4.0, 12.0]


def test_step_split_over_rows_and_paragraphs_is_reassembled(tmp_path: Path) -> None:
    # A PDF page break inside rows (Bắc Ninh, Cao Bằng): cells arrive as rows and paragraphs.
    text = (
        "1. Thủ tục công bố dự án\n"
        "| Thứ tự công việc | Nội dung công việc cụ thể | Đơn vị/ Người thực hiện | Thời gian thực hiện "
        "| Sản phẩm |\n"
        "| Bước 1 | Nộp hồ sơ | Bộ phận TN&TKQ |\n"
        "0,25 ngày làm việc\n"
        "| Giấy tiếp nhận hồ sơ |\n"
        "| Bước 2 |\n"
        "Phân công chuyên viên thẩm\n"
        "định hồ sơ theo quy định\n"
        "| Lãnh đạo Phòng ĐTTĐ&GSĐT | 0,25 ngày làm việc | Hồ sơ được phân công |\n"
        "| Tổng thời gian giải quyết TTHC | Tổng thời gian giải quyết TTHC: Không quá 0,5 ngày làm việc |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (proc,) = extract_procedures(read_document(path), ())[0]
    b1, b2 = proc.steps
    assert (b1.text, b1.responsible, b1.hours, b1.result) == (
        "Nộp hồ sơ",
        ("Bộ phận Một cửa",),
        2.0,
        "Giấy tiếp nhận hồ sơ",
    )
    assert b2.text == "Phân công chuyên viên thẩm định hồ sơ theo quy định"
    assert (b2.responsible, b2.hours, b2.result) == (("Lãnh đạo phòng",), 2.0, "Hồ sơ được phân công")
    assert proc.stated_total_hours == 4.0 and proc.warnings == ()


def test_other_column_orders(tmp_path: Path) -> None:
    text = (
        "Quy trình chứng thực bản sao\n"
        "| STT | Cơ quan thực hiện | Công việc phải làm | Thời gian |\n"
        "| 1 | Bộ phận tiếp nhận và trả kết quả | Tiếp nhận, kiểm tra hồ sơ | Giải quyết trong ngày |\n"
        "| 2 | Lãnh đạo UBND tỉnh | Ký | 30 phút |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (proc,) = extract_procedures(read_document(path), ())[0]
    assert [s.label for s in proc.steps] == ["1", "2"]
    assert proc.steps[0].responsible == ("Bộ phận Một cửa",)
    assert proc.steps[0].text == "Tiếp nhận, kiểm tra hồ sơ"
    assert [s.hours for s in proc.steps] == [8.0, 0.5]


def test_cases_in_one_table_become_one_procedure_each() -> None:
    procs = extract(stem_of("hatinh_qd2916"))
    assert [p.code for p in procs] == ["QT.ĐCKS.01", "QT.ĐCKS.01"]
    assert [len(p.steps) for p in procs] == [11, 11]
    assert [p.counted_hours for p in procs] == [336.0, 256.0]
    assert [p.time_limit_hours for p in procs] == [336.0, 256.0]
    assert procs[0].name != procs[1].name and procs[0].name.startswith("Công nhận kết quả thăm dò khoáng sản")
    assert all("2 cases" in p.warnings[0] for p in procs)
    assert procs[0].steps[9].responsible == ("Lãnh đạo UBND tỉnh",)


def test_names_from_headings_and_catalog_links() -> None:
    procs = extract(stem_of("caobang_qd2022"))
    assert procs[0].name.startswith("Quyết định công nhận cơ sở sản xuất, kinh doanh sử dụng từ 30%")
    assert procs[0].catalog_code == "1.001806"
    assert procs[0].stated_total_hours == 80.0 and procs[0].counted_hours == 80.0
    assert procs[1].name == "Cấp giấy xác nhận quá trình thực hành công tác xã hội"
    assert procs[1].field == "Bảo trợ xã hội"
    codes = {p.catalog_code for p in procs}
    assert None not in codes and len(codes) == 18
    hatinh = extract(stem_of("hatinh_qd3004"))
    assert [p.code for p in hatinh] == ["QT.TBYT.01", "QT.TBYT.02", "QT.TBYT.03", "QT.TBYT.06"]
    assert [p.catalog_code for p in hatinh] == ["1.003006", "1.003029", "1.003039", "3.000449"]
    assert hatinh[0].name == "Công bố đủ điều kiện sản xuất thiết bị y tế"


def test_procedures_without_code_keep_none() -> None:
    for stem in ("nghean_qd3760", "bacninh_qd1490", "caobang_qd2022"):
        assert all(p.code is None for p in extract(stem_of(stem)))


def fixture_raw(name: str, fmt: str, tmp_path: Path) -> RawDocument:
    """A fixture of tests/fixtures/procedures read as txt, or rendered to docx/pdf first."""
    txt = FIXTURES / name
    if fmt == "txt":
        return read_document(txt)
    from fixtures.build import build_docx, build_pdf

    build = build_docx if fmt == "docx" else build_pdf
    return read_document(build(txt, tmp_path / f"{txt.stem}.{fmt}"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_prose_steps(fmt: str, tmp_path: Path) -> None:
    raw = fixture_raw("prose_hoinghi.txt", fmt, tmp_path)
    (proc,) = extract_procedures(raw, ())[0]
    assert proc.name == "Cho phép tổ chức hội nghị, hội thảo quốc tế thuộc thẩm quyền của Chủ tịch UBND tỉnh"
    assert [s.label for s in proc.steps] == [f"Bước {i}" for i in range(1, 6)]
    b3 = proc.steps[2]
    assert b3.hours == 56.0 and b3.duration_text == "07 ngày làm việc"
    assert "Sở Ngoại vụ" in b3.responsible
    assert proc.steps[3].responsible == ("Lãnh đạo Sở",)
    assert proc.steps[1].branches and "hướng dẫn bổ sung" in proc.steps[1].branches[0]
    assert proc.time_limit_hours == 144.0
    assert proc.counted_hours == 56 + 8 + 80


@pytest.mark.parametrize("fmt", FORMATS)
def test_iso_procedure_document(fmt: str, tmp_path: Path) -> None:
    raw = fixture_raw("iso_qt-ngv-01.txt", fmt, tmp_path)
    (proc,) = extract_procedures(raw, ())[0]
    assert proc.code == "QT.NV.01"
    assert proc.name.startswith("QUY TRÌNH CHO PHÉP TỔ CHỨC HỘI NGHỊ, HỘI THẢO QUỐC TẾ")
    assert (proc.edition, proc.issued_on, proc.effective_on) == ("02", "2024-03-15", "2024-04-01")
    assert (proc.drafted_by, proc.checked_by, proc.approved_by) == (
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    )
    assert [(r.date, r.edition) for r in proc.revisions] == [("2022-01-10", "01"), ("2024-03-15", "02")]
    assert proc.revisions[0].change == "Ban hành lần đầu"
    keys = [k for k, _ in proc.fields]
    assert keys[0] == "1. MỤC ĐÍCH" and "7. HỒ SƠ CẦN LƯU" in keys and "5.4 Thời gian xử lý" in keys
    assert proc.time_limit_hours == 80.0
    assert len(proc.steps) == 6 and proc.counted_hours == 80.0 and proc.stated_total_hours == 80.0
    assert proc.steps[4].responsible == ("Văn phòng UBND tỉnh", "Lãnh đạo UBND tỉnh")
    assert proc.forms == (
        "Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    )
    assert proc.records and "05 năm" in proc.records[0]
    assert proc.warnings == ()


def test_unit_aliases_reach_the_steps() -> None:
    raw = raw_of(stem_of("hatinh_qd3005"), "txt")
    catalog, _ = extract_catalog(raw)
    procs, _ = extract_procedures(raw, catalog, {"Văn thư": "Văn thư Sở Y tế"})
    assert procs[0].steps[1].responsible == ("Bộ phận Một cửa", "Văn thư Sở Y tế")


@pytest.mark.parametrize("stem", ALL_DOCS)
def test_every_corpus_document_goes_through(stem: str) -> None:
    raw = raw_of(stem, "txt")
    catalog, cat_warnings = extract_catalog(raw)
    first = extract_procedures(raw, catalog)
    second = extract_procedures(raw, catalog)
    assert first == second  # deterministic
    assert all(isinstance(w, str) for w in cat_warnings + first[1])
    for proc in first[0]:
        assert proc.name
        assert all(s.order == i for i, s in enumerate(proc.steps, start=1))


def test_inline_prose_steps_of_internal_tthc() -> None:
    # Hà Tĩnh 2913 prints each internal TTHC's "Trình tự thực hiện - Bước 1: … - Bước 2: …" inside one cell.
    raw = raw_of(stem_of("hatinh_qd2913"), "txt")
    catalog, _ = extract_catalog(raw)
    procs, _ = extract_procedures(raw, catalog)
    assert len(procs) == len(catalog) == 8
    assert [len(p.steps) for p in procs] == [6, 7, 2, 2, 2, 2, 3, 2]
    assert procs[0].name.startswith("Ban hành kế hoạch xử lý, cải tạo và phục hồi ô nhiễm môi trường đất")
    assert procs[2].name == "Công bố sự cố môi trường"
    assert {p.field for p in procs} == {"Môi trường"}  # linked to the catalog entries by name
    assert procs[0].steps[0].text.startswith("Lựa chọn đơn vị tư vấn")
    assert not any("1.2" in s.text[-20:] for p in procs for s in p.steps)
    ministry = extract(stem_of("bnv_qd1378"))
    assert [len(p.steps) for p in ministry] == [4, 4, 4, 4]
    assert {p.field for p in ministry} == {"Tổ chức - Biên chế"}


# --------------------------------------------------------------------------------------------------
# Regression tests of reported issues.


def test_issue_name_keeps_thu_tuc(tmp_path: Path) -> None:
    # The store links catalog rows to processes by name: the name is kept as printed ("Thủ tục …"),
    # only the numbering and the code parenthetical are dropped.
    text = (
        "| STT | Tên thủ tục hành chính | Mã TTHC |\n"
        "| 1 | Thủ tục công nhận báo cáo viên pháp luật cấp tỉnh | 1.000001 |\n"
        "1. Thủ tục công nhận báo cáo viên pháp luật cấp tỉnh (Mã TTHC: 1.000001).\n"
        "| TT | Trình tự | Trách nhiệm | Thời gian |\n"
        "| B1 | Tiếp nhận hồ sơ | Bộ phận TN&TKQ | 0,5 ngày |\n"
        "| B2 | Thẩm định | Chuyên viên | 02 ngày |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    raw = read_document(path)
    catalog, _ = extract_catalog(raw)
    (proc,) = extract_procedures(raw, catalog)[0]
    assert proc.name == catalog[0].name == "Thủ tục công nhận báo cáo viên pháp luật cấp tỉnh"
    assert proc.catalog_code == "1.000001"
    quangtri = extract(stem_of("quangtri_qd2691"))
    assert [p.name for p in quangtri] == [
        "Thủ tục công nhận báo cáo viên pháp luật cấp tỉnh",
        "Thủ tục miễn nhiệm báo cáo viên pháp luật cấp tỉnh",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_issue_hanoi_generic_heading(fmt: str) -> None:
    # Hà Nội 1594: each procedure sits under "6. Quy trình giải quyết"; its name is the heading
    # "I./II. Thủ tục … (Mã TTHC …, ký hiệu: …)" above, cut before "1. Cơ sở pháp lý", so that each
    # procedure carries its catalog row's name and code.
    raw = raw_of(stem_of("hanoi_qd1594"), fmt)
    catalog, _ = extract_catalog(raw)
    procs, _ = extract_procedures(raw, catalog)
    assert [p.name for p in procs] == [c.name for c in catalog]
    assert [p.catalog_code for p in procs] == [c.code for c in catalog] == ["1.012644", "1.012657"]
    assert [p.code for p in procs] == ["QTTP-20", "QTTP-14"]
    assert not any("Cơ sở pháp lý" in p.name or "Quy trình giải quyết" in p.name for p in procs)
    # Without the catalog too: the coded heading wins over the section titles ("5. Các biểu mẫu …").
    alone, _ = extract_procedures(raw, ())
    assert [p.name for p in alone] == [c.name for c in catalog]
    assert [p.catalog_code for p in alone] == ["1.012644", "1.012657"]


def test_issue_name_from_ten_thu_tuc_line(tmp_path: Path) -> None:
    # No catalog: a "Tên thủ tục: …" line names the procedure, not the section title above the table.
    text = (
        "Tên thủ tục: Cấp giấy phép tổ chức hội nghị quốc tế\n"
        "1. Cơ sở pháp lý\n- Quyết định số 06/2020/QĐ-TTg.\n"
        "5. Các biểu mẫu trong giải quyết TTHC\n"
        "6. Quy trình giải quyết\n"
        "| TT | Trình tự | Trách nhiệm | Thời gian |\n"
        "| B1 | Tiếp nhận hồ sơ | Bộ phận TN&TKQ | 0,5 ngày |\n"
        "| B2 | Thẩm định | Chuyên viên | 02 ngày |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (proc,) = extract_procedures(read_document(path), ())[0]
    assert proc.name == "Cấp giấy phép tổ chức hội nghị quốc tế"


def test_issue_bacninh_branch_cut() -> None:
    # Bắc Ninh 1490: a parenthesised "(trường hợp nộp hồ sơ không phụ thuộc vào địa giới hành chính)"
    # followed by "2. Kiểm tra …" was taken for a branch several hundred characters long.
    text = (
        "1. Nộp hồ sơ: + Trung tâm Phục vụ hành chính công cấp xã (trường hợp nộp hồ sơ không phụ thuộc "
        "vào địa giới hành chính). 2. Kiểm tra tính đầy đủ của hồ sơ theo quy định: + Trường hợp hồ sơ đầy "
        "đủ và hợp lệ, tiếp nhận hồ sơ và chuyển ngay đến bộ phận chuyên môn. + Trường hợp hồ sơ chưa đầy "
        "đủ, chưa hợp lệ: hướng dẫn bổ sung. + Hồ sơ không đầy đủ, hợp lệ thì trả hồ sơ và hướng dẫn cá "
        "nhân, tổ chức bổ sung hồ sơ."
    )
    assert dossier_branches(text) == (
        "hồ sơ chưa đầy đủ, chưa hợp lệ: hướng dẫn bổ sung",
        "hồ sơ không đầy đủ, hợp lệ -> trả hồ sơ và hướng dẫn cá nhân, tổ chức bổ sung hồ sơ",
    )
    long_clause = "Nếu hồ sơ chưa đầy đủ thì " + ", ".join(["hướng dẫn tổ chức bổ sung thành phần"] * 12)
    (capped,) = dossier_branches(long_clause)
    assert len(capped) <= 240 and capped.startswith("hồ sơ chưa đầy đủ -> hướng dẫn")
    for fmt in ("txt", "docx"):
        for proc in extract(stem_of("bacninh_qd1490"), fmt):
            for step in proc.steps:
                assert all(len(b) <= 240 and "Kiểm tra" not in b for b in step.branches), step.label
    (first, *_) = extract(stem_of("bacninh_qd1490"))
    assert first.steps[0].branches == (
        "hồ sơ không đầy đủ, hợp lệ -> trả hồ sơ và hướng dẫn cá nhân, tổ chức bổ sung hồ sơ",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_issue_hatinh_3004_continuation_row(fmt: str) -> None:
    # Hà Tĩnh 3004 B1: the row is cut by a page break; the next row "| điểm ghi trong giấy chứng nhận … |"
    # continues the content cell ("… dựa vào địa" + "điểm ghi …"), and "| | Hồ sơ mục 2.3 |" is the result.
    b1 = extract(stem_of("hatinh_qd3004"), fmt)[0].steps[0]
    assert "dựa vào địa điểm ghi trong giấy chứng nhận hệ thống quản lý chất lượng" in b1.text
    assert b1.text.endswith("https://imda.moh.gov.vn")
    assert b1.result == "Hồ sơ mục 2.3"
    assert (b1.responsible_text, b1.duration_text) == ("Tổ chức", "Giờ hành chính")


def test_issue_continuation_row_synthetic(tmp_path: Path) -> None:
    text = (
        "1. Cấp phép\n"
        "| TT | Trình tự | Trách nhiệm | Thời gian | Kết quả |\n"
        "| B1 | Tiếp nhận hồ sơ, kiểm tra tính đầy | Bộ phận TN&TKQ | 0,5 ngày |\n"
        "| đủ của hồ sơ theo quy định |\n"
        "|  | Phiếu tiếp nhận |\n"
        "| B2 | Thẩm định hồ sơ. | Chuyên viên | 02 ngày | Tờ trình |\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (proc,) = extract_procedures(read_document(path), ())[0]
    b1, b2 = proc.steps
    assert b1.text == "Tiếp nhận hồ sơ, kiểm tra tính đầy đủ của hồ sơ theo quy định"
    assert (b1.result, b1.hours) == ("Phiếu tiếp nhận", 4.0)
    assert (b2.text, b2.result) == ("Thẩm định hồ sơ.", "Tờ trình")


@pytest.mark.parametrize("fmt", FORMATS)
def test_issue_nghean_toan_trinh(fmt: str) -> None:
    # Nghệ An 3857 keeps its current reading, on purpose: the step table has five columns
    # (… | Thời gian thực hiện | Dịch vụ công trực tuyến), so Bước 1's time cell is "04 giờ" and
    # "Toàn trình" is its online-service level (the last column), not a time. Read that way the steps
    # add up to 168 h, exactly the stated "Tổng thời gian … 168 giờ": no warning. Reading "Toàn trình"
    # as Bước 1's time would give 164 h and a false 4 h difference; that warning is for tables that
    # really differ (see test_stated_total_differing_from_steps_is_reported, the shifted-row variant).
    (proc,) = extract(stem_of("nghean_qd3857"), fmt)
    first = proc.steps[0]
    assert (first.hours, first.duration_text) == (4.0, "04 giờ")
    assert "Toàn trình" not in first.duration_text
    assert proc.counted_hours == proc.stated_total_hours == 168.0
    assert not any("difference" in w for w in proc.warnings)


def test_issue_code_mentioned_in_passing_is_no_procedure(tmp_path: Path) -> None:
    # A folder's README describing the layout ("`1 | KÝ HIỆU QUY TRÌNH | QT.NV.0n`") once gave an
    # empty procedure "QT.NV" with no name and no steps.
    note = tmp_path / "README.md"
    note.write_text(
        "# Mẫu\n\nMỗi quy trình: `1 | KÝ HIỆU QUY TRÌNH | QT.NV.0n`, "
        "`2 | NỘI DUNG QUY TRÌNH` với các dòng 2.1–2.10.\n",
        encoding="utf-8",
    )
    procedures, _ = extract_procedures(read_document(note), ())
    assert procedures == ()
