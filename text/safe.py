"""Safe output: text a reader's tools cannot turn against the reader, files written only in their folder.

Document text is untrusted: a decision may carry ``=HYPERLINK(…)`` in a procedure name, an escape sequence
in a unit, ``<script>`` in a step. Every writer of procreg passes what it prints through one of these:

- ``csv_cell``: a spreadsheet cell that never runs as a formula (OWASP's rule for CSV injection: a cell
  starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe);
- ``xml_text``: text without the characters XML 1.0 forbids (and without the other control characters),
  for SVG, BPMN, GraphML, DOCX, XLSX and HTML;
- ``terminal_text``: human output with control characters shown as ``\\x1b`` instead of acting on the
  terminal (newlines and tabs are kept);
- ``write_output``: a file written atomically that never follows a symbolic link out of its folder.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from procreg.i18n import _

__all__ = [
    "CSV_TRIGGERS",
    "OutsideOutputFolder",
    "csv_cell",
    "json_text",
    "strip_controls",
    "terminal_text",
    "write_output",
    "xml_text",
]

# A cell starting with one of these is read as a formula (or a DDE call) by Excel or LibreOffice Calc.
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls but tab, LF and CR; DEL and the C1 controls; surrogates and the two non-characters XML 1.0
# forbids. C0 and surrogates make XML ill-formed; DEL and C1 are legal XML but act on terminals.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What a terminal must not receive raw: every control character but LF and tab, and the bidirectional
# overrides and isolates that reorder what is shown (U+202A–U+202E, U+2066–U+2069).
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Characters that JSON leaves raw but a terminal acts on (JSON itself escapes C0).
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab, LF and CR kept) and without what XML 1.0 forbids.

    >>> strip_controls("a\\x1b[31mb\\x07")
    'a[31mb'
    """
    return _CONTROLS.sub("", text)


def xml_text(text: str) -> str:
    """``text`` made legal in XML 1.0 (and HTML): control characters and non-characters removed.

    Escaping ``<``, ``&`` and quotes stays the job of the XML writer; this only removes what no escaping
    can carry (XML 1.0 has no character reference for ESC or BEL).

    >>> xml_text("Phòng\\x1b]0;x\\x07 Hợp tác")
    'Phòng]0;x Hợp tác'
    """
    return _CONTROLS.sub("", text)


def csv_cell(value: object) -> str:
    """A CSV/spreadsheet cell that is shown as text, never evaluated.

    Control characters are removed; a cell whose first character (after spaces, which some importers
    trim) is ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, which Excel and
    LibreOffice read as "text follows" (OWASP, CSV injection).

    >>> csv_cell('=HYPERLINK("http://x")'), csv_cell("+cmd|' /C calc'!A0"), csv_cell("Phòng A"), csv_cell(3)
    ('\\'=HYPERLINK("http://x")', "'+cmd|' /C calc'!A0", 'Phòng A', '3')
    """
    text = _CONTROLS.sub("", value if isinstance(value, str) else str(value))
    if text.lstrip(" \u00a0")[:1] in CSV_TRIGGERS:
        return "'" + text
    return text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """Human output safe for a terminal: control characters shown as ``\\x1b``, ``\\x07`` (LF and tab kept).

    >>> terminal_text("Phòng\\x1b[2J A\\x07\\n")
    'Phòng\\\\x1b[2J A\\\\x07\\n'
    """
    return _TERMINAL.sub(_escape, text)


def json_text(text: str) -> str:
    """JSON text with DEL, C1 controls and bidi overrides written as ``\\uXXXX`` (the same JSON value).

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but leaves these raw, and a terminal acts
    on them.
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class OutsideOutputFolder(OSError):
    """A file to write is a symbolic link leading out of its output folder: it is not followed."""

    own_words = True  # its message is procreg's, in the reader's language (i18n.os_error_text shows it)


class LinkToFolder(IsADirectoryError):
    """A file to write is a symbolic link to a folder."""

    own_words = True


def _target(path: Path) -> Path:
    """Where writing ``path`` lands: the path itself, or the file a symbolic link there leads to.

    Raises:
        OutsideOutputFolder: the link leads out of the folder ``path`` is written in.
    """
    if not path.is_symlink():
        return path
    folder = path.parent.resolve()
    target = path.resolve()
    if target.is_dir():
        raise LinkToFolder(
            errno.EISDIR, _("it is a symbolic link to the folder %(target)s") % {"target": target}, str(path)
        )
    if not target.is_relative_to(folder):
        raise OutsideOutputFolder(
            errno.EPERM,
            _("it is a symbolic link to %(target)s, outside the output folder %(folder)s; not followed")
            % {"target": target, "folder": folder},
            str(path),
        )
    return target


def write_output(
    path: Path, data: str | bytes, *, encoding: str = "utf-8", newline: str | None = None
) -> None:
    """Write a file atomically in its folder, never through a symbolic link leading out of that folder.

    The data goes to a new file in the same folder (created exclusively, links not followed), which then
    replaces ``path``: a link or hard link planted at ``path`` is replaced, never written through. A link
    that stays inside the folder is followed (its target is replaced). Missing parent folders are created.

    Args:
        path: the file to write.
        data: text (encoded with ``encoding``; ``newline`` translates ``\\n`` like ``open()``) or bytes.
        encoding: the text encoding.
        newline: ``None`` writes ``\\n`` as is; ``"\\r\\n"`` writes CRLF line ends.

    Raises:
        OutsideOutputFolder: ``path`` is a symbolic link out of its folder.
        OSError: the folder or the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    target = _target(path)
    if isinstance(data, str):
        if newline not in (None, "", "\n"):
            data = data.replace("\n", newline)
        data = data.encode(encoding)
    mode = target.stat().st_mode & 0o7777 if target.is_file() and not target.is_symlink() else None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for attempt in range(100):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{attempt}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - a hundred stale temporary files
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if mode is not None:
            tmp.chmod(mode)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
