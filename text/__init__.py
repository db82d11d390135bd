"""Vietnamese text helpers at the ground of the package: every layer imports them, they import nothing.

- ``normalize``: NFC lines and texts, spaces squeezed
- ``fold``: accent folding for matching and search (đ -> d)
- ``dates``: dates as documents print them and as users type them
- ``numbers``: document numbers (``3005/QĐ-UBND``) in canonical form and as comparison keys
- ``vocabulary``: Vietnamese words that several layers recognise (TTHC nội bộ, branch words)
"""

from __future__ import annotations

from procreg.text.fold import fold, fold_token
from procreg.text.normalize import normalize_line, normalize_text, squeeze_spaces

__all__ = ["fold", "fold_token", "normalize_line", "normalize_text", "squeeze_spaces"]
