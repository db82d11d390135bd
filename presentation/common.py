"""How every view writes numbers, dates, hours, statuses and messages, and wraps its lines.

The one place for the style of human output: dates as dd/mm/yyyy, numbers with a decimal comma in
Vietnamese and a dot in English (``language=None`` is the user's language, ``procreg.i18n``). The audit's
report files are Vietnamese documents whatever the interface's language, so they pass ``REPORT_LANGUAGE``.
JSON never goes through here: it keeps ISO dates and dot decimals.
"""

from __future__ import annotations

import re
import textwrap

from procreg.i18n import _, current_language, parse_message, pgettext

__all__ = [
    "HOURS_PER_DAY",
    "REPORT_LANGUAGE",
    "WIDTH",
    "date_text",
    "doc_kind_label",
    "event_label",
    "hours_text",
    "message",
    "number",
    "percent",
    "status_label",
    "vn_number",
    "vn_percent",
    "wrap",
]

WIDTH = 100  # human output is laid out for a 100-column terminal, whatever the real width
HOURS_PER_DAY = 8.0  # one working day (ngày làm việc) is 8 working hours
REPORT_LANGUAGE = "vi"  # the audit's report files: the office's documents, in Vietnamese
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FIELD = re.compile(r"%\((?P<name>\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdirfg]")
# Message values that are data to show in the reader's language themselves (a warning inside a message).
_NESTED = frozenset({"warning", "reason", "error", "problem", "detail", "pages", "off"})


def _mark(language: str | None) -> str:
    return "." if (language or current_language()) == "en" else ","


def number(value: float, *, digits: int | None = None, language: str | None = None) -> str:
    """``90.0`` -> ``90``, ``2.5`` -> ``2,5`` (``2.5`` in English); with ``digits``, that many decimals.

    >>> number(90.0, language="vi"), number(2.5, language="vi"), number(2.5, language="en")
    ('90', '2,5', '2.5')
    >>> number(75, digits=1, language="vi")
    '75,0'
    """
    if digits is not None:
        text = f"{value:.{digits}f}"
    elif float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{value:g}"
    return text.replace(".", _mark(language))


def percent(value: float, *, digits: int | None = None, language: str | None = None) -> str:
    """``75.0`` -> ``75%``; with ``digits``, that many decimals (``75,0%``).

    >>> percent(87.5, language="vi"), percent(75, digits=1, language="vi"), percent(87.5, language="en")
    ('87,5%', '75,0%', '87.5%')
    """
    return number(value, digits=digits, language=language) + "%"


def vn_number(value: float) -> str:
    """``number`` in the report's Vietnamese style (``2,5``)."""
    return number(value, language=REPORT_LANGUAGE)


def vn_percent(value: float, *, digits: int | None = None) -> str:
    """``percent`` in the report's Vietnamese style (``75,0%``)."""
    return percent(value, digits=digits, language=REPORT_LANGUAGE)


def date_text(iso: str | None) -> str:
    """``2023-06-30`` -> ``30/06/2023`` in every language; anything that is not an ISO date unchanged.

    >>> date_text("2023-06-30"), date_text(None), date_text("2023")
    ('30/06/2023', '', '2023')
    """
    if not iso:
        return ""
    m = _ISO_DATE.match(iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def hours_text(hours: float | None, *, language: str | None = None) -> str:
    """Working hours: ``20 giờ``, ``4 giờ (0,5 ngày)``, ``160 giờ (20 ngày)``; English ``4 h (0.5 days)``."""
    if hours is None:
        return _("not counted")
    text = _("%(hours)s h") % {"hours": number(hours, language=language)}
    if hours >= HOURS_PER_DAY / 2:
        days = f"{hours / HOURS_PER_DAY:.2f}".rstrip("0").rstrip(".").replace(".", _mark(language))
        text = _("%(hours)s h (%(days)s days)") % {"hours": number(hours, language=language), "days": days}
    return text


def status_label(status: str) -> str:
    """A procedure's status as the reader says it: ``hiệu lực`` (``active`` in English)."""
    labels = {
        "active": pgettext("status", "active"),
        "superseded": pgettext("status", "superseded"),
        "abolished": pgettext("status", "abolished"),
        "withdrawn": pgettext("status", "withdrawn"),
    }
    return labels.get(status, status)


def event_label(kind: str) -> str:
    """An event of a procedure's history: ``rà soát`` (``reviewed`` in English)."""
    labels = {
        "ingested": pgettext("event", "ingested"),
        "reviewed": pgettext("event", "reviewed"),
        "published": pgettext("event", "published"),
        "publicized": pgettext("event", "publicized"),
        "superseded": pgettext("event", "superseded"),
        "withdrawn": pgettext("event", "withdrawn"),
        "abolished": pgettext("event", "abolished"),
        "restored": pgettext("event", "restored"),
        "cancelled": pgettext("event", "cancelled"),
    }
    return labels.get(kind, kind)


def doc_kind_label(kind: str | None) -> str:
    """A document's kind: ``quyết định`` (``decision`` in English); ``-`` when unknown."""
    labels = {
        "plan": pgettext("document kind", "plan"),
        "decision": pgettext("document kind", "decision"),
        "directive": pgettext("document kind", "directive"),
        "report": pgettext("document kind", "report"),
        "official_letter": pgettext("document kind", "official letter"),
        "procedure": pgettext("document kind", "procedure"),
        "other": pgettext("document kind", "other"),
    }
    return labels.get(kind, kind) if kind else "-"


def message(text: str) -> str:
    """An English message made elsewhere (a parser's warning, kept in the registry) in the reader's language.

    The message is recognised by its catalog template (``i18n.parse_message``); its numbers are written in
    the reader's style, ISO dates as dd/mm/yyyy, and a warning inside it is shown in the same language. A
    text no template made (document text) is returned as it is.
    """
    exact = _(text)
    if exact != text:
        return exact
    found = parse_message(text)
    if found is None:
        return text
    msgid, values = found
    shown: dict[str, object] = {}
    for name, (value, spec) in values.items():
        if spec[-1] in "difg":
            shown[name] = _number_value(value, spec)
        elif name in _NESTED:
            shown[name] = message(value)
        else:
            shown[name] = date_text(value) if _ISO_DATE.match(value) else value
    # Every value is text now (numbers in the reader's style, quotes kept): each placeholder is %(name)s.
    template = _FIELD.sub(lambda m: f"%({m['name']})s", _(msgid))
    return template % shown


def _number_value(value: str, spec: str) -> str:
    """A number captured from an English message, written again in the reader's style."""
    try:
        parsed = float(value)
    except ValueError:
        return value
    if spec[-1] in "di":
        return str(int(parsed))
    return (("%" + spec) % parsed).replace(".", _mark(None))


def wrap(
    text: str, *, indent: str = "", first: str = "", width: int = WIDTH, keep_spaces: bool = False
) -> list[str]:
    """``text`` wrapped to ``width``: the first line starts with ``first``, the others with ``indent``."""
    text = " ".join(text.split("\n")) if keep_spaces else " ".join(text.split())
    if not text:
        return [first.rstrip()] if first.strip() else []
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first or indent,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
