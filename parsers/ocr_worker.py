"""The OCR child process: page images prepared, recognised by OCRmyPDF + Tesseract, written to the cache.

Run by ``procreg.parsers.ocr`` as ``python -m procreg.parsers.ocr_worker PDF PAGES_DIR JOBS PARENT
N:KEY…``, in a process group of its own. Its parent asked the kernel to send it SIGTERM when the
parent dies; on SIGTERM (or SIGINT, SIGHUP) it kills its whole process group, so OCRmyPDF's workers
and Tesseract never outlive a killed procreg.

Each page is rendered at 300 dpi in grayscale, deskewed (the angle that makes the rows of ink
sharpest, within ±3°), its ruling lines found from the pixels (long runs of ink, horizontal and
vertical: a scanned table's grid is pixels, not vector lines) and painted out so that Tesseract
reads only the text; the cleaned images go through OCRmyPDF in one run on ``JOBS`` cores. Every
page's glyphs (from the text layer OCRmyPDF writes) and ruling lines are stored, in the page's own
points, as ``PAGES_DIR/<key[:2]>/<key>.json.gz``.
"""

from __future__ import annotations

import gzip
import inspect
import json
import logging
import os
import signal
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from procreg.parsers.ocr import LANGUAGE

__all__ = ["find_rules", "main", "skew_angle"]

DPI = 300
_INK = 160  # grey levels below this are ink
_MAX_SKEW = 3.0  # degrees searched either way


def _guard(parent: int) -> None:
    """Kill the whole process group on SIGTERM/SIGINT/SIGHUP, and at once if the parent is gone."""
    guard = os.getpid()

    def stop(signum: int, _frame: object = None) -> None:
        if os.getpid() == guard:
            os.killpg(0, signal.SIGKILL)

    signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    for sig in signals:
        signal.signal(sig, stop)

    def plain_child() -> None:
        # A forked child (our pool, OCRmyPDF's workers) keeps the kernel's default: a Python handler
        # cannot run while the child waits in C, and its pool would wait for it forever.
        for sig in signals:
            signal.signal(sig, signal.SIG_DFL)

    os.register_at_fork(after_in_child=plain_child)
    if os.getppid() != parent:
        stop(signal.SIGTERM)


def skew_angle(gray: Any) -> float:
    """The rotation (degrees, for ``PIL.Image.rotate``) that levels the text rows of ``gray``.

    Ink pixels of a 100 dpi copy are projected on rows along each candidate slope; the level rows of
    text give the sharpest profile (largest sum of squared row counts). Coarse steps of 0.1°, then
    0.02° around the best.
    """
    import numpy as np

    small = gray[::3, ::3]
    ys, xs = np.nonzero(small < _INK)
    if len(ys) < 500:
        return 0.0
    if len(ys) > 300_000:
        pick = np.linspace(0, len(ys) - 1, 300_000).astype(np.int64)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - small.shape[1] / 2

    def sharpness(angle: float) -> float:
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    coarse = np.arange(-_MAX_SKEW, _MAX_SKEW + 0.001, 0.1)
    best = float(max(coarse, key=sharpness))
    fine = np.arange(best - 0.1, best + 0.1001, 0.02)
    return -float(max(fine, key=sharpness))


def _runs(mask: Any, min_length: int) -> Any:
    """Runs of True along axis 1 at least ``min_length`` long, as an (n, 3) array: row, start, end."""
    import numpy as np

    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    starts = np.argwhere(diff == 1)
    ends = np.argwhere(diff == -1)
    lengths = ends[:, 1] - starts[:, 1]
    keep = lengths >= min_length
    return np.column_stack([starts[keep, 0], starts[keep, 1], ends[keep, 1]])


def _group(runs: Any) -> list[tuple[int, int, int, int]]:
    """Runs on neighbouring rows that overlap, joined: (start, first row, end, last row) each."""
    lines: list[list[int]] = []  # start, first row, end, last row
    open_: list[list[int]] = []
    for row, start, end in runs.tolist():
        open_ = [ln for ln in open_ if row - ln[3] <= 2]
        for line in open_:
            if start < line[2] and end > line[0]:
                line[0], line[2], line[3] = min(line[0], start), max(line[2], end), row
                break
        else:
            line = [start, row, end, row]
            lines.append(line)
            open_.append(line)
    return [(a, b, c, d) for a, b, c, d in lines]


def _close_gaps(mask: Any, axis: int, gap: int = 2) -> Any:
    """``mask`` with gaps of up to ``2 * gap`` pixels along ``axis`` filled (a broken scanned line)."""
    import numpy as np

    before = np.zeros_like(mask)
    after = np.zeros_like(mask)
    for step in range(1, gap + 1):
        before |= np.roll(mask, step, axis=axis)
        after |= np.roll(mask, -step, axis=axis)
    result: Any = mask | (before & after)
    return result


def find_rules(dark: Any, dpi: int = DPI) -> list[tuple[int, int, int, int]]:
    """Horizontal and vertical ruling lines in an ink mask, as pixel boxes (x0, top, x1, bottom).

    A horizontal line is a run of ink at least 1/3 inch long (text strokes are far shorter; a row of
    dashes closes into one run, as a drawn line would); a vertical one at least 1/5 inch. Lines are
    at most 1/25 inch thick, so a filled block or a bold letter is no line.
    """
    thick = max(3, dpi // 25)
    out: list[tuple[int, int, int, int]] = []
    for start, first, end, last in _group(_runs(_close_gaps(dark, 1), dpi // 3)):
        if last - first < thick:
            out.append((start, first, end, last + 1))
    for start, first, end, last in _group(_runs(_close_gaps(dark.T, 1), dpi // 5)):
        if last - first < thick:
            out.append((first, start, last + 1, end))
    return out


def _prepare(task: tuple[str, int, str]) -> dict[str, Any]:
    """Render, deskew, find and erase ruling lines; save the cleaned page as a PNG for OCR."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    pdf_path, index, png = task
    document = pdfium.PdfDocument(pdf_path)
    try:
        page = document[index]
        width, height = page.get_size()
        image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    angle = skew_angle(np.asarray(image))
    if abs(angle) >= 0.05:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    gray = np.array(image)
    rules = find_rules(gray < _INK)
    margin = 2
    for x0, top, x1, bottom in rules:
        gray[max(0, top - margin) : bottom + margin, max(0, x0 - margin) : x1 + margin] = 255
    Image.fromarray(gray).save(png, dpi=(DPI, DPI), compress_level=1)  # a temporary file: speed over size
    scale = 72 / DPI
    return {
        "png": png,
        "width": width,
        "height": height,
        "angle": round(angle, 2),
        "rules": [[round(v * scale, 2) for v in rule] for rule in rules],
    }


def _recognise(pngs: list[str], tmp: Path, jobs: int) -> Path:
    """OCRmyPDF over the cleaned page images (one PDF, one page per image); the OCRed PDF's path."""
    import img2pdf
    import ocrmypdf

    images = tmp / "images.pdf"
    images.write_bytes(img2pdf.convert(pngs, layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))))
    out = tmp / "ocr.pdf"
    logging.getLogger("ocrmypdf").setLevel(logging.WARNING)
    options: dict[str, Any] = {}
    if "rasterizer" in inspect.signature(ocrmypdf.ocr).parameters:
        # pypdfium2 resamples the page image on the way (a blur that costs whole lines); Ghostscript
        # gives back the prepared pixels exactly.
        options["rasterizer"] = "ghostscript"
    # Tesseract's own text layer: the same glyphs as OCRmyPDF's Python renderers, at less cost.
    options["pdf_renderer"] = "sandwich"
    ocrmypdf.ocr(
        images,
        out,
        language=[LANGUAGE],
        jobs=jobs,
        output_type="pdf",
        optimize=0,
        progress_bar=False,
        **options,
    )
    return out


def _glyphs(ocr_pdf: Path, prepared: list[dict[str, Any]]) -> list[list[list[Any]]]:
    """Each OCRed page's glyphs, scaled to the original page's points."""
    import pdfplumber

    out: list[list[list[Any]]] = []
    with pdfplumber.open(str(ocr_pdf)) as pdf:
        for page, info in zip(pdf.pages, prepared, strict=True):
            sx = info["width"] / float(page.width)
            sy = info["height"] / float(page.height)
            glyphs = []
            for c in page.chars:
                glyphs.append(
                    [
                        c["text"],
                        round(c["x0"] * sx, 2),
                        round(c["top"] * sy, 2),
                        round(c["x1"] * sx, 2),
                        round(c["bottom"] * sy, 2),
                        round(float(c.get("size") or 0.0) * sy * 2) / 2,
                    ]
                )
            out.append(glyphs)
            page.close()
    return out


def _write(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(gzip.compress(json.dumps(record, ensure_ascii=False).encode(), mtime=0))
    Path(tmp).replace(path)


BATCH = 24  # pages per OCRmyPDF run: results are stored batch by batch, temporary files stay small


def _batch(pdf_path: str, todo: list[tuple[int, str]], pages_dir: Path, jobs: int, pool: Any) -> None:
    """Prepare, recognise and store one batch of pages."""
    with tempfile.TemporaryDirectory(prefix="procreg-ocr-") as tmp_name:
        tmp = Path(tmp_name)
        tasks = [(pdf_path, n - 1, str(tmp / f"{n:05d}.png")) for n, _ in todo]
        prepared = list(pool.map(_prepare, tasks)) if pool is not None else [_prepare(t) for t in tasks]
        ocr_pdf = _recognise([p["png"] for p in prepared], tmp, jobs)
        glyphs = _glyphs(ocr_pdf, prepared)
        for (_, key), info, page_glyphs in zip(todo, prepared, glyphs, strict=True):
            record = {"glyphs": page_glyphs, "rules": info["rules"], "angle": info["angle"]}
            _write(pages_dir / key[:2] / f"{key}.json.gz", record)


def main(argv: list[str]) -> int:
    """Prepare, recognise and store the pages named on the command line (see the module docstring)."""
    pdf_path, pages_dir, jobs_text, parent = argv[:4]
    _guard(int(parent))
    todo = [(int(n), key) for n, key in (item.split(":", 1) for item in argv[4:])]
    jobs = max(1, int(jobs_text))
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    if jobs == 1 or len(todo) == 1:
        for batch in batches:
            _batch(pdf_path, batch, Path(pages_dir), jobs, None)
        return 0
    import multiprocessing

    # Spawned, not forked: a fresh interpreter holds no lock that a thread of ours held at the fork.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(todo)), mp_context=context) as pool:
        for batch in batches:
            _batch(pdf_path, batch, Path(pages_dir), jobs, pool)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
