"""``procreg serve``: the web page under uvicorn, on 127.0.0.1 unless the registry has accounts.

Serving another address without accounts would open the registry to the whole network, so it is
refused with the command that creates the first account.
"""

from __future__ import annotations

import ipaddress
import sys

from procreg.i18n import _
from procreg.registry.api import Registry
from procreg.registry.errors import UsageError

__all__ = ["address", "is_loopback", "run"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(registry: Registry, *, host: str, port: int, max_upload: int) -> None:
    """Serve until interrupted (Ctrl+C).

    Raises:
        UsageError: another address than 127.0.0.1 while the registry has no account, or the web
            extra is not installed.
    """
    loopback = is_loopback(host)
    if not loopback and not registry.users():
        raise UsageError(
            _("serving on %(host)s needs accounts: create one first with procreg user add NAME --role admin")
            % {"host": host}
        )
    try:
        import uvicorn

        from procreg.web.app import create_app
    except ImportError as exc:
        raise UsageError(
            _("the web page needs its extra packages: pip install 'procreg[web]' (%(missing)s)")
            % {"missing": exc.name or exc}
        ) from None
    app = create_app(registry, max_upload=max_upload, loopback=loopback)
    print(
        _("procreg: serving %(home)s at %(url)s (Ctrl+C stops it)")
        % {"home": registry.home, "url": address(host, port)},
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(
        app, host=host.strip("[]"), port=port, log_level="warning", server_header=False, access_log=False
    )
    uvicorn.Server(config).run()
