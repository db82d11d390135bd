"""What the web page's tests share: registries built from the samples, a payload document, CSRF tokens.

The payload document is the repository's ISO procedure fixture with markup planted in its title, a step
and a form name (``<script>`` and ``"><img onerror>``): every page must show it as text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ISO_FIXTURE = ROOT / "tests" / "fixtures" / "procedures" / "iso_qt-ngv-01.txt"
SCRIPT = '<script>alert("x")</script>'
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, IMG)
# Samples a fresh registry gets: the plan, both publishing decisions, the review report.
SAMPLE_FILES = (
    "kh-01-sngv-2023-cchc.txt",
    "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
    "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf",
    "bc-18-sngv-2023_ra-soat-tthc-noibo.docx",
)
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def payload_document(folder: Path) -> Path:
    """The ISO procedure fixture with markup in its title, a step and a form; returns the .txt path."""
    text = ISO_FIXTURE.read_text(encoding="utf-8")
    text = text.replace("QUY TRÌNH CHO PHÉP TỔ CHỨC", f"QUY TRÌNH CHO PHÉP {SCRIPT} TỔ CHỨC")
    text = text.replace("Mã hiệu: QT.NV.01", "Mã hiệu: QT.NV.99")
    text = text.replace(
        "Thẩm định hồ sơ, dự thảo văn bản trình", f"Thẩm định hồ sơ {IMG} dự thảo văn bản trình"
    )
    text = text.replace("Mẫu 01: Giấy tiếp nhận", f"Mẫu 01: {SCRIPT} Giấy tiếp nhận")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "qt-payload.txt"
    path.write_text(text, encoding="utf-8")
    return path


def copy_samples(folder: Path, names: tuple[str, ...] = SAMPLE_FILES) -> list[Path]:
    """Copies of sample files in ``folder`` (the registry records their paths there)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        shutil.copy2(SAMPLES / name, folder / name)
        out.append(folder / name)
    return out


def csrf_of(html: str) -> str:
    """The CSRF token of the first form in a page."""
    found = _CSRF.search(html)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)
