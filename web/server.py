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

__all__ = ["address", "app_from_environment", "is_loopback", "run"]

# What a worker process reads to build its app when ``procreg serve --workers N`` starts several.
_ENV_HOME, _ENV_UPLOAD, _ENV_LOOPBACK = "PROCREG_WEB_HOME", "PROCREG_WEB_MAX_UPLOAD", "PROCREG_WEB_LOOPBACK"


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


def app_from_environment() -> object:
    """The app of one worker process, from the settings ``run`` put in its environment."""
    import os

    from procreg.web.app import create_app

    registry = Registry(os.environ[_ENV_HOME])
    return create_app(
        registry, max_upload=int(os.environ[_ENV_UPLOAD]), loopback=os.environ.get(_ENV_LOOPBACK) == "1"
    )


def run(registry: Registry, *, host: str, port: int, max_upload: int, workers: int = 1) -> None:
    """Serve until interrupted (Ctrl+C).

    Raises:
        NotFound: there is no registry where the command looked.
        UsageError: another address than 127.0.0.1 while the registry has no account, or the web
            extra is not installed.
    """
    registry.require()  # like every read command: never serve (or create) a registry in the wrong folder
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
    print(
        _("procreg: serving %(home)s at %(url)s (Ctrl+C stops it)")
        % {"home": registry.home, "url": address(host, port)},
        file=sys.stderr,
        flush=True,
    )
    bind = host.strip("[]")
    if workers > 1:  # processes, each with its own app: searches use every core
        import os

        os.environ.update(
            {
                _ENV_HOME: str(registry.home.resolve()),
                _ENV_UPLOAD: str(max_upload),
                _ENV_LOOPBACK: "1" if loopback else "0",
            }
        )
        uvicorn.run(
            "procreg.web.server:app_from_environment",
            factory=True,
            workers=workers,
            host=bind,
            port=port,
            log_level="warning",
            server_header=False,
            access_log=False,
        )
        return
    app = create_app(registry, max_upload=max_upload, loopback=loopback)
    config = uvicorn.Config(
        app, host=bind, port=port, log_level="warning", server_header=False, access_log=False
    )
    uvicorn.Server(config).run()
