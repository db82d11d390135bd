"""What the running page keeps between requests: the registry, its settings, and a cache of slow answers.

Answers that take long on a large registry (every procedure for the counts, the audit) are kept with the
registry's ``data_version`` and reused until a write changes it. An audit still being computed is
waited for a few seconds at most; the page then says it is on its way instead of hanging.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from procreg.registry.api import Registry

__all__ = ["Pending", "WebState"]

ACCOUNTS_TTL = 2.0  # seconds an answer to "are there accounts?" is reused


class Pending(Exception):
    """A slow answer is still being computed; the page says so and asks to come back."""


@dataclass
class WebState:
    """The registry the page serves and the settings ``procreg serve`` was started with."""

    registry: Registry
    max_upload: int = 50 * 1024 * 1024
    loopback: bool = True
    _cache: dict[Any, tuple[int, Future[Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2, "procreg-cache"))
    _accounts: tuple[float, bool] = (0.0, False)

    def accounts(self) -> bool:
        """True when the registry has web accounts (then everyone signs in)."""
        checked, have = self._accounts
        if time.monotonic() - checked > ACCOUNTS_TTL:
            have = bool(self.registry.users())
            self._accounts = (time.monotonic(), have)
        return have

    def cached(self, key: Any, compute: Callable[[], Any], *, wait: float | None = None) -> Any:
        """``compute()``'s answer for the registry as it stands now, computed once per data version.

        Args:
            key: what is computed (with its arguments).
            compute: the API call.
            wait: seconds to wait for an answer being computed; None waits as long as it takes.

        Raises:
            Pending: the answer is not ready within ``wait``.
        """
        version = self.registry.data_version()
        with self._lock:
            entry = self._cache.get(key)
            if entry is None or entry[0] != version:
                entry = (version, self._pool.submit(compute))
                self._cache[key] = entry
                if len(self._cache) > 64:  # forget the oldest answers (audits with other filters)
                    self._cache.pop(next(iter(self._cache)))
        try:
            return entry[1].result(timeout=wait)
        except FutureTimeout:
            raise Pending from None
        except BaseException:
            with self._lock:  # a failure is not kept: the next request tries again
                if self._cache.get(key) is entry:
                    del self._cache[key]
            raise
