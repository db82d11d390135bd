"""What may be recorded on a procedure or a catalog entry, and when: the checks behind every event.

Pure rules over records: the lifecycle use cases find the subject and the decision in the store, ask
these functions, and write (or refuse) the event.

- Status: a withdrawn item takes no event but ``restore``; an abolished one only a review or a
  withdrawal; only a withdrawn item can be restored.
- Dates: not in the future, not before the item's own issuing decision; a công khai (publicized) on or
  after its công bố (published); a công bố not before the decision that publishes. A refused date can be
  forced (``--force``): the event then carries the reasons it was refused for.
- Repeats: the same fact recorded again (same kind, day and who/what/where) is not recorded twice.
- Undo: an event is cancelled by a ``cancelled`` event that names it; both stay in the history, and
  only a user's own review, publication or publicizing can be undone (what a document brought goes with
  the document; a withdrawal is undone by ``restore``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from procreg.i18n import N_, _
from procreg.procedures.scope import live_events
from procreg.registry.models import Event
from procreg.text import fold, normalize_line
from procreg.text.numbers import number_key

__all__ = [
    "UNDOABLE",
    "Subject",
    "date_refusals",
    "first_publication",
    "live_events",
    "repeat_of",
    "status_refusal",
    "undo_refusal",
]

# Event kinds a user may undo (``procreg undo``).
UNDOABLE = frozenset({"reviewed", "published", "publicized"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """What an event is recorded on: a procedure (its current version) or a catalog entry (Danh mục row).

    ``events`` are the item's whole history (every version, or every row of the same entry), by date then
    id; ``publications`` the (date, decision number) of each công bố known for it.
    """

    kind: Literal["procedure", "catalog"]
    id: int
    label: str  # how messages name it: "QT.NV.01", "2.000884 Tên…", "#12 Tên…"
    handle: str  # what to type to record an event on it: "QT.NV.01", "#12", "#DM7"
    status: str
    issued_on: str | None = None  # the date of its own (earliest) issuing decision
    issued_by: str | None = None  # that decision's number
    events: tuple[Event, ...] = ()
    publications: tuple[tuple[str, str | None], ...] = ()


def status_refusal(subject: Subject, kind: str) -> str | None:
    """Why the item's status forbids an event of this kind (None when it does not)."""
    if subject.status == "withdrawn" and kind != "restored":
        return _("%(item)s was withdrawn (thu hồi): it takes no event but `procreg restore %(handle)s`") % {
            "item": subject.label,
            "handle": subject.handle,
        }
    if kind == "restored" and subject.status != "withdrawn":
        return _("%(item)s is not withdrawn: there is nothing to restore") % {"item": subject.label}
    if subject.status == "abolished" and kind not in ("reviewed", "withdrawn"):
        return _("%(item)s is abolished (bị bãi bỏ): only a review or a withdrawal can be recorded") % {
            "item": subject.label
        }
    if subject.status == "superseded":
        return _("%(item)s is a superseded version: record the event on the current one") % {
            "item": subject.label
        }
    return None


def first_publication(subject: Subject) -> tuple[str, str | None] | None:
    """The earliest dated công bố of the item: (date, decision number), or None."""
    dated = sorted(p for p in subject.publications if p[0])
    return dated[0] if dated else None


def date_refusals(
    subject: Subject, event: Event, *, today: str, decision: tuple[str | None, str | None] | None = None
) -> list[str]:
    """Why the event's date cannot be right, each reason one sentence (empty when it can).

    The reasons are kept on a forced event, so they are English catalog templates (``N_``), shown in the
    reader's language where they are shown.

    Args:
        subject: the item.
        event: the event to record (its ``on`` is an ISO date).
        today: today's ISO date.
        decision: for a công bố, the decision's (number, date).
    """
    on = event.on
    reasons: list[str] = []
    if on > today:
        reasons.append(N_("%(on)s is in the future (today is %(today)s)") % {"on": on, "today": today})
    if subject.issued_on and on < subject.issued_on:
        values = {"on": on, "item": subject.label, "by": subject.issued_by, "issued": subject.issued_on}
        reasons.append(
            N_(
                "%(on)s is before %(item)s was issued (%(by)s, %(issued)s): nothing can happen to it "
                "before it exists"
            )
            % values
            if subject.issued_by
            else N_(
                "%(on)s is before %(item)s was issued (%(issued)s): nothing can happen to it before it exists"
            )
            % values
        )
    if event.kind == "published" and decision is not None and decision[1] and on < decision[1]:
        reasons.append(
            N_("công bố on %(on)s is before decision %(decision)s was issued (%(issued)s)")
            % {"on": on, "decision": decision[0], "issued": decision[1]}
        )
    if event.kind == "publicized":
        first = first_publication(subject)
        if first is None:
            reasons.append(
                N_(
                    "no công bố is recorded for %(item)s: công khai comes on or after công bố "
                    "(procreg publish %(handle)s --decision NUMBER)"
                )
                % {"item": subject.label, "handle": subject.handle}
            )
        elif on < first[0]:
            values = {"on": on, "first": first[0], "by": first[1]}
            reasons.append(
                N_("công khai on %(on)s comes before its công bố on %(first)s by %(by)s") % values
                if first[1]
                else N_("công khai on %(on)s comes before its công bố on %(first)s") % values
            )
    return reasons


def _fact(e: Event) -> tuple[str, ...]:
    """What makes two events the same fact (who typed it, when, and notes aside for a publication)."""

    def key(text: str | None) -> str:
        return " ".join(fold(normalize_line(text or "")).split())

    if e.kind == "published":
        return (e.kind, e.on, number_key(e.evidence or ""))
    if e.kind == "publicized":
        return (e.kind, e.on, key(e.where or e.evidence))
    return (e.kind, e.on, key(e.by), key(e.note), key(e.evidence))


def repeat_of(subject: Subject, event: Event) -> Event | None:
    """The standing event the new one repeats (same kind, day and substance), or None."""
    wanted = _fact(event)
    return next((e for e in live_events(subject.events) if _fact(e) == wanted), None)


def undo_refusal(target: Event, history: Sequence[Event], number: str | None = None) -> str | None:
    """Why an event cannot be undone (None when it can).

    Args:
        target: the event to undo.
        history: the whole history of its item.
        number: the number of the document it came with, when it came with one.
    """
    eid = target.id
    if target.kind == "cancelled":
        return _("event #%(event)s is itself an undo (of #%(cancels)s); record that event again instead") % {
            "event": eid,
            "cancels": target.cancels,
        }
    undone = next((e for e in history if e.kind == "cancelled" and e.cancels == eid), None)
    if undone is not None:
        return _("event #%(event)s was undone already (by event #%(by)s)") % {"event": eid, "by": undone.id}
    if target.origin == "ingest":
        values = {"event": eid, "document": number}
        if number:
            return (
                _(
                    "event #%(event)s came with the document %(document)s: it goes with that document and "
                    "cannot be undone"
                )
                % values
            )
        return (
            _("event #%(event)s came with a document: it goes with that document and cannot be undone")
            % values
        )
    if target.kind == "withdrawn":
        return _("event #%(event)s is a withdrawal: undo it with `procreg restore`") % {"event": eid}
    if target.kind == "restored":
        return _("event #%(event)s is a restoration: undo it with `procreg withdraw`") % {"event": eid}
    if target.kind not in UNDOABLE:
        return _("event #%(event)s (%(kind)s) cannot be undone") % {"event": eid, "kind": target.kind}
    return None
