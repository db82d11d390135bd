"""The registry commands' human output (golden, 100 columns, width-stable) and JSON contract."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procreg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    ROOT
    / "tests"
    / "corpus"
    / "vn-admin-docs"
    / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
)


def _run(home: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args], env=env)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


@pytest.fixture
def one_decision(home: Path) -> Path:
    _run(home, "ingest", str(SOURCE))
    _run(
        home, "review", "QT.GĐ.01", "--on", "2025-12-10", "--by", "Nguyễn Văn A", "--note", "Rà soát định kỳ"
    )
    return home


@pytest.mark.vietnamese  # the golden is the Vietnamese view
def test_list_golden_and_width_stable(one_decision: Path, golden: Callable[[str, str], None]) -> None:
    out = _run(one_decision, "list").stdout
    golden("registry_list_qd3005.txt", out)
    assert max(len(line) for line in out.splitlines()) <= 100
    assert _run(one_decision, "list", env={"COLUMNS": "40"}).stdout == out
    assert _run(one_decision, "list", env={"COLUMNS": "200"}).stdout == out


@pytest.mark.vietnamese  # the golden is the Vietnamese view
def test_show_golden_and_width_stable(one_decision: Path, golden: Callable[[str, str], None]) -> None:
    out = _run(one_decision, "show", "QT.GĐ.01").stdout
    golden("registry_show_qt_gd_01.txt", out)
    assert max(len(line) for line in out.splitlines()) <= 100
    assert _run(one_decision, "show", "QT.GĐ.01", env={"COLUMNS": "40"}).stdout == out
    # Σ of counted step times against the legal limit (20 ngày = 160 working hours)
    total = "Σ thời gian tính được: 160 giờ (20 ngày) / thời hạn giải quyết: 160 giờ (20 ngày)"
    assert total + " — trong thời hạn" in out


def test_list_filters_and_json(one_decision: Path) -> None:
    data = json.loads(_run(one_decision, "list", "--json").stdout)
    assert data["total"] == 2
    assert [p["code"] for p in data["procedures"]] == ["QT.GĐ.01", "QT.GĐ.02"]
    assert {"id", "code", "name", "version", "status", "field", "units"} <= set(data["procedures"][0])
    assert json.loads(_run(one_decision, "list", "--status", "withdrawn", "--json").stdout)["total"] == 0
    assert json.loads(_run(one_decision, "list", "--unit", "van thu", "--json").stdout)["total"] == 2
    assert "No procedures." in _run(one_decision, "list", "--unit", "không có ai").stdout


def test_show_by_name_accent_insensitive(one_decision: Path) -> None:
    data = json.loads(
        _run(one_decision, "show", "mien nhiem giam dinh vien phap y va phap y tam than", "--json").stdout
    )
    assert data["code"] == "QT.GĐ.02"
    assert data["counted_hours"] == 80.0 and data["time_limit_hours"] == 80.0


def test_show_unknown_is_exit_4_with_suggestion(one_decision: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(one_decision), "show", "Bổ nhiệm giám định viên pháp y"])
    assert result.exit_code in (0, 4)  # a unique part of a name is found
    result = CliRunner().invoke(
        cli, ["--home", str(one_decision), "show", "bo nhiem giam dinh vien phap y va phap"]
    )
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["--home", str(one_decision), "show", "QT.GD.03"])
    assert result.exit_code == 4
    assert "did you mean" in result.stderr and "QT.GĐ.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_units_list_alias_merge(one_decision: Path) -> None:
    before = json.loads(_run(one_decision, "units", "--json").stdout)["units"]
    names = {u["name"] for u in before}
    assert names  # steps name their units
    some = sorted(names)[0]
    _run(one_decision, "units", "alias", some, "Đơn vị thử nghiệm")
    after = {u["name"]: u for u in json.loads(_run(one_decision, "units", "list", "--json").stdout)["units"]}
    assert some not in after and after["Đơn vị thử nghiệm"]["aliases"] == [some]
    other = sorted(n for n in after if n != "Đơn vị thử nghiệm")[0]
    _run(one_decision, "units", "merge", other, "Đơn vị thử nghiệm")
    merged = {u["name"]: u for u in json.loads(_run(one_decision, "units", "--json").stdout)["units"]}
    assert other not in merged and set(merged["Đơn vị thử nghiệm"]["aliases"]) == {some, other}
    result = CliRunner().invoke(cli, ["--home", str(one_decision), "units", "merge", "Không tồn tại", "X"])
    assert result.exit_code == 4
    text = _run(one_decision, "units").stdout
    assert "Đơn vị thử nghiệm" in text and max(len(line) for line in text.splitlines()) <= 100


def test_user_alias_applies_to_later_ingests(home: Path) -> None:
    _run(home, "init")
    _run(home, "units", "alias", "Văn thư", "Văn thư Sở Y tế")
    _run(home, "ingest", str(SOURCE))
    data = json.loads(_run(home, "show", "QT.GĐ.01", "--json").stdout)
    assert "Văn thư Sở Y tế" in data["units"] and "Văn thư" not in data["units"]


def test_every_registry_command_has_help_with_example() -> None:
    for name in ("ingest", "list", "show", "review", "publish", "publicize", "withdraw", "units"):
        command = cli.commands[name]
        assert command.help and "Example" in command.help, name


# --------------------------------------------------------------------------------------------------
# Regressions (QA round).


def test_issue_show_json_contract_keys(one_decision: Path) -> None:
    data = json.loads(_run(one_decision, "show", "QT.GĐ.01", "--json").stdout)
    assert {"code", "name", "version", "status", "time_limit", "steps", "events"} <= set(data)
    assert {"order", "text", "responsible", "hours", "duration_text"} <= set(data["steps"][0])
    assert all({"kind", "on", "by", "evidence", "note"} <= set(e) for e in data["events"])
    assert [e["kind"] for e in data["events"]] == ["published", "reviewed"]


def test_issue_untimed_steps_say_so(home: Path, tmp_path: Path) -> None:
    """Steps with no time at all read "not given" ("chưa ghi"), and Σ does not claim "0 h"."""
    src = ROOT / "tests" / "corpus" / "vn-admin-docs" / "bnv_qd1378-2025_congbo-tthc-noibo_tochuc-bienche.txt"
    _run(home, "ingest", str(src))
    listed = _run(home, "list").stdout
    assert " 0  " not in listed.split("\n")[2][:60]  # the Σ column shows "-" for untimed procedures
    shown = _run(home, "show", "#1").stdout
    assert "Time:        not given" in shown and " 0 h" not in shown
    assert "Σ counted time: no step gives its time" in shown


def test_issue_units_merge_unknown_suggests_and_symbols_commands(one_decision: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(one_decision), "units", "merge", "Van thuu", "X"])
    assert result.exit_code == 4 and "did you mean: Văn thư" in result.stderr
    assert "No symbols added by you yet" in _run(one_decision, "symbols").stdout
    assert "(added)" in _run(one_decision, "symbols", "add", "SNgV", "Sở Ngoại vụ").stdout
    data = json.loads(_run(one_decision, "symbols", "list", "--all", "--json").stdout)
    origin = {s["symbol"]: s["origin"] for s in data["symbols"]}
    assert origin["SNgV"] == "user" and "shipped" in origin.values()
    bad = CliRunner().invoke(cli, ["--home", str(one_decision), "symbols", "add", "QĐ/X", "Y"])
    assert bad.exit_code == 2 and "SYMBOL" in bad.stderr
    assert "Example" in (cli.commands["symbols"].help or "")


def test_issue_ingest_line_names_the_document(home: Path) -> None:
    out = _run(home, "ingest", str(SOURCE)).stdout
    assert "(3005/QĐ-UBND): 2 procedures, 16 steps, 2 catalog entries" in out


def test_issue_reading_commands_do_not_create_a_registry(tmp_path: Path) -> None:
    home = tmp_path / "chua-co"
    for args in (["list"], ["show", "QT.GĐ.01"], ["review", "QT.GĐ.01", "--on", "2026-01-01"], ["units"]):
        result = CliRunner().invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == 4 and "procreg init" in result.stderr, args
    assert not home.exists()
