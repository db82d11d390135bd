"""The ingested documents as the web page lists them, and the files they came from."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from procreg.registry.errors import NotFound
from procreg.registry.models import DocumentRecord
from procreg.registry.service.common import existing_store
from procreg.registry.store import Store

__all__ = ["data_version", "document_file", "list_documents"]


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


def document_file(document_id: int, *, home: Path) -> Path:
    """The file ``document_id`` was ingested from, only while it still holds the bytes that were ingested.

    A relative path is read from the current folder, as the command that ingested it was run.

    Raises:
        NotFound: no such document, or its file is missing or changed.
    """
    with existing_store(home) as store:
        doc = store.document(document_id)
    path = Path(doc.path)
    try:
        same = path.is_file() and _sha256(path) == doc.sha256
    except OSError:
        same = False
    if not same:
        raise NotFound(f"the file of document #{document_id} is no longer where it was ingested, as it was")
    return path
