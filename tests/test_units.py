from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from procreg.parsers.units import default_aliases, find_units, resolve_unit, split_units
from procreg.text import fold

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("- Công chức TN&TKQ - Văn thư", ("Bộ phận Một cửa", "Văn thư")),
        ("Cán bộ TN&TKQ; Cá nhân/Tổ chức nộp hồ sơ", ("Bộ phận Một cửa", "Tổ chức, cá nhân")),
        ("Lãnh đạo phòng Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị", ("Lãnh đạo phòng",)),
        ("Lãnh đạo Sở được phân công/Văn thư", ("Lãnh đạo Sở", "Văn thư")),
        ("Bộ phận tiếp nhận và trả kết quả", ("Bộ phận Một cửa",)),
        ("Bộ phận TN&TKQ", ("Bộ phận Một cửa",)),
        ("Bộ phận Một cửa", ("Bộ phận Một cửa",)),
        ("Công chức xử lý hồ sơ", ("Chuyên viên xử lý",)),
        ("Chuyên viên được giao xử lý hồ sơ, lãnh đạo phòng", ("Chuyên viên xử lý", "Lãnh đạo phòng")),
        ("Công chức TN&TKQ và tổ chức, cá nhân", ("Bộ phận Một cửa", "Tổ chức, cá nhân")),
        ("Văn phòng UBND tỉnh; Lãnh đạo UBND tỉnh", ("Văn phòng UBND tỉnh", "Lãnh đạo UBND tỉnh")),
        ("Trung tâm PV HCC tỉnh", ("Trung tâm Phục vụ hành chính công tỉnh",)),
        ("Lãnh đạo Phòng TCHC", ("Lãnh đạo phòng",)),
        ("Văn thư UBND cấp xã", ("Văn thư UBND cấp xã",)),
    ],
)
def test_split_and_normalise(cell: str, units: tuple[str, ...]) -> None:
    assert split_units(cell) == units


def test_slash_inside_a_unit_name_does_not_split() -> None:
    assert split_units("Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị") == (
        "Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị",
    )


def test_accents_and_case_do_not_matter_for_aliases() -> None:
    assert split_units("bo phan tiep nhan va tra ket qua") == ("Bộ phận Một cửa",)
    assert split_units("VĂN THƯ") == ("Văn thư",)


def test_user_aliases_override_the_shipped_table() -> None:
    aliases = {"Văn thư": "Văn thư Sở Ngoại vụ", "Phòng Lễ tân - Lãnh sự": "Phòng LT-LS"}
    assert split_units("Văn thư", aliases) == ("Văn thư Sở Ngoại vụ",)
    assert split_units("phong le tan - lanh su", aliases) == ("Phòng LT-LS",)
    assert split_units("Lãnh đạo Sở", aliases) == ("Lãnh đạo Sở",)


def test_unknown_units_are_kept_as_printed_nfc_and_trimmed() -> None:
    nfd = unicodedata.normalize("NFD", "  Hội đồng thẩm định  ")
    assert split_units(nfd) == ("Hội đồng thẩm định",)
    assert resolve_unit(" Ban Quản lý dự án. ") == "Ban Quản lý dự án"


def test_duplicates_dropped_order_kept() -> None:
    assert split_units("Cán bộ TN&TKQ; Bộ phận Một cửa; Văn thư") == ("Bộ phận Một cửa", "Văn thư")
    assert split_units("") == ()


def test_shipped_table_is_folded_and_nfc() -> None:
    aliases = default_aliases()
    assert len(aliases) > 50
    data = json.loads((ROOT / "parsers" / "data" / "units.json").read_text(encoding="utf-8"))
    for alias, canonical in data["aliases"].items():
        assert unicodedata.is_normalized("NFC", canonical)
        assert resolve_unit(alias) == canonical
    assert all(key == fold(key) for key in aliases)
    canon = set(aliases.values())
    for name in (
        "Bộ phận Một cửa",
        "Văn thư",
        "Lãnh đạo Sở",
        "Lãnh đạo phòng",
        "Chuyên viên xử lý",
        "Văn phòng UBND tỉnh",
        "Lãnh đạo UBND tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "Tổ chức, cá nhân",
    ):
        assert name in canon


def test_find_units_in_prose() -> None:
    text = (
        "Bước 3: Trong thời gian 07 ngày làm việc, kể từ ngày nhận hồ sơ hợp lệ, Sở Ngoại vụ thẩm định hồ sơ"
    )
    assert find_units(text) == ("Sở Ngoại vụ",)
    assert find_units("Lãnh đạo Sở duyệt ký, chuyển Văn phòng UBND tỉnh") == (
        "Lãnh đạo Sở",
        "Văn phòng UBND tỉnh",
    )


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("Văn thư hoặc Bộ phận Một cửa", ("Văn thư", "Bộ phận Một cửa")),
        ("Công an tỉnh hoặc Phòng Quản lý xuất nhập cảnh", ("Công an tỉnh", "Phòng Quản lý xuất nhập cảnh")),
        # Issue 13: "hoặc" inside a clause joins words of one sentence, not two units.
        (
            "Các cơ quan, tổ chức, cá nhân nếu phát hiện hoặc có thông tin về hành vi xâm hại trẻ em",
            ("Các cơ quan, tổ chức, cá nhân nếu phát hiện hoặc có thông tin về hành vi xâm hại trẻ em",),
        ),
        (
            "Tổ chức, cá nhân nếu có yêu cầu hoặc có ý kiến khác",
            ("Tổ chức, cá nhân nếu có yêu cầu hoặc có ý kiến khác",),
        ),
    ],
)
def test_issue_13_or_splits_only_between_unit_names(cell: str, units: tuple[str, ...]) -> None:
    assert split_units(cell) == units
