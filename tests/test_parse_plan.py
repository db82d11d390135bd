"""The department's plan (Kế hoạch 01/KH-SNgV) parses to the same record from .txt, .docx and .pdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PLAN_TXT

from procreg.parsers.document import parse_document
from procreg.registry.models import ParsedDocument

FORMATS = ["txt", "docx", "pdf"]


def rendering(source: Path, fmt: str) -> Path:
    """``source`` itself, or its .docx/.pdf rendering by tests/fixtures/build.py."""
    if fmt == "txt":
        return source
    from fixtures.build import render

    return render(source.stem, fmt)


@pytest.fixture(scope="module", params=FORMATS)
def plan(request: pytest.FixtureRequest) -> ParsedDocument:
    return parse_document(rendering(PLAN_TXT, request.param))


def test_header(plan: ParsedDocument) -> None:
    assert plan.kind == "plan"
    assert plan.type_label == "KẾ HOẠCH"
    assert plan.number == "01/KH-SNgV"
    assert plan.issued_on == "2023-01-10"
    assert plan.place == "Hà Tĩnh"
    assert plan.issuer == "Sở Ngoại vụ"
    assert plan.title == "Cải cách hành chính Sở Ngoại vụ năm 2023"
    assert plan.signer is not None
    assert (plan.signer.name, plan.signer.position) == ("Thái Phúc Sơn", "Giám đốc")


def test_sections(plan: ParsedDocument) -> None:
    assert [s.number for s in plan.sections] == ["I", "II", "III", "III", "IV", "V"]
    assert sum("III" in w and "repeated" in w for w in plan.warnings) == 1
    two = plan.sections[1]
    assert [c.path for c in two.children] == [f"II.{i}" for i in range(1, 8)]
    seven = plan.sections[2].children[6]
    assert [c.path for c in seven.children] == ["III.7.1", "III.7.2"]
    assert plan.sections[3].children == ()


def test_targets(plan: ParsedDocument) -> None:
    assert len(plan.targets) == 23
    assert all(t.section.startswith("II.") and t.unit == "%" for t in plan.targets)
    in_ii3 = [t for t in plan.targets if t.section == "II.3"]
    assert len(in_ii3) == 14
    ninety = [t for t in in_ii3 if t.value == 90]
    assert len(ninety) == 1
    assert "thủ tục hành chính nội bộ được rà soát, công bố, công khai" in ninety[0].text
    assert ninety[0].qualifier == "exact"
    qualifiers = {(t.value, t.qualifier) for t in plan.targets}
    assert (30.0, "at_least") in qualifiers  # "đạt từ 30% trở lên"
    assert (50.0, "aspiration") in qualifiers  # "Phấn đấu 50% cán bộ ..."


def test_citations(plan: ParsedDocument) -> None:
    numbers = {c.number for c in plan.citations}
    assert len(numbers) == len(plan.citations) == 31
    assert "01/KH-SNgV" not in numbers
    by_number = {c.number: c for c in plan.citations}
    assert by_number["2629/QĐ-UBND"].date == "2022-12-23"
    assert by_number["2333/SNV-CCHC&VTLT"].date == "2022-12-02"
    assert by_number["1011-CTr/TU"].date == "2018-05-03"
    assert by_number["1011-CTr/TU"].type == "Chương trình"
    assert by_number["28/2018/QĐ-TTg"].date == "2018-07-12"
    assert by_number["2629/QĐ-UBND"].type == "Quyết định"
    assert "Quyết định số 2629/QĐ-UBND ngày 23/12/2022" in by_number["2629/QĐ-UBND"].text


def test_plan_is_not_a_decision(plan: ParsedDocument) -> None:
    assert plan.orders_publicizing is None
    assert plan.change_type is None
