"""Procedures for people and for scripts: the ``list`` table, the ``show`` page, lifecycle lines, JSON.

Text is laid out for 100 columns whatever the terminal; the JSON documents keep their keys and order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from procreg.i18n import N_, _, ngettext
from procreg.presentation.common import (
    WIDTH,
    date_text,
    event_label,
    hours_text,
    message,
    number,
    status_label,
    wrap,
)
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

_SIGNATURES = (
    (N_("Drafted by"), "drafted_by"),
    (N_("Checked by"), "checked_by"),
    (N_("Approved by"), "approved_by"),
)


def format_hours(hours: float | None) -> str:
    """Working hours: ``20 giờ``, ``4 giờ (0,5 ngày)``, ``160 giờ (20 ngày)`` (``presentation.common``)."""
    return hours_text(hours)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns (a label or a column head in either language)."""
    return text + " " * max(0, width - len(text))


# --------------------------------------------------------------------------------------------------
# list


def format_list(records: Sequence[ProcedureRecord], *, width: int = WIDTH) -> str:
    """Procedures as a 100-column table: id, code, version, status, steps, counted hours, name (wrapped).

    The id (``#12``) is what ``show`` takes for procedures without a code.
    """
    if not records:
        return _("No procedures.")
    id_w = max(len(f"#{r.id}") for r in records)
    code_head, status_head, steps_head, hours_head = _("Code"), _("Status"), _("Steps"), _("Σ hours")
    code_w = min(max([len(r.code or r.catalog_code or "-") for r in records] + [len(code_head)]), 14)
    status_w = max([11, len(status_head)] + [len(status_label(r.status)) for r in records])
    steps_w, hours_w = max(4, len(steps_head)), max(6, len(hours_head))
    head = f"{'ID':<{id_w}}  {code_head:<{code_w}}  {'v':>2}  {status_head:<{status_w}}  "
    head += f"{steps_head:>{steps_w}}  {hours_head:>{hours_w}}  " + _("Procedure name")
    lines = [head]
    name_col = id_w + 2 + code_w + 2 + 2 + 2 + status_w + 2 + steps_w + 2 + hours_w + 2
    for r in records:
        code = r.code or r.catalog_code or "-"
        code = code if len(code) <= code_w else code[: code_w - 1] + "…"
        counted = sum(s.hours for s in r.steps if s.hours is not None)
        hours = number(counted) if any(s.hours is not None for s in r.steps) else "-"
        prefix = (
            f"{'#' + str(r.id):<{id_w}}  {code:<{code_w}}  {r.version:>2}  "
            f"{status_label(r.status):<{status_w}}  {len(r.steps):>{steps_w}}  {hours:>{hours_w}}  "
        )
        lines.extend(wrap(r.name, indent=" " * name_col, first=prefix, width=width))
        extra = [x for x in (r.field, r.document_number) if x]
        if extra:
            lines.extend(wrap(" · ".join(extra), indent=" " * name_col, width=width))
    lines.insert(1, "-" * min(width, max(len(line) for line in lines)))
    lines.append("")
    lines.append(
        ngettext("%(count)d procedure", "%(count)d procedures", len(records)) % {"count": len(records)}
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# show

_LABEL_W = 18  # the labels of show's header rows, and the indent of their wrapped values


def format_show(view: ProcedureView, *, width: int = WIDTH) -> str:
    """One procedure for people: fields, steps, Σ vs the legal limit, versions, events, its warnings.

    The warnings are those its document gave when it was read (never silent: ``--json`` has them too).
    """
    r = view.record
    title = f"{r.code} — {r.name}" if r.code else r.name
    lines = wrap(title, indent="  ", width=width)
    lines.append("=" * min(width, max(len(x) for x in lines)))
    lines += _show_header(view, width)
    lines += _show_contents(view.details, width)
    lines += _show_steps(view, width)
    lines += _show_list(_("Forms:"), r.forms, width)
    kept = [str(x) for x in view.details.get("records", []) if str(x).strip()]
    lines += _show_list(_("Records kept:"), kept, width)
    lines += _show_history(view, width)
    warnings = [message(str(w)) for w in view.details.get("warnings", []) if str(w).strip()]
    lines += _show_list(_("Warnings:"), warnings, width)
    return "\n".join(line.rstrip() for line in lines)


def _show_header(view: ProcedureView, width: int) -> list[str]:
    """The labelled rows under the title: codes, field, version, decision, issuer, limit, units, ISO."""
    r, d = view.record, view.details
    doc = None
    if r.document_number and r.document_date:
        doc = _("%(number)s of %(date)s") % {"number": r.document_number, "date": date_text(r.document_date)}
    elif r.document_number or r.document_date:
        doc = r.document_number or date_text(r.document_date)
    signatures = [f"{_(label)}: {d[key]}" for label, key in _SIGNATURES if d.get(key)]
    rows = (
        (_("Procedure code:"), r.code),
        (_("TTHC code:"), r.catalog_code),
        (_("Field:"), r.field),
        (_("Version:"), f"{r.version} ({status_label(r.status)})"),
        (_("Document:"), doc),
        (_("Issued by:"), r.issuer),
        (_("Time limit:"), r.time_limit),
        (_("Units:"), "; ".join(r.units) if r.units else None),
        (_("Edition:"), d.get("edition")),
        (_("In force from:"), date_text(d.get("effective_on"))),
        (_("Signed off:"), "; ".join(signatures) if signatures else None),
    )
    label_w = max(_LABEL_W, *(len(label) + 1 for label, value in rows if value))
    lines: list[str] = []
    for label, value in rows:
        if value:
            lines += wrap(value, first=_pad(label, label_w), indent=" " * label_w, width=width)
    return lines


def _show_contents(details: dict[str, Any], width: int) -> list[str]:
    """The procedure's content sections (Điều kiện, Hồ sơ, …) that are not empty."""
    fields = [(str(label), str(value)) for label, value in details.get("fields", []) if str(value).strip()]
    if not fields:
        return []
    lines = ["", _("Contents:")]
    for label, value in fields:
        lines += wrap(label + ":", first="  ", indent="  ", width=width)
        lines += wrap(value, indent="      ", width=width)
    return lines


def _show_steps(view: ProcedureView, width: int) -> list[str]:
    """The steps with who and how long, then Σ of the counted hours against the legal time limit."""
    r = view.record
    if not r.steps:
        return []
    labels = (_("Responsible:"), _("Time:"), _("Result:"))
    label_w = max(len(label) for label in labels) + 1
    lines = ["", _("Steps:")]
    for s in r.steps:
        lines += _show_step(s, width, labels, label_w)
    lines.append("")
    limit = r.time_limit_hours
    timed = any(s.hours is not None for s in r.steps)
    counted = hours_text(view.counted_hours) if timed else _("no step gives its time")
    if limit is None:
        total = _("Σ counted time: %(counted)s / time limit: unknown") % {"counted": counted}
    elif not timed:
        total = _("Σ counted time: %(counted)s / time limit: %(limit)s") % {
            "counted": counted,
            "limit": hours_text(limit),
        }
    elif view.counted_hours <= limit:
        total = _("Σ counted time: %(counted)s / time limit: %(limit)s — within the time limit") % {
            "counted": counted,
            "limit": hours_text(limit),
        }
    else:
        total = _("Σ counted time: %(counted)s / time limit: %(limit)s — OVER the time limit") % {
            "counted": counted,
            "limit": hours_text(limit),
        }
    return lines + wrap(total, width=width)


def _show_step(s: Step, width: int, labels: tuple[str, str, str], label_w: int) -> list[str]:
    who_label, time_label, result_label = labels
    indent = " " * (10 + label_w)
    label = (s.label or str(s.order)).strip()
    lines = wrap(s.text, first=f"  {label:<7} ", indent=" " * 10, width=width)
    who = "; ".join(s.responsible) or s.responsible_text
    if who:
        lines += wrap(who, first=" " * 10 + _pad(who_label, label_w), indent=indent, width=width)
    time = s.duration_text or _("not given")
    if s.hours is None:
        time = _("%(time)s (time not counted)") % {"time": time} if s.duration_text else time
    elif not _says_hours(time):
        time = _("%(time)s (%(hours)s h)") % {"time": time, "hours": number(s.hours)}
    lines += wrap(time, first=" " * 10 + _pad(time_label, label_w), indent=indent, width=width)
    if s.result:
        lines += wrap(s.result, first=" " * 10 + _pad(result_label, label_w), indent=indent, width=width)
    return lines


def _says_hours(duration: str) -> bool:
    """True when the document's own duration already counts in hours (``4 giờ``)."""
    return "giờ" in duration


def _show_list(title: str, items: Sequence[str], width: int) -> list[str]:
    """A titled bullet list (forms, kept records, warnings); nothing when there is no item."""
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
            _(
                "THE EVENT HISTORY IS DAMAGED from event #%(event)d (%(reason)s): the events from "
                "#%(event)d on cannot be trusted."
            )
            % {"event": history.first_bad, "reason": message(history.reason or "")}
        )
    if history.incidents:
        parts.append(
            _(
                "The triggers that protect the event log were dropped or changed outside procreg (restored): "
                "%(list)s."
            )
            % {"list": "; ".join(message(i) for i in history.incidents)}
        )
    return " ".join([*parts, _("Run `procreg check` for the details.")])


def _event_line(version: int, e: Event, cancelled_by: dict[int, int], suspect: int | None) -> tuple[str, str]:
    """The head and the text of one history line."""
    mark = "!" if suspect is not None and e.id is not None and e.id >= suspect else " "
    ident = f"#{e.id}" if e.id is not None else ""
    head = f"{mark}{ident:>4}  {date_text(e.on) or '??/??/????'}  v{version}  {event_label(e.kind):<11}"
    parts = [p for p in (e.by, e.evidence, e.where if e.where != e.evidence else None, e.note) if p]
    if e.kind == "cancelled" and e.cancels is not None:
        parts.insert(0, _("cancels event #%(event)d") % {"event": e.cancels})
    if e.id is not None and e.id in cancelled_by:
        parts.append(_("(cancelled by event #%(event)d)") % {"event": cancelled_by[e.id]})
    if e.forced:
        parts.append(_("(recorded although refused: %(reasons)s)") % {"reasons": message(e.forced)})
    return head, " · ".join(parts)


def _show_history(view: ProcedureView, width: int) -> list[str]:
    """Every version of the key, then the merged events of all versions, each with its id."""
    status_w = max([11] + [len(status_label(v.status)) for v in view.versions])
    lines = ["", _("Versions:")]
    for v in view.versions:
        when = date_text(v.document_date) or "?"
        text = f"v{v.version}  {status_label(v.status):<{status_w}}  {v.document_number or '-'}  ({when})"
        lines += wrap(text, first="  ", indent="      ", width=width, keep_spaces=True)
    lines += ["", _("History:")]
    warning = format_history_warning(view.history)
    if warning:
        lines += wrap(warning, first="  !! ", indent="     ", width=width)
    if not view.events:
        lines.append("  " + _("(no event yet)"))
    cancelled_by = {e.cancels: e.id for _v, e in view.events if e.kind == "cancelled" and e.cancels and e.id}
    for version, e in view.events:
        head, text = _event_line(version, e, cancelled_by, view.history.first_bad)
        lines += wrap(text, first=f"{head} ", indent=" " * (len(head) + 1), width=width)
    return lines


# --------------------------------------------------------------------------------------------------
# Lifecycle events


def format_recorded(done: Recorded, *, width: int = WIDTH) -> str:
    """For people: ``Đã ghi sự kiện #7: rà soát QT.GĐ.01 (v1) ngày 10/12/2025 · Nguyễn Văn A``.

    A repeat says the event stands already and nothing was written; a forced event says what it
    overrode; an undo names the event it cancels.
    """
    e = done.event
    if done.view is not None:
        r = done.view.record
        label, status = f"{done.label} (v{r.version})", r.status
    else:
        status = done.catalog.status if done.catalog is not None else "active"
        label = _("%(label)s (catalog %(handle)s)") % {"label": done.label, "handle": done.handle}
    parts = "".join(
        f" · {p}" for p in (e.by, e.evidence if e.evidence != e.where else None, e.where, e.note) if p
    )
    values = {
        "id": e.id,
        "event": event_label(e.kind),
        "item": label,
        "date": date_text(e.on),
        "cancels": e.cancels,
    }
    if done.repeated:
        template = (
            _("Event #%(id)s stands already: cancelling event #%(cancels)s of %(item)s on %(date)s")
            if e.kind == "cancelled"
            else _("Event #%(id)s stands already: %(event)s, %(item)s, on %(date)s")
        )
        line = template % values + parts + " — " + _("nothing more recorded.")
    else:
        template = (
            _("Recorded event #%(id)s: cancelling event #%(cancels)s of %(item)s on %(date)s")
            if e.kind == "cancelled"
            else _("Recorded event #%(id)s: %(event)s, %(item)s, on %(date)s")
        )
        line = template % values + parts
        if status != "active":
            line += " — " + _("status: %(status)s") % {"status": status_label(status)}
    lines = [textwrap.fill(line, width=width, subsequent_indent="    ", break_on_hyphens=False)]
    if e.forced and not done.repeated:
        lines.append(
            textwrap.fill(
                _("Recorded although refused (--force): %(reasons)s") % {"reasons": message(e.forced)},
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
