"""What the stages build while a document is read, and where the reading stands.

One pass over the document's items (``parsers.items``) fills ``ProcDraft`` records: a procedure's name and
code, its fields, forms and records, and one ``Variant`` (a list of steps) per case of its step table.
``Reading`` holds the pass's state (the open step table, the headings met, what the next item is expected
to carry); every stage module reads and updates it through plain functions.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from procreg.parsers.items import Item
from procreg.parsers.procedure.headings import Heading, choose_name, heading_since, major_since
from procreg.registry.models import CatalogEntry, Revision, SourceRef, Step

__all__ = [
    "CONTINUES",
    "Continuation",
    "ProcDraft",
    "Reading",
    "StepDraft",
    "Subtotal",
    "TableState",
    "Variant",
]


class Continuation(enum.Enum):
    """The case slot of a step table opened while another was still open (a page break, a new header).

    Whether the new table continues the old one is only known at its first step: the numbering must go
    on. Until then the table's ``case_label`` holds ``CONTINUES`` instead of a case name.
    """

    CONTINUES = "continues"


CONTINUES = Continuation.CONTINUES


@dataclass
class StepDraft:
    """A step being read: its id row and the rows and paragraphs that followed it."""

    label: str
    first: Item
    fragments: list[Item] = field(default_factory=list)


@dataclass
class Subtotal:
    """A total printed in mid-table for the steps above it ("… ở cấp xã là: | 40 giờ làm việc")."""

    text: str
    first: int  # index of the first step it covers in its case
    last: int  # index after the last one


@dataclass
class Variant:
    """One case of a procedure's step table (the only one when the numbering never restarts)."""

    label: str | None
    steps: list[Step] = field(default_factory=list)
    stated_total: str | None = None
    subtotals: list[Subtotal] = field(default_factory=list)


@dataclass
class ProcDraft:
    """A procedure being read; ``finishing`` turns it into ``Procedure`` records (one per case)."""

    name: str
    heading_codes: list[str]
    source: SourceRef
    code: str | None = None
    kv: bool = False  # read from a key/value table (Hà Tĩnh annex) or an ISO document
    section: str | None = None  # the key/value part being read: "fields", "forms" or "records"
    fields: list[list[str]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    iso: dict[str, str] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)
    time_limit: str | None = None

    @property
    def steps(self) -> list[Step]:
        """The steps of the last case."""
        return self.variants[-1].steps if self.variants else []


@dataclass
class TableState:
    """An open step table: its column roles, the procedure it fills, the step being read."""

    roles: list[str]
    proc: ProcDraft
    numeric: bool  # an "id" column: a bare number in it is a step id
    draft: StepDraft | None = None
    case_label: str | Continuation | None = None  # the case the next step starts, or CONTINUES
    last_number: int = 0
    confirmed: bool = True  # a bare number in the id column is a step (else only B1 / Bước 1 ids)
    step_column: bool = False  # the header or the rows name steps ("Bước", "B1"): no step is a warning
    steps_made: int = 0
    phase: str | None = None  # a phase row ("B | Tại Cơ quan chuyên môn …"): numbering restarts in it
    opened_at: int = 0  # the item of the header (or the first row of a table without one)
    after_total: bool = False  # a total row came last: a new header starts a new table
    lead_unknown: int = 0  # unknown columns left of the known ones: a row that wide drops its first cells


@dataclass
class Reading:
    """The state of one pass over a document's items."""

    items: list[Item]
    catalog: Sequence[CatalogEntry]
    aliases: Mapping[str, str] | None
    procs: list[ProcDraft] = field(default_factory=list)
    current: ProcDraft | None = None
    table: TableState | None = None
    headings: list[Heading] = field(default_factory=list)
    proc_start: int = -1  # the item where the current procedure started
    pending_roles: list[str] = field(default_factory=list)  # a step-table header being read
    pending_specific: bool = False  # a cell of it names what only step tables name ("Trình tự")
    pending_lead: int = 0  # column names nobody knows left of the header run ("Hình thức nộp | TT | …")
    expect_code: int = 0  # items left in which a key/value table's code may still come
    # A "Tổng thời gian" label whose value is the next item: its case, procedure and printed label.
    expect_total: tuple[Variant, ProcDraft, str] | None = None
    pos: int = 0  # the item being read
    last_table: TableState | None = None  # the step table closed last (a sub-case table continues it)
    last_closed_at: int = -1  # where it closed
    work_order_at: int = -10  # the last item naming the work order ("Quy trình xử lý công việc")
    warnings: list[str] = field(default_factory=list)  # document-level: tables with no step …
    joined_until: int = 0  # items before this are the page-broken rest of a row already read whole

    def add_heading(self, heading: Heading | None) -> None:
        """Keep a heading met at the current item (None: nothing to keep)."""
        if heading is not None:
            self.headings.append(heading)

    def heading_since_start(self) -> Heading | None:
        """The last heading, if met after the current procedure started."""
        return heading_since(self.headings, self.proc_start + 1)

    def major_since_start(self) -> Heading | None:
        """The last heading that is not a case, if met after the current procedure started."""
        return major_since(self.headings, self.proc_start + 1)

    def new_proc(self, ref: SourceRef, *, kv: bool) -> ProcDraft:
        """Start a procedure here, named by the headings above it."""
        name, codes, code = choose_name(self.headings, self.proc_start, self.catalog)
        proc = ProcDraft(name=name, heading_codes=codes, source=ref, kv=kv, code=code)
        self.procs.append(proc)
        self.current = proc
        self.proc_start = self.pos
        return proc
