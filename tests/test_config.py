"""``procreg config``: the registry's report settings, and the audit report that reads them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from procreg import Registry, cli
from procreg.registry.errors import NotFound, UsageError
from procreg.registry.results import OPTIONAL_SETTINGS, REPORT_SETTINGS, ReportSettings
from procreg.registry.store import SCHEMA_VERSION, Store, read_settings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROOM = "\u00a0" * 8  # room for the number the văn thư writes on issuing
DEMO = {
    "agency": "Sở Ngoại vụ",
    "parent_agency": "UBND tỉnh Hà Tĩnh",
    "place": "Hà Tĩnh",
    "signer_name": "Nguyễn Văn Minh (tên minh họa)",
    "signer_position": "GIÁM ĐỐC",
    "report_symbol": "SNgV",
}


def _run(home: Path, *args: str) -> Any:
    return CliRunner(env={"PROCREG_HOME": str(home)}).invoke(cli.cli, list(args))


def test_reading_settings_never_creates_the_registry(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (("config", "list", "--json"), ("config",), ("config", "set", "agency", "Sở Ngoại vụ")):
        result = _run(home, *args)
        assert result.exit_code == 4 and "procreg init" in result.stderr, result.output
    assert not home.exists()
    with pytest.raises(NotFound):
        Registry(home).config()
    assert _run(home, "init").exit_code == 0
    result = _run(home, "config", "list", "--json")
    assert json.loads(result.stdout) == {"settings": dict.fromkeys(REPORT_SETTINGS)}
    assert Registry(home).config() == {} and Registry(home).report_settings().missing() == tuple(
        key for key in REPORT_SETTINGS if key not in OPTIONAL_SETTINGS
    )


def test_set_get_list_unset(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "init").stdout == f"Created a new registry in {home}\n"
    result = _run(home, "config", "set", "agency", "  Sở   Ngoại vụ ")
    assert (result.exit_code, result.stdout) == (0, "agency = Sở Ngoại vụ\n")
    assert _run(home, "config", "get", "agency").stdout == "Sở Ngoại vụ\n"
    listing = _run(home, "config", "list").stdout
    assert "agency           Sở Ngoại vụ" in listing and "place            (not set:" in listing
    assert json.loads(_run(home, "config", "list", "--json").stdout)["settings"]["agency"] == "Sở Ngoại vụ"
    assert _run(home, "config", "unset", "agency").stdout == "agency: cleared\n"
    assert _run(home, "config", "unset", "agency").stdout == "agency: was not set\n"
    missing = _run(home, "config", "get", "agency")
    assert missing.exit_code == 4 and "not set" in missing.stderr


def test_page_one_number_takes_yes_or_no_in_either_language(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "init").exit_code == 0
    refused = _run(home, "config", "set", "page_one_number", "maybe")
    assert refused.exit_code == 2 and "takes yes or no" in refused.stderr
    assert _run(home, "config", "set", "page_one_number", "Có").exit_code == 0
    assert Registry(home).report_settings().numbers_first_page
    assert _run(home, "config", "set", "page_one_number", "khong").exit_code == 0
    assert not Registry(home).report_settings().numbers_first_page


def test_unknown_key_is_exit_2_with_the_known_keys(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (("set", "agencyy", "x"), ("get", "agencyy"), ("unset", "agencyy")):
        result = _run(home, "config", *args)
        assert result.exit_code == 2, result.output
        assert "unknown setting 'agencyy'" in result.stderr
        assert all(key in result.stderr for key in REPORT_SETTINGS)
    assert _run(home, "config", "set", "agency", "  ").exit_code == 2
    assert not home.exists()


def test_api_settings(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "home")
    assert reg.init() is True and reg.init() is False
    assert (
        reg.set_config("signer_position", "KT. GIÁM ĐỐC\n  PHÓ GIÁM ĐỐC  \n") == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    )
    assert reg.config() == {"signer_position": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"}
    assert reg.get_config("signer_position").startswith("KT.")
    assert reg.report_settings() == ReportSettings(signer_position="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    assert reg.unset_config("signer_position") is True and reg.config() == {}
    with pytest.raises(UsageError):
        reg.set_config("nope", "x")
    with pytest.raises(NotFound):
        reg.get_config("place")


def test_a_schema_2_registry_gains_the_settings_table(tmp_path: Path) -> None:
    from procreg.registry.store.schema import MIGRATIONS, split_script

    db = tmp_path / "registry.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for script in MIGRATIONS[:2]:  # a registry as schema 2 left it
        for statement in split_script(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    assert read_settings(db) == {}  # read-only: no migration
    Registry(tmp_path).set_config("place", "Hà Tĩnh")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
    conn.close()
    assert read_settings(db) == {"place": "Hà Tĩnh"}


def test_setting_leaves_the_data_version_alone(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    with Store.open(db) as store:
        before = store.data_version()
    Registry(tmp_path).set_config("place", "Hà Tĩnh")
    with Store.open(db) as store:
        assert store.data_version() == before  # the search index stays in line


# --------------------------------------------------------------------------------------------------
# The report reads them.


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("config") / "home"
    files = ("kh-01-sngv-2023-cchc.txt", "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx")
    result = _run(h, "ingest", *(str(SAMPLES / f) for f in files))
    assert result.exit_code == 0, result.output
    return h


def _docx_text(path: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """The non-empty lines of the header's two cells, of "Nơi nhận" and of the signature block."""
    import docx

    d = docx.Document(str(path))

    def lines(cell: Any) -> list[str]:
        return [p.text for p in cell.paragraphs if p.text]

    header, closing = d.tables[0].rows[0].cells, d.tables[-1].rows[0].cells
    return lines(header[0]), lines(header[1]), lines(closing[0]), lines(closing[1])


def test_unset_settings_print_as_dotted_lines_with_a_notice(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = _run(home, "audit", "--period", "2023", "--date", "2023-12-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    left, right, recipients, signature = _docx_text(out)
    assert left == ["……………", "……………", "Số:" + ROOM + "/BC-……………"]
    assert right[-1] == "……………, ngày 31 tháng 12 năm 2023"
    assert recipients == ["Nơi nhận:", "- ……………;", "- Lưu: VT."]
    assert signature == ["……………", "……………"]
    notice = [line for line in result.stderr.splitlines() if "report settings not set" in line]
    assert len(notice) == 1 and "agency, parent_agency, place, signer_name" in notice[0]
    for args in (("--format", "html"), ("--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))):
        assert "report settings not set" in _run(home, "audit", "--period", "2023", *args).stderr
    for args in (("--json",), ("--format", "md"), ()):
        assert "report settings" not in _run(home, "audit", "--period", "2023", *args).stderr


def test_the_report_prints_the_settings(home: Path, tmp_path: Path) -> None:
    settings = {**DEMO, "recipients": "UBND tỉnh (để b/c);\n- Sở Nội vụ;\nLưu: VT, VPTTr."}
    for key, value in settings.items():
        assert _run(home, "config", "set", key, value).exit_code == 0
    out = tmp_path / "r.docx"
    result = _run(
        home, "audit", "--period", "2023", "--date", "2023-02-05", "--format", "docx", "-o", str(out)
    )
    assert result.exit_code == 0 and "report settings" not in result.stderr
    left, right, recipients, signature = _docx_text(out)
    assert left == ["UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ", "Số:" + ROOM + "/BC-SNgV"]
    # Nghị định 30: a day below 10 and the months 1 and 2 take a leading zero.
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Tĩnh, ngày 05 tháng 02 năm 2023",
    ]
    assert recipients == ["Nơi nhận:", "- UBND tỉnh (để b/c);", "- Sở Nội vụ;", "- Lưu: VT, VPTTr."]
    assert signature == ["GIÁM ĐỐC", "Nguyễn Văn Minh (tên minh họa)"]
    for key in settings:
        assert _run(home, "config", "unset", key).exit_code == 0
