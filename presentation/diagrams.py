"""What the ``diagram`` and ``export`` commands tell the user on stderr: files written, procedures skipped."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from procreg.i18n import ngettext
from procreg.registry.results import AllDiagrams

__all__ = ["format_all_diagrams", "format_written"]

SKIPPED_SHOWN = 5  # procedures named in the "no steps to draw" line; the rest is "…"


def format_all_diagrams(done: AllDiagrams) -> str:
    """``diagram --all``: how many diagrams and where the gallery is, then the procedures with no steps.

    >>> print(format_all_diagrams(AllDiagrams(Path("so-do"), Path("so-do/index.html"), [Path("a.svg")])))
    1 diagram, gallery: so-do/index.html
    """
    count = len(done.files)
    lines = [
        ngettext("%(count)d diagram, gallery: %(index)s", "%(count)d diagrams, gallery: %(index)s", count)
        % {"count": count, "index": done.index}
    ]
    if done.skipped:
        shown = ", ".join(done.skipped[:SKIPPED_SHOWN]) + (" …" if len(done.skipped) > SKIPPED_SHOWN else "")
        lines.append(
            ngettext(
                "%(count)d procedure has no steps to draw: %(codes)s",
                "%(count)d procedures have no steps to draw: %(codes)s",
                len(done.skipped),
            )
            % {"count": len(done.skipped), "codes": shown}
        )
    return "\n".join(lines)


def format_written(paths: Iterable[Path]) -> str:
    """The files a command wrote, one per line."""
    return "\n".join(str(p) for p in paths)
