"""``/api/``: the registry as JSON, in the shapes of the command line's ``--json`` output.

Reads are GET; writes are POST with a JSON body and the session's CSRF token in ``X-CSRF-Token``
(``GET /api/session`` gives it). ``/api/openapi.json`` describes every route. Errors are
``{"error": "...", "exit_code": N}`` with the HTTP status of their kind (400, 401, 403, 404, 503).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from procreg.i18n import _
from procreg.registry.errors import UsageError
from procreg.web.common import account, check_csrf, require, state
from procreg.web.openapi import openapi_document
from procreg.web.record import ACTIONS, record_event
from procreg.web.security import csrf_token, sign_in
from procreg.web.views import SEARCH_FILTERS, audit_args

__all__ = ["SafeJSON", "routes"]


class SafeJSON(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``…: the same data, never markup to a sniffer."""

    def render(self, content: Any) -> bytes:
        """UTF-8 JSON, Vietnamese readable, markup characters escaped."""
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


def _json(data: Any, status: int = 200) -> JSONResponse:
    return SafeJSON(data, status_code=status)


async def session(request: Request) -> JSONResponse:
    """Who is signed in, and the CSRF token to send with writes."""
    web = state(request)
    from procreg.web.security import current_account

    who = current_account(request.session, accounts=web.accounts())
    return _json(
        {
            "user": None if who is None else {"name": who.name, "role": who.role},
            "accounts": web.accounts(),
            "csrf": csrf_token(request.session),
        }
    )


async def login(request: Request) -> JSONResponse:
    """Sign in with ``{"name", "password"}`` (JSON only: a cross-site form cannot send it)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise UsageError(_("Send the account as JSON."))
    body = await request.json()
    web = state(request)
    found = await run_in_threadpool(
        web.registry.authenticate, str(body.get("name", "")), str(body.get("password", ""))
    )
    if found is None:
        return _json({"error": _("Wrong account name or password.")}, 401)
    sign_in(request.session, found)
    return _json({"user": {"name": found.name, "role": found.role}, "csrf": request.session["csrf"]})


async def procedures(request: Request) -> JSONResponse:
    """``procreg list --json``, with ``unit``, ``field`` and ``status`` filters."""
    from procreg.presentation.procedures import list_json

    account(request)
    q = request.query_params
    args = {k: q.get(k) or None for k in ("unit", "field", "status")}
    records = await run_in_threadpool(lambda: state(request).registry.procedures(**args))
    return _json(list_json(records))


async def procedure(request: Request) -> JSONResponse:
    """``procreg show --json`` of the procedure with this id."""
    from procreg.presentation.procedures import show_json

    account(request)
    view = await run_in_threadpool(state(request).registry.get, f"#{request.path_params['pid']}")
    return _json(show_json(view))


async def search(request: Request) -> JSONResponse:
    """``procreg search --json``: ``q`` with ``kind``, ``unit``, ``field``, ``status`` and ``limit``."""
    from procreg.presentation.search import search_json

    account(request)
    q = request.query_params
    query = (q.get("q") or "").strip()
    if not query:
        raise UsageError(_("Give the words to search for in q."))
    try:
        limit = max(1, min(int(q.get("limit") or 10), 1000))
    except ValueError:
        raise UsageError(_("limit must be a whole number.")) from None
    filters = {k: q.get(k) or None for k in SEARCH_FILTERS}
    result = await run_in_threadpool(
        lambda: state(request).registry.search(
            query,
            limit=limit,
            kind=filters["kind"],
            unit=filters["unit"],
            field=filters["field"],
            status=filters["status"],
        )
    )
    return _json(search_json(result))


async def audit(request: Request) -> JSONResponse:
    """``procreg audit --json`` with ``period``, ``as_of``, ``target``, ``unit`` and ``field``."""
    account(request)
    args = audit_args(request.query_params)
    registry = state(request).registry
    report = await run_in_threadpool(lambda: registry.audit(today=date.today().isoformat(), **args))
    return _json(report.as_json())


async def documents(request: Request) -> JSONResponse:
    """The ingested documents: id, number, kind, date, issuer, title, format, file name."""
    account(request)
    docs = await run_in_threadpool(state(request).registry.documents)
    formats = await run_in_threadpool(state(request).registry.document_formats)
    return _json(
        {
            "total": len(docs),
            "documents": [
                {
                    "id": d.id,
                    "number": d.number,
                    "kind": d.kind,
                    "issued_on": d.issued_on,
                    "issuer": d.issuer,
                    "title": d.title,
                    "format": d.format,
                    "sha256": d.sha256,
                    "file": f"/documents/{d.id}/file",
                    "files": [  # every rendering (a decision as .docx and .pdf is one document)
                        {"format": fmt, "url": f"/documents/{d.id}/file" + (f"/{n}" if n else "")}
                        for n, fmt in enumerate(formats.get(d.id) or [d.format])
                    ],
                }
                for d in docs
            ],
        }
    )


async def units(request: Request) -> JSONResponse:
    """``procreg units --json``."""
    from procreg.presentation.units import units_json

    account(request)
    found = await run_in_threadpool(state(request).registry.units)
    return _json(units_json(found))


async def record(request: Request) -> JSONResponse:
    """Record an event (review, publish, publicize, withdraw, restore, undo) from a JSON body.

    Answers ``show --json`` of the procedure: 201 when recorded, 200 when the same event stood already.
    """
    from procreg.presentation.procedures import show_json

    action = request.path_params["action"]
    check_csrf(request, request.headers.get("x-csrf-token"))
    who = require(request, "editor")
    if action not in ACTIONS:
        raise UsageError(_("No such action."))
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise UsageError(_("Send the values as JSON."))
    body = await request.json()
    if not isinstance(body, dict):
        raise UsageError(_("Send the values as a JSON object."))
    values = {k: str(v) for k, v in body.items() if isinstance(v, str | int | float)}  # force: True -> "True"
    code = f"#{request.path_params['pid']}"
    done = await run_in_threadpool(record_event, state(request).registry, code, action, values, who)
    return _json(show_json(done.view), 200 if done.repeated else 201)


async def openapi(request: Request) -> JSONResponse:
    """The OpenAPI 3.1 description of ``/api/``."""
    return _json(openapi_document())


def routes() -> list[Route]:
    """The JSON API's routes."""
    return [
        Route("/api/openapi.json", openapi),
        Route("/api/session", session),
        Route("/api/login", login, methods=["POST"]),
        Route("/api/procedures", procedures),
        Route("/api/procedures/{pid:int}", procedure),
        Route("/api/procedures/{pid:int}/{action:str}", record, methods=["POST"]),
        Route("/api/search", search),
        Route("/api/audit", audit),
        Route("/api/documents", documents),
        Route("/api/units", units),
    ]
