"""Readers (.txt, .docx, .pdf -> blocks) and extractors (blocks -> records). Pure, no registry I/O."""

from __future__ import annotations

__all__: list[str] = []
