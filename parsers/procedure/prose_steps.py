"""Steps written as prose: ``Bước 1: …`` paragraphs, or a run of ``Bước N:`` inside one long text.

``Bước 3: Trong thời gian 07 ngày làm việc …, Sở Ngoại vụ thẩm định …``: the units named in the text are
the step's responsible units and its first duration is the step's time (see docs/FORMATS.md, "Prose
steps").
"""

from __future__ import annotations

import re

from procreg.parsers.durations import find_duration
from procreg.parsers.items import Item
from procreg.parsers.procedure.branches import dossier_branches
from procreg.parsers.procedure.headings import heading_in
from procreg.parsers.procedure.state import Reading, Variant
from procreg.parsers.units import find_units
from procreg.registry.models import SourceRef, Step
from procreg.text import normalize_line

__all__ = ["flush_prose", "inline_prose", "note_prose_step"]

_PROSE_STEP = re.compile(r"^Bước\s*(\d{1,2})\s*[:.)–-]\s*(.+)$", re.IGNORECASE)
_INLINE_STEP = re.compile(r"(?:(?<=\s)|^)(?:[-–+•]\s*)?Bước\s*(\d{1,2})\s*[:.]\s*")
# Where an inline step's text ends: the next numbered subsection ("1.2. Cách thức …", "b) Hồ sơ …").
_SUBSECTION = re.compile(r"\s(?:\d{1,2}\.\d{1,2}\.?|[a-dđ]\))\s+[A-ZĐÀ-Ỹ]|\s\d{1,2}\.\s+[A-ZĐ][a-zđà-ỹ]")


def _prose_step(reading: Reading, order: int, number: str, body: str, ref: SourceRef) -> Step:
    duration = find_duration(body)
    return Step(
        order=order,
        label=f"Bước {number}",
        text=body,
        responsible=find_units(body, reading.aliases),
        hours=duration.hours if duration else None,
        duration_text=duration.text if duration else "",
        branches=dossier_branches(body),
        source=ref,
    )


def note_prose_step(reading: Reading, item: Item) -> bool:
    """A ``Bước N: …`` paragraph: kept until the run of them ends."""
    m = _PROSE_STEP.match(item.text)
    if m is None:
        return False
    reading.prose.append((int(m.group(1)), item.text, item))
    return True


def flush_prose(reading: Reading) -> None:
    """A run of ``Bước N: …`` paragraphs ended: two or more make the steps of a procedure.

    They fill the current key/value procedure while it has no steps and no new heading came; otherwise
    they start a procedure of their own.
    """
    run, reading.prose = reading.prose, []
    if len(run) < 2:
        return
    proc = reading.current
    if proc is None or proc.steps or not proc.kv or reading.major_since_start() is not None:
        proc = reading.new_proc(run[0][2].ref, kv=False)
    proc.variants.append(Variant(label=None))
    for order, (number, text, item) in enumerate(run, start=1):
        m = _PROSE_STEP.match(text)
        body = m.group(2).strip() if m else text
        proc.variants[-1].steps.append(_prose_step(reading, order, str(number), body, item.ref))


def _runs(marks: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Step marks cut into runs: a run ends where the numbering does not go up."""
    runs: list[list[re.Match[str]]] = []
    for mark in marks:
        if not runs or int(mark.group(1)) <= int(runs[-1][-1].group(1)):
            runs.append([])
        runs[-1].append(mark)
    return runs


def inline_prose(reading: Reading, text: str, item: Item) -> bool:
    """Steps written inline in one long text: ``… 1.1. Trình tự thực hiện - Bước 1: … - Bước 2: …``.

    Each run of steps numbered from 1 becomes a procedure named by the heading just before it. True when
    a procedure was made.
    """
    marks = list(_INLINE_STEP.finditer(text))
    if len(marks) < 2:
        return False
    made = False
    previous_end = 0
    for run in _runs(marks):
        if len(run) < 2 or int(run[0].group(1)) != 1:
            previous_end = run[-1].end()
            continue
        reading.add_heading(heading_in(text[previous_end : run[0].start()], reading.pos))
        flush_prose(reading)
        proc = reading.new_proc(item.ref, kv=False)
        proc.variants.append(Variant(label=None))
        for i, mark in enumerate(run):
            end = run[i + 1].start() if i + 1 < len(run) else len(text)
            body = text[mark.end() : end]
            stop = _SUBSECTION.search(body)
            if stop:
                body = body[: stop.start()]
            body = normalize_line(body[:1500]).rstrip(" -;")
            proc.variants[-1].steps.append(_prose_step(reading, i + 1, mark.group(1), body, item.ref))
        previous_end = run[-1].end()
        made = True
    return made
