"""The human view of one parsed document (``procreg parse``) and its JSON shape."""

from __future__ import annotations

import textwrap
from typing import Any

from procreg.i18n import _, pgettext
from procreg.presentation.common import WIDTH, date_text, doc_kind_label, message, number
from procreg.registry.models import ParsedDocument, to_jsonable

__all__ = ["document_json", "format_document"]


def document_json(doc: ParsedDocument) -> dict[str, Any]:
    """The record as JSON data, without the full text (that is for the search index, not this view).

    Keys, ISO dates and numbers never change; the warnings are in the reader's language.
    """
    data: dict[str, Any] = to_jsonable(doc)
    data.pop("text", None)
    data["warnings"] = [message(w) for w in data.get("warnings", [])]
    for part in ("procedures", "catalog"):
        for item in data.get(part, []):
            item["warnings"] = [message(w) for w in item.get("warnings", [])]
    return data


def format_document(doc: ParsedDocument, *, width: int = WIDTH) -> str:
    """Header fields, counts, then the targets and procedures tables, laid out for ``width`` columns."""
    return "\n".join(_document_lines(doc, width))


def _header_lines(doc: ParsedDocument, width: int) -> list[str]:
    """The labelled header fields of the document and what was found in it."""
    signer = doc.signer
    who = f"{signer.name or '?'} ({signer.position or '?'})" if signer else "-"
    found = _(
        "%(sections)d sections, %(targets)d targets, %(citations)d citations, %(catalog)d catalog entries, "
        "%(procedures)d procedures, %(warnings)d warnings"
    ) % {
        "sections": len(doc.sections),
        "targets": len(doc.targets),
        "citations": len(doc.citations),
        "catalog": len(doc.catalog),
        "procedures": len(doc.procedures),
        "warnings": _warning_count(doc),
    }
    rows = [
        (_("Kind:"), doc_kind_label(doc.kind)),
        (_("Number:"), doc.number or "-"),
        (_("Date:"), (date_text(doc.issued_on) or "-") + (f", {doc.place}" if doc.place else "")),
        (_("Title:"), doc.title or "-"),
        (_("Issued by:"), doc.issuer or "-"),
        (_("Signed by:"), who),
        (_("Found:"), found),
    ]
    label_w = max(15, *(len(label) + 1 for label, _value in rows))
    out: list[str] = []
    for label, value in rows:
        lines = textwrap.wrap(value, width=max(40, width - label_w), break_on_hyphens=False) or ["-"]
        out.append(label + " " * (label_w - len(label)) + lines[0])
        out += [" " * label_w + line for line in lines[1:]]
    return out


def _warning_count(doc: ParsedDocument) -> int:
    return len(doc.warnings) + sum(len(p.warnings) for p in doc.procedures)


def _document_lines(doc: ParsedDocument, width: int) -> list[str]:
    """The human view of a ``ParsedDocument``: header fields, counts, targets, procedures, warnings."""
    out = _header_lines(doc, width)
    if doc.targets:
        qualifiers = {
            "exact": pgettext("target", "exact"),
            "at_least": pgettext("target", "at least"),
            "aspiration": pgettext("target", "aspiration"),
        }
        head_sec, head_value, head_qual = _("section"), _("value"), _("qualifier")
        sec_w = max(7, len(head_sec), *(len(t.section) for t in doc.targets))
        shown = [qualifiers.get(t.qualifier, t.qualifier) for t in doc.targets]
        qual_w = max(10, len(head_qual), *(len(q) for q in shown))
        out += ["", f"{head_sec:<{sec_w}}  {head_value:>7}  {head_qual:<{qual_w}}  " + _("target")]
        room = max(10, width - sec_w - qual_w - 15)
        for t, qual in zip(doc.targets, shown, strict=True):
            text = t.text if len(t.text) <= room else t.text[: room - 1] + "…"
            out.append(f"{t.section:<{sec_w}}  {number(t.value) + t.unit:>7}  {qual:<{qual_w}}  {text}")
    if doc.procedures:
        heads = (_("code"), _("steps"), _("Σ hours"), _("limit"))
        code_w = max(4, len(heads[0]), *(len(p.code or "-") for p in doc.procedures))
        col_w = max(6, *(len(h) for h in heads[1:]))
        out += ["", f"{heads[0]:<{code_w}}  " + "  ".join(f"{h:>{col_w}}" for h in heads[1:])]
        out[-1] += "  " + _("procedure name")
        room = max(10, width - code_w - 3 * col_w - 8)
        for p in doc.procedures:
            timed = [st.hours for st in p.steps if st.hours is not None]
            hours = number(sum(timed)) if timed else "-"
            limit = number(p.time_limit_hours) if p.time_limit_hours is not None else "-"
            name = p.name if len(p.name) <= room else p.name[: room - 1] + "…"
            cells = "  ".join(f"{c:>{col_w}}" for c in (str(len(p.steps)), hours, limit))
            out.append(f"{p.code or '-':<{code_w}}  {cells}  {name}")
    out += [_("warning: %(warning)s") % {"warning": message(w)} for w in doc.warnings]
    for p in doc.procedures:
        label = p.code or p.name
        out += [
            _("warning (%(procedure)s): %(warning)s") % {"procedure": label, "warning": message(w)}
            for w in p.warnings
        ]
    return out
