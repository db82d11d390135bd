"""procreg: a registry of Vietnamese internal administrative procedures (TTHC nội bộ) under ISO 9001.

The Python API (the CLI and the web page call nothing else):

- ``procreg.parse(path)``: one document's record (kind, number, date, sections, targets, catalog,
  procedures with steps, warnings); nothing is stored. ``options=procreg.ReadOptions(ocr="never",
  max_pages=…, max_size=…)`` sets OCR and the limits (``parse`` and ``Registry.ingest``).
- ``procreg.Registry(home)``: the registry kept in the folder ``home``, with ``ingest``, ``procedures``,
  ``get``, ``review``, ``publish``, ``publicize``, ``withdraw``, ``search``, ``audit`` and ``diagram``.

Errors are ``procreg.RegistryError`` subclasses, each carrying the exit code the CLI uses.
"""

from __future__ import annotations

from procreg.registry.api import Diagram, ReadOptions, Registry, parse
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
    "Diagram",
    "ExitCode",
    "IndexError_",
    "InputError",
    "NotFound",
    "ReadOptions",
    "Registry",
    "RegistryError",
    "StoreError",
    "UsageError",
    "parse",
]
