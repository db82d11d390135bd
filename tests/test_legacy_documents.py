"""Legacy documents end to end: TCVN3 .docx, VNI .doc, Windows-1258 .rtf, TCVN3 .pdf give the .txt's record.

Every corpus document (the shared plan and the 25 agency documents, none picked by hand) is rendered by
``fixtures.legacy`` in each legacy form and must parse to the same number, date, kind, title, signer,
step count and cited numbers as its Unicode .txt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import requires_tool
from fixtures.build import corpus_names, render
from fixtures.legacy import render_legacy, render_legacy_all

from procreg.parsers.convert import convert_many, convert_to_docx, find_soffice
from procreg.parsers.document import parse_document
from procreg.parsers.read import read_document
from procreg.registry.errors import InputError
from procreg.registry.models import ParsedDocument

NAMES = corpus_names()
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the start of every Word 97-2003 file
PLAN = "kh-01-sngv-2023-cchc"
needs_soffice = requires_tool("soffice", "apt-get install libreoffice-writer-nogui")


def key(doc: ParsedDocument) -> tuple[Any, ...]:
    signer = (doc.signer.name, doc.signer.position) if doc.signer else None
    steps = sum(len(p.steps) for p in doc.procedures)
    cited = tuple(sorted(c.number for c in doc.citations))
    return (doc.number, doc.issued_on, doc.kind, doc.title, signer, steps, cited)


@pytest.fixture(scope="module")
def unicode_keys() -> dict[str, tuple[Any, ...]]:
    return {name: key(parse_document(render(name, "txt"))) for name in NAMES}


def test_the_fixture_set() -> None:
    assert len(NAMES) >= 10 and PLAN in NAMES


FIELDS = ("number", "date", "kind", "title", "signer", "steps", "cited")


def _compare(
    kind: str,
    files: dict[str, Path],
    unicode_keys: dict[str, tuple[Any, ...]],
    twins: dict[str, tuple[Any, ...]] | None = None,
) -> None:
    """Every file gives its .txt's record; with ``twins`` (the Unicode rendering of the same format), a
    field where the Unicode rendering itself differs from the .txt must equal the Unicode rendering's."""
    differ: dict[str, list[str]] = {}
    excused: list[str] = []
    for name, path in files.items():
        got = key(parse_document(path))
        for field, want, have in zip(FIELDS, unicode_keys[name], got, strict=True):
            if want == have:
                continue
            twin = twins[name][FIELDS.index(field)] if twins else None
            if twins and twin != want and twin == have:
                excused.append(f"{name} {field}: {have!r} (the Unicode {kind.split('.')[-1]} too)")
            else:
                differ.setdefault(name, []).append(f"{field}: want {want!r}, got {have!r}")
    exact = len(files) - len(differ) - len({line.split()[0] for line in excused})
    print(
        f"\n[{kind}] {exact}/{len(files)} documents give the .txt's record; {len(excused)} fields as its twin"
    )
    for line in excused:
        print(f"  as its Unicode twin, not as the .txt: {line}")
    assert not differ, differ


def test_tcvn3_docx_gives_the_txt_record(unicode_keys: dict[str, tuple[Any, ...]]) -> None:
    files = render_legacy_all(NAMES, "tcvn3.docx")
    _compare("tcvn3.docx", files, unicode_keys)
    raw = read_document(files[PLAN])
    assert len(raw.warnings) == 1 and raw.warnings[0].endswith(
        "runs typed in TCVN3 fonts converted from the legacy encoding to Unicode"
    )


@needs_soffice
def test_vni_doc_gives_the_txt_record(unicode_keys: dict[str, tuple[Any, ...]]) -> None:
    files = render_legacy_all(NAMES, "vni.doc")
    assert all(path.read_bytes()[:8] == OLE2 for path in files.values())
    converted = convert_many(list(files.values()))  # one LibreOffice run for the whole set
    assert not [r for r in converted.values() if isinstance(r, InputError)]
    _compare("vni.doc", files, unicode_keys)
    raw = read_document(files[PLAN])
    assert raw.format == "doc" and raw.path == str(files[PLAN])
    assert "runs typed in VNI fonts converted" in raw.warnings[0]


@needs_soffice
def test_rtf_gives_the_txt_record(unicode_keys: dict[str, tuple[Any, ...]]) -> None:
    files = render_legacy_all(NAMES, "cp1258.rtf")
    text = files[PLAN].read_bytes()
    assert b"\\ansicpg1258" in text and b"\\u7871" in text and b"\\'ec" in text  # both ways of writing
    converted = convert_many(list(files.values()))
    assert not [r for r in converted.values() if isinstance(r, InputError)]
    _compare("cp1258.rtf", files, unicode_keys)
    assert read_document(files[PLAN]).format == "rtf"


@needs_soffice
@pytest.mark.parametrize("kind", ["tcvn3.doc", "tcvn3.rtf"])
def test_tcvn3_saved_by_libreoffice_gives_the_txt_record(
    kind: str, unicode_keys: dict[str, tuple[Any, ...]]
) -> None:
    # A .doc and an RTF (fonts "\fcharset0 .VnTime", ư written as the optional hyphen "\-") of TCVN3 text.
    files = render_legacy_all(NAMES, kind)
    convert_many(list(files.values()))
    _compare(kind, files, unicode_keys)


@needs_soffice
def test_word_style_rtf_in_tcvn3_fonts(tmp_path: Path) -> None:
    """RTF as Word writes a TCVN3 document: code page 1252, .VnTime/.VnTimeH fonts, the bytes as \\'xx."""
    body = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 .VnTime;}"
        r"{\f1\froman\fcharset0 .VnTimeH;}{\f2\froman\fcharset0 Times New Roman;}}"
        r"\pard\plain\f1\fs28 QUY\'d5T \'ae\'deNH\par"
        r"\pard\plain\f0\fs28 V\'d2 vi\'d6c ban h\'b5nh Quy ch\'d5 l\'b5m vi\'d6c "
        r"c\'f1a S\'eb Ngo\'b9i v\'f4\par"
        r"\pard\plain\f0\fs28 Th\'f1 t\'ad\'edng Ch\'ddnh ph\'f1 \'ae\'b7 giao nhi\'d6m v\'f4\par"
        r"\pard\plain\f2\fs28 Unicode: \u7910?y ban nh\u226?n d\u226?n t\u7881?nh\par}"
    )
    path = tmp_path / "word.rtf"
    path.write_bytes(body.encode("ascii"))
    raw = read_document(path)
    assert [b.text for b in raw.blocks] == [  # type: ignore[union-attr]
        "QUYẾT ĐỊNH",
        "Về việc ban hành Quy chế làm việc của Sở Ngoại vụ",
        "Thủ tướng Chính phủ đã giao nhiệm vụ",
        "Unicode: Ủy ban nhân dân tỉnh",
    ]
    assert raw.warnings == ("3 runs typed in TCVN3 fonts converted from the legacy encoding to Unicode",)


@pytest.mark.slow
def test_tcvn3_pdf_gives_the_txt_record(unicode_keys: dict[str, tuple[Any, ...]]) -> None:
    files = render_legacy_all(NAMES, "tcvn3.pdf")
    import pdfplumber

    with pdfplumber.open(files[PLAN]) as pdf:
        layer = pdf.pages[0].extract_text()
    assert "QuyÕt ®Þnh" in layer and "\u2212" in layer  # the text layer really is TCVN3
    # The PDF reader misses some steps of two documents in any PDF (Unicode ones too): for those fields
    # the legacy PDF must read as the Unicode PDF.
    twins = {name: key(parse_document(render(name, "pdf"))) for name in NAMES}
    _compare("tcvn3.pdf", files, unicode_keys, twins)
    raw = read_document(files[PLAN])
    assert raw.warnings[0] == (
        "page 1: text in the legacy encoding TCVN3 converted to Unicode (and on the later pages that have it)"
    )


def test_tcvn3_pdf_reads_as_the_unicode_pdf() -> None:
    from procreg.parsers.blocks import document_text

    legacy = read_document(render_legacy(PLAN, "tcvn3.pdf"))
    assert document_text(legacy) == document_text(read_document(render(PLAN, "pdf")))


def test_mixed_document_converts_only_the_vni_runs() -> None:
    import docx

    path = render_legacy(PLAN, "mixed.docx")
    document = docx.Document(str(path))
    fonts = [r.font.name for p in document.paragraphs for r in p.runs]
    vni_runs = sum(1 for f in fonts if f == "VNI-Times")
    assert 0 < vni_runs < len(fonts) / 2 and ".VnTime" in fonts  # Unicode runs still name .VnTime
    raw = read_document(path)
    assert raw.warnings == (
        f"{vni_runs} runs typed in VNI fonts converted from the legacy encoding to Unicode",
    )
    # Every block is as in the Unicode rendering: the VNI runs converted, the Unicode ones untouched.
    assert raw.blocks == read_document(render(PLAN, "docx")).blocks


def test_tcvn3_paragraph_with_soft_hyphen_elements(tmp_path: Path) -> None:
    """LibreOffice writes TCVN3's ư (byte AD) as w:softHyphen; Word keeps U+00AD in the text."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    paragraph = document.add_paragraph()
    run = paragraph.add_run("Thñ t")
    run._r.append(run._r.makeelement(qn("w:softHyphen"), {}))
    text = run._r.makeelement(qn("w:t"), {})
    text.text = "íng ChÝnh phñ giao nhiÖm vô cho c¸c bé, ngµnh vµ ®Þa ph\u00ad¬ng"
    run._r.append(text)
    path = tmp_path / "soft.docx"
    document.save(str(path))
    assert read_document(path).blocks[0].text == (  # type: ignore[union-attr]
        "Thủ tướng Chính phủ giao nhiệm vụ cho các bộ, ngành và địa phương"
    )


@needs_soffice
def test_doc_and_rtf_through_the_cli(tmp_path: Path) -> None:
    doc = render_legacy(PLAN, "vni.doc")
    rtf = render_legacy(PLAN, "cp1258.rtf")
    for path in (doc, rtf):
        done = subprocess.run(
            [sys.executable, "-m", "procreg.cli", "parse", str(path), "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "PROCREG_HOME": str(tmp_path / "home")},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert '"number": "01/KH-SNgV"' in done.stdout


def test_without_libreoffice_one_line_exit_3(tmp_path: Path) -> None:
    doc = tmp_path / "cv.doc"
    doc.write_bytes(OLE2 + bytes(504))  # an OLE2 header: a Word 97 file
    env = {**os.environ, "PROCREG_SOFFICE": "", "PROCREG_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "procreg.cli", "parse", str(doc)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 3
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(doc) in lines[0] and "cannot read .doc files without LibreOffice" in lines[0]
    assert "apt-get install libreoffice-writer-nogui" in lines[0]


def test_without_libreoffice_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCREG_SOFFICE", raising=False)
    monkeypatch.setenv("PROCREG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("shutil.which", lambda _name: None)
    monkeypatch.setattr("procreg.parsers.convert._KNOWN_PLACES", ())
    assert find_soffice() is None
    rtf = tmp_path / "a.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Hello}")
    with pytest.raises(InputError, match=r"cannot read \.rtf files without LibreOffice") as info:
        read_document(rtf)
    assert info.value.exit_code == 3 and info.value.path == str(rtf)


def test_files_that_are_not_word_documents_never_reach_libreoffice(tmp_path: Path) -> None:
    png = tmp_path / "scan.doc"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    fake_rtf = tmp_path / "notes.rtf"
    fake_rtf.write_text("plain text, not RTF", encoding="utf-8")
    empty = tmp_path / "empty.doc"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="not a Word document"):
        read_document(png)
    with pytest.raises(InputError, match="not an RTF file"):
        read_document(fake_rtf)
    with pytest.raises(InputError, match="empty file"):
        read_document(empty)


def test_a_conversion_past_its_time_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hang = tmp_path / "soffice"
    hang.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n", encoding="utf-8")
    hang.chmod(0o755)
    monkeypatch.setenv("PROCREG_SOFFICE", str(hang))
    monkeypatch.setenv("PROCREG_CONVERT_TIMEOUT", "1")
    monkeypatch.setenv("PROCREG_CACHE", str(tmp_path / "cache"))
    rtf = tmp_path / "slow.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Hello}")
    with pytest.raises(InputError, match=r"did not finish converting the file within 1 s"):
        convert_to_docx(rtf)


@needs_soffice
def test_converted_copies_are_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCREG_CACHE", str(tmp_path / "cache"))
    rtf = render_legacy(PLAN, "cp1258.rtf")
    first = convert_to_docx(rtf)
    assert first.parent == tmp_path / "cache" / "converted"
    copy = tmp_path / "renamed.rtf"
    copy.write_bytes(rtf.read_bytes())
    monkeypatch.setenv("PROCREG_SOFFICE", "")  # no LibreOffice now: only the cache can answer
    assert convert_to_docx(copy) == first


@needs_soffice
def test_parallel_conversions_use_their_own_profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCREG_CACHE", str(tmp_path / "cache"))
    sources = [render_legacy(name, "cp1258.rtf") for name in NAMES[:3]]
    results: dict[Path, Path | Exception] = {}

    def convert(path: Path) -> None:
        try:
            results[path] = convert_to_docx(path)
        except Exception as exc:  # collected and asserted below
            results[path] = exc

    threads = [threading.Thread(target=convert, args=(path,)) for path in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, Path) and r.stat().st_size > 0 for r in results.values()), results
    assert len({r for r in results.values()}) == 3


# ------------------------------------------------------------------------------------- folder ingest


def _folder(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "van-ban"
    folder.mkdir()
    shutil.copyfile(render_legacy(PLAN, "vni.doc"), folder / "ke-hoach.doc")
    shutil.copyfile(render_legacy(NAMES[1], "cp1258.rtf"), folder / "quyet-dinh.rtf")
    (folder / "hong.doc").write_bytes(OLE2 + bytes(2000))  # a damaged Word file
    (folder / "bang.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    (folder / ".an.txt").write_text("ẩn", encoding="utf-8")
    (folder / "~$ke-hoach.doc").write_bytes(b"lock")
    (folder / "con").mkdir()
    (folder / "con" / "them.txt").write_text("Kế hoạch", encoding="utf-8")
    return folder


@needs_soffice
def test_folder_ingest_lists_every_file_with_its_reason(tmp_path: Path) -> None:
    import json

    folder = _folder(tmp_path)
    env = {**os.environ, "PROCREG_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "procreg.cli", "ingest", str(folder), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 3, done.stderr  # one file failed; the others went in
    report = json.loads(done.stdout)
    listed = {Path(f["path"]).name for f in report["ingested"]}
    listed |= {Path(f["path"]).name for f in report["failed"]}
    listed |= {Path(f["path"]).name for f in report["skipped"]}
    assert listed == {p.name for p in folder.iterdir()}  # every entry, none twice, none missing
    assert sorted(Path(f["path"]).name for f in report["ingested"]) == ["ke-hoach.doc", "quyet-dinh.rtf"]
    failed = [(Path(f["path"]).name, f["error"]) for f in report["failed"]]
    assert len(failed) == 1 and failed[0][0] == "hong.doc"
    assert failed[0][1].startswith("LibreOffice could not convert the file")
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert reasons == {
        ".an.txt": "hidden file",
        "bang.xlsx": "unsupported file type .xlsx; procreg reads .txt, .md, .docx, .pdf, .doc, .rtf",
        "con": "subfolder, not read without --recursive",
        "~$ke-hoach.doc": "Word lock file (~$), not a document",
    }
    assert report["summary"]["skipped"] == 4 and report["summary"]["failed"] == 1

    human = subprocess.run(
        [sys.executable, "-m", "procreg.cli", "ingest", str(folder)], capture_output=True, text=True, env=env
    )
    lines = human.stdout.splitlines()
    for name, reason in reasons.items():
        assert f"- {folder / name}: {reason}" in lines
    assert any(line.startswith(f"! {folder / 'hong.doc'}: LibreOffice could not convert") for line in lines)
    assert lines[-1].startswith("0 ingested, 2 unchanged, 1 failed, 4 skipped")


def test_folder_ingest_without_libreoffice_fails_each_word_file_aloud(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procreg.registry.service.ingesting import ingest

    folder = tmp_path / "cu"
    folder.mkdir()
    (folder / "a.doc").write_bytes(OLE2 + bytes(600))
    (folder / "b.rtf").write_bytes(b"{\\rtf1\\ansi Hello}")
    (folder / "c.txt").write_text("Kế hoạch số 01/KH-SNgV", encoding="utf-8")
    monkeypatch.setenv("PROCREG_SOFFICE", "")
    monkeypatch.setenv("PROCREG_CACHE", str(tmp_path / "cache"))
    report = ingest([folder], home=tmp_path / "home")
    assert [Path(f.path).name for f in report.ingested] == ["c.txt"]
    assert [(Path(f.path).name, f.error.split(":")[0]) for f in report.failed] == [
        ("a.doc", "cannot read .doc files without LibreOffice"),
        ("b.rtf", "cannot read .rtf files without LibreOffice"),
    ]


def test_ci_installs_libreoffice() -> None:
    """The package the skip line names is the one CI installs, so these tests run in CI."""
    from conftest import ROOT

    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = next(line for line in script.splitlines() if "apt-get install" in line)
    assert "libreoffice-writer-nogui" in install


def test_a_pdf_with_unconvertible_legacy_text_is_refused(tmp_path: Path) -> None:
    from fixtures.build import FONTS
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    # Another 8-bit encoding (VISCII-like) shown as Unicode: neither TCVN3 nor VNI makes words of it.
    junk = "Qu\u00ffÕt Ð¾nh c\u00fe\u00a4a Th\u00fe\u00a4 t\u00df\u00a9ng ChÆnh ph\u00fe\u00a4 vÞ. " * 6
    pdf.multi_cell(0, 6, junk)
    path = tmp_path / "viscii.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match="cannot convert; nothing was stored") as info:
        read_document(path)
    assert info.value.exit_code == 3
    assert str(info.value).startswith(f"{path}, page 1: the text layer is in a legacy Vietnamese encoding")
