"""A screenshot of procreg's BPMN as bpmn-js draws it, for the README: QT.GĐ.01 in the vendored viewer.

    .venv/bin/python samples/bpmn_js_screenshot.py [--code QT.GĐ.01] [--out docs/bpmn-js.png]

Ingests the corpus decision that holds QT.GĐ.01 (Hà Tĩnh 3005/QĐ-UBND) into a temporary registry, writes
its BPMN with ``Registry.diagram(code, "bpmn")``, imports it in bpmn-js (tests/vendor/bpmn-js) in headless
Debian Chromium and saves the whole diagram at zoom 1. tests/test_bpmn_js.py checks the same drawing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bpmn_js_support import open_bpmn, show_whole  # noqa: E402
from web_support import CHROMIUM_ARGS, chromium_path  # noqa: E402

import procreg  # noqa: E402

DOCUMENT = (
    ROOT
    / "tests"
    / "corpus"
    / "vn-admin-docs"
    / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
)


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default="QT.GĐ.01")
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bpmn-js.png")
    args = parser.parse_args(argv)
    chromium = chromium_path()
    if chromium is None:
        sys.exit("Chromium is missing: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="procreg-bpmn-js-") as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        shutil.copy2(args.document, docs / args.document.name)
        registry = procreg.Registry(Path(tmp) / "home")
        registry.ingest([docs])
        xml = registry.diagram(args.code, "bpmn").text
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS), headless=True)
        page = browser.new_page()
        result = open_bpmn(page, xml)
        if result["error"] or result["warnings"]:
            sys.exit(f"bpmn-js did not import {args.code}: {result['error'] or result['warnings']}")
        width, height = show_whole(page)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"{args.out}: {args.code} in bpmn-js, {width}×{height} px")


if __name__ == "__main__":
    main()
