from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procreg.parsers.durations import HOURS_PER_DAY, find_duration, looks_like_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "hours", "unit"),
    [
        ("0,5 ngày", 4.0, "ngày"),
        ("01 ngày làm việc", 8.0, "ngày làm việc"),
        ("1/2 ngày", 4.0, "ngày"),
        ("½ ngày", 4.0, "ngày"),
        ("1,5 ngày làm việc", 12.0, "ngày làm việc"),
        ("2,5 ngày làm việc", 20.0, "ngày làm việc"),
        ("0,25 ngày làm việc", 2.0, "ngày làm việc"),
        ("58 giờ làm việc", 58.0, "giờ làm việc"),
        ("02 giờ", 2.0, "giờ"),
        ("30 phút", 0.5, "phút"),
        ("168 giờ (tương đương 21 ngày) kể từ ngày nhận đủ hồ sơ theo quy định", 168.0, "giờ"),
        ("80 giờ làm việc (tương đương 10 ngày làm việc)", 80.0, "giờ làm việc"),
        ("Trong 10 (mười) ngày, kể từ ngày nhận đủ hồ sơ", 80.0, "ngày"),
        ("20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", 160.0, "ngày"),
        ("10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 80.0, "ngày làm việc"),
        ("Không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ", 16.0, "ngày làm việc"),
        ("Tổng thời gian giải quyết TTHC: Không quá 05 ngày làm việc kể từ ngày nhận", 40.0, "ngày làm việc"),
    ],
)
def test_counted_times(text: str, hours: float, unit: str) -> None:
    parsed = parse_duration(text)
    assert parsed.hours == pytest.approx(hours)
    assert parsed.unit == unit
    assert parsed.untimed is False
    assert parsed.text == text


@pytest.mark.parametrize(
    "text", ["Giờ hành chính", "Không tính thời gian", "Không quy định", "Toàn trình", "giờ hành chính"]
)
def test_untimed_values(text: str) -> None:
    parsed = parse_duration(text)
    assert parsed.untimed is True
    assert parsed.hours is None
    assert parsed.text == text


@pytest.mark.parametrize("text", ["Trong ngày", "Giải quyết trong ngày"])
def test_same_day_counts_as_one_working_day(text: str) -> None:
    parsed = parse_duration(text)
    assert parsed.hours == HOURS_PER_DAY == 8.0
    assert parsed.untimed is False
    assert parsed.unit == "ngày"


def test_plain_day_is_counted_as_working_day_but_unit_stays_visible() -> None:
    assert parse_duration("15 ngày").unit == "ngày"
    assert parse_duration("15 ngày làm việc").unit == "ngày làm việc"
    assert parse_duration("15 ngày").hours == parse_duration("15 ngày làm việc").hours == 120.0


def test_clock_time_is_not_a_duration() -> None:
    text = (
        "Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan tiếp nhận yêu cầu hoặc "
        "trong ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ"
    )
    assert parse_duration(text).hours == 8.0


def test_uncountable_time_keeps_text() -> None:
    parsed = parse_duration("03 tháng")
    assert parsed.hours is None and parsed.untimed is False and parsed.unit == "tháng"
    other = parse_duration("Theo quy định thời gian giải quyết của từng thủ tục")
    assert other.hours is None and other.untimed is False and other.unit is None
    assert other.text.startswith("Theo quy định")


def test_immediately_is_zero_hours() -> None:
    assert parse_duration("Ngay sau khi nhận đủ hồ sơ hợp lệ").hours == 0.0
    assert looks_like_duration("Ngay sau khi nhận đủ hồ sơ hợp lệ")


def test_decomposed_input_is_normalised() -> None:
    nfd = unicodedata.normalize("NFD", "01 ngày làm việc")
    parsed = parse_duration(nfd)
    assert parsed.hours == 8.0
    assert parsed.text == unicodedata.normalize("NFC", nfd)


def test_find_duration_in_prose() -> None:
    found = find_duration(
        "Bước 3: Trong thời gian 07 ngày làm việc, kể từ ngày nhận hồ sơ hợp lệ, Sở Ngoại vụ thẩm định"
    )
    assert found is not None
    assert found.hours == 56.0
    assert found.text == "07 ngày làm việc"
    assert find_duration("Lãnh đạo Sở duyệt ký") is None


def test_looks_like_duration_rejects_prose_and_labels() -> None:
    assert looks_like_duration("0,5 ngày")
    assert looks_like_duration("Không tính thời gian")
    assert not looks_like_duration("Kết quả giải quyết TTHC")
    assert not looks_like_duration("Bước 3: Trong thời gian 07 ngày làm việc, Sở Ngoại vụ thẩm định")


@given(
    st.integers(min_value=0, max_value=400), st.sampled_from(["ngày làm việc", "ngày", "giờ", "giờ làm việc"])
)
def test_integer_amounts(n: int, unit: str) -> None:
    factor = 8 if unit.startswith("ngày") else 1
    parsed = parse_duration(f"{n:02d} {unit}")
    assert parsed.hours == pytest.approx(n * factor)
    assert parsed.unit == unit


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=1, max_value=9))
def test_decimal_comma_and_point_agree(whole: int, tenth: int) -> None:
    comma = parse_duration(f"{whole},{tenth} ngày làm việc").hours
    point = parse_duration(f"{whole}.{tenth} ngày làm việc").hours
    assert comma == point == pytest.approx((whole + tenth / 10) * 8)
