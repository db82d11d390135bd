"""The department's illustrative samples: review evidence from the report, công khai only where ordered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from procreg import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FILES = (
    "kh-01-sngv-2023-cchc.txt",
    "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
    "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf",
    "bc-18-sngv-2023_ra-soat-tthc-noibo.docx",
)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("samples") / "home"
    runner = CliRunner(env={"PROCREG_HOME": str(h)})
    result = runner.invoke(cli.cli, ["ingest", *(str(SAMPLES / f) for f in FILES)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return h


def _audit(home: Path, *args: str) -> dict[str, Any]:
    runner = CliRunner(env={"PROCREG_HOME": str(home)})
    result = runner.invoke(cli.cli, ["audit", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_samples_are_marked_illustrative() -> None:
    from procreg.parsers.read import read_document

    assert "TÀI LIỆU MINH HỌA" in (SAMPLES / "README.md").read_text(encoding="utf-8").splitlines()[0]
    for name in FILES[1:]:
        for suffix in (".docx", ".pdf"):
            raw = read_document(SAMPLES / (Path(name).stem + suffix))
            first = raw.blocks[0]
            assert "TÀI LIỆU MINH HỌA" in getattr(first, "text", ""), (name, suffix)


def test_review_report_counts_as_review_evidence_with_its_place(home: Path) -> None:
    data = _audit(home)  # default period: the plan's year, 2023
    assert data["period"]["from"] == "2023-01-01"
    items = {i["code"]: i for i in data["items"]}
    assert sorted(items) == ["QT.NV.01", "QT.NV.02", "QT.NV.03", "QT.NV.04"]
    for code in ("QT.NV.01", "QT.NV.03"):
        rev = [e for e in items[code]["evidence"] if e["verb"] == "reviewed"]
        assert [(e["document"], e["date"]) for e in rev] == [("18/BC-SNgV", "2023-06-05")]
        assert rev[0]["where"]
    assert not items["QT.NV.02"]["reviewed"] and not items["QT.NV.04"]["reviewed"]


def test_only_the_decision_that_orders_it_makes_procedures_public(home: Path) -> None:
    items = {i["code"]: i for i in _audit(home)["items"]}
    for code, decision in (("QT.NV.01", "45/QĐ-SNgV"), ("QT.NV.02", "45/QĐ-SNgV")):
        assert items[code]["published"] and items[code]["publicized"]
        assert {e["document"] for e in items[code]["evidence"] if e["verb"] == "publicized"} == {decision}
    for code in ("QT.NV.03", "QT.NV.04"):
        assert items[code]["published"] and not items[code]["publicized"]
    assert items["QT.NV.01"]["covered"] and not items["QT.NV.03"]["covered"]
    assert items["QT.NV.01"]["unit"] == "Phòng Hợp tác quốc tế"
    assert items["QT.NV.04"]["unit"] == "Phòng Quản lý Biên giới"


def test_checks_find_the_deliberate_time_overrun(home: Path) -> None:
    findings = {(f["check"], f["subject"].split()[0]) for f in _audit(home)["findings"]}
    assert ("time_over_limit", "QT.NV.04") in findings
    assert not any(c == "time_over_limit" and s != "QT.NV.04" for c, s in findings)


def test_without_the_index_review_documents_are_scanned(home: Path) -> None:
    from procreg.procedures.audit import TargetRef
    from procreg.registry.service.auditing import audit_records
    from procreg.registry.service.finding import catalog_entries
    from procreg.registry.store import Store

    with Store.open(home / "registry.db") as store:
        versions = store.procedures(include_superseded=True)
        catalog = catalog_entries(store, include_inactive=True)
        docs = {d.id: d for d in store.documents()}
    report = audit_records(
        versions,
        catalog,
        docs,
        target=TargetRef(value=90.0, source="t"),
        period_from="2023-01-01",
        period_to="2023-12-31",
        today="2023-12-31",
        search=None,
    )
    reviewed = {i.code for i in report.items if i.reviewed}
    assert reviewed == {"QT.NV.01", "QT.NV.03"}
