"""The event log's tamper evidence: a hash chain over the rows, the triggers that guard it, their repair.

Each event row stores ``hash`` = SHA-256 of its own content and of ``prev_hash``, the hash of the row
before it (``""`` for the first row), so changing, inserting or removing a row breaks the chain at that
row. ``event_head`` (one row) keeps the id, hash and count of the last event procreg wrote, so a row
removed from the end, or added by hand after it, shows too.

Triggers keep the log append-only inside SQLite: no UPDATE, no DELETE, and an INSERT only as the next id
linked to the last row. The last one is what makes ``INSERT OR REPLACE`` (and upserts) impossible: a
REPLACE deletes the conflicting row without firing DELETE triggers (unless ``recursive_triggers``), but
a BEFORE INSERT trigger fires first and refuses any id that is not the next one.

Triggers dropped (or altered, or added) behind procreg's back are put back as they should be when a
registry is opened; each repair is written to ``integrity_log`` and logged, and ``procreg check`` reports
it until someone accepts it with a reason. This is tamper evidence, not tamper proofing: whoever can
write the file can also recompute every hash; what they cannot do is change history by accident or with
the sqlite3 shell alone without ``procreg check`` noticing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from procreg.i18n import N_

__all__ = [
    "EVENT_COLUMNS",
    "TRIGGERS",
    "ChainBreak",
    "ChainState",
    "event_digest",
    "restore_triggers",
    "trigger_problems",
    "verify_chain",
]

log = logging.getLogger(__name__)

# The columns a row's hash covers, in this order (``hash`` itself excluded).
EVENT_COLUMNS = (
    "id",
    "procedure_id",
    "catalog_id",
    "kind",
    "on_date",
    "by",
    "evidence",
    "note",
    "where_",
    "document_id",
    "origin",
    "forced",
    "cancels",
    "prev_hash",
)

TRIGGERS: dict[str, str] = {
    "events_no_update": (
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events\n"
        "BEGIN\n    SELECT RAISE(ABORT, 'events are append-only');\nEND"
    ),
    "events_no_delete": (
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events\n"
        "BEGIN\n    SELECT RAISE(ABORT, 'events are append-only');\nEND"
    ),
    "events_append_only": (
        "CREATE TRIGGER events_append_only BEFORE INSERT ON events\n"
        "WHEN NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM events)\n"
        "  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM events ORDER BY id DESC LIMIT 1), '')\n"
        "BEGIN\n"
        "    SELECT RAISE(ABORT, 'events are append-only: a new event takes the next id and links to "
        "the last one');\n"
        "END"
    ),
}
# Tables whose triggers are procreg's alone: any other trigger on them is removed on open.
_GUARDED_TABLES = ("events", "event_head")


def event_digest(row: Mapping[str, Any]) -> str:
    """The hash of one event row: its content (``EVENT_COLUMNS``, ``prev_hash`` included)."""
    values = [row[c] for c in EVENT_COLUMNS]
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first bad row of the event log and what is wrong with it."""

    event_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class ChainState:
    """What verifying the event log found: how many rows, and the first break (None when sound)."""

    events: int
    last_id: int
    first_break: ChainBreak | None = None

    @property
    def sound(self) -> bool:
        """True when every row links to the one before it, matches its hash, and the head agrees."""
        return self.first_break is None


def verify_chain(rows: Iterable[Mapping[str, Any]], head: Mapping[str, Any] | None) -> ChainState:
    """Walk the event rows in id order and name the first one that breaks the chain.

    Args:
        rows: every event row (all columns), by id.
        head: the ``event_head`` row (None when the log was never written).
    """
    previous_hash, expected, count, last = "", 1, 0, 0
    first: ChainBreak | None = None
    for row in rows:
        count += 1
        event_id = int(row["id"])
        if first is None:
            first = _row_break(row, event_id, expected, previous_hash)
        previous_hash, expected, last = str(row["hash"] or ""), event_id + 1, event_id
    if first is None:
        first = _head_break(head, count, last, previous_hash)
    return ChainState(events=count, last_id=last, first_break=first)


def _row_break(row: Mapping[str, Any], event_id: int, expected: int, previous_hash: str) -> ChainBreak | None:
    if event_id != expected:
        values = {"event": expected, "before": expected - 1, "found": event_id}
        return ChainBreak(
            expected,
            N_("event #%(event)d is missing: the log goes from #%(before)d to #%(found)d") % values
            if expected > 1
            else N_("event #%(event)d is missing: the log goes from the start to #%(found)d") % values,
        )
    if (row["prev_hash"] or "") != previous_hash:
        return ChainBreak(
            event_id,
            N_(
                "event #%(event)d does not link to the event before it: a row was removed, inserted or "
                "rewritten there"
            )
            % {"event": event_id},
        )
    if event_digest(row) != row["hash"]:
        return ChainBreak(
            event_id,
            N_("event #%(event)d was changed after it was written (its hash differs)") % {"event": event_id},
        )
    return None


def _head_break(head: Mapping[str, Any] | None, count: int, last: int, last_hash: str) -> ChainBreak | None:
    """The end of the log against the head procreg keeps: rows removed from or added after the end."""
    if head is None:
        return (
            None
            if count == 0
            else ChainBreak(1, N_("the event log has no head record: it was rebuilt by hand"))
        )
    head_last, head_count = int(head["last_id"]), int(head["count"])
    if last < head_last or count < head_count:
        return ChainBreak(
            last + 1,
            N_(
                "event #%(event)d is missing: procreg wrote %(count)d events up to #%(head)d, the log now "
                "ends at #%(last)d"
            )
            % {"event": last + 1, "count": head_count, "head": head_last, "last": last},
        )
    if last > head_last or count > head_count:
        return ChainBreak(
            head_last + 1,
            N_("event #%(event)d was not written by procreg: its last event was #%(head)d")
            % {"event": head_last + 1, "head": head_last},
        )
    if head["last_hash"] != last_hash:
        return ChainBreak(
            last,
            N_("event #%(event)d is not the one procreg wrote last (its hash differs)") % {"event": last},
        )
    return None


def trigger_problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the guarding triggers: missing, altered, or foreign ones on guarded tables."""
    marks = ",".join("?" * len(_GUARDED_TABLES))
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
        _GUARDED_TABLES,
    ).fetchall()
    present = {str(r[0]): _squash(str(r[1] or "")) for r in rows}
    problems: list[str] = []
    for name, sql in TRIGGERS.items():
        if name not in present:
            problems.append(N_("trigger %(name)s is missing") % {"name": name})
        elif present[name] != _squash(sql):
            problems.append(N_("trigger %(name)s was altered") % {"name": name})
    problems += [
        N_("trigger %(name)s is not procreg's") % {"name": name}
        for name in sorted(present)
        if name not in TRIGGERS
    ]
    return problems


def restore_triggers(conn: sqlite3.Connection) -> list[str]:
    """Put the guarding triggers back as they should be (inside the caller's write transaction).

    Returns:
        What was wrong (empty when nothing was); each repair is also written to ``integrity_log``.
    """
    problems = trigger_problems(conn)
    if not problems:
        return []
    marks = ",".join("?" * len(_GUARDED_TABLES))
    for (name,) in conn.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", _GUARDED_TABLES
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    for sql in TRIGGERS.values():
        conn.execute(sql)
    for problem in problems:
        conn.execute("INSERT INTO integrity_log (kind, detail) VALUES ('triggers_restored', ?)", (problem,))
    return problems


def _squash(sql: str) -> str:
    return " ".join(sql.split()).rstrip(";").lower()
