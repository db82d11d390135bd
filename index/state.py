"""Bookkeeping around an index directory: its state file and the writer lock.

``<index>/procreg-index.json`` records the schema version the index was built with and the registry's
``data_version`` it was last brought in line with; a search compares that number with the registry's
to know, cheaply, whether a command was interrupted before it updated the index.

``<home>/<index>.lock`` serialises writers across processes with ``fcntl.flock`` (the kernel drops
the lock when a process dies, so the file itself is never deleted). While writing, the holder records
``writing <pid>`` in it and clears it when done: a later writer that finds ``writing`` there knows the
last one was killed mid-write and checks the whole index.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from procreg.i18n import _
from procreg.registry.errors import IndexError_

__all__ = ["STATE_FILE", "WriterLock", "interrupted_writer", "lock_path", "read_state", "write_state"]

log = logging.getLogger(__name__)

STATE_FILE = "procreg-index.json"


def lock_path(index_dir: Path) -> Path:
    """The writer lock of ``index_dir``: next to it, so a rebuild may replace the directory."""
    return index_dir.parent / f"{index_dir.name}.lock"


def read_state(index_dir: Path) -> dict[str, Any]:
    """The state recorded in ``index_dir`` ({} when absent or unreadable)."""
    try:
        data = json.loads((index_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_state(index_dir: Path, **values: Any) -> None:
    """Merge ``values`` into the state file, atomically (write a temporary file, then rename)."""
    state = read_state(index_dir)
    state.update(values)
    tmp = index_dir / f".{STATE_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    tmp.replace(index_dir / STATE_FILE)


class WriterLock:
    """Exclusive writer lock on an index (a context manager; blocks up to ``timeout`` seconds).

    Attributes:
        interrupted: the pid of a previous writer that died while writing, else None.
    """

    def __init__(self, index_dir: Path, *, timeout: float = 120.0) -> None:
        self.path = lock_path(index_dir)
        self.timeout = timeout
        self.interrupted: int | None = None
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise IndexError_(
                        _("the search index is locked by another command for over %(seconds)d s")
                        % {"seconds": round(self.timeout)},
                        path=str(self.path),
                    ) from None
                if not waited:
                    log.info(_("waiting for another procreg command to finish writing the index"))
                    waited = True
                time.sleep(0.05)
        self._fd = fd
        previous = os.pread(fd, 64, 0).decode("ascii", "replace").split()
        if len(previous) == 2 and previous[0] == "writing" and previous[1].isdigit():
            self.interrupted = int(previous[1])
        self._mark(f"writing {os.getpid()}\n")
        return self

    def _mark(self, text: str) -> None:
        assert self._fd is not None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, text.encode("ascii"), 0)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self._mark("")
        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def interrupted_writer(index_dir: Path) -> bool:
    """True when the lock file says a writer is (or was, if it died) writing; no lock is taken."""
    try:
        return lock_path(index_dir).read_bytes().startswith(b"writing ")
    except OSError:
        return False
