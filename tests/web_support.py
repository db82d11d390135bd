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


# --------------------------------------------------------------------------------------------------
# A real server and a real browser (test_web_browser.py, samples/web_screenshots.py)

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """Debian's Chromium, when it is installed."""
    import shutil

    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 (asked from the system)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``procreg serve`` in a subprocess on 127.0.0.1, for as long as the ``with`` block lasts."""

    def __init__(
        self,
        home: Path,
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        options: tuple[str, ...] = (),
    ) -> None:
        self.options = options
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env or {}
        self.cwd = cwd
        self.process: object = None
        self.started_in = 0.0

    def __enter__(self) -> Server:
        import os
        import subprocess
        import sys
        import time

        env = {**os.environ, "PROCREG_LANG": "vi", **self.env}
        cmd = [sys.executable, "-m", "procreg.cli", "--home", str(self.home), "serve"]
        cmd += ["--port", str(self.port), *self.options]
        started = time.perf_counter()
        self.process = subprocess.Popen(
            cmd, env=env, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.started_in = wait_for(self.url + "/static/app.css", started, self.process)
        return self

    def __exit__(self, *exc: object) -> None:
        import subprocess

        process = self.process
        assert isinstance(process, subprocess.Popen)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def wait_for(url: str, started: float, process: object, timeout: float = 20.0) -> float:
    """Seconds from ``started`` until ``url`` answers 200 (fails when the process dies or time runs out)."""
    import subprocess
    import time
    import urllib.request

    assert isinstance(process, subprocess.Popen)
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:  # noqa: S310 - a local address we started
                if r.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        if process.poll() is not None:
            err = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"procreg serve exited with {process.returncode}: {err}")
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"procreg serve did not answer within {timeout:.0f} s")
        time.sleep(0.02)
