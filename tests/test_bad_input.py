"""Bad input: every case is one InputError (exit 3) naming the file and the problem, never a traceback."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from procreg.parsers.read import read_document
from procreg.registry.errors import ExitCode, InputError
from procreg.registry.models import ReadOptions

FONT = Path(__file__).parent / "fixtures" / "fonts" / "DejaVuSans.ttf"


def small_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Quyết định công bố thủ tục hành chính nội bộ.")
    document.save(str(path))
    return path


def rewrite_docx(source: Path, target: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info)))
    target.write_bytes(buf.getvalue())
    return target


def text_pdf(path: Path, *, password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.cell(0, 10, "Kế hoạch cải cách hành chính")
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path) -> Path:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (120, 160), 128), x=20, y=20, w=120, h=160)  # a "scan": no text layer
    pdf.output(str(path))
    return path


def expect_input_error(path: Path, *needles: str, options: ReadOptions | None = None) -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path, options)
    err = info.value
    message = str(err)
    assert err.exit_code == ExitCode.INPUT == 3
    assert message.startswith(f"{path}: ")
    assert "\n" not in message and "Traceback" not in message
    for needle in needles:
        assert needle in message
    return err


def test_not_a_zip_docx(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"This is plain text pretending to be Word.")
    expect_input_error(path, "not a zip")


def test_truncated_docx(tmp_path: Path) -> None:
    data = small_docx(tmp_path / "ok.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    expect_input_error(path, "truncated")


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    expect_input_error(path, "not a Word document")


def test_docx_with_corrupt_member(tmp_path: Path) -> None:
    source = small_docx(tmp_path / "ok.docx")
    path = rewrite_docx(
        source, tmp_path / "bad-xml.docx", lambda n, d: b"<w:document" if n == "word/document.xml" else d
    )
    expect_input_error(path, "damaged")


def test_encrypted_pdf(tmp_path: Path) -> None:
    expect_input_error(text_pdf(tmp_path / "locked.pdf", password="secret"), "encrypted PDF")


def test_image_only_pdf_without_ocr(tmp_path: Path) -> None:
    expect_input_error(
        image_only_pdf(tmp_path / "scan.pdf"),
        "pages 1-2: no text layer (scanned)",
        "OCR is off (--ocr never)",
        "pip install 'procreg[ocr]' and apt install ocrmypdf tesseract-ocr-vie",
        options=ReadOptions(ocr="never"),
    )


def test_blank_pdf(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 120, 160, style="F")  # a drawing, no text and nothing like text
    pdf.output(str(tmp_path / "blank.pdf"))
    expect_input_error(tmp_path / "blank.pdf", "no text on any page")


def test_not_a_pdf_and_truncated_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"GIF89a not a pdf")
    expect_input_error(fake, "not a PDF")
    data = text_pdf(tmp_path / "ok.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    expect_input_error(cut)


@pytest.mark.parametrize(
    "content", [b"\x00" * 64, b"abc\x00\x01\x02def" * 10, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"]
)
def test_binary_or_nul_filled_txt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(content)
    expect_input_error(path, "binary")


def test_invalid_utf8_txt(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Kế hoạch".encode() + b"\xff\xfe\xfa")
    expect_input_error(path, "UTF-8")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx", ".pdf"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    expect_input_error(path, "empty")


def test_whitespace_only_txt(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n\u00a0\n", encoding="utf-8")
    expect_input_error(path, "empty")


@pytest.mark.parametrize("name", ["folder", "folder.docx", "folder.pdf"])
def test_directory(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.mkdir()
    expect_input_error(path, "directory")


def test_missing_file(tmp_path: Path) -> None:
    expect_input_error(tmp_path / "nowhere.docx", "no such file")


def test_no_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = small_docx(tmp_path / "secret.docx")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    expect_input_error(path, "permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_no_read_permission_for_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Nội dung", encoding="utf-8")
    path.chmod(0)
    try:
        expect_input_error(path, "permission denied")
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("name", ["table.xlsx", "scan.png", "old.wpd", "noext"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"data")
    expect_input_error(path, "unsupported file type")


# ------------------------------------------------------------------------------------------- bombs


def test_zip_bomb_by_ratio_is_refused(tmp_path: Path) -> None:
    source = small_docx(tmp_path / "ok.docx")
    padding = b" " * (40 * 1024 * 1024)  # 40 MB of spaces deflates to ~40 KB

    def inflate(name: str, data: bytes) -> bytes:
        return data.replace(b"<w:body>", b"<w:body>" + padding) if name == "word/document.xml" else data

    path = rewrite_docx(source, tmp_path / "bomb.docx", inflate)
    assert path.stat().st_size < 1024 * 1024
    expect_input_error(path, "zip bomb")


def test_zip_bomb_by_declared_size_is_refused(tmp_path: Path) -> None:
    data = bytearray(small_docx(tmp_path / "ok.docx").read_bytes())
    # Declare a 4 GB uncompressed size for word/document.xml in the central directory.
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, 0xFFFF0000)
        pos += 4
    path = tmp_path / "declared.docx"
    path.write_bytes(bytes(data))
    expect_input_error(path, "zip bomb")


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    prolog = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [' + entities + b"]>\n"

    def bomb(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        body = data.split(b"?>", 1)[1]
        return prolog + body.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)

    path = rewrite_docx(small_docx(tmp_path / "ok.docx"), tmp_path / "lol.docx", bomb)
    expect_input_error(path, "DOCTYPE/ENTITY")


def test_entity_declaration_in_another_part_is_refused(tmp_path: Path) -> None:
    def doctype(name: str, data: bytes) -> bytes:
        if name != "word/styles.xml":
            return data
        return data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)

    path = rewrite_docx(small_docx(tmp_path / "ok.docx"), tmp_path / "styles.docx", doctype)
    expect_input_error(path, "word/styles.xml")


def test_signed_scan_whose_only_text_is_the_signature_stamp(tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (170, 230), 128), x=20, y=40, w=170, h=230)  # the scanned page image
        pdf.set_font("DejaVu", size=7)
        pdf.set_xy(120, 10)
        stamp = "Ký bởi: ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\nThời gian ký: 20.11.2025 10:21:30 +07:00"
        pdf.multi_cell(80, 4, stamp)
    path = tmp_path / "signed-scan.pdf"
    pdf.output(str(path))
    expect_input_error(
        path, "no text layer (scanned), only a digital-signature stamp", options=ReadOptions(ocr="never")
    )
