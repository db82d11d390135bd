"""Scenario, through the CLI only: 41 internal procedures in 4 units, three publishing decisions in the
Hà Tĩnh layout, review / publicize / withdraw events; the audit must give the figures computed by hand.
"""

# ruff: noqa: E501 - the generated decision text is data; its lines stay whole
from __future__ import annotations

import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from procreg import cli

UNITS = ("Phòng Hợp tác quốc tế", "Phòng Quản lý Biên giới", "Phòng Kinh tế đối ngoại", "Phòng Lãnh sự")
TOPICS = (
    "cho phép tổ chức hội nghị quốc tế",
    "cử cán bộ đi công tác nước ngoài",
    "đón tiếp khách nước ngoài",
    "thẩm định đề án hợp tác quốc tế",
    "quản lý thẻ ABTC",
    "tiếp nhận viện trợ phi chính phủ",
    "xác minh nhân thân người nước ngoài",
    "ký kết thỏa thuận quốc tế",
)
# (number, ISO date, printed date, orders công khai, procedure numbers)
DECISIONS = (
    ("12/QĐ-SNgV", "2023-02-10", ("10", "02", "2023"), True, [*range(1, 15), 42]),
    ("25/QĐ-SNgV", "2023-03-20", ("20", "03", "2023"), False, range(15, 29)),
    ("40/QĐ-SNgV", "2023-08-15", ("15", "08", "2023"), True, range(29, 42)),
)
WITHDRAWN = 42
AS_OF = "2023-06-30"


def _code(i: int) -> str:
    return f"QT.NV.{i:02d}"


def _name(i: int) -> str:
    return f"Thủ tục nội bộ số {i:02d} về {TOPICS[i % len(TOPICS)]}"


def _unit(i: int) -> str:
    return UNITS[i % len(UNITS)]


def _reviews(i: int) -> list[str]:
    out = []
    if i % 3 != 0:
        out.append("2023-04-10" if i % 2 == 0 else "2023-09-12")
    if i % 9 == 0:
        out.append("2022-11-20")  # outside the period: does not count
    return out


def _publicize(i: int) -> str | None:
    if not 15 <= i <= 28:
        return None
    if i % 2 == 1:
        return "2023-05-05"
    return "2023-10-02" if i % 4 == 0 else None


def _decision_file(number: str, printed: tuple[str, str, str], orders: bool, procs: Any) -> str:
    d, m, y = printed
    procs = list(procs)
    article2 = (
        "Điều 2. Giao Văn phòng Sở chủ trì, trong thời hạn 03 ngày làm việc công khai các TTHC nội bộ trên "
        "cơ sở dữ liệu quốc gia về TTHC và Cổng thông tin điện tử của Sở Ngoại vụ."
        if orders
        else "Điều 2. Các phòng chuyên môn thuộc Sở tổ chức thực hiện quy trình nội bộ theo quy định."
    )
    lines = [
        "| SỞ NGOẠI VỤ TỈNH HÀ TĨNH -------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |",
        f"| Số: {number} | Hà Tĩnh, ngày {d} tháng {m} năm {y} |",
        "QUYẾT ĐỊNH",
        "CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH NỘI BỘ LĨNH VỰC NGOẠI VỤ THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ NGOẠI VỤ",
        "GIÁM ĐỐC SỞ NGOẠI VỤ",
        "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ;",
        "Theo đề nghị của Chánh Văn phòng Sở.",
        "QUYẾT ĐỊNH:",
        f"Điều 1. Công bố kèm theo Quyết định này Danh mục và Quy trình nội bộ {len(procs):02d} thủ tục hành chính "
        "nội bộ lĩnh vực ngoại vụ.",
        article2,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ban hành./.",
        "| Nơi nhận: - Như Điều 3; - Lưu: VT. | GIÁM ĐỐC Nguyễn Văn An |",
        "DANH MỤC VÀ QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH NỘI BỘ LĨNH VỰC NGOẠI VỤ",
        f"(Kèm theo Quyết định số {number} ngày {d}/{m}/{y} của Giám đốc Sở Ngoại vụ)",
        "A. DANH MỤC THỦ TỤC HÀNH CHÍNH",
        "| TT | Tên thủ tục hành chính | Mã TTHC | Thời hạn giải quyết | Địa điểm thực hiện | Phí, lệ phí | Căn cứ pháp lý |",
    ]
    for n, i in enumerate(procs, 1):
        lines.append(
            f"| {n} | {_name(i)} |  | 05 ngày làm việc | Sở Ngoại vụ | Không | Quyết định số 1085/QĐ-TTg |"
        )
    lines.append("B. QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH")
    for n, i in enumerate(procs, 1):
        lines += [
            f"{n}. {_name(i)}",
            f"| 1 | KÝ HIỆU QUY TRÌNH | {_code(i)} |",
            "| 2 | NỘI DUNG QUY TRÌNH |",
            "| 2.1 | Điều kiện thực hiện TTHC: Không |",
            "| 2.5 | Thời hạn giải quyết: 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ. |",
            "| 2.10 | Quy trình xử lý công việc |",
            "| TT | Trình tự | Trách nhiệm | Thời gian | Biểu mẫu/Kết quả |",
            "| B1 | Tiếp nhận hồ sơ | Văn thư | Giờ hành chính | Mẫu 01 |",
            "| B2 | Phân công xử lý hồ sơ | Lãnh đạo Sở | 0,5 ngày làm việc | Mẫu 05 |",
            f"| B3 | Thẩm định hồ sơ, dự thảo văn bản | {_unit(i)} | 03 ngày làm việc | Dự thảo |",
            "| B4 | Xem xét, ký duyệt | Lãnh đạo Sở | 01 ngày làm việc | Văn bản |",
            "| B5 | Phát hành, trả kết quả | Văn thư | 0,5 ngày làm việc | Mẫu 06 |",
            "| 3 | BIỂU MẪU | Mẫu 01, Mẫu 05, Mẫu 06 |",
            "| 4 | HỒ SƠ LƯU | Lưu tại phòng chủ trì, thời gian lưu 05 năm |",
        ]
    return "\n".join(lines) + "\n"


def _pct(covered: int, total: int) -> float:
    if not total:
        return 0.0
    return float((Decimal(100 * covered) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _expected(cutoff: str) -> dict[str, Any]:
    """The audit worked out by hand from the scenario's rules."""
    decision_of = {i: dec for dec in DECISIONS for i in dec[4]}
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    covered_codes = set()
    total = covered = 0
    for i in range(1, 43):
        number, issued, _, orders, _ = decision_of[i]
        if i == WITHDRAWN or issued > cutoff:
            continue  # withdrawn on 2023-05-02 / not yet registered
        reviewed = any("2023-01-01" <= d <= cutoff for d in _reviews(i))
        ev = _publicize(i)
        publicized = orders or (ev is not None and ev <= cutoff)
        ok = reviewed and publicized  # every procedure is published by its decision
        total += 1
        covered += ok
        per_unit[_unit(i)][0] += ok
        per_unit[_unit(i)][1] += 1
        if ok:
            covered_codes.add((_code(i), number))
    return {
        "coverage": {"covered": covered, "in_scope": total, "percent": _pct(covered, total)},
        "by_unit": {u: (c, n, _pct(c, n)) for u, (c, n) in per_unit.items()},
        "covered": covered_codes,
    }


def _run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(cli.cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("scenario")
    home = tmp / "home"
    files = []
    for number, _, printed, orders, procs in DECISIONS:
        path = tmp / f"qd-{number.split('/')[0]}-sngv.txt"
        path.write_text(_decision_file(number, printed, orders, procs), encoding="utf-8")
        files.append(str(path))
    runner = CliRunner(env={"PROCREG_HOME": str(home)})
    out = json.loads(_run(runner, "ingest", *files, "--json").stdout)
    assert len(out["ingested"]) == 3 and not out["failed"]
    issued = {i: dec[1] for dec in DECISIONS for i in dec[4]}
    for i in range(1, 43):
        for on in _reviews(i):
            # A review dated before the procedure's decision is refused unless forced (issue 13); a forced
            # event stands (the override is kept on it), so the hand count is unchanged.
            force = ["--force"] if on < issued[i] else []
            _run(runner, "review", _code(i), "--on", on, "--by", "Văn phòng Sở", *force)
        ev = _publicize(i)
        if ev:
            _run(runner, "publicize", _code(i), "--on", ev, "--where", "https://songoaivu.hatinh.gov.vn/tthc")
    _run(runner, "withdraw", _code(WITHDRAWN), "--on", "2023-05-02", "--reason", "nhập trùng")
    return home


def _audit(home: Path, *args: str) -> tuple[int, Any]:
    runner = CliRunner(env={"PROCREG_HOME": str(home)})
    result = runner.invoke(cli.cli, ["audit", "--period", "2023", *args], catch_exceptions=False)
    return result.exit_code, result


@pytest.mark.parametrize("as_of", [None, AS_OF])
def test_audit_figures_match_the_hand_count(registry: Path, as_of: str | None) -> None:
    code, result = _audit(registry, "--json", *(["--as-of", as_of] if as_of else []))
    assert code == 0, result.stderr
    data = json.loads(result.stdout)
    want = _expected(as_of or "2023-12-31")
    assert data["coverage"] == want["coverage"]
    got_units = {u["unit"]: (u["covered"], u["in_scope"], u["percent"]) for u in data["by_unit"]}
    assert got_units == want["by_unit"]
    assert data["period"]["from"] == "2023-01-01" and data["period"]["to"] == "2023-12-31"
    covered = {
        (i["code"], e["document"])
        for i in data["items"]
        if i["covered"]
        for e in i["evidence"]
        if e["verb"] == "published"
    }
    assert covered == want["covered"]
    for item in data["items"]:
        assert item["covered"] == (not item["missing"])
        if item["covered"]:
            assert {e["verb"] for e in item["evidence"]} == {"reviewed", "published", "publicized"}
    assert any(o["code"] == _code(WITHDRAWN) and o["reason"] == "withdrawn" for o in data["out_of_scope"])


def test_as_of_gives_lower_figures(registry: Path) -> None:
    full = json.loads(_audit(registry, "--json")[1].stdout)["coverage"]
    mid = json.loads(_audit(registry, "--json", "--as-of", AS_OF)[1].stdout)["coverage"]
    assert mid["covered"] < full["covered"]


def test_fail_under_exits_10_below_and_0_above(registry: Path) -> None:
    pct = _expected("2023-12-31")["coverage"]["percent"]
    code, result = _audit(registry, "--fail-under", str(pct + 0.5))
    assert code == 10
    assert "Chưa đạt" in result.stdout or "Đạt" in result.stdout  # the report is printed first
    assert "fail-under" in result.stderr
    code, _ = _audit(registry, "--fail-under", str(pct - 0.5))
    assert code == 0


def test_unit_filter_matches_the_unit_row(registry: Path) -> None:
    want = _expected("2023-12-31")["by_unit"]["Phòng Lãnh sự"]
    data = json.loads(_audit(registry, "--json", "--unit", "phong lanh su")[1].stdout)
    assert (data["coverage"]["covered"], data["coverage"]["in_scope"], data["coverage"]["percent"]) == want


def test_reports_in_every_format(registry: Path, tmp_path: Path) -> None:
    import csv

    import docx

    want = _expected("2023-12-31")["coverage"]
    code, result = _audit(registry, "--csv")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert code == 0 and len(rows) == want["in_scope"]
    html = tmp_path / "r.html"
    assert _audit(registry, "-o", str(html), "--date", "2023-12-31")[0] == 0
    assert "<svg" in html.read_text(encoding="utf-8")
    out = tmp_path / "r.docx"
    code, result = _audit(registry, "--format", "docx", "-o", str(out), "--date", "2023-12-31")
    assert code == 0 and str(out) in result.stderr
    document = docx.Document(str(out))
    assert len(document.tables) >= 6
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO\nKết quả rà soát, công bố, công khai thủ tục hành chính nội bộ năm 2023" in text


def test_docx_without_output_goes_to_a_default_name(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, result = _audit(registry, "--format", "docx", "--date", "2024-01-05")
    assert code == 0 and result.stdout == ""
    written = tmp_path / "bao-cao-ra-soat-tthc-noi-bo-2023-2024-01-05.docx"
    assert written.is_file() and written.name in result.stderr


def test_half_year_period_equals_from_to_and_conflicts_are_usage_errors(registry: Path) -> None:
    runner = CliRunner(env={"PROCREG_HOME": str(registry)})

    def run(*args: str) -> Any:
        return runner.invoke(cli.cli, ["audit", "--json", *args], catch_exceptions=False)

    h1 = json.loads(run("--period", "2023-H1").stdout)
    ft = json.loads(run("--from", "01/01/2023", "--to", "2023-06-30").stdout)
    assert h1["period"] == ft["period"] == {"from": "2023-01-01", "to": "2023-06-30", "as_of": None}
    assert h1["coverage"] == ft["coverage"]
    bad = run("--period", "2023", "--from", "2023-01-01")
    assert bad.exit_code == 2 and "--period" in bad.stderr
    assert run("--target", "150").exit_code == 2
