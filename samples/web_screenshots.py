"""Screenshots of the web page for the README: home, a procedure, the audit (headless Debian Chromium).

    .venv/bin/python samples/web_screenshots.py [--out docs]

Builds the demo's registry in a temporary folder (the samples, the demo's reviews and publication on
the portal), serves it with ``procreg serve`` on 127.0.0.1 and writes ``web-home.png``,
``web-procedure.png`` and ``web-audit.png``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from web_support import CHROMIUM_ARGS, Server, chromium_path, copy_samples  # noqa: E402

import procreg  # noqa: E402


def demo_registry(folder: Path) -> Path:
    """The registry ``make demo`` builds: samples ingested, reviews and a công khai recorded."""
    home = folder / "home"
    reg = procreg.Registry(home)
    reg.ingest(copy_samples(folder / "samples"))
    reg.review("QT.NV.02", on="2023-07-20", by="Văn phòng - Thanh tra Sở", note="rà soát 6 tháng cuối năm")
    reg.review("QT.NV.04", on="2023-07-20", by="Văn phòng - Thanh tra Sở")
    reg.publicize(
        "QT.NV.03", on="2023-05-04", where="https://songoaivu.hatinh.gov.vn/thu-tuc-hanh-chinh-noi-bo"
    )
    return home


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    chromium = chromium_path()
    if chromium is None:
        sys.exit("Chromium is missing: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="procreg-shots-") as tmp:
        home = demo_registry(Path(tmp))
        pid = procreg.Registry(home).get("QT.NV.01").record.id
        pages = {
            "web-home.png": "/",
            "web-procedure.png": f"/procedures/{pid}",
            "web-audit.png": "/audit?period=2023",
        }
        with Server(home) as server, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"),
                executable_path=chromium,
                args=list(CHROMIUM_ARGS),
                headless=True,
                viewport={"width": 1280, "height": 900},
            )
            page = context.new_page()
            for name, url in pages.items():
                page.goto(server.url + url)
                page.screenshot(path=str(args.out / name), full_page=True)
                print(args.out / name)
            context.close()


if __name__ == "__main__":
    main()
