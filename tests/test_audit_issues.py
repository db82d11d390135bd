"""Regressions found by using the audit as the office would (samples, error paths, the JSON contract)."""

from __future__ import annotations

import csv
import io
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
    url = "https://songoaivu.hatinh.gov.vn/tthc-noi-bo"
    result = runner.invoke(cli.cli, ["publicize", "QT.NV.03", "--on", "2023-05-04", "--where", url])
    assert result.exit_code == 0, result.output
    return h


def _run(home: Path, *args: str) -> Any:
    return CliRunner(env={"PROCREG_HOME": str(home)}).invoke(cli.cli, list(args))


def _json(home: Path, *args: str) -> dict[str, Any]:
    result = _run(home, "audit", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _one_line_error(result: Any) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("procreg: "), result.stderr
    assert "Traceback" not in result.output
    return str(lines[0])


def test_issue_audit_json_contract_keys(home: Path) -> None:
    """The audit's JSON contract: users' scripts read these keys (more may be added, none renamed)."""
    data = _json(home, "--period", "2023")
    assert {"target", "period", "coverage", "by_unit", "items", "findings"} <= set(data)
    assert {"value", "source"} <= set(data["target"])
    assert {"from", "to"} <= set(data["period"])
    assert {"covered", "in_scope", "percent"} <= set(data["coverage"])
    assert data["by_unit"] and data["items"] and data["findings"]
    for row in data["by_unit"]:
        assert {"unit", "covered", "in_scope", "percent"} <= set(row)
    item_keys = {
        "code",
        "name",
        "unit",
        "reviewed",
        "published",
        "publicized",
        "covered",
        "evidence",
        "missing",
    }
    for item in data["items"]:
        assert item_keys <= set(item)
        assert isinstance(item["missing"], list) and item["evidence"]
        for proof in item["evidence"]:
            assert {"verb", "document", "date", "where"} <= set(proof)
    for finding in data["findings"]:
        assert {"check", "severity", "subject", "message"} <= set(finding)
    cov = data["coverage"]
    assert cov["covered"] == sum(i["covered"] for i in data["items"]) and cov["in_scope"] == len(
        data["items"]
    )


def test_issue_sample_field_comes_through(home: Path) -> None:
    data = _json(home, "--period", "2023")
    fields = {row["field"] for row in data["by_field"]}
    assert fields == {"Hội nghị, hội thảo quốc tế", "Quản lý đoàn ra", "Lễ tân đối ngoại", "Thẻ ABTC"}
    text = _run(home, "audit", "--period", "2023").stdout
    assert "(không rõ lĩnh vực)" not in text and "Thẻ ABTC" in text


def test_issue_tthc_internal_flag_from_the_registry(home: Path) -> None:
    data = _json(home, "--period", "2023")
    # The sample decisions publish "thủ tục hành chính nội bộ": the registry flags all four.
    assert all(i["tthc_internal"] for i in data["items"])
    assert "trong đó TTHC nội bộ" in _run(home, "audit", "--period", "2023", "--format", "md").stdout


def test_issue_publicized_url_not_repeated(home: Path) -> None:
    data = _json(home, "--period", "2023")
    item = next(i for i in data["items"] if i["code"] == "QT.NV.03")
    pub = [e for e in item["evidence"] if e["verb"] == "publicized"]
    assert [(e["document"], e["where"]) for e in pub] == [
        ("công khai", "https://songoaivu.hatinh.gov.vn/tthc-noi-bo")
    ]
    text = _run(home, "audit", "--period", "2023", "--csv").stdout
    assert text.count("https://songoaivu.hatinh.gov.vn/tthc-noi-bo") == 1


def test_issue_fail_under_still_writes_the_report(home: Path, tmp_path: Path) -> None:
    for args, name in ((("--json",), "a.json"), (("--format", "html"), "a.html"), ((), "a.docx")):
        out = tmp_path / name
        result = _run(home, "audit", "--period", "2023", "--fail-under", "90", *args, "-o", str(out))
        assert result.exit_code == 10, result.output
        assert out.is_file() and out.stat().st_size > 0
        assert "fail-under" in result.stderr
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["coverage"]["in_scope"] == 4


def test_issue_csv_file_opens_in_excel(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert _run(home, "audit", "--period", "2023", "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads Vietnamese correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] and all(r["field"] for r in rows)


def test_issue_audit_unwritable_output_is_one_line(home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for fmt in ("html", "docx", "csv"):
        result = _run(home, "audit", "--period", "2023", "--format", fmt, "-o", str(blocker / f"r.{fmt}"))
        assert result.exit_code == 2, result.output
        assert "cannot write" in _one_line_error(result)


@pytest.mark.parametrize(
    "args",
    [
        ("--period", "2023x"),
        ("--period", "2023-13"),
        ("--from", "2023-02-30"),
        ("--from", "2023-06-01", "--to", "2023-01-01"),
        ("--period", "2023", "--from", "2023-01-01"),
        ("--as-of", "hôm qua"),
        ("--date", "31/02/2023"),
    ],
)
def test_issue_bad_period_or_dates_exit_2_in_one_line(home: Path, args: tuple[str, ...]) -> None:
    result = _run(home, "audit", *args)
    assert result.exit_code == 2, result.output
    _one_line_error(result)


def test_issue_audit_of_an_empty_registry(tmp_path: Path) -> None:
    result = _run(tmp_path / "home", "audit")
    assert result.exit_code == 4, result.output
    line = _one_line_error(result)
    assert "empty" in line and "procreg ingest" in line
    assert result.stdout == ""


def test_issue_audit_without_a_plan_says_how_to_set_a_target(tmp_path: Path) -> None:
    h = tmp_path / "home"
    assert _run(h, "ingest", str(SAMPLES / FILES[1])).exit_code == 0
    result = _run(h, "audit", "--period", "2023", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"]["value"] is None
    line = _one_line_error(result)
    assert "--target" in line and "ingest" in line
    # With a target given, no note.
    result = _run(h, "audit", "--period", "2023", "--target", "90")
    assert result.exit_code == 0 and result.stderr == ""
    assert "Chưa đạt" in result.stdout


def test_issue_docx_is_a4_and_byte_reproducible(home: Path, tmp_path: Path) -> None:
    import docx

    paths = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for path in paths:
        assert _run(home, "audit", "--period", "2023", "--date", "2023-12-31", "-o", str(path)).exit_code == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()  # no clock in the file (zip times, core properties)
    document = docx.Document(str(paths[0]))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.core_properties.created is not None and document.core_properties.created.year == 2023


def test_issue_every_check_has_a_vietnamese_label(home: Path) -> None:
    import re

    from procreg.presentation.reports import CHECK_LABELS

    source = (Path(__file__).resolve().parent.parent / "procedures" / "checks.py").read_text(encoding="utf-8")
    assert set(re.findall(r'check="([a-z_]+)"', source)) <= set(CHECK_LABELS)
    text = _run(home, "audit", "--period", "2023").stdout
    assert "[Lỗi] Tổng thời gian các bước vượt thời hạn — QT.NV.04" in text
    # No English check id in Vietnamese text (issue 13); scripts read them from --json.
    assert not any(check in text for check in CHECK_LABELS)
    assert "time_over_limit" in _run(home, "audit", "--period", "2023", "--json").stdout


def test_issue_unknown_unit_is_not_a_zero_percent_report(home: Path) -> None:
    result = _run(home, "audit", "--period", "2023", "--unit", "phong tai chinh")
    assert result.exit_code == 4 and result.stdout == ""
    line = _one_line_error(result)
    assert "--unit" in line and "Phòng Hợp tác quốc tế" in line
    text = _run(home, "audit", "--period", "2023", "--unit", "phong hop tac").stdout
    assert "Lọc        : đơn vị “phong hop tac”" in text and "2/2 = 100,0%" in text
