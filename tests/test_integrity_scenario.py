"""Issue 13 through the CLI only: an audit a department can sign, with every figure worked out by hand.

The department's two decisions of 2023 in the Hà Tĩnh layout, written here:

- 45/QĐ-SNgV of 15/03/2023 publishes QT.NV.01, QT.NV.02, QT.NV.03 and a catalog entry with no process,
  2.000884 (thẻ ABTC); it does not order công khai. It is ingested as .txt, .docx and .pdf (the latter two
  rendered by ``tests/fixtures/build.py``), then as a changed copy (one step's time edited).
- 52/QĐ-SNgV of 10/09/2023 publishes two processes that share the code QT.NV.05 (the quy trình nội bộ
  and the quy trình điện tử of one TTHC).

So six items are in scope for 2023: QT.NV.01, QT.NV.02, QT.NV.03, 2.000884, and the two QT.NV.05.
Every command runs in a subfolder of the project with no --home and no PROCREG_HOME: the registry is
the project's ``.procreg``, found by walking up (Build 9).
"""

# ruff: noqa: E501 - the decision text is data; its lines stay whole
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fixtures.build import render_file
from fixtures.decisions import decision as _decision

from procreg.cli import cli

PORTAL = "https://songoaivu.hatinh.gov.vn/tthc-noi-bo"
CATALOG_A = [
    ("Cho phép tổ chức hội nghị, hội thảo quốc tế", ""),
    ("Cử cán bộ đi công tác nước ngoài", ""),
    ("Đón tiếp khách nước ngoài", ""),
    ("Thẩm định hồ sơ cấp thẻ đi lại của doanh nhân APEC", "2.000884"),
]
PROCESSES_A = [
    (
        "QT.NV.01",
        "Cho phép tổ chức hội nghị, hội thảo quốc tế",
        [
            ("Tiếp nhận hồ sơ", "Văn phòng - Thanh tra Sở", "0,5 ngày làm việc"),
            ("Thẩm định hồ sơ", "Phòng Hợp tác quốc tế", "03 ngày làm việc"),
            ("Ký duyệt", "Lãnh đạo Sở", "01 ngày làm việc"),
        ],
    ),
    (
        "QT.NV.02",
        "Cử cán bộ đi công tác nước ngoài",
        [
            # The same unit as QT.NV.01's first step, with an en dash and a final full stop (Build 8).
            ("Tiếp nhận hồ sơ", "Văn phòng – Thanh tra Sở.", "0,5 ngày làm việc"),
            ("Thẩm định hồ sơ", "Phòng Hợp tác quốc tế", "03 ngày làm việc"),
            # "hoặc" inside a clause: no unit "có ý kiến khác" may come of it (Build 8).
            ("Lấy ý kiến", "Tổ chức, cá nhân nếu có yêu cầu hoặc có ý kiến khác", "01 ngày làm việc"),
        ],
    ),
    (
        "QT.NV.03",
        "Đón tiếp khách nước ngoài",
        [
            ("Tiếp nhận hồ sơ", "văn phòng - thanh tra sở", "0,5 ngày làm việc"),  # the same unit, lower case
            ("Phát hành văn bản", "Văn thư hoặc Bộ phận Một cửa", "01 ngày làm việc"),  # two units
        ],
    ),
]
CATALOG_B = [("Cho phép tổ chức hội nghị trực tuyến", "")]
PROCESSES_B = [
    (
        "QT.NV.05",
        "Cho phép tổ chức hội nghị trực tuyến (quy trình nội bộ)",
        [("Tiếp nhận hồ sơ", "Văn phòng - Thanh tra Sở", "0,5 ngày làm việc")],
    ),
    (
        "QT.NV.05",
        "Cho phép tổ chức hội nghị trực tuyến (quy trình điện tử)",
        [("Tiếp nhận hồ sơ trên Hệ thống", "Bộ phận Một cửa", "0,5 ngày làm việc")],
    ),
]


class Office:
    """The department's project folder; every command runs in ``work`` below it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "ho-so" / "2023"
        self.work.mkdir(parents=True)
        self.runner = CliRunner(env={"PROCREG_HOME": ""})

    def run(self, *args: str, code: int = 0, cwd: Path | None = None) -> Result:
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(cwd or self.work)
            result = self.runner.invoke(cli, list(args))
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        return result

    def audit(self, period: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            self.run("audit", "--period", period, "--target", "90", "--json").stdout
        )
        return data

    def figures(self, period: str) -> tuple[int, int]:
        coverage = self.audit(period)["coverage"]
        return coverage["covered"], coverage["in_scope"]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    return Office(tmp_path_factory.mktemp("so-ngoai-vu"))


@pytest.fixture(scope="module")
def decision_a(office: Office) -> Path:
    path = office.root / "van-ban" / "qd-45-sngv-2023.txt"
    path.parent.mkdir()
    path.write_text(_decision("45/QĐ-SNgV", "15", "03", CATALOG_A, PROCESSES_A), encoding="utf-8")
    return path


def _steps_of(office: Office, code: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = json.loads(office.run("show", code, "--json").stdout)["steps"]
    return steps


# The steps run in order and build on one another (module-scoped registry).


def test_1_one_decision_in_three_formats_counts_once(office: Office, decision_a: Path) -> None:
    assert "no registry here" in office.run("list", code=4).stderr  # and none was made
    first = office.run("ingest", str(decision_a), cwd=office.root)
    assert f"procreg: created a new registry in {office.root / '.procreg'}" in first.stderr
    # Made at the project's root; every later command, run in ho-so/2023 below it, finds it there.
    assert (office.root / ".procreg" / "registry.db").is_file() and not (office.work / ".procreg").exists()
    assert office.figures("2023") == (0, 4)  # QT.NV.01-03 and 2.000884; published, not reviewed or public
    docx, pdf = render_file(decision_a, "docx"), render_file(decision_a, "pdf")
    again = json.loads(office.run("ingest", str(docx), str(pdf), "--json").stdout)
    assert again["ingested"] == [] and again["failed"] == []
    assert [(r["path"], r["number"], r["from"]) for r in again["recognised"]] == [
        (str(docx), "45/QĐ-SNgV", str(decision_a)),
        (str(pdf), "45/QĐ-SNgV", str(decision_a)),
    ]
    assert all(r["warnings"] == [] for r in again["recognised"])
    human = office.run("ingest", str(docx)).stdout  # same bytes again: unchanged, said with -v only
    assert "0 ingested" in human
    assert office.figures("2023") == (0, 4)  # still four items: three renderings, one decision
    listed = json.loads(office.run("list", "--json").stdout)
    assert [p["code"] for p in listed["procedures"]] == ["QT.NV.01", "QT.NV.02", "QT.NV.03"]


def test_2_one_unit_one_row_and_no_clause_fragments(office: Office) -> None:
    units = json.loads(office.run("units", "--json").stdout)["units"]
    names = sorted(u["name"] for u in units)
    assert names == [
        "Bộ phận Một cửa",
        "Lãnh đạo Sở",
        "Phòng Hợp tác quốc tế",
        "Tổ chức, cá nhân nếu có yêu cầu hoặc có ý kiến khác",
        "Văn phòng - Thanh tra Sở",
        "Văn thư",
    ]
    office_unit = next(u for u in units if u["name"] == "Văn phòng - Thanh tra Sở")
    assert (office_unit["steps"], office_unit["procedures"]) == (3, 3)
    assert [s["responsible"] for s in _steps_of(office, "QT.NV.03")] == [
        ["Văn phòng - Thanh tra Sở"],
        ["Văn thư", "Bộ phận Một cửa"],
    ]


def test_3_a_second_decision_with_a_shared_code(office: Office) -> None:
    path = office.root / "van-ban" / "qd-52-sngv-2023.txt"
    path.write_text(_decision("52/QĐ-SNgV", "10", "09", CATALOG_B, PROCESSES_B), encoding="utf-8")
    office.run("ingest", str(path))
    assert office.figures("2023") == (0, 6)
    shared = office.run("review", "QT.NV.05", "--on", "2023-09-20", code=4)
    assert "2 procedures match 'QT.NV.05'" in shared.stderr and "give the id" in shared.stderr


def _ids(office: Office, code: str) -> list[int]:
    data = json.loads(office.run("list", "--json").stdout)
    return [p["id"] for p in data["procedures"] if p["code"] == code]


def test_4_wrong_events_are_refused_with_the_reason(office: Office) -> None:
    future = office.run("review", "QT.NV.01", "--on", "2099-01-01", code=2)
    assert "2099-01-01 is in the future" in future.stderr and "Nothing was recorded" in future.stderr
    old = office.run("review", "QT.NV.01", "--on", "01/01/1999", code=2)
    assert "before QT.NV.01 was issued (45/QĐ-SNgV, 2023-03-15)" in old.stderr
    unknown = office.run("publish", "QT.NV.01", "--decision", "45/QĐ-SNG", code=4)
    assert (
        "decision 45/QĐ-SNG is not in the registry (did you mean: 45/QĐ-SNgV; 52/QĐ-SNgV?)" in unknown.stderr
    )
    early = office.run("publicize", "QT.NV.03", "--on", "2023-03-14", "--where", PORTAL, code=2)
    assert "công khai on 2023-03-14 comes before its công bố on 2023-03-15 by 45/QĐ-SNgV" in early.stderr
    # QD = QĐ: the decision's own publication, logged at ingest, is not recorded twice.
    same = office.run("publish", "QT.NV.01", "--decision", "45/QD-SNgV")
    assert same.stdout.startswith("Event #") and "nothing more recorded" in same.stdout
    assert office.figures("2023") == (0, 6)  # nothing was recorded


def test_5_events_on_both_sides_of_the_period_boundary(office: Office) -> None:
    for _ in range(4):  # four identical reviews make one history line
        office.run("review", "QT.NV.01", "--on", "2023-06-30", "--by", "Văn phòng Sở")
    events = json.loads(office.run("show", "QT.NV.01", "--json").stdout)["events"]
    assert [e["kind"] for e in events].count("reviewed") == 1
    office.run("review", "QT.NV.02", "--on", "01/07/2023", "--by", "Văn phòng Sở")
    office.run("review", "QT.NV.03", "--on", "2023-05-10")
    for code in ("QT.NV.01", "QT.NV.02"):
        office.run("publicize", code, "--on", "2023-07-03", "--where", PORTAL)
    first, second = _ids(office, "QT.NV.05")
    office.run("review", f"#{first}", "--on", "2023-09-20")
    office.run("publicize", f"#{first}", "--on", "2023-09-21", "--where", PORTAL)
    # By hand, 2023: QT.NV.01 (06-30, 03-15, 07-03), QT.NV.02 (07-01, 03-15, 07-03) and the first QT.NV.05
    # (09-20, 09-10, 09-21) hold all three; QT.NV.03 lacks công khai, 2.000884 a review and công khai,
    # the second QT.NV.05 a review and công khai.
    assert office.figures("2023") == (3, 6)
    # H1 (to 06-30): 52/QĐ-SNgV is not registered yet; QT.NV.01 is reviewed on the last day but made public
    # only on 07-03.
    assert office.figures("2023-H1") == (0, 4)
    # H2 (from 07-01): 45/QĐ-SNgV's publication of 15/03 is outside it; only QT.NV.05 (first) has all three.
    h2 = office.audit("2023-H2")
    assert (h2["coverage"]["covered"], h2["coverage"]["in_scope"]) == (1, 6)
    one = next(i for i in h2["items"] if i["code"] == "QT.NV.01")
    assert one["missing"] == ["reviewed", "published"]  # the 06-30 review counts in H1, not in H2
    two = next(i for i in h2["items"] if i["code"] == "QT.NV.02")
    assert two["missing"] == ["published"]  # the 07-01 review counts in H2


def test_6_a_catalog_entry_recorded_by_its_national_code(office: Office) -> None:
    gaps = office.run("audit", "--period", "2023", "--target", "90").stdout
    assert "  - 2.000884 Thẩm định hồ sơ cấp thẻ đi lại của doanh nhân APEC [" in gaps
    first, second = _ids(office, "QT.NV.05")
    assert f"  - #{second} QT.NV.05 Cho phép tổ chức hội nghị trực tuyến (quy trình điện tử) [" in gaps
    reviewed = office.run("review", "2.000884", "--on", "2023-08-01", "--by", "Văn phòng Sở")
    line = " ".join(reviewed.stdout.split())
    assert "reviewed, 2.000884 Thẩm định hồ sơ cấp thẻ đi lại của doanh nhân APEC (catalog #DM" in line
    office.run("publicize", "2.000884", "--on", "2023-08-02", "--where", PORTAL)
    data = office.audit("2023")
    item = next(i for i in data["items"] if i["code"] == "2.000884")
    assert item["covered"] and item["deliverables"] == ["catalog"] and item["handle"] == "2.000884"
    assert (data["coverage"]["covered"], data["coverage"]["in_scope"]) == (4, 6)
    handles = {i["handle"] for i in data["items"]}
    assert handles == {"QT.NV.01", "QT.NV.02", "QT.NV.03", "2.000884", f"#{first}", f"#{second}"}


def test_7_an_undo_takes_a_mistaken_event_out_of_the_count(office: Office) -> None:
    done = office.run("publicize", "QT.NV.03", "--on", "2023-04-01", "--where", PORTAL).stdout
    event_id = int(done.split("#", 1)[1].split(":", 1)[0])
    assert office.figures("2023") == (5, 6)
    undone = office.run("undo", str(event_id), "--reason", "Ghi nhầm: QT.NV.03 chưa đăng trên cổng")
    assert f"cancelling event #{event_id} of QT.NV.03" in undone.stdout
    assert office.figures("2023") == (4, 6)
    history = " ".join(office.run("show", "QT.NV.03").stdout.split())
    assert f"(cancelled by event #{event_id + 1})" in history and f"cancels event #{event_id}" in history
    again = office.run("undo", str(event_id), "--reason", "lần nữa", code=2)
    assert f"event #{event_id} was undone already (by event #{event_id + 1})" in again.stderr


def test_8_a_withdrawn_procedure_takes_no_event_but_restore(office: Office) -> None:
    office.run("withdraw", "QT.NV.03", "--on", "2023-10-01", "--reason", "Hợp nhất vào QT.NV.01")
    assert office.figures("2023") == (4, 5)  # withdrawn before the period ends: out of scope
    assert office.figures("2023-H1") == (0, 4)  # still in scope on 30/06
    refused = office.run("review", "QT.NV.03", "--on", "2023-10-02", code=2)
    assert "was withdrawn (thu hồi): it takes no event but `procreg restore QT.NV.03`" in refused.stderr
    office.run("restore", "QT.NV.03", "--on", "2023-10-05", "--reason", "Thu hồi nhầm")
    assert office.figures("2023") == (4, 6)


def test_9_a_changed_reissue_is_a_new_version_and_still_one_item(office: Office, decision_a: Path) -> None:
    changed = office.root / "van-ban" / "qd-45-sngv-2023-sua.txt"
    text = decision_a.read_text(encoding="utf-8")
    edited = text.replace(
        "| B2 | Thẩm định hồ sơ | Phòng Hợp tác quốc tế | 03 ngày làm việc | Mẫu 02 |\n| B3 | Lấy ý kiến",
        "| B2 | Thẩm định hồ sơ | Phòng Hợp tác quốc tế | 02 ngày làm việc | Mẫu 02 |\n| B3 | Lấy ý kiến",
    )
    assert edited != text
    changed.write_text(edited, encoding="utf-8")
    report = json.loads(office.run("ingest", str(changed), "--json").stdout)
    (entry,) = report["ingested"]
    assert entry["number"] == "45/QĐ-SNgV" and entry["new_versions"] == 1 and entry["same"] == 2
    assert entry["changes"] == ["QT.NV.02: bước B2: thời gian “03 ngày làm việc” → “02 ngày làm việc”"]
    human = office.run("ingest", str(changed)).stdout
    assert "0 ingested" in human  # the same bytes again
    shown = json.loads(office.run("show", "QT.NV.02", "--json").stdout)
    assert [(v["version"], v["status"]) for v in shown["versions"]] == [(1, "superseded"), (2, "active")]
    assert shown["steps"][1]["hours"] == 16.0
    superseded = next(e for e in shown["events"] if e["kind"] == "superseded")
    assert "bước B2: thời gian" in superseded["note"]
    assert office.figures("2023") == (4, 6)  # one item still, its review and công khai kept
    assert [p["code"] for p in json.loads(office.run("list", "--json").stdout)["procedures"]].count(
        "QT.NV.02"
    ) == 1


def test_10_the_registry_is_sound_and_says_so(office: Office) -> None:
    checked = office.run("check")
    assert "Verdict: the registry is intact." in checked.stdout
    data = json.loads(office.run("check", "--json").stdout)
    assert data["sound"] and data["first_bad_event"] is None and data["integrity"] == "ok"
