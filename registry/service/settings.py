"""Use cases of ``procreg config``: the registry's settings (who issues the audit report, where, who signs).

Keys are checked against ``registry.results.REPORT_SETTINGS``; values are one line of text. Reading never
creates the registry; setting a value does.
"""

from __future__ import annotations

from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import NotFound, UsageError
from procreg.registry.results import OPTIONAL_SETTINGS, REPORT_SETTINGS
from procreg.registry.service.common import existing_store, has_registry, no_registry_message
from procreg.registry.store import read_settings
from procreg.text import fold, normalize_line
from procreg.text.vocabulary import NO_WORDS, YES_WORDS

__all__ = ["config_get", "config_set", "config_unset", "read_config"]


def _known(key: str) -> str:
    """The key, when procreg knows it.

    Raises:
        UsageError: an unknown key (the message lists the known ones).
    """
    if key not in REPORT_SETTINGS:
        raise UsageError(
            _("unknown setting %(key)r; known settings: %(known)s")
            % {"key": key, "known": ", ".join(REPORT_SETTINGS)}
        )
    return key


def read_config(*, home: Path) -> dict[str, str]:
    """The settings that are set, key -> value.

    Raises:
        NotFound: there is no registry in ``home``.
    """
    if not has_registry(home):
        raise NotFound(no_registry_message(home))
    return {k: v for k, v in read_settings(home / "registry.db").items() if k in REPORT_SETTINGS}


def config_get(key: str, *, home: Path) -> str:
    """The value of one setting.

    Raises:
        UsageError: an unknown key.
        NotFound: the setting is not set.
    """
    key = _known(key)
    value = read_config(home=home).get(key)
    if value is None:
        raise NotFound(
            _("setting %(quoted)s is not set (procreg config set %(key)s VALUE)")
            % {"quoted": repr(key), "key": key}
        )
    return value


def config_set(key: str, value: str, *, home: Path) -> str:
    """Set one setting; returns the value as kept (each line trimmed, spaces squeezed, blank lines dropped).

    Raises:
        UsageError: an unknown key, or an empty value (use ``config_unset``).
    """
    _known(key)
    # A value may hold line breaks (``KT. GIÁM ĐỐC`` above ``PHÓ GIÁM ĐỐC``); each line is normalised.
    value = "\n".join(line for line in map(normalize_line, value.splitlines()) if line)
    if not value:
        raise UsageError(
            _("an empty value for %(quoted)s; to clear it: procreg config unset %(key)s")
            % {"quoted": repr(key), "key": key}
        )
    if key in OPTIONAL_SETTINGS and fold(value) not in YES_WORDS | NO_WORDS:
        raise UsageError(
            _("%(quoted)s takes yes or no (có or không), not %(value)s")
            % {"quoted": repr(key), "value": repr(value)}
        )
    with existing_store(home) as store:
        store.set_setting(key, value)
    return value


def config_unset(key: str, *, home: Path) -> bool:
    """Clear one setting; True when it was set (the registry is not created for nothing).

    Raises:
        UsageError: an unknown key.
    """
    _known(key)
    if key not in read_config(home=home):
        return False
    with existing_store(home) as store:
        return store.unset_setting(key)
