"""Procedures for people and for scripts: the ``list`` table, the ``show`` page, lifecycle lines, JSON.

Text is laid out for 100 columns whatever the terminal; the JSON documents keep their keys and order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from procreg.presentation.common import HOURS_PER_DAY, WIDTH, vn_number, wrap
from procreg.registry.models import CatalogRecord, Event, ProcedureRecord, Step
from procreg.registry.results import HistoryCheck, ProcedureView, Recorded

__all__ = [
    "format_history_warning",
    "format_hours",
    "format_list",
    "format_recorded",
    "format_show",
    "history_json",
    "list_json",
    "recorded_json",
    "show_json",
]

STATUS_VI = {
    "active": "hiệu lực",
    "superseded": "đã thay thế",
    "abolished": "bãi bỏ",
    "withdrawn": "thu hồi",
}
EVENT_VI = {
    "ingested": "nhập",
    "reviewed": "rà soát",
    "published": "công bố",
    "publicized": "công khai",
    "superseded": "bị thay thế",
    "withdrawn": "thu hồi",
    "abolished": "bãi bỏ",
    "restored": "khôi phục",
    "cancelled": "hủy",
}
_SIGNATURES = (("Soạn thảo", "drafted_by"), ("Kiểm tra", "checked_by"), ("Phê duyệt", "approved_by"))


def _status(status: str) -> str:
    return STATUS_VI.get(status, status)


def format_hours(hours: float | None) -> str:
    """Working hours in Vietnamese: ``20 giờ``, ``4 giờ (0,5 ngày)``, ``160 giờ (20 ngày)``."""
    if hours is None:
        return "không tính"
    text = vn_number(hours) + " giờ"
    days = hours / HOURS_PER_DAY
    if hours >= HOURS_PER_DAY / 2:
        text += " (" + f"{days:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " ngày)"
    return text


# --------------------------------------------------------------------------------------------------
# list


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
        hours = vn_number(counted) if any(s.hours is not None for s in r.steps) else "-"
        prefix = (
            f"{'#' + str(r.id):<{id_w}}  {code:<{code_w}}  {r.version:>2}  "
            f"{_status(r.status):<11}  {len(r.steps):>4}  {hours:>6}  "
        )
        lines.extend(wrap(r.name, indent=" " * name_col, first=prefix, width=width))
        extra = [x for x in (r.field, r.document_number) if x]
        if extra:
            lines.extend(wrap(" · ".join(extra), indent=" " * name_col, width=width))
    lines.insert(1, "-" * min(width, max(len(line) for line in lines)))
    lines.append("")
    lines.append(f"{len(records)} thủ tục")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# show


def format_show(view: ProcedureView, *, width: int = WIDTH) -> str:
    """One procedure for people: fields, steps with units and times, Σ vs legal limit, versions, events."""
    r = view.record
    title = f"{r.code} — {r.name}" if r.code else r.name
    lines = wrap(title, indent="  ", width=width)
    lines.append("=" * min(width, max(len(x) for x in lines)))
    lines += _show_header(view, width)
    lines += _show_contents(view.details, width)
    lines += _show_steps(view, width)
    lines += _show_list("Biểu mẫu:", r.forms, width)
    kept = [str(x) for x in view.details.get("records", []) if str(x).strip()]
    lines += _show_list("Hồ sơ lưu:", kept, width)
    lines += _show_history(view, width)
    return "\n".join(line.rstrip() for line in lines)


def _show_header(view: ProcedureView, width: int) -> list[str]:
    """The labelled rows under the title: codes, field, version, decision, issuer, limit, units, ISO."""
    r, d = view.record, view.details
    doc = " ".join(
        x for x in (r.document_number, f"ngày {r.document_date}" if r.document_date else None) if x
    )
    signatures = [f"{k}: {d[key]}" for k, key in _SIGNATURES if d.get(key)]
    rows = (
        ("Mã quy trình:", r.code),
        ("Mã TTHC:", r.catalog_code),
        ("Lĩnh vực:", r.field),
        ("Phiên bản:", f"{r.version} ({_status(r.status)})"),
        ("Văn bản:", doc or None),
        ("Cơ quan ban hành:", r.issuer),
        ("Thời hạn:", r.time_limit),
        ("Đơn vị:", "; ".join(r.units) if r.units else None),
        ("Lần ban hành:", d.get("edition")),
        ("Ngày hiệu lực:", d.get("effective_on")),
        ("Ký duyệt:", "; ".join(signatures) if signatures else None),
    )
    lines: list[str] = []
    for label, value in rows:
        if value:
            lines += wrap(value, first=f"{label:<18}", indent=" " * 18, width=width)
    return lines


def _show_contents(details: dict[str, Any], width: int) -> list[str]:
    """The procedure's content sections (Điều kiện, Hồ sơ, …) that are not empty."""
    fields = [(str(label), str(value)) for label, value in details.get("fields", []) if str(value).strip()]
    if not fields:
        return []
    lines = ["", "Nội dung:"]
    for label, value in fields:
        lines += wrap(label + ":", first="  ", indent="  ", width=width)
        lines += wrap(value, indent="      ", width=width)
    return lines


def _show_steps(view: ProcedureView, width: int) -> list[str]:
    """The steps with who and how long, then Σ of the counted hours against the legal time limit."""
    r = view.record
    if not r.steps:
        return []
    lines = ["", "Các bước:"]
    for s in r.steps:
        lines += _show_step(s, width)
    lines.append("")
    limit = r.time_limit_hours
    timed = any(s.hours is not None for s in r.steps)
    verdict = ""
    if limit is not None:
        verdict = " — trong thời hạn" if view.counted_hours <= limit else " — VƯỢT thời hạn"
        verdict = verdict if timed else ""
    counted = format_hours(view.counted_hours) if timed else "không bước nào ghi thời gian"
    total = f"Σ thời gian tính: {counted}"
    total += f" / thời hạn: {format_hours(limit)}{verdict}" if limit is not None else " / thời hạn: không rõ"
    return lines + wrap(total, width=width)


def _show_step(s: Step, width: int) -> list[str]:
    label = (s.label or str(s.order)).strip()
    lines = wrap(s.text, first=f"  {label:<7} ", indent=" " * 10, width=width)
    who = "; ".join(s.responsible) or s.responsible_text
    if who:
        lines += wrap(who, first=" " * 10 + "Trách nhiệm: ", indent=" " * 23, width=width)
    time = s.duration_text or "không ghi"
    if s.hours is None:
        time += " (không tính thời gian)" if s.duration_text else ""
    elif "giờ" not in time:
        time += f" ({vn_number(s.hours)} giờ)"
    lines += wrap(time, first=" " * 10 + "Thời gian:   ", indent=" " * 23, width=width)
    if s.result:
        lines += wrap(s.result, first=" " * 10 + "Kết quả:     ", indent=" " * 23, width=width)
    return lines


def _show_list(title: str, items: Sequence[str], width: int) -> list[str]:
    """A titled bullet list (forms, kept records); nothing when there is no item."""
    if not items:
        return []
    lines = ["", title]
    for item in items:
        lines += wrap(item, first="  - ", indent="    ", width=width)
    return lines


def format_history_warning(history: HistoryCheck) -> str | None:
    """One paragraph saying the event log cannot be trusted, and from where (None when it is sound)."""
    if history.sound:
        return None
    parts: list[str] = []
    if history.first_bad is not None:
        parts.append(
            f"LỊCH SỬ SỰ KIỆN BỊ HỎNG từ sự kiện #{history.first_bad} ({history.reason}): các sự kiện "
            f"từ #{history.first_bad} trở đi không đáng tin."
        )
    if history.incidents:
        parts.append(
            "Các trigger bảo vệ sổ sự kiện đã bị xóa hoặc sửa ngoài procreg (đã khôi phục): "
            + "; ".join(history.incidents)
            + "."
        )
    return " ".join(parts) + " Chạy `procreg check` để xem chi tiết."


def _event_line(version: int, e: Event, cancelled_by: dict[int, int], suspect: int | None) -> tuple[str, str]:
    """The head and the text of one history line."""
    mark = "!" if suspect is not None and e.id is not None and e.id >= suspect else " "
    ident = f"#{e.id}" if e.id is not None else ""
    head = f"{mark}{ident:>4}  {e.on or '????-??-??'}  v{version}  {EVENT_VI.get(e.kind, e.kind):<11}"
    parts = [p for p in (e.by, e.evidence, e.where if e.where != e.evidence else None, e.note) if p]
    if e.kind == "cancelled" and e.cancels is not None:
        parts.insert(0, f"hủy sự kiện #{e.cancels}")
    if e.id is not None and e.id in cancelled_by:
        parts.append(f"(đã hủy bởi sự kiện #{cancelled_by[e.id]})")
    if e.forced:
        parts.append(f"(ghi dù bị từ chối: {e.forced})")
    return head, " · ".join(parts)


def _show_history(view: ProcedureView, width: int) -> list[str]:
    """Every version of the key, then the merged events of all versions, each with its id."""
    lines = ["", "Phiên bản:"]
    for v in view.versions:
        when = v.document_date or "?"
        text = f"v{v.version}  {_status(v.status):<11}  {v.document_number or '-'}  ({when})"
        lines += wrap(text, first="  ", indent="      ", width=width, keep_spaces=True)
    lines += ["", "Lịch sử:"]
    warning = format_history_warning(view.history)
    if warning:
        lines += wrap(warning, first="  !! ", indent="     ", width=width)
    if not view.events:
        lines.append("  (chưa có sự kiện)")
    cancelled_by = {e.cancels: e.id for _, e in view.events if e.kind == "cancelled" and e.cancels and e.id}
    for version, e in view.events:
        head, text = _event_line(version, e, cancelled_by, view.history.first_bad)
        lines += wrap(text, first=f"{head} ", indent=" " * (len(head) + 1), width=width)
    return lines


# --------------------------------------------------------------------------------------------------
# Lifecycle events


def format_recorded(done: Recorded, *, width: int = WIDTH) -> str:
    """For people: ``Đã ghi sự kiện #7: rà soát QT.GĐ.01 (v1) ngày 2025-12-10 · Nguyễn Văn A``.

    A repeat says the event stands already and nothing was written; a forced event says what it
    overrode; an undo names the event it cancels.
    """
    e = done.event
    if done.view is not None:
        r = done.view.record
        label, status = f"{done.label} (v{r.version})", r.status
    else:
        status = done.catalog.status if done.catalog is not None else "active"
        label = f"{done.label} (danh mục {done.handle})"
    parts = [p for p in (e.by, e.evidence if e.evidence != e.where else None, e.where, e.note) if p]
    kind = EVENT_VI.get(e.kind, e.kind)
    if e.kind == "cancelled":
        kind = f"hủy sự kiện #{e.cancels} của"
    if done.repeated:
        line = f"Đã có sự kiện #{e.id}: {kind} {label} ngày {e.on}"
        line += "".join(f" · {p}" for p in parts) + " — không ghi thêm."
    else:
        line = f"Đã ghi sự kiện #{e.id}: {kind} {label} ngày {e.on}" + "".join(f" · {p}" for p in parts)
        if status != "active":
            line += f" — trạng thái: {_status(status)}"
    lines = [textwrap.fill(line, width=width, subsequent_indent="    ", break_on_hyphens=False)]
    if e.forced and not done.repeated:
        lines.append(
            textwrap.fill(
                f"Ghi dù bị từ chối (--force): {e.forced}",
                width=width,
                initial_indent="    ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# JSON


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


def _event_json(version: int | None, event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind,
        "on": event.on,
        "by": event.by,
        "evidence": event.evidence,
        "note": event.note,
        "where": event.where,
        "version": version,
        "origin": event.origin,
        "forced": event.forced,
        "cancels": event.cancels,
    }


def history_json(history: HistoryCheck) -> dict[str, Any]:
    """Whether the event log is sound, and where it breaks (``show --json`` key ``history``)."""
    return {
        "sound": history.sound,
        "first_bad_event": history.first_bad,
        "reason": history.reason,
        "incidents": list(history.incidents),
    }


def _catalog_json(c: CatalogRecord) -> dict[str, Any]:
    return {
        "id": c.id,
        "code": c.entry.code,
        "name": c.entry.name,
        "field": c.entry.field,
        "status": c.status,
        "document": {"id": c.document_id, "number": c.document_number, "issued_on": c.document_date},
        "events": [_event_json(None, e) for e in c.events],
    }


def recorded_json(done: Recorded) -> dict[str, Any]:
    """The JSON of a lifecycle command: the item, the event, and whether it stood already.

    The procedure as ``show --json`` gives it (or ``catalog``: the catalog entry), plus ``recorded`` (the
    event), ``repeated`` (True when it stood already and nothing was written) and ``handle``.
    """
    body = show_json(done.view) if done.view is not None else {}
    if done.catalog is not None:
        body["catalog"] = _catalog_json(done.catalog)
    return {
        **body,
        "recorded": _event_json(None, done.event),
        "repeated": done.repeated,
        "handle": done.handle,
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
    """The ``show --json`` document: the record, counted hours, steps, versions, events and details."""
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
        "history": history_json(view.history),
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
