"""Use cases for flow diagrams and graph export: load from the Store, call the pure renderers, write files.

``procedures.graph`` builds the catalog graph, ``procedures.diagram`` lays out and renders, and
``procedures.export`` serialises; this module only wires them to the registry and the file system.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from procreg.i18n import _, os_error_text
from procreg.procedures.diagram import (
    FORMATS,
    RENDERERS,
    GalleryEntry,
    ascii_name,
    gallery_entry,
    layout_procedure,
    render_gallery,
    render_units_svg,
    render_units_text,
    units_data,
)
from procreg.procedures.export import graph_to_graphml, graph_to_json, procedures_csv, steps_csv
from procreg.procedures.graph import build_graph, unit_summary
from procreg.registry.errors import NotFound, UsageError
from procreg.registry.models import ProcedureRecord
from procreg.registry.results import AllDiagrams, DiagramOutput, ExportOutput
from procreg.registry.service.common import existing_store
from procreg.registry.service.finding import find_procedure
from procreg.registry.store import Store
from procreg.text.safe import write_output

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
DIAGRAM_FORMATS: tuple[str, ...] = FORMATS
EXPORT_FORMATS: tuple[str, ...] = ("json", "graphml", "csv")
SUFFIX = {"svg": ".svg", "mermaid": ".mmd", "dot": ".dot", "bpmn": ".bpmn"}


def _db(home: Path) -> Path:
    return home / "registry.db"


def _write(path: Path, text: str) -> None:
    """Write one output file; never through a symbolic link out of its folder (``write_output``)."""
    try:
        write_output(path, text)
    except OSError as exc:
        raise UsageError(
            _("cannot write %(path)s: %(reason)s") % {"path": path, "reason": os_error_text(exc)}
        ) from None


def default_file_name(record: ProcedureRecord, fmt: str) -> str:
    """ASCII-safe default file name from the code (``QT.GĐ.01`` -> ``QT.GD.01.svg``), else from the name."""
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
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise UsageError(
            _("unknown diagram format %(format)r (choose from %(choices)s)")
            % {"format": fmt, "choices": ", ".join(DIAGRAM_FORMATS)}
        )
    layout = layout_procedure(build_graph([record]), record.id)
    return renderer(layout), layout.over_limit


def _load_drawable(store: Store, code_or_name: str, home: Path) -> ProcedureRecord:
    """The procedure to draw; NotFound names why there is none (empty registry, or no steps read)."""
    try:
        record = find_procedure(store, code_or_name)
    except NotFound:
        if store.documents():
            raise
        raise NotFound(
            _(
                "no procedure with code or name %(query)r: the registry %(home)s is empty; ingest the "
                "publishing decisions first (procreg ingest FOLDER)"
            )
            % {"query": code_or_name, "home": home}
        ) from None
    source = store.document(record.document_id) if record.document_id is not None else None
    if not record.steps:
        values = {
            "procedure": f"{record.code} {record.name}" if record.code else record.name,
            "document": (source.number or Path(source.path).name) if source is not None else "",
            "handle": record.code or f"#{record.id}",
        }
        if source is not None:
            message = _(
                "%(procedure)s: no steps registered in %(document)s (its step table was not read); "
                "nothing to draw. See procreg show %(handle)s"
            )
        else:
            message = _(
                "%(procedure)s: no steps registered (its step table was not read); nothing to draw. "
                "See procreg show %(handle)s"
            )
        raise NotFound(message % values)
    return record


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
    with existing_store(home) as store:
        record = _load_drawable(store, code_or_name, home)
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
    with existing_store(home) as store:
        every = store.procedures()
    files: list[Path] = []
    over_limit: list[str] = []
    entries: list[GalleryEntry] = []
    used: set[str] = set()
    for record in (r for r in every if r.steps):
        name = default_file_name(record, fmt)
        if name.lower() in used:  # two procedures with one ASCII name: the second gets its id
            stem, suffix = name.rsplit(".", 1)
            name = f"{stem}-{record.id}.{suffix}"
        used.add(name.lower())
        text, over = render_record(record, fmt)
        _write(out_dir / name, text)
        files.append(out_dir / name)
        if over:
            over_limit.append(record.code or record.name)
        entries.append(gallery_entry(record, name, over))
    entries.sort(key=lambda e: (e.code is None, e.code or "", e.name))
    index = out_dir / "index.html"
    _write(index, render_gallery(entries))
    log.info("wrote %d diagrams and %s", len(files), index)
    skipped = [r.code or r.name for r in every if not r.steps]
    return AllDiagrams(out_dir=out_dir, index=index, files=files, over_limit=over_limit, skipped=skipped)


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
    if fmt not in {"text", "svg"}:
        raise UsageError(_("the units overview is text or svg, not %(format)r") % {"format": fmt})
    with existing_store(home) as store:
        records = store.procedures()
    graph = build_graph(records)
    loads = unit_summary(graph)
    text = render_units_svg(graph, loads) if fmt == "svg" else render_units_text(graph, loads)
    if output is not None:
        _write(output, text)
    return text, units_data(graph, loads)


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
    if fmt not in EXPORT_FORMATS:
        raise UsageError(
            _("unknown export format %(format)r (choose from %(choices)s)")
            % {"format": fmt, "choices": ", ".join(EXPORT_FORMATS)}
        )
    with existing_store(home) as store:
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
