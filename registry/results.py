"""What the use cases return to the API's callers: plain frozen dataclasses over the records of ``models``.

A ground module like ``models``: it imports nothing from the project but ``models``, so the presentation
layer can format these results without importing the use cases that make them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procreg.i18n import N_, _, message_text
from procreg.registry.models import CatalogRecord, Event, ProcedureRecord
from procreg.text import fold
from procreg.text.vocabulary import YES_WORDS

__all__ = [
    "ROLES",
    "Account",
    "AllDiagrams",
    "DiagramOutput",
    "DocumentCounts",
    "ExportOutput",
    "FailedFile",
    "HistoryCheck",
    "HomeLocation",
    "IndexCheck",
    "IngestReport",
    "IngestedFile",
    "ProcedureView",
    "OPTIONAL_SETTINGS",
    "REPORT_SETTINGS",
    "RecognisedFile",
    "RegistryCheck",
    "RebuildReport",
    "Recorded",
    "ReportSettings",
    "SkippedFile",
    "TargetRow",
    "TargetsView",
    "UnitInfo",
    "WriteResult",
]


# --------------------------------------------------------------------------------------------------
# Where the registry is (registry.service.home).


@dataclass(frozen=True, slots=True)
class HomeLocation:
    """The registry folder a command works on, and how it was chosen.

    ``source``: ``option`` (--home), ``env`` (PROCREG_HOME), ``found`` (a ``.procreg`` in the current
    folder or a parent) or ``default`` (none found: ``./.procreg``, created only by init and ingest).
    """

    path: Path
    source: str


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
    rendering_of: str | None = None  # a further file of a registered document: that document's first file
    replaces: int | None = None  # a new text of a registered document (a changed copy): that document's id
    same: int = 0  # procedures the file holds that the registry holds already with the same content
    changes: tuple[str, ...] = ()  # a changed copy: what it says differently, in words
    warnings: tuple[str, ...] = ()  # what did not match the registered document


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
    same: int = 0  # procedures already registered with the same content (not registered again)
    replaces: int | None = None  # a changed copy of a registered document: that document's id
    changes: tuple[str, ...] = ()  # what the changed copy says differently
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecognisedFile:
    """A file of a document registered already (another format or file name): one more rendering of it."""

    path: str
    document_id: int
    number: str | None
    first_path: str  # the file the document was first registered from
    warnings: tuple[str, ...] = ()  # procedures that matched nothing, or that the file lacks


@dataclass(frozen=True, slots=True)
class FailedFile:
    """A file that could not be registered, with the one-line reason."""

    path: str
    error: str


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A folder entry an ingest did not take, and why (hidden, unsupported type, a subfolder …)."""

    path: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    """What one ``ingest`` run did, file by file: nothing in the folders given goes unmentioned."""

    ingested: list[IngestedFile] = field(default_factory=list)
    recognised: list[RecognisedFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    data_version: int = 0
    created_home: Path | None = None  # the registry folder this run created (there was none)


# --------------------------------------------------------------------------------------------------
# Procedures and their lifecycle (registry.service.listing, lifecycle).


@dataclass(frozen=True, slots=True)
class HistoryCheck:
    """Whether the event log can be trusted (``procreg check`` in brief), for ``show`` and ``audit``.

    ``first_bad``: the first event row that breaks the hash chain, with ``reason``; ``incidents``: the
    guarding triggers procreg had to put back (dropped or altered behind its back), not yet accepted.
    """

    sound: bool = True
    first_bad: int | None = None
    reason: str | None = None
    incidents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryCheck:
    """What ``procreg check`` found: the event log's chain, its triggers, SQLite's own checks."""

    events: int  # event rows
    first_bad: int | None = None  # the first event row that breaks the hash chain
    reason: str | None = None
    triggers: tuple[str, ...] = ()  # what is wrong with the guarding triggers now (not repaired)
    incidents: tuple[str, ...] = ()  # repairs made on open (triggers put back), not yet accepted
    accepted: int = 0  # repairs someone accepted (``--accept``)
    integrity: str = "ok"  # PRAGMA integrity_check
    foreign_keys: tuple[str, ...] = ()  # PRAGMA foreign_key_check

    @property
    def sound(self) -> bool:
        """True when nothing is wrong."""
        return (
            self.first_bad is None
            and not self.triggers
            and not self.incidents
            and self.integrity == "ok"
            and not self.foreign_keys
        )

    def summary(self) -> str:
        """The first problem, in one sentence (the message of exit 5), in the reader's language."""

        def listed(items: Sequence[str]) -> str:
            return "; ".join(message_text(x) for x in items)

        if self.first_bad is not None:
            return _("the event history is broken at event #%(event)d: %(reason)s") % {
                "event": self.first_bad,
                "reason": message_text(self.reason or ""),
            }
        if self.triggers:
            return _("the event log's guarding triggers are damaged: %(list)s") % {
                "list": listed(self.triggers)
            }
        if self.incidents:
            return _(
                "the event log's guarding triggers were changed behind procreg's back (now restored): "
                "%(list)s. "
                'Once looked into: procreg check --accept "REASON"'
            ) % {"list": listed(self.incidents)}
        if self.integrity != "ok":
            return _("SQLite integrity check failed: %(detail)s") % {"detail": self.integrity}
        if self.foreign_keys:
            return _("rows point at missing rows: %(list)s") % {"list": "; ".join(self.foreign_keys[:3])}
        return _("the registry is sound")


@dataclass(frozen=True, slots=True)
class ProcedureView:
    """One procedure as ``show`` presents it: the current version, all versions, the merged history."""

    record: ProcedureRecord
    versions: tuple[ProcedureRecord, ...]
    events: tuple[tuple[int, Event], ...]  # (version, event), by date then arrival
    details: dict[str, Any]
    history: HistoryCheck = field(default_factory=HistoryCheck)

    @property
    def counted_hours(self) -> float:
        """Σ of the timed steps' working hours."""
        return sum(s.hours for s in self.record.steps if s.hours is not None)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A lifecycle event just recorded (or found there already), with the item as it now stands.

    ``view`` is the procedure (None for a catalog entry with no process, then ``catalog`` is set);
    ``repeated`` is True when nothing was written because the same event stands already (``event``).
    """

    event: Event
    view: ProcedureView | None
    label: str = ""  # how messages name the item: "QT.NV.01", "2.000884 Tên…"
    handle: str = ""  # what to type to record on it again: "QT.NV.01", "#12", "#DM7"
    repeated: bool = False
    catalog: CatalogRecord | None = None


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


# --------------------------------------------------------------------------------------------------
# Report settings (procreg config): who issues the audit report, where, and who signs it

# Every key ``procreg config`` accepts, with what it is for (the report prints a dotted line when unset).
REPORT_SETTINGS: dict[str, str] = {
    "agency": N_("agency issuing the report, e.g. Sở Ngoại vụ"),
    "parent_agency": N_("its parent body, e.g. UBND tỉnh Hà Tĩnh"),
    "place": N_("place name of the date line, e.g. Hà Tĩnh"),
    "signer_name": N_("name of the person who signs, e.g. Nguyễn Văn A"),
    "signer_position": N_("position above the signature, e.g. GIÁM ĐỐC or KT. GIÁM ĐỐC"),
    "report_symbol": N_("agency symbol in the report number (Số: …/BC-SNgV), e.g. SNgV"),
    "recipients": N_(
        "Nơi nhận (recipients), one per line or separated by ';', e.g. UBND tỉnh (để b/c); Lưu: VT"
    ),
    "page_one_number": N_(
        "yes to print a page number on page 1 too (Nghị định 30/2020 shows none there: the default)"
    ),
}
# Settings with a default of their own: never listed as missing.
OPTIONAL_SETTINGS = ("page_one_number",)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSettings:
    """The settings the audit report reads (``procreg config``); None where unset."""

    agency: str | None = None
    parent_agency: str | None = None
    place: str | None = None
    signer_name: str | None = None
    signer_position: str | None = None
    report_symbol: str | None = None
    recipients: str | None = None
    page_one_number: str | None = None  # "yes": page 1 numbered too (``numbers_first_page``)

    @classmethod
    def from_config(cls, config: Mapping[str, str]) -> ReportSettings:
        """The report settings among a registry's settings (``Registry.config()``)."""
        return cls(**{key: config.get(key) or None for key in REPORT_SETTINGS})

    def missing(self) -> tuple[str, ...]:
        """The keys that are not set, in ``REPORT_SETTINGS`` order."""
        return tuple(
            key for key in REPORT_SETTINGS if key not in OPTIONAL_SETTINGS and not getattr(self, key)
        )

    @property
    def numbers_first_page(self) -> bool:
        """Whether page 1 carries a page number (``page_one_number`` set to yes / có)."""
        return fold(self.page_one_number or "") in YES_WORDS


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexCheck:
    """How the index differs from the registry: ids missing from it, stale in it, or extra."""

    missing: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    problem: str | None = None  # the index could not be opened / has another schema
    documents: int = 0  # documents in the registry's view (IndexDocs)
    damage: tuple[str, ...] = ()  # files found damaged (truncated, overwritten, lost, unreadable)

    @property
    def clean(self) -> bool:
        """True when the index is sound and holds exactly the registry's documents, each up to date."""
        return self.problem is None and not (self.damage or self.missing or self.stale or self.extra)


@dataclass(frozen=True, slots=True, kw_only=True)
class RebuildReport:
    """What ``index rebuild`` did: documents indexed by kind, how long it took, how large the index is."""

    documents: int
    procedures: int = 0
    catalog: int = 0
    texts: int = 0  # source documents (decisions, plans...)
    seconds: float = 0.0
    size_bytes: int = 0


# --------------------------------------------------------------------------------------------------
# Web accounts (procreg user, procreg serve)

# What each role may do on the web page: viewer reads; editor also records events and uploads
# documents; admin also changes the report settings.
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")


@dataclass(frozen=True, slots=True)
class Account:
    """A web account: its name and role (``ROLES``); the password hash never leaves the store."""

    name: str
    role: str

    def may(self, role: str) -> bool:
        """True when this account's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)
