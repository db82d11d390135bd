"""What every handler shares: the state, the account of the request, CSRF checks, rendering a page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from procreg.i18n import _
from procreg.registry.results import Account
from procreg.web.security import Forbidden, LoginRequired, csrf_token, current_account, valid_csrf
from procreg.web.state import WebState
from procreg.web.templating import render

__all__ = ["account", "check_csrf", "flash", "page", "require", "state"]


def state(request: Request) -> WebState:
    """The running page's state."""
    web: WebState = request.app.state.web
    return web


def account(request: Request) -> Account:
    """The account of this request.

    Raises:
        LoginRequired: accounts exist and nobody is signed in.
    """
    found = current_account(request.session, accounts=state(request).accounts())
    if found is None:
        raise LoginRequired
    return found


def require(request: Request, role: str) -> Account:
    """The account of this request, when its role is ``role`` or above.

    Raises:
        LoginRequired: nobody is signed in.
        Forbidden: the account's role is below ``role`` (a viewer's write).
    """
    who = account(request)
    if not who.may(role):
        raise Forbidden(
            _("Your account (%(name)s) may only read; ask an administrator for the right to record.")
            % {"name": who.name}
        )
    return who


def check_csrf(request: Request, sent: object) -> None:
    """Refuse a form whose CSRF token is missing or is not this session's.

    Raises:
        Forbidden: no token, or a wrong one.
    """
    if not valid_csrf(request.session, sent):
        raise Forbidden(
            _("The form has expired or did not come from this page; open it again and resend it.")
        )


def flash(request: Request, message: str) -> None:
    """A message shown once on the next page (after a redirect)."""
    request.session["flash"] = message


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the request's account, CSRF token and pending message."""
    web = state(request)
    who = current_account(request.session, accounts=web.accounts())
    message = request.session.pop("flash", None)
    html = render(
        template,
        request_path=request.url.path,
        who=who,
        accounts=web.accounts(),
        csrf=csrf_token(request.session),
        flash=message,
        **context,
    )
    return HTMLResponse(html, status_code=status)
