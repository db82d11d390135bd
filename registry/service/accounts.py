"""Use cases of ``procreg user``: the accounts of the web page (``procreg serve``), with roles.

A password is kept only as a salted scrypt hash (``hashlib.scrypt``, standard library):
``scrypt$n$r$p$salt$hash`` in base64. Checking compares in constant time. Account names are one line of
text, compared as typed (NFC).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from procreg.i18n import _
from procreg.registry.errors import UsageError
from procreg.registry.results import ROLES, Account
from procreg.registry.service.common import existing_store
from procreg.text import normalize_line

__all__ = [
    "MIN_PASSWORD",
    "add_account",
    "check_password",
    "hash_password",
    "list_accounts",
    "remove_account",
]

MIN_PASSWORD = 8
# scrypt cost: 2**14 x 8 blocks = 16 MiB and about 50 ms a check, the interactive setting of the scrypt paper.
_N, _R, _P = 2**14, 8, 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The stored form of ``password``: ``scrypt$n$r$p$salt$hash`` (a random 16-byte salt)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def _matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def _name(name: str) -> str:
    cleaned = normalize_line(name)
    if not cleaned or len(cleaned) > 64:
        raise UsageError(_("account name %(name)r: give 1 to 64 characters on one line") % {"name": name})
    return cleaned


def add_account(name: str, role: str, password: str, *, home: Path) -> bool:
    """Add the account ``name`` with ``role`` (viewer, editor, admin), or give it a new role and password.

    Returns:
        True when the account is new.

    Raises:
        UsageError: an unknown role, an empty or long name, or a password under ``MIN_PASSWORD`` characters.
        NotFound: there is no registry in ``home``.
    """
    if role not in ROLES:
        raise UsageError(
            _("unknown role %(role)r; expected one of %(roles)s") % {"role": role, "roles": ", ".join(ROLES)}
        )
    if len(password) < MIN_PASSWORD:
        raise UsageError(_("the password needs at least %(n)d characters") % {"n": MIN_PASSWORD})
    with existing_store(home) as store:  # like every command but init and ingest: never creates one
        return store.set_account(_name(name), role, hash_password(password))


def remove_account(name: str, *, home: Path) -> bool:
    """Remove the account ``name``; True when there was one."""
    with existing_store(home) as store:
        return store.remove_account(normalize_line(name))


def list_accounts(*, home: Path) -> list[Account]:
    """Every account, sorted by name (none when the registry does not exist yet)."""
    if not (home / "registry.db").is_file():
        return []
    with existing_store(home) as store:
        return [Account(name=n, role=r) for n, r in store.accounts()]


def check_password(name: str, password: str, *, home: Path) -> Account | None:
    """The account when ``password`` is its password; None otherwise (unknown names cost the same time)."""
    if not (home / "registry.db").is_file():
        return None
    with existing_store(home) as store:
        found = store.account(normalize_line(name))
    # An unknown name is checked against a dummy hash, so timing does not tell which names exist.
    stored = found[1] if found else _DUMMY
    ok = _matches(password, stored)
    return Account(name=normalize_line(name), role=found[0]) if ok and found else None


_DUMMY = hash_password("procreg-no-such-account", salt=b"\0" * 16)
