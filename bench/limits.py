"""Limits: a 2,000-page PDF and a 200 MB .txt are refused in seconds, with bounded memory.

Each run is ``procreg parse FILE`` (or ``procreg ingest FOLDER``) under ``/usr/bin/time -v``; the table
shows the exit code, elapsed seconds, peak memory (maximum resident set size) and, for texts, peak
memory over the text's size (the goal: under 10x). The files are built once into the fixture cache
(``$PROCREG_FIXTURE_CACHE`` or ``<tmp>/procreg-fixtures``):

- ``long-2000.pdf``: 2,000 pages, a Vietnamese paragraph and a ruled table on each;
- ``big-200M.txt`` and ``big-20M.txt``: the corpus texts repeated to 200 MB and 20 MB.

Runs: both big files with the default limits (refused, exit 3, with a message saying how to raise
the limit); both in one ``ingest`` (both refused, nothing stored); the 20 MB text with
``--max-size 25M`` (read, the memory ratio); with ``--raised``, also the 2,000-page PDF with
``--max-pages 2000`` (read). Asserts nothing.

    .venv/bin/python bench/limits.py [--raised]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from fixtures.build import FONTS, cache_dir, corpus_names, corpus_txt  # noqa: E402

PROCREG = Path(sys.executable).parent / "procreg"


def long_pdf(pages: int) -> Path:
    """A born-digital PDF of ``pages`` pages (built once)."""
    out = cache_dir() / f"long-{pages}.pdf"
    if out.exists():
        return out
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=10)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 5, f"Phụ lục {n}. Danh mục thủ tục hành chính nội bộ thuộc thẩm quyền giải quyết.")
        with pdf.table(width=pdf.epw) as table:
            for row in (["TT", "Tên thủ tục", "Thời hạn"], [str(n), "Thủ tục thẩm định hồ sơ", "05 ngày"]):
                cells = table.row()
                for text in row:
                    cells.cell(text)
    tmp = out.with_suffix(".tmp")
    pdf.output(str(tmp))
    tmp.replace(out)
    return out


def big_txt(megabytes: int) -> Path:
    """The corpus texts repeated to ``megabytes`` MB (built once)."""
    out = cache_dir() / f"big-{megabytes}M.txt"
    if out.exists():
        return out
    texts = [corpus_txt(name).read_text(encoding="utf-8") for name in corpus_names()]
    target = megabytes * 1024 * 1024
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        written = 0
        while written < target:
            for text in texts:
                f.write(text)
                f.write("\n\n")
                written += len(text.encode()) + 2
                if written >= target:
                    break
    tmp.replace(out)
    return out


def timed(args: list[str]) -> tuple[int, float, int, str]:
    """(exit code, elapsed s, peak KB, first stderr line of procreg) of one run under /usr/bin/time -v."""
    result = subprocess.run(["/usr/bin/time", "-v", str(PROCREG), *args], capture_output=True, text=True)
    err = result.stderr
    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", err)
    seconds = 0.0
    if elapsed:
        hours, minutes, secs = elapsed.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    message = next((ln for ln in err.splitlines() if ln.startswith("procreg:")), "")
    return result.returncode, seconds, int(peak.group(1)) if peak else 0, message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--raised", action="store_true", help="also read the 2,000-page PDF with the limit raised"
    )
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        print("needs GNU time (/usr/bin/time): apt install time")
        return 0
    pdf, txt200, txt20 = long_pdf(2000), big_txt(200), big_txt(20)
    runs: list[tuple[str, list[str], Path | None]] = [
        ("2,000-page PDF, default limits", ["parse", str(pdf)], None),
        ("200 MB .txt, default limits", ["parse", str(txt200)], txt200),
        ("20 MB .txt, --max-size 25M", ["parse", "--max-size", "25M", str(txt20)], txt20),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "batch"
        folder.mkdir()
        for f in (pdf, txt200):
            (folder / f.name).symlink_to(f)
        runs.append(
            (
                "ingest of both, default limits",
                ["--home", str(Path(tmp) / "home"), "ingest", str(folder)],
                None,
            )
        )
        if args.raised:
            runs.append(
                ("2,000-page PDF, --max-pages 2000", ["parse", "--max-pages", "2000", str(pdf)], None)
            )
        print(f"{'run':<36} {'exit':>4} {'seconds':>8} {'peak MB':>8} {'peak/text':>9}")
        messages = []
        for label, argv, text in runs:
            code, seconds, peak_kb, message = timed(argv)
            ratio = f"{peak_kb * 1024 / text.stat().st_size:8.1f}x" if text is not None and code == 0 else ""
            print(f"{label:<36} {code:>4} {seconds:>8.2f} {peak_kb / 1024:>8.0f} {ratio:>9}")
            if message:
                messages.append(f"  {label}: {message[:240]}")
        print("\nmessages:")
        print("\n".join(messages))
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
