"""Reader speed per format (txt, docx, pdf) on the corpus renderings, against the bare libraries.

For each document the bare extraction and ours run back to back (so both see the same machine load):

- bare docx: python-docx ``Document()`` + ``iter_inner_content()`` paragraph texts and every table
  cell's text (``row.cells``);
- bare pdf: pdfplumber ``extract_text()`` on every page;
- bare txt: read, decode, NFC-normalise and split the file into lines;
- ours: ``parsers.read.read_document`` (blocks), and ``parsers.document.parse_document`` (full parse:
  reader + extractors) when that module is present.

Prints documents/s and the ratio ours/bare (aim: read <= 1.5x bare). Renders the fixtures first
(not timed). Asserts nothing.

    .venv/bin/python bench/parse.py [--pdf-docs N] [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.read import read_document  # noqa: E402
from tests.fixtures.build import corpus_names, render  # noqa: E402

ParseFn = Callable[[Path], object] | None


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


def load_parse() -> ParseFn:
    try:
        from parsers.document import parse_document
    except ImportError:
        return None
    return parse_document


def timed(fn: Callable[[Path], object], path: Path) -> float:
    start = time.perf_counter()
    fn(path)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pdf-docs", type=int, default=10, help="PDFs to time (0 = all 26; ~270 pages)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per document (best kept)")
    args = parser.parse_args()
    names = corpus_names()
    parse = load_parse()
    bare: dict[str, Callable[[Path], None]] = {"txt": bare_txt, "docx": bare_docx, "pdf": bare_pdf}
    print(f"rendering {len(names)} corpus documents (cached, not timed)...", file=sys.stderr)
    rows = []
    for fmt in ("txt", "docx", "pdf"):
        chosen = names if fmt != "pdf" or args.pdf_docs <= 0 else names[: args.pdf_docs]
        paths = [render(name, fmt) for name in chosen]
        # Warm up imports and caches outside the timings.
        bare[fmt](paths[0])
        read_document(paths[0])
        if parse is not None:
            parse(paths[0])
        totals = {"bare": 0.0, "read": 0.0, "parse": 0.0}
        pages = 0
        for path in paths:
            totals["bare"] += min(timed(bare[fmt], path) for _ in range(args.rounds))
            raw_time = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                raw = read_document(path)
                raw_time.append(time.perf_counter() - start)
            totals["read"] += min(raw_time)
            pages += raw.pages or 0
            if parse is not None:
                totals["parse"] += min(timed(parse, path) for _ in range(args.rounds))
        rows.append((fmt, len(paths), pages, totals))
    head = f"{'format':<6} {'docs':>4} {'pages':>5} {'bare doc/s':>11} {'read doc/s':>11} {'read/bare':>9}"
    print(head, end="")
    print(f" {'parse doc/s':>12} {'parse/bare':>10}" if parse is not None else "")
    for fmt, n, pages, t in rows:
        line = (
            f"{fmt:<6} {n:>4} {pages or '-':>5} {n / t['bare']:>11.1f} {n / t['read']:>11.1f} "
            f"{t['read'] / t['bare']:>8.2f}x"
        )
        if parse is not None:
            line += f" {n / t['parse']:>12.1f} {t['parse'] / t['bare']:>9.2f}x"
        if pages:
            line += f"   ({1000 * t['read'] / pages:.0f} ms/page read, {1000 * t['bare'] / pages:.0f} bare)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
