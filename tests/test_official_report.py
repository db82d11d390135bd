"""The official report as LibreOffice prints it (Nghị định 30/2020/NĐ-CP), and the spreadsheets it reads.

The .docx of a report long enough to run over several pages is converted to PDF by LibreOffice and read
back with pdfplumber: the agency and motto blocks with their rule lines, "Số: …/BC-…", the place and
date, BÁO CÁO and its subject, "Nơi nhận" and the signature; a page number at the top centre of every
page from page 2 (the decree shows none on page 1); every table on every page opens with its header row;
no table row is split between two pages. The .xlsx goes through LibreOffice Calc and back, the CSV is
imported as LibreOffice reads it: Vietnamese intact, no formula.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Any

import pytest
from conftest import requires_tool
from office import SOFFICE_INSTALL, calc_missing, convert

from procreg.presentation.reports import render_csv
from procreg.presentation.reports.common import (
    EVIDENCE_HEAD,
    FINDING_HEAD,
    GAP_HEAD,
    GROUP_HEAD,
    SUMMARY_HEAD,
)
from procreg.presentation.reports.docx import docx_bytes
from procreg.presentation.reports.xlsx import xlsx_bytes
from procreg.procedures.audit import AuditItem, Finding, Proof, TargetRef, audit_coverage
from procreg.registry.results import ReportSettings

needs_soffice = requires_tool("soffice", SOFFICE_INSTALL)
MM = 72 / 25.4  # points per millimetre
SETTINGS = ReportSettings(
    agency="Sở Ngoại vụ",
    parent_agency="UBND tỉnh Hà Tĩnh",
    place="Hà Tĩnh",
    signer_name="Nguyễn Văn Minh",
    signer_position="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    report_symbol="SNgV",
    recipients="UBND tỉnh (để b/c); Sở Nội vụ; Văn phòng UBND tỉnh",
)
_ACTS = (
    "Cho phép tổ chức hội nghị, hội thảo quốc tế thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân tỉnh",
    "Cử cán bộ, công chức, viên chức đi công tác nước ngoài theo kế hoạch đoàn ra hằng năm",
    "Đón, tiếp khách nước ngoài đến thăm và làm việc tại tỉnh (đoàn vào)",
    "Cho phép sử dụng thẻ đi lại của doanh nhân APEC (ABTC) cho doanh nhân trên địa bàn tỉnh",
    "Thẩm định nội dung ký kết thỏa thuận quốc tế của cơ quan cấp tỉnh",
    "Tiếp nhận và xử lý thông tin về công dân Việt Nam gặp nạn ở nước ngoài",
)
_UNITS = ("Phòng Hợp tác quốc tế", "Văn phòng - Thanh tra Sở", "Phòng Quản lý Biên giới")
NAMES = {f"QT.TS.{n:02d}": f"{_ACTS[n % len(_ACTS)]} (mẫu {n})" for n in range(1, 31)}


def _report() -> Any:
    items = []
    for n, (code, name) in enumerate(NAMES.items(), 1):
        proofs = [
            Proof(verb="published", document="x", date="2023-03-15", source="document", number="45/QĐ-SNgV"),
            Proof(verb="reviewed", document="x", date="2023-06-05", source="document", number="18/BC-SNgV"),
        ]
        if n % 3:
            proofs.append(
                Proof(verb="publicized", document="công khai", date="2023-05-04", where="Cổng TTĐT")
            )
        items.append(
            AuditItem(
                key=code,
                code=code,
                name=name,
                unit=_UNITS[n % 3],
                field=f"Lĩnh vực {n % 4 + 1}",
                catalog=True,
                process=True,
                proofs=tuple(proofs),
            )
        )
    target = TargetRef(value=90.0, source="Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3")
    report = audit_coverage(items, target=target, period_from="2023-01-01", period_to="2023-12-31")
    finding = Finding(check="review_overdue", severity="warning", subject="QT.TS.01", message="quá 12 tháng")
    return report.with_findings([finding])


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.fixture(scope="module")
def pdf() -> Any:
    """The report's PDF as LibreOffice prints the .docx (tests using it are marked ``needs_soffice``)."""
    import pdfplumber

    path = convert(docx_bytes(_report(), dated="2023-12-31", settings=SETTINGS), ".docx", "pdf")
    with pdfplumber.open(path) as doc:
        yield doc


def _find(page: Any, text: str) -> dict[str, float]:
    hits = page.search(re.escape(text), regex=True)
    assert hits, f"{text!r} not on page {page.page_number}"
    return dict(hits[0])


def _rules(
    page: Any, top: float, bottom: float, left: float = 0, right: float = 1e9
) -> list[tuple[float, float]]:
    """Horizontal rules (x0, x1) drawn between ``top`` and ``bottom`` and between ``left`` and ``right``.

    LibreOffice draws a paragraph border as a line or as a rectangle a fraction of a point high (or
    both); each rule counts once.
    """
    shapes = [*page.lines, *(r for r in page.rects if r["height"] < 1.5)]
    found = {
        (round(s["x0"], 1), round(s["x1"], 1))
        for s in shapes
        if top < s["top"] < bottom
        and abs(s["top"] - s["bottom"]) < 1.5
        and left <= s["x0"]
        and s["x1"] <= right
    }
    return sorted(found)


# --------------------------------------------------------------------------------------------------
# The page


@needs_soffice
def test_page_numbers_from_page_two_at_the_top_centre(pdf: Any) -> None:
    assert len(pdf.pages) >= 4
    centre = (30 + (210 - 15)) / 2 * MM  # the middle of the text width
    for page in pdf.pages:
        words = sorted(page.extract_words(), key=lambda w: w["top"])
        header = [w for w in words if w["top"] < 18 * MM]  # above the 20 mm top margin
        if page.page_number == 1:
            assert header == []  # Nghị định 30: the first page shows no number
            continue
        assert [w["text"] for w in header] == [str(page.page_number)], page.page_number
        assert abs((header[0]["x0"] + header[0]["x1"]) / 2 - centre) < 3 * MM


@needs_soffice
def test_the_page_one_number_setting_numbers_every_page() -> None:
    import dataclasses

    import pdfplumber

    numbered = dataclasses.replace(SETTINGS, page_one_number="có")
    path = convert(docx_bytes(_report(), dated="2023-12-31", settings=numbered), ".docx", "pdf")
    with pdfplumber.open(path) as doc:
        heads = [[w["text"] for w in page.extract_words() if w["top"] < 18 * MM] for page in doc.pages]
    assert len(heads) >= 4 and heads == [[str(n)] for n in range(1, len(heads) + 1)]


@needs_soffice
def test_first_page_carries_the_decree_blocks_with_their_rules(pdf: Any) -> None:
    page = pdf.pages[0]
    middle = (30 + 65) * MM  # the agency block is the first 65 mm of the text width
    parent, agency = _find(page, "UBND TỈNH HÀ TĨNH"), _find(page, "SỞ NGOẠI VỤ")
    number = _find(page, "/BC-SNgV")
    nation, motto = (
        _find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        _find(page, "Độc lập - Tự do - Hạnh phúc"),
    )
    date = _find(page, "Hà Tĩnh, ngày 31 tháng 12 năm 2023")
    kind = _find(page, "BÁO CÁO")
    subject = _find(page, "Kết quả rà soát, công bố, công khai thủ tục hành chính nội bộ năm 2023")
    assert parent["x1"] < middle < nation["x0"] and agency["x1"] < middle < motto["x0"]
    assert parent["top"] < agency["top"] < number["top"] and nation["top"] < motto["top"] < date["top"]
    assert abs(parent["top"] - nation["top"]) < 3 and date["top"] < kind["top"] < subject["top"]
    assert abs((kind["x0"] + kind["x1"]) / 2 - (30 + 195) / 2 * MM) < 3 * MM  # centred on the text
    agency_w, motto_w = agency["x1"] - agency["x0"], motto["x1"] - motto["x0"]
    under_agency = _rules(page, agency["bottom"], number["top"], right=middle)
    assert len(under_agency) == 1
    x0, x1 = under_agency[0]
    assert agency_w / 3 - 2 <= x1 - x0 <= agency_w / 2 + 2  # 1/3 to 1/2 of the agency line, centred
    assert abs((x0 + x1) / 2 - (agency["x0"] + agency["x1"]) / 2) < 2
    under_motto = _rules(page, motto["bottom"], date["top"], left=middle)
    assert len(under_motto) == 1
    x0, x1 = under_motto[0]
    assert abs((x1 - x0) - motto_w) < 0.08 * motto_w  # as long as the motto
    assert abs((x0 + x1) / 2 - (motto["x0"] + motto["x1"]) / 2) < 2
    assert len(_rules(page, subject["bottom"], subject["bottom"] + 12)) == 1  # under the subject
    italic = [
        c
        for c in page.chars
        if date["top"] - 1 < c["top"] < date["bottom"] and c["x0"] > middle and c["text"].strip()
    ]
    assert italic and all("Italic" in c["fontname"] for c in italic)
    bold = [c for c in page.chars if agency["top"] - 1 < c["top"] < agency["bottom"] and c["x1"] < middle]
    assert bold and all("Bold" in c["fontname"] for c in bold if c["text"].strip())


@needs_soffice
def test_last_page_has_the_recipients_beside_the_signature(pdf: Any) -> None:
    page = pdf.pages[-1]
    to, position = _find(page, "Nơi nhận:"), _find(page, "KT. GIÁM ĐỐC")
    name, keep = _find(page, "Nguyễn Văn Minh"), _find(page, "- Lưu: VT.")
    assert to["x1"] < page.width / 2 < position["x0"] and abs(to["top"] - position["top"]) < 3
    assert position["top"] < _find(page, "PHÓ GIÁM ĐỐC")["top"] < name["top"] - 40  # room to sign
    assert to["top"] < _find(page, "- UBND tỉnh (để b/c);")["top"] < keep["top"]


# --------------------------------------------------------------------------------------------------
# The tables

HEADS = [
    [_nfc(h) for h in head]
    for head in (
        SUMMARY_HEAD,
        ["Đơn vị", "Tổng", *GROUP_HEAD],
        ["Lĩnh vực", "Tổng", *GROUP_HEAD],
        GAP_HEAD,
        FINDING_HEAD,
        EVIDENCE_HEAD,
    )
]


def _tables(pdf: Any) -> list[tuple[int, list[list[str]]]]:
    out = []
    for page in pdf.pages:
        for table in page.find_tables():
            rows = [[_nfc(c or "") for c in row] for row in table.extract()]
            out.append((page.page_number, rows))
    return out


@needs_soffice
def test_every_table_on_every_page_opens_with_its_header_row(pdf: Any) -> None:
    tables = _tables(pdf)
    continued = [p for p, rows in tables if p >= 2]
    assert len(continued) >= 3  # the evidence table runs over several pages
    for page_number, rows in tables:
        if rows[0][0] == "Nơi nhận:":
            continue
        assert rows[0] in HEADS, (page_number, rows[0])
    pages_of_evidence = {p for p, rows in tables if rows[0] == HEADS[-1]}
    assert len(pages_of_evidence) >= 3 and min(pages_of_evidence) < max(pages_of_evidence)


@needs_soffice
def test_no_row_is_split_between_two_pages(pdf: Any) -> None:
    report = _report()
    expected = sum(len(i.evidence) for i in report.items)
    rows = [row for _, table in _tables(pdf) if table[0] == HEADS[-1] for row in table[1:]]
    assert len(rows) == expected
    for code, name, verb, cited, _where in rows:
        assert NAMES.get(code) == name, (code, name)  # a split row would leave a fragment here
        assert verb in ("Rà soát", "Công bố", "Công khai") and " ngày " in cited
    gaps = [row for _, table in _tables(pdf) if table[0] == HEADS[3] for row in table[1:]]
    assert [r[0] for r in gaps] == [i.code for i in report.items if not i.covered]


# --------------------------------------------------------------------------------------------------
# Spreadsheets through LibreOffice Calc


def _calc() -> None:
    reason = calc_missing()
    if reason:
        pytest.skip(reason)


def test_xlsx_reads_back_through_libreoffice_with_vietnamese_intact() -> None:
    import openpyxl

    _calc()
    data = xlsx_bytes(_report(), dated="2023-12-31", settings=SETTINGS)
    mine = openpyxl.load_workbook(io.BytesIO(data))
    theirs = openpyxl.load_workbook(convert(data, ".xlsx", "xlsx"))
    assert theirs.sheetnames == mine.sheetnames
    for ws in mine.worksheets:
        other = theirs[ws.title]  # (a headless conversion keeps no view settings: no frozen pane to compare)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert other[cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
                    assert other[cell.coordinate].data_type != "f"
    names = {row[0].value: row[1].value for row in theirs["Thủ tục"].iter_rows(min_row=2)}
    assert names == NAMES


def _report_with(name: str, unit: str) -> Any:
    item = AuditItem(key="x", code="QT.X.01", name=name, unit=unit, catalog=True, process=True)
    return audit_coverage(
        [item],
        target=TargetRef(value=90.0, source="--target 90"),
        period_from="2023-01-01",
        period_to="2023-12-31",
    )


def test_csv_imported_by_libreoffice_keeps_vietnamese_and_runs_no_formula() -> None:
    import openpyxl

    _calc()
    report = _report_with('=HYPERLINK("http://x","Bấm") Đón tiếp', "+cmd|' /C calc'!A0 Phòng Hợp tác quốc tế")
    data = b"\xef\xbb\xbf" + render_csv(report).encode("utf-8")  # as `procreg audit --csv -o` writes it
    expected = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    # The import dialog preselects UTF-8 from the byte-order mark; the command line has to say it.
    utf8 = openpyxl.load_workbook(convert(data, ".csv", "xlsx", infilter="CSV:44,34,76,1")).active
    got = [[("" if c.value is None else str(c.value)) for c in row] for row in utf8.iter_rows()]
    assert got[0][0] == "code"  # the byte-order mark is not read as text
    assert got[1][1] == expected[1][1] == '\'=HYPERLINK("http://x","Bấm") Đón tiếp'
    assert got[1][2] == "'+cmd|' /C calc'!A0 Phòng Hợp tác quốc tế"
    # Without options LibreOffice evaluates formulas (and reads Windows-1252): still none runs.
    default = openpyxl.load_workbook(convert(data, ".csv", "xlsx")).active
    assert all(c.data_type != "f" for row in default.iter_rows() for c in row)
