"""Prose steps made into procedures: the lists ``prose_lists`` found, and ``Bước N:`` runs in one long text.

``Bước 3: Trong thời gian 07 ngày làm việc …, Sở Ngoại vụ thẩm định …``: the units named in the text are
the step's responsible units and its first duration is the step's time (see docs/FORMATS.md, "Prose
steps"). A long cell or paragraph may hold a whole run inline (``… 1.1. Trình tự thực hiện - Bước 1: …
- Bước 2: …``): ``inline_prose`` cuts it; a run numbered from past 1 is not read, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from procreg.i18n import N_
from procreg.parsers.durations import find_duration
from procreg.parsers.items import Item
from procreg.parsers.procedure.branches import dossier_branches
from procreg.parsers.procedure.headings import heading_in
from procreg.parsers.procedure.prose_lists import ProseList
from procreg.parsers.procedure.state import Reading, Variant
from procreg.parsers.units import find_units
from procreg.registry.models import SourceRef, Step
from procreg.text import normalize_line

__all__ = ["inline_prose", "prose_step", "start_prose_list"]

_INLINE_STEP = re.compile(r"(?:(?<=\s)|^)(?:[-–+•]\s*)?Bước\s*(\d{1,2})\s*[:.]\s*")
# Where an inline step's text ends: the next numbered subsection ("1.2. Cách thức …", "b) Hồ sơ …").
_SUBSECTION = re.compile(r"\s(?:\d{1,2}\.\d{1,2}\.?|[a-dđ]\))\s+[A-ZĐÀ-Ỹ]|\s\d{1,2}\.\s+[A-ZĐ][a-zđà-ỹ]")


def prose_step(reading: Reading, order: int, label: str, body: str, ref: SourceRef) -> Step:
    """A step written as text: the units it names are responsible, its first time is its time."""
    duration = find_duration(body)
    return Step(
        order=order,
        label=label,
        text=body,
        responsible=find_units(body, reading.aliases),
        hours=duration.hours if duration else None,
        duration_text=duration.text if duration else "",
        branches=dossier_branches(body),
        source=ref,
    )


def start_prose_list(reading: Reading, plist: ProseList, same_lead: bool) -> None:
    """A list of prose steps starts here: a procedure of its own, or the next case of the one before.

    The steps fill the current key/value or ISO procedure while it has no steps and no new heading came
    (their step section is prose); another case of the same lead-in is a case of the same procedure.
    """
    proc = reading.current
    if same_lead and proc is not None and proc.steps:
        proc.variants.append(Variant(label=plist.case))
    else:
        if proc is None or proc.steps or not proc.kv or reading.major_since_start() is not None:
            ref = reading.items[plist.start].ref
            proc = reading.new_proc(ref, kv=False)
            proc.name = plist.name or proc.name
        proc.variants.append(Variant(label=plist.case))
    for order, step in enumerate(plist.steps, start=1):
        ref = reading.items[step.pos].ref
        proc.variants[-1].steps.append(prose_step(reading, order, step.label, step.text, ref))


def _runs(marks: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Step marks cut into runs: a run ends where the numbering does not go up."""
    runs: list[list[re.Match[str]]] = []
    for mark in marks:
        if not runs or int(mark.group(1)) <= int(runs[-1][-1].group(1)):
            runs.append([])
        runs[-1].append(mark)
    return runs


def _ref_at(parts: Sequence[tuple[int, SourceRef]], offset: int, default: SourceRef) -> SourceRef:
    """Where the text at ``offset`` was printed: the last part starting at or before it."""
    ref = default
    for start, part_ref in parts:
        if start > offset:
            break
        ref = part_ref
    return ref


def _warn_headless(reading: Reading, run: list[re.Match[str]], where: SourceRef) -> None:
    """Say that a run of inline steps was not read: its numbering starts past 1, so its start is elsewhere.

    Such a run is the middle of a list whose start the reader could not put with it (a cell cut in two,
    a page lost); taking it as a procedure would invent one, dropping it quietly would hide the loss.
    """
    reading.warnings.append(
        N_(
            "%(where)s: steps %(first)s to %(last)s are written inline with no step 1 before them in the "
            "same text; they are not read as a procedure"
        )
        % {"where": where.describe(), "first": run[0].group(1), "last": run[-1].group(1)}
    )


def inline_prose(
    reading: Reading, text: str, item: Item, parts: Sequence[tuple[int, SourceRef]] = ()
) -> bool:
    """Steps written inline in one long text: ``… 1.1. Trình tự thực hiện - Bước 1: … - Bước 2: …``.

    Each run of steps numbered from 1 becomes a procedure named by the heading just before it. True when
    a procedure was made. ``parts`` gives, for a text joined from pieces printed in several places (a cell
    cut by page breaks), each piece's start offset and reference: a step points where it was printed.
    """
    marks = list(_INLINE_STEP.finditer(text))
    if len(marks) < 2:
        return False
    made = False
    previous_end = 0
    for run in _runs(marks):
        if len(run) >= 2 and int(run[0].group(1)) != 1:
            _warn_headless(reading, run, _ref_at(parts, run[0].start(), item.ref))
        if len(run) < 2 or int(run[0].group(1)) != 1:
            previous_end = run[-1].end()
            continue
        reading.add_heading(heading_in(text[previous_end : run[0].start()], reading.pos))
        proc = reading.new_proc(_ref_at(parts, run[0].start(), item.ref), kv=False)
        proc.variants.append(Variant(label=None))
        for i, mark in enumerate(run):
            end = run[i + 1].start() if i + 1 < len(run) else len(text)
            body = text[mark.end() : end]
            stop = _SUBSECTION.search(body)
            if stop:
                body = body[: stop.start()]
            body = normalize_line(body[:1500]).rstrip(" -;")
            label = f"Bước {mark.group(1)}"
            ref = _ref_at(parts, mark.start(), item.ref)
            proc.variants[-1].steps.append(prose_step(reading, i + 1, label, body, ref))
        previous_end = run[-1].end()
        made = True
    return made
