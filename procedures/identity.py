"""Which procedure a record is, which version is current, what a decision abolishes or supersedes.

Pure rules over records, no SQL: the ingest use case loads the rows it needs from the store, asks these
functions what to do, and has the store write the answer inside the file's one transaction.

- Identity. A procedure's key is its QT code when present, else its national TTHC code qualified by the
  issuer (``1.013871@ubnd tinh ha tinh``: each province writes its own process for a national TTHC), else
  ``name:<bare name>|<folded field>|<folded issuer>``. A key repeated inside one document (two processes
  of one TTHC) gets ``#2``, ``#3``.
- Versions. The same key from another document with other content is a new version; the versions of a
  key are ordered by their document's date, then by arrival; the latest is current, the earlier active
  ones become ``superseded`` with a ``superseded`` event. The same content published again is one more
  ``published`` event, not a version.
- Catalog rows (Danh mục) link to their process: same document first (national code, bare name, or a
  process named "<catalog name> (Trường hợp …)"), then national code, then bare name anywhere. A later
  decision of the same issuer listing the same TTHC supersedes the earlier row.
- Abolition (``bị bãi bỏ``) matches by national code anywhere, by bare name only within the issuer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procreg.registry.models import (
    CatalogEntry,
    CatalogRow,
    Event,
    ParsedDocument,
    Procedure,
    ProcedureRow,
    ProcedureStatus,
    to_jsonable,
)
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import INTERNAL_TTHC

__all__ = [
    "CatalogLinks",
    "CatalogSettlement",
    "VersionChange",
    "VersionPlan",
    "abolished_catalog_rows",
    "abolished_event",
    "abolished_procedures",
    "already_published",
    "code_key",
    "content_hash",
    "document_keys",
    "entry_abolishes",
    "is_internal",
    "issuer_key",
    "link_name",
    "order_versions",
    "procedure_key",
    "published_event",
    "publisher",
    "same_decision_file",
    "settle_catalog_row",
]

# --------------------------------------------------------------------------------------------------
# Keys.

# Leading numbering ("1.", "2.3.", "a)", "IV.", "01 -") and the words a name may or may not carry in front
# ("Thủ tục", "Thủ tục hành chính", "TTHC", "Quy trình [nội bộ]"), matched on folded text.
_NUMBERING = re.compile(
    r"^(?:\d+(?:\.\d+)+(?=\s)|\(?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]+|\d+(?:\.\d+)*\s*[-–:])\s*"
)
_NAME_WORDS = re.compile(
    r"^(?:thu tuc hanh chinh(?: noi bo)?|thu tuc|tthc(?: noi bo)?|quy trinh(?: noi bo)?)\b\s*[:\-–.]?\s*"
)
_PUNCT_SPACES = re.compile(r"\s*([-/,;:.])\s*")


def code_key(code: str) -> str:
    """A QT code, national code or document number as compared: no spaces, upper case, accents kept.

    >>> code_key("qt. gđ.01")
    'QT.GĐ.01'
    """
    return "".join(normalize_line(code).split()).upper()


def issuer_key(issuer: str | None) -> str:
    """Folded issuer with the long form of UBND shortened, so header variants compare equal.

    >>> issuer_key("Ủy ban nhân dân tỉnh Hà Tĩnh") == issuer_key("UBND tỉnh Hà Tĩnh")
    True
    """
    folded = " ".join(fold(normalize_line(issuer or "")).split())
    return folded.replace("uy ban nhan dan", "ubnd")


def link_name(name: str) -> str:
    """The bare name a catalog row and its process are matched on.

    Folded, with leading numbering and a leading "Thủ tục" / "Thủ tục hành chính" / "TTHC" / "Quy trình"
    removed and trailing punctuation dropped, so "1. Thủ tục cấp phép X." and "Cấp phép X" match.

    >>> link_name("1. Thủ tục cấp phép X.") == link_name("Cấp phép X")
    True
    """
    text = " ".join(fold(normalize_line(name)).split())
    while True:
        stripped = _NAME_WORDS.sub("", _NUMBERING.sub("", text))
        if stripped == text or not stripped:
            break
        text = stripped
    # "2026-2030" / "2026 - 2030", "I,II" / "I, II": spacing around punctuation does not count.
    text = _PUNCT_SPACES.sub(r"\1", text.replace("–", "-").replace("—", "-"))
    return text.rstrip(" .;:,")


def procedure_key(proc: Procedure, issuer: str | None) -> str:
    """The stable identity of a procedure across versions.

    Args:
        proc: The procedure as extracted.
        issuer: The issuer of the document it comes from (used only when there is no QT code).

    Returns:
        The QT code (an ISO document code, unique by itself); else the national TTHC code qualified by the
        issuer (every province writes its own process for a national TTHC): ``1.013871@ubnd tinh ha tinh``;
        else ``name:<bare name>|<folded field>|<folded issuer>`` (the name as ``link_name`` gives it: a
        leading "Thủ tục", "TTHC" or numbering does not change the identity).
    """
    if proc.code and proc.code.strip():
        return code_key(proc.code)
    who = issuer_key(issuer)
    if proc.catalog_code and proc.catalog_code.strip():
        return code_key(proc.catalog_code) + (f"@{who}" if who else "")
    return "name:" + "|".join((link_name(proc.name), fold(normalize_line(proc.field or "")), who))


def document_keys(procedures: Sequence[Procedure], issuer: str | None) -> list[str]:
    """The keys of one document's procedures, in order; a repeated key is numbered ``#2``, ``#3``.

    The same key twice in one document (a "quy trình nội bộ" and a "quy trình điện tử" of one TTHC)
    names two processes, not two versions.
    """
    seen: dict[str, int] = {}
    keys: list[str] = []
    for proc in procedures:
        key = procedure_key(proc, issuer)
        seen[key] = seen.get(key, 0) + 1
        keys.append(f"{key}#{seen[key]}" if seen[key] > 1 else key)
    return keys


def content_hash(proc: Procedure) -> str:
    """Hash of what makes a procedure's content (not where it was found): equal hashes, one version."""
    data = to_jsonable(proc)
    data.pop("source", None)
    data.pop("warnings", None)
    for step in data.get("steps", []):
        step.pop("source", None)
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _qualifies(process_name: str, catalog_name: str) -> bool:
    """A process named "<catalog name> (Trường hợp …)" or "<catalog name> - quy trình điện tử"."""
    return bool(catalog_name) and process_name.startswith(catalog_name + " ")


def _date_order(on: str | None) -> str:
    """Undated documents sort after every dated one."""
    return on or "9999-99-99"


# --------------------------------------------------------------------------------------------------
# The internal flag and catalog links.


def is_internal(proc: Procedure, catalog: Sequence[CatalogEntry], title: str | None) -> bool:
    """Whether a process is a TTHC nội bộ (between state agencies), from what its document says.

    Its catalog row in the same document decides (by national code, else by bare name, else a process
    named "<catalog name> (Trường hợp …)"), that row's group heading ("Thủ tục hành chính nội bộ cấp
    tỉnh") included; with no matching row, a catalog whose rows are all internal, else the decision's
    title ("Công bố thủ tục hành chính nội bộ ..."; a "quy trình nội bộ" of an ordinary TTHC is not one).
    """
    name = link_name(proc.name)
    code = code_key(proc.catalog_code) if proc.catalog_code else None
    matched = [e for e in catalog if code and e.code and code_key(e.code) == code]
    matched = matched or [e for e in catalog if link_name(e.name) == name]
    matched = matched or [e for e in catalog if _qualifies(name, link_name(e.name))]
    if matched:
        return matched[0].internal or bool(INTERNAL_TTHC.search(fold(matched[0].group or "")))
    if catalog and all(e.internal for e in catalog):
        return True
    return bool(INTERNAL_TTHC.search(" ".join(fold(normalize_line(title or "")).split())))


class CatalogLinks:
    """Catalog row -> its process: same document first, then national code, then bare name anywhere."""

    def __init__(self, processes: Iterable[ProcedureRow]) -> None:
        """Index the current process versions (by id: on equal keys, the later one wins)."""
        self.by_doc_code: dict[tuple[int, str], int] = {}
        self.by_doc_name: dict[tuple[int, str], int] = {}
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.doc_names: dict[int, list[tuple[str, int]]] = {}
        for p in processes:
            doc = p.document_id
            code = code_key(p.catalog_code) if p.catalog_code else None
            if code:
                self.by_doc_code.setdefault((doc, code), p.id)
                self.by_code[code] = p.id
            name = link_name(p.name_folded)
            self.by_doc_name.setdefault((doc, name), p.id)
            self.by_name[name] = p.id
            self.doc_names.setdefault(doc, []).append((name, p.id))

    def find(self, row: CatalogRow) -> int | None:
        """The id of the process this catalog row describes, if one is registered."""
        key = code_key(row.code) if row.code else None
        name = link_name(row.name_folded)
        doc = row.document_id
        if key and (doc, key) in self.by_doc_code:
            return self.by_doc_code[(doc, key)]
        if (doc, name) in self.by_doc_name:
            return self.by_doc_name[(doc, name)]
        for process_name, pid in self.doc_names.get(doc, ()):
            if _qualifies(process_name, name):
                return pid
        if key and key in self.by_code:
            return self.by_code[key]
        return self.by_name.get(name)


# --------------------------------------------------------------------------------------------------
# Events a decision brings.


def publisher(parsed: ParsedDocument) -> tuple[str | None, str | None]:
    """(by, note) of a document's events: the issuer acts, the signer is noted."""
    signer = parsed.signer
    signer_text = None
    if signer and signer.name:
        signer_text = "Người ký: " + signer.name + (f" ({signer.position})" if signer.position else "")
    by = parsed.issuer or (signer.name if signer else None)
    return by, signer_text


def published_event(parsed: ParsedDocument, by: str | None, note: str | None) -> Event:
    """The ``published`` event a decision gives each procedure it registers: on its date, by its number."""
    return Event(kind="published", on=parsed.issued_on or "", by=by, evidence=parsed.number, note=note)


def abolished_event(parsed: ParsedDocument, by: str | None, note: str | None) -> Event:
    """The ``abolished`` event an abolishing decision gives each procedure it matches."""
    return Event(kind="abolished", on=parsed.issued_on or "", by=by, evidence=parsed.number, note=note)


def already_published(evidence: Iterable[str | None], number: str | None) -> bool:
    """True when one of a procedure's ``published`` events of that day cites this decision number.

    Args:
        evidence: The evidence of the procedure's ``published`` events on the decision's date.
        number: The decision's number.
    """
    if not number:
        return False
    wanted = code_key(number)
    return any(e and code_key(e) == wanted for e in evidence)


def same_decision_file(parsed: ParsedDocument, path: str, versions: Sequence[ProcedureRow]) -> str | None:
    """The path of another file of the same decision already holding this key, if any.

    The same decision in another file (the .pdf of a .docx already registered) may read slightly
    differently: the first reading stays and the other is not a new version. Same decision means same
    number and date (the number names the issuer); a replaced text does not count.

    Args:
        parsed: The incoming document.
        path: The path it is registered under.
        versions: Every version of the key, by id.
    """
    if not parsed.number or not parsed.issued_on:
        return None
    wanted = code_key(parsed.number)
    for v in versions:
        if v.document_date != parsed.issued_on or v.document_path == path or v.replaced:
            continue
        if v.document_number and code_key(v.document_number) == wanted:
            return v.document_path
    return None


# --------------------------------------------------------------------------------------------------
# Versions.


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One version row to renumber: its new number, status and predecessor."""

    procedure_id: int
    version: int
    status: ProcedureStatus
    supersedes_id: int | None


@dataclass(frozen=True, slots=True)
class VersionPlan:
    """What ordering the versions of a key changes: events to append, then rows to renumber."""

    events: tuple[tuple[int, Event], ...]  # (procedure id, superseded event), in version order
    changes: tuple[VersionChange, ...]


def order_versions(versions: Sequence[ProcedureRow], parsed: ParsedDocument, by: str | None) -> VersionPlan:
    """Number the versions of one key by their document's date; all but the latest active are superseded.

    Args:
        versions: Every version of the key, by id (the one just registered included).
        parsed: The document just registered (its date and issuer stand in for an undated newer one).
        by: Who acts for that document (see ``publisher``).

    Returns:
        The ``superseded`` events (on the newer version's date, by its issuer, citing its number) and the
        rows whose version, status or predecessor change.
    """
    ordered = sorted(versions, key=lambda v: (_date_order(v.document_date), v.id))
    events: list[tuple[int, Event]] = []
    changes: list[VersionChange] = []
    previous: int | None = None
    for number, v in enumerate(ordered, 1):
        status = v.status
        if number < len(ordered) and status == "active":
            status = "superseded"
            newer = ordered[number]
            event = Event(
                kind="superseded",
                on=newer.document_date or parsed.issued_on or "",
                by=newer.issuer or by,
                evidence=newer.document_number,
                note=f"thay bằng phiên bản {number + 1}",
            )
            events.append((v.id, event))
        if (v.version, v.status, v.supersedes_id) != (number, status, previous):
            changes.append(VersionChange(v.id, number, status, previous))
        previous = v.id
    return VersionPlan(tuple(events), tuple(changes))


# --------------------------------------------------------------------------------------------------
# Abolition and catalog supersession.


def entry_abolishes(entry: CatalogEntry, document_change: str | None) -> bool:
    """A row abolishes when it says so, or when its decision abolishes and the row says nothing else."""
    return entry.change == "abolished" or (
        document_change == "abolished" and entry.change in (None, "abolished")
    )


class _Abolition:
    """What an abolished catalog row of one decision matches.

    A national code matches wherever it was published; a bare name only within the decision's issuer
    (another province's procedure of the same name is not abolished).
    """

    def __init__(self, entry: CatalogEntry, issuer: str | None) -> None:
        self.name = link_name(entry.name)
        self.code = code_key(entry.code) if entry.code else None
        self.who = issuer_key(issuer)

    def matches(self, code: str | None, name_folded: str, issuer: str | None) -> bool:
        if self.code and code and code_key(code) == self.code:
            return True
        same_issuer = not self.who or not issuer or issuer_key(issuer) == self.who
        return bool(self.name) and link_name(name_folded) == self.name and same_issuer


def abolished_procedures(
    entry: CatalogEntry, issuer: str | None, active: Sequence[ProcedureRow]
) -> list[int]:
    """Ids of the active procedures an abolished catalog row of ``issuer``'s decision matches."""
    rule = _Abolition(entry, issuer)
    return [p.id for p in active if rule.matches(p.catalog_code, p.name_folded, p.issuer)]


def abolished_catalog_rows(
    entry: CatalogEntry, issuer: str | None, active: Sequence[CatalogRow]
) -> list[int]:
    """Ids of the active catalog rows an abolished catalog row of ``issuer``'s decision matches."""
    rule = _Abolition(entry, issuer)
    return [c.id for c in active if rule.matches(c.code, c.name_folded, c.issuer)]


@dataclass(frozen=True, slots=True)
class CatalogSettlement:
    """An incoming catalog row against the registry: its own status, and the earlier rows it supersedes."""

    status: ProcedureStatus
    superseded: tuple[int, ...] = ()


def settle_catalog_row(
    entry: CatalogEntry, parsed: ParsedDocument, candidates: Sequence[CatalogRow]
) -> CatalogSettlement:
    """Settle an incoming catalog row against the same issuer's earlier rows of the same TTHC.

    Earlier rows (by decision date) become ``superseded``; when the registry already holds a later
    decision's row, the incoming one is the superseded one. A document without an issuer supersedes
    nothing.

    Args:
        entry: The incoming row.
        parsed: Its document.
        candidates: The active catalog rows of the same folded name or the same national code.
    """
    who = issuer_key(parsed.issuer)
    if not who:
        return CatalogSettlement("active")
    name = fold(normalize_line(entry.name))
    code = code_key(entry.code) if entry.code else None
    number = code_key(parsed.number) if parsed.number else None
    mine = _date_order(parsed.issued_on)
    status: ProcedureStatus = "active"
    superseded: list[int] = []
    for row in candidates:
        # The same decision read from another file (.docx and .pdf) counts as the same issuer whatever
        # its header reading gave.
        same_decision = bool(number and row.document_number and code_key(row.document_number) == number)
        if issuer_key(row.issuer) != who and not same_decision:
            continue
        if not ((code and row.code and code_key(row.code) == code) or row.name_folded == name):
            continue
        if _date_order(row.document_date) <= mine:
            superseded.append(row.id)
        else:
            status = "superseded"
    return CatalogSettlement(status, tuple(superseded))
