"""Hand-built procedure records shared by the graph, export and diagram tests.

QT.GĐ.01 is copied from tests/corpus/vn-admin-docs/hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt
(B1..B8 with units and times, legal limit "20 ngày", Σ 160 working hours).
"""

from __future__ import annotations

from procreg.registry.models import DocumentRecord, ProcedureRecord, Step

B1 = " ".join(
    [
        "1. Tiếp nhận hồ sơ: Tiếp nhận hồ sơ trực tiếp từ tổ chức hoặc qua dịch vụ bưu chính công ích hoặc",
        "qua Hệ thống thông tin giải quyết thủ tục hành chính tỉnh: https://motcua.hatinh.gov.vn. 2. Cán bộ",
        "TN&TKQ kiểm tra hồ sơ: - Nếu hồ sơ đầy đủ, hợp lệ thì làm thủ tục tiếp nhận hồ sơ, hẹn trả kết quả",
        "cho cá nhân, tổ chức. - Nếu hồ sơ chưa đầy đủ hoặc không hợp lệ thì hướng dẫn bổ sung, hoàn thiện",
        "hồ sơ. Nếu không bổ sung, hoàn thiện được thì từ chối tiếp nhận hồ sơ.",
    ]
)
B4 = " ".join(
    [
        "Xem xét nội dung hồ sơ - Nếu hồ sơ đủ điều kiện thì tham mưu văn bản Dự thảo (Quyết định bổ nhiệm)",
        "trình Lãnh đạo phòng xem xét. - Nếu hồ sơ không đủ điều kiện thì dự thảo Văn bản thông báo hồ sơ",
        "không đủ điều kiện trình Lãnh đạo phòng xem xét.",
    ]
)
B2 = "Chuyển hồ sơ về Sở Y tế (phòng Tổ chức hành chính), lãnh đạo phòng phân công chuyên viên xử lý hồ sơ"
TN = "Công chức TN&TKQ"

QT_GD_01_STEPS = (
    Step(
        order=1,
        label="B1",
        text=B1,
        responsible=(TN,),
        responsible_text=TN,
        hours=None,
        duration_text="Giờ hành chính",
    ),
    Step(
        order=2,
        label="B2",
        text=B2,
        responsible=(TN, "Văn thư"),
        responsible_text="- Công chức TN&TKQ - Văn thư",
        hours=4.0,
        duration_text="0,5 ngày",
    ),
    Step(
        order=3,
        label="B3",
        text="Phân công công chức xử lý hồ sơ.",
        responsible=("Lãnh đạo Phòng TCHC",),
        hours=4.0,
        duration_text="0,5 ngày",
    ),
    Step(
        order=4,
        label="B4",
        text=B4,
        responsible=("Công chức xử lý hồ sơ",),
        hours=120.0,
        duration_text="15 ngày",
    ),
    Step(
        order=5,
        label="B5",
        text="Xem xét các kết quả thực hiện tại B4",
        responsible=("Lãnh đạo Phòng TCHC",),
        hours=16.0,
        duration_text="02 ngày",
    ),
    Step(
        order=6,
        label="B6",
        text="Xem xét, ký duyệt kết quả thực hiện tại bước B5",
        responsible=("Lãnh đạo Sở",),
        hours=8.0,
        duration_text="01 ngày",
    ),
    Step(
        order=7,
        label="B7",
        text="Đóng dấu, phát hành văn bản",
        responsible=("Văn thư",),
        hours=8.0,
        duration_text="01 ngày",
    ),
    Step(
        order=8,
        label="B8",
        text="Trả kết quả cho Cá nhân/Tổ chức nộp hồ sơ.",
        responsible=("Cán bộ TN&TKQ", "Cá nhân/Tổ chức nộp hồ sơ"),
        responsible_text="Cán bộ TN&TKQ; Cá nhân/Tổ chức nộp hồ sơ",
        hours=None,
        duration_text="Giờ hành chính",
    ),
)

DOC_3005 = DocumentRecord(
    id=1,
    path="tests/corpus/vn-admin-docs/hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt",
    sha256="0" * 64,
    format="txt",
    kind="decision",
    number="3005/QĐ-UBND",
    issued_on="2025-12-01",
    issuer="Tỉnh Hà Tĩnh",
    title="Công bố danh mục và quy trình nội bộ thủ tục hành chính sửa đổi, bổ sung lĩnh vực giám định",
)
DOC_1740 = DocumentRecord(
    id=2,
    path="qd1740.txt",
    sha256="1" * 64,
    format="txt",
    kind="decision",
    number="1740/QĐ-UBND",
    issued_on="2025-06-30",
    issuer="Tỉnh Hà Tĩnh",
    title="Danh mục TTHC lĩnh vực Tổ chức cán bộ",
)


def qt_gd_01(**changes: object) -> ProcedureRecord:
    """QT.GĐ.01 as the registry would hold it (fields overridable)."""
    base: dict[str, object] = dict(
        id=1,
        key="QT.GĐ.01",
        code="QT.GĐ.01",
        catalog_code="1.013871",
        name="Bổ nhiệm giám định viên pháp y và pháp y tâm thần",
        field="Giám định",
        version=1,
        status="active",
        internal=False,
        time_limit="20 ngày, kể từ ngày nhận được hồ sơ hợp lệ.",
        time_limit_hours=160.0,
        steps=QT_GD_01_STEPS,
        units=(
            TN,
            "Văn thư",
            "Lãnh đạo Phòng TCHC",
            "Công chức xử lý hồ sơ",
            "Lãnh đạo Sở",
            "Cán bộ TN&TKQ",
            "Cá nhân/Tổ chức nộp hồ sơ",
        ),
        issuer="Tỉnh Hà Tĩnh",
        document_id=1,
        document_number="3005/QĐ-UBND",
        document_date="2025-12-01",
        cites=("1740/QĐ-UBND", "63/2010/NĐ-CP"),
        forms=(
            "Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ",
        ),
    )
    base.update(changes)
    return ProcedureRecord(**base)  # type: ignore[arg-type]


def big_procedure(proc_id: int = 9, steps: int = 25, units: int = 7) -> ProcedureRecord:
    """A synthetic procedure with many steps and units, shared steps, long words and a loop-back."""
    names = [f"Đơn vị số {i + 1} — phòng nghiệp vụ {'rất dài ' * (i % 3)}".strip() for i in range(units)]
    out = []
    for k in range(1, steps + 1):
        lead = names[(k * 3) % units]
        resp: tuple[str, ...] = (lead,) if k % 4 else (lead, names[(k + 1) % units])
        text = f"Bước xử lý thứ {k}: " + "thẩm định hồ sơ và dự thảo văn bản " * (1 + k % 5)
        if k == 6:
            text += "Nếu hồ sơ chưa đầy đủ thì hướng dẫn bổ sung. Nếu không đạt thì từ chối giải quyết."
        if k == 12:
            text += "Trường hợp Lãnh đạo không đồng ý thì trả lại B10 để hoàn thiện."
        if k == 3:
            text += (
                " Xem https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1"
            )
        hours = None if k in (1, steps) else 8.0
        out.append(
            Step(
                order=k,
                label=f"Bước {k}",
                text=text,
                responsible=resp,
                hours=hours,
                duration_text="Không tính thời gian" if hours is None else "01 ngày làm việc",
            )
        )
    return ProcedureRecord(
        id=proc_id,
        key="QT.TEST.25",
        code="QT.TEST.25",
        catalog_code=None,
        name="Quy trình thử nghiệm với 25 bước và 7 đơn vị",
        field="Thử nghiệm",
        version=2,
        status="active",
        time_limit="20 ngày làm việc",
        time_limit_hours=160.0,
        steps=tuple(out),
    )


def test_qt_gd_01_sample_sums_to_the_legal_limit() -> None:
    proc = qt_gd_01()
    assert sum(s.hours or 0 for s in proc.steps) == 160.0 == proc.time_limit_hours
    assert [s.label for s in proc.steps] == [f"B{i}" for i in range(1, 9)]
