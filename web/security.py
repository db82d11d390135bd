"""Who is asking and what they may do: accounts, sessions, CSRF tokens, security headers, request limits.

- Sessions live in a signed cookie (Starlette's ``SessionMiddleware``, itsdangerous) with an idle timeout;
  the signing key is a random secret kept in the registry's home (``web-secret``, mode 0600).
- With no account in the registry the page is served to 127.0.0.1 only and everyone there acts as the
  local user (the operating system's login name); once accounts exist, everyone signs in.
- Every form carries the session's CSRF token; a post without it, or with another one, is refused (403).
- Every response carries a Content-Security-Policy without inline scripts, and no-sniff/frame headers.
- Request bodies are capped (``BodyLimit``): an upload over the limit is refused with 413 before it is read.
"""

from __future__ import annotations

import getpass
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procreg.registry.results import Account

__all__ = [
    "CSP",
    "SESSION_SECONDS",
    "BodyLimit",
    "Forbidden",
    "LoginRequired",
    "SecurityHeaders",
    "csrf_token",
    "current_account",
    "load_secret",
    "local_account",
    "sign_in",
    "sign_out",
    "valid_csrf",
]

SESSION_SECONDS = 8 * 3600  # a working day without a request signs the account out
CSRF_KEY = "csrf"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class LoginRequired(Exception):
    """The request needs a signed-in account (the page sends the browser to the sign-in form)."""


class Forbidden(Exception):
    """The account may not do this (a viewer's write), or the form's CSRF token is missing or wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_secret(home: Path) -> str:
    """The session-signing secret of this registry (created on first use, readable by its owner only)."""
    path = home / "web-secret"
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return text
    except (OSError, UnicodeDecodeError):
        pass
    home.mkdir(parents=True, exist_ok=True)
    text = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text + "\n")
    return text


def local_account() -> Account:
    """Who acts when the registry has no account (127.0.0.1 only): the operating system's user, as admin."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "local"
    return Account(name=name, role="admin")


@dataclass(frozen=True, slots=True)
class SessionUser:
    """What the session cookie holds about its account."""

    name: str
    role: str
    since: float


def sign_in(session: dict[str, Any], account: Account) -> None:
    """Start a session for ``account`` (a fresh CSRF token: a token known before sign-in is worthless)."""
    session.clear()
    session["user"] = {"name": account.name, "role": account.role, "since": time.time()}
    session[CSRF_KEY] = secrets.token_urlsafe(32)


def sign_out(session: dict[str, Any]) -> None:
    """End the session."""
    session.clear()


def current_account(session: dict[str, Any], *, accounts: bool) -> Account | None:
    """The account of this request: the signed-in one, the local user when there are no accounts, or None."""
    if not accounts:
        return local_account()
    user = session.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("name"), str):
        return None
    return Account(name=user["name"], role=str(user.get("role", "viewer")))


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token (created on first use)."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def valid_csrf(session: dict[str, Any], sent: object) -> bool:
    """True when ``sent`` is this session's CSRF token (compared in constant time)."""
    token = session.get(CSRF_KEY)
    return (
        isinstance(token, str)
        and isinstance(sent, str)
        and len(token) >= 32
        and hmac.compare_digest(token.encode(), sent.encode())
    )


class SecurityHeaders:
    """ASGI middleware adding the Content-Security-Policy and related headers to every response."""

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    )

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(self.HEADERS)]
                message["headers"] = headers + list(self.HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with 413, announced or streamed."""

    def __init__(self, app: Any, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Refuse an announced or streamed body over the limit; pass the rest on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Any, limit: int) -> None:
    from procreg.i18n import _

    body = (
        _("The request is larger than %(mb)s MB: it was refused.") % {"mb": limit // (1024 * 1024)}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})
