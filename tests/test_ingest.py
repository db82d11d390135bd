"""Ingesting the real corpus: all of it registers, a re-run writes nothing, bad files never stop good ones."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from procreg.cli import cli
from procreg.registry.errors import UsageError
from procreg.registry.service.common import parse_date
from procreg.registry.service.finding import catalog_entries
from procreg.registry.service.ingesting import collect_files, ingest
from procreg.registry.store import Store

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "tests" / "corpus" / "vn-admin-docs"
CORPUS = sorted(DOCS_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One registry with the whole corpus ingested once (shared by the read-only tests below)."""
    home = tmp_path_factory.mktemp("corpus") / "home"
    report = ingest(CORPUS, home=home)
    assert report.failed == [], report.failed
    return home


def test_all_25_corpus_documents_ingest(corpus_home: Path) -> None:
    assert len(CORPUS) == 25
    with Store.open(corpus_home / "registry.db") as store:
        docs = store.documents()
        assert len(docs) == 25
        assert {Path(d.path).name for d in docs} == {p.name for p in CORPUS}
        assert store.integrity_check() == "ok"
        procs = store.procedures(include_superseded=True)
        assert len(procs) > 20  # the corpus holds dozens of internal processes
        assert all(p.steps for p in procs if p.code and p.code.startswith("QT."))
        assert catalog_entries(store, include_inactive=True)
        # every procedure registered from a decision carries a "published" event naming that decision
        for p in procs:
            doc = store.document(p.document_id or 0)
            if doc.kind == "decision":
                published = [e for e in p.events if e.kind == "published"]
                assert published and published[0].evidence == doc.number


def test_reingest_unchanged_corpus_writes_nothing(corpus_home: Path) -> None:
    with Store.open(corpus_home / "registry.db") as store:
        before = store.data_version()
    report = ingest(CORPUS, home=corpus_home)
    assert report.ingested == [] and report.failed == []
    assert sorted(report.unchanged) == sorted(str(p) for p in CORPUS)
    with Store.open(corpus_home / "registry.db") as store:
        assert store.data_version() == before


def test_reingest_does_not_parse(corpus_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import procreg.registry.service.ingesting as svc

    def boom(*_: object) -> None:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(svc, "_parse", boom)
    report = ingest(CORPUS, home=corpus_home)
    assert len(report.unchanged) == 25


def test_bad_file_among_good_ones(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for src in CORPUS[:3]:
        shutil.copy(src, folder / src.name)
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "rong.txt").write_bytes(b"")
    (folder / "ghi-chu.odt").write_text("not a supported type", encoding="utf-8")  # ignored in folders
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", str(folder), "--json"])
    assert result.exit_code == 3, result.output
    import json

    data = json.loads(result.stdout)
    assert sorted(Path(f["path"]).name for f in data["failed"]) == ["hong.pdf", "rong.txt"]
    assert all(f["error"] and "\n" not in f["error"] for f in data["failed"])
    assert sorted(Path(f["path"]).name for f in data["ingested"]) == sorted(p.name for p in CORPUS[:3])
    assert "could not be ingested" in result.stderr
    with Store.open(home / "registry.db") as store:
        assert len(store.documents()) == 3


def test_missing_path_is_a_failure_not_a_crash(tmp_path: Path, home: Path) -> None:
    report = ingest([tmp_path / "khong-co"], home=home)
    assert [f.error for f in report.failed] == ["no such file or folder"]


def test_collect_files_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.docx").write_text("x", encoding="utf-8")
    (tmp_path / ".an.txt").write_text("x", encoding="utf-8")
    (tmp_path / "~$khoa.docx").write_text("x", encoding="utf-8")
    sub = tmp_path / "con"
    sub.mkdir()
    (sub / "c.pdf").write_text("x", encoding="utf-8")
    flat = collect_files([tmp_path], recursive=False).files
    assert [p.name for p in flat] == ["a.docx", "b.txt"]
    deep = collect_files([tmp_path, tmp_path / "b.txt"], recursive=True).files
    assert [p.relative_to(tmp_path).as_posix() for p in deep] == ["a.docx", "b.txt", "con/c.pdf"]


def test_changed_file_at_same_path_is_read_again(tmp_path: Path, home: Path) -> None:
    """New bytes are read again; what they change decides what happens (issue 13: one document per decision).

    A note added to the decision changes none of its procedures, catalog rows or targets: the file is the
    same decision, one more rendering of it. A step edited is a new text, and that procedure a version 2.
    """
    src = DOCS_DIR / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
    target = tmp_path / "qd.txt"
    shutil.copy(src, target)
    assert len(ingest([target], home=home).ingested) == 1
    text = src.read_text(encoding="utf-8")
    target.write_text(text + "\nGhi chú thêm.\n", encoding="utf-8")
    report = ingest([target], home=home)
    assert report.ingested == [] and report.unchanged == []
    assert [(f.number, f.first_path) for f in report.recognised] == [("3005/QĐ-UBND", str(target))]
    target.write_text(text.replace("| Lãnh đạo Phòng TCHC | 02 ngày |", "| Lãnh đạo Phòng TCHC | 01 ngày |"))
    report = ingest([target], home=home)
    assert len(report.ingested) == 1 and report.ingested[0].new_versions == 1
    assert report.ingested[0].changes == ("QT.GĐ.01: bước B5: thời gian “02 ngày” → “01 ngày”",)


def test_crash_inside_a_file_leaves_nothing(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procreg.registry.store import Writer

    real = Writer.insert_procedure
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(Writer, "insert_procedure", flaky)
    src = DOCS_DIR / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
    report = ingest([src], home=home)
    assert len(report.failed) == 1 and "simulated" in report.failed[0].error
    with Store.open(home / "registry.db") as store:
        assert store.documents() == [] and store.procedures(include_superseded=True) == []
        assert store.data_version() == 0
    monkeypatch.setattr(Writer, "insert_procedure", real)
    assert len(ingest([src], home=home).ingested) == 1


@pytest.mark.parametrize(
    ("text", "iso"), [("2026-03-02", "2026-03-02"), ("02/03/2026", "2026-03-02"), ("2/3/2026", "2026-03-02")]
)
def test_parse_date_accepts_iso_and_vietnamese(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2026-02-30", "31/13/2026", "hôm qua", "", "2026/03/02"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_date(text)


# --------------------------------------------------------------------------------------------------
# Regressions (QA round).


def _bad_folder(tmp_path: Path) -> Path:
    """Good files in three formats plus one of each kind of bad file."""
    from fixtures.build import render

    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(CORPUS[0], folder / CORPUS[0].name)
    stem = "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte"
    docx = render(stem, "docx")
    shutil.copy(docx, folder / "qd3005.docx")
    shutil.copy(render("kh-01-sngv-2023-cchc", "pdf"), folder / "sub" / "kh01.pdf")
    (folder / "rong.txt").write_bytes(b"")
    (folder / "rong.docx").write_bytes(b"")
    (folder / "cut.docx").write_bytes(docx.read_bytes()[:3000])
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4)
    (folder / "thu-muc.pdf").mkdir()  # a folder with a document's name: not a file, skipped in a walk
    (folder / "ghi-chu.xyz").write_text("x", encoding="utf-8")  # unknown suffix: skipped in a walk
    return folder


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_issue_bad_files_each_one_line_exit_3(
    tmp_path: Path, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import json

    folder = _bad_folder(tmp_path)
    runner = CliRunner()
    args = ["--home", str(home), "ingest", "-r", str(folder), str(folder / "ghi-chu.xyz"), "--json"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    failed = {Path(f["path"]).name: f["error"] for f in data["failed"]}
    assert set(failed) == {"rong.txt", "rong.docx", "cut.docx", "binary.txt", "ghi-chu.xyz"}
    assert all(set(f) >= {"path", "error"} and "\n" not in f["error"] for f in data["failed"])
    assert {Path(f["path"]).name for f in data["ingested"]} == {CORPUS[0].name, "qd3005.docx", "kh01.pdf"}
    created, *errors = result.stderr.strip().splitlines()
    assert created == f"procreg: đã tạo sổ đăng ký mới tại {home}"  # the first ingest made the registry
    assert "Traceback" not in result.stderr and len(errors) == 1
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    # -v (log level INFO): the same one-line report, plus each failed file's traceback
    caplog.clear()
    caplog.set_level(logging.INFO)
    again = runner.invoke(cli, ["--home", str(tmp_path / "h2"), "-v", "ingest", str(folder / "cut.docx")])
    assert again.exit_code == 3 and "cut.docx" in again.stderr
    assert [r for r in caplog.records if r.exc_info and "cut.docx" in r.getMessage()]


def test_issue_unreadable_file_is_listed(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No permission (simulated: tests may run as root) is one failed line, the others still register."""
    import procreg.registry.service.ingesting as svc

    good, locked = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(CORPUS[0], good)
    shutil.copy(CORPUS[1], locked)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(svc.Path, "read_bytes", read_bytes)
    report = ingest([good, locked], home=home)
    assert [(Path(f.path).name, f.error) for f in report.failed] == [
        ("b.txt", "cannot read: permission denied")
    ]
    assert [Path(f.path).name for f in report.ingested] == ["a.txt"]


def test_issue_folder_with_no_documents_is_reported(tmp_path: Path, home: Path) -> None:
    empty = tmp_path / "rong"
    (empty / "con").mkdir(parents=True)
    (empty / "con" / "a.txt").write_text("x", encoding="utf-8")
    report = ingest([empty], home=home)
    assert len(report.failed) == 1 and "-r" in report.failed[0].error
    report = ingest([empty], recursive=True, home=home)
    assert not report.failed and len(report.ingested) == 1


def test_issue_index_failure_does_not_fail_the_ingest(
    home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import procreg.registry.service.searching as searching

    def broken(*_: object) -> None:
        raise NotImplementedError

    monkeypatch.setattr(searching, "sync_index", broken)
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", str(CORPUS[0])])
    assert result.exit_code == 0, result.output
    assert "search index not updated" in caplog.text and "index rebuild" in caplog.text


def test_issue_ingest_passes_user_symbols(tmp_path: Path, home: Path) -> None:
    doc = tmp_path / "qd12.txt"
    doc.write_text(
        "Số: 12/QĐ-XYZQ\nHà Tĩnh, ngày 05 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\nVề việc thử\n\nĐiều 1. Thử.\n",
        encoding="utf-8",
    )
    with Store.open(home / "registry.db") as store:
        store.add_symbol("XYZQ", "Sở Thử nghiệm")
    assert not ingest([doc], home=home).failed
    with Store.open(home / "registry.db") as store:
        assert [d.issuer for d in store.documents()] == ["Sở Thử nghiệm"]
