"""The registry: records, errors, the SQLite store and the use cases (``registry.service``).

Only the errors are re-exported here; import ``registry.models`` and ``registry.service`` explicitly.
"""

from __future__ import annotations

from procreg.registry.errors import (
    AuditBelowTarget,
    EventRefused,
    ExitCode,
    IndexError_,
    InputError,
    NotFound,
    RegistryError,
    StoreError,
    UsageError,
)

__all__ = [
    "AuditBelowTarget",
    "EventRefused",
    "ExitCode",
    "IndexError_",
    "InputError",
    "NotFound",
    "RegistryError",
    "StoreError",
    "UsageError",
]
