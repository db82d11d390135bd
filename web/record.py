"""Recording what happened to a procedure through forms: review, publish, publicize, withdraw, restore, undo.

Every form carries the CSRF token; only editors and administrators may post; the event is recorded
with the account that posted it as its ``by`` (which the event log's hash chain covers). The API checks
the values as it does for the command line (a registered decision, possible dates, công khai after công
bố, a withdrawn procedure takes nothing but a restore, an identical repeat is a no-op) and its refusal is
shown beside the form; "record anyway" is the command line's ``--force``, kept on the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from procreg.i18n import N_, _
from procreg.registry.errors import EventRefused, NotFound, RegistryError, UsageError
from procreg.registry.models import Event
from procreg.registry.results import Account
from procreg.text.dates import vn_date
from procreg.web.common import account, check_csrf, flash, page, require, state
from procreg.web.labels import EVENT_LABELS

__all__ = ["ACTIONS", "FORCEABLE", "record_event", "routes", "undoable"]

# action -> (title, the form's fields as (name, label, required))
ACTIONS: dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]] = {
    "review": (N_("Record a review"), (("on", N_("Date"), True), ("note", N_("Note"), False))),
    "publish": (
        N_("Record a publication"),
        (("decision", N_("Publishing decision (number)"), True), ("on", N_("Date"), False)),
    ),
    "publicize": (
        N_("Record that it was made public"),
        (("on", N_("Date"), True), ("where", N_("Where (address of the page or portal)"), True)),
    ),
    "withdraw": (N_("Withdraw the procedure"), (("on", N_("Date"), True), ("reason", N_("Reason"), True))),
    "restore": (N_("Restore the procedure"), (("on", N_("Date"), True), ("reason", N_("Reason"), True))),
    "undo": (
        N_("Undo a mistaken event"),
        (("event", N_("Event to undo"), True), ("reason", N_("Reason"), True)),
    ),
}
# The actions whose refused date (or unregistered decision) can be recorded anyway, the reasons kept.
FORCEABLE = frozenset({"review", "publish", "publicize", "withdraw", "restore"})
_UNDOABLE = frozenset({"reviewed", "published", "publicized"})


def _checked(values: dict[str, str]) -> bool:
    return (values.get("force") or "").strip().lower() in ("1", "on", "true", "yes")


def record_event(registry: Any, code: str, action: str, values: dict[str, str], who: Account) -> Any:
    """Call the API method of ``action`` with the form's values, recorded by ``who``.

    Raises:
        RegistryError: the API's refusal (a bad date, an unregistered decision, a withdrawn procedure...).
    """
    v = {k: (values.get(k) or "").strip() for k in ("on", "note", "decision", "where", "reason", "event")}
    force = _checked(values) and action in FORCEABLE
    if action == "review":
        return registry.review(code, on=v["on"], by=who.name, note=v["note"] or None, force=force)
    if action == "publish":
        return registry.publish(code, decision=v["decision"], on=v["on"] or None, by=who.name, force=force)
    if action == "publicize":
        return registry.publicize(code, on=v["on"], where=v["where"], by=who.name, force=force)
    if action == "withdraw":
        return registry.withdraw(code, on=v["on"], reason=v["reason"], by=who.name, force=force)
    if action == "restore":
        return registry.restore(code, on=v["on"], reason=v["reason"], by=who.name, force=force)
    if action == "undo":
        return registry.undo(_event_of(registry, code, v["event"]), reason=v["reason"], by=who.name)
    raise NotFound(_("No such action."))


def _event_of(registry: Any, code: str, sent: str) -> int:
    """The id of an event of this procedure's history (the form cannot undo another procedure's).

    Raises:
        UsageError: not a number, or not an event of this procedure.
    """
    number = sent.lstrip("#")
    if not number.isdigit():
        raise UsageError(_("Choose the event to undo from the list."))
    event_id = int(number)
    if event_id not in {e.id for _v, e in registry.get(code).events}:
        raise UsageError(_("Event #%(id)s is not in this procedure's history.") % {"id": event_id})
    return event_id


def undoable(events: Sequence[tuple[int, Event]]) -> list[Event]:
    """The events the undo form offers: recorded by hand, of a kind that can be undone, not undone yet."""
    undone = {e.cancels for _v, e in events if e.kind == "cancelled"}
    return [
        e
        for _v, e in events
        if e.kind in _UNDOABLE and e.origin != "ingest" and e.id is not None and e.id not in undone
    ]


def _today() -> str:
    return vn_date(date.today().isoformat())


async def _form_page(
    request: Request, pid: int, *, status: int = 200, error: str | None = None, **values: Any
) -> Response:
    web = state(request)
    view = await run_in_threadpool(web.registry.get, f"#{pid}")
    who = account(request)
    return page(
        request,
        "record.html",
        status=status,
        view=view,
        r=view.record,
        actions=ACTIONS,
        may_write=who.may("editor"),
        today=_today(),
        undoable=undoable(view.events),
        forceable=FORCEABLE,
        error=error,
        failed=values.get("action"),
        values=values.get("values", {}),
    )


async def record_form(request: Request) -> Response:
    """The forms of every action on one procedure."""
    account(request)
    return await _form_page(request, int(request.path_params["pid"]))


async def record_post(request: Request) -> Response:
    """Record one action from its form, then go back to the procedure's history."""
    pid = int(request.path_params["pid"])
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound(_("No such action."))
    form = await request.form()
    check_csrf(request, form.get("csrf"))
    who = require(request, "editor")
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    web = state(request)
    try:
        done = await run_in_threadpool(record_event, web.registry, f"#{pid}", action, values, who)
    except RegistryError as exc:  # the checks' refusal (an unregistered decision is a NotFound too)
        # The form page reads the procedure again: when it is the procedure that is missing, that is a 404.
        # A refusal's reasons, without the command line's way round them: the form has "record anyway".
        reason = "; ".join(exc.reasons) if isinstance(exc, EventRefused) else str(exc)
        error = _("Nothing was recorded: %(reason)s") % {"reason": reason}
        return await _form_page(request, pid, status=400, error=error, action=action, values=values)
    event = done.event
    what = _(EVENT_LABELS.get(event.kind, event.kind))
    facts = {"what": what, "day": vn_date(event.on), "who": event.by or who.name, "id": event.id}
    if done.repeated:
        message = (
            _("Already recorded, nothing added: %(what)s on %(day)s by %(who)s (event #%(id)s).") % facts
        )
    elif event.forced:
        message = (
            _("Recorded anyway: %(what)s on %(day)s by %(who)s; the reasons are kept on the event.") % facts
        )
    else:
        message = _("Recorded: %(what)s on %(day)s by %(who)s.") % facts
    flash(request, message)
    return RedirectResponse(f"/procedures/{done.view.record.id}#history", status_code=303)


def routes() -> list[Route]:
    """The record forms' routes."""
    return [
        Route("/procedures/{pid:int}/record", record_form),
        Route("/procedures/{pid:int}/record/{action:str}", record_post, methods=["POST"]),
    ]
