"""PDF layout without ruling lines: two-column header and closing block, wrapped centred title.

Real agency PDFs print the header (agency | motto; number | place and date) and the closing block
(recipients | position, signature, name) as borderless two-column tables, often in small type and
with the two columns at different line heights. Each test builds a small PDF with fpdf2 and checks
that the PDF parses to the same header and signer as the .txt of the same content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procreg.parsers.document import parse_document
from procreg.parsers.read import read_document
from procreg.registry.models import Paragraph, Table

FONTS = Path(__file__).parent / "fixtures" / "fonts"

AGENCY = ("UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NUMBER = "Số: 12/QĐ-SNgV"
DATE = "Hà Tĩnh, ngày 05 tháng 3 năm 2024"
TITLE = (
    "Về việc công bố Danh mục và Quy trình nội bộ thủ tục hành chính nội bộ lĩnh vực lễ tân đối ngoại "
    "thuộc thẩm quyền giải quyết của Sở Ngoại vụ tỉnh Hà Tĩnh"
)
BODY = [
    "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ ban hành Kế hoạch rà soát, "
    "đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước giai đoạn 2022 - 2025;",
    "Căn cứ Kế hoạch số 01/KH-SNgV ngày 10/01/2023 của Sở Ngoại vụ về cải cách hành chính năm 2023 "
    "và các văn bản hướng dẫn thực hiện của Ủy ban nhân dân tỉnh có liên quan;",
    "Theo đề nghị của Chánh Văn phòng - Thanh tra Sở.",
]
ARTICLES = [
    "Điều 1. Công bố kèm theo Quyết định này Danh mục và Quy trình nội bộ 02 thủ tục hành chính nội bộ "
    "lĩnh vực ngoại vụ thuộc thẩm quyền giải quyết của Sở Ngoại vụ tỉnh Hà Tĩnh.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng - Thanh tra Sở, Trưởng các phòng "
    "chuyên môn thuộc Sở chịu trách nhiệm thi hành Quyết định này./.",
]
RECIPIENTS = ("Nơi nhận:", "- Như Điều 2;", "- Lãnh đạo Sở;", "- Lưu: VT, VPTTr.")
SIGNATURE = ("GIÁM ĐỐC", "(Đã ký)", "Nguyễn Văn Minh")


def _txt(path: Path) -> Path:
    """The same document as .txt (layout tables as ``| a | b |`` rows, as the corpus writes them)."""
    lines = [
        f"| {' '.join(AGENCY)} | {' '.join(MOTTO)} |",
        f"| {NUMBER} | {DATE} |",
        "QUYẾT ĐỊNH",
        TITLE,
        "GIÁM ĐỐC SỞ NGOẠI VỤ",
        *BODY,
        "QUYẾT ĐỊNH:",
        *ARTICLES,
        f"| {' '.join(RECIPIENTS)} | {' '.join(SIGNATURE)} |",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _words(pdf: Any, x: float, y: float, text: str, width: float, *, spaces: bool) -> None:
    """Write ``text`` centred in ``width`` from ``x``; without ``spaces``, word by word, no space glyph."""
    if spaces:
        pdf.set_xy(x, y)
        pdf.cell(width, 4, text, align="C")
        return
    gap = pdf.get_string_width(" ")
    cursor = x + (width - pdf.get_string_width(text)) / 2
    for word in text.split():
        pdf.set_xy(cursor, y)
        pdf.cell(pdf.get_string_width(word), 4, word)
        cursor += pdf.get_string_width(word) + gap


def _pdf(path: Path, *, spaces: bool, staggered: bool) -> Path:
    """The document as a PDF: borderless header and closing block, centred wrapped title.

    ``spaces=False`` sets the 9 pt header word by word with no space character (the gap alone
    separates the words, as many producers do); ``staggered`` puts the two header columns at
    different line heights (different type sizes, as in Word headers), so no text line holds both.
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 15, 20)
    pdf.add_page()
    top = 15.0
    pitch, shift = (5.5, 1.5) if staggered else (5.0, 0.0)  # mm; 1.5 mm is more than a text line's tolerance
    for k, (left, right) in enumerate(((AGENCY[0], MOTTO[0]), (AGENCY[1], MOTTO[1]), (NUMBER, DATE))):
        pdf.set_font("DejaVu", "B" if k < 2 else "", 9)
        _words(pdf, 15, top + pitch * k, left, 65, spaces=spaces)
        pdf.set_font("DejaVu", "B" if k < 2 else "", 10 if staggered else 9)
        _words(pdf, 90, top + pitch * k + shift, right, 105, spaces=spaces)
    pdf.set_y(top + 22)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6.5, "QUYẾT ĐỊNH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6.5, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6.5, "GIÁM ĐỐC SỞ NGOẠI VỤ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 11)
    for text in BODY:
        pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6.5, "QUYẾT ĐỊNH:", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 11)
    for text in ARTICLES:
        pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    # Closing block: recipients in 9 pt on the left, the signature in 11 pt on the right, at
    # different line heights, with room left for the signature before the name.
    block = pdf.get_y() + 4
    for k, text in enumerate(RECIPIENTS):
        pdf.set_font("DejaVu", "B" if k == 0 else "", 9)
        pdf.set_xy(20, block + 4.5 * k)
        pdf.cell(70, 4, text)
    for text, dy in zip(SIGNATURE, (2.0, 8.0, 26.0), strict=True):
        pdf.set_font("DejaVu", "B" if text.isupper() else "", 11)
        pdf.set_xy(110, block + dy)
        pdf.cell(80, 5, text, align="C")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Any:
    doc = parse_document(_txt(tmp_path_factory.mktemp("txt") / "qd.txt"))
    # The .txt itself reads as intended (so comparing with it means something).
    assert doc.number == "12/QĐ-SNgV" and doc.place == "Hà Tĩnh" and doc.issued_on == "2024-03-05"
    assert doc.title is not None and doc.title.endswith("tỉnh Hà Tĩnh")
    assert doc.signer is not None and doc.signer.name == "Nguyễn Văn Minh"
    return doc


@pytest.mark.parametrize(
    ("spaces", "staggered"),
    [(True, False), (False, False), (True, True)],
    ids=["spaces", "gaps", "staggered"],
)
def test_borderless_pdf_parses_like_its_text(
    tmp_path: Path, expected: Any, spaces: bool, staggered: bool
) -> None:
    doc = parse_document(_pdf(tmp_path / "qd.pdf", spaces=spaces, staggered=staggered))
    assert (doc.number, doc.place, doc.issued_on, doc.kind) == (
        expected.number,
        expected.place,
        expected.issued_on,
        expected.kind,
    )
    assert doc.title == expected.title
    assert doc.signer == expected.signer
    assert doc.issuer == expected.issuer


def test_borderless_blocks_become_two_column_tables(tmp_path: Path) -> None:
    raw = read_document(_pdf(tmp_path / "qd.pdf", spaces=False, staggered=False))
    tables = [b for b in raw.blocks if isinstance(b, Table)]
    assert len(tables) == 2
    header, closing = tables
    assert header.texts() == [[AGENCY[0], MOTTO[0]], [AGENCY[1], MOTTO[1]], [NUMBER, DATE]]
    # Columns at different heights: one row, each column's lines joined (as a Word cell reads).
    assert closing.texts() == [[" ".join(RECIPIENTS), " ".join(SIGNATURE)]]
    paragraphs = [b.text for b in raw.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["QUYẾT ĐỊNH", TITLE, "GIÁM ĐỐC SỞ NGOẠI VỤ", *BODY, "QUYẾT ĐỊNH:", *ARTICLES]


def test_full_width_text_beside_nothing_is_not_split(tmp_path: Path) -> None:
    """Short lines and centred headings that merely leave room beside them stay paragraphs."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    texts = [
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        "Chương II",
        "- Lưu: VT.",
        "Phụ lục I",
        "Điều 4. Chánh Văn phòng, Trưởng các phòng chuyên môn thuộc Sở và các tổ chức, cá nhân có "
        "liên quan chịu trách nhiệm thi hành Quyết định này./.",
    ]
    for k, text in enumerate(texts):
        align = {1: "C", 3: "R"}.get(k, "J")  # a centred heading, a right-aligned line under a short one
        pdf.multi_cell(0, 6, text, align=align, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "plain.pdf"
    pdf.output(str(path))
    raw = read_document(path)
    assert not any(isinstance(b, Table) for b in raw.blocks)
    assert [b.text for b in raw.blocks if isinstance(b, Paragraph)] == texts
