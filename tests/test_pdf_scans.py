"""Scans of every corpus document read by OCR; the same scans under a junk text layer; stamps, outlines.

The scans come from ``fixtures.scans`` (200 dpi grey, noise, rotation within ±1.5°, image-only). OCR
results are cached beside the fixtures (``ocr_cache()``), by page image, so the junk-layer variants
and every later session cost no OCR. Run with ``-s`` to see the scores, each miss, and what OCR cost.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import DOCS_DIR, PLAN_TXT, header_misses, ocr_cache, requires_ocr, requires_tool

from procreg.parsers.document import parse_document, parse_raw
from procreg.parsers.read import read_document
from procreg.registry.models import ParsedDocument, ReadOptions

pytestmark = [pytest.mark.slow, requires_ocr()]

HEADER_FIELDS = ["number", "issued_on", "kind"]
FLOOR = 20  # of the 22 documents with a header
SOURCES = [PLAN_TXT, *sorted(DOCS_DIR.glob("*.txt"))]


def _parse(path: Path) -> ParsedDocument:
    return parse_raw(read_document(path, ReadOptions(ocr_cache=ocr_cache())))


def _prewarm(paths: list[Path]) -> None:
    """OCR every page of ``paths`` not yet in the cache in ONE run on all cores (the cache is by page image).

    One OCRmyPDF run over all pages pays its start-up once and keeps both cores busy, where one run per
    document (two pages, three) would not; each document's parse then finds its pages in the cache.
    """
    import pypdfium2 as pdfium

    from procreg.parsers.ocr import ocr_pages

    joined = pdfium.PdfDocument.new()
    for path in paths:
        part = pdfium.PdfDocument(str(path))
        joined.import_pages(part)
        part.close()
    buffer = io.BytesIO()
    joined.save(buffer)
    count = len(joined)
    joined.close()
    ocr_pages(buffer.getvalue(), list(range(1, count + 1)), cache=Path(ocr_cache()))


def _parse_all(build: Any, label: str) -> dict[str, ParsedDocument]:
    paths = {src.name: build(src.stem) for src in SOURCES}
    pages = sum(len(read_pages(path)) for path in paths.values())
    start = time.perf_counter()
    _prewarm(list(paths.values()))
    ocr = time.perf_counter() - start
    docs = {name: _parse(path) for name, path in paths.items()}
    print(
        f"\n[{label}] {len(docs)} documents, {pages} pages: OCR (uncached pages) {ocr:.1f} s, "
        f"then every parse {time.perf_counter() - start - ocr:.1f} s"
    )
    return docs


def read_pages(path: Path) -> list[int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return list(range(len(document)))
    finally:
        document.close()


@pytest.fixture(scope="module")
def txt() -> dict[str, ParsedDocument]:
    return {src.name: parse_document(src) for src in SOURCES}


@pytest.fixture(scope="module")
def scans() -> dict[str, ParsedDocument]:
    from fixtures.scans import scan

    return _parse_all(scan, "scans")


@pytest.fixture(scope="module")
def junk() -> dict[str, ParsedDocument]:
    from fixtures.scans import junk_scan

    return _parse_all(junk_scan, "junk layers")


def _steps(docs: dict[str, ParsedDocument]) -> dict[str, int]:
    return {name: sum(len(p.steps) for p in doc.procedures) for name, doc in docs.items()}


def _step_share(docs: dict[str, ParsedDocument], txt: dict[str, ParsedDocument], label: str) -> float:
    got, want = _steps(docs), _steps(txt)
    print(f"\n[{label}] step rows: {sum(got.values())} of the .txt's {sum(want.values())}")
    for name in sorted(want):
        if got[name] != want[name]:
            print(f"      {name}: {got[name]} of {want[name]}")
    return sum(got.values()) / sum(want.values())


def _ninety(doc: ParsedDocument) -> list[str]:
    return [t.section for t in doc.targets if t.value == 90 and "rà soát, công bố, công khai" in t.text]


def test_scans_header_fields(scans: dict[str, ParsedDocument], truth: dict[str, Any]) -> None:
    misses = header_misses({k: v for k, v in scans.items() if k in truth}, truth, HEADER_FIELDS, "scans")
    for field in HEADER_FIELDS:
        assert 22 - len(misses[field]) >= FLOOR, (field, misses[field])


def test_scans_step_rows(scans: dict[str, ParsedDocument], txt: dict[str, ParsedDocument]) -> None:
    assert _step_share(scans, txt, "scans") >= 0.9


def test_scans_plan_target(scans: dict[str, ParsedDocument], txt: dict[str, ParsedDocument]) -> None:
    assert _ninety(txt[PLAN_TXT.name]) == ["II.3"]
    assert _ninety(scans[PLAN_TXT.name]) == ["II.3"]


def test_scans_say_they_were_read_by_ocr(scans: dict[str, ParsedDocument]) -> None:
    for name, doc in scans.items():
        assert any("no text layer (scanned): read by OCR" in w for w in doc.warnings), name


def test_junk_layers_give_the_scan_results(
    junk: dict[str, ParsedDocument], scans: dict[str, ParsedDocument], txt: dict[str, ParsedDocument]
) -> None:
    for name, doc in junk.items():
        assert any("text layer is not Vietnamese" in w and "read by OCR" in w for w in doc.warnings), name
        fields = ("number", "issued_on", "kind", "title", "signer")
        assert [getattr(doc, f) for f in fields] == [getattr(scans[name], f) for f in fields], name
        assert _steps({name: doc}) == _steps({name: scans[name]}), name
    assert _step_share(junk, txt, "junk layers") >= 0.9
    assert _ninety(junk[PLAN_TXT.name]) == ["II.3"]


def test_scan_whose_only_text_is_a_signature_stamp_is_a_scan(scans: dict[str, ParsedDocument]) -> None:
    from fixtures.scans import stamped_scan

    name = "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte"
    doc = _parse(stamped_scan(name))
    assert "page 1: no text layer (scanned), only a digital-signature stamp: read by OCR" in doc.warnings
    assert "pages 2-8: no text layer (scanned): read by OCR" in doc.warnings
    assert "Ký bởi" not in doc.text and "Thời gian ký" not in doc.text
    want = scans[f"{name}.txt"]
    assert (doc.number, doc.issued_on, doc.kind, doc.signer) == (
        want.number,
        want.issued_on,
        want.kind,
        want.signer,
    )


@requires_tool("gs", "apt install ghostscript")
def test_pages_drawn_as_outlines_are_read_by_ocr(truth: dict[str, Any]) -> None:
    from fixtures.scans import outlined

    name = "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte"
    path = outlined(name)
    without = parse_raw(read_document(path, ReadOptions(ocr="never")))
    assert (
        "pages 1-2: text drawn as outlines, no font; left out: OCR is off (--ocr never)" in without.warnings
    )
    assert without.number is None  # the header was on the outlined first page
    doc = _parse(path)
    assert "pages 1-2: text drawn as outlines, no font: read by OCR" in doc.warnings
    want = truth[f"{name}.txt"]
    assert (doc.number, doc.issued_on, doc.kind) == (want["number"], want["issued_on"], want["kind"])
    assert doc.signer is not None and doc.signer.name == want["signer"]
