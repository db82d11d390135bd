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
- Documents. A document's identity is its number, issuer and issue date (a decision is one document
  whatever file it comes in); a document without a number is identified by its text. A file of a
  registered document is another rendering of it when what it says is the same, whitespace, line breaks
  and punctuation aside (a PDF breaks "hatinh.gov.vn" into "hati nh.gov.vn"); when a procedure or a
  catalog row says something else, the file is a new text of the document and those procedures new
  versions, each change named (``plan_copy``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from procreg.registry.models import (
    CatalogEntry,
    CatalogRow,
    DocumentRecord,
    Event,
    ParsedDocument,
    Procedure,
    ProcedureRow,
    ProcedureStatus,
    Target,
    to_jsonable,
)
from procreg.text import fold, normalize_line
from procreg.text.numbers import number_key
from procreg.text.vocabulary import INTERNAL_TTHC

__all__ = [
    "CatalogLinks",
    "CatalogSettlement",
    "CopyPlan",
    "VersionChange",
    "VersionPlan",
    "abolished_catalog_rows",
    "abolished_event",
    "abolished_procedures",
    "already_published",
    "code_key",
    "catalog_changes",
    "content_hash",
    "document_changes",
    "document_identity",
    "document_keys",
    "entry_abolishes",
    "is_internal",
    "issuer_key",
    "link_name",
    "order_versions",
    "plan_copy",
    "procedure_changes",
    "procedure_key",
    "published_event",
    "publisher",
    "same_issuer",
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


# --------------------------------------------------------------------------------------------------
# Documents: one per decision, whatever its format; a changed copy is a new text of it.


def document_identity(number: str | None, issued_on: str | None, text: str) -> str:
    """A document's identity key: ``no:<number key>|<date>``, else ``text:<hash of its folded text>``.

    The number key ignores spaces and accents (``3005/QD-UBND`` is ``3005/QĐ-UBND``). The issuer is not
    in the key: two documents of one key are the same when ``same_issuer`` says so (a header read
    without its issuer is not another decision). Without a number or a date (drafts, annex extracts: a
    number alone recurs every year) a document is identified by its text, whitespace and punctuation aside.
    """
    if number and number.strip() and issued_on:
        return f"no:{number_key(number)}|{issued_on}"
    return "text:" + hashlib.sha256(_squash(text).encode("utf-8")).hexdigest()


def same_issuer(a: str | None, b: str | None) -> bool:
    """Two issuers of one document number: equal (``UBND`` = ``Ủy ban nhân dân``), or one unread."""
    return not a or not b or issuer_key(a) == issuer_key(b)


def _squash(text: str | None) -> str:
    """Text as compared across renderings: folded, without whitespace or punctuation."""
    return re.sub(r"[\W_]+", "", fold(normalize_line(text or "")))


class _StepLike(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def responsible(self) -> tuple[str, ...]: ...
    @property
    def hours(self) -> float | None: ...
    @property
    def duration_text(self) -> str: ...
    @property
    def result(self) -> str | None: ...


class _ProcedureLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def code(self) -> str | None: ...
    @property
    def catalog_code(self) -> str | None: ...
    @property
    def time_limit(self) -> str | None: ...
    @property
    def steps(self) -> Sequence[_StepLike]: ...


def _quoted(text: str | None, limit: int = 40) -> str:
    text = " ".join((text or "").split())
    return "“" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "”"


def _differs(a: str | None, b: str | None) -> bool | None:
    """True when two readings say different things, None when one only stops short of the other, else False.

    A PDF may cut a cell at a page break or run its end into the next cell: a reading that is the other's
    beginning is a difference of reading, not of content.
    """
    x, y = _squash(a), _squash(b)
    if x == y:
        return False
    if x.startswith(y) or y.startswith(x):
        return None
    return True


def _compare(out: list[tuple[str, bool]], what: str, a: str | None, b: str | None) -> None:
    verdict = _differs(a, b)
    if verdict is not False:
        out.append((f"{what} {_quoted(a)} → {_quoted(b)}", bool(verdict)))


def _step_differences(label: str, old: _StepLike, new: _StepLike) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    _compare(out, f"bước {label}: nội dung", old.text, new.text)
    before, after = {_squash(u) for u in old.responsible}, {_squash(u) for u in new.responsible}
    if before != after:
        units = f"{_quoted('; '.join(old.responsible))} → {_quoted('; '.join(new.responsible))}"
        out.append((f"bước {label}: đơn vị {units}", not after <= before))
    if old.hours != new.hours and new.hours is not None:
        times = f"{_quoted(old.duration_text)} → {_quoted(new.duration_text)}"
        out.append((f"bước {label}: thời gian {times}", True))
    else:
        _compare(out, f"bước {label}: thời gian", old.duration_text, new.duration_text)
    _compare(out, f"bước {label}: kết quả", old.result, new.result)
    return out


def procedure_differences(old: _ProcedureLike, new: _ProcedureLike) -> list[tuple[str, bool]]:
    """Every difference between two readings of a procedure, in words.

    Each is marked True when it changes content, False when it is a difference of reading only (a cell
    cut short or run on, steps lost at the end, a unit not read). Whitespace, line breaks, case, accents
    and punctuation never count: renderings differ in them.
    """
    out: list[tuple[str, bool]] = []
    if _squash(link_name(old.name)) != _squash(link_name(new.name)):
        out.append((f"tên {_quoted(old.name)} → {_quoted(new.name)}", True))
    for label, a, b in (("ký hiệu", old.code, new.code), ("mã TTHC", old.catalog_code, new.catalog_code)):
        if _squash(a) != _squash(b):
            out.append((f"{label} {_quoted(a)} → {_quoted(b)}", bool(b)))
    _compare(out, "thời hạn", old.time_limit, new.time_limit)
    for n in range(max(len(old.steps), len(new.steps))):
        if n >= len(old.steps):
            out.append((f"thêm bước {new.steps[n].label or n + 1}: {_quoted(new.steps[n].text)}", True))
        elif n >= len(new.steps):
            out.append((f"thiếu bước {old.steps[n].label or n + 1}: {_quoted(old.steps[n].text)}", False))
        else:
            out += _step_differences(new.steps[n].label or str(n + 1), old.steps[n], new.steps[n])
    return out


def procedure_changes(old: _ProcedureLike, new: _ProcedureLike) -> tuple[str, ...]:
    """What a new reading of a procedure says differently, in words; empty when it says the same.

    Only differences of content count (``procedure_differences``); a reading that is merely shorter
    (a cell cut at a page break, the last steps lost) changes nothing.
    """
    return tuple(text for text, changes in procedure_differences(old, new) if changes)


_CATALOG_FIELDS = (
    ("mã TTHC", "code"),
    ("lĩnh vực", "field"),
    ("thời hạn", "time_limit"),
    ("cơ quan thực hiện", "agency"),
)


def catalog_changes(old: CatalogEntry, new: CatalogEntry) -> tuple[str, ...]:
    """What a new reading of a catalog row says differently (same rule as ``procedure_changes``)."""
    out: list[str] = []
    if _squash(link_name(old.name)) != _squash(link_name(new.name)):
        out.append(f"tên {_quoted(old.name)} → {_quoted(new.name)}")
    for label, attr in _CATALOG_FIELDS:
        if _differs(getattr(old, attr), getattr(new, attr)):
            out.append(f"{label} {_quoted(getattr(old, attr))} → {_quoted(getattr(new, attr))}")
    return tuple(out)


def _targets_text(targets: Iterable[Target]) -> list[str]:
    return sorted(f"{t.section}: {t.value:g}{t.unit} ({t.qualifier})" for t in targets)


def document_changes(
    old: DocumentRecord, old_targets: Sequence[Target], new: ParsedDocument
) -> tuple[str, ...]:
    """What a new reading of a document says differently outside its procedures and catalog, in words.

    The title, the change it makes (new, amended, abolished), its order to publicize (what the audit
    takes as công khai) and its targets (what the audit measures against).
    """
    out: list[str] = []
    if _differs(old.title, new.title):
        out.append(f"trích yếu {_quoted(old.title)} → {_quoted(new.title)}")
    if (old.change_type or None) != (new.change_type or None):
        out.append(f"loại thay đổi {_quoted(old.change_type)} → {_quoted(new.change_type)}")
    # Whether it orders công khai at all (renderings may quote another sentence of the same order).
    if bool(old.orders_publicizing) != bool(new.orders_publicizing):
        out.append(
            f"điều khoản công khai {_quoted(old.orders_publicizing)} → {_quoted(new.orders_publicizing)}"
        )
    before, after = _targets_text(old_targets), _targets_text(new.targets)
    if before != after:
        removed = [t for t in before if t not in after]
        added = [t for t in after if t not in before]
        out.append(f"chỉ tiêu {_quoted('; '.join(removed))} → {_quoted('; '.join(added))}")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CopyPlan:
    """What another file of a registered document brings, against what the registry holds for it.

    ``changed``: incoming position -> (registered procedure id, what changed); ``added``: incoming
    positions of procedures the registry lacks and may take (nothing registered is left unmatched);
    ``unmatched``: incoming names that match nothing while registered ones are left over (not taken);
    ``missing``: registered names this file does not have; ``catalog_changes``: catalog rows that say
    something else; ``losses``: what the file reads short of the registered text (kept as registered).
    """

    changed: dict[int, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    same: int = 0
    losses: tuple[str, ...] = ()
    added: tuple[int, ...] = ()
    unmatched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    catalog_changes: tuple[str, ...] = ()
    catalog_added: tuple[str, ...] = ()
    document_changes: tuple[str, ...] = ()

    @property
    def is_rendering(self) -> bool:
        """True when the file says what the registered text says: one more rendering, nothing new."""
        return not (
            self.changed or self.added or self.catalog_changes or self.catalog_added or self.document_changes
        )


def _pair_leftovers(
    incoming: dict[int, tuple[str, Procedure]], registered: dict[str, tuple[int, _ProcedureLike]]
) -> list[tuple[int, str]]:
    """Pairs of (incoming position, registered key) whose names are nearly the same (keys read apart)."""
    pairs: list[tuple[int, str]] = []
    free = dict(registered)
    for pos, (_, proc) in sorted(incoming.items()):
        name = _squash(link_name(proc.name))
        best, score = None, 0.0
        for key, (_, reg) in free.items():
            ratio = difflib.SequenceMatcher(None, name, _squash(link_name(reg.name))).ratio()
            same_code = bool(proc.code and reg.code and code_key(proc.code) == code_key(reg.code))
            if same_code or ratio > max(score, 0.9):
                best, score = key, 2.0 if same_code else ratio
        if best is not None:
            pairs.append((pos, best))
            del free[best]
    return pairs


def plan_copy(
    procedures: Sequence[Procedure],
    keys: Sequence[str],
    registered: Mapping[str, tuple[int, _ProcedureLike]],
    catalog: Sequence[CatalogEntry],
    registered_catalog: Sequence[CatalogEntry],
    document: tuple[str, ...] = (),
) -> CopyPlan:
    """Compare another file of a registered document with what the registry holds for that document.

    Args:
        procedures: the file's procedures, in order.
        keys: their keys (``document_keys`` with the registered document's issuer).
        registered: key -> (procedure id, current version) of the procedures the document registered.
        catalog: the file's catalog rows.
        registered_catalog: the catalog rows the document registered.
        document: what the file says differently outside them (``document_changes``).
    """
    changed: dict[int, tuple[int, tuple[str, ...]]] = {}
    same = 0
    losses: list[str] = []
    left_in: dict[int, tuple[str, Procedure]] = {}
    left_reg = dict(registered)
    pairs: list[tuple[int, str]] = []
    for pos, (proc, key) in enumerate(zip(procedures, keys, strict=True)):
        if key in left_reg:
            pairs.append((pos, key))
        else:
            left_in[pos] = (key, proc)
    for pos, key in _pair_leftovers(
        left_in, {k: v for k, v in left_reg.items() if k not in dict(pairs).values()}
    ):
        left_in.pop(pos)
        pairs.append((pos, key))
    for pos, key in sorted(pairs):
        pid, reg = left_reg.pop(key)
        differences = procedure_differences(reg, procedures[pos])
        diff = tuple(text for text, changes in differences if changes)
        if diff:
            changed[pos] = (pid, diff)
        else:
            same += 1
            label = reg.code or _quoted(reg.name)
            losses += [f"{label}: {text}" for text, _ in differences]
    added = tuple(sorted(left_in)) if not left_reg else ()
    unmatched = tuple(left_in[p][1].name for p in sorted(left_in)) if left_reg else ()
    cat_changes, cat_added = _catalog_plan(catalog, registered_catalog)
    return CopyPlan(
        changed=changed,
        same=same,
        losses=tuple(losses),
        added=added,
        unmatched=unmatched,
        missing=tuple(reg.name for _, reg in left_reg.values()),
        catalog_changes=cat_changes,
        catalog_added=cat_added,
        document_changes=document,
    )


def _catalog_plan(
    catalog: Sequence[CatalogEntry], registered: Sequence[CatalogEntry]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Catalog rows that say something else (in words), and rows the registered text lacks."""
    by_code = {code_key(e.code): e for e in registered if e.code}
    by_name = {_squash(link_name(e.name)): e for e in registered}
    changes: list[str] = []
    added: list[str] = []
    for entry in catalog:
        old = by_code.get(code_key(entry.code)) if entry.code else None
        old = old or by_name.get(_squash(link_name(entry.name)))
        if old is None:
            added.append(entry.name)
            continue
        changes += [f"danh mục {_quoted(entry.name)}: {c}" for c in catalog_changes(old, entry)]
    return tuple(changes), tuple(added)


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
