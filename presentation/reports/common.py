"""What every format of the audit report shares: labels, figures and the rows of its tables.

Vietnamese labels throughout; numbers use the decimal comma (``90,2%``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from procreg.presentation.common import vn_percent
from procreg.procedures.audit import (
    MISSING_LABELS,
    VERB_LABELS,
    AuditReport,
    Coverage,
    Finding,
    GroupCoverage,
    ItemResult,
    Proof,
)
from procreg.text import fold
from procreg.text.dates import vn_date

__all__ = [
    "CHECK_LABELS",
    "DELIVERABLES",
    "DOCX_TITLE",
    "EVIDENCE_HEAD",
    "FINDING_HEAD",
    "GAP_HEAD",
    "GROUP_HEAD",
    "SUMMARY_HEAD",
    "citation",
    "REASONS",
    "SEVERITY",
    "check_label",
    "cov",
    "evidence_rows",
    "finding_rows",
    "gap_label",
    "gap_rows",
    "gaps",
    "group_rows",
    "missing_text",
    "pct",
    "period_text",
    "subject",
    "summary_rows",
    "target_text",
    "verdict",
]

DOCX_TITLE = "BÁO CÁO KẾT QUẢ RÀ SOÁT, CÔNG BỐ, CÔNG KHAI THỦ TỤC HÀNH CHÍNH NỘI BỘ"
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
# What each check looks for, in the office's words (the id stays beside it: scripts and --json use it).
CHECK_LABELS: dict[str, str] = {
    "catalog_without_process": "Danh mục chưa có quy trình nội bộ",
    "cites_repealed": "Căn cứ pháp lý đã bị bãi bỏ",
    "duplicate_code": "Trùng ký hiệu quy trình",
    "history_broken": "Lịch sử sự kiện không nguyên vẹn",
    "missing_code": "Thiếu ký hiệu quy trình",
    "missing_issue_date": "Thiếu ngày ban hành",
    "missing_version": "Thiếu lần ban hành",
    "plan_iso_edition": "Phiên bản ISO 9001 trong kế hoạch",
    "plan_percent_over_100": "Tỷ lệ trong kế hoạch vượt 100%",
    "plan_repeated_section": "Số mục kế hoạch lặp lại",
    "process_without_catalog": "Quy trình chưa có trong Danh mục",
    "review_overdue": "Quá hạn rà soát",
    "step_without_unit": "Bước chưa giao đơn vị",
    "time_over_limit": "Tổng thời gian các bước vượt thời hạn",
}
REASONS = {
    "abolished": "đã bãi bỏ",
    "withdrawn": "đã thu hồi",
    "not_internal": "không phải TTHC/quy trình nội bộ",
    "not_yet_registered": "chưa có tại thời điểm đánh giá",
}
DELIVERABLES = {"catalog": "Danh mục", "process": "Quy trình nội bộ", "both": "Cả Danh mục và Quy trình"}
GROUP_HEAD = ["Rà soát", "Công bố", "Công khai", "Đạt cả 3", "Tỷ lệ"]
EVIDENCE_HEAD = ["Ký hiệu", "Tên thủ tục/quy trình", "Nội dung", "Căn cứ (văn bản, ngày)", "Vị trí"]
GAP_HEAD = ["Ký hiệu", "Tên thủ tục/quy trình", "Đơn vị", "Còn thiếu"]
FINDING_HEAD = ["Mức", "Kiểm tra", "Đối tượng", "Nội dung"]
SUMMARY_HEAD = ["Nội dung", "Kết quả"]
# The type word of a document number's symbol (``45/QĐ-SNgV``, ``84/2025/QĐ-UBND``), for citations.
_NUMBER = re.compile(r"^\s*\d+[a-zA-Z]?\s*/\s*(?:\d{4}\s*/\s*)?(?P<type>[A-Za-zĐđ]+)\s*-\s*\S")
_TYPE_WORDS = {  # by the folded, upper-case type code: QD = QĐ
    "QD": "Quyết định",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CT": "Chỉ thị",
    "TTR": "Tờ trình",
    "TB": "Thông báo",
    "NQ": "Nghị quyết",
    "HD": "Hướng dẫn",
    "CD": "Công điện",
    "ND": "Nghị định",
    "TT": "Thông tư",
}


def check_label(check: str) -> str:
    """A check in the office's words (``Quá hạn rà soát``); its id stays in the JSON only."""
    return CHECK_LABELS.get(check) or check


def pct(value: float) -> str:
    """A percentage with one decimal: ``90,2%``."""
    return vn_percent(value, digits=1)


def cov(c: Coverage) -> str:
    """``covered/in scope (percent)``."""
    return f"{c.covered}/{c.in_scope} ({pct(c.percent)})"


def verdict(report: AuditReport) -> str:
    """Đạt, Chưa đạt, or no target to compare with."""
    if report.passed is None:
        return "Chưa xác định chỉ tiêu"
    return "Đạt" if report.passed else "Chưa đạt"


#: What a report says when it has no target to measure against (no plan sets one, none was given).
NO_TARGET = "chưa xác định chỉ tiêu"


def target_text(report: AuditReport) -> str:
    """The target and where it comes from."""
    t = report.target
    if t.value is None:
        return NO_TARGET
    return f"{pct(t.value)} — {t.source}" if t.source else pct(t.value)


def period_text(report: AuditReport) -> str:
    """The period, and the as-of date when there is one."""
    text = f"{vn_date(report.period_from)} – {vn_date(report.period_to)}"
    if report.as_of:
        text += f" (dữ liệu tính đến ngày {vn_date(report.as_of)})"
    return text


def missing_text(item: ItemResult) -> str:
    """What an item still lacks, in words; undated proof is named, as not counted."""
    text = "; ".join(MISSING_LABELS[v] for v in item.missing)
    undated = [p for p in item.undated if p.verb in item.missing]
    if undated:
        listed = ", ".join(f"{p.document} ({VERB_LABELS[p.verb].lower()})" for p in undated)
        text += f" (có bằng chứng không ghi ngày, không tính: {listed})"
    return text


def gap_label(item: ItemResult) -> str:
    """An item of the gap list: its handle (what ``procreg review`` takes), then its code and name."""
    if item.handle and item.handle != item.code:
        return f"{item.handle} {subject(item)}"
    return subject(item)


def subject(item: ItemResult) -> str:
    """Code and name of an item."""
    return f"{item.code} {item.name}" if item.code else item.name


def gaps(report: AuditReport) -> list[ItemResult]:
    """The in-scope items not covered."""
    return [i for i in report.items if not i.covered]


def group_rows(groups: Sequence[GroupCoverage]) -> list[list[str]]:
    """Rows of a per-unit or per-field table: name, total, the three verbs, covered, percentage."""
    return [
        [
            g.name,
            str(g.coverage.in_scope),
            str(g.reviewed),
            str(g.published),
            str(g.publicized),
            str(g.coverage.covered),
            pct(g.coverage.percent),
        ]
        for g in groups
    ]


def summary_rows(report: AuditReport) -> list[list[str]]:
    """Rows of the summary table (Nội dung, Kết quả)."""
    rows = [["Tổng số TTHC/quy trình nội bộ trong phạm vi", str(report.coverage.in_scope)]]
    internal = sum(i.tthc_internal for i in report.items)
    rows.append(["– trong đó TTHC nội bộ (giữa các cơ quan hành chính nhà nước)", str(internal)])
    for verb in ("reviewed", "published", "publicized"):
        rows.append([f"Đã {VERB_LABELS[verb].lower()}", str(report.verbs.get(verb, 0))])
    rows.append(["Đạt cả ba (rà soát, công bố, công khai)", cov(report.coverage)])
    for key in ("catalog", "process", "both"):
        rows.append([DELIVERABLES[key], cov(report.deliverables[key])])
    rows.append(["Chỉ tiêu", target_text(report)])
    rows.append(["Đánh giá", verdict(report)])
    return rows


def gap_rows(report: AuditReport) -> list[list[str]]:
    """Rows of the gaps table: handle (the code, else ``#12`` / ``#DM7``), name, unit, what is missing."""
    return [
        [item.handle or item.code or "", item.name, item.unit, missing_text(item)] for item in gaps(report)
    ]


def finding_rows(findings: Sequence[Finding]) -> list[list[str]]:
    """Rows of the findings table: severity, check, subject, message."""
    return [
        [SEVERITY.get(f.severity, f.severity), check_label(f.check), f.subject, f.message] for f in findings
    ]


def _with_type(number: str) -> str:
    """``45/QĐ-SNgV`` -> ``Quyết định số 45/QĐ-SNgV``: the type word from the symbol, else ``Văn bản số``."""
    m = _NUMBER.match(number)
    word = _TYPE_WORDS.get(fold(m.group("type")).upper(), "Văn bản") if m else "Văn bản"
    return f"{word} số {number}"


def citation(p: Proof) -> str:
    """How a report cites a proof: ``Quyết định số 45/QĐ-SNgV ngày 15/03/2023``, never a file name.

    A registered document is cited by its number and issue date, or by its title when it has no number;
    an event by what it records (or the document number it names) and the day it happened.
    """
    if p.source == "document":
        if p.number:
            name = _with_type(p.number)
        elif p.title:
            name = f"Văn bản không số “{p.title}”"
        else:
            name = "Văn bản không số, không có trích yếu"
    else:
        name = _with_type(p.document) if _NUMBER.match(p.document) else p.document
    return f"{name} ngày {vn_date(p.date)}" if p.date else f"{name} (không ghi ngày)"


def evidence_rows(report: AuditReport) -> list[list[str]]:
    """Rows of the evidence table: code, name, verb, the cited document or event with its date, where."""
    rows: list[list[str]] = []
    for item in report.items:
        for p in item.evidence:
            rows.append([item.code or "", item.name, VERB_LABELS[p.verb], citation(p), p.where or ""])
    return rows
