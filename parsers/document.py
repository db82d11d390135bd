"""The parsing pipeline: file -> blocks -> header, sections, targets, citations, catalog, procedures.

``parse_document`` reads a .txt/.docx/.pdf file (``parsers.read.read_document``) and runs every extractor
over the same linear view of its blocks, so the three renderings of a document give the same record.
Nothing is stored; the result is a ``ParsedDocument``, what ``procreg parse --json`` prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from procreg.i18n import N_
from procreg.parsers.blocks import Line, document_lines
from procreg.parsers.catalog import detect_change_type, extract_catalog
from procreg.parsers.citations import extract_citations
from procreg.parsers.header import Header, extract_header
from procreg.parsers.procedure import extract_procedures
from procreg.parsers.read import read_document
from procreg.parsers.sections import body_end, extract_sections
from procreg.parsers.targets import extract_targets
from procreg.registry.models import ParsedDocument, RawDocument, ReadOptions

__all__ = ["default_symbols", "find_publicizing_order", "parse_document", "parse_raw"]

# "công khai ... trên cơ sở dữ liệu quốc gia về TTHC / Cổng thông tin điện tử / Cổng Dịch vụ công /
# Trang thông tin điện tử": the order that makes a decision's procedures public.
_PUBLICIZE_RE = re.compile(
    r"công\s+khai.{0,300}?(?:cơ\s+sở\s+dữ\s+liệu\s+quốc\s+gia|Cổng\s+(?:thông\s+tin\s+điện\s+tử|TTĐT|"
    r"Dịch\s+vụ\s+công)|Trang\s+thông\s+tin\s+điện\s+tử|Hệ\s+thống\s+thông\s+tin\s+giải\s+quyết)",
    re.IGNORECASE | re.S,
)
_SENTENCE_SPLIT_RE = re.compile(
    r"(?<=[.!?])\s+(?=(?:Điều\s+\d|[A-ZĐ"
    + "".join(c for c in map(chr, range(0xC0, 0x1EF9)) if c.isalpha() and c.isupper())
    + r"]))"
)
_ARTICLE_PREFIX_RE = re.compile(r"^Điều\s+\d+\s*[.:]\s*")
_LABEL_RE = re.compile(r"(?:^|\s)(?:[a-zđ]\)|\d{1,2}\.)\s+")
_ITEM_RE = re.compile(r"^(?:[-–+•]|[a-zđ]\)|\d{1,2}\.|[IVX]+\.|Điều\s+\d)")


@lru_cache(maxsize=1)
def _shipped_symbols() -> dict[str, str]:
    text = resources.files("procreg.parsers").joinpath("data/symbols.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)
    return data


def default_symbols() -> dict[str, str]:
    """The shipped issuer symbol table (``SNgV`` -> ``Sở Ngoại vụ``), a fresh copy the caller may extend."""
    return dict(_shipped_symbols())


def _logical_texts(lines: Sequence[Line], start: int, end: int) -> list[str]:
    """Body texts with hard-wrapped paragraphs rejoined (a paragraph not ending a sentence continues)."""
    out: list[str] = []
    joinable = False
    for i in range(start, end):
        line = lines[i]
        if line.cells is not None:
            out.extend(c for c in line.cells if c)
            joinable = False
            continue
        text = line.text.strip()
        if joinable and out and not _ITEM_RE.match(text):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        joinable = not text.endswith((".", ";", "!", "?"))
    return out


def find_publicizing_order(lines: Sequence[Line], start: int, end: int) -> str | None:
    """The body sentence that orders publication (công khai ... on the national database or a portal)."""
    for text in _logical_texts(lines, start, end):
        if "công khai" not in text.lower():
            continue
        for sentence in _SENTENCE_SPLIT_RE.split(text):
            m = _PUBLICIZE_RE.search(sentence)
            if m is None:
                continue
            labels = list(_LABEL_RE.finditer(sentence, 0, m.start()))
            if labels:
                sentence = sentence[labels[-1].end() :]
            return _ARTICLE_PREFIX_RE.sub("", " ".join(sentence.split()))
    return None


def parse_raw(
    raw: RawDocument,
    *,
    symbols: Mapping[str, str] | None = None,
    unit_aliases: Mapping[str, str] | None = None,
) -> ParsedDocument:
    """Run every extractor over a document already read into blocks."""
    table = default_symbols()
    if symbols:
        table.update(symbols)
    lines = document_lines(raw)
    text = "\n".join(line.text for line in lines)
    header: Header = extract_header(lines, table)
    warnings: list[str] = list(raw.warnings) + list(header.warnings)

    sections = extract_sections(lines)
    warnings.extend(sections.warnings)
    targets = extract_targets(sections.body)
    citations = extract_citations(text, own_number=header.number, symbols=table.keys())

    change_type = None
    orders = None
    if header.kind == "decision":
        change_type = detect_change_type(header.title, text)
        orders = find_publicizing_order(lines, 0, body_end(lines))
    section_list = sections.sections
    del lines, sections  # a long document: its lines go before the tables are read, not after

    catalog, catalog_warnings = extract_catalog(raw, text)
    warnings.extend(catalog_warnings)
    procedures, procedure_warnings = extract_procedures(raw, catalog, unit_aliases)
    warnings.extend(procedure_warnings)

    if not header.present and header.kind is None:
        warnings.append(
            N_("no document header found (an annex or extract?): number, date and kind left empty")
        )
    elif not header.present:
        kind = header.kind
        warnings.append(
            N_(
                "no document header (an annex or extract?): no number or date; kind %(kind)s read from the "
                "text"
            )
            % {"kind": kind}
        )

    return ParsedDocument(
        path=raw.path,
        format=raw.format,
        sha256=raw.sha256,
        kind=header.kind,
        type_label=header.type_label,
        number=header.number,
        issued_on=header.issued_on,
        place=header.place,
        issuer=header.issuer,
        title=header.title,
        signer=header.signer,
        sections=section_list,
        targets=targets,
        citations=citations,
        catalog=catalog,
        procedures=procedures,
        change_type=change_type,
        orders_publicizing=orders,
        warnings=tuple(warnings),
        text=text,
    )


def parse_document(
    path: Path,
    *,
    symbols: Mapping[str, str] | None = None,
    unit_aliases: Mapping[str, str] | None = None,
    options: ReadOptions | None = None,
) -> ParsedDocument:
    """Read and parse one document file.

    Args:
        path: a .txt/.md/.docx/.pdf/.doc/.rtf file.
        symbols: extra issuer symbols (``{"SNgV": "Sở Ngoại vụ"}``) merged over the shipped table.
        unit_aliases: unit alias table passed to the procedure extractor.
        options: OCR mode, limits and OCR cache for the reader (defaults: ``ReadOptions()``).

    Raises:
        InputError: the file cannot be read as its format, or is over a limit.
    """
    return parse_raw(read_document(path, options), symbols=symbols, unit_aliases=unit_aliases)
