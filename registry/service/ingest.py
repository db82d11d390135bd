"""Use cases of the registry: ingest files, list and show procedures, lifecycle events, units.

``cli`` calls these functions and prints what they return; the text formatters for ``list`` and
``show`` live here too, so the commands stay thin and the output is the same wherever it is used.
Every function opens the store at ``home/registry.db`` itself and closes it before returning.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procreg.registry.errors import InputError, NotFound, RegistryError, UsageError
from procreg.registry.models import Event, ParsedDocument, ProcedureRecord, Step
from procreg.registry.store import DocumentCounts, Store, UnitInfo, procedure_details
from procreg.text import normalize_line
from procreg.text.dates import parse_user_date

__all__ = [
    "FailedFile",
    "IngestReport",
    "IngestedFile",
    "ProcedureView",
    "Recorded",
    "SUFFIXES",
    "collect_files",
    "format_hours",
    "format_list",
    "format_show",
    "format_units",
    "ingest",
    "list_json",
    "list_procedures",
    "parse_date",
    "publicize",
    "publish",
    "review",
    "show_json",
    "show_procedure",
    "symbols_add",
    "symbols_json",
    "symbols_list",
    "format_symbols",
    "units_alias",
    "units_json",
    "units_list",
    "units_merge",
    "withdraw",
]

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".docx", ".pdf")
WIDTH = 100  # human output is laid out for a 100-column terminal, whatever the real width
HOURS_PER_DAY = 8.0

ProgressCallback = Callable[[int, int, Path], None]


# --------------------------------------------------------------------------------------------------
# Ingest.


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

    def line(self) -> str:
        """One human line: ``+ path (3005/QĐ-UBND): 2 quy trình, 16 bước, 2 danh mục``."""
        c = self.counts
        parts = [f"{c.procedures} quy trình", f"{c.steps} bước", f"{c.catalog} danh mục"]
        parts += [f"{n} {label}" for n, label in ((c.targets, "chỉ tiêu"), (c.citations, "trích dẫn")) if n]
        parts += [f"{self.new_versions} phiên bản mới"] if self.new_versions else []
        parts += [f"{self.abolished} bãi bỏ"] if self.abolished else []
        number = f" ({self.number})" if self.number else ""
        return f"+ {self.path}{number}: {', '.join(parts)}"


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

    def to_json(self) -> dict[str, Any]:
        """The ``ingest --json`` document (DESIGN.md keys plus per-file counts and a summary)."""
        return {
            "ingested": [
                {
                    "path": f.path,
                    "document_id": f.document_id,
                    "number": f.number,
                    "kind": f.kind,
                    "procedures": f.counts.procedures,
                    "steps": f.counts.steps,
                    "catalog": f.counts.catalog,
                    "citations": f.counts.citations,
                    "targets": f.counts.targets,
                    "new_versions": f.new_versions,
                    "abolished": f.abolished,
                }
                for f in self.ingested
            ],
            "unchanged": list(self.unchanged),
            "failed": [{"path": f.path, "error": f.error} for f in self.failed],
            "summary": {
                "ingested": len(self.ingested),
                "unchanged": len(self.unchanged),
                "failed": len(self.failed),
                "procedures": sum(f.counts.procedures for f in self.ingested),
                "steps": sum(f.counts.steps for f in self.ingested),
                "catalog": sum(f.counts.catalog for f in self.ingested),
            },
        }

    def summary(self) -> str:
        """One human line: counts of ingested, unchanged and failed files and what was registered."""
        procs = sum(f.counts.procedures for f in self.ingested)
        steps = sum(f.counts.steps for f in self.ingested)
        catalog = sum(f.counts.catalog for f in self.ingested)
        return (
            f"{len(self.ingested)} ingested, {len(self.unchanged)} unchanged, {len(self.failed)} failed "
            f"({procs} procedures, {steps} steps, {catalog} catalog entries registered)"
        )


def collect_files(paths: Sequence[Path], *, recursive: bool) -> tuple[list[Path], list[FailedFile]]:
    """Expand the command-line paths into document files (sorted, deterministic, no duplicates).

    A folder yields its .txt/.md/.docx/.pdf files (below it too when ``recursive``), hidden files and
    Word lock files (``~$…``) skipped. A file named explicitly is always tried, whatever its suffix.

    Returns:
        The files to ingest, and as failures the paths that do not exist and the folders that give no file.
    """
    files: list[Path] = []
    missing: list[FailedFile] = []
    for path in paths:
        if path.is_dir():
            try:
                walker = path.rglob("*") if recursive else path.iterdir()
                found = [
                    p
                    for p in walker
                    if p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts)
                ]
            except OSError as exc:
                missing.append(FailedFile(str(path), f"cannot read folder: {exc.strerror or exc}"))
                continue
            if not found:  # a folder named on the command line that gives nothing is worth a line
                deeper = not recursive and any(p.is_dir() for p in path.iterdir())
                hint = " (its subfolders are read with -r)" if deeper else ""
                missing.append(FailedFile(str(path), f"folder holds no {', '.join(SUFFIXES)} files{hint}"))
            files.extend(sorted(found, key=lambda p: p.as_posix()))
        elif path.exists():
            files.append(path)
        else:
            missing.append(FailedFile(str(path), "no such file or directory"))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        resolved = f.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(f)
    return unique, missing


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None


def _parse(path: Path, aliases: dict[str, str], symbols: dict[str, str] | None = None) -> ParsedDocument:
    from procreg.parsers.document import parse_document

    return parse_document(path, symbols=symbols or None, unit_aliases=aliases or None)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, RegistryError):
        message = exc.message
        if exc.where:
            message = f"{exc.where}: {message}"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return " ".join(message.split()) or type(exc).__name__


def ingest(
    paths: Sequence[Path],
    *,
    recursive: bool = False,
    home: Path,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Register every document below ``paths``; unchanged files (same sha256) are skipped unparsed.

    Each file is one transaction: a bad or interrupted file leaves nothing behind and never stops the
    others; it is listed under ``failed`` with a one-line reason.

    Args:
        paths: Files and folders.
        recursive: Walk folders recursively.
        home: The registry folder (``registry.db`` inside).
        progress: Called after each file with (files done, total files, path).

    Returns:
        The report: ingested (with per-file counts), unchanged and failed files.
    """
    files, missing = collect_files(paths, recursive=recursive)
    report = IngestReport(failed=list(missing))
    with Store.open(home / "registry.db") as store:
        aliases = store.unit_aliases()
        symbols = store.symbols()
        for done, path in enumerate(files, 1):
            shown = str(path)
            try:
                digest = _sha256(path)
                if store.has_document(digest):
                    report.unchanged.append(shown)
                else:
                    parsed = _parse(path, aliases, symbols)
                    if parsed.sha256 != digest:
                        parsed = dataclasses.replace(parsed, sha256=digest)
                    result = store.add_document_once(parsed, path=shown)
                    if not result.created:
                        report.unchanged.append(shown)  # another process registered it meanwhile
                    else:
                        report.ingested.append(
                            IngestedFile(
                                path=shown,
                                document_id=result.document_id,
                                number=parsed.number,
                                kind=parsed.kind,
                                counts=result.counts,
                                new_versions=len(result.new_versions),
                                abolished=result.abolished,
                            )
                        )
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
                # Shown with -v (INFO): the one line is in the report, the traceback here.
                log.info("%s: not ingested, traceback follows", path, exc_info=True)
                report.failed.append(FailedFile(shown, _one_line(exc)))
            if progress is not None:
                progress(done, len(files), path)
        _sync_index(store, home)
        report.data_version = store.data_version()
    return report


def _sync_index(store: Store, home: Path) -> None:
    """Bring the search index in line with the store (a cache: a failure is logged, not fatal)."""
    from procreg.registry.service.searching import sync_index

    try:
        sync_index(store, home / "index")
    except Exception as exc:  # noqa: BLE001 - the index is a cache: the registry write already stands
        reason = str(exc) if isinstance(exc, RegistryError) else f"{type(exc).__name__}: {exc}"
        log.warning("search index not updated: %s (run `procreg index rebuild`)", reason.strip(": "))
        log.debug("index sync failure", exc_info=True)


def _existing(home: Path) -> Store:
    """Open the registry for a command that only reads it (never creates one in the wrong folder).

    Raises:
        NotFound: there is no registry in ``home``.
    """
    db = home / "registry.db"
    if not db.is_file():
        raise NotFound(
            f"no registry in {home} yet: run `procreg ingest FILES` first (or set --home/PROCREG_HOME)"
        )
    return Store.open(db)


# --------------------------------------------------------------------------------------------------
# Dates.


def parse_date(text: str, *, option: str = "--on") -> str:
    """Validate a date typed by a user for ``option``: ISO ``YYYY-MM-DD`` or Vietnamese ``DD/MM/YYYY``.

    Raises:
        UsageError: not a date in either form, or no such day.
    """
    try:
        return parse_user_date(text)
    except ValueError as exc:
        if str(exc) == "not a date":
            raise UsageError(f"{option}: {text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)") from None
        raise UsageError(f"{option}: {text!r} is not a valid date ({exc})") from None


# --------------------------------------------------------------------------------------------------
# Listing and showing.


def list_procedures(
    *,
    home: Path,
    unit: str | None = None,
    field: str | None = None,
    status: str | None = None,
    include_superseded: bool = False,
) -> list[ProcedureRecord]:
    """Current procedures (or all versions), filtered by unit, field and status, sorted by id."""
    with _existing(home) as store:
        return store.procedures(include_superseded=include_superseded, status=status, unit=unit, field=field)


@dataclass(frozen=True, slots=True)
class ProcedureView:
    """Everything ``show`` prints: the current version, all versions, the merged event history."""

    record: ProcedureRecord
    versions: tuple[ProcedureRecord, ...]
    events: tuple[tuple[int, Event], ...]  # (version, event), by date then arrival
    details: dict[str, Any]

    @property
    def counted_hours(self) -> float:
        """Σ of the timed steps' working hours."""
        return sum(s.hours for s in self.record.steps if s.hours is not None)


def show_procedure(code_or_name: str, *, home: Path) -> ProcedureView:
    """Find a procedure by code or name and gather its versions and events.

    Raises:
        NotFound: nothing matches (with a "did you mean" when close).
    """
    with _existing(home) as store:
        return _view(store, store.procedure(code_or_name))


def _view(store: Store, record: ProcedureRecord) -> ProcedureView:
    versions = tuple(store.procedure_versions(record.key))
    version_of = {v.id: v.version for v in versions}
    events = tuple((version_of[pid], e) for pid, e in store.events(list(version_of)))
    return ProcedureView(record, versions, events, procedure_details(store, record.id))


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "order": step.order,
        "label": step.label,
        "text": step.text,
        "responsible": list(step.responsible),
        "responsible_text": step.responsible_text,
        "hours": step.hours,
        "duration_text": step.duration_text,
        "result": step.result,
        "branches": list(step.branches),
    }


def _event_json(version: int, event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "on": event.on,
        "by": event.by,
        "evidence": event.evidence,
        "note": event.note,
        "where": event.where,
        "version": version,
    }


def _identity_json(r: ProcedureRecord) -> dict[str, Any]:
    """The fields ``show --json`` and ``list --json`` share: which procedure version, and its time limit."""
    return {
        "id": r.id,
        "key": r.key,
        "code": r.code,
        "catalog_code": r.catalog_code,
        "name": r.name,
        "field": r.field,
        "version": r.version,
        "status": r.status,
        "time_limit": r.time_limit,
        "time_limit_hours": r.time_limit_hours,
    }


def show_json(view: ProcedureView) -> dict[str, Any]:
    """The ``show --json`` document (DESIGN.md keys plus versions, units, counted hours...)."""
    r = view.record
    return {
        **_identity_json(r),
        "stated_total_hours": r.stated_total_hours,
        "counted_hours": view.counted_hours,
        "within_limit": None if r.time_limit_hours is None else view.counted_hours <= r.time_limit_hours,
        "units": list(r.units),
        "steps": [_step_json(s) for s in r.steps],
        "forms": list(r.forms),
        "document": {"id": r.document_id, "number": r.document_number, "issued_on": r.document_date},
        "issuer": r.issuer,
        "versions": [
            {
                "id": v.id,
                "version": v.version,
                "status": v.status,
                "document_number": v.document_number,
                "document_date": v.document_date,
                "steps": len(v.steps),
                "supersedes_id": v.supersedes_id,
            }
            for v in view.versions
        ],
        "events": [_event_json(version, e) for version, e in view.events],
        "details": view.details,
    }


def list_json(records: Sequence[ProcedureRecord]) -> dict[str, Any]:
    """The ``list --json`` document: {total, procedures[{id, code, name, version, status, ...}]}."""
    return {
        "total": len(records),
        "procedures": [
            {
                **_identity_json(r),
                "steps": len(r.steps),
                "units": list(r.units),
                "document_number": r.document_number,
                "document_date": r.document_date,
                "last_event": _event_json(r.version, r.events[-1]) if r.events else None,
            }
            for r in records
        ],
    }


# --------------------------------------------------------------------------------------------------
# Text formatting (100 columns, independent of the terminal).

_STATUS_VI = {
    "active": "hiệu lực",
    "superseded": "đã thay thế",
    "abolished": "bãi bỏ",
    "withdrawn": "thu hồi",
}
_SIGNATURES = (("Soạn thảo", "drafted_by"), ("Kiểm tra", "checked_by"), ("Phê duyệt", "approved_by"))
_EVENT_VI = {
    "ingested": "nhập",
    "reviewed": "rà soát",
    "published": "công bố",
    "publicized": "công khai",
    "superseded": "bị thay thế",
    "withdrawn": "thu hồi",
    "abolished": "bãi bỏ",
}


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def format_hours(hours: float | None) -> str:
    """Working hours in Vietnamese: ``20 giờ``, ``4 giờ (0,5 ngày)``, ``160 giờ (20 ngày)``."""
    if hours is None:
        return "không tính"
    text = _num(hours) + " giờ"
    days = hours / HOURS_PER_DAY
    if hours >= HOURS_PER_DAY / 2:
        text += " (" + f"{days:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " ngày)"
    return text


def _wrap(
    text: str, *, indent: str = "", first: str = "", width: int = WIDTH, keep_spaces: bool = False
) -> list[str]:
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


def format_list(records: Sequence[ProcedureRecord], *, width: int = WIDTH) -> str:
    """Procedures as a 100-column table: id, code, version, status, steps, counted hours, name (wrapped).

    The id (``#12``) is what ``show`` takes for procedures without a code.
    """
    if not records:
        return "Không có thủ tục nào (no procedures)."
    id_w = max(len(f"#{r.id}") for r in records)
    code_w = min(max([len(r.code or r.catalog_code or "-") for r in records] + [len("Mã")]), 14)
    head = f"{'ID':<{id_w}}  {'Mã':<{code_w}}  {'v':>2}  {'Trạng thái':<11}  {'Bước':>4}  {'Σ giờ':>6}  "
    head += "Tên thủ tục"
    lines = [head]
    name_col = id_w + 2 + code_w + 2 + 2 + 2 + 11 + 2 + 4 + 2 + 6 + 2
    for r in records:
        code = r.code or r.catalog_code or "-"
        code = code if len(code) <= code_w else code[: code_w - 1] + "…"
        counted = sum(s.hours for s in r.steps if s.hours is not None)
        hours = _num(counted) if any(s.hours is not None for s in r.steps) else "-"
        prefix = (
            f"{'#' + str(r.id):<{id_w}}  {code:<{code_w}}  {r.version:>2}  "
            f"{_STATUS_VI.get(r.status, r.status):<11}  {len(r.steps):>4}  {hours:>6}  "
        )
        lines.extend(_wrap(r.name, indent=" " * name_col, first=prefix, width=width))
        extra = [x for x in (r.field, r.document_number) if x]
        if extra:
            lines.extend(_wrap(" · ".join(extra), indent=" " * name_col, width=width))
    lines.insert(1, "-" * min(width, max(len(line) for line in lines)))
    lines.append("")
    lines.append(f"{len(records)} thủ tục")
    return "\n".join(lines)


def format_show(view: ProcedureView, *, width: int = WIDTH) -> str:
    """One procedure for people: fields, steps with units and times, Σ vs legal limit, versions, events."""
    r = view.record
    lines: list[str] = []
    title = f"{r.code} — {r.name}" if r.code else r.name
    lines.extend(_wrap(title, indent="  ", width=width))
    lines.append("=" * min(width, max(len(x) for x in lines)))

    def row(label: str, value: str | None) -> None:
        if value:
            lines.extend(_wrap(value, first=f"{label:<18}", indent=" " * 18, width=width))

    row("Mã quy trình:", r.code)
    row("Mã TTHC:", r.catalog_code)
    row("Lĩnh vực:", r.field)
    row("Phiên bản:", f"{r.version} ({_STATUS_VI.get(r.status, r.status)})")
    doc = " ".join(
        x for x in (r.document_number, f"ngày {r.document_date}" if r.document_date else None) if x
    )
    row("Văn bản:", doc or None)
    row("Cơ quan ban hành:", r.issuer)
    row("Thời hạn:", r.time_limit)
    row("Đơn vị:", "; ".join(r.units) if r.units else None)
    d = view.details
    row("Lần ban hành:", d.get("edition"))
    row("Ngày hiệu lực:", d.get("effective_on"))
    signatures = [f"{k}: {d[key]}" for k, key in _SIGNATURES if d.get(key)]
    row("Ký duyệt:", "; ".join(signatures) if signatures else None)
    fields = [(str(label), str(value)) for label, value in d.get("fields", []) if str(value).strip()]
    if fields:
        lines.append("")
        lines.append("Nội dung:")
        for label, value in fields:
            lines.extend(_wrap(label + ":", first="  ", indent="  ", width=width))
            lines.extend(_wrap(value, indent="      ", width=width))
    if r.steps:
        lines.append("")
        lines.append("Các bước:")
        for s in r.steps:
            label = (s.label or str(s.order)).strip()
            lines.extend(_wrap(s.text, first=f"  {label:<7} ", indent=" " * 10, width=width))
            who = "; ".join(s.responsible) or s.responsible_text
            if who:
                lines.extend(_wrap(who, first=" " * 10 + "Trách nhiệm: ", indent=" " * 23, width=width))
            time = s.duration_text or "không ghi"
            if s.hours is None:
                time += " (không tính thời gian)" if s.duration_text else ""
            elif "giờ" not in time:
                time += f" ({_num(s.hours)} giờ)"
            lines.extend(_wrap(time, first=" " * 10 + "Thời gian:   ", indent=" " * 23, width=width))
            if s.result:
                lines.extend(_wrap(s.result, first=" " * 10 + "Kết quả:     ", indent=" " * 23, width=width))
        lines.append("")
        limit = r.time_limit_hours
        timed = any(s.hours is not None for s in r.steps)
        verdict = ""
        if limit is not None:
            verdict = " — trong thời hạn" if view.counted_hours <= limit else " — VƯỢT thời hạn"
            verdict = verdict if timed else ""
        counted = format_hours(view.counted_hours) if timed else "không bước nào ghi thời gian"
        total = f"Σ thời gian tính: {counted}"
        total += (
            f" / thời hạn: {format_hours(limit)}{verdict}" if limit is not None else " / thời hạn: không rõ"
        )
        lines.extend(_wrap(total, width=width))
    if r.forms:
        lines.append("")
        lines.append("Biểu mẫu:")
        for form in r.forms:
            lines.extend(_wrap(form, first="  - ", indent="    ", width=width))
    records = [str(x) for x in d.get("records", []) if str(x).strip()]
    if records:
        lines.append("")
        lines.append("Hồ sơ lưu:")
        for record in records:
            lines.extend(_wrap(record, first="  - ", indent="    ", width=width))
    lines.append("")
    lines.append("Phiên bản:")
    for v in view.versions:
        when = v.document_date or "?"
        text = f"v{v.version}  {_STATUS_VI.get(v.status, v.status):<11}  {v.document_number or '-'}  ({when})"
        lines.extend(_wrap(text, first="  ", indent="      ", width=width, keep_spaces=True))
    lines.append("")
    lines.append("Lịch sử:")
    if not view.events:
        lines.append("  (chưa có sự kiện)")
    for version, e in view.events:
        head = f"{e.on or '????-??-??'}  v{version}  {_EVENT_VI.get(e.kind, e.kind):<11}"
        parts = [p for p in (e.by, e.evidence, e.where, e.note) if p]
        lines.extend(_wrap(" · ".join(parts), first=f"  {head} ", indent=" " * (len(head) + 3), width=width))
    return "\n".join(line.rstrip() for line in lines)


# --------------------------------------------------------------------------------------------------
# Lifecycle events.


@dataclass(frozen=True, slots=True)
class Recorded:
    """A lifecycle event just recorded, with the procedure as it now stands."""

    event: Event
    view: ProcedureView

    def summary(self) -> str:
        """One line for people: ``Đã ghi: rà soát QT.GĐ.01 (v1) ngày 2025-12-10 · Nguyễn Văn A``."""
        r = self.view.record
        e = self.event
        label = r.code or f"#{r.id}"
        parts = [p for p in (e.by, e.evidence if e.evidence != e.where else None, e.where, e.note) if p]
        line = f"Đã ghi: {_EVENT_VI.get(e.kind, e.kind)} {label} (v{r.version}) ngày {e.on}"
        line += "".join(f" · {p}" for p in parts)
        if r.status != "active":
            line += f" — trạng thái: {_STATUS_VI.get(r.status, r.status)}"
        return textwrap.fill(line, width=WIDTH, subsequent_indent="    ", break_on_hyphens=False)


def _record_event(home: Path, code: str, event: Event, *, status: str | None = None) -> Recorded:
    with _existing(home) as store:
        record = store.procedure(code)
        if record.status == "withdrawn" and event.kind != "reviewed":
            raise UsageError(
                f"{record.code or record.name} was withdrawn; nothing more can be recorded on it"
            )
        if record.status == "abolished" and event.kind not in ("reviewed", "withdrawn"):
            raise UsageError(f"{record.code or record.name} is abolished (bị bãi bỏ)")
        store.add_event(record.id, event, status=status)
        _sync_index(store, home)
        return Recorded(event, _view(store, store.procedure_by_id(record.id)))


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = normalize_line(text)
    return cleaned or None


def review(code: str, *, on: str, by: str | None = None, note: str | None = None, home: Path) -> Recorded:
    """Record that a procedure was reviewed (rà soát) on a date, by someone.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date.
    """
    event = Event(kind="reviewed", on=parse_date(on), by=_clean(by), note=_clean(note))
    return _record_event(home, code, event)


def publish(code: str, *, decision: str, on: str, home: Path) -> Recorded:
    """Record that a procedure was published (công bố) by a decision number on a date.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date or an empty decision number.
    """
    number = _clean(decision)
    if not number:
        raise UsageError("--decision: a decision number is required (e.g. 3005/QĐ-UBND)")
    when = parse_date(on)
    by = None
    with _existing(home) as store:
        doc = store.document_by_number(number)
        if doc is not None:
            by = doc.issuer
    return _record_event(home, code, Event(kind="published", on=when, by=by, evidence=number))


def publicize(code: str, *, on: str, where: str, home: Path) -> Recorded:
    """Record that a procedure was made public (công khai) at a URL or place on a date.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date or an empty place.
    """
    place = _clean(where)
    if not place:
        raise UsageError("--where: where it was made public is required (a URL or portal name)")
    event = Event(kind="publicized", on=parse_date(on), evidence=place, where=place)
    return _record_event(home, code, event)


def withdraw(code: str, *, on: str, reason: str, home: Path) -> Recorded:
    """Withdraw a procedure (thu hồi): status ``withdrawn`` plus an event with the reason.

    Raises:
        NotFound: no such procedure.
        UsageError: a bad date, an empty reason, or an already withdrawn procedure.
    """
    why = _clean(reason)
    if not why:
        raise UsageError("--reason: a reason is required")
    event = Event(kind="withdrawn", on=parse_date(on), note=why)
    return _record_event(home, code, event, status="withdrawn")


# --------------------------------------------------------------------------------------------------
# Units.


def units_list(*, home: Path) -> list[UnitInfo]:
    """Every responsible unit, with user aliases and how many current steps/procedures name it."""
    if not (home / "registry.db").is_file():
        return []
    with Store.open(home / "registry.db") as store:
        return store.units()


def units_alias(alias: str, canonical: str, *, home: Path) -> int:
    """Make ``alias`` a name of ``canonical`` (now and on later ingests); returns step references moved.

    Raises:
        UsageError: an empty name.
    """
    alias, canonical = normalize_line(alias), normalize_line(canonical)
    if not alias or not canonical:
        raise UsageError("both ALIAS and CANONICAL must be non-empty")
    with Store.open(home / "registry.db") as store:
        moved = store.add_unit_alias(alias, canonical)
        _sync_index(store, home)
    return moved


def units_merge(source: str, into: str, *, home: Path) -> int:
    """Merge unit ``source`` into ``into``; returns step references moved.

    Raises:
        NotFound: no unit named ``source``.
        UsageError: an empty name.
    """
    source, into = normalize_line(source), normalize_line(into)
    if not source or not into:
        raise UsageError("both FROM and INTO must be non-empty")
    with Store.open(home / "registry.db") as store:
        moved = store.merge_units(source, into)
        _sync_index(store, home)
    return moved


def units_json(units: Iterable[UnitInfo]) -> dict[str, Any]:
    """The ``units --json`` document: {units[{name, steps, procedures, aliases}]}."""
    return {
        "units": [
            {"name": u.name, "steps": u.steps, "procedures": u.procedures, "aliases": list(u.aliases)}
            for u in units
        ]
    }


def format_units(units: Sequence[UnitInfo], *, width: int = WIDTH) -> str:
    """Units as text: steps, procedures, name and aliases (wrapped at 100 columns)."""
    if not units:
        return "Chưa có đơn vị nào (no units)."
    lines = [f"{'Bước':>5}  {'Thủ tục':>7}  Đơn vị (= tên khác)"]
    for u in units:
        text = u.name + (f"  (= {', '.join(u.aliases)})" if u.aliases else "")
        lines.extend(_wrap(text, first=f"{u.steps:>5}  {u.procedures:>7}  ", indent=" " * 16, width=width))
    lines.insert(1, "-" * max(len(line) for line in lines))
    lines += ["", f"{len(units)} đơn vị"]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Issuer symbols (the user's additions to the shipped table).

_SYMBOL = re.compile(r"^[^\s/]{1,30}$")


def symbols_list(*, home: Path, shipped: bool = False) -> list[tuple[str, str, str]]:
    """Issuer symbols as (symbol, name, origin) sorted by symbol; origin is ``user`` or ``shipped``.

    The user's symbols come from the registry (none when it does not exist yet; it is not created);
    ``shipped`` adds the table shipped with procreg, under the user's entries of the same symbol.
    """
    from procreg.registry.store import read_symbols

    table = {k: (v, "user") for k, v in read_symbols(home / "registry.db").items()}
    if shipped:
        from procreg.parsers.document import default_symbols

        for k, v in default_symbols().items():
            table.setdefault(str(k), (str(v), "shipped"))
    return [(k, v, origin) for k, (v, origin) in sorted(table.items())]


def symbols_add(symbol: str, name: str, *, home: Path) -> bool:
    """Add an issuer symbol (``SNgV`` -> ``Sở Ngoại vụ``) used by every later ``parse`` and ``ingest``.

    Returns:
        True when the symbol is new, False when it was renamed.

    Raises:
        UsageError: an empty name, or a symbol with spaces or ``/`` (it is one part of a number
            such as ``45/QĐ-SNgV``).
    """
    symbol, name = normalize_line(symbol), normalize_line(name)
    if not _SYMBOL.match(symbol):
        raise UsageError(f"SYMBOL {symbol!r}: one word without spaces or '/' (e.g. SNgV, as in 45/QĐ-SNgV)")
    if not name:
        raise UsageError('NAME must be non-empty (e.g. "Sở Ngoại vụ")')
    with Store.open(home / "registry.db") as store:
        return store.add_symbol(symbol, name)


def symbols_json(rows: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """The ``symbols --json`` document: {symbols[{symbol, name, origin}]}."""
    return {"symbols": [{"symbol": k, "name": v, "origin": origin} for k, v, origin in rows]}


def format_symbols(rows: Sequence[tuple[str, str, str]], *, width: int = WIDTH) -> str:
    """Symbols as text: symbol, name, and ``(có sẵn)`` for the shipped ones."""
    if not rows:
        return "Chưa có ký hiệu nào do người dùng thêm (no user symbols; --all shows the shipped table)."
    sym_w = min(max(len(k) for k, _, _ in rows), 20)
    lines: list[str] = []
    for k, v, origin in rows:
        text = v + ("  (có sẵn)" if origin == "shipped" else "")
        lines.extend(_wrap(text, first=f"{k:<{sym_w}}  ", indent=" " * (sym_w + 2), width=width))
    return "\n".join(lines)
