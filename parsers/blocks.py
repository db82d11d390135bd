"""Helpers shared by the readers and extractors: block building, paragraph rejoining, line views."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from procreg.i18n import N_, _, os_error_text
from procreg.registry.errors import InputError
from procreg.registry.models import Block, Cell, Paragraph, RawDocument, SourceRef, Table

__all__ = [
    "Line",
    "block_warnings",
    "build_blocks",
    "document_lines",
    "document_text",
    "is_continuation",
    "legacy_encoding_warning",
    "read_bytes",
]

# A line that starts a new numbered item never continues the previous paragraph.
_ITEM_START = re.compile(
    r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–•+*]\s|Điều\s+\d|Bước\s+\d|Chương\s|Mục\s+\d|PHẦN\s)"
)
_END_PUNCT = '.;:!?…)]"”»'


def read_bytes(path: Path) -> bytes:
    """Read a whole input file, turning OS errors into one-line input errors."""
    try:
        if path.is_dir():
            raise InputError(_("is a directory, not a document file"), path=str(path))
        return path.read_bytes()
    except PermissionError:
        raise InputError(_("cannot read: permission denied"), path=str(path)) from None
    except FileNotFoundError:
        raise InputError(_("no such file"), path=str(path)) from None
    except IsADirectoryError:
        raise InputError(_("is a directory, not a document file"), path=str(path)) from None
    except OSError as exc:
        raise InputError(
            _("cannot read: %(reason)s") % {"reason": os_error_text(exc)}, path=str(path)
        ) from None


# Characters that TCVN3 (ABC) text shows when read as Unicode/Latin-1 ("QuyÕt ®Þnh cña Thñ t−íng").
_TCVN3_RE = re.compile("[¸µ¶·¹¨©ª«¬®¦§¤¢£¡¥ÒÕÞ−∙ß×Ø]")
_LETTER = re.compile(r"[^\W\d_]")
# Precomposed Vietnamese letters (Latin Extended Additional) and ơ/ư/đ: present in any Unicode text.
_VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ơưđƠƯĐ]")


def legacy_encoding_warning(text: str) -> str | None:
    """A warning when ``text`` looks like TCVN3/VNI-encoded Vietnamese shown as Unicode, else None.

    Such text reads as garbage ("QuyÕt ®Þnh") and matches nothing; the user should convert the
    file to Unicode (e.g. with Unikey's converter) before registering it.
    """
    sample = text[:20000]
    marks = len(_TCVN3_RE.findall(sample))
    if marks < 10:  # the common case, decided without counting letters
        return None
    letters = len(_LETTER.findall(sample))
    genuine = len(_VIETNAMESE.findall(sample))
    if marks >= 0.03 * letters and marks > 2 * genuine:
        return N_(
            "text looks like a legacy Vietnamese encoding (TCVN3/VNI), not Unicode: convert the file first"
        )
    return None


def block_warnings(blocks: Sequence[Block]) -> tuple[str, ...]:
    """Reader warnings that depend on the text itself (a legacy encoding), checked on a sample."""
    parts: list[str] = []
    size = 0
    for block in blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c.text for row in block.rows for c in row]
        parts.extend(texts)
        size += sum(len(t) for t in texts)
        if size > 20000:
            break
    warning = legacy_encoding_warning(" ".join(parts))
    return (warning,) if warning else ()


def is_continuation(previous: str, line: str) -> bool:
    """True when ``line`` continues the paragraph ``previous`` (hard wrap, or a page-break split).

    The rule is deliberately conservative: the previous text must not end a sentence, and the new
    line must start in lower case (Vietnamese sentences and items start upper case or with a number),
    or start with a digit that is not an item number right after a word like "số" / "ngày".
    """
    if not previous or not line:
        return False
    prev = previous.rstrip()
    if prev[-1] in _END_PUNCT or _ITEM_START.match(line):
        return False
    first = line[0]
    if first.islower():
        return True
    return bool(first.isdigit() and re.search(r"(?:số|ngày|tháng|năm|tại|theo|và|Điều|khoản)$", prev))


def build_blocks(
    items: Iterable[str | tuple[Cell, ...] | None], *, pages: Sequence[int | None] | None = None
) -> tuple[Block, ...]:
    """Turn a stream of paragraph strings and table rows into blocks.

    ``""`` marks a blank line (kept only as a separator). Consecutive rows form one table; ``None``
    ends the current table (the next row starts a new one: two Word tables, a table continued on the
    next PDF page). A paragraph that continues the previous one is joined to it with a space, across
    blank lines and page breaks too (that is how a page break shows in text).
    """
    blocks: list[Block] = []
    rows: list[tuple[Cell, ...]] = []
    rows_page: int | None = None
    page_list = list(pages) if pages is not None else None

    def flush_rows() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(rows=tuple(rows), index=len(blocks) + 1, page=rows_page))
            rows = []

    for i, item in enumerate(items):
        page = page_list[i] if page_list is not None else None
        if isinstance(item, tuple):
            if not rows:
                rows_page = page
            rows.append(item)
            continue
        if item is None:
            flush_rows()
            continue
        if item == "":
            continue
        flush_rows()
        last = blocks[-1] if blocks else None
        if isinstance(last, Paragraph) and is_continuation(last.text, item):
            blocks[-1] = Paragraph(text=f"{last.text} {item}", index=last.index, page=last.page)
        else:
            blocks.append(Paragraph(text=item, index=len(blocks) + 1, page=page))
    flush_rows()
    return tuple(blocks)


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a document's linear view: a paragraph, or one table row with cells joined by `` | ``."""

    text: str
    source: SourceRef
    cells: tuple[str, ...] | None = None  # set for table rows


def document_lines(raw: RawDocument) -> list[Line]:
    """The document as lines in body order (table rows keep their cells)."""
    out: list[Line] = []
    for block in raw.blocks:
        ref = SourceRef(path=raw.path, page=block.page, para=block.index)
        if isinstance(block, Paragraph):
            out.append(Line(block.text, ref))
        else:
            for row in block.rows:
                cells = tuple(c.text for c in row)
                out.append(Line(" | ".join(c for c in cells if c), ref, cells))
    return out


def document_text(raw: RawDocument) -> str:
    """The document's full text: one line per paragraph or table row."""
    return "\n".join(line.text for line in document_lines(raw))
