"""Without OCR (``--ocr never`` or the tools missing): a one-line exit 3 that names the file and says how to
install OCR, and nothing junk stored. Runs everywhere: nothing here needs Tesseract."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from procreg.parsers.read import read_document
from procreg.registry.errors import InputError
from procreg.registry.models import ReadOptions

ROOT = Path(__file__).resolve().parent.parent
ADVICE = "pip install 'procreg[ocr]' and apt install ocrmypdf tesseract-ocr-vie"
FONT = ROOT / "tests" / "fixtures" / "fonts" / "DejaVuSans.ttf"


def _scan(path: Path, *, caption: str | None = None, junk: bool = False) -> Path:
    """A two-page "scan": a page-sized grey image, with a short caption or an invisible junk layer."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (400, 560), 200), x=10, y=10, w=190, h=270)
        if caption:
            pdf.text(90, 290, caption)
        if junk:
            pdf.text_mode = "INVISIBLE"
            for k in range(12):
                pdf.text(20, 30 + 8 * k, "CQNG HOA XA HQI CHU NGHIA VIPT NAM Doc lap Tu do Hanh phuc")
    pdf.output(str(path))
    return path


def _run(*args: str, path_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("PROCREG_HOME", None)
    if path_env is not None:
        env["PATH"] = path_env
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def _one_line(result: subprocess.CompletedProcess[str], path: Path, *needles: str) -> None:
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(path) in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_ocr_never_on_a_scan_is_a_one_line_exit_3(tmp_path: Path) -> None:
    scan = _scan(tmp_path / "scan.pdf")
    result = _run("parse", "--ocr", "never", str(scan))
    _one_line(result, scan, "pages 1-2: no text layer (scanned)", "OCR is off (--ocr never)", ADVICE)


def test_no_ocr_tools_on_path_is_a_one_line_exit_3(tmp_path: Path) -> None:
    scan = _scan(tmp_path / "scan.pdf")
    bare = tmp_path / "bin"  # a PATH without Tesseract, OCRmyPDF or Ghostscript
    bare.mkdir()
    result = _run("parse", str(scan), path_env=str(bare))
    _one_line(result, scan, "OCR is not installed", ADVICE)


def test_junk_layer_without_ocr_is_never_stored(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    junk = _scan(docs / "junk.pdf", junk=True)
    home = tmp_path / "home"
    result = _run("--home", str(home), "ingest", "--ocr", "never", "--json", str(docs))
    assert result.returncode == 3
    assert "text layer is not Vietnamese" in result.stderr and ADVICE in result.stderr
    assert str(junk) in result.stderr
    with sqlite3.connect(home / "registry.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0


def test_a_caption_over_a_page_image_is_still_a_scan(tmp_path: Path) -> None:
    scan = _scan(tmp_path / "captioned.pdf", caption="Trang 1")
    with pytest.raises(InputError) as info:
        read_document(scan, ReadOptions(ocr="never"))
    assert "a page-sized image under a few words of text (scanned)" in str(info.value)


def test_limits_are_one_line_exit_3_saying_how_to_raise_them(tmp_path: Path) -> None:
    scan = _scan(tmp_path / "scan.pdf")
    pages = _run("parse", "--max-pages", "1", str(scan))
    _one_line(pages, scan, "2 pages, over the limit of 1 pages", "--max-pages 2")
    size = _run("parse", "--max-size", "1K", str(scan))
    _one_line(size, scan, "over the limit of", "--max-size 1M")
    big = tmp_path / "big.txt"
    big.write_text("Kế hoạch cải cách hành chính.\n" * 2000, encoding="utf-8")
    refused = _run("parse", "--max-size", "10K", str(big))
    _one_line(refused, big, "over the limit of", "--max-size")
    usage = _run("parse", "--max-size", "lots", str(big))
    assert usage.returncode == 2
