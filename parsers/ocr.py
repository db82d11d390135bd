"""OCR of PDF pages (scans, junk text layers, text drawn as outlines), cached, in a guarded child process.

OCR is optional: ``pip install 'procreg[ocr]'`` brings OCRmyPDF, img2pdf and numpy; Tesseract with
its Vietnamese model and Ghostscript come from the system (``apt install ocrmypdf tesseract-ocr-vie``).
``missing_tools()`` names what is missing, so the reader can say how to install it.

``ocr_pages(data, numbers, name=…, cache=…)`` returns each page's recognised glyphs and ruling lines
(``OcrPage``), in the page's own coordinates (points, top-down, like pdfplumber). The work runs in
``procreg.parsers.ocr_worker``, a child process in its own process group that dies with its parent
and takes every process it started (OCRmyPDF's workers, Tesseract) with it: killing procreg never
leaves OCR running.

Two caches, both under ``cache`` (the registry home's ``ocr-cache``, or the user cache folder):

- per page, keyed by a digest of the page as drawn (rendered at 72 dpi) and the OCR engine: the same
  page image under another (junk) text layer, or in another file, is never recognised twice;
- per file, keyed by the file's SHA-256: a re-read of the same file renders nothing at all.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "INSTALL_ADVICE",
    "OcrFailed",
    "OcrPage",
    "OcrUnavailable",
    "default_cache_dir",
    "missing_tools",
    "ocr_pages",
]

INSTALL_ADVICE = "pip install 'procreg[ocr]' and apt install ocrmypdf tesseract-ocr-vie"
LANGUAGE = "vie"
# Bumped whenever the preparation (dpi, deskew, ruling lines) or the stored shape changes.
PIPELINE_VERSION = "2"

Glyph = tuple[str, float, float, float, float, float]  # text, x0, top, x1, bottom, size
Rule = tuple[float, float, float, float]  # x0, top, x1, bottom of a drawn line


class OcrUnavailable(Exception):
    """The OCR tools are not installed (the message names what is missing)."""


class OcrFailed(Exception):
    """OCR ran and failed (the message is the tool's last line)."""


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page as OCR read it: glyphs and ruling lines in page points, and the skew it corrected."""

    glyphs: tuple[Glyph, ...]
    rules: tuple[Rule, ...]
    angle: float = 0.0


def _module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@lru_cache(maxsize=4)
def _tesseract(path_env: str) -> tuple[str | None, str]:
    """(what is missing or None, the engine's identity) for the Tesseract found on ``path_env``."""
    exe = shutil.which("tesseract", path=path_env)
    if exe is None:
        return "Tesseract is not installed", ""
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Tesseract does not run ({exc})", ""
    names = {line.strip() for line in (langs.stdout + langs.stderr).splitlines()}
    if LANGUAGE not in names:
        return "Tesseract's Vietnamese model (tesseract-ocr-vie) is not installed", ""
    first = (version.stdout or version.stderr).splitlines()[:1]
    return None, first[0].strip() if first else "tesseract"


def missing_tools() -> str | None:
    """What keeps OCR from running here (one sentence), or None when everything is installed."""
    missing = [m for m in ("ocrmypdf", "img2pdf", "numpy") if not _module(m)]
    if missing:
        return f"the Python package(s) {', '.join(missing)} are not installed"
    reason, _ = _tesseract(os.environ.get("PATH", os.defpath))
    if reason is None and shutil.which("gs") is None:
        reason = "Ghostscript (gs) is not installed"
    return reason


@lru_cache(maxsize=1)
def _engine() -> str:
    """The OCR engine's identity for the cache keys: pipeline, OCRmyPDF and Tesseract versions."""
    from importlib.metadata import version

    _, tesseract = _tesseract(os.environ.get("PATH", os.defpath))
    return f"{PIPELINE_VERSION}|ocrmypdf {version('ocrmypdf')}|{tesseract}|{LANGUAGE}"


def default_cache_dir() -> Path:
    """The user's cache folder for OCR results: ``$PROCREG_CACHE/ocr``, else ``~/.cache/procreg/ocr``."""
    root = os.environ.get("PROCREG_CACHE")
    if root:
        return Path(root) / "ocr"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "procreg" / "ocr"


def _page_key(page: object) -> str:
    """A digest of the page as drawn: invisible text does not change it, the drawing does."""
    bitmap = page.render(scale=1.0, grayscale=True)  # type: ignore[attr-defined]
    image = bitmap.to_pil()
    h = hashlib.sha256(_engine().encode())
    h.update(f"|{image.width}x{image.height}|".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def _page_file(cache: Path, key: str) -> Path:
    return cache / "pages" / key[:2] / f"{key}.json.gz"


def load_page(path: Path) -> OcrPage | None:
    """A cached page, or None when it is missing or unreadable (it is then recognised again)."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError):
        return None
    return OcrPage(
        glyphs=tuple(
            (str(g[0]), float(g[1]), float(g[2]), float(g[3]), float(g[4]), float(g[5]))
            for g in data["glyphs"]
        ),
        rules=tuple((float(r[0]), float(r[1]), float(r[2]), float(r[3])) for r in data["rules"]),
        angle=float(data.get("angle", 0.0)),
    )


def _file_manifest(cache: Path, sha: str) -> Path:
    key = hashlib.sha256(f"{_engine()}|{sha}".encode()).hexdigest()
    return cache / "files" / f"{key}.json"


def _from_manifest(cache: Path, sha: str, numbers: Sequence[int]) -> dict[int, OcrPage] | None:
    try:
        keys: dict[str, str] = json.loads(_file_manifest(cache, sha).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    out: dict[int, OcrPage] = {}
    for number in numbers:
        key = keys.get(str(number))
        page = load_page(_page_file(cache, key)) if key else None
        if page is None:
            return None
        out[number] = page
    return out


def _write_manifest(cache: Path, sha: str, keys: dict[int, str]) -> None:
    path = _file_manifest(cache, sha)
    try:
        old: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        old = {}
    old.update({str(n): k for n, k in keys.items()})
    _atomic_write(path, json.dumps(old, sort_keys=True).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux), so the child's guard runs."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _run_worker(pdf: Path, cache: Path, todo: dict[int, str], jobs: int, pages: int) -> None:
    """Run the OCR worker on ``todo`` (page number -> key); it writes each page into the cache."""
    command = [
        sys.executable,
        "-m",
        "procreg.parsers.ocr_worker",
        str(pdf),
        str(cache / "pages"),
        str(jobs),
        str(os.getpid()),
        *(f"{n}:{k}" for n, k in sorted(todo.items())),
    ]
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        process_group=0,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - a signal setting, no locks taken
    )
    try:
        _, err = proc.communicate(timeout=120 + 60 * pages)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if proc.returncode != 0:
        lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise OcrFailed(lines[-1] if lines else f"the OCR worker exited with code {proc.returncode}")


def ocr_pages(
    data: bytes, numbers: Sequence[int], *, cache: Path | None = None, jobs: int | None = None
) -> dict[int, OcrPage]:
    """OCR the pages ``numbers`` (1-based) of the PDF ``data``; cached results are reused.

    Raises:
        OcrUnavailable: the OCR tools are not installed.
        OcrFailed: OCRmyPDF or Tesseract failed on the file.
    """
    reason = missing_tools()
    if reason is not None:
        raise OcrUnavailable(reason)
    cache = cache or default_cache_dir()
    sha = hashlib.sha256(data).hexdigest()
    found = _from_manifest(cache, sha, numbers)
    if found is not None:
        return found
    import pypdfium2 as pdfium

    keys: dict[int, str] = {}
    document = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            keys[number] = _page_key(document[number - 1])
    finally:
        document.close()
    todo = {n: k for n, k in keys.items() if load_page(_page_file(cache, k)) is None}
    if todo:
        with tempfile.TemporaryDirectory(prefix="procreg-ocr-") as tmp:
            pdf = Path(tmp) / "input.pdf"
            pdf.write_bytes(data)
            _run_worker(pdf, cache, todo, jobs or _jobs(), len(todo))
    out: dict[int, OcrPage] = {}
    for number, key in keys.items():
        page = load_page(_page_file(cache, key))
        if page is None:
            raise OcrFailed(f"page {number}: OCR gave no result")
        out[number] = page
    _write_manifest(cache, sha, keys)
    return out
