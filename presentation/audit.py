"""Terminal and JSON views of ``procreg targets``, the audit's one-line notices, and ``procreg config``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from procreg.presentation.common import vn_percent
from procreg.procedures.audit import AuditReport, percent
from procreg.registry.results import REPORT_SETTINGS, TargetsView
from procreg.text.dates import vn_date

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
    return {
        "targets": [r.as_json() for r in view.rows],
        "electronic_process": {
            "with": view.electronic,
            "procedures": view.procedures,
            "percent": percent(view.electronic, view.procedures) if view.procedures else None,
        },
    }


def format_targets(view: TargetsView) -> str:
    """Human listing of the plan targets, measured values beside them."""
    if not view.rows:
        return "Chưa có chỉ tiêu nào (hãy nạp kế hoạch: procreg ingest ke-hoach.docx)\n"
    out: list[str] = []
    plan: object = object()
    for r in view.rows:
        if r.plan != plan:
            plan = r.plan
            when = f" ngày {vn_date(r.plan_date)}" if r.plan_date else ""
            out.append(f"Kế hoạch {r.plan or '(không số)'}{when}")
        qual = {"at_least": "≥ ", "aspiration": "~ "}.get(r.qualifier, "")
        out.append(f"  {r.section:<8} {qual + vn_percent(r.value):>7}  {r.text}")
        if r.measured is not None:
            ok = "Đạt" if r.measured >= r.value else "Chưa đạt"
            shown = vn_percent(r.measured, digits=1)
            out.append(f"{'':19}→ đo được: {shown} ({r.measured_detail}) — {ok}")
    if view.procedures:
        share = vn_percent(percent(view.electronic, view.procedures))
        out.append("")
        out.append(
            f"Quy trình điện tử: {view.electronic}/{view.procedures} quy trình hiện hành có quyết định "
            f"công bố giao xây dựng quy trình điện tử ({share})"
        )
    out.append("(≥ tối thiểu, ~ phấn đấu)")
    return "\n".join(out) + "\n"


def below_target_message(report: AuditReport, threshold: float) -> str:
    """Why ``--fail-under`` fails: the coverage and the threshold."""
    c = report.coverage
    return f"coverage {c.covered}/{c.in_scope} = {c.percent:.1f}% is below --fail-under {threshold:g}%"


def missing_settings_notice(missing: Sequence[str]) -> str | None:
    """One line naming the report settings left blank (dotted lines) in the report; None when all are set."""
    if not missing:
        return None
    return (
        f"report settings not set, printed as dotted lines: {', '.join(missing)} "
        "(procreg config set KEY VALUE; procreg config list)"
    )


def config_json(config: Mapping[str, str]) -> dict[str, Any]:
    """``procreg config list --json``: {settings: {key: value or null}} over every known key."""
    return {"settings": {key: config.get(key) for key in REPORT_SETTINGS}}


def format_config(config: Mapping[str, str]) -> str:
    """Every known key with its value, or what it is for when unset."""
    width = max(len(k) for k in REPORT_SETTINGS)
    lines = []
    for key, meaning in REPORT_SETTINGS.items():
        value = config.get(key)
        lines.append(f"{key:<{width}}  {value}" if value else f"{key:<{width}}  (chưa đặt: {meaning})")
    return "\n".join(lines)
