"""A procedure's whole life through the CLI: ingest, review, publish, publicize, version 2, withdraw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procreg.cli import cli
from procreg.registry.service.finding import document_by_number
from procreg.registry.store import Store

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    ROOT
    / "tests"
    / "corpus"
    / "vn-admin-docs"
    / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
)


def _run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


def _second_edition(tmp_path: Path) -> Path:
    """The same decision re-issued later with one step shortened: QT.GĐ.01 changes, QT.GĐ.02 does not."""
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count("| Lãnh đạo Phòng TCHC | 02 ngày |") == 1
    text = text.replace("Số: 3005/QĐ-UBND", "Số: 3150/QĐ-UBND")
    text = text.replace("ngày 01 tháng12 năm 2025", "ngày 15 tháng 01 năm 2026")
    text = text.replace("| Lãnh đạo Phòng TCHC | 02 ngày |", "| Lãnh đạo Phòng TCHC | 01 ngày |")
    path = tmp_path / "v2" / "qd3150.txt"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_full_lifecycle_shows_every_event(tmp_path: Path, home: Path) -> None:
    _run(home, "ingest", str(SOURCE))
    review = ("review", "QT.GĐ.01", "--on", "2025-12-10", "--by", "Nguyễn Văn A", "--note", "Rà soát định kỳ")
    reviewed = _run(home, *review).stdout
    assert reviewed == (
        "Recorded event #3: reviewed, QT.GĐ.01 (v1), on 10/12/2025 · Nguyễn Văn A · Rà soát định kỳ\n"
    )
    # The decision's own publication is logged at ingest: recorded again by hand, it is a repeat (issue 13).
    again = _run(home, "publish", "qt.gd.01", "--decision", "3005/QD-UBND", "--on", "01/12/2025").stdout
    assert (
        again.startswith("Event #1 stands already: published, QT.GĐ.01 (v1), on 01/12/2025")
        and "nothing more recorded" in again
    )
    _run(home, "publicize", "QT.GĐ.01", "--on", "2025-12-04", "--where", "https://motcua.hatinh.gov.vn")
    report = json.loads(_run(home, "ingest", str(_second_edition(tmp_path)), "--json").stdout)
    assert report["summary"]["ingested"] == 1 and report["ingested"][0]["new_versions"] == 1
    withdrawn = _run(
        home, "withdraw", "QT.GĐ.01", "--on", "2026-06-30", "--reason", "Thay bằng quy trình điện tử"
    )
    line = " ".join(withdrawn.stdout.split())
    assert "(v2), on 30/06/2026" in line and "status: withdrawn" in line

    data = json.loads(_run(home, "show", "QT.GĐ.01", "--json").stdout)
    assert data["code"] == "QT.GĐ.01" and data["version"] == 2 and data["status"] == "withdrawn"
    assert [(v["version"], v["status"]) for v in data["versions"]] == [(1, "superseded"), (2, "withdrawn")]
    with Store.open(home / "registry.db") as store:
        issuer = document_by_number(store, "3005/QĐ-UBND").issuer  # type: ignore[union-attr]
    events = [(e["version"], e["kind"], e["on"], e["by"], e["evidence"]) for e in data["events"]]
    assert events == [
        (1, "published", "2025-12-01", issuer, "3005/QĐ-UBND"),  # from the decision itself
        (1, "publicized", "2025-12-04", None, "https://motcua.hatinh.gov.vn"),
        (1, "reviewed", "2025-12-10", "Nguyễn Văn A", None),
        (1, "superseded", "2026-01-15", issuer, "3150/QĐ-UBND"),
        (2, "published", "2026-01-15", issuer, "3150/QĐ-UBND"),
        (2, "withdrawn", "2026-06-30", None, None),
    ]
    assert data["events"][2]["note"] == "Rà soát định kỳ"
    assert data["events"][5]["note"] == "Thay bằng quy trình điện tử"
    assert data["events"][1]["where"] == "https://motcua.hatinh.gov.vn"
    assert [e["origin"] for e in data["events"]] == ["ingest", "user", "user", "ingest", "ingest", "user"]
    assert data["history"] == {"sound": True, "first_bad_event": None, "reason": None, "incidents": []}
    for key in ("code", "name", "version", "status", "time_limit", "steps", "events"):
        assert key in data
    assert {"order", "text", "responsible", "hours", "duration_text"} <= set(data["steps"][0])
    # version 2 carries the shortened step; version 1 is kept unchanged
    b5 = next(s for s in data["steps"] if s["label"] == "B5")
    assert b5["hours"] == 8.0

    text = _run(home, "show", "QT.GĐ.01").stdout
    for needle in (
        "01/12/2025",  # dates as dd/mm/yyyy in every language
        "04/12/2025",
        "10/12/2025",
        "15/01/2026",
        "30/06/2026",
        "Nguyễn Văn A",
        "https://motcua.hatinh.gov.vn",
        "3150/QĐ-UBND",
        "Thay bằng quy trình điện tử",
        "reviewed",
        "published",
        "publicized",
        "superseded",
        "withdrawn",
    ):
        assert needle in text, needle
    assert max(len(line) for line in text.splitlines()) <= 100

    # QT.GĐ.02 was republished unchanged: still version 1, with both decisions as evidence
    other = json.loads(_run(home, "show", "QT.GĐ.02", "--json").stdout)
    assert other["version"] == 1
    assert [e["evidence"] for e in other["events"] if e["kind"] == "published"] == [
        "3005/QĐ-UBND",
        "3150/QĐ-UBND",
    ]


def test_withdrawn_procedure_refuses_new_publication(home: Path) -> None:
    _run(home, "ingest", str(SOURCE))
    _run(home, "withdraw", "QT.GĐ.02", "--on", "2026-01-01", "--reason", "Hết hiệu lực")
    result = CliRunner().invoke(
        cli, ["--home", str(home), "publish", "QT.GĐ.02", "--decision", "1/QĐ-X", "--on", "2026-01-02"]
    )
    assert result.exit_code == 2 and "withdrawn" in result.stderr and "procreg restore" in result.stderr
    # A withdrawn procedure takes no event at all now, a review included (issue 13).
    review = CliRunner().invoke(cli, ["--home", str(home), "review", "QT.GĐ.02", "--on", "2026-01-02"])
    assert review.exit_code == 2 and "withdrawn" in review.stderr


def test_bad_dates_and_unknown_codes(home: Path) -> None:
    _run(home, "ingest", str(SOURCE))
    runner = CliRunner()
    bad = runner.invoke(cli, ["--home", str(home), "review", "QT.GĐ.01", "--on", "30/02/2026"])
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    missing = runner.invoke(cli, ["--home", str(home), "review", "QT.GĐ.09", "--on", "2026-01-01"])
    assert missing.exit_code == 4 and "did you mean" in missing.stderr
    with Store.open(home / "registry.db") as store:
        assert all(e.kind == "published" for p in store.procedures() for e in p.events)


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_issue_13_catalog_entries_take_events_by_name_and_handle(tmp_path: Path, home: Path) -> None:
    """A catalog entry with no process is found by its name or its #DM handle, and counts in the audit."""
    from fixtures.decisions import decision

    path = tmp_path / "qd-60.txt"
    catalog = [("Cho phép tổ chức hội nghị quốc tế", ""), ("Thẩm định đề án hợp tác quốc tế", "")]
    processes = [("QT.NV.01", "Cho phép tổ chức hội nghị quốc tế", [("Tiếp nhận", "Văn thư", "01 ngày")])]
    path.write_text(decision("60/QĐ-SNgV", "15", "03", catalog, processes), encoding="utf-8")
    _run(home, "ingest", str(path))
    gaps = _run(home, "audit", "--period", "2023", "--target", "90").stdout
    line = next(x for x in gaps.splitlines() if "Thẩm định đề án hợp tác quốc tế" in x)
    handle = line.split()[1]
    assert handle.startswith("#DM")
    by_name = _run(home, "review", "tham dinh de an hop tac quoc te", "--on", "2023-04-01").stdout
    assert f"(danh mục {handle})" in " ".join(by_name.split())
    by_handle = _run(home, "publicize", handle.lower(), "--on", "2023-04-02", "--where", "https://x.gov.vn")
    assert f"(danh mục {handle})" in " ".join(by_handle.stdout.split())
    data = json.loads(_run(home, "audit", "--period", "2023", "--target", "90", "--json").stdout)
    item = next(i for i in data["items"] if i["handle"] == handle)
    assert item["covered"] and [e["verb"] for e in item["evidence"]] == [
        "reviewed",
        "published",
        "publicized",
    ]
