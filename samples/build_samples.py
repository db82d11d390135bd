"""Build the department's illustrative sample documents (.docx and .pdf) from one content model.

TÀI LIỆU MINH HỌA: these are made-up documents in the Hà Tĩnh annex layout (docs/FORMATS.md), written for
procreg's demo and tests. They are not real decisions of Sở Ngoại vụ Hà Tĩnh.

    .venv/bin/python samples/build_samples.py            # rewrites samples/*.docx and samples/*.pdf

Output is deterministic (fixed document properties and PDF creation date).
"""

# ruff: noqa: E501 - the Vietnamese document text is data; long lines keep sentences whole
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FONT = ROOT / "tests" / "fixtures" / "fonts" / "DejaVuSans.ttf"
FONT_BOLD = ROOT / "tests" / "fixtures" / "fonts" / "DejaVuSans-Bold.ttf"
MARK = "TÀI LIỆU MINH HỌA"
FIXED = dt.datetime(2023, 6, 30, 8, 0, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    center: bool = False


@dataclass(frozen=True)
class Grid:
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative widths
    border: bool = True
    head: bool = False


Block = Para | Grid


@dataclass(frozen=True)
class Step:
    label: str
    text: str
    unit: str
    time: str
    result: str


@dataclass(frozen=True)
class Proc:
    code: str
    name: str
    field: str
    limit: str
    basis: str
    condition: str
    files: tuple[str, ...]
    result: str
    steps: tuple[Step, ...]


RECEIVE = "Tiếp nhận hồ sơ (trực tiếp, qua bưu chính hoặc Hệ thống quản lý văn bản và điều hành); kiểm tra tính đầy đủ"
FORMS = (
    "Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả; Mẫu 02 Phiếu yêu cầu bổ sung hoàn thiện hồ sơ; "
    "Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ; Mẫu 06 Sổ theo dõi hồ sơ"
)
RECORDS = "Hồ sơ lưu tại phòng chủ trì giải quyết; thời gian lưu 05 năm, sau đó chuyển lưu trữ cơ quan"

PROCS_A = (
    Proc(
        code="QT.NV.01",
        name="Cho phép tổ chức hội nghị, hội thảo quốc tế thuộc thẩm quyền của Chủ tịch UBND tỉnh",
        field="Hội nghị, hội thảo quốc tế",
        limit="15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        basis="Quyết định số 06/2020/QĐ-TTg ngày 21/02/2020 của Thủ tướng Chính phủ về tổ chức và quản lý hội nghị, "
        "hội thảo quốc tế tại Việt Nam",
        condition="Cơ quan, đơn vị tổ chức có văn bản đề nghị gửi trước ngày dự kiến tổ chức ít nhất 30 ngày",
        files=(
            "Văn bản đề nghị cho phép tổ chức hội nghị, hội thảo quốc tế",
            "Đề án tổ chức hội nghị, hội thảo (mục đích, thời gian, địa điểm, thành phần, nguồn kinh phí)",
        ),
        result="Văn bản cho phép hoặc không cho phép tổ chức hội nghị, hội thảo quốc tế",
        steps=(
            Step("B1", RECEIVE, "Văn thư", "Giờ hành chính", "Mẫu 01, 02 (nếu có), 06"),
            Step("B2", "Phân công xử lý hồ sơ", "Lãnh đạo Sở", "0,5 ngày làm việc", "Mẫu 05"),
            Step(
                "B3",
                "Thẩm định hồ sơ; lấy ý kiến Công an tỉnh và cơ quan liên quan; dự thảo văn bản trình",
                "Phòng Hợp tác quốc tế",
                "10 ngày làm việc",
                "Dự thảo tờ trình, văn bản",
            ),
            Step("B4", "Xem xét, ký tờ trình trình UBND tỉnh", "Lãnh đạo Sở", "01 ngày làm việc", "Tờ trình"),
            Step(
                "B5",
                "Theo dõi, nhận kết quả từ UBND tỉnh; đóng dấu, phát hành",
                "Văn phòng - Thanh tra Sở; Văn thư",
                "3,5 ngày làm việc",
                "Văn bản kết quả",
            ),
            Step("B6", "Trả kết quả cho cơ quan, đơn vị đề nghị", "Văn thư", "Giờ hành chính", "Mẫu 06"),
        ),
    ),
    Proc(
        code="QT.NV.02",
        name="Cử cán bộ, công chức, viên chức đi công tác nước ngoài (đoàn ra)",
        field="Quản lý đoàn ra",
        limit="07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        basis="Quy chế quản lý thống nhất các hoạt động đối ngoại trên địa bàn tỉnh Hà Tĩnh",
        condition="Chuyến công tác có trong kế hoạch đoàn ra hằng năm hoặc được cấp có thẩm quyền đồng ý",
        files=(
            "Văn bản đề nghị cử cán bộ đi công tác nước ngoài",
            "Thư mời của đối tác nước ngoài (kèm bản dịch tiếng Việt)",
            "Danh sách đoàn, lịch trình, dự toán kinh phí",
        ),
        result="Quyết định cử cán bộ đi công tác nước ngoài",
        steps=(
            Step("B1", RECEIVE, "Văn thư", "Giờ hành chính", "Mẫu 01, 06"),
            Step("B2", "Phân công xử lý hồ sơ", "Lãnh đạo Sở", "0,5 ngày làm việc", "Mẫu 05"),
            Step(
                "B3",
                "Thẩm định hồ sơ, dự thảo quyết định cử đoàn",
                "Văn phòng - Thanh tra Sở",
                "05 ngày làm việc",
                "Dự thảo quyết định",
            ),
            Step("B4", "Xem xét, ký quyết định", "Lãnh đạo Sở", "01 ngày làm việc", "Quyết định"),
            Step("B5", "Đóng dấu, phát hành, trả kết quả", "Văn thư", "0,5 ngày làm việc", "Mẫu 06"),
        ),
    ),
)

PROCS_B = (
    Proc(
        code="QT.NV.03",
        name="Đón, tiếp khách nước ngoài đến thăm, làm việc tại tỉnh (đoàn vào)",
        field="Lễ tân đối ngoại",
        limit="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        basis="Quyết định số 51/2019/QĐ-UBND ngày 20/9/2019 của UBND tỉnh Quy định về nghi lễ đối ngoại trong việc "
        "đón, tiếp khách nước ngoài đến thăm, làm việc và tham dự các sự kiện trên địa bàn tỉnh Hà Tĩnh",
        condition="Cơ quan, đơn vị mời hoặc tiếp đoàn gửi văn bản đề nghị trước ngày đón đoàn ít nhất 10 ngày",
        files=(
            "Văn bản đề nghị đón, tiếp đoàn khách nước ngoài",
            "Danh sách thành viên đoàn, chương trình làm việc dự kiến",
        ),
        result="Văn bản đồng ý, hướng dẫn nghi lễ đón tiếp hoặc văn bản trả lời",
        steps=(
            Step("B1", RECEIVE, "Văn thư", "Giờ hành chính", "Mẫu 01, 06"),
            Step("B2", "Phân công xử lý hồ sơ", "Lãnh đạo Sở", "0,5 ngày làm việc", "Mẫu 05"),
            Step(
                "B3",
                "Thẩm định; xác định nghi lễ đối ngoại theo cấp đoàn; dự thảo văn bản",
                "Phòng Hợp tác quốc tế",
                "03 ngày làm việc",
                "Dự thảo văn bản",
            ),
            Step("B4", "Xem xét, ký văn bản", "Lãnh đạo Sở", "01 ngày làm việc", "Văn bản"),
            Step("B5", "Đóng dấu, phát hành, trả kết quả", "Văn thư", "0,5 ngày làm việc", "Mẫu 06"),
        ),
    ),
    Proc(
        code="QT.NV.04",
        name="Cho phép sử dụng thẻ đi lại của doanh nhân APEC (ABTC)",
        field="Thẻ ABTC",
        limit="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        basis="Nghị định số 59/2019/NĐ-CP ngày 01/7/2019 của Chính phủ quy định chi tiết Luật Quản lý, sử dụng thẻ đi "
        "lại của doanh nhân APEC; Quyết định số 45/2019/QĐ-UBND ngày 10/9/2019 của UBND tỉnh",
        condition="Doanh nhân làm việc tại doanh nghiệp có trụ sở trên địa bàn tỉnh, đáp ứng điều kiện theo quy định",
        files=(
            "Văn bản đề nghị cho phép sử dụng thẻ ABTC",
            "Bản sao hộ chiếu còn thời hạn",
            "Ý kiến xác minh của Công an tỉnh",
        ),
        result="Văn bản cho phép sử dụng thẻ ABTC hoặc văn bản trả lời",
        steps=(
            Step("B1", RECEIVE, "Văn thư", "Giờ hành chính", "Mẫu 01, 02 (nếu có), 06"),
            Step("B2", "Phân công xử lý hồ sơ", "Lãnh đạo Sở", "0,5 ngày làm việc", "Mẫu 05"),
            Step(
                "B3",
                "Thẩm định hồ sơ, phối hợp Công an tỉnh xác minh; dự thảo văn bản",
                "Phòng Quản lý Biên giới",
                "03 ngày làm việc",
                "Dự thảo văn bản",
            ),
            Step("B4", "Xem xét, ký văn bản", "Lãnh đạo Sở", "01 ngày làm việc", "Văn bản"),
            Step("B5", "Đóng dấu, phát hành, trả kết quả", "Văn thư", "01 ngày làm việc", "Mẫu 06"),
        ),
    ),
)


def header(number: str, day: str, month: str, year: str, *, agency: str = "SỞ NGOẠI VỤ") -> list[Block]:
    return [
        Para(
            f"{MARK} — văn bản mẫu, không phải văn bản thật của Sở Ngoại vụ Hà Tĩnh", bold=True, center=True
        ),
        Grid(
            rows=(
                (
                    f"UBND TỈNH HÀ TĨNH\n{agency}",
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                ),
                (f"Số: {number}", f"Hà Tĩnh, ngày {day} tháng {month} năm {year}"),
            ),
            widths=(4, 6),
            border=False,
        ),
    ]


def signature(position: str, name: str, recipients: str) -> Grid:
    return Grid(
        rows=((f"Nơi nhận:\n{recipients}", f"{position}\n(đã ký)\n{name}"),), widths=(5, 5), border=False
    )


def annex(procs: tuple[Proc, ...], decision: str) -> list[Block]:
    out: list[Block] = [
        Para(
            "DANH MỤC VÀ QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH NỘI BỘ LĨNH VỰC NGOẠI VỤ", bold=True, center=True
        ),
        Para(f"(Kèm theo Quyết định số {decision} của Giám đốc Sở Ngoại vụ)", center=True),
        Para("A. DANH MỤC THỦ TỤC HÀNH CHÍNH", bold=True),
    ]
    rows: list[tuple[str, ...]] = [
        (
            "TT",
            "Tên thủ tục hành chính",
            "Lĩnh vực",
            "Thời hạn giải quyết",
            "Địa điểm thực hiện",
            "Phí, lệ phí",
            "Căn cứ pháp lý",
        )
    ]
    for i, p in enumerate(procs, start=1):
        place = "Sở Ngoại vụ tỉnh Hà Tĩnh" if i == 1 else "Như trên"
        rows.append((str(i), p.name, p.field, p.limit, place, "Không", p.basis))
    out.append(Grid(rows=tuple(rows), widths=(1, 5, 3, 3, 2, 2, 5), head=True))
    out.append(Para("B. QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH", bold=True))
    for i, p in enumerate(procs, start=1):
        out.append(Para(f"{i}. {p.name}", bold=True))
        files = "; ".join(f"- {f}" for f in p.files)
        out.append(
            Grid(
                rows=(
                    ("1", "KÝ HIỆU QUY TRÌNH", p.code),
                    ("2", "NỘI DUNG QUY TRÌNH", ""),
                    ("2.1", f"Điều kiện thực hiện TTHC: {p.condition}", ""),
                    (
                        "2.2",
                        "Cách thức thực hiện TTHC: Trực tiếp hoặc qua Hệ thống quản lý văn bản và điều hành",
                        "",
                    ),
                    ("2.3", f"Thành phần hồ sơ, bao gồm: {files}", ""),
                    ("2.4", "Số lượng hồ sơ: 01 (bộ)", ""),
                    ("2.5", f"Thời hạn giải quyết: {p.limit}", ""),
                    (
                        "2.6",
                        "Địa điểm tiếp nhận hồ sơ và trả kết quả giải quyết TTHC: Văn thư Sở Ngoại vụ",
                        "",
                    ),
                    (
                        "2.7",
                        "Cơ quan thực hiện: Sở Ngoại vụ; Cơ quan phối hợp: Công an tỉnh và cơ quan liên quan",
                        "",
                    ),
                    (
                        "2.8",
                        "Đối tượng thực hiện TTHC: Cơ quan, đơn vị trong hệ thống hành chính nhà nước",
                        "",
                    ),
                    ("2.9", f"Kết quả giải quyết TTHC: {p.result}", ""),
                    ("2.10", "Quy trình xử lý công việc", ""),
                ),
                widths=(1, 8, 3),
            )
        )
        steps = [("TT", "Trình tự", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả")]
        steps += [(s.label, s.text, s.unit, s.time, s.result) for s in p.steps]
        out.append(Grid(rows=tuple(steps), widths=(1, 6, 3, 2, 3), head=True))
        out.append(Grid(rows=(("3", "BIỂU MẪU", FORMS), ("4", "HỒ SƠ LƯU", RECORDS)), widths=(1, 3, 8)))
    return out


def decision(
    number: str, date: tuple[str, str, str], procs: tuple[Proc, ...], *, publicize: bool, subject: str
) -> list[Block]:
    day, month, year = date
    article2 = (
        "Điều 2. Giao Văn phòng - Thanh tra Sở chủ trì, phối hợp với các phòng chuyên môn, trong thời hạn 03 ngày "
        "làm việc kể từ ngày ký công khai Danh mục và Quy trình nội bộ các TTHC nội bộ tại Điều 1 trên Cổng thông "
        "tin điện tử của Sở Ngoại vụ và cơ sở dữ liệu quốc gia về TTHC."
        if publicize
        else "Điều 2. Các phòng chuyên môn thuộc Sở tổ chức thực hiện Quy trình nội bộ tại Điều 1 theo đúng trình tự, "
        "thời gian quy định."
    )
    n = len(procs)
    return [
        *header(number, day, month, year),
        Para("QUYẾT ĐỊNH", bold=True, center=True),
        Para(subject, bold=True, center=True),
        Para("GIÁM ĐỐC SỞ NGOẠI VỤ", bold=True, center=True),
        Para(
            "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ ban hành Kế hoạch rà soát, "
            "đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước giai đoạn 2022 - 2025;"
        ),
        Para(
            "Căn cứ Kế hoạch số 01/KH-SNgV ngày 10/01/2023 của Sở Ngoại vụ về cải cách hành chính năm 2023;"
        ),
        Para("Theo đề nghị của Chánh Văn phòng - Thanh tra Sở."),
        Para("QUYẾT ĐỊNH:", bold=True, center=True),
        Para(
            f"Điều 1. Công bố kèm theo Quyết định này Danh mục và Quy trình nội bộ {n:02d} thủ tục hành chính nội bộ "
            "lĩnh vực ngoại vụ thuộc thẩm quyền giải quyết của Sở Ngoại vụ tỉnh Hà Tĩnh."
        ),
        Para(article2),
        Para("Điều 3. Quyết định này có hiệu lực kể từ ngày ký."),
        Para(
            "Điều 4. Chánh Văn phòng - Thanh tra Sở, Trưởng các phòng chuyên môn thuộc Sở và các tổ chức, cá nhân "
            "có liên quan chịu trách nhiệm thi hành Quyết định này./."
        ),
        signature(
            "GIÁM ĐỐC", "Nguyễn Văn Minh (tên minh họa)", "- Như Điều 4;\n- Lãnh đạo Sở;\n- Lưu: VT, VPTTr."
        ),
        *annex(procs, f"{number} ngày {day}/{month}/{year}"),
    ]


def review_report() -> list[Block]:
    return [
        *header("18/BC-SNgV", "05", "6", "2023"),
        Para("BÁO CÁO", bold=True, center=True),
        Para(
            "Kết quả rà soát, đánh giá thủ tục hành chính nội bộ và phương án đơn giản hóa năm 2023",
            bold=True,
            center=True,
        ),
        Para(
            "Thực hiện Kế hoạch số 01/KH-SNgV ngày 10/01/2023 của Sở Ngoại vụ về cải cách hành chính năm 2023, "
            "Văn phòng - Thanh tra Sở đã chủ trì rà soát các thủ tục hành chính nội bộ thuộc thẩm quyền giải "
            "quyết của Sở. Sở Ngoại vụ báo cáo kết quả như sau:"
        ),
        Para("I. KẾT QUẢ RÀ SOÁT", bold=True),
        Para(
            "1. Quy trình QT.NV.01 Cho phép tổ chức hội nghị, hội thảo quốc tế thuộc thẩm quyền của Chủ tịch UBND "
            "tỉnh: đã rà soát; phương án đơn giản hóa: cắt giảm thời gian thẩm định tại bước B3 từ 10 xuống 08 ngày "
            "làm việc."
        ),
        Para(
            "2. Quy trình QT.NV.03 Đón, tiếp khách nước ngoài đến thăm, làm việc tại tỉnh (đoàn vào): đã rà soát; "
            "giữ nguyên quy trình, cập nhật nghi lễ đối ngoại theo Quyết định số 51/2019/QĐ-UBND."
        ),
        Para("II. PHƯƠNG ÁN ĐƠN GIẢN HÓA", bold=True),
        Para(
            "Đề nghị thông qua phương án đơn giản hóa thủ tục hành chính nội bộ nêu tại mục I; các thủ tục còn lại "
            "được rà soát trong 6 tháng cuối năm."
        ),
        signature(
            "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Trần Thị Lan (tên minh họa)", "- Văn phòng UBND tỉnh;\n- Lưu: VT."
        ),
    ]


DOCUMENTS: dict[str, list[Block]] = {
    "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra": decision(
        "45/QĐ-SNgV",
        ("15", "3", "2023"),
        PROCS_A,
        publicize=True,
        subject="Về việc công bố Danh mục và Quy trình nội bộ thủ tục hành chính nội bộ lĩnh vực hội nghị, hội thảo "
        "quốc tế và quản lý đoàn ra thuộc thẩm quyền giải quyết của Sở Ngoại vụ tỉnh Hà Tĩnh",
    ),
    "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc": decision(
        "52/QĐ-SNgV",
        ("20", "4", "2023"),
        PROCS_B,
        publicize=False,
        subject="Về việc công bố Danh mục và Quy trình nội bộ thủ tục hành chính nội bộ lĩnh vực lễ tân đối ngoại "
        "và thẻ đi lại của doanh nhân APEC thuộc thẩm quyền giải quyết của Sở Ngoại vụ tỉnh Hà Tĩnh",
    ),
    "bc-18-sngv-2023_ra-soat-tthc-noibo": review_report(),
}


def write_docx(blocks: list[Block], path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(12)
    for block in blocks:
        if isinstance(block, Para):
            p = d.add_paragraph()
            run = p.add_run(block.text)
            run.bold = block.bold
            if block.center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        ncols = max(len(r) for r in block.rows)
        t = d.add_table(rows=0, cols=ncols)
        if block.border:
            t.style = "Table Grid"
        for r, row in enumerate(block.rows):
            cells = t.add_row().cells
            if len(row) == 3 and row[2] == "" and block.border and ncols == 3:
                # Key/value rows of the quy trình table: the text spans the last two columns.
                merged = cells[1].merge(cells[2])
                merged.text = row[1]
                cells[0].text = row[0]
                continue
            for i, text in enumerate(row):
                cells[i].text = text
                if block.head and r == 0:
                    for para in cells[i].paragraphs:
                        for run in para.runs:
                            run.bold = True
    props = d.core_properties
    props.author = "procreg samples"
    props.title = MARK
    props.created = FIXED.replace(tzinfo=None)
    props.modified = FIXED.replace(tzinfo=None)
    props.last_modified_by = "procreg samples"
    props.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    _rezip(buf.getvalue(), path)


def _rezip(data: bytes, path: Path) -> None:
    """Rewrite the .docx zip with fixed entry timestamps, so the file is byte-for-byte reproducible."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2023, 6, 30, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))


def write_pdf(blocks: list[Block], path: Path) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_creator("procreg samples")
    pdf.set_title(MARK)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    for block in blocks:
        if isinstance(block, Para):
            pdf.set_font("DejaVu", "B" if block.bold else "", 10)
            pdf.multi_cell(
                0, 5.5, block.text, align="C" if block.center else "J", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(1)
            continue
        pdf.set_font("DejaVu", "", 9)
        ncols = max(len(r) for r in block.rows)
        widths = block.widths if len(block.widths) == ncols else tuple([1] * ncols)
        with pdf.table(
            col_widths=widths,
            borders_layout="ALL" if block.border else "NONE",
            first_row_as_headings=block.head,
            headings_style=FontFace(emphasis="BOLD"),
            line_height=4.6,
            text_align="LEFT",
        ) as table:
            for row in block.rows:
                r = table.row()
                if len(row) == 3 and row[2] == "" and block.border and ncols == 3:
                    r.cell(row[0])
                    r.cell(row[1], colspan=2)
                    continue
                for text in row:
                    r.cell(text)
        pdf.ln(2)
    pdf.output(str(path))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, blocks in DOCUMENTS.items():
        write_docx(blocks, out / f"{name}.docx")
        write_pdf(blocks, out / f"{name}.pdf")
        print(f"wrote {out / name}.docx and .pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
