"""Use cases, one module per area; ``cli`` calls them, they wire parsers, store, index and procedures.

- ``parsing``: parse one file (nothing stored)
- ``ingest``: ingest, list, show, lifecycle events, units
- ``searching``: index sync, search, index check/rebuild
- ``diagrams``: diagrams, gallery, graph export
- ``auditing``: audit, targets
- ``settings``: the registry's settings (``procreg config``: who issues and signs the report)

Modules import heavy libraries inside functions so ``procreg --help`` stays quick.
"""

from __future__ import annotations

__all__: list[str] = []
