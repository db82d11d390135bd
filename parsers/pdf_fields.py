"""Form-field and annotation values of a PDF page, put into the page's characters where they sit.

The government signing tools write the number and the issue date of a signed document into form
fields (widget annotations) over the blanks of "Số:      /QĐ-UBND" and "ngày    tháng    năm": the
page text keeps the blanks and the values ("3070.", "09", "9") live only in the fields. A text layer
reader never sees them, so the document looks like a draft. ``page_fields`` reads the values of text
and choice fields (inherited from a parent field too) and of free-text annotations; ``place_fields``
turns each into characters inside its rectangle, on the text line it covers (same font size and
baseline as the neighbouring glyphs), and drops the blank space glyphs it covers, so "Số:" + "3005."
+ "/QĐ-UBND" read as one line before any extractor runs.

Signature fields (``/FT /Sig``) are skipped: their box ("Ký bởi: …", "Thời gian ký: …") is the
signing tool's stamp, not the document; so is any field or note whose value reads like that box.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from procreg.text import normalize_line

__all__ = ["Field", "STAMP_RE", "page_fields", "place_fields"]

# The first words of a digital-signature box.
STAMP_RE = re.compile(r"^\W*(?:Ký bởi|Người ký|Thời gian ký|Signed by|Digitally signed by)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Field:
    """A value shown on the page and its rectangle (page coordinates, top-down like pdfplumber)."""

    value: str
    x0: float
    top: float
    x1: float
    bottom: float


def _resolve(obj: Any) -> Any:
    from pdfminer.pdftypes import resolve1

    return resolve1(obj)


def _inherited(data: dict[str, Any], key: str) -> Any:
    """A field attribute, looked up through ``/Parent`` (a widget inherits its field's type and value)."""
    seen = 0
    node: Any = data
    while isinstance(node, dict) and seen < 16:
        if key in node:
            return _resolve(node[key])
        node = _resolve(node.get("Parent"))
        seen += 1
    return None


def _text(value: Any) -> str:
    """A PDF string (bytes in PDFDocEncoding or UTF-16 with BOM), a name or a list of them, as text."""
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, list):
        return " ".join(_text(_resolve(v)) for v in value)
    return ""


def _name(value: Any) -> str:
    from pdfminer.psparser import PSLiteral

    return str(value.name) if isinstance(value, PSLiteral) else ""


def page_fields(annots: Iterable[dict[str, Any]]) -> list[Field]:
    """The values of a page's text/choice fields and free-text notes (pdfplumber ``page.annots``)."""
    out: list[Field] = []
    for annot in annots:
        data = annot.get("data")
        if not isinstance(data, dict):
            continue
        subtype = _name(_resolve(data.get("Subtype")))
        if subtype == "Widget":
            if _name(_inherited(data, "FT")) not in ("Tx", "Ch"):
                continue  # a signature box, a button
            value = _text(_inherited(data, "V"))
        elif subtype == "FreeText":
            value = _text(_resolve(data.get("Contents")))
        else:
            continue
        value = normalize_line(value.replace("\r", " ").replace("\n", " "))
        if not value or STAMP_RE.match(value):
            continue
        out.append(
            Field(value, float(annot["x0"]), float(annot["top"]), float(annot["x1"]), float(annot["bottom"]))
        )
    return out


def _vertical_overlap(char: dict[str, Any], field: Field) -> float:
    return min(float(char["bottom"]), field.bottom) - max(float(char["top"]), field.top)


def _template(chars: list[dict[str, Any]], field: Field) -> dict[str, Any] | None:
    """The glyph whose line the field sits on: most vertical overlap, then nearest horizontally."""
    best: tuple[float, float] | None = None
    found: dict[str, Any] | None = None
    for char in chars:
        if not char["text"].strip():
            continue
        overlap = _vertical_overlap(char, field)
        height = float(char["bottom"]) - float(char["top"])
        if overlap <= 0.5 * height:
            continue
        distance = max(0.0, field.x0 - float(char["x1"]), float(char["x0"]) - field.x1)
        if distance > 200:
            continue
        key = (-round(overlap, 1), distance)
        if best is None or key < best:
            best, found = key, char
    return found


def _value_chars(field: Field, template: dict[str, Any] | None, page_top: float) -> list[dict[str, Any]]:
    """The field's value as glyphs left-aligned in its rectangle, on the template's line."""
    if template is not None:
        size = float(template.get("size") or (template["bottom"] - template["top"]))
        top, bottom = float(template["top"]), float(template["bottom"])
        doctop = float(template["doctop"])
        base: dict[str, Any] = {k: template[k] for k in ("fontname", "upright") if k in template}
    else:
        size = max(4.0, 0.75 * (field.bottom - field.top))
        top = (field.top + field.bottom - size) / 2
        bottom, doctop = top + size, page_top + top
        base = {"fontname": "field", "upright": True}
    width = 0.55 * size
    room = field.x1 - field.x0 - 1.0
    if len(field.value) * width > room > 0:
        width = room / len(field.value)
    out = []
    for k, char in enumerate(field.value):
        x0 = field.x0 + 0.5 + k * width
        out.append(
            {
                **base,
                "text": char,
                "x0": x0,
                "x1": x0 + width,
                "top": top,
                "bottom": bottom,
                "doctop": doctop,
                "size": size,
                "width": width,
                "height": bottom - top,
                "object_type": "char",
                "matrix": (1, 0, 0, 1, x0, 0),
            }
        )
    return out


def place_fields(
    chars: list[dict[str, Any]], fields: list[Field], page_top: float = 0.0
) -> list[dict[str, Any]]:
    """``chars`` with each field's value placed as glyphs, and the space glyphs it covers dropped.

    ``page_top`` is the page's ``doctop`` offset (for a field on a line of its own).
    """
    if not fields:
        return chars
    covered: list[tuple[float, float, float, float]] = []
    added: list[dict[str, Any]] = []
    for field in fields:
        template = _template(chars, field)
        glyphs = _value_chars(field, template, page_top)
        added.extend(glyphs)
        covered.append((field.x0, glyphs[0]["top"], field.x1, glyphs[0]["bottom"]))

    def blank_under_field(char: dict[str, Any]) -> bool:
        if char["text"].strip():
            return False
        centre = (float(char["x0"]) + float(char["x1"])) / 2
        middle = (float(char["top"]) + float(char["bottom"])) / 2
        return any(x0 <= centre <= x1 and top - 1 <= middle <= bottom + 1 for x0, top, x1, bottom in covered)

    return [c for c in chars if not blank_under_field(c)] + added
