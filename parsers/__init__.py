"""Readers (.txt, .docx, .pdf, .doc/.rtf -> blocks) and extractors (blocks -> records). No registry I/O."""

from __future__ import annotations

__all__: list[str] = []
