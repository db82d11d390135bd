"""The pages that read: home, search, procedure, catalog, documents, audit; sign-in; the static files.

Each handler takes what the request asks (query parameters, an id from the path), calls the API in the
thread pool and renders a template. No path taken from a request ever reaches the filesystem: files
are found by the id of what the registry recorded, and static files are served from memory by name.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from procreg.i18n import _
from procreg.registry.errors import NotFound
from procreg.web.common import account, check_csrf, page, state
from procreg.web.security import sign_in, sign_out
from procreg.web.state import Pending, WebState
from procreg.web.views import (
    AUDIT_FILTERS,
    SEARCH_FILTERS,
    audit_args,
    audit_tables,
    diagram_svg,
    hit_link,
    procedure_links,
    recent_events,
)

__all__ = ["DIAGRAM_FORMATS", "routes"]

# URL suffix -> (API format, media type)
DIAGRAM_FORMATS = {
    "svg": ("svg", "image/svg+xml"),
    "mmd": ("mermaid", "text/plain; charset=utf-8"),
    "dot": ("dot", "text/vnd.graphviz; charset=utf-8"),
    "bpmn": ("bpmn", "application/xml"),
}
AUDIT_DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
STATIC = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
_STATIC_BYTES = {name: (STATIC / name).read_bytes() for name in _STATIC_TYPES}
AUDIT_WAIT = 3.0  # seconds a page waits for an audit before saying it is on its way


def _today() -> str:
    return date.today().isoformat()  # the web edge reads the clock, like the command line


def _audit(web: WebState, args: dict[str, Any], wait: float | None) -> Any:
    key = ("audit", _today(), tuple(sorted(args.items())))
    return web.cached(key, lambda: web.registry.audit(today=_today(), **args), wait=wait)


# --------------------------------------------------------------------------------------------------
# Home, search


async def home(request: Request) -> Response:
    """Counts per status, the audit against the target with its chart, the latest events."""
    account(request)
    web = state(request)
    if not web.registry.db_path.is_file():
        return page(request, "home.html", empty=True)
    procs = await run_in_threadpool(web.cached, "procedures", web.registry.procedures)
    docs = await run_in_threadpool(web.cached, "documents", web.registry.documents)
    try:
        report = await run_in_threadpool(_audit, web, {}, AUDIT_WAIT)
    except Pending:
        report = None
    counts = Counter(p.status for p in procs)
    return page(
        request,
        "home.html",
        empty=False,
        total=len(procs),
        counts=[(s, counts[s]) for s in ("active", "superseded", "abolished", "withdrawn") if counts[s]],
        documents=len(docs),
        report=report,
        chart=_chart(report),
        recent=recent_events(procs, 10),
    )


def _chart(report: Any) -> str | None:
    if report is None or not report.by_unit:
        return None
    from procreg.presentation.reports.html import coverage_chart

    return coverage_chart(report)


async def search(request: Request) -> Response:
    """Accent-insensitive search with the command line's filters; ``partial=1`` gives only the results."""
    account(request)
    web = state(request)
    q = request.query_params.get("q", "").strip()
    filters = {k: request.query_params.get(k, "").strip() or None for k in SEARCH_FILTERS}
    result = None
    if q:
        result = await run_in_threadpool(
            lambda: web.registry.search(
                q,
                limit=20,
                marks=("\ue000", "\ue001"),
                kind=filters["kind"],
                unit=filters["unit"],
                field=filters["field"],
                status=filters["status"],
            )
        )
    template = "_hits.html" if request.query_params.get("partial") == "1" else "search.html"
    return page(request, template, q=q, filters=filters, result=result, link=hit_link)


# --------------------------------------------------------------------------------------------------
# One procedure


async def procedure(request: Request) -> Response:
    """Fields, steps, Σ against the limit, the inline swimlane diagram, versions and history."""
    account(request)
    web = state(request)
    pid = int(request.path_params["pid"])
    view = await run_in_threadpool(web.registry.get, f"#{pid}")
    svg, why = await run_in_threadpool(diagram_svg, web.registry, pid)
    docs = await run_in_threadpool(web.cached, "documents", web.registry.documents)
    return page(
        request,
        "procedure.html",
        view=view,
        r=view.record,
        svg=svg,
        no_diagram=why,
        formats=DIAGRAM_FORMATS,
        links=procedure_links(view, docs),
        cancelled_by={e.cancels: e.id for _v, e in view.events if e.kind == "cancelled" and e.cancels},
    )


async def diagram(request: Request) -> Response:
    """One procedure's diagram as a file: svg, mmd (Mermaid), dot or bpmn."""
    account(request)
    web = state(request)
    pid = int(request.path_params["pid"])
    if request.path_params["fmt"] not in DIAGRAM_FORMATS:
        raise NotFound(_("No such diagram format."))
    fmt, media = DIAGRAM_FORMATS[request.path_params["fmt"]]
    out = await run_in_threadpool(web.registry.diagram, f"#{pid}", fmt)
    view = await run_in_threadpool(web.registry.get, f"#{pid}")
    name = f"{view.record.code or f'quy-trinh-{pid}'}.{request.path_params['fmt']}"
    return Response(out.text, media_type=media, headers=_attachment(name))


def _attachment(name: str) -> dict[str, str]:
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return {"content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


# --------------------------------------------------------------------------------------------------
# Catalog, documents


async def catalog(request: Request) -> Response:
    """Procedures by unit and by field; ``?unit=`` or ``?field=`` lists one group's procedures."""
    account(request)
    web = state(request)
    unit = request.query_params.get("unit", "").strip() or None
    field = request.query_params.get("field", "").strip() or None
    if unit or field:
        listed = await run_in_threadpool(lambda: web.registry.procedures(unit=unit, field=field))
        return page(request, "catalog.html", unit=unit, field=field, listed=listed, units=[], fields=[])
    procs = await run_in_threadpool(web.cached, "procedures", web.registry.procedures)
    units = await run_in_threadpool(web.cached, "units", web.registry.units)
    fields = Counter(p.field or "" for p in procs)
    return page(
        request,
        "catalog.html",
        unit=None,
        field=None,
        listed=None,
        units=sorted(units, key=lambda u: (-u.procedures, u.name)),
        fields=sorted(fields.items(), key=lambda kv: (-kv[1], kv[0])),
    )


async def documents(request: Request) -> Response:
    """Every ingested document, with a download of its original file."""
    account(request)
    web = state(request)
    docs = await run_in_threadpool(web.cached, "documents", web.registry.documents)
    formats = await run_in_threadpool(web.cached, "document_formats", web.registry.document_formats)
    return page(request, "documents.html", docs=docs, formats=formats)


async def document_file(request: Request) -> FileResponse:
    """The original file of a document: the path the registry recorded, only while its content is the same."""
    account(request)
    web = state(request)
    did = int(request.path_params["did"])
    path = await run_in_threadpool(web.registry.document_file, did, int(request.path_params.get("n", 0)))
    return FileResponse(path, headers=_attachment(path.name), media_type=_media(path))


def _media(path: Path) -> str:
    return {
        ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".txt": "text/plain; charset=utf-8",
        ".md": "text/plain; charset=utf-8",
    }.get(path.suffix.lower(), "application/octet-stream")


# --------------------------------------------------------------------------------------------------
# Audit


async def audit(request: Request) -> Response:
    """The audit report with its chart and tables, filters, and downloads in every format."""
    account(request)
    web = state(request)
    args = audit_args(request.query_params)
    try:
        report = await run_in_threadpool(_audit, web, args, AUDIT_WAIT * 3)
    except Pending:
        return page(request, "audit.html", report=None, args=args, filters=AUDIT_FILTERS, query="")
    query = "&".join(f"{k}={quote(str(v))}" for k, v in args.items())
    return page(
        request,
        "audit.html",
        report=report,
        args=args,
        filters=AUDIT_FILTERS,
        query=query,
        chart=_chart(report),
        tables=audit_tables(report),
    )


async def audit_download(request: Request) -> Response:
    """The audit report as a file: DOCX, HTML, CSV or JSON."""
    account(request)
    web = state(request)
    fmt = request.path_params["fmt"]
    if fmt not in AUDIT_DOWNLOADS:
        raise NotFound(_("No such report format."))
    args = audit_args(request.query_params)
    report = await run_in_threadpool(_audit, web, args, None)
    body, name = await run_in_threadpool(_render_report, web, report, fmt)
    return Response(body, media_type=AUDIT_DOWNLOADS[fmt], headers=_attachment(name))


def _render_report(web: WebState, report: Any, fmt: str) -> tuple[bytes, str]:
    """The report file's bytes and its name, as ``procreg audit --format FMT`` writes it."""
    from procreg.presentation.reports import SETTINGS_FORMATS, default_report_name, render_report
    from procreg.presentation.reports.docx import docx_bytes
    from procreg.presentation.reports.xlsx import xlsx_bytes

    today = _today()
    settings = web.registry.report_settings() if fmt in SETTINGS_FORMATS else None
    name = default_report_name(report, today, fmt).name
    if fmt in ("docx", "xlsx"):
        make = docx_bytes if fmt == "docx" else xlsx_bytes
        return make(report, dated=today, settings=settings), name
    text, _written = render_report(report, fmt, dated=today, output=None, settings=settings)
    return (text or "").encode("utf-8-sig" if fmt == "csv" else "utf-8"), name


# --------------------------------------------------------------------------------------------------
# Sign-in, static files


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


async def login(request: Request) -> Response:
    """The sign-in form (GET) and the sign-in itself (POST: name, password, CSRF token)."""
    web = state(request)
    target = _safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return page(request, "login.html", next=target, error=None)
    form = await request.form()
    check_csrf(request, form.get("csrf"))
    target = _safe_next(str(form.get("next") or "/"))
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    found = await run_in_threadpool(web.registry.authenticate, name, password)
    if found is None:
        error = _("Wrong account name or password.")
        return page(request, "login.html", status=401, next=target, error=error)
    sign_in(request.session, found)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    """Sign out (POST with the CSRF token)."""
    form = await request.form()
    check_csrf(request, form.get("csrf"))
    sign_out(request.session)
    return RedirectResponse("/login", status_code=303)


async def static(request: Request) -> Response:
    """A vendored static file, by its name among the known ones (served from memory)."""
    name = request.path_params["name"]
    if name not in _STATIC_BYTES:
        raise NotFound(_("No such page."))
    return Response(
        _STATIC_BYTES[name], media_type=_STATIC_TYPES[name], headers={"cache-control": "public, max-age=3600"}
    )


def routes() -> list[Route]:
    """The reading pages' routes."""
    return [
        Route("/", home),
        Route("/search", search),
        Route("/procedures/{pid:int}", procedure),
        Route("/procedures/{pid:int}/diagram.{fmt:str}", diagram),
        Route("/catalog", catalog),
        Route("/documents", documents),
        Route("/documents/{did:int}/file", document_file),
        Route("/documents/{did:int}/file/{n:int}", document_file),
        Route("/audit", audit),
        Route("/audit/report.{fmt:str}", audit_download),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/static/{name:str}", static),
    ]
