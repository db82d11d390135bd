"""Folder ingest mentions every entry: each one not taken is listed as skipped with its reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from procreg.presentation.ingest import format_ingest, ingest_json
from procreg.registry.service.ingesting import collect_files, ingest


def make(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Kế hoạch số 01/KH-SNgV", encoding="utf-8")


def reasons(folder: Path, **kwargs: object) -> dict[str, str]:
    collected = collect_files([folder], **kwargs)  # type: ignore[arg-type]
    return {Path(s.path).relative_to(folder).as_posix(): s.reason for s in collected.skipped}


def test_every_kind_of_entry_not_taken(tmp_path: Path) -> None:
    make(tmp_path, "a.txt", "b.docx", "bang.xlsx", "anh.PNG", "khong-duoi", ".an.txt", "~$b.docx")
    make(tmp_path, "con/c.txt", ".git/config.txt")
    (tmp_path / "hong").symlink_to(tmp_path / "khong-co-that")
    os.mkfifo(tmp_path / "ong.txt")
    supported = ".txt, .md, .docx, .pdf, .doc, .rtf"
    assert reasons(tmp_path, recursive=False) == {
        ".an.txt": "hidden file",
        ".git": "hidden folder",
        "anh.PNG": f"unsupported file type .png; procreg reads {supported}",
        "bang.xlsx": f"unsupported file type .xlsx; procreg reads {supported}",
        "con": "subfolder, not read without --recursive",
        "hong": "broken link",
        "khong-duoi": f"unsupported file type (none); procreg reads {supported}",
        "ong.txt": "not a regular file",
        "~$b.docx": "Word lock file (~$), not a document",
    }
    deep = collect_files([tmp_path], recursive=True)
    assert [p.relative_to(tmp_path).as_posix() for p in deep.files] == ["a.txt", "b.docx", "con/c.txt"]
    assert "con" not in reasons(tmp_path, recursive=True)
    assert ".git/config.txt" not in reasons(tmp_path, recursive=True)  # a hidden folder is one line


def test_over_the_size_limit_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "nho.txt", "khoa.txt")
    (tmp_path / "lon.txt").write_bytes(b"x" * 3_000_000)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p).name != "khoa.txt" and real_access(p, mode))
    assert reasons(tmp_path, recursive=False, max_size=2_000_000) == {
        "khoa.txt": "unreadable: permission denied",
        "lon.txt": "over the size limit: 3.0 MB, the limit is 2.0 MB",
    }


def test_skipped_entries_in_the_report_and_its_views(tmp_path: Path) -> None:
    folder = tmp_path / "van-ban"
    make(folder, "bang.xlsx", ".an.txt")
    (folder / "a.txt").write_text("Số: 01/KH-SNgV\nKẾ HOẠCH\nCải cách hành chính năm 2023", encoding="utf-8")
    report = ingest([folder], home=tmp_path / "home")
    assert [Path(f.path).name for f in report.ingested] == ["a.txt"]
    assert [(Path(s.path).name, s.reason.split(";")[0]) for s in report.skipped] == [
        (".an.txt", "hidden file"),
        ("bang.xlsx", "unsupported file type .xlsx"),
    ]
    text = format_ingest(report).splitlines()
    assert f"- {folder / '.an.txt'}: hidden file" in text
    assert text[-1].startswith("1 ingested, 0 unchanged, 0 failed, 2 skipped")
    data = ingest_json(report)
    assert data["summary"]["skipped"] == 2
    assert data["skipped"][0] == {"path": str(folder / ".an.txt"), "reason": "hidden file"}
