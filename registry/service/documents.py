"""The ingested documents as the web page lists them, and the files they came from."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import NotFound
from procreg.registry.models import DocumentRecord
from procreg.registry.service.common import existing_store
from procreg.registry.store import Store

__all__ = ["data_version", "document_file", "document_formats", "list_documents"]


def data_version(*, home: Path) -> int:
    """The registry's write counter; 0 when there is no registry yet."""
    if not (home / "registry.db").is_file():
        return 0
    with Store.open(home / "registry.db") as store:
        return store.data_version()


def list_documents(*, home: Path) -> list[DocumentRecord]:
    """Every document, sorted by id, without its full text (kept for the search index)."""
    with existing_store(home) as store:
        return [dataclasses.replace(d, text="") for d in store.documents()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def document_formats(*, home: Path) -> dict[int, list[str]]:
    """Every document's rendering formats (a decision as .docx and .pdf is one document), in order."""
    with existing_store(home) as store:
        return {d.id: [fmt for _p, fmt, _s in store.renderings(d.id)] for d in store.documents()}


def document_file(document_id: int, rendering: int = 0, *, home: Path) -> Path:
    """A file ``document_id`` was ingested from, only while it still holds the bytes that were ingested.

    ``rendering``: which of its files, the first registered first.

    A relative path is read from the current folder, as the command that ingested it was run.

    Raises:
        NotFound: no such document or rendering, or its file is missing or changed.
    """
    with existing_store(home) as store:
        store.document(document_id)  # NotFound when there is no such document
        files = store.renderings(document_id)
    if not 0 <= rendering < len(files):
        raise NotFound(
            _("document #%(id)d has no file number %(number)s") % {"id": document_id, "number": rendering}
        )
    recorded, _fmt, digest = files[rendering]
    path = Path(recorded)
    try:
        same = path.is_file() and _sha256(path) == digest
    except OSError:
        same = False
    if not same:
        raise NotFound(
            _("the file of document #%(id)d is no longer where it was ingested, as it was")
            % {"id": document_id}
        )
    return path
