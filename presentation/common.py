"""Numbers, hours and line wrapping as every view prints them (Vietnamese decimal comma)."""

from __future__ import annotations

import textwrap

__all__ = ["HOURS_PER_DAY", "WIDTH", "vn_number", "vn_percent", "wrap"]

WIDTH = 100  # human output is laid out for a 100-column terminal, whatever the real width
HOURS_PER_DAY = 8.0  # one working day (ngày làm việc) is 8 working hours


def vn_number(value: float) -> str:
    """``90.0`` -> ``90``, ``2.5`` -> ``2,5``: the shortest form, with a decimal comma.

    >>> vn_number(90.0), vn_number(2.5)
    ('90', '2,5')
    """
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def vn_percent(value: float, *, digits: int | None = None) -> str:
    """``75.0`` -> ``75%``; with ``digits``, that many decimals (``75,0%``).

    >>> vn_percent(87.5), vn_percent(75, digits=1)
    ('87,5%', '75,0%')
    """
    text = vn_number(value) if digits is None else f"{value:.{digits}f}".replace(".", ",")
    return text + "%"


def wrap(
    text: str, *, indent: str = "", first: str = "", width: int = WIDTH, keep_spaces: bool = False
) -> list[str]:
    """``text`` wrapped to ``width``: the first line starts with ``first``, the others with ``indent``."""
    text = " ".join(text.split("\n")) if keep_spaces else " ".join(text.split())
    if not text:
        return [first.rstrip()] if first.strip() else []
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first or indent,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
