"""Binary Word (.doc) and RTF files: converted to .docx by LibreOffice headless, then read as .docx.

LibreOffice (``soffice --headless --convert-to docx``; Debian package ``libreoffice-writer-nogui``) keeps
tables, merged cells and fonts, so the .docx reader reads the result like any Word file, legacy runs
included. How it is run:

- **Its own profile per conversion** (``-env:UserInstallation=file://…`` in a fresh temporary folder), so
  ingests running side by side, or a LibreOffice the user has open, never collide over one profile.
- **A time limit** (``PROCREG_CONVERT_TIMEOUT`` seconds, default 120): past it the whole process group is
  killed and the file is refused.
- **A cache of converted copies by content** (SHA-256 of the file): ``$PROCREG_CACHE/converted``, else
  ``$XDG_CACHE_HOME/procreg/converted`` (``~/.cache/procreg/converted``). A file seen before is never
  converted again; an unwritable cache only costs the conversion.
- **Several files in one run** (``convert_many``): LibreOffice starts once (about two seconds) and then
  converts each file in a fraction of that; a folder ingest converts its .doc and .rtf files that way.

The program is ``$PROCREG_SOFFICE`` when set, else ``soffice`` or ``libreoffice`` on PATH, else the usual
install folders. Without it, reading a .doc or .rtf file is one input error that says how to install it.
Only files that look like what their suffix says are handed over (an OLE2 Word file, RTF, a .docx or
HTML saved as .doc): LibreOffice would open anything else as plain text and "convert" the bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from procreg.i18n import N_, _
from procreg.parsers.blocks import read_bytes
from procreg.registry.errors import InputError
from procreg.registry.models import RawDocument

__all__ = [
    "INSTALL_HINT",
    "TIME_LIMIT",
    "cache_dir",
    "convert_many",
    "convert_to_docx",
    "find_soffice",
    "read_converted",
]

TIME_LIMIT = 120.0
INSTALL_HINT = N_(
    "install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; "
    "elsewhere: https://www.libreoffice.org/download) or set PROCREG_SOFFICE to its soffice program"
)
_CACHE_VERSION = "lo1"  # bump when the conversion's options change: old copies are then ignored
_KNOWN_PLACES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when there is none."""
    chosen = os.environ.get("PROCREG_SOFFICE")
    if chosen is not None:
        return chosen if chosen and Path(chosen).is_file() and os.access(chosen, os.X_OK) else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _KNOWN_PLACES if Path(p).is_file() and os.access(p, os.X_OK)), None)


def _time_limit() -> float:
    try:
        return max(1.0, float(os.environ.get("PROCREG_CONVERT_TIMEOUT", TIME_LIMIT)))
    except ValueError:
        return TIME_LIMIT


def cache_dir() -> Path | None:
    """The folder of converted copies (created on first use), or None when none can be written."""
    root = os.environ.get("PROCREG_CACHE")
    if root:
        base = Path(root)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        local = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None
        base = Path(xdg or local or Path.home() / ".cache") / "procreg"
    folder = base / "converted"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _check_kind(data: bytes, suffix: str, path: str) -> None:
    """Refuse a file that is not what a .doc or .rtf file can be (LibreOffice would read it as text)."""
    head = data[:1024].lstrip()
    if not data:
        raise InputError(_("empty file"), path=path)
    if head.startswith(b"{\\rtf"):
        return
    if suffix == ".rtf":
        raise InputError(_("not an RTF file: it does not start with {\\rtf"), path=path)
    lower = head.lower()
    if data.startswith((_OLE2, b"PK\x03\x04")) or lower.startswith((b"<html", b"<!doctype", b"mime-version")):
        return
    raise InputError(_("not a Word document: neither a Word 97-2003 file, RTF, a .docx nor HTML"), path=path)


def _cached(folder: Path | None, digest: str) -> Path | None:
    if folder is None:
        return None
    copy = folder / f"{digest}-{_CACHE_VERSION}.docx"
    return copy if copy.is_file() and copy.stat().st_size > 0 else None


def _run(soffice: str, inputs: list[Path], outdir: Path, limit: float) -> str:
    """Run one LibreOffice conversion with a fresh profile; its stderr. Raises TimeoutError past ``limit``."""
    with tempfile.TemporaryDirectory(prefix="procreg-lo-profile-") as profile:
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            *(str(p) for p in inputs),
        ]
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a time-out kills LibreOffice's children too
        )
        try:
            _, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows has no process groups to kill
                proc.kill()
            proc.communicate()
            raise TimeoutError from None
        return err.decode("utf-8", errors="replace")


def _store(made: Path, folder: Path, digest: str) -> Path:
    """Copy a converted copy into ``folder`` under its digest, atomically (readers never see half a file)."""
    target = folder / f"{digest}-{_CACHE_VERSION}.docx"
    fd, tmp_name = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(made, tmp_name)
        Path(tmp_name).replace(target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target


@dataclasses.dataclass(frozen=True, slots=True)
class _Job:
    path: Path
    data: bytes
    digest: str


def _convert(
    jobs: list[_Job], soffice: str, folder: Path, workdir: Path
) -> tuple[dict[Path, Path | InputError], bool]:
    """Convert ``jobs`` in one LibreOffice run: each file's copy or error, and whether the run timed out."""
    inbox, outbox = workdir / "in", workdir / "out"
    inbox.mkdir(exist_ok=True)
    outbox.mkdir(exist_ok=True)
    inputs = []
    for job in jobs:  # named by digest: two files called a.doc in two folders never collide
        staged = inbox / f"{job.digest}{job.path.suffix.lower()}"
        staged.write_bytes(job.data)
        inputs.append(staged)
    limit = _time_limit()
    try:
        err = _run(soffice, inputs, outbox, limit * len(jobs))
    except TimeoutError:
        message = (
            f"LibreOffice did not finish converting the file within {limit:g} s (damaged, or too large?); "
            "set PROCREG_CONVERT_TIMEOUT to give it longer"
        )
        return {job.path: InputError(message, path=str(job.path)) for job in jobs}, True
    except OSError as exc:
        message = f"cannot run LibreOffice ({soffice}): {exc}"
        return {job.path: InputError(message, path=str(job.path)) for job in jobs}, False
    detail = next((line.strip() for line in err.splitlines() if line.strip().startswith("Error")), "")
    results: dict[Path, Path | InputError] = {}
    for job in jobs:
        made = outbox / f"{job.digest}.docx"
        if made.is_file() and made.stat().st_size > 0:
            results[job.path] = _store(made, folder, job.digest)
        else:
            text = (
                _("LibreOffice could not convert the file (damaged or not a Word document): %(detail)s")
                % {"detail": detail[:200]}
                if detail
                else _("LibreOffice could not convert the file (damaged or not a Word document)")
            )
            results[job.path] = InputError(text, path=str(job.path))
    return results, False


def _pending(paths: Sequence[Path], folder: Path | None) -> tuple[dict[Path, Path | InputError], list[_Job]]:
    """Files already settled (cached copy, or refused before LibreOffice) and the ones to convert."""
    settled: dict[Path, Path | InputError] = {}
    jobs: list[_Job] = []
    for path in paths:
        try:
            data = read_bytes(path)
            _check_kind(data, path.suffix.lower(), str(path))
        except InputError as exc:
            settled[path] = exc
            continue
        digest = hashlib.sha256(data).hexdigest()
        hit = _cached(folder, digest)
        if hit is not None:
            settled[path] = hit
        else:
            jobs.append(_Job(path, data, digest))
    return settled, jobs


def convert_many(paths: Sequence[Path]) -> dict[Path, Path | InputError]:
    """Convert .doc/.rtf files to .docx: cached ones from the cache, the others in one LibreOffice run.

    Returns each path's converted copy, or the ``InputError`` that refuses it. A run that times out is
    retried file by file, so one file that hangs LibreOffice does not fail the others.
    """
    folder = cache_dir()
    results, jobs = _pending(paths, folder)
    if not jobs:
        return results
    soffice = find_soffice()
    if soffice is None:
        for job in jobs:
            results[job.path] = InputError(
                _("cannot read %(suffix)s files without LibreOffice: %(hint)s")
                % {"suffix": job.path.suffix.lower(), "hint": _(INSTALL_HINT)},
                path=str(job.path),
            )
        return results
    # Without a writable cache the copies go to a folder of their own that outlives this call.
    target = folder if folder is not None else Path(tempfile.mkdtemp(prefix="procreg-converted-"))
    with tempfile.TemporaryDirectory(prefix="procreg-convert-") as work:
        batch, timed_out = _convert(jobs, soffice, target, Path(work))
    results.update(batch)
    if timed_out and len(jobs) > 1:
        for job in jobs:
            with tempfile.TemporaryDirectory(prefix="procreg-convert-") as work:
                results.update(_convert([job], soffice, target, Path(work))[0])
    return results


def convert_to_docx(path: Path) -> Path:
    """The .docx LibreOffice makes of a .doc or .rtf file (from the cache when converted before).

    Raises:
        InputError: no LibreOffice, not a Word/RTF file, a conversion that failed or ran out of time.
    """
    result = convert_many([path])[path]
    if isinstance(result, InputError):
        raise result
    return result


def read_converted(path: Path) -> RawDocument:
    """Read a .doc or .rtf file: converted to .docx, then read by the .docx reader as this file.

    Raises:
        InputError: as ``convert_to_docx``, or the converted document cannot be read.
    """
    from procreg.parsers.docx_reader import read_docx

    converted = convert_to_docx(path)
    try:
        raw = read_docx(converted)
    except InputError as exc:
        raise InputError(exc.message, path=str(path), where=exc.where) from None
    digest = hashlib.sha256(read_bytes(path)).hexdigest()
    if path.suffix.lower() == ".rtf":
        return dataclasses.replace(raw, path=str(path), format="rtf", sha256=digest)
    return dataclasses.replace(raw, path=str(path), format="doc", sha256=digest)
