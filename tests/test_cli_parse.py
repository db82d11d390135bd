"""``procreg parse FILE [--json]``: the JSON contract, the human view, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import DOCS_DIR, PLAN_TXT

from procreg.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_contract_keys_and_values() -> None:
    code, out, _ = run("parse", str(PLAN_TXT), "--json")
    assert code == 0
    data = json.loads(out)
    for key in (
        "kind",
        "number",
        "issued_on",
        "place",
        "issuer",
        "title",
        "signer",
        "sections",
        "targets",
        "citations",
        "catalog",
        "procedures",
        "warnings",
    ):
        assert key in data, key
    assert (data["kind"], data["number"], data["issued_on"], data["place"]) == (
        "plan",
        "01/KH-SNgV",
        "2023-01-10",
        "Hà Tĩnh",
    )
    assert data["signer"]["name"] == "Thái Phúc Sơn" and data["signer"]["position"] == "Giám đốc"
    assert {"number", "title", "children"} <= set(data["sections"][0])
    assert [s["number"] for s in data["sections"]] == ["I", "II", "III", "III", "IV", "V"]
    target = data["targets"][6]
    assert {"section", "value", "unit", "qualifier", "text"} <= set(target)
    assert (target["section"], target["value"], target["unit"]) == ("II.3", 90, "%")
    assert all(isinstance(t["value"], float) for t in data["targets"])  # always one number type
    assert {"type", "number", "date", "text"} <= set(data["citations"][0])
    assert len(data["citations"]) == 31
    assert "text" not in data  # the full text stays out of the view
    assert "Thái Phúc Sơn" in out  # ensure_ascii=False: Vietnamese stays readable


def test_json_of_a_catalog_decision_has_catalog_rows() -> None:
    path = next(DOCS_DIR.glob("hatinh_qd3005-*.txt"))
    code, out, _ = run("parse", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["number"] == "3005/QĐ-UBND" and data["kind"] == "decision"
    assert data["catalog"] and {"name", "code", "field", "time_limit"} <= set(data["catalog"][0])
    assert data["orders_publicizing"] and "cơ sở dữ liệu quốc gia" in data["orders_publicizing"]


def test_human_view() -> None:
    code, out, _ = run("parse", str(PLAN_TXT))
    assert code == 0
    assert "01/KH-SNgV" in out and "10/01/2023" in out
    assert "Cải cách hành chính Sở Ngoại vụ năm 2023" in out
    assert "Thái Phúc Sơn (Giám đốc)" in out
    assert "6 sections, 23 targets, 31 citations" in out
    row = next(line for line in out.splitlines() if line.startswith("II.3") and " 90%" in line)
    assert "90.0" not in row and "exact" in row
    assert "repeated" in out  # the warning for the second III


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    code, _, err = run("parse", str(tmp_path / "nope.txt"))
    assert code == 4
    assert "nope.txt" in err and "Traceback" not in err


def test_unreadable_input_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    code, _, err = run("parse", str(bad))
    assert code == 3 and "bad.txt" in err
    odd = tmp_path / "x.xls"
    odd.write_text("a")
    assert run("parse", str(odd))[0] == 3


def test_help_has_an_example() -> None:
    code, out, _ = run("parse", "--help")
    assert code == 0 and "procreg parse" in out


# --------------------------------------------------------------------------------------------------
# Regressions (QA round).

_NO_ISSUER = (
    "Số: 12/QĐ-XYZQ\nHà Tĩnh, ngày 05 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\nVề việc thử nghiệm\n\nĐiều 1. Thử.\n"
)


def test_issue_parse_uses_user_symbols_without_creating_a_registry(tmp_path: Path) -> None:
    doc = tmp_path / "qd12.txt"
    doc.write_text(_NO_ISSUER, encoding="utf-8")
    home = tmp_path / "home"
    code, out, _ = run("--home", str(home), "parse", str(doc), "--json")
    assert code == 0 and json.loads(out)["issuer"] != "Sở Thử nghiệm"
    assert not home.exists()  # parse never creates a registry
    assert run("--home", str(home), "symbols", "add", "XYZQ", "Sở Thử nghiệm")[0] == 4  # nor symbols add
    assert run("--home", str(home), "init")[0] == 0
    assert run("--home", str(home), "symbols", "add", "XYZQ", "Sở Thử nghiệm")[0] == 0
    code, out, _ = run("--home", str(home), "parse", str(doc), "--json")
    assert code == 0 and json.loads(out)["issuer"] == "Sở Thử nghiệm"


def test_issue_parse_docx_and_pdf_human_view_fits_100_columns() -> None:
    from fixtures.build import render

    stem = "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte"
    for fmt in ("docx", "pdf"):
        result = CliRunner().invoke(cli, ["parse", str(render(stem, fmt))], env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= 100, fmt
        assert any(line.startswith("QT.GĐ.01 ") for line in lines), fmt  # the procedures table
        data = json.loads(run("parse", str(render(stem, fmt)), "--json")[1])
        assert [p["code"] for p in data["procedures"]] == ["QT.GĐ.01", "QT.GĐ.02"], fmt


def test_issue_parse_a_directory_is_bad_input_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.pdf"
    folder.mkdir()
    code, _, err = run("parse", str(folder))
    assert code == 3 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
