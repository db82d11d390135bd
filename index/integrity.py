"""The index's files as they were written: a manifest of size, modification time and digest per file.

Every write (build or update) ends by recording, in the state file, each file of the new generation
with its size, ``st_mtime_ns`` and a BLAKE2b digest. Opening the index compares sizes and times only
(a few ``stat`` calls) and hashes just the files whose size or time changed, so a truncated segment
or bytes written over one are found before any search reads them; ``index check`` hashes every file
and also reads every posting list and stored document through Whoosh.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from procreg.i18n import _
from procreg.index.state import read_state, write_state

__all__ = ["digest", "file_damage", "record_manifest"]

_CHUNK = 1 << 20


def digest(path: Path) -> str:
    """The BLAKE2b digest (16 bytes, hex) of a file's content."""
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def record_manifest(index_dir: Path) -> None:
    """Record the current generation's files in the state file (reusing digests of unchanged files)."""
    from procreg.index.segments import segment_files

    old: dict[str, Any] = read_state(index_dir).get("files") or {}
    files: dict[str, list[Any]] = {}
    for name in segment_files(index_dir):
        st = (index_dir / name).stat()
        before = old.get(name)
        if isinstance(before, list) and before[:2] == [st.st_size, st.st_mtime_ns]:
            files[name] = before
        else:
            files[name] = [st.st_size, st.st_mtime_ns, digest(index_dir / name)]
    write_state(index_dir, files=files)


def file_damage(index_dir: Path, names: list[str], *, full: bool = False) -> list[str]:
    """What is wrong with the files ``names`` against the manifest, one line each ([] when sound).

    Files the manifest does not know (written by a commit after it) are not judged. With ``full``,
    every known file is hashed; otherwise only those whose size or modification time changed.
    """
    manifest: dict[str, Any] = read_state(index_dir).get("files") or {}
    problems: list[str] = []
    for name in names:
        known = manifest.get(name)
        if not isinstance(known, list) or len(known) != 3:
            continue
        try:
            st = (index_dir / name).stat()
        except FileNotFoundError:
            problems.append(_("%(file)s: the file is missing") % {"file": name})
            continue
        if st.st_size != known[0]:
            problems.append(
                _("%(file)s: %(size)d bytes, %(written)d bytes when it was written")
                % {"file": name, "size": st.st_size, "written": known[0]}
            )
        elif (full or st.st_mtime_ns != known[1]) and digest(index_dir / name) != known[2]:
            problems.append(_("%(file)s: its content changed after it was written") % {"file": name})
    return problems
