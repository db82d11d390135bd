"""Recording what happened to a procedure: review, publish, publicize, withdraw, through forms.

Every form carries the CSRF token; only editors and administrators may post; the event is recorded
with the account that posted it as its ``by``. The API checks the values (dates, decision numbers,
a withdrawn procedure) and its refusal is shown beside the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from procreg.i18n import N_, _
from procreg.registry.errors import NotFound, RegistryError
from procreg.registry.results import Account
from procreg.web.common import account, check_csrf, flash, page, require, state
from procreg.web.labels import EVENT_LABELS

__all__ = ["ACTIONS", "record_event", "routes"]

# action -> (title, the form's fields as (name, label, required))
ACTIONS: dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]] = {
    "review": (N_("Record a review"), (("on", N_("Date"), True), ("note", N_("Note"), False))),
    "publish": (
        N_("Record a publication"),
        (("decision", N_("Publishing decision (number)"), True), ("on", N_("Date"), True)),
    ),
    "publicize": (
        N_("Record that it was made public"),
        (("on", N_("Date"), True), ("where", N_("Where (address of the page or portal)"), True)),
    ),
    "withdraw": (N_("Withdraw the procedure"), (("on", N_("Date"), True), ("reason", N_("Reason"), True))),
}


def record_event(registry: Any, code: str, action: str, values: dict[str, str], who: Account) -> Any:
    """Call the API method of ``action`` with the form's values, recorded by ``who``."""
    v = {k: (values.get(k) or "").strip() for k in ("on", "note", "decision", "where", "reason")}
    if action == "review":
        return registry.review(code, on=v["on"], by=who.name, note=v["note"] or None)
    if action == "publish":
        return registry.publish(code, decision=v["decision"], on=v["on"], by=who.name)
    if action == "publicize":
        return registry.publicize(code, on=v["on"], where=v["where"], by=who.name)
    if action == "withdraw":
        return registry.withdraw(code, on=v["on"], reason=v["reason"], by=who.name)
    raise NotFound(_("No such action."))


def _today() -> str:
    d = date.today()
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


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
    except RegistryError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _form_page(request, pid, status=400, error=str(exc), action=action, values=values)
    what = _(EVENT_LABELS.get(done.event.kind, done.event.kind))
    flash(
        request,
        _("Recorded: %(what)s on %(day)s by %(who)s.")
        % {"what": what, "day": _vn(done.event.on), "who": who.name},
    )
    return RedirectResponse(f"/procedures/{done.view.record.id}#history", status_code=303)


def _vn(iso: str) -> str:
    from procreg.text.dates import vn_date

    return vn_date(iso)


def routes() -> list[Route]:
    """The record forms' routes."""
    return [
        Route("/procedures/{pid:int}/record", record_form),
        Route("/procedures/{pid:int}/record/{action:str}", record_post, methods=["POST"]),
    ]
