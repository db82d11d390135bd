"""``procreg check`` for people and for scripts."""

from __future__ import annotations

from typing import Any

from procreg.registry.results import RegistryCheck

__all__ = ["check_json", "format_check"]


def format_check(check: RegistryCheck) -> str:
    """One line per check, ``ok`` or what is wrong, then the verdict."""
    chain = (
        f"hỏng từ sự kiện #{check.first_bad}: {check.reason}"
        if check.first_bad is not None
        else f"nguyên vẹn ({check.events} sự kiện)"
    )
    if check.triggers:
        triggers = "hỏng: " + "; ".join(check.triggers)
    elif check.incidents:
        triggers = "đã bị xóa/sửa ngoài procreg, đã khôi phục: " + "; ".join(check.incidents)
    else:
        triggers = "đủ" + (f" ({check.accepted} sự cố trước đã được xem xét)" if check.accepted else "")
    lines = [
        f"Chuỗi băm sự kiện : {chain}",
        f"Trigger bảo vệ    : {triggers}",
        f"SQLite integrity  : {check.integrity}",
        f"Khóa ngoại        : {'; '.join(check.foreign_keys) if check.foreign_keys else 'ok'}",
        "",
        "Kết luận: sổ đăng ký nguyên vẹn."
        if check.sound
        else f"Kết luận: KHÔNG nguyên vẹn — {check.summary()}",
    ]
    return "\n".join(lines)


def check_json(check: RegistryCheck) -> dict[str, Any]:
    """The ``check --json`` document."""
    return {
        "sound": check.sound,
        "events": check.events,
        "first_bad_event": check.first_bad,
        "reason": check.reason,
        "triggers": list(check.triggers),
        "incidents": list(check.incidents),
        "accepted": check.accepted,
        "integrity": check.integrity,
        "foreign_keys": list(check.foreign_keys),
        "summary": check.summary(),
    }
