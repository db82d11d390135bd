"""procreg: a registry of Vietnamese internal administrative procedures (TTHC nội bộ) under ISO 9001."""

from __future__ import annotations

__all__: list[str] = []
