"""What the use cases return to the API's callers: plain frozen dataclasses over the records of ``models``.

A ground module like ``models``: it imports nothing from the project but ``models``, so the presentation
layer can format these results without importing the use cases that make them.
"""

from __future__ import annotations

__all__: list[str] = []
