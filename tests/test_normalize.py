"""Property tests: normalisation is idempotent NFC; block building and readers never crash on any text."""

from __future__ import annotations

import string
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procreg.parsers.blocks import build_blocks, document_lines, document_text
from procreg.parsers.read import read_document
from procreg.registry.errors import InputError
from procreg.registry.models import Cell, Paragraph, RawDocument, Table
from procreg.text import fold, normalize_line, normalize_text

VIETNAMESE = "ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
TRICKY = " \t\r\n\f\v\u00a0\u200b\u00ad\ufeff\u2028\u3000|-–•.;:)"
vn_text = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + VIETNAMESE + COMBINING + TRICKY)
)
# Characters XML 1.0 (hence .docx) can hold, without controls (tabs would make layout columns).
xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co"), blacklist_characters="\ufffe\uffff"),
    max_size=60,
)


@given(st.text())
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(vn_text)
def test_normalize_text_is_nfc_without_exotic_spaces(text: str) -> None:
    out = normalize_text(text)
    assert unicodedata.is_normalized("NFC", out)
    assert "\r" not in out and "\u00a0" not in out and "\u200b" not in out and "\n\n\n" not in out


@given(st.text())
def test_normalize_line_is_idempotent_and_one_line_safe(text: str) -> None:
    once = normalize_line(text)
    assert normalize_line(once) == once
    assert once == once.strip()


@given(vn_text)
def test_fold_ignores_normal_form(text: str) -> None:
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


cells = st.builds(Cell, text=st.text(max_size=10), span=st.integers(1, 3))
items = st.lists(
    st.one_of(
        st.text(max_size=40).map(normalize_line),
        st.just(""),
        st.none(),
        st.lists(
            st.builds(Cell, text=st.text(max_size=10), span=st.integers(1, 3)), min_size=1, max_size=4
        ).map(tuple),
    ),
    max_size=30,
)


@given(items)
def test_build_blocks_never_raises_and_keeps_every_row(stream: list[str | tuple[Cell, ...] | None]) -> None:
    blocks = build_blocks(stream)
    assert [b.index for b in blocks] == list(range(1, len(blocks) + 1))
    rows = [row for b in blocks if isinstance(b, Table) for row in b.rows]
    assert rows == [item for item in stream if isinstance(item, tuple)]
    words = " ".join(i for i in stream if isinstance(i, str)).split()
    assert " ".join(b.text for b in blocks if isinstance(b, Paragraph)).split() == words
    raw = RawDocument(path="x.txt", format="txt", sha256="", blocks=blocks)
    assert len(document_lines(raw)) == sum(1 if isinstance(b, Paragraph) else len(b.rows) for b in blocks)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200) | vn_text.map(lambda s: s.encode("utf-8")))
def test_txt_reader_never_raises_anything_but_input_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(data)
        try:
            raw = read_document(path)
        except InputError as err:
            assert str(err).startswith(f"{path}: ")
            return
        assert unicodedata.is_normalized("NFC", document_text(raw))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(xml_text, min_size=1, max_size=5), st.lists(xml_text, min_size=1, max_size=3))
def test_docx_reader_reads_any_text_back(paras: list[str], cells: list[str]) -> None:
    import docx

    document = docx.Document()
    for text in paras:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=len(cells))
    for cell, text in zip(table.rows[0].cells, cells, strict=True):
        cell.text = text
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.docx"
        document.save(str(path))
        try:
            raw = read_document(path)
        except InputError as err:
            assert "empty" in str(err)
            return
    tables = [b for b in raw.blocks if isinstance(b, Table)]
    assert [c.text for c in tables[0].rows[0]] == [normalize_line(c.replace("\n", " ")) for c in cells]
    got = " ".join(b.text for b in raw.blocks if isinstance(b, Paragraph)).split()
    assert got == " ".join(normalize_line(p.replace("\n", " ")) for p in paras).split()
