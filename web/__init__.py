"""procreg's web page (``procreg serve``): the registry for the whole office, in a browser.

Server-rendered pages (Starlette, Jinja2, served by uvicorn; the optional extra ``procreg[web]``) over the
same Python API as the command line: every handler calls ``procreg.Registry`` and formats with
``procreg.presentation``; no rule is written here. Pages work without JavaScript; one vendored script
(``static/app.js``) adds results as you type.

- ``app``: the ASGI application (``create_app``), its routes and middleware.
- ``pages``, ``record``, ``upload``, ``api``: the handlers of the pages, the forms, uploads and ``/api/``.
- ``security``: accounts, sessions, CSRF tokens, security headers, request limits.
- ``templating``: the Jinja2 environment with procreg's gettext and the Vietnamese number and date style.
- ``server``: ``procreg serve`` (uvicorn; 127.0.0.1 unless accounts exist).
"""

from __future__ import annotations

__all__: list[str] = []
