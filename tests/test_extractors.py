"""Unit tests of the document extractors on small texts: header, signer, sections, targets, citations."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procreg.parsers.blocks import build_blocks, document_lines
from procreg.parsers.citations import canonical_number, extract_citations
from procreg.parsers.document import find_publicizing_order
from procreg.parsers.header import extract_header, sentence_case
from procreg.parsers.sections import extract_sections
from procreg.parsers.targets import extract_targets
from procreg.parsers.txt_reader import split_row
from procreg.registry.models import Cell, RawDocument
from procreg.text import fold, fold_token, normalize_text


def raw_from_text(text: str) -> RawDocument:
    """What the txt reader makes of ``text`` (``| a | b |`` lines are table rows), without a file."""
    items: list[str | tuple[Cell, ...]] = []
    for line in normalize_text(text).split("\n"):
        s = line.strip()
        if len(s) >= 2 and s.startswith("|") and s.endswith("|"):
            items.append(split_row(s))
        else:
            items.append(s)
    return RawDocument(path="t.txt", format="txt", sha256="0", blocks=build_blocks(items))


def header_of(text: str):  # type: ignore[no-untyped-def]
    return extract_header(document_lines(raw_from_text(text)), {"SNgV": "Sở Ngoại vụ", "SYT": "Sở Y tế"})


# --------------------------------------------------------------------------------------------------
# numbers


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("01/KH-SNgV", "01/KH-SNgV"),
        ("2609QĐ/UBND", "2609/QĐ-UBND"),
        ("118/2025/NĐCP", "118/2025/NĐ-CP"),
        ("21/2025/TTBYT", "21/2025/TT-BYT"),
        ("1037/QĐ- UBND", "1037/QĐ-UBND"),
        ("1662/QĐ- BKHCN", "1662/QĐ-BKHCN"),
        ("1037/Q Đ- UBND", "1037/QĐ-UBND"),
        ("84/2025/QĐ-UBND", "84/2025/QĐ-UBND"),
        ("12-NQ/TU", "12-NQ/TU"),
        ("920-CTr/TU", "920-CTr/TU"),
        ("15/2017/QH14", "15/2017/QH14"),
        ("66/NQ-\u0421\u0420", "66/NQ-CP"),  # Cyrillic С, Р in a real decision
        ("3070. /KH-UBND", "3070/KH-UBND"),
        ("012/CT-UBND", "012/CT-UBND"),
    ],
)
def test_number_normalisation(printed: str, canonical: str) -> None:
    assert canonical_number(printed) == canonical


@pytest.mark.parametrize("blank", ["   /KH-UBND", "/QĐ-UBND", "", "…/QĐ-UBND"])
def test_blank_number_is_none(blank: str) -> None:
    assert canonical_number(blank) is None


# --------------------------------------------------------------------------------------------------
# header


def test_header_plain_lines_type_word_with_title_on_same_line() -> None:
    h = header_of(
        "Số: 01/KH-SNgV\nHà Tĩnh, ngày 10 tháng 01 năm 2023\n"
        "KẾ HOẠCH Cải cách hành chính Sở Ngoại vụ năm 2023\n"
        "Thực hiện Quyết định số 2629/QĐ-UBND ngày 23/12/2022 của Ủy ban nhân dân tỉnh;\n"
    )
    assert (h.kind, h.type_label, h.number, h.issued_on, h.place) == (
        "plan",
        "KẾ HOẠCH",
        "01/KH-SNgV",
        "2023-01-10",
        "Hà Tĩnh",
    )
    assert h.title == "Cải cách hành chính Sở Ngoại vụ năm 2023"
    assert h.issuer == "Sở Ngoại vụ"  # no agency lines: from the symbol table


def test_header_in_one_huge_cell_with_glued_month() -> None:
    h = header_of(
        "|  | ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH -------- | CỘNG HÒA XÃ HỘI CHỦ "
        "NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---- |\n"
        "| Số: 3005/QĐ-UBND | Hà Tĩnh, ngày 01 tháng12 năm 2025 | "
        "QUYẾT ĐỊNH CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ "
        "THỦ TỤC HÀNH CHÍNH LĨNH VỰC GIÁM ĐỊNH CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH Căn cứ Luật Tổ chức chính quyền "
        "địa phương ngày 16/6/2025; Điều 1. Công bố. |\n"
        "Nơi nhận:\n- Như Điều 4;\n- Lưu: VT.\n"
        "| KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Nguyệt | DANH MỤC (Kèm theo Quyết định số /QĐ-UBND) |\n"
    )
    assert h.kind == "decision" and h.number == "3005/QĐ-UBND" and h.issued_on == "2025-12-01"
    assert h.title == "CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH LĨNH VỰC GIÁM ĐỊNH"
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert h.signer is not None
    assert (h.signer.name, h.signer.position, h.signer.authority) == (
        "Nguyễn Thị Nguyệt",
        "Phó Chủ tịch",
        "KT. CHỦ TỊCH",
    )


def test_header_type_word_on_its_own_line_and_wrapped_subject() -> None:
    h = header_of(
        "| BỘ NỘI VỤ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "| Số: 1378/QĐ-BNV | Hà Nội, ngày 25 tháng 11 năm 2025 |\n"
        "QUYẾT ĐỊNH\nCÔNG\nBỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ\nBỘ TRƯỞNG BỘ "
        "NỘI VỤ\nCăn cứ Nghị định số 25/2025/NĐ-CP;\n"
    )
    assert h.title == "CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ"
    assert h.place == "Hà Nội" and h.issuer == "BỘ NỘI VỤ"


def test_draft_with_blank_number_and_day_reports_none() -> None:
    h = header_of(
        "| UBND TỈNH HÀ TĨNH SỞ NGOẠI VỤ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "| Số:     /KH-SNgV | Hà Tĩnh, ngày    tháng 3 năm 2026 |\nKẾ HOẠCH\nKIỂM TRA CÔNG TÁC CCHC\n"
    )
    assert h.present and h.kind == "plan"
    assert h.number is None and h.issued_on is None
    assert h.place == "Hà Tĩnh"
    assert any("blank" in w for w in h.warnings)


def test_official_letter_from_vv() -> None:
    h = header_of(
        "| SỞ Y TẾ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "| Số: 4521/SYT-VP V/v công bố thủ tục hành chính | Hà Tĩnh, ngày 05 tháng 8 năm 2025 |\n"
        "Kính gửi: Ủy ban nhân dân tỉnh\n"
    )
    assert h.kind == "official_letter" and h.number == "4521/SYT-VP"
    assert h.title == "công bố thủ tục hành chính"
    assert h.issued_on == "2025-08-05"


def test_annex_extract_without_header_invents_nothing() -> None:
    h = header_of(
        "| STT | Tên thủ tục | Quyết định công bố |\n"
        "| 1 | Cấp giấy phép | 705/QĐ-BNNMT ngày 09/04/2025 |\n"
        "DANH MỤC (Kèm theo Quyết định số 5067/QĐ-BNNMT ngày 20/11/2025 của Bộ trưởng)\n"
        "Số: … V/v đăng ký môi trường\n"
    )
    assert not h.present
    assert (h.number, h.issued_on, h.kind, h.signer) == (None, None, None, None)


def test_form_template_in_annex_is_not_the_header() -> None:
    h = header_of(
        "| Số: 2913/QĐ-UBND | Hà Tĩnh, ngày 24 tháng 11 năm 2025 |\nQUYẾT ĐỊNH\nCÔNG BỐ THỦ TỤC\n"
        "Căn cứ Luật;\nĐiều 1. Công bố.\n"
        "| Số: 99/XX-YY V/v đăng ký | (Địa danh), ngày 01 tháng 01 năm 2020 |\n"
    )
    assert h.number == "2913/QĐ-UBND" and h.issued_on == "2025-11-24"


@pytest.mark.parametrize(
    ("closing", "name", "position"),
    [
        ("GIÁM ĐỐC\n\nThái Phúc Sơn", "Thái Phúc Sơn", "Giám đốc"),
        ("| KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Nguyệt |", "Nguyễn Thị Nguyệt", "Phó Chủ tịch"),
        ("| TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Báu Hà |", "Trần Báu Hà", "Phó Chủ tịch"),
        ("| KT. BỘ TRƯỞNG THỨ TRƯỞNG Vũ Chiến Thắng |", "Vũ Chiến Thắng", "Thứ trưởng"),
        ("| Nơi nhận: - Như Điều 3; | CHỦ TỊCH Lê Hải Hòa |", "Lê Hải Hòa", "Chủ tịch"),
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n(Đã ký)\nNguyễn Văn An", "Nguyễn Văn An", "Phó Giám đốc"),
    ],
)
def test_signer_variants(closing: str, name: str, position: str) -> None:
    h = header_of(
        "| Số: 10/KH-SNgV | Hà Tĩnh, ngày 02 tháng 3 năm 2024 |\nKẾ HOẠCH\nTHỬ\nI. MỤC ĐÍCH\nNội dung.\n"
        "Nơi nhận:\n- Lưu: VT.\n" + closing + "\n"
    )
    assert h.signer is not None
    assert (h.signer.name, h.signer.position) == (name, position)


def test_sentence_case_positions() -> None:
    assert sentence_case("PHÓ CHỦ TỊCH") == "Phó Chủ tịch"
    assert sentence_case("GIÁM ĐỐC") == "Giám đốc"
    assert sentence_case("CHÁNH VĂN PHÒNG") == "Chánh văn phòng"


# --------------------------------------------------------------------------------------------------
# sections


SECTIONED = """\
I. MỤC ĐÍCH
1. Mục đích
- Một gạch đầu dòng có 1. số bên trong.
2. Yêu cầu
II. NHIỆM VỤ
7. Chính quyền số
7.1. Ứng dụng công nghệ thông tin
a) Việc thứ nhất
b) Việc thứ hai
7.2. Áp dụng ISO
Căn cứ Quyết định số
1085/QĐ-TTg ngày 15/9/2022;
2022 - 2025.
II. LẶP LẠI
| 1. | Dòng bảng không phải mục |
Nơi nhận:
1. Sau phần thân không phải mục
"""


def test_sections_paths_bullets_and_repeats() -> None:
    r = extract_sections(document_lines(raw_from_text(SECTIONED)))
    assert [s.number for s in r.sections] == ["I", "II", "II"]
    assert [c.path for c in r.sections[0].children] == ["I.1", "I.2"]
    seven = r.sections[1].children[0]
    assert seven.path == "II.7"
    assert [c.path for c in seven.children] == ["II.7.1", "II.7.2"]
    assert [c.path for c in seven.children[0].children] == ["II.7.1.a", "II.7.1.b"]
    assert len(r.warnings) == 1 and "II" in r.warnings[0]
    bullet = next(b for b in r.body if b.text.startswith("- Một"))
    assert bullet.path == "I.1" and not bullet.heading
    cited = next(b for b in r.body if b.text.startswith("Căn cứ"))
    assert cited.path == "II.7.2"  # the wrapped citation is text, not a section


# --------------------------------------------------------------------------------------------------
# targets


def _targets(text: str):  # type: ignore[no-untyped-def]
    return extract_targets(extract_sections(document_lines(raw_from_text(text))).body)


def test_target_qualifiers_and_clauses() -> None:
    ts = _targets(
        "II. CHỈ TIÊU\n3. Thủ tục\n"
        "- Tối thiểu 50% thủ tục được triển khai thanh toán trực "
        "tuyến, trong số đó, tỷ lệ giao dịch đạt từ 30% "
        "trở lên.\n- Phân đầu 07-09 sáng kiến. Phấn đấu 50% cán bộ giao tiếp được tiếng Anh.\n"
        "- 100% hồ sơ được giải quyết đúng hạn. Cập nhật, công bố 100% các TTHC.\n"
        "- Tỷ lệ hài lòng đạt từ 80% đến 90%; không thấp hơn 70% hồ sơ trực tuyến.\n"
    )
    got = [(t.section, t.value, t.qualifier) for t in ts]
    assert got == [
        ("II.3", 50.0, "at_least"),
        ("II.3", 30.0, "at_least"),
        ("II.3", 50.0, "aspiration"),
        ("II.3", 100.0, "exact"),
        ("II.3", 100.0, "exact"),
        ("II.3", 80.0, "at_least"),  # a range is one commitment at its floor
        ("II.3", 70.0, "at_least"),
    ]
    assert ts[1].text.startswith("trong số đó, tỷ lệ giao dịch")
    assert ts[3].text == "100% hồ sơ được giải quyết đúng hạn."
    assert all(t.unit == "%" for t in ts)


def test_percentages_in_tables_are_not_targets() -> None:
    assert _targets("I. A\n| 1 | 100% hồ sơ |\n") == ()


# --------------------------------------------------------------------------------------------------
# citations


def test_citation_variants() -> None:
    text = (
        "Căn cứ Nghị định số\n118/2025/NĐCP ngày 09/6/2025 của Chính "
        "phủ; Quyết định 1085/QĐ-TTg ngày 15 tháng 9 "
        "năm 2022 của Thủ tướng Chính phủ; Chương trình hành động của "
        "Ban Chấp hành Đảng bộ tỉnh số 920-CTr/TU "
        "ngày 31/01/2018 về thực hiện Nghị quyết số 18-NQ/TW ngày "
        "25/10/2017 và số 1011-CTr/TU ngày 03/5/2018; "
        "Quyết định số 2609QĐ/UBND ngày 24/11/2025; Văn bản số 1605/TTr-SNgV ngày 06/11/2025; "
        "Kèm theo Kế hoạch số 01/KH-SNgV ngày 10/01/2023."
    )
    cs = {c.number: c for c in extract_citations(text, own_number="01/KH-SNgV")}
    assert set(cs) == {
        "118/2025/NĐ-CP",
        "1085/QĐ-TTg",
        "920-CTr/TU",
        "18-NQ/TW",
        "1011-CTr/TU",
        "2609/QĐ-UBND",
        "1605/TTr-SNgV",
    }
    assert (cs["118/2025/NĐ-CP"].type, cs["118/2025/NĐ-CP"].date) == ("Nghị định", "2025-06-09")
    assert "118/2025/NĐCP" in cs["118/2025/NĐ-CP"].text  # verbatim keeps the typo
    assert (cs["1085/QĐ-TTg"].type, cs["1085/QĐ-TTg"].date) == ("Quyết định", "2022-09-15")
    assert cs["1085/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"
    assert cs["1011-CTr/TU"].type == "Chương trình"  # shares the first's type
    assert cs["1011-CTr/TU"].date == "2018-05-03"
    assert cs["18-NQ/TW"].type == "Nghị quyết"
    assert cs["1605/TTr-SNgV"].type == "Tờ trình"  # a generic "Văn bản" yields to the symbol's code


def test_numbers_torn_by_a_pdf_line_break_are_glued_back() -> None:
    text = (
        "| 1409/QĐ-BNN MT ngày 23/4/2025 | Nghị định số 136/2025/N Đ-CP ngày 12/6/2025 | "
        "(Kèm theo Quyết định số: 2873/QĐ-UB ND ngày 19/11/2025) | "
        "06/12/2018;7 53/QĐ- BKHCN ngày 29/4/2025 | "
        "Luật số 72/2020/QH 14 | QUYẾT ĐỊNH SỐ 10/2016/QĐ-UBND NGÀY 21/3/2016 |"
    )
    cs = extract_citations(text, own_number="2873/QĐ-UBND", symbols={"BNNMT", "BKHCN"})
    assert [c.number for c in cs] == [
        "1409/QĐ-BNNMT",
        "136/2025/NĐ-CP",
        "753/QĐ-BKHCN",
        "72/2020/QH14",
        "10/2016/QĐ-UBND",  # a known symbol followed by a capitalised word is left alone
    ]
    assert cs[0].date == "2025-04-23" and cs[1].date == "2025-06-12"


def test_citation_without_date_and_blank_annex_reference() -> None:
    cs = extract_citations(
        "theo Thông tư số 343/2016/TT-BTC của Bộ Tài chính; (Kèm theo Quyết định số /QĐ-UBND)"
    )
    assert [(c.number, c.date, c.issuer) for c in cs] == [("343/2016/TT-BTC", None, "Bộ Tài chính")]


# --------------------------------------------------------------------------------------------------
# publicizing order


def test_publicizing_order_found_across_wrapped_lines() -> None:
    raw = raw_from_text(
        "Điều 2. Giao Sở Y tế chủ trì, phối hợp với các đơn vị: Văn phòng\n"
        "UBND tỉnh trong thời hạn 03 ngày làm việc công khai các TTHC trên cơ sở dữ liệu quốc gia về TTHC.\n"
        "Điều 3. Quyết định này có hiệu lực.\n"
    )
    lines = document_lines(raw)
    order = find_publicizing_order(lines, 0, len(lines))
    assert order is not None and order.startswith("Giao Sở Y tế") and order.endswith("về TTHC.")
    assert find_publicizing_order(lines[2:], 0, 1) is None


# --------------------------------------------------------------------------------------------------
# robustness


_VN = "ĐđÀÁẢÃẠăằắẳẵặâầấẩẫậêềếểễệôồốổỗộơờớởỡợưừứửữựIVX0123456789%/.:;-|()"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_VN) + list("abc SốngàyháQĐUBND\n")), max_size=400) | st.text())
def test_no_extractor_raises_on_arbitrary_text(text: str) -> None:
    raw = raw_from_text(text)
    lines = document_lines(raw)
    header = extract_header(lines, {"SNgV": "Sở Ngoại vụ"})
    assert header.number is None or "/" in header.number
    sections = extract_sections(lines)
    for t in extract_targets(sections.body):
        assert 0 <= t.value <= 100
    find_publicizing_order(lines, 0, len(lines))
    for c in extract_citations(text):
        assert c.number and c.text
    canonical_number(text)


def test_issue_issuer_only_agency_lines() -> None:
    # An upper-case line above the header table that names no agency is not part of the issuer.
    h = header_of(
        "TÀI LIỆU MINH HỌA\n"
        "| ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH SỞ NGOẠI VỤ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "| Số: 12/QĐ-SNgV | Hà Tĩnh, ngày 02 tháng 3 năm 2026 |\nQUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH QUY TRÌNH\n"
    )
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH SỞ NGOẠI VỤ"
    split = header_of(
        "BẢN SAO\n| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| TỈNH HÀ TĨNH | |\n"
        "| Số: 12/QĐ-UBND | Hà Tĩnh, ngày 02 tháng 3 năm 2026 |\nQUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH\n"
    )
    assert split.issuer == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    # Only a non-agency line: the issuer comes from the number's symbol.
    symbol = header_of(
        "TÀI LIỆU MINH HỌA\nSố: 01/KH-SNgV\nHà Tĩnh, ngày 10 tháng 01 năm 2023\nKẾ HOẠCH Cải cách\n"
    )
    assert symbol.issuer == "Sở Ngoại vụ"


_FOLD_ALPHABET = (
    string.ascii_letters
    + string.digits
    + "_ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    + "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031bΣσςİß가ᄀ \t\u00a0.,;:()/-–•“”"
)


def _reference_fold(text: str) -> str:
    """``registry.vntext.fold`` as first written: NFC, then each word folded on its own."""
    text = unicodedata.normalize("NFC", text)
    return "".join(fold_token(p) if p[0].isalnum() else p for p in re.findall(r"\w+|\W+", text))


@given(st.text(alphabet=st.sampled_from(_FOLD_ALPHABET), max_size=40))
def test_fold_fast_path_matches_the_word_by_word_fold(text: str) -> None:
    # fold() translates Latin/Vietnamese text character by character (the extractors' hot path): it
    # must give exactly what folding word by word gives, whatever the text.
    assert fold(text) == _reference_fold(text)
    assert fold(text) == fold(text)  # served from the cache the second time
