"""Terminal and JSON views of ``procreg targets``, the audit's one-line notices, and ``procreg config``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from procreg.i18n import _
from procreg.presentation.common import date_text, message
from procreg.presentation.common import percent as percent_text
from procreg.procedures.audit import AuditReport, percent
from procreg.registry.results import REPORT_SETTINGS, TargetsView

__all__ = [
    "below_target_message",
    "config_json",
    "format_config",
    "format_targets",
    "missing_settings_notice",
    "targets_json",
]


def targets_json(view: TargetsView) -> dict[str, Any]:
    """``procreg targets --json``: {targets: [...], electronic_process: {with, procedures, percent}}."""
    rows = [r.as_json() for r in view.rows]
    for row in rows:
        row["measured_detail"] = message(row["measured_detail"]) if row.get("measured_detail") else None
    return {
        "targets": rows,
        "electronic_process": {
            "with": view.electronic,
            "procedures": view.procedures,
            "percent": percent(view.electronic, view.procedures) if view.procedures else None,
        },
    }


def format_targets(view: TargetsView) -> str:
    """Human listing of the plan targets, measured values beside them."""
    if not view.rows:
        return _("No target yet (ingest the plan: procreg ingest ke-hoach.docx)") + "\n"
    out: list[str] = []
    plan: object = object()
    for r in view.rows:
        if r.plan != plan:
            plan = r.plan
            out.append(_plan_line(r.plan, r.plan_date))
        qual = {"at_least": "≥ ", "aspiration": "~ "}.get(r.qualifier, "")
        out.append(f"  {r.section:<8} {qual + percent_text(r.value):>7}  {r.text}")
        if r.measured is not None:
            values = {
                "measured": percent_text(r.measured, digits=1),
                "detail": message(r.measured_detail or ""),
            }
            if r.measured >= r.value:
                line = _("→ measured: %(measured)s (%(detail)s) — met") % values
            else:
                line = _("→ measured: %(measured)s (%(detail)s) — not met") % values
            out.append(" " * 19 + line)
    if view.procedures:
        out.append("")
        out.append(
            _(
                "Electronic processes: %(with)d/%(procedures)d current procedures have a publishing "
                "decision that orders an electronic process (%(share)s)"
            )
            % {
                "with": view.electronic,
                "procedures": view.procedures,
                "share": percent_text(percent(view.electronic, view.procedures)),
            }
        )
    out.append(_("(≥ at least, ~ aspiration)"))
    return "\n".join(out) + "\n"


def _plan_line(number: str | None, issued_on: str | None) -> str:
    """``Kế hoạch 01/KH-SNgV ngày 10/01/2023``, or without its number or its date."""
    if number and issued_on:
        return _("Plan %(number)s of %(date)s") % {"number": number, "date": date_text(issued_on)}
    if number:
        return _("Plan %(number)s") % {"number": number}
    if issued_on:
        return _("Plan without a number, of %(date)s") % {"date": date_text(issued_on)}
    return _("Plan without a number")


def below_target_message(report: AuditReport, threshold: float) -> str:
    """Why ``--fail-under`` fails: the coverage and the threshold."""
    c = report.coverage
    values = {
        "covered": c.covered,
        "total": c.in_scope,
        "percent": percent_text(c.percent, digits=1),
        "threshold": percent_text(threshold),
    }
    return _("coverage %(covered)d/%(total)d = %(percent)s is below --fail-under %(threshold)s") % values


def missing_settings_notice(missing: Sequence[str]) -> str | None:
    """One line naming the report settings left blank (dotted lines) in the report; None when all are set."""
    if not missing:
        return None
    return _(
        "report settings not set, printed as dotted lines: %(keys)s (procreg config set KEY VALUE; "
        "procreg config list)"
    ) % {"keys": ", ".join(missing)}


def config_json(config: Mapping[str, str]) -> dict[str, Any]:
    """``procreg config list --json``: {settings: {key: value or null}} over every known key."""
    return {"settings": {key: config.get(key) for key in REPORT_SETTINGS}}


def format_config(config: Mapping[str, str]) -> str:
    """Every known key with its value, or what it is for when unset."""
    width = max(len(k) for k in REPORT_SETTINGS)
    lines = []
    for key, meaning in REPORT_SETTINGS.items():
        value = config.get(key)
        unset = _("(not set: %(meaning)s)") % {"meaning": _(meaning)}
        lines.append(f"{key:<{width}}  {value}" if value else f"{key:<{width}}  {unset}")
    return "\n".join(lines)
