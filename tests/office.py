"""LibreOffice for tests: convert bytes with soffice (own profile, time limit), cache the result by digest.

``convert(data, suffix, fmt)`` writes ``data`` to a file named ``in<suffix>``, runs ``soffice --headless
--convert-to fmt`` on it and returns the converted file, cached under ``$PROCREG_FIXTURE_CACHE/office`` (or
``<tmp>/procreg-fixtures/office``) by the SHA-256 of the input, the format and the import filter, so that a
second run converts nothing. ``calc_missing()`` says why spreadsheets cannot be converted here (None when
they can): the Debian package ``libreoffice-writer-nogui`` has no Calc.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["SOFFICE_INSTALL", "CALC_INSTALL", "calc_missing", "convert"]

SOFFICE_INSTALL = "apt-get install libreoffice-writer-nogui"
CALC_INSTALL = "apt-get install libreoffice-calc-nogui"


def _cache() -> Path:
    root = os.environ.get("PROCREG_FIXTURE_CACHE") or str(Path(tempfile.gettempdir()) / "procreg-fixtures")
    folder = Path(root) / "office"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def convert(data: bytes, suffix: str, fmt: str, *, infilter: str | None = None) -> Path:
    """The file LibreOffice makes of ``data`` (a ``suffix`` file) in format ``fmt`` (e.g. ``pdf``, ``xlsx``).

    Raises:
        RuntimeError: soffice failed or made no file.
    """
    key = hashlib.sha256(data + f"|{suffix}|{fmt}|{infilter}".encode()).hexdigest()[:24]
    out_ext = fmt.split(":", 1)[0]
    cached = _cache() / f"{key}.{out_ext}"
    if cached.exists():
        return cached
    with tempfile.TemporaryDirectory(prefix="procreg-office-") as tmp:
        work = Path(tmp)
        src = work / f"in{suffix}"
        src.write_bytes(data)
        cmd = [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            fmt,
            "--outdir",
            str(work / "out"),
            str(src),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=240, check=False)
        made = work / "out" / f"in.{out_ext}"
        if not made.exists():
            raise RuntimeError(f"soffice made no {out_ext}: {done.stdout} {done.stderr}".strip())
        tmp_copy = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(made, tmp_copy)
        tmp_copy.replace(cached)
    return cached


@functools.cache
def calc_missing() -> str | None:
    """Why spreadsheets cannot be converted here, as a one-line skip reason; None when they can."""
    if shutil.which("soffice") is None:
        return f"needs soffice: {SOFFICE_INSTALL}"
    try:
        convert(b"a,b\r\n1,2\r\n", ".csv", "xlsx")
    except (RuntimeError, subprocess.TimeoutExpired):
        return f"needs LibreOffice Calc: {CALC_INSTALL}"
    return None
