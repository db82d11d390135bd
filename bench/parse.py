"""Parse speed per format (txt, docx, pdf) on the corpus renderings, against the bare libraries.

For each document the bare extraction, our reader and our full parse run back to back (so all three
see the same machine load); each is timed ``--rounds`` times and the best time is kept:

- bare docx: python-docx ``Document()`` + ``iter_inner_content()`` paragraph texts and every table
  cell's text (``row.cells``);
- bare pdf: pdfplumber ``extract_text()`` on every page;
- bare txt: read, decode, NFC-normalise and split the file into lines (no library: informational);
- ours, read: ``parsers.read.read_document`` (blocks);
- ours, parse: ``parsers.document.parse_document`` (reader + every extractor). The fold cache of
  ``registry.vntext`` is emptied before each timed parse, so a document never profits from the
  same text folded while parsing another rendering or an earlier round.

Prints one table (format, docs, doc/s ours, doc/s bare, ratio ours/bare) and a verdict per format
against the target: a full parse at most 1.5x the bare extraction for .docx and .pdf.

Then seconds per page for born-digital PDFs, in the same run: every corpus rendering joined into one
long PDF (about 270 pages of text and ruled tables, like a ministry decision with its annexes) read by
pypdfium2's text extraction (``get_text_range``, the fastest peer), by bare pdfplumber
``extract_text``, by our reader and by our full parse; the target is at most 0.15 s a page. Wall
and CPU seconds are both shown (CPU is steadier on a busy machine).

Then OCR seconds per page: ``--ocr-pages`` pages of scans (``tests/fixtures/scans.py``) recognised
from scratch (a fresh cache) with 2 cores, and read again from the cache. Skipped when OCR is not
installed. Renders the fixtures first (not timed). Asserts nothing.

Legacy .doc (``--doc-docs N``, 0 to skip; needs LibreOffice): seconds per .doc beside the .docx figure,
on the VNI .doc renderings of ``tests/fixtures/legacy.py`` and the Unicode .docx of the same documents:
a .doc parsed on its own (LibreOffice conversion with an empty cache, then the parse), the same files
converted in one LibreOffice run (as a folder ingest does), and parsed again from the cache.

    .venv/bin/python bench/parse.py [--pdf-docs N] [--rounds N] [--pdf-rounds N] [--formats txt,docx,pdf]
                                    [--ocr-pages N] [--no-long] [--doc-docs N]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # synth, fixtures

from fixtures.build import corpus_names, render  # noqa: E402

from procreg.parsers.document import parse_document  # noqa: E402
from procreg.parsers.read import read_document  # noqa: E402

TARGET = 1.5
# The module (procreg.text re-exports its function under the same name): its caches are emptied per parse.
fold_module = importlib.import_module("procreg.text.fold")


def bare_txt(path: Path) -> None:
    unicodedata.normalize("NFC", path.read_bytes().decode("utf-8-sig")).splitlines()


def bare_docx(path: Path) -> None:
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    _ = cell.text
        else:
            _ = block.text


def bare_pdf(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def pdfium_text(path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()


def parse_cold(path: Path) -> None:
    fold_module._FOLDED.clear()
    fold_module.fold_token.cache_clear()
    parse_document(path)


def best(fn: Callable[[Path], object], path: Path, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return min(times)


def verdict(fmt: str, ratio: float, read_ratio: float) -> str:
    if fmt == "txt":
        return f"txt : {ratio:.1f}x a bare decode+split (no library peer; the target applies to docx and pdf)"
    ok = "meets" if ratio <= TARGET else "MISSES"
    return (
        f"{fmt}: full parse {ratio:.2f}x the bare extraction, {ok} the <= {TARGET}x target "
        f"(reading alone {read_ratio:.2f}x)"
    )


def timed(fn: Callable[[Path], object], path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(path)
    return time.perf_counter() - wall, time.process_time() - cpu


def long_pdf(names: list[str], out: Path) -> int:
    """Every corpus rendering joined into one PDF at ``out``; its page count."""
    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    for name in names:
        part = pdfium.PdfDocument(str(render(name, "pdf")))
        joined.import_pages(part)
        part.close()
    pages = len(joined)
    joined.save(str(out))
    joined.close()
    return pages


def per_page(names: list[str]) -> None:
    """Seconds per page of born-digital PDFs: pypdfium2, pdfplumber, our reader, our parse."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        pages = long_pdf(names, path)
        print(f"\nborn-digital PDF: all corpus renderings joined, {pages} pages (s/page, wall / CPU)")
        runs = [
            ("pypdfium2 get_text_range", pdfium_text),
            ("pdfplumber extract_text", bare_pdf),
            ("ours: read (blocks)", read_document),
            ("ours: full parse", parse_cold),
        ]
        results = {}
        for label, fn in runs:
            wall, cpu = timed(fn, path)
            results[label] = cpu
            print(f"  {label:<26} {wall / pages:7.4f} / {cpu / pages:7.4f}")
        ours = results["ours: full parse"] / pages
        ok = "meets" if ours <= 0.15 else "MISSES"
        print(
            f"  full parse {ours:.4f} s/page CPU: {ok} the <= 0.15 s/page target; "
            f"{results['ours: full parse'] / results['pdfplumber extract_text']:.2f}x pdfplumber, "
            f"{results['ours: full parse'] / results['pypdfium2 get_text_range']:.0f}x pypdfium2"
        )


def ocr_per_page(pages: int) -> None:
    """OCR seconds per page on 2 cores: from scratch (fresh cache), then from the cache."""
    import tempfile

    from procreg.parsers.ocr import INSTALL_ADVICE, missing_tools, ocr_pages

    missing = missing_tools()
    if missing:
        print(f"\nOCR: skipped ({missing}; {INSTALL_ADVICE})")
        return
    from fixtures.scans import scan

    path = scan("hatinh_qd2913-2025_tthc-noibo_moitruong_nongnghiep")
    data = path.read_bytes()
    numbers = list(range(1, pages + 1))
    with tempfile.TemporaryDirectory() as tmp:
        wall = time.perf_counter()
        ocr_pages(data, numbers, cache=Path(tmp), jobs=2)
        first = time.perf_counter() - wall
        wall = time.perf_counter()
        ocr_pages(data, numbers, cache=Path(tmp), jobs=2)
        again = time.perf_counter() - wall
        (Path(tmp) / "files").rename(Path(tmp) / "files-off")  # page cache only (a junk-layer copy)
        wall = time.perf_counter()
        ocr_pages(data, numbers, cache=Path(tmp), jobs=2)
        by_page = time.perf_counter() - wall
    print(f"\nOCR of {pages} scanned pages (200 dpi) on 2 cores, wall seconds per page:")
    print(f"  from scratch           {first / pages:7.3f}")
    print(f"  same file, cached      {again / pages:7.3f}")
    print(f"  same pages, other file {by_page / pages:7.3f}  (page-image cache)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pdf-docs", type=int, default=10, help="PDFs to time (0 = all 26; ~270 pages)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per txt/docx document (best kept)")
    parser.add_argument("--pdf-rounds", type=int, default=1, help="rounds per pdf document (best kept)")
    parser.add_argument("--formats", default="txt,docx,pdf", help="comma-separated formats to time")
    parser.add_argument("--ocr-pages", type=int, default=6, help="scanned pages to OCR (0 = skip OCR)")
    parser.add_argument("--no-long", action="store_true", help="skip the long born-digital PDF")
    parser.add_argument("--doc-docs", type=int, default=5, help="legacy .doc files to time (0 = skip)")
    args = parser.parse_args()
    names = corpus_names()
    bare: dict[str, Callable[[Path], None]] = {"txt": bare_txt, "docx": bare_docx, "pdf": bare_pdf}
    formats = [f for f in ("txt", "docx", "pdf") if f in args.formats.split(",")]
    print(f"rendering {len(names)} corpus documents (cached, not timed)...", file=sys.stderr)
    rows = []
    for fmt in formats:
        chosen = names if fmt != "pdf" or args.pdf_docs <= 0 else names[: args.pdf_docs]
        rounds = args.pdf_rounds if fmt == "pdf" else args.rounds
        paths = [render(name, fmt) for name in chosen]
        # Warm up imports and caches outside the timings.
        bare[fmt](paths[0])
        parse_cold(paths[0])
        totals = {"bare": 0.0, "read": 0.0, "parse": 0.0}
        for path in paths:
            totals["bare"] += best(bare[fmt], path, rounds)
            totals["read"] += best(read_document, path, rounds)
            totals["parse"] += best(parse_cold, path, rounds)
        rows.append((fmt, len(paths), totals))
    print(f"{'format':<6} {'docs':>4} {'doc/s ours':>11} {'doc/s bare':>11} {'ratio':>7}")
    for fmt, n, t in rows:
        print(
            f"{fmt:<6} {n:>4} {n / t['parse']:>11.1f} {n / t['bare']:>11.1f} {t['parse'] / t['bare']:>6.2f}x"
        )
    print()
    for fmt, _, t in rows:
        print(verdict(fmt, t["parse"] / t["bare"], t["read"] / t["bare"]))
    if not args.no_long:
        per_page(names)
    if args.ocr_pages > 0:
        ocr_per_page(args.ocr_pages)
    if args.doc_docs > 0:
        print()
        print(legacy_doc_section(names[: args.doc_docs]))
    return 0


# ------------------------------------------------------------------------------------- legacy .doc


def legacy_doc_section(names: list[str]) -> str:
    """Seconds per legacy .doc (LibreOffice conversion + parse) beside the Unicode .docx of the same text."""
    import os
    import tempfile

    from fixtures.legacy import render_legacy_all

    from procreg.parsers.convert import convert_many, find_soffice

    if find_soffice() is None:
        return "doc   : skipped, LibreOffice not installed (apt-get install libreoffice-writer-nogui)"
    print(f"rendering {len(names)} VNI .doc files (cached, not timed)...", file=sys.stderr)
    docs = render_legacy_all(names, "vni.doc")
    docx = {name: render(name, "docx") for name in names}
    parse_cold(docx[names[0]])
    saved = os.environ.get("PROCREG_CACHE")
    try:
        with tempfile.TemporaryDirectory(prefix="procreg-bench-") as cache:
            os.environ["PROCREG_CACHE"] = str(Path(cache) / "one")
            alone = sum(best(parse_cold, docs[name], 1) for name in names)  # empty cache: converts each
            os.environ["PROCREG_CACHE"] = str(Path(cache) / "batch")
            start = time.perf_counter()
            convert_many([docs[name] for name in names])
            batch = time.perf_counter() - start
            cached = sum(best(parse_cold, docs[name], 3) for name in names)
    finally:
        if saved is None:
            os.environ.pop("PROCREG_CACHE", None)
        else:
            os.environ["PROCREG_CACHE"] = saved
    unicode_docx = sum(best(parse_cold, docx[name], 3) for name in names)
    n = len(names)
    return "\n".join(
        [
            f"doc   : {alone / n:.2f} s per .doc parsed on its own (LibreOffice conversion + parse), "
            f"{n} VNI .doc files",
            f"doc   : {batch / n:.2f} s per .doc converted in one LibreOffice run of {n} "
            f"(+ {cached / n:.3f} s to parse it from the cache)",
            f"docx  : {unicode_docx / n:.3f} s per .docx of the same documents (Unicode, parse)",
            f"doc   : {alone / unicode_docx:.0f}x the .docx alone, "
            f"{(batch + cached) / unicode_docx:.0f}x in one run; LibreOffice's start-up is most of it",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
