"""Report renderers: text verdict, Markdown, self-contained HTML with SVG, CSV rows, DOCX tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from procreg.presentation.reports import (
    DOCX_TITLE,
    render_csv,
    render_html,
    render_markdown,
    render_text,
    write_docx,
)
from procreg.procedures.audit import AuditItem, Finding, Proof, TargetRef, audit_coverage


def _report(target: float | None = 60.0):  # type: ignore[no-untyped-def]
    full = (
        Proof(verb="reviewed", document="12/BC-SNgV", date="2023-05-02", where="đoạn 7", source="document"),
        Proof(verb="published", document="3/QĐ-SNgV", date="2023-02-01", where="đoạn 14", source="document"),
        Proof(verb="publicized", document="3/QĐ-SNgV", date="2023-02-01", where="Điều 2", source="document"),
    )
    items = [
        AuditItem(
            key="a",
            code="QT.NV.01",
            name="Cho phép tổ chức hội nghị, hội thảo quốc tế",
            unit="Phòng Hợp tác quốc tế",
            field="Hội nghị",
            catalog=True,
            process=True,
            proofs=full,
        ),
        AuditItem(
            key="b",
            code="QT.NV.02",
            name="Cử cán bộ đi công tác nước ngoài <đoàn ra>",
            unit="Văn phòng - Thanh tra Sở",
            field="Đoàn ra",
            catalog=True,
            process=True,
            proofs=full[1:],
        ),
        AuditItem(
            key="c", code="QT.NV.03", name="Đã bãi bỏ", unit="Văn phòng - Thanh tra Sở", status="abolished"
        ),
    ]
    t = TargetRef(value=target, source="Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3")
    r = audit_coverage(items, target=t, period_from="2023-01-01", period_to="2023-12-31")
    return r.with_findings(
        [
            Finding(
                check="plan_iso_edition",
                severity="error",
                subject="01/KH-SNgV mục II.7",
                message="không có phiên bản ISO 9001 năm 2018",
            )
        ]
    )


def test_text_has_verdict_units_gaps_and_findings() -> None:
    out = render_text(_report())
    assert "1/2 = 50,0% — Chưa đạt" in out
    assert "Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3" in out
    assert "Phòng Hợp tác quốc tế" in out and "Văn phòng - Thanh tra Sở" in out
    assert (
        "QT.NV.02 Cử cán bộ đi công tác nước ngoài <đoàn ra> [Văn phòng - Thanh tra Sở]: "
        "chưa rà soát trong kỳ" in out
    )
    assert "Ngoài phạm vi (1)" in out and "đã bãi bỏ" in out
    assert "plan_iso_edition" in out
    assert "— Đạt" in render_text(_report(target=50.0))


def test_markdown_tables() -> None:
    out = render_markdown(_report())
    assert out.startswith(f"# {DOCX_TITLE}")
    assert (
        "| QT.NV.02 | Cử cán bộ đi công tác nước ngoài <đoàn ra> | Văn phòng - Thanh tra Sở | "
        "chưa rà soát trong kỳ |" in out
    )


def test_html_is_self_contained_with_svg_chart_and_escaped_text() -> None:
    out = render_html(_report(), dated="2023-12-31")
    assert out.startswith("<!DOCTYPE html>") and out.count("<svg") == 1
    assert "<script" not in out and "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "&lt;đoàn ra&gt;" in out and "<đoàn ra>" not in out
    assert "chỉ tiêu 60,0%" in out and "31/12/2023" in out


def test_csv_one_row_per_in_scope_item() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(_report()))))
    assert [r["code"] for r in rows] == ["QT.NV.01", "QT.NV.02"]
    assert rows[1]["covered"] == "0" and rows[1]["missing"] == "reviewed"
    assert "published: 3/QĐ-SNgV 2023-02-01" in rows[1]["evidence"]


def test_json_is_serialisable_with_contract_keys() -> None:
    data = json.loads(json.dumps(_report().as_json(), ensure_ascii=False))
    assert set(data) >= {"target", "period", "coverage", "by_unit", "items", "findings"}
    assert data["period"]["from"] == "2023-01-01" and data["target"]["value"] == 60.0
    assert data["by_unit"][0] == {
        **data["by_unit"][0],
        "unit": "Phòng Hợp tác quốc tế",
        "covered": 1,
        "in_scope": 1,
    }


def test_docx_opens_and_holds_the_tables(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "bao-cao.docx"
    write_docx(_report(), path, dated="2023-12-31")
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs)
    assert DOCX_TITLE in text and "Chưa đạt" in text
    assert len(d.tables) == 8  # header, summary, units, fields, gaps, findings, evidence, signature
    gaps = d.tables[4]
    assert [c.text for c in gaps.rows[1].cells][:1] == ["QT.NV.02"]
    assert "ngày 31 tháng 12 năm 2023" in d.tables[0].rows[0].cells[1].text
