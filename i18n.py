"""Messages in the user's language: Vietnamese by default, English on request.

Every user-facing string is written in English in the code and marked for translation: ``_("…")`` where it is
shown, ``N_("…")`` where it is only declared (a constant, a click help text, translated when rendered). The
Vietnamese catalog is ``locale/vi/LC_MESSAGES/procreg.po`` (compiled to ``procreg.mo`` beside it);
``make i18n`` extracts, updates and compiles it with Babel.

The language is ``PROCREG_LANG`` (``vi`` or ``en``) when set, else English when the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``) is English, else Vietnamese. ``--json`` output never changes with the language.

A ground module: it imports nothing from the project, so every layer can use it.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "ngettext",
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
