"""Full-text search over the registry (Whoosh), behind the small ``SearchBackend`` protocol."""

from __future__ import annotations

__all__: list[str] = []
