"""Readers: .txt, .docx and .pdf give the same blocks; Word/PDF specifics (merges, drawings, NFD, headers)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from fixtures.build import RUNNING_HEADER, corpus_names, render

from procreg.parsers.blocks import document_lines, document_text
from procreg.parsers.read import read_document
from procreg.registry.models import Cell, Paragraph, RawDocument, Table

PLAN = "kh-01-sngv-2023-cchc"
TABLES_DOC = "hatinh_qd2890-2025_danhmuc-quytrinhnoibo_dauthau_taichinh"  # 3 pages, tables + paragraphs


def paragraphs(raw: RawDocument) -> list[str]:
    return [b.text for b in raw.blocks if isinstance(b, Paragraph)]


@pytest.fixture(scope="module")
def plan() -> dict[str, RawDocument]:
    return {fmt: read_document(render(PLAN, fmt)) for fmt in ("txt", "docx", "pdf")}


def test_plan_reads_to_the_same_paragraphs_in_every_format(plan: dict[str, RawDocument]) -> None:
    txt = paragraphs(plan["txt"])
    assert len(txt) > 50
    assert paragraphs(plan["docx"]) == txt
    assert paragraphs(plan["pdf"]) == txt


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_page_break_fragments_are_rejoined(plan: dict[str, RawDocument], fmt: str) -> None:
    paras = paragraphs(plan[fmt])
    nang = [p for p in paras if "nâng cao chất lượng, hiệu quả của CCHC" in p]
    assert len(nang) == 1 and nang[0].startswith("- Cải cách hành chính phải gắn với")
    dvc = [p for p in paras if "80% DVC trực tuyển toàn trình" in p]
    assert len(dvc) == 1 and "DVC trực tuyến" in dvc[0]
    assert not any(p.startswith(("cao chất lượng", "tuyển toàn trình")) for p in paras)


def test_pdf_drops_running_header_and_page_numbers(plan: dict[str, RawDocument]) -> None:
    pdf = plan["pdf"]
    assert pdf.pages is not None and pdf.pages >= 3
    text = document_text(pdf)
    assert RUNNING_HEADER not in text
    assert not any(line.text.startswith("Trang ") for line in document_lines(pdf))
    assert pdf.warnings == ()
    assert all(b.page is not None for b in pdf.blocks)
    # The split paragraph starts on one page; the page after it starts with the next paragraph.
    split = next(b for b in pdf.blocks if isinstance(b, Paragraph) and "của CCHC hướng tới" in b.text)
    following = pdf.blocks[pdf.blocks.index(split) + 1]
    assert following.page == (split.page or 0) + 1


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_tables_match_the_text_version(fmt: str) -> None:
    txt = read_document(render(TABLES_DOC, "txt"))
    other = read_document(render(TABLES_DOC, fmt))
    assert other.format == fmt
    want = [line.cells or (line.text,) for line in document_lines(txt)]
    got = [line.cells or (line.text,) for line in document_lines(other)]
    assert len([b for b in other.blocks if isinstance(b, Table)]) >= 1
    # Cell texts agree; a PDF may split a row taller than a page into continuation rows.
    if fmt == "docx":
        assert got == want
    else:
        assert set(want) - set(got) == {w for w in want if len(" ".join(w)) > 2500}


@pytest.mark.parametrize("name", corpus_names())
def test_docx_rendering_reads_back_line_for_line(name: str) -> None:
    txt = read_document(render(name, "txt"))
    docx = read_document(render(name, "docx"))
    assert [(ln.text, ln.cells) for ln in document_lines(docx)] == [
        (ln.text, ln.cells) for ln in document_lines(txt)
    ]


# Small PDFs with one-cell boxes, layout tables and step tables (a few pages each: pdfplumber is slow).
PDF_DOCS = [
    "hatinh_qd84-2025-qdubnd_baibo-qd-cocau-songoaivu",
    "nghean_qd3857-2025_quytrinhnoibo_taichinhdatdai",
    "quangtri_qd2828-2025_danhmuc-tthc-noibo-baibo_khoahoc",
]


@pytest.mark.parametrize("name", PDF_DOCS)
def test_pdf_rendering_reads_back_the_same_paragraphs(name: str) -> None:
    txt = read_document(render(name, "txt"))
    pdf = read_document(render(name, "pdf"))
    assert paragraphs(pdf) == paragraphs(txt)
    assert len([b for b in pdf.blocks if isinstance(b, Table)]) >= len(
        [b for b in txt.blocks if isinstance(b, Table)]
    )


def test_all_text_is_nfc(plan: dict[str, RawDocument]) -> None:
    for raw in plan.values():
        text = document_text(raw)
        assert text == unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------------------------- docx specifics


def _docx_with_merges(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Quy trình nội bộ")
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Bước"
    table.cell(0, 1).text = "Nội dung"
    table.cell(0, 2).text = "Thời gian"
    table.cell(1, 0).text = "B1"
    table.cell(1, 1).text = "Tiếp nhận hồ sơ"
    top = table.cell(1, 2)
    top.text = "04 giờ"
    top.merge(table.cell(2, 2))  # vertical merge over two rows
    merged = table.cell(2, 0).merge(table.cell(2, 1))  # horizontal merge over two columns
    merged.text = "Trả kết quả"
    # Two paragraphs in one cell, and a nested table in another.
    table.cell(0, 1).add_paragraph("(mô tả)")
    nested = table.cell(1, 0).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "lồng 1"
    nested.cell(0, 1).text = "lồng 2"
    # A floating drawing whose position offsets are XML text that must not leak into the paragraph.
    paragraph = document.add_paragraph("Có hình vẽ")
    drawing = parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:anchor><wp:positionH relativeFrom="column"><wp:posOffset>123456</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>98765</wp:posOffset></wp:positionV>'
        "</wp:anchor></w:drawing>"
    )
    paragraph.add_run()._r.append(drawing)
    paragraph.add_run(" ở đây.")
    document.save(str(path))
    return path


def test_docx_merged_cells_read_once_with_span(tmp_path: Path) -> None:
    raw = read_document(_docx_with_merges(tmp_path / "merged.docx"))
    table = next(b for b in raw.blocks if isinstance(b, Table))
    header, step, last = table.rows
    assert header == (Cell(text="Bước"), Cell(text="Nội dung (mô tả)"), Cell(text="Thời gian"))
    assert step[0].text == "B1 lồng 1 lồng 2"  # nested table flattened into its cell
    assert step[1:] == (Cell(text="Tiếp nhận hồ sơ"), Cell(text="04 giờ"))
    # The horizontal merge is one cell spanning two columns; the vertically covered cell is empty.
    assert last == (Cell(text="Trả kết quả", span=2), Cell(text=""))
    assert sum(c.span for c in last) == 3


def test_docx_drawing_offsets_do_not_leak(tmp_path: Path) -> None:
    raw = read_document(_docx_with_merges(tmp_path / "drawing.docx"))
    text = document_text(raw)
    assert "Có hình vẽ ở đây." in text
    assert "123456" not in text and "98765" not in text


def test_docx_page_break_between_paragraphs_rejoins(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("Ứng dụng công nghệ thông tin nhằm nâng")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("cao chất lượng phục vụ.")
    document.add_paragraph("Điều 2. Hiệu lực")
    path = tmp_path / "split.docx"
    document.save(str(path))
    assert paragraphs(read_document(path)) == [
        "Ứng dụng công nghệ thông tin nhằm nâng cao chất lượng phục vụ.",
        "Điều 2. Hiệu lực",
    ]


def test_docx_two_tables_stay_two_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for label in ("A", "B"):
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = label
        table.cell(0, 1).text = label.lower()
    path = tmp_path / "two.docx"
    document.save(str(path))
    tables = [b for b in read_document(path).blocks if isinstance(b, Table)]
    assert [t.texts() for t in tables] == [[["A", "a"]], [["B", "b"]]]


# -------------------------------------------------------------------------------------- pdf specifics


def _pdf(path: Path, pages: list[str], *, table: list[list[str]] | None = None) -> Path:
    from fpdf import FPDF

    fonts = Path(__file__).parent / "fixtures" / "fonts"
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
        if table is not None:
            pdf.ln(4)
            with pdf.table(first_row_as_headings=False) as t:
                for cells in table:
                    row = t.row()
                    for i, cell in enumerate(cells):
                        if cell != "<span>":
                            span = 2 if i + 1 < len(cells) and cells[i + 1] == "<span>" else 1
                            row.cell(cell, colspan=span)
    pdf.output(str(path))
    return path


def test_pdf_nfd_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Thủ tục hành chính nội bộ được công bố.")
    assert nfd != unicodedata.normalize("NFC", nfd)
    raw = read_document(_pdf(tmp_path / "nfd.pdf", [nfd]))
    assert paragraphs(raw) == ["Thủ tục hành chính nội bộ được công bố."]


def test_pdf_merged_cells_and_blank_page(tmp_path: Path) -> None:
    table = [
        ["Bước", "Nội dung", "Thời gian"],
        ["B1", "Tiếp nhận", "04 giờ"],
        ["Tổng cộng", "<span>", "04 giờ"],
    ]
    raw = read_document(_pdf(tmp_path / "merge.pdf", ["Quy trình", ""], table=table))
    tables = [b for b in raw.blocks if isinstance(b, Table)]
    assert tables[0].rows[2] == (Cell(text="Tổng cộng", span=2), Cell(text="04 giờ"))
    assert tables[0].rows[0] == (Cell(text="Bước"), Cell(text="Nội dung"), Cell(text="Thời gian"))
    assert raw.warnings == ()


def test_pdf_page_without_text_gives_a_warning(tmp_path: Path) -> None:
    raw = read_document(_pdf(tmp_path / "gap.pdf", ["Trang có chữ.", "", "Trang cuối có chữ."]))
    assert raw.warnings == ("page 2: blank (no text, nothing drawn)",)
    assert paragraphs(raw) == ["Trang có chữ.", "Trang cuối có chữ."]


def test_pdf_table_continued_on_next_page_keeps_its_heading_row(tmp_path: Path) -> None:
    from fpdf import FPDF

    fonts = Path(__file__).parent / "fixtures" / "fonts"
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    with pdf.table(first_row_as_headings=True, repeat_headings=1) as t:
        for cells in [["Bước", "Nội dung"]] + [[f"B{i}", f"Việc số {i}"] for i in range(1, 61)]:
            row = t.row()
            for cell in cells:
                row.cell(cell)
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    tables = [b for b in read_document(path).blocks if isinstance(b, Table)]
    assert len(tables) >= 2 and tables[0].page == 1 and tables[1].page == 2
    heading = (Cell(text="Bước"), Cell(text="Nội dung"))
    assert all(t.rows[0] == heading for t in tables)
    body = [row for t in tables for row in t.rows if row != heading]
    assert [row[0].text for row in body] == [f"B{i}" for i in range(1, 61)]


def test_docx_automatic_numbering_is_rendered(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "\uf0b7")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    outline = [
        (0, "MỤC ĐÍCH, YÊU CẦU"),
        (1, "Mục đích"),
        (3, "Tiếp tục cụ thể hóa"),
        (1, "Yêu cầu"),
        (2, "đồng bộ"),
        (2, "thống nhất"),
        (0, "CÁC CHỈ TIÊU"),
        (1, "Chỉ đạo điều hành"),
    ]
    for level, text in outline:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    document.add_paragraph("Không đánh số.")
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    assert paragraphs(read_document(path)) == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Tiếp tục cụ thể hóa",
        "2. Yêu cầu",
        "a) đồng bộ",
        "b) thống nhất",
        "II. CÁC CHỈ TIÊU",
        "1. Chỉ đạo điều hành",
        "Không đánh số.",
    ]


def test_pdf_borderless_two_column_header_becomes_a_layout_table(tmp_path: Path) -> None:
    from fpdf import FPDF

    fonts = Path(__file__).parent / "fixtures" / "fonts"
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    header = [
        ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("TỈNH HÀ TĨNH", "Độc lập - Tự do - Hạnh phúc"),
        ("Số: 2873/QĐ-UBND", "Hà Tĩnh, ngày 19 tháng 11 năm 2025"),
    ]
    for left, right in header:
        pdf.set_x(15)
        pdf.cell(70, 6, left, align="C")
        pdf.set_x(95)
        pdf.cell(100, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "QUYẾT ĐỊNH Công bố danh mục thủ tục hành chính nội bộ trong lĩnh vực chứng thực.")
    path = tmp_path / "header.pdf"
    pdf.output(str(path))
    raw = read_document(path)
    table = raw.blocks[0]
    assert isinstance(table, Table)
    assert table.texts() == [list(row) for row in header]
    assert paragraphs(raw) == [
        "QUYẾT ĐỊNH Công bố danh mục thủ tục hành chính nội bộ trong lĩnh vực chứng thực."
    ]


def test_legacy_tcvn3_text_is_converted_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "tcvn3.txt"
    path.write_text(
        "QuyÕt ®Þnh cña Thñ t−íng ChÝnh phñ vÒ viÖc ban hµnh quy chÕ lµm viÖc.\n" * 5, encoding="utf-8"
    )
    raw = read_document(path)
    assert raw.warnings == ("5 lines in the legacy encoding TCVN3 converted to Unicode",)
    assert paragraphs(raw)[0].startswith(
        "Quyết định của Thủ tướng Chính phủ về việc ban hành quy chế làm việc."
    )
    assert read_document(render(PLAN, "txt")).warnings == ()


def test_docx_tab_laid_out_header_becomes_a_layout_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    document.add_paragraph("TỈNH HÀ TĨNH\t\tĐộc lập - Tự do - Hạnh phúc")
    document.add_paragraph("1.\tMục đích")  # a list number and a tab: still a paragraph
    document.add_paragraph("\tThực hiện Quyết định số 2629/QĐ-UBND.")  # an indent: a paragraph
    path = tmp_path / "tabs.docx"
    document.save(str(path))
    raw = read_document(path)
    assert isinstance(raw.blocks[0], Table)
    assert raw.blocks[0].texts() == [
        ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["TỈNH HÀ TĨNH", "Độc lập - Tự do - Hạnh phúc"],
    ]
    assert paragraphs(raw) == ["1. Mục đích", "Thực hiện Quyết định số 2629/QĐ-UBND."]
