"""Search over the ingested corpus, and the index kept in line with the registry through every command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from procreg.cli import cli
from procreg.index.state import lock_path, write_state
from procreg.registry.service.ingesting import ingest
from procreg.registry.service.searching import check_index, search

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "tests" / "corpus" / "vn-admin-docs"
CORPUS = sorted(DOCS_DIR.glob("*.txt"))
GD = DOCS_DIR / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("corpus") / "home"
    report = ingest(CORPUS, home=home)
    assert not report.failed
    return home


@pytest.fixture
def own_home(corpus_home: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested corpus home, for tests that change it."""
    home = tmp_path / "home"
    shutil.copytree(corpus_home, home)
    return home


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def _ids(home: Path, query: str, **kw: Any) -> list[str]:
    return [h.id for h in search(query, home=home, limit=1000, **kw).hits]


def test_case_and_accents_do_not_change_the_document_set(corpus_home: Path) -> None:
    results = [
        search(q, home=corpus_home, limit=1000)
        for q in ("quy trinh noi bo", "QUY TRÌNH NỘI BỘ", "quy trình nội bộ")
    ]
    assert results[0].total > 10
    assert len({r.total for r in results}) == 1
    assert len({frozenset(h.id for h in r.hits) for r in results}) == 1
    # upper and lower case are the same query: same order too
    assert [h.id for h in results[1].hits] == [h.id for h in results[2].hits]


def test_giam_dinh_phap_y_returns_the_two_procedures_first(corpus_home: Path) -> None:
    hits = search("giam dinh phap y", home=corpus_home).hits
    assert {(h.kind, h.code) for h in hits[:2]} == {("procedure", "QT.GĐ.01"), ("procedure", "QT.GĐ.02")}


def test_dau_thau_finds_the_dau_thau_decisions(corpus_home: Path, truth: dict[str, Any]) -> None:
    numbers = {v["number"] for k, v in truth.items() if "dauthau" in k and v["number"]}
    assert numbers == {"1490/QĐ-UBND", "2890/QĐ-UBND"}
    hits = search("dau thau", home=corpus_home, limit=50).hits
    assert numbers <= {h.code for h in hits if h.kind == "document"}
    assert all("đấu thầu" in (h.title + " " + h.snippet).lower() for h in hits[:5])


def test_code_filter_finds_exactly_one_procedure(corpus_home: Path) -> None:
    for query in ("code:QT.GĐ.01", "code:qt.gd.01"):
        hits = search(query, home=corpus_home).hits
        assert [(h.kind, h.code) for h in hits] == [("procedure", "QT.GĐ.01")]


def test_filters_on_the_corpus(corpus_home: Path) -> None:
    docs = search("kind:decision issued_on:2025-11-01..2025-11-30", home=corpus_home, limit=100)
    assert docs.total > 0 and all(h.kind == "document" for h in docs.hits)
    assert search("code:QT.GĐ.01 status:withdrawn", home=corpus_home).total == 0


def test_cli_human_json_and_no_hits(corpus_home: Path) -> None:
    human = _cli(corpus_home, "search", "giam", "dinh", "phap", "y", "--limit", "2")
    assert human.exit_code == 0, human.output
    first = human.stdout.splitlines()[0]
    assert first.startswith("1. QT.GĐ.0") and "\x1b[" not in human.stdout  # plain when piped
    assert "-- 2 of " in human.stdout
    data = json.loads(_cli(corpus_home, "search", "code:QT.GĐ.02", "--json").stdout)
    assert data["query"] == "code:QT.GĐ.02" and data["total"] == 1
    assert set(data["hits"][0]) >= {"id", "kind", "code", "title", "unit", "status", "score", "snippet"}
    none = _cli(corpus_home, "search", "xyzxyz", "--json")  # one JSON document, hits or not; exit 1
    assert none.exit_code == 1 and "No results." in none.stderr
    nothing = json.loads(none.stdout)
    assert nothing["hits"] == [] and nothing["total"] == 0 and nothing["suggestions"] == []
    typo = _cli(corpus_home, "search", "giam dinh phapy", "--json")
    assert typo.exit_code == 0 and "Searched “giám định pháp y”" in typo.stderr
    data = json.loads(typo.stdout)
    assert data["corrected"] == "giám định pháp y" and data["total"] > 0
    assert data["suggestions"][0] == {"query": "giám định pháp y", "total": data["total"]}
    bad = _cli(corpus_home, "search", '"giam dinh')
    assert bad.exit_code == 0 and "Query not valid" in bad.stderr and "Traceback" not in bad.output


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_index_check_clean_after_ingest_and_rebuild(corpus_home: Path) -> None:
    result = _cli(corpus_home, "index", "check")
    assert result.exit_code == 0, result.output
    assert "khớp với sổ đăng ký" in result.stdout
    data = json.loads(_cli(corpus_home, "index", "check", "--json").stdout)
    assert data["clean"] and data["documents"] > 300


def test_index_check_reports_differences_with_exit_5(own_home: Path) -> None:
    from procreg.index.whoosh_backend import WhooshBackend

    backend = WhooshBackend.open(own_home / "index")
    backend.update(delete=["proc:1"])
    backend.close()
    result = _cli(own_home, "index", "check", "--json")
    assert result.exit_code == 5
    assert json.loads(result.stdout)["missing"] == ["proc:1"]
    assert _cli(own_home, "index", "rebuild").exit_code == 0
    assert _cli(own_home, "index", "check").exit_code == 0


def test_lifecycle_and_new_version_keep_the_index_in_line(own_home: Path, tmp_path: Path) -> None:
    assert _cli(own_home, "review", "QT.GĐ.01", "--on", "2026-03-02", "--by", "Nguyễn Văn A").exit_code == 0
    assert check_index(home=own_home).clean
    assert search("code:QT.GĐ.01 review_due:2027-03-02", home=own_home).total == 1
    text = GD.read_text(encoding="utf-8")
    text = text.replace("Số: 3005/QĐ-UBND", "Số: 3150/QĐ-UBND").replace(
        "| Lãnh đạo Phòng TCHC | 02 ngày |", "| Lãnh đạo Phòng TCHC | 01 ngày |"
    )
    v2 = tmp_path / "qd3150.txt"
    v2.write_text(text, encoding="utf-8")
    assert _cli(own_home, "ingest", str(v2)).exit_code == 0
    assert check_index(home=own_home).clean
    assert len(_ids(own_home, "code:QT.GĐ.01")) == 1
    assert len(_ids(own_home, "code:QT.GĐ.01", all_versions=True)) == 2
    assert _cli(own_home, "withdraw", "QT.GĐ.01", "--on", "2026-06-30", "--reason", "Thay thế").exit_code == 0
    assert check_index(home=own_home).clean
    assert search("code:QT.GĐ.01", home=own_home).hits[0].status == "withdrawn"


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_deleted_index_is_rebuilt_by_the_next_search(
    own_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.rmtree(own_home / "index")
    assert not check_index(home=own_home).clean
    result = _cli(own_home, "search", "giam dinh phap y")
    assert result.exit_code == 0 and "QT.GĐ.0" in result.stdout
    assert "chưa có chỉ mục tìm kiếm; đã dựng lại" in caplog.text  # one-line notice (stderr outside pytest)
    assert check_index(home=own_home).clean


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_schema_change_and_broken_index_are_rebuilt_with_a_notice(
    own_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_state(own_home / "index", schema=0)
    result = _cli(own_home, "search", "dau thau")
    assert result.exit_code == 0 and "phiên bản lược đồ 0" in caplog.text and "đã dựng lại" in caplog.text
    for toc in (own_home / "index").glob("*.toc"):
        toc.write_bytes(b"\0garbage")
    result = _cli(own_home, "search", "dau thau")
    assert result.exit_code == 0 and "không mở được" in caplog.text
    assert check_index(home=own_home).clean


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_interrupted_writer_is_detected_and_repaired(
    own_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from procreg.index.whoosh_backend import WhooshBackend

    backend = WhooshBackend.open(own_home / "index")
    backend.update(delete=["cat:3"])  # the work a killed writer did not finish
    backend.close()
    lock_path(own_home / "index").write_text("writing 999999\n")
    result = _cli(own_home, "search", "dau thau")
    assert result.exit_code == 0 and "(pid 999999) bị ngắt giữa chừng" in caplog.text
    assert lock_path(own_home / "index").exists()  # never deleted, only cleared
    assert lock_path(own_home / "index").read_text() == ""
    assert check_index(home=own_home).clean


def test_writer_lock_serialises_writers(tmp_path: Path) -> None:
    from procreg.index.state import WriterLock
    from procreg.registry.errors import IndexError_

    with (
        WriterLock(tmp_path / "index"),
        pytest.raises(IndexError_, match="locked"),
        WriterLock(tmp_path / "index", timeout=0.2),
    ):
        pass
    with WriterLock(tmp_path / "index") as again:
        assert again.interrupted is None


@pytest.mark.slow
def test_sigkill_during_ingest_then_any_command_leaves_the_index_in_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "PROCREG_HOME"}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, str(ROOT / "cli.py"), "--home", str(home), "ingest", *map(str, CORPUS)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (home / "registry.db").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.6)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    result = _cli(home, "search", "quy trinh")
    assert result.exit_code in (0, 1), result.output
    check = _cli(home, "index", "check")
    assert check.exit_code == 0, check.output


def test_nfd_text_from_a_pdf_is_found_by_nfc_and_unaccented_queries(tmp_path: Path) -> None:
    import unicodedata

    fpdf = pytest.importorskip("fpdf")
    pdfplumber = pytest.importorskip("pdfplumber")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("dv", "", str(ROOT / "tests" / "fixtures" / "fonts" / "DejaVuSans.ttf"))
    pdf.set_font("dv", size=12)
    lines = [
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt quy trình kiểm soát tài liệu nội bộ",
        "Điều 1. Giám định pháp y",
    ]
    for line in lines:
        pdf.cell(0, 10, unicodedata.normalize("NFD", line), new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "nfd.pdf"
    pdf.output(str(path))
    with pdfplumber.open(path) as doc:  # the PDF's text layer really is decomposed
        assert not unicodedata.is_normalized("NFC", doc.pages[0].extract_text())
    home = tmp_path / "home"
    assert not ingest([path], home=home).failed
    for query in (
        "kiểm soát tài liệu",
        "kiem soat tai lieu",
        unicodedata.normalize("NFD", "tài liệu nội bộ"),
    ):
        hits = search(query, home=home).hits
        assert [h.kind for h in hits] == ["document"], query
        assert unicodedata.is_normalized("NFC", hits[0].snippet)


def test_empty_registry_searches_and_checks(tmp_path: Path) -> None:
    home = tmp_path / "empty"
    assert _cli(home, "search", "tai", "lieu").exit_code == 4  # no registry here: nothing is created
    assert not home.exists()
    assert _cli(home, "init").exit_code == 0
    result = _cli(home, "search", "tai", "lieu")
    assert result.exit_code == 1 and result.stdout == ""
    assert _cli(home, "search", "kind:procedure issued_on:2025").exit_code == 1
    assert _cli(home, "index", "check").exit_code == 0


def test_sync_skips_work_only_while_the_index_stands_at_the_registry_version(own_home: Path) -> None:
    from procreg.registry.service.searching import sync_index
    from procreg.registry.store import Store

    index_dir = own_home / "index"
    with Store.open(own_home / "registry.db") as store:
        # The copied home is another registry to the index state: the first sync checks everything...
        assert not sync_index(store, index_dir).up_to_date
        assert sync_index(store, index_dir).up_to_date  # ...the next one has nothing to do
    assert _cli(own_home, "review", "QT.GĐ.01", "--on", "2026-01-05").exit_code == 0
    with Store.open(own_home / "registry.db") as store:
        assert sync_index(store, index_dir).up_to_date  # the review command synced it already
        shutil.rmtree(index_dir)
        report = sync_index(store, index_dir)
        assert not report.up_to_date and report.rebuilt
    assert check_index(home=own_home).clean
