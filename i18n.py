"""Messages in the user's language: Vietnamese by default, English on request.

Every user-facing string is written in English in the code and marked for translation: ``_("…")`` where it is
shown, ``N_("…")`` where it is only declared (a constant, a click help text, translated when rendered). The
Vietnamese catalog is ``locale/vi/LC_MESSAGES/procreg.po`` (compiled to ``procreg.mo`` beside it);
``make i18n`` extracts, updates and compiles it with Babel.

The language is ``PROCREG_LANG`` (``vi`` or ``en``) when set, else English when the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``) is English, else Vietnamese. ``--json`` keeps its keys, codes, ISO dates and dot
decimals in every language; only its messages (warnings, errors) follow the language.

Messages that are data (a parser's warnings, kept in the registry and in records) stay English where they
are made, as ``N_("page %(page)d: no text layer") % {...}``; ``parse_message`` recognises such a text again
by its template, so a view shows it in the reader's language (``presentation.common.message``).

A ground module: it imports nothing from the project, so every layer can use it.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "os_error_text",
    "babel_extract",
    "ngettext",
    "parse_message",
    "message_text",
    "pgettext",
    "set_language",
    "use_language_for_click",
]

DOMAIN = "procreg"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("vi", "en")
_chosen: str | None = None


def _from_environment() -> str:
    wanted = os.environ.get("PROCREG_LANG", "").strip().lower()
    if wanted:
        return "en" if wanted.startswith("en") else "vi"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


def current_language() -> str:
    """``vi`` or ``en``: the language messages are shown in."""
    return _chosen or _from_environment()


def set_language(language: str | None) -> None:
    """Show messages in ``language`` (``vi``/``en``) from now on; ``None`` goes back to the environment."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    _chosen = language


@lru_cache(maxsize=4)
def _translations(language: str) -> _gettext.NullTranslations:
    if language == "en":  # the messages are written in English
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` (English, as written in the code) in the current language."""
    return _translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    return _translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, as meant in ``context`` (one English word, two meanings)."""
    return _translations(current_language()).pgettext(context, message)


def os_error_text(exc: OSError) -> str:
    """Why a file could not be read or written, in procreg's words (never the system's own wording)."""
    import errno

    known = {
        errno.ENOENT: N_("no such file or folder"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("permission denied"),
        errno.ENOSPC: N_("no space left on the disk"),
        errno.EROFS: N_("the disk is read-only"),
        errno.EISDIR: N_("it is a folder"),
        errno.ENOTDIR: N_("a part of the path is not a folder"),
        errno.ENAMETOOLONG: N_("the name is too long"),
        errno.ELOOP: N_("too many symbolic links"),
        errno.EEXIST: N_("it already exists"),
        errno.EBUSY: N_("it is in use"),
        errno.EIO: N_("the disk could not be read or written"),
        errno.EMFILE: N_("too many files open"),
    }
    if getattr(exc, "own_words", False) and exc.strerror:
        return str(exc.strerror)  # procreg's own refusal (a link out of the output folder), already said
    if exc.errno in known:
        return _(known[exc.errno])
    name = errno.errorcode.get(exc.errno or 0, "") or type(exc).__name__
    return _("system error %(code)s") % {"code": name}


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext's no-op marker
    """Mark ``message`` for the catalog without translating it now (it is translated where it is shown)."""
    return message


def use_language_for_click() -> None:
    """Make click's own messages ("Missing option", "No such command"…) follow procreg's language.

    click looks its messages up with the standard library's global ``gettext`` in the global domain, which
    reads the language from ``LANGUAGE``; procreg's catalog carries click's messages too.
    """
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = current_language()


# --------------------------------------------------------------------------------------------------
# Messages made in English and shown later: recognised again by their template


_PLACEHOLDER = re.compile(r"%\((?P<name>\w+)\)(?P<spec>[-#0 +]*\d*(?:\.\d+)?)(?P<conv>[sdirfg])|%%")
_NUMBER_PATTERN = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


@lru_cache(maxsize=4)
def _templates(language: str) -> tuple[tuple[re.Pattern[str], str, tuple[tuple[str, str], ...]], ...]:
    """The catalog's messages with placeholders as patterns, the most literal text first."""
    catalog: dict[Any, str] = getattr(_translations(language), "_catalog", {})
    found = []
    for msgid in catalog:
        if not isinstance(msgid, str) or "%(" not in msgid:
            continue
        parts: list[str] = []
        fields: list[tuple[str, str]] = []
        literal = 0
        end = 0
        for m in _PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[end : m.start()]))
            literal += m.start() - end
            end = m.end()
            if m.group(0) == "%%":
                parts.append("%")
                continue
            name, conv = m["name"], m["conv"]
            if any(name == known for known, _ in fields):  # the same value twice: a back-reference
                parts.append(f"(?P={name})")
                continue
            fields.append((name, m["spec"] + conv))
            value = _NUMBER_PATTERN if conv in "difg" else ".+?"
            parts.append(f"(?P<{name}>{value})")
        parts.append(re.escape(msgid[end:]))
        literal += len(msgid) - end
        # A template nearly all placeholders would match any text; one that starts and ends with a
        # placeholder ("%(number)s of %(date)s") needs more words of its own to be told apart.
        floating = msgid.startswith("%(") and msgid.endswith(("s", "d", "r", "f", "g")) and end == len(msgid)
        if literal >= (12 if floating else 3):
            pattern = re.compile("".join(parts) + r"\Z", re.DOTALL)
            found.append((literal, pattern, msgid, tuple(fields)))
    found.sort(key=lambda x: (-x[0], x[2]))
    return tuple((pattern, msgid, fields) for _, pattern, msgid, fields in found)


def parse_message(text: str) -> tuple[str, dict[str, tuple[str, str]]] | None:
    """The catalog message ``text`` was made from, and its values: ``(msgid, {name: (value, format)})``.

    ``text`` is an English message made from a template with named placeholders (a parser warning kept in
    the registry). None when no message of the catalog made it, or in English (nothing to translate). The
    format is the placeholder's own (``s``, ``d``, ``.1f``), so the caller can show numbers its way.
    """
    language = current_language()
    if language == "en":
        return None
    for pattern, msgid, fields in _templates(language):
        m = pattern.match(text)
        if m is not None:
            return msgid, {name: (m[name], spec) for name, spec in fields}
    return None


_NESTED_FIELDS = frozenset({"warning", "reason", "error", "problem", "detail", "pages", "off"})
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ANY_FIELD = re.compile(r"%\((?P<name>\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdirfg]")


def _shown_value(name: str, value: str) -> str:
    """A value of a message as the reader sees it: a message in turn, an ISO date as dd/mm/yyyy."""
    if name in _NESTED_FIELDS:
        return message_text(value)
    m = _ISO_DAY.fullmatch(value)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else value


def message_text(text: str) -> str:
    """An English message made from a catalog template (``N_(…) % {…}``) in the current language.

    Its values are kept as they were written, except those that are messages themselves (a reason, a page
    range), shown in the same language. A text no template made is returned as it is. Views that also
    restyle numbers and dates use ``presentation.common.message``.
    """
    exact = _(text)
    if exact != text:
        return exact
    found = parse_message(text)
    if found is None:
        return text
    msgid, values = found
    shown = {name: _shown_value(name, value) for name, (value, _spec) in values.items()}
    return _ANY_FIELD.sub(lambda m: f"%({m['name']})s", _(msgid)) % shown


# --------------------------------------------------------------------------------------------------
# Babel: procreg's extraction method (make i18n)

_CLICK_DECORATORS = ("command", "group")


def babel_extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction, plus the help text of every click command and group (its docstring).

    click shows a command's docstring as its help; ``procreg.cli_support`` translates it when shown, with
    the docstring as written (``inspect.cleandoc``) as its msgid.
    """
    import ast
    import io

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        doc = ast.get_docstring(node, clean=True)
        if doc and any(_is_click_command(d) for d in node.decorator_list):
            yield node.body[0].lineno, None, doc, []


def _is_click_command(decorator: Any) -> bool:
    """``@cli.command(...)``, ``@units.group(...)``, ``@click.command``: a decorator that makes a command."""
    import ast

    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in _CLICK_DECORATORS
