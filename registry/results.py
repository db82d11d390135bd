"""What the use cases return to the API's callers: plain frozen dataclasses over the records of ``models``.

A ground module like ``models``: it imports nothing from the project but ``models``, so the presentation
layer can format these results without importing the use cases that make them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__: list[str] = ["AllDiagrams", "DiagramOutput", "ExportOutput", "TargetRow", "TargetsView"]


# --------------------------------------------------------------------------------------------------
# Diagrams and export (registry.service.diagrams).


@dataclass(frozen=True, slots=True)
class DiagramOutput:
    """A rendered diagram: the text, and the file it was written to (``None`` when it goes to stdout)."""

    code: str | None
    name: str
    format: str
    text: str
    path: Path | None
    over_limit: bool

    def to_json(self) -> dict[str, Any]:
        """JSON view of a written diagram: format, over-limit flag, path."""
        return {"format": self.format, "over_limit": self.over_limit, "path": str(self.path)}


@dataclass(frozen=True, slots=True)
class AllDiagrams:
    """What ``diagram --all`` wrote."""

    out_dir: Path
    index: Path
    files: list[Path] = field(default_factory=list)
    over_limit: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # procedures with no steps: nothing to draw

    def to_json(self) -> dict[str, Any]:
        """JSON view (paths as strings)."""
        return {
            "out_dir": str(self.out_dir),
            "index": str(self.index),
            "count": len(self.files),
            "files": [str(p) for p in self.files],
            "over_limit": list(self.over_limit),
            "skipped": list(self.skipped),
        }


@dataclass(frozen=True, slots=True)
class ExportOutput:
    """An export: the text (JSON/GraphML) or the files written (always for CSV)."""

    format: str
    text: str | None
    paths: tuple[Path, ...]
    procedures: int
    nodes: int
    edges: int


# --------------------------------------------------------------------------------------------------
# Audit: procreg targets


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetRow:
    """One target of an ingested plan, with what procreg measures for it where it can."""

    plan: str | None
    plan_date: str | None
    section: str
    value: float
    unit: str
    qualifier: str
    text: str
    measure: str | None = None  # "internal_procedures" | "electronic_process"
    measured: float | None = None
    measured_detail: str | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "plan": self.plan,
            "plan_date": self.plan_date,
            "section": self.section,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "text": self.text,
            "measure": self.measure,
            "measured": self.measured,
            "measured_detail": self.measured_detail,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetsView:
    """``procreg targets``: the plan targets, and the electronic-process share where it is known."""

    rows: tuple[TargetRow, ...]
    electronic: int = 0  # current procedures whose publishing decision orders an electronic process
    procedures: int = 0  # current (active) procedures
