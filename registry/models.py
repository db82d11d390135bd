"""Records shared across procreg: what readers yield, what extractors find, what the registry keeps.

All records are frozen dataclasses with tuples for collections, so they hash, compare and serialise
deterministically. ``to_jsonable`` turns any of them into plain JSON data (keys sorted on dump).
This module imports nothing from the project.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from procreg.i18n import N_

__all__ = [
    "Block",
    "CatalogEntry",
    "CatalogRecord",
    "CatalogRow",
    "Cell",
    "Citation",
    "DocKind",
    "DocumentRecord",
    "Event",
    "EventKind",
    "IndexDoc",
    "Paragraph",
    "ParsedDocument",
    "Procedure",
    "ProcedureRecord",
    "ProcedureRow",
    "Qualifier",
    "RawDocument",
    "ReadOptions",
    "Revision",
    "Section",
    "SearchHit",
    "SearchResult",
    "Suggestion",
    "Signer",
    "SourceRef",
    "Step",
    "Table",
    "Target",
    "to_jsonable",
]

DocKind = Literal["plan", "decision", "directive", "report", "official_letter", "procedure", "other"]
Qualifier = Literal["exact", "at_least", "aspiration"]
EventKind = Literal[
    "ingested",
    "reviewed",
    "published",
    "publicized",
    "superseded",
    "withdrawn",
    "abolished",
    "restored",
    "cancelled",
]
ProcedureStatus = Literal["active", "superseded", "abolished", "withdrawn"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceRef:
    """Where a record came from: file, and page (PDF) or paragraph/block index (1-based)."""

    path: str
    page: int | None = None
    para: int | None = None

    def describe(self) -> str:
        """Human form used in messages and evidence: ``plan.pdf, page 3`` / ``plan.docx, paragraph 14``.

        English, like every message kept in a record; a view shows it in the reader's language.
        """
        values = {"path": self.path, "page": self.page, "para": self.para}
        if self.page is not None and self.para is not None:
            return N_("%(path)s, page %(page)d, paragraph %(para)d") % values
        if self.page is not None:
            return N_("%(path)s, page %(page)d") % values
        if self.para is not None:
            return N_("%(path)s, paragraph %(para)d") % values
        return self.path


# --------------------------------------------------------------------------------------------------
# Reader output: a document is a sequence of blocks in body order, the same shape for .txt/.docx/.pdf.


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """One table cell, read once even when merged; ``span`` is how many grid columns it covers."""

    text: str
    span: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """A paragraph of NFC text (one logical line; page-break splits already rejoined)."""

    text: str
    index: int  # 1-based position of the block in the document
    page: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table: rows of cells. Layout tables (header, signature blocks) are tables too."""

    rows: tuple[tuple[Cell, ...], ...]
    index: int
    page: int | None = None

    def texts(self) -> list[list[str]]:
        """Rows as lists of cell texts (merged cells appear once)."""
        return [[c.text for c in row] for row in self.rows]


Block = Paragraph | Table


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """What a reader returns: the file's blocks plus reader warnings (e.g. a page with no text layer)."""

    path: str
    format: Literal["txt", "docx", "pdf", "doc", "rtf"]
    sha256: str
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()
    pages: int | None = None


OcrMode = Literal["auto", "always", "never"]
MEGABYTE = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """How the readers treat a file: OCR, the limits that keep a batch safe, where OCR is cached.

    ``ocr``: ``auto`` reads a page by OCR when it has no usable text layer (a scan, a junk OCR
    layer, text drawn as outlines), ``always`` reads every PDF page by OCR, ``never`` reads none.
    ``max_pages`` and ``max_size`` (bytes) refuse larger files up front (an input error that says
    how to raise the limit). ``ocr_cache`` is the OCR cache folder (None: the user's cache folder);
    ``ocr_jobs`` the cores OCR may use (None: all).
    """

    ocr: OcrMode = "auto"
    max_pages: int = 1000
    max_size: int = 50 * MEGABYTE
    ocr_cache: str | None = None
    ocr_jobs: int | None = None


# --------------------------------------------------------------------------------------------------
# Extractor output.


@dataclass(frozen=True, slots=True, kw_only=True)
class Signer:
    """The signer of a document and their position (``Giám đốc``, ``Phó Chủ tịch``...)."""

    name: str | None = None
    position: str | None = None
    authority: str | None = None  # "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN" when printed


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A numbered section (I., 1., 7.1., a)); ``path`` is the dotted path, e.g. ``II.3``."""

    number: str
    title: str
    path: str
    children: tuple[Section, ...] = ()
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A percentage commitment of a plan, e.g. 90% of internal TTHC reviewed."""

    section: str
    value: float
    unit: str = "%"
    qualifier: Qualifier = "exact"
    text: str = ""  # the sentence that carries the value
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A cited document: ``Quyết định số 2629/QĐ-UBND ngày 23/12/2022 của UBND tỉnh``."""

    type: str | None  # "Quyết định", "Nghị định", "Thông tư", "Kế hoạch", "Văn bản", ...
    number: str  # normalised: "2609/QĐ-UBND", "118/2025/NĐ-CP"
    date: str | None  # ISO date
    issuer: str | None = None
    text: str = ""  # verbatim span from the document


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogEntry:
    """One row of a "Danh mục thủ tục hành chính" table."""

    name: str
    order: str | None = None  # the TT/STT cell
    code: str | None = None  # national TTHC code, e.g. 1.013871 (internal TTHC often have none)
    field: str | None = None  # lĩnh vực
    time_limit: str | None = None
    time_limit_hours: float | None = None
    place: str | None = None
    fee: str | None = None
    legal_basis: str | None = None
    agency: str | None = None  # cơ quan thực hiện / thẩm quyền giải quyết
    group: str | None = None  # "Thủ tục hành chính nội bộ cấp tỉnh", from group rows
    change: str | None = None  # new, amended, abolished, replaced
    internal: bool = False  # a TTHC nội bộ (between state agencies)
    warnings: tuple[str, ...] = ()
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of an internal procedure."""

    order: int  # 1-based position in the procedure
    label: str  # as printed: "B1", "Bước 1", "1"
    text: str
    responsible: tuple[str, ...] = ()  # normalised unit names
    responsible_text: str = ""  # the cell as printed
    hours: float | None = None  # counted working hours; None = untimed
    duration_text: str = ""
    result: str | None = None  # Biểu mẫu / Kết quả column
    branches: tuple[str, ...] = ()  # conditions stated in the step ("hồ sơ chưa đầy đủ -> hướng dẫn bổ sung")
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """A row of an ISO revision table (Ngày | Nội dung thay đổi | Lần ban hành)."""

    date: str | None
    change: str
    edition: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Procedure:
    """An internal procedure (quy trình nội bộ) as found in a document."""

    name: str
    code: str | None = None  # QT.GĐ.01
    catalog_code: str | None = None  # national code of the matching catalog entry
    field: str | None = None
    time_limit: str | None = None  # legal limit as printed ("20 ngày kể từ ...")
    time_limit_hours: float | None = None
    steps: tuple[Step, ...] = ()
    stated_total: str | None = None  # "168 giờ (tương đương 21 ngày) ..." from a closing row
    stated_total_hours: float | None = None
    fields: tuple[tuple[str, str], ...] = ()  # ("2.1 Điều kiện thực hiện TTHC", "..."), in order
    forms: tuple[str, ...] = ()  # BIỂU MẪU
    records: tuple[str, ...] = ()  # HỒ SƠ LƯU
    edition: str | None = None  # Lần ban hành (ISO documents)
    issued_on: str | None = None
    effective_on: str | None = None
    drafted_by: str | None = None
    checked_by: str | None = None
    approved_by: str | None = None
    revisions: tuple[Revision, ...] = ()
    warnings: tuple[str, ...] = ()
    source: SourceRef | None = None

    @property
    def counted_hours(self) -> float:
        """Σ of the timed steps' working hours."""
        return sum(s.hours for s in self.steps if s.hours is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedDocument:
    """Everything ``procreg parse`` finds in one document (the JSON contract of ``procreg parse --json``)."""

    path: str
    format: str
    sha256: str
    kind: DocKind | None = None
    type_label: str | None = None  # "KẾ HOẠCH", "QUYẾT ĐỊNH" as printed
    number: str | None = None
    issued_on: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    signer: Signer | None = None
    sections: tuple[Section, ...] = ()
    targets: tuple[Target, ...] = ()
    citations: tuple[Citation, ...] = ()
    catalog: tuple[CatalogEntry, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    change_type: str | None = None  # new, amended, abolished, replaced (catalog decisions)
    orders_publicizing: str | None = None  # the sentence ordering công khai on CSDLQG / a portal
    warnings: tuple[str, ...] = ()
    text: str = ""  # full NFC text, for the search index and evidence


# --------------------------------------------------------------------------------------------------
# Registry records.


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """An append-only lifecycle event of a procedure or a catalog entry."""

    kind: EventKind
    on: str  # ISO date
    by: str | None = None
    evidence: str | None = None  # document number, URL...
    note: str | None = None
    where: str | None = None  # URL for publicized, page/paragraph for document evidence
    id: int | None = None  # its row in the event log, once written
    origin: Literal["user", "ingest"] = "user"  # typed by a user, or brought by an ingested document
    forced: str | None = None  # the checks a user overrode with --force, in words
    cancels: int | None = None  # for a ``cancelled`` event: the id of the event it cancels (undo)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcedureRecord:
    """A procedure version as the registry keeps it."""

    id: int
    key: str  # stable identity across versions: code, else folded name + field
    code: str | None
    catalog_code: str | None
    name: str
    field: str | None
    version: int
    status: ProcedureStatus
    kind: Literal["process", "catalog"] = "process"  # quy trình nội bộ, or a catalog entry only
    internal: bool = False
    time_limit: str | None = None
    time_limit_hours: float | None = None
    stated_total_hours: float | None = None
    steps: tuple[Step, ...] = ()
    units: tuple[str, ...] = ()
    issuer: str | None = None
    document_id: int | None = None
    document_number: str | None = None
    document_date: str | None = None
    supersedes_id: int | None = None
    events: tuple[Event, ...] = ()
    cites: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRecord:
    """An ingested source document as the registry keeps it."""

    id: int
    path: str
    sha256: str
    format: str
    kind: str | None
    number: str | None
    issued_on: str | None
    issuer: str | None
    title: str | None
    signer_name: str | None = None
    signer_position: str | None = None
    change_type: str | None = None
    orders_publicizing: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogRecord:
    """A catalog entry (Danh mục row) as the registry keeps it, linked to its decision."""

    id: int
    entry: CatalogEntry
    document_id: int
    document_number: str | None
    document_date: str | None
    procedure_id: int | None = None  # the matching process, when one is registered
    status: ProcedureStatus = "active"
    events: tuple[Event, ...] = ()  # events recorded on the entry itself (review, publication...)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcedureRow:
    """A procedure version in brief, with its document's identity: what the identity rules compare.

    No steps, events or units: the rules of ``procedures.identity`` (versions, abolition, catalog links)
    read many of these at once.
    """

    id: int
    key: str
    version: int
    status: ProcedureStatus
    supersedes_id: int | None
    code: str | None
    catalog_code: str | None
    name: str
    name_folded: str
    document_id: int
    document_path: str
    document_number: str | None
    document_date: str | None
    issuer: str | None
    replaced: bool = False  # its document was ingested again from the same path with new content


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogRow:
    """A catalog entry in brief, with its document's identity: what the identity rules compare."""

    id: int
    status: ProcedureStatus
    code: str | None
    name: str
    name_folded: str
    document_id: int
    document_number: str | None
    document_date: str | None
    issuer: str | None
    field: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexDoc:
    """One document as the search index sees it (a procedure, a catalog entry or a source document)."""

    id: str  # "proc:12", "cat:40", "doc:3"
    kind: Literal["procedure", "catalog", "document"]
    title: str
    body: str = ""
    code: str | None = None
    unit: tuple[str, ...] = ()
    field: str | None = None
    status: str | None = None
    version: int | None = None
    doc_kind: str | None = None  # plan, decision... for documents
    number: str | None = None
    issuer: str | None = None
    issued_on: str | None = None  # ISO date
    review_due: str | None = None  # ISO date
    current: bool = True  # False for superseded versions


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One search result."""

    id: str
    kind: str
    code: str | None
    title: str
    unit: str | None
    status: str | None
    score: float
    snippet: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Suggestion:
    """A query near the one typed that has hits, and how many."""

    query: str
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """A ranked result list with its total and any notices (malformed query, did-you-mean).

    ``suggestions`` are whole queries near the one typed, each with its hit count (best first;
    ``suggestion`` is the first one's text). ``corrected`` is the suggestion whose hits are given
    when the query itself found nothing.
    """

    query: str
    total: int
    hits: tuple[SearchHit, ...]
    notices: tuple[str, ...] = ()
    suggestion: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    corrected: str | None = None


def to_jsonable(obj: Any) -> Any:
    """Turn records (and tuples/lists/dicts of them) into JSON data; properties are not included."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj
