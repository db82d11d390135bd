"""The pages' Jinja2 environment: autoescaping, procreg's gettext, numbers and dates as people write them.

Messages go through ``procreg.i18n`` (``{{ _("…") }}`` and ``{% trans %}``), so the page follows
``PROCREG_LANG`` like the command line: Vietnamese by default, English on request. Dates print as
dd/mm/yyyy; decimals take a comma in Vietnamese and a dot in English.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from procreg.i18n import _, current_language, ngettext
from procreg.presentation.common import vn_number
from procreg.text.dates import vn_date
from procreg.web.labels import EVENT_LABELS, KIND_LABELS, ROLE_LABELS, STATUS_LABELS, label

__all__ = ["TEMPLATES", "environment", "number", "render"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def number(value: float | int | None, digits: int | None = None) -> str:
    """``2.5`` -> ``2,5`` in Vietnamese, ``2.5`` in English; ``digits`` fixes the decimals."""
    if value is None:
        return ""
    text = vn_number(float(value)) if digits is None else f"{float(value):.{digits}f}".replace(".", ",")
    return text if current_language() == "vi" else text.replace(",", ".")


def _grouped(value: int) -> str:
    """``20000`` -> ``20.000`` in Vietnamese, ``20,000`` in English."""
    text = f"{int(value):,}"
    return text.replace(",", ".") if current_language() == "vi" else text


def _percent(value: float | None, digits: int = 1) -> str:
    return "" if value is None else number(value, digits) + "%"


def _hours(value: float | None) -> str:
    if value is None:
        return _("not counted")
    days = value / 8
    if value >= 4:
        return _("%(hours)s h (%(days)s working days)") % {
            "hours": number(value),
            "days": number(round(days, 2)),
        }
    return _("%(hours)s h") % {"hours": number(value)}


def _marked(snippet: str) -> Any:
    """A search snippet escaped, with the matched words (between U+E000 and U+E001) in ``<mark>``."""
    from markupsafe import Markup, escape

    text = str(escape(snippet.replace("<mark>", "").replace("</mark>", "")))
    return Markup(text.replace("\ue000", "<mark>").replace("\ue001", "</mark>"))  # noqa: S704 - escaped above


@lru_cache(maxsize=1)
def environment() -> Any:
    """The shared Jinja2 environment (templates from ``web/templates``, autoescaped, i18n installed)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its suffix: document text is data, never markup
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=vn_date,
        marked=_marked,
        num=number,
        grouped=_grouped,
        pct=_percent,
        hours=_hours,
        status=lambda code: label(STATUS_LABELS, code),
        event=lambda code: label(EVENT_LABELS, code),
        kind=lambda code: label(KIND_LABELS, code),
        role=lambda code: label(ROLE_LABELS, code),
    )
    env.globals["lang"] = current_language
    return env


def render(name: str, **context: Any) -> str:
    """Render the template ``name`` with ``context``."""
    return str(environment().get_template(name).render(**context))
