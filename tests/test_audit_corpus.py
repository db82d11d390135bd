"""The audit on the shared corpus: the Hà Tĩnh decisions' procedures and the department's plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from procreg import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCS = CORPUS / "vn-admin-docs"
PLAN = CORPUS / "plans" / "kh-01-sngv-2023-cchc.txt"
# decision number -> (file prefix, in-scope procedures it publishes, orders publication on the national DB)
DECISIONS = {
    "3005/QĐ-UBND": ("hatinh_qd3005", 2, True),
    "3004/QĐ-UBND": ("hatinh_qd3004", 4, True),
    "2873/QĐ-UBND": ("hatinh_qd2873", 12, True),
    "2904/QĐ-UBND": ("hatinh_qd2904", 2, False),
}


@pytest.fixture(scope="module")
def audit_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("corpus") / "home"
    files = [str(next(DOCS.glob(prefix + "*.txt"))) for prefix, _, _ in DECISIONS.values()]
    runner = CliRunner(env={"PROCREG_HOME": str(home)})
    result = runner.invoke(cli.cli, ["ingest", str(PLAN), *files, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli.cli, ["audit", "--period", "2025", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _published_by(item: dict[str, Any]) -> set[str]:
    return {e["document"] for e in item["evidence"] if e["verb"] == "published"}


@pytest.mark.parametrize("number", sorted(DECISIONS))
def test_each_decision_publishes_and_publicizes_its_procedures(
    audit_data: dict[str, Any], number: str
) -> None:
    _, count, orders = DECISIONS[number]
    items = [i for i in audit_data["items"] if number in _published_by(i)]
    assert len(items) == count
    for item in items:
        assert item["published"], item["name"]
        pub = next(e for e in item["evidence"] if e["verb"] == "published" and e["document"] == number)
        assert pub["date"] and pub["date"].startswith("2025-") and pub["where"]
        if orders:
            assert item["publicized"], item["name"]
            assert any(e["verb"] == "publicized" and e["document"] == number for e in item["evidence"])
        else:
            assert not item["publicized"] and "publicized" in item["missing"], item["name"]


def test_target_comes_from_the_plan(audit_data: dict[str, Any]) -> None:
    target = audit_data["target"]
    assert target["value"] == 90.0
    assert target["document"] == "01/KH-SNgV" and target["section"] == "II.3"
    assert "Kế hoạch 01/KH-SNgV" in target["source"]


def test_plan_lint_reports_repeated_III_and_iso_2018(audit_data: dict[str, Any]) -> None:
    findings = {(f["check"], f["subject"]) for f in audit_data["findings"]}
    assert ("plan_repeated_section", "01/KH-SNgV mục III") in findings
    assert ("plan_iso_edition", "01/KH-SNgV mục II.7") in findings


def test_abolished_procedure_is_out_of_scope(audit_data: dict[str, Any]) -> None:
    assert any(o["reason"] == "abolished" for o in audit_data["out_of_scope"])


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_default_period_is_the_plans_year_and_targets_lists_the_measure(tmp_path: Path) -> None:
    runner = CliRunner(env={"PROCREG_HOME": str(tmp_path / "home")})
    assert runner.invoke(cli.cli, ["ingest", str(PLAN)], catch_exceptions=False).exit_code == 0
    data = json.loads(runner.invoke(cli.cli, ["audit", "--json"], catch_exceptions=False).stdout)
    assert data["period"]["from"] == "2023-01-01" and data["period"]["to"] == "2023-12-31"
    result = runner.invoke(cli.cli, ["targets", "--json"], catch_exceptions=False)
    rows = json.loads(result.stdout)["targets"]
    measured = [r for r in rows if r["measure"] == "internal_procedures"]
    assert len(measured) == 1 and measured[0]["value"] == 90.0 and measured[0]["section"] == "II.3"
    assert measured[0]["measured"] == 0.0
    text = runner.invoke(cli.cli, ["targets"], catch_exceptions=False).stdout
    assert "II.3" in text and "đo được" in text


def test_targets_report_the_share_of_procedures_with_an_electronic_process(tmp_path: Path) -> None:
    runner = CliRunner(env={"PROCREG_HOME": str(tmp_path / "home")})
    files = [str(next(DOCS.glob(p + "*.txt"))) for p in ("hatinh_qd3005", "hatinh_qd2904", "hatinh_qd3004")]
    assert runner.invoke(cli.cli, ["ingest", str(PLAN), *files], catch_exceptions=False).exit_code == 0
    data = json.loads(runner.invoke(cli.cli, ["targets", "--json"], catch_exceptions=False).stdout)
    # 3005 and 2904 order "xây dựng quy trình điện tử" for their 2 + 2 procedures; 3004 (4) does not.
    assert data["electronic_process"] == {"with": 4, "procedures": 8, "percent": 50.0}


def test_scope_keeps_ordinary_tthc_processes_and_flags_tthc_internal_from_the_registry(
    audit_data: dict[str, Any],
) -> None:
    """3005's procedures are ordinary TTHC (the registry's flag is False) yet in scope: the plan counts
    their Quy trình nội bộ; the flag is reported beside them, it does not narrow the scope."""
    items = [i for i in audit_data["items"] if "3005/QĐ-UBND" in _published_by(i)]
    assert len(items) == 2 and not any(i["tthc_internal"] for i in items)
    assert not any(o["reason"] == "not_internal" for o in audit_data["out_of_scope"])
