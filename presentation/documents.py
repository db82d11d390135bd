"""The human view of one parsed document (``procreg parse``) and its JSON shape."""

from __future__ import annotations

import textwrap
from typing import Any

from procreg.presentation.common import WIDTH, vn_number
from procreg.registry.models import ParsedDocument, to_jsonable

__all__ = ["document_json", "format_document"]


def document_json(doc: ParsedDocument) -> dict[str, Any]:
    """The record as JSON data, without the full text (that is for the search index, not this view)."""
    data: dict[str, Any] = to_jsonable(doc)
    data.pop("text", None)
    return data


def format_document(doc: ParsedDocument, *, width: int = WIDTH) -> str:
    """Header fields, counts, then the targets and procedures tables, laid out for ``width`` columns."""
    return "\n".join(_document_lines(doc, width))


def _document_lines(doc: ParsedDocument, width: int) -> list[str]:
    """The human view of a ``ParsedDocument``: header fields, counts, then a targets table."""
    signer = doc.signer
    who = f"{signer.name or '?'} ({signer.position or '?'})" if signer else "-"
    title = textwrap.wrap(doc.title or "-", width=max(40, width - 15), break_on_hyphens=False) or ["-"]
    out = [
        f"Loại (kind):   {doc.kind or '-'}",
        f"Số (number):   {doc.number or '-'}",
        f"Ngày (date):   {doc.issued_on or '-'}" + (f", {doc.place}" if doc.place else ""),
        f"Trích yếu:     {title[0]}",
        *(" " * 15 + line for line in title[1:]),
        f"Cơ quan:       {doc.issuer or '-'}",
        f"Người ký:      {who}",
        f"Tìm thấy:      {len(doc.sections)} mục, {len(doc.targets)} chỉ tiêu, "
        f"{len(doc.citations)} trích dẫn, {len(doc.catalog)} danh mục, "
        f"{len(doc.procedures)} quy trình, {len(doc.warnings)} cảnh báo",
    ]
    if doc.targets:
        sec_w = max(7, *(len(t.section) for t in doc.targets))
        out += ["", f"{'mục':<{sec_w}}  {'giá trị':>7}  {'qualifier':<10}  chỉ tiêu"]
        room = max(10, width - sec_w - 25)
        for t in doc.targets:
            text = t.text if len(t.text) <= room else t.text[: room - 1] + "…"
            out.append(f"{t.section:<{sec_w}}  {vn_number(t.value) + t.unit:>7}  {t.qualifier:<10}  {text}")
    if doc.procedures:
        code_w = max(4, *(len(p.code or "-") for p in doc.procedures))
        out += ["", f"{'mã':<{code_w}}  {'bước':>5}  {'Σ giờ':>6}  {'hạn':>6}  tên quy trình"]
        room = max(10, width - code_w - 27)
        for p in doc.procedures:
            timed = [st.hours for st in p.steps if st.hours is not None]
            hours = vn_number(sum(timed)) if timed else "-"
            limit = vn_number(p.time_limit_hours) if p.time_limit_hours is not None else "-"
            name = p.name if len(p.name) <= room else p.name[: room - 1] + "…"
            out.append(f"{p.code or '-':<{code_w}}  {len(p.steps):>5}  {hours:>6}  {limit:>6}  {name}")
    out += [f"cảnh báo: {w}" for w in doc.warnings]
    return out
