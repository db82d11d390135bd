"""Signed PDFs: number and date only in AcroForm fields over blank page text, as signing tools write them."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PLAN_TXT

from procreg.parsers.document import parse_document
from procreg.parsers.pdf_fields import Field, place_fields

DRAFT = "number left blank in the header (a draft?)"


def _truth(name: str, truth: dict[str, Any]) -> dict[str, Any]:
    if name == PLAN_TXT.stem:
        return {"number": "01/KH-SNgV", "issued_on": "2023-01-10", "kind": "plan", "signer": "Thái Phúc Sơn"}
    return dict(truth[f"{name}.txt"])


@pytest.mark.parametrize(
    "name",
    [
        "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte",
        "kh-01-sngv-2023-cchc",
        "nghean_qd3857-2025_quytrinhnoibo_taichinhdatdai",
    ],
)
def test_signed_pdf_reads_its_fields(name: str, truth: dict[str, Any]) -> None:
    from fixtures.scans import signed

    want = _truth(name, truth)
    doc = parse_document(signed(name))
    assert (doc.number, doc.issued_on, doc.kind) == (want["number"], want["issued_on"], want["kind"])
    assert doc.signer is not None and doc.signer.name == want["signer"]
    assert not any("draft" in w for w in doc.warnings), doc.warnings
    assert "page 1: form-field values read into the text" in doc.warnings
    assert "Ky boi" not in doc.text and "Ký bởi" not in doc.text  # the signature box is not the document

    draft = parse_document(signed(name, fields=False))
    assert (draft.number, draft.issued_on) == (None, None)
    assert DRAFT in draft.warnings
    assert (draft.kind, draft.signer) == (doc.kind, doc.signer)


def _char(text: str, x0: float, top: float = 100.0, size: float = 10.0) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + 5,
        "top": top,
        "bottom": top + size,
        "doctop": top,
        "size": size,
        "fontname": "Times",
        "upright": True,
    }


def test_field_value_lands_on_its_line_and_replaces_the_blank() -> None:
    line = [_char(c, 50 + 5 * i) for i, c in enumerate("Số:")] + [_char(" ", 65 + 5 * i) for i in range(6)]
    line += [_char(c, 95 + 5 * i) for i, c in enumerate("/QĐ-UBND")]
    other = [_char("x", 50, top=300)]
    chars = place_fields(line + other, [Field("3070.", 66.0, 97.0, 94.0, 112.0)])
    placed = [c for c in chars if c["text"] in "3070."]
    assert "".join(c["text"] for c in sorted(placed, key=lambda c: c["x0"])) == "3070."
    assert all(c["top"] == 100.0 and c["size"] == 10.0 for c in placed)  # the line's baseline and size
    assert not any(c["text"] == " " and 66 <= c["x0"] < 94 for c in chars)  # blanks under it dropped
    assert max(c["x1"] for c in placed) <= 94.0 and min(c["x0"] for c in placed) >= 66.0
    assert other[0] in chars


def test_field_on_an_empty_line_gets_its_own_glyphs() -> None:
    chars = place_fields([], [Field("09", 10.0, 10.0, 30.0, 22.0)], page_top=842.0)
    assert "".join(c["text"] for c in chars) == "09"
    assert all(c["top"] >= 10.0 and c["bottom"] <= 22.0 and c["doctop"] > 842 for c in chars)
