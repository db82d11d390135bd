"""From a step's rows to a ``Step``: cells mapped to the table's columns, time cells counted.

A step is its id row plus the rows and paragraphs that followed it up to the next step (``StepDraft``).
Rows may be shifted right by empty cells or miss cells (merged cells, a page break inside a row), so cells
are mapped to column roles by count when it fits, and otherwise anchored on the time cell: the cells next
to it take the roles next to it. A row with its own time cell under a timed step is a sub-row (one step
done by several units in turn): its hours add up and its unit joins the step's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from procreg.parsers.durations import looks_like_duration, parse_duration
from procreg.parsers.items import Item
from procreg.parsers.procedure.branches import dossier_branches
from procreg.parsers.procedure.state import StepDraft
from procreg.parsers.units import split_units
from procreg.registry.models import Step
from procreg.text import normalize_line

__all__ = ["build_step", "map_cells"]


def _cells_from(item: Item, *, keep_empty: bool) -> list[str]:
    """A row's cells after its leading empty ones (shifted rows); a paragraph as one cell."""
    if not item.row:
        return [item.cells[0]]
    cells = list(item.cells)
    while cells and not cells[0].strip():
        cells.pop(0)
    return cells if keep_empty else [c for c in cells if c.strip()]


def map_cells(cells: list[str], roles: Sequence[str]) -> dict[str, list[str]]:
    """Assign cells to roles (the id excluded from both), anchored on the time cell when counts differ."""
    out: dict[str, list[str]] = {}

    def put(role: str, cell: str) -> None:
        if cell.strip():
            out.setdefault(role, []).append(cell)

    if len(cells) == len(roles) or "time" not in roles:
        for i, cell in enumerate(cells):
            put(roles[min(i, len(roles) - 1)] if roles else "content", cell)
        return out
    tr = roles.index("time")
    ti = next((i for i, c in enumerate(cells) if looks_like_duration(c)), None)
    if ti is None:
        for i, cell in enumerate(cells):
            put(roles[min(i, len(roles) - 1)], cell)
        return out
    put("time", cells[ti])
    before, rb = cells[:ti], list(roles[:tr])
    if rb:
        # From the right: cells next to the time cell take the roles next to it; extra ones join the first.
        k = len(before) - 1
        for j in range(len(rb) - 1, -1, -1):
            if k < 0:
                break
            if j == 0:
                for cell in before[: k + 1]:
                    put(rb[0], cell)
                k = -1
            else:
                put(rb[j], before[k])
                k -= 1
        for role in rb:
            if role in out and len(out[role]) > 1:
                out[role] = [" ".join(out[role])]
    after, ra = cells[ti + 1 :], list(roles[tr + 1 :])
    for i, cell in enumerate(after):
        if ra:
            put(ra[min(i, len(ra) - 1)], cell)
        elif "result" not in roles:
            put("result", cell)
    return out


def _continued_role(cell: str, first: Mapping[str, list[str]]) -> str | None:
    """The role whose cell a lower-case continuation cell completes (content first, then result)."""
    if not cell[:1].islower() or looks_like_duration(cell):
        return None
    for role in ("content", "result"):
        texts = first.get(role)
        if texts and not texts[-1].rstrip().endswith((".", ";", ":", "!", "?")):
            return role
    return None


def _take_continuations(
    cells: list[str], first_map: Mapping[str, list[str]], continued: dict[str, list[str]]
) -> list[str]:
    """Move the cells that complete a cell of the id row into ``continued``; return the others."""
    kept = []
    for cell in cells:
        target = _continued_role(cell, first_map)
        if target is None:
            kept.append(cell)
        else:
            continued.setdefault(target, []).append(cell)
    return kept


def _page_continuations(draft: StepDraft) -> tuple[Item, list[Item]]:
    """The step's first row with the rest of it that a page break moved to the next page(s).

    Word breaks a row taller than a page: the next page starts with a row of the same cells whose step
    cell is empty and whose time cell (already given) is empty too. Its cells continue the first row's,
    cell by cell. Returns the completed first row and the fragments left.
    """
    first = draft.first
    if not first.row:
        return first, list(draft.fragments)
    cells = list(first.cells)
    id_at = next((i for i, c in enumerate(cells) if c.strip()), 0)
    time_at = [i for i, c in enumerate(cells) if looks_like_duration(c)]
    fragments = list(draft.fragments)
    while fragments:
        frag = fragments[0]
        if not frag.row or len(frag.cells) != len(cells) or frag.cells[id_at].strip():
            break
        if any(frag.cells[i].strip() for i in time_at) or not any(c.strip() for c in frag.cells):
            break
        cells = [
            " ".join(p for p in (a.strip(), b.strip()) if p) for a, b in zip(cells, frag.cells, strict=True)
        ]
        fragments.pop(0)
    return Item(tuple(cells), True, first.ref), fragments


def _gather(
    draft: StepDraft, roles: Sequence[str]
) -> tuple[list[str], list[list[str]], dict[str, list[str]]]:
    """A step's cells in order, its timed sub-rows, and the continuations of its id row's cells.

    The id row is complete up to its time cell: a short row after it whose cell starts in lower case
    carries the rest of a cell cut by a page break ("… dựa vào địa" | "điểm ghi trong …"). Paragraphs
    between rows join into one cell.
    """
    first, fragments = _page_continuations(draft)
    flat = _cells_from(first, keep_empty=True)[1:] if first.row else []
    sub_rows: list[list[str]] = []
    has_time = any(looks_like_duration(c) for c in flat)
    first_map = map_cells([c for c in flat if c.strip()], roles) if has_time else {}
    continued: dict[str, list[str]] = {}
    para_run: list[str] = []
    for frag in fragments:
        if not frag.row:
            para_run.append(frag.cells[0])
            continue
        if para_run:
            flat.append(" ".join(para_run))
            para_run = []
        cells = _cells_from(frag, keep_empty=False)
        if first_map and len(cells) < len(roles):
            cells = _take_continuations(cells, first_map, continued)
            if not cells:
                continue
        frag_time = any(looks_like_duration(c) for c in cells)
        if has_time and frag_time:
            sub_rows.append(cells)
            continue
        flat.extend(cells)
        has_time = has_time or frag_time
    if para_run:
        flat.append(" ".join(para_run))
    if fragments and len(flat) != len(roles):
        flat = [c for c in flat if c.strip()]
    return flat, sub_rows, continued


def build_step(draft: StepDraft, roles: Sequence[str], order: int, aliases: Mapping[str, str] | None) -> Step:
    """Assemble one step from its id row and the fragments that followed it.

    Args:
        draft: the step's rows.
        roles: the table's column roles; the id column is dropped (rows carry the id first after shifted
            empties, so roles left of it are not kept apart).
        order: the step's 1-based position in its case.
        aliases: user unit aliases.
    """
    if "id" in roles:
        id_role = roles.index("id")
        roles = [r for i, r in enumerate(roles) if i != id_role]
    flat, sub_rows, continued = _gather(draft, roles)
    mapped = map_cells(flat, roles)
    for role, texts in continued.items():
        mapped[role] = [" ".join([*mapped.get(role, []), *texts])]
    text = " ".join(mapped.get("content", []))
    resp = " ".join(mapped.get("resp", []))
    result = " ".join(mapped.get("result", []))
    durations = [parse_duration(c) for c in mapped.get("time", [])[:1]]
    responsible = list(split_units(resp, aliases)) if resp else []
    extra_text: list[str] = []
    for sub in sub_rows:
        m = map_cells(sub, roles)
        durations.extend(parse_duration(c) for c in m.get("time", [])[:1])
        sub_resp = " ".join(m.get("resp", []))
        if sub_resp:
            resp = f"{resp}; {sub_resp}" if resp else sub_resp
            responsible.extend(u for u in split_units(sub_resp, aliases) if u not in responsible)
        extra_text.extend(m.get("content", []))
        if m.get("result"):
            result = f"{result}; {' '.join(m['result'])}".strip("; ")
    if extra_text:
        text = " ".join([text, *extra_text]).strip()
    counted = [d.hours for d in durations if d.hours is not None]
    return Step(
        order=order,
        label=draft.label,
        text=normalize_line(text),
        responsible=tuple(responsible),
        responsible_text=normalize_line(resp),
        hours=round(sum(counted), 4) if counted else None,
        duration_text="; ".join(d.text for d in durations),
        result=normalize_line(result) or None,
        branches=dossier_branches(text),
        source=draft.first.ref,
    )
