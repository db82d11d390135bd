"""ISO 9001:2015 clause 7.5 checks, consistency checks and plan lint."""

from __future__ import annotations

from pathlib import Path

from procreg.procedures.audit import AuditItem
from procreg.procedures.checks import (
    check_deliverables,
    check_procedures,
    lint_plan,
    months_before,
    repealed_documents,
)
from procreg.registry.models import DocumentRecord, Event, ProcedureRecord, Section, SourceRef, Step
from procreg.registry.service.auditing import plan_sections

PLAN = Path(__file__).resolve().parent / "corpus" / "plans" / "kh-01-sngv-2023-cchc.txt"


def _proc(i: int, **kw: object) -> ProcedureRecord:
    base: dict[str, object] = dict(
        id=i,
        key=f"k{i}",
        code=f"QT.NV.{i:02d}",
        catalog_code=None,
        name=f"Thủ tục {i}",
        field="Ngoại vụ",
        version=1,
        status="active",
        document_number="10/QĐ-SNgV",
        document_date="2025-06-01",
    )
    base.update(kw)
    return ProcedureRecord(**base)  # type: ignore[arg-type]


def _checks(procs: list[ProcedureRecord], **kw: object) -> dict[tuple[str, str], str]:
    found = check_procedures(procs, today="2025-12-31", **kw)  # type: ignore[arg-type]
    return {(f.check, f.subject): f.message for f in found}


def test_months_before_clamps_the_day() -> None:
    assert months_before("2025-03-31", 1) == "2025-02-28"
    assert months_before("2025-12-31", 12) == "2024-12-31"


def test_review_overdue_by_last_review_or_issue_date() -> None:
    fresh = _proc(1, events=(Event(kind="reviewed", on="2025-05-01"),))
    stale = _proc(2, events=(Event(kind="reviewed", on="2024-06-01"),))
    never_old = _proc(3, document_date="2023-01-01")
    never_new = _proc(4)
    found = _checks([fresh, stale, never_old, never_new])
    overdue = sorted(s for c, s in found if c == "review_overdue")
    assert overdue == ["QT.NV.02 Thủ tục 2", "QT.NV.03 Thủ tục 3"]
    assert "2024-06-01" in found[("review_overdue", "QT.NV.02 Thủ tục 2")]
    assert not any(c == "review_overdue" for c, _ in _checks([stale], review_months=24))


def test_step_time_over_legal_limit_and_steps_without_unit() -> None:
    steps = (
        Step(
            order=1,
            label="B1",
            text="Tiếp nhận",
            responsible=("Văn thư",),
            hours=None,
            duration_text="Giờ hành chính",
        ),
        Step(order=2, label="B2", text="Xử lý", responsible=("Phòng Hợp tác quốc tế",), hours=64.0),
        Step(order=3, label="B3", text="Ký", responsible=(), hours=24.0),
    )
    over = _proc(1, steps=steps, time_limit="10 ngày làm việc", time_limit_hours=80.0)
    ok = _proc(2, steps=steps[:2], time_limit="10 ngày làm việc", time_limit_hours=80.0)
    found = _checks([over, ok])
    assert ("time_over_limit", "QT.NV.01 Thủ tục 1") in found
    assert "11 ngày làm việc (88 giờ)" in found[("time_over_limit", "QT.NV.01 Thủ tục 1")]
    assert ("time_over_limit", "QT.NV.02 Thủ tục 2") not in found
    assert "B3" in found[("step_without_unit", "QT.NV.01 Thủ tục 1")]


def test_duplicate_codes_missing_dates_and_repealed_citations() -> None:
    docs = [
        DocumentRecord(
            id=1,
            path="a.txt",
            sha256="x",
            format="txt",
            kind="decision",
            number="3005/QĐ-UBND",
            issued_on="2025-12-01",
            issuer=None,
            title=None,
            text="Điều 3. Quyết định này có hiệu lực kể từ ngày ban hành; thay thế Danh mục TTHC "
            "tại Quyết định số 1740/QĐ- UBND ngày 30/6/2025 của Chủ tịch UBND tỉnh.",
        ),
    ]
    repealed = repealed_documents(docs)
    assert "1740/QD-UBND" in repealed and repealed["1740/QD-UBND"].by == "3005/QĐ-UBND"
    assert "3005/QD-UBND" not in repealed
    procs = [
        _proc(1, cites=("1740/QĐ-UBND", "118/2025/NĐ-CP")),
        _proc(2, code="QT.NV.01", name="Khác", document_date=None),
    ]
    found = _checks(procs, repealed=repealed)
    assert "1740/QĐ-UBND" in found[("cites_repealed", "QT.NV.01 Thủ tục 1")]
    assert ("duplicate_code", "QT.NV.01") in found
    assert ("missing_issue_date", "QT.NV.01 Khác") in found


def test_catalog_and_process_links() -> None:
    items = [
        AuditItem(key="a", code=None, name="Chỉ danh mục", catalog=True, process=False),
        AuditItem(key="b", code="QT.X.01", name="Chỉ quy trình", catalog=False, process=True),
        AuditItem(key="c", code="QT.X.02", name="Đủ", catalog=True, process=True),
        AuditItem(key="d", code=None, name="Bãi bỏ", catalog=True, status="abolished"),
    ]
    found = {(f.check, f.subject) for f in check_deliverables(items)}
    assert found == {
        ("catalog_without_process", "Chỉ danh mục"),
        ("process_without_catalog", "QT.X.01 Chỉ quy trình"),
    }


def _lint(number: str, text: str):  # type: ignore[no-untyped-def]
    """The plan lint as the audit runs it: sections read by the parser from the stored text."""
    return lint_plan(number, plan_sections(text), text)


def test_lint_shared_plan_finds_repeated_III_and_iso_2018() -> None:
    found = _lint("01/KH-SNgV", PLAN.read_text(encoding="utf-8"))
    checks = {(f.check, f.subject) for f in found}
    assert ("plan_repeated_section", "01/KH-SNgV mục III") in checks
    assert ("plan_iso_edition", "01/KH-SNgV mục II.7") in checks
    iso = next(f for f in found if f.subject == "01/KH-SNgV mục II.7")
    assert "2018" in iso.message and iso.severity == "error"
    assert not any(f.check == "plan_iso_edition" and "III.7.2" in f.subject for f in found)  # 2015 exists
    assert not any(f.check == "plan_percent_over_100" for f in found)


def test_lint_percent_over_100_and_repeated_subsection() -> None:
    text = "I. MỤC TIÊU\n1. Chỉ tiêu\n- 120% hồ sơ đúng hạn.\n1. Lặp lại\nII. KHÁC\n1. Không lặp\n"
    found = {(f.check, f.subject) for f in _lint("9/KH", text)}
    assert ("plan_percent_over_100", "9/KH mục I.1") in found
    assert ("plan_repeated_section", "9/KH mục I.1") in found
    assert not any(s == "9/KH mục II.1" for _, s in found)


def test_missing_version_only_for_iso_documents_that_print_none() -> None:
    procs = [_proc(1), _proc(2), _proc(3)]
    found = _checks(procs, editions={1: None, 2: "03"})
    assert [s for c, s in found if c == "missing_version"] == ["QT.NV.01 Thủ tục 1"]


def _sec(number: str, line: int, *children: Section) -> Section:
    return Section(
        number=number, title="", path=number, children=children, source=SourceRef(path="", para=line)
    )


def test_lint_takes_the_parsed_sections_lettered_points_stay_in_their_item() -> None:
    text = "I. MỤC TIÊU\n1. Chỉ tiêu\na) Đạt 101% hồ sơ\nII. ISO\n2. ISO 9001:2015 và ISO 9001:2018\n"
    sections = (_sec("I", 1, _sec("1", 2, _sec("a", 3))), _sec("II", 4, _sec("2", 5)))
    found = {(f.check, f.severity, f.subject) for f in lint_plan("7/KH", sections, text)}
    assert found == {
        ("plan_percent_over_100", "error", "7/KH mục I.1"),
        ("plan_iso_edition", "error", "7/KH mục II.2"),
        ("plan_iso_edition", "info", "7/KH"),  # two editions named
    }


def test_lint_repeated_numbers_name_both_lines() -> None:
    text = "I. A\n1. B\nI. C lặp\n1. D\n1. E\n"
    sections = (_sec("I", 1, _sec("1", 2)), _sec("I", 3, _sec("1", 4), _sec("1", 5)))
    messages = sorted(f.message for f in lint_plan("7/KH", sections, text))
    assert messages == [
        "số mục I lặp lại (dòng 1 và dòng 3): I. C lặp",
        "số mục I.1 lặp lại (dòng 2 và dòng 4)",
        "số mục I.1 lặp lại (dòng 2 và dòng 5)",
    ]


def test_lint_ignores_the_numbering_of_an_annex_after_the_signature() -> None:
    # The annex table restarts its own groups (I., II.) after "Nơi nhận": not repeated plan sections.
    text = "I. MỤC TIÊU\n1. Chỉ tiêu\nII. NHIỆM VỤ\nNơi nhận:\n- Như trên;\nI. NHÓM 1\n1 | Việc 1 | Sở\n"
    assert not any(f.check == "plan_repeated_section" for f in _lint("8/KH", text))
