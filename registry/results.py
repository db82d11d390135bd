"""What the use cases return to the API's callers: plain frozen dataclasses over the records of ``models``.

A ground module like ``models``: it imports nothing from the project but ``models``, so the presentation
layer can format these results without importing the use cases that make them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procreg.registry.models import Event, ProcedureRecord

__all__ = [
    "AllDiagrams",
    "DiagramOutput",
    "DocumentCounts",
    "ExportOutput",
    "FailedFile",
    "IngestReport",
    "IngestedFile",
    "ProcedureView",
    "Recorded",
    "UnitInfo",
    "WriteResult",
]


# --------------------------------------------------------------------------------------------------
# Ingest (registry.service.ingesting, registering).


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    """How many rows one document contributed (for reports and completeness checks)."""

    procedures: int = 0
    steps: int = 0
    catalog: int = 0
    citations: int = 0
    targets: int = 0


@dataclass(frozen=True, slots=True)
class WriteResult:
    """The outcome of registering one parsed document."""

    document_id: int
    created: bool  # False when the same bytes were already registered (another process won the race)
    counts: DocumentCounts = field(default_factory=DocumentCounts)
    new_versions: tuple[int, ...] = ()  # procedure ids that superseded an earlier version
    abolished: int = 0  # procedures + catalog entries marked abolished by this document


@dataclass(frozen=True, slots=True)
class IngestedFile:
    """One newly registered file and what it contributed."""

    path: str
    document_id: int
    number: str | None
    kind: str | None
    counts: DocumentCounts
    new_versions: int = 0
    abolished: int = 0


@dataclass(frozen=True, slots=True)
class FailedFile:
    """A file that could not be registered, with the one-line reason."""

    path: str
    error: str


@dataclass(slots=True)
class IngestReport:
    """What one ``ingest`` run did, file by file."""

    ingested: list[IngestedFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    data_version: int = 0


# --------------------------------------------------------------------------------------------------
# Procedures and their lifecycle (registry.service.listing, lifecycle).


@dataclass(frozen=True, slots=True)
class ProcedureView:
    """One procedure as ``show`` presents it: the current version, all versions, the merged history."""

    record: ProcedureRecord
    versions: tuple[ProcedureRecord, ...]
    events: tuple[tuple[int, Event], ...]  # (version, event), by date then arrival
    details: dict[str, Any]

    @property
    def counted_hours(self) -> float:
        """Σ of the timed steps' working hours."""
        return sum(s.hours for s in self.record.steps if s.hours is not None)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A lifecycle event just recorded, with the procedure as it now stands."""

    event: Event
    view: ProcedureView


# --------------------------------------------------------------------------------------------------
# Units (registry.service.units).


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A responsible unit with its aliases and how many current steps name it."""

    name: str
    steps: int
    procedures: int
    aliases: tuple[str, ...] = ()


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
