"""Every human-readable rendering of procreg's results, in one place.

The CLI (and the web page) call the API for records, then these modules for text: terminal views of
parse, ingest, list, show, units, symbols, search and audit, and the audit's report formats. They
read records and results and return strings or write files; they never open the registry.
"""

from __future__ import annotations

__all__: list[str] = []
