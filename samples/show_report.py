"""Show the official report on the terminal: print it to PDF with LibreOffice when it is installed.

    .venv/bin/python samples/show_report.py demo-out/bao-cao-ra-soat-2023.docx [--png docs/bao-cao-mau.png]

With ``soffice`` on PATH the .docx becomes a PDF beside it (LibreOffice in its own profile, so an open
LibreOffice is not disturbed); the script prints where, the number of pages and the first page as text.
Without it, it prints the report's header blocks and title read from the .docx itself. ``--png`` also
writes the first page as a PNG (``pdftoppm`` from poppler-utils): the picture in the README.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def to_pdf(docx: Path) -> Path | None:
    """The PDF LibreOffice prints of ``docx`` (beside it); None when LibreOffice is missing or fails."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="procreg-demo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ]
        subprocess.run(cmd, capture_output=True, timeout=240, check=False)
    pdf = docx.with_suffix(".pdf")
    return pdf if pdf.exists() else None


def show_pdf(pdf: Path, lines: int) -> None:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        print(f"PDF: {pdf} ({len(doc.pages)} trang)")
        text = doc.pages[0].extract_text(layout=True) or ""
    shown = [line.rstrip() for line in text.splitlines() if line.strip()][:lines]
    print("\n".join(shown))


def show_docx(docx: Path) -> None:
    import docx as python_docx

    d = python_docx.Document(str(docx))
    left, right = d.tables[0].rows[0].cells
    for a, b in zip(left.paragraphs, right.paragraphs, strict=False):
        if a.text or b.text:  # the rule lines are empty paragraphs
            print(f"{a.text:<40}{b.text}")
    print("\n".join(p.text for p in d.paragraphs[:3] if p.text))
    print("(chưa cài LibreOffice: apt-get install libreoffice-writer-nogui để in báo cáo ra PDF)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", type=Path)
    parser.add_argument("--png", type=Path, help="write the first page as a PNG here (pdftoppm)")
    parser.add_argument("--lines", type=int, default=24, help="lines of page 1 to print")
    args = parser.parse_args(argv)
    print(f"Báo cáo (Nghị định 30/2020): {args.docx}")
    pdf = to_pdf(args.docx)
    if pdf is None:
        show_docx(args.docx)
        return 0
    show_pdf(pdf, args.lines)
    if args.png:
        if shutil.which("pdftoppm") is None:
            print("không có PNG: thiếu pdftoppm (apt-get install poppler-utils)", file=sys.stderr)
            return 1
        stem = args.png.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)]
        )
        print(f"PNG: {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
