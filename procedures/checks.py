"""Document-control checks (ISO 9001:2015 clause 7.5), consistency checks and plan lint.

Pure functions over registry records; each returns ``Finding`` records (``procedures.audit``):

- ``check_procedures``: review overdue (7.5.2 c, review and approval), Σ counted step time above the
  legal limit, steps without a responsible unit, missing code or issue date (7.5.2 a, identification),
  citations of documents the registry knows to be replaced or repealed (7.5.3.2 d, obsolete documents),
  duplicate codes.
- ``check_deliverables``: catalog entries without a process and processes without a catalog entry.
- ``lint_plan``: repeated section numbers, percentages above 100, ISO 9001 editions that do not exist.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from procreg.procedures.audit import AuditItem, Finding
from procreg.procedures.scope import live_events
from procreg.registry.models import DocumentRecord, ProcedureRecord, Section
from procreg.text import fold
from procreg.text.numbers import number_key

__all__ = [
    "ISO_9001_EDITIONS",
    "Repeal",
    "check_deliverables",
    "check_procedures",
    "lint_plan",
    "months_before",
    "repealed_documents",
]


ISO_9001_EDITIONS = (1987, 1994, 2000, 2008, 2015)
_EPS = 1e-6


@dataclass(frozen=True, slots=True, kw_only=True)
class Repeal:
    """A document the registry knows to be replaced or repealed, and by what."""

    number: str
    by: str  # number of the replacing/repealing document
    by_date: str | None
    how: str  # "thay thế" | "bãi bỏ" | "hết hiệu lực"


_NUMBER = re.compile(
    r"\b\d{1,5}\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ]{1,6}\s*-\s*[A-ZĐ][A-Za-zĐđ0-9&]*(?:-[A-ZĐ][A-Za-zĐđ0-9&]*)*"
)
_SENTENCE = re.compile(r"[^.;\n]*(?:\.(?=\d)[^.;\n]*)*")
_REPEAL_WORDS = (("thay the", "thay thế"), ("bai bo", "bãi bỏ"), ("het hieu luc", "hết hiệu lực"))


def months_before(iso: str, months: int) -> str:
    """The ISO date ``months`` months before ``iso`` (day clamped to the month's end)."""
    d = date.fromisoformat(iso)
    total = d.year * 12 + (d.month - 1) - months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day).isoformat()


def repealed_documents(documents: Sequence[DocumentRecord]) -> dict[str, Repeal]:
    """Documents named in a sentence that replaces or repeals them (``thay thế``, ``bãi bỏ``).

    Returns a map from the normalised number to the repeal. A document never repeals itself.
    """
    out: dict[str, Repeal] = {}
    for doc in sorted(documents, key=lambda d: (d.issued_on or "", d.id)):
        if not doc.text:
            continue
        own = number_key(doc.number) if doc.number else None
        for sentence in _SENTENCE.findall(doc.text):
            folded = fold(sentence)
            how = next((label for key, label in _REPEAL_WORDS if key in folded), None)
            if how is None or "/" not in sentence:
                continue
            # Only numbers after the repeal verb: "Quyết định này thay thế ... Quyết định số 1740/QĐ-UBND".
            verb_at = min(folded.find(key) for key, _ in _REPEAL_WORDS if key in folded)
            for m in _NUMBER.finditer(sentence, verb_at):
                num = number_key(m.group(0))
                if num == own:
                    continue
                out[num] = Repeal(
                    number=m.group(0).replace(" ", ""),
                    by=doc.number or f"#{doc.id}",
                    by_date=doc.issued_on,
                    how=how,
                )
    return out


def _subject(p: ProcedureRecord) -> str:
    return f"{p.code} {p.name}" if p.code else p.name


def check_procedures(
    procedures: Sequence[ProcedureRecord],
    *,
    today: str,
    review_months: int = 12,
    repealed: Mapping[str, Repeal] | None = None,
    editions: Mapping[int, str | None] | None = None,
) -> list[Finding]:
    """Run the per-procedure checks on the current, active procedures.

    Args:
        procedures: current versions (abolished/withdrawn ones are skipped).
        today: the reference day for review intervals (the as-of date or today, passed in).
        review_months: review interval in months (ISO 9001 7.5.2: documents are reviewed and approved).
        repealed: result of ``repealed_documents``.
        editions: procedure id -> its printed edition (Lần ban hành), for the procedures that are
            stand-alone ISO documents and so must carry one; ``None`` marks a missing edition.
    """
    findings: list[Finding] = []
    repealed = repealed or {}
    due_before = months_before(today, review_months)
    by_code: dict[str, list[ProcedureRecord]] = defaultdict(list)
    for p in procedures:
        if p.status in ("abolished", "withdrawn", "superseded"):
            continue
        subject = _subject(p)
        if p.code:
            code = p.code.upper()
            by_code[code if code.isascii() else fold(code).upper()].append(p)
        findings += _review_findings(p, subject, today=today, due_before=due_before, months=review_months)
        if p.kind == "process":
            findings += _step_findings(p, subject)
        findings += _identification_findings(p, subject, editions)
        findings += _repeal_findings(p, subject, repealed)
    findings += _duplicate_codes(by_code)
    return findings


def _identification_findings(
    p: ProcedureRecord, subject: str, editions: Mapping[int, str | None] | None
) -> list[Finding]:
    """ISO 9001:2015 7.5.2 a (identification): a process code, the printed edition, the issue date."""
    out: list[Finding] = []
    if p.kind == "process" and not p.code:
        out.append(
            Finding(
                check="missing_code",
                severity="warning",
                subject=subject,
                message="quy trình không có ký hiệu (ISO 9001:2015 7.5.2 a: nhận biết tài liệu)",
            )
        )
    if editions is not None and p.id in editions and not editions[p.id]:
        out.append(
            Finding(
                check="missing_version",
                severity="warning",
                subject=subject,
                message="tài liệu ISO không ghi lần ban hành (ISO 9001:2015 7.5.2 a)",
            )
        )
    if not p.document_date:
        issued_by = f" (văn bản {p.document_number})" if p.document_number else " (không có văn bản ban hành)"
        out.append(
            Finding(
                check="missing_issue_date",
                severity="warning",
                subject=subject,
                message=f"không rõ ngày ban hành{issued_by} (ISO 9001:2015 7.5.2 a)",
            )
        )
    return out


def _repeal_findings(p: ProcedureRecord, subject: str, repealed: Mapping[str, Repeal]) -> list[Finding]:
    """ISO 9001:2015 7.5.3.2 d (obsolete documents): legal bases since replaced or repealed."""
    out: list[Finding] = []
    for cited in sorted(set(p.cites)):
        rep = repealed.get(number_key(cited))
        if rep is None or (
            p.document_number is not None and number_key(p.document_number) == number_key(rep.by)
        ):
            continue  # a procedure is never obsolete by the decision that publishes it
        when = f" ngày {rep.by_date}" if rep.by_date else ""
        out.append(
            Finding(
                check="cites_repealed",
                severity="warning",
                subject=subject,
                message=f"căn cứ văn bản {cited} đã bị {rep.how} bởi {rep.by}{when} "
                "(ISO 9001:2015 7.5.3.2 d)",
            )
        )
    return out


def _duplicate_codes(by_code: Mapping[str, Sequence[ProcedureRecord]]) -> list[Finding]:
    """One code used by procedures of different identities."""
    out: list[Finding] = []
    for rows in by_code.values():
        keys = {p.key for p in rows}
        if len(keys) > 1:
            names = "; ".join(sorted({p.name for p in rows}))
            out.append(
                Finding(
                    check="duplicate_code",
                    severity="error",
                    subject=rows[0].code or "",
                    message=f"ký hiệu dùng cho {len(keys)} quy trình khác nhau: {names}",
                )
            )
    return out


def _review_findings(
    p: ProcedureRecord, subject: str, *, today: str, due_before: str, months: int
) -> list[Finding]:
    reviews = sorted(e.on for e in live_events(p.events) if e.kind == "reviewed" and e.on <= today)
    if reviews:
        last = reviews[-1]
        if last < due_before:
            return [
                Finding(
                    check="review_overdue",
                    severity="warning",
                    subject=subject,
                    message=f"rà soát lần cuối ngày {last}, quá {months} tháng (ISO 9001:2015 7.5.2 c)",
                )
            ]
        return []
    baseline = p.document_date
    if baseline is None or baseline < due_before:
        since = f" kể từ ngày ban hành {baseline}" if baseline else ""
        return [
            Finding(
                check="review_overdue",
                severity="warning",
                subject=subject,
                message=f"chưa được rà soát{since}; chu kỳ {months} tháng (ISO 9001:2015 7.5.2 c)",
            )
        ]
    return []


def _fmt_hours(h: float) -> str:
    days = h / 8
    text = f"{days:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} ngày làm việc ({h:g} giờ)"


def _step_findings(p: ProcedureRecord, subject: str) -> list[Finding]:
    out: list[Finding] = []
    counted = sum(s.hours for s in p.steps if s.hours is not None)
    if p.time_limit_hours is not None and p.steps and counted > p.time_limit_hours + _EPS:
        out.append(
            Finding(
                check="time_over_limit",
                severity="error",
                subject=subject,
                message=f"tổng thời gian các bước {_fmt_hours(counted)} vượt thời hạn giải quyết "
                f"{_fmt_hours(p.time_limit_hours)} ({p.time_limit or 'theo quy định'})",
            )
        )
    for s in p.steps:
        if not s.responsible and not s.responsible_text.strip():
            out.append(
                Finding(
                    check="step_without_unit",
                    severity="warning",
                    subject=subject,
                    message=f"bước {s.label or s.order} chưa xác định đơn vị/người thực hiện",
                )
            )
    return out


def check_deliverables(items: Iterable[AuditItem]) -> list[Finding]:
    """Catalog entries without a process, and processes without a catalog entry (active items only)."""
    out: list[Finding] = []
    for item in items:
        if item.status in ("abolished", "withdrawn") or not item.internal:
            continue
        subject = f"{item.code} {item.name}" if item.code else item.name
        if item.catalog and not item.process:
            out.append(
                Finding(
                    check="catalog_without_process",
                    severity="warning",
                    subject=subject,
                    message="có trong Danh mục nhưng chưa có Quy trình nội bộ",
                )
            )
        elif item.process and not item.catalog:
            out.append(
                Finding(
                    check="process_without_catalog",
                    severity="info",
                    subject=subject,
                    message="có Quy trình nội bộ nhưng không có trong Danh mục đã công bố",
                )
            )
    return out


_ROMAN_NUMBER = re.compile(r"[IVXLC]+")
_ARABIC_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*")
_PERCENT = re.compile(r"(?<![\d,.])(?P<v>\d{1,4}(?:[.,]\d+)?)\s*%")
_ISO = re.compile(r"ISO\s*9001\s*[:：]\s*(?P<y>\d{4})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Heading:
    """A numbered heading as the plan lint names places: ``II``, ``II.7``, ``III.7.2``."""

    line: int  # 1-based line of the plan text
    roman: str  # the enclosing part (I., II., ...), "" before the first
    arabic: str  # the numbered item as printed (7., 7.2.), "" for a part's own heading


def _headings(sections: Iterable[Section], roman: str = "", arabic: str = "") -> Iterator[_Heading]:
    """Part and item headings in tree order; lettered points and articles stay inside their item."""
    for s in sections:
        r, a = roman, arabic
        if _ROMAN_NUMBER.fullmatch(s.number):
            r, a = s.number, ""
        elif _ARABIC_NUMBER.fullmatch(s.number):
            a = s.number
        if (r, a) != (roman, arabic) and s.source is not None and s.source.para is not None:
            yield _Heading(line=s.source.para, roman=r, arabic=a)
        yield from _headings(s.children, r, a)


def _repeated_sections(number: str, heads: Sequence[_Heading], lines: Sequence[str]) -> list[Finding]:
    """A part number used twice in the plan, or an item number used twice in one part."""
    out: list[Finding] = []
    seen: dict[tuple[str, str], int] = {}
    for h in heads:
        first = seen.setdefault((h.roman, h.arabic), h.line)
        if first == h.line:
            continue
        if not h.arabic:
            text = lines[h.line - 1].strip()[:80]
            where, extra = h.roman, f": {text}"
        else:
            where, extra = f"{h.roman}.{h.arabic}" if h.roman else h.arabic, ""
        out.append(
            Finding(
                check="plan_repeated_section",
                severity="warning",
                subject=f"{number} mục {where}",
                message=f"số mục {where} lặp lại (dòng {first} và dòng {h.line}){extra}",
            )
        )
    return out


def _line_findings(number: str, path: str, line: str, editions: dict[int, str]) -> list[Finding]:
    """Percentages above 100 and ISO 9001 editions that never existed, in one line of section ``path``."""
    out: list[Finding] = []
    for pm in _PERCENT.finditer(line):
        if float(pm["v"].replace(",", ".")) > 100:
            out.append(
                Finding(
                    check="plan_percent_over_100",
                    severity="error",
                    subject=f"{number} mục {path}",
                    message=f"tỷ lệ {pm['v']}% lớn hơn 100%",
                )
            )
    for im in _ISO.finditer(line):
        year = int(im["y"])
        editions.setdefault(year, path)
        if year not in ISO_9001_EDITIONS:
            known = ", ".join(str(y) for y in ISO_9001_EDITIONS)
            out.append(
                Finding(
                    check="plan_iso_edition",
                    severity="error",
                    subject=f"{number} mục {path}",
                    message=f"“{im.group(0)}”: không có phiên bản ISO 9001 năm {year} "
                    f"(các phiên bản: {known}); có lẽ là ISO 9001:2015",
                )
            )
    return out


def lint_plan(number: str, sections: Sequence[Section], text: str) -> list[Finding]:
    """Lint a plan: repeated section numbers, percentages above 100, non-existent ISO 9001 editions.

    Args:
        number: the plan's number (or file name), the subject of the findings.
        sections: the plan's numbered sections as the parser reads them from ``text``, one paragraph
            per line (``source.para`` is the line number; ``registry.service.auditing.plan_sections``).
        text: the plan's text: findings say where, by section ("II.7: ISO 9001: 2018 ...") and line.
    """
    lines = text.splitlines()
    heads = sorted(_headings(sections), key=lambda h: h.line)
    out = _repeated_sections(number, heads, lines)
    at = {h.line: h for h in heads}
    path = "(đầu văn bản)"
    editions: dict[int, str] = {}
    for n, raw_line in enumerate(lines, start=1):
        head = at.get(n)
        if head is not None:
            path = ".".join(p for p in (head.roman, head.arabic) if p)
        out += _line_findings(number, path, raw_line.strip(), editions)
    if len(editions) > 1:
        listed = "; ".join(f"{y} ở mục {p}" for y, p in sorted(editions.items()))
        out.append(
            Finding(
                check="plan_iso_edition",
                severity="info",
                subject=number,
                message=f"kế hoạch nêu nhiều phiên bản ISO 9001 khác nhau: {listed}",
            )
        )
    return out
