"""The catalog graph (NetworkX), flow diagrams and the audit. Pure: records in, results out."""

from __future__ import annotations

__all__: list[str] = []
