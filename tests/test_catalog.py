from __future__ import annotations

import re
from pathlib import Path

import pytest

from procreg.parsers.catalog import detect_change_type, extract_catalog
from procreg.parsers.read import read_document
from procreg.registry.models import CatalogEntry

DOCS = Path(__file__).resolve().parent / "corpus" / "vn-admin-docs"


def corpus(stem: str) -> Path:
    matches = sorted(DOCS.glob(f"{stem}*.txt"))
    assert len(matches) == 1, stem
    return matches[0]


def catalog_of(path: Path) -> tuple[tuple[CatalogEntry, ...], list[str]]:
    return extract_catalog(read_document(path))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_dongnai_has_79_internal_entries_in_groups() -> None:
    entries, warnings = catalog_of(corpus("dongnai_qd2827"))
    assert len(entries) == 79
    assert [e.order for e in entries] == [str(i) for i in range(1, 80)]
    assert all(e.internal for e in entries)
    assert entries[0].name == "Quyết định điều chuyển tài sản công"
    assert entries[0].field == "Quản lý công sản"
    assert entries[0].agency == "Hội đồng nhân dân tỉnh, Uỷ ban nhân dân tỉnh"
    assert entries[0].legal_basis is not None and entries[0].legal_basis.startswith("- Luật Quản lý")
    assert entries[0].group == "THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP TỈNH"
    assert entries[-1].group == "THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP XÃ"
    assert {e.field for e in entries} >= {"Quản lý công sản", "Đầu tư công"}
    assert all(e.code is None for e in entries)  # internal TTHC carry no national code
    assert warnings == []


def test_hatinh_3005_two_entries_with_codes_limits_and_same_as_above() -> None:
    entries, _ = catalog_of(corpus("hatinh_qd3005"))
    assert [e.code for e in entries] == ["1.013871", "1.013876"]
    first, second = entries
    assert first.time_limit is not None and first.time_limit.startswith("20 ngày")
    assert second.time_limit is not None and second.time_limit.startswith("10 ngày làm việc")
    assert (first.time_limit_hours, second.time_limit_hours) == (160.0, 80.0)
    # "Như trên" takes the value of the row above.
    assert second.place == first.place and second.place is not None and "Trung tâm Phục vụ" in second.place
    assert second.legal_basis == first.legal_basis
    assert second.fee == "Không"
    assert first.change == "amended"  # "… THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG …"
    assert not first.internal  # a quy trình nội bộ of a citizen-facing TTHC is not a TTHC nội bộ
    assert first.field == "Giám định"  # from the decision title "LĨNH VỰC GIÁM ĐỊNH THUỘC …"


def test_odd_national_code_is_kept_with_a_warning() -> None:
    entries, warnings = catalog_of(corpus("hatinh_qd2890"))
    assert [e.code for e in entries] == ["1.012508", "1.012509", "1.0125010"]
    assert entries[2].warnings and "1.0125010" in entries[2].warnings[0]
    assert any("1.0125010" in w for w in warnings)
    assert all(e.change == "abolished" for e in entries)


def test_groups_set_internal_level_and_same_as_above_field() -> None:
    entries, _ = catalog_of(corpus("hatinh_qd2913"))
    assert len(entries) == 8
    assert all(e.internal for e in entries)
    assert [e.group for e in entries[:2]] == ["Thủ tục hành chính nội bộ cấp tỉnh"] * 2
    assert {e.group for e in entries[2:]} == {"Thủ tục hành chính nội bộ cấp xã"}
    assert {e.field for e in entries} == {"Môi trường"}  # "Như trên" in the Lĩnh vực column


def test_header_split_over_rows_and_paragraphs() -> None:
    # "… | STT" + paragraph "Tên thủ tục hành chính" + row "Tên VBQPPL quy định việc bãi bỏ …".
    entries, _ = catalog_of(corpus("quangtri_qd2828"))
    assert len(entries) == 4
    assert entries[0].name.startswith("Điều chỉnh danh mục, tổ chức, cá nhân chủ trì")
    assert entries[0].legal_basis is not None and "09/2024/TT-BKHCN" in entries[0].legal_basis
    assert all(e.change == "abolished" and e.internal for e in entries)


def test_part_heading_sets_change_of_following_rows() -> None:
    entries, _ = catalog_of(corpus("hatinh_qd2873"))
    assert len(entries) == 13
    assert {e.change for e in entries[:12]} == {"amended"}
    assert entries[12].change == "abolished"
    assert entries[12].code == "2.001009"


def test_field_group_rows() -> None:
    entries, _ = catalog_of(corpus("caobang_qd2022"))
    assert len(entries) == 18
    assert entries[0].field == "Bảo trợ xã hội"
    assert entries[7].field == "Phòng, chống tệ nạn xã hội"
    assert entries[12].field == "Trẻ em"


def test_split_rows_and_rows_without_codes() -> None:
    entries, warnings = catalog_of(corpus("bnnmt_qd5067"))
    assert len(entries) == 65
    assert entries[53].order == "54"
    assert entries[53].code is None
    assert entries[53].name == "Cấp Giấy chứng nhận đăng ký hoạt động thử nghiệm"
    assert entries[53].field == "KHCN"
    assert any("1.003.500" in w for w in warnings)


@pytest.mark.parametrize(
    "stem", ["nghean_qd3857", "nghean_qd3760", "bacninh_qd1490", "hatinh_qd84", "daklak_ct012"]
)
def test_step_tables_and_other_tables_are_not_catalogs(stem: str) -> None:
    entries, _ = catalog_of(corpus(stem))
    assert entries == ()


def test_key_value_tables_are_not_catalog_rows() -> None:
    for stem, count in [
        ("hatinh_qd3005", 2),
        ("hatinh_qd2904", 2),
        ("hatinh_qd3004", 4),
        ("hatinh_qd2916", 1),
    ]:
        entries, _ = catalog_of(corpus(stem))
        assert len(entries) == count, stem
        assert not any(re.search(r"KÝ HIỆU|NỘI DUNG QUY TRÌNH|^B\d", e.name) for e in entries)


def test_columns_mapped_by_header_words_not_position(tmp_path: Path) -> None:
    text = (
        "DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ\n"
        "| Mã TTHC | Căn cứ pháp lý | Tên thủ tục hành chính | TT | Thời hạn giải quyết |\n"
        "| 1.000001 | Luật A | Thủ tục một | 1 | 05 ngày làm việc |\n"
    )
    entries, _ = extract_catalog(read_document(write(tmp_path, text)))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.order, entry.code, entry.name, entry.legal_basis) == (
        "1",
        "1.000001",
        "Thủ tục một",
        "Luật A",
    )
    assert entry.time_limit_hours == 40.0


def test_shifted_rows_and_same_as_above(tmp_path: Path) -> None:
    text = (
        "A. DANH MỤC THỦ TỤC HÀNH CHÍNH\n"
        "| TT | Tên thủ tục hành chính | Mã TTHC | Lĩnh vực | Thời hạn giải quyết |\n"
        "| I | Thủ tục hành chính nội bộ cấp tỉnh |\n"
        "| 1 | Cho phép tổ chức hội nghị quốc tế | 1.000111 | Ngoại vụ | 15 ngày làm việc |\n"
        "|  | 2 | Cho phép sử dụng thẻ ABTC | 1.000222 | Như trên | Như trên |\n"
        "|  |  | 3 | Xác nhận lãnh sự | 1.000333 | Như trên | 1/2 ngày |\n"
    )
    entries, _ = extract_catalog(read_document(write(tmp_path, text)))
    assert [e.code for e in entries] == ["1.000111", "1.000222", "1.000333"]
    assert [e.field for e in entries] == ["Ngoại vụ"] * 3
    assert [e.time_limit_hours for e in entries] == [120.0, 120.0, 4.0]
    assert all(e.internal and e.group == "Thủ tục hành chính nội bộ cấp tỉnh" for e in entries)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH LĨNH VỰC NGOẠI VỤ", "new"),
        (
            "CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG LĨNH VỰC GIÁM ĐỊNH",
            "amended",
        ),
        ("CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ TRONG LĨNH VỰC ĐẤU THẦU", "abolished"),
        ("CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG, BỊ BÃI BỎ", "amended"),
        ("CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH THAY THẾ", "replaced"),
    ],
)
def test_detect_change_type_from_title(title: str, expected: str) -> None:
    assert detect_change_type(title, "") == expected


def test_detect_change_type_ignores_can_cu_and_reads_dieu_1() -> None:
    text = (
        "Căn cứ Nghị định số 92/2017/NĐ-CP về sửa đổi, bổ sung một số điều;\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Công bố kèm theo Quyết định này 02 thủ tục hành chính mới ban hành.\nĐiều 2. …"
    )
    assert detect_change_type(None, text) == "new"
    assert detect_change_type("QUYẾT ĐỊNH CÔNG BỐ THỦ TỤC HÀNH CHÍNH", "Căn cứ … sửa đổi, bổ sung") is None


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("stem", ["dongnai_qd2827", "hatinh_qd3005", "hatinh_qd2890"])
def test_renderings_give_the_same_catalog_as_the_txt(stem: str, fmt: str) -> None:
    from fixtures.build import render

    txt = corpus(stem)
    expected, _ = catalog_of(txt)
    got, _ = catalog_of(render(txt.stem, fmt))
    assert len(got) == len(expected)
    assert [(e.order, e.code, e.field, e.time_limit_hours, e.internal) for e in got] == [
        (e.order, e.code, e.field, e.time_limit_hours, e.internal) for e in expected
    ]
    # Names can differ only where a narrow PDF cell broke a long token; compare them without spaces.
    assert [re.sub(r"\s", "", e.name) for e in got] == [re.sub(r"\s", "", e.name) for e in expected]
