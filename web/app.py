"""The ASGI application: routes, middleware, and how errors become pages (or JSON under ``/api/``).

``create_app(registry)`` is what ``procreg serve`` runs and what the tests drive. Handlers are
``async``; every registry call runs in Starlette's thread pool, so a slow one never blocks the others.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from procreg.i18n import _
from procreg.registry.api import Registry
from procreg.registry.errors import InputError, NotFound, RegistryError, UsageError
from procreg.web import api, pages, record, upload
from procreg.web.api import SafeJSON as JSONResponse
from procreg.web.common import page
from procreg.web.security import (
    SESSION_SECONDS,
    BodyLimit,
    Forbidden,
    LoginRequired,
    SecurityHeaders,
    load_secret,
)
from procreg.web.state import WebState

__all__ = ["create_app"]

log = logging.getLogger("procreg.web")


def _status(exc: RegistryError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, UsageError | InputError):
        return 400
    return 503  # the registry or the index cannot be used right now


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _registry_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RegistryError)
    status = _status(exc)
    if _wants_json(request):
        return JSONResponse({"error": str(exc), "exit_code": int(exc.exit_code)}, status_code=status)
    title = _("Not found") if status == 404 else _("The request could not be carried out")
    return page(request, "error.html", status=status, title=title, message=str(exc))


async def _login_required(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": _("Sign in first.")}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    from urllib.parse import quote

    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Forbidden)
    if _wants_json(request):
        return JSONResponse({"error": exc.message}, status_code=403)
    return page(request, "error.html", status=403, title=_("Not allowed"), message=exc.message)


async def _not_found(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": _("No such page.")}, status_code=404)
    return page(request, "error.html", status=404, title=_("Not found"), message=_("No such page."))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # The server logs the traceback (Starlette re-raises it after this answer).
    message = _("An unexpected error happened; it was written to the server's log.")
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=500)
    return page(request, "error.html", status=500, title=_("Error"), message=message)


def routes() -> list[Route]:
    """Every route of the page and of the JSON API."""
    return [
        *pages.routes(),
        *record.routes(),
        *upload.routes(),
        *api.routes(),
    ]


def create_app(registry: Registry, *, max_upload: int = 50 * 1024 * 1024, loopback: bool = True) -> Any:
    """The web application over ``registry``.

    Args:
        registry: the registry to serve.
        max_upload: the largest request body, in bytes (an upload of several files counts whole).
        loopback: served on 127.0.0.1 only; False requires accounts (``procreg serve`` checks it first).
    """
    state = WebState(registry=registry, max_upload=max_upload, loopback=loopback)
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=load_secret(registry.home),
            session_cookie="procreg_session",
            max_age=SESSION_SECONDS,
            same_site="strict",
            https_only=False,
        )
    ]
    handlers: dict[Any, Any] = {
        RegistryError: _registry_error,
        LoginRequired: _login_required,
        Forbidden: _forbidden,
        404: _not_found,
        405: _not_found,
        Exception: _unexpected,
    }
    app = Starlette(routes=routes(), middleware=middleware, exception_handlers=handlers)
    app.state.web = state
    return SecurityHeaders(BodyLimit(app, limit=max_upload))
