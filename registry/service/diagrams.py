"""Use cases for flow diagrams and graph export: load from the Store, call the pure renderers, write files.

``procedures.graph`` builds the catalog graph, ``procedures.diagram`` lays out and renders, and
``procedures.export`` serialises; this module only wires them to the registry and the file system.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from procreg.registry.errors import NotFound, UsageError
from procreg.registry.models import ProcedureRecord
from procreg.registry.store import Store

__all__ = [
    "DIAGRAM_FORMATS",
    "EXPORT_FORMATS",
    "AllDiagrams",
    "DiagramOutput",
    "ExportOutput",
    "default_file_name",
    "diagram_all",
    "diagram_procedure",
    "export_catalog",
    "render_record",
    "units_overview",
]

log = logging.getLogger(__name__)

DiagramFormat = Literal["svg", "mermaid", "dot", "bpmn"]
DIAGRAM_FORMATS: tuple[str, ...] = ("svg", "mermaid", "dot", "bpmn")
EXPORT_FORMATS: tuple[str, ...] = ("json", "graphml", "csv")
SUFFIX = {"svg": ".svg", "mermaid": ".mmd", "dot": ".dot", "bpmn": ".bpmn"}


@dataclass(frozen=True, slots=True)
class DiagramOutput:
    """A rendered diagram: the text, and the file it was written to (``None`` when it goes to stdout)."""

    code: str | None
    name: str
    format: str
    text: str
    path: Path | None
    over_limit: bool


@dataclass(slots=True)
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


def _db(home: Path) -> Path:
    return home / "registry.db"


def default_file_name(record: ProcedureRecord, fmt: str) -> str:
    """ASCII-safe default file name from the code (``QT.GĐ.01`` -> ``QT.GD.01.svg``), else from the name."""
    from procreg.procedures.diagram import ascii_name

    stem = ascii_name(record.code) if record.code else f"proc-{record.id}-{ascii_name(record.name)[:40]}"
    return stem + SUFFIX[fmt]


def render_record(record: ProcedureRecord, fmt: str) -> tuple[str, bool]:
    """Render one procedure record in a diagram format.

    Args:
        record: the procedure.
        fmt: svg, mermaid, dot or bpmn.

    Returns:
        The text and whether the counted step time exceeds the legal limit.

    Raises:
        UsageError: unknown format.
    """
    from procreg.procedures.diagram import (
        layout_procedure,
        render_bpmn,
        render_dot,
        render_mermaid,
        render_svg,
    )
    from procreg.procedures.graph import build_graph

    renderers = {"svg": render_svg, "mermaid": render_mermaid, "dot": render_dot, "bpmn": render_bpmn}
    if fmt not in renderers:
        raise UsageError(f"unknown diagram format {fmt!r} (choose from {', '.join(DIAGRAM_FORMATS)})")
    layout = layout_procedure(build_graph([record]), record.id)
    return renderers[fmt](layout), layout.over_limit


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def diagram_procedure(
    code_or_name: str,
    *,
    home: Path,
    fmt: str = "svg",
    output: Path | None = None,
    cwd: Path | None = None,
    to_text: bool = False,
) -> DiagramOutput:
    """Render one procedure's diagram; SVG goes to a file (default name from the code), text to stdout.

    Args:
        code_or_name: procedure code (``QT.GĐ.01``), national code or name.
        home: the registry folder.
        fmt: svg, mermaid, dot or bpmn.
        output: file to write; ``None`` writes SVG to ``cwd/<code>.svg``, text formats are left to the caller.
        cwd: folder for the default SVG file name (default: the current directory).
        to_text: return the diagram only, write no file.

    Returns:
        The rendered diagram and where it was written.

    Raises:
        NotFound: no such procedure, an empty registry, or a procedure with no steps to draw.
    """
    with Store.open(_db(home)) as store:
        try:
            record = store.procedure(code_or_name)
        except NotFound:
            if store.documents():
                raise
            raise NotFound(
                f"no procedure with code or name {code_or_name!r}: the registry {home} is empty; "
                "ingest the publishing decisions first (procreg ingest <folder>)"
            ) from None
        source = store.document(record.document_id) if record.document_id is not None else None
    if not record.steps:
        label = f"{record.code} {record.name}" if record.code else record.name
        origin = f" in {source.number or Path(source.path).name}" if source is not None else ""
        raise NotFound(
            f"{label}: no steps registered{origin} (its step table was not read); nothing to draw. "
            f"See procreg show {record.code or f'#{record.id}'}"
        )
    text, over = render_record(record, fmt)
    path = None if to_text else output
    if path is None and fmt == "svg" and not to_text:
        path = (cwd or Path.cwd()) / default_file_name(record, fmt)
    if path is not None:
        _write(path, text)
    return DiagramOutput(record.code, record.name, fmt, text, path, over)


def diagram_all(out_dir: Path, *, home: Path, fmt: str = "svg") -> AllDiagrams:
    """Write one diagram per current procedure into ``out_dir`` plus an ``index.html`` gallery.

    Args:
        out_dir: the folder (created when missing).
        home: the registry folder.
        fmt: diagram format of the files (the gallery previews only SVG).

    Returns:
        The files written.
    """
    from procreg.procedures.diagram import GalleryEntry, render_gallery

    with Store.open(_db(home)) as store:
        every = store.procedures()
    records = [r for r in every if r.steps]
    result = AllDiagrams(out_dir=out_dir, index=out_dir / "index.html")
    result.skipped = [r.code or r.name for r in every if not r.steps]
    entries: list[GalleryEntry] = []
    used: set[str] = set()
    for record in records:
        name = default_file_name(record, fmt)
        if name.lower() in used:
            stem, suffix = name.rsplit(".", 1)
            name = f"{stem}-{record.id}.{suffix}"
        used.add(name.lower())
        text, over = render_record(record, fmt)
        path = out_dir / name
        _write(path, text)
        result.files.append(path)
        if over:
            result.over_limit.append(record.code or record.name)
        units = tuple(dict.fromkeys(u for s in record.steps for u in s.responsible))
        entries.append(
            GalleryEntry(
                file=name,
                code=record.code,
                name=record.name,
                units=units,
                steps=len(record.steps),
                counted_hours=sum(s.hours for s in record.steps if s.hours is not None),
                time_limit=record.time_limit,
                over_limit=over,
                field=record.field,
            )
        )
    entries.sort(key=lambda e: (e.code is None, e.code or "", e.name))
    _write(result.index, render_gallery(entries))
    log.info("wrote %d diagrams and %s", len(result.files), result.index)
    return result


def units_overview(
    *, home: Path, fmt: str = "text", output: Path | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The units-by-procedures overview: per unit, steps it takes part in and hours of those steps.

    Args:
        home: the registry folder.
        fmt: ``text`` or ``svg``.
        output: file to write the rendered overview to (optional).

    Returns:
        The rendered overview and its data (for ``--json``).

    Raises:
        UsageError: unknown format.
    """
    from procreg.procedures.diagram import render_units_svg, render_units_text
    from procreg.procedures.graph import build_graph, unit_summary

    if fmt not in {"text", "svg"}:
        raise UsageError(f"the units overview is text or svg, not {fmt!r}")
    with Store.open(_db(home)) as store:
        records = store.procedures()
    graph = build_graph(records)
    loads = unit_summary(graph)
    data = [
        {
            "unit": load.unit,
            "steps": load.steps,
            "lead_steps": load.lead_steps,
            "hours": load.hours,
            "procedures": [
                {"code": graph.nodes[p].get("code"), "name": graph.nodes[p].get("name"), "steps": n}
                for p, n in load.procedures
            ],
        }
        for load in loads
    ]
    text = render_units_svg(graph, loads) if fmt == "svg" else render_units_text(graph, loads)
    if output is not None:
        _write(output, text)
    return text, data


def _steps_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-steps{path.suffix or '.csv'}")


def export_catalog(
    fmt: str,
    *,
    home: Path,
    output: Path | None = None,
    include_superseded: bool = False,
    cwd: Path | None = None,
) -> ExportOutput:
    """Export the catalog graph (JSON node-link, GraphML) or the procedures and steps (CSV).

    CSV always writes two files: the procedures to ``output`` (default ``procreg-procedures.csv``) and the
    steps next to it with a ``-steps`` suffix (``procreg-procedures-steps.csv``).

    Args:
        fmt: json, graphml or csv.
        home: the registry folder.
        output: file to write; ``None`` leaves JSON/GraphML text to the caller.
        include_superseded: also export superseded versions (with ``supersedes`` edges).
        cwd: folder for the default CSV name (default: the current directory).

    Returns:
        The export.

    Raises:
        UsageError: unknown format or unwritable file.
    """
    from procreg.procedures.export import graph_to_graphml, graph_to_json, procedures_csv, steps_csv
    from procreg.procedures.graph import build_graph

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    with Store.open(_db(home)) as store:
        records: Sequence[ProcedureRecord] = store.procedures(include_superseded=include_superseded)
        documents = store.documents()
    graph = build_graph(records, documents)
    counts = (len(records), graph.number_of_nodes(), graph.number_of_edges())
    if fmt == "csv":
        path = output or (cwd or Path.cwd()) / "procreg-procedures.csv"
        steps = _steps_path(path)
        _write(path, procedures_csv(records))
        _write(steps, steps_csv(records))
        return ExportOutput(fmt, None, (path, steps), *counts)
    text = graph_to_json(graph) if fmt == "json" else graph_to_graphml(graph)
    if output is not None:
        _write(output, text)
        return ExportOutput(fmt, text, (output,), *counts)
    return ExportOutput(fmt, text, (), *counts)
